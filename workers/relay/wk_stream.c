/*  =========================================================================
    wk_stream - upstream bytes of one attempt, toward the gateway

    Runs inside curl's write callback: it may send ZeroMQ messages but
    never calls curl; to stop a transfer it records why and returns a short
    count.  A 2xx event stream is parsed event by event and each batch of
    events goes out as one RELAY_DATA when curl's batch of work ends (the
    worker's idle hook: wk_stream_flush_queued), before the worker waits
    again; any other answer (JSON, audio, errors) is collected, up to a cap.

    OpenAI-wire answers pass through: event data is re-framed (data: ...)
    but not re-encoded, so upstream ids and fields reach the client as they
    are (one-api's StreamHandler does the same).  Two kinds of chunk are
    dropped: Azure's prompt-filter chunks (empty choices, no usage) and the
    usage-only chunk when the worker forced include_usage for billing and
    the client did not ask for it.  Upstreams that put usage on the finish
    chunk instead of a chunk of its own get it moved: a Chat client that
    asked for include_usage reads OpenAI's choices:[] usage chunk, before
    [DONE].

    Most chunks need none of that: a content chunk with no usage and no
    error is forwarded as it came and only its text counted.  Those are
    read with oa_json_iter_t, which checks the document as jansson would
    without building a tree (jansson was a fifth of the worker's CPU on
    streams); anything else, or anything the walk is unsure of, is read
    with jansson.  Both readings reach the same outcome for every input
    (wk_stream_test.c, tests/fuzz/wk_stream_event_fuzz.c).

    Converted attempts (another family upstream) feed the raw bytes to the
    attempt's oa_stream_conv instead, and send what it writes in the
    client's grammar.  A 2xx body that starts like JSON is not a stream
    (an error sent with 200): it is collected, so the attempt can fail
    before anything reached the client.
    =========================================================================
*/
#include "wk_job_private.h"
#include "wk_stream_event.h"
#include "../sse/oa_json_scan.h"

#include <ctype.h>
#include "oa_ids.h"
#include "oa_log.h"

//  Sets the abort reason; the transfer then ends with CURLE_WRITE_ERROR.
static size_t
s_abort (wk_job_t *self, int status, const char *reason)
{
    self->abort_status = status;
    snprintf (self->abort_reason, sizeof self->abort_reason, "%s", reason);
    return 0;
}

//  Appends bytes to the collected body; false if over the cap.
static bool
s_collect (wk_job_t *self, const char *data, size_t size, size_t cap)
{
    if (self->buf_size + size > cap)
        return false;
    if (self->buf_size + size + 1 > self->buf_max) {
        size_t max = self->buf_max? self->buf_max * 2: 16384;
        while (max < self->buf_size + size + 1)
            max *= 2;
        char *grown = (char *) realloc (self->buf, max);
        assert (grown);
        self->buf = grown;
        self->buf_max = max;
    }
    memcpy (self->buf + self->buf_size, data, size);
    self->buf_size += size;
    self->buf [self->buf_size] = 0;
    return true;
}

//  Adds the generated text of a chunk to the estimate used when the
//  upstream reports no usage.
static void
s_count_text (wk_job_t *self, json_t *chunk)
{
    size_t index;
    json_t *choice;
    json_array_foreach (json_object_get (chunk, "choices"), index, choice) {
        json_t *delta = json_object_get (choice, "delta");
        const char *fields [] = { "content", "reasoning_content", "reasoning" };
        for (size_t i = 0; i < 3; i++)
            self->completion_bytes += json_string_length (json_object_get (delta, fields [i]));
        self->completion_bytes += json_string_length (json_object_get (choice, "text"));
    }
}

//  True if the client asked a Chat stream for its usage chunk.
static bool
s_client_wants_usage (wk_job_t *self)
{
    json_t *options = json_object_get (self->client_json, "stream_options");
    return self->client_format == OA_API_FORMAT_CHAT
        && (oa_msg_include_usage_requested (self->request)
            || json_is_true (json_object_get (options, "include_usage")));
}

