/*  =========================================================================
    oa_billing - settlement of USAGE with group commit (see oa_billing.h)

    Transaction of one batch, in this order:
        BEGIN
        SELECT options (GroupRatio, LogConsumeEnabled)
        SELECT tokens, users, channels of the batch (one statement each)
        -- price every event in memory --
        cost rows: SQLite INSERT ... ON CONFLICT DO NOTHING, one changed row = new;
          PostgreSQL SELECT the ids already billed, COPY the others
        logs (the new events only, when LogConsumeEnabled): INSERT / COPY
        UPDATE tokens / users / channels, one statement each, per-row sums
        COMMIT
    then USAGE_ACK to every sender and one CHANGE per token and user billed.
    The events of a batch share one `now` (created_at of their log rows).
    =========================================================================
*/
#include "oa_billing_private.h"

#include "oa_log.h"
#include "oa_metrics.h"
#include "oa_reserve.h"

//  Channels kept in the pricing cache before it is emptied.
#define S_CHANNEL_CACHE_MAX 10000
//  Request ids per USAGE_ACK (the schema's limit).
#define S_ACK_MAX 1024
//  Batches grow only while one takes less than this (microseconds).
#define S_GROW_BELOW_US 50000

struct _oa_billing_t {
    oa_store_t *store;              //  the ledger's connection; borrowed
    zsock_t *router;                //  ROUTER the USAGEs came in on; borrowed
    oa_ledger_sync_t *sync;         //  publishes CHANGEs; borrowed, may be NULL
    oa_reserve_t *reserve;          //  holds released at settlement; borrowed, may be NULL
    oa_pricing_t *pricing;          //  default price tables
    oa_pricing_groups_t *groups;    //  GroupRatio, reloaded when the option changes
    char *group_ratio;              //  GroupRatio text last loaded, NULL = default
    bool log_enabled;               //  LogConsumeEnabled, read per batch
    oa_billing_event_t *events;     //  the batch; OA_BILLING_BATCH_GROWN slots
    size_t count;                   //  events in the batch
    size_t limit;                   //  settled at this many events
    int64_t last_flush_us;          //  how long the last batch took
    int64_t grow_below_us;          //  batches grow only while one takes less
    int64_t due_ms;                 //  monotonic ms the batch must be settled by
    zhashx_t *tokens;               //  this batch's tokens, by id text
    zhashx_t *users;                //  this batch's users, by id text
    zhashx_t *channels;             //  channel cache, by id text
    oa_billing_buf_t buf;           //  JSON parameter text, reused
    oa_billing_rates_t rates;       //  last formatted log rates
    oa_billing_stats_t stats;       //  counters
    oa_metric_t *m_usage;           //  oneapi_ledger_usage_total{result}
    oa_metric_t *m_batches;         //  oneapi_ledger_billing_batches_total{result}
    oa_metric_t *m_batch_seconds;   //  oneapi_ledger_billing_batch_seconds
    oa_metric_t *m_ack_seconds;     //  oneapi_ledger_usage_ack_seconds
    oa_metric_t *m_quota;           //  oneapi_ledger_billed_quota_total
};

//  SQLite settings of the billing connection.  The default page cache
//  (2 MiB) cannot hold the indexes of logs (18 in one-api's schema): every
//  batch would read and write pages.  The default checkpoint interval (1,000
//  WAL pages) makes nearly every batch's COMMIT a checkpoint, each with two
//  fsyncs and all pages written again: 64 MiB of WAL between checkpoints
//  writes a page touched by many batches once.
static void
s_tune (oa_store_t *store)
{
    if (oa_store_is_postgres (store))
        return;
    if (oa_store_exec (store, "PRAGMA cache_size = -65536"))
        oa_log_warn ("ledger", "billing: cannot enlarge the SQLite cache: %s",
                     oa_store_error (store));
    if (oa_store_exec (store, "PRAGMA wal_autocheckpoint = 16384"))
        oa_log_warn ("ledger", "billing: cannot set the SQLite checkpoint interval: %s",
                     oa_store_error (store));
}

