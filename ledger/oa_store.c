/*  =========================================================================
    oa_store - one SQL interface over SQLite and PostgreSQL

    The generic layer: driver choice, the per-connection statement cache,
    parameter storage, transactions and error state.  Drivers live in
    oa_store_sqlite.c and oa_store_pg.c.
    =========================================================================
*/
#include "oa_store_driver.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oa_ids.h"
#include "oa_log.h"

#define S_DEFAULT_SQLITE_PATH "one-api.db"
#define S_DEFAULT_BUSY_MS 3000
#define S_DEFAULT_CONNECT_S 5

void
oa_store_set_error (oa_store_t *store, oa_store_errcode_t code, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (store->error, sizeof store->error, format, args);
    va_end (args);
    store->errcode = code;
    oa_log_warn ("store", "%s: %s", store->driver? store->driver->name: "store", store->error);
}

void
oa_store_clear_error (oa_store_t *store)
{
    store->errcode = OA_STORE_OK;
    store->error [0] = 0;
}

//  $ followed by a digit, outside quotes, is a placeholder.
static bool
s_is_placeholder (const char *at)
{
    return at [0] == '$' && isdigit ((unsigned char) at [1]);
}

void
oa_store_sql_to_sqlite (char *sql)
{
    char quote = 0;
    for (char *at = sql; *at; at++) {
        if (quote) {
            if (*at == quote)
                quote = 0;      //  a doubled quote reopens at the next char: fine
        }
        else
        if (*at == '\'' || *at == '"')
            quote = *at;
        else
        if (s_is_placeholder (at))
            *at = '?';
    }
}

int
oa_store_sql_param_count (const char *sql)
{
    int highest = 0;
    char quote = 0;
    for (const char *at = sql; *at; at++) {
        if (quote) {
            if (*at == quote)
                quote = 0;
        }
        else
        if (*at == '\'' || *at == '"')
            quote = *at;
        else
        if (s_is_placeholder (at)) {
            long n = strtol (at + 1, NULL, 10);
            if (n > OA_STORE_MAX_PARAMS)
                return -1;
            if (n > highest)
                highest = (int) n;
        }
    }
    return highest;
}

static void
s_stmt_clear_params (oa_stmt_t *stmt)
{
    for (int i = 0; i < stmt->nparams; i++) {
        if (stmt->params [i].type == OA_PARAM_TEXT && !stmt->params [i].borrowed)
            free (stmt->params [i].text);
        memset (&stmt->params [i], 0, sizeof stmt->params [i]);
    }
}

static void
s_stmt_destroy (oa_stmt_t **stmt_p)
{
    oa_stmt_t *stmt = *stmt_p;
    if (!stmt)
        return;
    if (stmt->handle)
        stmt->store->driver->finalize (stmt->store, stmt);
    s_stmt_clear_params (stmt);
    free (stmt->sql);
    free (stmt);
    *stmt_p = NULL;
}

static void
s_stmt_destructor (void **item)
{
    s_stmt_destroy ((oa_stmt_t **) item);
}

oa_store_t *
oa_store_open_with (const oa_store_options_t *options, bool *fatal, char *err, size_t err_size)
{
    assert (options);
    bool local_fatal = false;
    if (!fatal)
        fatal = &local_fatal;
    *fatal = false;
    if (err_size)
        err [0] = 0;

    oa_store_options_t opts = *options;
    if (!opts.sqlite_path || !*opts.sqlite_path)
        opts.sqlite_path = S_DEFAULT_SQLITE_PATH;
    if (opts.busy_timeout_ms <= 0)
        opts.busy_timeout_ms = S_DEFAULT_BUSY_MS;
    if (opts.connect_timeout_s <= 0)
        opts.connect_timeout_s = S_DEFAULT_CONNECT_S;

    const char *dsn = opts.sql_dsn? opts.sql_dsn: "";
    bool postgres = strncmp (dsn, "postgres://", 11) == 0
                 || strncmp (dsn, "postgresql://", 13) == 0;
    if (*dsn && !postgres) {
        //  one-api reads any other non-empty SQL_DSN as MySQL.
        snprintf (err, err_size, "SQL_DSN is neither empty (SQLite) nor postgres://...: "
                  "MySQL is not supported");
        *fatal = true;
        return NULL;
    }
    oa_store_t *self = (oa_store_t *) zmalloc (sizeof (oa_store_t));
    self->driver = postgres? &oa_store_pg_driver: &oa_store_sqlite_driver;
    self->stmts = zhashx_new ();
    zhashx_set_destructor (self->stmts, s_stmt_destructor);
    int rc = postgres? oa_store_pg_connect (self, &opts, fatal, err, err_size)
                     : oa_store_sqlite_connect (self, &opts, fatal, err, err_size);
    if (rc != 0) {
        zhashx_destroy (&self->stmts);
        free (self);
        return NULL;
    }
    return self;
}

