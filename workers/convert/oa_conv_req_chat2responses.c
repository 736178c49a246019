/*  =========================================================================
    oa_conv_req_chat2responses - Chat request -> OpenAI Responses request

    Leading system messages become `instructions`; the rest of the
    conversation becomes input items.  Function tools are flat in Responses
    and strict by default there, so a Chat tool without `strict` is sent
    with strict:false (else a loose schema would be refused).  Requests are
    sent with store:false: the gateway keeps no state upstream.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  Chat user content -> Responses input parts.
static json_t *
s_input_parts (json_t *content)
{
    json_t *parts = json_array ();
    if (json_is_string (content)) {
        json_array_append_new (parts, json_pack ("{s:s,s:O}", "type", "input_text", "text", content));
        return parts;
    }
    size_t index;
    json_t *part;
    json_array_foreach (json_is_array (content)? content: NULL, index, part) {
        const char *type = oa_cv_str (part, "type");
        if (!type)
            continue;
        if (!strcmp (type, "text") && oa_cv_str (part, "text"))
            json_array_append_new (parts, json_pack ("{s:s,s:s}", "type", "input_text",
                                                     "text", oa_cv_str (part, "text")));
        else
        if (!strcmp (type, "image_url")) {
            json_t *image = oa_cv_obj (part, "image_url");
            const char *url = image? oa_cv_str (image, "url"): oa_cv_str (part, "image_url");
            if (!url)
                continue;
            json_t *out = json_pack ("{s:s,s:s}", "type", "input_image", "image_url", url);
            const char *detail = oa_cv_str (image, "detail");
            oa_cv_set_str (out, "detail", detail? detail: "auto");
            json_array_append_new (parts, out);
        }
        else
        if (!strcmp (type, "file")) {
            json_t *file = oa_cv_obj (part, "file");
            json_t *out = json_pack ("{s:s}", "type", "input_file");
            oa_cv_copy (out, "file_data", file, "file_data");
            oa_cv_copy (out, "file_id", file, "file_id");
            oa_cv_copy (out, "filename", file, "filename");
            json_array_append_new (parts, out);
        }
        //  input_audio: not accepted as Responses input, dropped
    }
    return parts;
}


static void
s_assistant (oa_conv_t *conv, json_t *input, json_t *message)
{
    size_t index;
    json_t *item;
    //  Reasoning items replay only with their id and encrypted content
    json_array_foreach (oa_cv_arr (message, "thinking_blocks"), index, item) {
        if (!oa_cv_is (item, "type", "reasoning") || !oa_cv_str (item, "id"))
            continue;
        json_t *out = json_pack ("{s:s,s:O}", "type", "reasoning", "id", json_object_get (item, "id"));
        json_t *summary = oa_cv_arr (item, "summary");
        json_object_set_new (out, "summary", summary? json_deep_copy (summary): json_array ());
        oa_cv_copy (out, "encrypted_content", item, "encrypted_content");
        json_array_append_new (input, out);
    }
    char *text = oa_cv_content_text (json_object_get (message, "content"), "");
    const char *refusal = oa_cv_str (message, "refusal");
    if ((text && *text) || (refusal && *refusal)) {
        json_t *content = json_array ();
        if (text && *text)
            json_array_append_new (content, json_pack ("{s:s,s:s}", "type", "output_text", "text", text));
        if (refusal && *refusal)
            json_array_append_new (content, json_pack ("{s:s,s:s}", "type", "refusal", "refusal", refusal));
        json_array_append_new (input, json_pack ("{s:s,s:s,s:o}", "type", "message",
                                                 "role", "assistant", "content", content));
    }
    free (text);
    json_array_foreach (oa_cv_arr (message, "tool_calls"), index, item) {
        json_t *function = oa_cv_obj (item, "function");
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (function, "name"));
        if (!name)
            continue;
        const char *arguments = oa_cv_str (function, "arguments");
        json_array_append_new (input, json_pack ("{s:s,s:s,s:s,s:s}", "type", "function_call",
            "call_id", oa_cv_str (item, "id")? oa_cv_str (item, "id"): "",
            "name", name, "arguments", arguments && *arguments? arguments: "{}"));
    }
}


static void
s_tools (oa_conv_t *conv, json_t *out, json_t *chat)
{
    json_t *tools = json_array ();
    size_t index;
    json_t *tool;
    json_array_foreach (oa_cv_arr (chat, "tools"), index, tool) {
        json_t *function = oa_cv_obj (tool, "function");
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (function, "name"));
        if (!name)
            continue;
        json_t *flat = json_pack ("{s:s,s:s}", "type", "function", "name", name);
        oa_cv_copy (flat, "description", function, "description");
        json_t *schema = oa_cv_obj (function, "parameters");
        json_object_set_new (flat, "parameters", schema? json_deep_copy (schema)
                             : json_pack ("{s:s,s:{}}", "type", "object", "properties"));
        json_t *strict = json_object_get (function, "strict");
        json_object_set_new (flat, "strict", json_boolean (json_is_true (strict)));
        json_array_append_new (tools, flat);
    }
    if (!json_array_size (tools)) {
        json_decref (tools);
        return;
    }
    json_object_set_new (out, "tools", tools);
    json_t *choice = json_object_get (chat, "tool_choice");
    if (json_is_string (choice))
        json_object_set (out, "tool_choice", choice);
    else {
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (oa_cv_obj (choice, "function"), "name"));
        if (name)
            json_object_set_new (out, "tool_choice", json_pack ("{s:s,s:s}", "type", "function",
                                                                "name", name));
    }
    oa_cv_copy (out, "parallel_tool_calls", chat, "parallel_tool_calls");
}


//  --------------------------------------------------------------------------
//  Chat request -> OpenAI Responses request

json_t *
oa_cv_chat_to_responses_request (oa_conv_t *conv, json_t *chat, char *err)
{
    json_t *messages = oa_cv_arr (chat, "messages");
    if (!messages) {
        oa_cv_err (err, "messages: expected an array");
        return NULL;
    }
    json_t *out = json_object ();
    oa_cv_copy (out, "model", chat, "model");
    json_t *input = json_array ();
    oa_cv_buf_t instructions = { NULL, 0, 0 };
    bool leading = true;
    bool reasoning_items = false;

    size_t index;
    json_t *message;
    json_array_foreach (messages, index, message) {
        const char *role = oa_cv_str (message, "role");
        json_t *content = json_object_get (message, "content");
        if (!role) {
            oa_cv_err (err, "messages[%zu].role: missing", index);
            json_decref (out);
            json_decref (input);
            oa_cv_buf_free (&instructions);
            return NULL;
        }
        bool system = !strcmp (role, "system") || !strcmp (role, "developer");
        if (system && leading) {
            char *text = oa_cv_content_text (content, "\n");
            if (text && *text) {
                if (instructions.size)
                    oa_cv_buf_puts (&instructions, "\n\n");
                oa_cv_buf_puts (&instructions, text);
            }
            free (text);
            continue;
        }
        leading = false;
        if (system) {
            char *text = oa_cv_content_text (content, "\n");
            json_array_append_new (input, json_pack ("{s:s,s:s,s:[{s:s,s:s}]}", "type", "message",
                "role", role, "content", "type", "input_text", "text", text? text: ""));
            free (text);
        }
        else
        if (!strcmp (role, "user"))
            json_array_append_new (input, json_pack ("{s:s,s:s,s:o}", "type", "message",
                                   "role", "user", "content", s_input_parts (content)));
        else
        if (!strcmp (role, "assistant")) {
            if (oa_cv_arr (message, "thinking_blocks"))
                reasoning_items = true;
            s_assistant (conv, input, message);
        }
        else
        if (!strcmp (role, "tool")) {
            char *text = oa_cv_content_text (content, "\n");
            json_array_append_new (input, json_pack ("{s:s,s:s,s:s}", "type", "function_call_output",
                "call_id", oa_cv_str (message, "tool_call_id")? oa_cv_str (message, "tool_call_id"): "",
                "output", text? text: ""));
            free (text);
        }
    }
    if (instructions.size)
        oa_cv_set_str (out, "instructions", instructions.data);
    oa_cv_buf_free (&instructions);
    json_object_set_new (out, "input", input);
    s_tools (conv, out, chat);

    json_t *format = oa_cv_obj (chat, "response_format");
    json_t *spec = oa_cv_obj (format, "json_schema");
    if (oa_cv_is (format, "type", "json_schema") && spec) {
        json_t *flat = json_pack ("{s:s,s:s}", "type", "json_schema",
                                  "name", oa_cv_str (spec, "name")? oa_cv_str (spec, "name"): "output");
        oa_cv_copy (flat, "description", spec, "description");
        oa_cv_copy (flat, "schema", spec, "schema");
        oa_cv_copy (flat, "strict", spec, "strict");
        json_object_set_new (out, "text", json_pack ("{s:o}", "format", flat));
    }
    else
    if (oa_cv_is (format, "type", "json_object"))
        json_object_set_new (out, "text", json_pack ("{s:{s:s}}", "format", "type", "json_object"));

    int64_t max_tokens = 0;
    if (oa_cv_int (chat, "max_completion_tokens", &max_tokens)
    ||  oa_cv_int (chat, "max_tokens", &max_tokens))
        oa_cv_set_int (out, "max_output_tokens", max_tokens < 16? 16: max_tokens);
    const char *effort = oa_cv_str (chat, "reasoning_effort");
    if (effort)
        json_object_set_new (out, "reasoning", json_pack ("{s:s}", "effort", effort));
    //  Without server state, reasoning continues only via encrypted content
    if (effort || reasoning_items)
        json_object_set_new (out, "include", json_pack ("[s]", "reasoning.encrypted_content"));
    oa_cv_copy (out, "temperature", chat, "temperature");
    oa_cv_copy (out, "top_p", chat, "top_p");
    oa_cv_copy (out, "user", chat, "user");
    oa_cv_copy (out, "service_tier", chat, "service_tier");
    oa_cv_copy (out, "stream", chat, "stream");
    json_object_set_new (out, "store", json_false ());
    return out;
}