oa_billing_t *
oa_billing_new (oa_store_t *store, zsock_t *router, oa_ledger_sync_t *sync)
{
    assert (store);
    assert (router);
    oa_billing_t *self = (oa_billing_t *) zmalloc (sizeof (oa_billing_t));
    self->store = store;
    self->router = router;
    self->sync = sync;
    self->pricing = oa_pricing_new ();
    self->groups = oa_pricing_groups_new ();
    assert (self->pricing && self->groups);
    self->log_enabled = true;
    s_tune (store);
    self->events = (oa_billing_event_t *) zmalloc (OA_BILLING_BATCH_GROWN
                                                   * sizeof (oa_billing_event_t));
    self->limit = OA_BILLING_BATCH_MAX;
    self->grow_below_us = S_GROW_BELOW_US;
    self->tokens = zhashx_new ();
    zhashx_set_destructor (self->tokens, (zhashx_destructor_fn *) oa_billing_token_destroy);
    self->users = zhashx_new ();
    zhashx_set_destructor (self->users, (zhashx_destructor_fn *) oa_billing_user_destroy);
    self->channels = zhashx_new ();
    zhashx_set_destructor (self->channels, (zhashx_destructor_fn *) oa_billing_channel_destroy);
    oa_metrics_t *metrics = oa_metrics_global ();
    self->m_usage = oa_metrics_counter (metrics, "oneapi_ledger_usage_total",
        "USAGE messages settled, by result (billed, duplicate, unbilled, error)", "result");
    self->m_batches = oa_metrics_counter (metrics, "oneapi_ledger_billing_batches_total",
        "Settlement transactions, by result (commit, rollback)", "result");
    static const double batch_buckets [] = { .001, .0025, .005, .01, .025, .05, .1, .25, 1 };
    self->m_batch_seconds = oa_metrics_histogram (metrics, "oneapi_ledger_billing_batch_seconds",
        "Time to settle one batch", NULL, batch_buckets, 9);
    static const double ack_buckets [] = { .001, .0025, .005, .01, .02, .05, .1, .25, 1, 5 };
    self->m_ack_seconds = oa_metrics_histogram (metrics, "oneapi_ledger_usage_ack_seconds",
        "Time from USAGE received to USAGE_ACK sent", NULL, ack_buckets, 10);
    self->m_quota = oa_metrics_counter (metrics, "oneapi_ledger_billed_quota_total",
        "Quota billed", NULL);
    return self;
}

void
oa_billing_set_reserve (oa_billing_t *self, oa_reserve_t *reserve)
{
    assert (self);
    self->reserve = reserve;
}

void
oa_billing_set_store (oa_billing_t *self, oa_store_t *store)
{
    assert (self);
    assert (store);
    self->store = store;
    s_tune (store);
}

static void
s_event_clear (oa_billing_event_t *event)
{
    oa_msg_destroy (&event->msg);
    free (event->content);
    free (event->metadata);
    memset (event, 0, sizeof *event);
}

void
oa_billing_destroy (oa_billing_t **self_p)
{
    oa_billing_t *self = *self_p;
    if (!self)
        return;
    if (self->count)
        oa_billing_flush (self);
    for (size_t at = 0; at < self->count; at++)
        s_event_clear (&self->events [at]);
    free (self->events);
    zhashx_destroy (&self->tokens);
    zhashx_destroy (&self->users);
    zhashx_destroy (&self->channels);
    oa_pricing_destroy (&self->pricing);
    oa_pricing_groups_destroy (&self->groups);
    free (self->group_ratio);
    oa_billing_buf_free (&self->buf);
    free (self);
    *self_p = NULL;
}

void
oa_billing_usage (oa_billing_t *self, oa_msg_t **usage_p)
{
    assert (self);
    oa_msg_t *usage = *usage_p;
    *usage_p = NULL;
    if (!usage)
        return;
    assert (oa_msg_id (usage) == OA_MSG_USAGE);
    if (self->count == OA_BILLING_BATCH_GROWN)
        oa_billing_flush (self);    //  only if a flush failed to empty it
    oa_billing_event_t *event = &self->events [self->count++];
    memset (event, 0, sizeof *event);
    event->msg = usage;
    event->received_us = oa_clock_mono_us ();
    self->stats.received++;
    if (self->count == 1)
        self->due_ms = oa_clock_mono_ms () + OA_BILLING_FLUSH_MS;
    if (self->count >= self->limit)
        oa_billing_flush (self);
}

