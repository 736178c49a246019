/*  =========================================================================
    oa_api_users_admin - creating users, the admin's field-by-field user
    update (PUT /api/user/), and the admin top-up (POST /api/topup)

    Writes name only the columns they change: billing updates quota,
    used_quota and request_count from the ledger actor at the same time, so
    a whole-row write from here would undo its work.
    =========================================================================
*/
#include "oa_api_private.h"

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_password.h"

//  Generates one-api's 48-character relay key (random.GenerateKey): 16
//  random characters, then a uuid's 32 hex digits with letters at even
//  positions upper-cased.  out holds 49 bytes.
static void
s_token_key (char *out)
{
    oa_random_key (out, 16);
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    size_t size = 16;
    int index = 0;
    for (const char *c = uuid; *c; c++) {
        if (*c == '-')
            continue;
        char digit = *c;
        if (index % 2 == 0 && digit >= 'a' && digit <= 'z')
            digit = (char) (digit - 'a' + 'A');
        out [size++] = digit;
        index++;
    }
    out [size] = 0;
}

int
oa_api_user_insert (oa_api_app_t *app, oa_user_t *user, const char *password, int64_t inviter_id)
{
    oa_store_t *store = oa_api_store (app);
    oa_user_t *existing = NULL;
    int rc = oa_store_user_by_username (store, user->username, &existing);
    oa_user_destroy (&existing);
    if (rc != 0)
        return rc > 0? -2: -1;
    free (user->password);
    user->password = oa_password_hash (password);
    if (!user->password)
        return -1;
    user->quota = oa_api_option_int (app, "QuotaForNewUser", 0);
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    free (user->access_token);
    user->access_token = (char *) zmalloc (33);
    for (size_t from = 0, to = 0; uuid [from] && to < 32; from++)
        if (uuid [from] != '-')
            user->access_token [to++] = uuid [from];
    free (user->aff_code);
    user->aff_code = (char *) zmalloc (5);
    oa_random_key (user->aff_code, 4);
    if (inviter_id > 0) {
        oa_user_t *inviter = NULL;
        if (oa_store_user_by_id (store, inviter_id, &inviter) == 1)
            oa_record_set (&user->inviter_uuid, inviter->uuid);
        oa_user_destroy (&inviter);
    }
    if (oa_store_user_insert (store, user) != 0)
        return oa_store_errcode (store) == OA_STORE_ERR_UNIQUE? -2: -1;
    if (user->quota > 0) {
        char *amount = oa_api_log_quota (app, user->quota);
        char *text = zsys_sprintf ("New user registration gift %s", amount);
        oa_api_log (app, user->id, 4, text, 0);
        zstr_free (&text);
        free (amount);
    }
    if (inviter_id > 0) {
        int64_t for_invitee = oa_api_option_int (app, "QuotaForInvitee", 0);
        int64_t for_inviter = oa_api_option_int (app, "QuotaForInviter", 0);
        struct { int64_t id; int64_t quota; const char *format; } gifts [] = {
            { user->id, for_invitee, "Gifted %s for using invitation code" },
            { inviter_id, for_inviter, "Gifted %s for inviting user" }
        };
        for (int index = 0; index < 2; index++) {
            if (gifts [index].quota <= 0)
                continue;
            oa_api_param_t params [] = { { .i = gifts [index].quota }, { .i = gifts [index].id } };
            oa_api_exec (app, "UPDATE \"users\" SET \"quota\" = \"quota\" + $1 WHERE \"id\" = $2",
                         params, 2, NULL);
            char *amount = oa_api_log_quota (app, gifts [index].quota);
            char *text = zsys_sprintf (gifts [index].format, amount);
            oa_api_log (app, gifts [index].id, 4, text, 0);
            zstr_free (&text);
            free (amount);
            if (gifts [index].id == inviter_id)
                oa_api_publish_id (app, "users", inviter_id);
        }
    }
    oa_api_publish_id (app, "users", user->id);
    //  The default token: unlimited, never expires (failure does not block).
    oa_token_t *token = oa_token_new ();
    token->key = (char *) zmalloc (49);
    s_token_key (token->key);
    token->user_id = user->id;
    oa_record_set (&token->user_uuid, user->uuid);
    oa_record_set (&token->name, "default");
    token->created_time = token->accessed_time = oa_clock_ms () / 1000;
    token->expired_time = -1;
    token->remain_quota = -1;
    token->unlimited_quota = true;
    if (oa_store_token_insert (store, token) == 0)
        oa_api_publish_id (app, "tokens", token->id);
    else
        oa_log_error ("api", "create default token for user %" PRId64 " failed: %s", user->id,
                      oa_store_error (store));
    oa_token_destroy (&token);
    return 0;
}

