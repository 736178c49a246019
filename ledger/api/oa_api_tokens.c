/*  =========================================================================
    oa_api_tokens - /api/token (a user's own relay keys) and the admin's
    read-only /api/admin/tokens

    Every /api/token query is scoped by the caller's user id, so another
    user's token is "not found" to it, with one-api's message naming the
    ids it looked for.  Keys are shown with TOKEN_KEY_PREFIX; a new key is
    made here, never taken from the request.
    =========================================================================
*/
#include "oa_api_private.h"

#include <arpa/inet.h>

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"

static const char *const s_token_sorts [] = {
    "id", "uuid", "name", "status", "expired_time", "remain_quota", "used_quota", "created_at",
    "updated_at", NULL
};

//  model.Token as ShouldBindJSON decodes it.
static const oa_api_field_t s_token_fields [] = {
    { "id", OA_API_GO_INT }, { "uuid", OA_API_GO_STRING }, { "user_id", OA_API_GO_INT },
    { "user_uuid", OA_API_GO_STRING }, { "key", OA_API_GO_STRING }, { "status", OA_API_GO_INT },
    { "name", OA_API_GO_STRING }, { "created_time", OA_API_GO_INT64 },
    { "accessed_time", OA_API_GO_INT64 }, { "expired_time", OA_API_GO_INT64 },
    { "remain_quota", OA_API_GO_INT64 }, { "unlimited_quota", OA_API_GO_BOOL },
    { "used_quota", OA_API_GO_INT64 }, { "created_at", OA_API_GO_INT64 },
    { "updated_at", OA_API_GO_INT64 }, { "models", OA_API_GO_STRING },
    { "subnet", OA_API_GO_STRING }, { NULL, OA_API_GO_ANY }
};

//  True when every comma-separated entry is an IPv4 or IPv6 CIDR.
static bool
s_valid_subnets (const char *subnets, char *bad, size_t bad_size)
{
    char *copy = strdup (subnets);
    char *save = NULL;
    bool valid = true;
    for (char *entry = strtok_r (copy, ",", &save); entry && valid;
         entry = strtok_r (NULL, ",", &save)) {
        char *cidr = oa_api_trim (entry);
        char *slash = strchr (cidr, '/');
        unsigned char address [16];
        char *end = NULL;
        long bits = slash? strtol (slash + 1, &end, 10): -1;
        if (slash)
            *slash = 0;
        bool v6 = strchr (cidr, ':') != NULL;
        valid = slash && end && !*end && slash [1] && bits >= 0 && bits <= (v6? 128: 32)
             && inet_pton (v6? AF_INET6: AF_INET, cidr, address) == 1;
        if (!valid) {
            if (slash)
                *slash = '/';
            snprintf (bad, bad_size, "%s", cidr);
        }
        free (cidr);
    }
    free (copy);
    return valid;
}

//  controller.validateToken; answers and returns false when invalid.
static bool
s_validate (oa_api_res_t *res, json_t *token)
{
    char bad [128];
    const char *subnet = oa_api_str (token, "subnet", "");
    if (strlen (oa_api_str (token, "name", "")) > 30)
        oa_api_fail (res, 200, "invalid token: Token name is too long");
    else
    if (*subnet && !s_valid_subnets (subnet, bad, sizeof bad))
        oa_api_fail (res, 200, "invalid token: invalid network segment: invalid CIDR address: %s",
                     bad);
    else
        return true;
    return false;
}

//  Answers the token id of user_id in the response view.
static void
s_answer_token (oa_api_app_t *app, oa_api_res_t *res, int64_t id)
{
    oa_api_param_t param = { .i = id };
    bool found = false;
    json_t *row = oa_api_select_one (app, oa_api_token_view, "FROM \"tokens\" WHERE \"id\" = $1",
                                     &param, 1, &found);
    if (row)
        oa_api_ok (res, row);
    else
        oa_api_fail_store (app, res, "get token");
}

