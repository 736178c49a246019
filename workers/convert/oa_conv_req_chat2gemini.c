/*  =========================================================================
    oa_conv_req_chat2gemini - Chat request -> Gemini generateContent request

    Gemini has two roles (user, model), a systemInstruction, tool results as
    functionResponse parts (named, not id-linked: we look the name up from
    the call), and an OpenAPI-subset schema for tool parameters and
    responseSchema, so JSON Schema is filtered to the keys it accepts.  The
    model and stream flag travel in the URL, not the body.  Image URLs are
    sent as fileData; a worker that wants inlineData must fetch them first.
    =========================================================================
*/
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  Gemini 3 refuses replayed function calls without a thought signature;
//  Google documents this value for history it did not produce.
#define S_SKIP_SIGNATURE "skip_thought_signature_validator"

static json_t *s_schema (json_t *schema, int depth);

static char *
s_upper (const char *text)
{
    char *out = strdup (text);
    for (char *c = out; c && *c; c++)
        *c = (char) toupper ((unsigned char) *c);
    return out;
}


//  JSON Schema -> Gemini Schema: only the keys Gemini accepts, uppercase
//  types, ["x","null"] as nullable, const as enum, required limited to
//  declared properties.  Returns a fresh object.
static json_t *
s_schema (json_t *schema, int depth)
{
    json_t *out = json_object ();
    if (!json_is_object (schema) || depth > OA_CV_MAX_DEPTH)
        return out;
    json_t *type = json_object_get (schema, "type");
    if (json_is_array (type)) {
        size_t index;
        json_t *item;
        json_array_foreach (type, index, item) {
            if (json_is_string (item) && strcmp (json_string_value (item), "null")) {
                if (!json_object_get (out, "type")) {
                    char *upper = s_upper (json_string_value (item));
                    oa_cv_set_str (out, "type", upper);
                    free (upper);
                }
            }
            else
            if (json_is_string (item))
                json_object_set_new (out, "nullable", json_true ());
        }
    }
    else
    if (json_is_string (type)) {
        char *upper = s_upper (json_string_value (type));
        oa_cv_set_str (out, "type", upper);
        free (upper);
    }
    static const char *plain [] = {
        "title", "description", "nullable", "maxItems", "minItems", "minProperties",
        "maxProperties", "minLength", "maxLength", "pattern", "minimum", "maximum",
        "propertyOrdering"
    };
    for (size_t i = 0; i < sizeof (plain) / sizeof (plain [0]); i++)
        oa_cv_copy (out, plain [i], schema, plain [i]);
    //  Gemini knows only these formats, and refuses others
    const char *format = oa_cv_str (schema, "format");
    if (format && (!strcmp (format, "enum") || !strcmp (format, "date-time")
               ||  !strcmp (format, "int32") || !strcmp (format, "int64")
               ||  !strcmp (format, "float") || !strcmp (format, "double")))
        oa_cv_set_str (out, "format", format);
    json_t *values = oa_cv_arr (schema, "enum");
    if (!values && json_is_string (json_object_get (schema, "const")))
        json_object_set_new (out, "enum", json_pack ("[O]", json_object_get (schema, "const")));
    else
    if (values) {
        bool strings = true;
        size_t index;
        json_t *item;
        json_array_foreach (values, index, item)
            strings = strings && json_is_string (item);
        if (strings)
            json_object_set (out, "enum", values);
    }
    //  Gemini allows enum on strings only
    if (json_object_get (out, "enum") && !json_object_get (out, "type"))
        oa_cv_set_str (out, "type", "STRING");
    json_t *properties = oa_cv_obj (schema, "properties");
    if (json_object_size (properties)) {
        json_t *converted = json_object ();
        const char *key;
        json_t *value;
        json_object_foreach (properties, key, value)
            json_object_set_new (converted, key, s_schema (value, depth + 1));
        json_object_set_new (out, "properties", converted);
        json_t *required = json_array ();
        size_t index;
        json_t *item;
        json_array_foreach (oa_cv_arr (schema, "required"), index, item)
            if (json_is_string (item) && json_object_get (properties, json_string_value (item)))
                json_array_append (required, item);
        if (json_array_size (required))
            json_object_set (out, "required", required);
        json_decref (required);
    }
    if (json_object_get (schema, "items"))
        json_object_set_new (out, "items", s_schema (json_object_get (schema, "items"), depth + 1));
    json_t *any = oa_cv_arr (schema, "anyOf");
    if (!any)
        any = oa_cv_arr (schema, "oneOf");
    if (any) {
        json_t *converted = json_array ();
        size_t index;
        json_t *item;
        json_array_foreach (any, index, item)
            json_array_append_new (converted, s_schema (item, depth + 1));
        json_object_set_new (out, "anyOf", converted);
    }
    return out;
}


