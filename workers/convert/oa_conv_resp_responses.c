/*  =========================================================================
    oa_conv_resp_responses - non-stream replies between Responses and Chat

    Responses -> Chat: output items fold into one assistant message
    (reasoning summaries as reasoning_content, reasoning items kept in
    thinking_blocks for replay, function_call items as tool_calls keyed by
    call_id).  Chat -> Responses: the reverse, with item ids derived from
    the request id and the full Response envelope the SDKs read.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  --------------------------------------------------------------------------
//  OpenAI Responses response -> Chat response

json_t *
oa_cv_responses_to_chat_response (oa_conv_t *conv, json_t *body, char *err)
{
    json_t *output = oa_cv_arr (body, "output");
    const char *status = oa_cv_str (body, "status");
    if (status && !strcmp (status, "failed")) {
        const char *message = oa_cv_str (oa_cv_obj (body, "error"), "message");
        oa_cv_err (err, "upstream response failed: %s", message? message: "unknown error");
        return NULL;
    }
    if (!output) {
        oa_cv_err (err, "upstream response has no output array");
        return NULL;
    }
    oa_cv_buf_t text = { NULL, 0, 0 };
    oa_cv_buf_t refusal = { NULL, 0, 0 };
    oa_cv_buf_t reasoning = { NULL, 0, 0 };
    json_t *blocks = json_array ();
    json_t *calls = json_array ();
    size_t index;
    json_t *item;
    json_array_foreach (output, index, item) {
        const char *type = oa_cv_str (item, "type");
        if (!type)
            continue;
        size_t part_index;
        json_t *part;
        if (!strcmp (type, "message")) {
            json_array_foreach (oa_cv_arr (item, "content"), part_index, part) {
                if (oa_cv_is (part, "type", "output_text"))
                    oa_cv_buf_puts (&text, oa_cv_str (part, "text"));
                else
                if (oa_cv_is (part, "type", "refusal"))
                    oa_cv_buf_puts (&refusal, oa_cv_str (part, "refusal"));
            }
        }
        else
        if (!strcmp (type, "reasoning")) {
            json_array_foreach (oa_cv_arr (item, "summary"), part_index, part) {
                if (reasoning.size)
                    oa_cv_buf_puts (&reasoning, "\n\n");
                oa_cv_buf_puts (&reasoning, oa_cv_str (part, "text"));
            }
            json_array_foreach (oa_cv_arr (item, "content"), part_index, part)
                oa_cv_buf_puts (&reasoning, oa_cv_str (part, "text"));
            json_t *block = json_pack ("{s:s}", "type", "reasoning");
            oa_cv_copy (block, "id", item, "id");
            oa_cv_copy (block, "encrypted_content", item, "encrypted_content");
            oa_cv_copy (block, "summary", item, "summary");
            json_array_append_new (blocks, block);
        }
        else
        if (!strcmp (type, "function_call")) {
            const char *call_id = oa_cv_str (item, "call_id");
            json_array_append_new (calls, json_pack ("{s:s,s:s,s:{s:s,s:s}}",
                "id", call_id? call_id: oa_cv_str (item, "id")? oa_cv_str (item, "id"): "",
                "type", "function", "function",
                "name", oa_cv_str (item, "name")? oa_cv_str (item, "name"): "",
                "arguments", oa_cv_str (item, "arguments")? oa_cv_str (item, "arguments"): "{}"));
        }
    }
    json_t *message = json_pack ("{s:s}", "role", "assistant");
    if (text.size || !json_array_size (calls))
        oa_cv_set_str (message, "content", text.data? text.data: "");
    else
        json_object_set_new (message, "content", json_null ());
    if (refusal.size)
        oa_cv_set_str (message, "refusal", refusal.data);
    if (reasoning.size)
        oa_cv_set_str (message, "reasoning_content", reasoning.data);
    if (json_array_size (blocks))
        json_object_set (message, "thinking_blocks", blocks);
    if (json_array_size (calls))
        json_object_set (message, "tool_calls", calls);

    const char *finish = json_array_size (calls)? "tool_calls": "stop";
    if (status && !strcmp (status, "incomplete")) {
        const char *reason = oa_cv_str (oa_cv_obj (body, "incomplete_details"), "reason");
        finish = reason && !strcmp (reason, "content_filter")? "content_filter": "length";
    }
    json_t *chat = oa_cv_chat_envelope (conv, oa_cv_str (body, "model"), false);
    json_array_append_new (oa_cv_arr (chat, "choices"), json_pack ("{s:i,s:o,s:n,s:s}",
        "index", 0, "message", message, "logprobs", "finish_reason", finish));
    oa_conv_usage_t usage = { 0, 0, 0, 0, 0, 0 };
    oa_conv_usage_parse (&usage, OA_API_FORMAT_RESPONSES, body);
    json_object_set_new (chat, "usage", oa_conv_usage_json (&usage, OA_API_FORMAT_CHAT));
    oa_cv_buf_free (&text);
    oa_cv_buf_free (&refusal);
    oa_cv_buf_free (&reasoning);
    json_decref (blocks);
    json_decref (calls);
    return chat;
}


json_t *
oa_cv_responses_envelope (oa_conv_t *conv, const char *model, const char *status)
{
    char *id = oa_cv_make_id (conv, "resp_", -1);
    json_t *out = json_pack ("{s:s,s:s,s:I,s:s,s:n,s:n,s:n,s:n,s:s,s:[],s:b,s:n,"
                             "s:{s:n,s:n},s:b,s:n,s:{s:{s:s}},s:s,s:[],s:n,s:s,s:n,s:n,s:{}}",
        "id", id? id: "resp_0", "object", "response",
        "created_at", (json_int_t) oa_cv_created (conv), "status", status,
        "error", "incomplete_details", "instructions", "max_output_tokens",
        "model", model? model: "", "output", "parallel_tool_calls", 1, "previous_response_id",
        "reasoning", "effort", "summary", "store", 0, "temperature",
        "text", "format", "type", "text", "tool_choice", "auto", "tools", "top_p",
        "truncation", "disabled", "usage", "user", "metadata");
    free (id);
    return out;
}


//  --------------------------------------------------------------------------
//  Chat response -> OpenAI Responses response

json_t *
oa_cv_chat_to_responses_response (oa_conv_t *conv, json_t *chat, char *err)
{
    json_t *choice = json_array_get (oa_cv_arr (chat, "choices"), 0);
    json_t *message = oa_cv_obj (choice, "message");
    if (!message) {
        oa_cv_err (err, "upstream response has no message");
        return NULL;
    }
    json_t *output = json_array ();
    size_t index;
    json_t *item;
    //  Reasoning first, as the Responses API orders it
    bool have_reasoning = false;
    json_array_foreach (oa_cv_arr (message, "thinking_blocks"), index, item) {
        if (!oa_cv_is (item, "type", "reasoning") || !oa_cv_str (item, "id"))
            continue;
        json_t *out = json_pack ("{s:s,s:O}", "type", "reasoning", "id", json_object_get (item, "id"));
        json_t *summary = oa_cv_arr (item, "summary");
        json_object_set_new (out, "summary", summary? json_deep_copy (summary): json_array ());
        oa_cv_copy (out, "encrypted_content", item, "encrypted_content");
        json_array_append_new (output, out);
        have_reasoning = true;
    }
    const char *reasoning = oa_cv_str (message, "reasoning_content");
    if (!reasoning)
        reasoning = oa_cv_str (message, "reasoning");
    if (!have_reasoning && reasoning && *reasoning) {
        char *id = oa_cv_make_id (conv, "rs_", -1);
        json_array_append_new (output, json_pack ("{s:s,s:s,s:[{s:s,s:s}]}", "type", "reasoning",
            "id", id? id: "rs_0", "summary", "type", "summary_text", "text", reasoning));
        free (id);
    }
    char *text = oa_cv_content_text (json_object_get (message, "content"), "");
    const char *refusal = oa_cv_str (message, "refusal");
    if ((text && *text) || (refusal && *refusal) || !json_array_size (oa_cv_arr (message, "tool_calls"))) {
        json_t *content = json_array ();
        if ((text && *text) || !(refusal && *refusal))
            json_array_append_new (content, json_pack ("{s:s,s:s,s:[],s:[]}", "type", "output_text",
                "text", text? text: "", "annotations", "logprobs"));
        if (refusal && *refusal)
            json_array_append_new (content, json_pack ("{s:s,s:s}", "type", "refusal", "refusal", refusal));
        char *id = oa_cv_make_id (conv, "msg_", -1);
        json_array_append_new (output, json_pack ("{s:s,s:s,s:s,s:s,s:o}", "type", "message",
            "id", id? id: "msg_0", "status", "completed", "role", "assistant", "content", content));
        free (id);
    }
    free (text);
    json_array_foreach (oa_cv_arr (message, "tool_calls"), index, item) {
        json_t *function = oa_cv_obj (item, "function");
        char *id = oa_cv_make_id (conv, "fc_", (long) index);
        char *call_id = oa_cv_str (item, "id")? strdup (oa_cv_str (item, "id"))
                                              : oa_cv_make_id (conv, "call_", (long) index);
        json_array_append_new (output, json_pack ("{s:s,s:s,s:s,s:s,s:s,s:s}",
            "type", "function_call", "id", id? id: "fc_0", "call_id", call_id? call_id: "call_0",
            "name", oa_cv_str (function, "name")? oa_cv_str (function, "name"): "",
            "arguments", oa_cv_str (function, "arguments")? oa_cv_str (function, "arguments"): "{}",
            "status", "completed"));
        free (id);
        free (call_id);
    }

    const char *finish = oa_cv_str (choice, "finish_reason");
    bool incomplete = finish && (!strcmp (finish, "length") || !strcmp (finish, "content_filter"));
    json_t *response = oa_cv_responses_envelope (conv, oa_cv_str (chat, "model"),
                                                 incomplete? "incomplete": "completed");
    json_object_set_new (response, "output", output);
    if (incomplete)
        json_object_set_new (response, "incomplete_details", json_pack ("{s:s}", "reason",
            !strcmp (finish, "length")? "max_output_tokens": "content_filter"));
    else
        json_object_set (response, "completed_at", json_object_get (response, "created_at"));
    oa_conv_usage_t usage = { 0, 0, 0, 0, 0, 0 };
    oa_conv_usage_parse (&usage, OA_API_FORMAT_CHAT, chat);
    json_object_set_new (response, "usage", oa_conv_usage_json (&usage, OA_API_FORMAT_RESPONSES));
    return response;
}
