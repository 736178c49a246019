/*  =========================================================================
    gw_http - request dispatch, response filters, access accounting

    One h2o handler on "/" dispatches every request through the route table
    (gw_router).  Around it:
    - a per-request prefilter adds X-Oneapi-Request-Id to whatever response
      the request gets, even when a handler calls an h2o_send_error_* helper
      (those clear the response headers);
    - a filter on the host's fallback path covers responses h2o makes before
      any handler runs (400 for malformed requests, 413 for bodies over
      max_request_entity_size): it adds the request id and turns the 413's
      text body into one-api's JSON;
    - an access logger, which h2o calls when every request is disposed,
      counts the request in the metrics and logs it at debug level.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include "gw_http.h"
#include "gw_metrics.h"
#include "gw_ratelimit.h"
#include "oa_log.h"

#define S_ID_HEADER "x-oneapi-request-id"
#define S_ID_HEADER_CANONICAL "X-Oneapi-Request-Id"
#define S_TOO_LARGE "request body exceeds the configured size limit"

typedef struct {
    h2o_handler_t super;            //  first: h2o casts back
    oa_gateway_t *gateway;          //  owner of the routes
} s_dispatcher_t;

typedef struct {
    h2o_ostream_t super;            //  first: h2o casts back
    h2o_iovec_t body;               //  replacement body
} s_replace_ostream_t;

//  --------------------------------------------------------------------------
//  Request ids

static void
s_ensure_request_id (h2o_req_t *req, const char *id)
{
    if (h2o_find_header_by_str (&req->res.headers, H2O_STRLIT (S_ID_HEADER), -1) != -1)
        return;
    //  HTTP/2 needs lower-case names; HTTP/1 prints orig_name, gin's casing.
    size_t len = strlen (id);
    char *value = h2o_mem_alloc_pool (&req->pool, len);
    memcpy (value, id, len);
    h2o_add_header_by_str (&req->pool, &req->res.headers, H2O_STRLIT (S_ID_HEADER), 0,
                           S_ID_HEADER_CANONICAL, value, len);
}

static void
s_prefilter_setup (h2o_req_prefilter_t *prefilter, h2o_req_t *req, h2o_ostream_t **slot)
{
    gw_request_t *request = (gw_request_t *) prefilter;
    s_ensure_request_id (req, request->id);
    h2o_setup_next_prefilter (prefilter, req, slot);
}

gw_request_t *
gw_http_request_of (h2o_req_t *req)
{
    for (h2o_req_prefilter_t *p = req->prefilters; p; p = p->next)
        if (p->on_setup_ostream == s_prefilter_setup)
            return (gw_request_t *) p;
    return NULL;
}

//  --------------------------------------------------------------------------
//  Dispatch

static void
s_request_dispose (void *data)
{
    gw_request_t *request = data;
    atomic_fetch_sub (&request->thread->inflight, 1);
    gw_metrics_inflight_add (-1);
}

static void
s_not_found (gw_request_t *request, void *arg)
{
    (void) arg;
    gw_respond_not_found (request->req);
}

static int
s_dispatch (h2o_handler_t *handler, h2o_req_t *req)
{
    s_dispatcher_t *self = (s_dispatcher_t *) handler;
    gw_thread_t *thread = H2O_STRUCT_FROM_MEMBER (gw_thread_t, ctx, req->conn->ctx);

    gw_request_t *request = h2o_mem_alloc_shared (&req->pool, sizeof (gw_request_t),
                                                  s_request_dispose);
    memset (request, 0, sizeof (gw_request_t));
    request->prefilter.on_setup_ostream = s_prefilter_setup;
    request->prefilter.next = req->prefilters;
    req->prefilters = &request->prefilter;
    request->req = req;
    request->thread = thread;
    request->gateway = self->gateway;
    oa_request_id_new (request->id);
    request->started_us = oa_clock_mono_us ();
    atomic_fetch_add (&thread->inflight, 1);
    gw_metrics_inflight_add (1);

    request->route = gw_router_match (self->gateway->router, req->method.base, req->method.len,
                                      req->path_normalized.base, req->path_normalized.len,
                                      &request->params);
    if (request->route)
        request->route->handler (request, request->route->arg);
    else {
        //  one-api's NoRoute runs behind the engine-wide GLOBAL_WEB_RATE_LIMIT
        //  (router/web.go), as the web UI's routes do.
        char client_ip [64];
        gw_ratelimit_client_ip (request, client_ip, sizeof client_ip);
        gw_ratelimit_check (request, GW_RATELIMIT_WEB, client_ip, s_not_found, NULL);
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Responses h2o makes before dispatch (fallback path)

static bool
s_path_is_api (h2o_req_t *req)
{
    h2o_iovec_t path = req->input.path;
    return path.len >= 4 && memcmp (path.base, "/api", 4) == 0;
}

static void
s_replace_do_send (h2o_ostream_t *_self, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt,
                   h2o_send_state_t state)
{
    s_replace_ostream_t *self = (s_replace_ostream_t *) _self;
    (void) bufs;
    //  h2o_send_inline sends the whole body once (none for HEAD).
    if (bufcnt > 0 && self->body.len > 0) {
        h2o_iovec_t body = self->body;
        self->body.len = 0;
        h2o_ostream_send_next (&self->super, req, &body, 1, state);
    }
    else
        h2o_ostream_send_next (&self->super, req, NULL, 0, state);
}

static void
s_fallback_setup (h2o_filter_t *filter, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void) filter;
    char id [OA_REQUEST_ID_SIZE];
    oa_request_id_new (id);
    s_ensure_request_id (req, id);
    if (req->res.status == 413) {
        const char *json = s_path_is_api (req)
            ? "{\"message\":\"" S_TOO_LARGE "\",\"success\":false}"
            : "{\"error\":{\"message\":\"" S_TOO_LARGE "\",\"type\":\"invalid_request_error\","
              "\"param\":\"\",\"code\":\"request_body_too_large\"}}";
        h2o_set_header (&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
                        H2O_STRLIT (GW_JSON_TYPE), 1);
        req->res.content_length = strlen (json);
        s_replace_ostream_t *ostream = (s_replace_ostream_t *)
            h2o_add_ostream (req, sizeof (s_replace_ostream_t), slot);
        ostream->super.do_send = s_replace_do_send;
        ostream->body = h2o_iovec_init (json, strlen (json));
        slot = &ostream->super.next;
    }
    h2o_setup_next_ostream (req, slot);
}

//  --------------------------------------------------------------------------
//  Access accounting

//  Client-chosen strings never become metric labels: unknown methods fold
//  into OTHER.
static const char *
s_method_label (h2o_iovec_t method)
{
    static const char *known [] = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };
    for (size_t i = 0; i < sizeof (known) / sizeof (known [0]); i++)
        if (h2o_memis (method.base, method.len, known [i], strlen (known [i])))
            return known [i];
    return "OTHER";
}

static void
s_log_access (h2o_logger_t *logger, h2o_req_t *req)
{
    (void) logger;
    gw_request_t *request = gw_http_request_of (req);
    const char *route = request? (request->route? request->route->pattern: "unmatched"): "none";
    //  A request that never got a status was abandoned by its client.
    int status = req->res.status? req->res.status: 499;
    double seconds;
    if (request)
        seconds = (double) (oa_clock_mono_us () - request->started_us) / 1e6;
    else {
        //  h2o's timestamps are cached once per loop turn: coarse, but all
        //  there is for requests h2o answered itself.
        struct timeval end = req->timestamps.response_end_at;
        if (end.tv_sec == 0)
            gettimeofday (&end, NULL);
        seconds = (double) (end.tv_sec - req->timestamps.request_begin_at.tv_sec)
                + (double) (end.tv_usec - req->timestamps.request_begin_at.tv_usec) / 1e6;
    }
    if (seconds < 0)
        seconds = 0;
    const char *method = s_method_label (req->method.len? req->method: req->input.method);
    gw_metrics_observe_request (route, method, status, seconds);
    if (oa_log_enabled (OA_LOG_DEBUG)) {
        h2o_iovec_t path = req->input.path;
        oa_log (OA_LOG_DEBUG, "gateway", request? request->id: NULL, "%s %.*s %d %.3fms",
                method, (int) (path.len > 200? 200: path.len), path.base? path.base: "",
                status, seconds * 1000);
    }
}

void
gw_http_setup (oa_gateway_t *gateway)
{
    h2o_pathconf_t *pathconf = h2o_config_register_path (gateway->hostconf, "/", 0);
    s_dispatcher_t *dispatcher = (s_dispatcher_t *) h2o_create_handler (pathconf, sizeof (s_dispatcher_t));
    dispatcher->super.on_req = s_dispatch;
    dispatcher->gateway = gateway;
    h2o_logger_t *logger = h2o_create_logger (pathconf, sizeof (h2o_logger_t));
    logger->log_access = s_log_access;

    h2o_pathconf_t *fallback = &gateway->hostconf->fallback_path;
    h2o_filter_t *filter = h2o_create_filter (fallback, sizeof (h2o_filter_t));
    filter->on_setup_ostream = s_fallback_setup;
    logger = h2o_create_logger (fallback, sizeof (h2o_logger_t));
    logger->log_access = s_log_access;
}

//  --------------------------------------------------------------------------
//  Response helpers

const char *
gw_http_reason (int status)
{
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 304: return "Not Modified";
        case 307: return "Temporary Redirect";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 413: return "Request Entity Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Entity";
        case 429: return "Too Many Requests";
        case 499: return "Client Closed Request";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        default:  return "";
    }
}

void
gw_respond (h2o_req_t *req, int status, const char *content_type, const char *body, size_t len)
{
    assert (req);
    assert (status >= 100 && status <= 999);
    req->res.status = status;
    req->res.reason = gw_http_reason (status);
    req->res.content_length = len;
    if (content_type)
        h2o_set_header (&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
                        content_type, strlen (content_type), 1);
    h2o_send_inline (req, body? body: "", len);
}

void
gw_respond_json (h2o_req_t *req, int status, const char *json, size_t len)
{
    gw_respond (req, status, GW_JSON_TYPE, json, len);
}

void
gw_respond_jansson (h2o_req_t *req, int status, const json_t *json)
{
    char *text = json_dumps (json, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text) {
        gw_respond_api_error (req, 500, "cannot encode response");
        return;
    }
    gw_respond_json (req, status, text, strlen (text));
    free (text);
}

void
gw_respond_api_error (h2o_req_t *req, int status, const char *message)
{
    json_t *json = json_pack ("{s:b, s:s}", "success", 0, "message", message? message: "");
    if (!json) {                    //  message was not UTF-8
        static const char fallback [] = "{\"message\":\"internal error\",\"success\":false}";
        gw_respond_json (req, status, fallback, sizeof (fallback) - 1);
        return;
    }
    gw_respond_jansson (req, status, json);
    json_decref (json);
}

void
gw_respond_openai_error (h2o_req_t *req, int status, const char *message,
                         const char *type, const char *code)
{
    //  one-api marshals a struct here, so the order is the struct's:
    //  message, type, param, code.
    json_t *error = json_object ();
    json_object_set_new (error, "message", json_string (message? message: ""));
    json_object_set_new (error, "type", json_string (type? type: ""));
    json_object_set_new (error, "param", json_string (""));
    json_object_set_new (error, "code", json_string (code? code: ""));
    if (!json_object_get (error, "message") || !json_object_get (error, "type")
    ||  !json_object_get (error, "code"))
        json_object_set_new (error, "message", json_string ("internal error"));
    json_t *json = json_pack ("{s:o}", "error", error);
    char *text = json_dumps (json, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert (text);
    gw_respond_json (req, status, text, strlen (text));
    free (text);
    json_decref (json);
}

void
gw_respond_not_found (h2o_req_t *req)
{
    //  one-api: "Invalid URL (<method> <URL.Path>)"; the path without its query.
    h2o_iovec_t path = req->input.path;
    size_t path_len = req->query_at != SIZE_MAX && req->query_at <= path.len? req->query_at: path.len;
    if (path_len > 1024)
        path_len = 1024;
    char message [1200];
    snprintf (message, sizeof message, "Invalid URL (%.*s %.*s)",
              (int) (req->method.len > 16? 16: req->method.len), req->method.base,
              (int) path_len, path.base);
    json_t *probe = json_string (message);
    if (!probe)                     //  not UTF-8: say less rather than fail
        snprintf (message, sizeof message, "Invalid URL");
    json_decref (probe);
    gw_respond_openai_error (req, 404, message, "invalid_request_error", "");
}
