/*  =========================================================================
    mock_util - growable buffers, JSON string escaping, word counts, clock

    Responses are rendered by hand (not with jansson) so field order matches
    the real APIs byte for byte; these are the few primitives that needs.
    =========================================================================
*/
#include "mock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  --------------------------------------------------------------------------
//  Ensures room for extra more bytes; aborts on OOM (a test tool, not a server)

void
oa_mock_buf_reserve (oa_mock_buf_t *self, size_t extra)
{
    if (self->len + extra <= self->cap)
        return;
    size_t cap = self->cap? self->cap: 1024;
    while (cap < self->len + extra)
        cap *= 2;
    char *data = realloc (self->data, cap);
    if (!data) {
        fprintf (stderr, "oa-mock: out of memory\n");
        abort ();
    }
    self->data = data;
    self->cap = cap;
}

//  --------------------------------------------------------------------------
//  Appends raw bytes

void
oa_mock_buf_put (oa_mock_buf_t *self, const void *data, size_t size)
{
    oa_mock_buf_reserve (self, size);
    if (size)
        memcpy (self->data + self->len, data, size);
    self->len += size;
}

//  --------------------------------------------------------------------------
//  Appends a C string

void
oa_mock_buf_puts (oa_mock_buf_t *self, const char *text)
{
    oa_mock_buf_put (self, text, strlen (text));
}

//  --------------------------------------------------------------------------
//  Appends formatted text

void
oa_mock_buf_printf (oa_mock_buf_t *self, const char *format, ...)
{
    va_list args;
    oa_mock_buf_reserve (self, 128);
    va_start (args, format);
    int size = vsnprintf (self->data + self->len, self->cap - self->len, format, args);
    va_end (args);
    if (size < 0)
        return;
    if ((size_t) size >= self->cap - self->len) {
        oa_mock_buf_reserve (self, (size_t) size + 1);
        va_start (args, format);
        vsnprintf (self->data + self->len, self->cap - self->len, format, args);
        va_end (args);
    }
    self->len += (size_t) size;
}

//  --------------------------------------------------------------------------
//  Returns the length of the valid UTF-8 sequence at text, or 0 if invalid;
//  request bodies are echoed into stats JSON, which must stay parseable.

static size_t
s_utf8_len (const unsigned char *text, size_t size)
{
    unsigned char c = text [0];
    size_t need;
    unsigned int min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        min = 0x80;
    }
    else
    if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        min = 0x800;
    }
    else
    if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        min = 0x10000;
    }
    else
        return 0;
    if (size < need)
        return 0;
    unsigned int code = c & (0x3F >> (need - 1));
    for (size_t i = 1; i < need; i++) {
        if ((text [i] & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (text [i] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return need;
}

//  --------------------------------------------------------------------------
//  Appends text as a quoted JSON string

void
oa_mock_buf_str (oa_mock_buf_t *self, const char *text, size_t size)
{
    static const char hex [] = "0123456789abcdef";
    oa_mock_buf_reserve (self, size + 2);
    self->data [self->len++] = '"';
    const unsigned char *p = (const unsigned char *) text;
    size_t i = 0;
    while (i < size) {
        //  Copy the longest run that needs no escaping in one go
        size_t run = i;
        while (run < size && p [run] >= 0x20 && p [run] < 0x80 && p [run] != '"'
               && p [run] != '\\')
            run++;
        if (run > i) {
            oa_mock_buf_put (self, p + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = p [i];
        if (c >= 0x80) {
            size_t n = s_utf8_len (p + i, size - i);
            if (n) {
                oa_mock_buf_put (self, p + i, n);
                i += n;
            }
            else {
                OA_MOCK_PUT (self, "\\ufffd");
                i++;
            }
            continue;
        }
        char esc [6] = { '\\', 0, 0, 0, 0, 0 };
        size_t n = 2;
        switch (c) {
            case '"':  esc [1] = '"'; break;
            case '\\': esc [1] = '\\'; break;
            case '\n': esc [1] = 'n'; break;
            case '\r': esc [1] = 'r'; break;
            case '\t': esc [1] = 't'; break;
            case '\b': esc [1] = 'b'; break;
            case '\f': esc [1] = 'f'; break;
            default:
                esc [1] = 'u';
                esc [2] = '0';
                esc [3] = '0';
                esc [4] = hex [c >> 4];
                esc [5] = hex [c & 15];
                n = 6;
        }
        oa_mock_buf_put (self, esc, n);
        i++;
    }
    oa_mock_buf_reserve (self, 1);
    self->data [self->len++] = '"';
}

//  --------------------------------------------------------------------------
//  Frees the buffer's memory

void
oa_mock_buf_free (oa_mock_buf_t *self)
{
    free (self->data);
    self->data = NULL;
    self->len = self->cap = 0;
}

//  --------------------------------------------------------------------------
//  Counts whitespace-separated words (the unit of the usage rule)

int
oa_mock_words (const char *text, size_t size)
{
    int words = 0;
    bool in_word = false;
    for (size_t i = 0; i < size; i++) {
        char c = text [i];
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (!space && !in_word)
            words++;
        in_word = !space;
    }
    return words;
}

//  --------------------------------------------------------------------------
//  Milliseconds on the monotonic clock

int64_t
oa_mock_now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
