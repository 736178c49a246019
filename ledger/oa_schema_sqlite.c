/*  =========================================================================
    oa_schema_sqlite - SQLite-specific migration SQL

    SQLite serialises writers with BEGIN IMMEDIATE (oa_store_begin), so no
    extra lock is needed.  Steps above version 1 go in s_steps, each a list
    of constant statements; never edit a released step, add a new one.
    =========================================================================
*/
#include "oa_schema.h"

static const oa_schema_step_t s_steps [] = {
    { 0, NULL }
};

const oa_schema_driver_t oa_schema_sqlite = {
    .name = "sqlite",
    .lock_sql = NULL,
    .version_table_sql =
        "CREATE TABLE IF NOT EXISTS \"" OA_SCHEMA_TABLE "\" ("
        "\"id\" integer PRIMARY KEY, "
        "\"version\" integer NOT NULL, "
        "\"updated_at\" integer NOT NULL)",
    .columns_sql = "SELECT \"name\" FROM pragma_table_info($1)",
    .steps = s_steps,
};
