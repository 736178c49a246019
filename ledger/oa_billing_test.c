/*  =========================================================================
    oa_billing_test - settlement end to end, per driver

    On the fixture of oa_billing_testkit.c.  Checks exact balances and log rows for priced
    vectors (OpenAI-style and Claude-style cache buckets, group ratio,
    channel override, provider defaults), idempotency within and across
    batches, group commit, LogConsumeEnabled, unlimited tokens, CHANGEs,
    unbillable and malformed input, and the request cost lookup.
    =========================================================================
*/
#include "oa_billing_testkit.h"

#include "oa_ledger.h"
#include "oa_records.h"
#include "oa_schema.h"
#include "oa_store_testdb.h"

//  Bills one usage alone and returns the quota charged (user delta).
static int64_t
s_bill_one (oa_billing_fx_t *fx, oa_msg_t *usage)
{
    int64_t before = oa_billing_fx_user_quota (fx);
    oa_billing_fx_send (fx, &usage);
    assert (oa_billing_flush (fx->billing) == 0);
    oa_billing_fx_expect_acks (fx, 1);
    return before - oa_billing_fx_user_quota (fx);
}

static void
s_test_prices (oa_billing_fx_t *fx, bool verbose)
{
    //  OpenAI-style: cached tokens are part of prompt_tokens.
    //  (1000 - 400) x 2 + 400 x 0.5 + 100 x 2 x 3 = 2000
    int64_t charged = s_bill_one (fx, oa_billing_fx_usage ("req-openai", fx->token, fx->user,
                                                           fx->plain,
                                               "my-model", 1000, 100, 400, 0));
    assert (charged == 2000);
    //  Group ratio: min over the channel's groups (vip 0.5).
    charged = s_bill_one (fx, oa_billing_fx_usage ("req-vip", fx->token, fx->user, fx->vip,
                                                   "my-model",
                                       1000, 100, 400, 0));
    assert (charged == 1000);
    //  Claude-style: cache reads and writes are separate buckets.
    //  100 x 1.5 + 1000 x 0.15 + 200 x 1.875 + 50 x 7.5 = 1050
    charged = s_bill_one (fx, oa_billing_fx_usage ("req-claude", fx->token, fx->user, fx->plain,
                                       "claude-test", 100, 50, 1000, 200));
    assert (charged == 1050);
    //  Provider defaults: what oa_pricing says for gpt-4o on an OpenAI channel.
    oa_pricing_t *pricing = oa_pricing_new ();
    oa_pricing_quote_t quote;
    oa_pricing_resolve (pricing, "gpt-4o", 1, NULL, &quote);
    oa_pricing_usage_t usage = { .prompt_tokens = 1234, .completion_tokens = 567 };
    oa_pricing_result_t result;
    assert (oa_pricing_compute (&quote, 1, &usage, &result) == 0);
    oa_pricing_destroy (&pricing);
    charged = s_bill_one (fx, oa_billing_fx_usage ("req-default", fx->token, fx->user, fx->openai,
                                                   "gpt-4o",
                                       1234, 567, 0, 0));
    assert (charged == result.quota && charged > 0);
    if (verbose)
        printf ("\n   - %s: 2000, 1000, 1050, gpt-4o %" PRId64, oa_store_driver_name (fx->store),
                charged);

    //  The log row, column by column.
    oa_stmt_t *stmt = oa_store_prepare (fx->store, "SELECT \"user_id\", \"username\", "
        "\"token_name\", \"model_name\", \"origin_model_name\", \"quota\", \"prompt_tokens\", "
        "\"completion_tokens\", \"cached_prompt_tokens\", \"channel_id\", \"elapsed_time\", "
        "\"is_stream\", \"content\", \"metadata\", \"type\", \"created_at\", \"uuid\", "
        "\"user_uuid\", \"token_uuid\", \"channel_uuid\", \"trace_id\", \"updated_at\" "
        "FROM \"logs\" WHERE \"request_id\" = $1");
    assert (stmt);
    oa_stmt_bind_text (stmt, 1, "req-claude");
    assert (oa_stmt_step (stmt) == 1);
    assert (oa_stmt_int64 (stmt, 0) == fx->user);
    assert (streq (oa_stmt_text (stmt, 1), "alice"));
    assert (streq (oa_stmt_text (stmt, 2), "limitedKey"));
    assert (streq (oa_stmt_text (stmt, 3), "claude-test"));
    assert (streq (oa_stmt_text (stmt, 4), "claude-test"));
    assert (oa_stmt_int64 (stmt, 5) == 1050);
    assert (oa_stmt_int64 (stmt, 6) == 100);
    assert (oa_stmt_int64 (stmt, 7) == 50);
    assert (oa_stmt_int64 (stmt, 8) == 1000);
    assert (oa_stmt_int64 (stmt, 9) == fx->plain);
    assert (oa_stmt_int64 (stmt, 10) == 1234);
    assert (oa_stmt_bool (stmt, 11));
    assert (streq (oa_stmt_text (stmt, 12), "model rate 1.50, group rate 1.00, completion rate "
                   "5.00, cached_prompt 1000, cache_write_5m 200, cache_write_1h 0"));
    assert (streq (oa_stmt_text (stmt, 13), "{\"cache_write_tokens\":{\"ephemeral_5m\":200},"
                   "\"upstream_api_format\":\"openai\",\"user_api_format\":\"chat\"}"));
    assert (oa_stmt_int64 (stmt, 14) == 2);
    int64_t now = oa_clock_ms ();
    assert (llabs (oa_stmt_int64 (stmt, 15) - now / 1000) <= 2);
    char *uuid = oa_stmt_dup_char (stmt, 16);
    assert (uuid && strlen (uuid) == 36);
    free (uuid);
    uuid = oa_stmt_dup_char (stmt, 17);
    assert (uuid && strlen (uuid) == 36);
    free (uuid);
    uuid = oa_stmt_dup_char (stmt, 18);
    assert (uuid && strlen (uuid) == 36);
    free (uuid);
    uuid = oa_stmt_dup_char (stmt, 19);
    assert (uuid && strlen (uuid) == 36);
    free (uuid);
    assert (streq (oa_stmt_text (stmt, 20), "trace-1"));
    assert (llabs (oa_stmt_int64 (stmt, 21) - now) < 5000);
    oa_stmt_reset (stmt);

    //  Balances: token, user, channels; sum of logs = deltas.
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, fx->token);
    int64_t total = 2000 + 1000 + 1050 + result.quota;
    assert (oa_billing_fx_int (fx->store, "SELECT \"remain_quota\" FROM \"tokens\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) == 500000 - total);
    assert (oa_billing_fx_int (fx->store, "SELECT \"used_quota\" FROM \"tokens\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) == total);
    assert (oa_billing_fx_int (fx->store, "SELECT \"accessed_time\" FROM \"tokens\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) >= now / 1000 - 2);
    assert (oa_billing_fx_user_quota (fx) == 1000000 - total);
    snprintf (id, sizeof id, "%" PRId64, fx->user);
    assert (oa_billing_fx_int (fx->store, "SELECT \"used_quota\" FROM \"users\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) == total);
    assert (oa_billing_fx_int (fx->store, "SELECT \"request_count\" FROM \"users\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) == 4);
    snprintf (id, sizeof id, "%" PRId64, fx->plain);
    assert (oa_billing_fx_int (fx->store, "SELECT \"used_quota\" FROM \"channels\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) == 3050);
    assert (oa_billing_fx_log_sum (fx) == total);
    assert (oa_billing_fx_int (fx->store, "SELECT SUM(\"quota\") FROM \"user_request_costs\"",
                               NULL) == total);

    //  CHANGEs: the token and the user, with their new balances.
    zpoller_t *poller = zpoller_new (fx->sub, NULL);
    int tokens = 0, users = 0;
    while (zpoller_wait (poller, 100) == fx->sub) {
        int err = 0;
        oa_msg_t *change = oa_msg_recv (zsock_resolve (fx->sub), 0, &err);
        assert (change && oa_msg_id (change) == OA_MSG_CHANGE);
        zframe_t *payload = oa_msg_payload (change);
        json_error_t error;
        json_t *row = json_loadb ((const char *) zframe_data (payload), zframe_size (payload), 0,
                                  &error);
        assert (json_is_object (row));
        if (streq (oa_msg_table (change), "tokens")) {
            tokens++;
            assert (json_integer_value (json_object_get (row, "id")) == fx->token);
            assert (json_integer_value (json_object_get (row, "used_quota")) <= total);
        }
        else {
            assert (streq (oa_msg_table (change), "users"));
            assert (json_object_get (row, "password") == NULL);
            users++;
        }
        json_decref (row);
        oa_msg_destroy (&change);
    }
    zpoller_destroy (&poller);
    assert (tokens == 4 && users == 4);

    //  GET /api/cost/request/:request_id
    json_t *cost = NULL;
    assert (oa_billing_request_cost (fx->store, "req-claude", &cost) == 0);
    assert (json_integer_value (json_object_get (cost, "quota")) == 1050);
    assert (json_real_value (json_object_get (cost, "cost_usd")) == 1050.0 / 500000);
    assert (streq (json_string_value (json_object_get (cost, "request_id")), "req-claude"));
    assert (strlen (json_string_value (json_object_get (cost, "uuid"))) == 36);
    assert (strlen (json_string_value (json_object_get (cost, "user_uuid"))) == 36);
    assert (json_integer_value (json_object_get (cost, "created_time")) >= now / 1000 - 2);
    json_decref (cost);
    assert (oa_billing_request_cost (fx->store, "req-none", &cost) == 1 && !cost);
}

static void
s_test_idempotent (oa_billing_fx_t *fx)
{
    int64_t before = oa_billing_fx_user_quota (fx);
    uint64_t billed = oa_billing_stats (fx->billing)->billed;
    //  Three times in one batch: billed once, acknowledged three times.
    for (int copy = 0; copy < 3; copy++) {
        oa_msg_t *usage = oa_billing_fx_usage ("req-again", fx->token, fx->user, fx->plain,
                                               "my-model",
                                   1000, 100, 400, 0);
        oa_billing_fx_send (fx, &usage);
    }
    assert (oa_billing_flush (fx->billing) == 0);
    oa_billing_fx_expect_acks (fx, 3);
    assert (before - oa_billing_fx_user_quota (fx) == 2000);
    //  And again across batches: nothing changes.
    for (int copy = 0; copy < 3; copy++) {
        oa_msg_t *usage = oa_billing_fx_usage ("req-again", fx->token, fx->user, fx->plain,
                                               "my-model",
                                   1000, 100, 400, 0);
        oa_billing_fx_send (fx, &usage);
        assert (oa_billing_flush (fx->billing) == 0);
        oa_billing_fx_expect_acks (fx, 1);
    }
    assert (before - oa_billing_fx_user_quota (fx) == 2000);
    assert (oa_billing_stats (fx->billing)->billed == billed + 1);
    assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"logs\" WHERE \"request_id\" = $1",
                   "req-again") == 1);
    assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\" WHERE "
                   "\"request_id\" = $1", "req-again") == 1);
}

static void
s_test_batching (oa_billing_fx_t *fx, bool verbose)
{
    //  1,000 events: one transaction, flushed as the batch fills.
    const oa_billing_stats_t *stats = oa_billing_stats (fx->billing);
    uint64_t batches = stats->batches;
    int64_t before = oa_billing_fx_user_quota (fx);
    int64_t logs = oa_billing_fx_log_sum (fx);
    for (int index = 0; index < OA_BILLING_BATCH_MAX; index++) {
        char request_id [32];
        snprintf (request_id, sizeof request_id, "req-batch-%04d", index);
        oa_msg_t *usage = oa_billing_fx_usage (request_id, index % 2? fx->token: fx->unlimited,
                                               fx->user,
                                   index % 3? fx->plain: fx->vip, "my-model", 10 + index, 5, 0, 0);
        assert (oa_msg_send (usage, zsock_resolve (fx->dealer), 0) == 0);
        oa_msg_destroy (&usage);
    }
    int64_t deadline = oa_clock_mono_ms () + 5000;
    while (stats->batches == batches) {
        assert (oa_clock_mono_ms () < deadline);
        oa_ledger_sync_handle (fx->sync);
    }
    assert (stats->batches == batches + 1 && stats->last_batch_size == OA_BILLING_BATCH_MAX);
    assert (oa_billing_pending (fx->billing) == 0);
    oa_billing_fx_expect_acks (fx, OA_BILLING_BATCH_MAX);
    int64_t delta = before - oa_billing_fx_user_quota (fx);
    assert (delta > 0 && oa_billing_fx_log_sum (fx) - logs == delta);
    if (verbose)
        printf ("\n   - %s: 1000 events, one batch, %" PRId64 " quota",
                oa_store_driver_name (fx->store), delta);

    //  A single event waits at most OA_BILLING_FLUSH_MS.
    oa_msg_t *usage = oa_billing_fx_usage ("req-single", fx->token, fx->user, fx->plain,
                                           "my-model", 1, 1, 0, 0);
    oa_billing_fx_send (fx, &usage);
    int wait = oa_billing_wait_ms (fx->billing);
    assert (wait >= 0 && wait <= OA_BILLING_FLUSH_MS);
    oa_billing_tick (fx->billing);
    zclock_sleep (OA_BILLING_FLUSH_MS + 1);
    assert (oa_billing_wait_ms (fx->billing) == 0);
    oa_billing_tick (fx->billing);
    assert (oa_billing_pending (fx->billing) == 0 && oa_billing_wait_ms (fx->billing) == -1);
    oa_billing_fx_expect_acks (fx, 1);
}

static void
s_test_unlimited_and_options (oa_billing_fx_t *fx)
{
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, fx->unlimited);
    int64_t remain = oa_billing_fx_int (fx->store,
                                        "SELECT \"remain_quota\" FROM \"tokens\" WHERE \"id\" = "
                            "CAST($1 AS bigint)", id);
    int64_t used = oa_billing_fx_int (fx->store,
                                      "SELECT \"used_quota\" FROM \"tokens\" WHERE \"id\" = "
                          "CAST($1 AS bigint)", id);
    int64_t charged = s_bill_one (fx, oa_billing_fx_usage ("req-unlimited", fx->unlimited, fx->user,
                                               fx->plain, "my-model", 1000, 100, 400, 0));
    assert (charged == 2000);
    assert (oa_billing_fx_int (fx->store, "SELECT \"remain_quota\" FROM \"tokens\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) == remain);
    assert (oa_billing_fx_int (fx->store, "SELECT \"used_quota\" FROM \"tokens\" WHERE \"id\" = "
                   "CAST($1 AS bigint)", id) == used + 2000);

    //  LogConsumeEnabled=false: balances move, no log row.
    assert (oa_store_option_set (fx->store, "LogConsumeEnabled", "false") >= 0);
    charged = s_bill_one (fx, oa_billing_fx_usage ("req-nolog", fx->token, fx->user, fx->plain,
                                                   "my-model",
                                       1000, 100, 400, 0));
    assert (charged == 2000);
    assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"logs\" WHERE \"request_id\" = $1",
                   "req-nolog") == 0);
    assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\" WHERE "
                   "\"request_id\" = $1", "req-nolog") == 1);
    assert (oa_store_option_set (fx->store, "LogConsumeEnabled", "true") >= 0);

    //  Zero tokens with a reservation: the reservation is kept.
    oa_msg_t *usage = oa_billing_fx_usage ("req-reserved", fx->token, fx->user, fx->plain,
                                           "my-model",
                               0, 0, 0, 0);
    oa_msg_set_reserved_quota (usage, 777);
    assert (s_bill_one (fx, usage) == 777);
    //  Zero tokens without one: free, but logged (as one-api).
    assert (s_bill_one (fx, oa_billing_fx_usage ("req-free", fx->token, fx->user, fx->plain,
                                                 "my-model",
                                     0, 0, 0, 0)) == 0);
    assert (oa_billing_fx_int (fx->store,
                               "SELECT \"quota\" FROM \"logs\" WHERE \"request_id\" = $1",
                   "req-free") == 0);
}

static void
s_test_bad_input (oa_billing_fx_t *fx)
{
    const oa_billing_stats_t *stats = oa_billing_stats (fx->billing);
    uint64_t errors = stats->errors;
    uint64_t unbilled = stats->unbilled;
    int64_t before = oa_billing_fx_user_quota (fx);
    int64_t costs = oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\"",
                                       NULL);
    //  Unknown token, unknown channel's token mismatch, no model: acked, errors.
    oa_msg_t *usage = oa_billing_fx_usage ("req-ghost", 999999, fx->user, fx->plain, "my-model",
                                           10, 10, 0, 0);
    oa_billing_fx_send (fx, &usage);
    usage = oa_billing_fx_usage ("req-nomodel", fx->token, fx->user, fx->plain, "", 10, 10, 0, 0);
    oa_billing_fx_send (fx, &usage);
    //  Failed request without tokens; no channel: acked, not billed.
    usage = oa_billing_fx_usage ("req-failed", fx->token, fx->user, fx->plain, "my-model", 0, 0,
                                 0, 0);
    oa_msg_set_status (usage, 502);
    oa_billing_fx_send (fx, &usage);
    usage = oa_billing_fx_usage ("req-nochannel", fx->token, fx->user, 0, "my-model", 10, 10, 0, 0);
    oa_billing_fx_send (fx, &usage);
    //  A sample USAGE (unknown ids) and an undecodable frame.
    usage = oa_msg_sample (OA_MSG_USAGE);
    oa_billing_fx_send (fx, &usage);
    zstr_send (fx->dealer, "garbage");
    //  Invalid UTF-8 and quotes in text: billed, text repaired.
    usage = oa_billing_fx_usage ("req-utf8", fx->token, fx->user, fx->plain, "my-model", 1000,
                                 100, 400, 0);
    oa_msg_set_token_name (usage, "bad \xff\xfe \"quoted\" \\ \x01 caf\xc3\xa9");
    oa_msg_set_metadata_json (usage, "{\"estimated_charge\":true}");
    //  Escapes (COPY) before and after an invalid byte
    oa_msg_set_trace_id (usage, "caf\xc3\xa9\tx\xff\\y\n");
    oa_billing_fx_send (fx, &usage);
    oa_ledger_sync_handle (fx->sync);
    assert (oa_billing_flush (fx->billing) == 0);
    oa_billing_fx_expect_acks (fx, 6);
    assert (stats->errors == errors + 3);
    assert (stats->unbilled == unbilled + 2);
    assert (before - oa_billing_fx_user_quota (fx) == 2000);
    assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\"",
                               NULL) == costs + 1);
    oa_stmt_t *stmt = oa_store_prepare (fx->store, "SELECT \"token_name\", \"metadata\", "
                                        "\"trace_id\" FROM \"logs\" WHERE \"request_id\" = $1");
    oa_stmt_bind_text (stmt, 1, "req-utf8");
    assert (oa_stmt_step (stmt) == 1);
    assert (streq (oa_stmt_text (stmt, 2), "caf\xc3\xa9\tx\xef\xbf\xbd\\y\n"));
    assert (streq (oa_stmt_text (stmt, 0),
                   "bad \xef\xbf\xbd\xef\xbf\xbd \"quoted\" \\ \x01 caf\xc3\xa9"));
    assert (streq (oa_stmt_text (stmt, 1), "{\"estimated_charge\":true,"
                   "\"upstream_api_format\":\"openai\",\"user_api_format\":\"chat\"}"));
    oa_stmt_reset (stmt);
}

//  Text that COPY's text format must escape (tab, newline, carriage return,
//  backslash, a line "\.", "\N") reads back as sent, on both drivers.
static void
s_test_text (oa_billing_fx_t *fx)
{
    const char *name = "tab\there\nnew\rline \\. \\N \\\\ end";
    const char *trace = "\\.\n\\N";
    oa_msg_t *usage = oa_billing_fx_usage ("req-text", fx->token, fx->user, fx->plain, "my-model",
                                           10, 5, 0, 0);
    oa_msg_set_token_name (usage, name);
    oa_msg_set_trace_id (usage, trace);
    oa_msg_set_origin_model (usage, "origin\tmodel");
    assert (s_bill_one (fx, usage) > 0);
    oa_stmt_t *stmt = oa_store_prepare (fx->store, "SELECT \"token_name\", \"trace_id\", "
        "\"origin_model_name\", \"is_stream\", \"elapsed_time\", \"type\" FROM \"logs\" "
        "WHERE \"request_id\" = $1");
    oa_stmt_bind_text (stmt, 1, "req-text");
    assert (oa_stmt_step (stmt) == 1);
    assert (streq (oa_stmt_text (stmt, 0), name));
    assert (streq (oa_stmt_text (stmt, 1), trace));
    assert (streq (oa_stmt_text (stmt, 2), "origin\tmodel"));
    assert (oa_stmt_bool (stmt, 3) && oa_stmt_int64 (stmt, 4) == 1234 && oa_stmt_int64 (stmt,
                                                                                        5) == 2);
    assert (oa_stmt_step (stmt) == 0);
    oa_stmt_reset (stmt);
}

//  Batches grow while they fill before their time, and shrink back.
static void
s_test_growth (oa_billing_fx_t *fx)
{
    const oa_billing_stats_t *stats = oa_billing_stats (fx->billing);
    int64_t before = oa_billing_fx_user_quota (fx);
    int64_t logs = oa_billing_fx_log_sum (fx);
    uint64_t billed = stats->billed;
    int total = OA_BILLING_BATCH_MAX * 3;
    //  Growth regardless of how long a batch takes here (sanitizers)
    oa_billing_set_grow_below (fx->billing, INT64_MAX);
    for (int index = 0; index < total; index++) {
        char request_id [32];
        snprintf (request_id, sizeof request_id, "req-grow-%05d", index);
        oa_msg_t *usage = oa_billing_fx_usage (request_id, fx->token, fx->user, fx->plain,
                                               "my-model",
                                   10, 5, 0, 0);
        assert (oa_msg_send (usage, zsock_resolve (fx->dealer), 0) == 0);
        oa_msg_destroy (&usage);
    }
    //  1,000 fill the first batch; the next may hold 2,000.
    uint64_t batches = stats->batches;
    int64_t deadline = oa_clock_mono_ms () + 10000;
    while (stats->billed < billed + (uint64_t) total) {
        assert (oa_clock_mono_ms () < deadline);
        oa_ledger_sync_handle (fx->sync);
    }
    assert (stats->batches == batches + 2);
    assert (stats->last_batch_size == 2 * OA_BILLING_BATCH_MAX);
    oa_billing_fx_expect_acks (fx, total);
    //  A batch settled by time brings the size back.
    oa_msg_t *usage = oa_billing_fx_usage ("req-grow-last", fx->token, fx->user, fx->plain,
                                           "my-model",
                               10, 5, 0, 0);
    oa_billing_fx_send (fx, &usage);
    zclock_sleep (OA_BILLING_FLUSH_MS + 1);
    oa_billing_tick (fx->billing);
    oa_billing_fx_expect_acks (fx, 1);
    for (int index = 0; index < OA_BILLING_BATCH_MAX; index++) {
        char request_id [32];
        snprintf (request_id, sizeof request_id, "req-grow-b%05d", index);
        usage = oa_billing_fx_usage (request_id, fx->token, fx->user, fx->plain, "my-model", 10,
                                     5, 0, 0);
        assert (oa_msg_send (usage, zsock_resolve (fx->dealer), 0) == 0);
        oa_msg_destroy (&usage);
    }
    batches = stats->batches;
    while (stats->batches == batches) {
        assert (oa_clock_mono_ms () < deadline);
        oa_ledger_sync_handle (fx->sync);
    }
    assert (stats->last_batch_size == OA_BILLING_BATCH_MAX);
    oa_billing_fx_expect_acks (fx, OA_BILLING_BATCH_MAX);
    int64_t delta = before - oa_billing_fx_user_quota (fx);
    assert (delta > 0 && oa_billing_fx_log_sum (fx) - logs == delta);
    assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\" WHERE "
                   "\"request_id\" LIKE $1", "req-grow-%") == total + 1 + OA_BILLING_BATCH_MAX);
    //  A batch slower than the bound keeps the next one at the base size,
    //  backlog or not (the thread must stay quick for RESERVE): the limit
    //  is 2,000 now, so 4,000 queued events settle as 2,000 + 1,000 +
    //  1,000 (with growth: 2,000 + 2,000)
    oa_billing_set_grow_below (fx->billing, 0);
    int more = 4 * OA_BILLING_BATCH_MAX;
    for (int index = 0; index < more; index++) {
        char request_id [32];
        snprintf (request_id, sizeof request_id, "req-grow-c%05d", index);
        usage = oa_billing_fx_usage (request_id, fx->token, fx->user, fx->plain, "my-model", 10,
                                     5, 0, 0);
        assert (oa_msg_send (usage, zsock_resolve (fx->dealer), 0) == 0);
        oa_msg_destroy (&usage);
    }
    batches = stats->batches;
    billed = stats->billed;
    deadline = oa_clock_mono_ms () + 20000;
    while (stats->billed < billed + (uint64_t) more) {
        assert (oa_clock_mono_ms () < deadline);
        oa_ledger_sync_handle (fx->sync);
    }
    assert (stats->batches == batches + 3);
    assert (stats->last_batch_size == OA_BILLING_BATCH_MAX);
    oa_billing_fx_expect_acks (fx, more);
    oa_billing_set_grow_below (fx->billing, INT64_MAX);
}

