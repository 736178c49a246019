/*  =========================================================================
    oa_conv_error - upstream error bodies to the client's error format

    Reads OpenAI {"error":{message,type,param,code}} (Azure's string codes,
    DeepSeek), xAI {"code":..,"error":"<string>"}, Anthropic
    {"type":"error","error":{type,message}}, Gemini google.rpc.Status (also
    wrapped in an array), or plain text, and answers in the client's shape
    with a fitting HTTP status (wire-formats.md §6).
    =========================================================================
*/
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"

//  What we learned from an upstream error.
typedef struct {
    char *message;              //  fresh, valid UTF-8
    char *type;                 //  upstream's type (OpenAI or Anthropic), or NULL
    char *code;                 //  upstream's code as text, or NULL
    char *gstatus;              //  Gemini status name, or NULL
    int status;                 //  HTTP status to send
} s_info_t;

static const struct {
    int status;
    const char *claude;
    const char *openai;
    const char *gemini;
} s_status_map [] = {
    { 400, "invalid_request_error", "invalid_request_error", "INVALID_ARGUMENT" },
    { 401, "authentication_error",  "authentication_error",  "UNAUTHENTICATED" },
    { 402, "billing_error",         "insufficient_quota",    "FAILED_PRECONDITION" },
    { 403, "permission_error",      "permission_error",      "PERMISSION_DENIED" },
    { 404, "not_found_error",       "invalid_request_error", "NOT_FOUND" },
    { 408, "timeout_error",         "timeout_error",         "DEADLINE_EXCEEDED" },
    { 413, "request_too_large",     "invalid_request_error", "INVALID_ARGUMENT" },
    { 429, "rate_limit_error",      "rate_limit_error",      "RESOURCE_EXHAUSTED" },
    { 500, "api_error",             "server_error",          "INTERNAL" },
    { 503, "overloaded_error",      "server_error",          "UNAVAILABLE" },
    { 504, "timeout_error",         "server_error",          "DEADLINE_EXCEEDED" },
    { 529, "overloaded_error",      "server_error",          "UNAVAILABLE" },
};
#define S_STATUS_MAP_SIZE (sizeof (s_status_map) / sizeof (s_status_map [0]))

//  Gemini status names to HTTP (google.rpc.Code mapping)
static const struct {
    const char *name;
    int status;
} s_gemini_codes [] = {
    { "INVALID_ARGUMENT", 400 }, { "FAILED_PRECONDITION", 400 }, { "OUT_OF_RANGE", 400 },
    { "UNAUTHENTICATED", 401 }, { "PERMISSION_DENIED", 403 }, { "NOT_FOUND", 404 },
    { "ALREADY_EXISTS", 409 }, { "ABORTED", 409 }, { "RESOURCE_EXHAUSTED", 429 },
    { "CANCELLED", 499 }, { "INTERNAL", 500 }, { "UNKNOWN", 500 }, { "DATA_LOSS", 500 },
    { "NOT_IMPLEMENTED", 501 }, { "UNIMPLEMENTED", 501 }, { "UNAVAILABLE", 503 },
    { "DEADLINE_EXCEEDED", 504 },
};

//  Anthropic error types to HTTP, for errors met inside a 200 stream
static const struct {
    const char *type;
    int status;
} s_type_codes [] = {
    { "invalid_request_error", 400 }, { "authentication_error", 401 },
    { "billing_error", 402 }, { "permission_error", 403 }, { "not_found_error", 404 },
    { "request_too_large", 413 }, { "rate_limit_error", 429 }, { "insufficient_quota", 429 },
    { "api_error", 500 }, { "server_error", 500 }, { "overloaded_error", 529 },
    { "timeout_error", 504 },
};


//  Picks the row for a status: exact, else the class's representative.
static size_t
s_row (int status)
{
    for (size_t i = 0; i < S_STATUS_MAP_SIZE; i++)
        if (s_status_map [i].status == status)
            return i;
    return status >= 500? 8: 0;
}


//  Copies bytes into valid UTF-8, replacing bad sequences and controls but
//  keeping text readable; bounded to max bytes.
static char *
s_clean_text (const char *text, size_t size, size_t max)
{
    if (size > max)
        size = max;
    char *out = (char *) malloc (size + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < size; ) {
        unsigned char c = (unsigned char) text [i];
        size_t len = c < 0x80? 1: (c & 0xE0) == 0xC0? 2: (c & 0xF0) == 0xE0? 3: (c & 0xF8) == 0xF0? 4: 0;
        bool valid = len > 0 && i + len <= size;
        for (size_t k = 1; valid && k < len; k++)
            valid = ((unsigned char) text [i + k] & 0xC0) == 0x80;
        if (valid && len == 2 && c < 0xC2)
            valid = false;      //  overlong
        if (valid && len == 1 && (c < 0x20 && c != '\n' && c != '\t'))
            c = ' ', valid = true;
        if (!valid) {
            out [o++] = '?';
            i++;
            continue;
        }
        if (len == 1)
            out [o++] = (char) c;
        else
            memcpy (out + o, text + i, len), o += len;
        i += len;
    }
    out [o] = 0;
    //  json_string rejects what still slips through (surrogates, overlong
    //  3/4-byte forms): fall back to ASCII only.
    json_t *probe = json_string (out);
    if (!probe) {
        for (size_t i = 0; i < o; i++)
            if ((unsigned char) out [i] >= 0x80)
                out [i] = '?';
    }
    json_decref (probe);
    return out;
}


