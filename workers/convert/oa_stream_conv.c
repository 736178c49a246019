/*  =========================================================================
    oa_stream_conv - upstream SSE stream -> client SSE stream

    The core: lifecycle, byte feeding through oa_sse, detection of a plain
    JSON body where SSE was expected, same-format passthrough, and the step
    router between the decoders (oa_stream_decode.c) and the encoders
    (oa_stream_enc_*.c).

    Invariants: after `ended` nothing more is written; START is written once
    and before any content step; an error ends the stream.
    =========================================================================
*/
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_stream_private.h"

static int
s_on_event (const char *event, const char *data, size_t size, const char *id, void *arg)
{
    (void) id;
    oa_stream_conv_event ((oa_stream_conv_t *) arg, event, data, size);
    return 0;
}


static bool
s_known (oa_api_format_t format)
{
    return format == OA_API_FORMAT_CHAT || format == OA_API_FORMAT_RESPONSES
        || format == OA_API_FORMAT_CLAUDE || format == OA_API_FORMAT_GEMINI;
}


//  --------------------------------------------------------------------------
//  Create a stream converter

oa_stream_conv_t *
oa_stream_conv_new (oa_conv_t *conv, oa_api_format_t upstream, oa_api_format_t client)
{
    assert (conv);
    bool known = s_known (upstream) && s_known (client);
    //  Gemini clients are relayed to Gemini only (no Chat -> Gemini encoder)
    if (!known || (client == OA_API_FORMAT_GEMINI && upstream != OA_API_FORMAT_GEMINI))
        return NULL;
    oa_stream_conv_t *self = (oa_stream_conv_t *) calloc (1, sizeof (oa_stream_conv_t));
    if (!self)
        return NULL;
    self->conv = conv;
    self->upstream = upstream;
    self->client = client;
    //  A Chat upstream emulating json_schema with a tool (oa_conv_set_schema_tool)
    //  needs its tool call turned back into text, even for a Chat client
    //  ?reasoning_format= and ?thinking=true reshape a Chat reply likewise
    self->passthrough = upstream == client
                     && !(upstream == OA_API_FORMAT_CHAT
                          && (conv->structured_tool || oa_conv_reshapes_chat (conv)));
    self->parser = oa_sse_parser_new (s_on_event, self, 0, 0);
    self->writer = oa_sse_writer_new (client);
    self->item_tools = json_object ();
    self->items = json_array ();
    self->open_item = -1;
    self->open_tool = -1;
    self->block_tool = -1;
    self->emulated_index = -1;
    if (!self->parser || !self->writer || !self->item_tools || !self->items)
        oa_stream_conv_destroy (&self);
    return self;
}


//  --------------------------------------------------------------------------
//  Destroy a stream converter

void
oa_stream_conv_destroy (oa_stream_conv_t **self_p)
{
    assert (self_p);
    oa_stream_conv_t *self = *self_p;
    if (self) {
        oa_sse_parser_destroy (&self->parser);
        oa_sse_writer_destroy (&self->writer);
        oa_cv_buf_free (&self->raw_body);
        oa_cv_buf_free (&self->item_text);
        for (int i = 0; i < OA_ST_MAX_TOOLS; i++) {
            free (self->tools [i].id);
            free (self->tools [i].name);
            oa_cv_buf_free (&self->tools [i].args);
        }
        free (self->finish);
        free (self->model);
        json_decref (self->sig_blocks);
        oa_cv_buf_free (&self->sig_text);
        free (self->sig_signature);
        json_decref (self->item_tools);
        json_decref (self->items);
        json_decref (self->item_extra);
        free (self);
        *self_p = NULL;
    }
}


//  --------------------------------------------------------------------------
//  Write one client event; takes data_p

void
oa_st_write (oa_stream_conv_t *self, const char *type, json_t *data_p)
{
    if (!data_p)
        return;
    size_t before, after;
    oa_sse_writer_data (self->writer, &before);
    oa_sse_writer_json (self->writer, type, data_p);
    oa_sse_writer_data (self->writer, &after);
    self->produced += after - before;
    json_decref (data_p);
}


