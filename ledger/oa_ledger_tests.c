/*  =========================================================================
    oa_ledger_tests - the ledger actor's start-up, through its pipe

    SQLite start, restart and fatal paths; oneapi migrate; PostgreSQL
    unreachable (retries, health DOWN, $TERM within 1 s) and invalid DSN.
    These need no PostgreSQL server; oa_store_pg covers a live one.
    =========================================================================
*/
#include "oa_ledger.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "oa_health.h"
#include "oa_ids.h"
#include "oa_password.h"
#include "oa_records.h"
#include "oa_schema.h"
#include "oa_store.h"
#include "oa_store_testdb.h"

static void
s_set (char **field, const char *value)
{
    free (*field);
    *field = strdup (value? value: "");
}

static oa_config_t *
s_config (const char *dsn, const char *sqlite_path)
{
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    s_set (&config->sql_dsn, dsn);
    s_set (&config->sqlite_path, sqlite_path);
    s_set (&config->initial_root_token, NULL);
    s_set (&config->initial_root_access_token, NULL);
    return config;
}

//  Asks STATUS until the answer starts with prefix or timeout_ms passes;
//  returns the last answer (caller frees).
static char *
s_status_until (zactor_t *actor, const char *prefix, int timeout_ms)
{
    int64_t deadline = oa_clock_mono_ms () + timeout_ms;
    char *reply = NULL;
    while (true) {
        zstr_free (&reply);
        zstr_send (actor, "STATUS");
        reply = zstr_recv (actor);
        assert (reply);
        if (strncmp (reply, prefix, strlen (prefix)) == 0 || oa_clock_mono_ms () > deadline)
            return reply;
        zclock_sleep (20);
    }
}

static void
s_test_sqlite_start (bool verbose)
{
    char *path = oa_store_testdb_sqlite_path ();
    //  A directory that does not exist yet: the actor creates it.
    char *nested = zsys_sprintf ("%s.d/deeper/one-api.db", path);
    oa_config_t *config = s_config (NULL, nested);
    s_set (&config->initial_root_token, "sk-LedgerTestToken");
    s_set (&config->initial_root_access_token, "ledger-access-token");
    oa_health_reset ();
    zactor_t *ledger = zactor_new (oa_ledger_actor, config);
    assert (ledger);
    char *status = s_status_until (ledger, "READY", 10000);
    if (verbose)
        printf ("\n   - sqlite: %s", status);
    assert (streq (status, "READY"));
    zstr_free (&status);
    assert (oa_health_overall () == OA_HEALTH_READY);
    zstr_send (ledger, "DRAIN");
    status = zstr_recv (ledger);
    assert (status && streq (status, "DRAINED"));
    zstr_free (&status);
    zactor_destroy (&ledger);

    //  A restart finds everything in place and creates nothing twice.
    ledger = zactor_new (oa_ledger_actor, config);
    status = s_status_until (ledger, "READY", 10000);
    assert (streq (status, "READY"));
    zstr_free (&status);
    zactor_destroy (&ledger);

    char err [256];
    oa_store_t *store = oa_store_open (NULL, nested, err, sizeof err);
    assert (store);
    assert (oa_schema_version (store) == OA_SCHEMA_VERSION);
    assert (oa_store_user_count (store) == 1);
    oa_user_t *root = NULL;
    assert (oa_store_user_by_access_token (store, "ledger-access-token", &root) == 1);
    assert (oa_password_verify ("123456", root->password));
    oa_user_destroy (&root);
    oa_token_t *token = NULL;
    assert (oa_store_token_by_key (store, "LedgerTestToken", &token) == 1);
    assert (token->unlimited_quota);
    oa_token_destroy (&token);

    //  A newer schema is fatal, and says which versions.
    assert (oa_store_exec (store, "UPDATE \"" OA_SCHEMA_TABLE "\" SET \"version\" = 42") == 0);
    oa_store_destroy (&store);
    assert (oa_store_migrate_only (config, err, sizeof err) == -1);
    assert (strstr (err, "version 42") && strstr (err, "version 1"));
    ledger = zactor_new (oa_ledger_actor, config);
    status = s_status_until (ledger, "FATAL", 10000);
    if (verbose)
        printf ("\n   - newer: %s", status);
    assert (strncmp (status, "FATAL ", 6) == 0 && strstr (status, "version 42"));
    zstr_free (&status);
    assert (oa_health_overall () == OA_HEALTH_DOWN);
    zactor_destroy (&ledger);

    oa_config_destroy (&config);
    char *command = zsys_sprintf ("rm -rf '%s.d'", path);
    assert (system (command) == 0);
    zstr_free (&command);
    zstr_free (&nested);
    oa_store_testdb_sqlite_remove (&path);
}

