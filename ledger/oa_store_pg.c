/*  =========================================================================
    oa_store_pg - the PostgreSQL driver of oa_store

    libpq, synchronous, one connection.  Connecting is done with
    PQconnectStartParams + PQconnectPoll in slices of at most 100 ms so the
    owning actor can abandon an attempt when told to stop.  Statements are
    prepared server-side once per connection (PQprepare) and run with
    PQexecPrepared; parameters travel as text and the server infers their
    types from context.  A session statement_timeout bounds every query.
    Bulk rows go through COPY FROM STDIN (text format), whose per-row cost
    on the server is well below that of any INSERT ... SELECT.
    =========================================================================
*/
#include "oa_store_driver.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <string.h>

#include "oa_ids.h"
#include "oa_log.h"

#define S_STATEMENT_TIMEOUT "-c statement_timeout=30000"

typedef struct {
    char name [32];                 //  server-side statement name
    PGresult *result;               //  result of the current run, or NULL
    int row;                        //  current row, -1 before the first
    int rows;                       //  rows in result
} s_handle_t;

static void
s_notice (void *arg, const char *message)
{
    (void) arg;
    //  "relation already exists, skipping" and friends: not for operators.
    oa_log_debug ("store", "postgres: %.*s", (int) strcspn (message, "\n"), message);
}

static oa_store_errcode_t
s_errcode (PGconn *conn, const PGresult *result)
{
    if (PQstatus (conn) != CONNECTION_OK)
        return OA_STORE_ERR_CONN;
    const char *state = result? PQresultErrorField (result, PG_DIAG_SQLSTATE): NULL;
    if (!state)
        return OA_STORE_ERR_OTHER;
    if (strcmp (state, "23505") == 0)
        return OA_STORE_ERR_UNIQUE;
    if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0
    ||  strcmp (state, "55P03") == 0)
        return OA_STORE_ERR_BUSY;
    if (strncmp (state, "08", 2) == 0 || strncmp (state, "57P", 3) == 0)
        return OA_STORE_ERR_CONN;
    return OA_STORE_ERR_OTHER;
}

//  libpq messages end with a newline; keep them one line.
static void
s_set_error (oa_store_t *store, PGconn *conn, const PGresult *result)
{
    const char *message = result? PQresultErrorMessage (result): "";
    if (!message || !*message)
        message = PQerrorMessage (conn);
    oa_store_set_error (store, s_errcode (conn, result), "%.*s",
                        (int) strcspn (message, "\n"), message);
}

int
oa_store_pg_connect (oa_store_t *store, const oa_store_options_t *options,
                     bool *fatal, char *err, size_t err_size)
{
    *fatal = false;
    char *parse_error = NULL;
    PQconninfoOption *parsed = PQconninfoParse (options->sql_dsn, &parse_error);
    if (!parsed) {
        *fatal = true;
        snprintf (err, err_size, "SQL_DSN is invalid: %.*s",
                  parse_error? (int) strcspn (parse_error, "\n"): 13,
                  parse_error? parse_error: "out of memory");
        PQfreemem (parse_error);
        return -1;
    }
    PQconninfoFree (parsed);

    char timeout [16];
    snprintf (timeout, sizeof timeout, "%d", options->connect_timeout_s);
    //  Later keywords win, so the DSN (expanded from dbname) can override ours.
    const char *keywords [] = { "connect_timeout", "application_name", "options", "dbname",
                                NULL };
    const char *values [] = { timeout, "oneapi-c", S_STATEMENT_TIMEOUT, options->sql_dsn,
                              NULL };
    PGconn *conn = PQconnectStartParams (keywords, values, 1);
    if (!conn) {
        snprintf (err, err_size, "postgres: out of memory");
        return -1;
    }
    int64_t deadline = oa_clock_mono_ms () + options->connect_timeout_s * 1000LL;
    PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
    bool interrupted = false;
    while (PQstatus (conn) != CONNECTION_BAD
       &&  polling != PGRES_POLLING_OK && polling != PGRES_POLLING_FAILED) {
        struct pollfd item = { .fd = PQsocket (conn),
                               .events = polling == PGRES_POLLING_READING? POLLIN: POLLOUT };
        int rc = item.fd >= 0? poll (&item, 1, 100): 0;
        if (options->interrupted && options->interrupted (options->interrupt_arg)) {
            interrupted = true;
            break;
        }
        if (oa_clock_mono_ms () > deadline)
            break;
        if (rc > 0 || item.fd < 0)
            polling = PQconnectPoll (conn);
    }
    if (polling != PGRES_POLLING_OK || PQstatus (conn) != CONNECTION_OK) {
        const char *message = PQerrorMessage (conn);
        if (interrupted)
            snprintf (err, err_size, "postgres: connect interrupted");
        else
        if (polling != PGRES_POLLING_FAILED && PQstatus (conn) != CONNECTION_BAD)
            snprintf (err, err_size, "postgres: connect timed out after %d s",
                      options->connect_timeout_s);
        else {
            //  Flatten libpq's multi-line message.
            snprintf (err, err_size, "postgres: %s", message && *message? message: "connect failed");
            for (char *at = err; *at; at++)
                if (*at == '\n' || *at == '\t')
                    *at = ' ';
            size_t len = strlen (err);
            while (len && err [len - 1] == ' ')
                err [--len] = 0;
        }
        PQfinish (conn);
        return -1;
    }
    PQsetNoticeProcessor (conn, s_notice, NULL);
    store->conn = conn;
    return 0;
}

