/*  =========================================================================
    gw_broker - the gateway's relay dispatcher: loop threads <-> workers

    One broker actor per gateway process.  It owns two ROUTER sockets and
    the table of requests in flight; nothing else in the gateway talks to
    workers (proto/RELAY.md).

    Frontend: a ROUTER bound on args->frontend (inproc).  Every h2o loop
    thread connects one DEALER to it and sends RELAY_REQUEST (the client's
    body as payload) and RELAY_CANCEL.  The broker sends back to that
    thread every RELAY_HEAD / RELAY_DATA / RELAY_END / RELAY_ERROR of the
    request's corr_id, as the worker sent it: the broker reads the envelope
    (oa_wire_peek) and forwards the body and payload frames untouched,
    leaving the fields to the thread's decode.  Every RELAY_REQUEST
    the broker accepts ends, for the thread, with exactly one RELAY_END or
    RELAY_ERROR: from the worker, or made by the broker (below).

    Backend: a ROUTER bound on config->gateway_bind (args->backend, if set,
    overrides it), where workers connect their DEALERs.  ROUTER_MANDATORY,
    LINGER 0, HWMs, MAXMSGSIZE = OA_MSG_PAYLOAD_MAX.  On a tcp:// endpoint
    with ONEAPI_CURVE_SECRET_KEY/PUBLIC_KEY set, the socket is a CURVE
    server and only client keys listed in ONEAPI_CURVE_ALLOWED_KEYS get in:
    the broker answers ZAP itself on inproc://zeromq.zap.01 (domain
    "oneapi-gateway").  ZAP is one endpoint per ZeroMQ context, so only one
    CURVE broker can run per process, and no other ZAP handler (zauth) may
    run beside it; start fails if the endpoint is taken, and with CURVE on
    but an empty allow-list, so that tcp is never left open by mistake.

    Correlation ids (the rule threads must keep): corr_id is unique within
    the process and never 0.  Thread i (0-based loop index) uses
    gw_broker_corr_id (i, n) with its own counter n = 1, 2, ... (48 bits,
    wrapping to 1): the top 16 bits are the thread index.  The broker
    rejects a corr_id still in its table (duplicate) and 0 with a
    RELAY_ERROR to the sender; it does not check the high bits.

    Workers: WORKER_READY registers (or refreshes) a worker with its
    capacity; a READY with a known worker_id from a new routing id (a
    restarted worker) replaces the old entry, whose requests are handled as
    if it died.  WORKER_CREDIT sets the capacity to `credit` (absolute, as
    RELAY.md says; 0 = draining: nothing new is sent).  Any message from a
    worker proves it alive; the broker sends HEARTBEAT to every worker
    every second.  A worker silent for 3 s is dead: its requests that saw
    no RELAY_HEAD/DATA yet go to another worker (same corr_id), the others
    end with the "worker lost" error.  Messages from unregistered peers,
    except WORKER_READY, are dropped; a worker the broker forgot stops
    getting heartbeats and so announces itself again.

    Dispatch: to the worker with inflight < capacity and the smallest
    inflight / capacity; ties go round-robin.  A send that fails
    (EHOSTUNREACH: the worker vanished; EAGAIN: its queue is full) tries
    the next one.  RELAY_END / RELAY_ERROR free the slot.  Replies for an
    unknown corr_id, or from a worker that no longer owns it, are dropped
    and counted.

    Errors the broker makes (RELAY_ERROR fields; no payload; the thread
    renders them in the client's format):
        status  error_type      code                 message                        bytes_sent
        503     one_api_error   no_available_worker  No relay worker available      false
        503     one_api_error   gateway_draining     The gateway is shutting down   false
        502     upstream_error  relay_worker_lost    relay worker lost              true
        504     one_api_error   request_timeout      The request timed out          *
        500     one_api_error   duplicate_corr_id    duplicate correlation id       false
        500     one_api_error   invalid_corr_id      correlation id 0 is invalid    false
    (* true when a RELAY_HEAD/DATA already went to the thread.)  The 503s
    set retryable.  A request whose worker died before answering and that
    no other worker can take gets the no_available_worker 503.

    Cancel and deadlines: RELAY_CANCEL from the thread is forwarded to the
    request's worker; the worker's final RELAY_END/ERROR still reaches the
    thread.  A request whose deadline (epoch ms) passes gets RELAY_CANCEL
    to its worker and the 504 to the thread; the entry stays (its replies
    dropped) until the worker ends it, at most 2 s more, so the worker's
    slot is freed when the worker really is done.  A thread that cannot be
    reached (gone, or its queue full) gets no more for that request: the
    broker cancels it at the worker.

    Pipe commands (strings), besides the oa_actor.h contract:
        STATUS    -> "READY", or "DEGRADED no workers" with no live worker
        DRAIN     -> new RELAY_REQUESTs get the draining 503; "DRAINED"
                     once the table is empty
        WORKERS   -> live workers, decimal
        INFLIGHT  -> entries in the request table, decimal
        ENDPOINT  -> the backend endpoint as bound (tcp port resolved)
        STATS     -> "name=value ..." counters (see gw_broker.c)
        $TERM     -> stop at once
    Health: component "workers" is degraded while no worker is live.
    Metrics (gw_broker_metrics.c): oneapi_relay_inflight, oneapi_workers_live,
    oneapi_relay_worker_capacity, oneapi_relay_worker_slots_free (both
    refreshed every 100 ms and when workers come and go),
    oneapi_relay_dispatch_total{result}, oneapi_worker_deaths_total,
    oneapi_relay_redispatch_total, oneapi_relay_dropped_total{reason}; all
    declared at 0 on start.
    =========================================================================
*/
#ifndef GW_BROKER_H_INCLUDED
#define GW_BROKER_H_INCLUDED

