/*  =========================================================================
    gw_body_scan - the relay body's admission fields without a JSON tree

    See gw_body_scan.h.  A recursive descent over the text with one small
    frame per nesting level: each object's members go to a callback that
    knows which keys matter at that place (top level, stream_options, a
    message, a counted value), and every value is parsed by s_value, which
    also gives gw_admit's token estimate of the value when asked to.
    Repeated keys are handled by slots that a later member overwrites, so
    the last value wins as in jansson's object.

    The token estimate is gw_admit_text_tokens of the decoded string: four
    ASCII bytes a token plus one per other character.  Counting ASCII bytes
    and non-ASCII characters while decoding gives the same numbers without
    writing the decoded text anywhere.
    =========================================================================
*/
#include <assert.h>
#include <jansson.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "gw_admit.h"
#include "gw_body_scan.h"

#define S_KEY_MAX 24                //  bytes of a key kept: the longest we look for is 21
#define S_TEXT_DEPTH 8              //  gw_admit's s_value_tokens counts no deeper
#define S_INTEGER_DIGITS 18         //  always within jansson's json_int_t (int64)
#define S_REAL_DIGITS 300           //  integer digits + exponent: below DBL_MAX, never overflows

typedef struct {
    const unsigned char *at;        //  next byte
    const unsigned char *end;       //  end of the body
    int depth;                      //  objects and arrays open
} s_scan_t;

typedef enum { S_OTHER, S_STRING, S_NULL, S_TRUE, S_INTEGER } s_kind_t;

//  What s_value saw.
typedef struct {
    s_kind_t kind;
    int64_t integer;                //  when S_INTEGER
    int64_t tokens;                 //  gw_admit's estimate at the level asked, else 0
} s_value_t;

//  A string being decoded.
typedef struct {
    char *buffer;                   //  decoded bytes go here (cut at size - 1), or NULL
    size_t size;                    //  of buffer
    size_t length;                  //  decoded length, also past size
    int64_t ascii;                  //  decoded ASCII bytes
    int64_t other;                  //  decoded non-ASCII characters
} s_text_t;

//  Called for each member of an object, scan at its value, which it must
//  parse; length > S_KEY_MAX means a key we do not look for.
typedef int (s_member_fn) (s_scan_t *scan, const char *key, size_t length, void *arg);
//  Called for each item of an array, scan at the item.
typedef int (s_item_fn) (s_scan_t *scan, void *arg);

static int s_value (s_scan_t *scan, int level, s_value_t *value);

//  Bytes a string holds as they are: printable ASCII but '"' and '\'.
static const bool s_plain [256] = {
    [0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7f] = true
};

//  --------------------------------------------------------------------------
//  Lexical

//  The end of the run of plain bytes at at: eight at a time while no byte
//  of the word is special (below 0x20, '"', '\\' or above 0x7f), so long
//  texts (base64 images) cost little.
static inline const unsigned char *
s_plain_run (const unsigned char *at, const unsigned char *end)
{
    const uint64_t ones = UINT64_C (0x0101010101010101);
    const uint64_t high = UINT64_C (0x8080808080808080);
    while (end - at >= 8) {
        uint64_t word;
        memcpy (&word, at, 8);
        //  With no high bit set no subtraction borrows unless a byte is
        //  below 0x20, '"' or '\\'; any borrow sets a high bit
        uint64_t quote = word ^ (ones * '"'), backslash = word ^ (ones * '\\');
        if ((word | (word - ones * 0x20) | (quote - ones) | (backslash - ones)) & high)
            break;
        at += 8;
    }
    while (at < end && s_plain [*at])
        at++;
    return at;
}

static inline void
s_ws (s_scan_t *scan)
{
    while (scan->at < scan->end
       && (*scan->at == ' ' || *scan->at == '\n' || *scan->at == '\r' || *scan->at == '\t'))
        scan->at++;
}

static inline bool
s_key_is (const char *key, size_t length, const char *name)
{
    return length == strlen (name) && memcmp (key, name, length) == 0;
}

static inline void
s_put (s_text_t *text, const unsigned char *bytes, size_t size)
{
    if (text->buffer && text->length < text->size - 1) {
        size_t room = text->size - 1 - text->length;
        memcpy (text->buffer + text->length, bytes, size < room? size: room);
    }
    text->length += size;
}