//  Chat content -> Gemini parts.
static json_t *
s_parts (json_t *content)
{
    json_t *parts = json_array ();
    if (json_is_string (content)) {
        if (json_string_length (content))
            json_array_append_new (parts, json_pack ("{s:O}", "text", content));
        return parts;
    }
    size_t index;
    json_t *part;
    json_array_foreach (json_is_array (content)? content: NULL, index, part) {
        const char *type = oa_cv_str (part, "type");
        const char *url = NULL;
        if (!type)
            continue;
        if (!strcmp (type, "text") && oa_cv_str (part, "text") && *oa_cv_str (part, "text"))
            json_array_append_new (parts, json_pack ("{s:s}", "text", oa_cv_str (part, "text")));
        else
        if (!strcmp (type, "image_url"))
            url = json_is_object (json_object_get (part, "image_url"))
                ? oa_cv_str (oa_cv_obj (part, "image_url"), "url"): oa_cv_str (part, "image_url");
        else
        if (!strcmp (type, "file"))
            url = oa_cv_str (oa_cv_obj (part, "file"), "file_data");
        else
        if (!strcmp (type, "input_audio")) {
            json_t *audio = oa_cv_obj (part, "input_audio");
            const char *format = oa_cv_str (audio, "format");
            char *mime = NULL;
            if (oa_cv_str (audio, "data")
            &&  asprintf (&mime, "audio/%s", format? format: "wav") >= 0)
                json_array_append_new (parts, json_pack ("{s:{s:s,s:s}}", "inlineData",
                                       "mimeType", mime, "data", oa_cv_str (audio, "data")));
            free (mime);
        }
        if (!url)
            continue;
        char *mime = NULL;
        const char *data = NULL;
        if (oa_cv_data_url (url, &mime, &data)) {
            json_array_append_new (parts, json_pack ("{s:{s:s,s:s}}", "inlineData",
                                                     "mimeType", mime, "data", data));
            free (mime);
        }
        else
            json_array_append_new (parts, json_pack ("{s:{s:s,s:s}}", "fileData",
                                   "mimeType", oa_cv_url_mime (url), "fileUri", url));
    }
    return parts;
}


//  Appends parts under role, merging with the previous turn of that role.
static void
s_append (json_t *contents, const char *role, json_t *parts)
{
    if (!json_array_size (parts)) {
        json_decref (parts);
        return;
    }
    json_t *last = json_array_get (contents, json_array_size (contents) - 1);
    if (last && oa_cv_is (last, "role", role)) {
        json_array_extend (oa_cv_arr (last, "parts"), parts);
        json_decref (parts);
        return;
    }
    json_array_append_new (contents, json_pack ("{s:s,s:o}", "role", role, "parts", parts));
}


static json_t *
s_model_parts (oa_conv_t *conv, json_t *message, json_t *call_names)
{
    json_t *parts = s_parts (json_object_get (message, "content"));
    size_t index;
    json_t *call;
    json_array_foreach (oa_cv_arr (message, "tool_calls"), index, call) {
        json_t *function = oa_cv_obj (call, "function");
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (function, "name"));
        if (!name)
            continue;
        if (oa_cv_str (call, "id"))
            oa_cv_set_str (call_names, oa_cv_str (call, "id"), name);
        json_t *args = oa_cv_parse_args (oa_cv_str (function, "arguments"));
        const char *signature = oa_cv_str (oa_cv_obj (oa_cv_obj (call, "extra_content"), "google"),
                                           "thought_signature");
        json_array_append_new (parts, json_pack ("{s:{s:s,s:o},s:s}", "functionCall",
            "name", name, "args", args? args: json_object (),
            "thoughtSignature", signature? signature: S_SKIP_SIGNATURE));
    }
    return parts;
}


static json_t *
s_function_response (json_t *message, json_t *call_names)
{
    const char *id = oa_cv_str (message, "tool_call_id");
    const char *name = id? oa_cv_str (call_names, id): NULL;
    char *text = oa_cv_content_text (json_object_get (message, "content"), "\n");
    //  `response` must be an object: a JSON object result is used as is
    json_t *response = text? json_loads (text, 0, NULL): NULL;
    if (!json_is_object (response)) {
        json_decref (response);
        response = json_pack ("{s:s}", "content", text? text: "");
    }
    free (text);
    return json_pack ("[{s:{s:s,s:o}}]", "functionResponse", "name", name? name: "function",
                      "response", response);
}