void
oa_api_new_token_key (char *out)
{
    s_token_key (out);
}

//  --------------------------------------------------------------------------
//  PUT /api/user/

//  One column assignment of the update being built.
typedef struct {
    char sql [1024];            //  "UPDATE users SET a = $1, b = $2"
    oa_api_param_t params [16]; //  values
    int count;                  //  values so far
    char *owned [16];           //  strings the params borrow
    int owned_count;            //  strings so far
} s_update_t;

static void
s_set_text (s_update_t *update, const char *column, char *value_p)
{
    update->owned [update->owned_count++] = value_p;
    update->params [update->count] = (oa_api_param_t) { true, value_p, 0 };
    update->count++;
    size_t used = strlen (update->sql);
    snprintf (update->sql + used, sizeof update->sql - used, "%s\"%s\" = $%d",
              update->count > 1? ", ": "", column, update->count);
}

static void
s_set_int (s_update_t *update, const char *column, int64_t value)
{
    update->params [update->count] = (oa_api_param_t) { .i = value };
    update->count++;
    size_t used = strlen (update->sql);
    snprintf (update->sql + used, sizeof update->sql - used, "%s\"%s\" = $%d",
              update->count > 1? ", ": "", column, update->count);
}

//  A string field: absent or null -> NULL (no change); *bad when not a string.
static const char *
s_field (json_t *body, const char *name, bool *bad)
{
    json_t *value = json_object_get (body, name);
    if (!value || json_is_null (value))
        return NULL;
    if (!json_is_string (value)) {
        *bad = true;
        return NULL;
    }
    return json_string_value (value);
}

//  An integer field of a Go *int: absent or null -> false.
static bool
s_int_field (json_t *body, const char *name, int64_t *out, bool *bad)
{
    json_t *value = json_object_get (body, name);
    if (!value || json_is_null (value))
        return false;
    if (!json_is_integer (value)) {
        *bad = true;
        return false;
    }
    *out = json_integer_value (value);
    return true;
}

