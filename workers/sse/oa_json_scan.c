/*  =========================================================================
    oa_json_scan - find one top-level member of a JSON object without
    parsing the rest

    Invariant: every read is bounds-checked against end; nothing is
    allocated; the walk is iterative (nesting depth costs a counter, not
    stack).
    =========================================================================
*/
#include "oa_json_scan.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
s_skip_space (const char *at, const char *end)
{
    while (at < end && (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r'))
        at++;
    return at;
}

//  at is on the opening quote.  Returns the byte after the closing quote,
//  or NULL if the string does not end; *escaped tells whether it had any.
static const char *
s_skip_string (const char *at, const char *end, bool *escaped)
{
    assert (at < end && *at == '"');
    at++;
    while (at < end) {
        if (*at == '\\') {
            if (escaped)
                *escaped = true;
            at += 2;
        }
        else
        if (*at == '"')
            return at + 1;
        else
            at++;
    }
    return NULL;
}

//  Skips one value starting at at (not space).  Returns the byte after it
//  or NULL.
static const char *
s_skip_value (const char *at, const char *end)
{
    if (at >= end)
        return NULL;
    if (*at == '"')
        return s_skip_string (at, end, NULL);
    if (*at == '{' || *at == '[') {
        size_t depth = 0;
        while (at < end) {
            char c = *at;
            if (c == '"') {
                at = s_skip_string (at, end, NULL);
                if (!at)
                    return NULL;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else
            if (c == '}' || c == ']') {
                if (--depth == 0)
                    return at + 1;
            }
            at++;
        }
        return NULL;
    }
    //  Number or literal: up to a delimiter
    const char *start = at;
    while (at < end && !strchr (",}] \t\r\n", *at) && *at != 0)
        at++;
    return at > start? at: NULL;
}

int
oa_json_scan_member (const char *data, size_t size, const char *key,
                     const char **value, size_t *value_size)
{
    assert (key);
    assert (value && value_size);
    if (!data)
        return -1;
    const char *at = data, *end = data + size;
    size_t key_len = strlen (key);
    bool found = false;
    at = s_skip_space (at, end);
    if (at >= end || *at != '{')
        return -1;
    at = s_skip_space (at + 1, end);
    if (at < end && *at == '}')
        return 1;
    while (at < end) {
        if (*at != '"')
            return -1;
        bool escaped = false;
        const char *name = at + 1;
        at = s_skip_string (at, end, &escaped);
        if (!at)
            return -1;
        size_t name_len = (size_t) (at - 1 - name);
        at = s_skip_space (at, end);
        if (at >= end || *at != ':')
            return -1;
        at = s_skip_space (at + 1, end);
        const char *start = at;
        at = s_skip_value (at, end);
        if (!at)
            return -1;
        if (!escaped && name_len == key_len && memcmp (name, key, key_len) == 0) {
            //  The last one wins, as in jansson
            *value = start;
            *value_size = (size_t) (at - start);
            found = true;
        }
        at = s_skip_space (at, end);
        if (at >= end)
            return -1;
        if (*at == '}')
            return found? 0: 1;
        if (*at != ',')
            return -1;
        at = s_skip_space (at + 1, end);
    }
    return -1;
}


//  --------------------------------------------------------------------------
//  Self test

static void
s_expect (const char *json, const char *key, int rc, const char *want)
{
    const char *value = NULL;
    size_t size = 0;
    int got = oa_json_scan_member (json, strlen (json), key, &value, &size);
    if (got != rc || (rc == 0 && (size != strlen (want) || memcmp (value, want, size)))) {
        fprintf (stderr, "oa_json_scan: %s [%s]: got %d '%.*s'\n", json, key, got,
                 rc == 0? (int) size: 0, value? value: "");
        assert (false);
    }
}

void
oa_json_scan_test (bool verbose)
{
    (void) verbose;
    printf (" * oa_json_scan: ");
    s_expect ("{\"usage\":{\"prompt_tokens\":3}}", "usage", 0, "{\"prompt_tokens\":3}");
    s_expect (" { \"id\" : \"x\" , \"usage\" : { \"a\" : [1, {\"b\": \"}\"}] } } ", "usage", 0,
              "{ \"a\" : [1, {\"b\": \"}\"}] }");
    //  Keys inside strings and nested objects are not members
    s_expect ("{\"content\":\"\\\"usage\\\":1\",\"x\":{\"usage\":2}}", "usage", 1, NULL);
    s_expect ("{\"choices\":[{\"usage\":1}],\"usage\":null}", "usage", 0, "null");
    //  The last duplicate wins
    s_expect ("{\"usage\":1,\"usage\":22}", "usage", 0, "22");
    //  An escaped key never matches
    s_expect ("{\"us\\u0061ge\":1}", "usage", 1, NULL);
    s_expect ("{}", "usage", 1, NULL);
    s_expect ("{\"a\":-1.5e3,\"usage\":true}", "usage", 0, "true");
    //  Not walkable
    s_expect ("", "usage", -1, NULL);
    s_expect ("[1]", "usage", -1, NULL);
    s_expect ("{\"usage\":{\"a\":1}", "usage", -1, NULL);
    s_expect ("{\"usage\"", "usage", -1, NULL);
    s_expect ("{\"usage\":}", "usage", -1, NULL);
    s_expect ("{\"a\":\"unterminated}", "usage", -1, NULL);
    s_expect ("{\"a\":1 \"usage\":2}", "usage", -1, NULL);
    s_expect ("{\"a\\", "usage", -1, NULL);
    //  Every prefix of a valid document is handled without overreading
    const char *doc = "{\"id\":\"c-1\",\"choices\":[{\"message\":{\"content\":\"hi \\\"there\\\"\"}}],"
                      "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12}}";
    for (size_t len = 0; len < strlen (doc); len++) {
        //  Exactly len bytes, so AddressSanitizer sees any overread
        char *copy = (char *) malloc (len? len: 1);
        assert (copy);
        memcpy (copy, doc, len);
        const char *value;
        size_t size;
        assert (oa_json_scan_member (copy, len, "usage", &value, &size) == -1);
        free (copy);
    }
    printf ("OK\n");
}
