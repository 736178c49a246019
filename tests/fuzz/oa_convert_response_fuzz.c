/*  =========================================================================
    oa_convert_response_fuzz - libFuzzer target: response, error and usage
    converters

    Byte 0 picks the (upstream, client) pair and byte 1 a prior request
    shape (structured output, an unsafe tool name) so the reply paths that
    depend on session state are reached.  The rest is the upstream body:
    converted as a reply, as an error body (raw bytes: also non-JSON), and
    read for usage.  Properties: no crash, no leak, no undefined behaviour;
    usage never negative; error bodies always objects with a 4xx/5xx.
    Seeds: tests/fuzz/corpus/oa_convert_response_fuzz/.
    =========================================================================
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "convert/oa_conv.h"

int
    LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const oa_api_format_t s_formats [4] = {
    OA_API_FORMAT_CHAT, OA_API_FORMAT_RESPONSES, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_GEMINI
};

static const char *s_prior =
    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
    "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"schema\":{\"type\":\"object\"}}}}";
static const char *s_prior_tools =
    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
    "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"fs.read file\"}}]}";

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    oa_api_format_t upstream = s_formats [data [0] & 3];
    oa_api_format_t client = s_formats [(data [0] >> 2) & 3];
    const char *body_bytes = (const char *) data + 2;
    size_t body_size = size - 2;
    oa_conv_t *conv = oa_conv_new ("fuzz");
    oa_conv_set_created (conv, 1);
    char err [OA_CONV_ERR_SIZE];
    //  Byte 0's high bits: think tags and a reasoning format; json_schema
    //  as a forced tool on a Chat upstream; a signature cache, whose entry
    //  the reply leaves is then replayed into a follow-up Claude request
    static oa_sigcache_t *cache = NULL;
    if (!cache)
        cache = oa_sigcache_new (16, 3600);
    oa_conv_set_think_tags (conv, data [0] & 0x10);
    if (data [0] & 0x10)
        oa_conv_set_reasoning_format (conv, (data [0] & 0x80)? "reasoning": "thinking");
    if (data [0] & 0x40)
        oa_conv_set_sigcache (conv, cache, "fuzz");
    if ((data [0] & 0x20) && !(data [1] & 3)) {
        oa_conv_set_schema_tool (conv, true);
        json_t *prior = json_loads (s_prior, 0, NULL);
        json_t *out = oa_conv_request (conv, OA_API_FORMAT_CHAT, OA_API_FORMAT_CHAT, prior, err);
        json_decref (out);
        json_decref (prior);
    }
    if (data [1] & 3) {
        json_t *prior = json_loads ((data [1] & 1)? s_prior: s_prior_tools, 0, NULL);
        json_t *out = oa_conv_request (conv, OA_API_FORMAT_CHAT,
                                       (data [1] & 2)? OA_API_FORMAT_GEMINI: OA_API_FORMAT_CLAUDE, prior, err);
        json_decref (out);
        json_decref (prior);
    }
    json_t *body = json_loadb (body_bytes, body_size, 0, NULL);
    if (body) {
        oa_conv_usage_t usage;
        json_t *out = oa_conv_response (conv, upstream, client, body, &usage, err);
        if (usage.prompt_tokens < 0 || usage.completion_tokens < 0 || usage.cached_tokens < 0
        ||  usage.reasoning_tokens < 0 || usage.cache_write_tokens < 0)
            abort ();
        if (out) {
            char *text = json_dumps (out, JSON_COMPACT);
            if (!text)
                abort ();
            free (text);
            //  The answer given back as history to a Claude upstream: the
            //  signature cache replays what it remembered, if anything
            json_t *message = json_object_get (json_array_get (json_object_get (out, "choices"), 0),
                                               "message");
            if (client == OA_API_FORMAT_CHAT && json_is_object (message)) {
                json_t *next = json_pack ("{s:s,s:s,s:[{s:s,s:s},O,{s:s,s:s}]}", "model", "m",
                    "reasoning_effort", "high", "messages", "role", "user", "content", "x", message,
                    "role", "user", "content", "y");
                oa_conv_t *turn = oa_conv_new ("fuzz2");
                if (data [0] & 0x40)
                    oa_conv_set_sigcache (turn, cache, "fuzz");
                json_t *claude = next? oa_conv_request (turn, OA_API_FORMAT_CHAT, OA_API_FORMAT_CLAUDE,
                                                        next, err): NULL;
                json_decref (claude);
                json_decref (next);
                oa_conv_destroy (&turn);
            }
            json_decref (out);
        }
        oa_conv_usage_t again = { 0, 0, 0, 0, 0, 0 };
        oa_conv_usage_parse (&again, upstream, body);
        json_t *rendered = oa_conv_usage_json (&again, client);
        json_decref (rendered);
        json_decref (body);
    }
    int status = 0;
    json_t *error = oa_conv_error (upstream, data [1] * 3, body_bytes, body_size, client, &status);
    if (!json_is_object (error) || status < 400 || status > 599)
        abort ();
    char *text = json_dumps (error, JSON_COMPACT);
    if (!text)
        abort ();
    free (text);
    json_decref (error);
    oa_conv_destroy (&conv);
    return 0;
}
