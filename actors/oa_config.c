/*  =========================================================================
    oa_config - configuration from environment variables

    One table lists every variable: name, type, default, bounds and purpose.
    Loading walks the table, so validation, defaults and --help never drift.
    =========================================================================
*/
#include "oa_config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef enum { T_INT, T_INT64, T_BOOL, T_STR, T_ENUM } s_type_t;

typedef struct {
    const char *name;           //  environment variable
    const char *alias;          //  older name also honoured, or NULL
    s_type_t type;              //  how the value is parsed
    size_t offset;              //  field in oa_config_t
    const char *fallback;       //  default, as text
    int64_t min, max;           //  bounds for integers
    const char *choices;        //  "a|b|c" for enums
    const char *help;           //  one line for --help and the README
} s_var_t;

#define F(field) offsetof (oa_config_t, field)
#define INT_MAX32 2147483647

static const s_var_t s_vars [] = {
    { "PORT", NULL, T_INT, F (port), "3000", 1, 65535, NULL, "HTTP listen port" },
    { "ONEAPI_HOST", NULL, T_STR, F (host), "0.0.0.0", 0, 0, NULL, "HTTP listen address" },
    { "ONEAPI_GATEWAY_THREADS", NULL, T_INT, F (gateway_threads), "0", 0, 256, NULL,
      "gateway event-loop threads (0 = number of cores)" },
    { "ONEAPI_MAX_BODY_BYTES", NULL, T_INT64, F (max_body_bytes), "33554432", 1024,
      (int64_t) 1 << 32, NULL, "largest request body accepted; larger ones get 413" },
    { "ONEAPI_TLS_CERT", NULL, T_STR, F (tls_cert), "", 0, 0, NULL,
      "PEM certificate file; with ONEAPI_TLS_KEY the edge serves HTTPS (h2 by ALPN)" },
    { "ONEAPI_TLS_KEY", NULL, T_STR, F (tls_key), "", 0, 0, NULL, "PEM private key file" },
    { "ENABLE_PROMETHEUS_METRICS", NULL, T_BOOL, F (prometheus_enabled), "true", 0, 0, NULL,
      "serve /metrics" },
    { "METRICS_TOKEN", NULL, T_STR, F (metrics_token), "", 0, 0, NULL,
      "bearer token required by /metrics (403 while unset, as one-api)" },
    { "TOKEN_KEY_PREFIX", NULL, T_STR, F (token_key_prefix), "sk-", 0, 0, NULL,
      "prefix shown on relay keys" },
    { "MAX_ITEMS_PER_PAGE", NULL, T_INT, F (max_items_per_page), "100", 1, 100000, NULL,
      "largest page size of management lists" },
    { "TOKEN_TRANSACTIONS_MAX_HISTORY", NULL, T_INT, F (token_transactions_max_history), "1000",
      1, INT_MAX32, NULL,
      "most external billing transactions /api/token/transactions pages through" },
    { "EXTERNAL_BILLING_DEFAULT_TIMEOUT", NULL, T_INT, F (external_billing_default_timeout), "600",
      1, INT_MAX32, NULL,
      "seconds a pre-consumed external billing hold lasts unless the request says" },
    { "EXTERNAL_BILLING_MAX_TIMEOUT", NULL, T_INT, F (external_billing_max_timeout), "3600", 1,
      INT_MAX32, NULL, "longest external billing hold a request may ask for (s)" },
    { "TEST_PROMPT", NULL, T_STR, F (test_prompt), "2 + 2 = ?", 0, 0, NULL,
      "user message of channel tests (/api/channel/test)" },
    { "TEST_MAX_TOKENS", NULL, T_INT, F (test_max_tokens), "1024", 1, INT_MAX32, NULL,
      "max_tokens of channel tests" },
    { "SQL_DSN", NULL, T_STR, F (sql_dsn), "", 0, 0, NULL,
      "PostgreSQL DSN (postgres://user:pass@host:port/db); empty = SQLite" },
    { "SQLITE_PATH", NULL, T_STR, F (sqlite_path), "./data/one-api.db", 0, 0, NULL,
      "SQLite database file when SQL_DSN is empty" },
    { "SQLITE_BUSY_TIMEOUT", NULL, T_INT, F (sqlite_busy_timeout), "10000", 0, INT_MAX32, NULL,
      "SQLite busy timeout (ms)" },
    { "INITIAL_ROOT_TOKEN", NULL, T_STR, F (initial_root_token), "", 0, 0, NULL,
      "on first start, also create this unlimited relay key for root" },
    { "INITIAL_ROOT_ACCESS_TOKEN", NULL, T_STR, F (initial_root_access_token), "", 0, 0, NULL,
      "on first start, set root's management access token" },
    { "REDIS_CONN_STRING", NULL, T_STR, F (redis_conn_string), "", 0, 0, NULL,
      "Redis for shared rate limits and suspensions (redis://host:port/db)" },
    { "REDIS_PASSWORD", NULL, T_STR, F (redis_password), "", 0, 0, NULL, "Redis password" },
    { "SESSION_SECRET", NULL, T_STR, F (session_secret), "", 0, 0, NULL,
      "cookie signing secret (random per boot when empty)" },
    { "ENABLE_COOKIE_SECURE", NULL, T_BOOL, F (cookie_secure), "true", 0, 0, NULL,
      "mark the session cookie Secure" },
    { "COOKIE_MAXAGE_HOURS", NULL, T_INT, F (cookie_maxage_hours), "168", 1, 876000, NULL,
      "session cookie lifetime (hours)" },
    { "SYNC_FREQUENCY", NULL, T_INT, F (sync_frequency), "120", 0, 86400, NULL,
      "seconds between full cache resyncs from the store" },
    { "RATE_LIMIT_DISABLED", NULL, T_BOOL, F (rate_limit_disabled), "false", 0, 0, NULL,
      "turn off every rate limit" },
    { "GLOBAL_API_RATE_LIMIT", NULL, T_INT, F (global_api_rate_limit), "480", 0, INT_MAX32, NULL,
      "management API requests per IP per 180 s" },
    { "GLOBAL_WEB_RATE_LIMIT", NULL, T_INT, F (global_web_rate_limit), "240", 0, INT_MAX32, NULL,
      "web requests per IP per 180 s" },
    { "GLOBAL_RELAY_RATE_LIMIT", NULL, T_INT, F (global_relay_rate_limit), "480", 0, INT_MAX32,
      NULL, "relay requests per token per 180 s" },
    { "CRITICAL_RATE_LIMIT", NULL, T_INT, F (critical_rate_limit), "20", 0, INT_MAX32, NULL,
      "login and register attempts per IP per 1200 s" },
    { "GLOBAL_CHANNEL_RATE_LIMIT", NULL, T_BOOL, F (channel_rate_limit), "false", 0, 0, NULL,
      "apply each channel's own rate limit" },
    { "CHANNEL_SUSPEND_SECONDS_FOR_429", NULL, T_INT, F (suspend_429_sec), "60", 0, 86400, NULL,
      "suspend a channel's model after upstream 429" },
    { "CHANNEL_SUSPEND_SECONDS_FOR_5XX", NULL, T_INT, F (suspend_5xx_sec), "30", 0, 86400, NULL,
      "suspend a channel's model after upstream 5xx" },
    { "CHANNEL_SUSPEND_SECONDS_FOR_AUTH", NULL, T_INT, F (suspend_auth_sec), "60", 0, 86400,
      NULL, "suspend a channel's model after upstream 401/403" },
    { "ENFORCE_INCLUDE_USAGE", NULL, T_BOOL, F (enforce_include_usage), "true", 0, 0, NULL,
      "ask upstreams for usage in streams" },
    { "RELAY_TIMEOUT", NULL, T_INT, F (relay_timeout_sec), "0", 0, 86400, NULL,
      "total upstream timeout in seconds (0 = none)" },
    { "IDLE_TIMEOUT", NULL, T_INT, F (idle_timeout_sec), "30", 0, 86400, NULL,
      "upstream stream idle timeout (s)" },
    { "RELAY_PROXY", NULL, T_STR, F (relay_proxy), "", 0, 0, NULL,
      "HTTP proxy for upstream requests" },
    { "ONEAPI_FETCH_ALLOW_PRIVATE", NULL, T_BOOL, F (fetch_allow_private), "false", 0, 0, NULL,
      "image URLs the worker fetches for inline-data upstreams may point at loopback, private or link-local addresses" },
    { "SHUTDOWN_TIMEOUT_SEC", "SHUTDOWN_TIMEOUT", T_INT, F (shutdown_timeout_sec), "360", 0,
      86400, NULL, "seconds in-flight work may take to finish after SIGTERM" },
    { "DEBUG", NULL, T_BOOL, F (debug), "false", 0, 0, NULL, "debug logging" },
    { "ONEAPI_LOG_FORMAT", NULL, T_ENUM, F (log_format), "text", 0, 0, "text|json",
      "log line format" },
    { "ONEAPI_LOG_LEVEL", NULL, T_ENUM, F (log_level), "info", 0, 0, "debug|info|warn|error",
      "lowest level logged" },
    { "ONEAPI_WORKERS", NULL, T_INT, F (workers), "1", 1, 64, NULL,
      "relay worker actors started by `oneapi serve`" },
    { "ONEAPI_WORKER_CONCURRENCY", NULL, T_INT, F (worker_concurrency), "20000", 1, 1000000,
      NULL, "concurrent upstream transfers per worker" },
    { "ONEAPI_GATEWAY_BIND", NULL, T_STR, F (gateway_bind), "tcp://127.0.0.1:5555", 0, 0, NULL,
      "endpoint the gateway binds for workers (gateway role)" },
    { "ONEAPI_GATEWAY_ENDPOINTS", NULL, T_STR, F (gateway_endpoints), "tcp://127.0.0.1:5555",
      0, 0, NULL, "comma-separated gateway endpoints a worker connects to (worker role)" },
    { "ONEAPI_LEDGER_BIND", NULL, T_STR, F (ledger_bind), "tcp://127.0.0.1:5556", 0, 0, NULL,
      "endpoint the ledger binds for requests (ledger role)" },
    { "ONEAPI_LEDGER_ENDPOINT", NULL, T_STR, F (ledger_endpoint), "tcp://127.0.0.1:5556", 0, 0,
      NULL, "ledger endpoint gateways and workers connect to" },
    { "ONEAPI_LEDGER_PUB_BIND", NULL, T_STR, F (ledger_pub_bind), "tcp://127.0.0.1:5557", 0, 0,
      NULL, "endpoint the ledger binds for its change stream" },
    { "ONEAPI_LEDGER_PUB_ENDPOINT", NULL, T_STR, F (ledger_pub_endpoint),
      "tcp://127.0.0.1:5557", 0, 0, NULL, "change stream endpoint gateways subscribe to" },
    { "ONEAPI_WORKER_HTTP_PORT", NULL, T_INT, F (worker_http_port), "3001", 0, 65535, NULL,
      "worker role: /metrics, /healthz, /readyz on this port of ONEAPI_HOST (0 = off)" },
    { "ONEAPI_LEDGER_HTTP_PORT", NULL, T_INT, F (ledger_http_port), "3002", 0, 65535, NULL,
      "ledger role: /metrics, /healthz, /readyz on this port of ONEAPI_HOST (0 = off)" },
    { "ONEAPI_SPOOL_DIR", NULL, T_STR, F (spool_dir), "./data/spool", 0, 0, NULL,
      "worker journal of unacknowledged usage" },
    { "ONEAPI_JOURNAL_DURABILITY", NULL, T_ENUM, F (journal_durability), "process", 0, 0,
      "process|host", "what a finished answer waits for: its USAGE written to the journal "
      "(survives a killed process) or also fsynced (survives a host crash; adds the fsync)" },
    { "ONEAPI_JOURNAL_SYNC_MS", NULL, T_INT, F (journal_sync_ms), "0", 0, 10000, NULL,
      "journal fsync period (ms; 0 = 3 with durability host, 100 with process)" },
    { "ONEAPI_CURVE_SECRET_KEY", NULL, T_STR, F (curve_secret_key), "", 0, 0, NULL,
      "this process's CURVE secret key (Z85, 40 chars); enables CURVE on tcp links" },
    { "ONEAPI_CURVE_PUBLIC_KEY", NULL, T_STR, F (curve_public_key), "", 0, 0, NULL,
      "this process's CURVE public key (Z85)" },
    { "ONEAPI_CURVE_SERVER_KEY", NULL, T_STR, F (curve_server_key), "", 0, 0, NULL,
      "public key of the servers this process connects to (Z85)" },
    { "ONEAPI_CURVE_ALLOWED_KEYS", NULL, T_STR, F (curve_allowed_keys), "", 0, 0, NULL,
      "comma-separated client public keys a server accepts" },
};
#define S_VAR_COUNT (sizeof (s_vars) / sizeof (s_vars [0]))