oa_store_t *
oa_store_open (const char *sql_dsn, const char *sqlite_path, char *err, size_t err_size)
{
    oa_store_options_t options = { .sql_dsn = sql_dsn, .sqlite_path = sqlite_path };
    return oa_store_open_with (&options, NULL, err, err_size);
}

void
oa_store_destroy (oa_store_t **self_p)
{
    assert (self_p);
    oa_store_t *self = *self_p;
    if (!self)
        return;
    //  Statements go before the connection they belong to.
    zhashx_destroy (&self->stmts);
    if (self->conn)
        self->driver->close (self);
    free (self);
    *self_p = NULL;
}

bool
oa_store_is_postgres (oa_store_t *self)
{
    return self->driver == &oa_store_pg_driver;
}

const char *
oa_store_driver_name (oa_store_t *self)
{
    return self->driver->name;
}

int
oa_store_exec (oa_store_t *self, const char *sql)
{
    oa_store_clear_error (self);
    return self->driver->exec (self, sql);
}

int64_t
oa_store_copy_in (oa_store_t *self, const char *sql, const char *data, size_t size)
{
    oa_store_clear_error (self);
    if (!self->driver->copy_in) {
        oa_store_set_error (self, OA_STORE_ERR_OTHER, "copy: not supported by %s",
                            self->driver->name);
        return -1;
    }
    return self->driver->copy_in (self, sql, data, size);
}

//  Runs a transaction statement.  SQLite would parse it again on every
//  exec: there it runs from the statement cache (PostgreSQL: one round trip
//  either way).
static int
s_exec_tx (oa_store_t *self, const char *sql)
{
    if (oa_store_is_postgres (self))
        return oa_store_exec (self, sql);
    oa_stmt_t *stmt = oa_store_prepare (self, sql);
    if (!stmt)
        return -1;
    int rc = oa_stmt_exec (stmt);
    oa_stmt_reset (stmt);
    return rc;
}

int
oa_store_begin (oa_store_t *self)
{
    if (self->in_tx) {
        oa_store_set_error (self, OA_STORE_ERR_OTHER, "begin: already in a transaction");
        return -1;
    }
    int rc = s_exec_tx (self, oa_store_is_postgres (self)? "BEGIN": "BEGIN IMMEDIATE");
    if (rc == 0)
        self->in_tx = true;
    return rc;
}

int
oa_store_commit (oa_store_t *self)
{
    if (!self->in_tx) {
        oa_store_set_error (self, OA_STORE_ERR_OTHER, "commit: no transaction");
        return -1;
    }
    int rc = s_exec_tx (self, "COMMIT");
    if (rc != 0) {
        //  A failed COMMIT leaves PostgreSQL's transaction aborted and
        //  SQLite's possibly open: end it either way so the connection is
        //  usable again.  The caller sees the commit's error.
        char saved [sizeof self->error];
        oa_store_errcode_t code = self->errcode;
        memcpy (saved, self->error, sizeof saved);
        self->driver->exec (self, "ROLLBACK");
        memcpy (self->error, saved, sizeof saved);
        self->errcode = code;
    }
    self->in_tx = false;
    return rc;
}

int
oa_store_rollback (oa_store_t *self)
{
    if (!self->in_tx)
        return 0;
    self->in_tx = false;
    //  Reset cached statements so SQLite releases its read cursors.
    for (oa_stmt_t *stmt = (oa_stmt_t *) zhashx_first (self->stmts); stmt;
         stmt = (oa_stmt_t *) zhashx_next (self->stmts))
        if (stmt->started)
            oa_stmt_reset (stmt);
    return oa_store_exec (self, "ROLLBACK");
}

bool
oa_store_in_transaction (oa_store_t *self)
{
    return self->in_tx;
}

const char *
oa_store_error (oa_store_t *self)
{
    return self->error;
}

oa_store_errcode_t
oa_store_errcode (oa_store_t *self)
{
    return self->errcode;
}

bool
oa_store_broken (oa_store_t *self)
{
    return self->driver->broken (self);
}

#define S_BACKOFF_MIN_MS 100
#define S_BACKOFF_MAX_MS 5000

