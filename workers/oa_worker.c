/*  =========================================================================
    oa_worker - the relay worker actor

    One zloop owns everything: the actor pipe, one DEALER per gateway, a
    DEALER to the ledger, libcurl's sockets and timer (wk_loop), a 1 s
    heartbeat timer and a 100 ms housekeeping timer (idle and deadline
    checks).  ZeroMQ reconnects by itself, so a gateway that starts later,
    or restarts, is reached without our help.

    Liveness (proto/RELAY.md): a gateway is "alive" once anything arrived
    from it.  Every second an alive gateway gets a HEARTBEAT and a silent
    one (3 s) is declared dead: its transfers are cancelled (usage still
    reported).  A gateway not alive gets WORKER_READY every second until it
    speaks, which covers first connect, restarts and returns.

    Jobs finish inside curl or zloop frames; they are destroyed afterwards
    (s_reap), when nothing references them.

    Billing before answering: a job hands its USAGE to the journal before
    it sends its last message.  With ONEAPI_JOURNAL_DURABILITY=process
    (default) the journal has written it to the file by then, so a worker
    killed at any instant never leaves a client with a finished answer
    whose USAGE is lost.  With durability host, jobs send to an inproc
    PAIR (the "shim") instead of the gateway DEALER; its reader forwards
    HEAD and DATA at once but holds every RELAY_END and RELAY_ERROR until
    the journal's next fsync round (wk_spool's synced hook, every few ms),
    so not even a host crash can lose it.
    =========================================================================
*/
#include "oa_worker.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <pthread.h>
#include <unistd.h>
#include "oa_actor.h"
#include "oa_wire.h"
#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"
#include "relay/wk_job.h"
#include "relay/wk_loop.h"
#include "relay/wk_metrics.h"
#include "relay/wk_spool.h"

#define S_MAX_GATEWAYS 32
#define S_HEARTBEAT_MS 1000             //  heartbeat and re-announce period
#define S_PEER_DEAD_MS 3000             //  silence after which a gateway is dead
#define S_TICK_MS 100                   //  idle / deadline check period
#define S_SOCKET_HWM 100000             //  messages queued per socket
#define S_BODY_CAP (32 * 1024 * 1024)   //  non-stream upstream body
#define S_EVENT_CAP (4 * 1024 * 1024)   //  one upstream SSE event
#define S_ERROR_CAP (64 * 1024)         //  kept of an upstream error body
#define S_CONNECT_TIMEOUT_MS 10000L     //  TCP + TLS connect per attempt

static pthread_once_t s_curl_once = PTHREAD_ONCE_INIT;

//  libcurl's global state, once per process, before any easy handle.
static void
s_curl_init (void)
{
    curl_global_init (CURL_GLOBAL_DEFAULT);
}

//  One gateway link.
typedef struct {
    zsock_t *dealer;                    //  DEALER connected to it
    zsock_t *shim_in;                   //  PAIR jobs send to (with a journal)
    zsock_t *shim_out;                  //  PAIR the worker forwards from
    bool alive;                         //  heard from within S_PEER_DEAD_MS
    int64_t last_seen_ms;               //  monotonic time of its last message
} s_gateway_t;

typedef struct {
    zsock_t *pipe;                          //  actor pipe
    zloop_t *loop;                          //  this actor's reactor
    const oa_config_t *config;              //  settings, borrowed
    s_gateway_t gateways [S_MAX_GATEWAYS];  //  one DEALER per gateway
    int gateway_count;                      //  used entries of gateways
    zsock_t *ledger;                        //  DEALER to the ledger, or NULL
    wk_spool_t *spool;                      //  USAGE journal (ONEAPI_SPOOL_DIR)
    zlist_t *held;                          //  s_held_t: last messages awaiting a sync
    int index;                              //  worker number, for logs
    char worker_id [64];                    //  host:pid:index
    wk_metrics_t metrics;                   //  metric handles
    wk_ctx_t ctx;                           //  what jobs share
    zhashx_t *jobs;                         //  key -> wk_job_t, in flight
    zlist_t *finished;                      //  jobs to destroy in s_reap
    bool draining;                          //  DRAIN received: take no work
    bool drained_sent;                      //  DRAINED went up the pipe
} s_self_t;

