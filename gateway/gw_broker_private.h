/*  =========================================================================
    gw_broker_private - what the broker's source files share

    gw_broker.c          the broker: request table, replies, workers' control,
                         deadlines
    gw_broker_life.c     life cycle, the pump, pipe commands, local requests
    gw_broker_actor.c    the broker on a thread of its own (tests, tools)
    gw_broker_host.c     the broker in gateway loop 0 (what the gateway runs)
    gw_broker_workers.c  the table of relay workers: registration, choice
                         by credit, heartbeats, liveness
    gw_broker_sockets.c  sockets, CURVE, ZAP, raw frames and the errors the
                         broker makes
    gw_broker_metrics.c  metric families and the STATS counters
    =========================================================================
*/
#ifndef GW_BROKER_PRIVATE_H_INCLUDED
#define GW_BROKER_PRIVATE_H_INCLUDED

#include "gw_broker.h"
#include "oa_wire.h"

//  A relay worker, known by the routing id of its connection
typedef struct {
    char *key;                  //  routing id in hex: the index's key
    zframe_t *routing_id;       //  where to send
    char *worker_id;            //  its own name (WORKER_READY)
    uint32_t capacity;          //  requests it takes at once; 0 = draining
    uint32_t inflight;          //  requests it holds a slot for
    int64_t last_seen;          //  monotonic ms of its last message
    bool gone;                  //  a send found it unreachable: reap it
    uint64_t tried;             //  dispatch round that already tried it
    void *handle;               //  its node in the table's list
} gw_broker_worker_t;

//  The table of live workers, least recently chosen first
typedef struct _gw_broker_workers_t gw_broker_workers_t;

//  Creates an empty table.  Caller owns return value.
gw_broker_workers_t *
    gw_broker_workers_new (void);

//  Destroys the table and its workers; nulls the pointer.
void
    gw_broker_workers_destroy (gw_broker_workers_t **self_p);

//  Number of live workers.
size_t
    gw_broker_workers_size (gw_broker_workers_t *self);

//  Sums the live workers' credit and their free slots.
void
    gw_broker_workers_credit (gw_broker_workers_t *self, uint64_t *capacity,
                              uint64_t *free_slots);

//  The worker whose connection sent frames, or NULL.  With key_p, *key_p
//  gets the routing id in hex (caller frees it).
gw_broker_worker_t *
    gw_broker_workers_of (gw_broker_workers_t *self, gw_broker_frames_t *frames,
                          char **key_p);

//  The worker that announced worker_id (not empty), or NULL.
gw_broker_worker_t *
    gw_broker_workers_named (gw_broker_workers_t *self, const char *worker_id);

//  Registers a new worker (connection key, routing id, name, capacity),
//  first in the list, seen now.  Returns it (the table owns it).
gw_broker_worker_t *
    gw_broker_workers_add (gw_broker_workers_t *self, const char *key,
                           zframe_t *routing_id, const char *worker_id, uint32_t capacity);

//  Forgets and destroys worker.
void
    gw_broker_workers_remove (gw_broker_workers_t *self, gw_broker_worker_t *worker);

//  Sends body and payload (may be NULL; both kept for a resend) to the
//  least loaded worker with credit, trying the next one on a failed send,
//  and takes a slot of its credit.  Returns the worker, or NULL if none
//  could take it.
gw_broker_worker_t *
    gw_broker_workers_dispatch (gw_broker_workers_t *self, void *backend,
                                zmq_msg_t *body, zmq_msg_t *payload);

//  Sends a HEARTBEAT from sender_id (ready, or draining) to every worker,
//  with its inflight count, on backend; marks the ones found unreachable
//  gone.
void
    gw_broker_workers_heartbeat (gw_broker_workers_t *self, zsock_t *backend,
                                 const char *sender_id, bool draining);

//  The workers gone or silent for longer than liveness_ms at now
//  (monotonic ms), borrowed.  Caller destroys the list.
zlist_t *
    gw_broker_workers_dead (gw_broker_workers_t *self, int64_t now, int liveness_ms);

//  gw_broker_sockets.c: gw_broker_frames_recv, then reads the envelope
//  into header.  Returns 0 (frames hold a message: close them), -1
//  (nothing queued), or 1 (a malformed message was read and dropped).
int
    gw_broker_frames_recv_header (void *handle, gw_broker_frames_t *frames,
                                  oa_wire_header_t *header);

//  gw_broker_sockets.c: a RELAY_ERROR the broker makes (retryable for a
//  503).  Caller owns return value.
oa_msg_t *
    gw_broker_error_new (uint64_t corr_id, int status, const char *type, const char *code,
                         const char *message, bool bytes_sent);

//  gw_broker.c, for the actor: handles one command from pipe (the oa_actor
//  contract and STATUS, DRAIN, WORKERS, INFLIGHT, ENDPOINT, STATS).
//  Returns -1 on $TERM, else 0.
int
    gw_broker_pipe_command (gw_broker_t *self, zsock_t *pipe);

//  gw_broker.c: the backend endpoint as bound (tcp port resolved).
const char *
    gw_broker_endpoint (gw_broker_t *self);

