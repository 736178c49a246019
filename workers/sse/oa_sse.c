/*  =========================================================================
    oa_sse - incremental server-sent events parser and per-format writer

    Parser: WHATWG "event stream interpretation".  Lines end at CRLF, LF or
    CR, in any mix, split across chunks anywhere (a CR ending one chunk and
    the LF starting the next are one line break).  A leading UTF-8 BOM is
    dropped.  Lines starting with ':' are comments (keep-alives).  `data:`
    lines accumulate, joined with LF; a blank line dispatches the event if it
    has data.  Memory is bounded: a line longer than max_line or an event
    with more than max_event data bytes fails the parser; it never grows
    without limit on hostile input.

    Writer: frames events per client format (wire-formats.md §0): every
    event ends "\n\n"; Chat and Gemini carry no `event:` line; Responses and
    Claude do; Chat ends with `data: [DONE]`.
    =========================================================================
*/
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_sse.h"

//  A growable byte buffer, always NUL-terminated when non-empty.
typedef struct {
    char *data;                 //  bytes, or NULL before the first append
    size_t size;                //  bytes used, excluding the trailing NUL
    size_t cap;                 //  bytes allocated
} s_buf_t;

struct _oa_sse_parser_t {
    oa_sse_event_fn *handler;   //  called per event
    void *arg;                  //  handler's argument
    size_t max_line;            //  bound on one line
    size_t max_event;           //  bound on one event's data
    s_buf_t line;               //  the current, incomplete line
    s_buf_t data;               //  data of the pending event (each line + LF)
    char *event;                //  pending event type, or NULL
    char *id;                   //  last event id, or NULL
    size_t bom_matched;         //  leading BOM bytes matched so far
    bool bom_done;              //  stream start is past the BOM check
    bool after_cr;              //  last byte was CR: an LF next is its pair
    size_t events;              //  events dispatched
    const char *error;          //  why we failed, or NULL
};

struct _oa_sse_writer_t {
    oa_api_format_t format;     //  client format we frame for
    s_buf_t out;                //  bytes written, not yet cleared
};

static const unsigned char s_bom [3] = { 0xEF, 0xBB, 0xBF };


//  --------------------------------------------------------------------------
//  Append to a buffer, keeping a NUL after the data.  Fails beyond limit.

static int
s_buf_append (s_buf_t *buf, const void *bytes, size_t size, size_t limit)
{
    if (size > limit || buf->size > limit - size)
        return -1;
    if (buf->size + size + 1 > buf->cap) {
        size_t cap = buf->cap? buf->cap: 256;
        while (cap < buf->size + size + 1)
            cap *= 2;
        char *data = (char *) realloc (buf->data, cap);
        if (!data)
            return -1;
        buf->data = data;
        buf->cap = cap;
    }
    if (size)
        memcpy (buf->data + buf->size, bytes, size);
    buf->size += size;
    buf->data [buf->size] = 0;
    return 0;
}

static int
s_buf_puts (s_buf_t *buf, const char *text)
{
    return s_buf_append (buf, text, strlen (text), SIZE_MAX / 2);
}


//  --------------------------------------------------------------------------
//  Create a parser

oa_sse_parser_t *
oa_sse_parser_new (oa_sse_event_fn *handler, void *arg, size_t max_line, size_t max_event)
{
    assert (handler);
    oa_sse_parser_t *self = (oa_sse_parser_t *) calloc (1, sizeof (oa_sse_parser_t));
    if (!self)
        return NULL;
    self->handler = handler;
    self->arg = arg;
    self->max_line = max_line? max_line: OA_SSE_MAX_LINE;
    self->max_event = max_event? max_event: OA_SSE_MAX_EVENT;
    return self;
}


//  --------------------------------------------------------------------------
//  Destroy a parser

