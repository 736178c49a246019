/*  =========================================================================
    oa_ledger - the ledger actor: the single database writer

    Owns the store connection.  Start-up is a small state machine driven by
    a zpoller with a timeout of at most 100 ms, so the pipe ($TERM, STATUS)
    is always served promptly:

        CONNECTING --open+migrate+bootstrap ok--> READY
            |  \--retryable failure: backoff 100 ms .. 5 s, stay
            \--fatal failure--> FATAL (answers STATUS, waits for $TERM)

    While PostgreSQL connects, the driver polls s_interrupted every 100 ms,
    which serves the pipe in the middle of the attempt.

    Once READY, abilities are rebuilt from channels and oa_ledger_sync binds
    the ROUTER (ledger_bind) and the PUB (ledger_pub_bind).  A bind that
    fails (port taken) is retried every second with health component
    "sync" DOWN; STATUS still reports the store.  Extra pipe commands:
      PUBLISH <table> <op 1|2> <row json>  -> publishes a CHANGE (no reply)
      SYNC    -> "seq=<n> usage=<n> snapshots=<n>" | "NONE" before binding
      BILLING -> "received=<n> billed=<n> duplicates=<n> unbilled=<n>
                  errors=<n> batches=<n> quota=<n>" | "NONE" before binding

    Sibling actors in the process (the management API, ledger/api) send
    the same PUBLISH as a multipart message to an inproc PULL bound at
    start (oa_ledger_publish_endpoint): only this actor owns the PUB.

    USAGE on the ROUTER goes to oa_billing (group commit): the poll timeout
    is shortened to the pending batch's deadline and the batch is settled
    after every poll that finds it due.  RESERVE on the ROUTER is answered
    at once by oa_reserve (quota held in memory against the committed
    balances); billing releases each hold after the COMMIT that settles
    its request, and a PUBLISH of a tokens or users row (a management
    write) makes reservations read that balance again.  Holds are not
    persisted: after a restart they are gone, and the requests they
    covered settle without them.

    A connection lost once READY (PostgreSQL restarted) is noticed after
    the failing statement (oa_store_broken) and reopened with the same
    backoff; sync and billing keep their state and get the new store,
    whose statements are prepared again on first use.  Meanwhile batches
    fail fast, are rolled back and not acknowledged, so workers resend.
    =========================================================================
*/
#include "oa_ledger.h"

#include "oa_actor.h"

#include "oa_billing.h"
#include "oa_bootstrap.h"
#include "oa_health.h"
#include "oa_ids.h"
#include "oa_ledger_sync.h"
#include "oa_log.h"
#include "oa_msg.h"
#include "oa_reserve.h"
#include "oa_schema.h"
#include "oa_store.h"

#define S_POLL_MAX_MS 100
#define S_SYNC_RETRY_MS 1000

typedef enum {
    S_CONNECTING,               //  opening the store, with retries
    S_READY,                    //  store open, schema current
    S_FATAL                     //  cannot work; waiting to be stopped
} s_state_t;

typedef struct {
    zsock_t *pipe;                  //  actor pipe
    const oa_config_t *config;      //  settings; borrowed
    oa_store_t *store;              //  the connection, once open
    oa_store_options_t options;     //  how to open it (config, s_interrupted)
    s_state_t state;                //  where start-up is
    char reason [512];              //  last failure, or the fatal message
    oa_store_backoff_t backoff;     //  when to attempt the next open
    int attempts;                   //  failed attempts so far
    bool terminated;                //  $TERM received
    oa_ledger_sync_t *sync;         //  snapshot ROUTER and change PUB, once READY
    oa_billing_t *billing;          //  settles USAGE, with sync
    oa_reserve_t *reserve;          //  holds quota for admissions, with sync
    int64_t sync_next_attempt;      //  monotonic ms of the next bind attempt
    bool abilities_built;           //  abilities rebuilt since the store opened
    oa_store_reopen_t reopen;       //  READY store lost its connection
} s_self_t;

static bool
    s_interrupted (void *arg);

static s_self_t *
s_self_new (zsock_t *pipe, const oa_config_t *config)
{
    s_self_t *self = (s_self_t *) zmalloc (sizeof (s_self_t));
    self->pipe = pipe;
    self->config = config;
    self->options = oa_ledger_store_options (config, s_interrupted, self);
    self->state = S_CONNECTING;
    snprintf (self->reason, sizeof self->reason, "connecting");
    return self;
}

