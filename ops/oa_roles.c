/*  =========================================================================
    oa_roles - composes the roles of the `oneapi` binary

    The main thread only supervises: it blocks the stop signals in every
    thread, starts the actors in dependency order (ledger, workers, gateway:
    the edge last, so nothing is accepted before it can be served), waits for
    a signal, then drains in reverse order and exits.  A part that reports a
    fatal error (say, a database from a newer schema) stops the process with
    status 1 instead of leaving a half-working server.

    The worker and ledger roles have no h2o edge, so they serve /metrics,
    /healthz and /readyz on ONEAPI_WORKER_HTTP_PORT / ONEAPI_LEDGER_HTTP_PORT
    (oa_http_admin), started first and stopped last so that /readyz says
    "draining" while the rest drains.  A default port that is taken (two
    workers on one host) only costs that listener, with a warning; a port
    set explicitly must be served, or the process does not start.
    =========================================================================
*/
#include "oa_roles.h"

#include <czmq.h>
#include <signal.h>

#include "api/oa_api.h"
#include "oa_gateway.h"
#include "oa_health.h"
#include "oa_http_admin.h"
#include "oa_ledger.h"
#include "oa_log.h"
#include "oa_signal.h"
#include "oa_supervisor.h"
#include "oa_worker.h"

//  Endpoints of `serve`: the same code as the cluster, over inproc.
#define S_INPROC_GATEWAY "inproc://oneapi-gateway"
#define S_INPROC_LEDGER "inproc://oneapi-ledger"
#define S_INPROC_LEDGER_PUB "inproc://oneapi-ledger-pub"
#define S_MAX_WORKERS 64

static const char *s_roles [] = { "serve", "gateway", "worker", "ledger", NULL };

bool
oa_roles_known (const char *role)
{
    for (int i = 0; s_roles [i]; i++)
        if (streq (role, s_roles [i]))
            return true;
    return false;
}

static void
s_set (char **field, const char *value)
{
    free (*field);
    *field = strdup (value);
}

//  Returns the first actor whose STATUS starts with FATAL, with its reason.
static char *
s_fatal_status (oa_supervisor_t *supervisor, const char **names, int count)
{
    for (int i = 0; i < count; i++) {
        char *status = oa_supervisor_status (supervisor, names [i], 1000);
        if (status && strncmp (status, "FATAL", 5) == 0)
            return status;
        zstr_free (&status);
    }
    return NULL;
}

//  Reports the worker actors' STATUS as the health component "worker", so
//  the worker process's /readyz follows its relay actor.
static void
s_worker_health (oa_supervisor_t *supervisor)
{
    char *status = oa_supervisor_status (supervisor, "worker-0", 1000);
    if (status && (streq (status, "READY") || streq (status, "OK")))
        oa_health_set ("worker", OA_HEALTH_READY, NULL);
    else
    if (status && strncmp (status, "DEGRADED", 8) == 0)
        oa_health_set ("worker", OA_HEALTH_DEGRADED, status [8]? status + 9: NULL);
    else
        oa_health_set ("worker", OA_HEALTH_DOWN, status? status: "relay actor not answering");
    zstr_free (&status);
}

