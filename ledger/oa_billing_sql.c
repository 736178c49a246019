/*  =========================================================================
    oa_billing_sql - the statements of a settlement batch (oa_billing)

    PostgreSQL: reads and balance updates take the batch as ONE JSON array
    parameter read with json_to_recordset (typed columns), so their round
    trips do not grow with the batch; values inserted with INSERT ... SELECT
    are CAST, as PostgreSQL would otherwise type a bare parameter in a
    select list as text.  The bulk rows (cost rows, log rows) go by COPY in
    text format: per row the server then parses no JSON and plans nothing,
    which took its time per event from about 57 to 37 us in
    ops/bench/ledger.sh (most of the rest is the 18 indexes of logs).  The
    ids already billed are read first (= ANY of a text[]), so COPY inserts
    only new rows; the unique index stays the arbiter.
    SQLite runs in process, where a round trip costs nothing and json_extract
    re-reads the array for every column of every row (about 6 times the cost
    of the row itself): its inserts bind one row at a time to a cached
    statement; its balance updates, a few rows per batch, keep the JSON form.
    =========================================================================
*/
#include "oa_billing_private.h"

#include "oa_log.h"

//  --------------------------------------------------------------------------
//  Reads

#define S_IDS_PG " WHERE \"id\" IN (SELECT CAST(json_array_elements_text(CAST($1 AS json)) AS bigint))"
#define S_IDS_LITE " WHERE \"id\" IN (SELECT value FROM json_each($1))"

int
oa_billing_sql_options (oa_store_t *store, char **group_ratio, bool *log_enabled)
{
    *group_ratio = NULL;
    *log_enabled = true;
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT \"key\", \"value\" FROM \"options\" "
                                        "WHERE \"key\" IN ('GroupRatio', 'LogConsumeEnabled')");
    if (!stmt)
        return -1;
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1) {
        const char *key = oa_stmt_text (stmt, 0);
        const char *value = oa_stmt_text (stmt, 1);
        if (key && streq (key, "GroupRatio")) {
            free (*group_ratio);
            *group_ratio = value? strdup (value): NULL;
        }
        else
        if (key && streq (key, "LogConsumeEnabled"))
            //  one-api: config.LogConsumeEnabled = value == "true"; the
            //  default (no row) is true.
            *log_enabled = value && streq (value, "true");
    }
    oa_stmt_reset (stmt);
    return rc < 0? -1: 0;
}


int
oa_billing_sql_tokens (oa_store_t *store, const char *ids_json, zhashx_t *tokens)
{
    bool pg = oa_store_is_postgres (store);
    oa_stmt_t *stmt = oa_store_prepare (store, pg
        ? "SELECT \"id\", \"user_id\", \"unlimited_quota\", \"uuid\" FROM \"tokens\"" S_IDS_PG
        : "SELECT \"id\", \"user_id\", \"unlimited_quota\", \"uuid\" FROM \"tokens\"" S_IDS_LITE);
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, ids_json);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1) {
        oa_billing_token_t *token = (oa_billing_token_t *) zmalloc (sizeof (oa_billing_token_t));
        token->id = oa_stmt_int64 (stmt, 0);
        token->user_id = oa_stmt_int64 (stmt, 1);
        token->unlimited = oa_stmt_bool (stmt, 2);
        token->uuid = oa_stmt_dup_char (stmt, 3);
        char key [24];
        zhashx_update (tokens, oa_billing_id_key (token->id, key, sizeof key), token);
    }
    oa_stmt_reset (stmt);
    return rc < 0? -1: 0;
}

int
oa_billing_sql_users (oa_store_t *store, const char *ids_json, zhashx_t *users)
{
    bool pg = oa_store_is_postgres (store);
    oa_stmt_t *stmt = oa_store_prepare (store, pg
        ? "SELECT \"id\", \"username\", \"uuid\" FROM \"users\"" S_IDS_PG
        : "SELECT \"id\", \"username\", \"uuid\" FROM \"users\"" S_IDS_LITE);
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, ids_json);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1) {
        oa_billing_user_t *user = (oa_billing_user_t *) zmalloc (sizeof (oa_billing_user_t));
        user->id = oa_stmt_int64 (stmt, 0);
        user->username = oa_stmt_dup_text (stmt, 1);
        user->uuid = oa_stmt_dup_char (stmt, 2);
        char key [24];
        zhashx_update (users, oa_billing_id_key (user->id, key, sizeof key), user);
    }
    oa_stmt_reset (stmt);
    return rc < 0? -1: 0;
}

