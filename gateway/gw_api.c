/*  =========================================================================
    gw_api - the management API (/api/...) at the gateway

    See gw_api.h.  A pending request lives in its request's pool: the
    dispose callback forgets its waiter and unlinks its deadline, so
    nothing outlives a client that went away.
    =========================================================================
*/
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "gw_api.h"
#include "gw_api_probe.h"
#include "gw_bridge.h"
#include "gw_http.h"
#include "gw_ratelimit.h"
#include "oa_endpoints.h"
#include "oa_log.h"

#define S_HEADER_MAX 8192           //  API_REQUEST.headers item_max
#define S_DEFAULT_TIMEOUT_MS 30000  //  gateway->api_timeout_ms unset

//  one-api's CriticalRateLimit routes (router/api.go).
static const struct { const char *method; const char *path; } s_critical [] = {
    { "GET", "/api/verification" }, { "GET", "/api/reset_password" },
    { "POST", "/api/user/reset" }, { "POST", "/api/user/register" },
    { "POST", "/api/user/login" },
    { "GET", "/api/oauth/github" }, { "GET", "/api/oauth/oidc" }, { "GET", "/api/oauth/lark" },
    { "GET", "/api/oauth/state" }, { "GET", "/api/oauth/wechat" },
    { "GET", "/api/oauth/wechat/bind" }, { "GET", "/api/oauth/email/bind" },
};

//  Response headers h2o or the gateway set themselves.
static const char *s_skipped [] = {
    "content-length", "content-type", "transfer-encoding", "connection", "keep-alive",
    "upgrade", "server", "date", "x-oneapi-request-id", NULL
};

typedef struct {
    gw_bridge_waiter_t waiter;      //  registered until the reply or the deadline
    h2o_req_t *req;                 //  the request (valid until dispose)
    gw_bridge_t *bridge;            //  the loop's bridge
    h2o_timeout_entry_t deadline;   //  504 after gateway->api_timeout_ms
    char request_id [OA_REQUEST_ID_SIZE];   //  for logs
} s_pending_t;

//  --------------------------------------------------------------------------
//  Endpoint rule: shared with the API actor (proto/oa_endpoints.h)

int
gw_api_endpoint (const char *ledger_endpoint, char *out, size_t out_size)
{
    return oa_endpoints_api (ledger_endpoint, out, out_size);
}

//  --------------------------------------------------------------------------
//  Replies

static void
s_finish (s_pending_t *self)
{
    gw_bridge_forget (self->bridge, &self->waiter);
    if (h2o_timeout_is_linked (&self->deadline))
        h2o_timeout_unlink (&self->deadline);
}

static void
s_dispose (void *data)
{
    s_finish ((s_pending_t *) data);
}

//  Go's canonical header name ("set-cookie" -> "Set-Cookie"), in the pool.
static char *
s_canonical (h2o_mem_pool_t *pool, const char *name, size_t len)
{
    char *out = h2o_mem_alloc_pool (pool, len + 1);
    bool upper = true;
    for (size_t i = 0; i < len; i++) {
        out [i] = upper? (char) toupper ((unsigned char) name [i])
                       : (char) tolower ((unsigned char) name [i]);
        upper = name [i] == '-';
    }
    out [len] = 0;
    return out;
}

static bool
s_header_skipped (const char *name)
{
    for (int i = 0; s_skipped [i]; i++)
        if (strcasecmp (name, s_skipped [i]) == 0)
            return true;
    return false;
}

static void
s_copy_headers (h2o_req_t *req, oa_msg_t *msg)
{
    zhash_t *headers = oa_msg_headers (msg);
    if (!headers)
        return;
    for (const char *value = zhash_first (headers); value; value = zhash_next (headers)) {
        const char *name = zhash_cursor (headers);
        size_t name_len = strlen (name);
        if (name_len == 0 || s_header_skipped (name))
            continue;
        bool valid = true;          //  a token, as HTTP wants; h2o prints it as is
        for (size_t i = 0; i < name_len; i++)
            if (!isalnum ((unsigned char) name [i]) && !strchr ("!#$%&'*+-.^_`|~", name [i]))
                valid = false;
        for (const char *at = value; *at; at++)
            if (*at == '\r' || *at == '\n')
                valid = false;
        if (!valid)
            continue;
        char *lower = h2o_mem_alloc_pool (&req->pool, name_len);
        for (size_t i = 0; i < name_len; i++)
            lower [i] = (char) tolower ((unsigned char) name [i]);
        size_t value_len = strlen (value);
        char *copy = h2o_mem_alloc_pool (&req->pool, value_len + 1);
        memcpy (copy, value, value_len + 1);
        h2o_add_header_by_str (&req->pool, &req->res.headers, lower, name_len, 1,
                               s_canonical (&req->pool, name, name_len), copy, value_len);
    }
}

