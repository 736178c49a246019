/*  =========================================================================
    oa_conv_resp_claude - non-stream replies between Anthropic and Chat

    Claude -> Chat: text blocks join into content, thinking into
    reasoning_content plus signed thinking_blocks, tool_use into tool_calls;
    a call of the tool emulating json_schema becomes the JSON content.
    Chat -> Claude: the reverse, with usage in Anthropic semantics (input
    without cache reads and writes).
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  --------------------------------------------------------------------------
//  Anthropic Messages response -> Chat response

json_t *
oa_cv_claude_to_chat_response (oa_conv_t *conv, json_t *body, char *err)
{
    json_t *content = oa_cv_arr (body, "content");
    if (!content) {
        oa_cv_err (err, "upstream message has no content array");
        return NULL;
    }
    oa_cv_buf_t text = { NULL, 0, 0 };
    oa_cv_buf_t reasoning = { NULL, 0, 0 };
    char *structured = NULL;
    json_t *thinking = json_array ();
    json_t *calls = json_array ();
    size_t index;
    json_t *block;
    json_array_foreach (content, index, block) {
        const char *type = oa_cv_str (block, "type");
        if (!type)
            continue;
        if (!strcmp (type, "text"))
            oa_cv_buf_puts (&text, oa_cv_str (block, "text"));
        else
        if (oa_cv_claude_thinking (block, type, thinking, &reasoning))
            ;                   //  thinking and redacted thinking kept for the hub
        else
        if (!strcmp (type, "tool_use")) {
            const char *name = oa_cv_str (block, "name");
            char *arguments = oa_cv_dump (oa_cv_obj (block, "input"));
            if (conv->structured_tool && name && !strcmp (name, conv->structured_tool) && !structured)
                structured = arguments;
            else {
                json_array_append_new (calls, json_pack ("{s:s,s:s,s:{s:s,s:s}}",
                    "id", oa_cv_str (block, "id")? oa_cv_str (block, "id"): "",
                    "type", "function", "function", "name", name? name: "",
                    "arguments", arguments? arguments: "{}"));
                free (arguments);
            }
        }
    }
    json_t *message = json_pack ("{s:s}", "role", "assistant");
    if (structured)
        oa_cv_set_str (message, "content", structured);
    else
    if (text.size || !json_array_size (calls))
        oa_cv_set_str (message, "content", text.data? text.data: "");
    else
        json_object_set_new (message, "content", json_null ());
    if (reasoning.size)
        oa_cv_set_str (message, "reasoning_content", reasoning.data);
    if (json_array_size (thinking))
        json_object_set (message, "thinking_blocks", thinking);
    oa_cv_sig_remember (conv, thinking, reasoning.data);
    if (json_array_size (calls))
        json_object_set (message, "tool_calls", calls);

    const char *finish = oa_cv_claude_stop_to_chat (oa_cv_str (body, "stop_reason"), structured != NULL);
    json_t *chat = oa_cv_chat_envelope (conv, oa_cv_str (body, "model"), false);
    json_array_append_new (oa_cv_arr (chat, "choices"), json_pack ("{s:i,s:o,s:n,s:s}",
        "index", 0, "message", message, "logprobs", "finish_reason", finish? finish: "stop"));
    oa_conv_usage_t usage = { 0, 0, 0, 0, 0, 0 };
    oa_conv_usage_parse (&usage, OA_API_FORMAT_CLAUDE, body);
    json_object_set_new (chat, "usage", oa_conv_usage_json (&usage, OA_API_FORMAT_CHAT));

    oa_cv_buf_free (&text);
    oa_cv_buf_free (&reasoning);
    free (structured);
    json_decref (thinking);
    json_decref (calls);
    return chat;
}


//  --------------------------------------------------------------------------
//  Chat response -> Anthropic Messages response

json_t *
oa_cv_chat_to_claude_response (oa_conv_t *conv, json_t *chat, char *err)
{
    json_t *choice = json_array_get (oa_cv_arr (chat, "choices"), 0);
    json_t *message = oa_cv_obj (choice, "message");
    if (!message) {
        oa_cv_err (err, "upstream response has no message");
        return NULL;
    }
    json_t *content = json_array ();
    size_t index;
    json_t *item;
    bool signed_thinking = false;
    json_array_foreach (oa_cv_arr (message, "thinking_blocks"), index, item) {
        if (oa_cv_is (item, "type", "thinking")) {
            json_array_append_new (content, json_pack ("{s:s,s:s,s:s}", "type", "thinking",
                "thinking", oa_cv_str (item, "thinking")? oa_cv_str (item, "thinking"): "",
                "signature", oa_cv_str (item, "signature")? oa_cv_str (item, "signature"): ""));
            signed_thinking = true;
        }
        else
        if (oa_cv_is (item, "type", "redacted_thinking") && oa_cv_str (item, "data")) {
            json_array_append_new (content, json_pack ("{s:s,s:s}", "type", "redacted_thinking",
                                                       "data", oa_cv_str (item, "data")));
            signed_thinking = true;
        }
    }
    //  Reasoning from a non-Anthropic model: shown as thinking, unsigned
    const char *reasoning = oa_cv_str (message, "reasoning_content");
    if (!reasoning)
        reasoning = oa_cv_str (message, "reasoning");
    if (!signed_thinking && reasoning && *reasoning)
        json_array_append_new (content, json_pack ("{s:s,s:s,s:s}", "type", "thinking",
                                                   "thinking", reasoning, "signature", ""));
    char *text = oa_cv_content_text (json_object_get (message, "content"), "");
    if (text && *text)
        json_array_append_new (content, json_pack ("{s:s,s:s}", "type", "text", "text", text));
    free (text);
    const char *refusal = oa_cv_str (message, "refusal");
    if (refusal && *refusal)
        json_array_append_new (content, json_pack ("{s:s,s:s}", "type", "text", "text", refusal));
    json_array_foreach (oa_cv_arr (message, "tool_calls"), index, item) {
        json_t *function = oa_cv_obj (item, "function");
        json_t *input = oa_cv_parse_args (oa_cv_str (function, "arguments"));
        char *id = oa_cv_str (item, "id")? strdup (oa_cv_str (item, "id"))
                                         : oa_cv_make_id (conv, "toolu_", (long) conv->id_seq++);
        json_array_append_new (content, json_pack ("{s:s,s:s,s:s,s:o}", "type", "tool_use",
            "id", id? id: "toolu_0",
            "name", oa_cv_str (function, "name")? oa_cv_str (function, "name"): "",
            "input", input? input: json_object ()));
        free (id);
    }
    char *id = oa_cv_make_id (conv, "msg_", -1);
    const char *finish = oa_cv_str (choice, "finish_reason");
    if (json_array_size (oa_cv_arr (message, "tool_calls")) && (!finish || !strcmp (finish, "stop")))
        finish = "tool_calls";  //  some compatibles say "stop" after tool calls
    json_t *claude = json_pack ("{s:s,s:s,s:s,s:s,s:o,s:s,s:n}",
        "id", id? id: "msg_0", "type", "message", "role", "assistant",
        "model", oa_cv_str (chat, "model")? oa_cv_str (chat, "model"): "",
        "content", content, "stop_reason", oa_cv_chat_finish_to_claude (finish),
        "stop_sequence");
    free (id);
    oa_conv_usage_t usage = { 0, 0, 0, 0, 0, 0 };
    oa_conv_usage_parse (&usage, OA_API_FORMAT_CHAT, chat);
    json_object_set_new (claude, "usage", oa_conv_usage_json (&usage, OA_API_FORMAT_CLAUDE));
    return claude;
}