//  A batch whose log rows fail after its cost rows were written rolls back
//  as a whole; its events are then settled one by one: the good ones billed
//  once, the failing one acknowledged as poison and billed never.
static void
s_test_rollback (oa_billing_fx_t *fx, bool pg)
{
    assert (oa_store_exec (fx->store, pg
        ? "ALTER TABLE \"logs\" ADD CONSTRAINT oa_test_poison CHECK (\"origin_model_name\" <> 'poison')"
        : "CREATE TRIGGER oa_test_poison BEFORE INSERT ON \"logs\" "
          "WHEN NEW.\"origin_model_name\" = 'poison' BEGIN SELECT RAISE(ABORT, 'poison'); END") == 0);
    const oa_billing_stats_t *stats = oa_billing_stats (fx->billing);
    uint64_t failed = stats->failed_batches;
    uint64_t errors = stats->errors;
    int64_t before = oa_billing_fx_user_quota (fx);
    int64_t logs = oa_billing_fx_log_sum (fx);
    const char *ids [] = { "req-rb-1", "req-rb-2", "req-rb-poison", "req-rb-3" };
    for (int index = 0; index < 4; index++) {
        oa_msg_t *usage = oa_billing_fx_usage (ids [index], fx->token, fx->user, fx->plain,
                                               "my-model",
                                   100, 10, 0, 0);
        if (index == 2)
            oa_msg_set_origin_model (usage, "poison");
        oa_billing_fx_send (fx, &usage);
    }
    assert (oa_billing_flush (fx->billing) == -1);
    oa_billing_fx_expect_acks (fx, 4);
    assert (stats->failed_batches == failed + 1 && stats->errors == errors + 1);
    for (int index = 0; index < 4; index++)
        assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\" WHERE "
                       "\"request_id\" = $1", ids [index]) == (index == 2? 0: 1));
    int64_t delta = before - oa_billing_fx_user_quota (fx);
    assert (delta > 0 && oa_billing_fx_log_sum (fx) - logs == delta);
    assert (oa_store_exec (fx->store, pg
        ? "ALTER TABLE \"logs\" DROP CONSTRAINT oa_test_poison"
        : "DROP TRIGGER oa_test_poison") == 0);
}

