/*  =========================================================================
    wk_route - which wire format an attempt speaks upstream

    Chat and Claude clients go to Responses only where one-api forces it
    (official OpenAI, Azure gpt-5, OpenAI-compatible set to "response"):
    elsewhere Chat is what every OpenAI-wire upstream understands.
    Responses clients go native wherever the channel supports it, else they
    fall back to Chat, as one-api's relayResponseAPIThroughChat does.
    =========================================================================
*/
#include "wk_route.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "wk_openai.h"

//  True if the lower-cased model starts with prefix followed by the end, a
//  dash, a dot or the mock's '@' behaviour suffix.
static bool
s_family (const char *model, const char *prefix)
{
    size_t size = strlen (prefix);
    if (strncasecmp (model, prefix, size) != 0)
        return false;
    char next = model [size];
    return next == 0 || next == '-' || next == '.' || next == '@';
}

//  The model name without a provider prefix ("openai/gpt-5" -> "gpt-5").
static const char *
s_bare (const char *model)
{
    const char *slash = model? strrchr (model, '/'): NULL;
    return slash? slash + 1: model? model: "";
}

//  one-api's IsModelsOnlySupportedByChatCompletionAPI: search and audio
//  previews exist only on Chat Completions.
static bool
s_chat_only (const char *model)
{
    return model && strstr (model, "gpt")
        && (strstr (model, "-search-") || strstr (model, "-audio-"));
}

//  Reads the channel config's api_format and says if it asks for Responses.
static bool
s_config_responses (const char *config_json)
{
    if (!config_json || !*config_json)
        return false;
    json_t *config = json_loads (config_json, 0, NULL);
    const char *format = json_string_value (json_object_get (config, "api_format"));
    bool responses = format && (strcasecmp (format, "response") == 0
                                || strcasecmp (format, "responses") == 0);
    json_decref (config);
    return responses;
}

//  True if the base URL is empty or OpenAI's own.
static bool
s_official_openai (const char *base_url)
{
    return !base_url || !*base_url || strcasestr (base_url, "api.openai.com") != NULL;
}


//  --------------------------------------------------------------------------
//  True if the channel speaks OpenAI Responses natively

bool
wk_route_native_responses (int channel_type, const char *base_url, const char *config_json,
                           const char *model)
{
    if (s_chat_only (model))
        return false;
    switch (channel_type) {
        case WK_TYPE_OPENAI:
            return s_official_openai (base_url);
        case WK_TYPE_AZURE:
        case WK_TYPE_XAI:
            return true;
        case WK_TYPE_OPENAI_COMPATIBLE:
            return s_config_responses (config_json);
        default:
            return false;
    }
}


//  --------------------------------------------------------------------------
//  The format an attempt on this channel speaks upstream

oa_api_format_t
wk_route_family (int channel_type, const char *base_url, const char *config_json,
                 const char *model, oa_api_format_t client)
{
    if (channel_type == WK_TYPE_ANTHROPIC || channel_type == WK_TYPE_CLAUDE_COMPATIBLE)
        return client == OA_API_FORMAT_GEMINI? 0: OA_API_FORMAT_CLAUDE;
    if (channel_type == WK_TYPE_GEMINI)
        return OA_API_FORMAT_GEMINI;
    if (!wk_openai_speaks (channel_type) || client == OA_API_FORMAT_GEMINI)
        return 0;
    bool native = wk_route_native_responses (channel_type, base_url, config_json, model);
    if (client == OA_API_FORMAT_RESPONSES)
        return native? OA_API_FORMAT_RESPONSES: OA_API_FORMAT_CHAT;
    //  Chat and Claude clients: Responses only where the upstream wants it
    bool forced = native
               && ((channel_type == WK_TYPE_OPENAI)
                   || (channel_type == WK_TYPE_OPENAI_COMPATIBLE)
                   || (channel_type == WK_TYPE_AZURE && s_family (s_bare (model), "gpt-5")));
    return forced? OA_API_FORMAT_RESPONSES: OA_API_FORMAT_CHAT;
}


//  --------------------------------------------------------------------------
//  Self test

void
oa_wk_route_test (bool verbose)
{
    if (verbose)
        printf (" * wk_route: ");
    const oa_api_format_t chat = OA_API_FORMAT_CHAT, resp = OA_API_FORMAT_RESPONSES,
                          claude = OA_API_FORMAT_CLAUDE, gemini = OA_API_FORMAT_GEMINI;
    //  Native families
    assert (wk_route_family (14, "", "", "claude-x", chat) == claude);
    assert (wk_route_family (52, "http://h", "", "claude-x", resp) == claude);
    assert (wk_route_family (14, "", "", "claude-x", gemini) == 0);
    assert (wk_route_family (24, "", "", "gemini-2.5-flash", claude) == gemini);
    assert (wk_route_family (24, "", "", "gemini-2.5-flash", gemini) == gemini);
    //  Responses clients: native where supported, else Chat
    assert (wk_route_family (1, "", "", "gpt-4o", resp) == resp);
    assert (wk_route_family (1, "https://api.openai.com/", "", "gpt-4o", resp) == resp);
    assert (wk_route_family (1, "http://127.0.0.1:9", "", "gpt-4o", resp) == chat);
    assert (wk_route_family (3, "https://r.openai.azure.com", "", "gpt-4o", resp) == resp);
    assert (wk_route_family (45, "", "", "grok-4", resp) == resp);
    assert (wk_route_family (50, "http://h", "{\"api_format\":\"response\"}", "m", resp) == resp);
    assert (wk_route_family (50, "http://h", "{\"api_format\":\"chat_completion\"}", "m", resp)
            == chat);
    assert (wk_route_family (36, "", "", "deepseek-chat", resp) == chat);
    assert (wk_route_family (1, "", "", "gpt-4o-search-preview", resp) == chat);
    //  Chat and Claude clients: Responses only where forced
    assert (wk_route_family (1, "", "", "gpt-4o", chat) == resp);
    assert (wk_route_family (1, "", "", "gpt-4o-audio-preview", chat) == chat);
    assert (wk_route_family (1, "http://127.0.0.1:9", "", "gpt-4o", claude) == chat);
    assert (wk_route_family (45, "", "", "grok-4", chat) == chat);
    assert (wk_route_family (3, "https://r", "", "gpt-4o", chat) == chat);
    assert (wk_route_family (3, "https://r", "", "gpt-5-mini", chat) == resp);
    assert (wk_route_family (50, "http://h", "{\"api_format\":\"response\"}", "m", claude) == resp);
    assert (wk_route_family (1, "", "", "gpt-4o", gemini) == 0);
    assert (wk_route_family (33, "", "", "claude-x", chat) == 0);

    if (verbose)
        printf ("OK\n");
}
