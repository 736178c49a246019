/*  =========================================================================
    oa_store - one SQL interface over SQLite and PostgreSQL

    The ledger is the only database writer; this is its connection.  One
    store is one connection, used by one thread.  SQL is written once, in
    PostgreSQL's dialect with $1..$n placeholders and double-quoted
    identifiers (one-api has columns named "group" and "key"); the SQLite
    driver rewrites $n to ?n.  Values only ever travel as bound parameters.

    Statements are prepared on first use and cached per connection, keyed by
    their SQL text, so hot paths pay for parsing once.  A statement handle is
    borrowed from the store: valid until the store is destroyed; one use at a
    time (bind, step..., then the next bind or reset starts over).
    =========================================================================
*/
#ifndef OA_STORE_H_INCLUDED
#define OA_STORE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _oa_store_t oa_store_t;
typedef struct _oa_stmt_t oa_stmt_t;

//  Bound parameters per statement ($1..$64); more is a programming error.
#define OA_STORE_MAX_PARAMS 64

//  Kinds of failure, so callers can react without parsing messages.
typedef enum {
    OA_STORE_OK = 0,            //  no error
    OA_STORE_ERR_OTHER = 1,     //  SQL or data error
    OA_STORE_ERR_UNIQUE = 2,    //  a unique constraint refused the write
    OA_STORE_ERR_BUSY = 3,      //  locked by another writer (SQLite) or serialization
    OA_STORE_ERR_CONN = 4       //  connection lost or unusable; reopen the store
} oa_store_errcode_t;

//  How to open a store.  Zero-initialise, then set what you need.
typedef struct {
    const char *sql_dsn;        //  postgres://... selects PostgreSQL; NULL/"" selects SQLite
    const char *sqlite_path;    //  SQLite file (default "one-api.db"); parent dir is created
    int busy_timeout_ms;        //  SQLite busy timeout (default 3000)
    int connect_timeout_s;      //  PostgreSQL connect timeout (default 5)
    //  Polled about every 100 ms while connecting to PostgreSQL; returning
    //  true abandons the attempt (an actor uses it to answer $TERM promptly).
    bool (*interrupted) (void *arg);
    void *interrupt_arg;        //  argument of interrupted
} oa_store_options_t;

//  Opens a store.  Returns NULL and writes a message into err on failure;
//  *fatal (if given) is true when retrying cannot help (invalid DSN,
//  unwritable SQLITE_PATH, unsupported database).  Caller owns the result.
oa_store_t *
    oa_store_open_with (const oa_store_options_t *options, bool *fatal,
                        char *err, size_t err_size);

//  Opens a store with default options.  Caller owns the result.
oa_store_t *
    oa_store_open (const char *sql_dsn, const char *sqlite_path, char *err, size_t err_size);

//  Closes the connection, finalizes cached statements, nulls the pointer.
void
    oa_store_destroy (oa_store_t **self_p);

//  True for PostgreSQL, false for SQLite.
bool
    oa_store_is_postgres (oa_store_t *self);

//  "sqlite" or "postgres".
const char *
    oa_store_driver_name (oa_store_t *self);

//  Runs constant SQL (DDL, pragmas) that takes no values and returns no rows.
//  Returns 0 or -1.
int
    oa_store_exec (oa_store_t *self, const char *sql);

//  Transactions.  SQLite takes the write lock at BEGIN (IMMEDIATE), so a
//  transaction never fails half-way on a lock upgrade.  Return 0 or -1.
int
    oa_store_begin (oa_store_t *self);
int
    oa_store_commit (oa_store_t *self);
int
    oa_store_rollback (oa_store_t *self);

//  True inside begin..commit/rollback.
bool
    oa_store_in_transaction (oa_store_t *self);

//  Last error message (empty when none).  Borrowed; valid until next call.
const char *
    oa_store_error (oa_store_t *self);

//  Kind of the last error.
oa_store_errcode_t
    oa_store_errcode (oa_store_t *self);

//  True when the connection is gone; the caller should destroy and reopen.
bool
    oa_store_broken (oa_store_t *self);

//  When to try the database again: 100 ms after the first failure,
//  doubling to 5 s.  Zero-initialised, the first attempt is due at once.
typedef struct {
    int64_t next_ms;            //  monotonic ms of the next attempt
    int backoff_ms;             //  wait after the next failure; 0 before any
} oa_store_backoff_t;

//  Milliseconds until the next attempt is due (0 when it is).
int64_t
    oa_store_backoff_wait (const oa_store_backoff_t *self);

