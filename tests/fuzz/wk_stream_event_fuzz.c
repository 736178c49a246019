/*  =========================================================================
    wk_stream_event_fuzz - libFuzzer target: the relay worker's scanned
    reading of a passthrough stream event against jansson's

    Property, on every input (one event's data): the worker ends the same
    whether the chunk is read by the scan (falling back to jansson as the
    write callback does) or by jansson alone: forwarded or not, bytes
    written, usage, usage_seen, error_seen, completion_bytes, the owed usage
    chunk (wk_stream_compare asserts it).  Each input runs in three job
    setups picked from its size, so a run covers every client format and
    both usage owners.  Also: oa_json_scan_valid never says yes to what
    jansson refuses, and says no to what jansson takes only for the doubts
    it owns (NUL bytes, long numbers, big exponents, deep nesting).
    Seeds: tests/fuzz/corpus/wk_stream_event_fuzz/ (OpenAI, DeepSeek, Azure,
    Groq, vLLM/Ollama-style chunks).
    =========================================================================
*/
#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "relay/wk_stream_event.h"
#include "sse/oa_json_scan.h"
#include "sse/oa_sse.h"

//  True if the bytes hold something the checked walk may refuse although
//  jansson takes it (looked for anywhere, strings included: an over-wide net).
static bool
s_in_doubt (const char *data, size_t size)
{
    size_t digits = 0, opens = 0;
    for (size_t i = 0; i < size; i++) {
        char c = data [i];
        if (c == 0)
            return true;
        if (c == '{' || c == '[')
            opens++;
        digits = c >= '0' && c <= '9'? digits + 1: 0;
        //  An integer over 18 digits, or an exponent over 2
        if (digits > 18 || (digits > 2 && i >= digits && strchr ("eE+-", data [i - digits])))
            return true;
    }
    return opens > 64;
}

int
    LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    //  An exact-size copy, so an overread is caught
    char *copy = (char *) malloc (size? size: 1);
    if (!copy)
        return 0;
    memcpy (copy, data, size);
    const int formats [] = { OA_API_FORMAT_CHAT, OA_API_FORMAT_RESPONSES,
                             OA_API_FORMAT_CLAUDE, OA_API_FORMAT_GEMINI };
    wk_stream_case_t cases [3] = {
        { OA_API_FORMAT_CHAT, true, false, false },
        { OA_API_FORMAT_CHAT, false, true, true },
        { formats [size % 4], (size & 4) != 0, (size & 8) != 0, (size & 16) != 0 }
    };
    const char *event = size % 13 == 0? "error": size % 13 == 1? "message": NULL;
    for (size_t i = 0; i < 3; i++)
        wk_stream_compare (&cases [i], event, copy, size);
    bool valid = oa_json_scan_valid (copy, size);
    json_t *doc = json_loadb (copy, size, 0, NULL);
    assert (!valid || doc);
    assert (valid || !doc || s_in_doubt (copy, size));
    json_decref (doc);
    free (copy);
    return 0;
}
