/*  =========================================================================
    oa_ledger_sync_abilities - the abilities projection (see oa_ledger_sync.h)

    abilities is one-api's table of (group, model, channel) rows derived
    from channels (model/ability.go).  The ledger and the channel API call
    oa_store_abilities_rebuild after channels change; it rewrites the
    table in one transaction and keeps suspend_until of surviving rows.
    =========================================================================
*/
#include "oa_ledger_sync.h"

#include <jansson.h>

#include "oa_log.h"

//  Splits a CSV into trimmed, non-empty, de-duplicated names (one-api's
//  splitCSVNames; case-insensitive de-duplication for groups).
static zlistx_t *
s_split_names (const char *csv, bool case_sensitive)
{
    zlistx_t *names = zlistx_new ();
    zlistx_set_destructor (names, (zlistx_destructor_fn *) zstr_free);
    char *copy = strdup (csv? csv: "");
    char *save = NULL;
    for (char *name = strtok_r (copy, ",", &save); name; name = strtok_r (NULL, ",", &save)) {
        while (isspace ((unsigned char) *name))
            name++;
        size_t len = strlen (name);
        while (len && isspace ((unsigned char) name [len - 1]))
            name [--len] = 0;
        if (!len)
            continue;
        bool seen = false;
        for (char *known = (char *) zlistx_first (names); known && !seen;
             known = (char *) zlistx_next (names))
            seen = case_sensitive? streq (known, name): strcasecmp (known, name) == 0;
        if (!seen)
            zlistx_add_end (names, strdup (name));
    }
    free (copy);
    return names;
}

//  hidden_models: a JSON array of names, compared case-insensitively.
static bool
s_hidden (json_t *hidden, const char *model)
{
    size_t index;
    json_t *value;
    json_array_foreach (hidden, index, value) {
        if (json_is_string (value) && strcasecmp (json_string_value (value), model) == 0)
            return true;
    }
    return false;
}

typedef struct {
    int64_t id;                 //  channels.id
    int64_t status;             //  1 enabled
    int64_t priority;           //  copied to abilities
    char *models;               //  CSV
    char *hidden_models;        //  JSON array
    char *group;                //  CSV
} s_channel_row_t;

static void
s_channel_row_destroy (s_channel_row_t **self_p)
{
    s_channel_row_t *self = *self_p;
    if (!self)
        return;
    free (self->models);
    free (self->hidden_models);
    free (self->group);
    free (self);
    *self_p = NULL;
}

static int
s_rebuild (oa_store_t *store, char *err, size_t err_size)
{
    //  Suspensions in force survive the rebuild: group\nmodel\nid -> text.
    zhashx_t *suspended = zhashx_new ();
    zhashx_set_destructor (suspended, (zhashx_destructor_fn *) zstr_free);
    zlistx_t *channels = zlistx_new ();
    zlistx_set_destructor (channels, (zlistx_destructor_fn *) s_channel_row_destroy);
    int written = -1;
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT \"group\", \"model\", \"channel_id\", "
        "\"suspend_until\" FROM \"abilities\" WHERE \"suspend_until\" IS NOT NULL");
    int rc = stmt? 0: -1;
    while (stmt && (rc = oa_stmt_step (stmt)) == 1) {
        char *key = zsys_sprintf ("%s\n%s\n%" PRId64, oa_stmt_text (stmt, 0),
                                  oa_stmt_text (stmt, 1), oa_stmt_int64 (stmt, 2));
        char *text = oa_stmt_text (stmt, 3)? zsys_sprintf ("%s", oa_stmt_text (stmt, 3)): NULL;
        if (text)
            zhashx_update (suspended, key, text);
        zstr_free (&key);
    }
    if (stmt)
        oa_stmt_reset (stmt);
    if (rc < 0)
        goto done;
    stmt = oa_store_prepare (store, "SELECT \"id\", \"status\", \"priority\", \"models\", "
        "\"hidden_models\", \"group\" FROM \"channels\" ORDER BY \"id\"");
    rc = stmt? 0: -1;
    while (stmt && (rc = oa_stmt_step (stmt)) == 1) {
        s_channel_row_t *row = (s_channel_row_t *) zmalloc (sizeof (s_channel_row_t));
        row->id = oa_stmt_int64 (stmt, 0);
        row->status = oa_stmt_int64 (stmt, 1);
        row->priority = oa_stmt_int64 (stmt, 2);
        row->models = oa_stmt_dup_text (stmt, 3);
        row->hidden_models = oa_stmt_dup_text (stmt, 4);
        row->group = oa_stmt_dup_text (stmt, 5);
        zlistx_add_end (channels, row);
    }
    if (stmt)
        oa_stmt_reset (stmt);
    if (rc < 0 || oa_store_exec (store, "DELETE FROM \"abilities\"") != 0)
        goto done;
    written = 0;
    oa_stmt_t *insert = oa_store_prepare (store, "INSERT INTO \"abilities\" (\"group\", \"model\", "
        "\"channel_id\", \"enabled\", \"priority\", \"suspend_until\") "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING");
    if (!insert) {
        written = -1;
        goto done;
    }
    for (s_channel_row_t *row = (s_channel_row_t *) zlistx_first (channels); row && written >= 0;
         row = (s_channel_row_t *) zlistx_next (channels)) {
        json_error_t error;
        json_t *hidden = row->hidden_models? json_loads (row->hidden_models, 0, &error): NULL;
        zlistx_t *models = s_split_names (row->models, true);
        zlistx_t *groups = s_split_names (row->group, false);
        for (char *model = (char *) zlistx_first (models); model && written >= 0;
             model = (char *) zlistx_next (models)) {
            if (s_hidden (hidden, model))
                continue;
            for (char *group = (char *) zlistx_first (groups); group && written >= 0;
                 group = (char *) zlistx_next (groups)) {
                char *key = zsys_sprintf ("%s\n%s\n%" PRId64, group, model, row->id);
                oa_stmt_bind_text (insert, 1, group);
                oa_stmt_bind_text (insert, 2, model);
                oa_stmt_bind_int64 (insert, 3, row->id);
                oa_stmt_bind_bool (insert, 4, row->status == 1);
                oa_stmt_bind_int64 (insert, 5, row->priority);
                oa_stmt_bind_text (insert, 6, (const char *) zhashx_lookup (suspended, key));
                zstr_free (&key);
                if (oa_stmt_exec (insert) != 0)
                    written = -1;
                else
                    written++;
            }
        }
        zlistx_destroy (&models);
        zlistx_destroy (&groups);
        json_decref (hidden);
    }
done:
    if (written < 0)
        snprintf (err, err_size, "abilities rebuild: %s", oa_store_error (store));
    zlistx_destroy (&channels);
    zhashx_destroy (&suspended);
    return written;
}

int
oa_store_abilities_rebuild (oa_store_t *store, char *err, size_t err_size)
{
    assert (store);
    if (oa_store_begin (store) != 0) {
        snprintf (err, err_size, "abilities rebuild: %s", oa_store_error (store));
        return -1;
    }
    int written = s_rebuild (store, err, err_size);
    if (written < 0) {
        oa_store_rollback (store);
        return -1;
    }
    if (oa_store_commit (store) != 0) {
        snprintf (err, err_size, "abilities rebuild: %s", oa_store_error (store));
        return -1;
    }
    return written;
}
