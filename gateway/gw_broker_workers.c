/*  =========================================================================
    gw_broker_workers - the broker's table of relay workers

    Workers are found by the routing id of their connection (the index) and
    kept in a list, least recently chosen first, so that dispatch among
    equally loaded workers goes round-robin.  Dispatch is by credit: a
    worker takes a request only while inflight < capacity, and the least
    loaded (smallest inflight / capacity) goes first.  Liveness: a worker
    that a send found unreachable, or that has been silent for the
    liveness interval, is reported dead by gw_broker_workers_dead; the
    broker decides what becomes of its requests.
    =========================================================================
*/
#include "gw_broker_private.h"

#include "oa_ids.h"
#include "oa_log.h"

#define S_COMPONENT "broker"

struct _gw_broker_workers_t {
    zlistx_t *list;             //  gw_broker_worker_t, owned; least recently chosen first
    zhashx_t *index;            //  routing id hex -> worker, borrowed
    uint64_t round;             //  dispatch rounds, to mark tried workers
};

static void
s_worker_destroy (void **item_p)
{
    gw_broker_worker_t *worker = (gw_broker_worker_t *) *item_p;
    if (worker) {
        free (worker->key);
        free (worker->worker_id);
        zframe_destroy (&worker->routing_id);
        free (worker);
        *item_p = NULL;
    }
}

gw_broker_workers_t *
gw_broker_workers_new (void)
{
    gw_broker_workers_t *self = (gw_broker_workers_t *) zmalloc (sizeof (gw_broker_workers_t));
    self->list = zlistx_new ();
    zlistx_set_destructor (self->list, s_worker_destroy);
    self->index = zhashx_new ();
    return self;
}

void
gw_broker_workers_destroy (gw_broker_workers_t **self_p)
{
    assert (self_p);
    gw_broker_workers_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->index);
        zlistx_destroy (&self->list);
        free (self);
        *self_p = NULL;
    }
}

size_t
gw_broker_workers_size (gw_broker_workers_t *self)
{
    assert (self);
    return zlistx_size (self->list);
}

void
gw_broker_workers_credit (gw_broker_workers_t *self, uint64_t *capacity, uint64_t *free_slots)
{
    assert (self);
    *capacity = *free_slots = 0;
    for (gw_broker_worker_t *w = (gw_broker_worker_t *) zlistx_first (self->list); w;
         w = (gw_broker_worker_t *) zlistx_next (self->list)) {
        *capacity += w->capacity;
        *free_slots += w->inflight < w->capacity? w->capacity - w->inflight: 0;
    }
}

gw_broker_worker_t *
gw_broker_workers_of (gw_broker_workers_t *self, gw_broker_frames_t *frames, char **key_p)
{
    assert (self);
    zframe_t *routing_id = zframe_new (zmq_msg_data (&frames->routing),
                                       zmq_msg_size (&frames->routing));
    char *key = zframe_strhex (routing_id);
    zframe_destroy (&routing_id);
    gw_broker_worker_t *worker = (gw_broker_worker_t *) zhashx_lookup (self->index, key);
    if (key_p)
        *key_p = key;
    else
        free (key);
    return worker;
}

gw_broker_worker_t *
gw_broker_workers_named (gw_broker_workers_t *self, const char *worker_id)
{
    assert (self);
    if (*worker_id)
        for (gw_broker_worker_t *w = (gw_broker_worker_t *) zlistx_first (self->list); w;
             w = (gw_broker_worker_t *) zlistx_next (self->list))
            if (streq (w->worker_id, worker_id))
                return w;
    return NULL;
}

