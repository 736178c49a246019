/*  =========================================================================
    oa_api_app - routing, role checks and change publishing of the
    management API (the actor, oa_api.c, only moves messages)

    The route table is router/api.go's: every route names the least role it
    needs (guest routes authenticate nobody), and the role is checked on
    every request before the handler runs, from the caller's current row,
    so a demotion or a ban takes effect at once.  Static paths win over
    ":id" paths, as in gin's tree; a trailing slash is optional.
    =========================================================================
*/
#include "oa_api_private.h"
#include "oa_billing.h"

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"

#define S_PUBLIC -1

struct _oa_api_app_t {
    oa_store_t *store;              //  own connection; borrowed
    const oa_config_t *config;      //  settings; borrowed
    zsock_t *publish;               //  PUSH to the ledger actor; borrowed, may be NULL
    unsigned char secret [64];      //  HMAC key of session cookies
    size_t secret_size;             //  bytes of secret
    uint64_t published;             //  changes handed to the ledger
    int64_t sweep_until;            //  monotonic ms the running channel sweep's lease ends
    int64_t sweep_left;             //  channels of that sweep not yet reported
};

typedef struct {
    const char *method;             //  HTTP method
    const char *path;               //  path; a final "/:id" takes one segment
    int role;                       //  least role, or S_PUBLIC
    oa_api_handler_fn *handler;     //  what answers it
} s_route_t;

static oa_api_handler_fn s_home_option;
static oa_api_handler_fn s_request_cost;

