/*  =========================================================================
    oa_conv - conversion session and the any -> Chat -> any dispatch

    The session carries per-request settings (model mapping, sampling rules)
    and what the request conversion learned that the reply conversion needs
    (tool-name rewrites, structured-output emulation, usage wishes).
    =========================================================================
*/
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "oa_conv_private.h"

//  --------------------------------------------------------------------------
//  Create a session

oa_conv_t *
oa_conv_new (const char *request_id)
{
    oa_conv_t *self = (oa_conv_t *) calloc (1, sizeof (oa_conv_t));
    if (!self)
        return NULL;
    self->request_id = strdup (request_id && *request_id? request_id: "0");
    self->tool_names = json_object ();
    self->default_max_tokens = 4096;
    if (!self->request_id || !self->tool_names)
        oa_conv_destroy (&self);
    return self;
}


//  --------------------------------------------------------------------------
//  Destroy a session

void
oa_conv_destroy (oa_conv_t **self_p)
{
    assert (self_p);
    oa_conv_t *self = *self_p;
    if (self) {
        free (self->request_id);
        free (self->model);
        free (self->structured_tool);
        free (self->reasoning_field);
        free (self->sig_scope);
        json_decref (self->tool_names);
        free (self);
        *self_p = NULL;
    }
}


//  --------------------------------------------------------------------------
//  Settings

void
oa_conv_set_model (oa_conv_t *self, const char *model)
{
    assert (self);
    free (self->model);
    self->model = model? strdup (model): NULL;
}

void
oa_conv_set_drop_sampling (oa_conv_t *self, bool drop)
{
    assert (self);
    self->drop_sampling = drop;
}

void
oa_conv_set_default_max_tokens (oa_conv_t *self, int64_t max_tokens)
{
    assert (self);
    self->default_max_tokens = max_tokens > 0? max_tokens: 4096;
}

void
oa_conv_set_max_completion_tokens (oa_conv_t *self, bool enable)
{
    assert (self);
    self->max_completion_tokens = enable;
}

void
oa_conv_set_keep_reasoning (oa_conv_t *self, bool enable)
{
    assert (self);
    self->keep_reasoning = enable;
}

void
oa_conv_set_schema_tool (oa_conv_t *self, bool enable)
{
    assert (self);
    self->schema_tool = enable;
}

void
oa_conv_set_reasoning_format (oa_conv_t *self, const char *format)
{
    assert (self);
    free (self->reasoning_field);
    self->reasoning_field = NULL;
    if (format && (!strcasecmp (format, "reasoning_content") || !strcasecmp (format, "reasoning")
               ||  !strcasecmp (format, "thinking"))) {
        self->reasoning_field = strdup (format);
        for (char *c = self->reasoning_field; c && *c; c++)
            *c = (char) tolower ((unsigned char) *c);
    }
}

void
oa_conv_set_think_tags (oa_conv_t *self, bool enable)
{
    assert (self);
    self->think_tags = enable;
}

void
oa_conv_set_sigcache (oa_conv_t *self, oa_sigcache_t *cache, const char *scope)
{
    assert (self);
    self->sigcache = cache;
    free (self->sig_scope);
    self->sig_scope = scope? strdup (scope): NULL;
}

void
oa_cv_sig_remember (oa_conv_t *conv, json_t *thinking, const char *reasoning)
{
    if (!conv->sigcache || !json_array_size (thinking))
        return;
    oa_sigcache_key_t key;
    oa_sigcache_key_init (&key, conv->sig_scope);
    json_t *blocks = json_array ();
    size_t index;
    json_t *block;
    json_array_foreach (thinking, index, block) {
        const char *text = oa_cv_str (block, "thinking");
        if (oa_cv_is (block, "type", "thinking")) {
            size_t size = text? strlen (text): 0;
            oa_sigcache_key_add (&key, text, size);
            json_array_append_new (blocks, json_pack ("{s:s,s:I,s:s}", "type", "thinking",
                "length", (json_int_t) size,
                "signature", oa_cv_str (block, "signature")? oa_cv_str (block, "signature"): ""));
        }
        else
        if (oa_cv_is (block, "type", "redacted_thinking") && oa_cv_str (block, "data"))
            json_array_append_new (blocks, json_pack ("{s:s,s:s}", "type", "redacted_thinking",
                                                      "data", oa_cv_str (block, "data")));
    }
    //  The key covers exactly the text the client was given
    if (key.size == (reasoning? strlen (reasoning): 0))
        oa_sigcache_put (conv->sigcache, &key, blocks);
    json_decref (blocks);
}

