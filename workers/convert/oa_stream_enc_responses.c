/*  =========================================================================
    oa_stream_enc_responses - converter steps -> OpenAI Responses events

    Grammar (wire-formats.md §2.3-§2.5, ResponseStream §8.1): every event has
    `event:` = data.type and sequence_number counting from 0;
    response.created then response.in_progress first; output items are
    appended (output_index = count so far) with ids; a message item gets
    content_part.added before output_text deltas; reasoning uses
    reasoning_summary_part/text events; function calls stream
    function_call_arguments deltas and a done with name and arguments; every
    item is closed by output_item.done; response.completed (or
    response.incomplete) carries all items and usage.  Function-call items
    stay open until something else starts, so interleaved argument deltas of
    parallel calls still land (events address items by output_index).
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_stream_private.h"

//  Writes an event of type with fields (stolen), numbered.
static void
s_event (oa_stream_conv_t *self, const char *type, json_t *fields)
{
    json_t *data = json_pack ("{s:s,s:I}", "type", type, "sequence_number", (json_int_t) self->sequence++);
    json_object_update (data, fields);
    json_decref (fields);
    oa_st_write (self, type, data);
}

static char *
s_item_id (oa_stream_conv_t *self, const char *prefix, int output_index)
{
    return oa_cv_make_id (self->conv, prefix, output_index);
}

static json_t *
s_text_part (const char *text)
{
    return json_pack ("{s:s,s:s,s:[],s:[]}", "type", "output_text", "text", text,
                      "annotations", "logprobs");
}

//  Closes the open message or reasoning item.
static void
s_close_open (oa_stream_conv_t *self)
{
    int index = self->open_item;
    const char *text = self->item_text.data? self->item_text.data: "";
    if (self->open_kind == OA_ST_KIND_TEXT) {
        char *id = s_item_id (self, "msg_", index);
        s_event (self, "response.output_text.done", json_pack ("{s:s,s:i,s:i,s:s,s:[]}",
            "item_id", id, "output_index", index, "content_index", 0, "text", text, "logprobs"));
        s_event (self, "response.content_part.done", json_pack ("{s:s,s:i,s:i,s:o}",
            "item_id", id, "output_index", index, "content_index", 0, "part", s_text_part (text)));
        json_t *item = json_pack ("{s:s,s:s,s:s,s:s,s:[o]}", "id", id, "type", "message",
            "status", "completed", "role", "assistant", "content", s_text_part (text));
        json_array_set (self->items, (size_t) index, item);
        s_event (self, "response.output_item.done", json_pack ("{s:i,s:o}", "output_index", index,
                                                               "item", item));
        free (id);
    }
    else
    if (self->open_kind == OA_ST_KIND_THINKING) {
        char *id = s_item_id (self, "rs_", index);
        s_event (self, "response.reasoning_summary_text.done", json_pack ("{s:s,s:i,s:i,s:s}",
            "item_id", id, "output_index", index, "summary_index", 0, "text", text));
        s_event (self, "response.reasoning_summary_part.done", json_pack ("{s:s,s:i,s:i,s:{s:s,s:s}}",
            "item_id", id, "output_index", index, "summary_index", 0,
            "part", "type", "summary_text", "text", text));
        json_t *item = json_pack ("{s:s,s:s,s:[{s:s,s:s}]}", "id", id, "type", "reasoning",
            "summary", "type", "summary_text", "text", text);
        oa_cv_copy (item, "encrypted_content", self->item_extra, "encrypted_content");
        json_array_set (self->items, (size_t) index, item);
        s_event (self, "response.output_item.done", json_pack ("{s:i,s:o}", "output_index", index,
                                                               "item", item));
        free (id);
    }
    json_decref (self->item_extra);
    self->item_extra = NULL;
    self->item_text.size = 0;
    self->open_kind = OA_ST_NONE;
    self->open_item = -1;
}

//  Closes every open function-call item, in call order.
static void
s_close_tools (oa_stream_conv_t *self)
{
    for (int i = 0; i < self->tool_count && i < OA_ST_MAX_TOOLS; i++) {
        oa_st_tool_t *tool = &self->tools [i];
        if (!tool->open)
            continue;
        tool->open = false;
        char *id = s_item_id (self, "fc_", tool->output_index);
        const char *arguments = tool->args.data? tool->args.data: "";
        s_event (self, "response.function_call_arguments.done", json_pack ("{s:s,s:i,s:s,s:s}",
            "item_id", id, "output_index", tool->output_index, "name", tool->name? tool->name: "",
            "arguments", arguments));
        json_t *item = json_pack ("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", id, "type", "function_call",
            "status", "completed", "arguments", arguments, "call_id", tool->id? tool->id: "",
            "name", tool->name? tool->name: "");
        json_array_set (self->items, (size_t) tool->output_index, item);
        s_event (self, "response.output_item.done", json_pack ("{s:i,s:o}",
                 "output_index", tool->output_index, "item", item));
        free (id);
    }
}

//  Opens a message (TEXT) or reasoning (THINKING) item unless open.
static void
s_open (oa_stream_conv_t *self, int kind)
{
    if (self->open_kind == kind)
        return;
    s_close_open (self);
    s_close_tools (self);
    int index = (int) json_array_size (self->items);
    char *id = s_item_id (self, kind == OA_ST_KIND_TEXT? "msg_": "rs_", index);
    json_t *item = kind == OA_ST_KIND_TEXT
        ? json_pack ("{s:s,s:s,s:s,s:s,s:[]}", "id", id, "type", "message", "status", "in_progress",
                     "role", "assistant", "content")
        : json_pack ("{s:s,s:s,s:[]}", "id", id, "type", "reasoning", "summary");
    json_array_append (self->items, item);
    s_event (self, "response.output_item.added", json_pack ("{s:i,s:o}", "output_index", index,
                                                            "item", item));
    if (kind == OA_ST_KIND_TEXT)
        s_event (self, "response.content_part.added", json_pack ("{s:s,s:i,s:i,s:o}",
            "item_id", id, "output_index", index, "content_index", 0, "part", s_text_part ("")));
    else
        s_event (self, "response.reasoning_summary_part.added", json_pack ("{s:s,s:i,s:i,s:{s:s,s:s}}",
            "item_id", id, "output_index", index, "summary_index", 0,
            "part", "type", "summary_text", "text", ""));
    free (id);
    self->open_kind = kind;
    self->open_item = index;
}

//  The Response object for lifecycle events (fresh).
static json_t *
s_response (oa_stream_conv_t *self, const char *status, bool final)
{
    json_t *response = oa_cv_responses_envelope (self->conv, self->model, status);
    if (final) {
        json_object_set (response, "output", self->items);
        json_object_set_new (response, "usage", oa_conv_usage_json (&self->usage, OA_API_FORMAT_RESPONSES));
    }
    return response;
}


void
oa_st_encode_responses (oa_stream_conv_t *self, oa_st_op_t op, const oa_st_args_t *args)
{
    switch (op) {
        case OA_ST_START:
            s_event (self, "response.created", json_pack ("{s:o}", "response",
                                                          s_response (self, "in_progress", false)));
            s_event (self, "response.in_progress", json_pack ("{s:o}", "response",
                                                              s_response (self, "in_progress", false)));
            break;
        case OA_ST_TEXT:
        case OA_ST_REASONING: {
            bool text = op == OA_ST_TEXT;
            s_open (self, text? OA_ST_KIND_TEXT: OA_ST_KIND_THINKING);
            char *id = s_item_id (self, text? "msg_": "rs_", self->open_item);
            s_event (self, text? "response.output_text.delta": "response.reasoning_summary_text.delta",
                text? json_pack ("{s:s,s:i,s:i,s:s%,s:[]}", "item_id", id, "output_index", self->open_item,
                                 "content_index", 0, "delta", args->text, args->size, "logprobs")
                    : json_pack ("{s:s,s:i,s:i,s:s%}", "item_id", id, "output_index", self->open_item,
                                 "summary_index", 0, "delta", args->text, args->size));
            oa_cv_buf_add (&self->item_text, args->text, args->size);
            free (id);
            break;
        }
        case OA_ST_REASONING_ITEM:
            if (self->open_kind == OA_ST_KIND_THINKING) {
                json_decref (self->item_extra);
                self->item_extra = json_incref (args->json);
            }
            else {
                s_close_open (self);
                s_close_tools (self);
                int index = (int) json_array_size (self->items);
                char *id = s_item_id (self, "rs_", index);
                json_t *item = json_pack ("{s:s,s:s,s:[]}", "id", id, "type", "reasoning", "summary");
                s_event (self, "response.output_item.added", json_pack ("{s:i,s:O}",
                         "output_index", index, "item", item));
                oa_cv_copy (item, "encrypted_content", args->json, "encrypted_content");
                json_array_append (self->items, item);
                s_event (self, "response.output_item.done", json_pack ("{s:i,s:o}",
                         "output_index", index, "item", item));
                free (id);
            }
            break;
        case OA_ST_SIGNATURE:
        case OA_ST_REDACTED:
            break;              //  Anthropic signatures have no Responses form
        case OA_ST_TOOL_START: {
            s_close_open (self);
            oa_st_tool_t *tool = &self->tools [args->index];
            int index = (int) json_array_size (self->items);
            free (tool->id);
            free (tool->name);
            tool->id = args->text && *args->text? strdup (args->text)
                                 : oa_cv_make_id (self->conv, "call_", (long) args->index);
            tool->name = strdup (args->name? args->name: "");
            tool->output_index = index;
            tool->open = true;
            char *id = s_item_id (self, "fc_", index);
            json_t *item = json_pack ("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", id, "type", "function_call",
                "status", "in_progress", "arguments", "", "call_id", tool->id? tool->id: "",
                "name", tool->name? tool->name: "");
            json_array_append (self->items, item);
            s_event (self, "response.output_item.added", json_pack ("{s:i,s:o}",
                     "output_index", index, "item", item));
            free (id);
            break;
        }
        case OA_ST_TOOL_ARGS: {
            oa_st_tool_t *tool = &self->tools [args->index];
            if (!tool->open)
                break;
            char *id = s_item_id (self, "fc_", tool->output_index);
            s_event (self, "response.function_call_arguments.delta", json_pack ("{s:s,s:i,s:s%}",
                "item_id", id, "output_index", tool->output_index, "delta", args->text, args->size));
            free (id);
            break;
        }
        case OA_ST_END: {
            s_close_open (self);
            s_close_tools (self);
            const char *finish = self->finish? self->finish: "stop";
            bool incomplete = !strcmp (finish, "length") || !strcmp (finish, "content_filter");
            json_t *response = s_response (self, incomplete? "incomplete": "completed", true);
            if (incomplete)
                json_object_set_new (response, "incomplete_details", json_pack ("{s:s}", "reason",
                    !strcmp (finish, "length")? "max_output_tokens": "content_filter"));
            else
                json_object_set (response, "completed_at", json_object_get (response, "created_at"));
            s_event (self, incomplete? "response.incomplete": "response.completed",
                     json_pack ("{s:o}", "response", response));
            break;
        }
        case OA_ST_ERROR: {
            if (!self->started) {
                self->started = true;
                oa_st_encode_responses (self, OA_ST_START, args);
            }
            json_t *error = oa_cv_obj (args->json, "error");
            json_t *code = json_object_get (error, "code");
            if (!json_is_string (code))
                code = json_object_get (error, "type");
            const char *message = oa_cv_str (error, "message");
            s_event (self, "error", json_pack ("{s:O,s:s,s:n}", "code", code? code: json_null (),
                "message", message? message: "upstream error", "param"));
            json_t *response = s_response (self, "failed", true);
            json_object_set_new (response, "error", json_pack ("{s:O,s:s}", "code",
                code? code: json_null (), "message", message? message: "upstream error"));
            s_event (self, "response.failed", json_pack ("{s:o}", "response", response));
            break;
        }
    }
}