static void
s_close (oa_store_t *store)
{
    PQfinish ((PGconn *) store->conn);
    store->conn = NULL;
}

static int
s_exec (oa_store_t *store, const char *sql)
{
    PGconn *conn = (PGconn *) store->conn;
    PGresult *result = PQexec (conn, sql);
    ExecStatusType status = PQresultStatus (result);
    int rc = 0;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        s_set_error (store, conn, result);
        rc = -1;
    }
    PQclear (result);
    return rc;
}

static int
s_prepare (oa_store_t *store, oa_stmt_t *stmt)
{
    PGconn *conn = (PGconn *) store->conn;
    s_handle_t *handle = (s_handle_t *) zmalloc (sizeof (s_handle_t));
    snprintf (handle->name, sizeof handle->name, "oa_%" PRId64, ++store->stmt_seq);
    PGresult *result = PQprepare (conn, handle->name, stmt->sql, stmt->nparams, NULL);
    if (PQresultStatus (result) != PGRES_COMMAND_OK) {
        s_set_error (store, conn, result);
        PQclear (result);
        free (handle);
        return -1;
    }
    PQclear (result);
    handle->row = -1;
    stmt->handle = handle;
    return 0;
}

static void
s_finalize (oa_store_t *store, oa_stmt_t *stmt)
{
    s_handle_t *handle = (s_handle_t *) stmt->handle;
    PQclear (handle->result);
    //  Server-side statements die with the connection; a store lives as long
    //  as its connection, so there is nothing to DEALLOCATE.
    (void) store;
    free (handle);
    stmt->handle = NULL;
}

static int
s_run (oa_stmt_t *stmt)
{
    s_handle_t *handle = (s_handle_t *) stmt->handle;
    PGconn *conn = (PGconn *) stmt->store->conn;
    char numbers [OA_STORE_MAX_PARAMS][32];
    const char *values [OA_STORE_MAX_PARAMS];
    for (int i = 0; i < stmt->nparams; i++) {
        const oa_param_t *param = &stmt->params [i];
        values [i] = numbers [i];
        switch (param->type) {
            case OA_PARAM_INT64:
                snprintf (numbers [i], sizeof numbers [i], "%" PRId64, param->i);
                break;
            case OA_PARAM_BOOL:
                snprintf (numbers [i], sizeof numbers [i], "%s", param->i? "true": "false");
                break;
            case OA_PARAM_DOUBLE:
                snprintf (numbers [i], sizeof numbers [i], "%.17g", param->d);
                break;
            case OA_PARAM_TEXT:
                values [i] = param->text;
                break;
            default:
                values [i] = NULL;
                break;
        }
    }
    PGresult *result = PQexecPrepared (conn, handle->name, stmt->nparams,
                                       stmt->nparams? values: NULL, NULL, NULL, 0);
    ExecStatusType status = PQresultStatus (result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        handle->result = result;
        handle->rows = status == PGRES_TUPLES_OK? PQntuples (result): 0;
        handle->row = -1;
        const char *tuples = PQcmdTuples (result);
        stmt->changes = tuples && *tuples? strtoll (tuples, NULL, 10): 0;
        return 0;
    }
    s_set_error (stmt->store, conn, result);
    PQclear (result);
    return -1;
}

static int
s_step (oa_stmt_t *stmt)
{
    s_handle_t *handle = (s_handle_t *) stmt->handle;
    if (!stmt->started && s_run (stmt) != 0)
        return -1;
    if (handle->row + 1 < handle->rows) {
        handle->row++;
        return 1;
    }
    return 0;
}