bool
oa_conv_reshapes_chat (oa_conv_t *self)
{
    assert (self);
    return self->reasoning_field || self->think_tags;
}

const char *
oa_cv_reasoning_field (oa_conv_t *conv)
{
    return conv->reasoning_field? conv->reasoning_field: "reasoning_content";
}

bool
oa_conv_wants_schema (oa_api_format_t client, json_t *body)
{
    json_t *format = client == OA_API_FORMAT_CHAT? oa_cv_obj (body, "response_format")
                   : client == OA_API_FORMAT_RESPONSES? oa_cv_obj (oa_cv_obj (body, "text"), "format")
                   : NULL;
    return oa_cv_is (format, "type", "json_schema");
}

void
oa_conv_set_created (oa_conv_t *self, int64_t created)
{
    assert (self);
    self->created = created;
}

bool
oa_conv_streaming (oa_conv_t *self)
{
    assert (self);
    return self->streaming;
}

const char *
oa_conv_request_id (oa_conv_t *self)
{
    assert (self);
    return self->request_id;
}


//  --------------------------------------------------------------------------
//  Session helpers for the converters

int64_t
oa_cv_created (oa_conv_t *conv)
{
    return conv->created? conv->created: (int64_t) time (NULL);
}

char *
oa_cv_make_id (oa_conv_t *conv, const char *prefix, long n)
{
    char *id = NULL;
    int rc = n < 0? asprintf (&id, "%s%s", prefix, conv->request_id)
                  : asprintf (&id, "%s%s_%ld", prefix, conv->request_id, n);
    if (rc < 0)
        return NULL;
    //  Clients replay ids (tool_use ids must match [A-Za-z0-9_-]); keep
    //  whatever the request id holds within that set
    for (char *c = id + strlen (prefix); *c; c++)
        if (!isalnum ((unsigned char) *c) && *c != '_' && *c != '-')
            *c = '_';
    return id;
}

json_t *
oa_cv_chat_envelope (oa_conv_t *conv, const char *model, bool chunk)
{
    char *id = oa_cv_make_id (conv, "chatcmpl-", -1);
    json_t *out = json_pack ("{s:s,s:s,s:I,s:s,s:[]}", "id", id? id: "chatcmpl-0",
        "object", chunk? "chat.completion.chunk": "chat.completion",
        "created", (json_int_t) oa_cv_created (conv), "model", model? model: "", "choices");
    free (id);
    return out;
}

//  The strictest common rule: Gemini wants a letter or underscore first;
//  OpenAI, Anthropic and Gemini all allow [A-Za-z0-9_-] up to 64 bytes.
static bool
s_tool_name_safe (const char *name)
{
    size_t size = strlen (name);
    if (size == 0 || size > 64 || !(isalpha ((unsigned char) name [0]) || name [0] == '_'))
        return false;
    for (size_t i = 0; i < size; i++)
        if (!isalnum ((unsigned char) name [i]) && name [i] != '_' && name [i] != '-')
            return false;
    return true;
}

