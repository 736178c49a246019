/*  =========================================================================
    wk_openai - the OpenAI wire family adaptor

    URL rules follow one-api (relay/channeltype/url.go for default bases,
    relay/adaptor/openai for Azure): base URL + client path, except Azure
    ({base}/openai/deployments/{model without dots}/{task}?api-version=...)
    and the few compatibles whose base already carries the version prefix.
    =========================================================================
*/
#include "wk_openai.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <czmq.h>

#include "../sse/oa_sse.h"
#include "wk_rules.h"

#define S_AZURE_DEFAULT_VERSION "2024-10-21"
#define S_TYPE_AZURE        3
#define S_TYPE_OPENROUTER   20

//  Channel types served here, with their default base URL ("" = the
//  channel must set one).
static const struct {
    int type;
    const char *base;
} s_types [] = {
    { 1, "https://api.openai.com" },            { 2, "https://oa.api2d.net" },
    { 3, "" },                                  { 4, "https://api.closeai-proxy.xyz" },
    { 5, "https://api.openai-sb.com" },         { 6, "https://api.openaimax.com" },
    { 7, "https://api.ohmygpt.com" },           { 8, "" },
    { 9, "https://api.caipacity.com" },         { 10, "https://api.aiproxy.io" },
    { 12, "https://api.api2gpt.com" },          { 13, "https://api.aigc2d.com" },
    { 19, "https://ai.360.cn" },                { 20, "https://openrouter.ai/api" },
    { 22, "https://fastgpt.run/api/openapi" },  { 25, "https://api.moonshot.cn" },
    { 26, "https://api.baichuan-ai.com" },      { 27, "https://api.minimax.chat" },
    { 28, "https://api.mistral.ai" },           { 29, "https://api.groq.com/openai" },
    { 30, "http://localhost:11434" },           { 31, "https://api.lingyiwanwu.com" },
    { 32, "https://api.stepfun.com" },          { 36, "https://api.deepseek.com" },
    { 39, "https://api.together.xyz" },         { 40, "https://ark.cn-beijing.volces.com" },
    { 41, "https://api.novita.ai/v3/openai" },  { 44, "https://api.siliconflow.cn" },
    { 45, "https://api.x.ai" },                 { 47, "https://qianfan.baidubce.com" },
    { 48, "https://spark-api-open.xf-yun.com" }, { 49, "https://dashscope.aliyuncs.com" },
    { 50, "" },
    { 51, "https://generativelanguage.googleapis.com/v1beta/openai" },
    { 53, "https://api.githubcopilot.com" },    { 54, "https://api.fireworks.ai/inference" },
    { 55, "https://integrate.api.nvidia.com" }, { 56, "https://api.cerebras.ai" },
    { 57, "https://api.deepinfra.com/v1/openai" },
};
#define S_TYPES_SIZE (sizeof (s_types) / sizeof (s_types [0]))

//  Finds a channel type's row, or -1.
static int
s_type_row (int channel_type)
{
    for (size_t i = 0; i < S_TYPES_SIZE; i++)
        if (s_types [i].type == channel_type)
            return (int) i;
    return -1;
}


//  --------------------------------------------------------------------------
//  True if the channel type speaks OpenAI chat wire and this adaptor serves it

bool
wk_openai_speaks (int channel_type)
{
    return s_type_row (channel_type) >= 0;
}


//  --------------------------------------------------------------------------
//  Default base URL of a channel type

const char *
wk_openai_default_base (int channel_type)
{
    int row = s_type_row (channel_type);
    return row < 0? "": s_types [row].base;
}


//  Reads a string member of the channel config JSON into a fresh string, or NULL.
static char *
s_config_string (const char *config_json, const char *key)
{
    if (!config_json || !*config_json)
        return NULL;
    json_t *config = json_loads (config_json, 0, NULL);
    const char *value = json_string_value (json_object_get (config, key));
    char *result = value && *value? strdup (value): NULL;
    json_decref (config);
    return result;
}

