/*  =========================================================================
    wk_metrics - the relay worker's metric families

    oneapi_worker_upstream_seconds      histogram: upstream time per request
    oneapi_worker_ttft_seconds          histogram: to the first byte sent
    oneapi_worker_retries_total         {channel,status} attempts retried
    oneapi_worker_inflight              {worker} requests in flight
    oneapi_worker_requests_total        {channel,status} finished requests
    oneapi_worker_usage_send_failures_total  USAGE the ledger socket refused
    =========================================================================
*/
#include "wk_metrics.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>

//  Latency buckets in seconds: LLM calls run from ~100 ms to minutes
static const double s_latency_buckets [] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
};
#define S_BUCKETS (sizeof (s_latency_buckets) / sizeof (s_latency_buckets [0]))


//  --------------------------------------------------------------------------
//  Fills m with the families from oa_metrics_global

void
wk_metrics_init (wk_metrics_t *m)
{
    assert (m);
    oa_metrics_t *registry = oa_metrics_global ();
    m->upstream_seconds = oa_metrics_histogram (registry, "oneapi_worker_upstream_seconds",
        "Time spent upstream per relayed request, all attempts", NULL, s_latency_buckets,
        S_BUCKETS);
    m->ttft_seconds = oa_metrics_histogram (registry, "oneapi_worker_ttft_seconds",
        "Time from request acceptance to the first byte sent to the gateway", NULL,
        s_latency_buckets, S_BUCKETS);
    m->retries = oa_metrics_counter (registry, "oneapi_worker_retries_total",
        "Upstream attempts retried on another channel, by failed channel and status",
        "channel,status");
    m->inflight = oa_metrics_gauge (registry, "oneapi_worker_inflight",
        "Relayed requests in flight", "worker");
    m->requests = oa_metrics_counter (registry, "oneapi_worker_requests_total",
        "Relayed requests finished, by serving channel and final status", "channel,status");
    m->usage_dropped = oa_metrics_counter (registry, "oneapi_worker_usage_send_failures_total",
        "USAGE messages the ledger socket did not take", NULL);
    //  Known label sets read 0 from the start, so increase() sees the first
    //  event.  retries and requests are labelled by channel and exact
    //  status, which are not known before the first request: their series
    //  appear with it.
    oa_metric_series (m->usage_dropped, NULL);
    oa_metric_series (m->upstream_seconds, NULL);
    oa_metric_series (m->ttft_seconds, NULL);
}


//  --------------------------------------------------------------------------
//  Counts one finished request

void
wk_metrics_request (wk_metrics_t *m, uint64_t channel_id, int status, double upstream_s,
                    double ttft_s)
{
    char channel [24], code [8];
    snprintf (channel, sizeof channel, "%" PRIu64, channel_id);
    snprintf (code, sizeof code, "%d", status);
    const char *labels [] = { channel, code };
    oa_counter_add (m->requests, labels, 1);
    oa_histogram_observe (m->upstream_seconds, NULL, upstream_s);
    if (ttft_s >= 0)
        oa_histogram_observe (m->ttft_seconds, NULL, ttft_s);
}


//  --------------------------------------------------------------------------
//  Counts one retried attempt

void
wk_metrics_retry (wk_metrics_t *m, uint64_t channel_id, int status)
{
    char channel [24], code [8];
    snprintf (channel, sizeof channel, "%" PRIu64, channel_id);
    snprintf (code, sizeof code, "%d", status);
    const char *labels [] = { channel, code };
    oa_counter_add (m->retries, labels, 1);
}
