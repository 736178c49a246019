//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_relay - accessors of the relay messages

    The relay path: a client request from gateway to worker and its
    response back.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.
    =========================================================================
*/

#include "oa_msg_private.h"

//  --------------------------------------------------------------------------
//  request_id: X-Oneapi-Request-Id; the idempotency key of billing

const char *
oa_msg_request_id (oa_msg_t *self)
{
    assert (self);
    return self->request_id? self->request_id: "";
}

void
oa_msg_set_request_id (oa_msg_t *self, const char *request_id)
{
    assert (self);
    s_text_set (&self->request_id, request_id);
}

//  --------------------------------------------------------------------------
//  client_format: Format the client spoke and must get back

uint8_t
oa_msg_client_format (oa_msg_t *self)
{
    assert (self);
    return (uint8_t) self->client_format;
}

void
oa_msg_set_client_format (oa_msg_t *self, uint8_t client_format)
{
    assert (self);
    self->client_format = client_format;
}

//  --------------------------------------------------------------------------
//  stream: Client asked for a stream (SSE)

bool
oa_msg_stream (oa_msg_t *self)
{
    assert (self);
    return self->stream;
}

void
oa_msg_set_stream (oa_msg_t *self, bool stream)
{
    assert (self);
    self->stream = stream;
}

//  --------------------------------------------------------------------------
//  include_usage_requested: Client asked for usage in the stream
//  (stream_options.include_usage); the worker may force it upstream for billing and must then
//  strip it

bool
oa_msg_include_usage_requested (oa_msg_t *self)
{
    assert (self);
    return self->include_usage_requested;
}

void
oa_msg_set_include_usage_requested (oa_msg_t *self, bool include_usage_requested)
{
    assert (self);
    self->include_usage_requested = include_usage_requested;
}

//  --------------------------------------------------------------------------
//  method: HTTP method

const char *
oa_msg_method (oa_msg_t *self)
{
    assert (self);
    return self->method? self->method: "";
}

void
oa_msg_set_method (oa_msg_t *self, const char *method)
{
    assert (self);
    s_text_set (&self->method, method);
}

//  --------------------------------------------------------------------------
//  path: Request path without the query

const char *
oa_msg_path (oa_msg_t *self)
{
    assert (self);
    return self->path? self->path: "";
}

void
oa_msg_set_path (oa_msg_t *self, const char *path)
{
    assert (self);
    s_text_set (&self->path, path);
}

//  --------------------------------------------------------------------------
//  query: Raw query string, without the ?

const char *
oa_msg_query (oa_msg_t *self)
{
    assert (self);
    return self->query? self->query: "";
}

void
oa_msg_set_query (oa_msg_t *self, const char *query)
{
    assert (self);
    s_text_set (&self->query, query);
}

//  --------------------------------------------------------------------------
//  content_type: Content-Type of the payload (JSON or multipart with its boundary)

const char *
oa_msg_content_type (oa_msg_t *self)
{
    assert (self);
    return self->content_type? self->content_type: "";
}

void
oa_msg_set_content_type (oa_msg_t *self, const char *content_type)
{
    assert (self);
    s_text_set (&self->content_type, content_type);
}

//  --------------------------------------------------------------------------
//  client_ip: Client address, for upstreams and logs

const char *
oa_msg_client_ip (oa_msg_t *self)
{
    assert (self);
    return self->client_ip? self->client_ip: "";
}

void
oa_msg_set_client_ip (oa_msg_t *self, const char *client_ip)
{
    assert (self);
    s_text_set (&self->client_ip, client_ip);
}

//  --------------------------------------------------------------------------
//  user_id: Authenticated user

uint64_t
oa_msg_user_id (oa_msg_t *self)
{
    assert (self);
    return self->user_id;
}

void
oa_msg_set_user_id (oa_msg_t *self, uint64_t user_id)
{
    assert (self);
    self->user_id = user_id;
}

//  --------------------------------------------------------------------------
//  username: User name, for logs

const char *
oa_msg_username (oa_msg_t *self)
{
    assert (self);
    return self->username? self->username: "";
}

void
oa_msg_set_username (oa_msg_t *self, const char *username)
{
    assert (self);
    s_text_set (&self->username, username);
}

//  --------------------------------------------------------------------------
//  token_id: Token the request authenticated with

uint64_t
oa_msg_token_id (oa_msg_t *self)
{
    assert (self);
    return self->token_id;
}

void
oa_msg_set_token_id (oa_msg_t *self, uint64_t token_id)
{
    assert (self);
    self->token_id = token_id;
}

//  --------------------------------------------------------------------------
//  token_name: Token name, for logs