//  Go's strconv.ParseBool, which one-api uses, accepts exactly these.
static int
s_parse_bool (const char *text, bool *value)
{
    static const char *yes [] = { "1", "t", "T", "TRUE", "true", "True" };
    static const char *no [] = { "0", "f", "F", "FALSE", "false", "False" };
    for (size_t i = 0; i < 6; i++) {
        if (strcmp (text, yes [i]) == 0) {
            *value = true;
            return 0;
        }
        if (strcmp (text, no [i]) == 0) {
            *value = false;
            return 0;
        }
    }
    return -1;
}

static int
s_parse_int (const char *text, int64_t min, int64_t max, int64_t *value)
{
    char *end = NULL;
    errno = 0;
    long long number = strtoll (text, &end, 10);
    if (errno || end == text || *end != 0)
        return -1;
    if (number < min || number > max)
        return -1;
    *value = number;
    return 0;
}

static bool
s_enum_allows (const char *choices, const char *text)
{
    size_t len = strlen (text);
    const char *cursor = choices;
    while (*cursor) {
        const char *bar = strchr (cursor, '|');
        size_t span = bar? (size_t) (bar - cursor): strlen (cursor);
        if (span == len && strncmp (cursor, text, len) == 0 && len > 0)
            return true;
        cursor += span + (bar? 1: 0);
    }
    return false;
}