//  A content chunk carries usage: keeps OpenAI's shape by moving the usage
//  into a choices:[] chunk owed before [DONE] (client asked) or dropping it
//  (we asked, for billing).  Returns true if the chunk changed.
static bool
s_move_usage (wk_job_t *self, json_t *chunk)
{
    bool wants = s_client_wants_usage (self);
    if (!wants && !self->up.usage_forced)
        return false;
    json_t *usage = json_object_get (chunk, "usage");
    if (wants) {
        json_decref (self->usage_tail);
        self->usage_tail = json_object ();
        const char *copied [] = { "id", "object", "created", "model", "system_fingerprint" };
        for (size_t i = 0; i < sizeof copied / sizeof copied [0]; i++) {
            json_t *value = json_object_get (chunk, copied [i]);
            if (value)
                json_object_set (self->usage_tail, copied [i], value);
        }
        json_object_set_new (self->usage_tail, "choices", json_array ());
        json_object_set (self->usage_tail, "usage", usage);
    }
    json_object_del (chunk, "usage");
    return true;
}

//  Writes the owed usage chunk, if any.
static int
s_write_usage_tail (wk_job_t *self)
{
    if (!self->usage_tail)
        return 0;
    char *text = json_dumps (self->usage_tail, OA_SSE_JSON_FLAGS);
    json_decref (self->usage_tail);
    self->usage_tail = NULL;
    int rc = text? oa_sse_writer_event (self->writer, NULL, text, strlen (text)): -1;
    free (text);
    return rc;
}

//  One event read with jansson: any chunk.
static int
s_event_jansson (wk_job_t *self, const char *event, const char *data, size_t size)
{
    bool forward = true;
    char *rewritten = NULL;
    json_t *chunk = json_loadb (data, size, 0, NULL);
    if (json_is_object (chunk)) {
        json_t *error = json_object_get (chunk, "error");
        if (error && !json_is_null (error))
            self->error_seen = true;
        if (event && streq (event, "error"))
            self->error_seen = true;
        //  Usage is cumulative where upstreams repeat it: the last one wins
        oa_conv_usage_t usage = { 0 };
        if (oa_conv_usage_parse (&usage, self->client_format, chunk) == 0) {
            self->usage = usage;
            self->usage_seen = true;
        }
        json_t *choices = json_object_get (chunk, "choices");
        if (json_is_array (choices) && json_array_size (choices) == 0) {
            json_t *usage_obj = json_object_get (chunk, "usage");
            if (!json_is_object (usage_obj))
                forward = false;        //  Azure prompt-filter chunk
            else
            if (self->up.usage_forced)
                forward = false;        //  usage we asked for, not the client
            else {
                //  The upstream's own usage chunk: nothing owed any more
                json_decref (self->usage_tail);
                self->usage_tail = NULL;
            }
        }
        else
        if (json_array_size (choices) && json_is_object (json_object_get (chunk, "usage"))
        &&  s_move_usage (self, chunk))
            rewritten = json_dumps (chunk, OA_SSE_JSON_FLAGS);
        s_count_text (self, chunk);
    }
    json_decref (chunk);
    if (!forward)
        return 0;
    int rc = rewritten? oa_sse_writer_event (self->writer, event, rewritten, strlen (rewritten))
                      : oa_sse_writer_event (self->writer, event, data, size);
    free (rewritten);
    return rc;
}

//  True if a key span (bytes between the quotes) is name.
static bool
s_key_is (const oa_json_span_t *key, const char *name, size_t name_size)
{
    return key->size == name_size && memcmp (key->data, name, name_size) == 0;
}

#define S_KEY_IS(key, name) s_key_is ((key), name, sizeof name - 1)

//  Adds the decoded length of a string value (0 for any other value) to
//  *bytes, as json_string_length does.  Returns -1 if in doubt.
static int
s_scan_add_string (const oa_json_span_t *value, size_t *bytes)
{
    size_t length = 0;
    if (!value->data || *value->data != '"')
        return 0;
    if (oa_json_scan_string (value->data, value->size, &length))
        return -1;
    *bytes += length;
    return 0;
}

