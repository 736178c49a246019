//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_relay - accessors of the relay messages

    The relay path: a client request from gateway to worker and its
    response back.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.

    Part of the oa_msg class; include oa_msg.h, which includes this.
    =========================================================================
*/

#ifndef OA_MSG_RELAY_H_INCLUDED
#define OA_MSG_RELAY_H_INCLUDED

#include "oa_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Returns request_id, "" when unset: X-Oneapi-Request-Id; the idempotency key of billing
//  (RELAY_REQUEST, USAGE, RESERVE, RESERVE_REPLY, API_REQUEST)
const char *
    oa_msg_request_id (oa_msg_t *self);

//  Sets request_id to a copy of the text; NULL clears it.
void
    oa_msg_set_request_id (oa_msg_t *self, const char *request_id);

//  Returns client_format: Format the client spoke and must get back (RELAY_REQUEST, USAGE)
uint8_t
    oa_msg_client_format (oa_msg_t *self);

//  Sets client_format.
void
    oa_msg_set_client_format (oa_msg_t *self, uint8_t client_format);

//  Returns stream: Client asked for a stream (SSE) (RELAY_REQUEST, USAGE)
bool
    oa_msg_stream (oa_msg_t *self);

//  Sets stream.
void
    oa_msg_set_stream (oa_msg_t *self, bool stream);

//  Returns include_usage_requested: Client asked for usage in the stream
//  (stream_options.include_usage); the worker may force it upstream for billing and must then
//  strip it (RELAY_REQUEST)
bool
    oa_msg_include_usage_requested (oa_msg_t *self);

//  Sets include_usage_requested.
void
    oa_msg_set_include_usage_requested (oa_msg_t *self, bool include_usage_requested);

//  Returns method, "" when unset: HTTP method (RELAY_REQUEST, API_REQUEST)
const char *
    oa_msg_method (oa_msg_t *self);

//  Sets method to a copy of the text; NULL clears it.
void
    oa_msg_set_method (oa_msg_t *self, const char *method);

//  Returns path, "" when unset: Request path without the query (RELAY_REQUEST, API_REQUEST)
const char *
    oa_msg_path (oa_msg_t *self);

//  Sets path to a copy of the text; NULL clears it.
void
    oa_msg_set_path (oa_msg_t *self, const char *path);

//  Returns query, "" when unset: Raw query string, without the ? (RELAY_REQUEST, API_REQUEST)
const char *
    oa_msg_query (oa_msg_t *self);

//  Sets query to a copy of the text; NULL clears it.
void
    oa_msg_set_query (oa_msg_t *self, const char *query);

//  Returns content_type, "" when unset: Content-Type of the payload (JSON or multipart with its
//  boundary) (RELAY_REQUEST, RELAY_HEAD, RELAY_END, API_REPLY)
const char *
    oa_msg_content_type (oa_msg_t *self);

//  Sets content_type to a copy of the text; NULL clears it.
void
    oa_msg_set_content_type (oa_msg_t *self, const char *content_type);

//  Returns client_ip, "" when unset: Client address, for upstreams and logs (RELAY_REQUEST,
//  API_REQUEST)
const char *
    oa_msg_client_ip (oa_msg_t *self);

//  Sets client_ip to a copy of the text; NULL clears it.
void
    oa_msg_set_client_ip (oa_msg_t *self, const char *client_ip);

//  Returns user_id: Authenticated user (RELAY_REQUEST, USAGE, RESERVE)
uint64_t
    oa_msg_user_id (oa_msg_t *self);

//  Sets user_id.
void
    oa_msg_set_user_id (oa_msg_t *self, uint64_t user_id);

//  Returns username, "" when unset: User name, for logs (RELAY_REQUEST, USAGE)
const char *
    oa_msg_username (oa_msg_t *self);

//  Sets username to a copy of the text; NULL clears it.
void
    oa_msg_set_username (oa_msg_t *self, const char *username);

