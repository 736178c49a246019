/*  =========================================================================
    gw_body_scan - the relay body's admission fields without a JSON tree

    The gateway reads only a few things from a relayed JSON body: "model",
    "stream", "stream_options.include_usage" and what gw_admit_scan reads
    (the prompt's estimated tokens, max tokens).  Building and freeing a
    jansson tree for that was a fifth of the loop thread's CPU per request,
    so this scanner walks the text once, without allocating, and produces
    exactly what json_loadb (JSON_DECODE_ANY) + gw_admit_scan give.

    It is conservative: it answers only for documents jansson accepts and
    for which the results are identical, and says "don't know" (-1) for
    anything else (malformed text, a top level that is not an object, a
    "model" that is neither a string nor null, integers of more than 18
    digits, reals that might overflow, \u0000, invalid UTF-8, raw control
    characters or NULs, nesting deeper than GW_BODY_SCAN_DEPTH).  The
    caller then parses with jansson, which also words the error.  Repeated
    keys keep their last value, as jansson does, at every level.
    =========================================================================
*/
#ifndef GW_BODY_SCAN_H_INCLUDED
#define GW_BODY_SCAN_H_INCLUDED

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Nesting the scanner follows (jansson allows 2048): real bodies (tool
//  schemas included) stay well below it.
#define GW_BODY_SCAN_DEPTH 64

//  What the gateway reads from a JSON body.
typedef struct {
    bool stream;                    //  "stream": true
    bool include_usage;             //  "stream_options": {"include_usage": true}
    int64_t prompt_tokens;          //  as gw_admit_scan fills its gw_admit_body_t
    int64_t max_tokens;             //  (kept apart so this header needs no h2o)
} gw_body_fields_t;

//  Scans the JSON body data (size bytes): 0 with fields filled and model
//  set to the decoded "model" (cut to model_size - 1 bytes, "" when absent
//  or null), or -1 when unsure (then model and fields are undefined).
int
    gw_body_scan (const char *data, size_t size, char *model, size_t model_size,
                  gw_body_fields_t *fields);

//  The same from jansson's tree of the body (what the gateway read before
//  the scanner; its reference in tests): -1 when json is not an object or
//  its "model" is neither a string nor null.
int
    gw_body_scan_tree (json_t *json, char *model, size_t model_size,
                       gw_body_fields_t *fields);

//  Self test: the scanner against jansson + gw_admit_scan on a table of bodies.
void
    oa_gw_body_scan_test (bool verbose);

#endif
