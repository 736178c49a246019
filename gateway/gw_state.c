/*  =========================================================================
    gw_state - one gateway thread's replica of the hot state: the tables,
    and applying SNAPSHOT_CHUNK and CHANGE messages to them.

    A snapshot is staged: its chunks fill a second set of tables, and the
    last chunk swaps them in, so a replica that re-synchronises after a gap
    keeps answering from its previous (slightly stale) tables meanwhile.
    CHANGEs that arrive before a snapshot completes (the owner subscribes
    before it asks, so none is lost) are queued and replayed after it,
    skipping those the snapshot already contains (seq <= snapshot seq).
    Sequence numbers are gap-free per ledger run; a gap answers -1 once and
    queues later changes until the next snapshot is applied.
    =========================================================================
*/
#include "gw_state_private.h"

#include "oa_ids.h"
#include "oa_log.h"

//  Changes queued while a snapshot loads; more means the owner is not
//  keeping up, and it must start over.
#define S_PENDING_MAX 100000

char *
gw_state_strdup (const char *text)
{
    return strdup (text? text: "");
}

bool
gw_state_csv_has (const char *csv, const char *name)
{
    if (!csv || !name)
        return false;
    size_t name_len = strlen (name);
    const char *cursor = csv, *item;
    size_t item_len;
    while (oa_csv_next (&cursor, &item, &item_len))
        if (item_len == name_len && memcmp (item, name, name_len) == 0)
            return true;
    return false;
}

