/*  =========================================================================
    mock_route - routing, auth, behaviour grammar, usage rule, job driver

    Behaviour grammar.  Every request merges, later wins:
      1. defaults: --chunks/--delay-ms/--chunk-delay-ms (or OA_MOCK_CHUNKS,
         OA_MOCK_DELAY_MS, OA_MOCK_CHUNK_DELAY_MS);
      2. a model-name suffix:  <model>@<key>=<value>[,<key>=<value>...]
         e.g. "gpt-4o-mini@chunks=20,chunk_delay=1000,status=429"; the
         model echoed back is the part before '@'; for Azure deployments
         and Gemini the suffix rides in the path's deployment/model segment;
      3. query parameters  mock_<key>=<value>;
      4. headers           x-mock-<key>: <value>  (dashes or underscores).
    Keys: chunks, delay (delay_ms), chunk_delay (chunk_delay_ms), status,
    fail_after (fail_after_chunks), error_after (error_after_chunks), tools
    (0|1|auto), keepalive (0|1), usage (0|1|finish).

    Usage rule.  prompt tokens = sum over message-like objects (chat
    messages, Anthropic/Gemini system, Gemini contents, Responses input
    items and instructions) of 3 + words, where words counts whitespace-
    separated words in string values under "content", "text" and "parts"
    (recursively); a bare string prompt/input counts its words only (token
    id arrays count one per id).  completion tokens = number of content
    chunks (words) emitted, or of tool-argument fragments for a tool call.
    =========================================================================
*/
#include "mock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

oa_mock_behave_t oa_mock_defaults = {
    .chunks = 5, .delay_ms = 0, .chunk_delay_ms = 0, .status = 0,
    .fail_after = -1, .error_after = -1, .tools = -1, .keepalive = 0, .usage = 1
};

static atomic_ullong s_counter;

//  Scratch buffers for one-shot bodies and stream events (per thread)
static __thread oa_mock_buf_t s_body;
static __thread oa_mock_buf_t s_events;

typedef enum { S_EXACT, S_DEPLOYMENT, S_GEMINI } s_match_t;

typedef struct {
    const char *name;           //  route name in /_mock/stats
    const char *method;         //  HTTP method
    s_match_t match;            //  how path is matched
    const char *path;           //  exact path, or the tail after the variable segment
    oa_mock_dialect_t dialect;  //  auth and error format
    oa_mock_api_fn *api;        //  renderer, NULL for GET /v1/models
    bool api_version;           //  Azure: requires ?api-version=
} s_route_t;

static const s_route_t s_routes [] = {
    { "chat", "POST", S_EXACT, "/v1/chat/completions", OA_MOCK_OPENAI, oa_mock_openai_chat, false },
    { "completions", "POST", S_EXACT, "/v1/completions", OA_MOCK_OPENAI,
      oa_mock_openai_completions, false },
    { "embeddings", "POST", S_EXACT, "/v1/embeddings", OA_MOCK_OPENAI,
      oa_mock_openai_embeddings, false },
    { "moderations", "POST", S_EXACT, "/v1/moderations", OA_MOCK_OPENAI,
      oa_mock_openai_moderations, false },
    { "responses", "POST", S_EXACT, "/v1/responses", OA_MOCK_OPENAI,
      oa_mock_openai_responses, false },
    { "models", "GET", S_EXACT, "/v1/models", OA_MOCK_OPENAI, NULL, false },
    { "anthropic_messages", "POST", S_EXACT, "/v1/messages", OA_MOCK_ANTHROPIC,
      oa_mock_anthropic_messages, false },
    { "azure_chat", "POST", S_DEPLOYMENT, "/chat/completions", OA_MOCK_AZURE,
      oa_mock_openai_chat, true },
    { "azure_completions", "POST", S_DEPLOYMENT, "/completions", OA_MOCK_AZURE,
      oa_mock_openai_completions, true },
    { "azure_embeddings", "POST", S_DEPLOYMENT, "/embeddings", OA_MOCK_AZURE,
      oa_mock_openai_embeddings, true },
    { "azure_responses", "POST", S_EXACT, "/openai/responses", OA_MOCK_AZURE,
      oa_mock_openai_responses, true },
    { "azure_v1_chat", "POST", S_EXACT, "/openai/v1/chat/completions", OA_MOCK_AZURE,
      oa_mock_openai_chat, false },
    { "azure_v1_embeddings", "POST", S_EXACT, "/openai/v1/embeddings", OA_MOCK_AZURE,
      oa_mock_openai_embeddings, false },
    { "azure_v1_responses", "POST", S_EXACT, "/openai/v1/responses", OA_MOCK_AZURE,
      oa_mock_openai_responses, false },
    { "gemini_generate", "POST", S_GEMINI, ":generateContent", OA_MOCK_GEMINI,
      oa_mock_gemini_generate, false },
    { "gemini_stream", "POST", S_GEMINI, ":streamGenerateContent", OA_MOCK_GEMINI,
      oa_mock_gemini_generate, false },
};
#define S_ROUTES (sizeof (s_routes) / sizeof (s_routes [0]))