int
oa_billing_wait_ms (oa_billing_t *self)
{
    if (!self->count)
        return -1;
    int64_t wait = self->due_ms - oa_clock_mono_ms ();
    return wait < 0? 0: (int) wait;
}

void
oa_billing_tick (oa_billing_t *self)
{
    if (self->count && oa_clock_mono_ms () >= self->due_ms)
        oa_billing_flush (self);
}

size_t
oa_billing_pending (oa_billing_t *self)
{
    return self->count;
}

const oa_billing_stats_t *
oa_billing_stats (oa_billing_t *self)
{
    return &self->stats;
}


//  --------------------------------------------------------------------------
//  Settling a batch

//  Sorts events into what happens to them; duplicates within the batch are
//  found here so that the database sees each request id once.
static void
s_classify (oa_billing_event_t *events, size_t count)
{
    //  Keys borrowed from the messages, which outlive the table.
    zhashx_t *seen = zhashx_new ();
    zhashx_set_key_duplicator (seen, NULL);
    zhashx_set_key_destructor (seen, NULL);
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        oa_msg_t *msg = event->msg;
        event->is_new = false;
        event->state = OA_BILLING_BILL;
        const char *request_id = oa_msg_request_id (msg);
        bool no_tokens = oa_msg_prompt_tokens (msg) == 0 && oa_msg_completion_tokens (msg) == 0;
        if (!*request_id || oa_msg_token_id (msg) == 0 || !*oa_msg_model (msg)
        ||  oa_msg_token_id (msg) > INT64_MAX || oa_msg_channel_id (msg) > INT64_MAX) {
            oa_log (OA_LOG_ERROR, "ledger", request_id,
                    "billing: USAGE without request id, token or model not billed");
            event->state = OA_BILLING_ERROR;
        }
        else
        if ((oa_msg_status (msg) >= 400 && no_tokens) || oa_msg_channel_id (msg) == 0)
            //  one-api bills and logs nothing for a failed request
            event->state = OA_BILLING_UNBILLED;
        else
        if (zhashx_lookup (seen, request_id))
            event->state = OA_BILLING_DUPLICATE;
        else
            zhashx_insert (seen, request_id, event);
    }
    zhashx_destroy (&seen);
}

//  JSON array of the distinct ids in a hash keyed by id text.
static void
s_ids_json (zhashx_t *ids, oa_billing_buf_t *buf)
{
    oa_billing_buf_reset (buf);
    oa_billing_buf_raw (buf, "[");
    bool first = true;
    for (void *item = zhashx_first (ids); item; item = zhashx_next (ids)) {
        if (!first)
            oa_billing_buf_raw (buf, ",");
        first = false;
        oa_billing_buf_raw (buf, (const char *) zhashx_cursor (ids));
    }
    oa_billing_buf_raw (buf, "]");
}