//  True when the cached text differs from the current column value.
static bool
s_changed (const char *cached, const char *current)
{
    if (!cached || !current)
        return cached != current;
    return strcmp (cached, current) != 0;
}

static void
s_replace (char **field, const char *value)
{
    free (*field);
    *field = value? strdup (value): NULL;
}

int
oa_billing_sql_channels (oa_store_t *store, const char *ids_json, zhashx_t *channels)
{
    bool pg = oa_store_is_postgres (store);
    oa_stmt_t *stmt = oa_store_prepare (store, pg
        ? "SELECT \"id\", \"type\", \"group\", \"uuid\", \"model_configs\", \"model_ratio\", "
          "\"completion_ratio\" FROM \"channels\"" S_IDS_PG
        : "SELECT \"id\", \"type\", \"group\", \"uuid\", \"model_configs\", \"model_ratio\", "
          "\"completion_ratio\" FROM \"channels\"" S_IDS_LITE);
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, ids_json);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1) {
        int64_t id = oa_stmt_int64 (stmt, 0);
        char key [24];
        oa_billing_id_key (id, key, sizeof key);
        oa_billing_channel_t *channel = (oa_billing_channel_t *) zhashx_lookup (channels, key);
        if (!channel) {
            channel = (oa_billing_channel_t *) zmalloc (sizeof (oa_billing_channel_t));
            channel->id = id;
            channel->pricing = oa_pricing_channel_new ();
            assert (channel->pricing);
            zhashx_update (channels, key, channel);
            //  Force the first load.
            channel->model_configs = strdup ("\x01");
        }
        channel->type = oa_stmt_int64 (stmt, 1);
        s_replace (&channel->group, oa_stmt_text (stmt, 2));
        free (channel->uuid);
        channel->uuid = oa_stmt_dup_char (stmt, 3);
        const char *configs = oa_stmt_text (stmt, 4);
        const char *ratio = oa_stmt_text (stmt, 5);
        const char *completion = oa_stmt_text (stmt, 6);
        if (s_changed (channel->model_configs, configs) || s_changed (channel->model_ratio, ratio)
        ||  s_changed (channel->completion_ratio, completion)) {
            if (oa_pricing_channel_load (channel->pricing, configs, ratio, completion) != 0)
                oa_log_warn ("ledger", "billing: channel %" PRId64 " pricing ignored: %s", id,
                             oa_pricing_channel_error (channel->pricing));
            s_replace (&channel->model_configs, configs);
            s_replace (&channel->model_ratio, ratio);
            s_replace (&channel->completion_ratio, completion);
        }
        channel->seen = true;
    }
    oa_stmt_reset (stmt);
    return rc < 0? -1: 0;
}

//  --------------------------------------------------------------------------
//  Writes

#define S_COSTS_COLUMNS "INSERT INTO \"user_request_costs\" (\"uuid\", \"created_time\", " \
    "\"user_id\", \"user_uuid\", \"request_id\", \"quota\", \"created_at\", \"updated_at\") "

//  PostgreSQL: the request ids billed before, then the new rows by COPY.
//  The unique index on request_id still decides: a row another writer
//  committed meanwhile fails the COPY, the batch rolls back and its events
//  are settled one by one (and found billed).
static const char *s_costs_seen_pg =
    "SELECT \"request_id\" FROM \"user_request_costs\" "
    "WHERE \"request_id\" = ANY (CAST($1 AS text[]))";
static const char *s_costs_copy_pg = "COPY \"user_request_costs\" (\"uuid\", \"created_time\", "
    "\"user_id\", \"user_uuid\", \"request_id\", \"quota\", \"created_at\", \"updated_at\") "
    "FROM STDIN";

//  No RETURNING: SQLite buffers its rows in an ephemeral table, opened and
//  closed per execution; the change count says the same.
static const char *s_costs_lite = S_COSTS_COLUMNS
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";

