/*  =========================================================================
    oa_ledger_sync_test - self test of oa_ledger_sync

    Abilities from channels, snapshot format and chunking, the change
    stream and USAGE counting, over inproc without the actor (the
    actor-hosted round trip into a gateway replica is the gateway's test
    oa_gateway_state_ledger).
    =========================================================================
*/
#include "oa_ledger_sync.h"

#include <jansson.h>

#include "oa_billing.h"
#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"
#include "oa_records.h"
#include "oa_schema.h"
#include "oa_store_testdb.h"

static int64_t
s_test_channel (oa_store_t *store, const char *models, const char *hidden, const char *group,
                int64_t status, int64_t priority)
{
    oa_channel_t *channel = oa_channel_new ();
    oa_record_set (&channel->models, models);
    oa_record_set (&channel->hidden_models, hidden);
    oa_record_set (&channel->group, group);
    oa_record_set (&channel->key, "sk-upstream");
    channel->status = status;
    channel->priority = priority;
    channel->type = 1;
    assert (oa_store_channel_insert (store, channel) == 0);
    int64_t id = channel->id;
    oa_channel_destroy (&channel);
    return id;
}

static int64_t
s_test_count (oa_store_t *store, const char *sql)
{
    oa_stmt_t *stmt = oa_store_prepare (store, sql);
    assert (stmt && oa_stmt_step (stmt) == 1);
    int64_t count = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    return count;
}

//  Receives one message on socket within 2 s.
static oa_msg_t *
s_test_recv (zsock_t *socket)
{
    zpoller_t *poller = zpoller_new (socket, NULL);
    void *which = zpoller_wait (poller, 2000);
    zpoller_destroy (&poller);
    assert (which == socket);
    int err = 0;
    oa_msg_t *msg = oa_msg_recv (zsock_resolve (socket), 0, &err);
    assert (msg);
    return msg;
}