static void
s_self_destroy (s_self_t **self_p)
{
    s_self_t *self = *self_p;
    if (!self)
        return;
    oa_billing_destroy (&self->billing);       //  settles what is pending
    oa_reserve_destroy (&self->reserve);
    oa_ledger_sync_destroy (&self->sync);      //  borrows the store
    oa_store_destroy (&self->store);
    free (self);
    *self_p = NULL;
}

//  PUBLISH <table> <op> <row json>: a write made elsewhere in the ledger
//  (and tests) announces a committed change.
static void
s_handle_publish (s_self_t *self, zmsg_t *args)
{
    char *table = args? zmsg_popstr (args): NULL;
    char *op = args? zmsg_popstr (args): NULL;
    char *row = args? zmsg_popstr (args): NULL;
    if (!self->sync || !table || !op || !row)
        oa_log_warn ("ledger", "PUBLISH ignored: %s", self->sync? "missing arguments"
                                                                 : "sync not bound");
    else {
        oa_ledger_sync_publish (self->sync, table,
                                atoi (op) == OA_MSG_OP_DELETE? OA_MSG_OP_DELETE
                                                             : OA_MSG_OP_UPSERT, row);
        if (self->reserve)      //  a balance written elsewhere: read it again
            oa_reserve_forget (self->reserve, table, row);
    }
    zstr_free (&table);
    zstr_free (&op);
    zstr_free (&row);
}

static void
s_handle_pipe (s_self_t *self)
{
    zmsg_t *args = NULL;
    char *command = oa_actor_pipe_command (self->pipe, &args);
    if (!command) {
        self->terminated = true;    //  interrupted
        return;
    }
    if (streq (command, "$TERM"))
        self->terminated = true;
    else
    if (streq (command, "STATUS")) {
        if (self->state == S_READY)
            zstr_send (self->pipe, "READY");
        else
        if (self->state == S_FATAL)
            zstr_sendf (self->pipe, "FATAL %s", self->reason);
        else
            zstr_send (self->pipe, "CONNECTING");
    }
    else
    if (streq (command, "DRAIN")) {
        if (self->billing)
            oa_billing_flush (self->billing);
        zstr_send (self->pipe, "DRAINED");
    }
    else
    if (streq (command, "PUBLISH"))
        s_handle_publish (self, args);
    else
    if (streq (command, "SYNC")) {
        if (self->sync)
            zstr_sendf (self->pipe, "seq=%" PRIu64 " usage=%" PRIu64 " snapshots=%" PRIu64,
                        oa_ledger_sync_seq (self->sync),
                        oa_ledger_sync_usage_count (self->sync),
                        oa_ledger_sync_snapshot_count (self->sync));
        else
            zstr_send (self->pipe, "NONE");
    }
    else
    if (streq (command, "BILLING")) {
        const oa_billing_stats_t *stats = self->billing? oa_billing_stats (self->billing): NULL;
        if (stats)
            zstr_sendf (self->pipe, "received=%" PRIu64 " billed=%" PRIu64 " duplicates=%"
                        PRIu64 " unbilled=%" PRIu64 " errors=%" PRIu64 " batches=%" PRIu64
                        " quota=%" PRId64, stats->received, stats->billed, stats->duplicates,
                        stats->unbilled, stats->errors, stats->batches, stats->quota);
        else
            zstr_send (self->pipe, "NONE");
    }
    else
        oa_log_warn ("ledger", "unknown pipe command '%s'", command);
    zmsg_destroy (&args);
    zstr_free (&command);
}

//  Called by the PostgreSQL driver while connecting: serve the pipe.
static bool
s_interrupted (void *arg)
{
    s_self_t *self = (s_self_t *) arg;
    while (!self->terminated && (zsock_events (self->pipe) & ZMQ_POLLIN))
        s_handle_pipe (self);
    return self->terminated;
}

static void
s_fatal (s_self_t *self, const char *message)
{
    self->state = S_FATAL;
    snprintf (self->reason, sizeof self->reason, "%s", message);
    oa_store_destroy (&self->store);
    oa_log_error ("ledger", "store: %s", message);
    oa_health_set ("store", OA_HEALTH_DOWN, message);
}

static void
s_retry (s_self_t *self, const char *message)
{
    self->attempts++;
    snprintf (self->reason, sizeof self->reason, "%s", message);
    oa_store_destroy (&self->store);
    int wait = oa_store_backoff_failed (&self->backoff);
    oa_log_warn ("ledger", "store unavailable (attempt %d): %s; retrying in %d ms",
                 self->attempts, message, wait);
    oa_health_set ("store", OA_HEALTH_DOWN, message);
}

