/*  =========================================================================
    oa_store_testdb - throw-away databases for the store's tests
    (see oa_store_testdb.h).  Test support only: asserts on failure.
    =========================================================================
*/
#include "oa_store_testdb.h"

#include <czmq.h>
#include <libgen.h>
#include <libpq-fe.h>
#include <unistd.h>

#include "oa_ids.h"

static const char *
s_server_dsn (void)
{
    const char *dsn = getenv ("ONEAPI_TEST_PG_DSN");
    if (!dsn || !*dsn) {
        fprintf (stderr, "ONEAPI_TEST_PG_DSN is not set: PostgreSQL tests cannot run\n");
        assert (false);
    }
    return dsn;
}

static void
s_admin (const char *sql)
{
    PGconn *conn = PQconnectdb (s_server_dsn ());
    if (PQstatus (conn) != CONNECTION_OK) {
        fprintf (stderr, "ONEAPI_TEST_PG_DSN unreachable: %s", PQerrorMessage (conn));
        assert (false);
    }
    PGresult *result = PQexec (conn, sql);
    if (PQresultStatus (result) != PGRES_COMMAND_OK)
        fprintf (stderr, "%s: %s", sql, PQresultErrorMessage (result));
    assert (PQresultStatus (result) == PGRES_COMMAND_OK);
    PQclear (result);
    PQfinish (conn);
}

//  DSN of the same server with another database: swap the URI's path.
static char *
s_dsn_for (const char *name)
{
    const char *server = s_server_dsn ();
    const char *scheme = strstr (server, "://");
    assert (scheme);            //  a URI, as SQL_DSN is
    const char *path = strchr (scheme + 3, '/');
    const char *query = strchr (scheme + 3, '?');
    size_t host_len = path? (size_t) (path - server)
                    : query? (size_t) (query - server): strlen (server);
    return zsys_sprintf ("%.*s/%s%s", (int) host_len, server, name, query? query: "");
}

//  The database name is the last path element of our own DSN.
static char *
s_name_of (const char *dsn)
{
    const char *scheme = strstr (dsn, "://");
    const char *slash = strchr (scheme + 3, '/');
    assert (slash);
    return strndup (slash + 1, strcspn (slash + 1, "?"));
}

char *
oa_store_testdb_create (void)
{
    char suffix [9];
    oa_random_key (suffix, 8);
    for (char *at = suffix; *at; at++)
        if (*at >= 'A' && *at <= 'Z')
            *at += 'a' - 'A';   //  unquoted identifiers fold to lower case
    char name [64];
    snprintf (name, sizeof name, "oa_test_%d_%s", (int) getpid (), suffix);
    char sql [128];
    snprintf (sql, sizeof sql, "CREATE DATABASE %s", name);
    s_admin (sql);
    char *dsn = s_dsn_for (name);
    char *copy = strdup (dsn);
    zstr_free (&dsn);
    return copy;
}

void
oa_store_testdb_drop (char **dsn_p)
{
    if (!*dsn_p)
        return;
    char *name = s_name_of (*dsn_p);
    char sql [128];
    snprintf (sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    s_admin (sql);
    free (name);
    free (*dsn_p);
    *dsn_p = NULL;
}

char *
oa_store_testdb_sqlite_path (void)
{
    char dir [] = "/tmp/oa-store-test-XXXXXX";
    assert (mkdtemp (dir));
    char *path = zsys_sprintf ("%s/one-api.db", dir);
    char *copy = strdup (path);
    zstr_free (&path);
    return copy;
}

void
oa_store_testdb_sqlite_remove (char **path_p)
{
    if (!*path_p)
        return;
    char *dir = strdup (*path_p);
    char *command = zsys_sprintf ("rm -rf '%s'", dirname (dir));
    assert (system (command) == 0);
    zstr_free (&command);
    free (dir);
    free (*path_p);
    *path_p = NULL;
}
