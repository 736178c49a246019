/*  =========================================================================
    wk_rules - what each upstream accepts of a request body, settled on the
    final body just before it leaves

    The rules run on the body in the upstream's own format, after any
    conversion, so a byte-preserved Chat body and a Claude request
    converted to Chat meet the same checks.  Each rule only removes or
    reshapes what the provider would answer with a 400; everything else
    is left as the client sent it.
    =========================================================================
*/
#include "wk_rules.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <czmq.h>

#define S_TYPE_DEEPSEEK 36

//  True if c ends a model-name token ("gpt-5" in "gpt-5-nano", "gpt-5.1",
//  or oa-mock's "gpt-5@usage=finish").
static bool
s_token_end (char c)
{
    return c == 0 || c == '-' || c == '.' || c == '@' || c == ':' || c == '_';
}

//  True if the gpt-N token at name (after "gpt-") is a reasoning one.
static bool
s_gpt_reasoning (const char *digits)
{
    int major = 0;
    const char *at = digits;
    while (isdigit ((unsigned char) *at) && major < 1000)
        major = major * 10 + (*at++ - '0');
    if (at == digits || major < 5 || !s_token_end (*at))
        return false;
    while (*at == '.' || isdigit ((unsigned char) *at))
        at++;
    //  gpt-5-chat(-latest) is the non-reasoning chat model (one-api
    //  isModelSupportedReasoning)
    return !(strncasecmp (at, "-chat", 5) == 0 && s_token_end (at [5]));
}


//  --------------------------------------------------------------------------
//  True for OpenAI reasoning models

bool
wk_rules_reasoning_model (const char *model)
{
    if (!model)
        return false;
    for (const char *at = model; *at; at++) {
        //  A token starts the name or follows a '-' or a provider prefix '/'
        if (at != model && at [-1] != '-' && at [-1] != '/')
            continue;
        if (tolower ((unsigned char) at [0]) == 'o'
        &&  (at [1] == '1' || at [1] == '3' || at [1] == '4') && s_token_end (at [2]))
            return true;
        if (strncasecmp (at, "gpt-", 4) == 0 && s_gpt_reasoning (at + 4))
            return true;
    }
    return false;
}

//  The model name without a provider prefix ("openai/gpt-4o" -> "gpt-4o").
static const char *
s_bare (const char *model)
{
    const char *slash = strrchr (model, '/');
    return slash? slash + 1: model;
}

//  True for OpenAI models known not to reason (gpt-4*, gpt-3.5, chatgpt-4o),
//  which reject reasoning_effort.
static bool
s_plain_model (const char *model)
{
    const char *bare = s_bare (model);
    return strncasecmp (bare, "gpt-4", 5) == 0 || strncasecmp (bare, "gpt-3.5", 7) == 0
        || strncasecmp (bare, "chatgpt-4o", 10) == 0;
}

//  Deletes key; true if it was there.
static bool
s_del (json_t *body, const char *key)
{
    return json_object_del (body, key) == 0;
}

//  The function name a tool_choice object names, flat or nested, or NULL.
static const char *
s_choice_name (json_t *choice)
{
    const char *name = json_string_value (json_object_get (choice, "name"));
    if (name && *name)
        return name;
    json_t *function = json_object_get (choice, "function");
    name = json_is_string (function)? json_string_value (function)
                                    : json_string_value (json_object_get (function, "name"));
    return name && *name? name: NULL;
}

//  tool_choice in the shape format wants (fresh), or NULL to keep it.
static json_t *
s_choice_for (json_t *choice, oa_api_format_t format)
{
    if (json_is_string (choice)) {
        //  Claude's "any" is OpenAI's "required"
        return streq (json_string_value (choice), "any")? json_string ("required"): NULL;
    }
    if (!json_is_object (choice))
        return NULL;
    const char *type = json_string_value (json_object_get (choice, "type"));
    if (!type || !*type)
        type = json_object_get (choice, "function")? "function"
             : json_object_get (choice, "name")? "tool": "";
    if (streq (type, "auto") || streq (type, "none"))
        return json_string (type);
    if (streq (type, "any"))
        return json_string ("required");
    if (!streq (type, "tool") && !streq (type, "function"))
        return NULL;                //  allowed_tools, hosted tools: as they are
    const char *name = s_choice_name (choice);
    if (!name)
        return NULL;
    json_t *fresh = format == OA_API_FORMAT_RESPONSES
                  ? json_pack ("{s:s,s:s}", "type", "function", "name", name)
                  : json_pack ("{s:s,s:{s:s}}", "type", "function", "function", "name", name);
    if (json_equal (fresh, choice)) {
        json_decref (fresh);
        return NULL;
    }
    return fresh;
}