//  PostgreSQL: the connection dies in the middle of a batch (its log rows
//  are being copied, its cost rows are in): nothing is acknowledged and
//  nothing stays; the worker's resend on a new connection bills each once.
static void
s_test_connection_lost (oa_billing_fx_t *fx, const char *dsn)
{
    assert (oa_store_exec (fx->store,
        "CREATE FUNCTION oa_test_kill () RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM pg_terminate_backend (pg_backend_pid ()); RETURN NEW; END $$") == 0);
    assert (oa_store_exec (fx->store,
        "CREATE TRIGGER oa_test_kill BEFORE INSERT ON \"logs\" FOR EACH ROW "
        "WHEN (NEW.\"origin_model_name\" = 'kill') EXECUTE FUNCTION oa_test_kill ()") == 0);
    const oa_billing_stats_t *stats = oa_billing_stats (fx->billing);
    int64_t before = oa_billing_fx_user_quota (fx);
    int64_t logs = oa_billing_fx_log_sum (fx);
    uint64_t billed = stats->billed;
    const char *ids [] = { "req-kill-1", "req-kill-2", "req-kill-3" };
    for (int index = 0; index < 3; index++) {
        oa_msg_t *usage = oa_billing_fx_usage (ids [index], fx->token, fx->user, fx->plain,
                                               "my-model",
                                   100, 10, 0, 0);
        if (index == 1)
            oa_msg_set_origin_model (usage, "kill");
        oa_billing_fx_send (fx, &usage);
    }
    assert (oa_billing_flush (fx->billing) == -1);
    assert (oa_store_broken (fx->store));
    assert (stats->billed == billed);
    //  No USAGE_ACK at all.
    zpoller_t *poller = zpoller_new (fx->dealer, NULL);
    assert (zpoller_wait (poller, 200) == NULL);
    zpoller_destroy (&poller);
    //  Reconnect as the ledger does; nothing of the batch was kept.
    char err [512];
    oa_store_t *store = oa_store_open (dsn, NULL, err, sizeof err);
    assert (store);
    oa_ledger_sync_set_store (fx->sync, store);
    oa_billing_set_store (fx->billing, store);
    oa_store_destroy (&fx->store);
    fx->store = store;
    assert (oa_billing_fx_user_quota (fx) == before && oa_billing_fx_log_sum (fx) == logs);
    assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\" WHERE "
                   "\"request_id\" LIKE $1", "req-kill-%") == 0);
    assert (oa_store_exec (fx->store, "DROP TRIGGER oa_test_kill ON \"logs\"") == 0);
    //  The worker resends all three, twice: billed once.
    for (int round = 0; round < 2; round++) {
        for (int index = 0; index < 3; index++) {
            oa_msg_t *usage = oa_billing_fx_usage (ids [index], fx->token, fx->user, fx->plain,
                                                   "my-model",
                                       100, 10, 0, 0);
            if (index == 1)
                oa_msg_set_origin_model (usage, "kill");
            oa_billing_fx_send (fx, &usage);
        }
        assert (oa_billing_flush (fx->billing) == 0);
        oa_billing_fx_expect_acks (fx, 3);
    }
    assert (stats->billed == billed + 3);
    int64_t delta = before - oa_billing_fx_user_quota (fx);
    assert (delta > 0 && oa_billing_fx_log_sum (fx) - logs == delta);
    for (int index = 0; index < 3; index++)
        assert (oa_billing_fx_int (fx->store, "SELECT COUNT(*) FROM \"user_request_costs\" WHERE "
                       "\"request_id\" = $1", ids [index]) == 1);
}

