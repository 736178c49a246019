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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

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
//  Checked walks: jansson's grammar (load.c), byte for byte
//
//  Where jansson fails, the walk fails; where the walk cannot be sure it
//  would not (overflowing numbers, depth), it fails too.  Raw NUL bytes
//  always fail: jansson's reader drops a NUL it has to put back (after a
//  number), which the walk does not imitate.

#define S_MAX_DEPTH 64

//  A UTF-8 sequence at p (first byte >= 0x80), checked as jansson's
//  utf8_check_first / utf8_check_full do: no overlong forms, no surrogates,
//  nothing past U+10FFFF.  Returns its length, or 0.
static size_t
s_utf8 (const unsigned char *p, const unsigned char *end)
{
    unsigned char u = p [0];
    size_t count;
    uint32_t value;
    if (u >= 0xC2 && u <= 0xDF) {
        count = 2;
        value = u & 0x1F;
    }
    else
    if (u >= 0xE0 && u <= 0xEF) {
        count = 3;
        value = u & 0x0F;
    }
    else
    if (u >= 0xF0 && u <= 0xF4) {
        count = 4;
        value = u & 0x07;
    }
    else
        return 0;
    if ((size_t) (end - p) < count)
        return 0;
    for (size_t i = 1; i < count; i++) {
        if (p [i] < 0x80 || p [i] > 0xBF)
            return 0;
        value = (value << 6) | (p [i] & 0x3F);
    }
    if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)
    ||  (count == 3 && value < 0x800) || (count == 4 && value < 0x10000))
        return 0;
    return count;
}

//  Four hex digits at p; -1 if fewer.
static long
s_hex4 (const unsigned char *p, const unsigned char *end)
{
    if (end - p < 4)
        return -1;
    long value = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p [i];
        value <<= 4;
        if (c >= '0' && c <= '9')
            value += c - '0';
        else
        if (c >= 'a' && c <= 'f')
            value += c - 'a' + 10;
        else
        if (c >= 'A' && c <= 'F')
            value += c - 'A' + 10;
        else
            return -1;
    }
    return value;
}

//  at is on the opening quote.  Checks the string as jansson's lexer and
//  parser do and adds its decoded length to *length.  Returns the byte
//  after the closing quote, or NULL.
static const char *
s_check_string (const char *at, const char *end, size_t *length)
{
    const unsigned char *p = (const unsigned char *) at + 1;
    const unsigned char *stop = (const unsigned char *) end;
    size_t decoded = 0;
    while (p < stop) {
        //  The common run: printable ASCII, one byte each
        const unsigned char *run = p;
        while (p < stop && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        decoded += (size_t) (p - run);
        if (p >= stop)
            break;
        unsigned char c = *p;
        if (c == '"') {
            *length += decoded;
            return (const char *) p + 1;
        }
        else
        if (c == '\\') {
            if (stop - p < 2)
                return NULL;
            switch (p [1]) {
                case '"': case '\\': case '/':
                case 'b': case 'f': case 'n': case 'r': case 't':
                    decoded++;
                    p += 2;
                    break;
                case 'u': {
                    long value = s_hex4 (p + 2, stop);
                    p += 6;
                    //  \u0000 needs JSON_ALLOW_NUL; a low surrogate must
                    //  follow a high one
                    if (value <= 0 || (value >= 0xDC00 && value <= 0xDFFF))
                        return NULL;
                    if (value >= 0xD800 && value <= 0xDBFF) {
                        if (stop - p < 6 || p [0] != '\\' || p [1] != 'u')
                            return NULL;
                        long low = s_hex4 (p + 2, stop);
                        if (low < 0xDC00 || low > 0xDFFF)
                            return NULL;
                        p += 6;
                        decoded += 4;
                    }
                    else
                        decoded += value < 0x80? 1: value < 0x800? 2: 3;
                    break;
                }
                default:
                    return NULL;
            }
        }
        else
        if (c < 0x20)
            return NULL;        //  control bytes, NUL among them
        else {
            size_t count = s_utf8 (p, stop);
            if (!count)
                return NULL;
            decoded += count;
            p += count;
        }
    }
    return NULL;
}

//  at is on '-' or a digit.  Returns the byte after the number, or NULL if
//  it is malformed or might overflow jansson's json_int_t or double.
static const char *
s_check_number (const char *at, const char *end)
{
    const char *p = at;
    if (*p == '-')
        p++;
    const char *digits = p;
    if (p < end && *p == '0')
        p++;
    else
    if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    size_t whole = (size_t) (p - digits);
    bool real = false;
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        real = true;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        const char *exponent = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        //  Two exponent digits and 200 whole digits stay under DBL_MAX
        if (p == exponent || p - exponent > 2)
            return NULL;
        real = true;
    }
    //  18 digits always fit an int64 (strtoll's ERANGE is an error)
    if (real? whole > 200: whole > 18)
        return NULL;
    return p;
}

