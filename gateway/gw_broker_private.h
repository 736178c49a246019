/*  =========================================================================
    gw_broker_private - what the broker's source files share

    gw_broker.c          the broker: request table, replies, deadlines, the
                         pump, pipe commands
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

#endif
