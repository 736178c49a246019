/*  =========================================================================
    oa_api_views - how rows leave the management API

    Two shapes.  Responses follow Laisky's DTOs (dto/responses.go): the
    external uuid instead of the integer id, millisecond created_at and
    updated_at, Go pointers as null, token keys with TOKEN_KEY_PREFIX, and
    no secrets (users' password, access_token, totp_secret never; channel
    keys only where one-api returns them, to admins).  Change rows follow
    the ledger's snapshot format (oa_ledger_sync.c), so a gateway applies a
    CHANGE exactly like a snapshot row.
    =========================================================================
*/
#include "oa_api_private.h"

#include "oa_log.h"

const oa_api_column_t oa_api_user_view [] = {
    { "uuid", "\"uuid\"", OA_API_CHAR },
    { "username", "\"username\"", OA_API_STR },
    { "display_name", "\"display_name\"", OA_API_STR },
    { "role", "\"role\"", OA_API_INT },
    { "status", "\"status\"", OA_API_INT },
    { "email", "\"email\"", OA_API_STR },
    { "github_id", "\"github_id\"", OA_API_STR },
    { "wechat_id", "\"wechat_id\"", OA_API_STR },
    { "lark_id", "\"lark_id\"", OA_API_STR },
    { "oidc_id", "\"oidc_id\"", OA_API_STR },
    { "quota", "\"quota\"", OA_API_INT },
    { "used_quota", "\"used_quota\"", OA_API_INT },
    { "request_count", "\"request_count\"", OA_API_INT },
    { "group", "\"group\"", OA_API_STR },
    { "aff_code", "\"aff_code\"", OA_API_STR },
    { "inviter_uuid", "\"inviter_uuid\"", OA_API_PCHAR },
    { "mcp_tool_blacklist", "\"mcp_tool_blacklist\"", OA_API_STR_LIST },
    { "metadata", "\"metadata\"", OA_API_USER_META },
    { "created_at", "\"created_at\"", OA_API_INT },
    { "updated_at", "\"updated_at\"", OA_API_INT },
    { NULL, NULL, OA_API_INT }
};

const oa_api_column_t oa_api_token_view [] = {
    { "uuid", "\"uuid\"", OA_API_CHAR },
    { "user_uuid", "\"user_uuid\"", OA_API_PCHAR },
    { "key", "\"key\"", OA_API_KEY },
    { "status", "\"status\"", OA_API_INT },
    { "name", "\"name\"", OA_API_STR },
    { "created_time", "\"created_time\"", OA_API_INT },
    { "accessed_time", "\"accessed_time\"", OA_API_INT },
    { "expired_time", "\"expired_time\"", OA_API_INT },
    { "remain_quota", "\"remain_quota\"", OA_API_INT },
    { "unlimited_quota", "\"unlimited_quota\"", OA_API_BOOL },
    { "used_quota", "\"used_quota\"", OA_API_INT },
    { "created_at", "\"created_at\"", OA_API_INT },
    { "updated_at", "\"updated_at\"", OA_API_INT },
    { "models", "\"models\"", OA_API_PSTR },
    { "subnet", "\"subnet\"", OA_API_PSTR },
    { NULL, NULL, OA_API_INT }
};

//  The channel columns after "key", shared by both channel views.
#define S_CHANNEL_TAIL \
    { "status", "\"status\"", OA_API_INT }, \
    { "name", "\"name\"", OA_API_STR }, \
    { "weight", "\"weight\"", OA_API_PINT }, \
    { "created_time", "\"created_time\"", OA_API_INT }, \
    { "test_time", "\"test_time\"", OA_API_INT }, \
    { "response_time", "\"response_time\"", OA_API_INT }, \
    { "base_url", "\"base_url\"", OA_API_PSTR }, \
    { "other", "\"other\"", OA_API_PSTR }, \
    { "balance", "\"balance\"", OA_API_REAL }, \
    { "balance_updated_time", "\"balance_updated_time\"", OA_API_INT }, \
    { "models", "\"models\"", OA_API_STR }, \
    { "hidden_models", "\"hidden_models\"", OA_API_PSTR }, \
    { "model_configs", "\"model_configs\"", OA_API_PSTR }, \
    { "group", "\"group\"", OA_API_STR }, \
    { "used_quota", "\"used_quota\"", OA_API_INT }, \
    { "model_mapping", "\"model_mapping\"", OA_API_PSTR }, \
    { "priority", "\"priority\"", OA_API_PINT }, \
    { "config", "\"config\"", OA_API_STR }, \
    { "system_prompt", "\"system_prompt\"", OA_API_PSTR }, \
    { "ratelimit", "\"ratelimit\"", OA_API_PINT }, \
    { "testing_model", "\"testing_model\"", OA_API_PSTR }, \
    { "model_ratio", "\"model_ratio\"", OA_API_PSTR }, \
    { "completion_ratio", "\"completion_ratio\"", OA_API_PSTR }, \
    { "created_at", "\"created_at\"", OA_API_INT }, \
    { "updated_at", "\"updated_at\"", OA_API_INT }, \
    { "inference_profile_arn_map", "\"inference_profile_arn_map\"", OA_API_PSTR }, \
    { NULL, NULL, OA_API_INT }