//  Lists tokens (of user_id, or all when user_id is 0), paged, with total.
static void
s_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, int64_t user_id)
{
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    const char *sort = oa_api_arg (req, "sort");
    const char *order = oa_api_arg (req, "order");
    const char *clause = NULL;
    if ((!sort || !*sort) && order && streq (order, "remain_quota"))
        clause = "\"unlimited_quota\" DESC, \"remain_quota\" DESC";
    else
    if ((!sort || !*sort) && order && streq (order, "used_quota"))
        clause = "\"used_quota\" DESC";
    else
        clause = oa_api_order (req, sort, order, s_token_sorts);
    oa_api_param_t param = { .i = user_id };
    const char *from = user_id? "FROM \"tokens\" WHERE \"user_id\" = $1": "FROM \"tokens\"";
    json_t *rows = oa_api_select (app, oa_api_token_view, from, &param, user_id? 1: 0, clause,
                                  limit, offset);
    int64_t total = rows? oa_api_count (app, from, &param, user_id? 1: 0): -1;
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "get tokens");
        return;
    }
    oa_api_ok_total (res, rows, total);
}

//  Searches tokens by uuid or name prefix, paged, with total.
static void
s_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, int64_t user_id)
{
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    const char *keyword = oa_api_arg (req, "keyword");
    keyword = keyword? keyword: "";
    const char *clause = oa_api_order (req, oa_api_arg (req, "sort"), oa_api_arg (req, "order"),
                                       s_token_sorts);
    char *like = zsys_sprintf ("%s%%", keyword);
    bool uuid = oa_api_is_uuid (keyword);
    oa_api_param_t params [] = { { true, uuid? keyword: like, 0 }, { .i = user_id } };
    const char *from = uuid? (user_id? "FROM \"tokens\" WHERE \"user_id\" = $2 AND "
                                       "(\"uuid\" = $1 OR \"user_uuid\" = $1)"
                                     : "FROM \"tokens\" WHERE (\"uuid\" = $1 OR "
                                       "\"user_uuid\" = $1)")
                     : (user_id? "FROM \"tokens\" WHERE \"user_id\" = $2 AND \"name\" LIKE $1"
                               : "FROM \"tokens\" WHERE \"name\" LIKE $1");
    int count = user_id? 2: 1;
    json_t *rows = oa_api_select (app, oa_api_token_view, from, params, count, clause, limit,
                                  offset);
    int64_t total = rows? oa_api_count (app, from, params, count): -1;
    zstr_free (&like);
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "search tokens");
        return;
    }
    oa_api_ok_total (res, rows, total);
}

void
oa_api_tokens_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_list (app, req, res, req->user->id);
}

void
oa_api_tokens_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_search (app, req, res, req->user->id);
}

//  True when token id belongs to user_id; answers one-api's message if not.
static int
s_owned (oa_api_app_t *app, oa_api_res_t *res, int64_t id, int64_t user_id, const char *format)
{
    oa_api_param_t params [] = { { .i = id }, { .i = user_id } };
    int64_t count = oa_api_count (app, "FROM \"tokens\" WHERE \"id\" = $1 AND \"user_id\" = $2",
                                  params, 2);
    if (count < 0)
        oa_api_fail_store (app, res, "get token");
    else
    if (count == 0)
        oa_api_fail (res, 200, format, id, user_id);
    return count > 0;
}

#define S_NOT_OWNED "failed to get token by id=%" PRId64 " and userId=%" PRId64 \
    ": record not found"

void
oa_api_token_get (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "tokens", req->param, &id) == 1
    &&  s_owned (app, res, id, req->user->id, S_NOT_OWNED))
        s_answer_token (app, res, id);
}