//  Trims surrounding blanks, as one-api does with most variables.
static char *
s_trimmed (const char *text)
{
    while (isspace ((unsigned char) *text))
        text++;
    size_t len = strlen (text);
    while (len && isspace ((unsigned char) text [len - 1]))
        len--;
    return strndup (text, len);
}

static int
s_apply (oa_config_t *self, const s_var_t *var, const char *raw, bool from_env, char *err,
         size_t err_size)
{
    void *field = (char *) self + var->offset;
    char *text = s_trimmed (raw);
    int rc = 0;
    int64_t number = 0;
    bool flag = false;
    switch (var->type) {
        case T_INT:
        case T_INT64:
            if (s_parse_int (text, var->min, var->max, &number) == 0) {
                if (var->type == T_INT)
                    *(int *) field = (int) number;
                else
                    *(int64_t *) field = number;
            }
            else {
                snprintf (err, err_size,
                          "invalid value for %s: '%s' (expected an integer from %lld to %lld)",
                          var->name, raw, (long long) var->min, (long long) var->max);
                rc = -1;
            }
            break;
        case T_BOOL:
            if (s_parse_bool (text, &flag) == 0)
                *(bool *) field = flag;
            else {
                snprintf (err, err_size, "invalid value for %s: '%s' (expected true or false)",
                          var->name, raw);
                rc = -1;
            }
            break;
        case T_ENUM:
            if (!s_enum_allows (var->choices, text)) {
                snprintf (err, err_size, "invalid value for %s: '%s' (expected one of %s)",
                          var->name, raw, var->choices);
                rc = -1;
                break;
            }
            //  An allowed enum value is stored as a string.
            __attribute__ ((fallthrough));
        case T_STR:
            free (*(char **) field);
            *(char **) field = text;
            text = NULL;
            break;
    }
    (void) from_env;
    free (text);
    return rc;
}