//  Lists and gets: GetAllChannels/GetChannelById omit the key column.
const oa_api_column_t oa_api_channel_view [] = {
    { "uuid", "\"uuid\"", OA_API_CHAR },
    { "type", "\"type\"", OA_API_INT },
    { "key", "''", OA_API_STR },
    S_CHANNEL_TAIL
};

//  The row as UpdateChannel answers it, key included (admins only).
const oa_api_column_t oa_api_channel_secret_view [] = {
    { "uuid", "\"uuid\"", OA_API_CHAR },
    { "type", "\"type\"", OA_API_INT },
    { "key", "\"key\"", OA_API_STR },
    S_CHANNEL_TAIL
};

const oa_api_column_t oa_api_log_view [] = {
    { "uuid", "\"logs\".\"uuid\"", OA_API_CHAR },
    { "user_uuid", "\"logs\".\"user_uuid\"", OA_API_PCHAR },
    { "created_at", "\"logs\".\"created_at\"", OA_API_INT },
    { "type", "\"logs\".\"type\"", OA_API_INT },
    { "content", "\"logs\".\"content\"", OA_API_STR },
    { "username", "\"logs\".\"username\"", OA_API_STR },
    { "token_name", "\"logs\".\"token_name\"", OA_API_STR },
    { "token_uuid", "\"logs\".\"token_uuid\"", OA_API_PCHAR },
    { "model_name", "\"logs\".\"model_name\"", OA_API_STR },
    { "origin_model_name", "\"logs\".\"origin_model_name\"", OA_API_STR },
    { "quota", "\"logs\".\"quota\"", OA_API_INT },
    { "prompt_tokens", "\"logs\".\"prompt_tokens\"", OA_API_INT },
    { "completion_tokens", "\"logs\".\"completion_tokens\"", OA_API_INT },
    { "channel_uuid", "\"logs\".\"channel_uuid\"", OA_API_PCHAR },
    { "channel_name", "\"channels\".\"name\"", OA_API_STR_OMIT },
    { "request_id", "\"logs\".\"request_id\"", OA_API_STR },
    { "trace_id", "\"logs\".\"trace_id\"", OA_API_STR },
    { "updated_at", "\"logs\".\"updated_at\"", OA_API_INT },
    { "elapsed_time", "\"logs\".\"elapsed_time\"", OA_API_INT },
    { "is_stream", "\"logs\".\"is_stream\"", OA_API_BOOL },
    { "system_prompt_reset", "\"logs\".\"system_prompt_reset\"", OA_API_BOOL },
    { "cached_prompt_tokens", "\"logs\".\"cached_prompt_tokens\"", OA_API_INT },
    { "metadata", "\"logs\".\"metadata\"", OA_API_JSON_OMIT },
    { NULL, NULL, OA_API_INT }
};

const oa_api_column_t oa_api_redemption_view [] = {
    { "uuid", "\"uuid\"", OA_API_CHAR },
    { "user_uuid", "\"user_uuid\"", OA_API_PCHAR },
    { "key", "\"key\"", OA_API_CHAR },
    { "status", "\"status\"", OA_API_INT },
    { "name", "\"name\"", OA_API_STR },
    { "quota", "\"quota\"", OA_API_INT },
    { "created_time", "\"created_time\"", OA_API_INT },
    { "redeemed_time", "\"redeemed_time\"", OA_API_INT },
    { "count", "0", OA_API_INT },
    { "created_at", "\"created_at\"", OA_API_INT },
    { "updated_at", "\"updated_at\"", OA_API_INT },
    { NULL, NULL, OA_API_INT }
};

//  --------------------------------------------------------------------------
//  Change rows: the snapshot's columns (oa_ledger_sync.c), NULL as null.