//  wk_ctx_t.on_finished: out of the table, into the reap list.
static void
s_job_finished (wk_job_t *job, void *arg)
{
    s_self_t *self = (s_self_t *) arg;
    zhashx_delete (self->jobs, wk_job_key (job));
    zlist_append (self->finished, job);
    const char *labels [] = { self->worker_id };
    oa_gauge_add (self->metrics.inflight, labels, -1);
}

//  After each batch of curl work: sends the stream bytes the batch
//  collected, destroys finished jobs, answers a pending DRAIN once idle.
static void
s_reap (void *arg)
{
    s_self_t *self = (s_self_t *) arg;
    wk_stream_flush_queued (&self->ctx);
    wk_job_t *job;
    while ((job = (wk_job_t *) zlist_pop (self->finished)))
        wk_job_destroy (&job);
    if (self->draining && !self->drained_sent && zhashx_size (self->jobs) == 0) {
        oa_actor_drained (self->pipe);
        self->drained_sent = true;
    }
}

//  Sets the socket options every link shares.
static void
s_socket_setup (s_self_t *self, zsock_t *sock, bool curve)
{
    zsock_set_linger (sock, 0);
    zsock_set_sndhwm (sock, S_SOCKET_HWM);
    zsock_set_rcvhwm (sock, S_SOCKET_HWM);
    zsock_set_reconnect_ivl (sock, 100);
    zsock_set_reconnect_ivl_max (sock, 2000);
    zsock_set_maxmsgsize (sock, OA_MSG_PAYLOAD_MAX + 65536);
    const oa_config_t *config = self->config;
    //  Only the gateway links speak CURVE; the ledger is not a CURVE server
    if (curve && config->curve_server_key && *config->curve_server_key
    &&  config->curve_secret_key && *config->curve_secret_key) {
        zsock_set_curve_serverkey (sock, config->curve_server_key);
        zsock_set_curve_publickey (sock, config->curve_public_key);
        zsock_set_curve_secretkey (sock, config->curve_secret_key);
    }
}

//  Sends WORKER_READY to one gateway.
static void
s_send_ready (s_self_t *self, s_gateway_t *gateway)
{
    oa_msg_t *ready = oa_msg_new (OA_MSG_WORKER_READY);
    oa_msg_set_worker_id (ready, self->worker_id);
    oa_msg_set_capacity (ready, self->draining? 0: (uint32_t) self->config->worker_concurrency);
    oa_msg_set_software_version (ready, OA_VERSION);
    oa_msg_send (ready, gateway->dealer, OA_MSG_DONTWAIT);
    oa_msg_destroy (&ready);
}

//  Cancels every job of one gateway (-1: of all gateways).
static void
s_cancel_jobs (s_self_t *self, int gateway_index, const char *reason)
{
    zlistx_t *jobs = zhashx_values (self->jobs);
    for (wk_job_t *job = (wk_job_t *) zlistx_first (jobs); job;
         job = (wk_job_t *) zlistx_next (jobs))
        if (gateway_index < 0 || wk_job_gateway (job) == gateway_index)
            wk_job_cancel (job, reason);
    zlistx_destroy (&jobs);
}

//  A RELAY_END or RELAY_ERROR waiting for its USAGE to be durable.
typedef struct {
    int gateway;                        //  index into gateways
    zmsg_t *msg;                        //  frames as the job sent them
} s_held_t;

//  Sends a job's frames to a gateway DEALER without blocking.
static void
s_forward (s_self_t *self, int gateway_index, zmsg_t **msg_p)
{
    zsock_t *dealer = self->gateways [gateway_index].dealer;
    zmsg_t *msg = *msg_p;
    size_t left = zmsg_size (msg);
    zframe_t *frame;
    int rc = 0;
    while (rc == 0 && (frame = zmsg_pop (msg))) {
        left--;
        rc = zframe_send (&frame, dealer, (left? ZFRAME_MORE: 0) | ZFRAME_DONTWAIT);
        zframe_destroy (&frame);
    }
    if (rc)
        //  Gateway gone or full: it answers the client when it declares us dead
        oa_log_debug ("worker", "reply to gateway %d dropped: %s", gateway_index,
                      strerror (errno));
    zmsg_destroy (msg_p);
}

