/*  =========================================================================
    oa_conv_private - internals shared by the converter sources

    Not for use outside workers/convert/.  Holds the session structure, the
    pairwise converters the dispatch in oa_conv.c composes, and small JSON
    and text helpers (prefix oa_cv_).
    =========================================================================
*/
#ifndef OA_CONV_PRIVATE_H_INCLUDED
#define OA_CONV_PRIVATE_H_INCLUDED

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "oa_conv.h"

//  Recursion bound for walking client-supplied JSON (schemas, content)
#define OA_CV_MAX_DEPTH     64

struct _oa_conv_t {
    char *request_id;           //  names client-facing ids
    char *model;                //  upstream model override, or NULL
    int64_t created;            //  reply timestamp, 0 = now
    int64_t default_max_tokens; //  for Claude when the client gave none
    bool drop_sampling;         //  strip temperature/top_p/top_k upstream
    bool max_completion_tokens; //  Chat upstream: max_completion_tokens
    bool keep_reasoning;        //  Chat upstream: keep reasoning_content
    bool schema_tool;           //  Chat upstream: json_schema as a forced tool
    char *reasoning_field;      //  Chat client: reasoning under this name, or NULL
    bool think_tags;            //  Chat upstream: <think> in content is reasoning
    oa_sigcache_t *sigcache;    //  Claude signatures across turns, borrowed, or NULL
    char *sig_scope;            //  its scope (token), or NULL
    //  State recorded while converting the request, used by the reply
    json_t *tool_names;         //  safe name -> client's name (object)
    char *structured_tool;      //  tool emulating json_schema upstream, or NULL
    bool streaming;             //  client asked for a stream
    bool include_usage;         //  Chat client asked for a usage chunk
    unsigned id_seq;            //  counter for ids we must invent
};

//  Growable text buffer; data is NUL-terminated when non-NULL.
typedef struct {
    char *data;
    size_t size;
    size_t cap;
} oa_cv_buf_t;

//  --- pairwise request converters (body borrowed, result fresh) ---------
json_t *oa_cv_claude_to_chat_request (oa_conv_t *conv, json_t *body, char *err);
json_t *oa_cv_responses_to_chat_request (oa_conv_t *conv, json_t *body, char *err);
json_t *oa_cv_chat_to_claude_request (oa_conv_t *conv, json_t *chat, char *err);
json_t *oa_cv_chat_to_responses_request (oa_conv_t *conv, json_t *chat, char *err);
json_t *oa_cv_chat_to_gemini_request (oa_conv_t *conv, json_t *chat, char *err);

//  --- pairwise response converters ---------------------------------------
json_t *oa_cv_claude_to_chat_response (oa_conv_t *conv, json_t *body, char *err);
json_t *oa_cv_responses_to_chat_response (oa_conv_t *conv, json_t *body, char *err);
json_t *oa_cv_gemini_to_chat_response (oa_conv_t *conv, json_t *body, char *err);
json_t *oa_cv_chat_to_claude_response (oa_conv_t *conv, json_t *chat, char *err);
json_t *oa_cv_chat_to_responses_response (oa_conv_t *conv, json_t *chat, char *err);

//  Responses envelope with every field the SDKs read; output [] and usage
//  null, for the caller to fill (fresh).
json_t *oa_cv_responses_envelope (oa_conv_t *conv, const char *model, const char *status);
//  Gemini functionCall part -> Chat tool call with "index" (fresh).
json_t *oa_cv_gemini_tool_call (oa_conv_t *conv, json_t *part, long index);

//  --- session helpers -----------------------------------------------------
int64_t oa_cv_created (oa_conv_t *conv);
//  Fresh "<prefix><request id>[_<n>]" id; n < 0 omits the suffix.
char *oa_cv_make_id (oa_conv_t *conv, const char *prefix, long n);
//  Fresh Chat response envelope: id chatcmpl-<request id>, object, created,
//  model, and an empty choices array.
json_t *oa_cv_chat_envelope (oa_conv_t *conv, const char *model, bool chunk);
//  Name to send upstream for a client tool name; records the mapping.
const char *oa_cv_safe_tool_name (oa_conv_t *conv, const char *name);

//  --- JSON access that never trusts the shape ----------------------------
const char *oa_cv_str (json_t *obj, const char *key);
json_t *oa_cv_obj (json_t *obj, const char *key);
json_t *oa_cv_arr (json_t *obj, const char *key);
bool oa_cv_int (json_t *obj, const char *key, int64_t *value);
bool oa_cv_is (json_t *obj, const char *key, const char *value);
//  Copy obj[key] to out[out_key] if present (any type).
void oa_cv_copy (json_t *out, const char *out_key, json_t *obj, const char *key);
void oa_cv_set_str (json_t *obj, const char *key, const char *value);
void oa_cv_set_strn (json_t *obj, const char *key, const char *value, size_t size);
void oa_cv_set_int (json_t *obj, const char *key, int64_t value);
//  Append value to the array obj[key], creating it; steals value.
void oa_cv_push (json_t *obj, const char *key, json_t *value);

//  Name of the reasoning field in Chat replies (reasoning_content unless
//  the client chose another with ?reasoning_format=).
const char *oa_cv_reasoning_field (oa_conv_t *conv);
//  Splits <think>...</think> out of text: fresh reasoning (NULL if no tag)
//  and fresh remaining text in *rest_p.
char *oa_cv_think_split (const char *text, char **rest_p);

//  Remembers a Claude answer's signed thinking (hub thinking_blocks) under
//  the reasoning text the client sees, when the session has a cache.
void oa_cv_sig_remember (oa_conv_t *conv, json_t *thinking, const char *reasoning);

//  --- text -----------------------------------------------------------------
int oa_cv_buf_add (oa_cv_buf_t *buf, const char *text, size_t size);
int oa_cv_buf_puts (oa_cv_buf_t *buf, const char *text);
//  A Claude content block of this type that is thinking or redacted
//  thinking: appends it to the hub's thinking array (signature kept) and
//  its text to reasoning.  Returns true when the block was one of those.
bool oa_cv_claude_thinking (json_t *block, const char *type, json_t *thinking,
                            oa_cv_buf_t *reasoning);
void oa_cv_buf_free (oa_cv_buf_t *buf);
//  Concatenated text of a content value: a string, or an array of parts
//  with type text/input_text/output_text (joined by sep).  Fresh or NULL.
char *oa_cv_content_text (json_t *content, const char *sep);
//  Splits "data:<mime>;base64,<data>": fresh mime, borrowed data pointer.
bool oa_cv_data_url (const char *url, char **mime_p, const char **data_p);
//  Guess an image media type from a URL's extension.
const char *oa_cv_url_mime (const char *url);
//  Fresh id restricted to [A-Za-z0-9_-] (Anthropic's tool id pattern).
char *oa_cv_safe_id (const char *id);
//  Compact JSON text of value (fresh), "{}" for NULL.
char *oa_cv_dump (json_t *value);
//  Parse tool-call arguments to an object; {} when empty, NULL when invalid.
json_t *oa_cv_parse_args (const char *args);
void oa_cv_err (char *err, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

//  --- mappings -----------------------------------------------------------
//  reasoning effort -> thinking budget, and back
int64_t oa_cv_effort_budget (const char *effort);
const char *oa_cv_budget_effort (int64_t budget);
//  stop/finish reasons between Chat and the others
const char *oa_cv_claude_stop_to_chat (const char *stop_reason, bool emulated_tool);
const char *oa_cv_chat_finish_to_claude (const char *finish_reason);
const char *oa_cv_gemini_finish_to_chat (const char *finish_reason, bool tool_calls);

#endif