#include <stdint.h>
#include <czmq.h>
#include "oa_config.h"
#include "oa_metrics.h"
#include "oa_msg.h"

#define GW_BROKER_CORR_SHIFT 48         //  thread index lives above this bit
#define GW_BROKER_CORR_MASK  ((UINT64_C (1) << GW_BROKER_CORR_SHIFT) - 1)
#define GW_BROKER_ZAP_DOMAIN "oneapi-gateway"

typedef struct _gw_broker_zap_t gw_broker_zap_t;

typedef struct {
    const oa_config_t *config;  //  borrowed, outlives the actor: gateway_bind, curve keys
    const char *frontend;       //  inproc endpoint the loop threads connect to (required)
    const char *backend;        //  overrides config->gateway_bind when not NULL (tests)
    const char *name;           //  sender_id of heartbeats; NULL = "gateway-<host>-<pid>"
    int heartbeat_ms;           //  heartbeat interval; 0 = 1000
    int liveness_ms;            //  silence after which a worker is dead; 0 = 3000
} gw_broker_args_t;

//  The corr_id that loop thread thread_index uses for its counter-th request
//  (counter from 1; only its low 48 bits count).
static inline uint64_t
gw_broker_corr_id (unsigned thread_index, uint64_t counter)
{
    return ((uint64_t) (thread_index & 0xFFFF) << GW_BROKER_CORR_SHIFT)
           | (counter & GW_BROKER_CORR_MASK);
}

//  The actor: zactor_new (gw_broker_actor, &args); args is borrowed and
//  read only during start.  Start fails (signal OA_ACTOR_START_FAILED) if
//  a socket cannot bind or the CURVE set-up is invalid.
void
    gw_broker_actor (zsock_t *pipe, void *args);

//  --------------------------------------------------------------------------
//  The same broker hosted by a gateway loop thread instead of a thread of
//  its own (what the gateway does): the requests of that loop reach the
//  broker, and their replies come back, without a thread switch.  Made in
//  one thread and handed to the host thread before it starts (a thread
//  start and join are the memory barriers ZeroMQ asks of a socket that
//  changes threads); no pipe, so no pipe commands.

typedef struct _gw_broker_t gw_broker_t;
#define GW_BROKER_SOCKETS_MAX 3
#define GW_BROKER_TICK_MS 100           //  liveness, heartbeat and deadline checks

//  Binds the broker's sockets.  Returns NULL with a reason in err if a
//  socket cannot bind or the CURVE set-up is invalid.  Caller owns it.
gw_broker_t *
    gw_broker_new (const gw_broker_args_t *args, char *err, size_t err_size);

//  Destroys the broker, closing its sockets; nulls *self_p.
void
    gw_broker_destroy (gw_broker_t **self_p);

//  The sockets whose ZMQ_FD the host watches (at most GW_BROKER_SOCKETS_MAX),
//  into sockets; returns how many.
size_t
    gw_broker_sockets (gw_broker_t *self, zsock_t **sockets, size_t max);

//  Does the work that is ready: the timer's (liveness, heartbeats,
//  deadlines) when due, then every socket until none has input.  Call when
//  a watched fd is readable and at least every GW_BROKER_TICK_MS.  Returns
//  true if it stopped with input left (call again soon, e.g. on
//  zero_timeout).  The actor (gw_broker_actor.c) runs the same pump.
bool
    gw_broker_pump (gw_broker_t *self);

//  Takes a reply (RELAY_HEAD, _DATA, _END, _ERROR) for one of the host
//  thread's own requests; msg is the callee's.  Called from inside the
//  broker (gw_broker_pump, gw_broker_submit): defer work that re-enters.
typedef void (gw_broker_local_fn) (void *arg, oa_msg_t *msg);

//  Where replies to gw_broker_submit's requests go; fn NULL drops them
//  (the host's requests are gone).
void
    gw_broker_set_local (gw_broker_t *self, gw_broker_local_fn *fn, void *arg);

//  The host thread's own RELAY_REQUEST or RELAY_CANCEL (msg borrowed),
//  handled as if it had come on the frontend, without a socket: the
//  request's replies go to the local fn.  Returns 0, or -1 (EINVAL) for
//  another message or one that does not encode.
int
    gw_broker_submit (gw_broker_t *self, oa_msg_t *msg);