//  Returns token_id: Token the request authenticated with (RELAY_REQUEST, USAGE, RESERVE)
uint64_t
    oa_msg_token_id (oa_msg_t *self);

//  Sets token_id.
void
    oa_msg_set_token_id (oa_msg_t *self, uint64_t token_id);

//  Returns token_name, "" when unset: Token name, for logs (RELAY_REQUEST, USAGE)
const char *
    oa_msg_token_name (oa_msg_t *self);

//  Sets token_name to a copy of the text; NULL clears it.
void
    oa_msg_set_token_name (oa_msg_t *self, const char *token_name);

//  Returns group, "" when unset: User group, which chose the channels (RELAY_REQUEST, USAGE)
const char *
    oa_msg_group (oa_msg_t *self);

//  Sets group to a copy of the text; NULL clears it.
void
    oa_msg_set_group (oa_msg_t *self, const char *group);

//  Returns requested_model, "" when unset: Model as the client named it, before mapping
//  (RELAY_REQUEST)
const char *
    oa_msg_requested_model (oa_msg_t *self);

//  Sets requested_model to a copy of the text; NULL clears it.
void
    oa_msg_set_requested_model (oa_msg_t *self, const char *requested_model);

//  Returns headers, borrowed, or NULL when unset: Client headers the upstream needs (anthropic-
//  version, anthropic-beta, openai-beta, ...), names lower-case (RELAY_REQUEST, RELAY_HEAD,
//  API_REQUEST, API_REPLY)
zhash_t *
    oa_msg_headers (oa_msg_t *self);

//  Takes headers out of the message. Caller owns return value and must destroy it when done.
zhash_t *
    oa_msg_get_headers (oa_msg_t *self);

//  Sets headers, taking ownership of the map: its items must be strings (autofree); NULL clears
//  it.
void
    oa_msg_set_headers (oa_msg_t *self, zhash_t **headers_p);

//  Sets key in headers to a copy of value, replacing any previous value.
void
    oa_msg_headers_insert (oa_msg_t *self, const char *key, const char *value);

//  Returns the value of key in headers, or NULL.
const char *
    oa_msg_headers_lookup (oa_msg_t *self, const char *key);

//  Returns thinking: ?thinking=true: expose reasoning in the reply (RELAY_REQUEST)
bool
    oa_msg_thinking (oa_msg_t *self);

//  Sets thinking.
void
    oa_msg_set_thinking (oa_msg_t *self, bool thinking);

//  Returns reasoning_format, "" when unset: ?reasoning_format= (reasoning_content, reasoning,
//  thinking) (RELAY_REQUEST)
const char *
    oa_msg_reasoning_format (oa_msg_t *self);

//  Sets reasoning_format to a copy of the text; NULL clears it.
void
    oa_msg_set_reasoning_format (oa_msg_t *self, const char *reasoning_format);

//  Returns created_at_ms: When the gateway accepted the request, epoch ms; elapsed time counts
//  from here (RELAY_REQUEST, USAGE)
uint64_t
    oa_msg_created_at_ms (oa_msg_t *self);

//  Sets created_at_ms.
void
    oa_msg_set_created_at_ms (oa_msg_t *self, uint64_t created_at_ms);

//  Returns the number of candidates: Channels to try, in order; the worker moves to the next
//  only while nothing reached the client (RELAY_REQUEST)
size_t
    oa_msg_candidates_size (oa_msg_t *self);

//  Returns candidates [index], borrowed, or NULL past the end.
oa_msg_candidate_t *
    oa_msg_candidates_at (oa_msg_t *self, size_t index);

//  Appends an item to candidates, taking ownership of it.
void
    oa_msg_candidates_append (oa_msg_t *self, oa_msg_candidate_t **item_p);

//  Destroys every item of candidates.
void
    oa_msg_candidates_purge (oa_msg_t *self);

//  Returns trace_id, "" when unset: Trace id for logs and the traces table (RELAY_REQUEST,
//  USAGE)
const char *
    oa_msg_trace_id (oa_msg_t *self);

