/*  =========================================================================
    oa_config - configuration from environment variables

    Settings that one-api has keep one-api's names and defaults (PORT,
    SQL_DSN, SQLITE_PATH, REDIS_CONN_STRING, SESSION_SECRET, ...); settings
    of the cluster roles carry an ONEAPI_ prefix.  The table in oa_config.c
    is the single list: the README and `oneapi --help` are generated from it.
    An invalid value is an error that names the variable; the caller exits
    with status 2.

    The struct is read-only after oa_config_load; every role gets a pointer.
    =========================================================================
*/
#ifndef OA_CONFIG_H_INCLUDED
#define OA_CONFIG_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    //  HTTP edge
    int port;                       //  PORT: HTTP listen port
    char *host;                     //  ONEAPI_HOST: HTTP listen address
    int gateway_threads;            //  ONEAPI_GATEWAY_THREADS: h2o event-loop threads
    int64_t max_body_bytes;         //  ONEAPI_MAX_BODY_BYTES: request body limit (413 above)
    char *tls_cert;                 //  ONEAPI_TLS_CERT: PEM certificate; TLS when set with key
    char *tls_key;                  //  ONEAPI_TLS_KEY: PEM private key
    bool prometheus_enabled;        //  ENABLE_PROMETHEUS_METRICS
    char *metrics_token;            //  METRICS_TOKEN: bearer token for /metrics
    char *token_key_prefix;         //  TOKEN_KEY_PREFIX: prefix shown on relay keys
    int max_items_per_page;         //  MAX_ITEMS_PER_PAGE
    int token_transactions_max_history; //  TOKEN_TRANSACTIONS_MAX_HISTORY
    int external_billing_default_timeout;   //  EXTERNAL_BILLING_DEFAULT_TIMEOUT (s)
    int external_billing_max_timeout;   //  EXTERNAL_BILLING_MAX_TIMEOUT (s)
    char *test_prompt;              //  TEST_PROMPT: channel tests' user message
    int test_max_tokens;            //  TEST_MAX_TOKENS: channel tests' max_tokens
    //  Store
    char *sql_dsn;                  //  SQL_DSN: postgres://... or empty for SQLite
    char *sqlite_path;              //  SQLITE_PATH
    int sqlite_busy_timeout;        //  SQLITE_BUSY_TIMEOUT (ms)
    char *initial_root_token;       //  INITIAL_ROOT_TOKEN
    char *initial_root_access_token;    //  INITIAL_ROOT_ACCESS_TOKEN
    //  Redis, sessions
    char *redis_conn_string;        //  REDIS_CONN_STRING
    char *redis_password;           //  REDIS_PASSWORD
    char *session_secret;           //  SESSION_SECRET (random per boot if empty)
    bool cookie_secure;             //  ENABLE_COOKIE_SECURE
    int cookie_maxage_hours;        //  COOKIE_MAXAGE_HOURS
    int sync_frequency;             //  SYNC_FREQUENCY (s)
    //  Rate limits
    bool rate_limit_disabled;       //  RATE_LIMIT_DISABLED
    int global_api_rate_limit;      //  GLOBAL_API_RATE_LIMIT per 180 s
    int global_web_rate_limit;      //  GLOBAL_WEB_RATE_LIMIT per 180 s
    int global_relay_rate_limit;    //  GLOBAL_RELAY_RATE_LIMIT per 180 s
    int critical_rate_limit;        //  CRITICAL_RATE_LIMIT per 1200 s
    bool channel_rate_limit;        //  GLOBAL_CHANNEL_RATE_LIMIT
    //  Relay
    int suspend_429_sec;            //  CHANNEL_SUSPEND_SECONDS_FOR_429
    int suspend_5xx_sec;            //  CHANNEL_SUSPEND_SECONDS_FOR_5XX
    int suspend_auth_sec;           //  CHANNEL_SUSPEND_SECONDS_FOR_AUTH
    bool enforce_include_usage;     //  ENFORCE_INCLUDE_USAGE
    int relay_timeout_sec;          //  RELAY_TIMEOUT (0 = none)
    int idle_timeout_sec;           //  IDLE_TIMEOUT: stream idle limit
    char *relay_proxy;              //  RELAY_PROXY
    bool fetch_allow_private;       //  ONEAPI_FETCH_ALLOW_PRIVATE: image fetches may reach private addresses
    //  Process
    int shutdown_timeout_sec;       //  SHUTDOWN_TIMEOUT_SEC (or one-api's SHUTDOWN_TIMEOUT)
    bool debug;                     //  DEBUG: log level debug
    char *log_format;               //  ONEAPI_LOG_FORMAT: text | json
    char *log_level;                //  ONEAPI_LOG_LEVEL: debug | info | warn | error
    //  Cluster roles
    int workers;                    //  ONEAPI_WORKERS: worker actors in `serve`
    int worker_concurrency;         //  ONEAPI_WORKER_CONCURRENCY: transfers per worker
    char *gateway_bind;             //  ONEAPI_GATEWAY_BIND: where workers connect
    char *gateway_endpoints;        //  ONEAPI_GATEWAY_ENDPOINTS: CSV a worker connects to
    char *ledger_bind;              //  ONEAPI_LEDGER_BIND: ledger request socket
    char *ledger_endpoint;          //  ONEAPI_LEDGER_ENDPOINT: where roles reach the ledger
    char *ledger_pub_bind;          //  ONEAPI_LEDGER_PUB_BIND: change stream
    char *ledger_pub_endpoint;      //  ONEAPI_LEDGER_PUB_ENDPOINT
    int worker_http_port;           //  ONEAPI_WORKER_HTTP_PORT: worker /metrics, /healthz (0 = off)
    int ledger_http_port;           //  ONEAPI_LEDGER_HTTP_PORT: ledger /metrics, /healthz (0 = off)
    char *spool_dir;                //  ONEAPI_SPOOL_DIR: worker usage journal
    int journal_sync_ms;            //  ONEAPI_JOURNAL_SYNC_MS: journal fsync interval
    char *journal_durability;       //  ONEAPI_JOURNAL_DURABILITY: process | host
    char *curve_secret_key;         //  ONEAPI_CURVE_SECRET_KEY: this process (Z85)
    char *curve_public_key;         //  ONEAPI_CURVE_PUBLIC_KEY: this process (Z85)
    char *curve_server_key;         //  ONEAPI_CURVE_SERVER_KEY: peer server's public key
    char *curve_allowed_keys;       //  ONEAPI_CURVE_ALLOWED_KEYS: CSV of client public keys
} oa_config_t;

//  Loads the configuration from the environment.  Returns NULL and writes a
//  message naming the variable into err when a value is invalid.
//  Caller owns the return value.
oa_config_t *
    oa_config_load (char *err, size_t err_size);

//  Destroys a configuration and nulls the pointer.
void
    oa_config_destroy (oa_config_t **self_p);

//  True when SQL_DSN selects PostgreSQL.
bool
    oa_config_uses_postgres (const oa_config_t *self);

//  Prints every variable with its default and purpose (for --help).
void
    oa_config_print_help (FILE *out);

//  Prints the same list as a Markdown table (the README's copy).
void
    oa_config_print_markdown (FILE *out);

//  Self test.
void
    oa_config_test (bool verbose);

#endif