//  at is on a letter: true, false or null.  jansson reads the whole run of
//  letters; a following letter then fails where the walk expects a
//  delimiter, the same outcome.
static const char *
s_check_literal (const char *at, const char *end)
{
    static const char *names [] = { "true", "false", "null" };
    for (size_t i = 0; i < 3; i++) {
        size_t len = strlen (names [i]);
        if ((size_t) (end - at) >= len && memcmp (at, names [i], len) == 0)
            return at + len;
    }
    return NULL;
}

//  at is where an object member starts: checks the key and the colon.
//  Returns where the value starts, or NULL.
static const char *
s_check_key (const char *at, const char *end)
{
    size_t ignored = 0;
    if (at >= end || *at != '"')
        return NULL;
    at = s_check_string (at, end, &ignored);
    if (!at)
        return NULL;
    at = s_skip_space (at, end);
    if (at >= end || *at != ':')
        return NULL;
    return s_skip_space (at + 1, end);
}

//  Checks one value at at (not space).  Returns the byte after it, or NULL.
//  Iterative: a bit per level says whether it is an object.
static const char *
s_check_value (const char *at, const char *end)
{
    uint64_t objects = 0;
    int depth = 0;
    size_t ignored = 0;
    while (true) {
        if (at >= end)
            return NULL;
        char c = *at;
        if (c == '{' || c == '[') {
            if (depth == S_MAX_DEPTH)
                return NULL;
            objects = (objects << 1) | (c == '{');
            depth++;
            at = s_skip_space (at + 1, end);
            if (at < end && *at == (c == '{'? '}': ']')) {
                at++;
                objects >>= 1;
                depth--;
            }
            else {
                if (c == '{' && !(at = s_check_key (at, end)))
                    return NULL;
                continue;
            }
        }
        else
        if (c == '"')
            at = s_check_string (at, end, &ignored);
        else
        if (c == '-' || (c >= '0' && c <= '9'))
            at = s_check_number (at, end);
        else
            at = s_check_literal (at, end);
        if (!at)
            return NULL;
        //  After a value: close containers, or go on to the next member
        while (depth > 0) {
            at = s_skip_space (at, end);
            if (at >= end)
                return NULL;
            bool object = objects & 1;
            if (*at == ',') {
                at = s_skip_space (at + 1, end);
                if (object && !(at = s_check_key (at, end)))
                    return NULL;
                break;
            }
            if (*at != (object? '}': ']'))
                return NULL;
            at++;
            objects >>= 1;
            depth--;
        }
        if (depth == 0)
            return at;
    }
}

int
oa_json_iter_init (oa_json_iter_t *self, const char *data, size_t size, bool checked)
{
    assert (self);
    memset (self, 0, sizeof *self);
    if (!data)
        return -1;
    self->end = data + size;
    self->at = s_skip_space (data, self->end);
    self->checked = checked;
    if (self->at >= self->end || (*self->at != '{' && *self->at != '['))
        return -1;
    self->close = *self->at == '{'? '}': ']';
    self->at++;
    return 0;
}