gw_broker_worker_t *
gw_broker_workers_add (gw_broker_workers_t *self, const char *key, zframe_t *routing_id,
                       const char *worker_id, uint32_t capacity)
{
    assert (self);
    gw_broker_worker_t *worker = (gw_broker_worker_t *) zmalloc (sizeof (gw_broker_worker_t));
    worker->key = strdup (key);
    worker->routing_id = zframe_dup (routing_id);
    worker->worker_id = strdup (worker_id);
    worker->capacity = capacity;
    worker->last_seen = oa_clock_mono_ms ();
    worker->handle = zlistx_add_start (self->list, worker);
    zhashx_insert (self->index, worker->key, worker);
    return worker;
}

void
gw_broker_workers_remove (gw_broker_workers_t *self, gw_broker_worker_t *worker)
{
    assert (self);
    zhashx_delete (self->index, worker->key);
    zlistx_delete (self->list, worker->handle);     //  destroys it
}

//  Picks the least loaded worker with credit not yet tried this round;
//  among equals, the one chosen longest ago (the list's order).
static gw_broker_worker_t *
s_pick (gw_broker_workers_t *self)
{
    gw_broker_worker_t *best = NULL;
    for (gw_broker_worker_t *w = (gw_broker_worker_t *) zlistx_first (self->list); w;
         w = (gw_broker_worker_t *) zlistx_next (self->list)) {
        if (w->gone || w->tried == self->round || w->inflight >= w->capacity)
            continue;
        if (!best
        ||  (uint64_t) w->inflight * best->capacity < (uint64_t) best->inflight * w->capacity)
            best = w;
    }
    return best;
}

gw_broker_worker_t *
gw_broker_workers_dispatch (gw_broker_workers_t *self, void *backend, zmq_msg_t *body,
                            zmq_msg_t *payload)
{
    assert (self);
    self->round++;
    gw_broker_worker_t *worker;
    while ((worker = s_pick (self))) {
        worker->tried = self->round;
        //  A copy shares the bytes: the request stays with the caller for a resend
        if (gw_broker_frames_send (backend, worker->routing_id, body, payload, true) == 0) {
            worker->inflight++;
            zlistx_move_end (self->list, worker->handle);
            return worker;
        }
        if (errno == EHOSTUNREACH) {
            worker->gone = true;        //  reaped by the next tick
            oa_log_warn (S_COMPONENT, "worker %s vanished", worker->worker_id);
        }
        else
            oa_log_warn (S_COMPONENT, "cannot send to worker %s: %s", worker->worker_id,
                         strerror (errno));
    }
    return NULL;
}

void
gw_broker_workers_heartbeat (gw_broker_workers_t *self, zsock_t *backend,
                             const char *sender_id, bool draining)
{
    assert (self);
    oa_msg_t *beat = oa_msg_new (OA_MSG_HEARTBEAT);
    assert (beat);
    oa_msg_set_sender_id (beat, sender_id);
    oa_msg_set_role (beat, OA_MSG_ROLE_GATEWAY);
    oa_msg_set_ts_ms (beat, (uint64_t) oa_clock_ms ());
    oa_msg_set_state (beat, draining? OA_MSG_STATE_DRAINING: OA_MSG_STATE_READY);
    for (gw_broker_worker_t *w = (gw_broker_worker_t *) zlistx_first (self->list); w;
         w = (gw_broker_worker_t *) zlistx_next (self->list)) {
        oa_msg_set_inflight (beat, w->inflight);
        oa_msg_set_routing_id (beat, w->routing_id);
        if (oa_msg_send (beat, backend, OA_MSG_DONTWAIT) && errno == EHOSTUNREACH)
            w->gone = true;
    }
    oa_msg_destroy (&beat);
}

zlist_t *
gw_broker_workers_dead (gw_broker_workers_t *self, int64_t now, int liveness_ms)
{
    assert (self);
    zlist_t *dead = zlist_new ();
    for (gw_broker_worker_t *w = (gw_broker_worker_t *) zlistx_first (self->list); w;
         w = (gw_broker_worker_t *) zlistx_next (self->list))
        if (w->gone || now - w->last_seen > liveness_ms)
            zlist_append (dead, w);
    return dead;
}