//  --------------------------------------------------------------------------
//  Appends the channel's custom_headers (config JSON object of strings)

struct curl_slist *
wk_openai_custom_headers (struct curl_slist *headers, const char *config_json)
{
    if (!config_json || !*config_json)
        return headers;
    json_t *config = json_loads (config_json, 0, NULL);
    json_t *custom = json_object_get (config, "custom_headers");
    const char *name;
    json_t *value;
    json_object_foreach (custom, name, value) {
        //  A header name or value with a line break would split the request
        if (json_is_string (value) && !strpbrk (name, "\r\n:")
        &&  !strpbrk (json_string_value (value), "\r\n")) {
            char *line = zsys_sprintf ("%s: %s", name, json_string_value (value));
            headers = curl_slist_append (headers, line);
            zstr_free (&line);
        }
    }
    json_decref (config);
    return headers;
}

//  The path upstream for compatibles whose base URL already holds a version
//  prefix or that use their own chat path; returns a fresh string.
static char *
s_upstream_path (int type, const char *path)
{
    bool chat = streq (path, "/v1/chat/completions");
    const char *tail = strncmp (path, "/v1/", 4) == 0? path + 3: path;
    switch (type) {
        case 41:                    //  Novita: base ends in /v3/openai
        case 51:                    //  Gemini OpenAI-compatible: base ends in /v1beta/openai
        case 57:                    //  DeepInfra: base ends in /v1/openai
            return strdup (tail);
        case 40:                    //  Doubao (Volcengine Ark)
            return zsys_sprintf ("/api/v3%s", tail);
        case 47:                    //  Baidu Qianfan v2
            return zsys_sprintf ("/v2%s", tail);
        case 49:                    //  Ali Bailian compatible mode
            return zsys_sprintf ("/compatible-mode%s", path);
        case 27:                    //  Minimax
            return strdup (chat? "/v1/text/chatcompletion_v2": path);
        default:
            return strdup (path);
    }
}

//  Azure deployment name: the model with dots removed (gpt-3.5 -> gpt-35).
static char *
s_azure_deployment (const char *model)
{
    char *name = strdup (model);
    char *out = name;
    for (const char *in = model; *in; in++)
        if (*in != '.')
            *out++ = *in;
    *out = 0;
    return name;
}

//  True if the content type is JSON (or absent: clients often omit it).
static bool
s_is_json (const char *content_type)
{
    return !content_type || !*content_type || strstr (content_type, "json");
}

//  A Chat stream whose body names no stream_options at all gets
//  "stream_options":{"include_usage":true} as its first member, spliced in
//  without parsing the rest (which the gateway parsed already): the same
//  request as the tree rewrite below, for the most common case.  Returns
//  0, or -1 when the body is not an object.
static int
s_splice_include_usage (const wk_openai_in_t *in, wk_openai_req_t *out)
{
    static const char member [] = "\"stream_options\":{\"include_usage\":true}";
    size_t at = 0;
    while (at < in->body_size && strchr (" \t\r\n", in->body [at]) && in->body [at])
        at++;
    if (at == in->body_size || in->body [at] != '{')
        return -1;
    at++;                               //  past '{'
    size_t rest = at;
    while (rest < in->body_size && strchr (" \t\r\n", in->body [rest]) && in->body [rest])
        rest++;
    bool empty = rest < in->body_size && in->body [rest] == '}';
    size_t size = in->body_size + sizeof member - 1 + (empty? 0: 1);
    char *body = (char *) malloc (size + 1);
    if (!body)
        return -1;
    memcpy (body, in->body, at);
    memcpy (body + at, member, sizeof member - 1);
    size_t used = at + sizeof member - 1;
    if (!empty)
        body [used++] = ',';
    memcpy (body + used, in->body + at, in->body_size - at);
    body [size] = 0;
    out->body = body;
    out->body_size = size;
    out->usage_forced = true;
    return 0;
}