static void
s_on_reply (gw_bridge_waiter_t *waiter, oa_msg_t *msg)
{
    s_pending_t *self = H2O_STRUCT_FROM_MEMBER (s_pending_t, waiter, waiter);
    if (oa_msg_id (msg) != OA_MSG_API_REPLY) {
        oa_log_debug ("gateway", "api %s: unexpected %s", self->request_id, oa_msg_command (msg));
        return;
    }
    s_finish (self);
    h2o_req_t *req = self->req;
    if (oa_msg_headers_lookup (msg, "x-oneapi-probe")) {
        //  Not the client's answer: a channel test for this gateway to run.
        gw_api_probe_run (req, self->bridge, msg);
        return;
    }
    int status = oa_msg_status (msg);
    if (status < 100 || status > 999) {
        oa_log_warn ("gateway", "api %s: reply with status %d", self->request_id, status);
        gw_respond_api_error (req, 502, "the management API answered with an invalid status");
        return;
    }
    s_copy_headers (req, msg);
    zframe_t *body = oa_msg_payload (msg);
    const char *content_type = oa_msg_content_type (msg);
    gw_respond (req, status, *content_type? content_type: NULL,
                body? (const char *) zframe_data (body): "", body? zframe_size (body): 0);
}

static void
s_on_deadline (h2o_timeout_entry_t *entry)
{
    s_pending_t *self = H2O_STRUCT_FROM_MEMBER (s_pending_t, deadline, entry);
    s_finish (self);
    oa_log_warn ("gateway", "api %s: no reply from the management API in time", self->request_id);
    gw_respond_api_error (self->req, 504, "the management API did not answer in time, "
                                          "please retry later");
}

//  --------------------------------------------------------------------------
//  Requests

//  Joins the values of a request header (cookie pairs with "; ", as HTTP/2
//  splits them; others with ", ").  Returns false if they exceed out.
static bool
s_join_header (h2o_req_t *req, const char *name, char *out, size_t size, size_t *len_p)
{
    const char *separator = strcmp (name, "cookie") == 0? "; ": ", ";
    size_t used = 0;
    ssize_t cursor = -1;
    while ((cursor = h2o_find_header_by_str (&req->headers, name, strlen (name), cursor)) != -1) {
        h2o_iovec_t value = req->headers.entries [cursor].value;
        size_t need = (used? strlen (separator): 0) + value.len;
        if (used + need >= size)
            return false;
        if (used) {
            memcpy (out + used, separator, strlen (separator));
            used += strlen (separator);
        }
        memcpy (out + used, value.base, value.len);
        used += value.len;
    }
    out [used] = 0;
    *len_p = used;
    return true;
}

//  Builds the API_REQUEST; NULL (a 400 sent) when a header is too long.
oa_msg_t *
gw_api_request_new (gw_request_t *request)
{
    h2o_req_t *req = request->req;
    oa_msg_t *msg = oa_msg_new (OA_MSG_API_REQUEST);
    //  x-api-key and api-key carry relay keys (/api/token/consume, ...).
    static const char *forwarded [] = { "cookie", "authorization", "content-type", "user-agent",
                                        "x-api-key", "api-key", NULL };
    char value [S_HEADER_MAX + 1];
    for (int index = 0; forwarded [index]; index++) {
        size_t len = 0;
        if (!s_join_header (req, forwarded [index], value, sizeof value, &len)) {
            oa_msg_destroy (&msg);
            gw_respond_api_error (req, 400, "request header too large");
            return NULL;
        }
        if (len)
            oa_msg_headers_insert (msg, forwarded [index], value);
    }
    oa_msg_set_request_id (msg, request->id);
    char *text = h2o_mem_alloc_pool (&req->pool, req->path.len + 32);
    snprintf (text, req->path.len + 32, "%.*s", (int) req->method.len, req->method.base);
    oa_msg_set_method (msg, text);
    //  The path the router matched: h2o's normalised one, without the query.
    snprintf (text, req->path.len + 32, "%.*s", (int) req->path_normalized.len,
              req->path_normalized.base);
    oa_msg_set_path (msg, text);
    if (req->query_at != SIZE_MAX && req->query_at + 1 < req->path.len) {
        snprintf (text, req->path.len + 32, "%.*s", (int) (req->path.len - req->query_at - 1),
                  req->path.base + req->query_at + 1);
        oa_msg_set_query (msg, text);
    }
    char client_ip [64];
    gw_ratelimit_client_ip (request, client_ip, sizeof client_ip);
    oa_msg_set_client_ip (msg, client_ip);
    if (req->entity.base && req->entity.len)
        oa_msg_set_payload_bytes (msg, req->entity.base, req->entity.len);
    return msg;
}

