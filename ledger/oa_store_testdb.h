/*  =========================================================================
    oa_store_testdb - throw-away databases for the store's tests

    PostgreSQL tests need a server: ONEAPI_TEST_PG_DSN names it (e.g.
    postgres://postgres@127.0.0.1:5432/postgres).  Each test creates its own
    database there and drops it after, so tests run in parallel.  A missing
    variable or an unreachable server FAILS the test (assert), never skips:
    a green run must mean PostgreSQL was tested.
    =========================================================================
*/
#ifndef OA_STORE_TESTDB_H_INCLUDED
#define OA_STORE_TESTDB_H_INCLUDED

//  Creates a fresh database; returns its DSN.  Caller owns (free or drop).
char *
    oa_store_testdb_create (void);

//  Drops the database named by *dsn_p, frees and nulls it.
void
    oa_store_testdb_drop (char **dsn_p);

//  Creates a fresh temporary directory for SQLite files and returns the
//  path of a database file inside it.  Caller owns (free or remove).
char *
    oa_store_testdb_sqlite_path (void);

//  Removes the directory holding a path from oa_store_testdb_sqlite_path.
void
    oa_store_testdb_sqlite_remove (char **path_p);

//  one-api's own DDL and rows for an older Laisky one-api database (some
//  columns and tables of the current models missing), per driver, as GORM
//  created them; the compatibility test upgrades it.
extern const char *oa_store_testdb_legacy_sqlite;
extern const char *oa_store_testdb_legacy_pg;

#endif
