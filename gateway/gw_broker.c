/*  =========================================================================
    gw_broker - the gateway's relay dispatcher: loop threads <-> workers

    Owns: the frontend ROUTER (inproc, the loop threads' DEALERs), the
    backend ROUTER (ONEAPI_GATEWAY_BIND, the workers' DEALERs), the ZAP
    handler when CURVE is on, the table of requests in flight (corr_id ->
    thread, worker, state, request copy) and the table of live workers.
    Accepts on its pipe: STATUS, DRAIN, WORKERS, INFLIGHT, ENDPOINT, STATS,
    $TERM.  The contract is in gw_broker.h; the conversation in
    proto/RELAY.md; the worker table (registration, choice by credit,
    heartbeats, liveness) in gw_broker_workers.c; socket set-up, CURVE and
    ZAP in gw_broker_sockets.c.

    Invariants (checked by the self test):
    - a request holds one slot of its worker's credit from dispatch until
      the worker's RELAY_END/ERROR, the worker's death, or the cancel grace
      running out; so worker->inflight is the number of table entries
      whose worker it is;
    - the thread gets exactly one terminal message per accepted request;
      `answered` is set once it has (or once it cannot be reached), and no
      later reply for that corr_id goes to it;
    - the request copy lives until the first reply: only requests without
      one (nothing reached the client) are re-dispatched.
    Relay traffic (RELAY_REQUEST from threads; HEAD, DATA, END, ERROR from
    workers) goes through as raw frames: the broker checks and reads the
    envelope only (version, id, corr_id, deadline) and never re-encodes,
    because the receiver decodes the body anyway.  Control messages and
    cancels, which the broker acts on, are decoded in full.
    =========================================================================
*/
#include "gw_broker_private.h"

#include "oa_actor.h"
#include "oa_health.h"
#include "oa_ids.h"
#include "oa_log.h"
#include "oa_metrics.h"
#include "oa_msg.h"
#include "oa_wire.h"

#define S_COMPONENT "broker"
#define S_TICK_MS GW_BROKER_TICK_MS
#define S_BATCH 256                     //  messages read per wake-up, per socket
#define S_CANCEL_GRACE_MS 2000          //  wait for a worker's END after our cancel
#define S_HEARTBEAT_MS 1000
#define S_LIVENESS_MS 3000


typedef struct _gw_broker_t self_t;
typedef gw_broker_request_t s_request_t;


//  --------------------------------------------------------------------------
//  Tables

size_t
gw_broker_corr_hash (const void *key)
{
    uint64_t x = *(const uint64_t *) key;
    x ^= x >> 33;                       //  splitmix-style finaliser
    x *= UINT64_C (0xff51afd7ed558ccd);
    x ^= x >> 33;
    return (size_t) x;
}

int
gw_broker_corr_compare (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y? -1: x > y? 1: 0;
}

//  Drops the request copy: after the first reply it is never resent.
static void
s_request_drop_copy (s_request_t *req)
{
    if (req->has_request) {
        zmq_msg_close (&req->body);
        if (req->has_payload)
            zmq_msg_close (&req->payload);
        req->has_request = req->has_payload = false;
    }
}

void
gw_broker_request_destroy (void **item_p)
{
    s_request_t *req = (s_request_t *) *item_p;
    if (req) {
        zframe_destroy (&req->thread);
        s_request_drop_copy (req);
        free (req);
        *item_p = NULL;
    }
}

//  Counts an event in the STATS counters and in the metrics
static void
s_bump (size_t *counter, oa_metric_t *metric, const char *label)
{
    (*counter)++;
    const char *values [] = { label };
    oa_counter_add (metric, label? values: NULL, 1);
}

//  Reports the live workers, their credit and their free slots to metrics.
static void
s_credit_report (self_t *self)
{
    uint64_t capacity, free_slots;
    gw_broker_workers_credit (self->workers, &capacity, &free_slots);
    gw_broker_metrics_workers (&self->m, gw_broker_workers_size (self->workers), capacity,
                               free_slots);
}

