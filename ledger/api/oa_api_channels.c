/*  =========================================================================
    oa_api_channels - /api/channel routes (admin): list, search, get,
    create, update, delete, delete disabled, models

    Every write rebuilds abilities (oa_store_abilities_rebuild) and
    publishes the channel row and the abilities of that channel that
    appeared, changed or went away.  Channel keys are answered only where
    one-api answers them (the row after an update); lists and gets show an
    empty key.  An update changes only the fields it carries, as GORM's
    Updates does with a struct (zero values skipped; the nullable text
    fields may be set to null); the runtime columns billing and tests write
    (used_quota, balance, test times) are never written from here.
    =========================================================================
*/
#include "oa_api_private.h"

#include "oa_ids.h"
#include "oa_ledger_sync.h"
#include "oa_log.h"
#include "oa_msg.h"

static const char *const s_channel_sorts [] = {
    "id", "name", "type", "status", "response_time", "test_time", "priority", "weight",
    "used_quota", "created_at", "updated_at", NULL
};

static const oa_api_field_t s_channel_fields [] = {
    { "id", OA_API_GO_INT }, { "uuid", OA_API_GO_STRING }, { "type", OA_API_GO_INT },
    { "key", OA_API_GO_STRING }, { "status", OA_API_GO_INT }, { "name", OA_API_GO_STRING },
    { "weight", OA_API_GO_UINT }, { "created_time", OA_API_GO_INT64 },
    { "test_time", OA_API_GO_INT64 }, { "response_time", OA_API_GO_INT },
    { "base_url", OA_API_GO_STRING }, { "other", OA_API_GO_STRING },
    { "balance", OA_API_GO_FLOAT }, { "balance_updated_time", OA_API_GO_INT64 },
    { "models", OA_API_GO_STRING }, { "hidden_models", OA_API_GO_STRING },
    { "model_configs", OA_API_GO_STRING }, { "group", OA_API_GO_STRING },
    { "used_quota", OA_API_GO_INT64 }, { "model_mapping", OA_API_GO_STRING },
    { "priority", OA_API_GO_INT64 }, { "config", OA_API_GO_STRING },
    { "system_prompt", OA_API_GO_STRING }, { "ratelimit", OA_API_GO_INT },
    { "testing_model", OA_API_GO_STRING }, { "model_ratio", OA_API_GO_STRING },
    { "completion_ratio", OA_API_GO_STRING }, { "created_at", OA_API_GO_INT64 },
    { "updated_at", OA_API_GO_INT64 }, { "inference_profile_arn_map", OA_API_GO_STRING },
    { "tooling", OA_API_GO_ANY }, { NULL, OA_API_GO_ANY }
};