//  After open: a lost connection or a lock is worth retrying; anything
//  else (bad SQL against a foreign schema, constraint) would fail again.
static void
s_failed (s_self_t *self, const char *message)
{
    oa_store_errcode_t code = oa_store_errcode (self->store);
    if (oa_store_broken (self->store) || code == OA_STORE_ERR_CONN || code == OA_STORE_ERR_BUSY)
        s_retry (self, message);
    else
        s_fatal (self, message);
}

static void
s_attempt (s_self_t *self)
{
    const oa_config_t *config = self->config;
    char err [512];
    bool fatal = false;
    self->store = oa_store_open_with (&self->options, &fatal, err, sizeof err);
    if (self->terminated)
        return;
    if (!self->store) {
        if (fatal)
            s_fatal (self, err);
        else
            s_retry (self, err);
        return;
    }
    int rc = oa_schema_migrate (self->store, err, sizeof err);
    if (rc == -2) {
        s_fatal (self, err);
        return;
    }
    if (rc != 0) {
        s_failed (self, err);
        return;
    }
    if (oa_store_bootstrap (self->store, config->initial_root_token,
                            config->initial_root_access_token, err, sizeof err) < 0) {
        s_failed (self, err);
        return;
    }
    self->state = S_READY;
    self->reason [0] = 0;
    oa_health_set ("store", OA_HEALTH_READY, NULL);
    oa_log_info ("ledger", "store ready (%s, schema version %d)",
                 oa_store_driver_name (self->store), OA_SCHEMA_VERSION);
}

//  READY, connection lost: reopens the store without tearing down sync and
//  billing (they borrow it), so the ROUTER and PUB stay bound.
static void
s_reconnect (s_self_t *self)
{
    bool was_lost = self->reopen.active;
    oa_store_t *store = oa_store_reopen (&self->reopen, self->store, &self->options, "ledger");
    if (!was_lost && self->reopen.active)
        oa_health_set ("store", OA_HEALTH_DOWN, "connection lost");
    if (!store)
        return;
    if (self->sync)
        oa_ledger_sync_set_store (self->sync, store);
    if (self->billing)
        oa_billing_set_store (self->billing, store);
    if (self->reserve)
        oa_reserve_set_store (self->reserve, store);
    oa_store_destroy (&self->store);
    self->store = store;
    oa_health_set ("store", OA_HEALTH_READY, NULL);
}

//  A message on the ROUTER that sync does not serve: RESERVE is answered at
//  once (never blocks: a reply the gateway cannot take is dropped, and its
//  admission times out into the ledger-down path).
static void
s_handle_message (void *arg, oa_msg_t **msg_p)
{
    s_self_t *self = (s_self_t *) arg;
    oa_msg_t *msg = *msg_p;
    if (oa_msg_id (msg) == OA_MSG_RESERVE && self->reserve) {
        oa_msg_t *reply = oa_reserve_handle (self->reserve, msg);
        if (oa_msg_send (reply, zsock_resolve (oa_ledger_sync_router (self->sync)),
                         OA_MSG_DONTWAIT) != 0)
            oa_log_warn ("ledger", "RESERVE_REPLY not sent: %s", strerror (errno));
        oa_msg_destroy (&reply);
    }
    else
        oa_log_debug ("ledger", "%s ignored", oa_msg_command (msg));
}

//  Once READY: abilities from channels (once per store), then the sockets.
static void
s_sync_start (s_self_t *self, zpoller_t *poller)
{
    char err [512];
    if (!self->abilities_built) {
        int rows = oa_store_abilities_rebuild (self->store, err, sizeof err);
        if (rows < 0) {
            oa_log_error ("ledger", "%s", err);
            oa_health_set ("sync", OA_HEALTH_DOWN, err);
            self->sync_next_attempt = oa_clock_mono_ms () + S_SYNC_RETRY_MS;
            return;
        }
        oa_log_info ("ledger", "abilities rebuilt from channels: %d rows", rows);
        self->abilities_built = true;
    }
    self->sync = oa_ledger_sync_new (self->store, self->config->ledger_bind,
                                     self->config->ledger_pub_bind, err, sizeof err);
    if (!self->sync) {
        oa_log_warn ("ledger", "sync: %s; retrying in %d ms", err, S_SYNC_RETRY_MS);
        oa_health_set ("sync", OA_HEALTH_DOWN, err);
        self->sync_next_attempt = oa_clock_mono_ms () + S_SYNC_RETRY_MS;
        return;
    }
    self->billing = oa_billing_new (self->store, oa_ledger_sync_router (self->sync), self->sync);
    oa_ledger_sync_set_billing (self->sync, self->billing);
    self->reserve = oa_reserve_new (self->store);
    oa_billing_set_reserve (self->billing, self->reserve);
    oa_ledger_sync_set_handler (self->sync, s_handle_message, self);
    zpoller_add (poller, oa_ledger_sync_router (self->sync));
    oa_health_set ("sync", OA_HEALTH_READY, NULL);
}

