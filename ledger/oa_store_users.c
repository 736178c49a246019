/*  =========================================================================
    oa_store_users - typed store helpers for users and options

    Column order is fixed by S_USER_COLUMNS: the binder writes $1..$24 in
    that order and the reader expects "id" first, then the same order.
    =========================================================================
*/
#include "oa_records.h"

#include "oa_ids.h"

#define S_USER_COLUMNS \
    "\"uuid\", \"username\", \"password\", \"display_name\", \"role\", \"status\", " \
    "\"email\", \"github_id\", \"wechat_id\", \"lark_id\", \"oidc_id\", \"access_token\", " \
    "\"totp_secret\", \"quota\", \"used_quota\", \"request_count\", \"group\", \"aff_code\", " \
    "\"inviter_id\", \"inviter_uuid\", \"mcp_tool_blacklist\", \"metadata\", " \
    "\"created_at\", \"updated_at\""
#define S_USER_SELECT "SELECT \"id\", " S_USER_COLUMNS " FROM \"users\" "

static oa_user_t *
s_read_user (oa_stmt_t *stmt)
{
    oa_user_t *user = (oa_user_t *) zmalloc (sizeof (oa_user_t));
    user->id = oa_stmt_int64 (stmt, 0);
    user->uuid = oa_stmt_dup_char (stmt, 1);
    user->username = oa_stmt_dup_text (stmt, 2);
    user->password = oa_stmt_dup_text (stmt, 3);
    user->display_name = oa_stmt_dup_text (stmt, 4);
    user->role = oa_stmt_int64 (stmt, 5);
    user->status = oa_stmt_int64 (stmt, 6);
    user->email = oa_stmt_dup_text (stmt, 7);
    user->github_id = oa_stmt_dup_text (stmt, 8);
    user->wechat_id = oa_stmt_dup_text (stmt, 9);
    user->lark_id = oa_stmt_dup_text (stmt, 10);
    user->oidc_id = oa_stmt_dup_text (stmt, 11);
    user->access_token = oa_stmt_dup_char (stmt, 12);
    user->totp_secret = oa_stmt_dup_text (stmt, 13);
    user->quota = oa_stmt_int64 (stmt, 14);
    user->used_quota = oa_stmt_int64 (stmt, 15);
    user->request_count = oa_stmt_int64 (stmt, 16);
    user->group = oa_stmt_dup_text (stmt, 17);
    user->aff_code = oa_stmt_dup_text (stmt, 18);
    user->inviter_id = oa_stmt_int64 (stmt, 19);
    user->inviter_uuid = oa_stmt_dup_char (stmt, 20);
    user->mcp_tool_blacklist = oa_stmt_dup_text (stmt, 21);
    user->metadata = oa_stmt_dup_text (stmt, 22);
    user->created_at = oa_stmt_int64 (stmt, 23);
    user->updated_at = oa_stmt_int64 (stmt, 24);
    return user;
}

static void
s_bind_user (oa_stmt_t *stmt, const oa_user_t *user)
{
    oa_stmt_bind_text (stmt, 1, user->uuid);
    oa_stmt_bind_text (stmt, 2, user->username);
    oa_stmt_bind_text (stmt, 3, user->password);
    oa_stmt_bind_text (stmt, 4, user->display_name);
    oa_stmt_bind_int64 (stmt, 5, user->role);
    oa_stmt_bind_int64 (stmt, 6, user->status);
    oa_stmt_bind_text (stmt, 7, user->email);
    oa_stmt_bind_text (stmt, 8, user->github_id);
    oa_stmt_bind_text (stmt, 9, user->wechat_id);
    oa_stmt_bind_text (stmt, 10, user->lark_id);
    oa_stmt_bind_text (stmt, 11, user->oidc_id);
    oa_stmt_bind_text (stmt, 12, user->access_token);
    oa_stmt_bind_text (stmt, 13, user->totp_secret);
    oa_stmt_bind_int64 (stmt, 14, user->quota);
    oa_stmt_bind_int64 (stmt, 15, user->used_quota);
    oa_stmt_bind_int64 (stmt, 16, user->request_count);
    oa_stmt_bind_text (stmt, 17, user->group);
    oa_stmt_bind_text (stmt, 18, user->aff_code);
    oa_stmt_bind_int64 (stmt, 19, user->inviter_id);
    oa_stmt_bind_text (stmt, 20, user->inviter_uuid);
    oa_stmt_bind_text (stmt, 21, user->mcp_tool_blacklist);
    oa_stmt_bind_text (stmt, 22, user->metadata);
    oa_stmt_bind_int64 (stmt, 23, user->created_at);
    oa_stmt_bind_int64 (stmt, 24, user->updated_at);
}

//  Runs a prepared single-row lookup; the statement is reset afterwards so
//  SQLite releases its read snapshot.
static int
s_lookup (oa_stmt_t *stmt, oa_user_t **user_p)
{
    assert (user_p);
    *user_p = NULL;
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        *user_p = s_read_user (stmt);
    oa_stmt_reset (stmt);
    return rc;
}

