/*  =========================================================================
    oa_store_channels - typed store helpers for channels

    Column order is fixed by S_CHANNEL_COLUMNS ($1..$29; the reader expects
    "id" first).  Abilities (the routing projection of channels) are written
    by the ledger together with channel changes in a later issue.
    =========================================================================
*/
#include "oa_records.h"

#include "oa_ids.h"

#define S_CHANNEL_COLUMNS \
    "\"uuid\", \"type\", \"key\", \"status\", \"name\", \"weight\", \"created_time\", " \
    "\"test_time\", \"response_time\", \"base_url\", \"other\", \"balance\", " \
    "\"balance_updated_time\", \"models\", \"hidden_models\", \"model_configs\", \"group\", " \
    "\"used_quota\", \"model_mapping\", \"priority\", \"config\", \"system_prompt\", " \
    "\"ratelimit\", \"testing_model\", \"model_ratio\", \"completion_ratio\", " \
    "\"created_at\", \"updated_at\", \"inference_profile_arn_map\""
#define S_CHANNEL_SELECT "SELECT \"id\", " S_CHANNEL_COLUMNS " FROM \"channels\" "

static oa_channel_t *
s_read_channel (oa_stmt_t *stmt)
{
    oa_channel_t *channel = (oa_channel_t *) zmalloc (sizeof (oa_channel_t));
    channel->id = oa_stmt_int64 (stmt, 0);
    channel->uuid = oa_stmt_dup_char (stmt, 1);
    channel->type = oa_stmt_int64 (stmt, 2);
    channel->key = oa_stmt_dup_text (stmt, 3);
    channel->status = oa_stmt_int64 (stmt, 4);
    channel->name = oa_stmt_dup_text (stmt, 5);
    channel->weight = oa_stmt_int64 (stmt, 6);
    channel->created_time = oa_stmt_int64 (stmt, 7);
    channel->test_time = oa_stmt_int64 (stmt, 8);
    channel->response_time = oa_stmt_int64 (stmt, 9);
    channel->base_url = oa_stmt_dup_text (stmt, 10);
    channel->other = oa_stmt_dup_text (stmt, 11);
    channel->balance = oa_stmt_double (stmt, 12);
    channel->balance_updated_time = oa_stmt_int64 (stmt, 13);
    channel->models = oa_stmt_dup_text (stmt, 14);
    channel->hidden_models = oa_stmt_dup_text (stmt, 15);
    channel->model_configs = oa_stmt_dup_text (stmt, 16);
    channel->group = oa_stmt_dup_text (stmt, 17);
    channel->used_quota = oa_stmt_int64 (stmt, 18);
    channel->model_mapping = oa_stmt_dup_text (stmt, 19);
    channel->priority = oa_stmt_int64 (stmt, 20);
    channel->config = oa_stmt_dup_text (stmt, 21);
    channel->system_prompt = oa_stmt_dup_text (stmt, 22);
    channel->ratelimit = oa_stmt_int64 (stmt, 23);
    channel->testing_model = oa_stmt_dup_text (stmt, 24);
    channel->model_ratio = oa_stmt_dup_text (stmt, 25);
    channel->completion_ratio = oa_stmt_dup_text (stmt, 26);
    channel->created_at = oa_stmt_int64 (stmt, 27);
    channel->updated_at = oa_stmt_int64 (stmt, 28);
    channel->inference_profile_arn_map = oa_stmt_dup_text (stmt, 29);
    return channel;
}

static void
s_bind_channel (oa_stmt_t *stmt, const oa_channel_t *channel)
{
    oa_stmt_bind_text (stmt, 1, channel->uuid);
    oa_stmt_bind_int64 (stmt, 2, channel->type);
    oa_stmt_bind_text (stmt, 3, channel->key);
    oa_stmt_bind_int64 (stmt, 4, channel->status);
    oa_stmt_bind_text (stmt, 5, channel->name);
    oa_stmt_bind_int64 (stmt, 6, channel->weight);
    oa_stmt_bind_int64 (stmt, 7, channel->created_time);
    oa_stmt_bind_int64 (stmt, 8, channel->test_time);
    oa_stmt_bind_int64 (stmt, 9, channel->response_time);
    oa_stmt_bind_text (stmt, 10, channel->base_url);
    oa_stmt_bind_text (stmt, 11, channel->other);
    oa_stmt_bind_double (stmt, 12, channel->balance);
    oa_stmt_bind_int64 (stmt, 13, channel->balance_updated_time);
    oa_stmt_bind_text (stmt, 14, channel->models);
    oa_stmt_bind_text (stmt, 15, channel->hidden_models);
    oa_stmt_bind_text (stmt, 16, channel->model_configs);
    oa_stmt_bind_text (stmt, 17, channel->group);
    oa_stmt_bind_int64 (stmt, 18, channel->used_quota);
    oa_stmt_bind_text (stmt, 19, channel->model_mapping);
    oa_stmt_bind_int64 (stmt, 20, channel->priority);
    oa_stmt_bind_text (stmt, 21, channel->config);
    oa_stmt_bind_text (stmt, 22, channel->system_prompt);
    oa_stmt_bind_int64 (stmt, 23, channel->ratelimit);
    oa_stmt_bind_text (stmt, 24, channel->testing_model);
    oa_stmt_bind_text (stmt, 25, channel->model_ratio);
    oa_stmt_bind_text (stmt, 26, channel->completion_ratio);
    oa_stmt_bind_int64 (stmt, 27, channel->created_at);
    oa_stmt_bind_int64 (stmt, 28, channel->updated_at);
    oa_stmt_bind_text (stmt, 29, channel->inference_profile_arn_map);
}

