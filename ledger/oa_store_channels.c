/*  =========================================================================
    oa_store_channels - typed store helpers for channels

    The columns are described once, in s_columns (oa_store_rows.c builds
    the SQL from them).  Abilities, the routing projection of channels,
    are rebuilt apart (oa_store_abilities_rebuild).
    =========================================================================
*/
#include "oa_records.h"

#include "oa_store_rows.h"

static const oa_store_column_t s_columns [] = {
    { "uuid", OA_STORE_COL_CHAR, offsetof (oa_channel_t, uuid) },
    { "type", OA_STORE_COL_INT64, offsetof (oa_channel_t, type) },
    { "key", OA_STORE_COL_TEXT, offsetof (oa_channel_t, key) },
    { "status", OA_STORE_COL_INT64, offsetof (oa_channel_t, status) },
    { "name", OA_STORE_COL_TEXT, offsetof (oa_channel_t, name) },
    { "weight", OA_STORE_COL_INT64, offsetof (oa_channel_t, weight) },
    { "created_time", OA_STORE_COL_INT64, offsetof (oa_channel_t, created_time) },
    { "test_time", OA_STORE_COL_INT64, offsetof (oa_channel_t, test_time) },
    { "response_time", OA_STORE_COL_INT64, offsetof (oa_channel_t, response_time) },
    { "base_url", OA_STORE_COL_TEXT, offsetof (oa_channel_t, base_url) },
    { "other", OA_STORE_COL_TEXT, offsetof (oa_channel_t, other) },
    { "balance", OA_STORE_COL_DOUBLE, offsetof (oa_channel_t, balance) },
    { "balance_updated_time", OA_STORE_COL_INT64, offsetof (oa_channel_t, balance_updated_time) },
    { "models", OA_STORE_COL_TEXT, offsetof (oa_channel_t, models) },
    { "hidden_models", OA_STORE_COL_TEXT, offsetof (oa_channel_t, hidden_models) },
    { "model_configs", OA_STORE_COL_TEXT, offsetof (oa_channel_t, model_configs) },
    { "group", OA_STORE_COL_TEXT, offsetof (oa_channel_t, group) },
    { "used_quota", OA_STORE_COL_INT64, offsetof (oa_channel_t, used_quota) },
    { "model_mapping", OA_STORE_COL_TEXT, offsetof (oa_channel_t, model_mapping) },
    { "priority", OA_STORE_COL_INT64, offsetof (oa_channel_t, priority) },
    { "config", OA_STORE_COL_TEXT, offsetof (oa_channel_t, config) },
    { "system_prompt", OA_STORE_COL_TEXT, offsetof (oa_channel_t, system_prompt) },
    { "ratelimit", OA_STORE_COL_INT64, offsetof (oa_channel_t, ratelimit) },
    { "testing_model", OA_STORE_COL_TEXT, offsetof (oa_channel_t, testing_model) },
    { "model_ratio", OA_STORE_COL_TEXT, offsetof (oa_channel_t, model_ratio) },
    { "completion_ratio", OA_STORE_COL_TEXT, offsetof (oa_channel_t, completion_ratio) },
    { "created_at", OA_STORE_COL_INT64, offsetof (oa_channel_t, created_at) },
    { "updated_at", OA_STORE_COL_INT64, offsetof (oa_channel_t, updated_at) },
    { "inference_profile_arn_map", OA_STORE_COL_TEXT, offsetof (oa_channel_t, inference_profile_arn_map) },
};

static void
s_destroy (void **item)
{
    oa_channel_destroy ((oa_channel_t **) item);
}

static const oa_store_entity_t s_entity = {
    "channels", sizeof (oa_channel_t), s_columns, sizeof s_columns / sizeof s_columns [0],
    offsetof (oa_channel_t, id), offsetof (oa_channel_t, uuid), offsetof (oa_channel_t, created_at),
    offsetof (oa_channel_t, updated_at), s_destroy
};

int
oa_store_channel_by_id (oa_store_t *store, int64_t id, oa_channel_t **channel_p)
{
    assert (channel_p);
    return oa_store_row_find (store, &s_entity, "id", id, NULL, (void **) channel_p);
}

int
oa_store_channel_insert (oa_store_t *store, oa_channel_t *channel)
{
    return oa_store_row_insert (store, &s_entity, channel);
}

int
oa_store_channel_update (oa_store_t *store, oa_channel_t *channel)
{
    return oa_store_row_update (store, &s_entity, channel);
}

int
oa_store_channel_delete (oa_store_t *store, int64_t id)
{
    return oa_store_row_delete (store, &s_entity, id);
}

zlistx_t *
oa_store_channels_list (oa_store_t *store, int64_t offset, int64_t limit)
{
    int64_t params [] = { limit, offset };
    return oa_store_rows_list (store, &s_entity, "ORDER BY \"id\" DESC LIMIT $1 OFFSET $2",
                               params, 2);
}
