/*  =========================================================================
    oa_store_suite - the store's behaviour suite, written once, run on each
    driver: oa_store_sqlite (a temporary file) and oa_store_pg (a fresh
    database on ONEAPI_TEST_PG_DSN per test; fails when that is unset or
    unreachable).
    =========================================================================
*/
#include <czmq.h>

#include "oa_bootstrap.h"
#include "oa_health.h"
#include "oa_ids.h"
#include "oa_ledger.h"
#include "oa_password.h"
#include "oa_records.h"
#include "oa_schema.h"
#include "oa_store.h"
#include "oa_store_testdb.h"

typedef struct {
    bool pg;                    //  PostgreSQL, else SQLite
    char *where;                //  DSN or file path of this test's database
} s_db_t;

static s_db_t
s_db_new (bool pg)
{
    s_db_t db = { pg, pg? oa_store_testdb_create (): oa_store_testdb_sqlite_path () };
    return db;
}

static void
s_db_drop (s_db_t *db)
{
    if (db->pg)
        oa_store_testdb_drop (&db->where);
    else
        oa_store_testdb_sqlite_remove (&db->where);
}

static oa_store_t *
s_open (const s_db_t *db)
{
    char err [512];
    oa_store_t *store = db->pg? oa_store_open (db->where, NULL, err, sizeof err)
                              : oa_store_open (NULL, db->where, err, sizeof err);
    if (!store)
        fprintf (stderr, "open: %s\n", err);
    assert (store);
    assert (oa_store_is_postgres (store) == db->pg);
    return store;
}

static oa_store_t *
s_open_migrated (const s_db_t *db)
{
    oa_store_t *store = s_open (db);
    char err [512];
    int rc = oa_schema_migrate (store, err, sizeof err);
    if (rc != 0)
        fprintf (stderr, "migrate: %s\n", err);
    assert (rc == 0);
    return store;
}

//  Every specified column of every table can be selected.
static void
s_assert_schema_complete (oa_store_t *store)
{
    for (const oa_schema_table_t *table = oa_schema_tables; table->name; table++) {
        char sql [2048] = "SELECT ";
        for (const oa_schema_column_t *column = table->columns; column->name; column++) {
            strcat (sql, column == table->columns? "\"": ", \"");
            strcat (sql, column->name);
            strcat (sql, "\"");
        }
        strcat (sql, " FROM \"");
        strcat (sql, table->name);
        strcat (sql, "\" LIMIT 1");
        oa_stmt_t *stmt = oa_store_prepare (store, sql);
        assert (stmt);
        assert (oa_stmt_step (stmt) >= 0);
        oa_stmt_reset (stmt);
    }
}

static bool
s_index_exists (oa_store_t *store, const char *name)
{
    oa_stmt_t *stmt = oa_store_prepare (store, oa_store_is_postgres (store)
        ? "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
          "AND indexname = $1"
        : "SELECT name FROM sqlite_master WHERE type = 'index' AND name = $1");
    assert (stmt);
    oa_stmt_bind_text (stmt, 1, name);
    int rc = oa_stmt_step (stmt);
    oa_stmt_reset (stmt);
    assert (rc >= 0);
    return rc == 1;
}

static void
s_test_migrate (bool pg)
{
    s_db_t db = s_db_new (pg);
    oa_store_t *store = s_open (&db);
    assert (oa_schema_version (store) == 0);
    char err [512];
    assert (oa_schema_migrate (store, err, sizeof err) == 0);
    assert (oa_schema_version (store) == OA_SCHEMA_VERSION);
    s_assert_schema_complete (store);
    assert (s_index_exists (store, "idx_tokens_key"));
    assert (s_index_exists (store, "uidx_token_txn"));
    assert (s_index_exists (store, "index_username_model_name"));
    //  Idempotent, also from a second connection.
    assert (oa_schema_migrate (store, err, sizeof err) == 0);
    oa_store_t *other = s_open (&db);
    assert (oa_schema_migrate (other, err, sizeof err) == 0);
    assert (oa_schema_version (other) == OA_SCHEMA_VERSION);
    oa_store_destroy (&other);
    assert (oa_store_user_count (store) == 0);
    oa_store_destroy (&store);
    s_db_drop (&db);
}

