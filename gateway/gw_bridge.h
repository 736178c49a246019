/*  =========================================================================
    gw_bridge - one gateway loop thread's ZeroMQ sockets and state replica

    Each h2o loop thread owns one bridge: a DEALER to the broker's frontend
    (RELAY_REQUEST / RELAY_CANCEL out; RELAY_HEAD, _DATA, _END, _ERROR in),
    a DEALER to the ledger (SNAPSHOT_REQUEST out, SNAPSHOT_CHUNK in), a SUB
    to the ledger's change stream (CHANGE in), a DEALER to the management
    API actor (API_REQUEST out, API_REPLY in), and the thread's gw_state_t
    replica.  The sockets are watched by the thread's evloop through dups
    of their ZMQ_FD (style.md §3.6): readiness only means "look", so every
    wake-up drains while ZMQ_EVENTS has POLLIN, and every send schedules a
    drain on the context's zero_timeout, because a send can consume the
    edge the fd would have signalled.

    Replies reach their requests through waiters: a request embeds a
    gw_bridge_waiter_t, registers it under its corr_id, and the bridge
    calls waiter->on_reply for every message with that corr_id until the
    waiter is forgotten.  Replies for unknown corr_ids are dropped.

    Snapshot: at start, after a seq gap or a bad chunk, and when a snapshot
    stalls (no chunk for a while), the bridge asks the ledger for a full
    snapshot (at most once a second).  Until the replica is ready the
    relay answers 503; the process health component "state" is DOWN until
    every thread's replica is ready.

    Owned by its loop thread; nothing here is thread-safe.
    =========================================================================
*/
#ifndef GW_BRIDGE_H_INCLUDED
#define GW_BRIDGE_H_INCLUDED

#include "gw_broker_host.h"
#include "gw_server.h"
#include "gw_state.h"
#include "oa_msg.h"

typedef struct _gw_bridge_t gw_bridge_t;
typedef struct _gw_admit_t gw_admit_t;
typedef struct _gw_bridge_waiter_t gw_bridge_waiter_t;

//  Called for each reply with the waiter's corr_id; msg is borrowed (the
//  callee may take its payload with oa_msg_get_payload).  The callee may
//  forget the waiter, or even destroy it, from inside the call.
typedef void (gw_bridge_reply_fn) (gw_bridge_waiter_t *waiter, oa_msg_t *msg);

struct _gw_bridge_waiter_t {
    uint64_t corr_id;               //  key in the bridge's table; 0 = not registered
    gw_bridge_reply_fn *on_reply;   //  called on the loop thread
};

//  Creates the bridge of a loop thread, on that thread, after its h2o
//  context is initialised: connects the sockets (broker_endpoint may be
//  NULL or "" for none) and asks for a snapshot.  Caller owns the result.
gw_bridge_t *
    gw_bridge_new (gw_thread_t *thread, const char *broker_endpoint);

//  Closes the sockets and watches and frees the replica, on the loop
//  thread, before the h2o context is disposed.  Registered waiters are
//  forgotten (their owners must be gone: their requests are disposed).
void
    gw_bridge_destroy (gw_bridge_t **self_p);

//  The bridge of the thread that owns request, or NULL without relay.
gw_bridge_t *
    gw_bridge_of (gw_request_t *request);

//  The thread's replica (borrowed).
gw_state_t *
    gw_bridge_state (gw_bridge_t *self);

//  True once the replica holds a complete snapshot.
bool
    gw_bridge_ready (gw_bridge_t *self);

//  A corr_id unique in the process: (thread index + 1) << 48 | counter.
uint64_t
    gw_bridge_next_corr_id (gw_bridge_t *self);

//  How long a relay request may take (RELAY_TIMEOUT, else one hour), in
//  ms: the deadline sent to the broker.
int64_t
    gw_bridge_timeout_ms (gw_bridge_t *self);

//  The gateway's own last-resort deadline bucket: the relay timeout plus a
//  grace for the broker's 504 to arrive first.  Entries linked here must
//  be unlinked by their owners before they die.
h2o_timeout_t *
    gw_bridge_deadlines (gw_bridge_t *self);

//  Registers waiter under corr_id (unique; the waiter must outlive its
//  registration).
void
    gw_bridge_register (gw_bridge_t *self, gw_bridge_waiter_t *waiter, uint64_t corr_id);

//  Forgets a waiter; harmless if it is not registered.
void
    gw_bridge_forget (gw_bridge_t *self, gw_bridge_waiter_t *waiter);

//  Sends msg (the caller keeps it) to the broker without blocking.
//  Returns 0, or -1 with errno (EAGAIN: no broker, or its queue is full).
int
    gw_bridge_send (gw_bridge_t *self, oa_msg_t *msg);

//  This loop hosts broker (gw_broker_host): requests go to it by a call,
//  not through the frontend socket, and its replies come back the same
//  way (handled on the next drain, never inside gw_bridge_send).
void
    gw_bridge_use_local_broker (gw_bridge_t *self, gw_broker_host_t *broker);

//  Sends msg (the caller keeps it) to the ledger (RESERVE, USAGE) without
//  blocking.  Returns 0, or -1 with errno (EAGAIN: no ledger connected, or
//  its queue is full).  RESERVE_REPLY comes back to the waiters.
int
    gw_bridge_send_ledger (gw_bridge_t *self, oa_msg_t *msg);

//  The loop's quota admission (gw_admit.h).  Borrowed.
gw_admit_t *
    gw_bridge_admit (gw_bridge_t *self);

//  Sends msg (the caller keeps it) to the management API actor without
//  blocking.  Returns 0, or -1 with errno (EAGAIN: not connected, or its
//  queue is full).
int
    gw_bridge_send_api (gw_bridge_t *self, oa_msg_t *msg);

//  The deadline bucket of /api requests (gateway->api_timeout_ms, 30 s by
//  default); entries must be unlinked by their owners before they die.
h2o_timeout_t *
    gw_bridge_api_deadlines (gw_bridge_t *self);

//  Sends RELAY_CANCEL for corr_id, best effort.
void
    gw_bridge_cancel (gw_bridge_t *self, uint64_t corr_id, const char *reason);

//  Messages seen by the bridge: replies dropped for unknown corr_ids,
//  snapshots requested, malformed messages (tests, logs).
uint64_t
    gw_bridge_dropped (gw_bridge_t *self);
uint64_t
    gw_bridge_snapshots_requested (gw_bridge_t *self);

//  gw_server.c: called by a bridge whose replica just became ready; the
//  last thread to get there turns the "state" health component READY.
void
    gw_server_state_ready (oa_gateway_t *gateway);

#endif
