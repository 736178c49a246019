/*  =========================================================================
    oa_store_users - typed store helpers for users and options

    The columns of users are described once, in s_columns; the SQL and
    the binding come from that table (oa_store_rows.c).
    =========================================================================
*/
#include "oa_records.h"

#include "oa_ids.h"
#include "oa_store_rows.h"

static const oa_store_column_t s_columns [] = {
    { "uuid", OA_STORE_COL_CHAR, offsetof (oa_user_t, uuid) },
    { "username", OA_STORE_COL_TEXT, offsetof (oa_user_t, username) },
    { "password", OA_STORE_COL_TEXT, offsetof (oa_user_t, password) },
    { "display_name", OA_STORE_COL_TEXT, offsetof (oa_user_t, display_name) },
    { "role", OA_STORE_COL_INT64, offsetof (oa_user_t, role) },
    { "status", OA_STORE_COL_INT64, offsetof (oa_user_t, status) },
    { "email", OA_STORE_COL_TEXT, offsetof (oa_user_t, email) },
    { "github_id", OA_STORE_COL_TEXT, offsetof (oa_user_t, github_id) },
    { "wechat_id", OA_STORE_COL_TEXT, offsetof (oa_user_t, wechat_id) },
    { "lark_id", OA_STORE_COL_TEXT, offsetof (oa_user_t, lark_id) },
    { "oidc_id", OA_STORE_COL_TEXT, offsetof (oa_user_t, oidc_id) },
    { "access_token", OA_STORE_COL_CHAR, offsetof (oa_user_t, access_token) },
    { "totp_secret", OA_STORE_COL_TEXT, offsetof (oa_user_t, totp_secret) },
    { "quota", OA_STORE_COL_INT64, offsetof (oa_user_t, quota) },
    { "used_quota", OA_STORE_COL_INT64, offsetof (oa_user_t, used_quota) },
    { "request_count", OA_STORE_COL_INT64, offsetof (oa_user_t, request_count) },
    { "group", OA_STORE_COL_TEXT, offsetof (oa_user_t, group) },
    { "aff_code", OA_STORE_COL_TEXT, offsetof (oa_user_t, aff_code) },
    { "inviter_id", OA_STORE_COL_INT64, offsetof (oa_user_t, inviter_id) },
    { "inviter_uuid", OA_STORE_COL_CHAR, offsetof (oa_user_t, inviter_uuid) },
    { "mcp_tool_blacklist", OA_STORE_COL_TEXT, offsetof (oa_user_t, mcp_tool_blacklist) },
    { "metadata", OA_STORE_COL_TEXT, offsetof (oa_user_t, metadata) },
    { "created_at", OA_STORE_COL_INT64, offsetof (oa_user_t, created_at) },
    { "updated_at", OA_STORE_COL_INT64, offsetof (oa_user_t, updated_at) },
};

static void
s_destroy (void **item)
{
    oa_user_destroy ((oa_user_t **) item);
}

static const oa_store_entity_t s_entity = {
    "users", sizeof (oa_user_t), s_columns, sizeof s_columns / sizeof s_columns [0],
    offsetof (oa_user_t, id), offsetof (oa_user_t, uuid), offsetof (oa_user_t, created_at),
    offsetof (oa_user_t, updated_at), s_destroy
};

//  Runs a single-row lookup by column.
static int
s_find (oa_store_t *store, const char *column, int64_t value, const char *text,
        oa_user_t **user_p)
{
    return oa_store_row_find (store, &s_entity, column, value, text, (void **) user_p);
}

int
oa_store_user_by_id (oa_store_t *store, int64_t id, oa_user_t **user_p)
{
    return s_find (store, "id", id, NULL, user_p);
}

int
oa_store_user_by_username (oa_store_t *store, const char *username, oa_user_t **user_p)
{
    if (!username) {
        *user_p = NULL;
        return 0;               //  "= NULL" matches nothing
    }
    return s_find (store, "username", 0, username, user_p);
}

int
oa_store_user_by_access_token (oa_store_t *store, const char *access_token, oa_user_t **user_p)
{
    *user_p = NULL;
    if (!access_token || !*access_token)
        return 0;               //  an empty token matches nobody, even a NULL column
    return s_find (store, "access_token", 0, access_token, user_p);
}

int
oa_store_user_insert (oa_store_t *store, oa_user_t *user)
{
    return oa_store_row_insert (store, &s_entity, user);
}

int
oa_store_user_update (oa_store_t *store, oa_user_t *user)
{
    return oa_store_row_update (store, &s_entity, user);
}

int
oa_store_user_delete (oa_store_t *store, int64_t id)
{
    return oa_store_row_delete (store, &s_entity, id);
}

zlistx_t *
oa_store_users_list (oa_store_t *store, int64_t offset, int64_t limit)
{
    int64_t params [] = { limit, offset };
    return oa_store_rows_list (store, &s_entity, "ORDER BY \"id\" DESC LIMIT $1 OFFSET $2",
                               params, 2);
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
