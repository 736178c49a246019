/*  =========================================================================
    oa_schema_pg - PostgreSQL-specific migration SQL

    Several processes may start at once against one database; a
    transaction-scoped advisory lock makes them migrate one after the other
    (the later ones then find the work done).  DDL is transactional here, so
    a failed migration leaves nothing behind.  Steps above version 1 go in
    s_steps; never edit a released step, add a new one.
    =========================================================================
*/
#include "oa_schema.h"

static const oa_schema_step_t s_steps [] = {
    { 0, NULL }
};

const oa_schema_driver_t oa_schema_pg = {
    .name = "postgres",
    //  "oneapi-c" as a number, so other users of advisory locks don't collide.
    .lock_sql = "SELECT pg_advisory_xact_lock(6701161197367587)",
    .version_table_sql =
        "CREATE TABLE IF NOT EXISTS \"" OA_SCHEMA_TABLE "\" ("
        "\"id\" integer PRIMARY KEY, "
        "\"version\" integer NOT NULL, "
        "\"updated_at\" bigint NOT NULL)",
    .columns_sql = "SELECT column_name FROM information_schema.columns "
                   "WHERE table_schema = current_schema() AND table_name = $1",
    .steps = s_steps,
};