//  Sorted, de-duplicated names of a models CSV (the list's test_models).
static json_t *
s_model_names (const char *csv)
{
    zlistx_t *names = zlistx_new ();
    zlistx_set_destructor (names, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_comparator (names, (zlistx_comparator_fn *) strcmp);
    char *copy = strdup (csv? csv: "");
    char *save = NULL;
    for (char *name = strtok_r (copy, ",", &save); name; name = strtok_r (NULL, ",", &save)) {
        char *trimmed = oa_api_trim (name);
        if (*trimmed && !zlistx_find (names, trimmed))
            zlistx_add_end (names, trimmed);
        else
            free (trimmed);
    }
    free (copy);
    zlistx_sort (names);
    json_t *array = json_array ();
    for (char *name = (char *) zlistx_first (names); name; name = (char *) zlistx_next (names))
        json_array_append_new (array, json_string (name));
    zlistx_destroy (&names);
    return array;
}

//  True when name is one of the CSV's trimmed entries.
static bool
s_listed (const char *csv, const char *name)
{
    json_t *names = s_model_names (csv);
    bool found = false;
    size_t index;
    json_t *value;
    json_array_foreach (names, index, value)
        found = found || streq (json_string_value (value), name);
    json_decref (names);
    return found;
}

//  Adds "tooling" (config.tooling as a JSON string) as buildChannelResponsePayload.
static void
s_add_tooling (json_t *row)
{
    json_error_t error;
    json_t *config = json_loads (oa_api_str (row, "config", ""), 0, &error);
    json_t *tooling = json_object_get (config, "tooling");
    if (json_is_object (tooling)) {
        char *text = json_dumps (tooling, JSON_COMPACT);
        json_object_set_new (row, "tooling", json_string (text));
        free (text);
    }
    json_decref (config);
}

//  Rebuilds abilities and publishes those of channel_id against before
//  (the channel's rows before the write; borrowed, may be NULL).
static int
s_abilities (oa_api_app_t *app, int64_t channel_id, json_t *before)
{
    char err [256];
    if (oa_store_abilities_rebuild (oa_api_store (app), err, sizeof err) < 0) {
        oa_log_error ("api", "%s", err);
        return -1;
    }
    json_t *after = oa_api_ability_rows (app, channel_id);
    size_t index;
    json_t *row;
    json_array_foreach (before, index, row) {
        bool kept = false;
        size_t other;
        json_t *now;
        json_array_foreach (after, other, now)
            kept = kept
                || (json_equal (json_object_get (row, "group"), json_object_get (now, "group"))
                 && json_equal (json_object_get (row, "model"), json_object_get (now, "model")));
        if (!kept)
            oa_api_publish (app, "abilities", OA_MSG_OP_DELETE, row);
    }
    json_array_foreach (after, index, row)
        oa_api_publish (app, "abilities", OA_MSG_OP_UPSERT, row);
    json_decref (after);
    return 0;
}

int
oa_api_channel_set_status (oa_api_app_t *app, int64_t id, int64_t status)
{
    json_t *before = oa_api_ability_rows (app, id);
    oa_api_param_t params [] = { { .i = status }, { .i = oa_clock_ms () }, { .i = id } };
    int rc = -1;
    if (oa_api_exec (app, "UPDATE \"channels\" SET \"status\" = $1, \"updated_at\" = $2 "
                     "WHERE \"id\" = $3", params, 3, NULL) >= 0) {
        oa_api_publish_id (app, "channels", id);
        s_abilities (app, id, before);
        rc = 0;
    }
    json_decref (before);
    return rc;
}

void
oa_api_channels_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    const char *clause = oa_api_order (req, oa_api_arg (req, "sort"), oa_api_arg (req, "order"),
                                       s_channel_sorts);
    json_t *rows = oa_api_select (app, oa_api_channel_view, "FROM \"channels\"", NULL, 0, clause,
                                  limit, offset);
    int64_t total = rows? oa_api_count (app, "FROM \"channels\"", NULL, 0): -1;
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "get all channels");
        return;
    }
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row)
        json_object_set_new (row, "test_models", s_model_names (oa_api_str (row, "models", "")));
    oa_api_ok_total (res, rows, total);
}

void
oa_api_channels_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    const char *keyword = oa_api_arg (req, "keyword");
    keyword = keyword? keyword: "";
    const char *clause = oa_api_order (req, oa_api_arg (req, "sort"), oa_api_arg (req, "order"),
                                       s_channel_sorts);
    char *like = zsys_sprintf ("%s%%", keyword);
    bool uuid = oa_api_is_uuid (keyword);
    oa_api_param_t param = { true, uuid? keyword: like, 0 };
    json_t *rows = oa_api_select (app, oa_api_channel_view, uuid
                                  ? "FROM \"channels\" WHERE \"uuid\" = $1"
                                  : "FROM \"channels\" WHERE \"name\" LIKE $1", &param, 1, clause,
                                  -1, 0);
    zstr_free (&like);
    if (!rows) {
        oa_api_fail_store (app, res, "search channels");
        return;
    }
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row)
        json_object_set_new (row, "test_models", s_model_names (oa_api_str (row, "models", "")));
    oa_api_ok (res, rows);
}

//  Answers channel id in view (with tooling).
static void
s_answer_channel (oa_api_app_t *app, oa_api_res_t *res, const oa_api_column_t *view, int64_t id)
{
    oa_api_param_t param = { .i = id };
    bool found = false;
    json_t *row = oa_api_select_one (app, view, "FROM \"channels\" WHERE \"id\" = $1", &param, 1,
                                     &found);
    if (!row) {
        oa_api_fail_store (app, res, "get channel");
        return;
    }
    s_add_tooling (row);
    oa_api_ok (res, row);
}

void
oa_api_channel_get (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "channels", req->param, &id) == 1)
        s_answer_channel (app, res, oa_api_channel_view, id);
}