static void
s_test_bootstrap (bool pg)
{
    s_db_t db = s_db_new (pg);
    oa_store_t *store = s_open_migrated (&db);
    char err [512];
    const char *key = "sk-InitialRootToken0123456789abcdefghijklmnopqrstu";
    const char *access = "root-access-token-0123456789abcd";
    assert (oa_store_bootstrap (store, key, access, err, sizeof err) == 1);
    assert (oa_store_bootstrap (store, key, access, err, sizeof err) == 0);
    assert (oa_store_user_count (store) == 1);

    oa_user_t *root = NULL;
    assert (oa_store_user_by_username (store, "root", &root) == 1);
    assert (root->role == OA_ROLE_ROOT && root->status == OA_STATUS_ENABLED);
    assert (root->quota == OA_ROOT_QUOTA && root->used_quota == 0);
    assert (streq (root->group, "default"));
    assert (streq (root->display_name, "Root User"));
    assert (root->uuid && strlen (root->uuid) == 36);
    assert (root->aff_code && strlen (root->aff_code) == 4);
    assert (streq (root->access_token, access));
    assert (strncmp (root->password, "$2a$10$", 7) == 0);
    assert (oa_password_verify ("123456", root->password));
    assert (!oa_password_verify ("12345", root->password));
    assert (!oa_password_verify ("root", root->password));
    assert (root->created_at > 1700000000000LL && root->updated_at >= root->created_at);

    oa_user_t *same = NULL;
    assert (oa_store_user_by_access_token (store, access, &same) == 1);
    assert (same->id == root->id);
    oa_user_destroy (&same);
    assert (oa_store_user_by_access_token (store, "", &same) == 0 && !same);
    assert (oa_store_user_by_access_token (store, "nope", &same) == 0 && !same);

    oa_token_t *token = NULL;
    assert (oa_store_token_by_key (store, key, &token) == 0);       //  stored without sk-
    assert (oa_store_token_by_key (store, key + 3, &token) == 1);
    assert (streq (token->key, key + 3));
    assert (token->user_id == root->id && streq (token->user_uuid, root->uuid));
    assert (token->unlimited_quota && token->expired_time == -1);
    assert (token->status == OA_STATUS_ENABLED && token->remain_quota == OA_ROOT_QUOTA);
    assert (streq (token->name, "Initial Root Token"));
    assert (!token->models && streq (token->subnet, ""));
    oa_token_destroy (&token);
    oa_user_destroy (&root);
    oa_store_destroy (&store);
    s_db_drop (&db);

    //  Without the variables: a random 32-character access token, no token.
    db = s_db_new (pg);
    store = s_open_migrated (&db);
    assert (oa_store_bootstrap (store, NULL, "", err, sizeof err) == 1);
    assert (oa_store_user_by_id (store, 1, &root) == 1);
    assert (strlen (root->access_token) == 32);
    zlistx_t *tokens = oa_store_tokens_list (store, 0, 0, 100);
    assert (tokens && zlistx_size (tokens) == 0);
    zlistx_destroy (&tokens);
    oa_user_destroy (&root);
    oa_store_destroy (&store);
    s_db_drop (&db);
}