void
oa_api_user_update (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    json_error_t parse_error;
    json_t *body = req->body? json_loadb (req->body, req->body_size, 0, &parse_error): NULL;
    bool bad = !json_is_object (body);
    const char *uuid = bad? NULL: s_field (body, "uuid", &bad);
    int64_t numeric = 0;
    bool has_id = !bad && s_int_field (body, "id", &numeric, &bad) && numeric > 0;
    if (bad) {
        json_decref (body);
        oa_api_fail (res, 200, OA_API_INVALID_PARAMETER);
        return;
    }
    char reference [32];
    snprintf (reference, sizeof reference, "%" PRId64, numeric);
    if ((!uuid || !*uuid) && !has_id) {
        json_decref (body);
        oa_api_fail (res, 200, OA_API_UUID_REQUIRED);
        return;
    }
    int64_t id = 0;
    oa_user_t *origin = NULL;
    if (oa_api_resolve (app, res, "users", uuid && *uuid? uuid: reference, &id) != 1
    ||  oa_store_user_by_id (oa_api_store (app), id, &origin) != 1) {
        if (!res->body)
            oa_api_fail (res, 200, OA_API_REF_NOT_FOUND);
        json_decref (body);
        return;
    }
    int my_role = (int) req->user->role;
    bool root = my_role == OA_ROLE_ROOT;
    s_update_t update;
    memset (&update, 0, sizeof update);
    strcpy (update.sql, "UPDATE \"users\" SET ");
    const char *refusal = NULL;
    const char *text;
    int64_t number = 0;
    json_t *meta = origin->metadata? json_loads (origin->metadata, 0, &parse_error): NULL;
    if (!json_is_object (meta)) {
        json_decref (meta);
        meta = json_object ();
    }
    bool quota_changed = false;
    if (my_role <= origin->role && !root)
        refusal = "No permission to update user information with the same permission level or "
                  "higher permission level";
    if (!refusal && json_is_null (json_object_get (body, "username")))
        refusal = "Username cannot be null";
    if (!refusal && (text = s_field (body, "username", &bad))) {
        char *name = oa_api_trim (text);
        size_t runes = oa_api_runes (name);
        if (!*name)
            refusal = "Username cannot be empty";
        else
        if (runes < 3 || runes > 30)
            refusal = "Username must be between 3 and 30 characters";
        if (refusal)
            free (name);
        else
            s_set_text (&update, "username", name);
    }
    if (!refusal && (text = s_field (body, "display_name", &bad))) {
        char *name = oa_api_trim (text);
        if (oa_api_runes (name) > 20) {
            refusal = "Display name cannot exceed 20 characters";
            free (name);
        }
        else
            s_set_text (&update, "display_name", name);
    }
    if (!refusal && (text = s_field (body, "email", &bad))) {
        char *email = oa_api_trim (text);
        const char *at = strchr (email, '@');
        if (oa_api_runes (email) > 50)
            refusal = "Email cannot exceed 50 characters";
        else
        if (*email && (!at || at == email || !strchr (at, '.') || strchr (email, ' ')))
            refusal = "Valid email is required";
        if (refusal)
            free (email);
        else
            s_set_text (&update, "email", email);
    }
    if (!refusal && (text = s_field (body, "group", &bad))) {
        char *group = oa_api_trim (text);
        if (!*group)
            refusal = "Group cannot be empty";
        else
        if (oa_api_runes (group) > 32)
            refusal = "Group cannot exceed 32 characters";
        if (refusal)
            free (group);
        else
            s_set_text (&update, "group", group);
    }
    json_t *blacklist = json_object_get (body, "mcp_tool_blacklist");
    if (!refusal && blacklist) {
        if (json_is_null (blacklist))
            s_set_text (&update, "mcp_tool_blacklist", NULL);
        else {
            bool strings = json_is_array (blacklist);
            size_t index;
            json_t *item;
            json_array_foreach (blacklist, index, item)
                strings = strings && json_is_string (item);
            if (strings)
                s_set_text (&update, "mcp_tool_blacklist", json_dumps (blacklist, JSON_COMPACT));
            else
                bad = true;
        }
    }
    if (!refusal && s_int_field (body, "quota", &number, &bad)) {
        if (number < 0)
            refusal = "Quota must be non-negative";
        else {
            s_set_int (&update, "quota", number);
            quota_changed = number != origin->quota;
        }
    }
    json_t *metadata = json_object_get (body, "metadata");
    if (!refusal && metadata && !json_is_null (metadata)) {
        json_t *locked = json_object_get (metadata, "password_locked");
        if (!json_is_object (metadata)
        ||  (locked && !json_is_boolean (locked) && !json_is_null (locked)))
            bad = true;
        else
        if (json_is_boolean (locked) && !root)
            refusal = "Only root admin can change password lock";
        else {
            if (json_is_boolean (locked))
                json_object_set (meta, "password_locked", locked);
            s_set_text (&update, "metadata", json_dumps (meta, JSON_COMPACT));
        }
    }
    if (!refusal && (text = s_field (body, "password", &bad))) {
        char *password = oa_api_trim (text);
        size_t runes = oa_api_runes (password);
        if (!*password)
            refusal = "Password cannot be empty";
        else
        if (json_is_true (json_object_get (meta, "password_locked")))
            refusal = "Password is locked for this user";
        else
        if (runes < 8 || runes > 20)
            refusal = "Password length must be between 8 and 20 characters";
        else
            s_set_text (&update, "password", oa_password_hash (password));
        free (password);
    }
    if (!refusal && s_int_field (body, "role", &number, &bad)) {
        if (my_role <= number && !root)
            refusal = "No permission to promote other users to a permission level greater than "
                      "or equal to your own";
        else
            s_set_int (&update, "role", number);
    }
    if (!refusal && s_int_field (body, "status", &number, &bad)) {
        if (number < OA_STATUS_ENABLED || number > OA_USER_STATUS_DELETED)
            refusal = "Invalid status provided";
        else
            s_set_int (&update, "status", number);
    }
    if (bad && !refusal)
        oa_api_fail (res, 200, OA_API_INVALID_PARAMETER);
    else
    if (refusal)
        oa_api_fail (res, 200, "%s", refusal);
    else
    if (update.count == 0)
        oa_api_ok (res, NULL);
    else {
        s_set_int (&update, "updated_at", oa_clock_ms ());
        size_t used = strlen (update.sql);
        snprintf (update.sql + used, sizeof update.sql - used, " WHERE \"id\" = $%d",
                  update.count + 1);
        update.params [update.count] = (oa_api_param_t) { .i = origin->id };
        oa_store_errcode_t code;
        if (oa_api_exec (app, update.sql, update.params, update.count + 1, &code) < 0) {
            if (code == OA_STORE_ERR_UNIQUE)
                oa_api_fail (res, 200, OA_API_USERNAME_TAKEN);
            else
                oa_api_fail_store (app, res, "failed to update user");
        }
        else {
            if (quota_changed) {
                //  number may hold role or status by now: read quota again.
                char *before = oa_api_log_quota (app, origin->quota);
                json_t *quota_now = json_object_get (body, "quota");
                char *after_text = oa_api_log_quota (app, json_integer_value (quota_now));
                char *content = zsys_sprintf ("Field quota changed from %s to %s (admin_id=%"
                                              PRId64 ")", before, after_text, req->user->id);
                oa_api_log (app, origin->id, 3, content, 0);
                zstr_free (&content);
                free (before);
                free (after_text);
            }
            oa_api_publish_id (app, "users", origin->id);
            oa_api_ok (res, NULL);
        }
    }
    for (int index = 0; index < update.owned_count; index++)
        free (update.owned [index]);
    json_decref (meta);
    oa_user_destroy (&origin);
    json_decref (body);
}