//  The answer text: chunk i is word (i-1) % 9, with a leading space after the first
static const char *s_words [] = {
    " The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog"
};

//  --------------------------------------------------------------------------
//  Writes a fresh unique id "<prefix>mock<counter>" into dest

void
oa_mock_next_id (char *dest, size_t size, const char *prefix)
{
    unsigned long long n = atomic_fetch_add_explicit (&s_counter, 1, memory_order_relaxed);
    snprintf (dest, size, "%smock%012llx", prefix, n);
}

//  --------------------------------------------------------------------------
//  Usage rule: words under content/text/parts, recursively

static int
s_text_words (json_t *value)
{
    if (json_is_string (value))
        return oa_mock_words (json_string_value (value), json_string_length (value));
    int words = 0;
    if (json_is_array (value)) {
        size_t i;
        json_t *item;
        json_array_foreach (value, i, item)
            words += s_text_words (item);
    }
    else
    if (json_is_object (value)) {
        words += s_text_words (json_object_get (value, "content"));
        words += s_text_words (json_object_get (value, "text"));
        words += s_text_words (json_object_get (value, "parts"));
    }
    return words;
}

//  --------------------------------------------------------------------------
//  Prompt tokens of one message-like value: 3 + words (0 if absent)

int
oa_mock_message_tokens (json_t *message)
{
    return message && !json_is_null (message)? 3 + s_text_words (message): 0;
}

//  --------------------------------------------------------------------------
//  Prompt tokens of a bare input: words of strings, one per token id

int
oa_mock_input_tokens (json_t *input)
{
    if (json_is_integer (input))
        return 1;
    if (json_is_array (input)) {
        int tokens = 0;
        size_t i;
        json_t *item;
        json_array_foreach (input, i, item)
            tokens += oa_mock_input_tokens (item);
        return tokens;
    }
    return s_text_words (input);
}

//  --------------------------------------------------------------------------
//  Sets the tool call: arguments fill the schema's first property

void
oa_mock_set_tool (oa_mock_job_t *job, const char *name, json_t *schema)
{
    snprintf (job->tool_name, sizeof (job->tool_name), "%s", name? name: "tool");
    oa_mock_buf_t args = { 0 };
    json_t *props = json_object_get (schema, "properties");
    void *iter = json_object_iter (props);
    if (iter && strlen (json_object_iter_key (iter)) < 120) {
        const char *key = json_object_iter_key (iter);
        const char *type = json_string_value (json_object_get (json_object_iter_value (iter),
                                                               "type"));
        OA_MOCK_PUT (&args, "{");
        oa_mock_buf_str (&args, key, strlen (key));
        if (type && (!strcasecmp (type, "integer") || !strcasecmp (type, "number")))
            OA_MOCK_PUT (&args, ":42}");
        else
        if (type && !strcasecmp (type, "boolean"))
            OA_MOCK_PUT (&args, ":true}");
        else
            OA_MOCK_PUT (&args, ":\"Paris\"}");
    }
    else
        OA_MOCK_PUT (&args, "{}");
    snprintf (job->tool_args, sizeof (job->tool_args), "%.*s", (int) args.len, args.data);
    oa_mock_buf_free (&args);
}