static bool
s_is_string (const s_var_t *var)
{
    return var->type == T_STR || var->type == T_ENUM;
}

//  Checks that need more than one variable, or a variable's shape.
static int
s_validate (oa_config_t *self, char *err, size_t err_size)
{
    const char *dsn = self->sql_dsn;
    if (*dsn && !oa_config_uses_postgres (self)) {
        snprintf (err, err_size,
                  "invalid value for SQL_DSN: only PostgreSQL is supported "
                  "(postgres://user:password@host:port/dbname or 'host=... dbname=...'); "
                  "leave it empty for SQLite at SQLITE_PATH");
        return -1;
    }
    if (*dsn == 0 && *self->sqlite_path == 0) {
        snprintf (err, err_size, "invalid value for SQLITE_PATH: must not be empty");
        return -1;
    }
    if ((*self->tls_cert == 0) != (*self->tls_key == 0)) {
        snprintf (err, err_size, "invalid value for %s: ONEAPI_TLS_CERT and ONEAPI_TLS_KEY "
                  "must be set together", *self->tls_cert? "ONEAPI_TLS_KEY": "ONEAPI_TLS_CERT");
        return -1;
    }
    const char *curve [] = { self->curve_secret_key, self->curve_public_key,
                             self->curve_server_key };
    const char *curve_names [] = { "ONEAPI_CURVE_SECRET_KEY", "ONEAPI_CURVE_PUBLIC_KEY",
                                   "ONEAPI_CURVE_SERVER_KEY" };
    for (int i = 0; i < 3; i++)
        if (*curve [i] && strlen (curve [i]) != 40) {
            snprintf (err, err_size, "invalid value for %s: expected a 40-character Z85 key",
                      curve_names [i]);
            return -1;
        }
    if ((*self->curve_secret_key == 0) != (*self->curve_public_key == 0)) {
        snprintf (err, err_size, "invalid value for ONEAPI_CURVE_PUBLIC_KEY: "
                  "ONEAPI_CURVE_SECRET_KEY and ONEAPI_CURVE_PUBLIC_KEY must be set together");
        return -1;
    }
    if (self->gateway_threads == 0) {
        long cores = sysconf (_SC_NPROCESSORS_ONLN);
        self->gateway_threads = cores > 0? (int) cores: 1;
    }
    if (self->debug && strcmp (self->log_level, "info") == 0) {
        free (self->log_level);
        self->log_level = strdup ("debug");
    }
    return 0;
}