//  Reports the number of live workers to metrics and health.
void
gw_broker_workers_changed (self_t *self)
{
    size_t live = gw_broker_workers_size (self->workers);
    s_credit_report (self);
    int state = live? OA_HEALTH_READY: OA_HEALTH_DEGRADED;
    if (state != self->health) {
        oa_health_set ("workers", state, live? NULL: "no relay worker");
        self->health = state;
    }
}

void
gw_broker_check_drained (self_t *self)
{
    if (self->draining && !self->drained_sent && zhashx_size (self->requests) == 0) {
        if (self->pipe)
            oa_actor_drained (self->pipe);
        self->drained_sent = true;
    }
}

//  Drops a request from the table, freeing its worker's slot.
static void
s_request_remove (self_t *self, s_request_t *req)
{
    if (req->worker && req->worker->inflight > 0)
        req->worker->inflight--;
    zhashx_delete (self->requests, &req->corr_id);
    oa_gauge_set (self->m.inflight, NULL, (double) zhashx_size (self->requests));
    gw_broker_check_drained (self);
}

static void
s_watch_deadline (self_t *self, int64_t deadline)
{
    if (deadline > 0 && deadline < self->next_deadline)
        self->next_deadline = deadline;
}


//  --------------------------------------------------------------------------
//  Sending

//  True for the host thread's own requests (gw_broker_submit): their
//  "routing id" is empty, which no ROUTER peer has.
static bool
s_local (zframe_t *thread)
{
    return zframe_size (thread) == 0;
}

//  Sends msg to the thread that sent req; 0 or -1 (thread gone or full).
static int
s_send_thread (self_t *self, oa_msg_t *msg, zframe_t *thread)
{
    if (s_local (thread) && self->local_fn) {
        oa_msg_t *copy = oa_msg_dup (msg);
        if (copy) {
            self->local_fn (self->local_arg, copy);
            return 0;
        }
    }
    else
    if (!s_local (thread)) {
        oa_msg_set_routing_id (msg, thread);
        if (oa_msg_send (msg, self->frontend, OA_MSG_DONTWAIT) == 0)
            return 0;
    }
    s_bump (&self->stats.thread_unreachable, self->m.dropped, "thread_unreachable");
    oa_log_warn (S_COMPONENT, "cannot reach loop thread for corr_id %" PRIu64 ": %s",
                 oa_msg_corr_id (msg), strerror (errno));
    return -1;
}

//  Answers a request that is not (or no longer) in the table.
static void
s_reject (self_t *self, uint64_t corr_id, zframe_t *thread, int status, const char *type,
          const char *code, const char *message, const char *result)
{
    oa_msg_t *error = gw_broker_error_new (corr_id, status, type, code, message, false);
    s_send_thread (self, error, thread);
    oa_msg_destroy (&error);
    s_bump (&self->stats.rejected, self->m.dispatch, result);
}

//  Ends a request for its thread with a broker-made error; marks it answered.
static void
s_answer (self_t *self, s_request_t *req, int status, const char *type, const char *code,
          const char *message)
{
    if (req->answered)
        return;
    oa_msg_t *error = gw_broker_error_new (req->corr_id, status, type, code, message,
                                           req->head_seen);
    s_send_thread (self, error, req->thread);
    oa_msg_destroy (&error);
    req->answered = true;
}

static void
s_send_cancel (self_t *self, s_request_t *req, const char *reason)
{
    if (!req->worker || req->cancelled)
        return;
    oa_msg_t *cancel = oa_msg_new (OA_MSG_RELAY_CANCEL);
    assert (cancel);
    oa_msg_set_corr_id (cancel, req->corr_id);
    oa_msg_set_reason (cancel, reason);
    oa_msg_set_routing_id (cancel, req->worker->routing_id);
    if (oa_msg_send (cancel, self->backend, OA_MSG_DONTWAIT) && errno == EHOSTUNREACH)
        req->worker->gone = true;
    oa_msg_destroy (&cancel);
    req->cancelled = true;
    //  The worker must still end it; give it a bounded time to do so
    int64_t grace = oa_clock_ms () + S_CANCEL_GRACE_MS;
    if (req->deadline == 0 || req->deadline > grace)
        req->deadline = grace;
    s_watch_deadline (self, req->deadline);
}