int
oa_store_channel_by_id (oa_store_t *store, int64_t id, oa_channel_t **channel_p)
{
    assert (channel_p);
    *channel_p = NULL;
    oa_stmt_t *stmt = oa_store_prepare (store, S_CHANNEL_SELECT "WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, id);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        *channel_p = s_read_channel (stmt);
    oa_stmt_reset (stmt);
    return rc;
}

int
oa_store_channel_insert (oa_store_t *store, oa_channel_t *channel)
{
    if (!channel->uuid) {
        channel->uuid = (char *) malloc (OA_UUID_SIZE);
        oa_uuid_new (channel->uuid);
    }
    int64_t now = oa_clock_ms ();
    if (!channel->created_at)
        channel->created_at = now;
    if (!channel->updated_at)
        channel->updated_at = now;
    oa_stmt_t *stmt = oa_store_prepare (store,
        "INSERT INTO \"channels\" (" S_CHANNEL_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, "
        "$25, $26, $27, $28, $29) RETURNING \"id\"");
    if (!stmt)
        return -1;
    s_bind_channel (stmt, channel);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        channel->id = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    return rc == 1? 0: -1;
}

int
oa_store_channel_update (oa_store_t *store, oa_channel_t *channel)
{
    channel->updated_at = oa_clock_ms ();
    oa_stmt_t *stmt = oa_store_prepare (store,
        "UPDATE \"channels\" SET \"uuid\" = $1, \"type\" = $2, \"key\" = $3, \"status\" = $4, "
        "\"name\" = $5, \"weight\" = $6, \"created_time\" = $7, \"test_time\" = $8, "
        "\"response_time\" = $9, \"base_url\" = $10, \"other\" = $11, \"balance\" = $12, "
        "\"balance_updated_time\" = $13, \"models\" = $14, \"hidden_models\" = $15, "
        "\"model_configs\" = $16, \"group\" = $17, \"used_quota\" = $18, "
        "\"model_mapping\" = $19, \"priority\" = $20, \"config\" = $21, "
        "\"system_prompt\" = $22, \"ratelimit\" = $23, \"testing_model\" = $24, "
        "\"model_ratio\" = $25, \"completion_ratio\" = $26, \"created_at\" = $27, "
        "\"updated_at\" = $28, \"inference_profile_arn_map\" = $29 WHERE \"id\" = $30");
    if (!stmt)
        return -1;
    s_bind_channel (stmt, channel);
    oa_stmt_bind_int64 (stmt, 30, channel->id);
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

int
oa_store_channel_delete (oa_store_t *store, int64_t id)
{
    oa_stmt_t *stmt = oa_store_prepare (store, "DELETE FROM \"channels\" WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, id);
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

static void
s_channel_destructor (void **item)
{
    oa_channel_destroy ((oa_channel_t **) item);
}

zlistx_t *
oa_store_channels_list (oa_store_t *store, int64_t offset, int64_t limit)
{
    oa_stmt_t *stmt = oa_store_prepare (store,
        S_CHANNEL_SELECT "ORDER BY \"id\" DESC LIMIT $1 OFFSET $2");
    if (!stmt)
        return NULL;
    oa_stmt_bind_int64 (stmt, 1, limit);
    oa_stmt_bind_int64 (stmt, 2, offset);
    zlistx_t *list = zlistx_new ();
    zlistx_set_destructor (list, s_channel_destructor);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1)
        zlistx_add_end (list, s_read_channel (stmt));
    oa_stmt_reset (stmt);
    if (rc != 0)
        zlistx_destroy (&list);
    return list;
}
