/*  =========================================================================
    oa_billing_testkit - the billing tests' fixture (see oa_billing_testkit.h)
    =========================================================================
*/
#include "oa_billing_testkit.h"

#include "oa_records.h"
#include "oa_schema.h"
#include "oa_store_testdb.h"

int64_t
oa_billing_fx_int (oa_store_t *store, const char *sql, const char *arg)
{
    oa_stmt_t *stmt = oa_store_prepare (store, sql);
    assert (stmt);
    if (arg)
        oa_stmt_bind_text (stmt, 1, arg);
    int rc = oa_stmt_step (stmt);
    assert (rc >= 0);
    int64_t value = rc == 1? oa_stmt_int64 (stmt, 0): -1;
    oa_stmt_reset (stmt);
    return value;
}

int64_t
oa_billing_fx_channel (oa_store_t *store, int64_t type, const char *group, const char *configs)
{
    oa_channel_t *channel = oa_channel_new ();
    oa_record_set (&channel->models, "my-model,claude-test,gpt-4o");
    oa_record_set (&channel->group, group);
    oa_record_set (&channel->key, "sk-upstream");
    oa_record_set (&channel->model_configs, configs);
    channel->status = 1;
    channel->type = type;
    assert (oa_store_channel_insert (store, channel) == 0);
    int64_t id = channel->id;
    oa_channel_destroy (&channel);
    return id;
}

int64_t
oa_billing_fx_token (oa_store_t *store, int64_t user, const char *key, int64_t remain,
                     bool unlimited)
{
    oa_token_t *token = oa_token_new ();
    token->user_id = user;
    oa_record_set (&token->key, key);
    oa_record_set (&token->name, key);
    token->remain_quota = remain;
    token->unlimited_quota = unlimited;
    assert (oa_store_token_insert (store, token) == 0);
    int64_t id = token->id;
    oa_token_destroy (&token);
    return id;
}

void
oa_billing_fx_new (oa_billing_fx_t *fx, const char *where, bool pg)
{
    memset (fx, 0, sizeof *fx);
    char err [512];
    fx->store = oa_store_open (pg? where: NULL, pg? NULL: where, err, sizeof err);
    assert (fx->store);
    assert (oa_schema_migrate (fx->store, err, sizeof err) == 0);
    oa_user_t *user = oa_user_new ();
    oa_record_set (&user->username, "alice");
    oa_record_set (&user->password, "$2a$10$secret");
    user->quota = 1000000;
    assert (oa_store_user_insert (fx->store, user) == 0);
    fx->user = user->id;
    oa_user_destroy (&user);
    fx->token = oa_billing_fx_token (fx->store, fx->user, "limitedKey", 500000, false);
    fx->unlimited = oa_billing_fx_token (fx->store, fx->user, "unlimitedKey", 0, true);
    fx->plain = oa_billing_fx_channel (fx->store, 14, "default", OA_BILLING_FX_CONFIGS);
    fx->vip = oa_billing_fx_channel (fx->store, 14, "default,vip", OA_BILLING_FX_CONFIGS);
    fx->openai = oa_billing_fx_channel (fx->store, 1, "default", NULL);
    assert (oa_store_option_set (fx->store, "GroupRatio", "{\"default\":1,\"vip\":0.5}") >= 0);

    char endpoint [96];
    char pub_endpoint [112];
    snprintf (endpoint, sizeof endpoint, "inproc://oa-billing-%s-%d", pg? "pg": "lite", getpid ());
    snprintf (pub_endpoint, sizeof pub_endpoint, "%s-pub", endpoint);
    fx->sync = oa_ledger_sync_new (fx->store, endpoint, pub_endpoint, err, sizeof err);
    assert (fx->sync);
    fx->billing = oa_billing_new (fx->store, oa_ledger_sync_router (fx->sync), fx->sync);
    oa_ledger_sync_set_billing (fx->sync, fx->billing);
    fx->dealer = zsock_new_dealer (endpoint);
    fx->sub = zsock_new_sub (pub_endpoint, "");
    assert (fx->dealer && fx->sub);
    zclock_sleep (20);          //  the subscription reaches the PUB
}

