/*  =========================================================================
    gw_metrics - the gateway's metric families in the process registry

    Channel suspensions: oneapi_channel_suspensions_total{channel,reason}
    counts every (channel, model) suspension the gateway applies after a
    worker reported a failed attempt; reason is "429", "5xx" or "auth"
    (401/403), the three CHANNEL_SUSPEND_SECONDS_FOR_* cases.  The three
    series of a channel are declared at 0 the first time the channel
    serves (gw_metrics_channel_seen), so that rate() and increase() see
    its first suspension; channel ids past S_DECLARED_MAX get their series
    on first suspension only.
    =========================================================================
*/
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include "gw_metrics.h"
#include "oa_metrics.h"

#define S_DECLARED_MAX 65536            //  channel ids tracked by the declared bitmap

static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static oa_metric_t *s_requests;     //  oneapi_http_requests_total{route,method,status}
static oa_metric_t *s_duration;     //  oneapi_http_request_duration_seconds{route,method}
static oa_metric_t *s_connections;  //  oneapi_gateway_connections
static oa_metric_t *s_inflight;     //  oneapi_gateway_inflight_requests
static oa_metric_t *s_suspensions;  //  oneapi_channel_suspensions_total{channel,reason}

//  Channels whose suspension series are declared; one bit per channel id.
static _Atomic uint64_t s_declared [S_DECLARED_MAX / 64];

static const char *s_reasons [] = { "429", "5xx", "auth" };

static void
s_register (void)
{
    oa_metrics_t *registry = oa_metrics_global ();
    s_requests = oa_metrics_counter (registry, "oneapi_http_requests_total",
        "HTTP requests answered by the gateway, by route pattern, method and status",
        "route,method,status");
    //  LLM calls run from milliseconds to minutes: buckets to 300 s.
    static const double buckets [] = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
    };
    s_duration = oa_metrics_histogram (registry, "oneapi_http_request_duration_seconds",
        "Time from request start to response end, by route pattern and method",
        "route,method", buckets, sizeof (buckets) / sizeof (buckets [0]));
    s_connections = oa_metrics_gauge (registry, "oneapi_gateway_connections",
        "Open client connections", NULL);
    s_inflight = oa_metrics_gauge (registry, "oneapi_gateway_inflight_requests",
        "Requests being processed by the gateway", NULL);
    s_suspensions = oa_metrics_counter (registry, "oneapi_channel_suspensions_total",
        "Channel model suspensions the gateway applied, by channel and reason (429, 5xx, auth)",
        "channel,reason");
    //  The unlabelled gauges read 0 from the start rather than appearing
    //  with the first connection.
    oa_metric_series (s_connections, NULL);
    oa_metric_series (s_inflight, NULL);
}

void
gw_metrics_declare (void)
{
    pthread_once (&s_once, s_register);
    gw_relay_metrics_declare ();
}

void
gw_metrics_observe_request (const char *route, const char *method, int status, double seconds)
{
    pthread_once (&s_once, s_register);
    char code [16];
    snprintf (code, sizeof code, "%d", status);
    const char *labels [] = { route, method, code };
    oa_counter_add (s_requests, labels, 1);
    const char *route_method [] = { route, method };
    oa_histogram_observe (s_duration, route_method, seconds);
}

void
gw_metrics_connections_add (double delta)
{
    pthread_once (&s_once, s_register);
    oa_gauge_add (s_connections, NULL, delta);
}

void
gw_metrics_inflight_add (double delta)
{
    pthread_once (&s_once, s_register);
    oa_gauge_add (s_inflight, NULL, delta);
}

const char *
gw_metrics_suspension_reason (int status)
{
    return status == 429? "429"
         : status >= 500 && status <= 599? "5xx"
         : status == 401 || status == 403? "auth": NULL;
}

void
gw_metrics_channel_seen (uint64_t channel_id)
{
    if (channel_id == 0 || channel_id >= S_DECLARED_MAX)
        return;
    //  One relaxed load per request once declared; the fetch_or makes sure
    //  only one thread declares (declaring twice would be harmless anyway).
    uint64_t bit = UINT64_C (1) << (channel_id % 64);
    _Atomic uint64_t *word = &s_declared [channel_id / 64];
    if (atomic_load_explicit (word, memory_order_relaxed) & bit)
        return;
    if (atomic_fetch_or_explicit (word, bit, memory_order_relaxed) & bit)
        return;
    pthread_once (&s_once, s_register);
    char channel [24];
    snprintf (channel, sizeof channel, "%" PRIu64, channel_id);
    for (size_t i = 0; i < sizeof s_reasons / sizeof s_reasons [0]; i++)
        oa_metric_series (s_suspensions, (const char *[]) { channel, s_reasons [i] });
}

void
gw_metrics_suspension (uint64_t channel_id, int status)
{
    const char *reason = gw_metrics_suspension_reason (status);
    if (!reason || channel_id == 0)
        return;
    pthread_once (&s_once, s_register);
    char channel [24];
    snprintf (channel, sizeof channel, "%" PRIu64, channel_id);
    oa_counter_add (s_suspensions, (const char *[]) { channel, reason }, 1);
}
