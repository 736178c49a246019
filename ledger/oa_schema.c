/*  =========================================================================
    oa_schema - creates or upgrades the schema (see oa_schema.h)

    CREATE TABLE and ALTER TABLE text is assembled from the constant table
    specification in oa_schema_tables.c: identifiers and declarations only,
    never values, which always travel as parameters.
    =========================================================================
*/
#include "oa_schema.h"

#include <czmq.h>
#include <string.h>

#include "oa_ids.h"
#include "oa_log.h"

static const oa_schema_driver_t *
s_driver (oa_store_t *store)
{
    return oa_store_is_postgres (store)? &oa_schema_pg: &oa_schema_sqlite;
}

int
oa_schema_version (oa_store_t *store)
{
    //  A missing table reads as version 0, without an error on either driver.
    oa_stmt_t *stmt = oa_store_prepare (store, s_driver (store)->columns_sql);
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, OA_SCHEMA_TABLE);
    int rc = oa_stmt_step (stmt);
    oa_stmt_reset (stmt);
    if (rc <= 0)
        return rc;
    stmt = oa_store_prepare (store, "SELECT \"version\" FROM \"" OA_SCHEMA_TABLE
                                    "\" WHERE \"id\" = 1");
    if (!stmt)
        return -1;
    rc = oa_stmt_step (stmt);
    int version = rc == 1? (int) oa_stmt_int64 (stmt, 0): rc;
    oa_stmt_reset (stmt);
    return version;
}

//  Fills columns with the table's column names; none means no table.
static int
s_read_columns (oa_store_t *store, const char *table, zhashx_t *columns)
{
    oa_stmt_t *stmt = oa_store_prepare (store, s_driver (store)->columns_sql);
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, table);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1) {
        const char *name = oa_stmt_text (stmt, 0);
        if (name)
            zhashx_update (columns, name, (void *) 1);
    }
    oa_stmt_reset (stmt);
    return rc;
}

static int
s_create_table (oa_store_t *store, const oa_schema_table_t *table)
{
    bool pg = oa_store_is_postgres (store);
    zchunk_t *sql = zchunk_new (NULL, 2048);
    char piece [256];
    snprintf (piece, sizeof piece, "CREATE TABLE IF NOT EXISTS \"%s\" (", table->name);
    zchunk_extend (sql, piece, strlen (piece));
    for (const oa_schema_column_t *column = table->columns; column->name; column++) {
        snprintf (piece, sizeof piece, "%s\"%s\" %s", column == table->columns? "": ", ",
                  column->name, pg? column->pg: column->sqlite);
        zchunk_extend (sql, piece, strlen (piece));
    }
    const char *tail = pg? table->pg_tail: table->sqlite_tail;
    if (tail) {
        zchunk_extend (sql, ", ", 2);
        zchunk_extend (sql, tail, strlen (tail));
    }
    zchunk_extend (sql, ")", 2);        //  with the terminator
    int rc = oa_store_exec (store, (const char *) zchunk_data (sql));
    zchunk_destroy (&sql);
    if (rc == 0)
        oa_log_info ("store", "created table %s", table->name);
    return rc;
}

//  Adds the columns an older one-api database lacks; keeps every row.
static int
s_upgrade_table (oa_store_t *store, const oa_schema_table_t *table, zhashx_t *existing)
{
    bool pg = oa_store_is_postgres (store);
    for (const oa_schema_column_t *column = table->columns; column->name; column++) {
        if (zhashx_lookup (existing, column->name))
            continue;
        if (column->key) {
            oa_log_error ("store", "table %s lacks key column %s: not a one-api table?",
                          table->name, column->name);
            return -1;
        }
        char sql [512];
        snprintf (sql, sizeof sql, "ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", table->name,
                  column->name, pg? column->pg: column->sqlite);
        if (oa_store_exec (store, sql) != 0)
            return -1;
        oa_log_info ("store", "added column %s.%s", table->name, column->name);
    }
    return 0;
}