void
oa_billing_fx_destroy (oa_billing_fx_t *fx)
{
    oa_billing_destroy (&fx->billing);
    zsock_destroy (&fx->dealer);
    zsock_destroy (&fx->sub);
    oa_ledger_sync_destroy (&fx->sync);
    oa_store_destroy (&fx->store);
}

oa_msg_t *
oa_billing_fx_usage (const char *request_id, int64_t token, int64_t user, int64_t channel,
                     const char *model, uint32_t prompt, uint32_t completion, uint32_t cached,
                     uint32_t write_5m)
{
    oa_msg_t *usage = oa_msg_new (OA_MSG_USAGE);
    oa_msg_set_request_id (usage, request_id);
    oa_msg_set_token_id (usage, (uint64_t) token);
    oa_msg_set_token_name (usage, "limitedKey");
    oa_msg_set_user_id (usage, (uint64_t) user);
    oa_msg_set_username (usage, "alice");
    oa_msg_set_channel_id (usage, (uint64_t) channel);
    oa_msg_set_group (usage, "default");
    oa_msg_set_model (usage, model);
    oa_msg_set_origin_model (usage, model);
    oa_msg_set_prompt_tokens (usage, prompt);
    oa_msg_set_completion_tokens (usage, completion);
    oa_msg_set_cached_tokens (usage, cached);
    oa_msg_set_cache_write_5m_tokens (usage, write_5m);
    oa_msg_set_status (usage, 200);
    oa_msg_set_stream (usage, true);
    oa_msg_set_elapsed_ms (usage, 1234);
    oa_msg_set_client_format (usage, OA_MSG_FORMAT_CHAT);
    oa_msg_set_upstream_format (usage, OA_MSG_FORMAT_CHAT);
    oa_msg_set_trace_id (usage, "trace-1");
    return usage;
}

void
oa_billing_fx_send (oa_billing_fx_t *fx, oa_msg_t **usage_p)
{
    uint64_t before = oa_billing_stats (fx->billing)->received;
    assert (oa_msg_send (*usage_p, zsock_resolve (fx->dealer), 0) == 0);
    oa_msg_destroy (usage_p);
    int64_t deadline = oa_clock_mono_ms () + 2000;
    while (oa_billing_stats (fx->billing)->received == before) {
        assert (oa_clock_mono_ms () < deadline);
        oa_ledger_sync_handle (fx->sync);
        if (oa_billing_stats (fx->billing)->received == before)
            zclock_sleep (1);
    }
}

void
oa_billing_fx_expect_acks (oa_billing_fx_t *fx, int64_t count)
{
    int64_t goal = fx->acked + count;
    zpoller_t *poller = zpoller_new (fx->dealer, NULL);
    while (fx->acked < goal) {
        assert (zpoller_wait (poller, 2000) == fx->dealer);
        int err = 0;
        oa_msg_t *ack = oa_msg_recv (zsock_resolve (fx->dealer), 0, &err);
        assert (ack && oa_msg_id (ack) == OA_MSG_USAGE_ACK);
        fx->acked += (int64_t) zlist_size (oa_msg_request_ids (ack));
        oa_msg_destroy (&ack);
    }
    assert (fx->acked == goal);
    assert (zpoller_wait (poller, 0) == NULL);
    zpoller_destroy (&poller);
}

int64_t
oa_billing_fx_user_quota (oa_billing_fx_t *fx)
{
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, fx->user);
    return oa_billing_fx_int (fx->store,
                              "SELECT \"quota\" FROM \"users\" WHERE \"id\" = CAST($1 AS bigint)", id);
}

int64_t
oa_billing_fx_log_sum (oa_billing_fx_t *fx)
{
    return oa_billing_fx_int (fx->store, "SELECT COALESCE(SUM(\"quota\"), 0) FROM \"logs\" "
                              "WHERE \"type\" = 2", NULL);
}
