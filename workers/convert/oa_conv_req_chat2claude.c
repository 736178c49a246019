/*  =========================================================================
    oa_conv_req_chat2claude - Chat request -> Anthropic Messages request

    Anthropic is strict where Chat is loose: max_tokens is required, system
    is top-level, roles alternate (we merge neighbours), text blocks must not
    be empty, tool results live in user turns and come first there, tool ids
    match [A-Za-z0-9_-], thinking blocks need their signature and lead their
    turn, temperature tops out at 1 and is refused together with thinking.
    json_schema output is emulated with a forced tool (recorded in the
    session so the reply turns the tool call back into text).
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  Chat content part -> Claude block, or NULL if it has no Claude form.
static json_t *
s_block (json_t *part)
{
    const char *type = oa_cv_str (part, "type");
    if (json_is_string (part) || (type && !strcmp (type, "text"))) {
        const char *text = json_is_string (part)? json_string_value (part): oa_cv_str (part, "text");
        return text && *text? json_pack ("{s:s,s:s}", "type", "text", "text", text): NULL;
    }
    if (!type)
        return NULL;
    const char *url = NULL;
    if (!strcmp (type, "image_url"))
        url = json_is_string (json_object_get (part, "image_url"))
            ? oa_cv_str (part, "image_url"): oa_cv_str (oa_cv_obj (part, "image_url"), "url");
    else
    if (!strcmp (type, "file"))
        url = oa_cv_str (oa_cv_obj (part, "file"), "file_data");
    if (!url)
        return NULL;            //  input_audio, file ids: not carried
    char *mime = NULL;
    const char *data = NULL;
    json_t *block = NULL;
    if (oa_cv_data_url (url, &mime, &data)) {
        bool image = !strncmp (mime, "image/", 6);
        block = json_pack ("{s:s,s:{s:s,s:s,s:s}}", "type", image? "image": "document",
                           "source", "type", "base64", "media_type", mime, "data", data);
        free (mime);
    }
    else
    if (!strncmp (url, "http://", 7) || !strncmp (url, "https://", 8))
        block = json_pack ("{s:s,s:{s:s,s:s}}", "type", !strcmp (type, "file")? "document": "image",
                           "source", "type", "url", "url", url);
    return block;
}


//  Appends blocks to the conversation, merging with the previous turn when
//  the role repeats (Anthropic wants alternation).  Steals blocks.
static void
s_append (json_t *messages, const char *role, json_t *blocks)
{
    if (!json_array_size (blocks)) {
        json_decref (blocks);
        return;
    }
    json_t *last = json_array_get (messages, json_array_size (messages) - 1);
    if (last && oa_cv_is (last, "role", role)) {
        json_array_extend (oa_cv_arr (last, "content"), blocks);
        json_decref (blocks);
        return;
    }
    json_array_append_new (messages, json_pack ("{s:s,s:o}", "role", role, "content", blocks));
}


static json_t *
s_user_blocks (json_t *content)
{
    json_t *blocks = json_array ();
    if (json_is_string (content))
        json_array_append_new (blocks, s_block (content));
    else {
        size_t index;
        json_t *part;
        json_array_foreach (json_is_array (content)? content: NULL, index, part)
            json_array_append_new (blocks, s_block (part));
    }
    return blocks;
}


//  Returns true if the message carries a signed thinking block.
static bool
s_signed (json_t *message)
{
    size_t index;
    json_t *block;
    json_array_foreach (oa_cv_arr (message, "thinking_blocks"), index, block) {
        const char *signature = oa_cv_str (block, "signature");
        if ((oa_cv_is (block, "type", "thinking") && signature && *signature)
        ||  (oa_cv_is (block, "type", "redacted_thinking") && oa_cv_str (block, "data")))
            return true;
    }
    return false;
}


//  An assistant turn that came back without its signed thinking (Chat and
//  Responses clients keep only the text): the blocks the signature cache
//  remembers for that exact reasoning text.
static void
s_replay_signatures (oa_conv_t *conv, json_t *message)
{
    if (!conv->sigcache || s_signed (message))
        return;
    const char *text = oa_cv_str (message, "reasoning_content");
    if (!text)
        text = oa_cv_str (message, "reasoning");
    if (!text)
        text = oa_cv_str (message, "thinking");
    json_t *blocks = text? oa_sigcache_replay (conv->sigcache, conv->sig_scope, text, strlen (text))
                         : NULL;
    if (blocks)
        json_object_set_new (message, "thinking_blocks", blocks);
}


static json_t *
s_assistant_blocks (oa_conv_t *conv, json_t *message)
{
    json_t *blocks = json_array ();
    size_t index;
    json_t *item;
    //  Thinking leads the turn; unsigned thinking cannot be replayed
    json_array_foreach (oa_cv_arr (message, "thinking_blocks"), index, item) {
        const char *signature = oa_cv_str (item, "signature");
        if (oa_cv_is (item, "type", "thinking") && signature && *signature)
            json_array_append_new (blocks, json_pack ("{s:s,s:s,s:s}", "type", "thinking",
                "thinking", oa_cv_str (item, "thinking")? oa_cv_str (item, "thinking"): "",
                "signature", signature));
        else
        if (oa_cv_is (item, "type", "redacted_thinking") && oa_cv_str (item, "data"))
            json_array_append_new (blocks, json_pack ("{s:s,s:s}", "type", "redacted_thinking",
                                                      "data", oa_cv_str (item, "data")));
    }
    json_t *content = json_object_get (message, "content");
    char *text = oa_cv_content_text (content, "");
    if (text && *text)
        json_array_append_new (blocks, json_pack ("{s:s,s:s}", "type", "text", "text", text));
    free (text);
    const char *refusal = oa_cv_str (message, "refusal");
    if (refusal && *refusal)
        json_array_append_new (blocks, json_pack ("{s:s,s:s}", "type", "text", "text", refusal));
    json_array_foreach (oa_cv_arr (message, "tool_calls"), index, item) {
        json_t *function = oa_cv_obj (item, "function");
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (function, "name"));
        if (!name)
            continue;
        //  Arguments that are not a JSON object cannot be a Claude input
        json_t *input = oa_cv_parse_args (oa_cv_str (function, "arguments"));
        char *id = oa_cv_safe_id (oa_cv_str (item, "id"));
        json_array_append_new (blocks, json_pack ("{s:s,s:s,s:s,s:o}", "type", "tool_use",
            "id", id? id: "toolu_0", "name", name, "input", input? input: json_object ()));
        free (id);
    }
    return blocks;
}


//  A `tool` message -> a tool_result block; results lead their user turn.
static void
s_tool_result (json_t *messages, json_t *message)
{
    char *id = oa_cv_safe_id (oa_cv_str (message, "tool_call_id"));
    char *text = oa_cv_content_text (json_object_get (message, "content"), "\n");
    json_t *block = json_pack ("{s:s,s:s,s:s}", "type", "tool_result",
                               "tool_use_id", id? id: "toolu_0", "content", text? text: "");
    free (id);
    free (text);
    json_t *last = json_array_get (messages, json_array_size (messages) - 1);
    if (last && oa_cv_is (last, "role", "user")) {
        //  Insert after the results already there, before other content
        json_t *content = oa_cv_arr (last, "content");
        size_t at = 0;
        while (at < json_array_size (content)
           &&  oa_cv_is (json_array_get (content, at), "type", "tool_result"))
            at++;
        json_array_insert_new (content, at, block);
        return;
    }
    s_append (messages, "user", json_pack ("[o]", block));
}


static void
s_tools (oa_conv_t *conv, json_t *claude, json_t *chat)
{
    json_t *tools = json_array ();
    size_t index;
    json_t *tool;
    json_array_foreach (oa_cv_arr (chat, "tools"), index, tool) {
        json_t *function = oa_cv_obj (tool, "function");
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (function, "name"));
        if (!name || (oa_cv_str (tool, "type") && !oa_cv_is (tool, "type", "function")))
            continue;
        json_t *schema = oa_cv_obj (function, "parameters");
        schema = schema? json_deep_copy (schema): json_pack ("{s:s,s:{}}", "type", "object", "properties");
        if (!json_object_get (schema, "type"))
            oa_cv_set_str (schema, "type", "object");
        json_t *out = json_pack ("{s:s}", "name", name);
        oa_cv_copy (out, "description", function, "description");
        json_object_set_new (out, "input_schema", schema);
        json_array_append_new (tools, out);
    }
    if (!json_array_size (tools)) {
        json_decref (tools);
        return;
    }
    json_object_set_new (claude, "tools", tools);
    json_t *choice = json_object_get (chat, "tool_choice");
    json_t *out = NULL;
    const char *mode = json_string_value (choice);
    if (mode && !strcmp (mode, "required"))
        out = json_pack ("{s:s}", "type", "any");
    else
    if (mode && (!strcmp (mode, "none") || !strcmp (mode, "auto")))
        out = json_pack ("{s:s}", "type", mode);
    else
    if (json_is_object (choice)) {
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (oa_cv_obj (choice, "function"), "name"));
        if (name)
            out = json_pack ("{s:s,s:s}", "type", "tool", "name", name);
    }
    if (json_is_false (json_object_get (chat, "parallel_tool_calls"))) {
        if (!out)
            out = json_pack ("{s:s}", "type", "auto");
        if (!oa_cv_is (out, "type", "none"))
            json_object_set_new (out, "disable_parallel_tool_use", json_true ());
    }
    if (out)
        json_object_set_new (claude, "tool_choice", out);
}


//  json_schema output without native support: a tool whose input is the
//  answer, forced unless thinking forbids forcing.  Skipped when the client
//  brings its own tools (the model must stay free to call them).
static void
s_structured (oa_conv_t *conv, json_t *claude, json_t *chat, bool thinking)
{
    json_t *format = oa_cv_obj (chat, "response_format");
    const char *type = oa_cv_str (format, "type");
    if (!type || json_object_get (claude, "tools"))
        return;
    if (!strcmp (type, "json_object")) {
        const char *system = oa_cv_str (claude, "system");
        char *joined = NULL;
        if (asprintf (&joined, "%s%sRespond with a single valid JSON object and nothing else.",
                      system? system: "", system? "\n\n": "") >= 0)
            oa_cv_set_str (claude, "system", joined);
        free (joined);
        return;
    }
    json_t *spec = oa_cv_obj (format, "json_schema");
    json_t *schema = oa_cv_obj (spec, "schema");
    if (strcmp (type, "json_schema") || !schema)
        return;
    const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (spec, "name"));
    name = name? name: "json_response";
    free (conv->structured_tool);
    conv->structured_tool = strdup (name);
    const char *about = oa_cv_str (spec, "description");
    json_t *tool = json_pack ("{s:s,s:s,s:O}", "name", name,
        "description", about? about: "Give the final answer as this tool's input, matching its schema exactly.",
        "input_schema", schema);
    json_object_set_new (claude, "tools", json_pack ("[o]", tool));
    json_object_set_new (claude, "tool_choice", thinking
        ? json_pack ("{s:s}", "type", "auto")
        : json_pack ("{s:s,s:s}", "type", "tool", "name", name));
}


//  --------------------------------------------------------------------------
//  Chat request -> Anthropic Messages request

json_t *
oa_cv_chat_to_claude_request (oa_conv_t *conv, json_t *chat, char *err)
{
    json_t *input = oa_cv_arr (chat, "messages");
    if (!input) {
        oa_cv_err (err, "messages: expected an array");
        return NULL;
    }
    json_t *claude = json_object ();
    oa_cv_copy (claude, "model", chat, "model");
    json_t *messages = json_array ();
    oa_cv_buf_t system = { NULL, 0, 0 };
    json_t *last_assistant = NULL;

    size_t index;
    json_t *message;
    json_array_foreach (input, index, message) {
        const char *role = oa_cv_str (message, "role");
        json_t *content = json_object_get (message, "content");
        if (!role) {
            oa_cv_err (err, "messages[%zu].role: missing", index);
            json_decref (claude);
            json_decref (messages);
            oa_cv_buf_free (&system);
            return NULL;
        }
        if (!strcmp (role, "system") || !strcmp (role, "developer")) {
            char *text = oa_cv_content_text (content, "\n");
            if (text && *text) {
                if (system.size)
                    oa_cv_buf_puts (&system, "\n\n");
                oa_cv_buf_puts (&system, text);
            }
            free (text);
        }
        else
        if (!strcmp (role, "user"))
            s_append (messages, "user", s_user_blocks (content));
        else
        if (!strcmp (role, "assistant")) {
            s_replay_signatures (conv, message);
            s_append (messages, "assistant", s_assistant_blocks (conv, message));
            last_assistant = message;
        }
        else
        if (!strcmp (role, "tool"))
            s_tool_result (messages, message);
        //  Legacy `function` role: no tool id to pair it with; dropped
    }
    if (system.size)
        oa_cv_set_str (claude, "system", system.data);
    oa_cv_buf_free (&system);
    json_object_set_new (claude, "messages", messages);

    int64_t max_tokens = 0;
    if (!oa_cv_int (chat, "max_completion_tokens", &max_tokens)
    &&  !oa_cv_int (chat, "max_tokens", &max_tokens))
        max_tokens = conv->default_max_tokens;
    if (max_tokens <= 0)
        max_tokens = conv->default_max_tokens;

    //  Thinking: an explicit Claude-style object wins over reasoning_effort.
    //  A tool loop whose last assistant turn lost its signed thinking would
    //  be refused with thinking on, so thinking stays off then.
    json_t *thinking = oa_cv_obj (chat, "thinking");
    int64_t budget = oa_cv_effort_budget (oa_cv_str (chat, "reasoning_effort"));
    bool replay_ok = !last_assistant || !oa_cv_arr (last_assistant, "tool_calls")
                  || s_signed (last_assistant);
    if (thinking && replay_ok)
        json_object_set (claude, "thinking", thinking);
    else
    if (budget > 0 && replay_ok) {
        if (max_tokens <= budget)
            max_tokens += budget;   //  budget must stay below max_tokens
        json_object_set_new (claude, "thinking", json_pack ("{s:s,s:I}", "type", "enabled",
                                                            "budget_tokens", (json_int_t) budget));
    }
    bool thinking_on = oa_cv_is (oa_cv_obj (claude, "thinking"), "type", "enabled")
                    || oa_cv_is (oa_cv_obj (claude, "thinking"), "type", "adaptive");
    oa_cv_set_int (claude, "max_tokens", max_tokens);

    json_t *stop = json_object_get (chat, "stop");
    if (json_is_string (stop))
        json_object_set_new (claude, "stop_sequences", json_pack ("[O]", stop));
    else
    if (json_is_array (stop) && json_array_size (stop))
        json_object_set (claude, "stop_sequences", stop);

    //  Anthropic refuses sampling changes with thinking, and temperature > 1
    if (!thinking_on) {
        json_t *temperature = json_object_get (chat, "temperature");
        if (json_is_number (temperature))
            json_object_set_new (claude, "temperature",
                json_real (json_number_value (temperature) > 1.0? 1.0: json_number_value (temperature)));
        oa_cv_copy (claude, "top_p", chat, "top_p");
    }
    s_tools (conv, claude, chat);
    //  Anthropic refuses thinking with a forced tool (any or a named one)
    json_t *choice = oa_cv_obj (claude, "tool_choice");
    if (thinking_on && (oa_cv_is (choice, "type", "any") || oa_cv_is (choice, "type", "tool"))) {
        oa_cv_set_str (choice, "type", "auto");
        json_object_del (choice, "name");
    }
    s_structured (conv, claude, chat, thinking_on);
    oa_cv_copy (claude, "stream", chat, "stream");
    const char *user = oa_cv_str (chat, "user");
    if (user)
        json_object_set_new (claude, "metadata", json_pack ("{s:s}", "user_id", user));
    return claude;
}