//  --------------------------------------------------------------------------
//  Internal to the broker (gw_broker_sockets.c): sockets, CURVE and ZAP.

//  A ROUTER with the broker's options (ROUTER_MANDATORY, LINGER 0, HWMs),
//  bound on endpoint unless it is NULL.  Returns NULL with a reason in err
//  if the bind fails.  Caller owns return value.
zsock_t *
    gw_broker_router_new (const char *endpoint, char *err, size_t err_size);

//  The workers' ROUTER bound on endpoint, with MAXMSGSIZE, and on tcp with
//  CURVE keys in config a CURVE server whose ZAP handler is returned in
//  *zap_p (else *zap_p is untouched).  Returns NULL with a reason in err.
//  Caller owns return value and *zap_p.
zsock_t *
    gw_broker_backend_new (const oa_config_t *config, const char *endpoint,
                           gw_broker_zap_t **zap_p, char *err, size_t err_size);

//  Parses allowed_keys (comma-separated Z85 public keys) and binds the ZAP
//  endpoint.  Returns NULL with a reason in err if a key is invalid, the
//  list is empty, or the endpoint is taken.  Caller owns return value.
gw_broker_zap_t *
    gw_broker_zap_new (const char *allowed_keys, char *err, size_t err_size);

//  The REP socket that receives ZAP requests (borrowed), to poll.
zsock_t *
    gw_broker_zap_socket (gw_broker_zap_t *self);

//  Answers every queued ZAP request: 200 for an allowed CURVE key in our
//  domain, 400 otherwise.  Never blocks.
void
    gw_broker_zap_handle (gw_broker_zap_t *self);

//  Connections accepted / refused so far.
size_t
    gw_broker_zap_accepted (gw_broker_zap_t *self);
size_t
    gw_broker_zap_denied (gw_broker_zap_t *self);

//  Unbinds and destroys; nulls the pointer.
void
    gw_broker_zap_destroy (gw_broker_zap_t **self_p);

//  One message as it came off a broker socket: the sender's routing id,
//  the body frame and the optional payload frame, as libzmq holds them
//  (forwarding them moves or shares the bytes, never copies them).
typedef struct {
    zmq_msg_t routing;                  //  sender's routing id
    zmq_msg_t body;                     //  msgpack body frame
    zmq_msg_t payload;                  //  payload frame, if has_payload
    bool has_payload;
} gw_broker_frames_t;

//  Reads one message without waiting.  Returns 0 (frames hold it: close
//  them), -1 (nothing queued; errno set), or 1 (a message with no body or
//  more than a payload was read and dropped).
int
    gw_broker_frames_recv (void *handle, gw_broker_frames_t *frames);

//  Sends routing_id, body and payload (may be NULL) on a ROUTER without
//  waiting.  copy = false moves body and payload (they are empty after a
//  success); copy = true leaves them as they are, for a later resend.
//  Returns 0, or -1 with errno (EHOSTUNREACH, EAGAIN) and nothing sent.
int
    gw_broker_frames_send (void *handle, zframe_t *routing_id, zmq_msg_t *body,
                           zmq_msg_t *payload, bool copy);

//  Fully decodes frames into a message whose routing id is the sender's,
//  for the messages the broker reads (control, cancel).  Returns NULL and
//  *err = OA_MSG_MALFORMED if invalid.  Caller owns return value.
oa_msg_t *
    gw_broker_frames_decode (gw_broker_frames_t *frames, int *err);

//  True if frames came from routing_id.
bool
    gw_broker_frames_from (gw_broker_frames_t *frames, zframe_t *routing_id);

//  Releases the frames (those moved away by a send are already empty).
void
    gw_broker_frames_close (gw_broker_frames_t *frames);

//  The broker's metric handles, borrowed from oa_metrics_global.
typedef struct {
    oa_metric_t *inflight;      //  oneapi_relay_inflight
    oa_metric_t *workers;       //  oneapi_workers_live
    oa_metric_t *capacity;      //  oneapi_relay_worker_capacity
    oa_metric_t *free_slots;    //  oneapi_relay_worker_slots_free
    oa_metric_t *dispatch;      //  oneapi_relay_dispatch_total{result}
    oa_metric_t *deaths;        //  oneapi_worker_deaths_total
    oa_metric_t *redispatch;    //  oneapi_relay_redispatch_total
    oa_metric_t *dropped;       //  oneapi_relay_dropped_total{reason}
} gw_broker_metrics_t;

//  Registers the broker's families (and every other gateway family) and
//  declares the known series at 0.
void
    gw_broker_metrics_init (gw_broker_metrics_t *m);

//  Sets the live-workers, capacity and free-slots gauges.
void
    gw_broker_metrics_workers (gw_broker_metrics_t *m, size_t live, uint64_t capacity,
                               uint64_t free_slots);

//  Self test of the broker (gw_broker_test.c).
void
    oa_gw_broker_test (bool verbose);

#endif