void
oa_api_token_create (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "Token", s_token_fields, false, error, sizeof error);
    if (!body) {
        oa_api_fail (res, 200, "%s", error);
        return;
    }
    char *name = oa_api_trim (oa_api_str (body, "name", ""));
    if (!*name)
        oa_api_fail (res, 200, "Token name is required");
    else
    if (s_validate (res, body)) {
        oa_token_t *token = oa_token_new ();
        token->key = (char *) zmalloc (49);
        oa_api_new_token_key (token->key);
        token->user_id = req->user->id;
        oa_record_set (&token->user_uuid, req->user->uuid);
        oa_record_set (&token->name, oa_api_str (body, "name", ""));
        token->created_time = token->accessed_time = oa_clock_ms () / 1000;
        token->expired_time = oa_api_int (body, "expired_time", 0);
        token->remain_quota = oa_api_int (body, "remain_quota", 0);
        token->unlimited_quota = oa_api_bool (body, "unlimited_quota", false);
        oa_record_set (&token->models, oa_api_str (body, "models", NULL));
        //  A nil subnet takes the column default ''.
        oa_record_set (&token->subnet, oa_api_str (body, "subnet", ""));
        if (oa_store_token_insert (oa_api_store (app), token) != 0)
            oa_api_fail_store (app, res, "failed to insert token");
        else {
            oa_api_publish_id (app, "tokens", token->id);
            s_answer_token (app, res, token->id);
        }
        oa_token_destroy (&token);
    }
    free (name);
    json_decref (body);
}

void
oa_api_token_update (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *patch = oa_api_decode (req, "Token", s_token_fields, false, error, sizeof error);
    if (!patch) {
        oa_api_fail (res, 200, "%s", error);
        return;
    }
    const char *uuid = oa_api_str (patch, "uuid", "");
    char reference [32];
    snprintf (reference, sizeof reference, "%" PRId64, oa_api_int (patch, "id", 0));
    const char *status_only = oa_api_arg (req, "status_only");
    bool only_status = status_only && *status_only;
    char *name = oa_api_trim (oa_api_str (patch, "name", ""));
    int64_t id = 0;
    oa_token_t *clean = NULL;
    if (!*uuid && oa_api_int (patch, "id", 0) <= 0)
        oa_api_fail (res, 200, OA_API_UUID_REQUIRED);
    else
    if (oa_api_resolve (app, res, "tokens", *uuid? uuid: reference, &id) != 1)
        ;                       //  answered
    else
    if (!only_status && !*name)
        oa_api_fail (res, 200, "Token name cannot be empty");
    else
    if (!s_validate (res, patch))
        ;
    else
    if (!s_owned (app, res, id, req->user->id, S_NOT_OWNED))
        ;
    else
    if (oa_store_token_by_id (oa_api_store (app), id, &clean) != 1)
        oa_api_fail_store (app, res, "get token");
    else {
        int64_t now = oa_clock_ms () / 1000;
        int64_t status = oa_api_int (patch, "status", 0);
        int64_t expired = oa_api_int (patch, "expired_time", 0);
        int64_t remain = oa_api_int (patch, "remain_quota", 0);
        bool unlimited = oa_api_bool (patch, "unlimited_quota", false);
        const char *refusal = NULL;
        if (status == OA_STATUS_ENABLED) {
            if (clean->status == OA_TOKEN_STATUS_EXPIRED && clean->expired_time <= now
            &&  clean->expired_time != -1 && expired != -1 && expired < now)
                refusal = "The token has expired and cannot be enabled. Please modify the "
                          "expiration time of the token, or set it to never expire.";
            else
            if (clean->status == OA_TOKEN_STATUS_EXHAUSTED && clean->remain_quota <= 0
            &&  !clean->unlimited_quota && remain <= 0 && !unlimited)
                refusal = "The available quota of the token has been used up and cannot be "
                          "enabled. Please modify the remaining quota of the token, or set it "
                          "to unlimited quota";
        }
        else
        if (status == OA_TOKEN_STATUS_EXHAUSTED && (remain > 0 || unlimited))
            status = OA_STATUS_ENABLED;
        else
        if (status == OA_TOKEN_STATUS_EXPIRED && (expired == -1 || expired > now))
            status = OA_STATUS_ENABLED;
        //  A patch without a status keeps the current one (one-api would
        //  write 0, a status no code path understands).
        if (status == 0)
            status = clean->status;
        int64_t changed = -1;
        if (refusal)
            oa_api_fail (res, 200, "%s", refusal);
        else
        if (only_status) {
            oa_api_param_t params [] = { { .i = status }, { .i = oa_clock_ms () }, { .i = id } };
            changed = oa_api_exec (app, "UPDATE \"tokens\" SET \"status\" = $1, \"updated_at\" = "
                                   "$2 WHERE \"id\" = $3", params, 3, NULL);
        }
        else {
            //  Booleans travel as 0/1 text-free integers: both drivers cast.
            oa_api_param_t params [] = {
                { true, oa_api_str (patch, "name", ""), 0 }, { .i = status }, { .i = expired },
                { .i = remain }, { .i = unlimited },
                { true, oa_api_str (patch, "models", NULL), 0 },
                { true, oa_api_str (patch, "subnet", NULL), 0 }, { .i = oa_clock_ms () },
                { .i = id }
            };
            changed = oa_api_exec (app, oa_store_is_postgres (oa_api_store (app))
                ? "UPDATE \"tokens\" SET \"name\" = $1, \"status\" = $2, \"expired_time\" = $3, "
                  "\"remain_quota\" = $4, \"unlimited_quota\" = ($5 <> 0), \"models\" = $6, "
                  "\"subnet\" = $7, \"updated_at\" = $8 WHERE \"id\" = $9"
                : "UPDATE \"tokens\" SET \"name\" = $1, \"status\" = $2, \"expired_time\" = $3, "
                  "\"remain_quota\" = $4, \"unlimited_quota\" = $5, \"models\" = $6, "
                  "\"subnet\" = $7, \"updated_at\" = $8 WHERE \"id\" = $9", params, 9, NULL);
        }
        if (!refusal && changed < 0)
            oa_api_fail_store (app, res, "failed to update token");
        else
        if (!refusal) {
            oa_api_publish_id (app, "tokens", id);
            s_answer_token (app, res, id);
        }
    }
    oa_token_destroy (&clean);
    free (name);
    json_decref (patch);
}