//  --------------------------------------------------------------------------
//  Rewrites tool_choice into the shape format wants

bool
wk_rules_tool_choice (json_t *body, oa_api_format_t format)
{
    json_t *choice = json_object_get (body, "tool_choice");
    if (!choice)
        return false;
    json_t *tools = json_object_get (body, "tools");
    if (format == OA_API_FORMAT_CHAT && json_array_size (tools) == 0)
        //  "'tool_choice' is only allowed when 'tools' are specified"
        return s_del (body, "tool_choice");
    json_t *fresh = s_choice_for (choice, format);
    if (!fresh)
        return false;
    json_object_set_new (body, "tool_choice", fresh);
    return true;
}

//  The system instruction carrying a json_schema response format.  Fresh.
static char *
s_schema_instruction (json_t *json_schema)
{
    json_t *schema = json_object_get (json_schema, "schema");
    const char *description = json_string_value (json_object_get (json_schema, "description"));
    char *schema_text = json_is_object (schema)? json_dumps (schema, JSON_COMPACT | JSON_SORT_KEYS)
                                               : NULL;
    char *text = NULL;
    int rc = asprintf (&text, "%s%sRespond ONLY with a compact JSON object%s%s. Do not include "
                       "commentary, markdown, or additional keys.",
                       description && *description? description: "",
                       description && *description? "\n\n": "",
                       schema_text? " matching this JSON schema: ": "",
                       schema_text? schema_text: "");
    free (schema_text);
    return rc < 0? NULL: text;
}

//  DeepSeek knows text and json_object only: a json_schema request becomes
//  json_object, with the schema told to the model in a system message.
static bool
s_deepseek_format (json_t *body)
{
    json_t *format = json_object_get (body, "response_format");
    const char *type = json_string_value (json_object_get (format, "type"));
    if (!type || !streq (type, "json_schema"))
        return false;
    char *instruction = s_schema_instruction (json_object_get (format, "json_schema"));
    json_t *messages = json_object_get (body, "messages");
    json_t *first = json_array_get (messages, 0);
    const char *existing = json_string_value (json_object_get (first, "content"));
    if (instruction && json_is_array (messages)) {
        if (existing && streq (json_string_value (json_object_get (first, "role")), "system")) {
            char *joined = NULL;
            if (asprintf (&joined, "%s\n\n%s", existing, instruction) >= 0) {
                json_object_set_new (first, "content", json_string (joined));
                free (joined);
            }
        }
        else
            json_array_insert_new (messages, 0, json_pack ("{s:s,s:s}", "role", "system",
                                                            "content", instruction));
    }
    free (instruction);
    json_object_set_new (body, "response_format", json_pack ("{s:s}", "type", "json_object"));
    return true;
}


//  --------------------------------------------------------------------------
//  True for Chat upstreams that take structured output as a forced tool

bool
wk_rules_schema_by_tool (int channel_type)
{
    return channel_type == S_TYPE_DEEPSEEK;
}


//  --------------------------------------------------------------------------
//  Settles an OpenAI-wire body for its upstream

