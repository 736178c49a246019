/*  =========================================================================
    oa_stream_conv - stateful conversion of an upstream SSE stream into the
    client's SSE stream

    Feed upstream bytes (or parsed events one at a time); read back the
    client's bytes.  Upstream Chat chunks, Claude events, Gemini chunks and
    Responses events are decoded into one set of steps (text, reasoning,
    tool call start/arguments, finish, usage, error), which an encoder per
    client format turns into exactly that format's grammar (wire-formats.md
    §1.3-§4.3 and what the SDK stream helpers demand, §8).  Same-format
    pairs pass events through byte for byte, only watching usage.

    Usage is collected for billing in OpenAI semantics; cumulative reports
    overwrite (last wins).  An upstream error mid-stream becomes the client
    format's error event and ends the client stream.
    =========================================================================
*/
#ifndef OA_STREAM_CONV_H_INCLUDED
#define OA_STREAM_CONV_H_INCLUDED

#include "oa_conv.h"

typedef struct _oa_stream_conv_t oa_stream_conv_t;

//  Create a stream converter for one request.  conv is borrowed and must
//  outlive it; convert the request with conv first (tool names, usage
//  wishes).  Caller owns the result.
oa_stream_conv_t *
    oa_stream_conv_new (oa_conv_t *conv, oa_api_format_t upstream, oa_api_format_t client);

//  Destroy a stream converter; nulls the pointer.  Safe on NULL.
void
    oa_stream_conv_destroy (oa_stream_conv_t **self_p);

//  Feed raw upstream body bytes, split anywhere.  A body that is plain JSON
//  rather than SSE (an error sent with a 200 or an event-stream type) is
//  collected and reported at finish.  Returns 0, or -1 once the stream has
//  failed (the client's error event has been written).
int
    oa_stream_conv_feed (oa_stream_conv_t *self, const void *bytes, size_t size);

//  Feed one parsed upstream event (event name may be NULL).  Returns 0 or -1.
int
    oa_stream_conv_event (oa_stream_conv_t *self, const char *event, const char *data, size_t size);

//  The upstream body ended cleanly: write whatever the client format needs
//  to close (final events, usage, [DONE]).  Idempotent.  Returns 0 or -1.
int
    oa_stream_conv_finish (oa_stream_conv_t *self);

//  The transfer failed (timeout, reset, bad status mid-way): write the
//  client's error event and end the stream.  Ignored once ended.
void
    oa_stream_conv_fail (oa_stream_conv_t *self, int status, const char *message);

//  Client bytes produced and not yet cleared.  Borrowed; valid until the
//  next call on self.
const char *
    oa_stream_conv_data (oa_stream_conv_t *self, size_t *size_p);

//  Forget produced bytes once the caller has sent them.
void
    oa_stream_conv_clear (oa_stream_conv_t *self);

//  Total bytes ever produced for the client (0 = a retry is still invisible).
size_t
    oa_stream_conv_produced (oa_stream_conv_t *self);

//  Copy usage seen so far; returns true if upstream reported any.
bool
    oa_stream_conv_usage (oa_stream_conv_t *self, oa_conv_usage_t *usage);

//  True once the client stream is complete (normally or by error).
bool
    oa_stream_conv_ended (oa_stream_conv_t *self);

//  True if the stream ended with an error event.
bool
    oa_stream_conv_failed (oa_stream_conv_t *self);

//  Check bytes against a client format's stream grammar: framing, event
//  names, order, indexes, sequence numbers, tool-call identity, and (when
//  strict_json) that reassembled tool arguments parse.  Used by tests and
//  fuzzers.  Returns 0, or -1 with the reason in err (OA_CONV_ERR_SIZE).
int
    oa_stream_check (oa_api_format_t format, const char *bytes, size_t size,
                     bool strict_json, char *err);

//  Self tests
void
    oa_stream_conv_test (bool verbose);

#endif
