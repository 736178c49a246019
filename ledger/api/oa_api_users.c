/*  =========================================================================
    oa_api_users - /api/user routes: the caller's own account, and the
    admin's list, search, get, create, delete and manage

    one-api's rule for acting on another user: an admin acts only on users
    of a lower role; root acts on anyone (but root itself is never disabled,
    deleted or demoted).  Deleting is a soft delete: status 3 and the
    username renamed to deleted_<uuid>, so the name can be taken again.
    =========================================================================
*/
#include "oa_api_private.h"

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"
#include "oa_password.h"

static const char *const s_user_sorts [] = {
    "id", "username", "email", "display_name", "role", "status", "quota", "used_quota",
    "request_count", "created_at", "updated_at", NULL
};

//  Answers the user row with id in the response view.
static void
s_answer_user (oa_api_app_t *app, oa_api_res_t *res, int64_t id)
{
    oa_api_param_t param = { .i = id };
    bool found = false;
    json_t *row = oa_api_select_one (app, oa_api_user_view, "FROM \"users\" WHERE \"id\" = $1",
                                     &param, 1, &found);
    if (row)
        oa_api_ok (res, row);
    else
    if (found)
        oa_api_fail_store (app, res, "get user");
    else
        oa_api_fail (res, 200, "record not found");
}

//  Soft-deletes a user as one-api's User.Delete; publishes the row.
static int
s_soft_delete (oa_api_app_t *app, int64_t id)
{
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    char name [48] = "deleted_";
    size_t size = strlen (name);
    for (const char *c = uuid; *c; c++)
        if (*c != '-')
            name [size++] = *c;
    name [size] = 0;
    oa_api_param_t params [] = { { true, name, 0 }, { .i = OA_USER_STATUS_DELETED },
                                 { .i = oa_clock_ms () }, { .i = id } };
    if (oa_api_exec (app, "UPDATE \"users\" SET \"username\" = $1, \"status\" = $2, "
                     "\"updated_at\" = $3 WHERE \"id\" = $4", params, 4, NULL) < 0)
        return -1;
    oa_api_publish_id (app, "users", id);
    return 0;
}

void
oa_api_user_self (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_answer_user (app, res, req->user->id);
}

static const oa_api_field_t s_self_fields [] = {
    { "username", OA_API_GO_STRING }, { "password", OA_API_GO_STRING },
    { "display_name", OA_API_GO_STRING }, { "email", OA_API_GO_STRING },
    { NULL, OA_API_GO_ANY }
};

//  Appends one go-playground validator line for a failed field.
static void
s_invalid (char *out, size_t size, const char *field, const char *tag)
{
    size_t used = strlen (out);
    snprintf (out + used, size - used, "%sKey: 'User.%s' Error:Field validation for '%s' "
              "failed on the '%s' tag", used? "\n": "", field, field, tag);
}

void
oa_api_user_self_update (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "dto.UserSelfUpdateRequest", s_self_fields, false,
                                  error, sizeof error);
    if (!body) {
        oa_api_fail (res, 200, OA_API_INVALID_PARAMETER);
        return;
    }
    oa_user_t *self = req->user;
    char *username = oa_api_trim (oa_api_str (body, "username", ""));
    if (!*username) {
        free (username);
        username = strdup (self->username? self->username: "");
    }
    bool display_given = json_object_get (body, "display_name") != NULL;
    const char *display = display_given? oa_api_str (body, "display_name", "")
                                       : (self->display_name? self->display_name: "");
    const char *password = oa_api_str (body, "password", "");
    json_error_t parse_error;
    json_t *meta = self->metadata? json_loads (self->metadata, 0, &parse_error): NULL;
    bool locked = json_is_true (json_object_get (meta, "password_locked"));
    json_decref (meta);
    char invalid [512] = "";
    if (oa_api_runes (username) > 30)
        s_invalid (invalid, sizeof invalid, "Username", "max");
    if (*password && oa_api_runes (password) < 8)
        s_invalid (invalid, sizeof invalid, "Password", "min");
    if (oa_api_runes (password) > 20)
        s_invalid (invalid, sizeof invalid, "Password", "max");
    if (oa_api_runes (display) > 20)
        s_invalid (invalid, sizeof invalid, "DisplayName", "max");
    if (oa_api_runes (oa_api_str (body, "email", "")) > 50)
        s_invalid (invalid, sizeof invalid, "Email", "max");
    if (*password && locked)
        oa_api_fail (res, 200, "Password is locked by administrator");
    else
    if (*invalid)
        oa_api_fail (res, 200, "Input is illegal %s", invalid);
    else {
        char *hash = *password? oa_password_hash (password): NULL;
        oa_api_param_t params [] = {
            { true, username, 0 }, { true, display, 0 }, { true, hash, 0 },
            { .i = oa_clock_ms () }, { .i = self->id }
        };
        oa_store_errcode_t code;
        if (*password && !hash)
            oa_api_fail (res, 200, "failed to hash password");
        else
        if (oa_api_exec (app, "UPDATE \"users\" SET \"username\" = $1, \"display_name\" = $2, "
                         "\"password\" = COALESCE($3, \"password\"), \"updated_at\" = $4 "
                         "WHERE \"id\" = $5", params, 5, &code) < 0) {
            if (code == OA_STORE_ERR_UNIQUE)
                oa_api_fail (res, 200, OA_API_USERNAME_TAKEN);
            else
                oa_api_fail_store (app, res, "failed to update user");
        }
        else {
            oa_api_publish_id (app, "users", self->id);
            oa_api_ok (res, NULL);
        }
        free (hash);
    }
    free (username);
    json_decref (body);
}

