/*  =========================================================================
    wk_metrics_test - the worker's declared metric series, and the worker
    actor's STATUS: DEGRADED while no gateway is alive, READY once one
    speaks, DEGRADED again after 3 s of its silence.  ops/oa_roles.c turns
    that STATUS into the worker process's /readyz.
    =========================================================================
*/
#include "oa_worker.h"

#include "oa_ids.h"
#include "oa_metrics.h"
#include "wk_metrics.h"
#include "wk_testkit.h"

//  Asks the worker for STATUS; fresh string.
static char *
s_status (zactor_t *worker)
{
    zstr_send (worker, "STATUS");
    return zstr_recv (worker);
}

//  Polls STATUS until it starts with prefix or timeout_ms passes; true if it did.
static bool
s_status_becomes (zactor_t *worker, const char *prefix, int timeout_ms)
{
    int64_t until = oa_clock_mono_ms () + timeout_ms;
    while (true) {
        char *status = s_status (worker);
        bool match = status && strncmp (status, prefix, strlen (prefix)) == 0;
        zstr_free (&status);
        if (match || oa_clock_mono_ms () >= until)
            return match;
        zclock_sleep (20);
    }
}

void
oa_wk_metrics_test (bool verbose)
{
    if (verbose)
        printf (" * oa_wk_metrics: ");
    //  Unlabelled families are there, at 0, before any request
    wk_metrics_t metrics;
    wk_metrics_init (&metrics);
    char *text = oa_metrics_render (oa_metrics_global ());
    assert (text);
    assert (strstr (text, "\n# TYPE oneapi_worker_usage_send_failures_total counter\n"
                          "oneapi_worker_usage_send_failures_total "));
    assert (strstr (text, "\noneapi_worker_upstream_seconds_count "));
    assert (strstr (text, "\noneapi_worker_ttft_seconds_bucket{le=\"+Inf\"} "));
    free (text);
    //  A retry is counted under its channel and status
    double before = oa_series_value (oa_metric_series (metrics.retries,
                                                       (const char *[]) { "9", "429" }));
    wk_metrics_retry (&metrics, 9, 429);
    text = oa_metrics_render (oa_metrics_global ());
    assert (text);
    char expect [128];
    snprintf (expect, sizeof expect, "\noneapi_worker_retries_total{channel=\"9\",status=\"429\"} %g\n",
              before + 1);
    assert (strstr (text, expect));
    free (text);

    //  STATUS: no gateway heard from yet
    wk_fakegw_t *gateway = wk_fakegw_new ();
    wk_fakegw_t *ledger = wk_fakegw_new ();
    ledger->beat = false;
    setenv ("ONEAPI_LEDGER_ENDPOINT", ledger->endpoint, 1);
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    wk_test_private_spool (config);
    oa_worker_args_t args = { config, gateway->endpoint, 0 };
    zactor_t *worker = zactor_new (oa_worker_actor, &args);
    assert (worker);
    char *status = s_status (worker);
    assert (status && streq (status, "DEGRADED no gateway reachable (0 of 1)"));
    zstr_free (&status);
    //  The gateway answers the worker's WORKER_READY: READY
    assert (wk_fakegw_wait_ready (gateway, 5000) == 0);
    assert (s_status_becomes (worker, "READY", 2000));
    //  The gateway falls silent (no heartbeats): dead after 3 s, DEGRADED
    int64_t silent_since = oa_clock_mono_ms ();
    assert (s_status_becomes (worker, "DEGRADED no gateway reachable", 6000));
    int64_t elapsed = oa_clock_mono_ms () - silent_since;
    if (verbose)
        printf ("degraded %lld ms after the gateway fell silent ", (long long) elapsed);
    assert (elapsed >= 2500);
    //  It speaks again: READY
    oa_msg_t *beat = oa_msg_new (OA_MSG_HEARTBEAT);
    oa_msg_set_sender_id (beat, "test-gateway");
    oa_msg_set_role (beat, OA_MSG_ROLE_GATEWAY);
    assert (wk_fakegw_send (gateway, &beat) == 0);
    assert (s_status_becomes (worker, "READY", 2000));

    zactor_destroy (&worker);
    wk_test_remove_spool (config);
    oa_config_destroy (&config);
    wk_fakegw_destroy (&gateway);
    wk_fakegw_destroy (&ledger);
    if (verbose)
        printf ("OK\n");
}