//  Reads what the batch needs, in the transaction.
static int
s_read (oa_billing_t *self, oa_billing_event_t *events, size_t count)
{
    char *group_ratio = NULL;
    if (oa_billing_sql_options (self->store, &group_ratio, &self->log_enabled))
        return -1;
    bool changed = (group_ratio == NULL) != (self->group_ratio == NULL)
                || (group_ratio && strcmp (group_ratio, self->group_ratio));
    if (changed) {
        char err [256];
        if (!group_ratio) {
            oa_pricing_groups_destroy (&self->groups);
            self->groups = oa_pricing_groups_new ();
        }
        else
        if (oa_pricing_groups_load (self->groups, group_ratio, err, sizeof err) != 0)
            oa_log_warn ("ledger", "billing: GroupRatio ignored: %s", err);
        free (self->group_ratio);
        self->group_ratio = group_ratio;
    }
    else
        free (group_ratio);

    zhashx_purge (self->tokens);
    zhashx_purge (self->users);
    if (zhashx_size (self->channels) > S_CHANNEL_CACHE_MAX)
        zhashx_purge (self->channels);
    zhashx_t *token_ids = zhashx_new ();
    zhashx_t *channel_ids = zhashx_new ();
    for (size_t at = 0; at < count; at++) {
        oa_msg_t *msg = events [at].msg;
        if (events [at].state != OA_BILLING_BILL)
            continue;
        char key [24];
        zhashx_insert (token_ids, oa_billing_id_key ((int64_t) oa_msg_token_id (msg), key,
                                                     sizeof key),
                       events + at);
        zhashx_insert (channel_ids, oa_billing_id_key ((int64_t) oa_msg_channel_id (msg), key,
                                                       sizeof key),
                       events + at);
    }
    for (oa_billing_channel_t *channel = (oa_billing_channel_t *) zhashx_first (self->channels);
         channel; channel = (oa_billing_channel_t *) zhashx_next (self->channels)) {
        channel->seen = false;
        channel->used = 0;
    }
    s_ids_json (token_ids, &self->buf);
    int rc = oa_billing_sql_tokens (self->store, self->buf.data, self->tokens);
    if (rc == 0) {
        zhashx_t *user_ids = zhashx_new ();
        for (oa_billing_token_t *token = (oa_billing_token_t *) zhashx_first (self->tokens);
             token; token = (oa_billing_token_t *) zhashx_next (self->tokens)) {
            char key [24];
            zhashx_insert (user_ids, oa_billing_id_key (token->user_id, key, sizeof key), token);
        }
        s_ids_json (user_ids, &self->buf);
        zhashx_destroy (&user_ids);
        rc = oa_billing_sql_users (self->store, self->buf.data, self->users);
    }
    if (rc == 0) {
        s_ids_json (channel_ids, &self->buf);
        rc = oa_billing_sql_channels (self->store, self->buf.data, self->channels);
    }
    zhashx_destroy (&token_ids);
    zhashx_destroy (&channel_ids);
    return rc;
}

//  Adds the new events to the per-row sums.
static void
s_sum (oa_billing_t *self, oa_billing_event_t *events, size_t count)
{
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        if (event->state != OA_BILLING_BILL || !event->is_new)
            continue;
        char key [24];
        oa_billing_token_t *token = (oa_billing_token_t *) zhashx_lookup (self->tokens,
            oa_billing_id_key ((int64_t) oa_msg_token_id (event->msg), key, sizeof key));
        oa_billing_user_t *user = (oa_billing_user_t *) zhashx_lookup (self->users,
            oa_billing_id_key (event->user_id, key, sizeof key));
        oa_billing_channel_t *channel = (oa_billing_channel_t *) zhashx_lookup (self->channels,
            oa_billing_id_key ((int64_t) oa_msg_channel_id (event->msg), key, sizeof key));
        assert (token && user);     //  priced events have both
        token->quota += event->quota;
        token->touched = true;
        user->quota += event->quota;
        user->touched = true;
        //  one-api updates used_quota and request_count only for a charge
        if (event->quota > 0) {
            user->used += event->quota;
            user->count++;
            if (channel && channel->seen)
                channel->used += event->quota;
        }
    }
}

