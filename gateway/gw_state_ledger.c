/*  =========================================================================
    gw_state_ledger - the replica fed by a real ledger actor over inproc:
    seed a store, start the ledger, snapshot from a DEALER into a gw_state,
    authenticate and choose; publish a change, receive it on a SUB, see a
    disabled token refused; drop a change and see the gap.

    Test only.  It reaches into ledger/ for the actor and the store, which
    gateway code never does: the two roles meet only through messages.
    =========================================================================
*/
#include "gw_state.h"

#include <unistd.h>

#include "../ledger/oa_ledger.h"
#include "../ledger/oa_records.h"
#include "../ledger/oa_store_testdb.h"
#include "oa_ids.h"

static void
s_set (char **field, const char *value)
{
    free (*field);
    *field = strdup (value? value: "");
}

static void
s_seed (oa_config_t *config)
{
    char err [512];
    assert (oa_store_migrate_only (config, err, sizeof err) == 0);
    oa_store_t *store = oa_store_open (config->sql_dsn, config->sqlite_path, err, sizeof err);
    assert (store);
    oa_user_t *user = oa_user_new ();
    oa_record_set (&user->username, "alice");
    oa_record_set (&user->password, "$2a$10$x");
    user->quota = 5000;
    assert (oa_store_user_insert (store, user) == 0);
    oa_token_t *token = oa_token_new ();
    token->user_id = user->id;
    oa_record_set (&token->key, "E2eKey00000000000000");
    oa_record_set (&token->name, "e2e");
    token->remain_quota = 100;
    assert (oa_store_token_insert (store, token) == 0);
    oa_token_destroy (&token);
    oa_user_destroy (&user);
    oa_channel_t *channel = oa_channel_new ();
    channel->type = 14;
    oa_record_set (&channel->key, "sk-ant");
    oa_record_set (&channel->models, "claude-3,alias");
    oa_record_set (&channel->group, "default");
    oa_record_set (&channel->model_mapping, "{\"alias\":\"claude-3-upstream\"}");
    assert (oa_store_channel_insert (store, channel) == 0);
    oa_channel_destroy (&channel);
    assert (oa_store_option_set (store, "GroupRatio", "{\"default\":0.5}") >= 0);
    oa_store_destroy (&store);
}

static char *
s_ask (zactor_t *ledger, const char *command)
{
    zstr_send (ledger, command);
    char *reply = zstr_recv (ledger);
    assert (reply);
    return reply;
}

static oa_msg_t *
s_recv (zsock_t *socket)
{
    zpoller_t *poller = zpoller_new (socket, NULL);
    void *which = zpoller_wait (poller, 5000);
    zpoller_destroy (&poller);
    assert (which == socket);
    int err = 0;
    oa_msg_t *msg = oa_msg_recv (zsock_resolve (socket), 0, &err);
    assert (msg);
    return msg;
}

static void
s_publish (zactor_t *ledger, const char *table, const char *row)
{
    zstr_sendm (ledger, "PUBLISH");
    zstr_sendm (ledger, table);
    zstr_sendm (ledger, "1");
    zstr_send (ledger, row);
}