uint64_t
gw_state_random (gw_state_t *self)
{
    //  xorshift64*: fast, and seedable so tests are deterministic.
    uint64_t x = self->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    self->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

void
gw_state_fail (gw_failure_t *failure, int status, const char *code, const char *format, ...)
{
    if (!failure)
        return;
    failure->status = status;
    snprintf (failure->type, sizeof failure->type, "one_api_error");
    snprintf (failure->code, sizeof failure->code, "%s", code? code: "");
    va_list args;
    va_start (args, format);
    vsnprintf (failure->message, sizeof failure->message, format, args);
    va_end (args);
}

//  --------------------------------------------------------------------------
//  Rows

static void
s_token_destroy (gw_token_t **self_p)
{
    gw_token_t *self = *self_p;
    if (!self)
        return;
    free (self->uuid);
    free (self->key);
    free (self->name);
    free (self->models);
    free (self->subnet);
    free (self);
    *self_p = NULL;
}

static void
s_user_destroy (gw_user_t **self_p)
{
    gw_user_t *self = *self_p;
    if (!self)
        return;
    free (self->uuid);
    free (self->username);
    free (self->group);
    free (self);
    *self_p = NULL;
}

static void
s_channel_destroy (gw_channel_t **self_p)
{
    gw_channel_t *self = *self_p;
    if (!self)
        return;
    free (self->uuid);
    free (self->key);
    free (self->name);
    free (self->base_url);
    free (self->other);
    free (self->models);
    free (self->group);
    free (self->model_mapping);
    free (self->model_configs);
    free (self->config);
    free (self->system_prompt);
    free (self);
    *self_p = NULL;
}

static void
s_ability_destroy (gw_ability_t **self_p)
{
    gw_ability_t *self = *self_p;
    if (!self)
        return;
    free (self->group);
    free (self->model);
    free (self);
    *self_p = NULL;
}

//  Column readers: rows come from the network, so every type is checked.
//  SQLite returns booleans as integers and PostgreSQL as booleans.
static int64_t
s_int (json_t *row, const char *name, int64_t fallback)
{
    json_t *value = json_object_get (row, name);
    if (json_is_integer (value))
        return (int64_t) json_integer_value (value);
    if (json_is_real (value))
        return (int64_t) json_real_value (value);
    if (json_is_boolean (value))
        return json_is_true (value)? 1: 0;
    return fallback;
}

static bool
s_bool (json_t *row, const char *name)
{
    return s_int (row, name, 0) != 0;
}

static char *
s_text (json_t *row, const char *name)
{
    json_t *value = json_object_get (row, name);
    return gw_state_strdup (json_is_string (value)? json_string_value (value): "");
}

static void
s_id_text (char *buf, size_t size, int64_t id)
{
    snprintf (buf, size, "%" PRId64, id);
}

static int
s_upsert_token (gw_state_t *self, json_t *row)
{
    if (!json_is_integer (json_object_get (row, "id"))
    ||  !json_is_string (json_object_get (row, "key")))
        return -1;
    gw_token_t *token = (gw_token_t *) zmalloc (sizeof (gw_token_t));
    token->id = s_int (row, "id", 0);
    token->uuid = s_text (row, "uuid");
    token->user_id = s_int (row, "user_id", 0);
    token->key = s_text (row, "key");
    token->status = s_int (row, "status", 1);
    token->name = s_text (row, "name");
    token->expired_time = s_int (row, "expired_time", -1);
    token->remain_quota = s_int (row, "remain_quota", 0);
    token->unlimited_quota = s_bool (row, "unlimited_quota");
    token->models = s_text (row, "models");
    token->subnet = s_text (row, "subnet");
    char id [24];
    s_id_text (id, sizeof id, token->id);
    //  The key may have changed: drop the row under its old key first.
    const char *old_key = (const char *) zhashx_lookup (self->token_keys, id);
    if (old_key)
        zhashx_delete (self->tokens, old_key);
    zhashx_update (self->token_keys, id, strdup (token->key));
    zhashx_update (self->tokens, token->key, token);
    return 0;
}

static int
s_upsert_user (gw_state_t *self, json_t *row)
{
    if (!json_is_integer (json_object_get (row, "id")))
        return -1;
    gw_user_t *user = (gw_user_t *) zmalloc (sizeof (gw_user_t));
    user->id = s_int (row, "id", 0);
    user->uuid = s_text (row, "uuid");
    user->username = s_text (row, "username");
    user->role = s_int (row, "role", 1);
    user->status = s_int (row, "status", 1);
    user->quota = s_int (row, "quota", 0);
    user->group = s_text (row, "group");
    char id [24];
    s_id_text (id, sizeof id, user->id);
    zhashx_update (self->users, id, user);
    return 0;
}

static int
s_upsert_channel (gw_state_t *self, json_t *row)
{
    if (!json_is_integer (json_object_get (row, "id")))
        return -1;
    gw_channel_t *channel = (gw_channel_t *) zmalloc (sizeof (gw_channel_t));
    channel->id = s_int (row, "id", 0);
    channel->uuid = s_text (row, "uuid");
    channel->type = s_int (row, "type", 0);
    channel->key = s_text (row, "key");
    channel->status = s_int (row, "status", 1);
    channel->name = s_text (row, "name");
    channel->weight = s_int (row, "weight", 0);
    channel->priority = s_int (row, "priority", 0);
    channel->base_url = s_text (row, "base_url");
    channel->other = s_text (row, "other");
    channel->models = s_text (row, "models");
    channel->group = s_text (row, "group");
    channel->model_mapping = s_text (row, "model_mapping");
    channel->model_configs = s_text (row, "model_configs");
    channel->config = s_text (row, "config");
    channel->system_prompt = s_text (row, "system_prompt");
    char id [24];
    s_id_text (id, sizeof id, channel->id);
    zhashx_update (self->channels, id, channel);
    return 0;
}

static char *
s_ability_key (const char *group, const char *model, int64_t channel_id)
{
    return zsys_sprintf ("%s\n%s\n%" PRId64, group, model, channel_id);
}

static int
s_upsert_ability (gw_state_t *self, json_t *row)
{
    if (!json_is_string (json_object_get (row, "group"))
    ||  !json_is_string (json_object_get (row, "model"))
    ||  !json_is_integer (json_object_get (row, "channel_id")))
        return -1;
    gw_ability_t *ability = (gw_ability_t *) zmalloc (sizeof (gw_ability_t));
    ability->group = s_text (row, "group");
    ability->model = s_text (row, "model");
    ability->channel_id = s_int (row, "channel_id", 0);
    ability->enabled = s_bool (row, "enabled");
    ability->priority = s_int (row, "priority", 0);
    ability->suspend_until_ms = s_int (row, "suspend_until", 0);
    char *key = s_ability_key (ability->group, ability->model, ability->channel_id);
    zhashx_update (self->abilities, key, ability);
    zstr_free (&key);
    self->routes_dirty = true;
    return 0;
}

static int
s_upsert_option (gw_state_t *self, json_t *row)
{
    json_t *key = json_object_get (row, "key");
    if (!json_is_string (key))
        return -1;
    json_t *value = json_object_get (row, "value");
    zhashx_update (self->options, json_string_value (key),
                   gw_state_strdup (json_is_string (value)? json_string_value (value): ""));
    return 0;
}

static int
s_upsert (gw_state_t *self, const char *table, json_t *row)
{
    if (!json_is_object (row))
        return -1;
    if (streq (table, "tokens"))
        return s_upsert_token (self, row);
    if (streq (table, "users"))
        return s_upsert_user (self, row);
    if (streq (table, "channels"))
        return s_upsert_channel (self, row);
    if (streq (table, "abilities"))
        return s_upsert_ability (self, row);
    if (streq (table, "options"))
        return s_upsert_option (self, row);
    return 0;                   //  a table this gateway does not cache
}

//  Deletes by row_id: the id for tokens, users, channels; the key for
//  options; "group/model/channel_id" for abilities (the model may hold
//  slashes, so the group ends at the first and the channel starts after
//  the last).
static int
s_delete (gw_state_t *self, const char *table, const char *row_id)
{
    if (streq (table, "tokens")) {
        const char *key = (const char *) zhashx_lookup (self->token_keys, row_id);
        if (key)
            zhashx_delete (self->tokens, key);
        zhashx_delete (self->token_keys, row_id);
    }
    else
    if (streq (table, "users"))
        zhashx_delete (self->users, row_id);
    else
    if (streq (table, "channels"))
        zhashx_delete (self->channels, row_id);
    else
    if (streq (table, "options"))
        zhashx_delete (self->options, row_id);
    else
    if (streq (table, "abilities")) {
        const char *first = strchr (row_id, '/');
        const char *last = strrchr (row_id, '/');
        if (!first || first == last)
            return -1;
        char *group = strndup (row_id, (size_t) (first - row_id));
        char *model = strndup (first + 1, (size_t) (last - first - 1));
        char *key = s_ability_key (group, model, strtoll (last + 1, NULL, 10));
        zhashx_delete (self->abilities, key);
        zstr_free (&key);
        free (group);
        free (model);
        self->routes_dirty = true;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Tables

static void
s_free_item (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

static void
s_tables_create (gw_state_t *self)
{
    self->tokens = zhashx_new ();
    zhashx_set_destructor (self->tokens, (zhashx_destructor_fn *) s_token_destroy);
    self->token_keys = zhashx_new ();
    zhashx_set_destructor (self->token_keys, (zhashx_destructor_fn *) s_free_item);
    self->users = zhashx_new ();
    zhashx_set_destructor (self->users, (zhashx_destructor_fn *) s_user_destroy);
    self->channels = zhashx_new ();
    zhashx_set_destructor (self->channels, (zhashx_destructor_fn *) s_channel_destroy);
    self->abilities = zhashx_new ();
    zhashx_set_destructor (self->abilities, (zhashx_destructor_fn *) s_ability_destroy);
    self->options = zhashx_new ();
    zhashx_set_destructor (self->options, (zhashx_destructor_fn *) s_free_item);
    self->routes_dirty = true;
}

static void
s_tables_destroy (gw_state_t *self)
{
    zhashx_destroy (&self->routes);
    zhashx_destroy (&self->tokens);
    zhashx_destroy (&self->token_keys);
    zhashx_destroy (&self->users);
    zhashx_destroy (&self->channels);
    zhashx_destroy (&self->abilities);
    zhashx_destroy (&self->options);
    free (self->group_ratio_text);
    self->group_ratio_text = NULL;
    json_decref (self->group_ratio);
    self->group_ratio = NULL;
}

//  Moves the staged tables into self and frees the old ones.
static void
s_tables_swap (gw_state_t *self, gw_state_t *staged)
{
    s_tables_destroy (self);
    self->tokens = staged->tokens;
    self->token_keys = staged->token_keys;
    self->users = staged->users;
    self->channels = staged->channels;
    self->abilities = staged->abilities;
    self->options = staged->options;
    self->routes = NULL;
    self->routes_dirty = true;
    staged->tokens = staged->token_keys = staged->users = NULL;
    staged->channels = staged->abilities = staged->options = NULL;
}

gw_state_t *
gw_state_new (void)
{
    gw_state_t *self = (gw_state_t *) zmalloc (sizeof (gw_state_t));
    s_tables_create (self);
    self->suspended = zhashx_new ();
    zhashx_set_destructor (self->suspended, (zhashx_destructor_fn *) s_free_item);
    self->pending = zlistx_new ();
    zlistx_set_destructor (self->pending, (zlistx_destructor_fn *) oa_msg_destroy);
    oa_random_bytes (&self->rng, sizeof self->rng);
    if (self->rng == 0)
        self->rng = 0x9E3779B97F4A7C15ULL;      //  xorshift must not start at 0
    snprintf (self->key_prefix, sizeof self->key_prefix, "sk-");
    return self;
}

void
gw_state_destroy (gw_state_t **self_p)
{
    gw_state_t *self = *self_p;
    if (!self)
        return;
    s_tables_destroy (self);
    if (self->staging) {
        s_tables_destroy (self->staging);
        free (self->staging);
    }
    zhashx_destroy (&self->suspended);
    zlistx_destroy (&self->pending);
    free (self);
    *self_p = NULL;
}

void
gw_state_set_seed (gw_state_t *self, uint64_t seed)
{
    self->rng = seed? seed: 0x9E3779B97F4A7C15ULL;
}

void
gw_state_set_key_prefix (gw_state_t *self, const char *prefix)
{
    snprintf (self->key_prefix, sizeof self->key_prefix, "%s", prefix? prefix: "");
}

bool
gw_state_ready (gw_state_t *self)
{
    return self->ready;
}

uint64_t
gw_state_seq (gw_state_t *self)
{
    return self->seq;
}

size_t
gw_state_count (gw_state_t *self, const char *table)
{
    if (streq (table, "tokens"))
        return zhashx_size (self->tokens);
    if (streq (table, "users"))
        return zhashx_size (self->users);
    if (streq (table, "channels"))
        return zhashx_size (self->channels);
    if (streq (table, "abilities"))
        return zhashx_size (self->abilities);
    if (streq (table, "options"))
        return zhashx_size (self->options);
    return 0;
}

gw_channel_t *
gw_state_channel (gw_state_t *self, int64_t id)
{
    char key [24];
    s_id_text (key, sizeof key, id);
    return (gw_channel_t *) zhashx_lookup (self->channels, key);
}

const char *
gw_state_option (gw_state_t *self, const char *key, const char *fallback)
{
    const char *value = (const char *) zhashx_lookup (self->options, key);
    return value? value: fallback;
}

//  --------------------------------------------------------------------------
//  Applying messages

//  Parses a payload frame as JSON; NULL if absent or not JSON.
static json_t *
s_payload_json (oa_msg_t *msg)
{
    zframe_t *payload = oa_msg_payload (msg);
    if (!payload)
        return NULL;
    json_error_t error;
    return json_loadb ((const char *) zframe_data (payload), zframe_size (payload), 0, &error);
}

static int
s_apply_change (gw_state_t *self, oa_msg_t *msg)
{
    const char *table = oa_msg_table (msg);
    if (oa_msg_op (msg) == OA_MSG_OP_DELETE)
        return s_delete (self, table, oa_msg_row_id (msg));
    if (oa_msg_op (msg) != OA_MSG_OP_UPSERT)
        return -1;
    json_t *row = s_payload_json (msg);
    int rc = row? s_upsert (self, table, row): -1;
    json_decref (row);
    return rc;
}

//  Replays queued changes after a snapshot at self->seq.
static int
s_replay_pending (gw_state_t *self)
{
    int rc = 0;
    oa_msg_t *msg;
    while ((msg = (oa_msg_t *) zlistx_first (self->pending))) {
        msg = (oa_msg_t *) zlistx_detach_cur (self->pending);
        uint64_t seq = oa_msg_seq (msg);
        if (rc == 0 && seq > self->seq) {
            if (seq != self->seq + 1) {
                oa_log_warn ("state", "change seq %" PRIu64 " after %" PRIu64 ": gap, resync",
                             seq, self->seq);
                self->resync = true;
                rc = -1;
            }
            else
            if (s_apply_change (self, msg) == 0)
                self->seq = seq;
            else {
                oa_log_warn ("state", "malformed %s change %" PRIu64 ", resync",
                             oa_msg_table (msg), seq);
                self->resync = true;
                rc = -1;
            }
        }
        oa_msg_destroy (&msg);
    }
    return rc;
}

static int
s_apply_chunk (gw_state_t *self, oa_msg_t *msg)
{
    if (!self->staging) {
        self->staging = (gw_state_t *) zmalloc (sizeof (gw_state_t));
        s_tables_create (self->staging);
        self->staging_seq = oa_msg_seq (msg);
    }
    int rc = 0;
    if (oa_msg_seq (msg) != self->staging_seq)
        rc = -1;                //  chunks of two snapshots mixed: start over
    json_t *rows = rc == 0? s_payload_json (msg): NULL;
    if (rc == 0 && !json_is_array (rows))
        rc = -1;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (rc == 0 && s_upsert (self->staging, oa_msg_table (msg), row) != 0)
            rc = -1;
    }
    json_decref (rows);
    if (rc != 0) {
        oa_log_warn ("state", "malformed snapshot chunk of %s; snapshot dropped",
                     oa_msg_table (msg));
        s_tables_destroy (self->staging);
        free (self->staging);
        self->staging = NULL;
        return -1;
    }
    if (oa_msg_last (msg)) {
        s_tables_swap (self, self->staging);
        free (self->staging);
        self->staging = NULL;
        self->seq = self->staging_seq;
        self->ready = true;
        self->resync = false;
        return s_replay_pending (self);
    }
    return 0;
}

int
gw_state_apply (gw_state_t *self, oa_msg_t *msg)
{
    assert (self);
    if (!msg)
        return -1;
    if (oa_msg_id (msg) == OA_MSG_SNAPSHOT_CHUNK)
        return s_apply_chunk (self, msg);
    if (oa_msg_id (msg) != OA_MSG_CHANGE)
        return 0;
    uint64_t seq = oa_msg_seq (msg);
    if (!self->ready || self->staging || self->resync) {
        //  A snapshot is (or must be) on its way: keep the change for it.
        if (zlistx_size (self->pending) >= S_PENDING_MAX) {
            zlistx_purge (self->pending);
            return -1;
        }
        zlistx_add_end (self->pending, oa_msg_dup (msg));
        return 0;
    }
    if (seq <= self->seq)
        return 0;               //  already in the snapshot, or a duplicate
    if (seq != self->seq + 1) {
        oa_log_warn ("state", "change seq %" PRIu64 " after %" PRIu64 ": gap, resync",
                     seq, self->seq);
        self->resync = true;
        zlistx_add_end (self->pending, oa_msg_dup (msg));
        return -1;
    }
    if (s_apply_change (self, msg) != 0) {
        oa_log_warn ("state", "malformed %s change %" PRIu64 ", resync", oa_msg_table (msg), seq);
        self->resync = true;
        return -1;
    }
    self->seq = seq;
    return 0;
}