//  s_count_text for one choice span: the last delta's content,
//  reasoning_content and reasoning, and the last text (the values jansson
//  keeps when a key repeats).  Returns -1 if in doubt.
static int
s_scan_choice (const oa_json_span_t *choice, size_t *bytes)
{
    oa_json_iter_t iter;
    oa_json_span_t key, value, delta = { 0 }, text = { 0 };
    if (oa_json_iter_init (&iter, choice->data, choice->size, true) || iter.close != '}')
        return 0;               //  not an object: nothing counted
    int rc;
    while ((rc = oa_json_iter_next (&iter, &key, &value)) == 1) {
        if (memchr (key.data, '\\', key.size))
            return -1;          //  an escaped key may decode to one we want
        if (S_KEY_IS (&key, "delta"))
            delta = value;
        else
        if (S_KEY_IS (&key, "text"))
            text = value;
    }
    if (rc || s_scan_add_string (&text, bytes))
        return -1;
    if (!delta.data || *delta.data != '{')
        return 0;
    oa_json_span_t fields [3] = { { 0 } };
    if (oa_json_iter_init (&iter, delta.data, delta.size, true))
        return -1;
    while ((rc = oa_json_iter_next (&iter, &key, &value)) == 1) {
        if (memchr (key.data, '\\', key.size))
            return -1;
        if (S_KEY_IS (&key, "content"))
            fields [0] = value;
        else
        if (S_KEY_IS (&key, "reasoning_content"))
            fields [1] = value;
        else
        if (S_KEY_IS (&key, "reasoning"))
            fields [2] = value;
    }
    if (rc)
        return -1;
    for (size_t i = 0; i < 3; i++)
        if (s_scan_add_string (&fields [i], bytes))
            return -1;
    return 0;
}

//  One event read without a tree, for the common chunk: an object with a
//  non-empty choices array, no usage and no error (null for either is
//  fine).  It is forwarded as it came and its text counted.  Returns 0, or
//  1 without touching the job for anything else or anything in doubt
//  (jansson's reading then decides).
static int
s_event_scan (wk_job_t *self, const char *event, const char *data, size_t size)
{
    //  Top-level keys oa_conv_usage_parse or the error check look at
#   define S_NAME(name) { name, sizeof name - 1 }
    static const struct { const char *name; size_t size; } reserved [] = {
        S_NAME ("x_groq"), S_NAME ("response"), S_NAME ("message"), S_NAME ("prompt_tokens"),
        S_NAME ("input_tokens"), S_NAME ("output_tokens"), S_NAME ("completion_tokens"),
        S_NAME ("usageMetadata"), S_NAME ("promptTokenCount")
    };
    if (event && streq (event, "error"))
        return 1;
    oa_json_iter_t iter;
    oa_json_span_t key, value, choices = { 0 };
    if (oa_json_iter_init (&iter, data, size, false) || iter.close != '}')
        return 1;
    int rc;
    while ((rc = oa_json_iter_next (&iter, &key, &value)) == 1) {
        if (memchr (key.data, '\\', key.size))
            return 1;
        if (S_KEY_IS (&key, "choices"))
            choices = value;    //  the last one, as in jansson
        else
        if (S_KEY_IS (&key, "usage") || S_KEY_IS (&key, "error")) {
            if (value.size != 4 || memcmp (value.data, "null", 4))
                return 1;
        }
        else
        for (size_t i = 0; i < sizeof reserved / sizeof reserved [0]; i++)
            if (s_key_is (&key, reserved [i].name, reserved [i].size))
                return 1;
    }
    //  The whole document is checked now (rc 0)
    if (rc || !choices.data || *choices.data != '[')
        return 1;
    size_t bytes = 0, count = 0;
    if (oa_json_iter_init (&iter, choices.data, choices.size, true))
        return 1;
    while ((rc = oa_json_iter_next (&iter, NULL, &value)) == 1) {
        count++;
        if (s_scan_choice (&value, &bytes))
            return 1;
    }
    if (rc || count == 0)
        return 1;               //  choices:[] chunks are dropped or kept by jansson's reading
    self->completion_bytes += bytes;
    return 0;
}

int
wk_stream_event (wk_job_t *self, const char *event, const char *data, size_t size,
                 wk_stream_path_t path)
{
    if (path != WK_STREAM_JANSSON && s_event_scan (self, event, data, size) == 0)
        return oa_sse_writer_event (self->writer, event, data, size);
    if (path == WK_STREAM_SCAN)
        return 1;
    return s_event_jansson (self, event, data, size);
}

