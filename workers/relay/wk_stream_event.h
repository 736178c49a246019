/*  =========================================================================
    wk_stream_event - one event of a passthrough (OpenAI-wire) stream, by
    either of its two readings

    The write callback reads most chunks with oa_json_iter_t (no tree) and
    the rest with jansson; both must come to the same outcome.  This header
    lets the tests and the fuzz target (tests/fuzz/wk_stream_event_fuzz.c)
    run each reading on its own and compare them.  Only files of
    workers/relay and tests include it.
    =========================================================================
*/
#ifndef WK_STREAM_EVENT_H_INCLUDED
#define WK_STREAM_EVENT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include "wk_job.h"

typedef enum {
    WK_STREAM_AUTO,             //  the scan, jansson when it cannot answer
    WK_STREAM_JANSSON,          //  jansson only (the reference)
    WK_STREAM_SCAN              //  the scan only: 1 when it cannot answer
} wk_stream_path_t;

//  wk_stream.c: handles one upstream event (not [DONE]) of a passthrough
//  stream as the write callback does, by the given path.  Returns 0, -1
//  if the writer failed, or 1 (WK_STREAM_SCAN) when the scan could not
//  answer and left the job as it was.
int
    wk_stream_event (wk_job_t *self, const char *event, const char *data, size_t size,
                     wk_stream_path_t path);

//  What a job looks like before the event, in the comparisons.
typedef struct {
    int client_format;          //  oa_api_format_t of the client
    bool usage_forced;          //  we added include_usage
    bool client_usage;          //  the client asked for include_usage
    bool tail;                  //  a usage chunk is owed already
} wk_stream_case_t;

//  wk_stream_test.c: runs one event through the scan (falling back as
//  the write callback does) and through jansson, on two jobs set up as
//  kase says, and asserts that they agree: forwarded or not, bytes written,
//  usage, usage_seen, error_seen, completion_bytes and the owed usage
//  chunk.  Returns 1 if the scan answered alone, 0 if it fell back.
int
    wk_stream_compare (const wk_stream_case_t *kase, const char *event,
                       const char *data, size_t size);

#endif