//  Sends req's copy to a worker; 0 if one took it, -1 if none could.
static int
s_dispatch (self_t *self, s_request_t *req)
{
    assert (req->has_request && !req->worker);
    req->worker = gw_broker_workers_dispatch (self->workers, self->backend_handle, &req->body,
                                              req->has_payload? &req->payload: NULL);
    return req->worker? 0: -1;
}


//  --------------------------------------------------------------------------
//  Workers

//  Forgets a worker: requests that reached no client go to another worker,
//  the others end with the "worker lost" error.
static void
s_worker_lost (self_t *self, gw_broker_worker_t *worker, const char *why)
{
    oa_log_warn (S_COMPONENT, "worker %s lost (%s) with %u request(s) in flight",
                 worker->worker_id, why, worker->inflight);
    s_bump (&self->stats.worker_deaths, self->m.deaths, NULL);
    zlist_t *orphans = zlist_new ();
    for (s_request_t *req = (s_request_t *) zhashx_first (self->requests); req;
         req = (s_request_t *) zhashx_next (self->requests))
        if (req->worker == worker)
            zlist_append (orphans, req);
    gw_broker_workers_remove (self->workers, worker);
    gw_broker_workers_changed (self);

    for (s_request_t *req = (s_request_t *) zlist_first (orphans); req;
         req = (s_request_t *) zlist_next (orphans)) {
        req->worker = NULL;             //  its slot died with the worker
        if (req->answered)
            s_request_remove (self, req);
        else
        if (req->has_request && !req->cancelled) {
            if (s_dispatch (self, req) == 0) {
                s_bump (&self->stats.redispatched, self->m.redispatch, NULL);
            }
            else {
                s_bump (&self->stats.no_worker, self->m.dispatch, "no_worker");
                s_answer (self, req, 503, "one_api_error", "no_available_worker",
                          "No relay worker available");
                s_request_remove (self, req);
            }
        }
        else {
            s_answer (self, req, 502, "upstream_error", "relay_worker_lost",
                      "relay worker lost");
            s_request_remove (self, req);
        }
    }
    zlist_destroy (&orphans);
}

static void
s_on_ready (self_t *self, oa_msg_t *msg, const char *key, gw_broker_worker_t *worker)
{
    const char *worker_id = oa_msg_worker_id (msg);
    if (worker) {
        if (strneq (worker->worker_id, worker_id)) {
            free (worker->worker_id);
            worker->worker_id = strdup (worker_id);
        }
        worker->capacity = oa_msg_capacity (msg);
        return;
    }
    gw_broker_worker_t *previous = gw_broker_workers_named (self->workers, worker_id);
    worker = gw_broker_workers_add (self->workers, key, oa_msg_routing_id (msg), worker_id,
                                    oa_msg_capacity (msg));
    oa_log_info (S_COMPONENT, "worker %s ready, capacity %u, version %s", worker_id,
                 worker->capacity, oa_msg_software_version (msg));
    //  A new connection under a known name is that worker restarted: its
    //  old transfers are gone; the new entry may take them over
    if (previous)
        s_worker_lost (self, previous, "restarted");
    gw_broker_workers_changed (self);
}


//  --------------------------------------------------------------------------
//  Requests from threads