void
oa_sse_parser_destroy (oa_sse_parser_t **self_p)
{
    assert (self_p);
    oa_sse_parser_t *self = *self_p;
    if (self) {
        free (self->line.data);
        free (self->data.data);
        free (self->event);
        free (self->id);
        free (self);
        *self_p = NULL;
    }
}


static int
s_fail (oa_sse_parser_t *self, const char *reason)
{
    if (!self->error)
        self->error = reason;
    return -1;
}


//  Dispatch the pending event.  WHATWG: no data lines, no event (an
//  `event:` line alone only resets the type).

static int
s_dispatch (oa_sse_parser_t *self)
{
    int rc = 0;
    if (self->data.size > 0) {
        //  Drop the LF that followed the last data line
        self->data.size--;
        self->data.data [self->data.size] = 0;
        self->events++;
        rc = self->handler (self->event, self->data.data, self->data.size, self->id, self->arg);
    }
    self->data.size = 0;
    free (self->event);
    self->event = NULL;
    return rc == 0? 0: s_fail (self, "stopped by handler");
}


//  Interpret one complete line (without its terminator).

static int
s_process_line (oa_sse_parser_t *self, const char *line, size_t size)
{
    if (size == 0)
        return s_dispatch (self);
    if (line [0] == ':')
        return 0;               //  Comment, e.g. ": keep-alive"

    const char *colon = (const char *) memchr (line, ':', size);
    size_t name_size = colon? (size_t) (colon - line): size;
    const char *value = colon? colon + 1: line + size;
    size_t value_size = size - (size_t) (value - line);
    if (value_size && *value == ' ') {
        value++;
        value_size--;
    }
    if (name_size == 4 && memcmp (line, "data", 4) == 0) {
        if (s_buf_append (&self->data, value, value_size, self->max_event)
        ||  s_buf_append (&self->data, "\n", 1, self->max_event))
            return s_fail (self, "event data exceeds limit");
    }
    else
    if (name_size == 5 && memcmp (line, "event", 5) == 0) {
        free (self->event);
        self->event = strndup (value, value_size);
        if (!self->event)
            return s_fail (self, "out of memory");
    }
    else
    if (name_size == 2 && memcmp (line, "id", 2) == 0) {
        //  WHATWG: an id containing NUL is ignored
        if (!memchr (value, 0, value_size)) {
            free (self->id);
            self->id = strndup (value, value_size);
            if (!self->id)
                return s_fail (self, "out of memory");
        }
    }
    //  `retry:` and unknown fields are ignored
    return 0;
}


//  Split bytes into lines; the tail without a terminator stays buffered.