//  --------------------------------------------------------------------------
//  Fixes pieces and completion tokens; max_tokens > 0 truncates text

void
oa_mock_plan (oa_mock_job_t *job, int max_tokens)
{
    int chunks = job->behave.chunks < 0? 0: job->behave.chunks;
    if (job->tool_call) {
        int len = (int) strlen (job->tool_args);
        job->pieces = chunks < len? chunks: len;
        if (job->pieces < 1)
            job->pieces = 1;
    }
    else {
        job->pieces = chunks;
        if (max_tokens > 0 && max_tokens < chunks) {
            job->pieces = max_tokens;
            job->truncated = true;
        }
    }
    job->completion_tokens = job->pieces;
}

//  --------------------------------------------------------------------------
//  Start of tool-argument fragment i (0-based) of n, on a UTF-8 boundary

static size_t
s_cut (const char *args, size_t len, int i, int n)
{
    size_t at = len * (size_t) i / (size_t) n;
    while (at < len && (args [at] & 0xC0) == 0x80)
        at++;
    return at;
}

//  --------------------------------------------------------------------------
//  Returns the text of chunk index (1-based)

const char *
oa_mock_piece (oa_mock_job_t *job, int index, size_t *len)
{
    if (job->tool_call) {
        size_t total = strlen (job->tool_args);
        size_t from = s_cut (job->tool_args, total, index - 1, job->pieces);
        size_t to = s_cut (job->tool_args, total, index, job->pieces);
        *len = to - from;
        return job->tool_args + from;
    }
    const char *word = s_words [(index - 1) % 9];
    if (index == 1)
        word++;
    *len = strlen (word);
    return word;
}

//  --------------------------------------------------------------------------
//  Appends the whole answer (all pieces) as raw text

void
oa_mock_full_text (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    if (job->tool_call) {
        oa_mock_buf_puts (out, job->tool_args);
        return;
    }
    for (int i = 1; i <= job->pieces; i++) {
        size_t len;
        const char *text = oa_mock_piece (job, i, &len);
        oa_mock_buf_put (out, text, len);
    }
}

//  --------------------------------------------------------------------------
//  Behaviour: applies one key=value pair (key already normalised)

static void
s_behave_set (oa_mock_behave_t *self, const char *key, size_t key_len, const char *value,
              size_t value_len)
{
    char k [32], v [32];
    if (key_len >= sizeof (k) || value_len >= sizeof (v))
        return;
    for (size_t i = 0; i < key_len; i++)
        k [i] = key [i] == '-'? '_': (key [i] >= 'A' && key [i] <= 'Z')? key [i] + 32: key [i];
    k [key_len] = 0;
    memcpy (v, value, value_len);
    v [value_len] = 0;
    int n = atoi (v);
    bool yes = n > 0 || !strcasecmp (v, "true") || !strcasecmp (v, "yes");
    if (!strcmp (k, "chunks"))
        self->chunks = n < 0? 0: n > 1000000? 1000000: n;
    else
    if (!strcmp (k, "delay") || !strcmp (k, "delay_ms"))
        self->delay_ms = n < 0? 0: n;
    else
    if (!strcmp (k, "chunk_delay") || !strcmp (k, "chunk_delay_ms"))
        self->chunk_delay_ms = n < 0? 0: n;
    else
    if (!strcmp (k, "status"))
        self->status = n >= 400 && n <= 599? n: 0;
    else
    if (!strcmp (k, "fail_after") || !strcmp (k, "fail_after_chunks"))
        self->fail_after = n;
    else
    if (!strcmp (k, "error_after") || !strcmp (k, "error_after_chunks"))
        self->error_after = n;
    else
    if (!strcmp (k, "tools"))
        self->tools = !strcasecmp (v, "auto")? -1: yes;
    else
    if (!strcmp (k, "keepalive"))
        self->keepalive = yes;
    else
    if (!strcmp (k, "usage"))
        self->usage = !strcasecmp (v, "finish")? 2: yes;
}