//  Places a RELAY_REQUEST (frames, envelope already read); takes the body
//  and payload frames when it keeps the request.
void
gw_broker_on_request (self_t *self, gw_broker_frames_t *frames, const oa_wire_header_t *header)
{
    uint64_t corr_id = header->corr_id;
    int64_t deadline = (int64_t) header->deadline;
    zframe_t *thread = zframe_new (zmq_msg_data (&frames->routing),
                                   zmq_msg_size (&frames->routing));
    bool rejected = true;
    if (corr_id == 0)
        s_reject (self, corr_id, thread, 500, "one_api_error", "invalid_corr_id",
                  "correlation id 0 is invalid", "invalid");
    else
    if (self->draining)
        s_reject (self, corr_id, thread, 503, "one_api_error", "gateway_draining",
                  "The gateway is shutting down", "draining");
    else
    if (zhashx_lookup (self->requests, &corr_id))
        s_reject (self, corr_id, thread, 500, "one_api_error", "duplicate_corr_id",
                  "duplicate correlation id", "duplicate");
    else
    if (deadline > 0 && deadline <= oa_clock_ms ())
        s_reject (self, corr_id, thread, 504, "one_api_error", "request_timeout",
                  "The request timed out", "expired");
    else
        rejected = false;
    if (rejected) {
        zframe_destroy (&thread);
        return;
    }
    s_request_t *req = (s_request_t *) zmalloc (sizeof (s_request_t));
    req->corr_id = corr_id;
    req->thread = thread;
    req->deadline = deadline;
    zmq_msg_init (&req->body);
    zmq_msg_move (&req->body, &frames->body);
    if (frames->has_payload) {
        zmq_msg_init (&req->payload);
        zmq_msg_move (&req->payload, &frames->payload);
        req->has_payload = true;
    }
    req->has_request = true;
    int rc = zhashx_insert (self->requests, &req->corr_id, req);
    assert (rc == 0);
    if (s_dispatch (self, req) == 0) {
        s_bump (&self->stats.dispatched, self->m.dispatch, "ok");
        s_watch_deadline (self, req->deadline);
        oa_gauge_set (self->m.inflight, NULL, (double) zhashx_size (self->requests));
    }
    else {
        s_bump (&self->stats.no_worker, self->m.dispatch, "no_worker");
        s_answer (self, req, 503, "one_api_error", "no_available_worker",
                  "No relay worker available");
        s_request_remove (self, req);
    }
}

void
gw_broker_on_cancel (self_t *self, oa_msg_t *msg)
{
    uint64_t corr_id = oa_msg_corr_id (msg);
    s_request_t *req = (s_request_t *) zhashx_lookup (self->requests, &corr_id);
    if (!req || !zframe_eq (req->thread, oa_msg_routing_id (msg)) || req->answered)
        return;                         //  finished already, or not this thread's
    if (req->worker)
        s_send_cancel (self, req, *oa_msg_reason (msg)? oa_msg_reason (msg): "client gone");
    else {
        req->answered = true;           //  not placed: nothing to stop
        s_request_remove (self, req);
    }
}

void
gw_broker_handle_frontend (self_t *self)
{
    for (int i = 0; i < S_BATCH; i++) {
        gw_broker_frames_t frames;
        oa_wire_header_t header;
        int rc = gw_broker_frames_recv_header (self->frontend_handle, &frames, &header);
        if (rc < 0)
            break;
        if (rc > 0) {
            s_bump (&self->stats.malformed_frontend, self->m.dropped, "malformed");
            continue;
        }
        if (header.id == OA_MSG_RELAY_REQUEST)
            gw_broker_on_request (self, &frames, &header);
        else
        if (header.id == OA_MSG_RELAY_CANCEL) {
            oa_msg_t *msg = gw_broker_frames_decode (&frames, NULL);
            if (msg)
                gw_broker_on_cancel (self, msg);
            else
                s_bump (&self->stats.malformed_frontend, self->m.dropped, "malformed");
            oa_msg_destroy (&msg);
        }
        else
            s_bump (&self->stats.malformed_frontend, self->m.dropped, "unexpected");
        gw_broker_frames_close (&frames);
    }
}