int64_t
oa_store_backoff_wait (const oa_store_backoff_t *self)
{
    int64_t wait = self->next_ms - oa_clock_mono_ms ();
    return wait > 0? wait: 0;
}

int
oa_store_backoff_failed (oa_store_backoff_t *self)
{
    int wait = self->backoff_ms > 0? self->backoff_ms: S_BACKOFF_MIN_MS;
    self->next_ms = oa_clock_mono_ms () + wait;
    self->backoff_ms = wait * 2 > S_BACKOFF_MAX_MS? S_BACKOFF_MAX_MS: wait * 2;
    return wait;
}

oa_store_t *
oa_store_reopen (oa_store_reopen_t *self, oa_store_t *store, const oa_store_options_t *options,
                 const char *component)
{
    assert (self && store && options && component);
    if (!self->active) {
        if (!oa_store_broken (store))
            return NULL;
        self->active = true;
        self->backoff = (oa_store_backoff_t) { 0 };
        oa_log_warn (component, "store connection lost: %s; reconnecting", oa_store_error (store));
    }
    if (oa_store_backoff_wait (&self->backoff) > 0)
        return NULL;
    char err [512] = "";
    oa_store_t *fresh = oa_store_open_with (options, NULL, err, sizeof err);
    if (!fresh) {
        int wait = oa_store_backoff_failed (&self->backoff);
        //  An attempt abandoned for $TERM is not worth a warning.
        if (!options->interrupted || !options->interrupted (options->interrupt_arg))
            oa_log_warn (component, "store reconnect failed: %s; retrying in %d ms", err, wait);
        return NULL;
    }
    self->active = false;
    oa_log_info (component, "store reconnected (%s)", oa_store_driver_name (fresh));
    return fresh;
}