//  wk_spool's synced hook: every held last message's USAGE is durable.
static void
s_release_held (void *arg)
{
    s_self_t *self = (s_self_t *) arg;
    s_held_t *held;
    while ((held = (s_held_t *) zlist_pop (self->held))) {
        s_forward (self, held->gateway, &held->msg);
        free (held);
    }
}

//  Reader of a shim: HEAD/DATA go on, END/ERROR wait for the next sync.
static int
s_handle_shim (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    s_self_t *self = (s_self_t *) arg;
    int index = 0;
    while (index < self->gateway_count && self->gateways [index].shim_out != reader)
        index++;
    assert (index < self->gateway_count);
    static const oa_wire_limits_t limits = {
        OA_MSG_FRAME_MAX, OA_MSG_OBJECTS_MAX, OA_MSG_DEPTH_MAX, OA_MSG_VERSION_MIN,
        OA_MSG_VERSION
    };
    for (int count = 0; count < 1000 && (zsock_events (reader) & ZMQ_POLLIN); count++) {
        zmsg_t *msg = zmsg_recv (reader);       //  POLLIN: does not block
        if (!msg)
            break;
        zframe_t *body = zmsg_first (msg);
        oa_wire_header_t header = { 0 };
        bool last = body && oa_wire_peek (&limits, zframe_data (body), zframe_size (body),
                                          &header) == 0
                 && (header.id == OA_MSG_RELAY_END || header.id == OA_MSG_RELAY_ERROR);
        if (last) {
            s_held_t *held = (s_held_t *) zmalloc (sizeof (s_held_t));
            held->gateway = index;
            held->msg = msg;
            zlist_append (self->held, held);
        }
        else
            s_forward (self, index, &msg);
    }
    return 0;
}

//  Starts a job for a RELAY_REQUEST, or refuses it.
static void
s_relay_request (s_self_t *self, int gateway_index, oa_msg_t **msg_p)
{
    s_gateway_t *gateway = &self->gateways [gateway_index];
    wk_job_t *job = wk_job_new (&self->ctx, gateway->shim_in? gateway->shim_in: gateway->dealer,
                                gateway_index, msg_p);
    if (zhashx_insert (self->jobs, wk_job_key (job), job)) {
        //  Same corr_id twice from one gateway: answer it, keep the first
        oa_log_warn ("worker", "duplicate corr_id %s", wk_job_key (job));
        wk_job_destroy (&job);
        return;
    }
    const char *labels [] = { self->worker_id };
    oa_gauge_add (self->metrics.inflight, labels, 1);
    if (self->draining)
        wk_job_refuse (job, 503, "worker is draining", true);
    else
    if (zhashx_size (self->jobs) > (size_t) self->config->worker_concurrency)
        wk_job_refuse (job, 503, "worker at capacity", true);
    else
        wk_job_start (job);
}

//  Reader of one gateway DEALER: drains what is queued.
static int
s_handle_gateway (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    s_self_t *self = (s_self_t *) arg;
    int index = 0;
    while (index < self->gateway_count && self->gateways [index].dealer != reader)
        index++;
    assert (index < self->gateway_count);
    s_gateway_t *gateway = &self->gateways [index];
    for (int count = 0; count < 1000; count++) {
        int err = 0;
        oa_msg_t *msg = oa_msg_recv (zsock_resolve (reader), OA_MSG_DONTWAIT, &err);
        if (!msg) {
            if (err == OA_MSG_MALFORMED) {
                oa_log_warn ("worker", "malformed message from gateway %d dropped", index);
                continue;
            }
            break;
        }
        gateway->last_seen_ms = oa_clock_mono_ms ();
        if (!gateway->alive) {
            gateway->alive = true;
            s_send_ready (self, gateway);
        }
        switch (oa_msg_id (msg)) {
            case OA_MSG_RELAY_REQUEST:
                s_relay_request (self, index, &msg);
                break;
            case OA_MSG_RELAY_CANCEL: {
                char key [48];
                snprintf (key, sizeof key, "%d:%" PRIu64, index, oa_msg_corr_id (msg));
                wk_job_t *job = (wk_job_t *) zhashx_lookup (self->jobs, key);
                if (job)
                    wk_job_cancel (job, *oa_msg_reason (msg)? oa_msg_reason (msg): "cancelled");
                break;
            }
            case OA_MSG_HEARTBEAT:
                break;
            default:
                oa_log_debug ("worker", "ignored %s from gateway", oa_msg_command (msg));
        }
        oa_msg_destroy (&msg);
    }
    s_reap (self);
    return 0;
}