static void
s_write_raw (oa_stream_conv_t *self, const char *type, const char *data, size_t size)
{
    size_t before, after;
    oa_sse_writer_data (self->writer, &before);
    oa_sse_writer_event (self->writer, type, data, size);
    oa_sse_writer_data (self->writer, &after);
    self->produced += after - before;
}


void
oa_st_done (oa_stream_conv_t *self)
{
    size_t before, after;
    oa_sse_writer_data (self->writer, &before);
    oa_sse_writer_done (self->writer);
    oa_sse_writer_data (self->writer, &after);
    self->produced += after - before;
}


//  --------------------------------------------------------------------------
//  Route a step to the client's encoder

void
oa_st_emit (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args)
{
    static const oa_st_args_t none = { NULL, 0, 0, NULL, NULL, 0 };
    if (self->ended)
        return;
    if (!args)
        args = &none;
    if (op == OA_ST_START && self->started)
        return;
    //  Tool steps: in range, started once, arguments only after the start
    if (op == OA_ST_TOOL_START || op == OA_ST_TOOL_ARGS) {
        if (args->index < 0 || args->index >= OA_ST_MAX_TOOLS)
            return;
        oa_st_tool_t *tool = &self->tools [args->index];
        if (op == OA_ST_TOOL_START) {
            if (tool->started)
                return;
            tool->started = true;
        }
        else {
            if (!tool->started || !args->size)
                return;
            if (tool->args.size + args->size <= OA_ST_MAX_ARGS)
                oa_cv_buf_add (&tool->args, args->text, args->size);
        }
    }
    if (op != OA_ST_START && op != OA_ST_ERROR && !self->started)
        oa_st_emit (self, OA_ST_START, &none);
    if (op == OA_ST_START)
        self->started = true;
    if (self->client == OA_API_FORMAT_CHAT)
        oa_st_encode_chat (self, op, args);
    else
    if (self->client == OA_API_FORMAT_CLAUDE)
        oa_st_encode_claude (self, op, args);
    else
    if (self->client == OA_API_FORMAT_RESPONSES)
        oa_st_encode_responses (self, op, args);
    if (op == OA_ST_END || op == OA_ST_ERROR)
        self->ended = true;
    if (op == OA_ST_ERROR)
        self->failed = true;
}

void
oa_st_text (oa_stream_conv_t *self, oa_st_op_t op, const char *text, size_t size)
{
    if (!text || !size)
        return;
    oa_st_args_t args = { text, size, 0, NULL, NULL, 0 };
    oa_st_emit (self, op, &args);
}

void
oa_st_finish_reason (oa_stream_conv_t *self, const char *reason)
{
    if (!reason)
        return;
    free (self->finish);
    self->finish = strdup (reason);
}

//  An upstream error body -> the client's error event; ends the stream.
void
oa_st_error_json (oa_stream_conv_t *self, int status, const char *body, size_t size)
{
    int client_status = 0;
    json_t *error = oa_conv_error (self->upstream, status, body, size, self->client, &client_status);
    oa_st_args_t args = { NULL, 0, 0, NULL, error, client_status };
    oa_st_emit (self, OA_ST_ERROR, &args);
    json_decref (error);
}


//  Passthrough: error event in the client's own format, from its body.
static void
s_passthrough_error (oa_stream_conv_t *self, json_t *error)
{
    if (self->client == OA_API_FORMAT_RESPONSES) {
        json_t *inner = oa_cv_obj (error, "error");
        json_t *code = json_object_get (inner, "code");
        oa_st_write (self, "error", json_pack ("{s:s,s:O,s:O,s:n,s:I}", "type", "error",
            "code", code? code: json_null (),
            "message", json_object_get (inner, "message")? json_object_get (inner, "message"): json_null (),
            "param", "sequence_number", (json_int_t) self->sequence++));
    }
    else
        oa_st_write (self, self->client == OA_API_FORMAT_CLAUDE? "error": NULL, json_incref (error));
    if (self->client == OA_API_FORMAT_CHAT)
        oa_st_done (self);
    self->ended = self->failed = true;
}


