/*  =========================================================================
    oa_conv_util - JSON, text and mapping helpers for the converters

    Every accessor checks the JSON type it reads: converter input is client
    or upstream bytes, and a wrong type is handled as absent, never asserted.
    =========================================================================
*/
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  --------------------------------------------------------------------------
//  JSON access

const char *
oa_cv_str (json_t *obj, const char *key)
{
    return json_string_value (json_object_get (obj, key));
}

json_t *
oa_cv_obj (json_t *obj, const char *key)
{
    json_t *value = json_object_get (obj, key);
    return json_is_object (value)? value: NULL;
}

json_t *
oa_cv_arr (json_t *obj, const char *key)
{
    json_t *value = json_object_get (obj, key);
    return json_is_array (value)? value: NULL;
}

//  Reads an integer; a real with an integral value counts too (some
//  upstreams send 12.0).
bool
oa_cv_int (json_t *obj, const char *key, int64_t *value)
{
    json_t *item = json_object_get (obj, key);
    if (json_is_integer (item)) {
        *value = json_integer_value (item);
        return true;
    }
    if (json_is_real (item)) {
        double real = json_real_value (item);
        if (real >= -9e15 && real <= 9e15) {
            *value = (int64_t) real;
            return true;
        }
    }
    return false;
}

bool
oa_cv_is (json_t *obj, const char *key, const char *value)
{
    const char *text = oa_cv_str (obj, key);
    return text && strcmp (text, value) == 0;
}

void
oa_cv_copy (json_t *out, const char *out_key, json_t *obj, const char *key)
{
    json_t *value = json_object_get (obj, key);
    if (value && !json_is_null (value))
        json_object_set (out, out_key, value);
}

void
oa_cv_set_str (json_t *obj, const char *key, const char *value)
{
    if (value)
        json_object_set_new (obj, key, json_string (value));
}

void
oa_cv_set_strn (json_t *obj, const char *key, const char *value, size_t size)
{
    if (value)
        json_object_set_new (obj, key, json_stringn (value, size));
}

void
oa_cv_set_int (json_t *obj, const char *key, int64_t value)
{
    json_object_set_new (obj, key, json_integer (value));
}

void
oa_cv_push (json_t *obj, const char *key, json_t *value)
{
    if (!value)
        return;
    json_t *array = json_object_get (obj, key);
    if (!json_is_array (array)) {
        array = json_array ();
        json_object_set_new (obj, key, array);
    }
    json_array_append_new (array, value);
}


//  --------------------------------------------------------------------------
//  Text buffers

int
oa_cv_buf_add (oa_cv_buf_t *buf, const char *text, size_t size)
{
    if (buf->size + size + 1 > buf->cap) {
        size_t cap = buf->cap? buf->cap: 64;
        while (cap < buf->size + size + 1)
            cap *= 2;
        char *data = (char *) realloc (buf->data, cap);
        if (!data)
            return -1;
        buf->data = data;
        buf->cap = cap;
    }
    if (size)
        memcpy (buf->data + buf->size, text, size);
    buf->size += size;
    buf->data [buf->size] = 0;
    return 0;
}

bool
oa_cv_claude_thinking (json_t *block, const char *type, json_t *thinking,
                       oa_cv_buf_t *reasoning)
{
    if (!strcmp (type, "thinking")) {
        const char *text = oa_cv_str (block, "thinking");
        const char *signature = oa_cv_str (block, "signature");
        oa_cv_buf_puts (reasoning, text);
        json_array_append_new (thinking, json_pack ("{s:s,s:s,s:s}", "type", "thinking",
            "thinking", text? text: "", "signature", signature? signature: ""));
        return true;
    }
    if (!strcmp (type, "redacted_thinking") && oa_cv_str (block, "data")) {
        json_array_append_new (thinking, json_pack ("{s:s,s:s}", "type", "redacted_thinking",
                                                    "data", oa_cv_str (block, "data")));
        return true;
    }
    return false;
}

char *
oa_cv_think_split (const char *text, char **rest_p)
{
    *rest_p = NULL;
    if (!text || !strstr (text, "<think>"))
        return NULL;
    oa_cv_buf_t thought = { NULL, 0, 0 };
    oa_cv_buf_t rest = { NULL, 0, 0 };
    oa_cv_buf_add (&thought, "", 0);
    oa_cv_buf_add (&rest, "", 0);
    const char *at = text;
    const char *open;
    while ((open = strstr (at, "<think>"))) {
        oa_cv_buf_add (&rest, at, (size_t) (open - at));
        const char *inner = open + 7;
        const char *close = strstr (inner, "</think>");
        //  An unclosed tag: the rest is all thought (cut off by max_tokens)
        size_t size = close? (size_t) (close - inner): strlen (inner);
        oa_cv_buf_add (&thought, inner, size);
        at = close? close + 8: inner + size;
    }
    oa_cv_buf_puts (&rest, at);
    //  The answer usually follows the tag after a line break or two
    char *start = rest.data;
    while (*start == '\n' || *start == '\r')
        start++;
    *rest_p = strdup (start);
    oa_cv_buf_free (&rest);
    return thought.data;
}

int
oa_cv_buf_puts (oa_cv_buf_t *buf, const char *text)
{
    return text? oa_cv_buf_add (buf, text, strlen (text)): 0;
}

void
oa_cv_buf_free (oa_cv_buf_t *buf)
{
    free (buf->data);
    buf->data = NULL;
    buf->size = buf->cap = 0;
}