bool
wk_rules_openai (json_t *body, oa_api_format_t format, int channel_type,
                 const char *client_model)
{
    if (!json_is_object (body))
        return false;
    bool chat = format == OA_API_FORMAT_CHAT;
    const char *model = json_string_value (json_object_get (body, "model"));
    bool changed = false;
    if (wk_rules_reasoning_model (model) || wk_rules_reasoning_model (client_model)) {
        changed |= s_del (body, "temperature");
        changed |= s_del (body, "top_p");
        json_t *max = json_object_get (body, "max_tokens");
        if (chat && max) {
            if (!json_object_get (body, "max_completion_tokens"))
                json_object_set (body, "max_completion_tokens", max);
            changed |= s_del (body, "max_tokens");
        }
    }
    else
    if (model && s_plain_model (model))
        changed |= s_del (body, chat? "reasoning_effort": "reasoning");
    if (chat && channel_type == S_TYPE_DEEPSEEK) {
        changed |= s_deepseek_format (body);
        //  DeepSeek reads max_tokens only
        json_t *max = json_object_get (body, "max_completion_tokens");
        if (max) {
            if (!json_object_get (body, "max_tokens"))
                json_object_set (body, "max_tokens", max);
            changed |= s_del (body, "max_completion_tokens");
        }
    }
    changed |= wk_rules_tool_choice (body, format);
    return changed;
}


//  --------------------------------------------------------------------------
//  Settles a Claude Messages body

bool
wk_rules_claude (json_t *body)
{
    if (!json_is_object (body))
        return false;
    bool changed = false;
    const char *thinking = json_string_value (json_object_get (json_object_get (body, "thinking"),
                                                               "type"));
    if (thinking && (streq (thinking, "enabled") || streq (thinking, "adaptive"))) {
        //  Extended thinking takes no top_p / top_k, and temperature 1 only
        changed |= s_del (body, "top_p");
        changed |= s_del (body, "top_k");
        json_t *temperature = json_object_get (body, "temperature");
        if (temperature && json_number_value (temperature) != 1.0)
            changed |= s_del (body, "temperature");
    }
    //  "`temperature` and `top_p` cannot both be specified for this model"
    //  (Claude 4.5 and later); one-api keeps temperature for every model
    if (json_object_get (body, "temperature") && json_object_get (body, "top_p"))
        changed |= s_del (body, "top_p");
    return changed;
}


//  --------------------------------------------------------------------------
//  Forces the channel's system prompt

bool
wk_rules_system_prompt (json_t *body, oa_api_format_t format, const char *prompt)
{
    if (!json_is_object (body) || !prompt || !*prompt)
        return false;
    switch (format) {
        case OA_API_FORMAT_CHAT: {
            json_t *messages = json_object_get (body, "messages");
            if (json_array_size (messages) == 0)
                return false;
            json_t *first = json_array_get (messages, 0);
            if (streq (json_string_value (json_object_get (first, "role")) ?: "", "system"))
                json_object_set_new (first, "content", json_string (prompt));
            else
                json_array_insert_new (messages, 0, json_pack ("{s:s,s:s}", "role", "system",
                                                                "content", prompt));
            return true;
        }
        case OA_API_FORMAT_RESPONSES:
            json_object_set_new (body, "instructions", json_string (prompt));
            return true;
        case OA_API_FORMAT_CLAUDE:
            json_object_set_new (body, "system", json_string (prompt));
            return true;
        case OA_API_FORMAT_GEMINI:
            json_object_set_new (body, "systemInstruction",
                                 json_pack ("{s:[{s:s}]}", "parts", "text", prompt));
            return true;
        default:
            return false;
    }
}


//  --------------------------------------------------------------------------
//  Self test

