/*  =========================================================================
    oa_conv_usage - token usage from any upstream, in OpenAI semantics

    Semantics differ (wire-formats.md §0): OpenAI input includes cache reads;
    Anthropic input_tokens excludes both cache buckets; Gemini output
    excludes thoughts.  The struct is always OpenAI's: prompt includes cache
    reads and writes, completion includes reasoning.

    Streams repeat usage cumulatively (Gemini on every chunk, Anthropic in
    message_start then message_delta, some OpenAI-compatibles on every
    chunk), so parsing overwrites only the fields present: the last report
    of each field wins, and nothing is summed.
    =========================================================================
*/
#include <assert.h>
#include <string.h>
#include "oa_conv_private.h"

//  Reads key into *value if present; returns whether it was.
static bool
s_read (json_t *obj, const char *key, int64_t *value)
{
    int64_t number;
    if (!oa_cv_int (obj, key, &number) || number < 0)
        return false;
    *value = number;
    return true;
}


//  Finds the usage object in a body, chunk or event, or the object itself.
static json_t *
s_locate (oa_api_format_t format, json_t *obj)
{
    json_t *usage = NULL;
    if (format == OA_API_FORMAT_GEMINI)
        return oa_cv_obj (obj, "usageMetadata")? oa_cv_obj (obj, "usageMetadata")
             : json_object_get (obj, "promptTokenCount")? obj: NULL;
    if ((usage = oa_cv_obj (obj, "usage")))
        return usage;
    if ((usage = oa_cv_obj (oa_cv_obj (obj, "x_groq"), "usage")))
        return usage;
    if ((usage = oa_cv_obj (oa_cv_obj (obj, "response"), "usage")))
        return usage;
    if ((usage = oa_cv_obj (oa_cv_obj (obj, "message"), "usage")))
        return usage;
    if (json_object_get (obj, "prompt_tokens") || json_object_get (obj, "input_tokens")
    ||  json_object_get (obj, "output_tokens") || json_object_get (obj, "completion_tokens"))
        return obj;
    return NULL;
}


static void
s_parse_chat (oa_conv_usage_t *usage, json_t *obj)
{
    s_read (obj, "prompt_tokens", &usage->prompt_tokens);
    s_read (obj, "completion_tokens", &usage->completion_tokens);
    json_t *prompt = oa_cv_obj (obj, "prompt_tokens_details");
    //  DeepSeek reports prompt_cache_hit_tokens; some compatibles a
    //  top-level cached_tokens; the details object is the standard.
    if (!s_read (prompt, "cached_tokens", &usage->cached_tokens)
    &&  !s_read (obj, "prompt_cache_hit_tokens", &usage->cached_tokens))
        s_read (obj, "cached_tokens", &usage->cached_tokens);
    if (!s_read (prompt, "cache_write_tokens", &usage->cache_write_tokens))
        s_read (prompt, "cache_creation_tokens", &usage->cache_write_tokens);
    if (!s_read (oa_cv_obj (obj, "completion_tokens_details"), "reasoning_tokens",
                 &usage->reasoning_tokens))
        s_read (obj, "reasoning_tokens", &usage->reasoning_tokens);
}


static void
s_parse_responses (oa_conv_usage_t *usage, json_t *obj)
{
    s_read (obj, "input_tokens", &usage->prompt_tokens);
    s_read (obj, "output_tokens", &usage->completion_tokens);
    json_t *input = oa_cv_obj (obj, "input_tokens_details");
    s_read (input, "cached_tokens", &usage->cached_tokens);
    s_read (input, "cache_write_tokens", &usage->cache_write_tokens);
    s_read (oa_cv_obj (obj, "output_tokens_details"), "reasoning_tokens", &usage->reasoning_tokens);
}


static void
s_parse_claude (oa_conv_usage_t *usage, json_t *obj)
{
    //  Recover the raw buckets from what earlier events reported
    int64_t cache_read = usage->cached_tokens;
    int64_t cache_write = usage->cache_write_tokens;
    int64_t input = usage->prompt_tokens - cache_read - cache_write;
    if (input < 0)
        input = 0;
    s_read (obj, "input_tokens", &input);
    s_read (obj, "cache_read_input_tokens", &cache_read);
    s_read (obj, "cache_creation_input_tokens", &cache_write);
    usage->prompt_tokens = input + cache_read + cache_write;
    usage->cached_tokens = cache_read;
    usage->cache_write_tokens = cache_write;
    s_read (obj, "output_tokens", &usage->completion_tokens);
    s_read (oa_cv_obj (obj, "output_tokens_details"), "thinking_tokens", &usage->reasoning_tokens);
}