static void
s_test_migrate_only (void)
{
    char *path = oa_store_testdb_sqlite_path ();
    oa_config_t *config = s_config (NULL, path);
    char err [256];
    assert (oa_store_migrate_only (config, err, sizeof err) == 0);
    assert (oa_store_migrate_only (config, err, sizeof err) == 0);
    oa_store_t *store = oa_store_open (NULL, path, err, sizeof err);
    assert (store && oa_schema_version (store) == OA_SCHEMA_VERSION);
    assert (oa_store_user_count (store) == 0);         //  migrate does not bootstrap
    oa_store_destroy (&store);
    s_set (&config->sqlite_path, "/proc/oa-no-such/x.db");
    assert (oa_store_migrate_only (config, err, sizeof err) == -1);
    assert (strstr (err, "SQLITE_PATH"));
    oa_config_destroy (&config);
    oa_store_testdb_sqlite_remove (&path);
}

static void
s_test_fatal (const char *dsn, const char *sqlite_path, const char *expect, bool verbose)
{
    oa_config_t *config = s_config (dsn, sqlite_path);
    oa_health_reset ();
    zactor_t *ledger = zactor_new (oa_ledger_actor, config);
    char *status = s_status_until (ledger, "FATAL", 5000);
    if (verbose)
        printf ("\n   - fatal: %s", status);
    assert (strncmp (status, "FATAL ", 6) == 0 && strstr (status, expect));
    zstr_free (&status);
    assert (oa_health_overall () == OA_HEALTH_DOWN);
    char json [1024];
    oa_health_json (json, sizeof json);
    assert (strstr (json, "\"store\"") && strstr (json, expect));
    zactor_destroy (&ledger);
    oa_config_destroy (&config);
}

static void
s_test_pg_unreachable (bool verbose)
{
    //  Port 1 on loopback: nothing listens, connections are refused at once.
    oa_config_t *config = s_config ("postgres://postgres@127.0.0.1:1/postgres", NULL);
    oa_health_reset ();
    zactor_t *ledger = zactor_new (oa_ledger_actor, config);
    zclock_sleep (800);         //  several attempts: 100, 200, 400 ms backoff
    char *status = s_status_until (ledger, "CONNECTING", 0);
    assert (streq (status, "CONNECTING"));
    zstr_free (&status);
    assert (oa_health_overall () == OA_HEALTH_DOWN);
    char json [1024];
    oa_health_json (json, sizeof json);
    if (verbose)
        printf ("\n   - unreachable: %s", json);
    assert (strstr (json, "\"store\""));
    int64_t start = oa_clock_mono_ms ();
    zactor_destroy (&ledger);
    int64_t took = oa_clock_mono_ms () - start;
    if (verbose)
        printf ("\n   - $TERM took %d ms", (int) took);
    assert (took < 1000);
    oa_config_destroy (&config);

    //  A server that accepts but never answers (a listening socket nobody
    //  accepts from): the connect is pending when $TERM comes, and is
    //  abandoned within ~100 ms.
    int listener = socket (AF_INET, SOCK_STREAM, 0);
    assert (listener >= 0);
    struct sockaddr_in address = { .sin_family = AF_INET,
                                   .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
    socklen_t size = sizeof address;
    assert (bind (listener, (struct sockaddr *) &address, size) == 0);
    assert (listen (listener, 8) == 0);
    assert (getsockname (listener, (struct sockaddr *) &address, &size) == 0);
    char *dsn = zsys_sprintf ("postgres://postgres@127.0.0.1:%d/postgres?connect_timeout=30",
                              ntohs (address.sin_port));
    config = s_config (dsn, NULL);
    zstr_free (&dsn);
    ledger = zactor_new (oa_ledger_actor, config);
    zclock_sleep (300);
    status = s_status_until (ledger, "CONNECTING", 0);
    assert (streq (status, "CONNECTING"));
    zstr_free (&status);
    start = oa_clock_mono_ms ();
    zactor_destroy (&ledger);
    took = oa_clock_mono_ms () - start;
    if (verbose)
        printf ("\n   - $TERM while connecting took %d ms", (int) took);
    assert (took < 1000);
    oa_config_destroy (&config);
    close (listener);
}

void
oa_ledger_test (bool verbose)
{
    s_test_sqlite_start (verbose);
    s_test_migrate_only ();
    s_test_fatal (NULL, "/proc/x.db", "SQLITE_PATH", verbose);
    s_test_fatal ("postgres://[::1/oops", NULL, "SQL_DSN", verbose);
    s_test_fatal ("mysql://root@localhost/db", NULL, "MySQL", verbose);
    s_test_pg_unreachable (verbose);
    oa_health_reset ();
}
