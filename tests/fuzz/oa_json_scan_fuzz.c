/*  =========================================================================
    oa_json_scan_fuzz - libFuzzer target: the top-level member scanner,
    checked against jansson

    Properties checked on every input, beyond "no crash, no overread":
      - a document jansson parses as an object is always walkable (never -1),
        unless it holds a NUL byte (jansson takes some raw NULs, the scanner
        refuses them all; -1 only sends the caller to the full parse);
      - without escapes (and NULs) in the document, the scanner finds "usage"
        exactly when jansson's object has it, and a span it finds parses to
        the value jansson has.
    Seeds: tests/fuzz/corpus/oa_json_scan_fuzz/ (upstream answers).
    =========================================================================
*/
#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sse/oa_json_scan.h"

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
    const char *span = NULL;
    size_t span_size = 0;
    int rc = oa_json_scan_member (copy, size, "usage", &span, &span_size);
    assert (rc >= -1 && rc <= 1);
    if (rc == 0)
        assert (span >= copy && span + span_size <= copy + size && span_size > 0);
    json_t *doc = json_loadb (copy, size, 0, NULL);
    if (json_is_object (doc)) {
        assert (rc != -1 || memchr (copy, 0, size));
        if (!memchr (copy, '\\', size)) {
            json_t *want = json_object_get (doc, "usage");
            if (!memchr (copy, 0, size))
                assert ((want != NULL) == (rc == 0));
            if (want && rc == 0) {
                json_t *got = json_loadb (span, span_size, JSON_DECODE_ANY, NULL);
                assert (got && json_equal (got, want));
                json_decref (got);
            }
        }
    }
    json_decref (doc);
    free (copy);
    return 0;
}