//  Rewrites the body when the model or stream_options must change.  Leaves
//  out->body NULL when the client's bytes can go as they are.  Returns -1
//  when the body must be JSON and is not.
static int
s_rewrite_body (const wk_openai_in_t *in, wk_openai_req_t *out, const char *client_model_out [],
                json_t **parsed_p)
{
    *parsed_p = NULL;
    if (!in->body || !in->body_size || !s_is_json (in->content_type))
        return 0;
    bool mapped = in->upstream_model && *in->upstream_model;
    bool chat_stream = in->stream && in->enforce_include_usage
                    && streq (in->path, "/v1/chat/completions");
    bool azure = in->channel_type == S_TYPE_AZURE;
    //  The upstream rules only matter when the body holds what they change
    oa_api_format_t format = streq (in->path, "/v1/responses")? OA_API_FORMAT_RESPONSES
                           : streq (in->path, "/v1/chat/completions")? OA_API_FORMAT_CHAT: 0;
    static const char *watched [] = { "\"temperature\"", "\"top_p\"", "\"reasoning",
                                      "\"max_tokens\"", "\"max_completion_tokens\"",
                                      "\"tool_choice\"", "\"json_schema\"" };
    bool sanitize = false;
    for (size_t i = 0; format && !sanitize && i < sizeof watched / sizeof watched [0]; i++)
        sanitize = memmem (in->body, in->body_size, watched [i], strlen (watched [i])) != NULL;
    bool prompt = format && in->system_prompt && *in->system_prompt;
    if (!mapped && !chat_stream && !azure && !sanitize && !prompt)
        return 0;
    if (chat_stream && !mapped && !azure && !sanitize && !prompt
    &&  !memmem (in->body, in->body_size, "\"stream_options\"", 16))
        return s_splice_include_usage (in, out);
    json_t *root = json_loadb (in->body, in->body_size, 0, NULL);
    if (!json_is_object (root)) {
        json_decref (root);
        return -1;
    }
    *parsed_p = root;
    *client_model_out = json_string_value (json_object_get (root, "model"));
    //  Held: the mapping below replaces the body's model
    json_t *client_model = json_incref (json_object_get (root, "model"));
    bool changed = false;
    if (mapped) {
        const char *model = json_string_value (json_object_get (root, "model"));
        if (!model || !streq (model, in->upstream_model)) {
            json_object_set_new (root, "model", json_string (in->upstream_model));
            changed = true;
        }
    }
    if (sanitize && wk_rules_openai (root, format, in->channel_type,
                                     in->client_model? in->client_model
                                                     : json_string_value (client_model)))
        changed = true;
    json_decref (client_model);
    if (prompt && wk_rules_system_prompt (root, format, in->system_prompt))
        changed = true;
    if (chat_stream && json_is_true (json_object_get (root, "stream"))) {
        json_t *options = json_object_get (root, "stream_options");
        if (!json_is_true (json_object_get (options, "include_usage"))) {
            if (!json_is_object (options)) {
                options = json_object ();
                json_object_set_new (root, "stream_options", options);
            }
            json_object_set_new (options, "include_usage", json_true ());
            out->usage_forced = true;
            changed = true;
        }
    }
    if (changed) {
        out->body = json_dumps (root, OA_SSE_JSON_FLAGS);
        if (!out->body)
            return -1;
        out->body_size = strlen (out->body);
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  Builds the upstream request

int
wk_openai_build (const wk_openai_in_t *in, wk_openai_req_t *out, char *err, size_t err_size)
{
    assert (in);
    assert (out);
    memset (out, 0, sizeof *out);
    if (!wk_openai_speaks (in->channel_type)) {
        snprintf (err, err_size, "channel type %d does not speak the OpenAI wire", in->channel_type);
        return -1;
    }
    const char *base = in->base_url && *in->base_url? in->base_url
                                                    : wk_openai_default_base (in->channel_type);
    if (!*base) {
        snprintf (err, err_size, "channel type %d needs a base URL", in->channel_type);
        return -1;
    }
    if (!in->path || in->path [0] != '/') {
        snprintf (err, err_size, "bad request path");
        return -1;
    }
    size_t base_len = strlen (base);
    while (base_len && base [base_len - 1] == '/')
        base_len--;

    const char *client_model = NULL;
    json_t *parsed = NULL;
    if (s_rewrite_body (in, out, &client_model, &parsed)) {
        json_decref (parsed);
        wk_openai_req_clear (out);
        snprintf (err, err_size, "request body is not a JSON object");
        return -1;
    }
    const char *query = in->query && *in->query? in->query: NULL;
    if (in->channel_type == S_TYPE_AZURE) {
        const char *model = in->upstream_model && *in->upstream_model? in->upstream_model
                                                                      : client_model;
        if (!model || !*model) {
            json_decref (parsed);
            wk_openai_req_clear (out);
            snprintf (err, err_size, "Azure needs a model to name the deployment");
            return -1;
        }
        char *version = s_config_string (in->config_json, "api_version");
        const char *api_version = version? version
                                : in->other && *in->other? in->other: S_AZURE_DEFAULT_VERSION;
        const char *task = in->path + 1;
        if (strncmp (task, "v1/", 3) == 0)
            task += 3;
        if (streq (task, "responses")) {
            //  Responses take the deployment from the body's model: the v1
            //  surface, or a dated preview version when the channel names one
            if (strstr (api_version, "preview"))
                out->url = zsys_sprintf ("%.*s/openai/responses?api-version=%s", (int) base_len,
                                         base, api_version);
            else
                out->url = zsys_sprintf ("%.*s/openai/v1/responses?api-version=v1",
                                         (int) base_len, base);
        }
        else {
            char *deployment = s_azure_deployment (model);
            out->url = zsys_sprintf ("%.*s/openai/deployments/%s/%s?api-version=%s",
                                     (int) base_len, base, deployment, task, api_version);
            zstr_free (&deployment);
        }
        zstr_free (&version);
    }
    else {
        char *path = s_upstream_path (in->channel_type, in->path);
        out->url = zsys_sprintf ("%.*s%s%s%s", (int) base_len, base, path, query? "?": "",
                                 query? query: "");
        zstr_free (&path);
    }
    json_decref (parsed);

    //  One credential per request: "k1|k2" lists alternatives; use the first
    const char *key = in->api_key? in->api_key: "";
    size_t key_len = strcspn (key, "|");
    char *line;
    if (in->channel_type == S_TYPE_AZURE)
        line = zsys_sprintf ("api-key: %.*s", (int) key_len, key);
    else
        line = zsys_sprintf ("Authorization: Bearer %.*s", (int) key_len, key);
    out->headers = curl_slist_append (out->headers, line);
    zstr_free (&line);
    if (in->channel_type == S_TYPE_OPENROUTER) {
        out->headers = curl_slist_append (out->headers, "HTTP-Referer: https://github.com/Laisky/one-api");
        out->headers = curl_slist_append (out->headers, "X-Title: One API");
    }
    if (in->body && in->body_size) {
        const char *content_type = in->content_type && *in->content_type? in->content_type
                                                                       : "application/json";
        line = zsys_sprintf ("Content-Type: %s", content_type);
        out->headers = curl_slist_append (out->headers, line);
        zstr_free (&line);
    }
    //  No 100-continue round trip for large bodies
    out->headers = curl_slist_append (out->headers, "Expect:");
    if (in->stream)
        out->headers = curl_slist_append (out->headers, "Accept: text/event-stream");
    out->headers = wk_openai_custom_headers (out->headers, in->config_json);
    return 0;
}


//  --------------------------------------------------------------------------
//  Frees what wk_openai_build allocated

void
wk_openai_req_start (wk_openai_req_t *req, char **body_p, size_t body_size)
{
    assert (req);
    assert (body_p);
    memset (req, 0, sizeof *req);
    req->body = *body_p;
    req->body_size = body_size;
    *body_p = NULL;
}

void
wk_openai_req_clear (wk_openai_req_t *req)
{
    assert (req);
    free (req->url);
    free (req->body);
    curl_slist_free_all (req->headers);
    memset (req, 0, sizeof *req);
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
oa_wk_openai_test (bool verbose)
{
    if (verbose)
        printf (" * wk_openai: ");
    char err [256];
    wk_openai_req_t req;
    const char *body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}";

    //  Plain OpenAI, same model, no enforcement: bytes pass through
    wk_openai_in_t in = { 1, "", "sk-a|sk-b", "gpt-4o", "", "", "POST", "/v1/chat/completions",
                          "", "application/json", body, strlen (body), true, false, NULL, NULL };
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (streq (req.url, "https://api.openai.com/v1/chat/completions"));
    assert (req.body == NULL);
    assert (s_has_header (req.headers, "Authorization: Bearer sk-a"));
    assert (s_has_header (req.headers, "Accept: text/event-stream"));
    wk_openai_req_clear (&req);

    //  Mapping and forced usage rewrite the body
    in.upstream_model = "gpt-4o-mini";
    in.enforce_include_usage = true;
    in.base_url = "http://127.0.0.1:9/";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (streq (req.url, "http://127.0.0.1:9/v1/chat/completions"));
    assert (req.body && req.usage_forced);
    assert (strstr (req.body, "\"model\":\"gpt-4o-mini\""));
    assert (strstr (req.body, "\"stream_options\":{\"include_usage\":true}"));
    wk_openai_req_clear (&req);

    //  Forced usage alone is spliced in: the same members, the same values,
    //  and stream_options added; a client's own stream_options go the tree
    //  way (its include_usage may be false, or other options set)
    in.upstream_model = "";
    const char *bodies [] = {
        body, " {\n \"stream\" : true, \"model\":\"gpt-4o\", \"x\":\"\\u00e9{\"} ",
        "{}", "{ }",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":false},\"model\":\"m\"}",
        "{\"stream\":true,\"stream_options\":{\"other\":1}}"
    };
    for (size_t index = 0; index < sizeof bodies / sizeof bodies [0]; index++) {
        in.body = bodies [index];
        in.body_size = strlen (bodies [index]);
        assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
        assert (req.body && req.usage_forced && req.body_size == strlen (req.body));
        json_t *sent = json_loadb (req.body, req.body_size, 0, NULL);
        json_t *client = json_loadb (in.body, in.body_size, 0, NULL);
        assert (json_is_object (sent) && json_is_object (client));
        assert (json_is_true (json_object_get (json_object_get (sent, "stream_options"),
                                               "include_usage")));
        const char *key;
        json_t *value;
        json_object_foreach (client, key, value)
            if (!streq (key, "stream_options"))
                assert (json_equal (value, json_object_get (sent, key)));
        json_t *options = json_object_get (client, "stream_options");
        if (json_object_get (options, "other"))
            assert (json_equal (json_object_get (options, "other"),
                                json_object_get (json_object_get (sent, "stream_options"),
                                                 "other")));
        assert (json_object_size (sent) == json_object_size (client)
                                           + (options? 0: 1));
        json_decref (sent);
        json_decref (client);
        wk_openai_req_clear (&req);
    }
    in.body = body;
    in.body_size = strlen (body);
    in.upstream_model = "gpt-4o-mini";

    //  Azure: deployment without dots, api-version from config, api-key header
    in.channel_type = 3;
    in.base_url = "https://r.openai.azure.com";
    in.upstream_model = "gpt-3.5-turbo";
    in.config_json = "{\"api_version\":\"2024-06-01\"}";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (streq (req.url, "https://r.openai.azure.com/openai/deployments/gpt-35-turbo/"
                            "chat/completions?api-version=2024-06-01"));
    assert (s_has_header (req.headers, "api-key: sk-a"));
    wk_openai_req_clear (&req);
    in.config_json = "";
    in.other = "2025-01-01";
    in.path = "/v1/embeddings";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (strstr (req.url, "/embeddings?api-version=2025-01-01"));
    wk_openai_req_clear (&req);
    in.path = "/v1/responses";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (streq (req.url, "https://r.openai.azure.com/openai/v1/responses?api-version=v1"));
    wk_openai_req_clear (&req);
    in.other = "2025-04-01-preview";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (streq (req.url, "https://r.openai.azure.com/openai/responses"
                            "?api-version=2025-04-01-preview"));
    wk_openai_req_clear (&req);

    //  Model rules: a reasoning model loses temperature, a plain one reasoning_effort
    const char *sampled = "{\"model\":\"o3-mini\",\"temperature\":0.5,\"messages\":[]}";
    in = (wk_openai_in_t) { 1, "http://h", "k", "", "", "", "POST", "/v1/chat/completions", "",
                            "application/json", sampled, strlen (sampled), false, false, NULL, NULL };
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (req.body && !strstr (req.body, "temperature"));
    wk_openai_req_clear (&req);
    const char *effort = "{\"model\":\"x\",\"reasoning_effort\":\"high\",\"messages\":[]}";
    in.body = effort;
    in.body_size = strlen (effort);
    in.upstream_model = "gpt-4o-mini";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (req.body && !strstr (req.body, "reasoning_effort"));
    wk_openai_req_clear (&req);
    in.upstream_model = "";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (req.body == NULL);
    wk_openai_req_clear (&req);
    //  An Azure deployment named after a reasoning model: max_completion_tokens
    const char *capped = "{\"model\":\"azure-gpt-5-nano\",\"max_tokens\":9,\"top_p\":1,"
                         "\"messages\":[]}";
    in.channel_type = 3;
    in.body = capped;
    in.body_size = strlen (capped);
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (req.body && strstr (req.body, "\"max_completion_tokens\":9")
            && !strstr (req.body, "max_tokens") && !strstr (req.body, "top_p"));
    assert (strstr (req.url, "/openai/deployments/azure-gpt-5-nano/chat/completions"));
    wk_openai_req_clear (&req);
    //  ... mapped to a deployment of any name, the client's model still counts
    in.upstream_model = "prod";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (req.body && !strstr (req.body, "max_tokens") && strstr (req.body, "\"prod\""));
    wk_openai_req_clear (&req);

    //  Compatibles with a versioned base; custom headers; missing base
    in = (wk_openai_in_t) { 51, "", "k", "", "{\"custom_headers\":{\"X-A\":\"1\"}}", "", "POST",
                            "/v1/chat/completions", "", "", body, strlen (body), false, true, NULL, NULL };
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (streq (req.url,
                   "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"));
    assert (s_has_header (req.headers, "X-A: 1"));
    assert (req.body == NULL);          //  not a stream: nothing forced
    wk_openai_req_clear (&req);
    in.channel_type = 50;
    assert (wk_openai_build (&in, &req, err, sizeof err) == -1);
    in.channel_type = 14;
    assert (wk_openai_build (&in, &req, err, sizeof err) == -1);
    assert (!wk_openai_speaks (24) && wk_openai_speaks (36) && wk_openai_speaks (30));

    //  A body that must be rewritten but is not JSON
    in = (wk_openai_in_t) { 1, "", "k", "other", "", "", "POST", "/v1/chat/completions", "q=1",
                            "application/json", "not json", 8, false, false, NULL, NULL };
    assert (wk_openai_build (&in, &req, err, sizeof err) == -1);
    //  Multipart passes through whatever the mapping
    in.content_type = "multipart/form-data; boundary=x";
    assert (wk_openai_build (&in, &req, err, sizeof err) == 0);
    assert (streq (req.url, "https://api.openai.com/v1/chat/completions?q=1"));
    assert (req.body == NULL);
    assert (s_has_header (req.headers, "Content-Type: multipart/form-data; boundary=x"));
    wk_openai_req_clear (&req);
    wk_openai_req_clear (&req);
    if (verbose)
        printf ("OK\n");
}
