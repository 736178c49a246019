/*  =========================================================================
    gw_body_scan_fuzz - libFuzzer target: the relay body scanner, checked
    against jansson

    Property checked on every input, beyond "no crash, no overread": when
    the scanner answers, jansson (json_loadb, JSON_DECODE_ANY, as the
    gateway parses) accepts the document, and the model (also cut to a
    short buffer), stream, include_usage, prompt tokens and max tokens are
    exactly what the jansson path (gw_body_scan_tree: gw_admit_scan on the
    tree) gives.  Not answering is always allowed: the gateway falls back
    to jansson.
    Seeds: tests/fuzz/corpus/gw_body_scan_fuzz/ (client request bodies).
    =========================================================================
*/
#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gw_body_scan.h"

int
    LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

//  Scans copy with a model buffer of model_size bytes and checks the answer.
static void
s_check (const char *copy, size_t size, size_t model_size)
{
    char model [256], want_model [256];
    gw_body_fields_t fields, want;
    if (gw_body_scan (copy, size, model, model_size, &fields))
        return;
    json_t *json = json_loadb (copy, size, JSON_DECODE_ANY, NULL);
    assert (json);
    assert (gw_body_scan_tree (json, want_model, model_size, &want) == 0);
    json_decref (json);
    assert (strcmp (model, want_model) == 0);
    assert (fields.stream == want.stream);
    assert (fields.include_usage == want.include_usage);
    assert (fields.prompt_tokens == want.prompt_tokens);
    assert (fields.max_tokens == want.max_tokens);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    //  An exact-size copy, so an overread is caught
    char *copy = (char *) malloc (size? size: 1);
    if (!copy)
        return 0;
    memcpy (copy, data, size);
    s_check (copy, size, 128);
    s_check (copy, size, 1 + (size % 9));
    free (copy);
    return 0;
}