static int
s_consume (oa_sse_parser_t *self, const char *bytes, size_t size)
{
    while (size) {
        if (self->after_cr) {
            self->after_cr = false;
            if (*bytes == '\n') {
                bytes++;
                size--;
                continue;
            }
        }
        size_t run = 0;
        while (run < size && bytes [run] != '\n' && bytes [run] != '\r')
            run++;
        if (run == size) {
            if (s_buf_append (&self->line, bytes, run, self->max_line))
                return s_fail (self, "line exceeds limit");
            return 0;
        }
        int rc;
        if (self->line.size) {
            if (s_buf_append (&self->line, bytes, run, self->max_line))
                return s_fail (self, "line exceeds limit");
            rc = s_process_line (self, self->line.data, self->line.size);
            self->line.size = 0;
        }
        else {
            if (run > self->max_line)
                return s_fail (self, "line exceeds limit");
            rc = s_process_line (self, bytes, run);
        }
        if (rc)
            return -1;
        self->after_cr = bytes [run] == '\r';
        bytes += run + 1;
        size -= run + 1;
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  Feed the next bytes

int
oa_sse_parser_feed (oa_sse_parser_t *self, const void *bytes, size_t size)
{
    assert (self);
    if (self->error)
        return -1;
    const unsigned char *p = (const unsigned char *) bytes;
    //  The BOM may itself be split across chunks
    while (!self->bom_done && size) {
        if (*p == s_bom [self->bom_matched]) {
            p++;
            size--;
            if (++self->bom_matched == sizeof (s_bom))
                self->bom_done = true;
        }
        else {
            self->bom_done = true;
            if (self->bom_matched
            &&  s_consume (self, (const char *) s_bom, self->bom_matched))
                return -1;
        }
    }
    return s_consume (self, (const char *) p, size);
}


//  --------------------------------------------------------------------------
//  Signal end of input

int
oa_sse_parser_finish (oa_sse_parser_t *self)
{
    assert (self);
    if (self->error)
        return -1;
    if (!self->bom_done) {
        self->bom_done = true;
        if (self->bom_matched
        &&  s_consume (self, (const char *) s_bom, self->bom_matched))
            return -1;
    }
    if (self->line.size) {
        int rc = s_process_line (self, self->line.data, self->line.size);
        self->line.size = 0;
        if (rc)
            return -1;
    }
    self->after_cr = false;
    return s_dispatch (self);
}


//  --------------------------------------------------------------------------
//  Why the parser failed, or NULL

const char *
oa_sse_parser_error (oa_sse_parser_t *self)
{
    assert (self);
    return self->error;
}


//  --------------------------------------------------------------------------
//  Number of events dispatched so far

size_t
oa_sse_parser_events (oa_sse_parser_t *self)
{
    assert (self);
    return self->events;
}


//  --------------------------------------------------------------------------
//  Create a writer

oa_sse_writer_t *
oa_sse_writer_new (oa_api_format_t format)
{
    oa_sse_writer_t *self = (oa_sse_writer_t *) calloc (1, sizeof (oa_sse_writer_t));
    if (self)
        self->format = format;
    return self;
}


//  --------------------------------------------------------------------------
//  Destroy a writer

void
oa_sse_writer_destroy (oa_sse_writer_t **self_p)
{
    assert (self_p);
    oa_sse_writer_t *self = *self_p;
    if (self) {
        free (self->out.data);
        free (self);
        *self_p = NULL;
    }
}


static bool
s_named (oa_api_format_t format)
{
    return format == OA_API_FORMAT_RESPONSES || format == OA_API_FORMAT_CLAUDE;
}


//  Writes the `event:` line where the format wants one.

static int
s_write_type (oa_sse_writer_t *self, const char *type)
{
    if (!s_named (self->format))
        return 0;
    //  A type with a line break would forge extra fields
    if (!type || !*type || strpbrk (type, "\r\n"))
        return -1;
    return s_buf_puts (&self->out, "event: ")
        || s_buf_puts (&self->out, type)
        || s_buf_puts (&self->out, "\n");
}


//  --------------------------------------------------------------------------
//  Append one event

int
oa_sse_writer_event (oa_sse_writer_t *self, const char *type, const char *data, size_t size)
{
    assert (self);
    size_t mark = self->out.size;
    if (s_write_type (self, type))
        goto failed;
    //  Each line of data gets its own field, so readers rejoin it with LF
    size_t start = 0;
    while (true) {
        size_t end = start;
        while (end < size && data [end] != '\n' && data [end] != '\r')
            end++;
        if (s_buf_puts (&self->out, "data: ")
        ||  s_buf_append (&self->out, data + start, end - start, SIZE_MAX / 2)
        ||  s_buf_puts (&self->out, "\n"))
            goto failed;
        if (end == size)
            break;
        if (data [end] == '\r' && end + 1 < size && data [end + 1] == '\n')
            end++;
        start = end + 1;
    }
    if (s_buf_puts (&self->out, "\n"))
        goto failed;
    return 0;
failed:
    self->out.size = mark;      //  Never leave half an event behind
    if (self->out.data)
        self->out.data [mark] = 0;
    return -1;
}


static int
s_dump_cb (const char *buffer, size_t size, void *data)
{
    return s_buf_append ((s_buf_t *) data, buffer, size, SIZE_MAX / 2);
}


//  --------------------------------------------------------------------------
//  Append one JSON event

int
oa_sse_writer_json (oa_sse_writer_t *self, const char *type, json_t *data)
{
    assert (self);
    if (!data)
        return -1;
    if (!type && json_is_object (data))
        type = json_string_value (json_object_get (data, "type"));
    size_t mark = self->out.size;
    //  Compact JSON never holds a raw line break, so one data line suffices
    if (s_write_type (self, type)
    ||  s_buf_puts (&self->out, "data: ")
    ||  json_dump_callback (data, s_dump_cb, &self->out, OA_SSE_JSON_FLAGS | JSON_ENCODE_ANY)
    ||  s_buf_puts (&self->out, "\n\n")) {
        self->out.size = mark;
        if (self->out.data)
            self->out.data [mark] = 0;
        return -1;
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  Append the stream terminator

int
oa_sse_writer_done (oa_sse_writer_t *self)
{
    assert (self);
    if (self->format != OA_API_FORMAT_CHAT)
        return 0;
    return s_buf_puts (&self->out, "data: [DONE]\n\n");
}


//  --------------------------------------------------------------------------
//  Append a comment event

int
oa_sse_writer_comment (oa_sse_writer_t *self, const char *text)
{
    assert (self);
    if (text && strpbrk (text, "\r\n"))
        return -1;
    return s_buf_puts (&self->out, ": ")
        || s_buf_puts (&self->out, text? text: "")
        || s_buf_puts (&self->out, "\n\n");
}


//  --------------------------------------------------------------------------
//  Bytes written and not yet cleared

const char *
oa_sse_writer_data (oa_sse_writer_t *self, size_t *size_p)
{
    assert (self);
    if (size_p)
        *size_p = self->out.size;
    return self->out.data? self->out.data: "";
}


//  --------------------------------------------------------------------------
//  Forget the bytes written so far

void
oa_sse_writer_clear (oa_sse_writer_t *self)
{
    assert (self);
    self->out.size = 0;
    if (self->out.data)
        self->out.data [0] = 0;
}


//  --------------------------------------------------------------------------
//  The format this writer frames for

oa_api_format_t
oa_sse_writer_format (oa_sse_writer_t *self)
{
    assert (self);
    return self->format;
}


//  --------------------------------------------------------------------------
//  Selftest

//  Test sink: records events as "<event>|<data>|<id>\n" lines.
typedef struct {
    s_buf_t log;
    int stop_after;             //  stop after this many events, 0 = never
    int count;
} s_sink_t;

static int
s_sink_fn (const char *event, const char *data, size_t size, const char *id, void *arg)
{
    s_sink_t *sink = (s_sink_t *) arg;
    assert (strlen (data) <= size);
    s_buf_puts (&sink->log, event? event: "-");
    s_buf_puts (&sink->log, "|");
    s_buf_append (&sink->log, data, size, SIZE_MAX / 2);
    s_buf_puts (&sink->log, "|");
    s_buf_puts (&sink->log, id? id: "-");
    s_buf_puts (&sink->log, "\n");
    sink->count++;
    return sink->stop_after && sink->count >= sink->stop_after? -1: 0;
}

//  Parses input whole, then split at every single position, then one byte
//  at a time; all must log exactly `expect`.
static void
s_check_parse (const char *input, size_t size, const char *expect, bool finish)
{
    for (size_t split = 0; split <= size + 1; split++) {
        s_sink_t sink = { { NULL, 0, 0 }, 0, 0 };
        oa_sse_parser_t *parser = oa_sse_parser_new (s_sink_fn, &sink, 0, 0);
        assert (parser);
        if (split <= size) {
            assert (oa_sse_parser_feed (parser, input, split) == 0);
            assert (oa_sse_parser_feed (parser, input + split, size - split) == 0);
        }
        else
            for (size_t at = 0; at < size; at++)
                assert (oa_sse_parser_feed (parser, input + at, 1) == 0);
        if (finish)
            assert (oa_sse_parser_finish (parser) == 0);
        const char *got = sink.log.data? sink.log.data: "";
        if (strcmp (got, expect)) {
            fprintf (stderr, "split %zu: got\n%s\nexpected\n%s\n", split, got, expect);
            assert (false);
        }
        free (sink.log.data);
        oa_sse_parser_destroy (&parser);
        assert (parser == NULL);
    }
}

static bool
s_streq (const char *a, const char *b)
{
    return strcmp (a, b) == 0;
}

void oa_sse_test (bool verbose)
{
    if (verbose)
        printf ("\n");

    //  @selftest
    //  Anthropic-style named events with a ping and CRLF line ends
    const char *input =
        "event: message_start\r\ndata: {\"type\":\"message_start\"}\r\n\r\n"
        "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n";
    s_check_parse (input, strlen (input),
        "message_start|{\"type\":\"message_start\"}|-\n"
        "ping|{\"type\": \"ping\"}|-\n", false);

    //  BOM, CR-only line ends, comments, multi-line data, id, no space after colon
    input = "\xEF\xBB\xBF: keep-alive\r\rdata:line1\rdata: line2\rid: 7\r\r"
            "data\r\r" "event:x\r\r" "data: [DONE]\r\r";
    s_check_parse (input, strlen (input),
        "-|line1\nline2|7\n"
        "-||7\n"
        "-|[DONE]|7\n", false);

    //  Mixed LF and CRLF; leading space stripped once; unknown fields ignored
    input = "retry: 10\nfoo: bar\ndata:  two spaces\n\n" "data: a\r\n\ndata: b\n\r\n";
    s_check_parse (input, strlen (input),
        "-| two spaces|-\n-|a|-\n-|b|-\n", false);

    //  No final blank line: dropped by feed, flushed by finish
    input = "data: {\"a\":1}\n\ndata: {\"usage\":1}";
    s_check_parse (input, strlen (input), "-|{\"a\":1}|-\n-|{\"usage\":1}|-\n", true);

    //  A partial BOM is data, not a BOM
    input = "\xEF\xBB" "data: x\n\n";
    s_check_parse (input, strlen (input), "", true);
    input = "\xEF\xBB\xBF" "\xEF\xBB\xBF" "data: y\n\n";
    s_check_parse (input, strlen (input), "", true);

    //  Embedded NUL bytes are carried in data, with its size
    {
        s_sink_t sink = { { NULL, 0, 0 }, 0, 0 };
        oa_sse_parser_t *parser = oa_sse_parser_new (s_sink_fn, &sink, 0, 0);
        const char nul [] = "data: a\0b\n\n";
        assert (oa_sse_parser_feed (parser, nul, sizeof (nul) - 1) == 0);
        assert (sink.log.size == 8 && memcmp (sink.log.data, "-|a\0b|-\n", 8) == 0);
        assert (oa_sse_parser_events (parser) == 1);
        free (sink.log.data);
        oa_sse_parser_destroy (&parser);
    }

    //  Bounds: a long line or a large event fails, and stays failed
    {
        s_sink_t sink = { { NULL, 0, 0 }, 0, 0 };
        oa_sse_parser_t *parser = oa_sse_parser_new (s_sink_fn, &sink, 16, 32);
        assert (oa_sse_parser_feed (parser, "data: 0123456789", 16) == 0);
        assert (oa_sse_parser_feed (parser, "x", 1) == -1);
        assert (oa_sse_parser_error (parser));
        assert (oa_sse_parser_feed (parser, "\n\n", 2) == -1);
        oa_sse_parser_destroy (&parser);

        parser = oa_sse_parser_new (s_sink_fn, &sink, 16, 32);
        assert (oa_sse_parser_feed (parser, "data: 0123456789\n", 17) == 0);
        assert (oa_sse_parser_feed (parser, "data: 0123456789\n", 17) == 0);
        assert (oa_sse_parser_feed (parser, "data: 0123456789\n", 17) == -1);
        assert (sink.count == 0);
        oa_sse_parser_destroy (&parser);

        //  A line with no break at all, fed in one call
        parser = oa_sse_parser_new (s_sink_fn, &sink, 16, 32);
        assert (oa_sse_parser_feed (parser, "data: 0123456789abc\n", 20) == -1);
        oa_sse_parser_destroy (&parser);
    }

    //  The handler can stop the parser
    {
        s_sink_t sink = { { NULL, 0, 0 }, 1, 0 };
        oa_sse_parser_t *parser = oa_sse_parser_new (s_sink_fn, &sink, 0, 0);
        assert (oa_sse_parser_feed (parser, "data: 1\n\ndata: 2\n\n", 18) == -1);
        assert (sink.count == 1);
        assert (oa_sse_parser_finish (parser) == -1);
        free (sink.log.data);
        oa_sse_parser_destroy (&parser);
    }

    //  Writer: Chat has no event line and ends with [DONE]
    oa_sse_writer_t *writer = oa_sse_writer_new (OA_API_FORMAT_CHAT);
    json_t *chunk = json_pack ("{s:s,s:f}", "type", "x", "t", 0.2);
    assert (oa_sse_writer_json (writer, NULL, chunk) == 0);
    assert (oa_sse_writer_comment (writer, "keep-alive") == 0);
    assert (oa_sse_writer_done (writer) == 0);
    size_t size;
    const char *out = oa_sse_writer_data (writer, &size);
    assert (s_streq (out, "data: {\"type\":\"x\",\"t\":0.2}\n\n: keep-alive\n\ndata: [DONE]\n\n"));
    assert (size == strlen (out));
    oa_sse_writer_clear (writer);
    assert (*oa_sse_writer_data (writer, &size) == 0 && size == 0);
    assert (oa_sse_writer_format (writer) == OA_API_FORMAT_CHAT);
    oa_sse_writer_destroy (&writer);
    assert (writer == NULL);

    //  Claude: event line from data.type; refuses to frame without a type
    writer = oa_sse_writer_new (OA_API_FORMAT_CLAUDE);
    assert (oa_sse_writer_json (writer, NULL, chunk) == 0);
    assert (oa_sse_writer_event (writer, NULL, "{}", 2) == -1);
    assert (oa_sse_writer_event (writer, "a\nb", "{}", 2) == -1);
    assert (oa_sse_writer_event (writer, "multi", "l1\r\nl2\rl3\n", 10) == 0);
    assert (oa_sse_writer_done (writer) == 0);
    out = oa_sse_writer_data (writer, &size);
    assert (s_streq (out, "event: x\ndata: {\"type\":\"x\",\"t\":0.2}\n\n"
                            "event: multi\ndata: l1\ndata: l2\ndata: l3\ndata: \n\n"));
    oa_sse_writer_destroy (&writer);

    //  Round trip: what the writer frames, the parser reads back
    writer = oa_sse_writer_new (OA_API_FORMAT_RESPONSES);
    assert (oa_sse_writer_event (writer, "response.created", "a\nb", 3) == 0);
    out = oa_sse_writer_data (writer, &size);
    s_check_parse (out, size, "response.created|a\nb|-\n", false);
    oa_sse_writer_destroy (&writer);

    //  Gemini: data lines only, no terminator
    writer = oa_sse_writer_new (OA_API_FORMAT_GEMINI);
    assert (oa_sse_writer_json (writer, "ignored", chunk) == 0);
    assert (oa_sse_writer_done (writer) == 0);
    out = oa_sse_writer_data (writer, &size);
    assert (s_streq (out, "data: {\"type\":\"x\",\"t\":0.2}\n\n"));
    oa_sse_writer_destroy (&writer);
    json_decref (chunk);
    oa_sse_writer_destroy (&writer);
    //  @end
}