//  SQLite: one bound row per event; a row changed means the request id is new.
static int
s_costs_lite_rows (oa_store_t *store, oa_billing_event_t *events, size_t count,
                   int64_t now_s, int64_t now_ms)
{
    oa_stmt_t *stmt = oa_store_prepare (store, s_costs_lite);
    if (!stmt)
        return -1;
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        if (event->state != OA_BILLING_BILL)
            continue;
        oa_billing_bind_utf8 (stmt, 1, event->cost_uuid);
        oa_stmt_bind_int64 (stmt, 2, now_s);
        oa_stmt_bind_int64 (stmt, 3, event->user_id);
        oa_billing_bind_utf8 (stmt, 4, event->user_uuid);
        oa_billing_bind_utf8 (stmt, 5, oa_msg_request_id (event->msg));
        oa_stmt_bind_int64 (stmt, 6, event->quota);
        oa_stmt_bind_int64 (stmt, 7, now_ms);
        oa_stmt_bind_int64 (stmt, 8, now_ms);
        int rc = oa_stmt_exec (stmt);
        if (rc == 0 && oa_stmt_changes (stmt) == 1)
            event->is_new = true;
        oa_stmt_reset (stmt);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int
oa_billing_sql_costs (oa_store_t *store, oa_billing_event_t *events, size_t count,
                      int64_t now_s, int64_t now_ms, oa_billing_buf_t *buf)
{
    if (!oa_store_is_postgres (store))
        return s_costs_lite_rows (store, events, count, now_s, now_ms);
    //  Request id as stored (valid UTF-8) -> event; all new until found.
    zhashx_t *index = zhashx_new ();
    oa_billing_buf_reset (buf);
    oa_billing_buf_raw (buf, "{");
    bool first = true;
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        if (event->state != OA_BILLING_BILL)
            continue;
        const char *request_id = oa_msg_request_id (event->msg);
        char *repaired = oa_billing_utf8_repair (request_id);
        zhashx_insert (index, repaired? repaired: request_id, event);
        free (repaired);
        event->is_new = true;
        oa_billing_array_str (buf, request_id, first);
        first = false;
    }
    oa_billing_buf_raw (buf, "}");
    int rc = 0;
    if (!first) {
        oa_stmt_t *stmt = oa_store_prepare (store, s_costs_seen_pg);
        rc = stmt? 0: -1;
        if (stmt) {
            oa_stmt_bind_text (stmt, 1, buf->data);
            while ((rc = oa_stmt_step (stmt)) == 1) {
                oa_billing_event_t *event = (oa_billing_event_t *)
                    zhashx_lookup (index, oa_stmt_text (stmt, 0));
                if (event)
                    event->is_new = false;
            }
            oa_stmt_reset (stmt);
        }
    }
    zhashx_destroy (&index);
    if (rc < 0)
        return -1;
    oa_billing_buf_reset (buf);
    size_t rows = 0;
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        if (event->state != OA_BILLING_BILL || !event->is_new)
            continue;
        oa_billing_copy_str (buf, event->cost_uuid, true);
        oa_billing_copy_int (buf, now_s);
        oa_billing_copy_int (buf, event->user_id);
        oa_billing_copy_str (buf, event->user_uuid, false);
        oa_billing_copy_str (buf, oa_msg_request_id (event->msg), false);
        oa_billing_copy_int (buf, event->quota);
        oa_billing_copy_int (buf, now_ms);
        oa_billing_copy_int (buf, now_ms);
        oa_billing_buf_bytes (buf, "\n", 1);
        rows++;
    }
    if (!rows)
        return 0;
    int64_t copied = oa_store_copy_in (store, s_costs_copy_pg, buf->data, buf->size);
    return copied == (int64_t) rows? 0: -1;
}


#define S_LOGS_LIST "(\"user_id\", \"uuid\", \"user_uuid\", \"created_at\", \"type\", " \
    "\"content\", \"username\", \"token_name\", \"token_uuid\", \"model_name\", " \
    "\"origin_model_name\", \"quota\", \"prompt_tokens\", \"completion_tokens\", " \
    "\"channel_id\", \"channel_uuid\", \"request_id\", \"trace_id\", \"updated_at\", " \
    "\"elapsed_time\", \"is_stream\", \"system_prompt_reset\", \"cached_prompt_tokens\", " \
    "\"metadata\")"
static const char *s_logs_copy_pg = "COPY \"logs\" " S_LOGS_LIST " FROM STDIN";