static const s_route_t s_routes [] = {
    { "GET", "/api/cost/request/:id", S_PUBLIC, s_request_cost },
    { "GET", "/api/notice", S_PUBLIC, s_home_option },
    { "GET", "/api/about", S_PUBLIC, s_home_option },
    { "GET", "/api/home_page_content", S_PUBLIC, s_home_option },
    { "POST", "/api/user/login", S_PUBLIC, oa_api_login },
    { "GET", "/api/user/logout", S_PUBLIC, oa_api_logout },
    { "POST", "/api/user/register", S_PUBLIC, oa_api_register },
    { "GET", "/api/user/self", OA_ROLE_COMMON, oa_api_user_self },
    { "PUT", "/api/user/self", OA_ROLE_COMMON, oa_api_user_self_update },
    { "DELETE", "/api/user/self", OA_ROLE_COMMON, oa_api_user_self_delete },
    { "GET", "/api/user/dashboard", OA_ROLE_COMMON, oa_api_user_dashboard },
    { "GET", "/api/user/token", OA_ROLE_COMMON, oa_api_access_token },
    { "GET", "/api/user/aff", OA_ROLE_COMMON, oa_api_user_aff },
    { "GET", "/api/user/available_models", OA_ROLE_COMMON, oa_api_user_available_models },
    { "POST", "/api/user/topup", OA_ROLE_COMMON, oa_api_user_topup },
    { "GET", "/api/user", OA_ROLE_ADMIN, oa_api_users_list },
    { "GET", "/api/user/search", OA_ROLE_ADMIN, oa_api_users_search },
    { "POST", "/api/user", OA_ROLE_ADMIN, oa_api_user_create },
    { "POST", "/api/user/manage", OA_ROLE_ADMIN, oa_api_user_manage },
    { "PUT", "/api/user", OA_ROLE_ADMIN, oa_api_user_update },
    { "GET", "/api/user/:id", OA_ROLE_ADMIN, oa_api_user_get },
    { "DELETE", "/api/user/:id", OA_ROLE_ADMIN, oa_api_user_delete },
    { "POST", "/api/topup", OA_ROLE_ADMIN, oa_api_topup },
    { "GET", "/api/option", OA_ROLE_ROOT, oa_api_options_get },
    { "PUT", "/api/option", OA_ROLE_ROOT, oa_api_option_update },
    { "GET", "/api/channel", OA_ROLE_ADMIN, oa_api_channels_list },
    { "GET", "/api/channel/search", OA_ROLE_ADMIN, oa_api_channels_search },
    { "GET", "/api/channel/models", OA_ROLE_ADMIN, oa_api_channel_models },
    { "GET", "/api/channel/test", OA_ROLE_ADMIN, oa_api_channels_test },
    { "GET", "/api/channel/test/:id", OA_ROLE_ADMIN, oa_api_channel_test },
    { "POST", "/api/channel", OA_ROLE_ADMIN, oa_api_channel_create },
    { "PUT", "/api/channel", OA_ROLE_ADMIN, oa_api_channel_update },
    { "DELETE", "/api/channel/disabled", OA_ROLE_ADMIN, oa_api_channel_delete_disabled },
    { "GET", "/api/channel/:id", OA_ROLE_ADMIN, oa_api_channel_get },
    { "DELETE", "/api/channel/:id", OA_ROLE_ADMIN, oa_api_channel_delete },
    { "GET", "/api/models", OA_ROLE_ADMIN, oa_api_channel_models },
    //  Relay-key routes: the handler authenticates the key (TokenAuth).
    { "POST", "/api/token/consume", S_PUBLIC, oa_api_token_consume },
    { "GET", "/api/token/balance", S_PUBLIC, oa_api_token_balance },
    { "GET", "/api/token/transactions", S_PUBLIC, oa_api_token_transactions },
    { "GET", "/api/token/logs", S_PUBLIC, oa_api_token_logs },
    { "GET", "/dashboard/billing/subscription", S_PUBLIC, oa_api_billing_subscription },
    { "GET", "/v1/dashboard/billing/subscription", S_PUBLIC, oa_api_billing_subscription },
    { "GET", "/dashboard/billing/usage", S_PUBLIC, oa_api_billing_usage },
    { "GET", "/v1/dashboard/billing/usage", S_PUBLIC, oa_api_billing_usage },
    { "GET", "/api/token", OA_ROLE_COMMON, oa_api_tokens_list },
    { "GET", "/api/token/search", OA_ROLE_COMMON, oa_api_tokens_search },
    { "POST", "/api/token", OA_ROLE_COMMON, oa_api_token_create },
    { "PUT", "/api/token", OA_ROLE_COMMON, oa_api_token_update },
    { "GET", "/api/token/:id", OA_ROLE_COMMON, oa_api_token_get },
    { "DELETE", "/api/token/:id", OA_ROLE_COMMON, oa_api_token_delete },
    { "GET", "/api/admin/tokens", OA_ROLE_ADMIN, oa_api_admin_tokens_list },
    { "GET", "/api/admin/tokens/search", OA_ROLE_ADMIN, oa_api_admin_tokens_search },
    { "GET", "/api/admin/tokens/:id", OA_ROLE_ADMIN, oa_api_admin_token_get },
    { "GET", "/api/redemption", OA_ROLE_ADMIN, oa_api_redemptions_list },
    { "GET", "/api/redemption/search", OA_ROLE_ADMIN, oa_api_redemptions_search },
    { "POST", "/api/redemption", OA_ROLE_ADMIN, oa_api_redemption_create },
    { "PUT", "/api/redemption", OA_ROLE_ADMIN, oa_api_redemption_update },
    { "GET", "/api/redemption/:id", OA_ROLE_ADMIN, oa_api_redemption_get },
    { "DELETE", "/api/redemption/:id", OA_ROLE_ADMIN, oa_api_redemption_delete },
    { "GET", "/api/log", OA_ROLE_ADMIN, oa_api_logs_list },
    { "DELETE", "/api/log", OA_ROLE_ADMIN, oa_api_logs_delete },
    { "GET", "/api/log/stat", OA_ROLE_ADMIN, oa_api_logs_stat },
    { "GET", "/api/log/search", OA_ROLE_ADMIN, oa_api_logs_search },
    { "GET", "/api/log/self", OA_ROLE_COMMON, oa_api_logs_self },
    { "GET", "/api/log/self/search", OA_ROLE_COMMON, oa_api_logs_self_search },
    { "GET", "/api/log/self/stat", OA_ROLE_COMMON, oa_api_logs_self_stat },
    { "GET", "/api/group", OA_ROLE_ADMIN, oa_api_groups },
    { NULL, NULL, 0, NULL }
};

oa_api_app_t *
oa_api_app_new (oa_store_t *store, const oa_config_t *config, zsock_t *publish)
{
    assert (store);
    assert (config);
    oa_api_app_t *self = (oa_api_app_t *) zmalloc (sizeof (oa_api_app_t));
    self->store = store;
    self->config = config;
    self->publish = publish;
    const char *secret = config->session_secret;
    if (secret && *secret) {
        self->secret_size = strlen (secret) < sizeof self->secret? strlen (secret)
                                                                 : sizeof self->secret;
        memcpy (self->secret, secret, self->secret_size);
    }
    else {
        //  one-api: a random secret per boot; sessions end with the process.
        self->secret_size = 32;
        oa_random_bytes (self->secret, self->secret_size);
    }
    return self;
}

void
oa_api_app_destroy (oa_api_app_t **self_p)
{
    oa_api_app_t *self = *self_p;
    if (!self)
        return;
    memset (self->secret, 0, sizeof self->secret);
    free (self);
    *self_p = NULL;
}

oa_store_t *
oa_api_store (oa_api_app_t *self)
{
    return self->store;
}