static void
s_test_on (bool pg, bool verbose)
{
    char *where = pg? oa_store_testdb_create (): oa_store_testdb_sqlite_path ();
    oa_billing_fx_t fx;
    oa_billing_fx_new (&fx, where, pg);
    s_test_prices (&fx, verbose);
    s_test_idempotent (&fx);
    s_test_batching (&fx, verbose);
    s_test_unlimited_and_options (&fx);
    s_test_bad_input (&fx);
    s_test_text (&fx);
    s_test_growth (&fx);
    s_test_rollback (&fx, pg);
    if (pg)
        s_test_connection_lost (&fx, where);
    //  The sum of all logged quota equals what the user paid.
    //  2000: req-nolog
    assert (oa_billing_fx_log_sum (&fx) == 1000000 - oa_billing_fx_user_quota (&fx) - 2000);
    oa_billing_fx_destroy (&fx);
    if (pg)
        oa_store_testdb_drop (&where);
    else
        oa_store_testdb_sqlite_remove (&where);
}

void
oa_billing_test (bool verbose)
{
    s_test_on (false, verbose);
}

void
oa_billing_pg_test (bool verbose)
{
    s_test_on (true, verbose);
}

//  The ledger actor end to end: a single USAGE is acknowledged within about
//  OA_BILLING_FLUSH_MS, and BILLING reports it.
void
oa_billing_actor_test (bool verbose)
{
    char *path = oa_store_testdb_sqlite_path ();
    oa_billing_fx_t fx;
    memset (&fx, 0, sizeof fx);
    char err [512];
    fx.store = oa_store_open (NULL, path, err, sizeof err);
    assert (fx.store && oa_schema_migrate (fx.store, err, sizeof err) == 0);
    oa_user_t *user = oa_user_new ();
    oa_record_set (&user->username, "bob");
    oa_record_set (&user->password, "$2a$10$secret");
    user->quota = 100000;
    assert (oa_store_user_insert (fx.store, user) == 0);
    int64_t token = oa_billing_fx_token (fx.store, user->id, "actorKey", 100000, false);
    int64_t channel = oa_billing_fx_channel (fx.store, 14, "default", OA_BILLING_FX_CONFIGS);
    int64_t user_id = user->id;
    oa_user_destroy (&user);
    oa_store_destroy (&fx.store);

    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    char endpoint [96];
    snprintf (endpoint, sizeof endpoint, "inproc://oa-billing-actor-%d", getpid ());
    free (config->sqlite_path);
    config->sqlite_path = strdup (path);
    free (config->sql_dsn);
    config->sql_dsn = strdup ("");
    free (config->ledger_bind);
    config->ledger_bind = strdup (endpoint);
    free (config->ledger_pub_bind);
    config->ledger_pub_bind = zsys_sprintf ("%s-pub", endpoint);
    zactor_t *ledger = zactor_new (oa_ledger_actor, config);
    assert (ledger);
    int64_t deadline = oa_clock_mono_ms () + 10000;
    char *reply = NULL;
    while (true) {
        zstr_free (&reply);
        zstr_send (ledger, "BILLING");
        reply = zstr_recv (ledger);
        assert (reply && oa_clock_mono_ms () < deadline);
        if (!streq (reply, "NONE"))
            break;
        zclock_sleep (10);
    }
    zstr_free (&reply);
    zsock_t *dealer = zsock_new_dealer (endpoint);
    assert (dealer);
    oa_msg_t *usage = oa_billing_fx_usage ("req-actor", token, user_id, channel, "my-model", 1000,
                                           100, 400, 0);
    int64_t sent = oa_clock_mono_us ();
    assert (oa_msg_send (usage, zsock_resolve (dealer), 0) == 0);
    oa_msg_destroy (&usage);
    zpoller_t *poller = zpoller_new (dealer, NULL);
    assert (zpoller_wait (poller, 2000) == dealer);
    int64_t took = oa_clock_mono_us () - sent;
    int code = 0;
    oa_msg_t *ack = oa_msg_recv (zsock_resolve (dealer), 0, &code);
    assert (ack && oa_msg_id (ack) == OA_MSG_USAGE_ACK);
    assert (streq ((const char *) zlist_first (oa_msg_request_ids (ack)), "req-actor"));
    oa_msg_destroy (&ack);
    //  10 ms of batching plus a SQLite commit, with room for a slow machine.
    assert (took < 500000);
    zstr_send (ledger, "BILLING");
    reply = zstr_recv (ledger);
    assert (reply && strstr (reply, "billed=1 ") && strstr (reply, "quota=2000"));
    if (verbose)
        printf ("\n   - acked in %.1f ms: %s", took / 1000.0, reply);
    zstr_free (&reply);
    zpoller_destroy (&poller);
    zsock_destroy (&dealer);
    zactor_destroy (&ledger);
    oa_config_destroy (&config);
    oa_store_testdb_sqlite_remove (&path);
}