//  The version-1 schema: every table, column and index, created if missing.
static int
s_ensure_base (oa_store_t *store)
{
    for (const oa_schema_table_t *table = oa_schema_tables; table->name; table++) {
        zhashx_t *existing = zhashx_new ();
        int rc = s_read_columns (store, table->name, existing);
        if (rc == 0)
            rc = zhashx_size (existing) == 0? s_create_table (store, table)
                                             : s_upgrade_table (store, table, existing);
        zhashx_destroy (&existing);
        for (const char *const *index = table->indexes; rc == 0 && *index; index++)
            rc = oa_store_exec (store, *index);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int
s_write_version (oa_store_t *store, int version)
{
    oa_stmt_t *stmt = oa_store_prepare (store,
        "INSERT INTO \"" OA_SCHEMA_TABLE "\" (\"id\", \"version\", \"updated_at\") "
        "VALUES (1, $1, $2) ON CONFLICT (\"id\") DO UPDATE "
        "SET \"version\" = excluded.\"version\", \"updated_at\" = excluded.\"updated_at\"");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, version);
    oa_stmt_bind_int64 (stmt, 2, oa_clock_ms ());
    return oa_stmt_exec (stmt);
}

static int
s_migrate (oa_store_t *store, const oa_schema_driver_t *driver, char *err, size_t err_size)
{
    if (driver->lock_sql && oa_store_exec (store, driver->lock_sql) != 0)
        return -1;
    if (oa_store_exec (store, driver->version_table_sql) != 0)
        return -1;
    int version = oa_schema_version (store);
    if (version < 0)
        return -1;
    if (version > OA_SCHEMA_VERSION) {
        snprintf (err, err_size,
                  "database schema version %d is newer than this binary's schema version %d "
                  "(oneapi %s); run a newer oneapi or restore a matching backup",
                  version, OA_SCHEMA_VERSION, OA_VERSION);
        return -2;
    }
    if (version == OA_SCHEMA_VERSION)
        return 0;
    if (version == 0) {
        oa_log_info ("store", "creating or upgrading one-api tables to schema version %d",
                     OA_SCHEMA_VERSION);
        if (s_ensure_base (store) != 0)
            return -1;
        version = 1;
    }
    for (const oa_schema_step_t *step = driver->steps; step->version; step++) {
        if (step->version <= version)
            continue;
        for (const char *const *sql = step->statements; *sql; sql++)
            if (oa_store_exec (store, *sql) != 0)
                return -1;
        oa_log_info ("store", "migrated to schema version %d", step->version);
        version = step->version;
    }
    assert (version == OA_SCHEMA_VERSION);  //  every version has its step
    return s_write_version (store, version);
}

int
oa_schema_migrate (oa_store_t *store, char *err, size_t err_size)
{
    const oa_schema_driver_t *driver = s_driver (store);
    assert (streq (driver->name, oa_store_driver_name (store)));
    if (err_size)
        err [0] = 0;
    if (oa_store_begin (store) != 0) {
        snprintf (err, err_size, "migrate: %s", oa_store_error (store));
        return -1;
    }
    int rc = s_migrate (store, driver, err, err_size);
    if (rc == 0 && oa_store_commit (store) == 0)
        return 0;
    if (rc != -2)
        snprintf (err, err_size, "migrate: %s", oa_store_error (store));
    oa_store_rollback (store);
    return rc == -2? -2: -1;
}

//  --------------------------------------------------------------------------
//  Self test: the specification is well formed.  Behaviour is tested on
//  both drivers by oa_store_suite.c.

void
oa_schema_test (bool verbose)
{
    (void) verbose;
    int tables = 0;
    for (const oa_schema_table_t *table = oa_schema_tables; table->name; table++) {
        tables++;
        assert (table->columns && table->indexes && table->pg_tail);
        zhashx_t *names = zhashx_new ();
        for (const oa_schema_column_t *column = table->columns; column->name; column++) {
            assert (column->sqlite && column->pg);
            assert (zhashx_insert (names, column->name, (void *) 1) == 0);     //  unique
        }
        zhashx_destroy (&names);
        for (const char *const *index = table->indexes; *index; index++)
            assert (strstr (*index, "IF NOT EXISTS"));
    }
    assert (tables == 9);
    assert (oa_schema_sqlite.steps && oa_schema_pg.steps);
}