static void
s_test_users (oa_store_t *store)
{
    oa_user_t *user = oa_user_new ();
    oa_record_set (&user->username, "zoë");
    oa_record_set (&user->password, "$2a$10$x");
    oa_record_set (&user->display_name, "Zoë \"Z\" O'Neil — 测试 🚀");
    oa_record_set (&user->email, "zoe@example.com");
    oa_record_set (&user->group, "vip");
    oa_record_set (&user->aff_code, "Zz9'");
    oa_record_set (&user->metadata, "{\"k\":\"v\\\"\"}");
    user->quota = 1234567890123LL;
    user->inviter_id = 7;
    assert (oa_store_user_insert (store, user) == 0);
    assert (user->id > 0 && user->uuid && user->created_at > 0);

    oa_user_t *read = NULL;
    assert (oa_store_user_by_id (store, user->id, &read) == 1);
    assert (streq (read->username, "zoë") && streq (read->display_name, user->display_name));
    assert (streq (read->uuid, user->uuid) && streq (read->group, "vip"));
    assert (streq (read->aff_code, "Zz9'") && streq (read->metadata, user->metadata));
    assert (read->quota == 1234567890123LL && read->inviter_id == 7);
    assert (read->role == OA_ROLE_COMMON && read->status == OA_STATUS_ENABLED);
    assert (!read->github_id && !read->access_token && !read->totp_secret);
    assert (!read->inviter_uuid && !read->mcp_tool_blacklist);
    assert (read->created_at == user->created_at);
    oa_user_destroy (&read);

    //  Update: set some, clear some.
    oa_record_set (&user->email, NULL);
    oa_record_set (&user->github_id, "gh-1");
    user->status = OA_STATUS_DISABLED;
    user->used_quota = 5;
    assert (oa_store_user_update (store, user) == 1);
    assert (oa_store_user_by_username (store, "zoë", &read) == 1);
    assert (!read->email && streq (read->github_id, "gh-1"));
    assert (read->status == OA_STATUS_DISABLED && read->used_quota == 5);
    oa_user_destroy (&read);

    //  Unique username.
    oa_user_t *twin = oa_user_new ();
    oa_record_set (&twin->username, "zoë");
    oa_record_set (&twin->password, "x");
    assert (oa_store_user_insert (store, twin) == -1);
    assert (oa_store_errcode (store) == OA_STORE_ERR_UNIQUE);
    oa_record_set (&twin->username, "zoe2");
    free (twin->uuid);
    twin->uuid = NULL;
    assert (oa_store_user_insert (store, twin) == 0);

    zlistx_t *list = oa_store_users_list (store, 0, 10);
    assert (list && zlistx_size (list) == 2);
    assert (((oa_user_t *) zlistx_first (list))->id == twin->id);  //  newest first
    zlistx_destroy (&list);
    list = oa_store_users_list (store, 1, 10);
    assert (list && zlistx_size (list) == 1);
    zlistx_destroy (&list);

    assert (oa_store_user_delete (store, twin->id) == 1);
    assert (oa_store_user_delete (store, twin->id) == 0);
    assert (oa_store_user_by_id (store, twin->id, &read) == 0 && !read);
    twin->id = 999999;
    assert (oa_store_user_update (store, twin) == 0);
    oa_user_destroy (&twin);
    oa_user_destroy (&user);
}

static void
s_test_tokens (oa_store_t *store)
{
    oa_token_t *token = oa_token_new ();
    token->user_id = 1;
    oa_record_set (&token->key, "abcdefghijklmnopABCDEFGHIJKLMNOPQRSTUVWXYZ012345");
    oa_record_set (&token->name, "ключ 'one'");
    oa_record_set (&token->models, "gpt-4o,claude-3");
    token->remain_quota = 100;
    token->created_time = 1700000000;
    assert (oa_store_token_insert (store, token) == 0 && token->id > 0);
    oa_token_t *read = NULL;
    assert (oa_store_token_by_key (store, token->key, &read) == 1);
    assert (read->id == token->id && streq (read->name, token->name));
    assert (streq (read->models, "gpt-4o,claude-3") && streq (read->subnet, ""));
    assert (!read->unlimited_quota && read->expired_time == -1 && read->remain_quota == 100);
    assert (!read->user_uuid);
    oa_token_destroy (&read);

    token->unlimited_quota = true;
    token->status = OA_TOKEN_STATUS_EXHAUSTED;
    oa_record_set (&token->models, NULL);
    assert (oa_store_token_update (store, token) == 1);
    assert (oa_store_token_by_id (store, token->id, &read) == 1);
    assert (read->unlimited_quota && read->status == OA_TOKEN_STATUS_EXHAUSTED && !read->models);
    oa_token_destroy (&read);

    oa_token_t *other = oa_token_new ();
    other->user_id = 2;
    oa_record_set (&other->key, "short-key");     //  char(48) pads on PostgreSQL
    assert (oa_store_token_insert (store, other) == 0);
    assert (oa_store_token_by_key (store, "short-key", &read) == 1);
    assert (streq (read->key, "short-key"));
    oa_token_destroy (&read);

    zlistx_t *list = oa_store_tokens_list (store, 2, 0, 10);
    assert (list && zlistx_size (list) == 1);
    zlistx_destroy (&list);
    list = oa_store_tokens_list (store, 0, 0, 10);
    assert (list && zlistx_size (list) == 2);
    zlistx_destroy (&list);
    assert (oa_store_token_delete (store, other->id) == 1);
    assert (oa_store_token_by_key (store, "short-key", &read) == 0);
    oa_token_destroy (&other);
    oa_token_destroy (&token);
}