//  Reader of the ledger DEALER: USAGE_ACK drops settled USAGE from the journal.
static int
s_handle_ledger (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    s_self_t *self = (s_self_t *) arg;
    for (int count = 0; count < 1000; count++) {
        int err = 0;
        oa_msg_t *msg = oa_msg_recv (zsock_resolve (reader), OA_MSG_DONTWAIT, &err);
        if (!msg && err != OA_MSG_MALFORMED)
            break;
        if (msg && oa_msg_id (msg) == OA_MSG_USAGE_ACK && self->spool)
            wk_spool_ack (self->spool, msg);
        oa_msg_destroy (&msg);
    }
    return 0;
}

//  Every second: heartbeats to live gateways, WORKER_READY to the others.
static int
s_on_heartbeat (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_self_t *self = (s_self_t *) arg;
    for (int i = 0; i < self->gateway_count; i++) {
        s_gateway_t *gateway = &self->gateways [i];
        if (!gateway->alive) {
            s_send_ready (self, gateway);
            continue;
        }
        oa_msg_t *beat = oa_msg_new (OA_MSG_HEARTBEAT);
        oa_msg_set_sender_id (beat, self->worker_id);
        oa_msg_set_role (beat, OA_MSG_ROLE_WORKER);
        oa_msg_set_inflight (beat, (uint32_t) zhashx_size (self->jobs));
        oa_msg_set_ts_ms (beat, (uint64_t) oa_clock_ms ());
        oa_msg_set_state (beat, self->draining? OA_MSG_STATE_DRAINING: OA_MSG_STATE_READY);
        oa_msg_send (beat, gateway->dealer, OA_MSG_DONTWAIT);
        oa_msg_destroy (&beat);
    }
    s_reap (self);
    return 0;
}

//  Every S_TICK_MS: silent gateways, and the idle, first-byte and deadline
//  limits of every job.
static int
s_on_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_self_t *self = (s_self_t *) arg;
    int64_t now = oa_clock_mono_ms ();
    //  Checked here rather than on the heartbeat, to notice within 100 ms
    for (int i = 0; i < self->gateway_count; i++) {
        s_gateway_t *gateway = &self->gateways [i];
        if (gateway->alive && now - gateway->last_seen_ms >= S_PEER_DEAD_MS) {
            gateway->alive = false;
            oa_log_warn ("worker", "worker %d: gateway %d silent for %d ms; cancelling its "
                         "transfers", self->index, i, S_PEER_DEAD_MS);
            s_cancel_jobs (self, i, "gateway lost");
        }
    }
    //  Jobs leave the table as they finish: the walk only picks the jobs a
    //  limit caught (wk_job_tick_due changes nothing), which are then ticked
    //  (with 10,000 held streams a copy of the table every 100 ms showed)
    zlist_t *due = NULL;
    for (wk_job_t *job = (wk_job_t *) zhashx_first (self->jobs); job;
         job = (wk_job_t *) zhashx_next (self->jobs))
        if (wk_job_tick_due (job, now)) {
            if (!due)
                due = zlist_new ();
            zlist_append (due, job);
        }
    for (wk_job_t *job = due? (wk_job_t *) zlist_first (due): NULL; job;
         job = (wk_job_t *) zlist_next (due))
        wk_job_tick (job, now);
    zlist_destroy (&due);
    s_reap (self);
    return 0;
}

