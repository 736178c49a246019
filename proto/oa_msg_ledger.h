//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_ledger - accessors of the ledger messages

    Billing: reservations before a request, settlement after it.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.

    Part of the oa_msg class; include oa_msg.h, which includes this.
    =========================================================================
*/

#ifndef OA_MSG_LEDGER_H_INCLUDED
#define OA_MSG_LEDGER_H_INCLUDED

#include "oa_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Returns model, "" when unset: Model billed: the mapped, upstream name (USAGE)
const char *
    oa_msg_model (oa_msg_t *self);

//  Sets model to a copy of the text; NULL clears it.
void
    oa_msg_set_model (oa_msg_t *self, const char *model);

//  Returns origin_model, "" when unset: Model as requested (origin_model_name) (USAGE)
const char *
    oa_msg_origin_model (oa_msg_t *self);

//  Sets origin_model to a copy of the text; NULL clears it.
void
    oa_msg_set_origin_model (oa_msg_t *self, const char *origin_model);

//  Returns cache_write_5m_tokens: Tokens written to the 5-minute cache (USAGE)
uint32_t
    oa_msg_cache_write_5m_tokens (oa_msg_t *self);

//  Sets cache_write_5m_tokens.
void
    oa_msg_set_cache_write_5m_tokens (oa_msg_t *self, uint32_t cache_write_5m_tokens);

//  Returns cache_write_1h_tokens: Tokens written to the 1-hour cache (USAGE)
uint32_t
    oa_msg_cache_write_1h_tokens (oa_msg_t *self);

//  Sets cache_write_1h_tokens.
void
    oa_msg_set_cache_write_1h_tokens (oa_msg_t *self, uint32_t cache_write_1h_tokens);

//  Returns tools_cost: Quota for tool calls (web search, ...), added to the token cost (USAGE)
int64_t
    oa_msg_tools_cost (oa_msg_t *self);

//  Sets tools_cost.
void
    oa_msg_set_tools_cost (oa_msg_t *self, int64_t tools_cost);

//  Returns elapsed_ms: Total time from created_at_ms to the end (USAGE)
uint32_t
    oa_msg_elapsed_ms (oa_msg_t *self);

//  Sets elapsed_ms.
void
    oa_msg_set_elapsed_ms (oa_msg_t *self, uint32_t elapsed_ms);

//  Returns upstream_format: Format spoken upstream (USAGE)
uint8_t
    oa_msg_upstream_format (oa_msg_t *self);

//  Sets upstream_format.
void
    oa_msg_set_upstream_format (oa_msg_t *self, uint8_t upstream_format);

//  Returns metadata_json, "" when unset: Log metadata JSON (cache_write_tokens,
//  upstream_api_format, estimated_charge, ...) (USAGE)
const char *
    oa_msg_metadata_json (oa_msg_t *self);

//  Sets metadata_json to a copy of the text; NULL clears it.
void
    oa_msg_set_metadata_json (oa_msg_t *self, const char *metadata_json);

//  Returns content, "" when unset: Log content text (USAGE)
const char *
    oa_msg_content (oa_msg_t *self);

//  Sets content to a copy of the text; NULL clears it.
void
    oa_msg_set_content (oa_msg_t *self, const char *content);

//  Returns system_prompt_reset: A channel system prompt replaced the client's (USAGE)
bool
    oa_msg_system_prompt_reset (oa_msg_t *self);

//  Sets system_prompt_reset.
void
    oa_msg_set_system_prompt_reset (oa_msg_t *self, bool system_prompt_reset);

//  Returns request_ids, borrowed, or NULL when unset: Request ids now settled (USAGE_ACK)
zlist_t *
    oa_msg_request_ids (oa_msg_t *self);

//  Takes request_ids out of the message. Caller owns return value and must destroy it when
//  done.
zlist_t *
    oa_msg_get_request_ids (oa_msg_t *self);

//  Sets request_ids, taking ownership of the list: its items must be strings (autofree); NULL
//  clears it.
void
    oa_msg_set_request_ids (oa_msg_t *self, zlist_t **request_ids_p);

//  Appends a copy of value to request_ids.
void
    oa_msg_request_ids_append (oa_msg_t *self, const char *value);

//  Returns amount: Quota to hold (RESERVE)
int64_t
    oa_msg_amount (oa_msg_t *self);

//  Sets amount.
void
    oa_msg_set_amount (oa_msg_t *self, int64_t amount);

//  Returns ttl_ms: Release the hold after this long if never settled (RESERVE)
uint32_t
    oa_msg_ttl_ms (oa_msg_t *self);

//  Sets ttl_ms.
void
    oa_msg_set_ttl_ms (oa_msg_t *self, uint32_t ttl_ms);

//  Returns ok: Quota is held; relay the request (RESERVE_REPLY)
bool
    oa_msg_ok (oa_msg_t *self);

//  Sets ok.
void
    oa_msg_set_ok (oa_msg_t *self, bool ok);

//  Returns user_remain_quota: User's quota left after the hold (RESERVE_REPLY)
int64_t
    oa_msg_user_remain_quota (oa_msg_t *self);

//  Sets user_remain_quota.
void
    oa_msg_set_user_remain_quota (oa_msg_t *self, int64_t user_remain_quota);

//  Returns token_remain_quota: Token's quota left after the hold (meaningless when unlimited)
//  (RESERVE_REPLY)
int64_t
    oa_msg_token_remain_quota (oa_msg_t *self);

//  Sets token_remain_quota.
void
    oa_msg_set_token_remain_quota (oa_msg_t *self, int64_t token_remain_quota);

//  Returns token_unlimited: Token has unlimited quota (RESERVE_REPLY)
bool
    oa_msg_token_unlimited (oa_msg_t *self);

//  Sets token_unlimited.
void
    oa_msg_set_token_unlimited (oa_msg_t *self, bool token_unlimited);

#ifdef __cplusplus
}
#endif

#endif