//  Checks the parts of a payload both create and update validate, and
//  normalises hidden_models and tooling into the payload.  Answers and
//  returns false when something is wrong.
static bool
s_prepare (oa_api_app_t *app, oa_api_res_t *res, json_t *payload, const char *old_config)
{
    (void) app;
    json_error_t error;
    const char *arn_map = oa_api_str (payload, "inference_profile_arn_map", "");
    if (*arn_map) {
        json_t *map = json_loads (arn_map, 0, &error);
        bool valid = json_is_object (map);
        const char *key;
        json_t *value;
        json_object_foreach (map, key, value)
            valid = valid && json_is_string (value);
        json_decref (map);
        if (!valid) {
            oa_api_fail (res, 200, "Invalid inference profile ARN map: must be a JSON object of "
                         "model names to ARN strings");
            return false;
        }
    }
    json_t *hidden = json_object_get (payload, "hidden_models");
    if (json_is_string (hidden)) {
        char *trimmed = oa_api_trim (json_string_value (hidden));
        json_t *names = *trimmed && strcasecmp (trimmed, "null") != 0
                      ? json_loads (trimmed, 0, &error): NULL;
        free (trimmed);
        bool valid = !names || json_is_array (names);
        json_t *kept = json_array ();
        size_t index;
        json_t *name;
        json_array_foreach (names, index, name) {
            valid = valid && json_is_string (name);
            char *item = valid? oa_api_trim (json_string_value (name)): NULL;
            bool seen = !item || !*item;
            size_t other;
            json_t *known;
            json_array_foreach (kept, other, known)
                seen = seen || strcasecmp (json_string_value (known), item) == 0;
            if (!seen)
                json_array_append_new (kept, json_string (item));
            free (item);
        }
        json_decref (names);
        if (!valid && json_string_length (hidden)) {
            json_decref (kept);
            oa_api_fail (res, 200, "normalize hidden models: hidden_models must be a JSON array "
                         "of strings");
            return false;
        }
        char *text = json_array_size (kept)? json_dumps (kept, JSON_COMPACT): NULL;
        json_object_set_new (payload, "hidden_models", text? json_string (text): json_null ());
        free (text);
        json_decref (kept);
    }
    json_t *tooling = json_object_get (payload, "tooling");
    if (tooling) {
        json_t *parsed = NULL;
        if (json_is_string (tooling)) {
            char *trimmed = oa_api_trim (json_string_value (tooling));
            if (*trimmed && strcasecmp (trimmed, "null") != 0) {
                parsed = json_loads (trimmed, 0, &error);
                if (!json_is_object (parsed)) {
                    free (trimmed);
                    json_decref (parsed);
                    oa_api_fail (res, 200, "Invalid tooling config: unmarshal tooling config "
                                 "string: %s", error.text);
                    return false;
                }
            }
            free (trimmed);
        }
        else
        if (json_is_object (tooling))
            parsed = json_incref (tooling);
        else
        if (!json_is_null (tooling)) {
            oa_api_fail (res, 200, "Invalid tooling config: unmarshal tooling config object: "
                         "json: cannot unmarshal into model.ChannelToolingConfig");
            return false;
        }
        //  The tooling lives in config.tooling.
        const char *base = oa_api_str (payload, "config", "");
        json_t *config = json_loads (*base? base: old_config && *old_config? old_config: "{}", 0,
                                     &error);
        if (!json_is_object (config)) {
            json_decref (config);
            config = json_object ();
        }
        if (parsed)
            json_object_set_new (config, "tooling", parsed);
        else
            json_object_del (config, "tooling");
        char *text = json_dumps (config, JSON_COMPACT);
        json_object_set_new (payload, "config", json_string (text));
        free (text);
        json_decref (config);
    }
    return true;
}

static json_t *
s_decode (oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *payload = oa_api_decode (req, "channelPayload.Channel", s_channel_fields, true,
                                     error, sizeof error);
    if (!payload)
        oa_api_fail (res, 200, "unmarshal channel payload: unmarshal request body failed: %s",
                     error);
    return payload;
}