//  Sets trace_id to a copy of the text; NULL clears it.
void
    oa_msg_set_trace_id (oa_msg_t *self, const char *trace_id);

//  Returns retry_times: Retries allowed across candidates (RetryTimes option; 429 and 413
//  adjust it) (RELAY_REQUEST)
uint8_t
    oa_msg_retry_times (oa_msg_t *self);

//  Sets retry_times.
void
    oa_msg_set_retry_times (oa_msg_t *self, uint8_t retry_times);

//  Returns pinned: Channel pinned by an admin key or the proxy route: never retry elsewhere
//  (RELAY_REQUEST)
bool
    oa_msg_pinned (oa_msg_t *self);

//  Sets pinned.
void
    oa_msg_set_pinned (oa_msg_t *self, bool pinned);

//  Returns reservation_id: Ledger reservation that admission made for this request; USAGE
//  settles it (RELAY_REQUEST, USAGE, RESERVE_REPLY)
uint64_t
    oa_msg_reservation_id (oa_msg_t *self);

//  Sets reservation_id.
void
    oa_msg_set_reservation_id (oa_msg_t *self, uint64_t reservation_id);

//  Returns reserved_quota: Quota reserved, so settlement can charge or refund the difference
//  (RELAY_REQUEST, USAGE)
int64_t
    oa_msg_reserved_quota (oa_msg_t *self);

//  Sets reserved_quota.
void
    oa_msg_set_reserved_quota (oa_msg_t *self, int64_t reserved_quota);

//  Returns prompt_tokens_estimate: Gateway's prompt token estimate, billed if the upstream
//  reports no usage (RELAY_REQUEST)
uint32_t
    oa_msg_prompt_tokens_estimate (oa_msg_t *self);

//  Sets prompt_tokens_estimate.
void
    oa_msg_set_prompt_tokens_estimate (oa_msg_t *self, uint32_t prompt_tokens_estimate);

//  Returns status: HTTP status for the client (RELAY_HEAD, RELAY_END, RELAY_ERROR, USAGE,
//  RESERVE_REPLY, API_REPLY)
uint16_t
    oa_msg_status (oa_msg_t *self);

//  Sets status.
void
    oa_msg_set_status (oa_msg_t *self, uint16_t status);

//  Returns channel_id: Channel that answered (RELAY_HEAD, RELAY_END, RELAY_ERROR, USAGE)
uint64_t
    oa_msg_channel_id (oa_msg_t *self);

//  Sets channel_id.
void
    oa_msg_set_channel_id (oa_msg_t *self, uint64_t channel_id);

//  Returns attempts: Upstream attempts so far, this one included (RELAY_HEAD, RELAY_END,
//  RELAY_ERROR)
uint16_t
    oa_msg_attempts (oa_msg_t *self);

//  Sets attempts.
void
    oa_msg_set_attempts (oa_msg_t *self, uint16_t attempts);

//  Returns seq: Position of this chunk, from 0, so a lost or reordered chunk is detected
//  (RELAY_DATA, SNAPSHOT_CHUNK, CHANGE)
uint64_t
    oa_msg_seq (oa_msg_t *self);

//  Sets seq.
void
    oa_msg_set_seq (oa_msg_t *self, uint64_t seq);

//  Returns prompt_tokens: Prompt tokens, cache reads included (RELAY_END, USAGE)
uint32_t
    oa_msg_prompt_tokens (oa_msg_t *self);

//  Sets prompt_tokens.
void
    oa_msg_set_prompt_tokens (oa_msg_t *self, uint32_t prompt_tokens);

//  Returns completion_tokens: Completion tokens, reasoning included (RELAY_END, USAGE)
uint32_t
    oa_msg_completion_tokens (oa_msg_t *self);

//  Sets completion_tokens.
void
    oa_msg_set_completion_tokens (oa_msg_t *self, uint32_t completion_tokens);

//  Returns cached_tokens: Prompt tokens read from cache (RELAY_END, USAGE)
uint32_t
    oa_msg_cached_tokens (oa_msg_t *self);