void
oa_api_user_self_delete (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    if (req->user->role == OA_ROLE_ROOT)
        oa_api_fail (res, 200, "Cannot delete super administrator account");
    else
    if (s_soft_delete (app, req->user->id) < 0)
        oa_api_fail_store (app, res, "failed to delete user");
    else
        oa_api_ok (res, NULL);
}

void
oa_api_user_aff (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    const char *code = req->user->aff_code;
    char fresh [5];
    if (!code || !*code) {
        oa_random_key (fresh, 4);
        oa_api_param_t params [] = { { true, fresh, 0 }, { .i = req->user->id } };
        if (oa_api_exec (app, "UPDATE \"users\" SET \"aff_code\" = $1 WHERE \"id\" = $2",
                         params, 2, NULL) < 0) {
            oa_api_fail_store (app, res, "failed to update user");
            return;
        }
        code = fresh;
    }
    oa_api_ok (res, json_string (code));
}

void
oa_api_user_available_models (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    static const oa_api_column_t model_view [] = {
        { "model", "DISTINCT \"model\"", OA_API_STR }, { NULL, NULL, OA_API_INT }
    };
    oa_api_param_t param = { true, req->user->group? req->user->group: "default", 0 };
    json_t *rows = oa_api_select (app, model_view, "FROM \"abilities\" WHERE \"group\" = $1 "
                                  "AND \"enabled\" = TRUE", &param, 1, "\"model\"", -1, 0);
    if (!rows) {
        oa_api_fail_store (app, res, "get group models");
        return;
    }
    json_t *names = json_array ();
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row)
        json_array_append (names, json_object_get (row, "model"));
    json_decref (rows);
    oa_api_ok (res, names);
}

void
oa_api_users_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    const char *sort = oa_api_arg (req, "sort");
    const char *order = oa_api_arg (req, "order");
    const char *clause = NULL;
    if (!sort || !*sort) {
        //  The legacy ?order=quota|used_quota|request_count.
        if (order && (streq (order, "quota") || streq (order, "used_quota")
                   || streq (order, "request_count")))
            clause = oa_api_order (req, order, "desc", s_user_sorts);
    }
    if (!clause)
        clause = oa_api_order (req, sort, order, s_user_sorts);
    oa_api_param_t param = { .i = OA_USER_STATUS_DELETED };
    json_t *rows = oa_api_select (app, oa_api_user_view, "FROM \"users\" WHERE \"status\" != $1",
                                  &param, 1, clause, limit, offset);
    int64_t total = rows? oa_api_count (app, "FROM \"users\" WHERE \"status\" != $1", &param, 1)
                        : -1;
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "get all users");
        return;
    }
    oa_api_ok_total (res, rows, total);
}