void
oa_api_channel_create (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    json_t *payload = s_decode (req, res);
    if (!payload)
        return;
    char *name = oa_api_trim (oa_api_str (payload, "name", ""));
    if (!*name)
        oa_api_fail (res, 200, "Channel name is required");
    else
    if (s_prepare (app, res, payload, NULL)) {
        const char *models = oa_api_str (payload, "models", "");
        char *testing = oa_api_trim (oa_api_str (payload, "testing_model", ""));
        //  One channel per line of the key (one-api's batch add).
        char *keys = strdup (oa_api_str (payload, "key", ""));
        zlistx_t *ids = zlistx_new ();
        char *save = NULL;
        char *key = strtok_r (keys, "\n", &save);
        bool failed = false;
        do {
            oa_channel_t *channel = oa_channel_new ();
            oa_record_set (&channel->key, key? key: "");
            channel->type = oa_api_int (payload, "type", 0);
            int64_t status = oa_api_int (payload, "status", 0);
            channel->status = status? status: OA_STATUS_ENABLED;
            oa_record_set (&channel->name, oa_api_str (payload, "name", ""));
            channel->weight = oa_api_int (payload, "weight", 0);
            channel->created_time = oa_clock_ms () / 1000;
            oa_record_set (&channel->base_url, oa_api_str (payload, "base_url", ""));
            oa_record_set (&channel->other, oa_api_str (payload, "other", NULL));
            oa_record_set (&channel->models, models);
            oa_record_set (&channel->hidden_models, oa_api_str (payload, "hidden_models", NULL));
            oa_record_set (&channel->model_configs, oa_api_str (payload, "model_configs", NULL));
            const char *group = oa_api_str (payload, "group", "");
            oa_record_set (&channel->group, *group? group: "default");
            oa_record_set (&channel->model_mapping, oa_api_str (payload, "model_mapping", NULL));
            channel->priority = oa_api_int (payload, "priority", 0);
            oa_record_set (&channel->config, oa_api_str (payload, "config", ""));
            oa_record_set (&channel->system_prompt, oa_api_str (payload, "system_prompt", NULL));
            channel->ratelimit = oa_api_int (payload, "ratelimit", 0);
            oa_record_set (&channel->testing_model, *testing && s_listed (models, testing)
                                                    ? testing: NULL);
            oa_record_set (&channel->model_ratio, oa_api_str (payload, "model_ratio", NULL));
            oa_record_set (&channel->completion_ratio,
                           oa_api_str (payload, "completion_ratio", NULL));
            oa_record_set (&channel->inference_profile_arn_map,
                           oa_api_str (payload, "inference_profile_arn_map", NULL));
            if (oa_store_channel_insert (oa_api_store (app), channel) != 0)
                failed = true;
            else {
                int64_t *id = (int64_t *) zmalloc (sizeof (int64_t));
                *id = channel->id;
                zlistx_add_end (ids, id);
            }
            oa_channel_destroy (&channel);
            key = key? strtok_r (NULL, "\n", &save): NULL;
        } while (key && !failed);
        if (failed)
            oa_api_fail_store (app, res, "batch insert channels");
        else {
            for (int64_t *id = (int64_t *) zlistx_first (ids); id;
                 id = (int64_t *) zlistx_next (ids)) {
                oa_api_publish_id (app, "channels", *id);
                s_abilities (app, *id, NULL);
            }
            oa_api_ok (res, NULL);
        }
        for (int64_t *id = (int64_t *) zlistx_first (ids); id; id = (int64_t *) zlistx_next (ids))
            free (id);
        zlistx_destroy (&ids);
        free (keys);
        free (testing);
    }
    free (name);
    json_decref (payload);
}

//  Appends "column = $n" for a text field of the payload, GORM-style:
//  written when present and non-empty (or, for nullable fields, present).
static void
s_text (char *sql, size_t size, oa_api_param_t *params, int *count, json_t *payload,
        const char *column, bool nullable)
{
    json_t *value = json_object_get (payload, column);
    bool write = nullable? value != NULL
                         : json_is_string (value) && json_string_length (value) > 0;
    if (!write)
        return;
    params [*count] = (oa_api_param_t) { true, json_string_value (value), 0 };
    (*count)++;
    size_t used = strlen (sql);
    snprintf (sql + used, size - used, ", \"%s\" = $%d", column, *count);
}

//  The same for an integer field (written when present and, unless it is
//  a Go pointer, non-zero).
static void
s_number (char *sql, size_t size, oa_api_param_t *params, int *count, json_t *payload,
          const char *column, bool pointer)
{
    json_t *value = json_object_get (payload, column);
    if (!json_is_integer (value) || (!pointer && json_integer_value (value) == 0))
        return;
    params [*count] = (oa_api_param_t) { .i = json_integer_value (value) };
    (*count)++;
    size_t used = strlen (sql);
    snprintf (sql + used, size - used, ", \"%s\" = $%d", column, *count);
}

