/*  =========================================================================
    oa_schema - one-api's tables, and migrations that create or upgrade them

    The tables are one-api's (Laisky fork) with the names, columns, types
    and index names GORM gives them on each driver, so a database created by
    one-api is read as it is, and one created here can be opened by one-api.
    Our own version lives in a table one-api never uses, oneapi_c_schema
    (one row, id 1).  Migration, all in one transaction:
      - no version row (empty database, or one created by one-api): create
        missing tables, add missing columns, create missing indexes (never
        drop or rewrite anything), then run every step;
      - version below ours: run the steps above it;
      - version above ours: refuse, naming both versions.
    =========================================================================
*/
#ifndef OA_SCHEMA_H_INCLUDED
#define OA_SCHEMA_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include "oa_store.h"

//  The schema version this binary writes and understands.
#define OA_SCHEMA_VERSION 1

//  Name of our version table.
#define OA_SCHEMA_TABLE "oneapi_c_schema"

//  One column, with its declaration on each driver (type, DEFAULT, NOT NULL).
typedef struct {
    const char *name;           //  column name; NULL ends the list
    const char *sqlite;         //  declaration as GORM writes it on SQLite
    const char *pg;             //  declaration as GORM writes it on PostgreSQL
    bool key;                   //  part of the primary key: never ALTER-added
} oa_schema_column_t;

//  One table.
typedef struct {
    const char *name;                       //  table name; NULL ends the list
    const oa_schema_column_t *columns;      //  in GORM's (struct) order
    const char *sqlite_tail;                //  constraints after the columns (SQLite) or NULL
    const char *pg_tail;                    //  constraints after the columns (PostgreSQL) or NULL
    const char *const *indexes;             //  CREATE [UNIQUE] INDEX IF NOT EXISTS ..., NULL-ended
} oa_schema_table_t;

//  A migration step after the base schema.
typedef struct {
    int version;                            //  version reached; 0 ends the list
    const char *const *statements;          //  constant SQL, NULL-ended
} oa_schema_step_t;

//  What differs per driver.
typedef struct {
    const char *name;                       //  driver name, as oa_store_driver_name
    const char *lock_sql;                   //  serialises concurrent migrators, or NULL
    const char *version_table_sql;          //  CREATE TABLE IF NOT EXISTS oneapi_c_schema
    const char *columns_sql;                //  column names of table $1 (none: no table)
    const oa_schema_step_t *steps;          //  steps above version 1
} oa_schema_driver_t;

//  The tables (shared by both drivers; declarations differ per column).
extern const oa_schema_table_t oa_schema_tables [];
extern const oa_schema_driver_t oa_schema_sqlite;
extern const oa_schema_driver_t oa_schema_pg;

//  Creates or upgrades the schema.  Returns 0 on success; -2 when the
//  database's version is newer than OA_SCHEMA_VERSION (fatal: err names both
//  versions); -1 on other errors (see oa_store_broken/oa_store_errcode for
//  whether retrying can help).
int
    oa_schema_migrate (oa_store_t *store, char *err, size_t err_size);

//  Reads the recorded version: 0 when none, -1 on error.
int
    oa_schema_version (oa_store_t *store);

//  Self test.
void
    oa_schema_test (bool verbose);

#endif
