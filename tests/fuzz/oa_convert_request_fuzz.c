/*  =========================================================================
    oa_convert_request_fuzz - libFuzzer target: request converters

    Byte 0 picks the (client, upstream) pair, byte 1 the session options
    (sampling, max_completion_tokens, keep_reasoning, model mapping,
    json_schema as a forced tool, ?reasoning_format=, ?thinking=true, and a
    signature cache holding one entry, so Claude thinking replay runs);
    the rest is parsed as JSON and converted.  Beyond "no crash, no leak,
    no undefined behaviour", a successful conversion must be a JSON object
    that serialises, and converting it again from the upstream format to
    Chat (where that direction exists) must not crash either.
    Seeds: tests/fuzz/corpus/oa_convert_request_fuzz/ (byte 0 and 1, then
    a request from wire-formats.md).
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

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    oa_api_format_t client = s_formats [data [0] & 3];
    oa_api_format_t upstream = s_formats [(data [0] >> 2) & 3];
    json_t *body = json_loadb ((const char *) data + 2, size - 2, 0, NULL);
    if (!body)
        return 0;
    oa_conv_t *conv = oa_conv_new ("fuzz");
    oa_conv_set_drop_sampling (conv, data [1] & 1);
    oa_conv_set_max_completion_tokens (conv, data [1] & 2);
    oa_conv_set_keep_reasoning (conv, data [1] & 4);
    if (data [1] & 8)
        oa_conv_set_model (conv, "mapped-model");
    oa_conv_set_schema_tool (conv, data [1] & 16);
    if (data [1] & 32)
        oa_conv_set_reasoning_format (conv, "thinking");
    oa_conv_set_think_tags (conv, data [1] & 64);
    static oa_sigcache_t *cache = NULL;
    if (!cache) {
        //  One remembered answer: reasoning "x" signed, redacted data after it
        cache = oa_sigcache_new (16, 3600);
        oa_sigcache_key_t key;
        oa_sigcache_key_init (&key, "fuzz");
        oa_sigcache_key_add (&key, "x", 1);
        json_t *blocks = json_pack ("[{s:s,s:i,s:s},{s:s,s:s}]", "type", "thinking", "length", 1,
                                    "signature", "sig", "type", "redacted_thinking", "data", "d");
        oa_sigcache_put (cache, &key, blocks);
        json_decref (blocks);
    }
    if (data [1] & 128)
        oa_conv_set_sigcache (conv, cache, "fuzz");
    char err [OA_CONV_ERR_SIZE];
    json_t *out = oa_conv_request (conv, client, upstream, body, err);
    if (out) {
        if (!json_is_object (out))
            abort ();
        char *text = json_dumps (out, JSON_COMPACT);
        if (!text)
            abort ();
        free (text);
        //  The converted body fed back as a client request of that format
        if (upstream != OA_API_FORMAT_GEMINI) {
            oa_conv_t *back = oa_conv_new ("back");
            json_t *again = oa_conv_request (back, upstream, OA_API_FORMAT_CHAT, out, err);
            json_decref (again);
            oa_conv_destroy (&back);
        }
        json_decref (out);
    }
    else
    if (!memchr (err, 0, sizeof (err)))
        abort ();
    json_decref (body);
    oa_conv_destroy (&conv);
    return 0;
}
