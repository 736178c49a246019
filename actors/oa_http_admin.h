/*  =========================================================================
    oa_http_admin - /metrics, /healthz and /readyz for processes without
    the h2o edge (the worker and ledger roles)

    A small HTTP/1.1 responder in its own actor thread: one non-blocking
    listener and at most OA_HTTP_ADMIN_CONNS connections, polled with
    zmq_poll beside the actor pipe.  It answers the same three routes as
    the gateway, from the same registries (oa_metrics_render of the global
    registry, oa_health_json), with the same METRICS_TOKEN rules: 403
    while the token is unset, 401 without "Authorization: Bearer <token>",
    and 404 for /metrics when ENABLE_PROMETHEUS_METRICS is off.

    Robustness, since the port may face a network: request heads may
    arrive in pieces; a head larger than OA_HTTP_ADMIN_HEAD_MAX gets 431,
    anything that is not an HTTP/1.x request head gets 400, and both close
    the connection.  GET and HEAD only (405 otherwise), keep-alive and
    pipelining on HTTP/1.1, a request with a body is answered and the
    connection closed.  A connection must complete each request head and
    take each response within idle_ms, else it is closed; connections
    beyond the limit are accepted and closed at once.

    Pipe commands, besides the oa_actor.h contract (DRAIN answers at once
    and the actor keeps serving until $TERM, so /readyz can tell a load
    balancer that the process is draining):
        PORT    -> the bound port, decimal ("0" when not listening)
    =========================================================================
*/
#ifndef OA_HTTP_ADMIN_H_INCLUDED
#define OA_HTTP_ADMIN_H_INCLUDED

#include <czmq.h>

#define OA_HTTP_ADMIN_HEAD_MAX 8192     //  largest request head (431 beyond)
#define OA_HTTP_ADMIN_CONNS 64          //  connections served at once
#define OA_HTTP_ADMIN_IDLE_MS 10000     //  default idle_ms

//  Arguments of oa_http_admin_actor; borrowed for the actor's lifetime.
typedef struct {
    const char *name;               //  role name, for logs ("worker", "ledger")
    const char *host;               //  listen address (ONEAPI_HOST); NULL = 0.0.0.0
    int port;                       //  listen port; 0 = ephemeral (tests)
    bool metrics_enabled;           //  ENABLE_PROMETHEUS_METRICS
    const char *metrics_token;      //  METRICS_TOKEN; NULL or "" = /metrics answers 403
    int idle_ms;                    //  per-request deadline; 0 = OA_HTTP_ADMIN_IDLE_MS
    bool bind_optional;             //  a failed bind is logged and the actor runs without
                                    //  a listener (a default port taken), instead of failing
} oa_http_admin_args_t;

//  The actor (zactor_fn); args is an oa_http_admin_args_t.  Fails to
//  start when it cannot listen, unless bind_optional.
void
    oa_http_admin_actor (zsock_t *pipe, void *args);

//  Answers the first request in data[0..len): returns a fresh response
//  (status line, headers, body; caller frees) and sets *length, *consumed
//  (bytes of data the request used) and *close (the connection must close
//  after this response).  Returns NULL with *consumed 0 while the head is
//  incomplete and shorter than OA_HTTP_ADMIN_HEAD_MAX.  Never fails on
//  bad input: that gets a 4xx response.  The socket loop's core, exposed
//  for tests and fuzzing.
char *
    oa_http_admin_respond (const oa_http_admin_args_t *args, const char *data, size_t len,
                           size_t *length, size_t *consumed, bool *close);

//  Self test.
void
    oa_http_admin_test (bool verbose);

#endif