void
oa_api_users_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    const char *keyword = oa_api_arg (req, "keyword");
    keyword = keyword? keyword: "";
    const char *clause = oa_api_order (req, oa_api_arg (req, "sort"), oa_api_arg (req, "order"),
                                       s_user_sorts);
    char *like = zsys_sprintf ("%s%%", keyword);
    oa_api_param_t params [] = { { true, oa_api_is_uuid (keyword)? keyword: like, 0 } };
    json_t *rows = oa_api_select (app, oa_api_user_view, oa_api_is_uuid (keyword)
                                  ? "FROM \"users\" WHERE \"uuid\" = $1"
                                  : "FROM \"users\" WHERE \"username\" LIKE $1 OR "
                                    "\"email\" LIKE $1 OR \"display_name\" LIKE $1",
                                  params, 1, clause, -1, 0);
    zstr_free (&like);
    if (rows)
        oa_api_ok (res, rows);
    else
        oa_api_fail_store (app, res, "search users");
}

//  Loads the user a route names, for an admin acting on it.  Returns the
//  user (caller destroys) or NULL with the answer in res.
static oa_user_t *
s_target (oa_api_app_t *app, oa_api_res_t *res, const char *ref)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "users", ref, &id) != 1)
        return NULL;
    oa_user_t *user = NULL;
    int rc = oa_store_user_by_id (oa_api_store (app), id, &user);
    if (rc < 0)
        oa_api_fail_store (app, res, "get user");
    else
    if (rc == 0)
        oa_api_fail (res, 200, OA_API_REF_NOT_FOUND);
    return user;
}

void
oa_api_user_get (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_user_t *user = s_target (app, res, req->param);
    if (!user)
        return;
    if (req->user->role <= user->role && req->user->role != OA_ROLE_ROOT)
        oa_api_fail (res, 200, "No permission to get information of users at the same level "
                     "or higher");
    else
        s_answer_user (app, res, user->id);
    oa_user_destroy (&user);
}

static const oa_api_field_t s_create_fields [] = {
    { "username", OA_API_GO_STRING }, { "password", OA_API_GO_STRING },
    { "display_name", OA_API_GO_STRING }, { "email", OA_API_GO_STRING },
    { "role", OA_API_GO_INT }, { "quota", OA_API_GO_INT64 }, { "group", OA_API_GO_STRING },
    { NULL, OA_API_GO_ANY }
};

void
oa_api_user_create (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "dto.UserCreateRequest", s_create_fields, false,
                                  error, sizeof error);
    const char *username = oa_api_str (body, "username", "");
    const char *password = oa_api_str (body, "password", "");
    const char *display = oa_api_str (body, "display_name", "");
    char *trimmed_name = oa_api_trim (username);
    char *trimmed_display = oa_api_trim (display);
    size_t password_runes = oa_api_runes (password);
    if (!body || !*username || !*password)
        oa_api_fail (res, 200, OA_API_INVALID_PARAMETER);
    else
    if (oa_api_runes (username) > 30 || password_runes < 8 || password_runes > 20
    ||  oa_api_runes (display) > 20 || oa_api_runes (oa_api_str (body, "email", "")) > 50)
        oa_api_fail (res, 200, OA_API_INVALID_INPUT);
    else
    if (!*trimmed_name)
        oa_api_fail (res, 200, "Username cannot be empty");
    else
    if (*display && !*trimmed_display)
        oa_api_fail (res, 200, "Display name cannot be empty if provided");
    else
    if (oa_api_int (body, "role", 0) >= req->user->role)
        oa_api_fail (res, 200, "Unable to create users with permissions greater than or equal "
                     "to your own");
    else {
        oa_user_t *user = oa_user_new ();
        oa_record_set (&user->username, username);
        oa_record_set (&user->display_name, *display? display: username);
        oa_record_set (&user->email, oa_api_str (body, "email", ""));
        int rc = oa_api_user_insert (app, user, password, 0);
        if (rc == -2)
            oa_api_fail (res, 200, OA_API_USERNAME_TAKEN);
        else
        if (rc < 0)
            oa_api_fail_store (app, res, "failed to create user");
        else {
            //  one-api applies quota and group after the insert.
            int64_t quota = oa_api_int (body, "quota", 0);
            const char *group = oa_api_str (body, "group", "");
            oa_api_param_t params [] = { { .i = quota }, { true, group, 0 }, { .i = user->id } };
            if (quota > 0 || *group) {
                if (oa_api_exec (app, "UPDATE \"users\" SET \"quota\" = CASE WHEN $1 > 0 THEN $1 "
                                 "ELSE \"quota\" END, \"group\" = CASE WHEN $2 <> '' THEN $2 "
                                 "ELSE \"group\" END WHERE \"id\" = $3", params, 3, NULL) < 0)
                    oa_log_error ("api", "admin overrides on created user %" PRId64 " failed",
                                  user->id);
                oa_api_publish_id (app, "users", user->id);
            }
            oa_api_ok (res, NULL);
        }
        oa_user_destroy (&user);
    }
    free (trimmed_name);
    free (trimmed_display);
    json_decref (body);
}