static void
s_test_channels (oa_store_t *store)
{
    oa_channel_t *channel = oa_channel_new ();
    channel->type = 14;
    oa_record_set (&channel->key, "appId|secret'Id|key\"");
    oa_record_set (&channel->name, "Anthropic ☁");
    oa_record_set (&channel->models, "claude-3-5-sonnet,claude-3-opus");
    oa_record_set (&channel->group, "default,vip");
    oa_record_set (&channel->model_mapping, "{\"a\":\"b\"}");
    oa_record_set (&channel->config, "{\"region\":\"us-east-1\"}");
    channel->balance = 12.75;
    channel->priority = -3;
    channel->weight = 7;
    assert (oa_store_channel_insert (store, channel) == 0 && channel->id > 0);
    oa_channel_t *read = NULL;
    assert (oa_store_channel_by_id (store, channel->id, &read) == 1);
    assert (read->type == 14 && streq (read->key, channel->key));
    assert (streq (read->name, "Anthropic ☁") && streq (read->group, "default,vip"));
    assert (read->balance == 12.75 && read->priority == -3 && read->weight == 7);
    assert (streq (read->base_url, "") && !read->other && !read->hidden_models);
    assert (!read->system_prompt && !read->testing_model);
    oa_channel_destroy (&read);

    oa_record_set (&channel->system_prompt, "Be brief.\nReally.");
    channel->status = OA_CHANNEL_STATUS_AUTO_DISABLED;
    assert (oa_store_channel_update (store, channel) == 1);
    assert (oa_store_channel_by_id (store, channel->id, &read) == 1);
    assert (streq (read->system_prompt, "Be brief.\nReally."));
    assert (read->status == OA_CHANNEL_STATUS_AUTO_DISABLED);
    oa_channel_destroy (&read);
    zlistx_t *list = oa_store_channels_list (store, 0, 100);
    assert (list && zlistx_size (list) == 1);
    zlistx_destroy (&list);
    assert (oa_store_channel_delete (store, channel->id) == 1);
    assert (oa_store_channel_by_id (store, channel->id, &read) == 0);
    oa_channel_destroy (&channel);
}

static void
s_test_options (oa_store_t *store)
{
    char *value = NULL;
    assert (oa_store_option_get (store, "Notice", &value) == 0 && !value);
    assert (oa_store_option_set (store, "Notice", "Hello 'world' \"again\" ✓") == 0);
    assert (oa_store_option_get (store, "Notice", &value) == 1);
    assert (streq (value, "Hello 'world' \"again\" ✓"));
    free (value);
    assert (oa_store_option_set (store, "Notice", "") == 0);
    assert (oa_store_option_get (store, "Notice", &value) == 1 && streq (value, ""));
    free (value);
    assert (oa_store_option_set (store, "Empty", NULL) == 0);
    assert (oa_store_option_get (store, "Empty", &value) == 1 && value == NULL);
    zhashx_t *all = oa_store_options_all (store);
    assert (all && zhashx_size (all) == 2);
    assert (streq ((char *) zhashx_lookup (all, "Empty"), ""));
    zhashx_destroy (&all);
}

static void
s_test_crud (bool pg)
{
    s_db_t db = s_db_new (pg);
    oa_store_t *store = s_open_migrated (&db);
    s_test_users (store);
    s_test_tokens (store);
    s_test_channels (store);
    s_test_options (store);
    oa_store_destroy (&store);
    s_db_drop (&db);
}

