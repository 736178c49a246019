/*  =========================================================================
    oneapi - one-api compatible LLM API gateway

    Usage: oneapi [serve|gateway|worker|ledger|migrate|keygen|version|--help]
    Configuration comes from environment variables (see --help, README).
    Exit status: 0 clean stop, 1 runtime failure, 2 invalid configuration
    or usage.
    =========================================================================
*/
#include <czmq.h>

#include "oa_config.h"
#include "oa_ledger.h"
#include "oa_log.h"
#include "oa_roles.h"
#include "oa_signal.h"

static void
s_usage (FILE *out)
{
    fprintf (out,
        "oneapi %s - one-api compatible LLM API gateway\n\n"
        "usage: oneapi [command]\n\n"
        "commands:\n"
        "  serve     gateway, relay workers and ledger in one process (default)\n"
        "  gateway   the HTTP edge alone; workers and the ledger run elsewhere\n"
        "  worker    one relay worker; connects to ONEAPI_GATEWAY_ENDPOINTS\n"
        "  ledger    the single database writer; binds ONEAPI_LEDGER_BIND\n"
        "  migrate   create or upgrade the database schema, then exit\n"
        "  keygen    print a new CURVE key pair (ONEAPI_CURVE_PUBLIC_KEY/SECRET_KEY lines)\n"
        "  version   print the version\n"
        "  --help    this text\n\n"
        "environment:\n", OA_VERSION);
    oa_config_print_help (out);
}

int
main (int argc, char *argv [])
{
    const char *command = argc > 1? argv [1]: "serve";
    if (argc > 2) {
        s_usage (stderr);
        return 2;
    }
    if (streq (command, "--help") || streq (command, "-h") || streq (command, "help")) {
        s_usage (stdout);
        return 0;
    }
    if (streq (command, "--env-table")) {
        oa_config_print_markdown (stdout);
        return 0;
    }
    if (streq (command, "version") || streq (command, "--version")) {
        printf ("oneapi %s\n", OA_VERSION);
        return 0;
    }
    if (streq (command, "keygen")) {
        char public_key [41], secret_key [41];
        if (zmq_curve_keypair (public_key, secret_key) != 0) {
            fprintf (stderr, "oneapi: keygen: %s\n", zmq_strerror (zmq_errno ()));
            return 1;
        }
        printf ("ONEAPI_CURVE_PUBLIC_KEY=%s\nONEAPI_CURVE_SECRET_KEY=%s\n", public_key, secret_key);
        return 0;
    }
    if (!oa_roles_known (command) && !streq (command, "migrate")) {
        fprintf (stderr, "oneapi: unknown command '%s'\n\n", command);
        s_usage (stderr);
        return 2;
    }
    char err [512] = "";
    oa_config_t *config = oa_config_load (err, sizeof err);
    if (!config) {
        fprintf (stderr, "oneapi: %s\n", err);
        return 2;
    }
    oa_log_configure (config->log_format, config->log_level);

    int status;
    if (streq (command, "migrate")) {
        status = oa_store_migrate_only (config, err, sizeof err) == 0? 0: 1;
        if (status)
            oa_log_error ("main", "migrate: %s", err);
        else
            oa_log_info ("main", "schema is up to date");
    }
    else {
        //  Before any thread exists, so every thread inherits the mask and
        //  only the main thread sees SIGTERM/SIGINT; CZMQ's handlers stay off.
        oa_signal_block_all ();
        status = oa_roles_run (command, config);
        zsys_shutdown ();
    }
    oa_config_destroy (&config);
    return status;
}