//  Settles events in one transaction.  Returns 0, -1 when the failure is
//  the connection's (retry later), -2 for any other failure.
static int
s_settle (oa_billing_t *self, oa_billing_event_t *events, size_t count)
{
    oa_store_t *store = self->store;
    //  Phase times (us) for the debug log: read, price, costs, logs,
    //  balances, commit.
    int64_t mark [7];
    mark [0] = oa_clock_mono_us ();
    s_classify (events, count);
    int64_t now_ms = oa_clock_ms ();
    int64_t now_s = now_ms / 1000;
    int rc = oa_store_begin (store);
    if (rc == 0)
        rc = s_read (self, events, count);
    mark [1] = oa_clock_mono_us ();
    //  After s_read: it may have reloaded GroupRatio
    oa_billing_tables_t tables = {
        self->pricing, self->groups, self->tokens, self->users, self->channels, &self->buf,
        &self->rates
    };
    if (rc == 0)
        for (size_t at = 0; at < count; at++)
            if (events [at].state == OA_BILLING_BILL && !oa_billing_price (&events [at], &tables))
                events [at].state = OA_BILLING_ERROR;
    mark [2] = oa_clock_mono_us ();
    if (rc == 0)
        rc = oa_billing_sql_costs (store, events, count, now_s, now_ms, &self->buf);
    if (rc == 0)
        s_sum (self, events, count);
    mark [3] = oa_clock_mono_us ();
    if (rc == 0 && self->log_enabled)
        rc = oa_billing_sql_logs (store, events, count, now_s, now_ms, &self->buf);
    mark [4] = oa_clock_mono_us ();
    if (rc == 0)
        rc = oa_billing_sql_balances (store, self->tokens, self->users, self->channels, now_s,
                                      &self->buf);
    mark [5] = oa_clock_mono_us ();
    if (rc == 0)
        rc = oa_store_commit (store);
    mark [6] = oa_clock_mono_us ();
    if (rc == 0 && oa_log_enabled (OA_LOG_DEBUG))
        oa_log_debug ("ledger", "billing: batch of %zu in %" PRId64 " us: read %" PRId64
                      ", price %" PRId64 ", costs %" PRId64 ", logs %" PRId64 ", balances %"
                      PRId64 ", commit %" PRId64, count, mark [6] - mark [0],
                      mark [1] - mark [0], mark [2] - mark [1], mark [3] - mark [2],
                      mark [4] - mark [3], mark [5] - mark [4], mark [6] - mark [5]);
    if (rc == 0)
        return 0;
    oa_store_errcode_t code = oa_store_errcode (store);
    bool broken = oa_store_broken (store);
    oa_log_error ("ledger", "billing: batch of %zu rolled back: %s", count,
                  oa_store_error (store));
    if (oa_store_in_transaction (store))
        oa_store_rollback (store);
    return broken || code == OA_STORE_ERR_CONN || code == OA_STORE_ERR_BUSY? -1: -2;
}

//  After COMMIT: CHANGEs for the tokens and users whose balances moved.
static void
s_publish (oa_billing_t *self)
{
    if (!self->sync)
        return;
    size_t size = zhashx_size (self->tokens) + zhashx_size (self->users) + 1;
    int64_t *ids = (int64_t *) malloc (size * sizeof (int64_t));
    assert (ids);
    size_t count = 0;
    for (oa_billing_token_t *token = (oa_billing_token_t *) zhashx_first (self->tokens); token;
         token = (oa_billing_token_t *) zhashx_next (self->tokens))
        if (token->touched)
            ids [count++] = token->id;
    int published = count? oa_ledger_sync_publish_ids (self->sync, "tokens", ids, count): 0;
    count = 0;
    for (oa_billing_user_t *user = (oa_billing_user_t *) zhashx_first (self->users); user;
         user = (oa_billing_user_t *) zhashx_next (self->users))
        if (user->touched)
            ids [count++] = user->id;
    int more = count? oa_ledger_sync_publish_ids (self->sync, "users", ids, count): 0;
    free (ids);
    if (published > 0)
        self->stats.changes += (uint64_t) published;
    if (more > 0)
        self->stats.changes += (uint64_t) more;
}

