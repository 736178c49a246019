//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_ledger - accessors of the ledger messages

    Billing: reservations before a request, settlement after it.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.
    =========================================================================
*/

#include "oa_msg_private.h"

//  --------------------------------------------------------------------------
//  model: Model billed: the mapped, upstream name

const char *
oa_msg_model (oa_msg_t *self)
{
    assert (self);
    return self->model? self->model: "";
}

void
oa_msg_set_model (oa_msg_t *self, const char *model)
{
    assert (self);
    s_text_set (&self->model, model);
}

//  --------------------------------------------------------------------------
//  origin_model: Model as requested (origin_model_name)

const char *
oa_msg_origin_model (oa_msg_t *self)
{
    assert (self);
    return self->origin_model? self->origin_model: "";
}

void
oa_msg_set_origin_model (oa_msg_t *self, const char *origin_model)
{
    assert (self);
    s_text_set (&self->origin_model, origin_model);
}

//  --------------------------------------------------------------------------
//  cache_write_5m_tokens: Tokens written to the 5-minute cache

uint32_t
oa_msg_cache_write_5m_tokens (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->cache_write_5m_tokens;
}

void
oa_msg_set_cache_write_5m_tokens (oa_msg_t *self, uint32_t cache_write_5m_tokens)
{
    assert (self);
    self->cache_write_5m_tokens = cache_write_5m_tokens;
}

//  --------------------------------------------------------------------------
//  cache_write_1h_tokens: Tokens written to the 1-hour cache

uint32_t
oa_msg_cache_write_1h_tokens (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->cache_write_1h_tokens;
}

void
oa_msg_set_cache_write_1h_tokens (oa_msg_t *self, uint32_t cache_write_1h_tokens)
{
    assert (self);
    self->cache_write_1h_tokens = cache_write_1h_tokens;
}

//  --------------------------------------------------------------------------
//  tools_cost: Quota for tool calls (web search, ...), added to the token cost

int64_t
oa_msg_tools_cost (oa_msg_t *self)
{
    assert (self);
    return self->tools_cost;
}

void
oa_msg_set_tools_cost (oa_msg_t *self, int64_t tools_cost)
{
    assert (self);
    self->tools_cost = tools_cost;
}

//  --------------------------------------------------------------------------
//  elapsed_ms: Total time from created_at_ms to the end

uint32_t
oa_msg_elapsed_ms (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->elapsed_ms;
}

void
oa_msg_set_elapsed_ms (oa_msg_t *self, uint32_t elapsed_ms)
{
    assert (self);
    self->elapsed_ms = elapsed_ms;
}

//  --------------------------------------------------------------------------
//  upstream_format: Format spoken upstream

uint8_t
oa_msg_upstream_format (oa_msg_t *self)
{
    assert (self);
    return (uint8_t) self->upstream_format;
}

void
oa_msg_set_upstream_format (oa_msg_t *self, uint8_t upstream_format)
{
    assert (self);
    self->upstream_format = upstream_format;
}

//  --------------------------------------------------------------------------
//  metadata_json: Log metadata JSON (cache_write_tokens, upstream_api_format, estimated_charge,
//  ...)

const char *
oa_msg_metadata_json (oa_msg_t *self)
{
    assert (self);
    return self->metadata_json? self->metadata_json: "";
}

void
oa_msg_set_metadata_json (oa_msg_t *self, const char *metadata_json)
{
    assert (self);
    s_text_set (&self->metadata_json, metadata_json);
}

//  --------------------------------------------------------------------------
//  content: Log content text

const char *
oa_msg_content (oa_msg_t *self)
{
    assert (self);
    return self->content? self->content: "";
}

void
oa_msg_set_content (oa_msg_t *self, const char *content)
{
    assert (self);
    s_text_set (&self->content, content);
}

//  --------------------------------------------------------------------------
//  system_prompt_reset: A channel system prompt replaced the client's

bool
oa_msg_system_prompt_reset (oa_msg_t *self)
{
    assert (self);
    return self->system_prompt_reset;
}

void
oa_msg_set_system_prompt_reset (oa_msg_t *self, bool system_prompt_reset)
{
    assert (self);
    self->system_prompt_reset = system_prompt_reset;
}

//  --------------------------------------------------------------------------
//  request_ids: Request ids now settled

zlist_t *
oa_msg_request_ids (oa_msg_t *self)
{
    assert (self);
    return self->request_ids;
}

zlist_t *
oa_msg_get_request_ids (oa_msg_t *self)
{
    assert (self);
    zlist_t *request_ids = self->request_ids;
    self->request_ids = NULL;
    return request_ids;
}

void
oa_msg_set_request_ids (oa_msg_t *self, zlist_t **request_ids_p)
{
    assert (self);
    zlist_destroy (&self->request_ids);
    if (request_ids_p) {
        self->request_ids = *request_ids_p;
        *request_ids_p = NULL;
    }
}

void
oa_msg_request_ids_append (oa_msg_t *self, const char *value)
{
    assert (self);
    assert (value);
    if (!self->request_ids) {
        self->request_ids = zlist_new ();
        assert (self->request_ids);
        zlist_autofree (self->request_ids);
    }
    zlist_append (self->request_ids, (void *) value);
}

//  --------------------------------------------------------------------------
//  amount: Quota to hold

int64_t
oa_msg_amount (oa_msg_t *self)
{
    assert (self);
    return self->amount;
}

void
oa_msg_set_amount (oa_msg_t *self, int64_t amount)
{
    assert (self);
    self->amount = amount;
}

//  --------------------------------------------------------------------------
//  ttl_ms: Release the hold after this long if never settled

uint32_t
oa_msg_ttl_ms (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->ttl_ms;
}

void
oa_msg_set_ttl_ms (oa_msg_t *self, uint32_t ttl_ms)
{
    assert (self);
    self->ttl_ms = ttl_ms;
}

//  --------------------------------------------------------------------------
//  ok: Quota is held; relay the request

bool
oa_msg_ok (oa_msg_t *self)
{
    assert (self);
    return self->ok;
}

void
oa_msg_set_ok (oa_msg_t *self, bool ok)
{
    assert (self);
    self->ok = ok;
}

//  --------------------------------------------------------------------------
//  user_remain_quota: User's quota left after the hold

int64_t
oa_msg_user_remain_quota (oa_msg_t *self)
{
    assert (self);
    return self->user_remain_quota;
}

void
oa_msg_set_user_remain_quota (oa_msg_t *self, int64_t user_remain_quota)
{
    assert (self);
    self->user_remain_quota = user_remain_quota;
}

//  --------------------------------------------------------------------------
//  token_remain_quota: Token's quota left after the hold (meaningless when unlimited)

int64_t
oa_msg_token_remain_quota (oa_msg_t *self)
{
    assert (self);
    return self->token_remain_quota;
}

void
oa_msg_set_token_remain_quota (oa_msg_t *self, int64_t token_remain_quota)
{
    assert (self);
    self->token_remain_quota = token_remain_quota;
}

//  --------------------------------------------------------------------------
//  token_unlimited: Token has unlimited quota

bool
oa_msg_token_unlimited (oa_msg_t *self)
{
    assert (self);
    return self->token_unlimited;
}

void
oa_msg_set_token_unlimited (oa_msg_t *self, bool token_unlimited)
{
    assert (self);
    self->token_unlimited = token_unlimited;
}