const char *
oa_msg_token_name (oa_msg_t *self)
{
    assert (self);
    return self->token_name? self->token_name: "";
}

void
oa_msg_set_token_name (oa_msg_t *self, const char *token_name)
{
    assert (self);
    s_text_set (&self->token_name, token_name);
}

//  --------------------------------------------------------------------------
//  group: User group, which chose the channels

const char *
oa_msg_group (oa_msg_t *self)
{
    assert (self);
    return self->group? self->group: "";
}

void
oa_msg_set_group (oa_msg_t *self, const char *group)
{
    assert (self);
    s_text_set (&self->group, group);
}

//  --------------------------------------------------------------------------
//  requested_model: Model as the client named it, before mapping

const char *
oa_msg_requested_model (oa_msg_t *self)
{
    assert (self);
    return self->requested_model? self->requested_model: "";
}

void
oa_msg_set_requested_model (oa_msg_t *self, const char *requested_model)
{
    assert (self);
    s_text_set (&self->requested_model, requested_model);
}

//  --------------------------------------------------------------------------
//  headers: Client headers the upstream needs (anthropic-version, anthropic-beta, openai-beta,
//  ...), names lower-case

zhash_t *
oa_msg_headers (oa_msg_t *self)
{
    assert (self);
    return self->headers;
}

zhash_t *
oa_msg_get_headers (oa_msg_t *self)
{
    assert (self);
    zhash_t *headers = self->headers;
    self->headers = NULL;
    return headers;
}

void
oa_msg_set_headers (oa_msg_t *self, zhash_t **headers_p)
{
    assert (self);
    zhash_destroy (&self->headers);
    if (headers_p) {
        self->headers = *headers_p;
        *headers_p = NULL;
    }
}

void
oa_msg_headers_insert (oa_msg_t *self, const char *key, const char *value)
{
    assert (self);
    assert (key);
    assert (value);
    if (!self->headers) {
        self->headers = zhash_new ();
        assert (self->headers);
        zhash_autofree (self->headers);
    }
    zhash_update (self->headers, key, (void *) value);
}

const char *
oa_msg_headers_lookup (oa_msg_t *self, const char *key)
{
    assert (self);
    assert (key);
    return self->headers? (const char *) zhash_lookup (self->headers, key): NULL;
}

//  --------------------------------------------------------------------------
//  thinking: ?thinking=true: expose reasoning in the reply

bool
oa_msg_thinking (oa_msg_t *self)
{
    assert (self);
    return self->thinking;
}

void
oa_msg_set_thinking (oa_msg_t *self, bool thinking)
{
    assert (self);
    self->thinking = thinking;
}

//  --------------------------------------------------------------------------
//  reasoning_format: ?reasoning_format= (reasoning_content, reasoning, thinking)

const char *
oa_msg_reasoning_format (oa_msg_t *self)
{
    assert (self);
    return self->reasoning_format? self->reasoning_format: "";
}

void
oa_msg_set_reasoning_format (oa_msg_t *self, const char *reasoning_format)
{
    assert (self);
    s_text_set (&self->reasoning_format, reasoning_format);
}

//  --------------------------------------------------------------------------
//  created_at_ms: When the gateway accepted the request, epoch ms; elapsed time counts from
//  here

uint64_t
oa_msg_created_at_ms (oa_msg_t *self)
{
    assert (self);
    return self->created_at_ms;
}

void
oa_msg_set_created_at_ms (oa_msg_t *self, uint64_t created_at_ms)
{
    assert (self);
    self->created_at_ms = created_at_ms;
}

//  --------------------------------------------------------------------------
//  candidates: Channels to try, in order; the worker moves to the next only while nothing
//  reached the client

size_t
oa_msg_candidates_size (oa_msg_t *self)
{
    assert (self);
    return self->candidates.size;
}

oa_msg_candidate_t *
oa_msg_candidates_at (oa_msg_t *self, size_t index)
{
    assert (self);
    return index < self->candidates.size? (oa_msg_candidate_t *) self->candidates.items [index]: NULL;
}

void
oa_msg_candidates_append (oa_msg_t *self, oa_msg_candidate_t **item_p)
{
    assert (self);
    assert (item_p && *item_p);
    oa_wire_list_append (&self->candidates, *item_p);
    *item_p = NULL;
}

void
oa_msg_candidates_purge (oa_msg_t *self)
{
    assert (self);
    oa_wire_list_purge (&self->candidates, oa_msg_candidate_layout ());
}

//  --------------------------------------------------------------------------
//  trace_id: Trace id for logs and the traces table

const char *
oa_msg_trace_id (oa_msg_t *self)
{
    assert (self);
    return self->trace_id? self->trace_id: "";
}

