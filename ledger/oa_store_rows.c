/*  =========================================================================
    oa_store_rows - table-driven CRUD for the record types (see
    oa_store_rows.h)

    SQL text is built per call into a stack buffer from the entity's
    names; oa_store_prepare finds the prepared statement by that text, so
    only the first call per store prepares.
    =========================================================================
*/
#include "oa_store_rows.h"

#include "oa_ids.h"

#define S_SQL_MAX 4096

//  A SQL text under construction; overflowing it is a coding error.
typedef struct {
    char text [S_SQL_MAX];
    size_t size;
} s_sql_t;

static void
s_add (s_sql_t *sql, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    int n = vsnprintf (sql->text + sql->size, S_SQL_MAX - sql->size, format, args);
    va_end (args);
    assert (n >= 0 && sql->size + (size_t) n < S_SQL_MAX);
    sql->size += (size_t) n;
}

//  SELECT "id", <columns> FROM "<table>"
static void
s_select (s_sql_t *sql, const oa_store_entity_t *entity)
{
    s_add (sql, "SELECT \"id\"");
    for (size_t i = 0; i < entity->count; i++)
        s_add (sql, ", \"%s\"", entity->columns [i].name);
    s_add (sql, " FROM \"%s\" ", entity->table);
}

#define S_FIELD(record, column, type) ((type *) ((char *) (record) + (column)->offset))

//  Binds the record's columns as $1..$count.
static void
s_bind (oa_stmt_t *stmt, const oa_store_entity_t *entity, const void *record)
{
    for (size_t i = 0; i < entity->count; i++) {
        const oa_store_column_t *column = &entity->columns [i];
        int index = (int) i + 1;
        switch (column->type) {
            case OA_STORE_COL_INT64:
                oa_stmt_bind_int64 (stmt, index, *S_FIELD (record, column, const int64_t));
                break;
            case OA_STORE_COL_BOOL:
                oa_stmt_bind_bool (stmt, index, *S_FIELD (record, column, const bool));
                break;
            case OA_STORE_COL_DOUBLE:
                oa_stmt_bind_double (stmt, index, *S_FIELD (record, column, const double));
                break;
            case OA_STORE_COL_TEXT:
            case OA_STORE_COL_CHAR:
                oa_stmt_bind_text (stmt, index, *S_FIELD (record, column, char * const));
                break;
        }
    }
}

void *
oa_store_row_read (const oa_store_entity_t *entity, oa_stmt_t *stmt)
{
    assert (entity);
    void *record = zmalloc (entity->size);
    *(int64_t *) ((char *) record + entity->id) = oa_stmt_int64 (stmt, 0);
    for (size_t i = 0; i < entity->count; i++) {
        const oa_store_column_t *column = &entity->columns [i];
        int index = (int) i + 1;
        switch (column->type) {
            case OA_STORE_COL_INT64:
                *S_FIELD (record, column, int64_t) = oa_stmt_int64 (stmt, index);
                break;
            case OA_STORE_COL_BOOL:
                *S_FIELD (record, column, bool) = oa_stmt_bool (stmt, index);
                break;
            case OA_STORE_COL_DOUBLE:
                *S_FIELD (record, column, double) = oa_stmt_double (stmt, index);
                break;
            case OA_STORE_COL_TEXT:
                *S_FIELD (record, column, char *) = oa_stmt_dup_text (stmt, index);
                break;
            case OA_STORE_COL_CHAR:
                *S_FIELD (record, column, char *) = oa_stmt_dup_char (stmt, index);
                break;
        }
    }
    return record;
}

int
oa_store_row_find (oa_store_t *store, const oa_store_entity_t *entity, const char *column,
                   int64_t value, const char *text, void **record_p)
{
    assert (entity);
    assert (record_p);
    *record_p = NULL;
    s_sql_t sql = { .size = 0 };
    s_select (&sql, entity);
    s_add (&sql, "WHERE \"%s\" = $1", column);
    oa_stmt_t *stmt = oa_store_prepare (store, sql.text);
    if (!stmt)
        return -1;
    if (text)
        oa_stmt_bind_text (stmt, 1, text);
    else
        oa_stmt_bind_int64 (stmt, 1, value);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        *record_p = oa_store_row_read (entity, stmt);
    //  Reset at once, so that SQLite releases its read snapshot
    oa_stmt_reset (stmt);
    return rc;
}