int
oa_roles_run (const char *role, oa_config_t *config)
{
    assert (oa_roles_known (role));
    bool serve = streq (role, "serve");
    if (serve) {
        s_set (&config->gateway_bind, S_INPROC_GATEWAY);
        s_set (&config->gateway_endpoints, S_INPROC_GATEWAY);
        s_set (&config->ledger_bind, S_INPROC_LEDGER);
        s_set (&config->ledger_endpoint, S_INPROC_LEDGER);
        s_set (&config->ledger_pub_bind, S_INPROC_LEDGER_PUB);
        s_set (&config->ledger_pub_endpoint, S_INPROC_LEDGER_PUB);
    }
    oa_supervisor_t *supervisor = oa_supervisor_new ();
    const char *watched [4];
    int watched_count = 0;
    oa_worker_args_t worker_args [S_MAX_WORKERS];
    int rc = 0;

    //  The admin listener of the roles without an edge, before the rest.
    bool worker_role = streq (role, "worker");
    bool ledger_role = streq (role, "ledger");
    const char *port_variable = worker_role? "ONEAPI_WORKER_HTTP_PORT": "ONEAPI_LEDGER_HTTP_PORT";
    oa_http_admin_args_t admin_args = {
        .name = role,
        .host = config->host,
        .port = worker_role? config->worker_http_port: config->ledger_http_port,
        .metrics_enabled = config->prometheus_enabled,
        .metrics_token = config->metrics_token,
        .bind_optional = getenv (port_variable) == NULL
    };
    if ((worker_role || ledger_role) && admin_args.port > 0) {
        rc = oa_supervisor_start (supervisor, "http-admin", oa_http_admin_actor, &admin_args);
        if (rc)
            oa_log_error ("main", "%s: cannot serve %s=%d", role, port_variable,
                          admin_args.port);
    }

    if (rc == 0 && (serve || ledger_role)) {
        rc = oa_supervisor_start (supervisor, "ledger", oa_ledger_actor, config);
        watched [watched_count++] = "ledger";
        //  The management API runs beside the ledger, with its own store
        //  connection, so bcrypt and list queries never stall billing.
        if (rc == 0) {
            rc = oa_supervisor_start (supervisor, "api", oa_api_actor, config);
            watched [watched_count++] = "api";
        }
    }
    if (rc == 0 && (serve || worker_role)) {
        int count = serve? config->workers: 1;
        for (int i = 0; i < count && i < S_MAX_WORKERS && rc == 0; i++) {
            worker_args [i] = (oa_worker_args_t) { config, config->gateway_endpoints, i };
            char name [32];
            snprintf (name, sizeof name, "worker-%d", i);
            rc = oa_supervisor_start (supervisor, name, oa_worker_actor, &worker_args [i]);
        }
    }
    if (rc == 0 && (serve || streq (role, "gateway"))) {
        rc = oa_supervisor_start (supervisor, "gateway", oa_gateway_actor, config);
        watched [watched_count++] = "gateway";
    }
    char *fatal = rc == 0? s_fatal_status (supervisor, watched, watched_count): NULL;
    if (rc != 0 || fatal) {
        oa_log_error ("main", "%s: %s", role, fatal? fatal: "a part failed to start");
        zstr_free (&fatal);
        oa_supervisor_destroy (&supervisor);
        return 1;
    }
    oa_log_info ("main", "oneapi %s %s running (port %d)", role, OA_VERSION, config->port);

    //  Wait for a stop signal; meanwhile watch for fatal errors that appear
    //  after start (the store is opened asynchronously, with retries).
    int signal_number = 0;
    int64_t next_check = 0;
    while (signal_number == 0) {
        signal_number = oa_signal_wait (100);
        if (signal_number == 0 && zclock_mono () >= next_check) {
            fatal = s_fatal_status (supervisor, watched, watched_count);
            if (fatal) {
                oa_log_error ("main", "%s: %s", role, fatal);
                zstr_free (&fatal);
                rc = 1;
                break;
            }
            if (worker_role)
                s_worker_health (supervisor);
            next_check = zclock_mono () + 500;
        }
    }
    //  Load balancers probing /readyz stop sending before the drain ends.
    oa_health_set ("process", OA_HEALTH_DOWN, "draining");
    if (signal_number)
        oa_log_info ("main", "%s received; draining for up to %d s", strsignal (signal_number),
                     config->shutdown_timeout_sec);
    oa_supervisor_drain (supervisor, config->shutdown_timeout_sec * 1000);
    oa_supervisor_destroy (&supervisor);
    oa_log_info ("main", "oneapi %s stopped", role);
    return rc;
}
