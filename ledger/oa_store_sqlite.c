/*  =========================================================================
    oa_store_sqlite - the SQLite driver of oa_store

    The embedded default, as in one-api: SQLITE_PATH (default one-api.db),
    WAL journal, synchronous=NORMAL, busy timeout SQLITE_BUSY_TIMEOUT.  The
    parent directory is created if missing; a path we cannot write is a
    fatal error with a clear message, found at open rather than at the first
    write (SQLite opens lazily).
    =========================================================================
*/
#include "oa_store_driver.h"

#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  Creates dir and its parents (mode 0770, like one-api).  Returns 0 or -1.
static int
s_mkdir_parents (const char *dir)
{
    char path [4096];
    if (snprintf (path, sizeof path, "%s", dir) >= (int) sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *slash = strchr (path + 1, '/'); ; slash = strchr (slash + 1, '/')) {
        if (slash)
            *slash = 0;
        if (mkdir (path, 0770) != 0 && errno != EEXIST)
            return -1;
        if (!slash)
            break;
        *slash = '/';
    }
    struct stat st;
    if (stat (path, &st) != 0)
        return -1;
    if (!S_ISDIR (st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static oa_store_errcode_t
s_errcode (int rc)
{
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            return (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
                   ? OA_STORE_ERR_UNIQUE: OA_STORE_ERR_OTHER;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return OA_STORE_ERR_BUSY;
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return OA_STORE_ERR_CONN;
        default:
            return OA_STORE_ERR_OTHER;
    }
}

//  Before SQLite initializes: no memory statistics.  They are read nowhere,
//  and keeping them takes a global mutex around every allocation SQLite
//  makes (this build has no lookaside: every record and cursor is one).
static pthread_once_t s_config_once = PTHREAD_ONCE_INIT;

static void
s_config (void)
{
    sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);   //  MISUSE if initialized: harmless
}

int
oa_store_sqlite_connect (oa_store_t *store, const oa_store_options_t *options,
                         bool *fatal, char *err, size_t err_size)
{
    pthread_once (&s_config_once, s_config);
    const char *path = options->sqlite_path;
    //  Every failure here is about the path or the file: retrying won't help.
    *fatal = true;
    char *copy = strdup (path);
    const char *parent = dirname (copy);
    if (s_mkdir_parents (parent) != 0) {
        snprintf (err, err_size, "SQLITE_PATH %s: cannot create directory %s: %s",
                  path, parent, strerror (errno));
        free (copy);
        return -1;
    }
    if (access (parent, W_OK | X_OK) != 0) {
        snprintf (err, err_size, "SQLITE_PATH %s: directory %s is not writable: %s",
                  path, parent, strerror (errno));
        free (copy);
        return -1;
    }
    free (copy);

    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                         | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf (err, err_size, "SQLITE_PATH %s: cannot open: %s", path,
                  db? sqlite3_errmsg (db): sqlite3_errstr (rc));
        sqlite3_close (db);
        return -1;
    }
    sqlite3_extended_result_codes (db, 1);
    sqlite3_busy_timeout (db, options->busy_timeout_ms);
    if (sqlite3_db_readonly (db, "main") == 1) {
        snprintf (err, err_size, "SQLITE_PATH %s: the database is read-only", path);
        sqlite3_close (db);
        return -1;
    }
    //  journal_mode returns the mode in force; anything but "wal" means the
    //  file or its directory refused us (or it is not a database).
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2 (db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
    bool wal = rc == SQLITE_ROW
            && strcmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
    if (!wal) {
        if ((rc & 0xff) == SQLITE_BUSY)
            *fatal = false;     //  another process is switching modes: retry
        snprintf (err, err_size, "SQLITE_PATH %s: cannot use it (WAL journal): %s", path,
                  rc == SQLITE_ROW? "journal mode refused": sqlite3_errmsg (db));
        sqlite3_finalize (stmt);
        sqlite3_close (db);
        return -1;
    }
    sqlite3_finalize (stmt);
    char *message = NULL;
    rc = sqlite3_exec (db, "PRAGMA synchronous=NORMAL", NULL, NULL, &message);
    if (rc != SQLITE_OK) {
        snprintf (err, err_size, "SQLITE_PATH %s: %s", path, message? message: "pragma failed");
        sqlite3_free (message);
        sqlite3_close (db);
        return -1;
    }
    *fatal = false;
    store->conn = db;
    return 0;
}

static void
s_close (oa_store_t *store)
{
    sqlite3_close ((sqlite3 *) store->conn);
    store->conn = NULL;
}

static int
s_exec (oa_store_t *store, const char *sql)
{
    char *message = NULL;
    int rc = sqlite3_exec ((sqlite3 *) store->conn, sql, NULL, NULL, &message);
    if (rc != SQLITE_OK) {
        oa_store_set_error (store, s_errcode (sqlite3_extended_errcode (store->conn)),
                            "%s", message? message: sqlite3_errstr (rc));
        sqlite3_free (message);
        return -1;
    }
    return 0;
}

static int
s_prepare (oa_store_t *store, oa_stmt_t *stmt)
{
    char *sql = strdup (stmt->sql);
    oa_store_sql_to_sqlite (sql);
    sqlite3_stmt *handle = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3 ((sqlite3 *) store->conn, sql, -1,
                                 SQLITE_PREPARE_PERSISTENT, &handle, &tail);
    bool trailing = rc == SQLITE_OK && tail && *tail && strspn (tail, " \t\r\n;") != strlen (tail);
    free (sql);
    if (rc != SQLITE_OK || !handle || trailing) {
        oa_store_set_error (store, OA_STORE_ERR_OTHER, "%s",
                            trailing? "one statement per prepare": sqlite3_errmsg (store->conn));
        sqlite3_finalize (handle);
        return -1;
    }
    stmt->handle = handle;
    return 0;
}

static void
s_finalize (oa_store_t *store, oa_stmt_t *stmt)
{
    (void) store;
    sqlite3_finalize ((sqlite3_stmt *) stmt->handle);
    stmt->handle = NULL;
}

static int
s_bind_all (oa_stmt_t *stmt)
{
    sqlite3_stmt *handle = (sqlite3_stmt *) stmt->handle;
    for (int i = 0; i < stmt->nparams; i++) {
        const oa_param_t *param = &stmt->params [i];
        int rc;
        switch (param->type) {
            case OA_PARAM_INT64:
            case OA_PARAM_BOOL:
                rc = sqlite3_bind_int64 (handle, i + 1, param->i);
                break;
            case OA_PARAM_DOUBLE:
                rc = sqlite3_bind_double (handle, i + 1, param->d);
                break;
            case OA_PARAM_TEXT:
                rc = sqlite3_bind_text (handle, i + 1, param->text, -1, SQLITE_STATIC);
                break;
            default:
                rc = sqlite3_bind_null (handle, i + 1);
                break;
        }
        if (rc != SQLITE_OK) {
            oa_store_set_error (stmt->store, OA_STORE_ERR_OTHER, "bind $%d: %s", i + 1,
                                sqlite3_errstr (rc));
            return -1;
        }
    }
    return 0;
}

static int
s_step (oa_stmt_t *stmt)
{
    sqlite3_stmt *handle = (sqlite3_stmt *) stmt->handle;
    if (!stmt->started && s_bind_all (stmt) != 0)
        return -1;
    int rc = sqlite3_step (handle);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        stmt->changes = sqlite3_changes64 ((sqlite3 *) stmt->store->conn);
        return 0;
    }
    sqlite3 *db = (sqlite3 *) stmt->store->conn;
    oa_store_set_error (stmt->store, s_errcode (sqlite3_extended_errcode (db)), "%s",
                        sqlite3_errmsg (db));
    return -1;
}

static void
s_reset (oa_stmt_t *stmt)
{
    sqlite3_reset ((sqlite3_stmt *) stmt->handle);
    sqlite3_clear_bindings ((sqlite3_stmt *) stmt->handle);
}

static int
s_columns (oa_stmt_t *stmt)
{
    return sqlite3_column_count ((sqlite3_stmt *) stmt->handle);
}

static bool
s_is_null (oa_stmt_t *stmt, int column)
{
    return sqlite3_column_type ((sqlite3_stmt *) stmt->handle, column) == SQLITE_NULL;
}

static const char *
s_text (oa_stmt_t *stmt, int column)
{
    return (const char *) sqlite3_column_text ((sqlite3_stmt *) stmt->handle, column);
}

static int64_t
s_int64 (oa_stmt_t *stmt, int column)
{
    return sqlite3_column_int64 ((sqlite3_stmt *) stmt->handle, column);
}

static double
s_dbl (oa_stmt_t *stmt, int column)
{
    return sqlite3_column_double ((sqlite3_stmt *) stmt->handle, column);
}

//  GORM stores Go bools as 1/0 in "numeric" columns; accept text spellings too.
static bool
s_boolean (oa_stmt_t *stmt, int column)
{
    sqlite3_stmt *handle = (sqlite3_stmt *) stmt->handle;
    int type = sqlite3_column_type (handle, column);
    if (type == SQLITE_NULL)
        return false;
    if (type == SQLITE_TEXT) {
        const char *text = (const char *) sqlite3_column_text (handle, column);
        return text && (strcasecmp (text, "true") == 0 || strcasecmp (text, "t") == 0
                        || strcmp (text, "1") == 0);
    }
    return sqlite3_column_double (handle, column) != 0;
}

static bool
s_broken (oa_store_t *store)
{
    return store->conn == NULL;
}

const oa_store_driver_t oa_store_sqlite_driver = {
    .name = "sqlite",
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
};