const char *
oa_cv_safe_tool_name (oa_conv_t *conv, const char *name)
{
    if (!name || s_tool_name_safe (name))
        return name;
    //  Deterministic, so definitions and history map alike; the hash of
    //  the original keeps two names that differ only in unsafe bytes apart.
    uint32_t hash = 2166136261u;
    for (const char *c = name; *c; c++)
        hash = (hash ^ (unsigned char) *c) * 16777619u;
    char safe [65];
    size_t size = 0;
    if (!(isalpha ((unsigned char) name [0]) || name [0] == '_'))
        safe [size++] = '_';
    for (const char *c = name; *c && size < 55; c++)
        safe [size++] = isalnum ((unsigned char) *c) || *c == '-'? *c: '_';
    snprintf (safe + size, sizeof (safe) - size, "_%08x", hash);
    json_object_set_new (conv->tool_names, safe, json_string (name));
    //  The key inside the map lives as long as the session
    void *iter = json_object_iter_at (conv->tool_names, safe);
    return iter? json_object_iter_key (iter): name;
}


//  --------------------------------------------------------------------------
//  The client's name for a tool name sent upstream

const char *
oa_conv_tool_name (oa_conv_t *self, const char *name)
{
    assert (self);
    const char *original = name? oa_cv_str (self->tool_names, name): NULL;
    return original? original: name;
}


static bool
s_known (oa_api_format_t format)
{
    return format == OA_API_FORMAT_CHAT || format == OA_API_FORMAT_RESPONSES
        || format == OA_API_FORMAT_CLAUDE || format == OA_API_FORMAT_GEMINI;
}


//  Removes sampling parameters (reasoning models, Anthropic 2026-10-21).

static void
s_drop_sampling (json_t *body, oa_api_format_t format)
{
    if (format == OA_API_FORMAT_GEMINI) {
        json_t *config = oa_cv_obj (body, "generationConfig");
        json_object_del (config, "temperature");
        json_object_del (config, "topP");
        json_object_del (config, "topK");
        return;
    }
    json_object_del (body, "temperature");
    json_object_del (body, "top_p");
    json_object_del (body, "top_k");
}


//  Settles max_tokens vs max_completion_tokens for a Chat upstream.

static void
s_chat_max_tokens (oa_conv_t *self, json_t *chat)
{
    const char *from = self->max_completion_tokens? "max_tokens": "max_completion_tokens";
    const char *to = self->max_completion_tokens? "max_completion_tokens": "max_tokens";
    json_t *value = json_object_get (chat, from);
    if (value) {
        if (!json_object_get (chat, to))
            json_object_set (chat, to, value);
        json_object_del (chat, from);
    }
}


//  Prepares the Chat pivot for a Chat upstream: strips extension fields,
//  rewrites unsafe tool names, asks for usage in streams.

static void
s_chat_finalize (oa_conv_t *self, json_t *chat)
{
    size_t index;
    json_t *message;
    json_array_foreach (oa_cv_arr (chat, "messages"), index, message) {
        json_object_del (message, "thinking_blocks");
        if (!self->keep_reasoning)
            json_object_del (message, "reasoning_content");
        size_t call_index;
        json_t *call;
        json_array_foreach (oa_cv_arr (message, "tool_calls"), call_index, call) {
            json_object_del (call, "extra_content");
            json_t *function = oa_cv_obj (call, "function");
            const char *safe = oa_cv_safe_tool_name (self, oa_cv_str (function, "name"));
            if (safe && safe != oa_cv_str (function, "name"))
                oa_cv_set_str (function, "name", safe);
        }
    }
    json_t *tool;
    json_array_foreach (oa_cv_arr (chat, "tools"), index, tool) {
        json_t *function = oa_cv_obj (tool, "function");
        const char *safe = oa_cv_safe_tool_name (self, oa_cv_str (function, "name"));
        if (safe && safe != oa_cv_str (function, "name"))
            oa_cv_set_str (function, "name", safe);
    }
    json_t *function = oa_cv_obj (oa_cv_obj (chat, "tool_choice"), "function");
    const char *safe = oa_cv_safe_tool_name (self, oa_cv_str (function, "name"));
    if (safe && safe != oa_cv_str (function, "name"))
        oa_cv_set_str (function, "name", safe);
    s_chat_max_tokens (self, chat);
    if (json_is_true (json_object_get (chat, "stream")))
        json_object_set_new (chat, "stream_options", json_pack ("{s:b}", "include_usage", 1));
    else
        json_object_del (chat, "stream_options");
}


