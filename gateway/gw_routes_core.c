/*  =========================================================================
    gw_routes_core - the routes every gateway serves

    GET /api/status   one-api's public status: {"data":{...},"message":"",
                      "success":true}, keys sorted as Go's encoding/json
                      writes a map.  The values are one-api's defaults for
                      now; the options cache (a later issue) feeds them.
    GET /healthz      200 {"status":"ok"} while the process runs.
    GET /readyz       oa_health_json; 200 when ready or degraded, else 503.
    GET /metrics      Prometheus text 0.0.4, registered only when
                      ENABLE_PROMETHEUS_METRICS.  As one-api: 403 while
                      METRICS_TOKEN is unset (so a default install exposes
                      nothing), 401 without "Authorization: Bearer <token>".
    Anything else gets one-api's 404 (gw_respond_not_found), from the
    dispatcher, whatever the path.
    =========================================================================
*/
#include <assert.h>
#include <string.h>
#include <openssl/crypto.h>
#include "gw_http.h"
#include "gw_ratelimit.h"
#include "oa_health.h"
#include "oa_metrics.h"

static void
s_api_status_answer (gw_request_t *request, void *arg)
{
    (void) arg;
    oa_gateway_t *gateway = request->gateway;
    //  The fields of one-api's controller.GetStatus, at its defaults.
    json_t *data = json_object ();
    json_object_set_new (data, "version", json_string ("v" OA_VERSION));
    json_object_set_new (data, "start_time", json_integer (gateway->start_time));
    json_object_set_new (data, "email_verification", json_false ());
    json_object_set_new (data, "github_oauth", json_false ());
    json_object_set_new (data, "github_client_id", json_string (""));
    json_object_set_new (data, "lark_client_id", json_string (""));
    json_object_set_new (data, "system_name", json_string ("One API"));
    json_object_set_new (data, "logo", json_string (""));
    json_object_set_new (data, "footer_html", json_string (""));
    json_object_set_new (data, "wechat_qrcode", json_string (""));
    json_object_set_new (data, "wechat_login", json_false ());
    json_object_set_new (data, "server_address", json_string ("http://localhost:3000"));
    json_object_set_new (data, "turnstile_check", json_false ());
    json_object_set_new (data, "turnstile_site_key", json_string (""));
    json_object_set_new (data, "top_up_link", json_string (""));
    json_object_set_new (data, "chat_link", json_string (""));
    //  A float64 in Go; 500000.0 is written "500000", which is what an
    //  integer gives here (jansson would write a real as "500000.0").
    json_object_set_new (data, "quota_per_unit", json_integer (500000));
    json_object_set_new (data, "display_in_currency", json_true ());
    json_object_set_new (data, "oidc", json_false ());
    json_object_set_new (data, "oidc_client_id", json_string (""));
    json_object_set_new (data, "oidc_well_known", json_string (""));
    json_object_set_new (data, "oidc_authorization_endpoint", json_string (""));
    json_object_set_new (data, "oidc_token_endpoint", json_string (""));
    json_object_set_new (data, "oidc_userinfo_endpoint", json_string (""));
    json_t *json = json_pack ("{s:b, s:s, s:o}", "success", 1, "message", "", "data", data);
    gw_respond_jansson (request->req, 200, json);
    json_decref (json);
}

//  one-api's /api group runs behind GLOBAL_API_RATE_LIMIT, /api/status too.
static void
s_api_status (gw_request_t *request, void *arg)
{
    char client_ip [64];
    gw_ratelimit_client_ip (request, client_ip, sizeof client_ip);
    gw_ratelimit_check (request, GW_RATELIMIT_API, client_ip, s_api_status_answer, arg);
}

static void
s_healthz (gw_request_t *request, void *arg)
{
    (void) arg;
    static const char body [] = "{\"status\":\"ok\"}";
    gw_respond_json (request->req, 200, body, sizeof (body) - 1);
}

static void
s_readyz (gw_request_t *request, void *arg)
{
    (void) arg;
    char body [8192];
    oa_health_state_t state = oa_health_overall ();
    size_t len = oa_health_json (body, sizeof body);
    gw_respond_json (request->req, state == OA_HEALTH_DOWN? 503: 200, body, len);
}

static void
s_metrics (gw_request_t *request, void *arg)
{
    (void) arg;
    h2o_req_t *req = request->req;
    const char *token = request->gateway->config->metrics_token;
    if (!token || !*token) {
        static const char body [] =
            "{\"error\":\"metrics endpoint requires METRICS_TOKEN configuration\"}";
        gw_respond_json (req, 403, body, sizeof (body) - 1);
        return;
    }
    ssize_t cursor = h2o_find_header (&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    bool allowed = false;
    if (cursor != -1) {
        h2o_iovec_t value = req->headers.entries [cursor].value;
        size_t token_len = strlen (token);
        //  Like Go's subtle.ConstantTimeCompare: only the length may leak.
        if (value.len == 7 + token_len && memcmp (value.base, "Bearer ", 7) == 0
        &&  CRYPTO_memcmp (value.base + 7, token, token_len) == 0)
            allowed = true;
    }
    if (!allowed) {
        static const char body [] =
            "{\"error\":\"invalid metrics token, please check your METRICS_TOKEN configuration\"}";
        gw_respond_json (req, 401, body, sizeof (body) - 1);
        return;
    }
    char *text = oa_metrics_render (oa_metrics_global ());
    if (!text) {
        gw_respond_api_error (req, 500, "cannot render metrics");
        return;
    }
    gw_respond (req, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen (text));
    free (text);
}

void
gw_routes_core_add (oa_gateway_t *gateway)
{
    gw_router_t *router = gateway->router;
    int rc = gw_router_add (router, "GET", "/api/status", s_api_status, NULL);
    rc |= gw_router_add (router, "GET", "/healthz", s_healthz, NULL);
    rc |= gw_router_add (router, "GET", "/readyz", s_readyz, NULL);
    if (gateway->config->prometheus_enabled)
        rc |= gw_router_add (router, "GET", "/metrics", s_metrics, NULL);
    assert (rc == 0);
}
