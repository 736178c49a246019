/*  =========================================================================
    oa_store_driver - private: what a store driver implements

    oa_store.c owns the generic parts (statement cache, parameter storage,
    transactions, error state); a driver owns one connection and turns the
    generic statement into its library's calls.  Parameters are kept by the
    generic layer as typed values and handed to the driver at execution,
    so binding code is written once.
    =========================================================================
*/
#ifndef OA_STORE_DRIVER_H_INCLUDED
#define OA_STORE_DRIVER_H_INCLUDED

#include <stdarg.h>
#include <czmq.h>
#include "oa_store.h"

typedef enum {
    OA_PARAM_NULL = 0,          //  SQL NULL (also: never bound)
    OA_PARAM_INT64,             //  integer
    OA_PARAM_DOUBLE,            //  floating point
    OA_PARAM_TEXT,              //  UTF-8 text (owned unless borrowed)
    OA_PARAM_BOOL               //  boolean (SQLite stores 1/0)
} oa_param_type_t;

typedef struct {
    oa_param_type_t type;       //  which member is valid
    int64_t i;                  //  INT64 and BOOL values
    double d;                   //  DOUBLE value
    char *text;                 //  TEXT value; owned unless borrowed
    bool borrowed;              //  text belongs to the caller (bind_text_ref)
} oa_param_t;

typedef struct _oa_store_driver_t oa_store_driver_t;

struct _oa_stmt_t {
    oa_store_t *store;                      //  owning store
    char *sql;                              //  SQL as written ($n placeholders)
    void *handle;                           //  driver's prepared statement
    int nparams;                            //  highest $n in sql
    oa_param_t params [OA_STORE_MAX_PARAMS];    //  bound values, index 0 = $1
    bool started;                           //  executed since the last reset
    bool done;                              //  no more rows
    int64_t changes;                        //  rows changed by the last run
};

struct _oa_store_t {
    const oa_store_driver_t *driver;        //  SQLite or PostgreSQL
    void *conn;                             //  driver's connection
    zhashx_t *stmts;                        //  SQL text -> oa_stmt_t *
    bool in_tx;                             //  inside begin..commit
    oa_store_errcode_t errcode;             //  last error kind
    char error [512];                       //  last error message
    int64_t stmt_seq;                       //  names PostgreSQL prepared statements
};

struct _oa_store_driver_t {
    const char *name;                                   //  "sqlite" | "postgres"
    void (*close) (oa_store_t *store);                  //  close store->conn
    int (*exec) (oa_store_t *store, const char *sql);   //  constant SQL, no rows
    int (*prepare) (oa_store_t *store, oa_stmt_t *stmt);    //  set stmt->handle
    void (*finalize) (oa_store_t *store, oa_stmt_t *stmt);  //  free stmt->handle
    int (*step) (oa_stmt_t *stmt);                      //  1 row, 0 done, -1 error
    void (*reset) (oa_stmt_t *stmt);                    //  end the current run
    int (*columns) (oa_stmt_t *stmt);                   //  result column count
    bool (*is_null) (oa_stmt_t *stmt, int column);      //  SQL NULL?
    const char *(*text) (oa_stmt_t *stmt, int column);  //  borrowed text
    int64_t (*int64) (oa_stmt_t *stmt, int column);     //  integer value
    double (*dbl) (oa_stmt_t *stmt, int column);        //  floating value
    bool (*boolean) (oa_stmt_t *stmt, int column);      //  boolean value
    bool (*broken) (oa_store_t *store);                 //  connection lost?
    //  COPY ... FROM STDIN with data as its whole input; rows or -1.
    //  NULL when the driver has no bulk path (SQLite).
    int64_t (*copy_in) (oa_store_t *store, const char *sql, const char *data, size_t size);
};

//  Records the last error (and logs it at warn level).
void
    oa_store_set_error (oa_store_t *store, oa_store_errcode_t code, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

//  Clears the error state before an operation.
void
    oa_store_clear_error (oa_store_t *store);

//  Opens the SQLite driver's connection into store->conn.
int
    oa_store_sqlite_connect (oa_store_t *store, const oa_store_options_t *options,
                             bool *fatal, char *err, size_t err_size);

//  Opens the PostgreSQL driver's connection into store->conn.
int
    oa_store_pg_connect (oa_store_t *store, const oa_store_options_t *options,
                         bool *fatal, char *err, size_t err_size);

//  Rewrites $n placeholders to ?n in place, leaving quoted text alone.
void
    oa_store_sql_to_sqlite (char *sql);

//  Highest $n placeholder in sql (quoted text ignored); -1 if above the limit.
int
    oa_store_sql_param_count (const char *sql);

extern const oa_store_driver_t oa_store_sqlite_driver;
extern const oa_store_driver_t oa_store_pg_driver;

#endif
