/*  =========================================================================
    oa_billing_text - text encodings of a batch's parameters (oa_billing_sql)

    The JSON array parameters, the rows of COPY's text format and the
    elements of text[] literals.  Every string is made valid UTF-8 first
    (invalid bytes become U+FFFD), since PostgreSQL refuses invalid text
    and SQLite would keep it and hand it to JSON clients later.
    =========================================================================
*/
#include "oa_billing_private.h"


//  --------------------------------------------------------------------------
//  JSON text buffer

void
oa_billing_buf_reserve (oa_billing_buf_t *self, size_t more)
{
    if (self->size + more + 1 <= self->capacity)
        return;
    size_t capacity = self->capacity? self->capacity: 4096;
    while (capacity < self->size + more + 1)
        capacity *= 2;
    self->data = (char *) realloc (self->data, capacity);
    assert (self->data);
    self->capacity = capacity;
}

void
oa_billing_buf_reset (oa_billing_buf_t *self)
{
    oa_billing_buf_reserve (self, 0);
    self->size = 0;
    self->data [0] = 0;
}

void
oa_billing_buf_free (oa_billing_buf_t *self)
{
    free (self->data);
    self->data = NULL;
    self->size = self->capacity = 0;
}

void
oa_billing_buf_bytes (oa_billing_buf_t *self, const char *bytes, size_t len)
{
    oa_billing_buf_reserve (self, len);
    memcpy (self->data + self->size, bytes, len);
    self->size += len;
    self->data [self->size] = 0;
}

void
oa_billing_buf_raw (oa_billing_buf_t *self, const char *text)
{
    oa_billing_buf_bytes (self, text, strlen (text));
}

void
oa_billing_buf_int (oa_billing_buf_t *self, int64_t value)
{
    char text [24];
    size_t len = oa_store_decimal (value, text);
    oa_billing_buf_bytes (self, text, len);
}

//  Length of the valid UTF-8 sequence at text, or 0 if it is not one.
static size_t
s_utf8_length (const unsigned char *text)
{
    unsigned char c = text [0];
    size_t len = c >= 0xC2 && c <= 0xDF? 2: c >= 0xE0 && c <= 0xEF? 3
               : c >= 0xF0 && c <= 0xF4? 4: 0;
    if (!len)
        return 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c == 0xE0)
        low = 0xA0;
    else
    if (c == 0xED)
        high = 0x9F;            //  no surrogates
    else
    if (c == 0xF0)
        low = 0x90;
    else
    if (c == 0xF4)
        high = 0x8F;
    if (text [1] < low || text [1] > high)
        return 0;
    for (size_t index = 2; index < len; index++)
        if (text [index] < 0x80 || text [index] > 0xBF)
            return 0;
    return len;
}

void
oa_billing_buf_str (oa_billing_buf_t *self, const char *text)
{
    if (!text) {
        oa_billing_buf_bytes (self, "null", 4);
        return;
    }
    const unsigned char *scan = (const unsigned char *) text;
    oa_billing_buf_reserve (self, strlen (text) + 2);
    oa_billing_buf_bytes (self, "\"", 1);
    while (*scan) {
        //  Copy the longest plain run at once.
        const unsigned char *run = scan;
        while (*scan >= 0x20 && *scan < 0x80 && *scan != '"' && *scan != '\\')
            scan++;
        if (scan > run)
            oa_billing_buf_bytes (self, (const char *) run, (size_t) (scan - run));
        if (!*scan)
            break;
        if (*scan == '"' || *scan == '\\') {
            char escaped [2] = { '\\', (char) *scan };
            oa_billing_buf_bytes (self, escaped, 2);
            scan++;
        }
        else
        if (*scan < 0x20) {
            char escaped [8];
            snprintf (escaped, sizeof escaped, "\\u%04x", *scan);
            oa_billing_buf_bytes (self, escaped, 6);
            scan++;
        }
        else {
            size_t len = s_utf8_length (scan);
            if (len) {
                oa_billing_buf_bytes (self, (const char *) scan, len);
                scan += len;
            }
            else {
                oa_billing_buf_bytes (self, "\\ufffd", 6);
                scan++;
            }
        }
    }
    oa_billing_buf_bytes (self, "\"", 1);
}

void
oa_billing_buf_key (oa_billing_buf_t *self, const char *key, bool first)
{
    if (!first)
        oa_billing_buf_bytes (self, ",", 1);
    oa_billing_buf_bytes (self, "\"", 1);
    oa_billing_buf_raw (self, key);
    oa_billing_buf_bytes (self, "\":", 2);
}