//  A Chat upstream without json_schema (DeepSeek answers 400 "This
//  response_format type is unavailable now"): the schema becomes the
//  parameters of one function the model is forced to call, so the answer
//  is held to the schema by the upstream's own tool machinery rather than
//  by a prompt.  Not when the client has tools (forcing would take them
//  away): wk_rules then falls back to json_object and an instruction.

static void
s_schema_tool (oa_conv_t *self, json_t *chat)
{
    json_t *format = oa_cv_obj (chat, "response_format");
    json_t *spec = oa_cv_obj (format, "json_schema");
    json_t *schema = oa_cv_obj (spec, "schema");
    if (!self->schema_tool || !oa_cv_is (format, "type", "json_schema") || !schema
    ||  json_array_size (oa_cv_arr (chat, "tools")) > 0)
        return;
    const char *name = oa_cv_safe_tool_name (self, oa_cv_str (spec, "name"));
    name = name? name: "json_response";
    free (self->structured_tool);
    self->structured_tool = strdup (name);
    const char *about = oa_cv_str (spec, "description");
    json_t *tool = json_pack ("{s:s,s:{s:s,s:s,s:O}}", "type", "function", "function",
        "name", name,
        "description", about? about: "Give the final answer as this function's arguments, "
                                     "matching its schema exactly.",
        "parameters", schema);
    json_object_set_new (chat, "tools", json_pack ("[o]", tool));
    json_object_set_new (chat, "tool_choice", json_pack ("{s:s,s:{s:s}}", "type", "function",
                                                         "function", "name", name));
    json_object_del (chat, "parallel_tool_calls");
    json_object_del (chat, "response_format");
}


//  The emulated structured-output call of a Chat reply becomes the answer
//  text (the reverse of s_schema_tool).

static void
s_schema_answer (oa_conv_t *self, json_t *chat)
{
    size_t index;
    json_t *choice;
    json_array_foreach (oa_cv_arr (chat, "choices"), index, choice) {
        json_t *message = oa_cv_obj (choice, "message");
        json_t *calls = oa_cv_arr (message, "tool_calls");
        for (size_t at = 0; at < json_array_size (calls); at++) {
            json_t *function = oa_cv_obj (json_array_get (calls, at), "function");
            const char *name = oa_cv_str (function, "name");
            if (!name || strcmp (name, self->structured_tool))
                continue;
            const char *arguments = oa_cv_str (function, "arguments");
            oa_cv_set_str (message, "content", arguments? arguments: "");
            json_array_remove (calls, at);
            break;
        }
        if (calls && json_array_size (calls) == 0) {
            json_object_del (message, "tool_calls");
            if (oa_cv_is (choice, "finish_reason", "tool_calls"))
                oa_cv_set_str (choice, "finish_reason", "stop");
        }
    }
}


//  A Chat upstream's reply, reshaped for the session: <think> tags out of
//  the content (?thinking=true), reasoning under one name (the hub's
//  reasoning_content; renamed for a Chat client by s_reasoning_field).