static void
s_parse_gemini (oa_conv_usage_t *usage, json_t *obj)
{
    int64_t prompt = 0, tool_prompt = 0;
    bool has_prompt = s_read (obj, "promptTokenCount", &prompt);
    bool has_tool = s_read (obj, "toolUsePromptTokenCount", &tool_prompt);
    if (has_prompt || has_tool)
        usage->prompt_tokens = prompt + tool_prompt;
    s_read (obj, "cachedContentTokenCount", &usage->cached_tokens);
    int64_t candidates = usage->completion_tokens - usage->reasoning_tokens;
    if (candidates < 0)
        candidates = 0;
    s_read (obj, "candidatesTokenCount", &candidates);
    s_read (obj, "thoughtsTokenCount", &usage->reasoning_tokens);
    usage->completion_tokens = candidates + usage->reasoning_tokens;
}


//  --------------------------------------------------------------------------
//  Fill usage from an upstream usage object or the body holding one

int
oa_conv_usage_parse (oa_conv_usage_t *usage, oa_api_format_t format, json_t *obj)
{
    assert (usage);
    json_t *found = json_is_object (obj)? s_locate (format, obj): NULL;
    if (!found)
        return -1;
    //  Chat-compatible upstreams sometimes answer with Responses names
    if (format == OA_API_FORMAT_CHAT && !json_object_get (found, "prompt_tokens")
    &&  json_object_get (found, "input_tokens"))
        format = OA_API_FORMAT_RESPONSES;
    switch (format) {
        case OA_API_FORMAT_CHAT:        s_parse_chat (usage, found); break;
        case OA_API_FORMAT_RESPONSES:   s_parse_responses (usage, found); break;
        case OA_API_FORMAT_CLAUDE:      s_parse_claude (usage, found); break;
        case OA_API_FORMAT_GEMINI:      s_parse_gemini (usage, found); break;
        default:                        return -1;
    }
    usage->total_tokens = usage->prompt_tokens + usage->completion_tokens;
    return 0;
}


//  --------------------------------------------------------------------------
//  Render usage in a format's own semantics

json_t *
oa_conv_usage_json (const oa_conv_usage_t *usage, oa_api_format_t format)
{
    assert (usage);
    int64_t total = usage->prompt_tokens + usage->completion_tokens;
    switch (format) {
        case OA_API_FORMAT_RESPONSES:
            return json_pack ("{s:I,s:{s:I},s:I,s:{s:I},s:I}",
                "input_tokens", (json_int_t) usage->prompt_tokens,
                "input_tokens_details", "cached_tokens", (json_int_t) usage->cached_tokens,
                "output_tokens", (json_int_t) usage->completion_tokens,
                "output_tokens_details", "reasoning_tokens", (json_int_t) usage->reasoning_tokens,
                "total_tokens", (json_int_t) total);
        case OA_API_FORMAT_CLAUDE: {
            int64_t input = usage->prompt_tokens - usage->cached_tokens - usage->cache_write_tokens;
            return json_pack ("{s:I,s:I,s:I,s:I}",
                "input_tokens", (json_int_t) (input > 0? input: 0),
                "cache_creation_input_tokens", (json_int_t) usage->cache_write_tokens,
                "cache_read_input_tokens", (json_int_t) usage->cached_tokens,
                "output_tokens", (json_int_t) usage->completion_tokens);
        }
        case OA_API_FORMAT_GEMINI: {
            json_t *out = json_pack ("{s:I,s:I,s:I}",
                "promptTokenCount", (json_int_t) usage->prompt_tokens,
                "candidatesTokenCount", (json_int_t) (usage->completion_tokens - usage->reasoning_tokens),
                "totalTokenCount", (json_int_t) total);
            if (usage->reasoning_tokens)
                oa_cv_set_int (out, "thoughtsTokenCount", usage->reasoning_tokens);
            if (usage->cached_tokens)
                oa_cv_set_int (out, "cachedContentTokenCount", usage->cached_tokens);
            return out;
        }
        default: {
            json_t *out = json_pack ("{s:I,s:I,s:I,s:{s:I},s:{s:I}}",
                "prompt_tokens", (json_int_t) usage->prompt_tokens,
                "completion_tokens", (json_int_t) usage->completion_tokens,
                "total_tokens", (json_int_t) total,
                "prompt_tokens_details", "cached_tokens", (json_int_t) usage->cached_tokens,
                "completion_tokens_details", "reasoning_tokens", (json_int_t) usage->reasoning_tokens);
            if (usage->cache_write_tokens)
                oa_cv_set_int (oa_cv_obj (out, "prompt_tokens_details"), "cache_write_tokens",
                               usage->cache_write_tokens);
            return out;
        }
    }
}
