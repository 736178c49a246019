/*  =========================================================================
    gw_broker_life - the broker's life cycle, pump, pipe commands and the
    host thread's own requests (gw_broker.h); the request table and the
    message handling are gw_broker.c's
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
#define S_HEARTBEAT_MS 1000
#define S_LIVENESS_MS 3000

typedef struct _gw_broker_t self_t;

//  --------------------------------------------------------------------------
//  Pipe (the actor's, gw_broker_actor.c)

int
gw_broker_pipe_command (gw_broker_t *self, zsock_t *pipe)
{
    char *command = oa_actor_pipe_command (pipe, NULL);
    if (!command)
        return 0;                       //  a stray signal; $TERM always comes as text
    self->pipe = pipe;                  //  where DRAINED goes
    int rc = 0;
    if (streq (command, OA_ACTOR_TERM))
        rc = -1;
    else
    if (streq (command, OA_ACTOR_STATUS))
        zstr_send (pipe, gw_broker_workers_size (self->workers)? "READY": "DEGRADED no workers");
    else
    if (streq (command, OA_ACTOR_DRAIN)) {
        if (!self->draining)
            oa_log_info (S_COMPONENT, "draining with %zu request(s) in flight",
                         zhashx_size (self->requests));
        self->draining = true;
        gw_broker_check_drained (self);
    }
    else
    if (streq (command, "WORKERS"))
        zstr_sendf (pipe, "%zu", gw_broker_workers_size (self->workers));
    else
    if (streq (command, "INFLIGHT"))
        zstr_sendf (pipe, "%zu", zhashx_size (self->requests));
    else
    if (streq (command, "ENDPOINT"))
        zstr_send (pipe, self->endpoint);
    else
    if (streq (command, "STATS"))
        gw_broker_stats_send (&self->stats, self->zap, pipe);
    else
        oa_log_warn (S_COMPONENT, "unknown pipe command '%s'", command);
    zstr_free (&command);
    return rc;
}


//  --------------------------------------------------------------------------
//  Life cycle

void
gw_broker_destroy (gw_broker_t **self_p)
{
    assert (self_p);
    self_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->requests);
    gw_broker_workers_destroy (&self->workers);
    zsock_destroy (&self->frontend);
    zsock_destroy (&self->backend);
    gw_broker_zap_destroy (&self->zap);
    free (self->endpoint);
    if (self->health >= 0) {
        oa_health_clear ("workers");
        gw_broker_metrics_workers (&self->m, 0, 0, 0);
        oa_gauge_set (self->m.inflight, NULL, 0);
    }
    free (self);
    *self_p = NULL;
}

gw_broker_t *
gw_broker_new (const gw_broker_args_t *args, char *err, size_t err_size)
{
    assert (args);
    self_t *self = (self_t *) zmalloc (sizeof (self_t));
    self->health = -1;
    self->heartbeat_ms = args->heartbeat_ms > 0? args->heartbeat_ms: S_HEARTBEAT_MS;
    self->liveness_ms = args->liveness_ms > 0? args->liveness_ms: S_LIVENESS_MS;
    self->next_deadline = INT64_MAX;
    if (args->name)
        snprintf (self->name, sizeof self->name, "%s", args->name);
    else {
        char host [64] = "localhost";
        gethostname (host, sizeof host - 1);
        snprintf (self->name, sizeof self->name, "gateway-%.40s-%d", host, (int) getpid ());
    }
    self->requests = zhashx_new ();
    zhashx_set_key_hasher (self->requests, gw_broker_corr_hash);
    zhashx_set_key_comparator (self->requests, gw_broker_corr_compare);
    zhashx_set_key_duplicator (self->requests, NULL);
    zhashx_set_key_destructor (self->requests, NULL);
    zhashx_set_destructor (self->requests, gw_broker_request_destroy);
    self->workers = gw_broker_workers_new ();

    gw_broker_metrics_init (&self->m);

    const oa_config_t *config = args->config;
    const char *backend = args->backend? args->backend: config? config->gateway_bind: NULL;
    if (!args->frontend || !backend || !*backend) {
        snprintf (err, err_size, "broker needs a frontend and a backend endpoint");
        gw_broker_destroy (&self);
        return NULL;
    }
    self->frontend = gw_broker_router_new (args->frontend, err, err_size);
    if (self->frontend)
        self->backend = gw_broker_backend_new (config, backend, &self->zap, err, err_size);
    if (!self->backend) {
        gw_broker_destroy (&self);
        return NULL;
    }
    self->endpoint = strdup (zsock_endpoint (self->backend));
    self->frontend_handle = zsock_resolve (self->frontend);
    self->backend_handle = zsock_resolve (self->backend);
    int64_t now = oa_clock_mono_ms ();
    self->next_heartbeat = now + self->heartbeat_ms;
    self->next_tick = now + S_TICK_MS;
    gw_broker_workers_changed (self);
    return self;
}

const char *
gw_broker_endpoint (gw_broker_t *self)
{
    assert (self);
    return self->endpoint;
}

bool
gw_broker_curve (gw_broker_t *self)
{
    assert (self);
    return self->zap != NULL;
}

size_t
gw_broker_sockets (gw_broker_t *self, zsock_t **sockets, size_t max)
{
    assert (self);
    assert (max >= GW_BROKER_SOCKETS_MAX);
    size_t count = 0;
    sockets [count++] = self->frontend;
    sockets [count++] = self->backend;
    if (self->zap)
        sockets [count++] = gw_broker_zap_socket (self->zap);
    return count;
}

bool
gw_broker_pump (gw_broker_t *self)
{
    assert (self);
    int64_t now = oa_clock_mono_ms ();
    if (now >= self->next_tick) {
        gw_broker_handle_tick (self);
        self->next_tick = now + S_TICK_MS;
    }
    //  ZMQ_EVENTS is edge-resetting: each socket is read until it reports
    //  nothing, after every send of ours too (a send may take the edge the
    //  fd would have signalled).  Bounded, for fairness with the host.
    for (int round = 0; round < 16; round++) {
        bool busy = false;
        if (zsock_events (self->frontend) & ZMQ_POLLIN) {
            gw_broker_handle_frontend (self);
            busy = true;
        }
        if (zsock_events (self->backend) & ZMQ_POLLIN) {
            gw_broker_handle_backend (self);
            busy = true;
        }
        if (self->zap && (zsock_events (gw_broker_zap_socket (self->zap)) & ZMQ_POLLIN)) {
            gw_broker_handle_zap (self);
            busy = true;
        }
        if (!busy)
            return false;
    }
    return true;
}

void
gw_broker_set_local (gw_broker_t *self, gw_broker_local_fn *fn, void *arg)
{
    assert (self);
    self->local_fn = fn;
    self->local_arg = arg;
}

//  Hands a frame's bytes to a zmq_msg_t without a copy: the frame is
//  destroyed when ZeroMQ is done with the message (any thread).
static void
s_frame_free (void *data, void *hint)
{
    (void) data;
    zframe_t *frame = (zframe_t *) hint;
    zframe_destroy (&frame);
}

static void
s_frame_to_msg (zframe_t *frame, zmq_msg_t *msg)
{
    int rc = zmq_msg_init_data (msg, zframe_data (frame), zframe_size (frame),
                                s_frame_free, frame);
    assert (rc == 0);
}

int
gw_broker_submit (gw_broker_t *self, oa_msg_t *msg)
{
    assert (self);
    assert (msg);
    if (oa_msg_id (msg) == OA_MSG_RELAY_CANCEL) {
        zframe_t *local = zframe_new (NULL, 0);     //  the host thread's empty id
        oa_msg_set_routing_id (msg, local);
        zframe_destroy (&local);
        gw_broker_on_cancel (self, msg);
        return 0;
    }
    zmsg_t *encoded = zmsg_new ();
    if (oa_msg_id (msg) != OA_MSG_RELAY_REQUEST || oa_msg_encode (msg, encoded) != 0) {
        zmsg_destroy (&encoded);
        errno = EINVAL;
        return -1;
    }
    gw_broker_frames_t frames;
    zmq_msg_init (&frames.routing);     //  empty: the host thread
    zmq_msg_init (&frames.payload);
    s_frame_to_msg (zmsg_pop (encoded), &frames.body);
    frames.has_payload = zmsg_size (encoded) > 0;
    if (frames.has_payload) {
        zmq_msg_close (&frames.payload);
        s_frame_to_msg (zmsg_pop (encoded), &frames.payload);
    }
    zmsg_destroy (&encoded);
    oa_wire_header_t header = { (uint64_t) oa_msg_version (msg), OA_MSG_RELAY_REQUEST,
                                oa_msg_corr_id (msg), oa_msg_deadline (msg) };
    gw_broker_on_request (self, &frames, &header);
    gw_broker_frames_close (&frames);
    return 0;
}
