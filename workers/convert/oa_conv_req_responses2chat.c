/*  =========================================================================
    oa_conv_req_responses2chat - OpenAI Responses request -> Chat request

    Responses flattens a conversation into items: messages, function_call,
    function_call_output and reasoning.  Chat wants function calls inside
    one assistant message (parallel calls share it) and results as `tool`
    messages; reasoning items ride along on the next assistant message as
    our thinking_blocks extension, so a Responses upstream gets them back.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  Responses content part -> Chat content part, or NULL.
static json_t *
s_part (json_t *part)
{
    const char *type = oa_cv_str (part, "type");
    if (!type)
        return NULL;
    if (!strcmp (type, "input_text") || !strcmp (type, "output_text") || !strcmp (type, "text"))
        return oa_cv_str (part, "text")
            ? json_pack ("{s:s,s:s}", "type", "text", "text", oa_cv_str (part, "text")): NULL;
    if (!strcmp (type, "refusal") && oa_cv_str (part, "refusal"))
        return json_pack ("{s:s,s:s}", "type", "text", "text", oa_cv_str (part, "refusal"));
    if (!strcmp (type, "input_image") && oa_cv_str (part, "image_url")) {
        json_t *image = json_pack ("{s:s}", "url", oa_cv_str (part, "image_url"));
        oa_cv_copy (image, "detail", part, "detail");
        return json_pack ("{s:s,s:o}", "type", "image_url", "image_url", image);
    }
    if (!strcmp (type, "input_file")) {
        json_t *file = json_object ();
        oa_cv_copy (file, "file_data", part, "file_data");
        oa_cv_copy (file, "file_id", part, "file_id");
        oa_cv_copy (file, "filename", part, "filename");
        if (json_object_size (file))
            return json_pack ("{s:s,s:o}", "type", "file", "file", file);
        json_decref (file);
    }
    return NULL;                //  input_audio, image file ids, etc.
}


//  Chat content from a Responses content value: a plain string when only
//  text remains, else parts.
static json_t *
s_content (json_t *content)
{
    if (json_is_string (content))
        return json_incref (content);
    json_t *parts = json_array ();
    bool text_only = true;
    size_t index;
    json_t *part;
    json_array_foreach (json_is_array (content)? content: NULL, index, part) {
        json_t *converted = s_part (part);
        if (!converted)
            continue;
        if (!oa_cv_is (converted, "type", "text"))
            text_only = false;
        json_array_append_new (parts, converted);
    }
    if (!text_only)
        return parts;
    char *text = oa_cv_content_text (parts, "\n");
    json_decref (parts);
    json_t *out = json_string (text? text: "");
    free (text);
    return out;
}


//  Moves pending reasoning onto an assistant message.
static void
s_attach_reasoning (json_t *message, json_t **blocks_p, oa_cv_buf_t *reasoning)
{
    if (reasoning->size) {
        oa_cv_set_str (message, "reasoning_content", reasoning->data);
        reasoning->size = 0;
    }
    if (json_array_size (*blocks_p))
        json_object_set (message, "thinking_blocks", *blocks_p);
    json_decref (*blocks_p);
    *blocks_p = json_array ();
}


//  The assistant message a function_call joins: the last message if it is
//  an assistant turn, else a new one.
static json_t *
s_assistant (json_t *messages)
{
    json_t *last = json_array_get (messages, json_array_size (messages) - 1);
    if (last && oa_cv_is (last, "role", "assistant"))
        return last;
    json_t *message = json_pack ("{s:s,s:n}", "role", "assistant", "content");
    json_array_append_new (messages, message);
    return message;
}


static int
s_items (json_t *messages, json_t *items, char *err)
{
    oa_cv_buf_t reasoning = { NULL, 0, 0 };
    json_t *blocks = json_array ();
    size_t index;
    json_t *item;
    json_array_foreach (items, index, item) {
        const char *type = oa_cv_str (item, "type");
        const char *role = oa_cv_str (item, "role");
        if (!json_is_object (item)) {
            oa_cv_err (err, "input[%zu]: expected an object", index);
            goto failed;
        }
        if (!type && !role)
            continue;           //  Neither an item nor a message: skipped
        if ((!type && role) || (type && !strcmp (type, "message"))) {
            if (!role) {
                oa_cv_err (err, "input[%zu].role: missing", index);
                goto failed;
            }
            //  "developer" is o-series "system"; compatibles know only the latter
            const char *chat_role = !strcmp (role, "assistant")? "assistant"
                                  : !strcmp (role, "user")? "user": "system";
            json_t *message = json_pack ("{s:s,s:o}", "role", chat_role,
                                         "content", s_content (json_object_get (item, "content")));
            if (!strcmp (chat_role, "assistant")) {
                char *text = oa_cv_content_text (json_object_get (message, "content"), "");
                oa_cv_set_str (message, "content", text? text: "");
                free (text);
                s_attach_reasoning (message, &blocks, &reasoning);
            }
            json_array_append_new (messages, message);
        }
        else
        if (!strcmp (type, "function_call")) {
            json_t *message = s_assistant (messages);
            if (reasoning.size || json_array_size (blocks))
                s_attach_reasoning (message, &blocks, &reasoning);
            const char *call_id = oa_cv_str (item, "call_id");
            oa_cv_push (message, "tool_calls", json_pack ("{s:s,s:s,s:{s:s,s:s}}",
                "id", call_id? call_id: oa_cv_str (item, "id")? oa_cv_str (item, "id"): "",
                "type", "function", "function",
                "name", oa_cv_str (item, "name")? oa_cv_str (item, "name"): "",
                "arguments", oa_cv_str (item, "arguments")? oa_cv_str (item, "arguments"): "{}"));
        }
        else
        if (!strcmp (type, "function_call_output")) {
            json_t *output = json_object_get (item, "output");
            char *text = oa_cv_content_text (output, "\n");
            json_array_append_new (messages, json_pack ("{s:s,s:s,s:s}", "role", "tool",
                "tool_call_id", oa_cv_str (item, "call_id")? oa_cv_str (item, "call_id"): "",
                "content", text? text: ""));
            free (text);
        }
        else
        if (!strcmp (type, "reasoning")) {
            size_t part_index;
            json_t *part;
            json_array_foreach (oa_cv_arr (item, "summary"), part_index, part) {
                if (reasoning.size)
                    oa_cv_buf_puts (&reasoning, "\n\n");
                oa_cv_buf_puts (&reasoning, oa_cv_str (part, "text"));
            }
            json_t *block = json_pack ("{s:s}", "type", "reasoning");
            oa_cv_copy (block, "id", item, "id");
            oa_cv_copy (block, "encrypted_content", item, "encrypted_content");
            oa_cv_copy (block, "summary", item, "summary");
            json_array_append_new (blocks, block);
        }
        //  item_reference, built-in tool calls: no Chat form, dropped
    }
    oa_cv_buf_free (&reasoning);
    json_decref (blocks);
    return 0;
failed:
    oa_cv_buf_free (&reasoning);
    json_decref (blocks);
    return -1;
}


static void
s_tools (json_t *chat, json_t *body)
{
    json_t *tools = json_array ();
    size_t index;
    json_t *tool;
    json_array_foreach (oa_cv_arr (body, "tools"), index, tool) {
        //  web_search, file_search, mcp, custom...: no Chat equivalent
        if (!oa_cv_is (tool, "type", "function") || !oa_cv_str (tool, "name"))
            continue;
        json_t *function = json_pack ("{s:O}", "name", json_object_get (tool, "name"));
        oa_cv_copy (function, "description", tool, "description");
        oa_cv_copy (function, "parameters", tool, "parameters");
        oa_cv_copy (function, "strict", tool, "strict");
        json_array_append_new (tools, json_pack ("{s:s,s:o}", "type", "function", "function", function));
    }
    if (!json_array_size (tools)) {
        json_decref (tools);
        return;
    }
    json_object_set_new (chat, "tools", tools);
    json_t *choice = json_object_get (body, "tool_choice");
    if (json_is_string (choice))
        json_object_set (chat, "tool_choice", choice);
    else
    if (oa_cv_is (choice, "type", "function") && oa_cv_str (choice, "name"))
        json_object_set_new (chat, "tool_choice", json_pack ("{s:s,s:{s:s}}", "type", "function",
                             "function", "name", oa_cv_str (choice, "name")));
    oa_cv_copy (chat, "parallel_tool_calls", body, "parallel_tool_calls");
}


//  --------------------------------------------------------------------------
//  OpenAI Responses request -> Chat request

json_t *
oa_cv_responses_to_chat_request (oa_conv_t *conv, json_t *body, char *err)
{
    (void) conv;
    json_t *previous = json_object_get (body, "previous_response_id");
    if (previous && !json_is_null (previous)) {
        //  The stored conversation lives upstream at OpenAI; another
        //  provider cannot see it, and dropping it would silently lose context
        oa_cv_err (err, "previous_response_id is not supported for this model's provider; "
                        "send the full conversation in input");
        return NULL;
    }
    json_t *input = json_object_get (body, "input");
    if (!json_is_string (input) && !json_is_array (input)) {
        oa_cv_err (err, "input: expected a string or an array");
        return NULL;
    }
    json_t *chat = json_object ();
    oa_cv_copy (chat, "model", body, "model");
    json_t *messages = json_array ();
    json_object_set_new (chat, "messages", messages);
    const char *instructions = oa_cv_str (body, "instructions");
    if (instructions && *instructions)
        json_array_append_new (messages, json_pack ("{s:s,s:s}", "role", "system",
                                                    "content", instructions));
    if (json_is_string (input))
        json_array_append_new (messages, json_pack ("{s:s,s:O}", "role", "user", "content", input));
    else
    if (s_items (messages, input, err)) {
        json_decref (chat);
        return NULL;
    }
    s_tools (chat, body);

    json_t *format = oa_cv_obj (oa_cv_obj (body, "text"), "format");
    if (oa_cv_is (format, "type", "json_schema")) {
        json_t *spec = json_pack ("{s:s}", "name", oa_cv_str (format, "name")? oa_cv_str (format, "name"): "output");
        oa_cv_copy (spec, "description", format, "description");
        oa_cv_copy (spec, "schema", format, "schema");
        oa_cv_copy (spec, "strict", format, "strict");
        json_object_set_new (chat, "response_format", json_pack ("{s:s,s:o}", "type", "json_schema",
                                                                 "json_schema", spec));
    }
    else
    if (oa_cv_is (format, "type", "json_object"))
        json_object_set_new (chat, "response_format", json_pack ("{s:s}", "type", "json_object"));

    oa_cv_copy (chat, "max_tokens", body, "max_output_tokens");
    oa_cv_copy (chat, "reasoning_effort", oa_cv_obj (body, "reasoning"), "effort");
    oa_cv_copy (chat, "temperature", body, "temperature");
    oa_cv_copy (chat, "top_p", body, "top_p");
    oa_cv_copy (chat, "user", body, "user");
    oa_cv_copy (chat, "service_tier", body, "service_tier");
    oa_cv_copy (chat, "stream", body, "stream");
    return chat;
}