//  After a failed attempt: schedules the next one and returns its wait.
int
    oa_store_backoff_failed (oa_store_backoff_t *self);

//  Reopening a lost connection, for an actor that keeps serving while it
//  waits.  Zero-initialise it next to the store, and call oa_store_reopen
//  on every turn of the actor's loop.
typedef struct {
    bool active;                //  the connection was lost; reopening
    oa_store_backoff_t backoff; //  when to try again
} oa_store_reopen_t;

//  Once store is broken, opens a new connection with options when an
//  attempt is due, logging under component.  Returns the new store (the
//  caller swaps it in and destroys the old one), or NULL while store still
//  works, no attempt is due, or the attempt failed (the next one waits).
oa_store_t *
    oa_store_reopen (oa_store_reopen_t *self, oa_store_t *store,
                     const oa_store_options_t *options, const char *component);

//  Bulk insert, PostgreSQL only: runs sql, a `COPY <table> (<columns>) FROM
//  STDIN` in text format, with data (size bytes: rows ending in newlines,
//  fields separated by tabs, \N for NULL) as its whole input.  Returns
//  the rows copied, or -1 (error set; OA_STORE_ERR_OTHER on SQLite).
int64_t
    oa_store_copy_in (oa_store_t *self, const char *sql, const char *data, size_t size);

//  Writes value as decimal text into text (at least 21 bytes) and returns
//  its length: ids as hash keys and parameters on hot paths, without printf.
size_t
    oa_store_decimal (int64_t value, char *text);

//  Returns the cached prepared statement for sql, preparing it on first use,
//  reset and with parameters cleared.  NULL (and logged) when the SQL does not
//  prepare.  Borrowed; valid until the store is destroyed.
oa_stmt_t *
    oa_store_prepare (oa_store_t *self, const char *sql);

//  Binds parameter $index (1-based).  Text is copied; NULL text binds NULL.
void
    oa_stmt_bind_text (oa_stmt_t *self, int index, const char *value);
//  Binds text without copying it: value must stay valid and unchanged until
//  the statement is reset or the parameter bound again (hot paths binding
//  text they keep anyway).
void
    oa_stmt_bind_text_ref (oa_stmt_t *self, int index, const char *value);
//  Binds text whose ownership passes to the statement (*value_p is nulled).
void
    oa_stmt_bind_text_p (oa_stmt_t *self, int index, char **value_p);
void
    oa_stmt_bind_int64 (oa_stmt_t *self, int index, int64_t value);
void
    oa_stmt_bind_double (oa_stmt_t *self, int index, double value);
void
    oa_stmt_bind_bool (oa_stmt_t *self, int index, bool value);
void
    oa_stmt_bind_null (oa_stmt_t *self, int index);

//  Executes on the first call, then advances.  Returns 1 when a row is
//  available, 0 when done, -1 on error (see oa_store_error).
int
    oa_stmt_step (oa_stmt_t *self);

//  Steps to completion, ignoring rows.  Returns 0 or -1.
int
    oa_stmt_exec (oa_stmt_t *self);

//  Rows changed by the last completed INSERT/UPDATE/DELETE.
int64_t
    oa_stmt_changes (oa_stmt_t *self);

//  Ends the current execution and clears bindings; the handle stays cached.
void
    oa_stmt_reset (oa_stmt_t *self);

//  Column readers for the current row (0-based).  NULL reads as 0, false,
//  or NULL text.  Text is borrowed until the next step or reset.
int
    oa_stmt_columns (oa_stmt_t *self);
bool
    oa_stmt_is_null (oa_stmt_t *self, int column);
const char *
    oa_stmt_text (oa_stmt_t *self, int column);
int64_t
    oa_stmt_int64 (oa_stmt_t *self, int column);
double
    oa_stmt_double (oa_stmt_t *self, int column);
bool
    oa_stmt_bool (oa_stmt_t *self, int column);

//  Returns a fresh copy of a text column, or NULL for SQL NULL.  Caller
//  owns it.
char *
    oa_stmt_dup_text (oa_stmt_t *self, int column);

//  The same for char(n) columns: trailing blanks are removed, because
//  PostgreSQL pads them (a 20-character key in char(48) reads back padded).
char *
    oa_stmt_dup_char (oa_stmt_t *self, int column);

//  Self test of the statement layer (SQLite).  The behaviour suite runs per
//  driver as oa_store_sqlite and oa_store_pg (oa_store_suite.c).
void
    oa_store_test (bool verbose);

#endif