static void
s_test_transactions (bool pg)
{
    s_db_t db = s_db_new (pg);
    oa_store_t *store = s_open_migrated (&db);
    assert (oa_store_begin (store) == 0 && oa_store_in_transaction (store));
    assert (oa_store_option_set (store, "A", "1") == 0);
    assert (oa_store_rollback (store) == 0 && !oa_store_in_transaction (store));
    char *value = NULL;
    assert (oa_store_option_get (store, "A", &value) == 0);

    assert (oa_store_begin (store) == 0);
    assert (oa_store_option_set (store, "A", "2") == 0);
    assert (oa_store_option_set (store, "B", "3") == 0);
    assert (oa_store_commit (store) == 0);
    assert (oa_store_option_get (store, "A", &value) == 1 && streq (value, "2"));
    free (value);

    //  An error inside a transaction: roll back, then the store works on.
    oa_user_t *user = oa_user_new ();
    oa_record_set (&user->username, "dup");
    oa_record_set (&user->password, "x");
    assert (oa_store_user_insert (store, user) == 0);
    assert (oa_store_begin (store) == 0);
    assert (oa_store_option_set (store, "C", "4") == 0);
    free (user->uuid);
    user->uuid = NULL;
    assert (oa_store_user_insert (store, user) == -1);
    assert (oa_store_errcode (store) == OA_STORE_ERR_UNIQUE);
    assert (oa_store_rollback (store) == 0);
    assert (oa_store_option_get (store, "C", &value) == 0);
    assert (oa_store_user_count (store) == 1);
    oa_user_destroy (&user);

    //  A second connection does not see uncommitted writes.
    oa_store_t *other = s_open (&db);
    assert (oa_store_begin (store) == 0);
    assert (oa_store_option_set (store, "D", "5") == 0);
    if (pg)     //  SQLite's second writer would wait on the lock; readers don't
        assert (oa_store_option_get (other, "D", &value) == 0);
    assert (oa_store_commit (store) == 0);
    assert (oa_store_option_get (other, "D", &value) == 1 && streq (value, "5"));
    free (value);
    oa_store_destroy (&other);
    oa_store_destroy (&store);
    s_db_drop (&db);
}

static void
s_test_newer (bool pg)
{
    s_db_t db = s_db_new (pg);
    oa_store_t *store = s_open_migrated (&db);
    assert (oa_store_exec (store, "UPDATE \"" OA_SCHEMA_TABLE "\" SET \"version\" = 99") == 0);
    char err [512];
    assert (oa_schema_migrate (store, err, sizeof err) == -2);
    assert (strstr (err, "version 99") && strstr (err, "version 1"));
    assert (!oa_store_in_transaction (store));
    assert (oa_schema_version (store) == 99);
    oa_store_destroy (&store);
    s_db_drop (&db);
}

static void
s_test_legacy (bool pg)
{
    s_db_t db = s_db_new (pg);
    oa_store_t *store = s_open (&db);
    assert (oa_store_exec (store, pg? oa_store_testdb_legacy_pg
                                    : oa_store_testdb_legacy_sqlite) == 0);
    char err [512];
    assert (oa_schema_migrate (store, err, sizeof err) == 0);
    assert (oa_schema_version (store) == OA_SCHEMA_VERSION);
    s_assert_schema_complete (store);
    assert (s_index_exists (store, "idx_users_inviter_uuid"));
    assert (s_index_exists (store, "idx_logs_trace_id"));
    //  Users exist: no bootstrap.
    assert (oa_store_bootstrap (store, "sk-x", NULL, err, sizeof err) == 0);
    assert (oa_store_user_count (store) == 2);

    oa_user_t *user = NULL;
    assert (oa_store_user_by_username (store, "alice", &user) == 1);
    assert (streq (user->display_name, "爱丽丝 \"A\" 'x'"));
    assert (streq (user->group, "vip") && user->quota == 1000 && user->inviter_id == 1);
    assert (streq (user->uuid, "0190f000-0000-7000-8000-000000000002"));
    assert (!user->access_token && !user->totp_secret && !user->metadata);
    assert (oa_password_verify ("U*U", user->password));
    oa_user_destroy (&user);
    assert (oa_store_user_by_access_token (store, "0190f0000000700080000000000000aa",
                                           &user) == 1);
    assert (streq (user->username, "root") && user->role == OA_ROLE_ROOT);
    assert (user->quota == OA_ROOT_QUOTA && user->used_quota == 12);
    assert (user->request_count == 3);
    oa_user_destroy (&user);

    oa_token_t *token = NULL;
    assert (oa_store_token_by_key (store, "abcdefghijklmnop0190F000A000B000C000D000E000F001",
                                   &token) == 1);
    assert (token->user_id == 2 && !token->unlimited_quota && token->remain_quota == 5000);
    assert (streq (token->models, "gpt-4o,gpt-4o-mini") && token->used_quota == 7);
    assert (token->expired_time == -1 && !token->user_uuid);
    oa_token_destroy (&token);
    assert (oa_store_token_by_key (store, "qrstuvwxyzABCDEF0190F000A000B000C000D000E000F002",
                                   &token) == 1);
    assert (token->unlimited_quota && token->status == OA_STATUS_DISABLED);
    assert (!token->models && streq (token->subnet, "10.0.0.0/8"));
    oa_token_destroy (&token);

    zlistx_t *channels = oa_store_channels_list (store, 0, 10);
    assert (channels && zlistx_size (channels) == 1);
    oa_channel_t *channel = (oa_channel_t *) zlistx_first (channels);
    assert (streq (channel->key, "sk-upstream-secret") && channel->type == 1);
    assert (channel->balance == 12.5 && channel->priority == 10 && channel->weight == 5);
    assert (streq (channel->group, "default,vip"));
    assert (streq (channel->model_mapping, "{\"gpt-4\":\"gpt-4o\"}"));
    assert (!channel->hidden_models && !channel->inference_profile_arn_map);
    zlistx_destroy (&channels);

    char *value = NULL;
    assert (oa_store_option_get (store, "Notice", &value) == 1);
    assert (streq (value, "Hello, 世界"));
    free (value);
    assert (oa_store_option_set (store, "Notice", "new") == 0);   //  new columns written

    //  The old log row is intact and the new columns read as their defaults.
    oa_stmt_t *stmt = oa_store_prepare (store,
        "SELECT \"quota\", \"is_stream\", \"origin_model_name\", \"cached_prompt_tokens\", "
        "\"uuid\" FROM \"logs\" WHERE \"user_id\" = $1");
    assert (stmt);
    oa_stmt_bind_int64 (stmt, 1, 2);
    assert (oa_stmt_step (stmt) == 1);
    assert (oa_stmt_int64 (stmt, 0) == 42 && oa_stmt_bool (stmt, 1));
    assert (streq (oa_stmt_text (stmt, 2), "") && oa_stmt_int64 (stmt, 3) == 0);
    assert (oa_stmt_is_null (stmt, 4));
    oa_stmt_reset (stmt);

    //  New rows go in beside the old ones.
    oa_token_t *fresh = oa_token_new ();
    fresh->user_id = 2;
    oa_record_set (&fresh->key, "newkeynewkeynewkeynewkeynewkeynewkeynewkeynewkey");
    assert (oa_store_token_insert (store, fresh) == 0 && fresh->id == 3);
    oa_token_destroy (&fresh);
    assert (oa_schema_migrate (store, err, sizeof err) == 0);     //  and again: no-op
    oa_store_destroy (&store);
    s_db_drop (&db);
}