oa_config_t *
oa_config_load (char *err, size_t err_size)
{
    oa_config_t *self = calloc (1, sizeof (oa_config_t));
    assert (self);
    for (size_t i = 0; i < S_VAR_COUNT; i++) {
        const s_var_t *var = &s_vars [i];
        int rc = s_apply (self, var, var->fallback, false, err, err_size);
        assert (rc == 0);       //  defaults are part of the program
        const char *raw = getenv (var->name);
        if (!raw && var->alias)
            raw = getenv (var->alias);
        //  An empty number or flag means "unset", as in one-api's env helpers.
        if (raw && (*raw || s_is_string (var)) && !(var->type == T_ENUM && *raw == 0)) {
            if (s_apply (self, var, raw, true, err, err_size)) {
                oa_config_destroy (&self);
                return NULL;
            }
        }
    }
    if (s_validate (self, err, err_size)) {
        oa_config_destroy (&self);
        return NULL;
    }
    return self;
}

void
oa_config_destroy (oa_config_t **self_p)
{
    assert (self_p);
    oa_config_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < S_VAR_COUNT; i++)
        if (s_is_string (&s_vars [i]))
            free (*(char **) ((char *) self + s_vars [i].offset));
    free (self);
    *self_p = NULL;
}

bool
oa_config_uses_postgres (const oa_config_t *self)
{
    const char *dsn = self->sql_dsn;
    return strncmp (dsn, "postgres://", 11) == 0 || strncmp (dsn, "postgresql://", 13) == 0
        || strstr (dsn, "host=") || strstr (dsn, "dbname=");
}

