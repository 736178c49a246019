/*  =========================================================================
    gw_relay_metrics - the relay's metric families

    oneapi_relay_requests_total{route,model,channel,status}: one per relay
    request, at its end.  The model label is the requested model only once
    a channel was chosen for it (so it names a configured model; random
    client strings never become series), else "".
    oneapi_relay_inflight_requests: requests waiting on, or streaming from,
    a worker.
    oneapi_relay_ttfb_seconds{route}: admission to the first response byte
    handed to h2o.
    oneapi_relay_gateway_overhead_seconds{route}: the share of a request
    spent outside the upstream: admission to the arrival of RELAY_END,
    minus the time the worker reported spending upstream over all its
    attempts (RELAY_END.upstream_ms).  That is the gateway, the broker,
    both ZeroMQ hops and the worker's own work (request conversion, the
    wait between attempts).  Only requests the worker ends with
    RELAY_END are observed (RELAY_ERROR carries no upstream time); for a
    stream the upstream time covers the whole stream, so the difference
    stays the non-upstream part.  upstream_ms has millisecond resolution,
    so single observations are only good to about 1 ms (a negative
    difference counts as 0); sums and averages over many are fine.
    =========================================================================
*/
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include "gw_metrics.h"
#include "gw_relay_private.h"
#include "oa_metrics.h"

static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static oa_metric_t *s_requests;
static oa_metric_t *s_inflight;
static oa_metric_t *s_ttfb;
static oa_metric_t *s_overhead;

static void
s_register (void)
{
    oa_metrics_t *registry = oa_metrics_global ();
    s_requests = oa_metrics_counter (registry, "oneapi_relay_requests_total",
        "Relay requests answered, by route, requested model, channel and status",
        "route,model,channel,status");
    s_inflight = oa_metrics_gauge (registry, "oneapi_relay_inflight_requests",
        "Relay requests waiting on or streaming from a worker", NULL);
    static const double slow [] = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
    };
    s_ttfb = oa_metrics_histogram (registry, "oneapi_relay_ttfb_seconds",
        "Time from admission to the first response byte, by route",
        "route", slow, sizeof (slow) / sizeof (slow [0]));
    static const double fast [] = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1
    };
    s_overhead = oa_metrics_histogram (registry, "oneapi_relay_gateway_overhead_seconds",
        "Time a relay request spent outside the upstream (gateway, broker, worker queues)",
        "route", fast, sizeof (fast) / sizeof (fast [0]));
    oa_metric_series (s_inflight, NULL);
}

void
gw_relay_metrics_declare (void)
{
    pthread_once (&s_once, s_register);
}

void
gw_relay_metrics_inflight_add (double delta)
{
    pthread_once (&s_once, s_register);
    oa_gauge_add (s_inflight, NULL, delta);
}

void
gw_relay_metrics_count (const char *route, const char *model, uint64_t channel_id, int status)
{
    pthread_once (&s_once, s_register);
    char channel [24] = "";
    if (channel_id) {
        snprintf (channel, sizeof channel, "%" PRIu64, channel_id);
        gw_metrics_channel_seen (channel_id);
    }
    char code [16];
    snprintf (code, sizeof code, "%d", status);
    const char *labels [] = { route, model? model: "", channel, code };
    oa_counter_add (s_requests, labels, 1);
}

void
gw_relay_metrics_ttfb (const char *route, double seconds)
{
    pthread_once (&s_once, s_register);
    const char *labels [] = { route };
    oa_histogram_observe (s_ttfb, labels, seconds < 0? 0: seconds);
}

void
gw_relay_metrics_overhead (const char *route, double seconds)
{
    pthread_once (&s_once, s_register);
    const char *labels [] = { route };
    oa_histogram_observe (s_overhead, labels, seconds < 0? 0: seconds);
}