//  Sets cached_tokens.
void
    oa_msg_set_cached_tokens (oa_msg_t *self, uint32_t cached_tokens);

//  Returns reasoning_tokens: Reasoning tokens within completion_tokens (RELAY_END, USAGE)
uint32_t
    oa_msg_reasoning_tokens (oa_msg_t *self);

//  Sets reasoning_tokens.
void
    oa_msg_set_reasoning_tokens (oa_msg_t *self, uint32_t reasoning_tokens);

//  Returns upstream_ms: Time spent upstream, all attempts (RELAY_END)
uint32_t
    oa_msg_upstream_ms (oa_msg_t *self);

//  Sets upstream_ms.
void
    oa_msg_set_upstream_ms (oa_msg_t *self, uint32_t upstream_ms);

//  Returns ttft_ms: Time to first byte sent to the client (RELAY_END, USAGE)
uint32_t
    oa_msg_ttft_ms (oa_msg_t *self);

//  Sets ttft_ms.
void
    oa_msg_set_ttft_ms (oa_msg_t *self, uint32_t ttft_ms);

//  Returns retries: Attempts that were retries on another channel (RELAY_END)
uint16_t
    oa_msg_retries (oa_msg_t *self);

//  Sets retries.
void
    oa_msg_set_retries (oa_msg_t *self, uint16_t retries);

//  Returns failures, borrowed, or NULL when unset: Failed attempts before this outcome, one
//  "channel_id status" each (e.g. "17 429"), so the gateway suspends those channels for the
//  model (RELAY_END, RELAY_ERROR)
zlist_t *
    oa_msg_failures (oa_msg_t *self);

//  Takes failures out of the message. Caller owns return value and must destroy it when done.
zlist_t *
    oa_msg_get_failures (oa_msg_t *self);

//  Sets failures, taking ownership of the list: its items must be strings (autofree); NULL
//  clears it.
void
    oa_msg_set_failures (oa_msg_t *self, zlist_t **failures_p);

//  Appends a copy of value to failures.
void
    oa_msg_failures_append (oa_msg_t *self, const char *value);

//  Returns error_type, "" when unset: error.type (one_api_error, upstream_error, ...)
//  (RELAY_ERROR)
const char *
    oa_msg_error_type (oa_msg_t *self);

//  Sets error_type to a copy of the text; NULL clears it.
void
    oa_msg_set_error_type (oa_msg_t *self, const char *error_type);

//  Returns code, "" when unset: error.code (RELAY_ERROR, RESERVE_REPLY)
const char *
    oa_msg_code (oa_msg_t *self);

//  Sets code to a copy of the text; NULL clears it.
void
    oa_msg_set_code (oa_msg_t *self, const char *code);

//  Returns message, "" when unset: error.message, without the request id suffix (RELAY_ERROR,
//  RESERVE_REPLY)
const char *
    oa_msg_message (oa_msg_t *self);

//  Sets message to a copy of the text; NULL clears it.
void
    oa_msg_set_message (oa_msg_t *self, const char *message);

//  Returns bytes_sent: Part of a response already reached the client: the gateway can only end
//  the stream (RELAY_ERROR)
bool
    oa_msg_bytes_sent (oa_msg_t *self);

//  Sets bytes_sent.
void
    oa_msg_set_bytes_sent (oa_msg_t *self, bool bytes_sent);

//  Returns retryable: Nothing reached the client and the cause is transient: another worker may
//  retry (RELAY_ERROR)
bool
    oa_msg_retryable (oa_msg_t *self);

//  Sets retryable.
void
    oa_msg_set_retryable (oa_msg_t *self, bool retryable);

//  Returns reason, "" when unset: Why, for logs (RELAY_CANCEL)
const char *
    oa_msg_reason (oa_msg_t *self);

//  Sets reason to a copy of the text; NULL clears it.
void
    oa_msg_set_reason (oa_msg_t *self, const char *reason);

#ifdef __cplusplus
}
#endif

#endif