int
oa_json_iter_next (oa_json_iter_t *self, oa_json_span_t *key, oa_json_span_t *value)
{
    assert (self);
    assert (value);
    if (!self->close)
        return -1;              //  ended, or failed before
    const char *at = s_skip_space (self->at, self->end), *end = self->end;
    char close = self->close;
    self->close = 0;            //  until this member proves good
    if (at >= end)
        return -1;
    if (*at == close)           //  only whitespace may follow: jansson's EOF check
        return s_skip_space (at + 1, end) == end? 0: -1;
    if (self->started) {
        if (*at != ',')
            return -1;
        at = s_skip_space (at + 1, end);
    }
    if (close == '}') {
        if (at >= end || *at != '"')
            return -1;
        const char *name = at + 1;
        size_t ignored = 0;
        at = self->checked? s_skip_string (at, end, NULL): s_check_string (at, end, &ignored);
        if (!at)
            return -1;
        if (key) {
            key->data = name;
            key->size = (size_t) (at - 1 - name);
        }
        at = s_skip_space (at, end);
        if (at >= end || *at != ':')
            return -1;
        at = s_skip_space (at + 1, end);
    }
    const char *start = at;
    at = self->checked? s_skip_value (at, end): s_check_value (at, end);
    if (!at)
        return -1;
    value->data = start;
    value->size = (size_t) (at - start);
    self->at = at;
    self->started = true;
    self->close = close;
    return 1;
}

bool
oa_json_scan_valid (const char *data, size_t size)
{
    //  The walk of the top level, so both keep the same depth limit
    oa_json_iter_t iter;
    oa_json_span_t key, value;
    if (oa_json_iter_init (&iter, data, size, false))
        return false;
    int rc;
    while ((rc = oa_json_iter_next (&iter, &key, &value)) == 1)
        ;
    return rc == 0;
}