void
oa_ledger_publish_endpoint (const oa_config_t *config, char *out, size_t out_size)
{
    //  Unique per ledger in a process: named after the ledger's own bind.
    snprintf (out, out_size, "inproc://oneapi-publish/%s", config->ledger_bind);
}

//  A PUBLISH from a sibling actor (see the header): "PUBLISH" table op row.
static void
s_handle_publish_pull (s_self_t *self, zsock_t *pull)
{
    for (int count = 0; count < 100 && (zsock_events (pull) & ZMQ_POLLIN); count++) {
        zmsg_t *msg = zmsg_recv (pull);         //  POLLIN: does not block
        char *command = msg? zmsg_popstr (msg): NULL;
        if (command && streq (command, "PUBLISH"))
            s_handle_publish (self, msg);
        zstr_free (&command);
        zmsg_destroy (&msg);
    }
}

void
oa_ledger_actor (zsock_t *pipe, void *args)
{
    oa_actor_set_name ("oa-ledger");
    s_self_t *self = s_self_new (pipe, (const oa_config_t *) args);
    oa_health_set ("store", OA_HEALTH_DOWN, "connecting");
    zpoller_t *poller = zpoller_new (pipe, NULL);
    char publish_endpoint [512];
    oa_ledger_publish_endpoint (self->config, publish_endpoint, sizeof publish_endpoint);
    zsock_t *publish_pull = zsock_new (ZMQ_PULL);
    assert (publish_pull);
    zsock_set_linger (publish_pull, 0);
    if (zsock_bind (publish_pull, "%s", publish_endpoint) == 0)
        zpoller_add (poller, publish_pull);
    else
        oa_log_warn ("ledger", "cannot bind %s: sibling changes will not be published",
                     publish_endpoint);
    zsock_signal (pipe, 0);
    while (!self->terminated) {
        int timeout = S_POLL_MAX_MS;
        if (self->state == S_CONNECTING) {
            int64_t wait = oa_store_backoff_wait (&self->backoff);
            timeout = wait > S_POLL_MAX_MS? S_POLL_MAX_MS: (int) wait;
        }
        int due = self->billing? oa_billing_wait_ms (self->billing): -1;
        if (due >= 0 && due < timeout)
            timeout = due;
        void *which = zpoller_wait (poller, timeout);
        if (which == pipe)
            s_handle_pipe (self);
        else
        if (self->sync && which == oa_ledger_sync_router (self->sync))
            oa_ledger_sync_handle (self->sync);
        else
        if (which == publish_pull)
            s_handle_publish_pull (self, publish_pull);
        else
        if (zpoller_terminated (poller))
            break;
        if (self->billing)
            oa_billing_tick (self->billing);
        if (self->reserve)
            oa_reserve_expire (self->reserve, oa_clock_mono_ms ());
        if (!self->terminated && self->state == S_CONNECTING
        &&  oa_store_backoff_wait (&self->backoff) == 0)
            s_attempt (self);
        if (!self->terminated && self->state == S_READY && self->store)
            s_reconnect (self);
        if (!self->terminated && self->state == S_READY && !self->sync
        &&  !self->reopen.active && oa_clock_mono_ms () >= self->sync_next_attempt)
            s_sync_start (self, poller);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&publish_pull);
    s_self_destroy (&self);
}

oa_store_options_t
oa_ledger_store_options (const oa_config_t *config, bool (*interrupted) (void *), void *arg)
{
    return (oa_store_options_t) {
        .sql_dsn = config->sql_dsn,
        .sqlite_path = config->sqlite_path,
        .busy_timeout_ms = config->sqlite_busy_timeout,
        .interrupted = interrupted,
        .interrupt_arg = arg
    };
}

int
oa_store_migrate_only (const oa_config_t *config, char *err, size_t err_size)
{
    oa_store_options_t options = oa_ledger_store_options (config, NULL, NULL);
    oa_store_t *store = oa_store_open_with (&options, NULL, err, err_size);
    if (!store)
        return -1;
    int rc = oa_schema_migrate (store, err, err_size);
    if (rc == 0)
        oa_log_info ("ledger", "schema is at version %d (%s)", OA_SCHEMA_VERSION,
                     oa_store_driver_name (store));
    oa_store_destroy (&store);
    return rc == 0? 0: -1;
}