void
oa_msg_set_trace_id (oa_msg_t *self, const char *trace_id)
{
    assert (self);
    s_text_set (&self->trace_id, trace_id);
}

//  --------------------------------------------------------------------------
//  retry_times: Retries allowed across candidates (RetryTimes option; 429 and 413 adjust it)

uint8_t
oa_msg_retry_times (oa_msg_t *self)
{
    assert (self);
    return (uint8_t) self->retry_times;
}

void
oa_msg_set_retry_times (oa_msg_t *self, uint8_t retry_times)
{
    assert (self);
    self->retry_times = retry_times;
}

//  --------------------------------------------------------------------------
//  pinned: Channel pinned by an admin key or the proxy route: never retry elsewhere

bool
oa_msg_pinned (oa_msg_t *self)
{
    assert (self);
    return self->pinned;
}

void
oa_msg_set_pinned (oa_msg_t *self, bool pinned)
{
    assert (self);
    self->pinned = pinned;
}

//  --------------------------------------------------------------------------
//  reservation_id: Ledger reservation that admission made for this request; USAGE settles it

uint64_t
oa_msg_reservation_id (oa_msg_t *self)
{
    assert (self);
    return self->reservation_id;
}

void
oa_msg_set_reservation_id (oa_msg_t *self, uint64_t reservation_id)
{
    assert (self);
    self->reservation_id = reservation_id;
}

//  --------------------------------------------------------------------------
//  reserved_quota: Quota reserved, so settlement can charge or refund the difference

int64_t
oa_msg_reserved_quota (oa_msg_t *self)
{
    assert (self);
    return self->reserved_quota;
}

void
oa_msg_set_reserved_quota (oa_msg_t *self, int64_t reserved_quota)
{
    assert (self);
    self->reserved_quota = reserved_quota;
}

//  --------------------------------------------------------------------------
//  prompt_tokens_estimate: Gateway's prompt token estimate, billed if the upstream reports no
//  usage

uint32_t
oa_msg_prompt_tokens_estimate (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->prompt_tokens_estimate;
}

void
oa_msg_set_prompt_tokens_estimate (oa_msg_t *self, uint32_t prompt_tokens_estimate)
{
    assert (self);
    self->prompt_tokens_estimate = prompt_tokens_estimate;
}

//  --------------------------------------------------------------------------
//  status: HTTP status for the client

uint16_t
oa_msg_status (oa_msg_t *self)
{
    assert (self);
    return (uint16_t) self->status;
}

void
oa_msg_set_status (oa_msg_t *self, uint16_t status)
{
    assert (self);
    self->status = status;
}

//  --------------------------------------------------------------------------
//  channel_id: Channel that answered

uint64_t
oa_msg_channel_id (oa_msg_t *self)
{
    assert (self);
    return self->channel_id;
}

void
oa_msg_set_channel_id (oa_msg_t *self, uint64_t channel_id)
{
    assert (self);
    self->channel_id = channel_id;
}

//  --------------------------------------------------------------------------
//  attempts: Upstream attempts so far, this one included

uint16_t
oa_msg_attempts (oa_msg_t *self)
{
    assert (self);
    return (uint16_t) self->attempts;
}

void
oa_msg_set_attempts (oa_msg_t *self, uint16_t attempts)
{
    assert (self);
    self->attempts = attempts;
}

//  --------------------------------------------------------------------------
//  seq: Position of this chunk, from 0, so a lost or reordered chunk is detected

uint64_t
oa_msg_seq (oa_msg_t *self)
{
    assert (self);
    return self->seq;
}

void
oa_msg_set_seq (oa_msg_t *self, uint64_t seq)
{
    assert (self);
    self->seq = seq;
}

//  --------------------------------------------------------------------------
//  prompt_tokens: Prompt tokens, cache reads included

uint32_t
oa_msg_prompt_tokens (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->prompt_tokens;
}

void
oa_msg_set_prompt_tokens (oa_msg_t *self, uint32_t prompt_tokens)
{
    assert (self);
    self->prompt_tokens = prompt_tokens;
}

//  --------------------------------------------------------------------------
//  completion_tokens: Completion tokens, reasoning included

uint32_t
oa_msg_completion_tokens (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->completion_tokens;
}

void
oa_msg_set_completion_tokens (oa_msg_t *self, uint32_t completion_tokens)
{
    assert (self);
    self->completion_tokens = completion_tokens;
}

//  --------------------------------------------------------------------------
//  cached_tokens: Prompt tokens read from cache

uint32_t
oa_msg_cached_tokens (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->cached_tokens;
}

void
oa_msg_set_cached_tokens (oa_msg_t *self, uint32_t cached_tokens)
{
    assert (self);
    self->cached_tokens = cached_tokens;
}