#define S_J(key) "json_extract(value, '$." key "')"
static const char *s_logs_lite = "INSERT INTO \"logs\" " S_LOGS_LIST " "
    "VALUES ($1, $2, $3, $4, 2, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
    "$18, $19, $20, $21, $22, $23)";

//  SQLite: one bound row per new event, in the column order of S_LOGS_LIST.
static int
s_logs_lite_rows (oa_store_t *store, oa_billing_event_t *events, size_t count,
                  int64_t now_s, int64_t now_ms)
{
    oa_stmt_t *stmt = NULL;
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        if (event->state != OA_BILLING_BILL || !event->is_new)
            continue;
        if (!stmt && !(stmt = oa_store_prepare (store, s_logs_lite)))
            return -1;
        oa_msg_t *msg = event->msg;
        oa_stmt_bind_int64 (stmt, 1, event->user_id);
        oa_billing_bind_utf8 (stmt, 2, event->log_uuid);
        oa_billing_bind_utf8 (stmt, 3, event->user_uuid);
        oa_stmt_bind_int64 (stmt, 4, now_s);
        oa_billing_bind_utf8 (stmt, 5, event->content);
        oa_billing_bind_utf8 (stmt, 6, event->username? event->username: "");
        oa_billing_bind_utf8 (stmt, 7, oa_msg_token_name (msg));
        oa_billing_bind_utf8 (stmt, 8, event->token_uuid);
        oa_billing_bind_utf8 (stmt, 9, oa_msg_model (msg));
        oa_billing_bind_utf8 (stmt, 10, oa_msg_origin_model (msg));
        oa_stmt_bind_int64 (stmt, 11, event->quota);
        oa_stmt_bind_int64 (stmt, 12, event->prompt_tokens);
        oa_stmt_bind_int64 (stmt, 13, event->completion_tokens);
        oa_stmt_bind_int64 (stmt, 14, (int64_t) oa_msg_channel_id (msg));
        oa_billing_bind_utf8 (stmt, 15, event->channel_uuid);
        oa_billing_bind_utf8 (stmt, 16, oa_msg_request_id (msg));
        oa_billing_bind_utf8 (stmt, 17, oa_msg_trace_id (msg));
        oa_stmt_bind_int64 (stmt, 18, now_ms);
        oa_stmt_bind_int64 (stmt, 19, (int64_t) oa_msg_elapsed_ms (msg));
        oa_stmt_bind_bool (stmt, 20, oa_msg_stream (msg));
        oa_stmt_bind_bool (stmt, 21, oa_msg_system_prompt_reset (msg));
        oa_stmt_bind_int64 (stmt, 22, event->cached_prompt_tokens);
        oa_billing_bind_utf8 (stmt, 23, event->metadata);
        int rc = oa_stmt_exec (stmt);
        oa_stmt_reset (stmt);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int
oa_billing_sql_logs (oa_store_t *store, oa_billing_event_t *events, size_t count,
                     int64_t now_s, int64_t now_ms, oa_billing_buf_t *buf)
{
    if (!oa_store_is_postgres (store))
        return s_logs_lite_rows (store, events, count, now_s, now_ms);
    //  COPY rows in the column order of S_LOGS_LIST.
    oa_billing_buf_reset (buf);
    size_t rows = 0;
    for (size_t at = 0; at < count; at++) {
        oa_billing_event_t *event = &events [at];
        if (event->state != OA_BILLING_BILL || !event->is_new)
            continue;
        oa_msg_t *msg = event->msg;
        oa_billing_buf_reserve (buf, 1024);
        oa_billing_buf_int (buf, event->user_id);
        oa_billing_copy_str (buf, event->log_uuid, false);
        oa_billing_copy_str (buf, event->user_uuid, false);
        oa_billing_copy_int (buf, now_s);
        oa_billing_copy_int (buf, 2);            //  one-api's LogTypeConsume
        oa_billing_copy_str (buf, event->content, false);
        oa_billing_copy_str (buf, event->username? event->username: "", false);
        oa_billing_copy_str (buf, oa_msg_token_name (msg), false);
        oa_billing_copy_str (buf, event->token_uuid, false);
        oa_billing_copy_str (buf, oa_msg_model (msg), false);
        oa_billing_copy_str (buf, oa_msg_origin_model (msg), false);
        oa_billing_copy_int (buf, event->quota);
        oa_billing_copy_int (buf, event->prompt_tokens);
        oa_billing_copy_int (buf, event->completion_tokens);
        oa_billing_copy_int (buf, (int64_t) oa_msg_channel_id (msg));
        oa_billing_copy_str (buf, event->channel_uuid, false);
        oa_billing_copy_str (buf, oa_msg_request_id (msg), false);
        oa_billing_copy_str (buf, oa_msg_trace_id (msg), false);
        oa_billing_copy_int (buf, now_ms);
        oa_billing_copy_int (buf, (int64_t) oa_msg_elapsed_ms (msg));
        oa_billing_buf_bytes (buf, oa_msg_stream (msg)? "\tt": "\tf", 2);
        oa_billing_buf_bytes (buf, oa_msg_system_prompt_reset (msg)? "\tt": "\tf", 2);
        oa_billing_copy_int (buf, event->cached_prompt_tokens);
        oa_billing_copy_str (buf, event->metadata, false);
        oa_billing_buf_bytes (buf, "\n", 1);
        rows++;
    }
    if (!rows)
        return 0;
    int64_t copied = oa_store_copy_in (store, s_logs_copy_pg, buf->data, buf->size);
    return copied == (int64_t) rows? 0: -1;
}

static const char *s_tokens_pg =
    "UPDATE \"tokens\" AS t SET \"remain_quota\" = t.\"remain_quota\" - x.r, "
    "\"used_quota\" = t.\"used_quota\" + x.q, \"accessed_time\" = CAST($2 AS bigint), "
    "\"updated_at\" = CAST($3 AS bigint) "
    "FROM json_to_recordset(CAST($1 AS json)) AS x(id bigint, r bigint, q bigint) "
    "WHERE t.\"id\" = x.id";
static const char *s_tokens_lite =
    "UPDATE \"tokens\" AS t SET \"remain_quota\" = t.\"remain_quota\" - x.r, "
    "\"used_quota\" = t.\"used_quota\" + x.q, \"accessed_time\" = $2, \"updated_at\" = $3 "
    "FROM (SELECT " S_J ("id") " AS id, " S_J ("r") " AS r, " S_J ("q") " AS q "
    "FROM json_each($1)) AS x WHERE t.\"id\" = x.id";

static const char *s_users_pg =
    "UPDATE \"users\" AS t SET \"quota\" = t.\"quota\" - x.q, "
    "\"used_quota\" = t.\"used_quota\" + x.u, \"request_count\" = t.\"request_count\" + x.n, "
    "\"updated_at\" = CAST($2 AS bigint) "
    "FROM json_to_recordset(CAST($1 AS json)) AS x(id bigint, q bigint, u bigint, n bigint) "
    "WHERE t.\"id\" = x.id";
static const char *s_users_lite =
    "UPDATE \"users\" AS t SET \"quota\" = t.\"quota\" - x.q, "
    "\"used_quota\" = t.\"used_quota\" + x.u, \"request_count\" = t.\"request_count\" + x.n, "
    "\"updated_at\" = $2 "
    "FROM (SELECT " S_J ("id") " AS id, " S_J ("q") " AS q, " S_J ("u") " AS u, " S_J ("n")
    " AS n FROM json_each($1)) AS x WHERE t.\"id\" = x.id";

static const char *s_channels_pg =
    "UPDATE \"channels\" AS t SET \"used_quota\" = t.\"used_quota\" + x.u "
    "FROM json_to_recordset(CAST($1 AS json)) AS x(id bigint, u bigint) WHERE t.\"id\" = x.id";
static const char *s_channels_lite =
    "UPDATE \"channels\" AS t SET \"used_quota\" = t.\"used_quota\" + x.u "
    "FROM (SELECT " S_J ("id") " AS id, " S_J ("u") " AS u FROM json_each($1)) AS x "
    "WHERE t.\"id\" = x.id";

static int
s_run (oa_store_t *store, const char *sql, const char *json, int64_t a, int64_t b, int params)
{
    oa_stmt_t *stmt = oa_store_prepare (store, sql);
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, json);
    if (params >= 2)
        oa_stmt_bind_int64 (stmt, 2, a);
    if (params >= 3)
        oa_stmt_bind_int64 (stmt, 3, b);
    return oa_stmt_exec (stmt);
}