//  gw_broker.c: true when the backend is a CURVE server.
bool
    gw_broker_curve (gw_broker_t *self);

//  Counters, for STATS and tests
typedef struct {
    size_t dispatched;          //  requests sent to a worker the first time
    size_t redispatched;        //  re-sent after their worker died
    size_t no_worker;           //  503: no worker with credit
    size_t rejected;            //  draining, duplicate, invalid, already expired
    size_t timeouts;            //  504: deadline passed
    size_t worker_deaths;       //  workers declared dead or replaced
    size_t dropped_unknown;     //  replies for a corr_id not in the table
    size_t dropped_stale;       //  replies from a worker that does not own the corr_id
    size_t dropped_peer;        //  control messages from unregistered peers
    size_t malformed_backend;   //  undecodable or unexpected from workers
    size_t malformed_frontend;  //  undecodable or unexpected from threads
    size_t thread_unreachable;  //  replies the thread's socket refused
    size_t abandoned;           //  cancelled requests whose worker never ended them
} gw_broker_stats_t;

//  gw_broker_metrics.c: sends the STATS reply (counters, and ZAP's when
//  zap is not NULL) on pipe.
void
    gw_broker_stats_send (const gw_broker_stats_t *stats, gw_broker_zap_t *zap, zsock_t *pipe);

//  --------------------------------------------------------------------------
//  The broker's state, shared by gw_broker.c (requests, replies, workers,
//  timer) and gw_broker_life.c (life cycle, pump, pipe, local requests)

//  A request in flight
typedef struct {
    uint64_t corr_id;           //  the table's key (the key points here)
    zframe_t *thread;           //  routing id of the thread's DEALER
    gw_broker_worker_t *worker; //  worker holding a slot for it, or NULL
    bool has_request;           //  body (and payload) hold the RELAY_REQUEST,
                                //  until the first reply
    bool has_payload;           //  payload holds its payload frame
    zmq_msg_t body;             //  the request's body frame, as received
    zmq_msg_t payload;          //  its payload frame
    int64_t deadline;           //  epoch ms; 0 = none
    bool head_seen;             //  a RELAY_HEAD/DATA went to the thread
    bool cancelled;             //  RELAY_CANCEL sent to the worker
    bool answered;              //  the thread has its terminal message
} gw_broker_request_t;

struct _gw_broker_t {
    zsock_t *pipe;              //  the actor's pipe (DRAINED goes there), or NULL
    zsock_t *frontend;          //  ROUTER: loop threads
    zsock_t *backend;           //  ROUTER: workers
    gw_broker_zap_t *zap;       //  ZAP handler when CURVE is on, else NULL
    int64_t next_tick;          //  monotonic ms the timer's work is due
    gw_broker_local_fn *local_fn;   //  takes replies for the host thread's own
    void *local_arg;                //  requests (an empty thread routing id)
    zhashx_t *requests;         //  corr_id -> gw_broker_request_t, owned
    gw_broker_workers_t *workers;   //  live workers (gw_broker_workers.c)
    void *frontend_handle;      //  libzmq handles of the ROUTERs
    void *backend_handle;
    char name [65];             //  sender_id of our heartbeats
    char *endpoint;             //  backend endpoint as bound
    int heartbeat_ms;           //  heartbeat interval
    int liveness_ms;            //  silence that kills a worker
    int64_t next_heartbeat;     //  monotonic ms
    int64_t next_deadline;      //  epoch ms of the earliest deadline, INT64_MAX if none
    bool draining;              //  DRAIN received
    bool drained_sent;          //  DRAINED went up the pipe
    int health;                 //  last health state reported, -1 = none
    gw_broker_stats_t stats;    //  counters
    gw_broker_metrics_t m;      //  metric handles (gw_broker_metrics.c)
};

//  gw_broker.c: the request table's key hasher and comparator (uint64_t *).
size_t
    gw_broker_corr_hash (const void *key);
int
    gw_broker_corr_compare (const void *a, const void *b);

//  gw_broker.c: the request table's item destructor.
void
    gw_broker_request_destroy (void **item_p);

//  gw_broker.c: reports the live workers to metrics and health.
void
    gw_broker_workers_changed (gw_broker_t *self);

//  gw_broker.c: sends DRAINED up the pipe once draining and the table is empty.
void
    gw_broker_check_drained (gw_broker_t *self);

//  gw_broker.c: reads a batch from each socket (threads, workers, ZAP).
void
    gw_broker_handle_frontend (gw_broker_t *self);
void
    gw_broker_handle_backend (gw_broker_t *self);
void
    gw_broker_handle_zap (gw_broker_t *self);

//  gw_broker.c: the timer's work: dead workers, heartbeats, deadlines.
void
    gw_broker_handle_tick (gw_broker_t *self);

//  gw_broker.c: places a RELAY_REQUEST (envelope read into header); takes
//  the body and payload frames when it keeps the request.
void
    gw_broker_on_request (gw_broker_t *self, gw_broker_frames_t *frames,
                          const oa_wire_header_t *header);

//  gw_broker.c: a thread's RELAY_CANCEL (its routing id in msg).
void
    gw_broker_on_cancel (gw_broker_t *self, oa_msg_t *msg);

#endif
