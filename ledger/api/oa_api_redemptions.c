/*  =========================================================================
    oa_api_redemptions - /api/redemption routes (admin: list, search, get,
    batch create, update, delete) and redeeming a code (POST
    /api/user/topup, any user)

    Redeeming claims the code with a conditional update (status 1 -> 3) in
    the same transaction as the quota increase, so two concurrent redeems
    of one code credit once.
    =========================================================================
*/
#include "oa_api_private.h"

#include "oa_ids.h"
#include "oa_log.h"

static const char *const s_redemption_sorts [] = {
    "id", "name", "status", "quota", "created_time", "redeemed_time", "created_at", "updated_at",
    NULL
};

static const oa_api_field_t s_redemption_fields [] = {
    { "id", OA_API_GO_INT }, { "uuid", OA_API_GO_STRING }, { "user_id", OA_API_GO_INT },
    { "user_uuid", OA_API_GO_STRING }, { "key", OA_API_GO_STRING }, { "status", OA_API_GO_INT },
    { "name", OA_API_GO_STRING }, { "quota", OA_API_GO_INT64 },
    { "created_time", OA_API_GO_INT64 }, { "redeemed_time", OA_API_GO_INT64 },
    { "count", OA_API_GO_INT }, { "created_at", OA_API_GO_INT64 },
    { "updated_at", OA_API_GO_INT64 }, { NULL, OA_API_GO_ANY }
};

void
oa_api_redemptions_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    json_t *rows = oa_api_select (app, oa_api_redemption_view, "FROM \"redemptions\"", NULL, 0,
                                  "\"id\" DESC", limit, offset);
    int64_t total = rows? oa_api_count (app, "FROM \"redemptions\"", NULL, 0): -1;
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "get all redemptions");
        return;
    }
    oa_api_ok_total (res, rows, total);
}

void
oa_api_redemptions_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    const char *keyword = oa_api_arg (req, "keyword");
    keyword = keyword? keyword: "";
    const char *clause = oa_api_order (req, oa_api_arg (req, "sort"), oa_api_arg (req, "order"),
                                       s_redemption_sorts);
    char *like = zsys_sprintf ("%s%%", keyword);
    bool uuid = oa_api_is_uuid (keyword);
    oa_api_param_t param = { true, uuid? keyword: like, 0 };
    const char *from = !*keyword? "FROM \"redemptions\""
                     : uuid? "FROM \"redemptions\" WHERE (\"uuid\" = $1 OR \"user_uuid\" = $1)"
                     : "FROM \"redemptions\" WHERE \"name\" LIKE $1";
    int count = *keyword? 1: 0;
    json_t *rows = oa_api_select (app, oa_api_redemption_view, from, &param, count, clause, limit,
                                  offset);
    int64_t total = rows? oa_api_count (app, from, &param, count): -1;
    zstr_free (&like);
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "search redemptions");
        return;
    }
    oa_api_ok_total (res, rows, total);
}

static void
s_answer (oa_api_app_t *app, oa_api_res_t *res, int64_t id)
{
    oa_api_param_t param = { .i = id };
    bool found = false;
    json_t *row = oa_api_select_one (app, oa_api_redemption_view,
                                     "FROM \"redemptions\" WHERE \"id\" = $1", &param, 1, &found);
    if (row)
        oa_api_ok (res, row);
    else
        oa_api_fail_store (app, res, "get redemption");
}

void
oa_api_redemption_get (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "redemptions", req->param, &id) == 1)
        s_answer (app, res, id);
}

void
oa_api_redemption_create (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "model.Redemption", s_redemption_fields, false, error,
                                  sizeof error);
    if (!body) {
        oa_api_fail (res, 200, "%s", error);
        return;
    }
    const char *name = oa_api_str (body, "name", "");
    char *trimmed = oa_api_trim (name);
    int64_t count = oa_api_int (body, "count", 0);
    if (!*trimmed)
        oa_api_fail (res, 200, "Redemption name is required");
    else
    if (strlen (name) == 0 || strlen (name) > 20)
        oa_api_fail (res, 200, "The length of the redemption code name must be between 1-20");
    else
    if (count <= 0)
        oa_api_fail (res, 200, "The number of redemption codes must be greater than 0");
    else
    if (count > 100)
        oa_api_fail (res, 200, "The number of redemption codes generated in a batch cannot be "
                     "greater than 100");
    else {
        json_t *keys = json_array ();
        int64_t quota = oa_api_int (body, "quota", 0);
        bool failed = false;
        for (int64_t index = 0; index < count && !failed; index++) {
            char uuid [OA_UUID_SIZE], key [33];
            oa_uuid_new (uuid);
            size_t size = 0;
            for (const char *c = uuid; *c && size < 32; c++)
                if (*c != '-')
                    key [size++] = *c;
            key [size] = 0;
            char row_uuid [OA_UUID_SIZE];
            oa_uuid_new (row_uuid);
            int64_t now_ms = oa_clock_ms ();
            //  GORM's default:100 replaces a zero quota.
            oa_api_param_t params [] = {
                { true, row_uuid, 0 }, { .i = req->user->id }, { true, req->user->uuid, 0 },
                { true, key, 0 }, { true, name, 0 }, { .i = quota? quota: 100 },
                { .i = now_ms / 1000 }, { .i = now_ms }
            };
            if (oa_api_exec (app, "INSERT INTO \"redemptions\" (\"uuid\", \"user_id\", "
                             "\"user_uuid\", \"key\", \"status\", \"name\", \"quota\", "
                             "\"created_time\", \"redeemed_time\", \"created_at\", \"updated_at\") "
                             "VALUES ($1, $2, $3, $4, 1, $5, $6, $7, 0, $8, $8)",
                             params, 8, NULL) < 0)
                failed = true;
            else
                json_array_append_new (keys, json_string (key));
        }
        if (failed) {
            oa_api_fail (res, 200, "insert redemption: %s", oa_store_error (oa_api_store (app)));
            json_object_set_new (res->body, "data", keys);
        }
        else
            oa_api_ok (res, keys);
    }
    free (trimmed);
    json_decref (body);
}