//  Parser callback: one upstream event.
static int
s_on_event (const char *event, const char *data, size_t size, const char *id, void *arg)
{
    (void) id;
    wk_job_t *self = (wk_job_t *) arg;
    if (size == 6 && memcmp (data, "[DONE]", 6) == 0) {
        self->done_seen = true;
        if (s_write_usage_tail (self))
            return -1;
        return oa_sse_writer_done (self->writer);
    }
    return wk_stream_event (self, event, data, size, WK_STREAM_AUTO);
}

//  --------------------------------------------------------------------------
//  Sends RELAY_HEAD (once)

int
wk_stream_send_head (wk_job_t *self, int status, const char *content_type)
{
    if (self->head_sent)
        return 0;
    oa_msg_t *head = oa_msg_new_reply (self->request, OA_MSG_RELAY_HEAD);
    oa_msg_set_status (head, (uint16_t) status);
    oa_msg_set_content_type (head, content_type);
    oa_msg_set_channel_id (head, self->channel_id);
    oa_msg_set_attempts (head, (uint16_t) self->attempts);
    int rc = oa_msg_send (head, self->gateway, OA_MSG_DONTWAIT);
    oa_msg_destroy (&head);
    //  Even a refused HEAD may have been partly seen: never retry after this
    self->head_sent = true;
    self->first_sent_ms = oa_clock_mono_ms ();
    return rc;
}

//  Sends bytes as one RELAY_DATA.
static int
s_send_data (wk_job_t *self, const void *data, size_t size)
{
    oa_msg_t *msg = oa_msg_new_reply (self->request, OA_MSG_RELAY_DATA);
    oa_msg_set_seq (msg, self->seq++);
    oa_msg_set_payload_bytes (msg, data, size);
    int rc = oa_msg_send (msg, self->gateway, OA_MSG_DONTWAIT);
    oa_msg_destroy (&msg);
    return rc;
}


//  --------------------------------------------------------------------------
//  Sends the writer's pending bytes

int
wk_stream_flush (wk_job_t *self)
{
    size_t size = 0;
    const char *data = self->sconv? oa_stream_conv_data (self->sconv, &size)
                                  : oa_sse_writer_data (self->writer, &size);
    if (!size)
        return 0;
    int rc = 0;
    if (!self->head_sent)
        rc = wk_stream_send_head (self, 200, "text/event-stream");
    if (rc == 0)
        rc = s_send_data (self, data, size);
    if (self->sconv)
        oa_stream_conv_clear (self->sconv);
    else
        oa_sse_writer_clear (self->writer);
    return rc;
}


//  --------------------------------------------------------------------------
//  The flush queue: jobs whose writer holds bytes from this batch

static void
s_queue_flush (wk_job_t *self)
{
    if (self->flush_queued)
        return;
    self->flush_queued = true;
    self->flush_next = self->ctx->flush_queue;
    self->ctx->flush_queue = self;
}

void
wk_stream_unqueue (wk_job_t *self)
{
    if (!self->flush_queued)
        return;
    for (wk_job_t **link = &self->ctx->flush_queue; *link; link = &(*link)->flush_next)
        if (*link == self) {
            *link = self->flush_next;
            break;
        }
    self->flush_queued = false;
    self->flush_next = NULL;
}

int
wk_stream_flush_job (wk_job_t *self)
{
    wk_stream_unqueue (self);
    if (wk_stream_flush (self)) {
        self->flush_failed = true;      //  the next write callback aborts
        return -1;
    }
    return 0;
}

void
wk_stream_flush_queued (wk_ctx_t *ctx)
{
    while (ctx->flush_queue)
        wk_stream_flush_job (ctx->flush_queue);
}


//  --------------------------------------------------------------------------
//  The write callback of every attempt's easy handle