void
oa_api_app_set_store (oa_api_app_t *self, oa_store_t *store)
{
    assert (store);
    self->store = store;
}

int64_t *
oa_api_sweep_state (oa_api_app_t *self, int64_t **left)
{
    *left = &self->sweep_left;
    return &self->sweep_until;
}

const oa_config_t *
oa_api_config (oa_api_app_t *self)
{
    return self->config;
}

const unsigned char *
oa_api_secret (oa_api_app_t *self, size_t *size)
{
    *size = self->secret_size;
    return self->secret;
}

uint64_t
oa_api_published (oa_api_app_t *self)
{
    return self->published;
}

void
oa_api_publish (oa_api_app_t *self, const char *table, int op, json_t *row)
{
    if (!row)
        return;
    char *text = json_dumps (row, JSON_COMPACT);
    assert (text);
    self->published++;
    if (self->publish) {
        zmsg_t *msg = zmsg_new ();
        zmsg_addstr (msg, "PUBLISH");
        zmsg_addstr (msg, table);
        zmsg_addstrf (msg, "%d", op);
        zmsg_addstr (msg, text);
        //  Never blocks (send timeout 0): a lost change shows as a gap in
        //  the ledger's seq only if published, so log it here.
        if (zmsg_send (&msg, self->publish) != 0) {
            oa_log_warn ("api", "change of %s not handed to the ledger", table);
            zmsg_destroy (&msg);
        }
    }
    free (text);
}

void
oa_api_publish_id (oa_api_app_t *self, const char *table, int64_t id)
{
    json_t *row = oa_api_change_row (self, table, id);
    if (row)
        oa_api_publish (self, table, OA_MSG_OP_UPSERT, row);
    else
        oa_log_warn ("api", "%s %" PRId64 " not published: %s", table, id,
                     oa_store_error (self->store));
    json_decref (row);
}

//  GET /api/notice, /about, /home_page_content: the option of that name.
//  GET /api/cost/request/:request_id, public as in one-api: the bare cost
//  object (no envelope), cost_usd = quota / 500000.  An unknown id answers
//  one-api's 200 {"success":false,...}; one-api then also appends "null"
//  (its handler does not return after the error), which we do not copy.
static void
s_request_cost (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    json_t *cost = NULL;
    int rc = oa_billing_request_cost (oa_api_store (app), req->param? req->param: "", &cost);
    if (rc == 0) {
        res->status = 200;
        res->body = cost;
    }
    else
    if (rc == 1)
        oa_api_fail (res, 200, "failed to get cost by request id: record not found");
    else
        oa_api_fail_store (app, res, "request cost");
}

static void
s_home_option (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    const char *key = strstr (req->path, "notice")? "Notice"
                    : strstr (req->path, "about")? "About": "HomePageContent";
    char *value = oa_api_option (app, key, "");
    json_t *data = json_string (value);
    oa_api_ok (res, data? data: json_string (""));
    free (value);
}

//  Matches path (without a final slash) against a route path.  Sets
//  *param to the :id segment (fresh) when the route has one.
static bool
s_match (const char *route, const char *path, size_t size, char **param)
{
    const char *colon = strstr (route, "/:");
    if (!colon)
        return strlen (route) == size && memcmp (route, path, size) == 0;
    size_t prefix = (size_t) (colon - route) + 1;
    if (size <= prefix || memcmp (route, path, prefix) != 0)
        return false;
    const char *segment = path + prefix;
    size_t segment_size = size - prefix;
    if (memchr (segment, '/', segment_size))
        return false;
    *param = strndup (segment, segment_size);
    return true;
}

void
oa_api_app_handle (oa_api_app_t *self, oa_api_req_t *req, oa_api_res_t *res)
{
    assert (self);
    res->status = 200;
    const char *path = req->path? req->path: "";
    size_t size = strlen (path);
    while (size > 1 && path [size - 1] == '/')
        size--;
    const s_route_t *found = NULL;
    //  Two passes: static paths first, then paths with a parameter.
    for (int pass = 0; pass < 2 && !found; pass++) {
        for (const s_route_t *route = s_routes; route->path && !found; route++) {
            bool has_param = strstr (route->path, "/:") != NULL;
            if (has_param != (pass == 1) || !streq (route->method, req->method? req->method: ""))
                continue;
            char *param = NULL;
            if (s_match (route->path, path, size, &param)) {
                found = route;
                req->param = param;
            }
        }
    }
    if (!found) {
        oa_api_fail (res, 404, "404 page not found");
        return;
    }
    if (found->role != S_PUBLIC && !oa_api_authenticate (self, req, res, found->role))
        return;
    found->handler (self, req, res);
}