int
oa_store_user_by_id (oa_store_t *store, int64_t id, oa_user_t **user_p)
{
    oa_stmt_t *stmt = oa_store_prepare (store, S_USER_SELECT "WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, id);
    return s_lookup (stmt, user_p);
}

int
oa_store_user_by_username (oa_store_t *store, const char *username, oa_user_t **user_p)
{
    oa_stmt_t *stmt = oa_store_prepare (store, S_USER_SELECT "WHERE \"username\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, username);
    return s_lookup (stmt, user_p);
}

int
oa_store_user_by_access_token (oa_store_t *store, const char *access_token, oa_user_t **user_p)
{
    *user_p = NULL;
    if (!access_token || !*access_token)
        return 0;               //  an empty token matches nobody, even a NULL column
    oa_stmt_t *stmt = oa_store_prepare (store, S_USER_SELECT "WHERE \"access_token\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, access_token);
    return s_lookup (stmt, user_p);
}

int
oa_store_user_insert (oa_store_t *store, oa_user_t *user)
{
    if (!user->uuid) {
        user->uuid = (char *) malloc (OA_UUID_SIZE);
        oa_uuid_new (user->uuid);
    }
    int64_t now = oa_clock_ms ();
    if (!user->created_at)
        user->created_at = now;
    if (!user->updated_at)
        user->updated_at = now;
    oa_stmt_t *stmt = oa_store_prepare (store,
        "INSERT INTO \"users\" (" S_USER_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) "
        "RETURNING \"id\"");
    if (!stmt)
        return -1;
    s_bind_user (stmt, user);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        user->id = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    return rc == 1? 0: -1;
}

int
oa_store_user_update (oa_store_t *store, oa_user_t *user)
{
    user->updated_at = oa_clock_ms ();
    oa_stmt_t *stmt = oa_store_prepare (store,
        "UPDATE \"users\" SET \"uuid\" = $1, \"username\" = $2, \"password\" = $3, "
        "\"display_name\" = $4, \"role\" = $5, \"status\" = $6, \"email\" = $7, "
        "\"github_id\" = $8, \"wechat_id\" = $9, \"lark_id\" = $10, \"oidc_id\" = $11, "
        "\"access_token\" = $12, \"totp_secret\" = $13, \"quota\" = $14, \"used_quota\" = $15, "
        "\"request_count\" = $16, \"group\" = $17, \"aff_code\" = $18, \"inviter_id\" = $19, "
        "\"inviter_uuid\" = $20, \"mcp_tool_blacklist\" = $21, \"metadata\" = $22, "
        "\"created_at\" = $23, \"updated_at\" = $24 WHERE \"id\" = $25");
    if (!stmt)
        return -1;
    s_bind_user (stmt, user);
    oa_stmt_bind_int64 (stmt, 25, user->id);
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

int
oa_store_user_delete (oa_store_t *store, int64_t id)
{
    oa_stmt_t *stmt = oa_store_prepare (store, "DELETE FROM \"users\" WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, id);
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

static void
s_user_destructor (void **item)
{
    oa_user_destroy ((oa_user_t **) item);
}

zlistx_t *
oa_store_users_list (oa_store_t *store, int64_t offset, int64_t limit)
{
    oa_stmt_t *stmt = oa_store_prepare (store,
        S_USER_SELECT "ORDER BY \"id\" DESC LIMIT $1 OFFSET $2");
    if (!stmt)
        return NULL;
    oa_stmt_bind_int64 (stmt, 1, limit);
    oa_stmt_bind_int64 (stmt, 2, offset);
    zlistx_t *list = zlistx_new ();
    zlistx_set_destructor (list, s_user_destructor);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1)
        zlistx_add_end (list, s_read_user (stmt));
    oa_stmt_reset (stmt);
    if (rc != 0)
        zlistx_destroy (&list);
    return list;
}

int64_t
oa_store_user_count (oa_store_t *store)
{
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT COUNT(*) FROM \"users\"");
    if (!stmt)
        return -1;
    int rc = oa_stmt_step (stmt);
    int64_t count = rc == 1? oa_stmt_int64 (stmt, 0): -1;
    oa_stmt_reset (stmt);
    return count;
}

//  --------------------------------------------------------------------------
//  Options

int
oa_store_option_get (oa_store_t *store, const char *key, char **value_p)
{
    assert (value_p);
    *value_p = NULL;
    oa_stmt_t *stmt = oa_store_prepare (store,
        "SELECT \"value\" FROM \"options\" WHERE \"key\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, key);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        *value_p = oa_stmt_dup_text (stmt, 0);
    oa_stmt_reset (stmt);
    return rc;
}

int
oa_store_option_set (oa_store_t *store, const char *key, const char *value)
{
    oa_stmt_t *stmt = oa_store_prepare (store,
        "INSERT INTO \"options\" (\"key\", \"value\", \"created_at\", \"updated_at\") "
        "VALUES ($1, $2, $3, $3) ON CONFLICT (\"key\") DO UPDATE "
        "SET \"value\" = excluded.\"value\", \"updated_at\" = excluded.\"updated_at\"");
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, key);
    oa_stmt_bind_text (stmt, 2, value);
    oa_stmt_bind_int64 (stmt, 3, oa_clock_ms ());
    return oa_stmt_exec (stmt);
}

static void
s_free_text (void **item)
{
    free (*item);
    *item = NULL;
}

zhashx_t *
oa_store_options_all (oa_store_t *store)
{
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT \"key\", \"value\" FROM \"options\"");
    if (!stmt)
        return NULL;
    zhashx_t *options = zhashx_new ();
    zhashx_set_destructor (options, s_free_text);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1) {
        const char *key = oa_stmt_text (stmt, 0);
        const char *value = oa_stmt_text (stmt, 1);
        if (key)
            zhashx_update (options, key, strdup (value? value: ""));
    }
    oa_stmt_reset (stmt);
    if (rc != 0)
        zhashx_destroy (&options);
    return options;
}