size_t
wk_stream_write (char *data, size_t size, size_t nmemb, void *arg)
{
    wk_job_t *self = (wk_job_t *) arg;
    size_t bytes = size * nmemb;
    self->last_byte_ms = oa_clock_mono_ms ();
    if (!self->headers_seen) {
        self->headers_seen = true;
        curl_easy_getinfo (self->easy, CURLINFO_RESPONSE_CODE, &self->status);
        char *content_type = NULL;
        curl_easy_getinfo (self->easy, CURLINFO_CONTENT_TYPE, &content_type);
        if (self->sconv)
            ;                   //  decided by the body's first byte, below
        else
        if (self->status >= 200 && self->status < 300 && content_type
        &&  strstr (content_type, "text/event-stream")) {
            self->sse = true;
            self->parser = oa_sse_parser_new (s_on_event, self, self->ctx->event_cap,
                                              self->ctx->event_cap);
        }
    }
    if (self->sconv && !self->sniffed && self->status >= 200 && self->status < 300) {
        size_t at = 0;
        while (at < bytes && isspace ((unsigned char) data [at]))
            at++;
        if (at == bytes)
            return bytes;       //  leading blank lines mean nothing to either reading
        self->sniffed = true;
        self->sse = data [at] != '{' && data [at] != '[';
        data += at;
        bytes -= at;
        if (!self->sse)
            self->buf_error = true;
    }
    if (self->flush_failed)
        return s_abort (self, 503, "gateway did not take the stream (queue full)");
    if (self->sse && self->sconv) {
        //  A failed converter has written the client's error event: it goes out too
        oa_stream_conv_feed (self->sconv, data, bytes);
        s_queue_flush (self);
        if (oa_stream_conv_ended (self->sconv))
            self->done_seen = true;
        return size * nmemb;
    }
    if (self->sse) {
        if (oa_sse_parser_feed (self->parser, data, bytes))
            return s_abort (self, 502, "upstream event stream malformed or over the event cap");
        s_queue_flush (self);
        return bytes;
    }
    if (self->status >= 200 && self->status < 300 && !self->buf_error) {
        if (!s_collect (self, data, bytes, self->ctx->body_cap))
            return s_abort (self, 502, "upstream response over the body cap");
    }
    else
        s_collect (self, data, bytes, self->ctx->error_cap);   //  the rest is dropped
    return size * nmemb;
}


//  --------------------------------------------------------------------------
//  The end of a stream: the parser's last event, and what is left

void
wk_stream_finish_events (wk_job_t *self)
{
    if (self->sconv)
        oa_stream_conv_finish (self->sconv);
    else
    if (self->parser) {
        oa_sse_parser_finish (self->parser);
        //  A stream cut before [DONE] still gets the usage it was owed
        s_write_usage_tail (self);
    }
}

const char *
wk_stream_pending (wk_job_t *self, size_t *size)
{
    *size = 0;
    return self->sconv? oa_stream_conv_data (self->sconv, size)
                      : oa_sse_writer_data (self->writer, size);
}


//  --------------------------------------------------------------------------
//  Parses the non-stream body's usage

void
wk_stream_body_usage (wk_job_t *self)
{
    if (!self->buf_size)
        return;
    //  Only the usage member is parsed when it sits at the top level, where
    //  every format puts it; other places (x_groq.usage, ...) need the tree
    const char *span;
    size_t span_size;
    const char *key = self->client_format == OA_API_FORMAT_GEMINI? "usageMetadata": "usage";
    json_t *body = NULL;
    if (oa_json_scan_member (self->buf, self->buf_size, key, &span, &span_size) == 0) {
        //  Rewrapped as {key: value}: the parser then sees what it would
        //  have seen in the whole body
        json_t *member = json_loadb (span, span_size, JSON_DECODE_ANY, NULL);
        if (member) {
            body = json_object ();
            json_object_set_new (body, key, member);
        }
    }
    if (!json_is_object (body)) {
        json_decref (body);
        body = json_loadb (self->buf, self->buf_size, 0, NULL);
    }
    oa_conv_usage_t usage = { 0 };
    if (json_is_object (body) && oa_conv_usage_parse (&usage, self->client_format, body) == 0) {
        self->usage = usage;
        self->usage_seen = true;
    }
    json_decref (body);
}


//  --------------------------------------------------------------------------
//  Takes a converted stream's usage from its converter

void
wk_stream_take_usage (wk_job_t *self)
{
    oa_conv_usage_t reported;
    if (self->sconv && oa_stream_conv_usage (self->sconv, &reported)) {
        self->usage = reported;
        self->usage_seen = true;
    }
}
