/*  =========================================================================
    wk_route - which wire format an attempt speaks upstream

    @header
    One relayed request may try candidates of different families (a list
    can mix Anthropic, Gemini and OpenAI-wire channels); each attempt asks
    wk_route_family what its channel speaks for the client's format, then
    converts for that.  The rules follow one-api (Laisky fork):
    relay/controller/response_utils.go supportsNativeResponseAPI and
    relay/adaptor/openai/adaptor_request.go shouldForceResponseAPI.

    @discuss
    The per-model parameter rules live in wk_rules, applied to the final
    body of every attempt.
    @end
    =========================================================================
*/
#ifndef WK_ROUTE_H_INCLUDED
#define WK_ROUTE_H_INCLUDED

#include <stdbool.h>
#include <jansson.h>
#include "../sse/oa_sse.h"

//  Channel types with their own wire (one-api relay/channeltype)
#define WK_TYPE_OPENAI              1
#define WK_TYPE_AZURE               3
#define WK_TYPE_ANTHROPIC           14
#define WK_TYPE_GEMINI              24
#define WK_TYPE_XAI                 45
#define WK_TYPE_OPENAI_COMPATIBLE   50
#define WK_TYPE_CLAUDE_COMPATIBLE   52

//  The format an attempt on this channel speaks upstream for a client of
//  format client (Chat, Responses, Claude or Gemini).  model is the mapped
//  model (may be NULL); config_json the channel config (may be NULL).
//  Returns 0 when the channel cannot serve that client at all.
oa_api_format_t
    wk_route_family (int channel_type, const char *base_url, const char *config_json,
                     const char *model, oa_api_format_t client);

//  True if the channel speaks OpenAI Responses natively (OpenAI with an
//  official or empty base URL, Azure, xAI, OpenAI-compatible configured
//  with api_format "response"), for this model.
bool
    wk_route_native_responses (int channel_type, const char *base_url, const char *config_json,
                               const char *model);

//  Self test.
void
    oa_wk_route_test (bool verbose);

#endif