//  --------------------------------------------------------------------------
//  POST /api/topup

static const oa_api_field_t s_topup_fields [] = {
    { "user_id", OA_API_GO_INT }, { "user_uuid", OA_API_GO_STRING }, { "quota", OA_API_GO_INT },
    { "remark", OA_API_GO_STRING }, { NULL, OA_API_GO_ANY }
};

void
oa_api_topup (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "controller.adminTopUpRequest", s_topup_fields, false,
                                  error, sizeof error);
    if (!body) {
        oa_api_fail (res, 200, "%s", error);
        return;
    }
    const char *uuid = oa_api_str (body, "user_uuid", "");
    int64_t user_id = oa_api_int (body, "user_id", 0);
    char reference [32];
    snprintf (reference, sizeof reference, "%" PRId64, user_id);
    int64_t id = 0;
    if (!*uuid && user_id <= 0)
        oa_api_fail (res, 200, OA_API_UUID_REQUIRED);
    else
    if (oa_api_resolve (app, res, "users", *uuid? uuid: reference, &id) == 1) {
        int64_t quota = oa_api_int (body, "quota", 0);
        oa_api_param_t params [] = { { .i = quota }, { .i = id } };
        if (oa_api_exec (app, "UPDATE \"users\" SET \"quota\" = \"quota\" + $1 WHERE \"id\" = $2",
                         params, 2, NULL) < 0)
            oa_api_fail_store (app, res, "increase user quota");
        else {
            const char *remark = oa_api_str (body, "remark", "");
            char *amount = oa_api_log_quota (app, quota);
            char *content = *remark? zsys_sprintf ("%s", remark)
                                   : zsys_sprintf ("Recharged via API %s", amount);
            oa_api_log (app, id, 1, content, quota);
            zstr_free (&content);
            free (amount);
            oa_api_publish_id (app, "users", id);
            oa_api_ok (res, NULL);
        }
    }
    json_decref (body);
}
