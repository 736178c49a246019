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
    =========================================================================
*/
#include "oa_ledger.h"

#include "oa_bootstrap.h"
#include "oa_health.h"
#include "oa_ids.h"
#include "oa_log.h"
#include "oa_schema.h"
#include "oa_store.h"

#define S_BACKOFF_MIN_MS 100
#define S_BACKOFF_MAX_MS 5000
#define S_POLL_MAX_MS 100

typedef enum {
    S_CONNECTING,               //  opening the store, with retries
    S_READY,                    //  store open, schema current
    S_FATAL                     //  cannot work; waiting to be stopped
} s_state_t;

typedef struct {
    zsock_t *pipe;                  //  actor pipe
    const oa_config_t *config;      //  settings; borrowed
    oa_store_t *store;              //  the connection, once open
    s_state_t state;                //  where start-up is
    char reason [512];              //  last failure, or the fatal message
    int backoff_ms;                 //  wait before the next attempt
    int64_t next_attempt;           //  monotonic ms of the next attempt
    int attempts;                   //  failed attempts so far
    bool terminated;                //  $TERM received
    //  Later issue: the ROUTER for usage/reserve messages and the PUB for
    //  the change stream are created here, once READY.
} s_self_t;

static s_self_t *
s_self_new (zsock_t *pipe, const oa_config_t *config)
{
    s_self_t *self = (s_self_t *) zmalloc (sizeof (s_self_t));
    self->pipe = pipe;
    self->config = config;
    self->state = S_CONNECTING;
    self->backoff_ms = S_BACKOFF_MIN_MS;
    self->next_attempt = oa_clock_mono_ms ();
    snprintf (self->reason, sizeof self->reason, "connecting");
    return self;
}

static void
s_self_destroy (s_self_t **self_p)
{
    s_self_t *self = *self_p;
    if (!self)
        return;
    oa_store_destroy (&self->store);
    free (self);
    *self_p = NULL;
}

static void
s_handle_pipe (s_self_t *self)
{
    char *command = zstr_recv (self->pipe);
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
    if (streq (command, "DRAIN"))
        zstr_send (self->pipe, "DRAINED");
    else
        oa_log_warn ("ledger", "unknown pipe command '%s'", command);
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
    oa_log_warn ("ledger", "store unavailable (attempt %d): %s; retrying in %d ms",
                 self->attempts, message, self->backoff_ms);
    oa_health_set ("store", OA_HEALTH_DOWN, message);
    self->next_attempt = oa_clock_mono_ms () + self->backoff_ms;
    self->backoff_ms *= 2;
    if (self->backoff_ms > S_BACKOFF_MAX_MS)
        self->backoff_ms = S_BACKOFF_MAX_MS;
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
    oa_store_options_t options = {
        .sql_dsn = config->sql_dsn,
        .sqlite_path = config->sqlite_path,
        .busy_timeout_ms = config->sqlite_busy_timeout,
        .interrupted = s_interrupted,
        .interrupt_arg = self
    };
    char err [512];
    bool fatal = false;
    self->store = oa_store_open_with (&options, &fatal, err, sizeof err);
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

void
oa_ledger_actor (zsock_t *pipe, void *args)
{
    s_self_t *self = s_self_new (pipe, (const oa_config_t *) args);
    oa_health_set ("store", OA_HEALTH_DOWN, "connecting");
    zpoller_t *poller = zpoller_new (pipe, NULL);
    //  Later issue: zpoller_add the ROUTER here once it exists.
    zsock_signal (pipe, 0);
    while (!self->terminated) {
        int timeout = S_POLL_MAX_MS;
        if (self->state == S_CONNECTING) {
            int64_t wait = self->next_attempt - oa_clock_mono_ms ();
            timeout = wait < 0? 0: wait > S_POLL_MAX_MS? S_POLL_MAX_MS: (int) wait;
        }
        void *which = zpoller_wait (poller, timeout);
        if (which == pipe)
            s_handle_pipe (self);
        else
        if (zpoller_terminated (poller))
            break;
        if (!self->terminated && self->state == S_CONNECTING
        &&  oa_clock_mono_ms () >= self->next_attempt)
            s_attempt (self);
    }
    zpoller_destroy (&poller);
    s_self_destroy (&self);
}

int
oa_store_migrate_only (const oa_config_t *config, char *err, size_t err_size)
{
    oa_store_options_t options = {
        .sql_dsn = config->sql_dsn,
        .sqlite_path = config->sqlite_path,
        .busy_timeout_ms = config->sqlite_busy_timeout
    };
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