void
oa_wk_rules_test (bool verbose)
{
    if (verbose)
        printf (" * wk_rules: ");
    const oa_api_format_t chat = OA_API_FORMAT_CHAT, resp = OA_API_FORMAT_RESPONSES;

    //  Reasoning model names: a token anywhere, whatever the prefix
    const char *yes [] = { "o1", "o3-mini", "O4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1",
                           "azure-gpt-5-nano", "openai/o4-mini", "my-o3", "gpt-6",
                           "gpt-5@usage=finish", "gpt-5.1-codex" };
    const char *no [] = { "gpt-4o", "o1x", "gpt-4.1", "claude-haiku-4-5", "gpt-5-chat",
                          "gpt-5-chat-latest", "gpt-50x", "foo-gpt-4o", "deepseek-reasoner",
                          "pro1", "", "gpt-" };
    for (size_t i = 0; i < sizeof yes / sizeof yes [0]; i++)
        assert (wk_rules_reasoning_model (yes [i]));
    for (size_t i = 0; i < sizeof no / sizeof no [0]; i++)
        assert (!wk_rules_reasoning_model (no [i]));
    assert (!wk_rules_reasoning_model (NULL));

    //  Reasoning on Chat: max_tokens -> max_completion_tokens, no sampling
    json_t *body = json_pack ("{s:s,s:i,s:f,s:f,s:[]}", "model", "azure-gpt-5-nano",
                              "max_tokens", 100, "temperature", 0.7, "top_p", 0.9, "messages");
    assert (wk_rules_openai (body, chat, 3, NULL));
    assert (!json_object_get (body, "max_tokens") && !json_object_get (body, "temperature")
            && !json_object_get (body, "top_p"));
    assert (json_integer_value (json_object_get (body, "max_completion_tokens")) == 100);
    assert (!wk_rules_openai (body, chat, 3, NULL));
    json_decref (body);
    //  ... the client's model counts too (an Azure deployment by any name)
    body = json_pack ("{s:s,s:i,s:f}", "model", "prod-deploy", "max_tokens", 10,
                      "temperature", 0.2);
    assert (!wk_rules_openai (body, chat, 3, "my-deploy"));
    assert (wk_rules_openai (body, chat, 3, "gpt-5-mini"));
    assert (json_object_get (body, "max_completion_tokens") && !json_object_get (body, "temperature"));
    json_decref (body);
    //  Responses: sampling goes, max_output_tokens stays
    body = json_pack ("{s:s,s:i,s:f,s:f}", "model", "gpt-5-nano", "max_output_tokens", 64,
                      "temperature", 0.7, "top_p", 0.9);
    assert (wk_rules_openai (body, resp, 3, NULL));
    assert (json_object_size (body) == 2);
    json_decref (body);
    //  Plain models lose reasoning effort
    body = json_pack ("{s:s,s:s,s:f}", "model", "gpt-4o-mini", "reasoning_effort", "high",
                      "temperature", 0.5);
    assert (wk_rules_openai (body, chat, 1, NULL));
    assert (!json_object_get (body, "reasoning_effort") && json_object_get (body, "temperature"));
    json_decref (body);
    body = json_pack ("{s:s,s:{s:s}}", "model", "gpt-4.1", "reasoning", "effort", "low");
    assert (wk_rules_openai (body, resp, 1, NULL));
    assert (!json_object_get (body, "reasoning"));
    json_decref (body);

    //  tool_choice shapes, per target
    body = json_pack ("{s:[{}],s:{s:s,s:s}}", "tools", "tool_choice", "type", "tool",
                      "name", "get_weather");
    assert (wk_rules_tool_choice (body, resp));
    json_t *want = json_pack ("{s:s,s:s}", "type", "function", "name", "get_weather");
    assert (json_equal (json_object_get (body, "tool_choice"), want));
    assert (!wk_rules_tool_choice (body, resp));
    assert (wk_rules_tool_choice (body, chat));
    json_decref (want);
    want = json_pack ("{s:s,s:{s:s}}", "type", "function", "function", "name", "get_weather");
    assert (json_equal (json_object_get (body, "tool_choice"), want));
    assert (!wk_rules_tool_choice (body, chat));
    assert (wk_rules_tool_choice (body, resp));
    assert (streq (json_string_value (json_object_get (json_object_get (body, "tool_choice"),
                                                       "name")), "get_weather"));
    json_decref (want);
    json_object_set_new (body, "tool_choice", json_pack ("{s:s}", "type", "any"));
    assert (wk_rules_tool_choice (body, resp));
    assert (streq (json_string_value (json_object_get (body, "tool_choice")), "required"));
    json_object_set_new (body, "tool_choice", json_pack ("{s:s}", "type", "auto"));
    assert (wk_rules_tool_choice (body, chat));
    assert (streq (json_string_value (json_object_get (body, "tool_choice")), "auto"));
    assert (!wk_rules_tool_choice (body, chat));
    json_object_set_new (body, "tool_choice", json_pack ("{s:s}", "type", "web_search_preview"));
    assert (!wk_rules_tool_choice (body, resp));
    json_object_set_new (body, "tools", json_array ());
    assert (wk_rules_tool_choice (body, chat));
    assert (!json_object_get (body, "tool_choice"));
    json_decref (body);

    //  DeepSeek: json_schema -> json_object + instruction in the system message
    body = json_pack ("{s:s,s:[{s:s,s:s}],s:{s:s,s:{s:s,s:{s:s}}},s:i}", "model", "deepseek-chat",
                      "messages", "role", "user", "content", "hi",
                      "response_format", "type", "json_schema", "json_schema", "name", "t",
                      "schema", "type", "object", "max_completion_tokens", 50);
    assert (wk_rules_openai (body, chat, 36, NULL));
    assert (streq (json_string_value (json_object_get (json_object_get (body, "response_format"),
                                                       "type")), "json_object"));
    json_t *system = json_array_get (json_object_get (body, "messages"), 0);
    assert (streq (json_string_value (json_object_get (system, "role")), "system"));
    assert (strstr (json_string_value (json_object_get (system, "content")),
                    "{\"type\":\"object\"}"));
    assert (json_array_size (json_object_get (body, "messages")) == 2);
    assert (json_integer_value (json_object_get (body, "max_tokens")) == 50);
    assert (!json_object_get (body, "max_completion_tokens"));
    assert (!wk_rules_openai (body, chat, 36, NULL));
    json_decref (body);
    //  ... appended to an existing system prompt; other channels keep json_schema
    body = json_pack ("{s:s,s:[{s:s,s:s}],s:{s:s,s:{s:s}}}", "model", "deepseek-chat",
                      "messages", "role", "system", "content", "Be brief.",
                      "response_format", "type", "json_schema", "json_schema", "name", "t");
    assert (!wk_rules_openai (body, chat, 1, NULL));
    assert (wk_rules_openai (body, chat, 36, NULL));
    system = json_array_get (json_object_get (body, "messages"), 0);
    assert (strncmp (json_string_value (json_object_get (system, "content")), "Be brief.\n\n", 11)
            == 0);
    assert (json_array_size (json_object_get (body, "messages")) == 1);
    json_decref (body);

    assert (wk_rules_schema_by_tool (36) && !wk_rules_schema_by_tool (1));

    //  Channel system prompt: replaces the client's, or goes first
    body = json_pack ("{s:[{s:s,s:s}]}", "messages", "role", "system", "content", "client");
    assert (!wk_rules_system_prompt (body, chat, ""));
    assert (wk_rules_system_prompt (body, chat, "forced"));
    json_t *messages = json_object_get (body, "messages");
    assert (json_array_size (messages) == 1);
    assert (streq (json_string_value (json_object_get (json_array_get (messages, 0), "content")),
                   "forced"));
    json_array_set_new (messages, 0, json_pack ("{s:s,s:s}", "role", "user", "content", "hi"));
    assert (wk_rules_system_prompt (body, chat, "forced"));
    assert (json_array_size (messages) == 2);
    assert (wk_rules_system_prompt (body, resp, "forced"));
    assert (streq (json_string_value (json_object_get (body, "instructions")), "forced"));
    assert (wk_rules_system_prompt (body, OA_API_FORMAT_CLAUDE, "forced"));
    assert (streq (json_string_value (json_object_get (body, "system")), "forced"));
    assert (wk_rules_system_prompt (body, OA_API_FORMAT_GEMINI, "forced"));
    assert (json_object_get (body, "systemInstruction"));
    json_decref (body);

    //  Claude: temperature wins over top_p; thinking takes neither
    body = json_pack ("{s:s,s:f,s:f,s:i}", "model", "claude-haiku-4-5", "temperature", 0.7,
                      "top_p", 0.9, "top_k", 40);
    assert (wk_rules_claude (body));
    assert (json_object_get (body, "temperature") && !json_object_get (body, "top_p")
            && json_object_get (body, "top_k"));
    assert (!wk_rules_claude (body));
    json_object_set_new (body, "thinking", json_pack ("{s:s,s:i}", "type", "enabled",
                                                      "budget_tokens", 2048));
    assert (wk_rules_claude (body));
    assert (!json_object_get (body, "temperature") && !json_object_get (body, "top_k"));
    json_object_set_new (body, "temperature", json_real (1.0));
    assert (!wk_rules_claude (body));
    json_decref (body);
    if (verbose)
        printf ("OK\n");
}