//  Same format: forward each event unchanged, watching usage and the end.
static void
s_passthrough (oa_stream_conv_t *self, const char *event, const char *data, size_t size)
{
    if (self->client == OA_API_FORMAT_CHAT && size == 6 && !memcmp (data, "[DONE]", 6)) {
        oa_st_done (self);
        self->ended = true;
        return;
    }
    json_t *json = json_loadb (data, size, 0, NULL);
    if (!json_is_object (json)) {
        //  Not JSON: the client's SDK would throw on it; keep the stream alive
        json_decref (json);
        return;
    }
    self->started = true;
    if (oa_conv_usage_parse (&self->usage, self->upstream, json) == 0)
        self->have_usage = true;
    const char *type = event? event: oa_cv_str (json, "type");
    switch (self->client) {
        case OA_API_FORMAT_CHAT:
            if (json_object_get (json, "error") && !json_object_get (json, "choices")) {
                s_write_raw (self, NULL, data, size);
                oa_st_done (self);
                self->ended = self->failed = true;
                break;
            }
            //  We asked for usage for billing; hide it if the client did not
            if (!self->conv->include_usage && oa_cv_obj (json, "usage")
            &&  json_array_size (oa_cv_arr (json, "choices")) == 0)
                break;
            s_write_raw (self, NULL, data, size);
            break;
        case OA_API_FORMAT_CLAUDE:
            if (!type)
                break;
            s_write_raw (self, type, data, size);
            if (!strcmp (type, "message_stop"))
                self->ended = true;
            else
            if (!strcmp (type, "error"))
                self->ended = self->failed = true;
            break;
        case OA_API_FORMAT_RESPONSES: {
            if (!type)
                break;
            int64_t sequence;
            if (oa_cv_int (json, "sequence_number", &sequence))
                self->sequence = (long) sequence + 1;
            s_write_raw (self, type, data, size);
            if (!strcmp (type, "error"))
                self->failed = true;
            if (!strcmp (type, "response.completed") || !strcmp (type, "response.incomplete")
            ||  !strcmp (type, "response.failed"))
                self->ended = true;
            if (!strcmp (type, "response.failed"))
                self->failed = true;
            break;
        }
        default:
            //  Gemini's SDK does not join multi-line data: keep one line
            if (memchr (data, '\n', size) || memchr (data, '\r', size))
                oa_st_write (self, NULL, json_incref (json));
            else
                s_write_raw (self, NULL, data, size);
            if (json_object_get (json, "error"))
                self->ended = self->failed = true;
            break;
    }
    json_decref (json);
}


//  --------------------------------------------------------------------------
//  Feed one parsed upstream event

int
oa_stream_conv_event (oa_stream_conv_t *self, const char *event, const char *data, size_t size)
{
    assert (self);
    if (!self->ended && data) {
        if (self->passthrough)
            s_passthrough (self, event, data, size);
        else
        if (self->upstream == OA_API_FORMAT_CHAT)
            oa_st_decode_chat (self, data, size);
        else
        if (self->upstream == OA_API_FORMAT_CLAUDE)
            oa_st_decode_claude (self, event, data, size);
        else
        if (self->upstream == OA_API_FORMAT_GEMINI)
            oa_st_decode_gemini (self, data, size);
        else
            oa_st_decode_responses (self, event, data, size);
    }
    return self->failed? -1: 0;
}


//  --------------------------------------------------------------------------
//  Feed raw upstream body bytes