void
oa_api_channel_update (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    json_t *payload = s_decode (req, res);
    if (!payload)
        return;
    const char *uuid = oa_api_str (payload, "uuid", "");
    char reference [32];
    snprintf (reference, sizeof reference, "%" PRId64, oa_api_int (payload, "id", 0));
    const char *status_only = oa_api_arg (req, "status_only");
    int64_t id = 0;
    oa_channel_t *old = NULL;
    char *name = oa_api_trim (oa_api_str (payload, "name", ""));
    if (!*uuid && oa_api_int (payload, "id", 0) <= 0)
        oa_api_fail (res, 200, OA_API_UUID_REQUIRED);
    else
    if (oa_api_resolve (app, res, "channels", *uuid? uuid: reference, &id) != 1)
        ;                       //  answered
    else
    if (oa_store_channel_by_id (oa_api_store (app), id, &old) != 1)
        oa_api_fail_store (app, res, "load existing channel");
    else
    if (status_only && *status_only) {
        if (oa_api_channel_set_status (app, id, oa_api_int (payload, "status", 0)) < 0)
            oa_api_fail_store (app, res, "update channel status");
        else
            oa_api_ok (res, NULL);
    }
    else
    if (!*name)
        oa_api_fail (res, 200, "Channel name cannot be empty");
    else
    if (s_prepare (app, res, payload, old->config)) {
        char sql [2048] = "UPDATE \"channels\" SET \"updated_at\" = $1";
        oa_api_param_t params [32] = { { .i = oa_clock_ms () } };
        int count = 1;
        static const char *const texts [] = {
            "key", "name", "models", "group", "config", NULL
        };
        static const char *const nullable [] = {
            "base_url", "other", "hidden_models", "model_configs", "model_mapping",
            "system_prompt", "model_ratio", "completion_ratio", "inference_profile_arn_map", NULL
        };
        for (int index = 0; texts [index]; index++)
            s_text (sql, sizeof sql, params, &count, payload, texts [index], false);
        for (int index = 0; nullable [index]; index++) {
            //  A null clears only the fields one-api lets a null clear.
            json_t *value = json_object_get (payload, nullable [index]);
            bool clears = streq (nullable [index], "hidden_models")
                       || streq (nullable [index], "model_mapping")
                       || streq (nullable [index], "model_configs")
                       || streq (nullable [index], "system_prompt")
                       || streq (nullable [index], "inference_profile_arn_map");
            if (value && (!json_is_null (value) || clears))
                s_text (sql, sizeof sql, params, &count, payload, nullable [index], true);
        }
        s_number (sql, sizeof sql, params, &count, payload, "type", false);
        s_number (sql, sizeof sql, params, &count, payload, "status", false);
        s_number (sql, sizeof sql, params, &count, payload, "weight", true);
        s_number (sql, sizeof sql, params, &count, payload, "priority", true);
        s_number (sql, sizeof sql, params, &count, payload, "ratelimit", true);
        //  testing_model must be one of the channel's models, or is cleared.
        const char *models = oa_api_str (payload, "models", "");
        models = *models? models: old->models;
        json_t *testing = json_object_get (payload, "testing_model");
        char *wanted = oa_api_trim (json_is_string (testing)? json_string_value (testing)
                                                            : old->testing_model);
        bool keep = *wanted && s_listed (models, wanted);
        if (testing || (old->testing_model && *old->testing_model && !keep)) {
            params [count] = (oa_api_param_t) { true, keep? wanted: NULL, 0 };
            count++;
            size_t used = strlen (sql);
            snprintf (sql + used, sizeof sql - used, ", \"testing_model\" = $%d", count);
        }
        size_t used = strlen (sql);
        snprintf (sql + used, sizeof sql - used, " WHERE \"id\" = $%d", count + 1);
        params [count] = (oa_api_param_t) { .i = id };
        json_t *before = oa_api_ability_rows (app, id);
        if (oa_api_exec (app, sql, params, count + 1, NULL) < 0)
            oa_api_fail_store (app, res, "update channel");
        else {
            oa_api_publish_id (app, "channels", id);
            if (s_abilities (app, id, before) < 0)
                oa_api_fail_store (app, res, "rebuild abilities");
            else
                s_answer_channel (app, res, oa_api_channel_secret_view, id);
        }
        json_decref (before);
        free (wanted);
    }
    oa_channel_destroy (&old);
    free (name);
    json_decref (payload);
}