static int
s_handle_pipe (zloop_t *loop, zsock_t *pipe, void *arg)
{
    (void) loop;
    s_self_t *self = (s_self_t *) arg;
    char *command = oa_actor_pipe_command (pipe, NULL);
    if (!command)
        return 0;               //  a stray frame; $TERM is always a string
    int rc = 0;
    if (streq (command, OA_ACTOR_TERM))
        rc = -1;
    else
    if (streq (command, OA_ACTOR_STATUS)) {
        //  No gateway alive (none heard from within S_PEER_DEAD_MS): nothing
        //  can reach us, which the worker process's /readyz shows as degraded
        int alive = 0;
        for (int i = 0; i < self->gateway_count; i++)
            alive += self->gateways [i].alive;
        if (alive)
            zstr_send (pipe, "READY");
        else
            zstr_sendf (pipe, "DEGRADED no gateway reachable (0 of %d)", self->gateway_count);
    }
    else
    if (streq (command, OA_ACTOR_DRAIN)) {
        if (!self->draining) {
            self->draining = true;
            //  Credit 0: the gateways send nothing new
            for (int i = 0; i < self->gateway_count; i++) {
                oa_msg_t *credit = oa_msg_new (OA_MSG_WORKER_CREDIT);
                oa_msg_set_credit (credit, 0);
                oa_msg_send (credit, self->gateways [i].dealer, OA_MSG_DONTWAIT);
                oa_msg_destroy (&credit);
            }
        }
        s_reap (self);
    }
    else
        oa_log_warn ("worker", "unknown pipe command '%s'", command);
    zstr_free (&command);
    return rc;
}

static void
s_self_destroy (s_self_t **self_p)
{
    s_self_t *self = *self_p;
    if (!self)
        return;
    //  Shutdown still reports what was consumed (USAGE) for every job; no
    //  DRAINED goes up a pipe that is closing
    self->draining = false;
    if (self->jobs)
        s_cancel_jobs (self, -1, "worker shutting down");
    if (self->finished)
        s_reap (self);
    //  After the last USAGE: synced, sent, journal closed; the last
    //  messages still in the shims are released by that final sync
    for (int i = 0; i < self->gateway_count; i++)
        if (self->gateways [i].shim_out)
            s_handle_shim (self->loop, self->gateways [i].shim_out, self);
    wk_usage_set_spool (&self->ctx, NULL);
    wk_spool_destroy (&self->spool);
    if (self->held)
        s_release_held (self);
    zlist_destroy (&self->held);
    zhashx_destroy (&self->jobs);
    zlist_destroy (&self->finished);
    wk_loop_destroy (&self->ctx.curl);
    zloop_destroy (&self->loop);
    for (int i = 0; i < self->gateway_count; i++) {
        zsock_destroy (&self->gateways [i].dealer);
        zsock_destroy (&self->gateways [i].shim_in);
        zsock_destroy (&self->gateways [i].shim_out);
    }
    zsock_destroy (&self->ledger);
    free (self);
    *self_p = NULL;
}

