/*  =========================================================================
    wk_gemini - the Google Gemini adaptor (channel type 24)

    one-api's relay/adaptor/gemini: version from the channel config
    (api_version, default v1beta), the model percent-escaped into the path,
    streams through ?alt=sse (without it Google answers one JSON array,
    which no SSE parser reads).
    =========================================================================
*/
#include "wk_gemini.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <czmq.h>

#define S_DEFAULT_BASE "https://generativelanguage.googleapis.com"
#define S_DEFAULT_VERSION "v1beta"


//  --------------------------------------------------------------------------
//  The model a Gemini-format client path names

char *
wk_gemini_path_model (const char *path)
{
    const char *start = path? strstr (path, "/models/"): NULL;
    if (!start)
        return NULL;
    start += 8;
    size_t size = strcspn (start, ":/?");
    return size? zsys_sprintf ("%.*s", (int) size, start): NULL;
}

//  Percent-escapes a path segment: RFC 3986 unreserved characters and the
//  sub-delimiters a model name may hold stay, the rest (':' '/' '?' ...)
//  are escaped.  Fresh string.
static char *
s_escape (const char *text)
{
    size_t size = strlen (text);
    char *out = (char *) malloc (size * 3 + 1);
    assert (out);
    char *at = out;
    for (const unsigned char *c = (const unsigned char *) text; *c; c++) {
        if (isalnum (*c) || strchr ("-._~@,=+!$&'()*;", *c))
            *at++ = (char) *c;
        else
            at += sprintf (at, "%%%02X", *c);
    }
    *at = 0;
    return out;
}

//  The config's api_version, fresh, or NULL.
static char *
s_config_version (const char *config_json)
{
    if (!config_json || !*config_json)
        return NULL;
    json_t *config = json_loads (config_json, 0, NULL);
    const char *value = json_string_value (json_object_get (config, "api_version"));
    char *result = value && *value && !strpbrk (value, "/?#")? strdup (value): NULL;
    json_decref (config);
    return result;
}


//  --------------------------------------------------------------------------
//  Builds the upstream request

int
wk_gemini_build (const wk_gemini_in_t *in, char **body_p, size_t body_size,
                 wk_openai_req_t *out, char *err, size_t err_size)
{
    assert (in);
    wk_openai_req_start (out, body_p, body_size);
    const char *model = in->model? in->model: "";
    if (strncmp (model, "models/", 7) == 0)
        model += 7;
    if (!*model || !out->body) {
        snprintf (err, err_size, !*model? "Gemini needs a model": "no request body for Gemini");
        return -1;
    }
    const char *base = in->base_url && *in->base_url? in->base_url: S_DEFAULT_BASE;
    size_t base_len = strlen (base);
    while (base_len && base [base_len - 1] == '/')
        base_len--;
    char *version = s_config_version (in->config_json);
    //  A base that already names the version keeps it
    const char *tail = base + base_len;
    while (tail > base && tail [-1] != '/')
        tail--;
    bool versioned = strncmp (tail, "v1", 2) == 0 && !strchr (tail, '.');
    char *escaped = s_escape (model);
    out->url = zsys_sprintf ("%.*s%s%s/models/%s:%s", (int) base_len, base,
                             versioned? "": "/", versioned? "": version? version: S_DEFAULT_VERSION,
                             escaped, in->stream? "streamGenerateContent?alt=sse"
                                                : "generateContent");
    free (escaped);
    zstr_free (&version);
    const char *key = in->api_key? in->api_key: "";
    size_t key_len = strcspn (key, "|");
    if (!memchr (key, '\r', key_len) && !memchr (key, '\n', key_len)) {
        char *line = zsys_sprintf ("x-goog-api-key: %.*s", (int) key_len, key);
        out->headers = curl_slist_append (out->headers, line);
        zstr_free (&line);
    }
    out->headers = curl_slist_append (out->headers, "Content-Type: application/json");
    out->headers = curl_slist_append (out->headers, "Expect:");
    if (in->stream)
        out->headers = curl_slist_append (out->headers, "Accept: text/event-stream");
    out->headers = wk_openai_custom_headers (out->headers, in->config_json);
    return 0;
}


//  --------------------------------------------------------------------------
//  Self test

void
oa_wk_gemini_test (bool verbose)
{
    if (verbose)
        printf (" * wk_gemini: ");
    char *model = wk_gemini_path_model ("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assert (model && streq (model, "gemini-2.5-flash"));
    zstr_free (&model);
    assert (wk_gemini_path_model ("/v1/chat/completions") == NULL);

    char err [256];
    wk_openai_req_t req;
    char *body = strdup ("{}");
    wk_gemini_in_t in = { "", "AIza|x", "", "models/gemini-2.5-flash", true };
    assert (wk_gemini_build (&in, &body, 2, &req, err, sizeof err) == 0);
    assert (!body && streq (req.url, "https://generativelanguage.googleapis.com/v1beta/models/"
                                     "gemini-2.5-flash:streamGenerateContent?alt=sse"));
    assert (streq (req.headers->data, "x-goog-api-key: AIza"));
    wk_openai_req_clear (&req);
    body = strdup ("{}");
    in = (wk_gemini_in_t) { "http://127.0.0.1:9/", "k", "{\"api_version\":\"v1\"}",
                            "gemini-x@chunks=2 a/b", false };
    assert (wk_gemini_build (&in, &body, 2, &req, err, sizeof err) == 0);
    assert (streq (req.url, "http://127.0.0.1:9/v1/models/gemini-x@chunks=2%20a%2Fb:generateContent"));
    wk_openai_req_clear (&req);
    body = strdup ("{}");
    in = (wk_gemini_in_t) { "https://proxy/v1beta", "k", "", "g", false };
    assert (wk_gemini_build (&in, &body, 2, &req, err, sizeof err) == 0);
    assert (streq (req.url, "https://proxy/v1beta/models/g:generateContent"));
    wk_openai_req_clear (&req);
    body = strdup ("{}");
    in.model = "";
    assert (wk_gemini_build (&in, &body, 2, &req, err, sizeof err) == -1);
    wk_openai_req_clear (&req);
    if (verbose)
        printf ("OK\n");
}