void
oa_api_user_delete (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_user_t *user = s_target (app, res, req->param);
    if (!user)
        return;
    if (req->user->role <= user->role)
        oa_api_fail (res, 200, "No permission to delete users with the same permission level "
                     "or higher permission level");
    else
    if (s_soft_delete (app, user->id) < 0)
        oa_api_fail_store (app, res, "failed to delete user");
    else
        oa_api_ok (res, NULL);
    oa_user_destroy (&user);
}

static const oa_api_field_t s_manage_fields [] = {
    { "username", OA_API_GO_STRING }, { "action", OA_API_GO_STRING }, { NULL, OA_API_GO_ANY }
};

void
oa_api_user_manage (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "controller.ManageRequest", s_manage_fields, false,
                                  error, sizeof error);
    if (!body) {
        oa_api_fail (res, 200, OA_API_INVALID_PARAMETER);
        return;
    }
    const char *username = oa_api_str (body, "username", "");
    const char *action = oa_api_str (body, "action", "");
    oa_user_t *user = NULL;
    int rc = *username? oa_store_user_by_username (oa_api_store (app), username, &user): 0;
    int my_role = (int) req->user->role;
    int64_t status = user? user->status: 0;
    int64_t role = user? user->role: 0;
    const char *refusal = NULL;
    if (rc < 0) {
        oa_api_fail_store (app, res, "get user");
        goto done;
    }
    if (!user)
        refusal = "User does not exist";
    else
    if (my_role <= role && my_role != OA_ROLE_ROOT)
        refusal = "No permission to update user information with the same permission level or "
                  "higher permission level";
    else
    if (streq (action, "disable")) {
        status = OA_STATUS_DISABLED;
        if (role == OA_ROLE_ROOT)
            refusal = "Unable to disable super administrator user";
    }
    else
    if (streq (action, "enable"))
        status = OA_STATUS_ENABLED;
    else
    if (streq (action, "delete")) {
        if (role == OA_ROLE_ROOT)
            refusal = "Unable to delete super administrator user";
        status = OA_USER_STATUS_DELETED;
    }
    else
    if (streq (action, "promote")) {
        if (my_role != OA_ROLE_ROOT)
            refusal = "Ordinary administrator users cannot promote other users to administrators";
        else
        if (role >= OA_ROLE_ADMIN)
            refusal = "The user is already an administrator";
        role = OA_ROLE_ADMIN;
    }
    else
    if (streq (action, "demote")) {
        if (role == OA_ROLE_ROOT)
            refusal = "Unable to downgrade super administrator user";
        else
        if (role == OA_ROLE_COMMON)
            refusal = "The user is already an ordinary user";
        role = OA_ROLE_COMMON;
    }
    if (refusal) {
        oa_api_fail (res, 200, "%s", refusal);
        goto done;
    }
    if (status == OA_USER_STATUS_DELETED)
        rc = s_soft_delete (app, user->id);
    else {
        oa_api_param_t params [] = { { .i = status }, { .i = role }, { .i = oa_clock_ms () },
                                     { .i = user->id } };
        rc = oa_api_exec (app, "UPDATE \"users\" SET \"status\" = $1, \"role\" = $2, "
                          "\"updated_at\" = $3 WHERE \"id\" = $4", params, 4, NULL) < 0? -1: 0;
        if (rc == 0)
            oa_api_publish_id (app, "users", user->id);
    }
    if (rc < 0)
        oa_api_fail_store (app, res, "failed to update user");
    else
        //  one-api answers a user with only role and status set.
        oa_api_ok (res, json_pack ("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, "
                                   "s:i, s:i, s:s, s:s, s:n, s:[], s:{}, s:i, s:i}",
                                   "uuid", "", "username", "", "display_name", "",
                                   "role", (json_int_t) role, "status", (json_int_t) status,
                                   "email", "", "github_id", "", "wechat_id", "", "lark_id", "",
                                   "oidc_id", "", "quota", 0, "used_quota", 0,
                                   "request_count", 0, "group", "", "aff_code", "",
                                   "inviter_uuid", "mcp_tool_blacklist", "metadata",
                                   "created_at", 0, "updated_at", 0));
done:
    oa_user_destroy (&user);
    json_decref (body);
}