void
oa_api_redemption_update (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "Redemption", s_redemption_fields, false, error,
                                  sizeof error);
    if (!body) {
        oa_api_fail (res, 200, "%s", error);
        return;
    }
    const char *uuid = oa_api_str (body, "uuid", "");
    char reference [32];
    snprintf (reference, sizeof reference, "%" PRId64, oa_api_int (body, "id", 0));
    const char *status_only = oa_api_arg (req, "status_only");
    char *name = oa_api_trim (oa_api_str (body, "name", ""));
    int64_t id = 0;
    if (!*uuid && oa_api_int (body, "id", 0) <= 0)
        oa_api_fail (res, 200, OA_API_UUID_REQUIRED);
    else
    if (oa_api_resolve (app, res, "redemptions", *uuid? uuid: reference, &id) != 1)
        ;                       //  answered
    else
    if (status_only && *status_only) {
        oa_api_param_t params [] = { { .i = oa_api_int (body, "status", 0) },
                                     { .i = oa_clock_ms () }, { .i = id } };
        if (oa_api_exec (app, "UPDATE \"redemptions\" SET \"status\" = $1, \"updated_at\" = $2 "
                         "WHERE \"id\" = $3", params, 3, NULL) < 0)
            oa_api_fail_store (app, res, "update redemption");
        else
            s_answer (app, res, id);
    }
    else
    if (!*name)
        oa_api_fail (res, 200, "Redemption name cannot be empty");
    else {
        oa_api_param_t params [] = { { true, oa_api_str (body, "name", ""), 0 },
                                     { .i = oa_api_int (body, "quota", 0) },
                                     { .i = oa_clock_ms () }, { .i = id } };
        if (oa_api_exec (app, "UPDATE \"redemptions\" SET \"name\" = $1, \"quota\" = $2, "
                         "\"updated_at\" = $3 WHERE \"id\" = $4", params, 4, NULL) < 0)
            oa_api_fail_store (app, res, "update redemption");
        else
            s_answer (app, res, id);
    }
    free (name);
    json_decref (body);
}

void
oa_api_redemption_delete (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "redemptions", req->param, &id) != 1)
        return;
    oa_api_param_t param = { .i = id };
    if (oa_api_exec (app, "DELETE FROM \"redemptions\" WHERE \"id\" = $1", &param, 1, NULL) < 0)
        oa_api_fail_store (app, res, "delete redemption");
    else
        oa_api_ok (res, NULL);
}

static const oa_api_field_t s_topup_fields [] = {
    { "key", OA_API_GO_STRING }, { NULL, OA_API_GO_ANY }
};

void
oa_api_user_topup (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "controller.topUpRequest", s_topup_fields, false, error,
                                  sizeof error);
    if (!body) {
        oa_api_fail (res, 200, "%s", error);
        return;
    }
    const char *key = oa_api_str (body, "key", "");
    oa_store_t *store = oa_api_store (app);
    static const oa_api_column_t code_view [] = {
        { "id", "\"id\"", OA_API_INT }, { "status", "\"status\"", OA_API_INT },
        { "quota", "\"quota\"", OA_API_INT }, { NULL, NULL, OA_API_INT }
    };
    if (!*key) {
        oa_api_fail (res, 200, "No redemption code provided");
        json_decref (body);
        return;
    }
    if (oa_store_begin (store) != 0) {
        oa_api_fail_store (app, res, "Redeem failed");
        json_decref (body);
        return;
    }
    oa_api_param_t param = { true, key, 0 };
    bool found = false;
    json_t *code = oa_api_select_one (app, code_view, "FROM \"redemptions\" WHERE \"key\" = $1",
                                      &param, 1, &found);
    const char *refusal = !code? "Redeem failed: Invalid redemption code"
                        : oa_api_int (code, "status", 0) != OA_STATUS_ENABLED
                        ? "Redeem failed: The redemption code has been used": NULL;
    int64_t quota = oa_api_int (code, "quota", 0);
    if (!refusal) {
        oa_api_param_t claim [] = { { .i = oa_clock_ms () / 1000 },
                                    { .i = oa_api_int (code, "id", 0) } };
        oa_api_param_t credit [] = { { .i = quota }, { .i = req->user->id } };
        int64_t claimed = oa_api_exec (app, "UPDATE \"redemptions\" SET \"status\" = 3, "
                                       "\"redeemed_time\" = $1 WHERE \"id\" = $2 AND "
                                       "\"status\" = 1", claim, 2, NULL);
        if (claimed == 0)
            refusal = "Redeem failed: The redemption code has been used";
        else
        if (claimed < 0 || oa_api_exec (app, "UPDATE \"users\" SET \"quota\" = \"quota\" + $1 "
                                        "WHERE \"id\" = $2", credit, 2, NULL) < 0)
            refusal = "Redeem failed: database error";
    }
    if (refusal || oa_store_commit (store) != 0) {
        oa_store_rollback (store);
        oa_api_fail (res, 200, "%s", refusal? refusal: "Redeem failed: database error");
    }
    else {
        char *amount = oa_api_log_quota (app, quota);
        char *content = zsys_sprintf ("Recharged %s using redemption code", amount);
        oa_api_log (app, req->user->id, 1, content, 0);
        zstr_free (&content);
        free (amount);
        oa_api_publish_id (app, "users", req->user->id);
        oa_api_ok (res, json_integer (quota));
    }
    json_decref (code);
    json_decref (body);
}