char *
oa_cv_content_text (json_t *content, const char *sep)
{
    if (json_is_string (content))
        return strndup (json_string_value (content), json_string_length (content));
    if (!json_is_array (content))
        return NULL;
    oa_cv_buf_t buf = { NULL, 0, 0 };
    oa_cv_buf_add (&buf, "", 0);
    bool first = true;
    size_t index;
    json_t *part;
    json_array_foreach (content, index, part) {
        const char *text = NULL;
        size_t size = 0;
        if (json_is_string (part)) {
            text = json_string_value (part);
            size = json_string_length (part);
        }
        else {
            const char *type = oa_cv_str (part, "type");
            json_t *value = json_object_get (part, "text");
            if (json_is_string (value)
            && (!type || !strcmp (type, "text") || !strcmp (type, "input_text")
                      || !strcmp (type, "output_text"))) {
                text = json_string_value (value);
                size = json_string_length (value);
            }
        }
        if (!text)
            continue;
        if (!first && sep)
            oa_cv_buf_puts (&buf, sep);
        oa_cv_buf_add (&buf, text, size);
        first = false;
    }
    return buf.data;
}

bool
oa_cv_data_url (const char *url, char **mime_p, const char **data_p)
{
    if (!url || strncmp (url, "data:", 5))
        return false;
    const char *comma = strchr (url, ',');
    if (!comma)
        return false;
    const char *header = url + 5;
    size_t header_size = (size_t) (comma - header);
    if (header_size < 7 || memcmp (comma - 7, ";base64", 7))
        return false;
    size_t mime_size = strcspn (header, ";,");
    *mime_p = mime_size? strndup (header, mime_size): strdup ("application/octet-stream");
    *data_p = comma + 1;
    return *mime_p != NULL;
}

const char *
oa_cv_url_mime (const char *url)
{
    static const char *table [][2] = {
        { ".png", "image/png" }, { ".gif", "image/gif" }, { ".webp", "image/webp" },
        { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" }, { ".pdf", "application/pdf" },
    };
    size_t end = strcspn (url, "?#");
    for (size_t i = 0; i < sizeof (table) / sizeof (table [0]); i++) {
        size_t ext = strlen (table [i][0]);
        if (end >= ext && strncasecmp (url + end - ext, table [i][0], ext) == 0)
            return table [i][1];
    }
    return "image/jpeg";
}

char *
oa_cv_safe_id (const char *id)
{
    if (!id || !*id)
        return strdup ("toolu_0");
    char *safe = strdup (id);
    if (safe)
        for (char *c = safe; *c; c++)
            if (!isalnum ((unsigned char) *c) && *c != '_' && *c != '-')
                *c = '_';
    return safe;
}

char *
oa_cv_dump (json_t *value)
{
    if (!value)
        return strdup ("{}");
    char *text = json_dumps (value, OA_SSE_JSON_FLAGS | JSON_ENCODE_ANY);
    return text? text: strdup ("{}");
}

json_t *
oa_cv_parse_args (const char *args)
{
    if (!args)
        return json_object ();
    const char *p = args;
    while (isspace ((unsigned char) *p))
        p++;
    if (!*p)
        return json_object ();
    json_t *value = json_loads (args, JSON_DECODE_ANY, NULL);
    if (json_is_object (value))
        return value;
    json_decref (value);
    return NULL;
}

void
oa_cv_err (char *err, const char *format, ...)
{
    if (!err)
        return;
    va_list args;
    va_start (args, format);
    vsnprintf (err, OA_CONV_ERR_SIZE, format, args);
    va_end (args);
}


//  --------------------------------------------------------------------------
//  Mappings

//  Budgets chosen so effort -> budget -> effort is the identity for
//  low/medium/high; Anthropic's minimum budget is 1024.
int64_t
oa_cv_effort_budget (const char *effort)
{
    if (!effort)
        return 0;
    if (!strcmp (effort, "minimal"))
        return 1024;
    if (!strcmp (effort, "low"))
        return 2048;
    if (!strcmp (effort, "medium"))
        return 8192;
    if (!strcmp (effort, "high"))
        return 24576;
    if (!strcmp (effort, "xhigh") || !strcmp (effort, "max"))
        return 32768;
    return 0;                   //  "none" or unknown: no thinking
}

const char *
oa_cv_budget_effort (int64_t budget)
{
    if (budget <= 0)
        return NULL;
    if (budget <= 4096)
        return "low";
    if (budget <= 16384)
        return "medium";
    return "high";
}

const char *
oa_cv_claude_stop_to_chat (const char *stop_reason, bool emulated_tool)
{
    if (!stop_reason)
        return NULL;
    if (!strcmp (stop_reason, "max_tokens")
    ||  !strcmp (stop_reason, "model_context_window_exceeded"))
        return "length";
    if (!strcmp (stop_reason, "tool_use"))
        return emulated_tool? "stop": "tool_calls";
    if (!strcmp (stop_reason, "refusal"))
        return "content_filter";
    return "stop";              //  end_turn, stop_sequence, pause_turn
}

const char *
oa_cv_chat_finish_to_claude (const char *finish_reason)
{
    if (!finish_reason)
        return "end_turn";
    if (!strcmp (finish_reason, "length"))
        return "max_tokens";
    if (!strcmp (finish_reason, "tool_calls") || !strcmp (finish_reason, "function_call"))
        return "tool_use";
    if (!strcmp (finish_reason, "content_filter"))
        return "refusal";
    return "end_turn";
}

const char *
oa_cv_gemini_finish_to_chat (const char *finish_reason, bool tool_calls)
{
    if (!finish_reason)
        return NULL;
    if (!strcmp (finish_reason, "MAX_TOKENS"))
        return "length";
    static const char *filtered [] = {
        "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"
    };
    for (size_t i = 0; i < sizeof (filtered) / sizeof (filtered [0]); i++)
        if (!strcmp (finish_reason, filtered [i]))
            return "content_filter";
    return tool_calls? "tool_calls": "stop";
}