static s_self_t *
s_self_new (zsock_t *pipe, const oa_worker_args_t *args)
{
    s_self_t *self = (s_self_t *) zmalloc (sizeof (s_self_t));
    self->pipe = pipe;
    self->config = args->config;
    self->index = args->index;
    char host [40] = "worker";
    gethostname (host, sizeof host - 1);
    snprintf (self->worker_id, sizeof self->worker_id, "%.40s:%d:%d", host, (int) getpid (),
              args->index);
    self->loop = zloop_new ();
    self->jobs = zhashx_new ();
    self->finished = zlist_new ();
    wk_metrics_init (&self->metrics);

    char *list = strdup (args->endpoints? args->endpoints: "");
    char *saveptr = NULL;
    for (char *endpoint = strtok_r (list, ", ", &saveptr); endpoint;
         endpoint = strtok_r (NULL, ", ", &saveptr)) {
        if (self->gateway_count == S_MAX_GATEWAYS) {
            oa_log_warn ("worker", "more than %d gateways; ignoring %s", S_MAX_GATEWAYS,
                         endpoint);
            continue;
        }
        zsock_t *dealer = zsock_new (ZMQ_DEALER);
        s_socket_setup (self, dealer, true);
        //  No queueing toward a gateway that is not there: sends fail fast
        zsock_set_immediate (dealer, 1);
        if (zsock_connect (dealer, "%s", endpoint)) {
            oa_log_error ("worker", "cannot connect to gateway %s", endpoint);
            zsock_destroy (&dealer);
            continue;
        }
        self->gateways [self->gateway_count++].dealer = dealer;
    }
    free (list);
    const char *ledger = self->config->ledger_endpoint;
    if (ledger && *ledger) {
        self->ledger = zsock_new (ZMQ_DEALER);
        s_socket_setup (self, self->ledger, false);
        if (zsock_connect (self->ledger, "%s", ledger)) {
            oa_log_error ("worker", "cannot connect to ledger %s", ledger);
            zsock_destroy (&self->ledger);
        }
    }
    self->ctx = (wk_ctx_t) {
        .config = self->config,
        .curl = wk_loop_new (self->loop, wk_job_transfer_done, s_reap, self),
        .ledger = self->ledger,
        .metrics = &self->metrics,
        .worker_id = self->worker_id,
        .body_cap = S_BODY_CAP,
        .event_cap = S_EVENT_CAP,
        .error_cap = S_ERROR_CAP,
        .connect_timeout_ms = S_CONNECT_TIMEOUT_MS,
        .on_finished = s_job_finished,
        .arg = self,
    };
    if (self->ledger) {
        self->spool = wk_spool_new (self->loop, self->ledger, self->config->spool_dir,
                                    args->index, self->config->journal_sync_ms,
                                    streq (self->config->journal_durability, "host")
                                    ? WK_SPOOL_HOST: WK_SPOOL_PROCESS);
        wk_usage_set_spool (&self->ctx, self->spool);
    }
    self->held = zlist_new ();
    if (self->spool && wk_spool_holds_replies (self->spool)) {
        wk_spool_set_synced (self->spool, s_release_held, self);
        for (int i = 0; i < self->gateway_count; i++) {
            s_gateway_t *gateway = &self->gateways [i];
            char endpoint [128];
            snprintf (endpoint, sizeof endpoint, "inproc://oa-worker-shim-%p-%d", (void *) self, i);
            gateway->shim_out = zsock_new (ZMQ_PAIR);
            gateway->shim_in = zsock_new (ZMQ_PAIR);
            assert (gateway->shim_out && gateway->shim_in);
            //  Unbounded: a job's send to the shim must never fail
            zsock_set_sndhwm (gateway->shim_in, 0);
            zsock_set_rcvhwm (gateway->shim_out, 0);
            zsock_set_linger (gateway->shim_in, 0);
            zsock_set_linger (gateway->shim_out, 0);
            int rc = zsock_bind (gateway->shim_out, "%s", endpoint);
            assert (rc == 0);
            rc = zsock_connect (gateway->shim_in, "%s", endpoint);
            assert (rc == 0);
        }
    }
    return self;
}


//  --------------------------------------------------------------------------
//  The worker actor

void
oa_worker_actor (zsock_t *pipe, void *args)
{
    oa_actor_set_name ("oa-worker");
    pthread_once (&s_curl_once, s_curl_init);
    s_self_t *self = s_self_new (pipe, (const oa_worker_args_t *) args);
    if (!self->ctx.curl) {
        //  No epoll or timer fd for curl (out of descriptors): cannot relay
        oa_log_error ("worker", "cannot start: no event loop for upstream transfers");
        s_self_destroy (&self);
        zsock_signal (pipe, OA_ACTOR_START_FAILED);
        return;
    }
    zloop_reader (self->loop, pipe, s_handle_pipe, self);
    for (int i = 0; i < self->gateway_count; i++) {
        zloop_reader (self->loop, self->gateways [i].dealer, s_handle_gateway, self);
        if (self->gateways [i].shim_out)
            zloop_reader (self->loop, self->gateways [i].shim_out, s_handle_shim, self);
        s_send_ready (self, &self->gateways [i]);
    }
    if (self->ledger)
        zloop_reader (self->loop, self->ledger, s_handle_ledger, self);
    zloop_timer (self->loop, S_HEARTBEAT_MS, 0, s_on_heartbeat, self);
    zloop_timer (self->loop, S_TICK_MS, 0, s_on_tick, self);
    zloop_set_nonstop (self->loop, true);
    zsock_signal (pipe, 0);
    oa_log_info ("worker", "worker %s started with %d gateway link(s)", self->worker_id,
                 self->gateway_count);
    zloop_start (self->loop);
    s_self_destroy (&self);
}
