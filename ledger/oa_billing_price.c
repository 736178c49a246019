/*  =========================================================================
    oa_billing_price - pricing one USAGE of a batch

    Reads the event's token, user and channel from the batch's tables (read
    in the transaction by oa_billing_sql.c), resolves the model's prices
    (default tables, then the channel's overrides) and the group ratio,
    and fills in the quota, the log content and the log metadata the way
    one-api's PostConsumeQuota and RecordConsumeLog do.
    =========================================================================
*/
#include "oa_billing_private.h"

#include "oa_log.h"

//  one-api's metadata names of API formats.
static const char *
s_user_format (int format)
{
    switch (format) {
        case OA_MSG_FORMAT_CHAT:        return "chat";
        case OA_MSG_FORMAT_COMPLETIONS: return "completions";
        case OA_MSG_FORMAT_RESPONSES:   return "response_api";
        case OA_MSG_FORMAT_CLAUDE:      return "claude_messages";
        case OA_MSG_FORMAT_EMBEDDINGS:  return "embeddings";
        case OA_MSG_FORMAT_GEMINI:      return "gemini";
        default:                        return NULL;
    }
}

static const char *
s_upstream_format (int format)
{
    switch (format) {
        case OA_MSG_FORMAT_UNKNOWN:     return NULL;
        case OA_MSG_FORMAT_CLAUDE:      return "anthropic";
        case OA_MSG_FORMAT_GEMINI:      return "gemini";
        default:                        return "openai";
    }
}

//  Log metadata (one-api's LogMetadata, keys sorted as Go marshals maps):
//  the worker's keys, then cache_write_tokens and the API formats.
static char *
s_metadata (oa_msg_t *msg, oa_billing_buf_t *buf)
{
    uint32_t write_5m = oa_msg_cache_write_5m_tokens (msg);
    uint32_t write_1h = oa_msg_cache_write_1h_tokens (msg);
    const char *user_format = s_user_format (oa_msg_client_format (msg));
    const char *upstream_format = s_upstream_format (oa_msg_upstream_format (msg));
    const char *extra = oa_msg_metadata_json (msg);
    if (*extra) {
        json_error_t error;
        json_t *object = json_loads (extra, 0, &error);
        if (!json_is_object (object)) {
            json_decref (object);
            object = json_object ();
        }
        if (write_5m || write_1h) {
            json_t *writes = json_object ();
            if (write_5m)
                json_object_set_new (writes, "ephemeral_5m", json_integer (write_5m));
            if (write_1h)
                json_object_set_new (writes, "ephemeral_1h", json_integer (write_1h));
            json_object_set_new (object, "cache_write_tokens", writes);
        }
        if (user_format)
            json_object_set_new (object, "user_api_format", json_string (user_format));
        if (upstream_format)
            json_object_set_new (object, "upstream_api_format", json_string (upstream_format));
        char *text = json_object_size (object)
                   ? json_dumps (object, JSON_COMPACT | JSON_SORT_KEYS): NULL;
        json_decref (object);
        return text;
    }
    //  The usual case, without a parser.
    if (!write_5m && !write_1h && !user_format && !upstream_format)
        return NULL;
    oa_billing_buf_reset (buf);
    bool first = true;
    oa_billing_buf_raw (buf, "{");
    if (write_5m || write_1h) {
        oa_billing_buf_key (buf, "cache_write_tokens", true);
        first = false;
        oa_billing_buf_raw (buf, "{");
        if (write_1h) {
            oa_billing_buf_key (buf, "ephemeral_1h", true);
            oa_billing_buf_int (buf, write_1h);
        }
        if (write_5m) {
            oa_billing_buf_key (buf, "ephemeral_5m", !write_1h);
            oa_billing_buf_int (buf, write_5m);
        }
        oa_billing_buf_raw (buf, "}");
    }
    if (upstream_format) {
        oa_billing_buf_key (buf, "upstream_api_format", first);
        first = false;
        oa_billing_buf_str (buf, upstream_format);
    }
    if (user_format) {
        oa_billing_buf_key (buf, "user_api_format", first);
        oa_billing_buf_str (buf, user_format);
    }
    oa_billing_buf_raw (buf, "}");
    return strdup (buf->data);
}

char *
oa_billing_id_key (int64_t id, char *text, size_t size)
{
    assert (size >= 21);
    oa_store_decimal (id, text);
    return text;
}

//  Appends ", <name> <value>" at *at.
static void
s_append_int (char **at, const char *name, int64_t value)
{
    size_t len = strlen (name);
    memcpy (*at, name, len);
    *at += len;
    *at += oa_store_decimal (value, *at);
}