//  --------------------------------------------------------------------------
//  reasoning_tokens: Reasoning tokens within completion_tokens

uint32_t
oa_msg_reasoning_tokens (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->reasoning_tokens;
}

void
oa_msg_set_reasoning_tokens (oa_msg_t *self, uint32_t reasoning_tokens)
{
    assert (self);
    self->reasoning_tokens = reasoning_tokens;
}

//  --------------------------------------------------------------------------
//  upstream_ms: Time spent upstream, all attempts

uint32_t
oa_msg_upstream_ms (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->upstream_ms;
}

void
oa_msg_set_upstream_ms (oa_msg_t *self, uint32_t upstream_ms)
{
    assert (self);
    self->upstream_ms = upstream_ms;
}

//  --------------------------------------------------------------------------
//  ttft_ms: Time to first byte sent to the client

uint32_t
oa_msg_ttft_ms (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->ttft_ms;
}

void
oa_msg_set_ttft_ms (oa_msg_t *self, uint32_t ttft_ms)
{
    assert (self);
    self->ttft_ms = ttft_ms;
}

//  --------------------------------------------------------------------------
//  retries: Attempts that were retries on another channel

uint16_t
oa_msg_retries (oa_msg_t *self)
{
    assert (self);
    return (uint16_t) self->retries;
}

void
oa_msg_set_retries (oa_msg_t *self, uint16_t retries)
{
    assert (self);
    self->retries = retries;
}

//  --------------------------------------------------------------------------
//  failures: Failed attempts before this outcome, one "channel_id status" each (e.g. "17 429"),
//  so the gateway suspends those channels for the model

zlist_t *
oa_msg_failures (oa_msg_t *self)
{
    assert (self);
    return self->failures;
}

zlist_t *
oa_msg_get_failures (oa_msg_t *self)
{
    assert (self);
    zlist_t *failures = self->failures;
    self->failures = NULL;
    return failures;
}

void
oa_msg_set_failures (oa_msg_t *self, zlist_t **failures_p)
{
    assert (self);
    zlist_destroy (&self->failures);
    if (failures_p) {
        self->failures = *failures_p;
        *failures_p = NULL;
    }
}

void
oa_msg_failures_append (oa_msg_t *self, const char *value)
{
    assert (self);
    assert (value);
    if (!self->failures) {
        self->failures = zlist_new ();
        assert (self->failures);
        zlist_autofree (self->failures);
    }
    zlist_append (self->failures, (void *) value);
}

//  --------------------------------------------------------------------------
//  error_type: error.type (one_api_error, upstream_error, ...)

const char *
oa_msg_error_type (oa_msg_t *self)
{
    assert (self);
    return self->error_type? self->error_type: "";
}

void
oa_msg_set_error_type (oa_msg_t *self, const char *error_type)
{
    assert (self);
    s_text_set (&self->error_type, error_type);
}

//  --------------------------------------------------------------------------
//  code: error.code

const char *
oa_msg_code (oa_msg_t *self)
{
    assert (self);
    return self->code? self->code: "";
}

void
oa_msg_set_code (oa_msg_t *self, const char *code)
{
    assert (self);
    s_text_set (&self->code, code);
}

//  --------------------------------------------------------------------------
//  message: error.message, without the request id suffix

const char *
oa_msg_message (oa_msg_t *self)
{
    assert (self);
    return self->message? self->message: "";
}

void
oa_msg_set_message (oa_msg_t *self, const char *message)
{
    assert (self);
    s_text_set (&self->message, message);
}

//  --------------------------------------------------------------------------
//  bytes_sent: Part of a response already reached the client: the gateway can only end the
//  stream

bool
oa_msg_bytes_sent (oa_msg_t *self)
{
    assert (self);
    return self->bytes_sent;
}

void
oa_msg_set_bytes_sent (oa_msg_t *self, bool bytes_sent)
{
    assert (self);
    self->bytes_sent = bytes_sent;
}

//  --------------------------------------------------------------------------
//  retryable: Nothing reached the client and the cause is transient: another worker may retry

bool
oa_msg_retryable (oa_msg_t *self)
{
    assert (self);
    return self->retryable;
}

void
oa_msg_set_retryable (oa_msg_t *self, bool retryable)
{
    assert (self);
    self->retryable = retryable;
}

//  --------------------------------------------------------------------------
//  reason: Why, for logs

const char *
oa_msg_reason (oa_msg_t *self)
{
    assert (self);
    return self->reason? self->reason: "";
}

void
oa_msg_set_reason (oa_msg_t *self, const char *reason)
{
    assert (self);
    s_text_set (&self->reason, reason);
}