static void
s_chat_reasoning (oa_conv_t *self, json_t *chat)
{
    size_t index;
    json_t *choice;
    json_array_foreach (oa_cv_arr (chat, "choices"), index, choice) {
        json_t *message = oa_cv_obj (choice, "message");
        if (!message)
            continue;
        //  Groq and OpenRouter name it reasoning
        const char *reasoning = oa_cv_str (message, "reasoning");
        if (reasoning && !oa_cv_str (message, "reasoning_content"))
            oa_cv_set_str (message, "reasoning_content", reasoning);
        json_object_del (message, "reasoning");
        const char *content = oa_cv_str (message, "content");
        char *rest = NULL;
        char *thought = self->think_tags && content? oa_cv_think_split (content, &rest): NULL;
        if (thought) {
            const char *before = oa_cv_str (message, "reasoning_content");
            char *joined = NULL;
            if (asprintf (&joined, "%s%s", before? before: "", thought) >= 0)
                oa_cv_set_str (message, "reasoning_content", joined);
            free (joined);
            oa_cv_set_str (message, "content", rest? rest: "");
        }
        free (thought);
        free (rest);
    }
}


//  The hub's reasoning_content under the name a Chat client asked for.

static void
s_reasoning_field (oa_conv_t *self, json_t *chat)
{
    const char *field = oa_cv_reasoning_field (self);
    if (!strcmp (field, "reasoning_content"))
        return;
    size_t index;
    json_t *choice;
    json_array_foreach (oa_cv_arr (chat, "choices"), index, choice) {
        json_t *message = oa_cv_obj (choice, "message");
        json_t *reasoning = json_object_get (message, "reasoning_content");
        if (!reasoning)
            continue;
        json_object_set (message, field, reasoning);
        json_object_del (message, "reasoning_content");
    }
}


//  --------------------------------------------------------------------------
//  Convert a client request body to the upstream format

json_t *
oa_conv_request (oa_conv_t *self, oa_api_format_t client, oa_api_format_t upstream,
                 json_t *body, char *err)
{
    assert (self);
    if (!s_known (client) || !s_known (upstream)) {
        oa_cv_err (err, "unsupported API format");
        return NULL;
    }
    if (!json_is_object (body)) {
        oa_cv_err (err, "request body must be a JSON object");
        return NULL;
    }
    if (client == OA_API_FORMAT_GEMINI && upstream != OA_API_FORMAT_GEMINI) {
        oa_cv_err (err, "Gemini requests are only relayed to Gemini upstreams");
        return NULL;
    }
    if (client == OA_API_FORMAT_CHAT) {
        json_t *options = oa_cv_obj (body, "stream_options");
        self->include_usage = json_is_true (json_object_get (options, "include_usage"));
    }
    self->streaming = json_is_true (json_object_get (body, "stream"));
    if (client == upstream) {
        json_t *out = json_deep_copy (body);
        if (!out)
            return NULL;
        if (self->model && upstream != OA_API_FORMAT_GEMINI)
            oa_cv_set_str (out, "model", self->model);
        if (self->drop_sampling)
            s_drop_sampling (out, upstream);
        if (upstream == OA_API_FORMAT_CHAT) {
            //  Billing needs usage; the stream converter hides the usage
            //  chunk again from a client that did not ask for it.
            if (self->streaming)
                json_object_set_new (out, "stream_options", json_pack ("{s:b}", "include_usage", 1));
            if (self->max_completion_tokens)
                s_chat_max_tokens (self, out);
            s_schema_tool (self, out);
        }
        return out;
    }
    json_t *chat = NULL;
    if (client == OA_API_FORMAT_CHAT)
        chat = json_deep_copy (body);
    else
    if (client == OA_API_FORMAT_CLAUDE)
        chat = oa_cv_claude_to_chat_request (self, body, err);
    else
    if (client == OA_API_FORMAT_RESPONSES)
        chat = oa_cv_responses_to_chat_request (self, body, err);
    else
        oa_cv_err (err, "unsupported client format");
    if (!chat)
        return NULL;
    if (self->model)
        oa_cv_set_str (chat, "model", self->model);
    json_t *out = NULL;
    if (upstream == OA_API_FORMAT_CHAT) {
        if (self->drop_sampling)
            s_drop_sampling (chat, OA_API_FORMAT_CHAT);
        s_schema_tool (self, chat);
        s_chat_finalize (self, chat);
        return chat;
    }
    if (upstream == OA_API_FORMAT_CLAUDE)
        out = oa_cv_chat_to_claude_request (self, chat, err);
    else
    if (upstream == OA_API_FORMAT_RESPONSES)
        out = oa_cv_chat_to_responses_request (self, chat, err);
    else
    if (upstream == OA_API_FORMAT_GEMINI)
        out = oa_cv_chat_to_gemini_request (self, chat, err);
    else
        oa_cv_err (err, "unsupported upstream format");
    json_decref (chat);
    if (out && self->drop_sampling)
        s_drop_sampling (out, upstream);
    return out;
}


