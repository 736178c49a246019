/*  =========================================================================
    oa_store_tokens - typed store helpers for tokens (relay keys)

    Keys are stored as one-api stores them: without the sk- prefix; the
    caller strips prefixes before a lookup.  The columns are described
    once, in s_columns (oa_store_rows.c builds the SQL from them).
    =========================================================================
*/
#include "oa_records.h"

#include "oa_store_rows.h"

static const oa_store_column_t s_columns [] = {
    { "uuid", OA_STORE_COL_CHAR, offsetof (oa_token_t, uuid) },
    { "user_id", OA_STORE_COL_INT64, offsetof (oa_token_t, user_id) },
    { "user_uuid", OA_STORE_COL_CHAR, offsetof (oa_token_t, user_uuid) },
    { "key", OA_STORE_COL_CHAR, offsetof (oa_token_t, key) },
    { "status", OA_STORE_COL_INT64, offsetof (oa_token_t, status) },
    { "name", OA_STORE_COL_TEXT, offsetof (oa_token_t, name) },
    { "created_time", OA_STORE_COL_INT64, offsetof (oa_token_t, created_time) },
    { "accessed_time", OA_STORE_COL_INT64, offsetof (oa_token_t, accessed_time) },
    { "expired_time", OA_STORE_COL_INT64, offsetof (oa_token_t, expired_time) },
    { "remain_quota", OA_STORE_COL_INT64, offsetof (oa_token_t, remain_quota) },
    { "unlimited_quota", OA_STORE_COL_BOOL, offsetof (oa_token_t, unlimited_quota) },
    { "used_quota", OA_STORE_COL_INT64, offsetof (oa_token_t, used_quota) },
    { "created_at", OA_STORE_COL_INT64, offsetof (oa_token_t, created_at) },
    { "updated_at", OA_STORE_COL_INT64, offsetof (oa_token_t, updated_at) },
    { "models", OA_STORE_COL_TEXT, offsetof (oa_token_t, models) },
    { "subnet", OA_STORE_COL_TEXT, offsetof (oa_token_t, subnet) },
};

static void
s_destroy (void **item)
{
    oa_token_destroy ((oa_token_t **) item);
}

static const oa_store_entity_t s_entity = {
    "tokens", sizeof (oa_token_t), s_columns, sizeof s_columns / sizeof s_columns [0],
    offsetof (oa_token_t, id), offsetof (oa_token_t, uuid), offsetof (oa_token_t, created_at),
    offsetof (oa_token_t, updated_at), s_destroy
};

int
oa_store_token_by_id (oa_store_t *store, int64_t id, oa_token_t **token_p)
{
    return oa_store_row_find (store, &s_entity, "id", id, NULL, (void **) token_p);
}

int
oa_store_token_by_key (oa_store_t *store, const char *key, oa_token_t **token_p)
{
    *token_p = NULL;
    if (!key || !*key)
        return 0;
    return oa_store_row_find (store, &s_entity, "key", 0, key, (void **) token_p);
}

int
oa_store_token_insert (oa_store_t *store, oa_token_t *token)
{
    return oa_store_row_insert (store, &s_entity, token);
}

int
oa_store_token_update (oa_store_t *store, oa_token_t *token)
{
    return oa_store_row_update (store, &s_entity, token);
}

int
oa_store_token_delete (oa_store_t *store, int64_t id)
{
    return oa_store_row_delete (store, &s_entity, id);
}

zlistx_t *
oa_store_tokens_list (oa_store_t *store, int64_t user_id, int64_t offset, int64_t limit)
{
    //  One statement for both cases: $1 <= 0 means every user.
    int64_t params [] = { user_id, limit, offset };
    return oa_store_rows_list (store, &s_entity,
                               "WHERE (CAST($1 AS bigint) <= 0 OR \"user_id\" = $1) "
                               "ORDER BY \"id\" DESC LIMIT $2 OFFSET $3", params, 3);
}