static void
s_run (bool pg, bool verbose)
{
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    char *where = pg? oa_store_testdb_create (): oa_store_testdb_sqlite_path ();
    s_set (&config->sql_dsn, pg? where: NULL);
    s_set (&config->sqlite_path, pg? NULL: where);
    s_set (&config->initial_root_token, NULL);
    s_set (&config->initial_root_access_token, NULL);
    char endpoint [96];
    snprintf (endpoint, sizeof endpoint, "inproc://gw-state-ledger-%d-%s", getpid (),
              pg? "pg": "sqlite");
    s_set (&config->ledger_bind, endpoint);
    char pub_endpoint [128];
    snprintf (pub_endpoint, sizeof pub_endpoint, "%s-pub", endpoint);
    s_set (&config->ledger_pub_bind, pub_endpoint);
    s_seed (config);

    zactor_t *ledger = zactor_new (oa_ledger_actor, config);
    assert (ledger);
    char *reply = NULL;
    int64_t deadline = oa_clock_mono_ms () + 15000;
    do {
        zstr_free (&reply);
        zclock_sleep (20);
        reply = s_ask (ledger, "SYNC");
    } while (streq (reply, "NONE") && oa_clock_mono_ms () < deadline);
    assert (strncmp (reply, "seq=", 4) == 0);
    zstr_free (&reply);

    //  Subscribe first, then ask: no change can fall between the two.
    gw_state_t *state = gw_state_new ();
    zsock_t *sub = zsock_new_sub (pub_endpoint, "");
    zsock_t *dealer = zsock_new_dealer (endpoint);
    assert (sub && dealer);
    oa_msg_t *request = oa_msg_new (OA_MSG_SNAPSHOT_REQUEST);
    oa_msg_set_gateway_id (request, "gw-test");
    assert (oa_msg_send (request, zsock_resolve (dealer), 0) == 0);
    oa_msg_destroy (&request);
    while (!gw_state_ready (state)) {
        oa_msg_t *chunk = s_recv (dealer);
        assert (gw_state_apply (state, chunk) == 0);
        oa_msg_destroy (&chunk);
    }
    assert (gw_state_count (state, "abilities") == 2);      //  rebuilt from the channel
    gw_caller_t caller;
    gw_failure_t failure;
    assert (gw_state_authorize (state, "Bearer sk-E2eKey00000000000000", "127.0.0.1", "alias",
                                oa_clock_ms (), &caller, &failure) == 0);
    assert (streq (caller.group, "default") && caller.user_quota == 5000);
    oa_msg_t *relay = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (gw_state_choose (state, &caller, "alias", 3, oa_clock_ms (), relay, &failure) == 1);
    oa_msg_candidate_t *candidate = oa_msg_candidates_at (relay, 0);
    assert (streq (oa_msg_candidate_upstream_model (candidate), "claude-3-upstream"));
    assert (streq (oa_msg_candidate_base_url (candidate), "https://api.anthropic.com"));
    assert (streq (oa_msg_candidate_group_ratio (candidate), "0.5"));
    assert (streq (oa_msg_candidate_api_key (candidate), "sk-ant"));
    oa_msg_destroy (&relay);
    json_t *models = gw_state_models (state, "default");
    assert (json_array_size (json_object_get (models, "data")) == 2);
    json_decref (models);

    //  A change disables the token: refused from then on.
    zclock_sleep (50);
    s_publish (ledger, "tokens", "{\"id\":1,\"user_id\":1,\"key\":\"E2eKey00000000000000\","
               "\"status\":2,\"name\":\"e2e\",\"expired_time\":-1,\"remain_quota\":100}");
    oa_msg_t *change = s_recv (sub);
    assert (oa_msg_id (change) == OA_MSG_CHANGE);
    assert (oa_msg_seq (change) == gw_state_seq (state) + 1);
    assert (gw_state_apply (state, change) == 0);
    oa_msg_destroy (&change);
    assert (gw_state_authorize (state, "Bearer sk-E2eKey00000000000000", "127.0.0.1", "alias",
                                oa_clock_ms (), &caller, &failure) == -1);
    assert (failure.status == 401);
    assert (streq (failure.message, "token e2e (#1) status is not available (status: 2)"));

    //  A lost change is a gap: -1, the owner re-snapshots.
    s_publish (ledger, "options", "{\"key\":\"A\",\"value\":\"1\"}");
    s_publish (ledger, "options", "{\"key\":\"B\",\"value\":\"2\"}");
    change = s_recv (sub);
    oa_msg_destroy (&change);               //  "lost"
    change = s_recv (sub);
    assert (gw_state_apply (state, change) == -1);
    oa_msg_destroy (&change);
    request = oa_msg_new (OA_MSG_SNAPSHOT_REQUEST);
    oa_msg_set_gateway_id (request, "gw-test");
    assert (oa_msg_send (request, zsock_resolve (dealer), 0) == 0);
    oa_msg_destroy (&request);
    bool last = false;
    while (!last) {
        oa_msg_t *chunk = s_recv (dealer);
        last = oa_msg_last (chunk);
        assert (gw_state_apply (state, chunk) == 0);
        oa_msg_destroy (&chunk);
    }
    reply = s_ask (ledger, "SYNC");
    if (verbose)
        printf ("\n   - %s: %s, replica at %" PRIu64, pg? "postgres": "sqlite", reply,
                gw_state_seq (state));
    zstr_free (&reply);
    //  The store was not written by these test changes: the token row in
    //  the new snapshot is enabled again, and B came from the stream only.
    assert (streq (gw_state_option (state, "GroupRatio", ""), "{\"default\":0.5}"));

    zsock_destroy (&dealer);
    zsock_destroy (&sub);
    gw_state_destroy (&state);
    zactor_destroy (&ledger);
    oa_config_destroy (&config);
    if (pg)
        oa_store_testdb_drop (&where);
    else
        oa_store_testdb_sqlite_remove (&where);
}

void
oa_gateway_state_ledger_test (bool verbose)
{
    s_run (false, verbose);
}

void
oa_gateway_state_ledger_pg_test (bool verbose)
{
    s_run (true, verbose);
}