static const oa_api_column_t s_token_change [] = {
    { "id", "\"id\"", OA_API_PINT }, { "uuid", "\"uuid\"", OA_API_PCHAR },
    { "user_id", "\"user_id\"", OA_API_PINT }, { "user_uuid", "\"user_uuid\"", OA_API_PCHAR },
    { "key", "\"key\"", OA_API_PCHAR }, { "status", "\"status\"", OA_API_PINT },
    { "name", "\"name\"", OA_API_PSTR }, { "created_time", "\"created_time\"", OA_API_PINT },
    { "accessed_time", "\"accessed_time\"", OA_API_PINT },
    { "expired_time", "\"expired_time\"", OA_API_PINT },
    { "remain_quota", "\"remain_quota\"", OA_API_PINT },
    { "unlimited_quota", "\"unlimited_quota\"", OA_API_BOOL },
    { "used_quota", "\"used_quota\"", OA_API_PINT }, { "models", "\"models\"", OA_API_PSTR },
    { "subnet", "\"subnet\"", OA_API_PSTR }, { NULL, NULL, OA_API_INT }
};

static const oa_api_column_t s_user_change [] = {
    { "id", "\"id\"", OA_API_PINT }, { "uuid", "\"uuid\"", OA_API_PCHAR },
    { "username", "\"username\"", OA_API_PSTR },
    { "display_name", "\"display_name\"", OA_API_PSTR }, { "role", "\"role\"", OA_API_PINT },
    { "status", "\"status\"", OA_API_PINT }, { "email", "\"email\"", OA_API_PSTR },
    { "quota", "\"quota\"", OA_API_PINT }, { "used_quota", "\"used_quota\"", OA_API_PINT },
    { "request_count", "\"request_count\"", OA_API_PINT },
    { "group", "\"group\"", OA_API_PSTR }, { NULL, NULL, OA_API_INT }
};

static const oa_api_column_t s_channel_change [] = {
    { "id", "\"id\"", OA_API_PINT }, { "uuid", "\"uuid\"", OA_API_PCHAR },
    { "type", "\"type\"", OA_API_PINT }, { "key", "\"key\"", OA_API_PSTR },
    { "status", "\"status\"", OA_API_PINT }, { "name", "\"name\"", OA_API_PSTR },
    { "weight", "\"weight\"", OA_API_PINT }, { "priority", "\"priority\"", OA_API_PINT },
    { "base_url", "\"base_url\"", OA_API_PSTR }, { "other", "\"other\"", OA_API_PSTR },
    { "models", "\"models\"", OA_API_PSTR }, { "hidden_models", "\"hidden_models\"", OA_API_PSTR },
    { "model_mapping", "\"model_mapping\"", OA_API_PSTR },
    { "model_configs", "\"model_configs\"", OA_API_PSTR }, { "group", "\"group\"", OA_API_PSTR },
    { "config", "\"config\"", OA_API_PSTR }, { "system_prompt", "\"system_prompt\"", OA_API_PSTR },
    { "ratelimit", "\"ratelimit\"", OA_API_PINT },
    { "testing_model", "\"testing_model\"", OA_API_PSTR },
    { "balance", "\"balance\"", OA_API_REAL }, { NULL, NULL, OA_API_INT }
};

#define S_ABILITY_HEAD { "group", "\"group\"", OA_API_PSTR }, \
    { "model", "\"model\"", OA_API_PSTR }, { "channel_id", "\"channel_id\"", OA_API_PINT }, \
    { "enabled", "\"enabled\"", OA_API_BOOL }, { "priority", "\"priority\"", OA_API_PINT }

static const oa_api_column_t s_ability_change_sqlite [] = {
    S_ABILITY_HEAD,
    { "suspend_until", "CAST(strftime('%s', \"suspend_until\") AS INTEGER) * 1000", OA_API_PINT },
    { NULL, NULL, OA_API_INT }
};

static const oa_api_column_t s_ability_change_pg [] = {
    S_ABILITY_HEAD,
    { "suspend_until", "CAST(EXTRACT(EPOCH FROM \"suspend_until\") * 1000 AS bigint)",
      OA_API_PINT },
    { NULL, NULL, OA_API_INT }
};

json_t *
oa_api_change_row (oa_api_app_t *app, const char *table, int64_t id)
{
    const oa_api_column_t *view = streq (table, "tokens")? s_token_change
                                : streq (table, "users")? s_user_change
                                : streq (table, "channels")? s_channel_change: NULL;
    assert (view);
    char *from = zsys_sprintf ("FROM \"%s\" WHERE \"id\" = $1", table);
    oa_api_param_t param = { .i = id };
    bool found = false;
    json_t *row = oa_api_select_one (app, view, from, &param, 1, &found);
    zstr_free (&from);
    return row;
}

json_t *
oa_api_ability_rows (oa_api_app_t *app, int64_t channel_id)
{
    oa_api_param_t param = { .i = channel_id };
    return oa_api_select (app, oa_store_is_postgres (oa_api_store (app))? s_ability_change_pg
                                                                         : s_ability_change_sqlite,
                          "FROM \"abilities\" WHERE \"channel_id\" = $1", &param, 1,
                          "\"group\", \"model\"", -1, 0);
}