//  --------------------------------------------------------------------------
//  Behaviour: applies "k=v,k=v" (a model suffix)

static void
s_behave_list (oa_mock_behave_t *self, const char *text, size_t len)
{
    const char *end = text + len;
    while (text < end) {
        const char *comma = memchr (text, ',', end - text);
        const char *stop = comma? comma: end;
        const char *eq = memchr (text, '=', stop - text);
        if (eq)
            s_behave_set (self, text, eq - text, eq + 1, stop - eq - 1);
        text = stop + 1;
    }
}

//  --------------------------------------------------------------------------
//  Copies the model name, applying and stripping its @suffix

static void
s_model_take (oa_mock_job_t *job, const char *model, size_t len)
{
    const char *at = memchr (model, '@', len);
    if (at)
        s_behave_list (&job->behave, at + 1, model + len - at - 1);
    size_t base = at? (size_t) (at - model): len;
    if (base >= sizeof (job->model))
        base = sizeof (job->model) - 1;
    memcpy (job->model, model, base);
    job->model [base] = 0;
}

//  --------------------------------------------------------------------------
//  Returns a query parameter's raw value, or NULL

static const char *
s_query (const oa_mock_req_t *req, const char *name, size_t *len)
{
    size_t name_len = strlen (name);
    const char *p = req->query, *end = req->query + req->query_len;
    while (p && p < end) {
        const char *amp = memchr (p, '&', end - p);
        const char *stop = amp? amp: end;
        const char *eq = memchr (p, '=', stop - p);
        if (eq && (size_t) (eq - p) == name_len && !memcmp (p, name, name_len)) {
            *len = stop - eq - 1;
            return eq + 1;
        }
        p = stop + 1;
    }
    return NULL;
}

//  --------------------------------------------------------------------------
//  Percent-decodes src into dest (NUL-terminated, truncated to size)

static size_t
s_unescape (char *dest, size_t size, const char *src, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++) {
        if (src [i] == '%' && i + 2 < len) {
            char hex [3] = { src [i + 1], src [i + 2], 0 };
            dest [n++] = (char) strtol (hex, NULL, 16);
            i += 2;
        }
        else
            dest [n++] = src [i];
    }
    dest [n] = 0;
    return n;
}

//  --------------------------------------------------------------------------
//  Merges query mock_* parameters and x-mock-* headers into the behaviour

static void
s_behave_request (oa_mock_behave_t *self, const oa_mock_req_t *req)
{
    const char *p = req->query, *end = req->query + req->query_len;
    while (p && p < end) {
        const char *amp = memchr (p, '&', end - p);
        const char *stop = amp? amp: end;
        const char *eq = memchr (p, '=', stop - p);
        if (eq && eq - p > 5 && !strncmp (p, "mock_", 5))
            s_behave_set (self, p + 5, eq - p - 5, eq + 1, stop - eq - 1);
        p = stop + 1;
    }
    for (int i = 0; i < req->header_count; i++) {
        const oa_mock_header_t *h = &req->headers [i];
        if (h->name_len > 7 && !strncasecmp (h->name, "x-mock-", 7))
            s_behave_set (self, h->name + 7, h->name_len - 7, h->value, h->value_len);
    }
}

//  --------------------------------------------------------------------------
//  Matches a route; sets *segment to the variable path segment if any

static const s_route_t *
s_match (const oa_mock_req_t *req, const char **segment, size_t *segment_len, bool *known_path)
{
    *known_path = false;
    for (size_t i = 0; i < S_ROUTES; i++) {
        const s_route_t *r = &s_routes [i];
        const char *path = req->path;
        size_t len = req->path_len, tail = strlen (r->path);
        bool hit = false;
        if (r->match == S_EXACT)
            hit = len == tail && !memcmp (path, r->path, len);
        else {
            const char *prefix = r->match == S_DEPLOYMENT? "/openai/deployments/":
                len > 7 && !memcmp (path, "/v1beta", 7)? "/v1beta/models/": "/v1/models/";
            size_t plen = strlen (prefix);
            if (len > plen + tail && !memcmp (path, prefix, plen)
            &&  !memcmp (path + len - tail, r->path, tail)) {
                *segment = path + plen;
                *segment_len = len - plen - tail;
                hit = !memchr (*segment, '/', *segment_len);
            }
        }
        if (hit) {
            *known_path = true;
            if ((size_t) req->method_len == strlen (r->method)
            &&  !memcmp (req->method, r->method, req->method_len))
                return r;
        }
    }
    return NULL;
}

