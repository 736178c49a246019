/*  =========================================================================
    oa_conv_req_claude2chat - Anthropic Messages request -> Chat request

    Claude keeps the system prompt top-level, puts tool results in user
    turns and thinking in assistant blocks; Chat wants a system message,
    one `tool` message per result right after the assistant's tool_calls,
    and (as our extension) reasoning_content + thinking_blocks so signed
    thinking survives a trip through the pivot.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  Claude image/document source -> Chat content part, or NULL.
static json_t *
s_media_part (json_t *block)
{
    json_t *source = oa_cv_obj (block, "source");
    const char *kind = oa_cv_str (source, "type");
    bool document = oa_cv_is (block, "type", "document");
    if (!kind)
        return NULL;
    if (!strcmp (kind, "base64")) {
        const char *mime = oa_cv_str (source, "media_type");
        const char *data = oa_cv_str (source, "data");
        if (!data)
            return NULL;
        char *url = NULL;
        if (asprintf (&url, "data:%s;base64,%s", mime? mime: document? "application/pdf": "image/png", data) < 0)
            return NULL;
        json_t *part = document
            ? json_pack ("{s:s,s:{s:s,s:s}}", "type", "file", "file",
                         "filename", oa_cv_str (block, "title")? oa_cv_str (block, "title"): "document.pdf",
                         "file_data", url)
            : json_pack ("{s:s,s:{s:s}}", "type", "image_url", "image_url", "url", url);
        free (url);
        return part;
    }
    if (!strcmp (kind, "url") && oa_cv_str (source, "url") && !document)
        return json_pack ("{s:s,s:{s:s}}", "type", "image_url", "image_url",
                          "url", oa_cv_str (source, "url"));
    if (!strcmp (kind, "text") && oa_cv_str (source, "data"))
        return json_pack ("{s:s,s:s}", "type", "text", "text", oa_cv_str (source, "data"));
    return NULL;                //  file ids, content sources: not carried
}


//  Chat content from parts: one string when all parts are text (many
//  compatibles accept only strings), else the parts array.  Steals parts.
static json_t *
s_content (json_t *parts)
{
    bool text_only = true;
    size_t index;
    json_t *part;
    json_array_foreach (parts, index, part)
        if (!oa_cv_is (part, "type", "text"))
            text_only = false;
    if (!text_only)
        return parts;
    char *text = oa_cv_content_text (parts, "\n");
    json_decref (parts);
    json_t *content = json_string (text? text: "");
    free (text);
    return content;
}


//  A user turn: tool results become `tool` messages first, then the rest.
static void
s_user_turn (json_t *messages, json_t *blocks)
{
    json_t *parts = json_array ();
    size_t index;
    json_t *block;
    json_array_foreach (blocks, index, block) {
        const char *type = oa_cv_str (block, "type");
        if (!type)
            continue;
        if (!strcmp (type, "text") && oa_cv_str (block, "text"))
            json_array_append_new (parts, json_pack ("{s:s,s:O}", "type", "text", "text",
                                                     json_object_get (block, "text")));
        else
        if (!strcmp (type, "image") || !strcmp (type, "document"))
            json_array_append_new (parts, s_media_part (block));
        else
        if (!strcmp (type, "tool_result")) {
            json_t *content = json_object_get (block, "content");
            char *text = oa_cv_content_text (content, "\n");
            //  Images inside a result cannot ride a tool message; they
            //  follow as user content
            size_t inner;
            json_t *item;
            json_array_foreach (json_is_array (content)? content: NULL, inner, item)
                if (oa_cv_is (item, "type", "image"))
                    json_array_append_new (parts, s_media_part (item));
            json_t *message = json_pack ("{s:s,s:s,s:s}", "role", "tool",
                "tool_call_id", oa_cv_str (block, "tool_use_id")? oa_cv_str (block, "tool_use_id"): "",
                "content", text? text: "");
            free (text);
            if (json_is_true (json_object_get (block, "is_error")) && message) {
                //  Chat has no error flag; say it in the content
                const char *body = oa_cv_str (message, "content");
                char *flagged = NULL;
                if (asprintf (&flagged, "Error: %s", body? body: "") >= 0)
                    oa_cv_set_str (message, "content", flagged);
                free (flagged);
            }
            json_array_append_new (messages, message);
        }
    }
    if (json_array_size (parts))
        json_array_append_new (messages, json_pack ("{s:s,s:o}", "role", "user",
                                                    "content", s_content (parts)));
    else
        json_decref (parts);
}


//  An assistant turn: text, thinking (kept with signatures) and tool calls.
static void
s_assistant_turn (json_t *messages, json_t *blocks)
{
    oa_cv_buf_t text = { NULL, 0, 0 };
    oa_cv_buf_t reasoning = { NULL, 0, 0 };
    json_t *thinking = json_array ();
    json_t *calls = json_array ();
    size_t index;
    json_t *block;
    json_array_foreach (blocks, index, block) {
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
            char *arguments = oa_cv_dump (oa_cv_obj (block, "input"));
            json_array_append_new (calls, json_pack ("{s:s,s:s,s:{s:s,s:s}}",
                "id", oa_cv_str (block, "id")? oa_cv_str (block, "id"): "",
                "type", "function", "function",
                "name", oa_cv_str (block, "name")? oa_cv_str (block, "name"): "",
                "arguments", arguments? arguments: "{}"));
            free (arguments);
        }
    }
    json_t *message = json_pack ("{s:s}", "role", "assistant");
    if (text.size || !json_array_size (calls))
        oa_cv_set_str (message, "content", text.data? text.data: "");
    else
        json_object_set_new (message, "content", json_null ());
    if (reasoning.size)
        oa_cv_set_str (message, "reasoning_content", reasoning.data);
    if (json_array_size (thinking))
        json_object_set (message, "thinking_blocks", thinking);
    if (json_array_size (calls))
        json_object_set (message, "tool_calls", calls);
    json_array_append_new (messages, message);
    json_decref (thinking);
    json_decref (calls);
    oa_cv_buf_free (&text);
    oa_cv_buf_free (&reasoning);
}


static void
s_tools (json_t *chat, json_t *body)
{
    json_t *tools = json_array ();
    size_t index;
    json_t *tool;
    json_array_foreach (oa_cv_arr (body, "tools"), index, tool) {
        //  Server tools (web_search_2025..., bash_...) have no Chat form
        const char *type = oa_cv_str (tool, "type");
        if ((type && strcmp (type, "custom")) || !oa_cv_str (tool, "name"))
            continue;
        json_t *function = json_pack ("{s:O}", "name", json_object_get (tool, "name"));
        oa_cv_copy (function, "description", tool, "description");
        json_t *schema = oa_cv_obj (tool, "input_schema");
        json_object_set_new (function, "parameters", schema? json_deep_copy (schema)
                             : json_pack ("{s:s,s:{}}", "type", "object", "properties"));
        json_array_append_new (tools, json_pack ("{s:s,s:o}", "type", "function", "function", function));
    }
    if (json_array_size (tools))
        json_object_set (chat, "tools", tools);
    json_decref (tools);

    json_t *choice = oa_cv_obj (body, "tool_choice");
    const char *type = oa_cv_str (choice, "type");
    if (type && json_object_get (chat, "tools")) {
        if (!strcmp (type, "any"))
            oa_cv_set_str (chat, "tool_choice", "required");
        else
        if (!strcmp (type, "none") || !strcmp (type, "auto"))
            oa_cv_set_str (chat, "tool_choice", type);
        else
        if (!strcmp (type, "tool") && oa_cv_str (choice, "name"))
            json_object_set_new (chat, "tool_choice", json_pack ("{s:s,s:{s:s}}",
                "type", "function", "function", "name", oa_cv_str (choice, "name")));
        if (json_is_true (json_object_get (choice, "disable_parallel_tool_use")))
            json_object_set_new (chat, "parallel_tool_calls", json_false ());
    }
}


//  --------------------------------------------------------------------------
//  Anthropic Messages request -> Chat request

json_t *
oa_cv_claude_to_chat_request (oa_conv_t *conv, json_t *body, char *err)
{
    (void) conv;
    json_t *input = oa_cv_arr (body, "messages");
    if (!input) {
        oa_cv_err (err, "messages: expected an array");
        return NULL;
    }
    json_t *chat = json_object ();
    oa_cv_copy (chat, "model", body, "model");
    json_t *messages = json_array ();
    json_object_set_new (chat, "messages", messages);

    char *system = oa_cv_content_text (json_object_get (body, "system"), "\n\n");
    if (system && *system)
        json_array_append_new (messages, json_pack ("{s:s,s:s}", "role", "system", "content", system));
    free (system);

    size_t index;
    json_t *message;
    json_array_foreach (input, index, message) {
        const char *role = oa_cv_str (message, "role");
        json_t *content = json_object_get (message, "content");
        if (!role || (strcmp (role, "user") && strcmp (role, "assistant"))) {
            oa_cv_err (err, "messages[%zu].role: expected 'user' or 'assistant'", index);
            json_decref (chat);
            return NULL;
        }
        if (json_is_string (content))
            json_array_append_new (messages, json_pack ("{s:s,s:O}", "role", role, "content", content));
        else
        if (!json_is_array (content)) {
            oa_cv_err (err, "messages[%zu].content: expected a string or an array", index);
            json_decref (chat);
            return NULL;
        }
        else
        if (!strcmp (role, "user"))
            s_user_turn (messages, content);
        else
            s_assistant_turn (messages, content);
    }
    s_tools (chat, body);

    oa_cv_copy (chat, "max_tokens", body, "max_tokens");
    oa_cv_copy (chat, "temperature", body, "temperature");
    oa_cv_copy (chat, "top_p", body, "top_p");
    oa_cv_copy (chat, "stop", body, "stop_sequences");
    oa_cv_copy (chat, "stream", body, "stream");
    oa_cv_copy (chat, "user", oa_cv_obj (body, "metadata"), "user_id");

    json_t *thinking = oa_cv_obj (body, "thinking");
    int64_t budget = 0;
    if (oa_cv_is (thinking, "type", "enabled") && oa_cv_int (thinking, "budget_tokens", &budget))
        oa_cv_set_str (chat, "reasoning_effort", oa_cv_budget_effort (budget));
    else
    if (oa_cv_is (thinking, "type", "adaptive"))
        oa_cv_set_str (chat, "reasoning_effort", "medium");
    json_t *output = oa_cv_obj (body, "output_config");
    const char *effort = oa_cv_str (output, "effort");
    if (effort)
        oa_cv_set_str (chat, "reasoning_effort", !strcmp (effort, "max")? "high": effort);
    json_t *format = oa_cv_obj (output, "format");
    if (oa_cv_is (format, "type", "json_schema") && oa_cv_obj (format, "schema"))
        json_object_set_new (chat, "response_format", json_pack ("{s:s,s:{s:s,s:O,s:b}}",
            "type", "json_schema", "json_schema", "name", "output",
            "schema", oa_cv_obj (format, "schema"), "strict", 1));
    return chat;
}