//  Length of the strict UTF-8 sequence at at (no overlongs, surrogates or
//  code points past U+10FFFF, as jansson's utf8_check_full), else 0.
static size_t
s_utf8 (const unsigned char *at, const unsigned char *end)
{
    size_t left = (size_t) (end - at);
    unsigned char c = at [0];
    if (c >= 0xc2 && c <= 0xdf)
        return left >= 2 && (at [1] & 0xc0) == 0x80? 2: 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (left < 3 || (at [1] & 0xc0) != 0x80 || (at [2] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xe0 && at [1] < 0xa0) || (c == 0xed && at [1] > 0x9f))
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (left < 4 || (at [1] & 0xc0) != 0x80 || (at [2] & 0xc0) != 0x80
                     || (at [3] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xf0 && at [1] < 0x90) || (c == 0xf4 && at [1] > 0x8f))
            return 0;
        return 4;
    }
    return 0;
}

//  The four hex digits at at, else -1.
static int32_t
s_hex4 (const unsigned char *at, const unsigned char *end)
{
    if (end - at < 4)
        return -1;
    int32_t value = 0;
    for (int index = 0; index < 4; index++) {
        unsigned char c = at [index];
        int digit = c >= '0' && c <= '9'? c - '0'
                  : c >= 'a' && c <= 'f'? c - 'a' + 10
                  : c >= 'A' && c <= 'F'? c - 'A' + 10: -1;
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

//  The escape at *at_p (its backslash); moves past it.  \u0000 and lone
//  surrogates are jansson errors.
static int
s_escape (const unsigned char **at_p, const unsigned char *end, s_text_t *text)
{
    const unsigned char *at = *at_p;
    if (end - at < 2)
        return -1;
    static const char from [] = "\"\\/bfnrt", to [] = "\"\\/\b\f\n\r\t";
    const char *simple = at [1]? strchr (from, at [1]): NULL;
    if (simple) {
        text->ascii++;
        s_put (text, (const unsigned char *) to + (simple - from), 1);
        *at_p = at + 2;
        return 0;
    }
    if (at [1] != 'u')
        return -1;
    int32_t code = s_hex4 (at + 2, end);
    at += 6;
    if (code <= 0)
        return -1;
    if (code >= 0xd800 && code <= 0xdbff) {
        if (end - at < 2 || at [0] != '\\' || at [1] != 'u')
            return -1;
        int32_t low = s_hex4 (at + 2, end);
        if (low < 0xdc00 || low > 0xdfff)
            return -1;
        at += 6;
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    }
    else
    if (code >= 0xdc00 && code <= 0xdfff)
        return -1;
    unsigned char bytes [4];
    size_t size;
    if (code < 0x80) {
        bytes [0] = (unsigned char) code;
        size = 1;
        text->ascii++;
    }
    else {
        if (code < 0x800) {
            bytes [0] = (unsigned char) (0xc0 | (code >> 6));
            size = 2;
        }
        else
        if (code < 0x10000) {
            bytes [0] = (unsigned char) (0xe0 | (code >> 12));
            bytes [1] = (unsigned char) (0x80 | ((code >> 6) & 0x3f));
            size = 3;
        }
        else {
            bytes [0] = (unsigned char) (0xf0 | (code >> 18));
            bytes [1] = (unsigned char) (0x80 | ((code >> 12) & 0x3f));
            bytes [2] = (unsigned char) (0x80 | ((code >> 6) & 0x3f));
            size = 4;
        }
        bytes [size - 1] = (unsigned char) (0x80 | (code & 0x3f));
        text->other++;
    }
    s_put (text, bytes, size);
    *at_p = at;
    return 0;
}

//  The string at scan (its opening quote), decoded into text.
static int
s_string (s_scan_t *scan, s_text_t *text)
{
    const unsigned char *at = scan->at + 1, *end = scan->end;
    while (true) {
        const unsigned char *run = at;
        at = s_plain_run (at, end);
        if (at > run) {
            text->ascii += at - run;
            s_put (text, run, (size_t) (at - run));
        }
        if (at == end)
            return -1;
        if (*at == '"')
            break;
        if (*at == '\\') {
            if (s_escape (&at, end, text))
                return -1;
        }
        else
        if (*at < 0x20)
            return -1;                  //  raw control characters and NULs
        else {
            size_t size = s_utf8 (at, end);
            if (!size)
                return -1;
            text->other++;
            s_put (text, at, size);
            at += size;
        }
    }
    if (text->buffer)
        text->buffer [text->length < text->size? text->length: text->size - 1] = 0;
    scan->at = at + 1;
    return 0;
}

static inline bool
s_digit (const unsigned char *at, const unsigned char *end)
{
    return at < end && *at >= '0' && *at <= '9';
}

//  A number as jansson lexes it: an integer when it has no fraction and no
//  exponent.  Long integers (strtoll may overflow) and reals that might
//  overflow strtod are left to jansson.
static int
s_number (s_scan_t *scan, s_value_t *value)
{
    const unsigned char *at = scan->at, *end = scan->end;
    bool negative = at < end && *at == '-';
    if (negative)
        at++;
    const unsigned char *digits = at;
    if (!s_digit (at, end))
        return -1;
    if (*at == '0')
        at++;                           //  a digit after it is a syntax error later
    else
        while (s_digit (at, end))
            at++;
    size_t integer_digits = (size_t) (at - digits);
    bool real = false;
    if (at < end && *at == '.') {
        at++;
        if (!s_digit (at, end))
            return -1;
        while (s_digit (at, end))
            at++;
        real = true;
    }
    int64_t exponent = 0;
    if (at < end && (*at == 'e' || *at == 'E')) {
        at++;
        bool below = at < end && *at == '-';
        if (at < end && (*at == '-' || *at == '+'))
            at++;
        if (!s_digit (at, end))
            return -1;
        while (s_digit (at, end)) {
            if (exponent < 100000)
                exponent = exponent * 10 + (*at - '0');
            at++;
        }
        if (below)
            exponent = 0;               //  underflow is no error in jansson
        real = true;
    }
    if (real) {
        if ((int64_t) integer_digits + exponent > S_REAL_DIGITS)
            return -1;
        value->kind = S_OTHER;
    }
    else {
        if (integer_digits > S_INTEGER_DIGITS)
            return -1;
        int64_t integer = 0;
        for (const unsigned char *digit = digits; digit < at; digit++)
            integer = integer * 10 + (*digit - '0');
        value->kind = S_INTEGER;
        value->integer = negative? -integer: integer;
    }
    scan->at = at;
    return 0;
}

static int
s_literal (s_scan_t *scan, const char *word, size_t size)
{
    if ((size_t) (scan->end - scan->at) < size || memcmp (scan->at, word, size))
        return -1;
    scan->at += size;
    return 0;
}

//  --------------------------------------------------------------------------
//  Containers

//  The object at scan; each member's value goes to member, or is skipped
//  when member is NULL.
static int
s_object (s_scan_t *scan, s_member_fn *member, void *arg)
{
    if (++scan->depth > GW_BODY_SCAN_DEPTH)
        return -1;
    scan->at++;
    s_ws (scan);
    if (scan->at < scan->end && *scan->at == '}') {
        scan->at++;
        scan->depth--;
        return 0;
    }
    while (true) {
        if (scan->at == scan->end || *scan->at != '"')
            return -1;
        char key [S_KEY_MAX + 1];
        s_text_t text = { member? key: NULL, sizeof key, 0, 0, 0 };
        if (s_string (scan, &text))
            return -1;
        s_ws (scan);
        if (scan->at == scan->end || *scan->at != ':')
            return -1;
        scan->at++;
        s_ws (scan);
        if (scan->at == scan->end)
            return -1;                  //  callbacks may look at the value's first byte
        if (member) {
            if (member (scan, key, text.length, arg))
                return -1;
        }
        else {
            s_value_t value;
            if (s_value (scan, -1, &value))
                return -1;
        }
        s_ws (scan);
        if (scan->at == scan->end)
            return -1;
        if (*scan->at == '}')
            break;
        if (*scan->at != ',')
            return -1;
        scan->at++;
        s_ws (scan);
    }
    scan->at++;
    scan->depth--;
    return 0;
}

//  The array at scan; each item goes to item, or is skipped when NULL.
static int
s_array (s_scan_t *scan, s_item_fn *item, void *arg)
{
    if (++scan->depth > GW_BODY_SCAN_DEPTH)
        return -1;
    scan->at++;
    s_ws (scan);
    if (scan->at < scan->end && *scan->at == ']') {
        scan->at++;
        scan->depth--;
        return 0;
    }
    while (true) {
        if (scan->at == scan->end)
            return -1;
        if (item) {
            if (item (scan, arg))
                return -1;
        }
        else {
            s_value_t value;
            if (s_value (scan, -1, &value))
                return -1;
        }
        s_ws (scan);
        if (scan->at == scan->end)
            return -1;
        if (*scan->at == ']')
            break;
        if (*scan->at != ',')
            return -1;
        scan->at++;
        s_ws (scan);
    }
    scan->at++;
    scan->depth--;
    return 0;
}

//  --------------------------------------------------------------------------
//  Values, and gw_admit's s_value_tokens on them

//  An object or array whose text counts: its level and running sums.
typedef struct {
    int level;
    int64_t sum;                    //  array: the items' tokens
    int64_t slots [4];              //  object: "text", "content", "input", "parts"
} s_counted_t;

static int
s_counted_item (s_scan_t *scan, void *arg)
{
    s_counted_t *counted = (s_counted_t *) arg;
    s_value_t value;
    if (s_value (scan, counted->level + 1, &value))
        return -1;
    counted->sum += value.tokens;
    return 0;
}

static int
s_counted_member (s_scan_t *scan, const char *key, size_t length, void *arg)
{
    s_counted_t *counted = (s_counted_t *) arg;
    static const char *names [] = { "text", "content", "input", "parts" };
    for (int index = 0; index < 4; index++)
        if (s_key_is (key, length, names [index])) {
            s_value_t value;
            if (s_value (scan, counted->level + 1, &value))
                return -1;
            counted->slots [index] = value.tokens;     //  the last one wins
            return 0;
        }
    s_value_t value;
    return s_value (scan, -1, &value);
}

//  Parses the value at scan; with level in 0..S_TEXT_DEPTH also gives the
//  tokens gw_admit's s_value_tokens (value, level) counts, else 0.
static int
s_value (s_scan_t *scan, int level, s_value_t *value)
{
    value->kind = S_OTHER;
    value->tokens = 0;
    bool counts = level >= 0 && level <= S_TEXT_DEPTH;
    if (scan->at == scan->end)
        return -1;
    switch (*scan->at) {
        case '"': {
            s_text_t text = { NULL, 0, 0, 0, 0 };
            if (s_string (scan, &text))
                return -1;
            value->kind = S_STRING;
            if (counts)
                value->tokens = (text.ascii + 3) / 4 + text.other;
            return 0;
        }
        case '{': {
            if (!counts)
                return s_object (scan, NULL, NULL);
            s_counted_t counted = { level, 0, { 0, 0, 0, 0 } };
            if (s_object (scan, s_counted_member, &counted))
                return -1;
            value->tokens = counted.slots [0] + counted.slots [1]
                          + counted.slots [2] + counted.slots [3];
            return 0;
        }
        case '[': {
            if (!counts)
                return s_array (scan, NULL, NULL);
            s_counted_t counted = { level, 0, { 0, 0, 0, 0 } };
            if (s_array (scan, s_counted_item, &counted))
                return -1;
            value->tokens = counted.sum;
            return 0;
        }
        case 't':
            value->kind = S_TRUE;
            return s_literal (scan, "true", 4);
        case 'f':
            return s_literal (scan, "false", 5);
        case 'n':
            value->kind = S_NULL;
            return s_literal (scan, "null", 4);
        default:
            return s_number (scan, value);
    }
}

//  --------------------------------------------------------------------------
//  The places that matter: top level, stream_options, messages

//  What the top level gave so far; repeated keys overwrite.
typedef struct {
    char *model;                    //  caller's buffer
    size_t model_size;
    s_kind_t model_kind;            //  S_NULL when absent
    bool stream;
    bool include_usage;
    int64_t messages;               //  tokens of "messages"
    int64_t texts [4];              //  "system", "instructions", "prompt", "input"
    int64_t maxima [3];             //  max_completion_tokens, max_tokens, max_output_tokens
} s_top_t;

//  One message: its "content" tokens and whether "name" is a string.
typedef struct {
    int64_t content;
    bool named;
} s_message_t;

//  All messages: their tokens and how many.
typedef struct {
    int64_t sum;
    size_t count;
} s_messages_t;

static int
s_options_member (s_scan_t *scan, const char *key, size_t length, void *arg)
{
    s_value_t value;
    if (s_value (scan, -1, &value))
        return -1;
    if (s_key_is (key, length, "include_usage"))
        *(bool *) arg = value.kind == S_TRUE;
    return 0;
}

static int
s_message_member (s_scan_t *scan, const char *key, size_t length, void *arg)
{
    s_message_t *message = (s_message_t *) arg;
    s_value_t value;
    bool content = s_key_is (key, length, "content");
    if (s_value (scan, content? 0: -1, &value))
        return -1;
    if (content)
        message->content = value.tokens;
    else
    if (s_key_is (key, length, "name"))
        message->named = value.kind == S_STRING;
    return 0;
}

//  one-api's CountTokenMessages: 3 per message (plus its content and 1 for
//  a name); what is not an object counts 3 alone.
static int
s_message_item (s_scan_t *scan, void *arg)
{
    s_messages_t *messages = (s_messages_t *) arg;
    s_message_t message = { 0, false };
    if (*scan->at == '{') {
        if (s_object (scan, s_message_member, &message))
            return -1;
    }
    else {
        s_value_t value;
        if (s_value (scan, -1, &value))
            return -1;
    }
    messages->sum += 3 + message.content + (message.named? 1: 0);
    messages->count++;
    return 0;
}

static int
s_top_member (s_scan_t *scan, const char *key, size_t length, void *arg)
{
    s_top_t *top = (s_top_t *) arg;
    s_value_t value;
    if (s_key_is (key, length, "model")) {
        if (*scan->at == '"') {
            s_text_t text = { top->model, top->model_size, 0, 0, 0 };
            top->model_kind = S_STRING;
            return s_string (scan, &text);
        }
        if (s_value (scan, -1, &value))
            return -1;
        top->model_kind = value.kind == S_NULL? S_NULL: S_OTHER;
        *top->model = 0;
        return 0;
    }
    if (s_key_is (key, length, "stream_options")) {
        top->include_usage = false;
        if (*scan->at == '{')
            return s_object (scan, s_options_member, &top->include_usage);
        return s_value (scan, -1, &value);
    }
    if (s_key_is (key, length, "messages")) {
        top->messages = 0;
        if (*scan->at != '[')
            return s_value (scan, -1, &value);
        s_messages_t messages = { 0, 0 };
        if (s_array (scan, s_message_item, &messages))
            return -1;
        //  3 to prime the reply, when there are messages
        top->messages = messages.count? messages.sum + 3: 0;
        return 0;
    }
    static const char *texts [] = { "system", "instructions", "prompt", "input" };
    for (int index = 0; index < 4; index++)
        if (s_key_is (key, length, texts [index])) {
            if (s_value (scan, 0, &value))
                return -1;
            top->texts [index] = value.tokens;
            return 0;
        }
    if (s_value (scan, -1, &value))
        return -1;
    static const char *maxima [] = { "max_completion_tokens", "max_tokens", "max_output_tokens" };
    for (int index = 0; index < 3; index++)
        if (s_key_is (key, length, maxima [index])) {
            //  gw_admit's s_positive: positive integers, clamped
            int64_t tokens = value.kind == S_INTEGER && value.integer > 0? value.integer: 0;
            top->maxima [index] = tokens > GW_ADMIT_TOKENS_MAX? GW_ADMIT_TOKENS_MAX: tokens;
        }
    if (s_key_is (key, length, "stream"))
        top->stream = value.kind == S_TRUE;
    return 0;
}

//  --------------------------------------------------------------------------

int
gw_body_scan (const char *data, size_t size, char *model, size_t model_size,
              gw_body_fields_t *fields)
{
    assert (model && model_size > 0 && fields);
    *model = 0;
    if (!data || !size)
        return -1;
    s_scan_t scan = { (const unsigned char *) data, (const unsigned char *) data + size, 0 };
    s_top_t top = { model, model_size, S_NULL, false, false, 0, { 0 }, { 0 } };
    s_ws (&scan);
    if (scan.at == scan.end || *scan.at != '{')
        return -1;
    if (s_object (&scan, s_top_member, &top))
        return -1;
    s_ws (&scan);
    if (scan.at != scan.end || top.model_kind == S_OTHER)
        return -1;
    memset (fields, 0, sizeof *fields);
    fields->stream = top.stream;
    fields->include_usage = top.include_usage;
    int64_t tokens = top.messages + top.texts [0] + top.texts [1] + top.texts [2] + top.texts [3];
    fields->prompt_tokens = tokens > GW_ADMIT_TOKENS_MAX? GW_ADMIT_TOKENS_MAX: tokens;
    //  one-api prefers max_completion_tokens, then max_tokens
    fields->max_tokens = top.maxima [0]? top.maxima [0]
                       : top.maxima [1]? top.maxima [1]: top.maxima [2];
    return 0;
}

int
gw_body_scan_tree (json_t *json, char *model, size_t model_size, gw_body_fields_t *fields)
{
    assert (model && model_size > 0 && fields);
    *model = 0;
    memset (fields, 0, sizeof *fields);
    if (!json_is_object (json))
        return -1;
    json_t *value = json_object_get (json, "model");
    if (json_is_string (value))
        snprintf (model, model_size, "%s", json_string_value (value));
    else
    if (value && !json_is_null (value))
        return -1;
    fields->stream = json_is_true (json_object_get (json, "stream"));
    json_t *options = json_object_get (json, "stream_options");
    fields->include_usage = json_is_true (json_object_get (options, "include_usage"));
    gw_admit_body_t admit;
    gw_admit_scan (json, &admit);
    fields->prompt_tokens = admit.prompt_tokens;
    fields->max_tokens = admit.max_tokens;
    return 0;
}