void
oa_config_print_help (FILE *out)
{
    for (size_t i = 0; i < S_VAR_COUNT; i++) {
        const s_var_t *var = &s_vars [i];
        fprintf (out, "  %-34s %s (default: %s)\n", var->name, var->help,
                 *var->fallback? var->fallback: "empty");
    }
}

void
oa_config_print_markdown (FILE *out)
{
    fprintf (out, "| variable | default | meaning |\n|---|---|---|\n");
    for (size_t i = 0; i < S_VAR_COUNT; i++) {
        const s_var_t *var = &s_vars [i];
        fprintf (out, "| `%s`", var->name);
        if (var->alias)
            fprintf (out, " (or `%s`)", var->alias);
        if (*var->fallback)
            fprintf (out, " | `%s` | %s |\n", var->fallback, var->help);
        else
            fprintf (out, " | empty | %s |\n", var->help);
    }
}

//  --------------------------------------------------------------------------
//  Self test

static void
s_unset_all (void)
{
    for (size_t i = 0; i < S_VAR_COUNT; i++) {
        unsetenv (s_vars [i].name);
        if (s_vars [i].alias)
            unsetenv (s_vars [i].alias);
    }
}

void
oa_config_test (bool verbose)
{
    (void) verbose;
    char err [512] = "";
    s_unset_all ();
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    assert (config->port == 3000);
    assert (strcmp (config->sqlite_path, "./data/one-api.db") == 0);
    assert (config->gateway_threads >= 1);
    assert (config->prometheus_enabled);
    assert (config->suspend_429_sec == 60);
    assert (config->shutdown_timeout_sec == 360);
    assert (!oa_config_uses_postgres (config));
    assert (strcmp (config->log_format, "text") == 0);
    oa_config_destroy (&config);
    assert (config == NULL);
    oa_config_destroy (&config);        //  idempotent

    //  Valid overrides, blanks trimmed, Go-style booleans, the legacy alias.
    setenv ("PORT", " 8080 ", 1);
    setenv ("ENABLE_PROMETHEUS_METRICS", "F", 1);
    setenv ("SHUTDOWN_TIMEOUT", "7", 1);
    setenv ("SQL_DSN", "postgres://u:p@127.0.0.1:5432/oneapi", 1);
    setenv ("ONEAPI_LOG_FORMAT", "json", 1);
    config = oa_config_load (err, sizeof err);
    assert (config);
    assert (config->port == 8080);
    assert (!config->prometheus_enabled);
    assert (config->shutdown_timeout_sec == 7);
    assert (oa_config_uses_postgres (config));
    assert (strcmp (config->log_format, "json") == 0);
    oa_config_destroy (&config);
    setenv ("SHUTDOWN_TIMEOUT_SEC", "9", 1);    //  our name wins over the alias
    config = oa_config_load (err, sizeof err);
    assert (config && config->shutdown_timeout_sec == 9);
    oa_config_destroy (&config);
    s_unset_all ();

    //  Every invalid value names its variable.
    struct { const char *name, *value; } bad [] = {
        { "PORT", "abc" }, { "PORT", "0" }, { "PORT", "70000" }, { "PORT", "80x" },
        { "ENABLE_PROMETHEUS_METRICS", "yes" }, { "ONEAPI_LOG_FORMAT", "xml" },
        { "ONEAPI_LOG_LEVEL", "loud" }, { "SQL_DSN", "root:pw@tcp(localhost:3306)/oneapi" },
        { "ONEAPI_GATEWAY_THREADS", "-1" }, { "ONEAPI_MAX_BODY_BYTES", "12" },
        { "ONEAPI_TLS_CERT", "/tmp/cert.pem" }, { "ONEAPI_CURVE_SECRET_KEY", "short" },
        { "SHUTDOWN_TIMEOUT_SEC", "99999999999" }, { "SQLITE_PATH", "" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++) {
        setenv (bad [i].name, bad [i].value, 1);
        err [0] = 0;
        config = oa_config_load (err, sizeof err);
        assert (config == NULL);
        assert (strstr (err, bad [i].name));
        unsetenv (bad [i].name);
    }
    s_unset_all ();
}
