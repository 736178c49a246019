/*  =========================================================================
    oa_store_rows - table-driven CRUD for the record types of oa_records.h

    An entity describes a table once: its name, its columns after "id" (SQL
    name, type, offset in the record) and where the record keeps id, uuid,
    created_at and updated_at.  The generic functions build their SQL from
    that description (names only: every value is a bound parameter, so the
    statements stay prepared and cached by their text) and bind and read
    the columns in the description's order, the same on SQLite and
    PostgreSQL.  Used by oa_store_users.c, oa_store_tokens.c and
    oa_store_channels.c.
    =========================================================================
*/
#ifndef OA_STORE_ROWS_H_INCLUDED
#define OA_STORE_ROWS_H_INCLUDED

#include <czmq.h>
#include <stddef.h>
#include "oa_store.h"

//  How a column is bound and read.
typedef enum {
    OA_STORE_COL_INT64,         //  int64_t
    OA_STORE_COL_BOOL,          //  bool
    OA_STORE_COL_DOUBLE,        //  double
    OA_STORE_COL_TEXT,          //  char *, owned by the record; NULL = SQL NULL
    OA_STORE_COL_CHAR           //  the same, a char(n) column: read without padding
} oa_store_col_type_t;

//  One column of an entity.
typedef struct {
    const char *name;           //  SQL column name, unquoted
    oa_store_col_type_t type;   //  field type
    size_t offset;              //  offsetof the field in the record
} oa_store_column_t;

//  A table and the record type that holds one of its rows.
typedef struct {
    const char *table;                  //  SQL table name, unquoted
    size_t size;                        //  sizeof the record (zeroed on read)
    const oa_store_column_t *columns;   //  the columns after "id", in $1.. order
    size_t count;                       //  entries in columns
    size_t id;                          //  offsetof int64_t id
    size_t uuid;                        //  offsetof char *uuid, filled in on insert
    size_t created_at;                  //  offsetof int64_t created_at (epoch ms)
    size_t updated_at;                  //  offsetof int64_t updated_at (epoch ms)
    czmq_destructor *destroy;           //  destroys a record (zlistx destructor)
} oa_store_entity_t;

//  Reads the row stmt is on ("id" then the columns) into a new record.
//  Caller owns return value.
void *
    oa_store_row_read (const oa_store_entity_t *entity, oa_stmt_t *stmt);

//  Reads the row whose column equals value (an integer, or text when
//  text is not NULL) into *record_p (NULL when there is none).  Returns 1
//  (found), 0 (none) or -1.
int
    oa_store_row_find (oa_store_t *store, const oa_store_entity_t *entity, const char *column,
                       int64_t value, const char *text, void **record_p);

//  Inserts record: fills in a missing uuid and created_at / updated_at
//  (now), then the id the database gave it.  Returns 0 or -1.
int
    oa_store_row_insert (oa_store_t *store, const oa_store_entity_t *entity, void *record);

//  Writes every column of the record with its id; updated_at = now.
//  Returns 1 (updated), 0 (no such id) or -1.
int
    oa_store_row_update (oa_store_t *store, const oa_store_entity_t *entity, void *record);

//  Deletes the row with id.  Returns 1 (deleted), 0 (no such id) or -1.
int
    oa_store_row_delete (oa_store_t *store, const oa_store_entity_t *entity, int64_t id);

//  The rows selected by tail (SQL after FROM: WHERE, ORDER BY, LIMIT with
//  $1..$count), params bound as integers, as records.  Returns NULL on
//  error.  Caller owns return value.
zlistx_t *
    oa_store_rows_list (oa_store_t *store, const oa_store_entity_t *entity, const char *tail,
                        const int64_t *params, size_t count);

#endif