static char *
s_text_of (json_t *value)
{
    if (json_is_string (value))
        return strdup (json_string_value (value));
    if (json_is_integer (value)) {
        char *text = NULL;
        return asprintf (&text, "%lld", (long long) json_integer_value (value)) < 0? NULL: text;
    }
    return NULL;
}


//  Reads a parsed error body into info.
static void
s_read_json (s_info_t *info, json_t *body)
{
    if (json_is_array (body))
        body = json_array_get (body, 0);
    json_t *error = json_object_get (body, "error");
    if (json_is_object (error)) {
        info->message = s_text_of (json_object_get (error, "message"));
        info->type = s_text_of (json_object_get (error, "type"));
        info->gstatus = s_text_of (json_object_get (error, "status"));
        json_t *code = json_object_get (error, "code");
        if (json_is_string (code))
            info->code = strdup (json_string_value (code));
        else
        if (json_is_integer (code) && !info->gstatus)
            info->code = s_text_of (code);
        else
        if (json_is_integer (code) && info->status < 400)
            info->status = (int) json_integer_value (code);
        //  Gemini's invalid key is a 400 whose ErrorInfo says API_KEY_INVALID
        size_t index;
        json_t *detail;
        json_array_foreach (oa_cv_arr (error, "details"), index, detail)
            if (oa_cv_is (detail, "reason", "API_KEY_INVALID"))
                info->status = 401;
    }
    else
    if (json_is_string (error)) {
        info->message = strdup (json_string_value (error));
        info->code = s_text_of (json_object_get (body, "code"));
    }
    else {
        info->message = s_text_of (json_object_get (body, "message"));
        info->type = s_text_of (json_object_get (body, "type"));
    }
}


static void
s_info_free (s_info_t *info)
{
    free (info->message);
    free (info->type);
    free (info->code);
    free (info->gstatus);
}


//  Renders info in the client's shape.
static json_t *
s_render (s_info_t *info, oa_api_format_t upstream, oa_api_format_t client, int *status_p)
{
    int status = info->status;
    if (status < 400 || status > 599) {
        status = 500;
        for (size_t i = 0; info->gstatus && i < sizeof (s_gemini_codes) / sizeof (s_gemini_codes [0]); i++)
            if (!strcmp (info->gstatus, s_gemini_codes [i].name))
                status = s_gemini_codes [i].status;
        for (size_t i = 0; info->type && i < sizeof (s_type_codes) / sizeof (s_type_codes [0]); i++)
            if (!strcmp (info->type, s_type_codes [i].type))
                status = s_type_codes [i].status;
    }
    //  529 is Anthropic's own; other clients expect a standard code
    if (status == 529 && client != OA_API_FORMAT_CLAUDE)
        status = 503;
    if (status == 499)
        status = 500;
    size_t row = s_row (status);
    const char *message = info->message && *info->message? info->message: NULL;
    char fallback [64];
    if (!message) {
        snprintf (fallback, sizeof (fallback), "upstream error (HTTP %d)", status);
        message = fallback;
    }
    if (status_p)
        *status_p = status;

    json_t *out = NULL;
    if (client == OA_API_FORMAT_CLAUDE) {
        //  Anthropic types are a closed set; an Anthropic upstream's type
        //  is kept, others are derived from the status (OpenAI says
        //  invalid_request_error even for a bad key)
        const char *type = s_status_map [row].claude;
        if (upstream == OA_API_FORMAT_CLAUDE && info->type)
            type = info->type;
        out = json_pack ("{s:s,s:{s:s,s:s}}", "type", "error", "error", "type", type,
                         "message", message);
    }
    else
    if (client == OA_API_FORMAT_GEMINI) {
        const char *name = info->gstatus? info->gstatus: s_status_map [row].gemini;
        out = json_pack ("{s:{s:i,s:s,s:s}}", "error", "code", status, "message", message,
                         "status", name);
    }
    else {
        const char *type = info->type? info->type: s_status_map [row].openai;
        const char *code = info->code? info->code: info->gstatus;
        out = json_pack ("{s:{s:s,s:s,s:n,s:o}}", "error", "message", message, "type", type,
                         "param", "code", code? json_string (code): json_null ());
    }
    return out;
}


//  --------------------------------------------------------------------------
//  Convert an upstream error body to the client's error body

json_t *
oa_conv_error (oa_api_format_t upstream, int status, const char *body, size_t size,
               oa_api_format_t client, int *status_p)
{
    s_info_t info = { NULL, NULL, NULL, NULL, status };
    json_t *parsed = body && size? json_loadb (body, size, JSON_DECODE_ANY, NULL): NULL;
    if (parsed)
        s_read_json (&info, parsed);
    json_decref (parsed);
    if (info.message) {
        char *clean = s_clean_text (info.message, strlen (info.message), 4096);
        free (info.message);
        info.message = clean;
    }
    else
    if (!parsed && body && size) {
        //  Not JSON (an HTML error page, a proxy's text): relay its start
        size_t start = 0;
        while (start < size && isspace ((unsigned char) body [start]))
            start++;
        info.message = s_clean_text (body + start, size - start, 1024);
    }
    json_t *out = s_render (&info, upstream, client, status_p);
    s_info_free (&info);
    return out;
}


//  --------------------------------------------------------------------------
//  Make a client-format error body for an error the gateway detected

json_t *
oa_conv_error_new (oa_api_format_t client, int status, const char *type, const char *message)
{
    s_info_t info = { NULL, NULL, NULL, NULL, status };
    info.message = message? s_clean_text (message, strlen (message), 4096): NULL;
    info.type = type? strdup (type): NULL;
    json_t *out = s_render (&info, client, client, NULL);
    s_info_free (&info);
    return out;
}
