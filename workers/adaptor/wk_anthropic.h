/*  =========================================================================
    wk_anthropic - the Anthropic Messages adaptor (channel types 14, 52)

    @header
    Builds the upstream HTTP request for Anthropic and Claude-compatible
    channels: {base}/v1/messages, the x-api-key credential, the
    anthropic-version the client sent (2023-06-01 when it sent none) and
    its anthropic-beta flags.  The body is already in Messages form (the
    converters made it); this adaptor only settles what the API demands of
    it: max_tokens present, no sampling parameters under 2026-10-21.
    @end
    =========================================================================
*/
#ifndef WK_ANTHROPIC_H_INCLUDED
#define WK_ANTHROPIC_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "wk_openai.h"

//  API version sent when the client named none.
#define WK_ANTHROPIC_VERSION "2023-06-01"

//  What the adaptor needs to know about one attempt; all borrowed.
typedef struct {
    const char *base_url;           //  candidate base_url ("" = api.anthropic.com)
    const char *api_key;            //  credential ("a|b" = first one used)
    const char *config_json;        //  channel config JSON ("" = none)
    const char *version;            //  client's anthropic-version, or NULL
    const char *beta;               //  client's anthropic-beta, or NULL
    bool stream;                    //  client asked for a stream
} wk_anthropic_in_t;

//  The anthropic-version an attempt sends for the client's (NULL = none).
const char *
    wk_anthropic_version (const char *client_version);

//  True if this API version rejects temperature, top_p and top_k.
bool
    wk_anthropic_rejects_sampling (const char *version);

//  Settles a Messages body for the API in place: max_tokens defaulted to
//  default_max_tokens when absent, sampling removed when the version
//  rejects it, then the model rules of wk_rules_claude.
void
    wk_anthropic_prepare (json_t *body, const char *version, int64_t default_max_tokens);

//  Builds the upstream request into *out (zeroed first), taking the body
//  (*body_p, body_size bytes, malloc'd; nulled).  Returns 0, or -1 with a
//  reason in err.
int
    wk_anthropic_build (const wk_anthropic_in_t *in, char **body_p, size_t body_size,
                        wk_openai_req_t *out, char *err, size_t err_size);

//  Self test.
void
    oa_wk_anthropic_test (bool verbose);

#endif
