/*  =========================================================================
    gw_server - the gateway's internals shared by its source files

    Threads.  Every loop thread owns an h2o context, an evloop and its own
    dup() of the one listening socket; all loops accept from it (h2o 2.2.5's
    own server does the same).  The kernel wakes every loop on a new
    connection and one accept() wins; the others get EAGAIN.  We prefer this
    to SO_REUSEPORT because (a) a second process cannot silently share the
    port (REUSEPORT lets any same-user process bind it too), (b) draining is
    one close of one socket, with no per-thread accept queue whose pending
    connections would be reset, and (c) port 0 needs no second bind.

    Cross-thread control uses each context's h2o_multithread queue: the
    owner posts gw_control_t messages (DRAIN, STOP) to thread->control.
    Counters read by other threads (connections, in-flight requests,
    listening) are C11 atomics; everything else in a gw_thread_t belongs to
    its loop thread.

    Requests.  The dispatcher (one h2o handler on "/") gives each request a
    gw_request_t from the request's pool, linked as a prefilter so the
    response filters and the access logger can find it again.
    =========================================================================
*/
#ifndef GW_SERVER_H_INCLUDED
#define GW_SERVER_H_INCLUDED

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <openssl/ssl.h>
#include "gw_h2o.h"
#include "gw_router.h"
#include "oa_gateway.h"
#include "oa_ids.h"

typedef struct _gw_thread_t gw_thread_t;

struct _gw_thread_t {
    h2o_context_t ctx;              //  this loop's h2o context (req->conn->ctx)
    oa_gateway_t *gateway;          //  owner
    int index;                      //  0 .. nthreads - 1
    pthread_t tid;                  //  the loop thread
    h2o_accept_ctx_t accept_ctx;    //  hosts and TLS context for h2o_accept
    int listen_dup;                 //  our dup of the listening fd, until wrapped
    h2o_socket_t *listener;         //  listen_dup wrapped by h2o; NULL once closed
    h2o_multithread_receiver_t control;     //  DRAIN / STOP posted by the owner
    h2o_linklist_t conns;           //  gw_conn_t of this loop's open connections
    atomic_size_t nconns;           //  open connections (read by the owner)
    atomic_size_t inflight;         //  requests between dispatch and dispose
    atomic_size_t accepted;         //  connections accepted since start
    atomic_bool listening;          //  false once the listener is closed
    bool stopping;                  //  STOP received: closing connections
    bool exit;                      //  leave the loop
    int64_t stop_deadline;          //  monotonic ms after which we give up waiting
    void *bridge;                   //  reserved: this loop's ZeroMQ bridge (style.md §3.6)
    void *broker_host;              //  loop 0: the relay broker it hosts (gw_broker_host.h)
    void *limiter;                  //  this loop's client of the Redis rate limiter, or NULL
};

struct _oa_gateway_t {
    const oa_config_t *config;      //  borrowed
    h2o_globalconf_t h2o;           //  hosts, paths, limits, server name
    h2o_hostconf_t *hostconf;       //  the one ("default") host
    gw_router_t *router;            //  routes; frozen at start
    SSL_CTX *ssl_ctx;               //  when TLS is configured
    int listen_fd;                  //  the bound socket; loops hold dups (-1 when closed)
    int port;                       //  bound port
    int nthreads;                   //  loop threads
    gw_thread_t *threads;           //  nthreads of them
    h2o_barrier_t ready;            //  start-up rendezvous with the loops
    bool started;                   //  threads are running
    bool draining;                  //  drain requested
    int64_t start_time;             //  unix seconds (one-api's start_time)
    bool relay;                     //  loops run bridges (a ledger endpoint is configured)
    char broker_endpoint [128];     //  the broker's frontend the bridges connect to
    struct _gw_broker_t *broker;    //  hosted by loop 0 while it runs; owned by the actor
    atomic_int states_ready;        //  loops whose replica is ready
    struct _gw_ratelimit_t *limiter;    //  one-api's rate limits (gw_ratelimit.h)
    char api_endpoint [128];        //  the management API actor ("" = none; gw_api.h)
    int api_timeout_ms;             //  how long an /api request may wait for its reply
};

//  Per-request state; lives in the request's pool.
struct _gw_request_t {
    h2o_req_prefilter_t prefilter;  //  links this state into req->prefilters
    h2o_req_t *req;                 //  valid until the request is disposed
    gw_thread_t *thread;            //  loop thread that owns the request
    oa_gateway_t *gateway;          //  owner of the routes and config
    const gw_route_t *route;        //  matched route, NULL for a 404
    gw_params_t params;             //  path parameters of the route
    char id [OA_REQUEST_ID_SIZE];   //  X-Oneapi-Request-Id
    int64_t started_us;             //  monotonic, at dispatch (h2o's clock is per loop turn)
};

//  gw_http.c: installs the dispatcher, filters and access logger on the
//  h2o configuration.  Called once by oa_gateway_new.
void
    gw_http_setup (oa_gateway_t *gateway);

//  gw_http.c: the gw_request_t of a dispatched request, or NULL.
gw_request_t *
    gw_http_request_of (h2o_req_t *req);

//  gw_tls.c: builds a server SSL_CTX (TLS 1.2+, ALPN h2 then http/1.1) from
//  PEM files.  Returns NULL with a reason in err.
SSL_CTX *
    gw_tls_context_new (const char *cert_file, const char *key_file, char *err, size_t err_size);

//  gw_routes_core.c: adds /api/status, /healthz, /readyz, /metrics and the
//  404 catch-alls.
void
    gw_routes_core_add (oa_gateway_t *gateway);

//  gw_relay.c: adds the relay routes (/v1/chat/completions, /v1/models,
//  one-api's 501s, ...).  Called once by oa_gateway_new.
void
    gw_relay_routes_add (oa_gateway_t *gateway);

//  gw_api.c: adds the /api/* forwarding to the management API actor.
void
    gw_api_routes_add (oa_gateway_t *gateway);

//  Test hook (gw_selftest.c): extra routes the actor adds to gateways it
//  creates; NULL in production.
extern void (*gw_test_routes_hook) (oa_gateway_t *gateway);

#endif