//  Puts the client's tool names back into a Chat reply.

static void
s_restore_tool_names (oa_conv_t *self, json_t *chat)
{
    if (json_object_size (self->tool_names) == 0)
        return;
    size_t index;
    json_t *choice;
    json_array_foreach (oa_cv_arr (chat, "choices"), index, choice) {
        size_t call_index;
        json_t *call;
        json_array_foreach (oa_cv_arr (oa_cv_obj (choice, "message"), "tool_calls"), call_index, call) {
            json_t *function = oa_cv_obj (call, "function");
            const char *name = oa_cv_str (function, "name");
            const char *original = oa_conv_tool_name (self, name);
            if (original && original != name)
                oa_cv_set_str (function, "name", original);
        }
    }
}


//  --------------------------------------------------------------------------
//  Convert a non-stream upstream response to the client format

json_t *
oa_conv_response (oa_conv_t *self, oa_api_format_t upstream, oa_api_format_t client,
                  json_t *body, oa_conv_usage_t *usage, char *err)
{
    assert (self);
    if (usage)
        memset (usage, 0, sizeof (*usage));
    if (!s_known (client) || !s_known (upstream)) {
        oa_cv_err (err, "unsupported API format");
        return NULL;
    }
    if (!json_is_object (body)) {
        oa_cv_err (err, "upstream response is not a JSON object");
        return NULL;
    }
    if (usage)
        oa_conv_usage_parse (usage, upstream, body);
    bool schema_answer = upstream == OA_API_FORMAT_CHAT && self->structured_tool;
    bool reshape = upstream == OA_API_FORMAT_CHAT && oa_conv_reshapes_chat (self);
    if (client == upstream && !schema_answer && !reshape)
        return json_deep_copy (body);

    json_t *chat = NULL;
    if (upstream == OA_API_FORMAT_CHAT) {
        if (!oa_cv_arr (body, "choices")) {
            oa_cv_err (err, "upstream response has no choices");
            return NULL;
        }
        chat = json_deep_copy (body);
        if (chat && schema_answer)
            s_schema_answer (self, chat);
        if (chat && reshape)
            s_chat_reasoning (self, chat);
    }
    else
    if (upstream == OA_API_FORMAT_CLAUDE)
        chat = oa_cv_claude_to_chat_response (self, body, err);
    else
    if (upstream == OA_API_FORMAT_RESPONSES)
        chat = oa_cv_responses_to_chat_response (self, body, err);
    else
    if (upstream == OA_API_FORMAT_GEMINI)
        chat = oa_cv_gemini_to_chat_response (self, body, err);
    else
        oa_cv_err (err, "unsupported upstream format");
    if (!chat)
        return NULL;
    s_restore_tool_names (self, chat);
    if (client == OA_API_FORMAT_CHAT) {
        s_reasoning_field (self, chat);
        return chat;
    }
    json_t *out = NULL;
    if (client == OA_API_FORMAT_CLAUDE)
        out = oa_cv_chat_to_claude_response (self, chat, err);
    else
    if (client == OA_API_FORMAT_RESPONSES)
        out = oa_cv_chat_to_responses_response (self, chat, err);
    else
        oa_cv_err (err, "unsupported client format");
    json_decref (chat);
    return out;
}
