/*  =========================================================================
    wk_openai - the OpenAI wire family adaptor

    @header
    Builds the upstream HTTP request for channel types that speak the
    OpenAI wire (OpenAI, Azure, and the compatibles: DeepSeek, Groq, xAI,
    OpenRouter, Mistral, Moonshot, SiliconFlow, Ollama's OpenAI endpoint,
    Custom, OpenAICompatible, ...): the URL, the credential header, and
    the body with the channel's model mapping, the forced
    stream_options.include_usage and the upstream rules (wk_rules) applied.
    The same request struct carries what the Anthropic and Gemini adaptors
    build.

    @discuss
    The client's body passes through byte for byte unless something must
    change in it (mapped model, forced include_usage); then it is parsed and
    re-serialised compactly.  Multipart bodies always pass through.
    @end
    =========================================================================
*/
#ifndef WK_OPENAI_H_INCLUDED
#define WK_OPENAI_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>

//  What the adaptor needs to know about one attempt; all borrowed.
typedef struct {
    int channel_type;               //  one-api channel type id
    const char *base_url;           //  candidate base_url ("" = type default)
    const char *api_key;            //  credential ("a|b" = first one used)
    const char *upstream_model;     //  mapped model ("" = keep the client's)
    const char *config_json;        //  channel config JSON ("" = none)
    const char *other;              //  legacy "other" column (Azure api-version)
    const char *method;             //  HTTP method of the client request
    const char *path;               //  client request path (/v1/chat/completions)
    const char *query;              //  client query without '?', or ""
    const char *content_type;       //  client body content type
    const char *body;               //  client body bytes (may be NULL for GET)
    size_t body_size;               //  bytes at body
    bool stream;                    //  client asked for a stream
    bool enforce_include_usage;     //  ENFORCE_INCLUDE_USAGE
    const char *client_model;       //  model the client asked for, or NULL
                                    //  (= the body's); the model rules see it
    const char *system_prompt;      //  channel's forced system prompt, or NULL
} wk_openai_in_t;

//  The upstream request; owned, release with wk_openai_req_clear.
typedef struct {
    char *url;                      //  full URL
    struct curl_slist *headers;     //  request headers, credential included
    char *body;                     //  rewritten body, or NULL to send the client's
    size_t body_size;               //  bytes at body when body is set
    bool usage_forced;              //  include_usage was added by us, not the client
} wk_openai_req_t;

//  True if the channel type speaks OpenAI chat wire and this adaptor serves it.
bool
    wk_openai_speaks (int channel_type);

//  Default base URL of a channel type, or "" if the channel must provide one.
const char *
    wk_openai_default_base (int channel_type);

//  Builds the upstream request into *out (zeroed first).  Returns 0, or -1
//  with a reason in err (err_size bytes) when the channel cannot serve the
//  request (no base URL, unsupported path, body not JSON where it must be).
int
    wk_openai_build (const wk_openai_in_t *in, wk_openai_req_t *out, char *err, size_t err_size);

//  Appends the channel's custom_headers (an object of strings in the
//  config JSON) to headers; returns the list.  Every family uses it.
struct curl_slist *
    wk_openai_custom_headers (struct curl_slist *headers, const char *config_json);

//  Frees what wk_openai_build allocated and zeroes *req; safe twice.
void
    wk_openai_req_clear (wk_openai_req_t *req);

//  Starts an empty request that owns the body at *body_p (taken; NULL
//  stays NULL), as the other families' builders do before their URL.
void
    wk_openai_req_start (wk_openai_req_t *req, char **body_p, size_t body_size);

//  Self test.
void
    oa_wk_openai_test (bool verbose);

#endif
