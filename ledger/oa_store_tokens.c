/*  =========================================================================
    oa_store_tokens - typed store helpers for tokens (relay keys)

    Keys are stored as one-api stores them: without the sk- prefix; the
    caller strips prefixes before a lookup.  Column order is fixed by
    S_TOKEN_COLUMNS ($1..$16; the reader expects "id" first).
    =========================================================================
*/
#include "oa_records.h"

#include "oa_ids.h"

#define S_TOKEN_COLUMNS \
    "\"uuid\", \"user_id\", \"user_uuid\", \"key\", \"status\", \"name\", " \
    "\"created_time\", \"accessed_time\", \"expired_time\", \"remain_quota\", " \
    "\"unlimited_quota\", \"used_quota\", \"created_at\", \"updated_at\", \"models\", \"subnet\""
#define S_TOKEN_SELECT "SELECT \"id\", " S_TOKEN_COLUMNS " FROM \"tokens\" "

static oa_token_t *
s_read_token (oa_stmt_t *stmt)
{
    oa_token_t *token = (oa_token_t *) zmalloc (sizeof (oa_token_t));
    token->id = oa_stmt_int64 (stmt, 0);
    token->uuid = oa_stmt_dup_char (stmt, 1);
    token->user_id = oa_stmt_int64 (stmt, 2);
    token->user_uuid = oa_stmt_dup_char (stmt, 3);
    token->key = oa_stmt_dup_char (stmt, 4);
    token->status = oa_stmt_int64 (stmt, 5);
    token->name = oa_stmt_dup_text (stmt, 6);
    token->created_time = oa_stmt_int64 (stmt, 7);
    token->accessed_time = oa_stmt_int64 (stmt, 8);
    token->expired_time = oa_stmt_int64 (stmt, 9);
    token->remain_quota = oa_stmt_int64 (stmt, 10);
    token->unlimited_quota = oa_stmt_bool (stmt, 11);
    token->used_quota = oa_stmt_int64 (stmt, 12);
    token->created_at = oa_stmt_int64 (stmt, 13);
    token->updated_at = oa_stmt_int64 (stmt, 14);
    token->models = oa_stmt_dup_text (stmt, 15);
    token->subnet = oa_stmt_dup_text (stmt, 16);
    return token;
}

static void
s_bind_token (oa_stmt_t *stmt, const oa_token_t *token)
{
    oa_stmt_bind_text (stmt, 1, token->uuid);
    oa_stmt_bind_int64 (stmt, 2, token->user_id);
    oa_stmt_bind_text (stmt, 3, token->user_uuid);
    oa_stmt_bind_text (stmt, 4, token->key);
    oa_stmt_bind_int64 (stmt, 5, token->status);
    oa_stmt_bind_text (stmt, 6, token->name);
    oa_stmt_bind_int64 (stmt, 7, token->created_time);
    oa_stmt_bind_int64 (stmt, 8, token->accessed_time);
    oa_stmt_bind_int64 (stmt, 9, token->expired_time);
    oa_stmt_bind_int64 (stmt, 10, token->remain_quota);
    oa_stmt_bind_bool (stmt, 11, token->unlimited_quota);
    oa_stmt_bind_int64 (stmt, 12, token->used_quota);
    oa_stmt_bind_int64 (stmt, 13, token->created_at);
    oa_stmt_bind_int64 (stmt, 14, token->updated_at);
    oa_stmt_bind_text (stmt, 15, token->models);
    oa_stmt_bind_text (stmt, 16, token->subnet);
}

static int
s_lookup (oa_stmt_t *stmt, oa_token_t **token_p)
{
    assert (token_p);
    *token_p = NULL;
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        *token_p = s_read_token (stmt);
    oa_stmt_reset (stmt);
    return rc;
}

int
oa_store_token_by_id (oa_store_t *store, int64_t id, oa_token_t **token_p)
{
    oa_stmt_t *stmt = oa_store_prepare (store, S_TOKEN_SELECT "WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, id);
    return s_lookup (stmt, token_p);
}

int
oa_store_token_by_key (oa_store_t *store, const char *key, oa_token_t **token_p)
{
    *token_p = NULL;
    if (!key || !*key)
        return 0;
    oa_stmt_t *stmt = oa_store_prepare (store, S_TOKEN_SELECT "WHERE \"key\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, key);
    return s_lookup (stmt, token_p);
}

int
oa_store_token_insert (oa_store_t *store, oa_token_t *token)
{
    if (!token->uuid) {
        token->uuid = (char *) malloc (OA_UUID_SIZE);
        oa_uuid_new (token->uuid);
    }
    int64_t now = oa_clock_ms ();
    if (!token->created_at)
        token->created_at = now;
    if (!token->updated_at)
        token->updated_at = now;
    oa_stmt_t *stmt = oa_store_prepare (store,
        "INSERT INTO \"tokens\" (" S_TOKEN_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10, $11, $12, $13, $14, $15, $16) RETURNING \"id\"");
    if (!stmt)
        return -1;
    s_bind_token (stmt, token);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        token->id = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    return rc == 1? 0: -1;
}

int
oa_store_token_update (oa_store_t *store, oa_token_t *token)
{
    token->updated_at = oa_clock_ms ();
    oa_stmt_t *stmt = oa_store_prepare (store,
        "UPDATE \"tokens\" SET \"uuid\" = $1, \"user_id\" = $2, \"user_uuid\" = $3, "
        "\"key\" = $4, \"status\" = $5, \"name\" = $6, \"created_time\" = $7, "
        "\"accessed_time\" = $8, \"expired_time\" = $9, \"remain_quota\" = $10, "
        "\"unlimited_quota\" = $11, \"used_quota\" = $12, \"created_at\" = $13, "
        "\"updated_at\" = $14, \"models\" = $15, \"subnet\" = $16 WHERE \"id\" = $17");
    if (!stmt)
        return -1;
    s_bind_token (stmt, token);
    oa_stmt_bind_int64 (stmt, 17, token->id);
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

int
oa_store_token_delete (oa_store_t *store, int64_t id)
{
    oa_stmt_t *stmt = oa_store_prepare (store, "DELETE FROM \"tokens\" WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, id);
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

static void
s_token_destructor (void **item)
{
    oa_token_destroy ((oa_token_t **) item);
}

zlistx_t *
oa_store_tokens_list (oa_store_t *store, int64_t user_id, int64_t offset, int64_t limit)
{
    //  One statement for both cases: $1 <= 0 means every user.
    oa_stmt_t *stmt = oa_store_prepare (store,
        S_TOKEN_SELECT "WHERE (CAST($1 AS bigint) <= 0 OR \"user_id\" = $1) "
        "ORDER BY \"id\" DESC LIMIT $2 OFFSET $3");
    if (!stmt)
        return NULL;
    oa_stmt_bind_int64 (stmt, 1, user_id);
    oa_stmt_bind_int64 (stmt, 2, limit);
    oa_stmt_bind_int64 (stmt, 3, offset);
    zlistx_t *list = zlistx_new ();
    zlistx_set_destructor (list, s_token_destructor);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1)
        zlistx_add_end (list, s_read_token (stmt));
    oa_stmt_reset (stmt);
    if (rc != 0)
        zlistx_destroy (&list);
    return list;
}
