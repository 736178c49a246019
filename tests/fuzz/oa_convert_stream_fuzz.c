/*  =========================================================================
    oa_convert_stream_fuzz - libFuzzer target: stream converters

    Byte 0 picks the (upstream, client) pair, byte 1 the session state and
    the chunking; the rest is the upstream body, fed in pieces, then
    finished.  Properties: no crash, no leak, no undefined behaviour; for
    every converting pair the client bytes obey the client format's grammar
    (oa_stream_check: framing, order, indexes, sequence numbers, tool-call
    identity) whatever the upstream sent; pass-through pairs end properly.
    Seeds: tests/fuzz/corpus/oa_convert_stream_fuzz/ (recordings of every
    upstream family, prefixed with the two control bytes).
    =========================================================================
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "convert/oa_stream_conv.h"

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
    oa_api_format_t upstream = s_formats [data [0] & 3];
    oa_api_format_t client = s_formats [(data [0] >> 2) & 3];
    if (client == OA_API_FORMAT_GEMINI && upstream != OA_API_FORMAT_GEMINI)
        client = OA_API_FORMAT_CHAT;
    oa_conv_t *conv = oa_conv_new ("fuzz");
    oa_conv_set_created (conv, 1);
    char err [OA_CONV_ERR_SIZE];
    //  Session state a request conversion leaves: usage wish, emulated
    //  structured output, a rewritten tool name
    const char *prior = (data [1] & 1)
        ? "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\","
          "\"function\":{\"name\":\"fs.read file\"}}]}"
        : "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
          "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\","
          "\"schema\":{\"type\":\"object\"}}}}";
    //  Byte 0's high bits: ?thinking=true with ?reasoning_format=reasoning;
    //  the prior request converted Chat -> Chat with json_schema as a forced
    //  tool (DeepSeek); a signature cache remembering Claude thinking
    static oa_sigcache_t *cache = NULL;
    if (!cache)
        cache = oa_sigcache_new (16, 3600);
    if (data [0] & 0x10) {
        oa_conv_set_think_tags (conv, true);
        oa_conv_set_reasoning_format (conv, "reasoning");
    }
    if (data [0] & 0x40)
        oa_conv_set_sigcache (conv, cache, "fuzz");
    bool schema_tool = (data [0] & 0x20) && !(data [1] & 1);
    oa_conv_set_schema_tool (conv, schema_tool);
    json_t *request = json_loads (prior, 0, NULL);
    json_t *converted = oa_conv_request (conv, OA_API_FORMAT_CHAT,
                                         schema_tool? OA_API_FORMAT_CHAT: OA_API_FORMAT_CLAUDE,
                                         request, err);
    json_decref (converted);
    json_decref (request);
    bool reshaped = upstream == OA_API_FORMAT_CHAT && (schema_tool || (data [0] & 0x10));

    oa_stream_conv_t *stream = oa_stream_conv_new (conv, upstream, client);
    if (!stream)
        abort ();
    size_t step = 1 + (data [1] >> 1);
    const uint8_t *body = data + 2;
    size_t body_size = size - 2;
    char *out = NULL;
    size_t out_size = 0;
    for (size_t at = 0; at <= body_size; at += step) {
        size_t piece = body_size - at < step? body_size - at: step;
        oa_stream_conv_feed (stream, body + at, piece);
        size_t ready;
        const char *bytes = oa_stream_conv_data (stream, &ready);
        if (ready) {
            out = (char *) realloc (out, out_size + ready);
            memcpy (out + out_size, bytes, ready);
            out_size += ready;
            oa_stream_conv_clear (stream);
        }
        if (piece == 0)
            break;
    }
    if (data [1] & 0x80)
        oa_stream_conv_fail (stream, 504, "deadline");
    oa_stream_conv_finish (stream);
    if (!oa_stream_conv_ended (stream))
        abort ();
    size_t ready;
    const char *bytes = oa_stream_conv_data (stream, &ready);
    out = (char *) realloc (out, out_size + ready + 1);
    memcpy (out + out_size, bytes, ready);
    out_size += ready;
    if (oa_stream_conv_produced (stream) != out_size)
        abort ();
    oa_conv_usage_t usage;
    oa_stream_conv_usage (stream, &usage);
    if (usage.prompt_tokens < 0 || usage.completion_tokens < 0)
        abort ();
    if ((upstream != client || reshaped) && oa_stream_check (client, out, out_size, false, err)) {
        fprintf (stderr, "grammar violation: %s\n%.*s\n", err, (int) out_size, out);
        abort ();
    }
    free (out);
    oa_stream_conv_destroy (&stream);
    oa_conv_destroy (&conv);
    return 0;
}
