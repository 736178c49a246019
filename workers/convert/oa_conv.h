/*  =========================================================================
    oa_conv - format conversion between client APIs and upstream families

    OpenAI Chat Completions is the pivot: a request from any client format is
    converted to a Chat request, then from Chat to the upstream format; a
    response goes upstream -> Chat -> client.  Same-format pairs pass through
    (with the session's model and sampling rules applied).

    One oa_conv_t lives for one relayed request.  Converting the request
    records what the reply needs (tool names made safe for the upstream, a
    tool emulating structured output, whether the client wants usage in its
    stream), so convert the request first, then the response or stream with
    the same session.

    Extension fields the Chat pivot carries (all optional; stripped before a
    request reaches a Chat upstream, kept in replies to Chat clients):
      message.reasoning_content      reasoning text (DeepSeek convention)
      message.thinking_blocks        [{type:"thinking",thinking,signature} |
                                      {type:"redacted_thinking",data} |
                                      {type:"reasoning",id,encrypted_content}]
                                     (LiteLLM convention; the last is an
                                      OpenAI Responses reasoning item)
      tool_call.extra_content.google.thought_signature  (Gemini OpenAI-compat)
    =========================================================================
*/
#ifndef OA_CONV_H_INCLUDED
#define OA_CONV_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "../sse/oa_sse.h"
#include "oa_sigcache.h"

//  Size of the error buffer every converter fills on failure.
#define OA_CONV_ERR_SIZE    256

//  Token usage in OpenAI semantics, the one the ledger bills.
typedef struct {
    int64_t prompt_tokens;      //  all input, cache reads and writes included
    int64_t completion_tokens;  //  all output, reasoning included
    int64_t cached_tokens;      //  input read from cache (part of prompt)
    int64_t cache_write_tokens; //  input written to cache (part of prompt)
    int64_t reasoning_tokens;   //  output spent reasoning (part of completion)
    int64_t total_tokens;       //  prompt + completion
} oa_conv_usage_t;

typedef struct _oa_conv_t oa_conv_t;

//  Create a session for one request; request_id names the ids made for the
//  client (chatcmpl-<id>, msg_<id>, resp_<id>).  Caller owns the result.
oa_conv_t *
    oa_conv_new (const char *request_id);

//  Destroy a session; nulls the pointer.  Safe on NULL.
void
    oa_conv_destroy (oa_conv_t **self_p);

//  Model name written into upstream requests (channel model mapping); NULL
//  keeps the client's.
void
    oa_conv_set_model (oa_conv_t *self, const char *model);

//  Drop temperature, top_p and top_k from upstream requests: reasoning
//  models, and Anthropic API 2026-10-21, reject them.
void
    oa_conv_set_drop_sampling (oa_conv_t *self, bool drop);

//  max_tokens sent to Claude when the client gave none (Claude requires it).
void
    oa_conv_set_default_max_tokens (oa_conv_t *self, int64_t max_tokens);

//  Chat upstreams get max_completion_tokens instead of max_tokens (OpenAI
//  reasoning models); default off, as most compatibles know only max_tokens.
void
    oa_conv_set_max_completion_tokens (oa_conv_t *self, bool enable);

//  Chat upstreams get reasoning_content back in assistant history (DeepSeek
//  thinking tool loops); default off, as others reject unknown fields.
void
    oa_conv_set_keep_reasoning (oa_conv_t *self, bool enable);

//  Chat upstreams without json_schema support (DeepSeek) get a json_schema
//  response format as one function whose parameters are the schema, forced
//  by tool_choice; its arguments come back as the answer text (stream and
//  non-stream).  Not applied when the client brings tools of its own.
void
    oa_conv_set_schema_tool (oa_conv_t *self, bool enable);

//  True if a client body of this format asks for json_schema output (Chat
//  response_format or Responses text.format).
bool
    oa_conv_wants_schema (oa_api_format_t client, json_t *body);

//  one-api's ?reasoning_format=: Chat replies carry reasoning text as
//  "reasoning_content" (DeepSeek, the default), "reasoning" (OpenRouter)
//  or "thinking" (Anthropic-style).  NULL or another value keeps the
//  default.
void
    oa_conv_set_reasoning_format (oa_conv_t *self, const char *format);

//  one-api's ?thinking=true: <think>...</think> in a Chat upstream's
//  content is moved into the reasoning text (stream and non-stream).
void
    oa_conv_set_think_tags (oa_conv_t *self, bool enable);

//  True if replies to a Chat client must be reshaped (reasoning format or
//  think tags), so a Chat upstream's reply cannot pass through untouched.
bool
    oa_conv_reshapes_chat (oa_conv_t *self);

//  Claude thinking signatures across turns (oa_sigcache): replies from a
//  Claude upstream remember their signed thinking under scope (the token);
//  requests to a Claude upstream get it back for assistant turns whose
//  reasoning text matches.  cache is borrowed; NULL (default) disables.
void
    oa_conv_set_sigcache (oa_conv_t *self, oa_sigcache_t *cache, const char *scope);

//  Unix time stamped on converted replies; 0 (default) means now.
void
    oa_conv_set_created (oa_conv_t *self, int64_t created);

//  Convert a client request body to the upstream format.  Returns a fresh
//  object (caller decrefs), or NULL with a message in err (OA_CONV_ERR_SIZE
//  bytes, may be NULL): the client then gets a 400.  body is borrowed.
json_t *
    oa_conv_request (oa_conv_t *self, oa_api_format_t client, oa_api_format_t upstream,
                     json_t *body, char *err);

//  Convert a non-stream upstream response body to the client format, and
//  fill usage (OpenAI semantics; zeroes when absent) if not NULL.  Returns a
//  fresh object or NULL with err set.  body is borrowed.
json_t *
    oa_conv_response (oa_conv_t *self, oa_api_format_t upstream, oa_api_format_t client,
                      json_t *body, oa_conv_usage_t *usage, char *err);

//  True if the converted request asked for a stream.
bool
    oa_conv_streaming (oa_conv_t *self);

//  The request id given at creation.
const char *
    oa_conv_request_id (oa_conv_t *self);

//  The client's name for a tool name sent upstream (names unsafe for a
//  strict upstream were rewritten); returns name itself when unchanged.
const char *
    oa_conv_tool_name (oa_conv_t *self, const char *name);

//  Fill usage from an upstream usage object, or from a body or chunk that
//  holds one ("usage", "usageMetadata", "x_groq.usage", "response.usage",
//  "message.usage").  Returns 0, or -1 if none was found (usage untouched).
int
    oa_conv_usage_parse (oa_conv_usage_t *usage, oa_api_format_t format, json_t *obj);

//  Render usage in a format's own semantics (Claude input excludes cache).
//  Returns a fresh object.
json_t *
    oa_conv_usage_json (const oa_conv_usage_t *usage, oa_api_format_t format);

//  Convert an upstream error body (OpenAI, Anthropic, Gemini google.rpc.Status,
//  xAI string errors, or plain text) to the client's error body; sets
//  *status_p to the HTTP status to send.  Returns a fresh object.
json_t *
    oa_conv_error (oa_api_format_t upstream, int status, const char *body, size_t size,
                   oa_api_format_t client, int *status_p);

//  Make a client-format error body for an error the gateway detected.
//  type may be NULL (derived from status).  Returns a fresh object.
json_t *
    oa_conv_error_new (oa_api_format_t client, int status, const char *type, const char *message);

//  Self tests
void
    oa_conv_test (bool verbose);

#endif