//  --------------------------------------------------------------------------
//  Replies and control from workers

//  Forwards a worker's reply to a loop thread as it came, or, for the host
//  thread's own request, decoded to its local_fn.  0, or -1 if it cannot.
static int
s_forward (self_t *self, zframe_t *thread, gw_broker_frames_t *frames)
{
    if (!s_local (thread))
        return gw_broker_frames_send (self->frontend_handle, thread, &frames->body,
                                      frames->has_payload? &frames->payload: NULL, false);
    if (!self->local_fn) {
        errno = EHOSTUNREACH;
        return -1;
    }
    oa_msg_t *msg = oa_msg_decode_body (zmq_msg_data (&frames->body),
                                        zmq_msg_size (&frames->body), NULL);
    if (!msg) {
        errno = EPROTO;
        return -1;
    }
    if (frames->has_payload)
        oa_msg_set_payload_bytes (msg, zmq_msg_data (&frames->payload),
                                  zmq_msg_size (&frames->payload));
    self->local_fn (self->local_arg, msg);
    return 0;
}

//  A HEAD, DATA, END or ERROR: forwarded to the thread as it came.
static void
s_on_reply (self_t *self, gw_broker_frames_t *frames, const oa_wire_header_t *header,
            int64_t *now)
{
    uint64_t corr_id = header->corr_id;
    s_request_t *req = (s_request_t *) zhashx_lookup (self->requests, &corr_id);
    //  The request's own worker is the one to expect: no table lookup then
    gw_broker_worker_t *worker = req && req->worker
                         && gw_broker_frames_from (frames, req->worker->routing_id)
        ? req->worker: gw_broker_workers_of (self->workers, frames, NULL);
    if (worker) {
        if (*now == 0)
            *now = oa_clock_mono_ms ();     //  once per batch
        worker->last_seen = *now;
    }
    if (!req) {
        s_bump (&self->stats.dropped_unknown, self->m.dropped, "unknown_corr");
        return;
    }
    if (!worker || req->worker != worker) {
        s_bump (&self->stats.dropped_stale, self->m.dropped, "stale");
        return;
    }
    int id = (int) header->id;
    bool final = id == OA_MSG_RELAY_END || id == OA_MSG_RELAY_ERROR;
    s_request_drop_copy (req);          //  answered: never re-dispatched now
    if (!req->answered) {
        if (id == OA_MSG_RELAY_HEAD || id == OA_MSG_RELAY_DATA)
            req->head_seen = true;
        if (s_forward (self, req->thread, frames) == 0)
            req->answered = final;
        else {
            s_bump (&self->stats.thread_unreachable, self->m.dropped, "thread_unreachable");
            oa_log_warn (S_COMPONENT, "cannot reach loop thread for corr_id %" PRIu64 ": %s",
                         corr_id, strerror (errno));
            req->answered = true;       //  the thread will time out on its own
            if (!final)
                s_send_cancel (self, req, "gateway thread unreachable");
        }
    }
    if (final)
        s_request_remove (self, req);
}

//  A message the broker reads: decoded in full.
static void
s_on_control (self_t *self, gw_broker_frames_t *frames)
{
    oa_msg_t *msg = gw_broker_frames_decode (frames, NULL);
    if (!msg) {
        s_bump (&self->stats.malformed_backend, self->m.dropped, "malformed");
        return;
    }
    char *key;
    gw_broker_worker_t *worker = gw_broker_workers_of (self->workers, frames, &key);
    if (worker)
        worker->last_seen = oa_clock_mono_ms ();
    switch (oa_msg_id (msg)) {
        case OA_MSG_WORKER_READY:
            s_on_ready (self, msg, key, worker);
            break;
        case OA_MSG_WORKER_CREDIT:
            if (worker)
                worker->capacity = oa_msg_credit (msg);
            else
                s_bump (&self->stats.dropped_peer, self->m.dropped, "unknown_peer");
            break;
        case OA_MSG_HEARTBEAT:
            if (!worker)
                s_bump (&self->stats.dropped_peer, self->m.dropped, "unknown_peer");
            break;
        default:
            s_bump (&self->stats.malformed_backend, self->m.dropped, "unexpected");
    }
    free (key);
    oa_msg_destroy (&msg);
}

