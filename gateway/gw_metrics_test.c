/*  =========================================================================
    gw_metrics_test - the gateway's declared series and the suspension
    counter, checked in the rendered exposition text
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gw_broker.h"
#include "gw_metrics.h"
#include "oa_metrics.h"

//  The value of the sample line "series value" in the global registry's
//  text, or -1 if there is no such line.
static double
s_sample (const char *series)
{
    char *text = oa_metrics_render (oa_metrics_global ());
    assert (text);
    size_t length = strlen (series);
    double value = -1;
    for (const char *line = text; line && *line; ) {
        if (strncmp (line, series, length) == 0 && line [length] == ' ') {
            value = atof (line + length + 1);
            break;
        }
        line = strchr (line, '\n');
        if (line)
            line++;
    }
    free (text);
    return value;
}

void
oa_gw_metrics_test (bool verbose)
{
    if (verbose)
        printf (" * gw_metrics: ");
    //  Reasons: the three CHANNEL_SUSPEND_SECONDS_FOR_* cases only
    assert (streq (gw_metrics_suspension_reason (429), "429"));
    assert (streq (gw_metrics_suspension_reason (500), "5xx"));
    assert (streq (gw_metrics_suspension_reason (599), "5xx"));
    assert (streq (gw_metrics_suspension_reason (401), "auth"));
    assert (streq (gw_metrics_suspension_reason (403), "auth"));
    assert (!gw_metrics_suspension_reason (400));
    assert (!gw_metrics_suspension_reason (404));
    assert (!gw_metrics_suspension_reason (600));
    assert (!gw_metrics_suspension_reason (0));

    //  Declared at start: unlabelled families and the broker's known label
    //  sets have a sample before any event (>= 0: other tests may have run
    //  in this process before)
    gw_broker_metrics_t broker;
    gw_broker_metrics_init (&broker);
    const char *declared [] = {
        "oneapi_gateway_connections", "oneapi_gateway_inflight_requests",
        "oneapi_relay_inflight_requests", "oneapi_relay_inflight", "oneapi_workers_live",
        "oneapi_relay_worker_capacity", "oneapi_relay_worker_slots_free",
        "oneapi_worker_deaths_total", "oneapi_relay_redispatch_total",
        "oneapi_relay_dispatch_total{result=\"ok\"}",
        "oneapi_relay_dispatch_total{result=\"no_worker\"}",
        "oneapi_relay_dispatch_total{result=\"timeout\"}",
        "oneapi_relay_dispatch_total{result=\"draining\"}",
        "oneapi_relay_dispatch_total{result=\"expired\"}",
        "oneapi_relay_dropped_total{reason=\"stale\"}",
        "oneapi_relay_dropped_total{reason=\"abandoned\"}",
    };
    for (size_t i = 0; i < sizeof declared / sizeof declared [0]; i++)
        assert (s_sample (declared [i]) >= 0);
    assert (s_sample ("oneapi_relay_dispatch_total{result=\"bogus\"}") == -1);
    gw_broker_metrics_workers (&broker, 2, 10, 7);
    assert (s_sample ("oneapi_workers_live") == 2);
    assert (s_sample ("oneapi_relay_worker_capacity") == 10);
    assert (s_sample ("oneapi_relay_worker_slots_free") == 7);
    gw_broker_metrics_workers (&broker, 0, 0, 0);

    //  A channel's suspension series appear at 0 when it first serves
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"4242\",reason=\"429\"}") == -1);
    gw_metrics_channel_seen (4242);
    gw_metrics_channel_seen (4242);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"4242\",reason=\"429\"}") == 0);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"4242\",reason=\"5xx\"}") == 0);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"4242\",reason=\"auth\"}") == 0);
    gw_metrics_suspension (4242, 503);
    gw_metrics_suspension (4242, 502);
    gw_metrics_suspension (4242, 403);
    gw_metrics_suspension (4242, 400);          //  the request's fault: no suspension
    gw_metrics_suspension (0, 429);             //  no channel: ignored
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"4242\",reason=\"429\"}") == 0);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"4242\",reason=\"5xx\"}") == 2);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"4242\",reason=\"auth\"}") == 1);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"0\",reason=\"429\"}") == -1);
    //  Past the declared bitmap: counted, only not declared in advance
    gw_metrics_channel_seen (1000000);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"1000000\",reason=\"429\"}")
            == -1);
    gw_metrics_suspension (1000000, 429);
    assert (s_sample ("oneapi_channel_suspensions_total{channel=\"1000000\",reason=\"429\"}")
            == 1);
    //  The family's help and type
    char *text = oa_metrics_render (oa_metrics_global ());
    assert (strstr (text, "\n# TYPE oneapi_channel_suspensions_total counter\n"));
    free (text);
    if (verbose)
        printf ("OK\n");
}
