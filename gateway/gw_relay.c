/*  =========================================================================
    gw_relay - the relay routes: admission and the RELAY_REQUEST

    See gw_relay.h.  Admission follows one-api's middleware order (its
    TokenAuth, then Distribute): the relay key, the body's model (a body
    that does not parse is 400 on the routes one-api checks), the token's
    model allow-list and pin, then the choice of candidate channels; each
    failure is one-api's status and message.  Nothing here blocks: the
    replica is this thread's, and the send to the broker never waits (a
    full queue, or no broker at all, is a 503 at once).
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <netdb.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "gw_admit.h"
#include "gw_body_scan.h"
#include "gw_ratelimit.h"
#include "gw_relay_private.h"
#include "oa_log.h"

#define S_CREDENTIAL_MAX 1024       //  bytes of a relay key we look at
#define S_RETRY_MAX 10              //  RetryTimes beyond this is a typo

//  one-api's relay routes that reach a worker.
static const gw_relay_route_t s_routes [] = {
    { "POST", "/v1/chat/completions", OA_MSG_FORMAT_CHAT, NULL, NULL, true },
    { "POST", "/v1/completions", OA_MSG_FORMAT_COMPLETIONS, NULL, NULL, true },
    { "POST", "/v1/edits", OA_MSG_FORMAT_EDITS, NULL, NULL, false },
    { "POST", "/v1/embeddings", OA_MSG_FORMAT_EMBEDDINGS, NULL, NULL, false },
    { "POST", "/v1/engines/:model/embeddings", OA_MSG_FORMAT_EMBEDDINGS, NULL, NULL, false },
    { "POST", "/v1/moderations", OA_MSG_FORMAT_MODERATIONS, NULL, "text-moderation-stable", false },
    { "POST", "/v1/images/generations", OA_MSG_FORMAT_IMAGES_GENERATIONS, NULL, "dall-e-2", true },
    { "POST", "/v1/images/edits", OA_MSG_FORMAT_IMAGES_EDITS, NULL, "dall-e-2", true },
    { "POST", "/v1/audio/speech", OA_MSG_FORMAT_AUDIO_SPEECH, NULL, NULL, true },
    { "POST", "/v1/audio/transcriptions", OA_MSG_FORMAT_AUDIO_TRANSCRIPTION, NULL, "whisper-1", true },
    { "POST", "/v1/audio/translations", OA_MSG_FORMAT_AUDIO_TRANSLATION, NULL, "whisper-1", true },
    { "POST", "/v1/rerank", OA_MSG_FORMAT_RERANK, NULL, NULL, false },
    { "POST", "/v2/rerank", OA_MSG_FORMAT_RERANK, NULL, NULL, false },
    { "POST", "/v1/responses", OA_MSG_FORMAT_RESPONSES, NULL, NULL, false },
    { "POST", "/v1/messages", OA_MSG_FORMAT_CLAUDE, NULL, NULL, false },
    //  one-api's RewriteClaudeMessagesPrefix: Claude Code's doubled prefixes
    { "POST", "/v1/v1/messages", OA_MSG_FORMAT_CLAUDE, "/v1/messages", NULL, false },
    { "POST", "/openai/v1/messages", OA_MSG_FORMAT_CLAUDE, "/v1/messages", NULL, false },
    { "POST", "/openai/v1/v1/messages", OA_MSG_FORMAT_CLAUDE, "/v1/messages", NULL, false },
    { "POST", "/api/v1/v1/messages", OA_MSG_FORMAT_CLAUDE, "/v1/messages", NULL, false },
};

//  one-api's RelayNotImplemented routes.
static const struct { const char *method; const char *pattern; } s_not_implemented [] = {
    { "POST", "/v1/images/variations" },
    { "GET", "/v1/files" }, { "POST", "/v1/files" }, { "DELETE", "/v1/files/:id" },
    { "GET", "/v1/files/:id" }, { "GET", "/v1/files/:id/content" },
    { "POST", "/v1/fine_tuning/jobs" }, { "GET", "/v1/fine_tuning/jobs" },
    { "GET", "/v1/fine_tuning/jobs/:id" }, { "POST", "/v1/fine_tuning/jobs/:id/cancel" },
    { "GET", "/v1/fine_tuning/jobs/:id/events" },
    { "DELETE", "/v1/models/:model" },
    { "POST", "/v1/assistants" }, { "GET", "/v1/assistants/:id" },
    { "POST", "/v1/assistants/:id" }, { "DELETE", "/v1/assistants/:id" },
    { "GET", "/v1/assistants" }, { "POST", "/v1/assistants/:id/files" },
    { "GET", "/v1/assistants/:id/files/:fileId" }, { "DELETE", "/v1/assistants/:id/files/:fileId" },
    { "GET", "/v1/assistants/:id/files" },
    { "POST", "/v1/threads" }, { "GET", "/v1/threads/:id" }, { "POST", "/v1/threads/:id" },
    { "DELETE", "/v1/threads/:id" }, { "POST", "/v1/threads/:id/messages" },
    { "GET", "/v1/threads/:id/messages/:messageId" },
    { "POST", "/v1/threads/:id/messages/:messageId" },
    { "GET", "/v1/threads/:id/messages/:messageId/files/:filesId" },
    { "GET", "/v1/threads/:id/messages/:messageId/files" },
    { "POST", "/v1/threads/:id/runs" }, { "GET", "/v1/threads/:id/runs/:runsId" },
    { "POST", "/v1/threads/:id/runs/:runsId" }, { "GET", "/v1/threads/:id/runs" },
    { "POST", "/v1/threads/:id/runs/:runsId/submit_tool_outputs" },
    { "POST", "/v1/threads/:id/runs/:runsId/cancel" },
    { "GET", "/v1/threads/:id/runs/:runsId/steps/:stepId" },
    { "GET", "/v1/threads/:id/runs/:runsId/steps" },
};

//  What admission reads from the body.
typedef struct {
    char model [GW_RELAY_MODEL_MAX];    //  "model", or the route's default
    bool stream;                    //  "stream": true
    bool include_usage;             //  "stream_options": {"include_usage": true}
    gw_admit_body_t admit;          //  prompt estimate and max_tokens, for admission
    char error [512];               //  why the body is unusable, as Go would say it
} s_body_t;

//  What the send needs once admission (gw_admit) let the request through;
//  in the request's pool.
typedef struct {
    const gw_relay_route_t *route;  //  route served
    bool stream;                    //  the client asked for a stream
    char model [GW_RELAY_MODEL_MAX];    //  requested model
} s_admitted_t;

//  --------------------------------------------------------------------------
//  Request helpers

//  Copies a request header's value (first occurrence) into out.
static bool
s_header (h2o_req_t *req, const char *name, char *out, size_t size)
{
    ssize_t cursor = h2o_find_header_by_str (&req->headers, name, strlen (name), -1);
    if (cursor == -1)
        return false;
    h2o_iovec_t value = req->headers.entries [cursor].value;
    size_t len = value.len < size? value.len: size - 1;
    memcpy (out, value.base, len);
    out [len] = 0;
    return true;
}

//  one-api's extractRawCredential: Authorization, then x-api-key, then api-key.
static void
s_credential (h2o_req_t *req, char *out, size_t size)
{
    *out = 0;
    if (!s_header (req, "authorization", out, size) || !*out)
        if (!s_header (req, "x-api-key", out, size) || !*out)
            s_header (req, "api-key", out, size);
}

static void
s_client_ip (h2o_req_t *req, char *out, size_t size)
{
    struct sockaddr_storage address;
    socklen_t len = req->conn->callbacks->get_peername (req->conn, (struct sockaddr *) &address);
    char host [NI_MAXHOST];
    size_t host_len = len? h2o_socket_getnumerichost ((struct sockaddr *) &address, len, host)
                         : SIZE_MAX;
    if (host_len == SIZE_MAX)
        snprintf (out, size, "0.0.0.0");
    else
        snprintf (out, size, "%.*s", (int) host_len, host);
}

//  The request's failure, as one-api's middleware answers it.
static void
s_fail (gw_request_t *request, int format, const gw_failure_t *failure)
{
    gw_relay_respond_error (request->req, format, failure->status, failure->type,
                            failure->code, failure->message, request->id, *failure->code != 0);
}

static void
s_fail_text (gw_request_t *request, int format, int status, const char *message)
{
    gw_relay_respond_error (request->req, format, status, "one_api_error", "", message,
                            request->id, false);
}

//  The replica, or a 503 when this loop has none (no relay) or it is not
//  loaded yet.
static gw_state_t *
s_state_or_fail (gw_request_t *request, int format)
{
    gw_bridge_t *bridge = gw_bridge_of (request);
    if (!bridge || !gw_bridge_ready (bridge)) {
        s_fail_text (request, format, 503, bridge
            ? "the gateway is loading its state from the ledger, please retry later"
            : "the relay is not configured on this gateway (no ledger)");
        return NULL;
    }
    return gw_bridge_state (bridge);
}

//  --------------------------------------------------------------------------
//  Body

//  Go's encoding/json name for a JSON value kind.
static const char *
s_go_kind (const json_t *value)
{
    switch (json_typeof (value)) {
        case JSON_ARRAY:   return "array";
        case JSON_STRING:  return "string";
        case JSON_INTEGER:
        case JSON_REAL:    return "number";
        case JSON_TRUE:
        case JSON_FALSE:   return "bool";
        default:           return "object";
    }
}

static void
s_parse_json (h2o_iovec_t entity, s_body_t *body)
{
    //  Most bodies are answered by the scanner, without building a tree;
    //  what it does not answer (every error among them) goes to jansson.
    gw_body_fields_t fields;
    if (gw_body_scan (entity.base, entity.len, body->model, sizeof body->model, &fields) == 0) {
        body->stream = fields.stream;
        body->include_usage = fields.include_usage;
        body->admit.prompt_tokens = fields.prompt_tokens;
        body->admit.max_tokens = fields.max_tokens;
        return;
    }
    *body->model = 0;               //  the scanner may have stopped in it
    const char *prefix = "common.UnmarshalBodyReusable failed: unmarshal request body failed: ";
    size_t skip = 0;
    while (skip < entity.len && strchr (" \t\r\n", entity.base [skip]))
        skip++;
    if (skip == entity.len) {
        snprintf (body->error, sizeof body->error, "%sunexpected end of JSON input", prefix);
        return;
    }
    char first = entity.base [skip];
    if (!strchr ("{[\"-0123456789tfn", first)) {
        if (first >= 0x20 && first < 0x7f)
            snprintf (body->error, sizeof body->error,
                      "%sinvalid character '%c' looking for beginning of value", prefix, first);
        else
            snprintf (body->error, sizeof body->error,
                      "%sinvalid character looking for beginning of value", prefix);
        return;
    }
    json_error_t error;
    json_t *json = json_loadb (entity.base, entity.len, JSON_DECODE_ANY, &error);
    if (!json) {
        if (strstr (error.text, "premature end") || strstr (error.text, "unexpected newline"))
            snprintf (body->error, sizeof body->error, "%sunexpected end of JSON input", prefix);
        else
            snprintf (body->error, sizeof body->error, "%s%s", prefix, error.text);
        return;
    }
    if (json_is_null (json)) {
        json_decref (json);
        return;
    }
    if (!json_is_object (json)) {
        snprintf (body->error, sizeof body->error,
                  "%sjson: cannot unmarshal %s into Go value of type middleware.ModelRequest",
                  prefix, s_go_kind (json));
        json_decref (json);
        return;
    }
    json_t *model = json_object_get (json, "model");
    if (json_is_string (model))
        snprintf (body->model, sizeof body->model, "%s", json_string_value (model));
    else
    if (model && !json_is_null (model))
        snprintf (body->error, sizeof body->error,
                  "%sjson: cannot unmarshal %s into Go struct field ModelRequest.model of type "
                  "string", prefix, s_go_kind (model));
    body->stream = json_is_true (json_object_get (json, "stream"));
    json_t *options = json_object_get (json, "stream_options");
    body->include_usage = json_is_true (json_object_get (options, "include_usage"));
    gw_admit_scan (json, &body->admit);
    json_decref (json);
}

//  The "model" field of a multipart/form-data body, found by a light scan:
//  the part whose Content-Disposition names it, up to the next boundary.
static void
s_parse_multipart (h2o_iovec_t entity, const char *content_type, s_body_t *body)
{
    const char *at = strcasestr (content_type, "boundary=");
    if (!at)
        return;
    at += 9;
    char boundary [200] = "\r\n--";
    size_t len = strcspn (at, "; ");
    if (*at == '"') {
        at++;
        len = strcspn (at, "\"");
    }
    if (len == 0 || len > 190)
        return;
    memcpy (boundary + 4, at, len);
    boundary [4 + len] = 0;
    static const char marker [] = "name=\"model\"";
    const char *end = entity.base + entity.len;
    const char *found = entity.len? memmem (entity.base, entity.len, marker, sizeof marker - 1)
                                  : NULL;
    if (!found)
        return;
    const char *value = memmem (found, (size_t) (end - found), "\r\n\r\n", 4);
    if (!value)
        return;
    value += 4;
    const char *stop = memmem (value, (size_t) (end - value), boundary, strlen (boundary));
    if (!stop)
        return;
    size_t value_len = (size_t) (stop - value);
    if (value_len >= sizeof body->model)
        value_len = sizeof body->model - 1;
    memcpy (body->model, value, value_len);
    body->model [value_len] = 0;
}

static void
s_parse_body (gw_request_t *request, const gw_relay_route_t *route, s_body_t *body)
{
    memset (body, 0, sizeof (s_body_t));
    h2o_req_t *req = request->req;
    char content_type [512] = "";
    s_header (req, "content-type", content_type, sizeof content_type);
    if (strncasecmp (content_type, "multipart/form-data", 19) == 0)
        s_parse_multipart (req->entity, content_type, body);
    else
        s_parse_json (req->entity, body);
    if (*body->error)
        return;
    if (!*body->model) {
        size_t len = 0;
        const char *param = gw_params_get (&request->params, "model", &len);
        if (param && len < sizeof body->model) {
            memcpy (body->model, param, len);
            body->model [len] = 0;
        }
        else
        if (route->default_model)
            snprintf (body->model, sizeof body->model, "%s", route->default_model);
    }
}

//  --------------------------------------------------------------------------
//  RELAY_REQUEST

//  Reads ?thinking= and ?reasoning_format= from the raw query.
static void
s_query_options (h2o_iovec_t query, oa_msg_t *msg)
{
    const char *at = query.base, *end = query.base + query.len;
    while (at < end) {
        const char *amp = memchr (at, '&', (size_t) (end - at));
        const char *stop = amp? amp: end;
        const char *eq = memchr (at, '=', (size_t) (stop - at));
        size_t name_len = (size_t) ((eq? eq: stop) - at);
        const char *value = eq? eq + 1: stop;
        size_t value_len = (size_t) (stop - value);
        if (name_len == 8 && memcmp (at, "thinking", 8) == 0)
            oa_msg_set_thinking (msg, (value_len == 4 && strncasecmp (value, "true", 4) == 0)
                                   || (value_len == 1 && *value == '1'));
        else
        if (name_len == 16 && memcmp (at, "reasoning_format", 16) == 0 && value_len < 64) {
            char text [64];
            memcpy (text, value, value_len);
            text [value_len] = 0;
            oa_msg_set_reasoning_format (msg, text);
        }
        at = stop + 1;
    }
}

//  Forwards the client headers the upstream needs; repeated headers join
//  with ", " as HTTP allows.
static void
s_forward_headers (h2o_req_t *req, oa_msg_t *msg)
{
    static const char *names [] = { "anthropic-version", "anthropic-beta", "openai-beta", NULL };
    for (int index = 0; names [index]; index++) {
        char joined [2048] = "";
        size_t used = 0;
        ssize_t cursor = -1;
        while ((cursor = h2o_find_header_by_str (&req->headers, names [index],
                                                 strlen (names [index]), cursor)) != -1) {
            h2o_iovec_t value = req->headers.entries [cursor].value;
            int n = snprintf (joined + used, sizeof joined - used, "%s%.*s", used? ", ": "",
                              (int) value.len, value.base);
            if (n < 0 || (size_t) n >= sizeof joined - used)
                break;
            used += (size_t) n;
        }
        if (used)
            oa_msg_headers_insert (msg, names [index], joined);
    }
}

static oa_msg_t *
s_relay_request (gw_request_t *request, const gw_relay_route_t *route, const gw_caller_t *caller,
                 const s_body_t *body, gw_bridge_t *bridge, int retry_times)
{
    h2o_req_t *req = request->req;
    oa_msg_t *msg = oa_msg_new (OA_MSG_RELAY_REQUEST);
    oa_msg_set_request_id (msg, request->id);
    oa_msg_set_trace_id (msg, request->id);
    oa_msg_set_client_format (msg, (uint8_t) route->format);
    oa_msg_set_stream (msg, body->stream);
    oa_msg_set_include_usage_requested (msg, body->include_usage);
    char text [2048];
    snprintf (text, sizeof text, "%.*s", (int) (req->method.len > 16? 16: req->method.len),
              req->method.base);
    oa_msg_set_method (msg, text);
    size_t path_len = req->query_at != SIZE_MAX? req->query_at: req->path.len;
    if (route->path)
        oa_msg_set_path (msg, route->path);
    else {
        snprintf (text, sizeof text, "%.*s", (int) (path_len > 2000? 2000: path_len), req->path.base);
        oa_msg_set_path (msg, text);
    }
    if (req->query_at != SIZE_MAX && req->query_at + 1 < req->path.len) {
        h2o_iovec_t query = h2o_iovec_init (req->path.base + req->query_at + 1,
                                            req->path.len - req->query_at - 1);
        snprintf (text, sizeof text, "%.*s", (int) (query.len > 2000? 2000: query.len), query.base);
        oa_msg_set_query (msg, text);
        s_query_options (query, msg);
    }
    if (s_header (req, "content-type", text, sizeof text))
        oa_msg_set_content_type (msg, text);
    s_client_ip (req, text, sizeof text);
    oa_msg_set_client_ip (msg, text);
    oa_msg_set_user_id (msg, (uint64_t) caller->user_id);
    oa_msg_set_username (msg, caller->username);
    oa_msg_set_token_id (msg, (uint64_t) caller->token_id);
    oa_msg_set_token_name (msg, caller->token_name);
    oa_msg_set_group (msg, caller->group);
    oa_msg_set_requested_model (msg, body->model);
    s_forward_headers (req, msg);
    uint64_t now = (uint64_t) oa_clock_ms ();
    oa_msg_set_created_at_ms (msg, now);
    oa_msg_set_deadline (msg, now + (uint64_t) gw_bridge_timeout_ms (bridge));
    oa_msg_set_retry_times (msg, (uint8_t) retry_times);
    oa_msg_set_pinned (msg, caller->pinned_channel_id != 0);
    oa_msg_set_payload_bytes (msg, req->entity.base? req->entity.base: "", req->entity.len);
    return msg;
}

//  --------------------------------------------------------------------------
//  Handlers

//  one-api's TokenAuth before its GLOBAL_RELAY_RATE_LIMIT: a key that is
//  not good is answered here (401/403) and never counted.  False when the
//  request was answered.
static bool
s_key_accepted (gw_request_t *request, int format)
{
    gw_state_t *state = s_state_or_fail (request, format);
    if (!state)
        return false;
    char credential [S_CREDENTIAL_MAX], client_ip [64];
    s_credential (request->req, credential, sizeof credential);
    s_client_ip (request->req, client_ip, sizeof client_ip);
    gw_caller_t caller;
    gw_failure_t failure;
    if (gw_state_authenticate (state, credential, client_ip, oa_clock_ms (), &caller, &failure) != 0) {
        s_fail (request, format, &failure);
        return false;
    }
    return true;
}

//  GLOBAL_RELAY_RATE_LIMIT (GR), keyed by the relay key's hash, then next.
static void
s_relay_limit (gw_request_t *request, gw_ratelimit_next_fn *next, void *arg)
{
    char credential [S_CREDENTIAL_MAX], token_id [17];
    s_credential (request->req, credential, sizeof credential);
    gw_ratelimit_token_id (credential, request->gateway->config->token_key_prefix, token_id);
    gw_ratelimit_check (request, GW_RATELIMIT_RELAY, token_id, next, arg);
}

static void s_relay_send (gw_request_t *request, oa_msg_t *msg, void *arg);

static void
s_relay_admit (gw_request_t *request, void *arg)
{
    const gw_relay_route_t *route = arg;
    int format = route->format;
    gw_state_t *state = s_state_or_fail (request, format);
    if (!state)
        return;
    gw_bridge_t *bridge = gw_bridge_of (request);
    h2o_req_t *req = request->req;
    char credential [S_CREDENTIAL_MAX], client_ip [64];
    s_credential (req, credential, sizeof credential);
    s_client_ip (req, client_ip, sizeof client_ip);
    int64_t now = oa_clock_ms ();

    s_body_t body;
    s_parse_body (request, route, &body);
    gw_caller_t caller;
    gw_failure_t failure;
    if (*body.error) {
        //  one-api reads the body after the key checks; a bad key wins.
        //  (one-api 400s only where it checks the model, and elsewhere goes
        //  on with no model into a 503 "No available channels for Model ";
        //  a 400 says what is actually wrong.)
        if (gw_state_authenticate (state, credential, client_ip, now, &caller, &failure) != 0)
            s_fail (request, format, &failure);
        else
            s_fail_text (request, format, 400, body.error);
        return;
    }
    if (gw_state_authorize (state, credential, client_ip, body.model, now, &caller, &failure) != 0) {
        s_fail (request, format, &failure);
        return;
    }
    int retry_times = atoi (gw_state_option (state, "RetryTimes", "0"));
    if (retry_times < 0)
        retry_times = 0;
    if (retry_times > S_RETRY_MAX)
        retry_times = S_RETRY_MAX;
    oa_msg_t *msg = s_relay_request (request, route, &caller, &body, bridge, retry_times);
    if (gw_state_choose (state, &caller, body.model, retry_times + 1, now, msg, &failure) < 0) {
        oa_msg_destroy (&msg);
        s_fail (request, format, &failure);
        return;
    }
    s_admitted_t *admitted = h2o_mem_alloc_pool (&req->pool, sizeof (s_admitted_t));
    admitted->route = route;
    admitted->stream = body.stream;
    snprintf (admitted->model, sizeof admitted->model, "%s", body.model);
    gw_admit_request (request, &caller, &body.admit, format, &msg, s_relay_send, admitted);
}

//  Admitted (now, or once the ledger held the quota): to the broker.
static void
s_relay_send (gw_request_t *request, oa_msg_t *msg, void *arg)
{
    const s_admitted_t *admitted = arg;
    const gw_relay_route_t *route = admitted->route;
    gw_bridge_t *bridge = gw_bridge_of (request);
    uint64_t corr_id = gw_bridge_next_corr_id (bridge);
    oa_msg_set_corr_id (msg, corr_id);
    gw_relay_pending_t *pending = gw_relay_pending_new (request, bridge, route, corr_id,
                                                        admitted->stream, admitted->model);
    if (gw_bridge_send (bridge, msg) != 0) {
        int saved = errno;
        gw_admit_abandon (gw_bridge_admit (bridge), msg, 503);
        oa_msg_destroy (&msg);
        gw_relay_pending_abort (pending);
        oa_log_warn ("gateway", "relay %s: not sent to the broker: %s", request->id,
                     saved == EAGAIN? "no worker reachable or queue full": strerror (saved));
        gw_relay_metrics_count (route->pattern, admitted->model, 0, 503);
        gw_relay_respond_error (request->req, route->format, 503, "one_api_error",
                                "gateway_overloaded",
                                "no relay worker is available right now, please retry later",
                                request->id, true);
        return;
    }
    oa_msg_destroy (&msg);
}

//  The key is good and GR passed: admission proper (the replica is read
//  again, as a Redis verdict may have taken a while).
static void
s_relay (gw_request_t *request, void *arg)
{
    const gw_relay_route_t *route = arg;
    if (s_key_accepted (request, route->format))
        s_relay_limit (request, s_relay_admit, arg);
}

static void
s_not_implemented_answer (gw_request_t *request, void *arg)
{
    (void) arg;
    //  one-api's RelayNotImplemented: no request id in this one.
    static const char json [] = "{\"error\":{\"message\":\"API not implemented\","
        "\"type\":\"one_api_error\",\"param\":\"\",\"code\":\"api_not_implemented\"}}";
    gw_respond_json (request->req, 501, json, sizeof json - 1);
}

static void
s_not_implemented_handler (gw_request_t *request, void *arg)
{
    if (s_key_accepted (request, OA_MSG_FORMAT_UNKNOWN))
        s_relay_limit (request, s_not_implemented_answer, arg);
}

//  GET /v1/models and /v1/models/:model: the models of the caller's group
//  (the token's allow-list does not apply here, as in one-api).
static void
s_models (gw_request_t *request, void *arg)
{
    (void) arg;
    gw_state_t *state = s_state_or_fail (request, OA_MSG_FORMAT_MODELS);
    if (!state)
        return;
    char credential [S_CREDENTIAL_MAX], client_ip [64];
    s_credential (request->req, credential, sizeof credential);
    s_client_ip (request->req, client_ip, sizeof client_ip);
    gw_caller_t caller;
    gw_failure_t failure;
    if (gw_state_authenticate (state, credential, client_ip, oa_clock_ms (), &caller, &failure) != 0) {
        s_fail (request, OA_MSG_FORMAT_MODELS, &failure);
        return;
    }
    json_t *list = gw_state_models (state, caller.group);
    json_t *data = json_object_get (list, "data");
    size_t wanted_len = 0;
    const char *wanted = gw_params_get (&request->params, "model", &wanted_len);
    if (!wanted) {
        //  gin.H sorts its keys: "data" before "object".
        json_t *json = json_object ();
        json_object_set (json, "data", data? data: json_array ());
        json_object_set_new (json, "object", json_string ("list"));
        char *text = json_dumps (json, JSON_COMPACT | JSON_PRESERVE_ORDER);
        gw_respond_json (request->req, 200, text, strlen (text));
        free (text);
        json_decref (json);
        json_decref (list);
        return;
    }
    char name [GW_RELAY_MODEL_MAX] = "";
    snprintf (name, sizeof name, "%.*s", (int) (wanted_len < sizeof name? wanted_len:
                                                sizeof name - 1), wanted);
    json_t *match = NULL;
    size_t index;
    json_t *entry;
    json_array_foreach (data, index, entry)
        if (streq (json_string_value (json_object_get (entry, "id")), name))
            match = entry;
    if (!match)
        json_array_foreach (data, index, entry)
            if (!match && strcasecmp (json_string_value (json_object_get (entry, "id")), name) == 0)
                match = entry;
    if (match) {
        char *text = json_dumps (match, JSON_COMPACT | JSON_PRESERVE_ORDER);
        gw_respond_json (request->req, 200, text, strlen (text));
        free (text);
    }
    else {
        //  one-api answers an unknown model with 200 and an error body.
        json_t *error = json_object ();
        char message [300];
        snprintf (message, sizeof message, "The model '%s' does not exist", name);
        json_t *message_json = json_string (message);
        json_object_set_new (error, "message", message_json? message_json
                                                           : json_string ("The model does not exist"));
        json_object_set_new (error, "type", json_string ("invalid_request_error"));
        json_object_set_new (error, "param", json_string ("model"));
        json_object_set_new (error, "code", json_string ("model_not_found"));
        json_t *json = json_pack ("{s:o}", "error", error);
        char *text = json_dumps (json, JSON_COMPACT | JSON_PRESERVE_ORDER);
        gw_respond_json (request->req, 200, text, strlen (text));
        free (text);
        json_decref (json);
    }
    json_decref (list);
}

void
gw_relay_routes_add (oa_gateway_t *gateway)
{
    gw_router_t *router = gateway->router;
    int rc = 0;
    for (size_t index = 0; index < sizeof s_routes / sizeof s_routes [0]; index++)
        rc |= gw_router_add (router, s_routes [index].method, s_routes [index].pattern, s_relay,
                             (void *) &s_routes [index]);
    for (size_t index = 0; index < sizeof s_not_implemented / sizeof s_not_implemented [0]; index++)
        rc |= gw_router_add (router, s_not_implemented [index].method,
                             s_not_implemented [index].pattern, s_not_implemented_handler, NULL);
    rc |= gw_router_add (router, "GET", "/v1/models", s_models, NULL);
    rc |= gw_router_add (router, "GET", "/v1/models/:model", s_models, NULL);
    assert (rc == 0);
}
