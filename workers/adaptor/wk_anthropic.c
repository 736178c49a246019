/*  =========================================================================
    wk_anthropic - the Anthropic Messages adaptor (channel types 14, 52)

    one-api's relay/adaptor/anthropic: URL {base}/v1/messages, x-api-key,
    anthropic-version (client's or 2023-06-01), anthropic-beta passed on.
    The client's own auth header style (Bearer from SDK >= 1.0) never goes
    upstream: the channel's key does, as x-api-key, which every version
    accepts.
    =========================================================================
*/
#include "wk_anthropic.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <czmq.h>
#include "wk_rules.h"

#define S_DEFAULT_BASE "https://api.anthropic.com"


//  --------------------------------------------------------------------------
//  The anthropic-version an attempt sends

const char *
wk_anthropic_version (const char *client_version)
{
    return client_version && *client_version? client_version: WK_ANTHROPIC_VERSION;
}


//  --------------------------------------------------------------------------
//  True if this API version rejects temperature, top_p and top_k

bool
wk_anthropic_rejects_sampling (const char *version)
{
    //  Versions are dates: 2026-10-21 and later dropped sampling parameters
    return version && strlen (version) == 10 && strcmp (version, "2026-10-21") >= 0;
}


//  --------------------------------------------------------------------------
//  Settles a Messages body for the API in place

void
wk_anthropic_prepare (json_t *body, const char *version, int64_t default_max_tokens)
{
    if (!json_is_object (body))
        return;
    if (!json_is_integer (json_object_get (body, "max_tokens")))
        json_object_set_new (body, "max_tokens",
                             json_integer (default_max_tokens > 0? default_max_tokens: 4096));
    if (wk_anthropic_rejects_sampling (version)) {
        json_object_del (body, "temperature");
        json_object_del (body, "top_p");
        json_object_del (body, "top_k");
    }
    wk_rules_claude (body);
}

//  Appends one "name: value" header unless the value could split the request.
static struct curl_slist *
s_header (struct curl_slist *headers, const char *name, const char *value, size_t size)
{
    if (!value || memchr (value, '\r', size) || memchr (value, '\n', size))
        return headers;
    char *line = zsys_sprintf ("%s: %.*s", name, (int) size, value);
    headers = curl_slist_append (headers, line);
    zstr_free (&line);
    return headers;
}


//  --------------------------------------------------------------------------
//  Builds the upstream request

int
wk_anthropic_build (const wk_anthropic_in_t *in, char **body_p, size_t body_size,
                    wk_openai_req_t *out, char *err, size_t err_size)
{
    assert (in);
    wk_openai_req_start (out, body_p, body_size);
    if (!out->body) {
        snprintf (err, err_size, "no request body for Anthropic");
        return -1;
    }
    const char *base = in->base_url && *in->base_url? in->base_url: S_DEFAULT_BASE;
    size_t base_len = strlen (base);
    while (base_len && base [base_len - 1] == '/')
        base_len--;
    //  A base that already ends in /v1 (some proxies are configured so) keeps it once
    if (base_len >= 3 && memcmp (base + base_len - 3, "/v1", 3) == 0)
        base_len -= 3;
    out->url = zsys_sprintf ("%.*s/v1/messages", (int) base_len, base);
    const char *key = in->api_key? in->api_key: "";
    out->headers = s_header (out->headers, "x-api-key", key, strcspn (key, "|"));
    const char *version = wk_anthropic_version (in->version);
    out->headers = s_header (out->headers, "anthropic-version", version, strlen (version));
    if (in->beta && *in->beta)
        out->headers = s_header (out->headers, "anthropic-beta", in->beta, strlen (in->beta));
    out->headers = curl_slist_append (out->headers, "Content-Type: application/json");
    out->headers = curl_slist_append (out->headers, "Expect:");
    out->headers = curl_slist_append (out->headers, in->stream? "Accept: text/event-stream"
                                                              : "Accept: application/json");
    out->headers = wk_openai_custom_headers (out->headers, in->config_json);
    return 0;
}


//  Returns true if the header list holds this exact line.
static bool
s_has_header (struct curl_slist *list, const char *line)
{
    for (; list; list = list->next)
        if (streq (list->data, line))
            return true;
    return false;
}


//  --------------------------------------------------------------------------
//  Self test

void
oa_wk_anthropic_test (bool verbose)
{
    if (verbose)
        printf (" * wk_anthropic: ");
    assert (streq (wk_anthropic_version (NULL), "2023-06-01"));
    assert (streq (wk_anthropic_version ("2026-10-21"), "2026-10-21"));
    assert (wk_anthropic_rejects_sampling ("2026-10-21"));
    assert (wk_anthropic_rejects_sampling ("2027-01-01"));
    assert (!wk_anthropic_rejects_sampling ("2023-06-01"));
    assert (!wk_anthropic_rejects_sampling ("latest"));

    json_t *body = json_pack ("{s:f,s:f,s:i}", "temperature", 0.5, "top_p", 0.9, "top_k", 5);
    wk_anthropic_prepare (body, "2023-06-01", 0);
    assert (json_integer_value (json_object_get (body, "max_tokens")) == 4096);
    //  Claude 4.5 refuses temperature with top_p: temperature stays
    assert (json_object_get (body, "temperature") && !json_object_get (body, "top_p"));
    json_object_set_new (body, "max_tokens", json_integer (100));
    wk_anthropic_prepare (body, "2026-10-21", 8192);
    assert (json_integer_value (json_object_get (body, "max_tokens")) == 100);
    assert (!json_object_get (body, "temperature") && !json_object_get (body, "top_k"));
    json_decref (body);

    char err [256];
    wk_openai_req_t req;
    char *text = strdup ("{}");
    wk_anthropic_in_t in = { "https://proxy.example/v1/", "sk-ant|sk-2",
                             "{\"custom_headers\":{\"X-A\":\"1\"}}", NULL, "b1,b2", true };
    assert (wk_anthropic_build (&in, &text, 2, &req, err, sizeof err) == 0);
    assert (text == NULL && req.body && req.body_size == 2);
    assert (streq (req.url, "https://proxy.example/v1/messages"));
    assert (s_has_header (req.headers, "x-api-key: sk-ant"));
    assert (s_has_header (req.headers, "anthropic-version: 2023-06-01"));
    assert (s_has_header (req.headers, "anthropic-beta: b1,b2"));
    assert (s_has_header (req.headers, "Accept: text/event-stream"));
    assert (s_has_header (req.headers, "X-A: 1"));
    wk_openai_req_clear (&req);
    text = strdup ("{}");
    in = (wk_anthropic_in_t) { "", "k", "", "2026-10-21", "bad\r\nx: y", false };
    assert (wk_anthropic_build (&in, &text, 2, &req, err, sizeof err) == 0);
    assert (streq (req.url, "https://api.anthropic.com/v1/messages"));
    assert (s_has_header (req.headers, "anthropic-version: 2026-10-21"));
    for (struct curl_slist *h = req.headers; h; h = h->next)
        assert (strncmp (h->data, "anthropic-beta", 14) != 0);
    wk_openai_req_clear (&req);
    assert (wk_anthropic_build (&in, &text, 0, &req, err, sizeof err) == -1);
    wk_openai_req_clear (&req);
    if (verbose)
        printf ("OK\n");
}
