/*  =========================================================================
    oa_sse - incremental server-sent events parser and per-format writer

    The parser follows the WHATWG event-stream grammar: feed it byte chunks
    split anywhere; it calls back once per complete event.  The writer frames
    events exactly as each client API expects (see wire-formats.md §0).
    =========================================================================
*/
#ifndef OA_SSE_H_INCLUDED
#define OA_SSE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

//  The API dialects a client or an upstream speaks.  The values equal the
//  wire codes OA_MSG_FORMAT_* of proto/, so a message field casts directly.
typedef enum {
    OA_API_FORMAT_CHAT = 1,         //  OpenAI Chat Completions
    OA_API_FORMAT_RESPONSES = 3,    //  OpenAI Responses
    OA_API_FORMAT_CLAUDE = 4,       //  Anthropic Messages
    OA_API_FORMAT_GEMINI = 14       //  Google Gemini generateContent
} oa_api_format_t;

//  Default bounds: one line, and one event's accumulated data.
#define OA_SSE_MAX_LINE     (1024 * 1024)
#define OA_SSE_MAX_EVENT    (8 * 1024 * 1024)

//  Called once per complete event.  event is NULL when the event had no
//  `event:` field; data is NUL-terminated (size excludes the NUL); id is the
//  last event id seen or NULL.  All are borrowed for the call only.  Return
//  0 to go on, -1 to stop parsing (the feed then returns -1).
typedef int (oa_sse_event_fn) (const char *event, const char *data, size_t size,
                               const char *id, void *arg);

typedef struct _oa_sse_parser_t oa_sse_parser_t;
typedef struct _oa_sse_writer_t oa_sse_writer_t;

//  Create a parser calling handler (with arg) per event.  max_line and
//  max_event bound memory (0 = defaults).  Caller owns the result.
oa_sse_parser_t *
    oa_sse_parser_new (oa_sse_event_fn *handler, void *arg, size_t max_line, size_t max_event);

//  Destroy a parser; nulls the pointer.  Safe on NULL.
void
    oa_sse_parser_destroy (oa_sse_parser_t **self_p);

//  Feed the next bytes.  Returns 0, or -1 once a bound is exceeded or the
//  handler stopped; a failed parser stays failed.
int
    oa_sse_parser_feed (oa_sse_parser_t *self, const void *bytes, size_t size);

//  Signal end of input: a final event lacking its blank line is dispatched
//  (lenient, like openai-node 7.x) rather than dropped.  Returns 0 or -1.
int
    oa_sse_parser_finish (oa_sse_parser_t *self);

//  Why the parser failed, or NULL.
const char *
    oa_sse_parser_error (oa_sse_parser_t *self);

//  Number of events dispatched so far.
size_t
    oa_sse_parser_events (oa_sse_parser_t *self);

//  Create a writer framing events for the given client format.
oa_sse_writer_t *
    oa_sse_writer_new (oa_api_format_t format);

//  Destroy a writer; nulls the pointer.  Safe on NULL.
void
    oa_sse_writer_destroy (oa_sse_writer_t **self_p);

//  Append one event.  type names it for Responses and Claude (required
//  there, ignored for Chat and Gemini, which carry no `event:` line).  Line
//  breaks inside data become separate `data:` lines.  Returns 0 or -1.
int
    oa_sse_writer_event (oa_sse_writer_t *self, const char *type, const char *data, size_t size);

//  Append one JSON event; a NULL type is taken from data's "type" member.
int
    oa_sse_writer_json (oa_sse_writer_t *self, const char *type, json_t *data);

//  Append the stream terminator: `data: [DONE]` for Chat, nothing otherwise.
int
    oa_sse_writer_done (oa_sse_writer_t *self);

//  Append a comment event (keep-alive), e.g. ": keep-alive\n\n".
int
    oa_sse_writer_comment (oa_sse_writer_t *self, const char *text);

//  Bytes written and not yet cleared.  Borrowed; valid until the next call.
const char *
    oa_sse_writer_data (oa_sse_writer_t *self, size_t *size_p);

//  Forget the bytes written so far (after the caller has sent them).
void
    oa_sse_writer_clear (oa_sse_writer_t *self);

//  The format this writer frames for.
oa_api_format_t
    oa_sse_writer_format (oa_sse_writer_t *self);

//  Flags used for every JSON this module and the converters serialise:
//  compact, and reals printed without binary noise (0.2, not 0.20000000000000001).
#define OA_SSE_JSON_FLAGS   (JSON_COMPACT | JSON_REAL_PRECISION (15))

//  Self test
void
    oa_sse_test (bool verbose);

#endif
