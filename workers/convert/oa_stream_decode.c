/*  =========================================================================
    oa_stream_decode - upstream stream events -> converter steps

    One decoder per upstream family.  Each reads one event's JSON, updates
    usage (last report wins), and emits steps.  Malformed events are
    skipped, never trusted: a chunk that is not JSON, an unknown type, a
    tool index out of range.  Tool names are mapped back to the client's.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_stream_private.h"

static void
s_model (oa_stream_conv_t *self, const char *model)
{
    if (model && *model && !self->model)
        self->model = strdup (model);
}

static void
s_usage (oa_stream_conv_t *self, oa_api_format_t format, json_t *obj)
{
    if (oa_conv_usage_parse (&self->usage, format, obj) == 0)
        self->have_usage = true;
}

static void
s_tool_start (oa_stream_conv_t *self, int index, const char *id, const char *name, json_t *extra)
{
    if (index < 0 || index >= OA_ST_MAX_TOOLS)
        return;
    if (index >= self->tool_count)
        self->tool_count = index + 1;
    oa_st_args_t args = { id, id? strlen (id): 0, index,
                          oa_conv_tool_name (self->conv, name? name: ""), extra, 0 };
    oa_st_emit (self, OA_ST_TOOL_START, &args);
}

static void
s_tool_args (oa_stream_conv_t *self, int index, const char *text, size_t size)
{
    if (index < 0 || index >= OA_ST_MAX_TOOLS || !text || !size)
        return;
    oa_st_args_t args = { text, size, index, NULL, NULL, 0 };
    oa_st_emit (self, OA_ST_TOOL_ARGS, &args);
}

static void
s_string_step (oa_stream_conv_t *self, oa_st_op_t op, json_t *value)
{
    if (json_is_string (value))
        oa_st_text (self, op, json_string_value (value), json_string_length (value));
}


//  Extension thinking_blocks from a Chat upstream (LiteLLM, one-api peers).
static void
s_thinking_blocks (oa_stream_conv_t *self, json_t *blocks)
{
    size_t index;
    json_t *block;
    json_array_foreach (blocks, index, block) {
        const char *signature = oa_cv_str (block, "signature");
        if (oa_cv_is (block, "type", "thinking") && signature && *signature) {
            oa_st_args_t args = { signature, strlen (signature), 0, NULL, NULL, 0 };
            oa_st_emit (self, OA_ST_SIGNATURE, &args);
        }
        else
        if (oa_cv_is (block, "type", "redacted_thinking") && oa_cv_str (block, "data")) {
            oa_st_args_t args = { oa_cv_str (block, "data"), 0, 0, NULL, NULL, 0 };
            oa_st_emit (self, OA_ST_REDACTED, &args);
        }
        else
        if (oa_cv_is (block, "type", "reasoning")) {
            oa_st_args_t args = { NULL, 0, 0, NULL, block, 0 };
            oa_st_emit (self, OA_ST_REASONING_ITEM, &args);
        }
    }
}


//  Emits one piece of content text as answer or reasoning, dropping the
//  line breaks that separate </think> from the answer.
static void
s_think_emit (oa_stream_conv_t *self, const char *text, size_t size)
{
    if (!self->in_think && self->think_trim) {
        while (size && (*text == '\n' || *text == '\r')) {
            text++;
            size--;
        }
        if (size)
            self->think_trim = false;
    }
    oa_st_text (self, self->in_think? OA_ST_REASONING: OA_ST_TEXT, text, size);
}

//  Length of the longest tail of text that begins tag (a tag cut by the
//  chunk boundary).
static size_t
s_partial_tag (const char *text, size_t size, const char *tag)
{
    size_t tag_size = strlen (tag);
    for (size_t keep = tag_size - 1; keep > 0; keep--)
        if (keep <= size && !memcmp (text + size - keep, tag, keep))
            return keep;
    return 0;
}

//  Content text with ?thinking=true: <think>...</think> becomes reasoning,
//  tags split across chunks included.
static void
s_think_text (oa_stream_conv_t *self, const char *fragment, size_t fragment_size)
{
    oa_cv_buf_t text = { NULL, 0, 0 };
    oa_cv_buf_add (&text, self->think_hold, self->think_hold_size);
    oa_cv_buf_add (&text, fragment, fragment_size);
    self->think_hold_size = 0;
    const char *at = text.data;
    size_t left = text.size;
    while (left) {
        const char *tag = self->in_think? "</think>": "<think>";
        size_t tag_size = strlen (tag);
        const char *found = NULL;
        for (size_t i = 0; i + tag_size <= left && !found; i++)
            if (!memcmp (at + i, tag, tag_size))
                found = at + i;
        if (found) {
            s_think_emit (self, at, (size_t) (found - at));
            self->think_trim = self->in_think;
            self->in_think = !self->in_think;
            left -= (size_t) (found - at) + tag_size;
            at = found + tag_size;
            continue;
        }
        size_t hold = s_partial_tag (at, left, tag);
        s_think_emit (self, at, left - hold);
        memcpy (self->think_hold, at + left - hold, hold);
        self->think_hold_size = hold;
        break;
    }
    oa_cv_buf_free (&text);
}

void
oa_st_think_flush (oa_stream_conv_t *self)
{
    if (self->think_hold_size) {
        size_t size = self->think_hold_size;
        self->think_hold_size = 0;
        s_think_emit (self, self->think_hold, size);
    }
}


//  --------------------------------------------------------------------------
//  OpenAI Chat chunks (and compatibles: DeepSeek, Groq, xAI, Azure)

void
oa_st_decode_chat (oa_stream_conv_t *self, const char *data, size_t size)
{
    if (size == 6 && !memcmp (data, "[DONE]", 6)) {
        oa_st_think_flush (self);
        oa_st_emit (self, OA_ST_END, NULL);
        return;
    }
    json_t *chunk = json_loadb (data, size, 0, NULL);
    if (!json_is_object (chunk)) {
        json_decref (chunk);
        return;
    }
    if (json_object_get (chunk, "error") && !json_object_get (chunk, "choices")) {
        oa_st_error_json (self, 0, data, size);
        json_decref (chunk);
        return;
    }
    s_model (self, oa_cv_str (chunk, "model"));
    //  Usage: standard chunk, on the finish chunk, or Groq's x_groq.usage
    if (oa_cv_obj (chunk, "usage") || oa_cv_obj (oa_cv_obj (chunk, "x_groq"), "usage"))
        s_usage (self, OA_API_FORMAT_CHAT, chunk);

    //  Only choice 0 is relayed to formats without choices
    size_t index;
    json_t *choice;
    json_array_foreach (oa_cv_arr (chunk, "choices"), index, choice) {
        int64_t number = (int64_t) index;
        oa_cv_int (choice, "index", &number);
        if (number != 0)
            continue;
        json_t *delta = oa_cv_obj (choice, "delta");
        if (delta) {
            if (oa_cv_str (delta, "role"))
                oa_st_emit (self, OA_ST_START, NULL);
            s_string_step (self, OA_ST_REASONING, json_object_get (delta, "reasoning_content"));
            s_string_step (self, OA_ST_REASONING, json_object_get (delta, "reasoning"));
            s_thinking_blocks (self, oa_cv_arr (delta, "thinking_blocks"));
            json_t *content = json_object_get (delta, "content");
            if (self->conv->think_tags && json_is_string (content))
                s_think_text (self, json_string_value (content), json_string_length (content));
            else
                s_string_step (self, OA_ST_TEXT, content);
            s_string_step (self, OA_ST_TEXT, json_object_get (delta, "refusal"));
            size_t call_index;
            json_t *call;
            json_array_foreach (oa_cv_arr (delta, "tool_calls"), call_index, call) {
                int64_t tool = (int64_t) call_index;
                oa_cv_int (call, "index", &tool);
                if (tool < 0 || tool >= OA_ST_MAX_TOOLS)
                    continue;
                json_t *function = oa_cv_obj (call, "function");
                const char *name = oa_cv_str (function, "name");
                const char *emulated = self->conv->structured_tool;
                json_t *arguments = json_object_get (function, "arguments");
                if (emulated && name && !strcmp (name, emulated) && self->emulated_index < 0
                &&  !self->tools [tool].started) {
                    //  The structured-output tool: its arguments are the answer text
                    self->emulated_index = (int) tool;
                    self->emulated = true;
                }
                if (tool == self->emulated_index) {
                    s_string_step (self, OA_ST_TEXT, arguments);
                    continue;
                }
                if (!self->tools [tool].started && (oa_cv_str (call, "id") || name))
                    s_tool_start (self, (int) tool, oa_cv_str (call, "id"), name,
                                  oa_cv_obj (call, "extra_content"));
                if (json_is_string (arguments) && self->tools [tool].started)
                    s_tool_args (self, (int) tool, json_string_value (arguments), json_string_length (arguments));
            }
        }
        const char *finish = oa_cv_str (choice, "finish_reason");
        if (finish && self->emulated && self->tool_count == 0 && !strcmp (finish, "tool_calls"))
            finish = "stop";
        oa_st_finish_reason (self, finish);
    }
    json_decref (chunk);
}


//  Signature cache (oa_sigcache): the thinking blocks of a Claude answer,
//  collected as they stream, remembered when the message stops.
static void
s_sig_close (oa_stream_conv_t *self)
{
    if (!self->sig_blocks)
        return;
    json_array_append_new (self->sig_blocks, json_pack ("{s:s,s:s%,s:s}", "type", "thinking",
        "thinking", self->sig_text.data? self->sig_text.data: "", self->sig_text.size,
        "signature", self->sig_signature? self->sig_signature: ""));
    self->sig_text.size = 0;
    free (self->sig_signature);
    self->sig_signature = NULL;
}

static void
s_sig_remember (oa_stream_conv_t *self)
{
    if (!self->sig_blocks)
        return;
    oa_cv_buf_t reasoning = { NULL, 0, 0 };
    oa_cv_buf_add (&reasoning, "", 0);
    size_t index;
    json_t *block;
    json_array_foreach (self->sig_blocks, index, block)
        oa_cv_buf_puts (&reasoning, oa_cv_str (block, "thinking"));
    oa_cv_sig_remember (self->conv, self->sig_blocks, reasoning.data);
    oa_cv_buf_free (&reasoning);
    json_decref (self->sig_blocks);
    self->sig_blocks = NULL;
}


//  --------------------------------------------------------------------------
//  Anthropic Messages events

void
oa_st_decode_claude (oa_stream_conv_t *self, const char *event, const char *data, size_t size)
{
    json_t *json = json_loadb (data, size, 0, NULL);
    if (!json_is_object (json)) {
        json_decref (json);
        return;
    }
    const char *type = oa_cv_str (json, "type");
    if (!type)
        type = event? event: "";
    if (!strcmp (type, "message_start")) {
        json_t *message = oa_cv_obj (json, "message");
        s_model (self, oa_cv_str (message, "model"));
        s_usage (self, OA_API_FORMAT_CLAUDE, json);
        oa_st_emit (self, OA_ST_START, NULL);
    }
    else
    if (!strcmp (type, "content_block_start")) {
        json_t *block = oa_cv_obj (json, "content_block");
        const char *kind = oa_cv_str (block, "type");
        self->block_kind = OA_ST_KIND_OTHER;
        self->block_tool = -1;
        if (!kind)
            ;
        else
        if (!strcmp (kind, "text")) {
            self->block_kind = OA_ST_KIND_TEXT;
            s_string_step (self, OA_ST_TEXT, json_object_get (block, "text"));
        }
        else
        if (!strcmp (kind, "thinking")) {
            self->block_kind = OA_ST_KIND_THINKING;
            s_string_step (self, OA_ST_REASONING, json_object_get (block, "thinking"));
            if (self->conv->sigcache && !self->sig_blocks)
                self->sig_blocks = json_array ();
            self->sig_text.size = 0;
            oa_cv_buf_puts (&self->sig_text, oa_cv_str (block, "thinking"));
        }
        else
        if (!strcmp (kind, "redacted_thinking") && oa_cv_str (block, "data")) {
            oa_st_args_t args = { oa_cv_str (block, "data"), 0, 0, NULL, NULL, 0 };
            oa_st_emit (self, OA_ST_REDACTED, &args);
            if (self->conv->sigcache && !self->sig_blocks)
                self->sig_blocks = json_array ();
            if (self->sig_blocks)
                json_array_append_new (self->sig_blocks, json_pack ("{s:s,s:s}",
                    "type", "redacted_thinking", "data", oa_cv_str (block, "data")));
        }
        else
        if (!strcmp (kind, "tool_use")) {
            const char *name = oa_cv_str (block, "name");
            const char *emulated = self->conv->structured_tool;
            if (emulated && name && !strcmp (name, emulated)) {
                //  The structured-output tool: its input is the answer text
                self->block_kind = OA_ST_KIND_TEXT;
                self->emulated = true;
            }
            else
            if (self->tool_count < OA_ST_MAX_TOOLS) {
                self->block_kind = OA_ST_KIND_TOOL;
                self->block_tool = self->tool_count;
                s_tool_start (self, self->tool_count, oa_cv_str (block, "id"), name, NULL);
            }
        }
    }
    else
    if (!strcmp (type, "content_block_delta")) {
        json_t *delta = oa_cv_obj (json, "delta");
        const char *kind = oa_cv_str (delta, "type");
        if (!kind)
            ;
        else
        if (!strcmp (kind, "text_delta"))
            s_string_step (self, OA_ST_TEXT, json_object_get (delta, "text"));
        else
        if (!strcmp (kind, "thinking_delta")) {
            s_string_step (self, OA_ST_REASONING, json_object_get (delta, "thinking"));
            if (self->sig_blocks && self->block_kind == OA_ST_KIND_THINKING
            &&  self->sig_text.size < OA_ST_MAX_RAW * 4)
                oa_cv_buf_puts (&self->sig_text, oa_cv_str (delta, "thinking"));
        }
        else
        if (!strcmp (kind, "signature_delta") && oa_cv_str (delta, "signature")) {
            const char *signature = oa_cv_str (delta, "signature");
            if (self->sig_blocks && self->block_kind == OA_ST_KIND_THINKING) {
                free (self->sig_signature);
                self->sig_signature = strdup (signature);
            }
            oa_st_args_t args = { signature, strlen (signature), 0, NULL, NULL, 0 };
            oa_st_emit (self, OA_ST_SIGNATURE, &args);
        }
        else
        if (!strcmp (kind, "input_json_delta")) {
            json_t *partial = json_object_get (delta, "partial_json");
            if (self->block_kind == OA_ST_KIND_TEXT && self->emulated)
                s_string_step (self, OA_ST_TEXT, partial);
            else
            if (self->block_kind == OA_ST_KIND_TOOL && json_is_string (partial))
                s_tool_args (self, self->block_tool, json_string_value (partial),
                             json_string_length (partial));
        }
    }
    else
    if (!strcmp (type, "content_block_stop")) {
        if (self->block_kind == OA_ST_KIND_THINKING)
            s_sig_close (self);
        self->block_kind = OA_ST_NONE;
    }
    else
    if (!strcmp (type, "message_delta")) {
        s_usage (self, OA_API_FORMAT_CLAUDE, json);
        const char *stop = oa_cv_str (oa_cv_obj (json, "delta"), "stop_reason");
        oa_st_finish_reason (self, oa_cv_claude_stop_to_chat (stop, self->emulated));
    }
    else
    if (!strcmp (type, "message_stop")) {
        s_sig_remember (self);
        oa_st_emit (self, OA_ST_END, NULL);
    }
    else
    if (!strcmp (type, "error"))
        oa_st_error_json (self, 0, data, size);
    //  ping and unknown events: nothing to relay
    json_decref (json);
}


//  --------------------------------------------------------------------------
//  Gemini ?alt=sse chunks: whole GenerateContentResponse objects

void
oa_st_decode_gemini (oa_stream_conv_t *self, const char *data, size_t size)
{
    json_t *chunk = json_loadb (data, size, 0, NULL);
    if (!json_is_object (chunk)) {
        json_decref (chunk);
        return;
    }
    if (json_object_get (chunk, "error")) {
        oa_st_error_json (self, 0, data, size);
        json_decref (chunk);
        return;
    }
    s_model (self, oa_cv_str (chunk, "modelVersion"));
    if (oa_cv_obj (chunk, "usageMetadata"))
        s_usage (self, OA_API_FORMAT_GEMINI, chunk);
    oa_st_emit (self, OA_ST_START, NULL);
    json_t *candidate = json_array_get (oa_cv_arr (chunk, "candidates"), 0);
    size_t index;
    json_t *part;
    json_array_foreach (oa_cv_arr (oa_cv_obj (candidate, "content"), "parts"), index, part) {
        if (oa_cv_obj (part, "functionCall")) {
            //  Calls arrive whole: start and complete arguments at once
            if (self->tool_count >= OA_ST_MAX_TOOLS)
                continue;
            int tool = self->tool_count;
            json_t *call = oa_cv_gemini_tool_call (self->conv, part, tool);
            json_t *function = oa_cv_obj (call, "function");
            s_tool_start (self, tool, oa_cv_str (call, "id"), oa_cv_str (function, "name"),
                          oa_cv_obj (call, "extra_content"));
            const char *arguments = oa_cv_str (function, "arguments");
            s_tool_args (self, tool, arguments, arguments? strlen (arguments): 0);
            json_decref (call);
        }
        else
        if (json_is_true (json_object_get (part, "thought")))
            s_string_step (self, OA_ST_REASONING, json_object_get (part, "text"));
        else
            s_string_step (self, OA_ST_TEXT, json_object_get (part, "text"));
    }
    const char *finish = oa_cv_str (candidate, "finishReason");
    if (finish)
        oa_st_finish_reason (self, oa_cv_gemini_finish_to_chat (finish, self->tool_count > 0));
    else
    if (!candidate && oa_cv_str (oa_cv_obj (chunk, "promptFeedback"), "blockReason"))
        oa_st_finish_reason (self, "content_filter");
    json_decref (chunk);
}


//  --------------------------------------------------------------------------
//  OpenAI Responses events

void
oa_st_decode_responses (oa_stream_conv_t *self, const char *event, const char *data, size_t size)
{
    json_t *json = json_loadb (data, size, 0, NULL);
    if (!json_is_object (json)) {
        json_decref (json);
        return;
    }
    const char *type = oa_cv_str (json, "type");
    if (!type)
        type = event? event: "";
    json_t *response = oa_cv_obj (json, "response");
    json_t *item = oa_cv_obj (json, "item");
    const char *item_id = oa_cv_str (json, "item_id");
    json_t *tool_ref = item_id? json_object_get (self->item_tools, item_id): NULL;
    int tool = json_is_integer (tool_ref)? (int) json_integer_value (tool_ref): -1;

    if (!strcmp (type, "response.created") || !strcmp (type, "response.in_progress")) {
        s_model (self, oa_cv_str (response, "model"));
        oa_st_emit (self, OA_ST_START, NULL);
    }
    else
    if (!strcmp (type, "response.output_item.added") && oa_cv_is (item, "type", "function_call")) {
        if (self->tool_count < OA_ST_MAX_TOOLS) {
            tool = self->tool_count;
            if (oa_cv_str (item, "id"))
                json_object_set_new (self->item_tools, oa_cv_str (item, "id"), json_integer (tool));
            const char *call_id = oa_cv_str (item, "call_id");
            s_tool_start (self, tool, call_id? call_id: oa_cv_str (item, "id"), oa_cv_str (item, "name"), NULL);
            json_t *arguments = json_object_get (item, "arguments");
            if (json_string_length (arguments)) {
                self->tools [tool].streamed = true;
                s_tool_args (self, tool, json_string_value (arguments), json_string_length (arguments));
            }
        }
    }
    else
    if (!strcmp (type, "response.output_text.delta") || !strcmp (type, "response.refusal.delta"))
        s_string_step (self, OA_ST_TEXT, json_object_get (json, "delta"));
    else
    if (!strcmp (type, "response.reasoning_summary_text.delta")
    ||  !strcmp (type, "response.reasoning_text.delta"))
        s_string_step (self, OA_ST_REASONING, json_object_get (json, "delta"));
    else
    if (!strcmp (type, "response.reasoning_summary_part.added")) {
        int64_t summary = 0;
        if (oa_cv_int (json, "summary_index", &summary) && summary > 0)
            oa_st_text (self, OA_ST_REASONING, "\n\n", 2);
    }
    else
    if (!strcmp (type, "response.function_call_arguments.delta") && tool >= 0) {
        json_t *delta = json_object_get (json, "delta");
        if (json_string_length (delta)) {
            self->tools [tool].streamed = true;
            s_tool_args (self, tool, json_string_value (delta), json_string_length (delta));
        }
    }
    else
    if (!strcmp (type, "response.output_item.done")) {
        if (oa_cv_is (item, "type", "reasoning") && oa_cv_str (item, "encrypted_content")) {
            json_t *block = json_pack ("{s:s}", "type", "reasoning");
            oa_cv_copy (block, "id", item, "id");
            oa_cv_copy (block, "encrypted_content", item, "encrypted_content");
            oa_cv_copy (block, "summary", item, "summary");
            oa_st_args_t args = { NULL, 0, 0, NULL, block, 0 };
            oa_st_emit (self, OA_ST_REASONING_ITEM, &args);
            json_decref (block);
        }
        else
        if (oa_cv_is (item, "type", "function_call") && oa_cv_str (item, "id")) {
            //  Arguments given only whole, at the end
            json_t *ref = json_object_get (self->item_tools, oa_cv_str (item, "id"));
            int done_tool = json_is_integer (ref)? (int) json_integer_value (ref): -1;
            json_t *arguments = json_object_get (item, "arguments");
            if (done_tool >= 0 && !self->tools [done_tool].streamed && json_string_length (arguments))
                s_tool_args (self, done_tool, json_string_value (arguments), json_string_length (arguments));
        }
    }
    else
    if (!strcmp (type, "response.completed") || !strcmp (type, "response.incomplete")) {
        s_model (self, oa_cv_str (response, "model"));
        s_usage (self, OA_API_FORMAT_RESPONSES, json);
        const char *reason = oa_cv_str (oa_cv_obj (response, "incomplete_details"), "reason");
        if (!strcmp (type, "response.incomplete"))
            oa_st_finish_reason (self, reason && !strcmp (reason, "content_filter")? "content_filter": "length");
        else
            oa_st_finish_reason (self, self->tool_count? "tool_calls": "stop");
        oa_st_emit (self, OA_ST_END, NULL);
    }
    else
    if (!strcmp (type, "response.failed") || !strcmp (type, "error")) {
        //  The error event carries code/message flat, or nested in error
        s_usage (self, OA_API_FORMAT_RESPONSES, json);
        json_t *error = oa_cv_obj (response, "error");
        if (!error)
            error = oa_cv_obj (json, "error");
        json_t *body = error? json_pack ("{s:O}", "error", error)
                            : json_pack ("{s:{s:O,s:O}}", "error",
                                 "message", json_object_get (json, "message")? json_object_get (json, "message"): json_null (),
                                 "code", json_object_get (json, "code")? json_object_get (json, "code"): json_null ());
        char *text = oa_cv_dump (body);
        oa_st_error_json (self, 0, text, text? strlen (text): 0);
        free (text);
        json_decref (body);
    }
    json_decref (json);
}