static void
s_tools (oa_conv_t *conv, json_t *out, json_t *chat)
{
    json_t *declarations = json_array ();
    size_t index;
    json_t *tool;
    json_array_foreach (oa_cv_arr (chat, "tools"), index, tool) {
        json_t *function = oa_cv_obj (tool, "function");
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (function, "name"));
        if (!name)
            continue;
        json_t *declaration = json_pack ("{s:s}", "name", name);
        oa_cv_copy (declaration, "description", function, "description");
        //  An OBJECT without properties is refused: omit parameters then
        json_t *schema = oa_cv_obj (function, "parameters");
        if (json_object_size (oa_cv_obj (schema, "properties")))
            json_object_set_new (declaration, "parameters", s_schema (schema, 0));
        json_array_append_new (declarations, declaration);
    }
    if (!json_array_size (declarations)) {
        json_decref (declarations);
        return;
    }
    json_object_set_new (out, "tools", json_pack ("[{s:o}]", "functionDeclarations", declarations));
    json_t *choice = json_object_get (chat, "tool_choice");
    const char *mode = json_string_value (choice);
    json_t *config = NULL;
    if (mode)
        config = json_pack ("{s:s}", "mode", !strcmp (mode, "required")? "ANY"
                                           : !strcmp (mode, "none")? "NONE": "AUTO");
    else {
        const char *name = oa_cv_safe_tool_name (conv, oa_cv_str (oa_cv_obj (choice, "function"), "name"));
        if (name)
            config = json_pack ("{s:s,s:[s]}", "mode", "ANY", "allowedFunctionNames", name);
    }
    if (config)
        json_object_set_new (out, "toolConfig", json_pack ("{s:o}", "functionCallingConfig", config));
}


static json_t *
s_generation_config (json_t *chat)
{
    json_t *config = json_object ();
    oa_cv_copy (config, "temperature", chat, "temperature");
    oa_cv_copy (config, "topP", chat, "top_p");
    oa_cv_copy (config, "candidateCount", chat, "n");
    oa_cv_copy (config, "presencePenalty", chat, "presence_penalty");
    oa_cv_copy (config, "frequencyPenalty", chat, "frequency_penalty");
    oa_cv_copy (config, "seed", chat, "seed");
    int64_t max_tokens = 0;
    if (oa_cv_int (chat, "max_completion_tokens", &max_tokens) || oa_cv_int (chat, "max_tokens", &max_tokens))
        oa_cv_set_int (config, "maxOutputTokens", max_tokens);
    json_t *stop = json_object_get (chat, "stop");
    if (json_is_string (stop))
        json_object_set_new (config, "stopSequences", json_pack ("[O]", stop));
    else
    if (json_is_array (stop) && json_array_size (stop)) {
        //  Gemini takes at most five
        json_t *list = json_array ();
        for (size_t i = 0; i < json_array_size (stop) && i < 5; i++)
            json_array_append (list, json_array_get (stop, i));
        json_object_set_new (config, "stopSequences", list);
    }
    json_t *format = oa_cv_obj (chat, "response_format");
    if (oa_cv_is (format, "type", "json_object") || oa_cv_is (format, "type", "json_schema")) {
        oa_cv_set_str (config, "responseMimeType", "application/json");
        json_t *schema = oa_cv_obj (oa_cv_obj (format, "json_schema"), "schema");
        if (schema)
            json_object_set_new (config, "responseSchema", s_schema (schema, 0));
    }
    const char *effort = oa_cv_str (chat, "reasoning_effort");
    if (effort) {
        int64_t budget = oa_cv_effort_budget (effort);
        json_object_set_new (config, "thinkingConfig", json_pack ("{s:I,s:b}",
            "thinkingBudget", (json_int_t) budget, "includeThoughts", budget > 0));
    }
    return config;
}


//  --------------------------------------------------------------------------
//  Chat request -> Gemini generateContent request

json_t *
oa_cv_chat_to_gemini_request (oa_conv_t *conv, json_t *chat, char *err)
{
    json_t *messages = oa_cv_arr (chat, "messages");
    if (!messages) {
        oa_cv_err (err, "messages: expected an array");
        return NULL;
    }
    json_t *out = json_object ();
    json_t *contents = json_array ();
    json_t *system = json_array ();
    json_t *call_names = json_object ();

    size_t index;
    json_t *message;
    json_array_foreach (messages, index, message) {
        const char *role = oa_cv_str (message, "role");
        if (!role)
            continue;
        if (!strcmp (role, "system") || !strcmp (role, "developer")) {
            json_t *parts = s_parts (json_object_get (message, "content"));
            json_array_extend (system, parts);
            json_decref (parts);
        }
        else
        if (!strcmp (role, "user"))
            s_append (contents, "user", s_parts (json_object_get (message, "content")));
        else
        if (!strcmp (role, "assistant"))
            s_append (contents, "model", s_model_parts (conv, message, call_names));
        else
        if (!strcmp (role, "tool"))
            s_append (contents, "user", s_function_response (message, call_names));
    }
    json_decref (call_names);
    if (json_array_size (system)) {
        //  Only text belongs in a system instruction
        json_t *texts = json_array ();
        size_t part_index;
        json_t *part;
        json_array_foreach (system, part_index, part)
            if (json_object_get (part, "text"))
                json_array_append (texts, part);
        json_object_set_new (out, "systemInstruction", json_pack ("{s:o}", "parts", texts));
    }
    json_decref (system);
    if (!json_array_size (contents)) {
        oa_cv_err (err, "messages: no user or assistant content");
        json_decref (contents);
        json_decref (out);
        return NULL;
    }
    json_object_set_new (out, "contents", contents);
    s_tools (conv, out, chat);
    json_t *config = s_generation_config (chat);
    if (json_object_size (config))
        json_object_set_new (out, "generationConfig", config);
    else
        json_decref (config);
    return out;
}
