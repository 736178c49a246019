/*  =========================================================================
    oa_json_scan - find one top-level member of a JSON object without
    parsing the rest

    A relay worker needs a few bytes of a large answer (its "usage" object);
    parsing the whole document into a tree costs more than the rest of the
    request.  The scanner walks the object's bytes once, skipping strings
    (with escapes), numbers, literals and nested containers by depth, and
    returns the span of the last member with the wanted key (the one
    jansson keeps when a key repeats).  It does not validate what it
    skips: callers parse the span they get, and treat "not found" and
    "malformed" by falling back to a full parse.
    =========================================================================
*/
#ifndef OA_JSON_SCAN_H_INCLUDED
#define OA_JSON_SCAN_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

//  Finds key among the members of the top-level object in data (size
//  bytes).  Keys are compared byte for byte; a key written with escapes
//  never matches.  Returns 0 with *value / *value_size set to the member's
//  value span, 1 when no member has that key, -1 when data is not an
//  object the scanner can walk (its answer is then unknown).
int
    oa_json_scan_member (const char *data, size_t size, const char *key,
                         const char **value, size_t *value_size);

//  Self test.
void
    oa_json_scan_test (bool verbose);

#endif