//  --------------------------------------------------------------------------
//  Returns the bearer token, or the whole Authorization value

static const char *
s_bearer (const oa_mock_req_t *req, size_t *len)
{
    const char *auth = oa_mock_req_header (req, "authorization", len);
    if (auth && *len > 7 && !strncasecmp (auth, "Bearer ", 7)) {
        *len -= 7;
        return auth + 7;
    }
    return auth;
}

//  --------------------------------------------------------------------------
//  Checks credentials as the dialect does; on failure renders the error

static bool
s_auth (oa_mock_job_t *job, const oa_mock_req_t *req, oa_mock_buf_t *body, int *status)
{
    size_t len = 0;
    const char *key = NULL;
    if (job->dialect == OA_MOCK_AZURE || job->dialect == OA_MOCK_ANTHROPIC)
        key = oa_mock_req_header (req, job->dialect == OA_MOCK_AZURE? "api-key": "x-api-key",
                                  &len);
    if (job->dialect == OA_MOCK_GEMINI) {
        key = oa_mock_req_header (req, "x-goog-api-key", &len);
        if (!key)
            key = s_query (req, "key", &len);
    }
    if (!key)
        key = s_bearer (req, &len);
    bool bad = key && len == 7 && !memcmp (key, "bad-key", 7);
    if (key && !bad)
        return true;
    if (job->dialect == OA_MOCK_OPENAI) {
        *status = 401;
        if (bad)
            oa_mock_error (job, body, 401, NULL, NULL, NULL);
        else
            oa_mock_error_openai (body, "You didn't provide an API key. You need to provide "
                "your API key in an Authorization header using Bearer auth (i.e. Authorization: "
                "Bearer YOUR_KEY), or as the password field (i.e. Authorization: YOUR_KEY). You "
                "can obtain an API key from https://platform.openai.com/account/api-keys.",
                "invalid_request_error", NULL, NULL);
    }
    else
    if (job->dialect == OA_MOCK_AZURE) {
        *status = 401;
        oa_mock_error (job, body, 401, NULL, NULL, bad? "bad": NULL);
    }
    else
    if (job->dialect == OA_MOCK_ANTHROPIC) {
        *status = 401;
        oa_mock_error (job, body, 401, bad? NULL: "x-api-key header is required", NULL, NULL);
    }
    else {
        *status = bad? 400: 403;
        oa_mock_error (job, body, *status, NULL, NULL, bad? "API_KEY_INVALID": NULL);
    }
    return false;
}

//  --------------------------------------------------------------------------
//  Appends a one-shot response (head + body)

static void
s_one_shot (oa_mock_job_t *job, oa_mock_buf_t *out, int status, oa_mock_buf_t *body,
            const char *content_type)
{
    oa_mock_head (job, out, status, content_type, (long long) body->len);
    oa_mock_buf_put (out, body->data, body->len);
}

//  --------------------------------------------------------------------------
//  Handles one request