int
oa_billing_sql_balances (oa_store_t *store, zhashx_t *tokens, zhashx_t *users,
                         zhashx_t *channels, int64_t now_s, oa_billing_buf_t *buf)
{
    bool pg = oa_store_is_postgres (store);
    int64_t now_ms = now_s * 1000;
    //  Tokens: remain_quota moves unless unlimited.
    oa_billing_buf_reset (buf);
    oa_billing_buf_raw (buf, "[");
    bool first = true;
    for (oa_billing_token_t *token = (oa_billing_token_t *) zhashx_first (tokens); token;
         token = (oa_billing_token_t *) zhashx_next (tokens)) {
        if (!token->touched)
            continue;
        oa_billing_buf_raw (buf, first? "{\"id\":": ",{\"id\":");
        first = false;
        oa_billing_buf_int (buf, token->id);
        oa_billing_buf_raw (buf, ",\"r\":");
        oa_billing_buf_int (buf, token->unlimited? 0: token->quota);
        oa_billing_buf_raw (buf, ",\"q\":");
        oa_billing_buf_int (buf, token->quota);
        oa_billing_buf_raw (buf, "}");
    }
    oa_billing_buf_raw (buf, "]");
    if (!first && s_run (store, pg? s_tokens_pg: s_tokens_lite, buf->data, now_s, now_ms, 3))
        return -1;
    //  Users: quota always; used_quota and request_count for charges > 0.
    oa_billing_buf_reset (buf);
    oa_billing_buf_raw (buf, "[");
    first = true;
    for (oa_billing_user_t *user = (oa_billing_user_t *) zhashx_first (users); user;
         user = (oa_billing_user_t *) zhashx_next (users)) {
        if (!user->touched)
            continue;
        oa_billing_buf_raw (buf, first? "{\"id\":": ",{\"id\":");
        first = false;
        oa_billing_buf_int (buf, user->id);
        oa_billing_buf_raw (buf, ",\"q\":");
        oa_billing_buf_int (buf, user->quota);
        oa_billing_buf_raw (buf, ",\"u\":");
        oa_billing_buf_int (buf, user->used);
        oa_billing_buf_raw (buf, ",\"n\":");
        oa_billing_buf_int (buf, user->count);
        oa_billing_buf_raw (buf, "}");
    }
    oa_billing_buf_raw (buf, "]");
    if (!first && s_run (store, pg? s_users_pg: s_users_lite, buf->data, now_ms, 0, 2))
        return -1;
    //  Channels: used_quota, for charges > 0.
    oa_billing_buf_reset (buf);
    oa_billing_buf_raw (buf, "[");
    first = true;
    for (oa_billing_channel_t *channel = (oa_billing_channel_t *) zhashx_first (channels);
         channel; channel = (oa_billing_channel_t *) zhashx_next (channels)) {
        if (!channel->used)
            continue;
        oa_billing_buf_raw (buf, first? "{\"id\":": ",{\"id\":");
        first = false;
        oa_billing_buf_int (buf, channel->id);
        oa_billing_buf_raw (buf, ",\"u\":");
        oa_billing_buf_int (buf, channel->used);
        oa_billing_buf_raw (buf, "}");
    }
    oa_billing_buf_raw (buf, "]");
    if (!first && s_run (store, pg? s_channels_pg: s_channels_lite, buf->data, 0, 0, 1))
        return -1;
    return 0;
}

//  --------------------------------------------------------------------------
//  Destructors

void
oa_billing_token_destroy (oa_billing_token_t **self_p)
{
    oa_billing_token_t *self = *self_p;
    if (!self)
        return;
    free (self->uuid);
    free (self);
    *self_p = NULL;
}

void
oa_billing_user_destroy (oa_billing_user_t **self_p)
{
    oa_billing_user_t *self = *self_p;
    if (!self)
        return;
    free (self->username);
    free (self->uuid);
    free (self);
    *self_p = NULL;
}

void
oa_billing_channel_destroy (oa_billing_channel_t **self_p)
{
    oa_billing_channel_t *self = *self_p;
    if (!self)
        return;
    oa_pricing_channel_destroy (&self->pricing);
    free (self->group);
    free (self->uuid);
    free (self->model_configs);
    free (self->model_ratio);
    free (self->completion_ratio);
    free (self);
    *self_p = NULL;
}
