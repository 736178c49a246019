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

    oa_json_iter_t walks an object's members or an array's elements and
    does check them, exactly as jansson would accept them, so a caller can
    read a small document (a stream chunk) without a tree and still know
    jansson would have read the same; oa_json_scan_string gives a string's
    decoded length without decoding it.
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

//  A piece of a document: a value with its delimiters, or an object key's
//  bytes between its quotes (escapes not decoded).
typedef struct {
    const char *data;           //  first byte
    size_t size;                //  bytes
} oa_json_span_t;

//  A walk over the members of one object or the elements of one array,
//  on the caller's stack.  Checked walks accept exactly what jansson's
//  json_loadb (flags 0) accepts, minus what they cannot be sure of (more
//  than 64 levels below a member, integers over 18 digits, reals that
//  might overflow, raw NUL bytes): those read as malformed (-1), and the
//  caller parses the whole document instead.
typedef struct {
    const char *at;             //  where the walk is
    const char *end;            //  end of the span
    char close;                 //  '}' for an object, ']' for an array
    bool checked;               //  the span was checked before: only skip
    bool started;               //  a member was read
} oa_json_iter_t;

//  Starts a walk over data (size bytes): one object or array, with only
//  JSON whitespace around it.  checked: the caller got the span from a
//  walk that checked it, so values are skipped, not checked again.
//  Returns 0, or -1 if data does not start with '{' or '['.
int
    oa_json_iter_init (oa_json_iter_t *self, const char *data, size_t size, bool checked);

//  Reads the next member: its key (objects; key may be NULL) and value
//  spans.  Returns 1 with a member, 0 at the end (the container closed and
//  only whitespace follows it: a walk of an unchecked span that reaches 0
//  has checked all of it), -1 if the span is malformed or in doubt.
int
    oa_json_iter_next (oa_json_iter_t *self, oa_json_span_t *key, oa_json_span_t *value);

//  True if data is one JSON object or array that jansson's json_loadb
//  (flags 0) accepts, within the limits oa_json_iter_t keeps.
bool
    oa_json_scan_valid (const char *data, size_t size);

//  Decoded length in bytes of the JSON string at data (size bytes, quotes
//  included), as jansson's json_string_length reports it.  Returns 0 with
//  *length set, or -1 if data is not exactly one string jansson accepts
//  (bad escapes, \u0000, lone surrogates, control bytes, invalid UTF-8).
int
    oa_json_scan_string (const char *data, size_t size, size_t *length);

//  Self test.
void
    oa_json_scan_test (bool verbose);

#endif