//  One USAGE_ACK per sender (several past S_ACK_MAX ids), for the events
//  flagged in acked.
static void
s_ack (oa_billing_t *self, oa_billing_event_t *events, size_t count, const bool *acked)
{
    zlistx_t *pending = zlistx_new ();     //  USAGE_ACKs being filled, one per sender
    int64_t now_us = oa_clock_mono_us ();
    for (size_t at = 0; at < count; at++) {
        if (!acked [at])
            continue;
        oa_msg_t *msg = events [at].msg;
        zframe_t *routing = oa_msg_routing_id (msg);
        oa_msg_t *ack = NULL;
        for (oa_msg_t *item = (oa_msg_t *) zlistx_first (pending); item && !ack;
             item = (oa_msg_t *) zlistx_next (pending))
            if (zframe_eq (oa_msg_routing_id (item), routing))
                ack = item;
        if (ack && oa_msg_request_ids (ack) && zlist_size (oa_msg_request_ids (ack)) >= S_ACK_MAX) {
            if (oa_msg_send (ack, zsock_resolve (self->router), OA_MSG_DONTWAIT) == 0)
                self->stats.acks++;
            oa_msg_set_request_ids (ack, NULL);
        }
        if (!ack) {
            if (!routing)
                continue;       //  handed in without a sender (tests)
            ack = oa_msg_new_reply (msg, OA_MSG_USAGE_ACK);
            zlistx_add_end (pending, ack);
        }
        oa_msg_request_ids_append (ack, oa_msg_request_id (msg));
        oa_histogram_observe (self->m_ack_seconds, NULL,
                              (double) (now_us - events [at].received_us) / 1e6);
    }
    for (oa_msg_t *ack = (oa_msg_t *) zlistx_first (pending); ack;
         ack = (oa_msg_t *) zlistx_next (pending)) {
        if (oa_msg_send (ack, zsock_resolve (self->router), OA_MSG_DONTWAIT) == 0)
            self->stats.acks++;
        else
            oa_log_warn ("ledger", "billing: USAGE_ACK not sent: %s (the worker resends)",
                         strerror (errno));
        oa_msg_destroy (&ack);
    }
    zlistx_destroy (&pending);
}

//  Counts the settled events and marks which are acknowledged.
static void
s_account (oa_billing_t *self, oa_billing_event_t *events, size_t count, bool *acked)
{
    static const char *billed [] = { "billed" };
    static const char *duplicate [] = { "duplicate" };
    static const char *unbilled [] = { "unbilled" };
    static const char *error [] = { "error" };
    uint64_t counts [4] = { 0, 0, 0, 0 };
    int64_t quota = 0;
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        acked [at] = true;
        if (self->reserve)      //  committed: charge the cache, release the hold
            oa_reserve_settle (self->reserve, oa_msg_request_id (event->msg),
                               (int64_t) oa_msg_token_id (event->msg), event->user_id,
                               event->quota, event->state == OA_BILLING_BILL && event->is_new);
        if (event->state == OA_BILLING_BILL && event->is_new) {
            counts [0]++;
            quota += event->quota;
        }
        else
        if (event->state == OA_BILLING_BILL || event->state == OA_BILLING_DUPLICATE)
            counts [1]++;
        else
        if (event->state == OA_BILLING_UNBILLED)
            counts [2]++;
        else
            counts [3]++;
    }
    self->stats.billed += counts [0];
    self->stats.duplicates += counts [1];
    self->stats.unbilled += counts [2];
    self->stats.errors += counts [3];
    self->stats.quota += quota;
    if (counts [0])
        oa_counter_add (self->m_usage, billed, (double) counts [0]);
    if (counts [1])
        oa_counter_add (self->m_usage, duplicate, (double) counts [1]);
    if (counts [2])
        oa_counter_add (self->m_usage, unbilled, (double) counts [2]);
    if (counts [3])
        oa_counter_add (self->m_usage, error, (double) counts [3]);
    if (quota > 0)
        oa_counter_add (self->m_quota, NULL, (double) quota);
}

void
oa_billing_set_grow_below (oa_billing_t *self, int64_t us)
{
    assert (self);
    self->grow_below_us = us;
}

