/*  =========================================================================
    gw_bridge - one gateway loop thread's ZeroMQ sockets and state replica

    See gw_bridge.h.  Each socket is drained until a read finds nothing
    (which, like ZMQ_EVENTS, consumes its fd's edge), when its own fd wakes the loop, on zero_timeout after we sent
    on it (the send may have consumed its fd's edge), and, all of them, on
    the one-second tick (belt and braces; it also drives snapshot retries).
    Only a socket we touched can lose an edge, so a wake-up drains that
    socket alone: every drain of an idle socket costs a read.
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gw_admit.h"
#include "gw_bridge.h"
#include "gw_broker_host.h"
#include "gw_zwatch.h"
#include "oa_ids.h"
#include "oa_log.h"

#define S_HWM 10000                 //  messages queued per socket and direction
#define S_SUB_HWM 100000            //  the change stream may burst on bulk admin writes
#define S_TICK_MS 1000              //  snapshot checks, and a safety drain
#define S_SNAPSHOT_STALL_MS 3000    //  no chunk for this long: ask again
#define S_SNAPSHOT_MIN_GAP_MS 1000  //  never ask more often than this
#define S_SNAPSHOT_RETRY_MS 50      //  retry of a request no ledger took yet
#define S_DRAIN_BATCH 256           //  messages per socket per drain, for fairness
#define S_DEFAULT_TIMEOUT_MS (3600 * 1000)  //  without RELAY_TIMEOUT
#define S_DEADLINE_GRACE_MS 5000    //  the broker's 504 should come first
#define S_API_TIMEOUT_MS 30000      //  /api requests, unless the gateway says otherwise

//  The sockets, by their index in watches [] and bit in drain_due
#define S_BROKER 0
#define S_LEDGER 1
#define S_CHANGES 2
#define S_API 3
#define S_SOCKETS 4
#define S_ALL ((1u << S_SOCKETS) - 1)

struct _gw_bridge_t {
    gw_thread_t *thread;            //  owner
    h2o_context_t *ctx;             //  the thread's h2o context
    const oa_config_t *config;      //  borrowed
    zsock_t *broker;                //  DEALER to the broker's frontend, or NULL
    gw_broker_host_t *local_broker; //  the broker this loop hosts, if it does: no socket
    zlist_t *local_replies;         //  its replies (oa_msg_t *), handled on drain
    zsock_t *ledger;                //  DEALER to the ledger (snapshots)
    zsock_t *changes;               //  SUB to the ledger's change stream
    zsock_t *api;                   //  DEALER to the management API actor, or NULL
    h2o_socket_t *watches [4];      //  dup(ZMQ_FD) of each socket, wrapped by h2o
    h2o_timeout_entry_t drain_entry;    //  on ctx->zero_timeout while a drain is due
    unsigned drain_due;             //  bit per socket (S_*) to drain then
    h2o_timeout_t tick;             //  S_TICK_MS bucket
    h2o_timeout_entry_t tick_entry; //  in tick, always
    h2o_timeout_t retry;            //  S_SNAPSHOT_RETRY_MS bucket
    h2o_timeout_entry_t retry_entry;    //  in retry while no ledger took the request
    h2o_timeout_t deadlines;        //  relay requests' last-resort deadlines
    h2o_timeout_t api_deadlines;    //  /api requests' deadlines (gateway->api_timeout_ms)
    int64_t timeout_ms;             //  relay deadline after admission
    gw_state_t *state;              //  this thread's replica
    zhashx_t *waiters;              //  corr_id -> gw_bridge_waiter_t * (borrowed)
    uint64_t corr_prefix;           //  (thread index + 1) << 48
    uint64_t corr_counter;          //  last counter used
    bool snapshot_wanted;           //  a (new) snapshot must be requested
    bool snapshot_loading;          //  requested, last chunk not seen yet
    int64_t snapshot_asked_ms;      //  monotonic ms of the last request
    int64_t snapshot_activity_ms;   //  monotonic ms of the last chunk (or request)
    bool ready_reported;            //  told the server this replica is ready
    char gateway_id [64];           //  SNAPSHOT_REQUEST.gateway_id
    uint64_t dropped;               //  replies for unknown corr_ids
    uint64_t malformed;             //  undecodable messages
    uint64_t snapshots;             //  snapshot requests sent
    bool draining_now;              //  inside s_drain (no re-entry)
    gw_admit_t *admit;              //  quota admission of this loop
};

//  --------------------------------------------------------------------------
//  Snapshot

static void s_schedule_drain (gw_bridge_t *self, unsigned sockets);
static void s_handle_reply (gw_bridge_t *self, oa_msg_t *msg);

static void
s_snapshot_request (gw_bridge_t *self)
{
    int64_t now = oa_clock_mono_ms ();
    if (now - self->snapshot_asked_ms < S_SNAPSHOT_MIN_GAP_MS && self->snapshots > 0)
        return;                     //  the tick asks again later
    oa_msg_t *request = oa_msg_new (OA_MSG_SNAPSHOT_REQUEST);
    oa_msg_set_gateway_id (request, self->gateway_id);
    oa_msg_set_since_seq (request, 0);
    int rc = oa_msg_send (request, zsock_resolve (self->ledger), OA_MSG_DONTWAIT);
    oa_msg_destroy (&request);
    self->snapshot_asked_ms = now;
    if (rc != 0) {
        //  No ledger connected yet (ZMQ_IMMEDIATE): retried on a short
        //  timer, not from the drain, which this would wake again at once
        //  (a busy loop for as long as the ledger is away)
        oa_log_debug ("gateway", "loop %d: snapshot request not sent: %s",
                      self->thread->index, strerror (errno));
        if (!h2o_timeout_is_linked (&self->retry_entry))
            h2o_timeout_link (self->ctx->loop, &self->retry, &self->retry_entry);
        return;
    }
    s_schedule_drain (self, 1u << S_LEDGER);    //  the send may have taken its edge
    self->snapshots++;
    self->snapshot_wanted = false;
    self->snapshot_loading = true;
    self->snapshot_activity_ms = now;
    oa_log_debug ("gateway", "loop %d: snapshot requested", self->thread->index);
}

static void
s_on_snapshot_retry (h2o_timeout_entry_t *entry)
{
    gw_bridge_t *self = H2O_STRUCT_FROM_MEMBER (gw_bridge_t, retry_entry, entry);
    if (self->snapshot_wanted)
        s_snapshot_request (self);
}

static void
s_check_ready (gw_bridge_t *self)
{
    if (self->ready_reported || !gw_state_ready (self->state))
        return;
    self->ready_reported = true;
    oa_log_info ("gateway", "loop %d: state replica ready at seq %" PRIu64,
                 self->thread->index, gw_state_seq (self->state));
    gw_server_state_ready (self->thread->gateway);
}

static void
s_handle_ledger_msg (gw_bridge_t *self, oa_msg_t *msg)
{
    int id = oa_msg_id (msg);
    if (id == OA_MSG_SNAPSHOT_CHUNK) {
        self->snapshot_activity_ms = oa_clock_mono_ms ();
        if (gw_state_apply (self->state, msg) != 0) {
            oa_log_warn ("gateway", "loop %d: bad snapshot chunk (%s): asking again",
                         self->thread->index, oa_msg_table (msg));
            self->snapshot_wanted = true;
        }
        else
        if (oa_msg_last (msg))
            self->snapshot_loading = false;
    }
    else
    if (id == OA_MSG_CHANGE) {
        if (gw_state_apply (self->state, msg) != 0 && !self->snapshot_loading)
            self->snapshot_wanted = true;
    }
    else
    if (id == OA_MSG_RESERVE_REPLY) {
        s_handle_reply (self, msg);     //  to the admission waiting for it
        return;
    }
    s_check_ready (self);
}

//  --------------------------------------------------------------------------
//  Drain

static void
s_handle_reply (gw_bridge_t *self, oa_msg_t *msg)
{
    uint64_t corr_id = oa_msg_corr_id (msg);
    gw_bridge_waiter_t *waiter = corr_id
        ? (gw_bridge_waiter_t *) zhashx_lookup (self->waiters, (void *) (uintptr_t) corr_id)
        : NULL;
    if (!waiter) {
        self->dropped++;            //  finished, cancelled, or not ours
        return;
    }
    waiter->on_reply (waiter, msg);
}

static zsock_t *
s_socket (gw_bridge_t *self, int index)
{
    return index == S_BROKER? self->broker: index == S_LEDGER? self->ledger:
           index == S_CHANGES? self->changes: self->api;
}

//  Drains one socket, at most a batch; returns messages read.  The loop
//  stops on EAGAIN: a non-blocking read that finds nothing has let libzmq
//  process its commands as a ZMQ_EVENTS check does (oa_wire_recv).
static size_t
s_drain_socket (gw_bridge_t *self, int index)
{
    zsock_t *sock = s_socket (self, index);
    if (!sock)
        return 0;
    bool replies = index == S_BROKER || index == S_API;
    size_t count = 0;
    while (count < S_DRAIN_BATCH) {
        int err = 0;
        //  The zsock_t, not its handle: CZMQ resolves that one for free
        oa_msg_t *msg = oa_msg_recv (sock, OA_MSG_DONTWAIT, &err);
        if (!msg) {
            if (err == OA_MSG_MALFORMED) {
                self->malformed++;
                count++;
                continue;
            }
            break;                  //  EAGAIN: POLLIN is clear
        }
        count++;
        if (replies)
            s_handle_reply (self, msg);
        else
            s_handle_ledger_msg (self, msg);
        oa_msg_destroy (&msg);
    }
    return count;
}

static void
s_drain (gw_bridge_t *self, unsigned sockets)
{
    if (self->draining_now)
        return;
    self->draining_now = true;
    oa_msg_t *local;
    while (self->local_replies && (local = (oa_msg_t *) zlist_pop (self->local_replies))) {
        s_handle_reply (self, local);
        oa_msg_destroy (&local);
    }
    unsigned again = 0;
    for (int index = 0; index < S_SOCKETS; index++)
        if ((sockets & (1u << index))
        &&  s_drain_socket (self, index) >= S_DRAIN_BATCH)
            again |= 1u << index;
    self->draining_now = false;
    if (self->snapshot_wanted)
        s_snapshot_request (self);
    //  A full batch may have left messages behind: come back next turn,
    //  after h2o has served its sockets.
    if (again)
        s_schedule_drain (self, again);
}

static void
s_on_drain_due (h2o_timeout_entry_t *entry)
{
    gw_bridge_t *self = H2O_STRUCT_FROM_MEMBER (gw_bridge_t, drain_entry, entry);
    unsigned sockets = self->drain_due;
    self->drain_due = 0;
    s_drain (self, sockets);
}

static void
s_schedule_drain (gw_bridge_t *self, unsigned sockets)
{
    self->drain_due |= sockets;
    if (!h2o_timeout_is_linked (&self->drain_entry))
        h2o_timeout_link (self->ctx->loop, &self->ctx->zero_timeout, &self->drain_entry);
}

static void
s_on_readable (h2o_socket_t *sock, const char *err)
{
    gw_bridge_t *self = sock->data;
    if (err)
        oa_log_warn ("gateway", "loop %d: zmq fd watch: %s", self->thread->index, err);
    unsigned sockets = 0;
    for (int index = 0; index < S_SOCKETS; index++)
        if (self->watches [index] == sock)
            sockets |= 1u << index;
    s_drain (self, sockets? sockets: S_ALL);
}

static void
s_on_tick (h2o_timeout_entry_t *entry)
{
    gw_bridge_t *self = H2O_STRUCT_FROM_MEMBER (gw_bridge_t, tick_entry, entry);
    int64_t now = oa_clock_mono_ms ();
    if (self->snapshot_loading && now - self->snapshot_activity_ms > S_SNAPSHOT_STALL_MS) {
        oa_log_warn ("gateway", "loop %d: snapshot stalled: asking again", self->thread->index);
        self->snapshot_wanted = true;
    }
    if (!gw_state_ready (self->state) && !self->snapshot_loading)
        self->snapshot_wanted = true;
    s_drain (self, S_ALL);          //  also sends a wanted snapshot request
    h2o_timeout_link (self->ctx->loop, &self->tick, &self->tick_entry);
}

//  --------------------------------------------------------------------------
//  Sockets

static zsock_t *
s_socket_new (int type, const char *endpoint, int hwm)
{
    zsock_t *sock = zsock_new (type);
    assert (sock);
    zsock_set_linger (sock, 0);
    zsock_set_sndhwm (sock, hwm);
    zsock_set_rcvhwm (sock, hwm);
    if (type == ZMQ_DEALER)
        zsock_set_immediate (sock, 1);     //  no queueing to a peer that is not there
    if (type == ZMQ_SUB)
        zsock_set_subscribe (sock, "");
    if (zsock_connect (sock, "%s", endpoint) != 0) {
        oa_log_error ("gateway", "cannot connect to %s", endpoint);
        zsock_destroy (&sock);
    }
    return sock;
}

static h2o_socket_t *
s_watch (gw_bridge_t *self, zsock_t *sock)
{
    return sock? gw_zwatch_new (self->ctx->loop, sock, s_on_readable, self): NULL;
}

//  --------------------------------------------------------------------------
//  Public API

gw_bridge_t *
gw_bridge_new (gw_thread_t *thread, const char *broker_endpoint)
{
    assert (thread);
    gw_bridge_t *self = calloc (1, sizeof (gw_bridge_t));
    assert (self);
    self->thread = thread;
    self->ctx = &thread->ctx;
    self->config = thread->gateway->config;
    self->corr_prefix = (uint64_t) (thread->index + 1) << 48;
    char host [32] = "";
    gethostname (host, sizeof host - 1);
    snprintf (self->gateway_id, sizeof self->gateway_id, "%.31s:%d:%d", host, (int) getpid (),
              thread->index);
    //  uint64 corr_id keys stored in the key pointer itself
    self->waiters = zhashx_new ();
    zhashx_set_key_hasher (self->waiters, oa_u64_key_hash);
    zhashx_set_key_comparator (self->waiters, oa_u64_key_compare);
    zhashx_set_key_duplicator (self->waiters, NULL);
    zhashx_set_key_destructor (self->waiters, NULL);
    self->state = gw_state_new ();
    if (self->config->token_key_prefix && *self->config->token_key_prefix)
        gw_state_set_key_prefix (self->state, self->config->token_key_prefix);

    if (broker_endpoint && *broker_endpoint)
        self->broker = s_socket_new (ZMQ_DEALER, broker_endpoint, S_HWM);
    self->ledger = s_socket_new (ZMQ_DEALER, self->config->ledger_endpoint, S_HWM);
    self->changes = s_socket_new (ZMQ_SUB, self->config->ledger_pub_endpoint, S_SUB_HWM);
    self->watches [S_BROKER] = s_watch (self, self->broker);
    self->watches [S_LEDGER] = s_watch (self, self->ledger);
    self->watches [S_CHANGES] = s_watch (self, self->changes);
    if (*thread->gateway->api_endpoint) {
        self->api = s_socket_new (ZMQ_DEALER, thread->gateway->api_endpoint, S_HWM);
        self->watches [S_API] = s_watch (self, self->api);
    }

    self->drain_entry.cb = s_on_drain_due;
    self->timeout_ms = self->config->relay_timeout_sec > 0
        ? (int64_t) self->config->relay_timeout_sec * 1000: S_DEFAULT_TIMEOUT_MS;
    h2o_timeout_init (self->ctx->loop, &self->deadlines,
                      (uint64_t) (self->timeout_ms + S_DEADLINE_GRACE_MS));
    h2o_timeout_init (self->ctx->loop, &self->api_deadlines,
                      (uint64_t) (thread->gateway->api_timeout_ms > 0
                                  ? thread->gateway->api_timeout_ms: S_API_TIMEOUT_MS));
    h2o_timeout_init (self->ctx->loop, &self->tick, S_TICK_MS);
    self->tick_entry.cb = s_on_tick;
    h2o_timeout_link (self->ctx->loop, &self->tick, &self->tick_entry);
    h2o_timeout_init (self->ctx->loop, &self->retry, S_SNAPSHOT_RETRY_MS);
    self->retry_entry.cb = s_on_snapshot_retry;
    self->snapshot_wanted = true;
    s_snapshot_request (self);
    s_schedule_drain (self, S_ALL); //  messages may already be queued
    self->admit = gw_admit_new (thread, self);
    return self;
}

void
gw_bridge_destroy (gw_bridge_t **self_p)
{
    assert (self_p);
    gw_bridge_t *self = *self_p;
    if (!self)
        return;
    gw_admit_destroy (&self->admit);
    if (self->local_broker)
        gw_broker_host_set_local (self->local_broker, NULL, NULL);
    if (self->local_replies) {
        oa_msg_t *local;
        while ((local = (oa_msg_t *) zlist_pop (self->local_replies)))
            oa_msg_destroy (&local);
        zlist_destroy (&self->local_replies);
    }
    for (int index = 0; index < S_SOCKETS; index++)
        gw_zwatch_close (&self->watches [index]);
    if (h2o_timeout_is_linked (&self->drain_entry))
        h2o_timeout_unlink (&self->drain_entry);
    if (h2o_timeout_is_linked (&self->tick_entry))
        h2o_timeout_unlink (&self->tick_entry);
    h2o_timeout_dispose (self->ctx->loop, &self->tick);
    if (h2o_timeout_is_linked (&self->retry_entry))
        h2o_timeout_unlink (&self->retry_entry);
    h2o_timeout_dispose (self->ctx->loop, &self->retry);
    //  Its entries belong to requests, all disposed by now unless their
    //  connections were abandoned at stop: those never run again.
    while (!h2o_linklist_is_empty (&self->deadlines._entries))
        h2o_timeout_unlink (H2O_STRUCT_FROM_MEMBER (h2o_timeout_entry_t, _link,
                                                    self->deadlines._entries.next));
    h2o_timeout_dispose (self->ctx->loop, &self->deadlines);
    while (!h2o_linklist_is_empty (&self->api_deadlines._entries))
        h2o_timeout_unlink (H2O_STRUCT_FROM_MEMBER (h2o_timeout_entry_t, _link,
                                                    self->api_deadlines._entries.next));
    h2o_timeout_dispose (self->ctx->loop, &self->api_deadlines);
    zsock_destroy (&self->api);
    zsock_destroy (&self->broker);
    zsock_destroy (&self->ledger);
    zsock_destroy (&self->changes);
    zhashx_destroy (&self->waiters);
    gw_state_destroy (&self->state);
    free (self);
    *self_p = NULL;
}

gw_bridge_t *
gw_bridge_of (gw_request_t *request)
{
    assert (request);
    return (gw_bridge_t *) request->thread->bridge;
}

gw_state_t *
gw_bridge_state (gw_bridge_t *self)
{
    assert (self);
    return self->state;
}

bool
gw_bridge_ready (gw_bridge_t *self)
{
    assert (self);
    return gw_state_ready (self->state);
}

int64_t
gw_bridge_timeout_ms (gw_bridge_t *self)
{
    assert (self);
    return self->timeout_ms;
}

h2o_timeout_t *
gw_bridge_deadlines (gw_bridge_t *self)
{
    assert (self);
    return &self->deadlines;
}

uint64_t
gw_bridge_next_corr_id (gw_bridge_t *self)
{
    assert (self);
    self->corr_counter = (self->corr_counter + 1) & ((1ULL << 48) - 1);
    if (self->corr_counter == 0)
        self->corr_counter = 1;
    return self->corr_prefix | self->corr_counter;
}

void
gw_bridge_register (gw_bridge_t *self, gw_bridge_waiter_t *waiter, uint64_t corr_id)
{
    assert (self);
    assert (waiter && waiter->on_reply);
    assert (corr_id);
    waiter->corr_id = corr_id;
    int rc = zhashx_insert (self->waiters, (void *) (uintptr_t) corr_id, waiter);
    assert (rc == 0);               //  corr_ids are unique by construction
}

void
gw_bridge_forget (gw_bridge_t *self, gw_bridge_waiter_t *waiter)
{
    assert (self);
    if (!waiter || !waiter->corr_id)
        return;
    if (zhashx_lookup (self->waiters, (void *) (uintptr_t) waiter->corr_id) == waiter)
        zhashx_delete (self->waiters, (void *) (uintptr_t) waiter->corr_id);
    waiter->corr_id = 0;
}

//  gw_broker_local_fn: a reply from the broker this loop hosts, kept for
//  the next drain (the broker may be calling from inside gw_bridge_send).
static void
s_on_local_reply (void *arg, oa_msg_t *msg)
{
    gw_bridge_t *self = (gw_bridge_t *) arg;
    zlist_append (self->local_replies, msg);
    s_schedule_drain (self, 0);
}

void
gw_bridge_use_local_broker (gw_bridge_t *self, gw_broker_host_t *broker)
{
    assert (self);
    assert (broker);
    self->local_broker = broker;
    if (!self->local_replies)
        self->local_replies = zlist_new ();
    gw_broker_host_set_local (broker, s_on_local_reply, self);
}

int
gw_bridge_send (gw_bridge_t *self, oa_msg_t *msg)
{
    assert (self);
    assert (msg);
    if (self->local_broker)
        return gw_broker_host_submit (self->local_broker, msg);
    if (!self->broker) {
        errno = EAGAIN;
        return -1;
    }
    int rc = oa_msg_send (msg, self->broker, OA_MSG_DONTWAIT);
    int saved = errno;
    //  The send may have consumed the fd's edge for a reply already queued.
    s_schedule_drain (self, 1u << S_BROKER);
    errno = saved;
    return rc;
}

int
gw_bridge_send_ledger (gw_bridge_t *self, oa_msg_t *msg)
{
    assert (self);
    assert (msg);
    if (!self->ledger) {
        errno = EAGAIN;
        return -1;
    }
    int rc = oa_msg_send (msg, self->ledger, OA_MSG_DONTWAIT);
    int saved = errno;
    s_schedule_drain (self, 1u << S_LEDGER);    //  as gw_bridge_send
    errno = saved;
    return rc;
}

gw_admit_t *
gw_bridge_admit (gw_bridge_t *self)
{
    assert (self);
    return self->admit;
}

int
gw_bridge_send_api (gw_bridge_t *self, oa_msg_t *msg)
{
    assert (self);
    assert (msg);
    if (!self->api) {
        errno = EAGAIN;
        return -1;
    }
    int rc = oa_msg_send (msg, self->api, OA_MSG_DONTWAIT);
    int saved = errno;
    s_schedule_drain (self, 1u << S_API);   //  as gw_bridge_send
    errno = saved;
    return rc;
}

h2o_timeout_t *
gw_bridge_api_deadlines (gw_bridge_t *self)
{
    assert (self);
    return &self->api_deadlines;
}

void
gw_bridge_cancel (gw_bridge_t *self, uint64_t corr_id, const char *reason)
{
    assert (self);
    oa_msg_t *cancel = oa_msg_new (OA_MSG_RELAY_CANCEL);
    oa_msg_set_corr_id (cancel, corr_id);
    oa_msg_set_reason (cancel, reason);
    if (gw_bridge_send (self, cancel) != 0)
        oa_log_warn ("gateway", "loop %d: RELAY_CANCEL %" PRIu64 " not sent: %s",
                     self->thread->index, corr_id, strerror (errno));
    oa_msg_destroy (&cancel);
}

uint64_t
gw_bridge_dropped (gw_bridge_t *self)
{
    assert (self);
    return self->dropped;
}

uint64_t
gw_bridge_snapshots_requested (gw_bridge_t *self)
{
    assert (self);
    return self->snapshots;
}
