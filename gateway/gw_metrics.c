/*  =========================================================================
    gw_metrics - the gateway's metric families in the process registry
    =========================================================================
*/
#include <pthread.h>
#include <stdio.h>
#include "gw_metrics.h"
#include "oa_metrics.h"

static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static oa_metric_t *s_requests;     //  oneapi_http_requests_total{route,method,status}
static oa_metric_t *s_duration;     //  oneapi_http_request_duration_seconds{route,method}
static oa_metric_t *s_connections;  //  oneapi_gateway_connections
static oa_metric_t *s_inflight;     //  oneapi_gateway_inflight_requests

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
