/*  =========================================================================
    oa_sse_fuzz - libFuzzer target: the SSE parser and writer

    Properties checked on every input, beyond "no crash, no leak, no
    undefined behaviour":
      - splitting the input anywhere (at a point the first two bytes pick,
        and byte by byte) yields exactly the events of one whole feed;
      - every event the parser yields, framed again by the writer and
        parsed back, is the same event (the writer's framing is faithful).
    A property failure aborts, which libFuzzer reports with the input.
    Seeds: tests/fuzz/corpus/oa_sse_fuzz/ (upstream recordings).
    =========================================================================
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sse/oa_sse.h"

int
    LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
    char *log;                  //  "<event>\x01<data>\x02" per event
    size_t size;
} s_log_t;

static void
s_append (s_log_t *log, const void *bytes, size_t size)
{
    log->log = (char *) realloc (log->log, log->size + size + 1);
    if (!log->log)
        abort ();
    memcpy (log->log + log->size, bytes, size);
    log->size += size;
}

static int
s_record (const char *event, const char *data, size_t size, const char *id, void *arg)
{
    (void) id;
    s_log_t *log = (s_log_t *) arg;
    s_append (log, event? event: "\x03", event? strlen (event): 1);
    s_append (log, "\x01", 1);
    s_append (log, data, size);
    s_append (log, "\x02", 1);
    return 0;
}

//  Parses input in pieces of at most step bytes (0 = split once at cut).
static s_log_t
s_parse (const uint8_t *data, size_t size, size_t cut, size_t step)
{
    s_log_t log = { NULL, 0 };
    //  Small bounds, so the limit paths are fuzzed too
    oa_sse_parser_t *parser = oa_sse_parser_new (s_record, &log, 4096, 16384);
    int rc = 0;
    if (step == 0) {
        rc |= oa_sse_parser_feed (parser, data, cut);
        rc |= oa_sse_parser_feed (parser, data + cut, size - cut);
    }
    else
        for (size_t at = 0; at < size; at += step)
            rc |= oa_sse_parser_feed (parser, data + at, size - at < step? size - at: step);
    if (rc == 0)
        oa_sse_parser_finish (parser);
    else
        s_append (&log, "\x04" "failed", 7);
    oa_sse_parser_destroy (&parser);
    return log;
}

//  Re-frames each event with the writer (Claude framing keeps the name).
static int
s_reframe (const char *event, const char *data, size_t size, const char *id, void *arg)
{
    (void) id;
    oa_sse_writer_t *writer = (oa_sse_writer_t *) arg;
    //  Names with line breaks cannot be framed (the writer refuses them),
    //  and an absent name cannot be framed for a named format
    if (!event || !*event || strpbrk (event, "\r\n"))
        return 0;
    if (oa_sse_writer_event (writer, event, data, size))
        abort ();
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    size_t cut = size >= 2? ((size_t) data [0] << 8 | data [1]) % (size + 1): 0;
    s_log_t whole = s_parse (data, size, size, 0);
    s_log_t split = s_parse (data, size, cut, 0);
    s_log_t bytes = s_parse (data, size, 0, 1);
    if (whole.size != split.size || (whole.size && memcmp (whole.log, split.log, whole.size)))
        abort ();
    if (whole.size != bytes.size || (whole.size && memcmp (whole.log, bytes.log, whole.size)))
        abort ();

    //  Writer round trip: parse, frame again, parse the framing
    oa_sse_writer_t *writer = oa_sse_writer_new (OA_API_FORMAT_CLAUDE);
    oa_sse_parser_t *parser = oa_sse_parser_new (s_reframe, writer, 0, 0);
    oa_sse_parser_feed (parser, data, size);
    oa_sse_parser_finish (parser);
    oa_sse_parser_destroy (&parser);
    size_t framed_size;
    const char *framed = oa_sse_writer_data (writer, &framed_size);
    s_log_t first = { NULL, 0 }, second = { NULL, 0 };
    parser = oa_sse_parser_new (s_record, &first, 0, 0);
    oa_sse_parser_feed (parser, framed, framed_size);
    oa_sse_parser_destroy (&parser);
    oa_sse_writer_t *again = oa_sse_writer_new (OA_API_FORMAT_CLAUDE);
    parser = oa_sse_parser_new (s_reframe, again, 0, 0);
    oa_sse_parser_feed (parser, framed, framed_size);
    oa_sse_parser_destroy (&parser);
    size_t again_size;
    const char *again_bytes = oa_sse_writer_data (again, &again_size);
    //  Framing is idempotent: framed bytes re-frame to themselves
    if (again_size != framed_size || memcmp (again_bytes, framed, framed_size))
        abort ();
    parser = oa_sse_parser_new (s_record, &second, 0, 0);
    oa_sse_parser_feed (parser, again_bytes, again_size);
    oa_sse_parser_destroy (&parser);
    if (first.size != second.size || (first.size && memcmp (first.log, second.log, first.size)))
        abort ();
    oa_sse_writer_destroy (&writer);
    oa_sse_writer_destroy (&again);
    free (whole.log);
    free (split.log);
    free (bytes.log);
    free (first.log);
    free (second.log);
    return 0;
}