size_t
oa_store_decimal (int64_t value, char *text)
{
    //  Digits backwards into a scratch, then copied in order.
    char digits [20];
    size_t count = 0;
    uint64_t magnitude = value < 0? (uint64_t) 0 - (uint64_t) value: (uint64_t) value;
    do {
        digits [count++] = (char) ('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    size_t len = 0;
    if (value < 0)
        text [len++] = '-';
    while (count)
        text [len++] = digits [--count];
    text [len] = 0;
    return len;
}

oa_stmt_t *
oa_store_prepare (oa_store_t *self, const char *sql)
{
    assert (sql);
    oa_stmt_t *stmt = (oa_stmt_t *) zhashx_lookup (self->stmts, sql);
    if (stmt) {
        oa_stmt_reset (stmt);
        return stmt;
    }
    oa_store_clear_error (self);
    int nparams = oa_store_sql_param_count (sql);
    assert (nparams >= 0);      //  more than OA_STORE_MAX_PARAMS is a coding error
    stmt = (oa_stmt_t *) zmalloc (sizeof (oa_stmt_t));
    stmt->store = self;
    stmt->sql = strdup (sql);
    stmt->nparams = nparams;
    if (self->driver->prepare (self, stmt) != 0) {
        oa_log_error ("store", "cannot prepare: %s (%s)", self->error, sql);
        s_stmt_destroy (&stmt);
        return NULL;
    }
    zhashx_insert (self->stmts, sql, stmt);
    return stmt;
}

static oa_param_t *
s_param (oa_stmt_t *self, int index)
{
    assert (self);
    assert (index >= 1 && index <= self->nparams);
    if (self->started)
        oa_stmt_reset (self);   //  binding after a run starts a new run
    oa_param_t *param = &self->params [index - 1];
    if (param->type == OA_PARAM_TEXT && !param->borrowed)
        free (param->text);
    memset (param, 0, sizeof *param);
    return param;
}

void
oa_stmt_bind_text (oa_stmt_t *self, int index, const char *value)
{
    oa_param_t *param = s_param (self, index);
    if (value) {
        param->type = OA_PARAM_TEXT;
        param->text = strdup (value);
    }
}

void
oa_stmt_bind_text_ref (oa_stmt_t *self, int index, const char *value)
{
    oa_param_t *param = s_param (self, index);
    if (value) {
        param->type = OA_PARAM_TEXT;
        param->text = (char *) value;
        param->borrowed = true;
    }
}

void
oa_stmt_bind_text_p (oa_stmt_t *self, int index, char **value_p)
{
    oa_param_t *param = s_param (self, index);
    if (*value_p) {
        param->type = OA_PARAM_TEXT;
        param->text = *value_p;
        *value_p = NULL;
    }
}

void
oa_stmt_bind_int64 (oa_stmt_t *self, int index, int64_t value)
{
    oa_param_t *param = s_param (self, index);
    param->type = OA_PARAM_INT64;
    param->i = value;
}

void
oa_stmt_bind_double (oa_stmt_t *self, int index, double value)
{
    oa_param_t *param = s_param (self, index);
    param->type = OA_PARAM_DOUBLE;
    param->d = value;
}

void
oa_stmt_bind_bool (oa_stmt_t *self, int index, bool value)
{
    oa_param_t *param = s_param (self, index);
    param->type = OA_PARAM_BOOL;
    param->i = value? 1: 0;
}

void
oa_stmt_bind_null (oa_stmt_t *self, int index)
{
    s_param (self, index);
}

int
oa_stmt_step (oa_stmt_t *self)
{
    assert (self);
    if (self->done)
        return 0;
    if (!self->started)
        oa_store_clear_error (self->store);
    int rc = self->store->driver->step (self);
    self->started = true;
    if (rc <= 0)
        self->done = true;
    return rc;
}

int
oa_stmt_exec (oa_stmt_t *self)
{
    int rc;
    while ((rc = oa_stmt_step (self)) == 1)
        ;
    return rc;
}

int64_t
oa_stmt_changes (oa_stmt_t *self)
{
    return self->changes;
}

void
oa_stmt_reset (oa_stmt_t *self)
{
    assert (self);
    if (self->started)
        self->store->driver->reset (self);
    self->started = false;
    self->done = false;
    s_stmt_clear_params (self);
}

int
oa_stmt_columns (oa_stmt_t *self)
{
    return self->store->driver->columns (self);
}

bool
oa_stmt_is_null (oa_stmt_t *self, int column)
{
    return self->store->driver->is_null (self, column);
}

const char *
oa_stmt_text (oa_stmt_t *self, int column)
{
    return self->store->driver->text (self, column);
}

int64_t
oa_stmt_int64 (oa_stmt_t *self, int column)
{
    return self->store->driver->int64 (self, column);
}

double
oa_stmt_double (oa_stmt_t *self, int column)
{
    return self->store->driver->dbl (self, column);
}

bool
oa_stmt_bool (oa_stmt_t *self, int column)
{
    return self->store->driver->boolean (self, column);
}

char *
oa_stmt_dup_text (oa_stmt_t *self, int column)
{
    const char *text = oa_stmt_text (self, column);
    return text? strdup (text): NULL;
}

char *
oa_stmt_dup_char (oa_stmt_t *self, int column)
{
    const char *text = oa_stmt_text (self, column);
    if (!text)
        return NULL;
    size_t len = strlen (text);
    while (len > 0 && text [len - 1] == ' ')
        len--;
    return strndup (text, len);
}

//  --------------------------------------------------------------------------
//  Self test: SQL rewriting and the statement layer on an in-memory-like
//  SQLite file.  The full behaviour suite runs per driver in
//  oa_store_suite.c (oa_store_sqlite, oa_store_pg).

void
oa_store_test (bool verbose)
{
    (void) verbose;
    char sql [] = "SELECT \"a$1\", '$2', $1, $12 FROM t WHERE x = $3";
    assert (oa_store_sql_param_count (sql) == 12);
    oa_store_sql_to_sqlite (sql);
    assert (streq (sql, "SELECT \"a$1\", '$2', ?1, ?12 FROM t WHERE x = ?3"));
    assert (oa_store_sql_param_count ("SELECT 1") == 0);
    assert (oa_store_sql_param_count ("SELECT $65") == -1);
    char number [24];
    assert (oa_store_decimal (0, number) == 1 && streq (number, "0"));
    assert (oa_store_decimal (-42, number) == 3 && streq (number, "-42"));
    assert (oa_store_decimal (INT64_MAX, number) == 19 && streq (number, "9223372036854775807"));
    assert (oa_store_decimal (INT64_MIN, number) == 20
            && streq (number, "-9223372036854775808"));

    char dir [] = "/tmp/oa-store-XXXXXX";
    assert (mkdtemp (dir));
    char path [256];
    snprintf (path, sizeof path, "%s/sub/dir/t.db", dir);    //  parents are created
    char err [256];
    oa_store_t *store = oa_store_open (NULL, path, err, sizeof err);
    assert (store);
    assert (!oa_store_is_postgres (store));
    assert (streq (oa_store_driver_name (store), "sqlite"));
    assert (oa_store_exec (store, "CREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT, "
                                  "\"key\" text UNIQUE, \"group\" text, n integer, "
                                  "f real, b numeric)") == 0);
    oa_stmt_t *ins = oa_store_prepare (store,
        "INSERT INTO t (\"key\", \"group\", n, f, b) VALUES ($1, $2, $3, $4, $5) RETURNING id");
    assert (ins);
    oa_stmt_bind_text (ins, 1, "k'1\"");
    oa_stmt_bind_null (ins, 2);
    oa_stmt_bind_int64 (ins, 3, INT64_MAX);
    oa_stmt_bind_double (ins, 4, 2.5);
    oa_stmt_bind_bool (ins, 5, true);
    assert (oa_stmt_step (ins) == 1);
    assert (oa_stmt_int64 (ins, 0) == 1);
    assert (oa_stmt_step (ins) == 0);
    //  Same SQL text: the cached handle comes back, reset.
    assert (oa_store_prepare (store,
        "INSERT INTO t (\"key\", \"group\", n, f, b) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        == ins);
    oa_stmt_bind_text (ins, 1, "k'1\"");
    assert (oa_stmt_exec (ins) == -1);
    assert (oa_store_errcode (store) == OA_STORE_ERR_UNIQUE);
    assert (!oa_store_broken (store));

    oa_stmt_t *sel = oa_store_prepare (store,
        "SELECT \"key\", \"group\", n, f, b FROM t WHERE \"key\" = $1");
    assert (sel);
    oa_stmt_bind_text (sel, 1, "k'1\"");
    assert (oa_stmt_step (sel) == 1);
    assert (oa_stmt_columns (sel) == 5);
    assert (streq (oa_stmt_text (sel, 0), "k'1\""));
    assert (oa_stmt_is_null (sel, 1) && oa_stmt_text (sel, 1) == NULL);
    assert (oa_stmt_int64 (sel, 2) == INT64_MAX);
    assert (oa_stmt_double (sel, 3) == 2.5);
    assert (oa_stmt_bool (sel, 4));
    assert (oa_stmt_step (sel) == 0);
    //  Borrowed and handed-over text bind like copied text.
    char borrowed [] = "k'1\"";
    oa_stmt_bind_text_ref (sel, 1, borrowed);
    assert (oa_stmt_step (sel) == 1 && oa_stmt_int64 (sel, 2) == INT64_MAX);
    oa_stmt_reset (sel);
    char *handed = strdup ("k'1\"");
    oa_stmt_bind_text_p (sel, 1, &handed);
    assert (handed == NULL);
    assert (oa_stmt_step (sel) == 1 && oa_stmt_int64 (sel, 2) == INT64_MAX);
    oa_stmt_bind_text_ref (sel, 1, "none");     //  rebinding frees the handed copy
    assert (oa_stmt_step (sel) == 0);
    oa_stmt_reset (sel);

    //  A statement that does not prepare is NULL, not a crash.
    assert (oa_store_prepare (store, "SELEKT nonsense") == NULL);
    assert (oa_store_begin (store) == 0);
    assert (oa_store_begin (store) == -1);
    assert (oa_store_rollback (store) == 0);
    assert (oa_store_commit (store) == -1);
    //  A working connection is never reopened.
    oa_store_reopen_t reopen = { 0 };
    oa_store_options_t same = { .sqlite_path = path };
    assert (oa_store_reopen (&reopen, store, &same, "store") == NULL && !reopen.active);
    //  The schedule: due at once, then 100 ms doubling to 5 s.
    oa_store_backoff_t backoff = { 0 };
    assert (oa_store_backoff_wait (&backoff) == 0);
    int waits [] = { 100, 200, 400, 800, 1600, 3200, 5000, 5000 };
    for (size_t index = 0; index < sizeof waits / sizeof waits [0]; index++)
        assert (oa_store_backoff_failed (&backoff) == waits [index]);
    assert (oa_store_backoff_wait (&backoff) > 4000);
    oa_store_destroy (&store);
    assert (store == NULL);

    //  MySQL DSNs are refused as fatal.
    bool fatal = false;
    oa_store_options_t options = { .sql_dsn = "root:pw@tcp(localhost:3306)/oneapi" };
    assert (oa_store_open_with (&options, &fatal, err, sizeof err) == NULL && fatal);
    assert (strstr (err, "MySQL"));

    char command [300];
    snprintf (command, sizeof command, "rm -rf '%s'", dir);
    assert (system (command) == 0);
}