int
oa_stream_conv_feed (oa_stream_conv_t *self, const void *bytes, size_t size)
{
    assert (self);
    if (self->ended)
        return self->failed? -1: 0;
    const unsigned char *p = (const unsigned char *) bytes;
    if (!self->sniffed) {
        //  SSE never starts with '{' or '[' (that line would be ignored as
        //  a field): such a body is a JSON reply, usually an error.
        size_t at = 0;
        while (at < size && (isspace (p [at]) || p [at] == 0xEF || p [at] == 0xBB || p [at] == 0xBF))
            at++;
        if (at < size) {
            self->sniffed = true;
            self->raw = p [at] == '{' || p [at] == '[';
        }
    }
    if (self->raw) {
        size_t room = OA_ST_MAX_RAW - self->raw_body.size;
        oa_cv_buf_add (&self->raw_body, (const char *) p, size < room? size: room);
        return 0;
    }
    if (oa_sse_parser_feed (self->parser, bytes, size)) {
        char message [128];
        snprintf (message, sizeof (message), "upstream stream: %s",
                  oa_sse_parser_error (self->parser)? oa_sse_parser_error (self->parser): "malformed");
        oa_stream_conv_fail (self, 502, message);
    }
    return self->failed? -1: 0;
}


//  --------------------------------------------------------------------------
//  The upstream body ended cleanly

int
oa_stream_conv_finish (oa_stream_conv_t *self)
{
    assert (self);
    if (self->ended)
        return self->failed? -1: 0;
    if (self->raw) {
        int status = 0;
        json_t *error = oa_conv_error (self->upstream, 0, self->raw_body.data, self->raw_body.size,
                                       self->client, &status);
        if (self->client == OA_API_FORMAT_GEMINI)
            s_passthrough_error (self, error);
        else {
            oa_st_args_t args = { NULL, 0, 0, NULL, error, status };
            oa_st_emit (self, OA_ST_ERROR, &args);
        }
        json_decref (error);
        return -1;
    }
    oa_sse_parser_finish (self->parser);
    if (self->ended)
        return self->failed? -1: 0;
    if (!self->passthrough) {
        oa_st_think_flush (self);
        oa_st_emit (self, OA_ST_END, NULL);
        return self->failed? -1: 0;
    }
    //  Passthrough: Chat and Gemini may simply stop; Claude and Responses
    //  streams that stop before their terminal event were cut off.
    if (self->client == OA_API_FORMAT_CHAT)
        oa_st_done (self);
    else
    if (self->client == OA_API_FORMAT_CLAUDE || self->client == OA_API_FORMAT_RESPONSES) {
        if (self->client == OA_API_FORMAT_RESPONSES && self->failed) {
            self->ended = true;
            return -1;
        }
        json_t *error = oa_conv_error_new (self->client, 502, NULL,
                                           "upstream stream ended before completion");
        s_passthrough_error (self, error);
        json_decref (error);
        return -1;
    }
    self->ended = true;
    return 0;
}


//  --------------------------------------------------------------------------
//  The transfer failed: write the client's error event

void
oa_stream_conv_fail (oa_stream_conv_t *self, int status, const char *message)
{
    assert (self);
    if (self->ended)
        return;
    json_t *error = oa_conv_error_new (self->client, status, NULL, message);
    if (self->passthrough)
        s_passthrough_error (self, error);
    else {
        oa_st_args_t args = { NULL, 0, 0, NULL, error, status };
        oa_st_emit (self, OA_ST_ERROR, &args);
    }
    json_decref (error);
}


//  --------------------------------------------------------------------------
//  Accessors

const char *
oa_stream_conv_data (oa_stream_conv_t *self, size_t *size_p)
{
    assert (self);
    return oa_sse_writer_data (self->writer, size_p);
}

void
oa_stream_conv_clear (oa_stream_conv_t *self)
{
    assert (self);
    oa_sse_writer_clear (self->writer);
}

size_t
oa_stream_conv_produced (oa_stream_conv_t *self)
{
    assert (self);
    return self->produced;
}

bool
oa_stream_conv_usage (oa_stream_conv_t *self, oa_conv_usage_t *usage)
{
    assert (self);
    if (usage)
        *usage = self->usage;
    return self->have_usage;
}

bool
oa_stream_conv_ended (oa_stream_conv_t *self)
{
    assert (self);
    return self->ended;
}

bool
oa_stream_conv_failed (oa_stream_conv_t *self)
{
    assert (self);
    return self->failed;
}