int
oa_store_row_insert (oa_store_t *store, const oa_store_entity_t *entity, void *record)
{
    assert (entity);
    assert (record);
    char **uuid = (char **) ((char *) record + entity->uuid);
    if (!*uuid) {
        *uuid = (char *) malloc (OA_UUID_SIZE);
        oa_uuid_new (*uuid);
    }
    int64_t now = oa_clock_ms ();
    int64_t *created_at = (int64_t *) ((char *) record + entity->created_at);
    int64_t *updated_at = (int64_t *) ((char *) record + entity->updated_at);
    if (!*created_at)
        *created_at = now;
    if (!*updated_at)
        *updated_at = now;
    s_sql_t sql = { .size = 0 };
    s_add (&sql, "INSERT INTO \"%s\" (", entity->table);
    for (size_t i = 0; i < entity->count; i++)
        s_add (&sql, "%s\"%s\"", i? ", ": "", entity->columns [i].name);
    s_add (&sql, ") VALUES (");
    for (size_t i = 0; i < entity->count; i++)
        s_add (&sql, "%s$%zu", i? ", ": "", i + 1);
    s_add (&sql, ") RETURNING \"id\"");
    oa_stmt_t *stmt = oa_store_prepare (store, sql.text);
    if (!stmt)
        return -1;
    s_bind (stmt, entity, record);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        *(int64_t *) ((char *) record + entity->id) = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    return rc == 1? 0: -1;
}

int
oa_store_row_update (oa_store_t *store, const oa_store_entity_t *entity, void *record)
{
    assert (entity);
    assert (record);
    *(int64_t *) ((char *) record + entity->updated_at) = oa_clock_ms ();
    s_sql_t sql = { .size = 0 };
    s_add (&sql, "UPDATE \"%s\" SET ", entity->table);
    for (size_t i = 0; i < entity->count; i++)
        s_add (&sql, "%s\"%s\" = $%zu", i? ", ": "", entity->columns [i].name, i + 1);
    s_add (&sql, " WHERE \"id\" = $%zu", entity->count + 1);
    oa_stmt_t *stmt = oa_store_prepare (store, sql.text);
    if (!stmt)
        return -1;
    s_bind (stmt, entity, record);
    oa_stmt_bind_int64 (stmt, (int) entity->count + 1,
                        *(const int64_t *) ((const char *) record + entity->id));
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

int
oa_store_row_delete (oa_store_t *store, const oa_store_entity_t *entity, int64_t id)
{
    assert (entity);
    s_sql_t sql = { .size = 0 };
    s_add (&sql, "DELETE FROM \"%s\" WHERE \"id\" = $1", entity->table);
    oa_stmt_t *stmt = oa_store_prepare (store, sql.text);
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, id);
    int rc = oa_stmt_exec (stmt);
    return rc == 0? (oa_stmt_changes (stmt) > 0? 1: 0): -1;
}

zlistx_t *
oa_store_rows_list (oa_store_t *store, const oa_store_entity_t *entity, const char *tail,
                    const int64_t *params, size_t count)
{
    assert (entity);
    s_sql_t sql = { .size = 0 };
    s_select (&sql, entity);
    s_add (&sql, "%s", tail);
    oa_stmt_t *stmt = oa_store_prepare (store, sql.text);
    if (!stmt)
        return NULL;
    for (size_t i = 0; i < count; i++)
        oa_stmt_bind_int64 (stmt, (int) i + 1, params [i]);
    zlistx_t *list = zlistx_new ();
    zlistx_set_destructor (list, entity->destroy);
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1)
        zlistx_add_end (list, oa_store_row_read (entity, stmt));
    oa_stmt_reset (stmt);
    if (rc != 0)
        zlistx_destroy (&list);
    return list;
}
