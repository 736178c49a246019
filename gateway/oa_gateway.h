/*  =========================================================================
    oa_gateway - the HTTP edge: h2o event-loop threads behind one listener

    The gateway owns one listening socket and ONEAPI_GATEWAY_THREADS h2o
    event-loop threads, each with its own h2o context (and, later, its own
    ZeroMQ sockets).  It speaks HTTP/1.1 and HTTP/2 (h2c by prior knowledge
    or Upgrade; h2 by ALPN when ONEAPI_TLS_CERT/ONEAPI_TLS_KEY are set).

    Two faces:
    - an actor, for `oneapi serve` and `oneapi gateway`:
          zactor_t *gw = zactor_new (oa_gateway_actor, config);
      zactor_new returns once the listener is bound and every loop thread
      is serving, or once start-up failed.  Pipe commands (strings):
          STATUS  -> "READY" | "DRAINING" | "DRAINED" | "FATAL <reason>"
          PORT    -> the bound TCP port, in decimal ("0" after a failure)
          DRAIN   -> stops accepting connections, lets in-flight requests
                     finish (bounded by SHUTDOWN_TIMEOUT_SEC), then "DRAINED"
          $TERM   -> closes every connection and stops the threads
      The actor keeps answering its pipe while it drains, so $TERM is never
      delayed by a slow request.
    - an object, for tests and for composing roles in one thread:
      oa_gateway_new / _start / _port / _drain / _inflight / _destroy.

    This header must not include h2o headers: other folders include it
    without H2O_USE_LIBUV=0.  Route handlers see h2o; see gw_router.h.
    =========================================================================
*/
#ifndef OA_GATEWAY_H_INCLUDED
#define OA_GATEWAY_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <czmq.h>
#include "oa_config.h"

typedef struct _oa_gateway_t oa_gateway_t;

//  The actor.  args is a const oa_config_t *, borrowed: it must outlive the
//  actor.  See the banner for the pipe commands.
void
    oa_gateway_actor (zsock_t *pipe, void *args);

//  Creates a gateway with the core routes (/api/status, /healthz, /readyz,
//  /metrics and one-api's 404s).  Nothing is bound yet.  config is
//  borrowed and must outlive the gateway.  Caller owns the return value.
oa_gateway_t *
    oa_gateway_new (const oa_config_t *config);

//  Binds config->host:config->port (port 0 picks a free one), loads the
//  TLS certificate if configured, and starts the loop threads.  Returns 0
//  when every thread serves, or -1 with a reason in err (e.g. "bind
//  0.0.0.0:3000: Address already in use").
int
    oa_gateway_start (oa_gateway_t *self, char *err, size_t err_size);

//  The bound TCP port, or 0 before a successful start.
int
    oa_gateway_port (oa_gateway_t *self);

//  Stops accepting connections: the listening socket is closed once every
//  thread has accepted what was already queued, so new connections are
//  refused; HTTP/2 clients get GOAWAY, HTTP/1.1 responses carry
//  "Connection: close".  Idempotent; does not wait.
void
    oa_gateway_drain (oa_gateway_t *self);

//  True once a drain has closed the listener in every thread and no request
//  is in flight.
bool
    oa_gateway_drained (oa_gateway_t *self);

//  Requests being processed right now, over all threads.
size_t
    oa_gateway_inflight (oa_gateway_t *self);

//  Stops the threads (closing every connection, waiting at most two
//  seconds for them to go) and destroys the gateway; nulls the pointer.
void
    oa_gateway_destroy (oa_gateway_t **self_p);

//  Self tests: routes over HTTP/1.1 and h2c, limits, threads, drain, TLS.
void
    oa_gateway_test (bool verbose);
void
    oa_gateway_tls_test (bool verbose);

#endif