//  The ledger actor on this driver: connects, migrates, bootstraps, READY.
static void
s_test_actor (bool pg)
{
    s_db_t db = s_db_new (pg);
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    free (config->sql_dsn);
    config->sql_dsn = strdup (pg? db.where: "");
    free (config->sqlite_path);
    config->sqlite_path = strdup (pg? "": db.where);
    free (config->initial_root_token);
    config->initial_root_token = strdup ("");
    free (config->initial_root_access_token);
    config->initial_root_access_token = strdup ("");
    zactor_t *ledger = zactor_new (oa_ledger_actor, config);
    int64_t deadline = oa_clock_mono_ms () + 10000;
    char *status = NULL;
    do {
        zstr_free (&status);
        zclock_sleep (20);
        zstr_send (ledger, "STATUS");
        status = zstr_recv (ledger);
    } while (status && streq (status, "CONNECTING") && oa_clock_mono_ms () < deadline);
    assert (status && streq (status, "READY"));
    zstr_free (&status);
    assert (oa_health_overall () == OA_HEALTH_READY);
    zactor_destroy (&ledger);
    oa_config_destroy (&config);
    oa_store_t *store = s_open (&db);
    assert (oa_store_user_count (store) == 1);
    oa_store_destroy (&store);
    s_db_drop (&db);
}

static void
s_suite (bool pg, bool verbose)
{
    struct {
        const char *name;
        void (*test) (bool pg);
    } tests [] = {
        { "migrate", s_test_migrate },
        { "bootstrap", s_test_bootstrap },
        { "crud", s_test_crud },
        { "transactions", s_test_transactions },
        { "newer", s_test_newer },
        { "legacy", s_test_legacy },
        { "actor", s_test_actor },
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests [0]; i++) {
        if (verbose)
            printf ("\n   - %s ", tests [i].name);
        tests [i].test (pg);
    }
}

void
oa_store_sqlite_test (bool verbose)
{
    s_suite (false, verbose);
}

void
oa_store_pg_test (bool verbose)
{
    s_suite (true, verbose);
}