int
oa_json_scan_string (const char *data, size_t size, size_t *length)
{
    assert (length);
    size_t decoded = 0;
    if (!data || size < 2 || *data != '"'
    ||  s_check_string (data, data + size, &decoded) != data + size)
        return -1;
    *length = decoded;
    return 0;
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

//  The checked walk against jansson: valid says what the walk must answer;
//  jansson must agree, except where the walk is unsure (sure false).
static void
s_expect_valid (const char *json, size_t size, bool valid, bool sure)
{
    bool got = oa_json_scan_valid (json, size);
    json_t *doc = json_loadb (json, size, 0, NULL);
    if (got != valid || (sure && (doc != NULL) != valid) || (got && !doc)) {
        fprintf (stderr, "oa_json_scan_valid: '%.*s': got %d, jansson %d\n",
                 (int) size, json, got, doc != NULL);
        assert (false);
    }
    json_decref (doc);
    //  A walk of its members agrees with the whole check
    oa_json_iter_t iter;
    oa_json_span_t key, value;
    int rc = -1;
    if (oa_json_iter_init (&iter, json, size, false) == 0)
        while ((rc = oa_json_iter_next (&iter, &key, &value)) == 1)
            ;
    assert ((rc == 0) == valid);
}

#define S_VALID(json, valid, sure) s_expect_valid (json, sizeof json - 1, valid, sure)

static void
s_expect_string (const char *json, size_t size, int rc, size_t want)
{
    size_t length = 12345;
    int got = oa_json_scan_string (json, size, &length);
    json_t *doc = NULL;
    //  jansson's length of the same string, wrapped in an array
    char *wrapped = (char *) malloc (size + 2);
    assert (wrapped);
    wrapped [0] = '[';
    memcpy (wrapped + 1, json, size);
    wrapped [size + 1] = ']';
    doc = json_loadb (wrapped, size + 2, 0, NULL);
    free (wrapped);
    if (got != rc || (rc == 0 && length != want)
    ||  (rc == 0) != (json_is_string (json_array_get (doc, 0)))
    ||  (rc == 0 && json_string_length (json_array_get (doc, 0)) != want)) {
        fprintf (stderr, "oa_json_scan_string: '%.*s': got %d %zu\n", (int) size, json, got, length);
        assert (false);
    }
    json_decref (doc);
}

#define S_STRING(json, rc, want) s_expect_string (json, sizeof json - 1, rc, want)

static void
s_walk_test (void)
{
    S_STRING ("\"abc\"", 0, 3);
    S_STRING ("\"\"", 0, 0);
    S_STRING ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, 8);
    S_STRING ("\"\\u0041\\u00e9\\u20AC\"", 0, 6);
    S_STRING ("\"\\ud83d\\ude00!\"", 0, 5);
    S_STRING ("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 0, 14);
    S_STRING ("\"del \x7f\"", 0, 5);
    S_STRING ("\"\\u0000\"", -1, 0);            //  needs JSON_ALLOW_NUL
    S_STRING ("\"\\ud83d\"", -1, 0);            //  lone high surrogate
    S_STRING ("\"\\ud83dx\"", -1, 0);
    S_STRING ("\"\\ude00\"", -1, 0);            //  lone low surrogate
    S_STRING ("\"\\ud83d\\u0041\"", -1, 0);
    S_STRING ("\"\\ud83d\\n\"", -1, 0);
    S_STRING ("\"\\x\"", -1, 0);
    S_STRING ("\"\\u12\"", -1, 0);
    S_STRING ("\"\\u12g4\"", -1, 0);
    S_STRING ("\"tab\there\"", -1, 0);          //  raw control byte
    S_STRING ("\"a\0b\"", -1, 0);
    S_STRING ("\"\xc0\x80\"", -1, 0);           //  overlong
    S_STRING ("\"\xe0\x80\x80\"", -1, 0);
    S_STRING ("\"\xed\xa0\x80\"", -1, 0);       //  UTF-8 surrogate
    S_STRING ("\"\xf4\x90\x80\x80\"", -1, 0);   //  over U+10FFFF
    S_STRING ("\"\xe2\x82\"", -1, 0);           //  cut sequence
    S_STRING ("\"\x80\"", -1, 0);
    S_STRING ("\"\xff\"", -1, 0);
    S_STRING ("\"abc", -1, 0);
    S_STRING ("\"a\"b", -1, 0);
    S_STRING ("\"a\\\"", -1, 0);
    S_STRING ("abc", -1, 0);

    S_VALID ("{}", true, true);
    S_VALID (" \t\r\n[ ] \n", true, true);
    S_VALID ("{\"a\":[1,-0,0.5,-1.25e+10,2E-3,true,false,null,\"x\",{},[]]}", true, true);
    S_VALID ("{\"a\":1,\"a\":{\"b\":[[[]]]}}", true, true);
    S_VALID ("{\"\\u00e9\":\"\\ud83d\\ude00\"}", true, true);
    S_VALID ("{\"n\":123456789012345678}", true, true);
    S_VALID ("", false, true);
    S_VALID ("1", false, true);                 //  flags 0: an object or array
    S_VALID ("\"x\"", false, true);
    S_VALID ("null", false, true);
    S_VALID ("{} x", false, true);
    S_VALID ("{}{}", false, true);
    S_VALID ("{\"a\":1,}", false, true);
    S_VALID ("[1,]", false, true);
    S_VALID ("[,1]", false, true);
    S_VALID ("{,}", false, true);
    S_VALID ("{\"a\" 1}", false, true);
    S_VALID ("{\"a\":1 \"b\":2}", false, true);
    S_VALID ("{\"a\":01}", false, true);
    S_VALID ("{\"a\":1.}", false, true);
    S_VALID ("{\"a\":.5}", false, true);
    S_VALID ("{\"a\":1e}", false, true);
    S_VALID ("{\"a\":+1}", false, true);
    S_VALID ("{\"a\":-}", false, true);
    S_VALID ("{\"a\":tru}", false, true);
    S_VALID ("{\"a\":truex}", false, true);
    S_VALID ("{\"a\":nul}", false, true);
    S_VALID ("{\"a\":[1}", false, true);
    S_VALID ("{\"a\":{]}", false, true);
    S_VALID ("{1:2}", false, true);
    S_VALID ("{\"\\u0000\":1}", false, true);
    S_VALID ("{\"a\":\"\xc3\"}", false, true);
    S_VALID ("\xef\xbb\xbf{}", false, true);    //  no byte order mark
    S_VALID ("{}\0", false, true);
    //  Unsure: jansson may accept, the walk says no
    S_VALID ("{\"a\":1\0}", false, false);      //  jansson drops this NUL
    S_VALID ("{\"n\":1234567890123456789}", false, false);
    S_VALID ("{\"n\":99999999999999999999}", false, true);
    S_VALID ("{\"n\":1e400}", false, true);
    S_VALID ("{\"n\":1e99}", true, true);
    S_VALID ("{\"n\":1e100}", false, false);
    S_VALID ("{\"n\":1.5e-300}", false, false);
    //  Depth: 65 levels (the top one and 64 below) pass, 66 are in doubt
    char deep [200];
    size_t at = 0;
    for (int i = 0; i < 66; i++)
        deep [at++] = '[';
    for (int i = 0; i < 66; i++)
        deep [at++] = ']';
    s_expect_valid (deep, at, false, false);
    s_expect_valid (deep + 1, at - 2, true, true);

    //  Members, keys and spans; a checked walk of a member's value
    const char *doc = " {\"a\" : 1 , \"b\":[ 2,{\"c\":\"]\"} ],\"k\\\"\":null,\"a\":\"x\"} ";
    oa_json_iter_t iter;
    oa_json_span_t key, value;
    assert (oa_json_iter_init (&iter, doc, strlen (doc), false) == 0);
    const char *keys [] = { "a", "b", "k\\\"", "a" };
    const char *values [] = { "1", "[ 2,{\"c\":\"]\"} ]", "null", "\"x\"" };
    for (size_t i = 0; i < 4; i++) {
        assert (oa_json_iter_next (&iter, &key, &value) == 1);
        assert (key.size == strlen (keys [i]) && memcmp (key.data, keys [i], key.size) == 0);
        assert (value.size == strlen (values [i]) && memcmp (value.data, values [i], value.size) == 0);
        if (i == 1) {
            oa_json_iter_t items;
            assert (oa_json_iter_init (&items, value.data, value.size, true) == 0);
            assert (oa_json_iter_next (&items, NULL, &value) == 1);
            assert (value.size == 1 && *value.data == '2');
            assert (oa_json_iter_next (&items, NULL, &value) == 1);
            assert (value.size == 9);
            assert (oa_json_iter_next (&items, NULL, &value) == 0);
            assert (oa_json_iter_next (&items, NULL, &value) == -1);
        }
    }
    assert (oa_json_iter_next (&iter, &key, &value) == 0);
    assert (oa_json_iter_init (&iter, "  x", 3, false) == -1);
    assert (oa_json_iter_init (&iter, "", 0, false) == -1);
    //  A bad member fails the walk, and it stays failed
    const char *bad = "{\"a\":1,\"b\":x,\"c\":2}";
    assert (oa_json_iter_init (&iter, bad, strlen (bad), false) == 0);
    assert (oa_json_iter_next (&iter, &key, &value) == 1);
    assert (oa_json_iter_next (&iter, &key, &value) == -1);
    assert (oa_json_iter_next (&iter, &key, &value) == -1);

    //  Every prefix of a valid document is refused without overreading
    const char *chunk = "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"h\\u00e9 \\ud83d\\ude00\","
                        "\"x\":[1.5e3,-2,true,null]}}],\"usage\":null}";
    assert (oa_json_scan_valid (chunk, strlen (chunk)));
    for (size_t len = 0; len < strlen (chunk); len++) {
        char *copy = (char *) malloc (len? len: 1);
        assert (copy);
        memcpy (copy, chunk, len);
        assert (!oa_json_scan_valid (copy, len));
        int rc = -1;
        if (oa_json_iter_init (&iter, copy, len, false) == 0)
            while ((rc = oa_json_iter_next (&iter, &key, &value)) == 1)
                ;
        assert (rc == -1);
        size_t length;
        if (len > 0)
            oa_json_scan_string (copy + len - 1, 1, &length);
        free (copy);
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
    s_walk_test ();
    printf ("OK\n");
}