static void
s_forward (gw_request_t *request, void *arg)
{
    (void) arg;
    h2o_req_t *req = request->req;
    gw_bridge_t *bridge = gw_bridge_of (request);
    if (!bridge) {
        gw_respond_api_error (req, 503, "the management API is not configured on this gateway");
        return;
    }
    oa_msg_t *msg = gw_api_request_new (request);
    if (!msg)
        return;
    uint64_t corr_id = gw_bridge_next_corr_id (bridge);
    oa_msg_set_corr_id (msg, corr_id);
    int timeout_ms = request->gateway->api_timeout_ms > 0? request->gateway->api_timeout_ms
                                                         : S_DEFAULT_TIMEOUT_MS;
    oa_msg_set_deadline (msg, (uint64_t) (oa_clock_ms () + timeout_ms));

    s_pending_t *self = h2o_mem_alloc_shared (&req->pool, sizeof (s_pending_t), s_dispose);
    memset (self, 0, sizeof (s_pending_t));
    self->req = req;
    self->bridge = bridge;
    snprintf (self->request_id, sizeof self->request_id, "%s", request->id);
    self->waiter.on_reply = s_on_reply;
    gw_bridge_register (bridge, &self->waiter, corr_id);
    self->deadline.cb = s_on_deadline;
    h2o_timeout_link (req->conn->ctx->loop, gw_bridge_api_deadlines (bridge), &self->deadline);

    int rc = gw_bridge_send_api (bridge, msg);
    int saved = errno;
    oa_msg_destroy (&msg);
    if (rc != 0) {
        s_finish (self);
        if (saved == EMSGSIZE)
            gw_respond_api_error (req, 400, "request too large for the management API");
        else {
            oa_log_warn ("gateway", "api %s: not sent to the management API: %s", request->id,
                         saved == EAGAIN? "not reachable or queue full": strerror (saved));
            gw_respond_api_error (req, 503, "the management API is not reachable right now, "
                                            "please retry later");
        }
    }
}

static bool
s_is_critical (h2o_req_t *req)
{
    for (size_t i = 0; i < sizeof s_critical / sizeof s_critical [0]; i++)
        if (h2o_memis (req->method.base, req->method.len, s_critical [i].method,
                       strlen (s_critical [i].method))
        &&  h2o_memis (req->path_normalized.base, req->path_normalized.len, s_critical [i].path,
                       strlen (s_critical [i].path)))
            return true;
    return false;
}

static void
s_after_api_limit (gw_request_t *request, void *arg)
{
    (void) arg;
    if (s_is_critical (request->req)) {
        char client_ip [64];
        gw_ratelimit_client_ip (request, client_ip, sizeof client_ip);
        gw_ratelimit_check (request, GW_RATELIMIT_CRITICAL, client_ip, s_forward, NULL);
    }
    else
        s_forward (request, NULL);
}

//  Every /api route the gateway does not serve itself.
static void
s_api (gw_request_t *request, void *arg)
{
    (void) arg;
    char client_ip [64];
    gw_ratelimit_client_ip (request, client_ip, sizeof client_ip);
    gw_ratelimit_check (request, GW_RATELIMIT_API, client_ip, s_after_api_limit, NULL);
}

void
gw_api_routes_add (oa_gateway_t *gateway)
{
    assert (gateway);
    //  Any method: the API actor answers what it does not serve.  The
    //  literal /api/status (core) and the relay's /api/v1/v1/messages are
    //  more specific, so they win.  /api/cost/request/:request_id (public
    //  in one-api) goes the same way.
    int rc = gw_router_add (gateway->router, NULL, "/api/*path", s_api, NULL);
    rc |= gw_router_add (gateway->router, NULL, "/api", s_api, NULL);
    //  one-api's legacy OpenAI billing routes for relay keys (router/dashboard.go).
    rc |= gw_router_add (gateway->router, "GET", "/dashboard/billing/subscription", s_api, NULL);
    rc |= gw_router_add (gateway->router, "GET", "/dashboard/billing/usage", s_api, NULL);
    rc |= gw_router_add (gateway->router, "GET", "/v1/dashboard/billing/subscription", s_api,
                         NULL);
    rc |= gw_router_add (gateway->router, "GET", "/v1/dashboard/billing/usage", s_api, NULL);
    assert (rc == 0);
}
