/*  =========================================================================
    gw_server - the gateway object: listener, loop threads, drain and stop

    Start-up binds one socket, then starts nthreads loops, each accepting
    from its own dup of it (see gw_server.h for why not SO_REUSEPORT), and
    returns once every loop serves.  Drain closes the listener everywhere
    (accepting what the kernel had queued first) and asks h2o to shut down
    gracefully: GOAWAY on HTTP/2, "Connection: close" on HTTP/1.1.  Stop
    also shuts every open connection down, so that h2o closes it on its next
    read, and waits for them to go: h2o 2.2.5 can dispose a context only
    once it has no connections (it keeps no list we could close).
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "oa_actor.h"
#include "gw_server.h"
#include "gw_api.h"
#include "gw_bridge.h"
#include "gw_broker_host.h"
#include "gw_ratelimit.h"
#include "gw_metrics.h"
#include "oa_health.h"
#include "oa_log.h"

#define S_ACCEPT_BATCH 64           //  accepts per readiness event, for fairness
#define S_STOP_GRACE_MS 2000        //  how long a stopping loop waits for connections

//  A message posted to a loop thread.
typedef struct {
    h2o_multithread_message_t super;    //  first: h2o links it
    enum { S_CONTROL_DRAIN, S_CONTROL_STOP } command;
} s_control_t;

//  One accepted connection, so that stop can shut it down.
typedef struct {
    h2o_linklist_t link;            //  in thread->conns
    gw_thread_t *thread;            //  owner
    int fd;                         //  the socket's fd (owned by h2o)
} s_conn_t;

void (*gw_test_routes_hook) (oa_gateway_t *gateway) = NULL;

//  --------------------------------------------------------------------------
//  Loop thread

static void
s_on_conn_close (void *data)
{
    s_conn_t *conn = data;
    h2o_linklist_unlink (&conn->link);
    atomic_fetch_sub (&conn->thread->nconns, 1);
    gw_metrics_connections_add (-1);
    free (conn);
}

static void
s_accept_batch (gw_thread_t *self, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept (self->listener);
        if (!sock)
            break;                  //  EAGAIN: another loop won, or nothing left
        s_conn_t *conn = calloc (1, sizeof (s_conn_t));
        assert (conn);
        conn->thread = self;
        conn->fd = h2o_socket_get_fd (sock);
        h2o_linklist_insert (&self->conns, &conn->link);
        sock->on_close.cb = s_on_conn_close;
        sock->on_close.data = conn;
        atomic_fetch_add (&self->nconns, 1);
        atomic_fetch_add (&self->accepted, 1);
        gw_metrics_connections_add (1);
        h2o_accept (&self->accept_ctx, sock);
    }
}

static void
s_on_accept (h2o_socket_t *listener, const char *err)
{
    if (err)
        return;
    s_accept_batch (listener->data, S_ACCEPT_BATCH);
}

static void
s_close_listener (gw_thread_t *self)
{
    if (!self->listener)
        return;
    //  Connections the kernel already completed are clients in flight:
    //  take them before closing, or closing would reset them.
    s_accept_batch (self, SIZE_MAX);
    h2o_socket_read_stop (self->listener);
    h2o_socket_close (self->listener);
    self->listener = NULL;
    atomic_store (&self->listening, false);
}

static void
s_on_control (h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    gw_thread_t *self = H2O_STRUCT_FROM_MEMBER (gw_thread_t, control, receiver);
    while (!h2o_linklist_is_empty (messages)) {
        s_control_t *message = H2O_STRUCT_FROM_MEMBER (s_control_t, super.link, messages->next);
        h2o_linklist_unlink (&message->super.link);
        s_close_listener (self);
        h2o_context_request_shutdown (&self->ctx);
        if (message->command == S_CONTROL_STOP && !self->stopping) {
            self->stopping = true;
            self->stop_deadline = oa_clock_mono_ms () + S_STOP_GRACE_MS;
            //  h2o sees EOF or EPIPE on its next read or write and closes
            //  the connection itself, through its normal paths.
            for (h2o_linklist_t *node = self->conns.next; node != &self->conns; node = node->next) {
                s_conn_t *conn = H2O_STRUCT_FROM_MEMBER (s_conn_t, link, node);
                shutdown (conn->fd, SHUT_RDWR);
            }
        }
        free (message);
    }
}

//  h2o keeps freed socket buffers, pool chunks and HTTP/2 write buffers in
//  thread-local recycle bins (up to 16 each) that leak when a loop thread
//  ends.  The socket-buffer bin is public: give it back to malloc.  The
//  other two are static inside h2o, hence the suppression below.
static void
s_release_recycled_memory (void)
{
    h2o_mem_recycle_t *bin = &h2o_socket_buffer_prototype.allocator;
    while (bin->cnt > 0)
        free (h2o_mem_alloc_recycle (bin, 1));
}

//  LeakSanitizer: h2o 2.2.5's unreachable recycle bins (above) are not our
//  leaks.  Only blocks allocated through h2o_mem_alloc_recycle are
//  suppressed; a leaked connection still shows through its other blocks.
//  (The sanitizer runtime calls this weak hook; one definition per binary.)
__attribute__ ((used)) const char *__lsan_default_suppressions (void);
__attribute__ ((used)) const char *
__lsan_default_suppressions (void)
{
    return "leak:h2o_mem_alloc_recycle\n";
}

static void
s_thread_teardown (gw_thread_t *self)
{
    //  Every request is disposed once its connection is gone, so no
    //  pending relay points at the bridge any more; if connections were
    //  abandoned, their requests never run again either.
    gw_bridge_t *bridge = self->bridge;
    gw_bridge_destroy (&bridge);
    self->bridge = NULL;
    gw_broker_host_t *broker_host = self->broker_host;
    gw_broker_host_destroy (&broker_host);
    self->broker_host = NULL;
    gw_ratelimit_thread_stop (self);
    size_t left = atomic_load (&self->nconns);
    if (left > 0) {
        //  h2o 2.2.5 asserts when a context with live connections is
        //  disposed; leaking is the lesser evil at process exit.
        oa_log_error ("gateway", "loop %d: abandoning %zu connections still open after %d ms",
                      self->index, left, S_STOP_GRACE_MS);
        return;
    }
    h2o_multithread_unregister_receiver (self->ctx.queue, &self->control);
    //  request_shutdown arms a one-second GOAWAY timer; timeouts must be
    //  empty before they are disposed.
    if (h2o_timeout_is_linked (&self->ctx.http2._graceful_shutdown_timeout))
        h2o_timeout_unlink (&self->ctx.http2._graceful_shutdown_timeout);
    h2o_evloop_t *loop = self->ctx.loop;
    h2o_multithread_queue_t *queue = self->ctx.queue;
    h2o_context_dispose (&self->ctx);
    //  h2o 2.2.5's h2o_multithread_destroy_queue closes the queue's pipe
    //  but never frees the queue (evloop build); fixed in later versions.
    free (queue);
    h2o_evloop_destroy (loop);
    s_release_recycled_memory ();
}

static void *
s_thread_main (void *args)
{
    gw_thread_t *self = args;
    oa_gateway_t *gateway = self->gateway;
    oa_actor_set_name ("oa-gw-loop");
    h2o_context_init (&self->ctx, h2o_evloop_create (), &gateway->h2o);
    h2o_multithread_register_receiver (self->ctx.queue, &self->control, s_on_control);
    if (gateway->broker && self->index == 0)
        self->broker_host = gw_broker_host_new (&self->ctx, gateway->broker);
    if (gateway->relay)
        self->bridge = gw_bridge_new (self, gateway->broker_endpoint);
    if (self->bridge && self->broker_host)
        gw_bridge_use_local_broker (self->bridge, self->broker_host);
    gw_ratelimit_thread_start (self);
    self->accept_ctx.ctx = &self->ctx;
    self->accept_ctx.hosts = gateway->h2o.hosts;
    self->accept_ctx.ssl_ctx = gateway->ssl_ctx;
    self->listener = h2o_evloop_socket_create (self->ctx.loop, self->listen_dup,
                                               H2O_SOCKET_FLAG_DONT_READ);
    self->listen_dup = -1;          //  h2o owns it now
    self->listener->data = self;
    h2o_socket_read_start (self->listener, s_on_accept);
    atomic_store (&self->listening, true);
    h2o_barrier_wait (&gateway->ready);

    while (!self->exit) {
        h2o_evloop_run (self->ctx.loop, self->stopping? 10: INT32_MAX);
        if (self->stopping
        && (atomic_load (&self->nconns) == 0 || oa_clock_mono_ms () >= self->stop_deadline))
            self->exit = true;
    }
    s_thread_teardown (self);
    return NULL;
}

static void
s_post (gw_thread_t *thread, int command)
{
    s_control_t *message = calloc (1, sizeof (s_control_t));
    assert (message);
    message->command = command;
    h2o_multithread_send_message (&thread->control, &message->super);
}

//  --------------------------------------------------------------------------
//  Listener

static int
s_bind (oa_gateway_t *self, char *err, size_t err_size)
{
    const char *host = self->config->host && *self->config->host? self->config->host: "0.0.0.0";
    char service [16];
    snprintf (service, sizeof service, "%d", self->config->port);
    struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM };
    struct addrinfo *list = NULL;
    int rc = getaddrinfo (host, service, &hints, &list);
    if (rc != 0) {
        snprintf (err, err_size, "ONEAPI_HOST %s: %s", host, gai_strerror (rc));
        return -1;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = list; ai && fd == -1; ai = ai->ai_next) {
        fd = socket (ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd == -1) {
            saved = errno;
            continue;
        }
        //  SO_REUSEADDR only skips TIME_WAIT; a live listener still wins.
        int on = 1;
        setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (bind (fd, ai->ai_addr, ai->ai_addrlen) == -1 || listen (fd, SOMAXCONN) == -1) {
            saved = errno;
            close (fd);
            fd = -1;
        }
    }
    freeaddrinfo (list);
    if (fd == -1) {
        snprintf (err, err_size, "bind %s:%s: %s", host, service, strerror (saved));
        return -1;
    }
    struct sockaddr_storage address;
    socklen_t address_len = sizeof address;
    getsockname (fd, (struct sockaddr *) &address, &address_len);
    self->port = address.ss_family == AF_INET6
        ? ntohs (((struct sockaddr_in6 *) &address)->sin6_port)
        : ntohs (((struct sockaddr_in *) &address)->sin_port);
    self->listen_fd = fd;
    return 0;
}

//  --------------------------------------------------------------------------
//  Public API

oa_gateway_t *
oa_gateway_new (const oa_config_t *config)
{
    assert (config);
    oa_gateway_t *self = calloc (1, sizeof (oa_gateway_t));
    assert (self);
    self->config = config;
    self->listen_fd = -1;
    self->nthreads = config->gateway_threads >= 1? config->gateway_threads: 1;
    self->start_time = (int64_t) time (NULL);

    h2o_config_init (&self->h2o);
    self->h2o.server_name = h2o_iovec_init (H2O_STRLIT ("oneapi"));
    //  h2o answers 413 from the Content-Length (or as the chunked body
    //  grows) before any handler runs; over HTTP/2 it resets the stream.
    self->h2o.max_request_entity_size = (size_t) config->max_body_bytes;
    self->hostconf = h2o_config_register_host (&self->h2o,
                                               h2o_iovec_init (H2O_STRLIT ("default")), 65535);
    self->router = gw_router_new ();
    //  Without a ledger there is no replica to decide with: no relay
    //  routes then (one-api's 404s answer), and no ZeroMQ sockets.
    self->relay = config->ledger_endpoint && *config->ledger_endpoint;
    static atomic_int s_gateways;
    snprintf (self->broker_endpoint, sizeof self->broker_endpoint,
              "inproc://oneapi-gateway-frontend-%d", atomic_fetch_add (&s_gateways, 1));
    self->limiter = gw_ratelimit_new (config);
    self->api_timeout_ms = 30000;
    if (self->relay && gw_api_endpoint (config->ledger_endpoint, self->api_endpoint,
                                        sizeof self->api_endpoint) != 0)
        oa_log_warn ("gateway", "no management API endpoint for ONEAPI_LEDGER_ENDPOINT %s: "
                     "/api answers 503", config->ledger_endpoint);
    gw_http_setup (self);
    gw_routes_core_add (self);
    if (self->relay) {
        gw_relay_routes_add (self);
        gw_api_routes_add (self);
    }
    return self;
}

int
oa_gateway_start (oa_gateway_t *self, char *err, size_t err_size)
{
    assert (self);
    assert (!self->started);
    const oa_config_t *config = self->config;
    //  A client that goes away turns h2o's next write into EPIPE; without
    //  this, into a process-killing SIGPIPE (h2o's own server does the same).
    signal (SIGPIPE, SIG_IGN);
    if (config->tls_cert && *config->tls_cert) {
        self->ssl_ctx = gw_tls_context_new (config->tls_cert, config->tls_key, err, err_size);
        if (!self->ssl_ctx)
            return -1;
    }
    if (gw_ratelimit_start (self->limiter) != 0) {
        snprintf (err, err_size, "rate limiter: cannot start its Redis actor");
        return -1;
    }
    if (s_bind (self, err, err_size))
        return -1;
    gw_router_freeze (self->router);

    self->threads = calloc ((size_t) self->nthreads, sizeof (gw_thread_t));
    assert (self->threads);
    for (int index = 0; index < self->nthreads; index++) {
        gw_thread_t *thread = &self->threads [index];
        thread->gateway = self;
        thread->index = index;
        thread->listen_dup = fcntl (self->listen_fd, F_DUPFD_CLOEXEC, 0);
        h2o_linklist_init_anchor (&thread->conns);
        if (thread->listen_dup == -1) {
            snprintf (err, err_size, "dup listener: %s", strerror (errno));
            for (int i = 0; i < index; i++)
                close (self->threads [i].listen_dup);
            free (self->threads);
            self->threads = NULL;
            close (self->listen_fd);
            self->listen_fd = -1;
            return -1;
        }
    }
    if (self->relay)
        oa_health_set ("state", OA_HEALTH_DOWN, "loading the ledger snapshot");
    h2o_barrier_init (&self->ready, (size_t) self->nthreads + 1);
    for (int index = 0; index < self->nthreads; index++) {
        int rc = pthread_create (&self->threads [index].tid, NULL, s_thread_main, &self->threads [index]);
        assert (rc == 0);           //  out of threads at start-up: nothing sane to do
    }
    h2o_barrier_wait (&self->ready);
    self->started = true;
    return 0;
}

int
oa_gateway_port (oa_gateway_t *self)
{
    assert (self);
    return self->port;
}

void
oa_gateway_drain (oa_gateway_t *self)
{
    assert (self);
    if (!self->started || self->draining)
        return;
    self->draining = true;
    for (int index = 0; index < self->nthreads; index++)
        s_post (&self->threads [index], S_CONTROL_DRAIN);
    //  The socket closes for good when the last loop closes its dup.
    close (self->listen_fd);
    self->listen_fd = -1;
}

bool
oa_gateway_drained (oa_gateway_t *self)
{
    assert (self);
    if (!self->draining)
        return false;
    for (int index = 0; index < self->nthreads; index++)
        if (atomic_load (&self->threads [index].listening))
            return false;
    return oa_gateway_inflight (self) == 0;
}

void
gw_server_state_ready (oa_gateway_t *gateway)
{
    assert (gateway);
    if (atomic_fetch_add (&gateway->states_ready, 1) + 1 == gateway->nthreads)
        oa_health_set ("state", OA_HEALTH_READY, NULL);
}

size_t
oa_gateway_inflight (oa_gateway_t *self)
{
    assert (self);
    size_t total = 0;
    if (self->started)
        for (int index = 0; index < self->nthreads; index++)
            total += atomic_load (&self->threads [index].inflight);
    return total;
}

void
oa_gateway_destroy (oa_gateway_t **self_p)
{
    assert (self_p);
    if (!*self_p)
        return;
    oa_gateway_t *self = *self_p;
    if (self->started) {
        for (int index = 0; index < self->nthreads; index++)
            s_post (&self->threads [index], S_CONTROL_STOP);
        for (int index = 0; index < self->nthreads; index++)
            pthread_join (self->threads [index].tid, NULL);
    }
    if (self->listen_fd != -1)
        close (self->listen_fd);
    if (self->started && self->relay)
        oa_health_clear ("state");
    free (self->threads);
    h2o_config_dispose (&self->h2o);
    if (self->ssl_ctx)
        SSL_CTX_free (self->ssl_ctx);
    gw_router_destroy (&self->router);
    gw_ratelimit_destroy (&self->limiter);
    free (self);
    *self_p = NULL;
}