static void
s_test_on (bool pg, bool verbose)
{
    char *where = pg? oa_store_testdb_create (): oa_store_testdb_sqlite_path ();
    char err [512];
    oa_store_t *store = oa_store_open (pg? where: NULL, pg? NULL: where, err, sizeof err);
    assert (store);
    assert (oa_schema_migrate (store, err, sizeof err) == 0);

    //  Abilities: group x model minus hidden, enabled mirrors status,
    //  stale rows dropped, suspensions kept.
    int64_t a = s_test_channel (store, "gpt-4o, gpt-4o ,claude,Hidden-X", "[\"HIDDEN-x\"]",
                                "default, vip,Default", 1, 7);
    int64_t b = s_test_channel (store, "m1", NULL, "default", 2, 0);
    oa_stmt_t *stmt = oa_store_prepare (store, "INSERT INTO \"abilities\" (\"group\", \"model\", "
        "\"channel_id\", \"enabled\", \"priority\", \"suspend_until\") VALUES ($1, $2, $3, $4, 0, $5)");
    assert (stmt);
    oa_stmt_bind_text (stmt, 1, "old");
    oa_stmt_bind_text (stmt, 2, "x");
    oa_stmt_bind_int64 (stmt, 3, 99);
    oa_stmt_bind_bool (stmt, 4, true);
    oa_stmt_bind_null (stmt, 5);
    assert (oa_stmt_exec (stmt) == 0);
    oa_stmt_bind_text (stmt, 1, "default");
    oa_stmt_bind_text (stmt, 2, "gpt-4o");
    oa_stmt_bind_int64 (stmt, 3, a);
    oa_stmt_bind_bool (stmt, 4, true);
    oa_stmt_bind_text (stmt, 5, "2099-01-01 00:00:00+00:00");
    assert (oa_stmt_exec (stmt) == 0);
    assert (oa_store_abilities_rebuild (store, err, sizeof err) == 5);
    assert (oa_store_abilities_rebuild (store, err, sizeof err) == 5);     //  idempotent
    assert (s_test_count (store, "SELECT COUNT(*) FROM \"abilities\"") == 5);
    assert (s_test_count (store, "SELECT COUNT(*) FROM \"abilities\" WHERE \"model\" = 'Hidden-X' "
                                 "OR \"group\" = 'old' OR \"group\" = 'Default'") == 0);
    assert (s_test_count (store, "SELECT COUNT(*) FROM \"abilities\" WHERE \"priority\" = 7") == 4);
    assert (s_test_count (store, "SELECT COUNT(*) FROM \"abilities\" WHERE "
                                 "\"suspend_until\" IS NOT NULL") == 1);
    (void) b;

    //  Rows for every table; big options force several chunks.
    oa_user_t *user = oa_user_new ();
    oa_record_set (&user->username, "alice");
    oa_record_set (&user->password, "$2a$10$secret");
    oa_record_set (&user->access_token, "access-token-never-sent");
    assert (oa_store_user_insert (store, user) == 0);
    oa_token_t *token = oa_token_new ();
    token->user_id = user->id;
    oa_record_set (&token->key, "shortKey");
    oa_record_set (&token->name, "t");
    assert (oa_store_token_insert (store, token) == 0);
    oa_token_destroy (&token);
    oa_user_destroy (&user);
    char *big = (char *) malloc (400 * 1024 + 1);
    memset (big, 'x', 400 * 1024);
    big [400 * 1024] = 0;
    for (int index = 0; index < 4; index++) {
        char key [16];
        snprintf (key, sizeof key, "Big%d", index);
        assert (oa_store_option_set (store, key, big) >= 0);
    }
    free (big);

    char endpoint [64];
    char pub_endpoint [96];
    snprintf (endpoint, sizeof endpoint, "inproc://oa-ledger-sync-%s-%d", pg? "pg": "lite", getpid ());
    snprintf (pub_endpoint, sizeof pub_endpoint, "%s-pub", endpoint);
    oa_ledger_sync_t *sync = oa_ledger_sync_new (store, endpoint, pub_endpoint, err, sizeof err);
    assert (sync);
    //  The same endpoints again: refused, with the reason.
    oa_ledger_sync_t *twin = oa_ledger_sync_new (store, endpoint, pub_endpoint, err, sizeof err);
    assert (!twin && strstr (err, "cannot bind"));
    uint64_t start_seq = oa_ledger_sync_seq (sync);
    assert (start_seq > 1000000000000000ULL);       //  wall clock x 1000

    zsock_t *dealer = zsock_new_dealer (endpoint);
    zsock_t *sub = zsock_new_sub (pub_endpoint, "");
    assert (dealer && sub);
    oa_msg_t *request = oa_msg_new (OA_MSG_SNAPSHOT_REQUEST);
    oa_msg_set_gateway_id (request, "test-gateway");
    assert (oa_msg_send (request, zsock_resolve (dealer), 0) == 0);
    oa_msg_destroy (&request);
    zclock_sleep (50);
    oa_ledger_sync_handle (sync);
    const char *order [] = { "tokens", "users", "channels", "abilities", "options" };
    int table = 0;
    int option_chunks = 0;
    bool last = false;
    while (!last) {
        oa_msg_t *chunk = s_test_recv (dealer);
        assert (oa_msg_id (chunk) == OA_MSG_SNAPSHOT_CHUNK);
        assert (oa_msg_seq (chunk) == start_seq);
        while (!streq (oa_msg_table (chunk), order [table]))
            table++;
        zframe_t *payload = oa_msg_payload (chunk);
        assert (zframe_size (payload) <= OA_LEDGER_SYNC_CHUNK_BYTES);
        json_error_t error;
        json_t *rows = json_loadb ((const char *) zframe_data (payload), zframe_size (payload),
                                   0, &error);
        assert (json_is_array (rows) && json_array_size (rows) == oa_msg_row_count (chunk));
        json_t *row = json_array_get (rows, 0);
        if (streq (order [table], "tokens")) {
            assert (streq (json_string_value (json_object_get (row, "key")), "shortKey"));
            assert (json_is_false (json_object_get (row, "unlimited_quota")));
            assert (json_integer_value (json_object_get (row, "expired_time")) == -1);
        }
        if (streq (order [table], "users")) {
            assert (json_object_get (row, "password") == NULL);
            assert (json_object_get (row, "access_token") == NULL);
            assert (streq (json_string_value (json_object_get (row, "group")), "default"));
            assert (strlen (json_string_value (json_object_get (row, "uuid"))) == 36);
        }
        if (streq (order [table], "abilities")) {
            assert (json_array_size (rows) == 5);
            size_t index;
            int suspended = 0;
            json_array_foreach (rows, index, row) {
                json_t *until = json_object_get (row, "suspend_until");
                if (json_is_integer (until)) {
                    assert (json_integer_value (until) == 4070908800000LL);
                    suspended++;
                }
                else
                    assert (json_is_null (until));
                assert (json_is_boolean (json_object_get (row, "enabled")));
            }
            assert (suspended == 1);
        }
        if (streq (order [table], "options"))
            option_chunks++;
        json_decref (rows);
        last = oa_msg_last (chunk);
        oa_msg_destroy (&chunk);
    }
    assert (table == 4 && option_chunks >= 2);
    assert (oa_ledger_sync_snapshot_count (sync) == 1);
    if (verbose)
        printf ("\n   - %s: snapshot at %" PRIu64 ", %d option chunks",
                oa_store_driver_name (store), start_seq, option_chunks);

    //  Changes: gap-free seq, row ids from the row; keyless rows refused.
    zclock_sleep (50);          //  the subscription reaches the PUB
    assert (oa_ledger_sync_publish (sync, "tokens", OA_MSG_OP_UPSERT,
                                    "{\"id\":5,\"key\":\"k\",\"status\":2}") == start_seq + 1);
    assert (oa_ledger_sync_publish (sync, "abilities", OA_MSG_OP_DELETE,
        "{\"group\":\"default\",\"model\":\"meta/llama\",\"channel_id\":3}") == start_seq + 2);
    assert (oa_ledger_sync_publish (sync, "options", OA_MSG_OP_UPSERT, "{\"value\":\"1\"}") == 0);
    assert (oa_ledger_sync_publish (sync, "users", OA_MSG_OP_UPSERT, "not json") == 0);
    oa_msg_t *change = s_test_recv (sub);
    assert (oa_msg_id (change) == OA_MSG_CHANGE && oa_msg_seq (change) == start_seq + 1);
    assert (streq (oa_msg_table (change), "tokens") && streq (oa_msg_row_id (change), "5"));
    assert (oa_msg_op (change) == OA_MSG_OP_UPSERT);
    oa_msg_destroy (&change);
    change = s_test_recv (sub);
    assert (oa_msg_seq (change) == start_seq + 2);
    assert (streq (oa_msg_row_id (change), "default/meta/llama/3"));
    oa_msg_destroy (&change);

    //  USAGE: counted, not answered (yet).
    oa_msg_t *usage = oa_msg_sample (OA_MSG_USAGE);
    assert (oa_msg_send (usage, zsock_resolve (dealer), 0) == 0);
    oa_msg_destroy (&usage);
    zclock_sleep (50);
    oa_ledger_sync_handle (sync);
    assert (oa_ledger_sync_usage_count (sync) == 1);
    zpoller_t *poller = zpoller_new (dealer, NULL);
    assert (zpoller_wait (poller, 100) == NULL);
    zpoller_destroy (&poller);

    zsock_destroy (&dealer);
    zsock_destroy (&sub);
    oa_ledger_sync_destroy (&sync);
    oa_ledger_sync_destroy (&sync);
    oa_store_destroy (&store);
    if (pg)
        oa_store_testdb_drop (&where);
    else
        oa_store_testdb_sqlite_remove (&where);
}

void
oa_ledger_sync_test (bool verbose)
{
    s_test_on (false, verbose);
}

void
oa_ledger_sync_pg_test (bool verbose)
{
    s_test_on (true, verbose);
}