//  Deletes channel id; publishes its row and its abilities as deletes.
static int
s_delete (oa_api_app_t *app, int64_t id)
{
    json_t *row = oa_api_change_row (app, "channels", id);
    json_t *abilities = oa_api_ability_rows (app, id);
    oa_api_param_t param = { .i = id };
    int rc = oa_api_exec (app, "DELETE FROM \"channels\" WHERE \"id\" = $1", &param, 1, NULL) < 0
           ? -1: 0;
    if (rc == 0) {
        oa_api_publish (app, "channels", OA_MSG_OP_DELETE, row);
        size_t index;
        json_t *ability;
        json_array_foreach (abilities, index, ability)
            oa_api_publish (app, "abilities", OA_MSG_OP_DELETE, ability);
    }
    json_decref (row);
    json_decref (abilities);
    return rc;
}

void
oa_api_channel_delete (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "channels", req->param, &id) != 1)
        return;
    char err [256];
    if (s_delete (app, id) < 0)
        oa_api_fail_store (app, res, "delete channel");
    else
    if (oa_store_abilities_rebuild (oa_api_store (app), err, sizeof err) < 0)
        oa_api_fail (res, 200, "%s", err);
    else
        oa_api_ok (res, NULL);
}

void
oa_api_channel_delete_disabled (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    (void) req;
    static const oa_api_column_t id_view [] = {
        { "id", "\"id\"", OA_API_INT }, { NULL, NULL, OA_API_INT }
    };
    json_t *rows = oa_api_select (app, id_view, "FROM \"channels\" WHERE \"status\" = 2 OR "
                                  "\"status\" = 3", NULL, 0, "\"id\"", -1, 0);
    if (!rows) {
        oa_api_fail_store (app, res, "get disabled channels");
        return;
    }
    int64_t deleted = 0;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row)
        if (s_delete (app, oa_api_int (row, "id", 0)) == 0)
            deleted++;
    json_decref (rows);
    char err [256];
    if (oa_store_abilities_rebuild (oa_api_store (app), err, sizeof err) < 0)
        oa_api_fail (res, 200, "%s", err);
    else
        oa_api_ok (res, json_integer (deleted));
}

//  GET /api/channel/models and /api/models.  one-api lists its adaptors'
//  built-in catalog, which lives with the workers; the ledger answers the
//  models its channels declare, in the same shapes.
void
oa_api_channel_models (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    static const oa_api_column_t view [] = {
        { "type", "\"type\"", OA_API_INT }, { "models", "\"models\"", OA_API_STR },
        { NULL, NULL, OA_API_INT }
    };
    json_t *rows = oa_api_select (app, view, "FROM \"channels\"", NULL, 0, "\"id\"", -1, 0);
    if (!rows) {
        oa_api_fail_store (app, res, "list models");
        return;
    }
    json_t *by_type = json_object ();
    json_t *all = json_object ();
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        char type [24];
        snprintf (type, sizeof type, "%" PRId64, oa_api_int (row, "type", 0));
        json_t *names = s_model_names (oa_api_str (row, "models", ""));
        json_t *known = json_object_get (by_type, type);
        if (!known)
            json_object_set_new (by_type, type, known = json_array ());
        size_t other;
        json_t *name;
        json_array_foreach (names, other, name) {
            json_object_set (all, json_string_value (name), json_true ());
            bool seen = false;
            size_t at;
            json_t *have;
            json_array_foreach (known, at, have)
                seen = seen || json_equal (have, name);
            if (!seen)
                json_array_append (known, name);
        }
        json_decref (names);
    }
    json_decref (rows);
    if (streq (req->path, "/api/models") || streq (req->path, "/api/models/")) {
        json_decref (all);
        oa_api_ok (res, by_type);
        return;
    }
    json_decref (by_type);
    json_t *data = json_array ();
    const char *name;
    json_t *value;
    json_object_foreach (all, name, value)
        json_array_append_new (data, json_pack ("{s:s, s:s, s:i, s:s}", "id", name, "object",
                                                "model", "created", 1626777600, "owned_by",
                                                "one-api"));
    json_decref (all);
    json_decref (res->body);
    res->status = 200;
    res->body = json_pack ("{s:s, s:o}", "object", "list", "data", data);
}