static void
s_reset (oa_stmt_t *stmt)
{
    s_handle_t *handle = (s_handle_t *) stmt->handle;
    PQclear (handle->result);
    handle->result = NULL;
    handle->row = -1;
    handle->rows = 0;
}

static int
s_columns (oa_stmt_t *stmt)
{
    s_handle_t *handle = (s_handle_t *) stmt->handle;
    return handle->result? PQnfields (handle->result): 0;
}

static bool
s_is_null (oa_stmt_t *stmt, int column)
{
    s_handle_t *handle = (s_handle_t *) stmt->handle;
    if (!handle->result || handle->row < 0 || column >= PQnfields (handle->result))
        return true;
    return PQgetisnull (handle->result, handle->row, column) == 1;
}

static const char *
s_text (oa_stmt_t *stmt, int column)
{
    s_handle_t *handle = (s_handle_t *) stmt->handle;
    if (s_is_null (stmt, column))
        return NULL;
    return PQgetvalue (handle->result, handle->row, column);
}

static int64_t
s_int64 (oa_stmt_t *stmt, int column)
{
    const char *text = s_text (stmt, column);
    if (!text)
        return 0;
    //  numeric columns may carry a fraction; integers never do.
    if (strpbrk (text, ".eE"))
        return (int64_t) strtod (text, NULL);
    return strtoll (text, NULL, 10);
}

static double
s_dbl (oa_stmt_t *stmt, int column)
{
    const char *text = s_text (stmt, column);
    return text? strtod (text, NULL): 0;
}

static bool
s_boolean (oa_stmt_t *stmt, int column)
{
    const char *text = s_text (stmt, column);
    if (!text)
        return false;
    return *text == 't' || *text == 'T' || (*text >= '1' && *text <= '9');
}

//  Bytes per PQputCopyData call: libpq queues them and sends as the socket
//  takes them; slices keep its output buffer from growing to the batch.
#define S_COPY_SLICE (256 * 1024)

static int64_t
s_copy_in (oa_store_t *store, const char *sql, const char *data, size_t size)
{
    PGconn *conn = (PGconn *) store->conn;
    PGresult *result = PQexec (conn, sql);
    if (PQresultStatus (result) != PGRES_COPY_IN) {
        //  Refused before any data (bad SQL, aborted transaction): PQexec
        //  has read every result already.
        s_set_error (store, conn, result);
        PQclear (result);
        return -1;
    }
    PQclear (result);
    int sent = 1;
    for (size_t at = 0; at < size && sent == 1; at += S_COPY_SLICE) {
        size_t slice = size - at < S_COPY_SLICE? size - at: S_COPY_SLICE;
        sent = PQputCopyData (conn, data + at, (int) slice);
    }
    //  On a failed send, end the COPY with an error so the server rolls
    //  the statement back rather than committing part of it.
    if (PQputCopyEnd (conn, sent == 1? NULL: "oneapi: copy data not sent") != 1)
        sent = -1;
    int64_t rows = -1;
    bool failed = sent != 1;
    if (failed)
        oa_store_set_error (store, OA_STORE_ERR_CONN, "copy: %.*s",
                            (int) strcspn (PQerrorMessage (conn), "\n"), PQerrorMessage (conn));
    while ((result = PQgetResult (conn))) {
        if (PQresultStatus (result) == PGRES_COMMAND_OK && !failed) {
            const char *tuples = PQcmdTuples (result);
            rows = tuples && *tuples? strtoll (tuples, NULL, 10): 0;
        }
        else
        if (!failed) {
            s_set_error (store, conn, result);
            failed = true;
        }
        PQclear (result);
        if (PQstatus (conn) != CONNECTION_OK)
            break;              //  no more results will come
    }
    if (failed)
        return -1;
    if (rows < 0)
        s_set_error (store, conn, NULL);
    return rows;
}

static bool
s_broken (oa_store_t *store)
{
    return !store->conn || PQstatus ((PGconn *) store->conn) != CONNECTION_OK;
}

const oa_store_driver_t oa_store_pg_driver = {
    .name = "postgres",
    .close = s_close,
    .exec = s_exec,
    .prepare = s_prepare,
    .finalize = s_finalize,
    .step = s_step,
    .reset = s_reset,
    .columns = s_columns,
    .is_null = s_is_null,
    .text = s_text,
    .int64 = s_int64,
    .dbl = s_dbl,
    .boolean = s_boolean,
    .broken = s_broken,
    .copy_in = s_copy_in,
};