//  The log content, as one-api writes it: "model rate %.2f, group rate
//  %.2f, completion rate %.2f[, tools cost %d], cached_prompt %d,
//  cache_write_5m %d, cache_write_1h %d".  The rates are formatted once per
//  distinct triple (rates); the integers without printf.
static char *
s_content (oa_billing_rates_t *rates, double model, double group, double completion,
           const oa_pricing_usage_t *usage, int64_t cached_prompt)
{
    double key [3] = { model, group, completion };
    if (!rates->valid || memcmp (rates->rates, key, sizeof key)) {
        int len = snprintf (rates->text, sizeof rates->text, "model rate %.2f, group rate %.2f, "
                            "completion rate %.2f", model, group, completion);
        memcpy (rates->rates, key, sizeof key);
        rates->len = (size_t) len;
        rates->valid = len >= 0 && (size_t) len < sizeof rates->text;
    }
    //  Absurd rates (hundreds of digits): the formatting as it always was,
    //  truncation included.
    if (!rates->valid) {
        char content [512];
        if (usage->tools_cost == 0)
            snprintf (content, sizeof content, "model rate %.2f, group rate %.2f, completion "
                      "rate %.2f, cached_prompt %" PRId64 ", cache_write_5m %" PRId64
                      ", cache_write_1h %" PRId64, model, group, completion, cached_prompt,
                      usage->cache_write_5m_tokens, usage->cache_write_1h_tokens);
        else
            snprintf (content, sizeof content, "model rate %.2f, group rate %.2f, completion "
                      "rate %.2f, tools cost %" PRId64 ", cached_prompt %" PRId64
                      ", cache_write_5m %" PRId64 ", cache_write_1h %" PRId64, model, group,
                      completion, usage->tools_cost, cached_prompt, usage->cache_write_5m_tokens,
                      usage->cache_write_1h_tokens);
        return strdup (content);
    }
    //  256 bytes of rates at most, then four labelled int64s (< 40 bytes each)
    char *content = (char *) malloc (rates->len + 4 * 40 + 1);
    assert (content);
    memcpy (content, rates->text, rates->len);
    char *at = content + rates->len;
    if (usage->tools_cost != 0)
        s_append_int (&at, ", tools cost ", usage->tools_cost);
    s_append_int (&at, ", cached_prompt ", cached_prompt);
    s_append_int (&at, ", cache_write_5m ", usage->cache_write_5m_tokens);
    s_append_int (&at, ", cache_write_1h ", usage->cache_write_1h_tokens);
    *at = 0;
    return content;
}

//  Prices one event whose token, user and channel were read; returns false
//  (event in ERROR) when it cannot be billed.
bool
oa_billing_price (oa_billing_event_t *event, const oa_billing_tables_t *tables)
{
    oa_msg_t *msg = event->msg;
    char key [24];
    oa_billing_token_t *token = (oa_billing_token_t *) zhashx_lookup (tables->tokens,
        oa_billing_id_key ((int64_t) oa_msg_token_id (msg), key, sizeof key));
    if (!token) {
        oa_log (OA_LOG_ERROR, "ledger", oa_msg_request_id (msg),
                "billing: USAGE for unknown token %" PRIu64 " not billed", oa_msg_token_id (msg));
        return false;
    }
    //  one-api bills the token's owner (PostConsumeTokenQuota).
    oa_billing_user_t *user = (oa_billing_user_t *) zhashx_lookup (tables->users,
        oa_billing_id_key (token->user_id, key, sizeof key));
    if (!user) {
        oa_log (OA_LOG_ERROR, "ledger", oa_msg_request_id (msg),
                "billing: USAGE for token %" PRId64 " of unknown user %" PRId64 " not billed",
                token->id, token->user_id);
        return false;
    }
    if ((int64_t) oa_msg_user_id (msg) != token->user_id)
        oa_log (OA_LOG_WARN, "ledger", oa_msg_request_id (msg),
                "billing: USAGE names user %" PRIu64 " but token %" PRId64 " belongs to %"
                PRId64 "; billing the owner", oa_msg_user_id (msg), token->id, token->user_id);
    oa_billing_channel_t *channel = (oa_billing_channel_t *) zhashx_lookup (tables->channels,
        oa_billing_id_key ((int64_t) oa_msg_channel_id (msg), key, sizeof key));
    if (channel && !channel->seen)
        channel = NULL;         //  cached, but deleted since
    //  A channel deleted since the request: default prices, the user's group.
    oa_pricing_quote_t quote;
    oa_pricing_resolve (tables->pricing, oa_msg_model (msg), channel? (int) channel->type: 0,
                        channel? channel->pricing: NULL, &quote);
    double group_ratio = channel? oa_pricing_groups_min (tables->groups, channel->group)
                                : oa_pricing_groups_ratio (tables->groups, oa_msg_group (msg));
    oa_pricing_usage_t usage = {
        .prompt_tokens = oa_msg_prompt_tokens (msg),
        .completion_tokens = oa_msg_completion_tokens (msg),
        .cached_tokens = oa_msg_cached_tokens (msg),
        .cache_write_5m_tokens = oa_msg_cache_write_5m_tokens (msg),
        .cache_write_1h_tokens = oa_msg_cache_write_1h_tokens (msg),
        .tools_cost = oa_msg_tools_cost (msg) > 0? oa_msg_tools_cost (msg): 0
    };
    oa_pricing_result_t result;
    if (oa_pricing_compute (&quote, group_ratio, &usage, &result) != 0) {
        oa_log (OA_LOG_ERROR, "ledger", oa_msg_request_id (msg),
                "billing: model %s cannot be priced (ratio not finite)", oa_msg_model (msg));
        return false;
    }
    //  Zero tokens cost nothing, unless a reservation was made: then it is
    //  kept (one-api's zero-usage guard).
    int64_t reserved = oa_msg_reserved_quota (msg) > 0? oa_msg_reserved_quota (msg): 0;
    event->quota = oa_pricing_settle (&result, true, reserved, 0);
    event->prompt_tokens = result.prompt_tokens;
    event->completion_tokens = result.completion_tokens;
    event->cached_prompt_tokens = result.cached_prompt_tokens;
    event->user_id = token->user_id;
    event->username = user->username;
    event->user_uuid = user->uuid;
    event->token_uuid = token->uuid;
    event->channel_uuid = channel? channel->uuid: NULL;
    free (event->content);
    event->content = s_content (tables->rates, result.used_model_ratio, group_ratio,
                                result.used_completion_ratio, &usage,
                                result.cached_prompt_tokens);
    free (event->metadata);
    event->metadata = s_metadata (msg, tables->buf);
    oa_uuid_new (event->cost_uuid);
    oa_uuid_new (event->log_uuid);
    return true;
}