int
oa_billing_flush (oa_billing_t *self)
{
    assert (self);
    size_t count = self->count;
    if (!count)
        return 0;
    static const char *commit [] = { "commit" };
    static const char *rollback [] = { "rollback" };
    oa_billing_event_t *events = self->events;
    //  A full batch means events queue up: let the next one grow, while a
    //  batch stays short enough for the RESERVE requests this thread also
    //  answers (gateways give up on a reply after 1 s)
    if (count >= self->limit && self->last_flush_us < self->grow_below_us)
        self->limit = self->limit * 2 < OA_BILLING_BATCH_GROWN
                    ? self->limit * 2: OA_BILLING_BATCH_GROWN;
    else
        self->limit = OA_BILLING_BATCH_MAX;
    bool *acked = (bool *) zmalloc (count * sizeof (bool));
    int64_t start = oa_clock_mono_us ();
    int rc = s_settle (self, events, count);
    if (rc == 0) {
        self->stats.batches++;
        self->stats.last_batch_size = count;
        oa_counter_add (self->m_batches, commit, 1);
        s_account (self, events, count, acked);
        int64_t published = oa_clock_mono_us ();
        s_publish (self);
        if (oa_log_enabled (OA_LOG_DEBUG))
            oa_log_debug ("ledger", "billing: published changes in %" PRId64 " us",
                          oa_clock_mono_us () - published);
    }
    else {
        self->stats.failed_batches++;
        oa_counter_add (self->m_batches, rollback, 1);
    }
    if (rc == -2) {
        //  Not the connection: find the event that fails, alone.
        for (size_t at = 0; at < count; at++) {
            int alone = s_settle (self, events + at, 1);
            if (alone == 0) {
                self->stats.batches++;
                oa_counter_add (self->m_batches, commit, 1);
                s_account (self, events + at, 1, acked + at);
                s_publish (self);
            }
            else
            if (alone == -2) {
                oa_log (OA_LOG_ERROR, "ledger", oa_msg_request_id (events [at].msg),
                        "billing: USAGE cannot be settled; acknowledged as poison");
                events [at].state = OA_BILLING_ERROR;
                s_account (self, events + at, 1, acked + at);
            }
            else
                oa_counter_add (self->m_batches, rollback, 1);
        }
    }
    self->last_flush_us = oa_clock_mono_us () - start;
    oa_histogram_observe (self->m_batch_seconds, NULL, (double) self->last_flush_us / 1e6);
    //  Unacknowledged events are dropped too: their workers resend them.
    s_ack (self, events, count, acked);
    for (size_t at = 0; at < count; at++)
        s_event_clear (&events [at]);
    self->count = 0;
    free (acked);
    return rc == 0? 0: -1;
}

//  --------------------------------------------------------------------------
//  GET /api/cost/request/:request_id

int
oa_billing_request_cost (oa_store_t *store, const char *request_id, json_t **out)
{
    assert (store);
    assert (out);
    *out = NULL;
    if (!request_id || !*request_id)
        return 1;
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT \"uuid\", \"created_time\", \"user_uuid\", "
        "\"request_id\", \"quota\", \"created_at\", \"updated_at\" FROM \"user_request_costs\" "
        "WHERE \"request_id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, request_id);
    int rc = oa_stmt_step (stmt);
    if (rc == 1) {
        char *uuid = oa_stmt_dup_char (stmt, 0);
        char *user_uuid = oa_stmt_dup_char (stmt, 2);
        char *found = oa_stmt_dup_char (stmt, 3);
        int64_t quota = oa_stmt_int64 (stmt, 4);
        json_t *cost = json_object ();
        json_object_set_new (cost, "uuid", json_string (uuid? uuid: ""));
        json_object_set_new (cost, "created_time", json_integer (oa_stmt_int64 (stmt, 1)));
        json_object_set_new (cost, "user_uuid", json_string (user_uuid? user_uuid: ""));
        json_object_set_new (cost, "request_id", json_string (found? found: ""));
        json_object_set_new (cost, "quota", json_integer (quota));
        json_object_set_new (cost, "cost_usd", json_real ((double) quota / 500000.0));
        json_object_set_new (cost, "created_at", json_integer (oa_stmt_int64 (stmt, 5)));
        json_object_set_new (cost, "updated_at", json_integer (oa_stmt_int64 (stmt, 6)));
        free (uuid);
        free (user_uuid);
        free (found);
        *out = cost;
    }
    oa_stmt_reset (stmt);
    return rc == 1? 0: rc == 0? 1: -1;
}