//  Returns text with each byte of an invalid UTF-8 sequence replaced by
//  U+FFFD as the JSON path does (PostgreSQL refuses invalid UTF-8; SQLite
//  would keep it and hand it to JSON clients later), or NULL when text is
//  valid already.  Caller owns the result.
char *
oa_billing_utf8_repair (const char *text)
{
    const unsigned char *scan = (const unsigned char *) text;
    while (scan && *scan) {
        if (*scan < 0x80)
            scan++;
        else {
            size_t len = s_utf8_length (scan);
            if (!len)
                break;
            scan += len;
        }
    }
    if (!scan || !*scan)
        return NULL;
    //  At most 3 bytes out per byte in
    char *repaired = (char *) malloc (strlen (text) * 3 + 1);
    assert (repaired);
    size_t size = (size_t) ((const char *) scan - text);
    memcpy (repaired, text, size);
    while (*scan) {
        size_t len = *scan < 0x80? 1: s_utf8_length (scan);
        if (len) {
            memcpy (repaired + size, scan, len);
            size += len;
            scan += len;
        }
        else {
            memcpy (repaired + size, "\xef\xbf\xbd", 3);
            size += 3;
            scan++;
        }
    }
    repaired [size] = 0;
    return repaired;
}

//  Binds text repaired to valid UTF-8.
void
oa_billing_bind_utf8 (oa_stmt_t *stmt, int index, const char *text)
{
    //  Valid text (the usual case) is bound without a copy: the batch's
    //  events outlive the statement's run.
    char *repaired = oa_billing_utf8_repair (text);
    if (repaired)
        oa_stmt_bind_text_p (stmt, index, &repaired);
    else
        oa_stmt_bind_text_ref (stmt, index, text);
}

//  COPY text format's escape of a backslash, newline, carriage return or tab.
static const char *
s_copy_escape (unsigned char c)
{
    return c == '\\'? "\\\\": c == '\n'? "\\n": c == '\r'? "\\r": "\\t";
}

//  COPY text format: a field, repaired to valid UTF-8, with backslash,
//  newline, carriage return and tab escaped; NULL is \N.  sep goes first
//  (a tab, or nothing for a row's first field).
void
oa_billing_copy_str (oa_billing_buf_t *buf, const char *text, bool first)
{
    if (!first)
        oa_billing_buf_bytes (buf, "\t", 1);
    if (!text) {
        oa_billing_buf_bytes (buf, "\\N", 2);
        return;
    }
    //  One pass while the text is valid UTF-8 (the usual case), escaping
    //  as it goes; from an invalid sequence on, the rest is repaired first
    //  (repair works sequence by sequence, so the valid prefix is the same).
    const char *run = text;
    const char *scan = text;
    while (*scan) {
        unsigned char c = (unsigned char) *scan;
        if (c >= 0x80) {
            size_t len = s_utf8_length ((const unsigned char *) scan);
            if (!len)
                break;
            scan += len;
            continue;
        }
        if (c != '\\' && c != '\n' && c != '\r' && c != '\t') {
            scan++;
            continue;
        }
        if (scan > run)
            oa_billing_buf_bytes (buf, run, (size_t) (scan - run));
        oa_billing_buf_bytes (buf, s_copy_escape (c), 2);
        run = ++scan;
    }
    if (scan > run)
        oa_billing_buf_bytes (buf, run, (size_t) (scan - run));
    if (!*scan)
        return;
    char *repaired = oa_billing_utf8_repair (scan);
    assert (repaired);
    for (scan = repaired; *scan; ) {
        run = scan;
        while (*scan && *scan != '\\' && *scan != '\n' && *scan != '\r' && *scan != '\t')
            scan++;
        if (scan > run)
            oa_billing_buf_bytes (buf, run, (size_t) (scan - run));
        if (!*scan)
            break;
        oa_billing_buf_bytes (buf, s_copy_escape ((unsigned char) *scan), 2);
        scan++;
    }
    free (repaired);
}

void
oa_billing_copy_int (oa_billing_buf_t *buf, int64_t value)
{
    oa_billing_buf_bytes (buf, "\t", 1);
    oa_billing_buf_int (buf, value);
}

//  An element of a text[] literal: quoted, " and \ escaped, valid UTF-8.
void
oa_billing_array_str (oa_billing_buf_t *buf, const char *text, bool first)
{
    if (!first)
        oa_billing_buf_bytes (buf, ",", 1);
    char *repaired = oa_billing_utf8_repair (text);
    const char *scan = repaired? repaired: text;
    oa_billing_buf_bytes (buf, "\"", 1);
    for (; *scan; scan++) {
        if (*scan == '"' || *scan == '\\')
            oa_billing_buf_bytes (buf, "\\", 1);
        oa_billing_buf_bytes (buf, scan, 1);
    }
    oa_billing_buf_bytes (buf, "\"", 1);
    free (repaired);
}