void
oa_api_token_delete (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "tokens", req->param, &id) != 1
    ||  !s_owned (app, res, id, req->user->id, "failed to find token for deletion: id=%" PRId64
                  ", userId=%" PRId64 ": record not found"))
        return;
    //  The gateway drops the key from its index: send the whole row.
    json_t *row = oa_api_change_row (app, "tokens", id);
    oa_api_param_t param = { .i = id };
    if (oa_api_exec (app, "DELETE FROM \"tokens\" WHERE \"id\" = $1", &param, 1, NULL) < 0)
        oa_api_fail_store (app, res, "failed to delete token");
    else {
        oa_api_publish (app, "tokens", OA_MSG_OP_DELETE, row);
        oa_api_ok (res, NULL);
    }
    json_decref (row);
}

void
oa_api_admin_tokens_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t user_id = 0;
    const char *user = oa_api_arg (req, "user_id");
    if (user && *user && oa_api_resolve (app, res, "users", user, &user_id) != 1)
        return;
    s_list (app, req, res, user_id);
}

void
oa_api_admin_tokens_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_search (app, req, res, 0);
}

void
oa_api_admin_token_get (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    int rc = oa_api_resolve (app, res, "tokens", req->param, &id);
    if (rc == 0) {
        const char *message = json_string_value (json_object_get (res->body, "message"));
        char *copy = strdup (message? message: "");
        oa_api_fail (res, 200, "invalid token id: %s", copy);
        free (copy);
    }
    else
    if (rc == 1)
        s_answer_token (app, res, id);
}