void
gw_broker_handle_backend (self_t *self)
{
    int64_t now = 0;                    //  monotonic ms, read when first needed
    for (int i = 0; i < S_BATCH; i++) {
        gw_broker_frames_t frames;
        oa_wire_header_t header;
        int rc = gw_broker_frames_recv_header (self->backend_handle, &frames, &header);
        if (rc < 0)
            break;
        if (rc > 0) {
            s_bump (&self->stats.malformed_backend, self->m.dropped, "malformed");
            continue;
        }
        switch (header.id) {
            case OA_MSG_RELAY_HEAD:
            case OA_MSG_RELAY_DATA:
            case OA_MSG_RELAY_END:
            case OA_MSG_RELAY_ERROR:
                s_on_reply (self, &frames, &header, &now);
                break;
            default:
                s_on_control (self, &frames);
        }
        gw_broker_frames_close (&frames);
    }
}

void
gw_broker_handle_zap (self_t *self)
{
    gw_broker_zap_handle (self->zap);
}


//  --------------------------------------------------------------------------
//  Timer: dead workers, heartbeats, deadlines

static void
s_expire (self_t *self, s_request_t *req)
{
    if (req->answered) {
        //  Our cancel's grace ran out and the worker never ended it
        s_bump (&self->stats.abandoned, self->m.dropped, "abandoned");
        oa_log_warn (S_COMPONENT, "worker %s never ended cancelled corr_id %" PRIu64,
                     req->worker? req->worker->worker_id: "-", req->corr_id);
        s_request_remove (self, req);
        return;
    }
    s_bump (&self->stats.timeouts, self->m.dispatch, "timeout");
    s_send_cancel (self, req, "deadline exceeded");
    s_answer (self, req, 504, "one_api_error", "request_timeout", "The request timed out");
    if (req->worker) {
        //  Keep the slot until the worker ends it, for a bounded time
        req->deadline = oa_clock_ms () + S_CANCEL_GRACE_MS;
        s_watch_deadline (self, req->deadline);
    }
    else
        s_request_remove (self, req);
}

static void
s_check_deadlines (self_t *self)
{
    int64_t now = oa_clock_ms ();
    if (now < self->next_deadline)
        return;
    self->next_deadline = INT64_MAX;
    zlist_t *expired = zlist_new ();
    for (s_request_t *req = (s_request_t *) zhashx_first (self->requests); req;
         req = (s_request_t *) zhashx_next (self->requests))
        if (req->deadline > 0 && req->deadline <= now)
            zlist_append (expired, req);
        else
            s_watch_deadline (self, req->deadline);
    for (s_request_t *req = (s_request_t *) zlist_first (expired); req;
         req = (s_request_t *) zlist_next (expired))
        s_expire (self, req);
    zlist_destroy (&expired);
}

void
gw_broker_handle_tick (self_t *self)
{
    int64_t now = oa_clock_mono_ms ();
    zlist_t *dead = gw_broker_workers_dead (self->workers, now, self->liveness_ms);
    for (gw_broker_worker_t *w = (gw_broker_worker_t *) zlist_first (dead); w;
         w = (gw_broker_worker_t *) zlist_next (dead))
        s_worker_lost (self, w, w->gone? "unreachable": "silent");
    zlist_destroy (&dead);
    if (now >= self->next_heartbeat) {
        gw_broker_workers_heartbeat (self->workers, self->backend, self->name,
                                     self->draining);
        self->next_heartbeat = now + self->heartbeat_ms;
    }
    s_check_deadlines (self);
    s_credit_report (self);
}