oa_mock_job_t *
oa_mock_handle (const oa_mock_req_t *req, oa_mock_buf_t *out)
{
    oa_mock_job_t job = { .behave = oa_mock_defaults, .keep_alive = req->keep_alive,
                          .max_output_tokens = -1 };
    oa_mock_next_id (job.request_id, sizeof (job.request_id), "req_");
    oa_mock_buf_t *body = &s_body;
    body->len = 0;

    //  Inspection routes first: no auth, not counted
    if (req->path_len == 12 && !memcmp (req->path, "/_mock/stats", 12)) {
        oa_mock_stats_render (body);
        s_one_shot (&job, out, 200, body, "application/json");
        return NULL;
    }
    if (req->path_len == 12 && !memcmp (req->path, "/_mock/reset", 12)) {
        oa_mock_stats_reset ();
        OA_MOCK_PUT (body, "{\"ok\":true}");
        s_one_shot (&job, out, 200, body, "application/json");
        return NULL;
    }
    if (req->path_len == 7 && !memcmp (req->path, "/health", 7)) {
        OA_MOCK_PUT (body, "{\"ok\":true}");
        s_one_shot (&job, out, 200, body, "application/json");
        return NULL;
    }
    const char *segment = NULL;
    size_t segment_len = 0;
    bool known_path;
    const s_route_t *route = s_match (req, &segment, &segment_len, &known_path);
    if (!route) {
        char text [300];
        snprintf (text, sizeof (text), "Invalid URL (%.*s %.*s)", (int) req->method_len,
                  req->method, (int) (req->path_len > 200? 200: req->path_len), req->path);
        oa_mock_error_openai (body, text, "invalid_request_error", NULL, NULL);
        s_one_shot (&job, out, known_path? 405: 404, body, "application/json");
        return NULL;
    }
    oa_mock_stats_request (route->name, req);
    job.dialect = route->dialect;
    job.created = (long long) time (NULL);
    int status = 200;
    const char *ctype = "application/json";
    json_t *root = NULL;

    if (!s_auth (&job, req, body, &status))
        goto respond;
    size_t version_len;
    if (route->api_version && !s_query (req, "api-version", &version_len)) {
        status = 404;
        OA_MOCK_PUT (body, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
        goto respond;
    }
    if (route->dialect == OA_MOCK_ANTHROPIC && !oa_mock_req_header (req, "anthropic-version",
                                                                     &version_len)) {
        status = 400;
        oa_mock_error (&job, body, 400, "anthropic-version: header is required", NULL, NULL);
        goto respond;
    }
    if (!route->api) {
        oa_mock_openai_models (body);
        goto respond;
    }
    json_error_t error;
    root = json_loadb (req->body, req->body_len, 0, &error);
    if (!json_is_object (root)) {
        status = 400;
        if (job.dialect == OA_MOCK_ANTHROPIC)
            oa_mock_error (&job, body, 400, "There was an error parsing the body of your "
                           "request. Please ensure the body is valid JSON.", NULL, NULL);
        else
        if (job.dialect == OA_MOCK_GEMINI)
            oa_mock_error (&job, body, 400, "Invalid JSON payload received. Unexpected token.",
                           NULL, NULL);
        else
            oa_mock_error (&job, body, 400, "We could not parse the JSON body of your request. "
                "(HINT: This likely means you aren't using your HTTP library correctly. The "
                "OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
                "have trouble figuring out how to fix this, please contact us through our help "
                "center at help.openai.com.)", NULL, NULL);
        goto respond;
    }

    //  Behaviour: body model suffix, then path segment, then query, then headers
    json_t *model = json_object_get (root, "model");
    if (json_is_string (model))
        s_model_take (&job, json_string_value (model), json_string_length (model));
    if (segment) {
        char name [256];
        size_t n = s_unescape (name, sizeof (name), segment, segment_len);
        s_model_take (&job, name, n);
    }
    s_behave_request (&job.behave, req);
    if (route->match == S_GEMINI && route->api == oa_mock_gemini_generate
    &&  !strcmp (route->name, "gemini_stream")) {
        size_t alt_len;
        const char *alt = s_query (req, "alt", &alt_len);
        job.stream = true;
        job.gemini_array = !(alt && alt_len == 3 && !memcmp (alt, "sse", 3));
    }
    if (job.behave.status) {
        status = job.behave.status;
        oa_mock_error (&job, body, status, NULL, NULL, NULL);
        if (job.dialect == OA_MOCK_GEMINI && job.stream && !job.gemini_array)
            ctype = "text/event-stream";    //  recorded: errors on alt=sse keep this type
        goto respond;
    }
    if (route->api (&job, root, req, body, &status)) {
        json_decref (root);
        oa_mock_job_t *self = malloc (sizeof (oa_mock_job_t));
        if (!self)
            abort ();
        *self = job;
        return self;
    }

respond:
    json_decref (root);
    if (job.behave.delay_ms > 0 || job.behave.fail_after >= 0) {
        //  Delayed or dropped one-shot: keep the rendered response for later
        oa_mock_buf_t ready = { 0 };
        s_one_shot (&job, &ready, status, body, ctype);
        oa_mock_job_t *self = malloc (sizeof (oa_mock_job_t));
        if (!self)
            abort ();
        *self = job;
        self->stream = false;
        self->ready = ready.data;
        self->ready_len = ready.len;
        return self;
    }
    free (job.instructions);
    s_one_shot (&job, out, status, body, ctype);
    return NULL;
}

//  --------------------------------------------------------------------------
//  Wraps the events in s_events as one HTTP chunk

static void
s_frame (oa_mock_buf_t *out)
{
    if (!s_events.len)
        return;
    oa_mock_buf_printf (out, "%zx\r\n", s_events.len);
    oa_mock_buf_put (out, s_events.data, s_events.len);
    OA_MOCK_PUT (out, "\r\n");
    s_events.len = 0;
}

//  --------------------------------------------------------------------------
//  After chunk index: drop, fail, finish, or ask for the next one

static int
s_after (oa_mock_job_t *self, oa_mock_buf_t *out, int index, uint32_t *wait_ms)
{
    if (self->behave.fail_after == index) {
        s_frame (out);
        self->stream_active = false;
        oa_mock_stats_event (OA_MOCK_EV_STREAM_DROPPED);
        return OA_MOCK_DROP;
    }
    bool fail = self->behave.error_after == index;
    if (fail || index >= self->pieces) {
        if (fail)
            self->format->fail (self, &s_events);
        else
            self->format->close (self, &s_events);
        s_frame (out);
        OA_MOCK_PUT (out, "0\r\n\r\n");
        return OA_MOCK_DONE;
    }
    s_frame (out);
    *wait_ms = (uint32_t) self->behave.chunk_delay_ms;
    return OA_MOCK_MORE;
}

//  --------------------------------------------------------------------------
//  Appends the next step of the job's response

int
oa_mock_job_next (oa_mock_job_t *self, oa_mock_buf_t *out, uint32_t *wait_ms)
{
    s_events.len = 0;
    if (self->step == 0) {
        self->step = 1;
        if (self->behave.delay_ms > 0) {
            *wait_ms = (uint32_t) self->behave.delay_ms;
            return OA_MOCK_MORE;
        }
    }
    if (self->step == 1) {
        self->step = 2;
        self->next = 1;
        if (self->ready) {
            if (self->behave.fail_after >= 0) {
                oa_mock_stats_event (OA_MOCK_EV_DROPPED);
                return OA_MOCK_DROP;
            }
            oa_mock_buf_put (out, self->ready, self->ready_len);
            return OA_MOCK_DONE;
        }
        oa_mock_head (self, out, 200, self->format->content_type, -1);
        self->stream_active = true;
        oa_mock_stats_event (OA_MOCK_EV_STREAM_START);
        self->format->open (self, &s_events);
        return s_after (self, out, 0, wait_ms);
    }
    int index = self->next++;
    if (self->behave.keepalive) {
        if (self->dialect == OA_MOCK_ANTHROPIC)
            OA_MOCK_PUT (&s_events, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
        else
        if (!self->gemini_array)
            OA_MOCK_PUT (&s_events, ": keep-alive\n\n");
    }
    self->format->chunk (self, index, &s_events);
    return s_after (self, out, index, wait_ms);
}

//  --------------------------------------------------------------------------
//  Destroys a job, counting how its stream ended

void
oa_mock_job_destroy (oa_mock_job_t **self_p, bool cancelled)
{
    oa_mock_job_t *self = *self_p;
    if (!self)
        return;
    if (cancelled)
        oa_mock_stats_event (OA_MOCK_EV_CANCELLED);
    if (self->stream_active)
        oa_mock_stats_event (cancelled? OA_MOCK_EV_STREAM_CANCELLED: OA_MOCK_EV_STREAM_DONE);
    free (self->instructions);
    free (self->ready);
    free (self);
    *self_p = NULL;
}
