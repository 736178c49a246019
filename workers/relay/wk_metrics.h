/*  =========================================================================
    wk_metrics - the relay worker's metric families

    @header
    Registered once per process in oa_metrics_global (registering again
    returns the same families), so every worker actor updates the same
    series.
    @end
    =========================================================================
*/
#ifndef WK_METRICS_H_INCLUDED
#define WK_METRICS_H_INCLUDED

#include "oa_metrics.h"

//  Handles of the worker's metric families; borrowed from the registry.
typedef struct {
    oa_metric_t *upstream_seconds;  //  histogram: upstream time per request, all attempts
    oa_metric_t *ttft_seconds;      //  histogram: time to first byte to the gateway
    oa_metric_t *retries;           //  counter {channel,status}: retried attempts
    oa_metric_t *inflight;          //  gauge {worker}: requests in flight
    oa_metric_t *requests;          //  counter {channel,status}: finished requests
    oa_metric_t *usage_dropped;     //  counter: USAGE the ledger socket refused
} wk_metrics_t;

//  Fills m with the families from oa_metrics_global.
void
    wk_metrics_init (wk_metrics_t *m);

//  Counts one finished request.
void
    wk_metrics_request (wk_metrics_t *m, uint64_t channel_id, int status, double upstream_s,
                        double ttft_s);

//  Counts one retried attempt.
void
    wk_metrics_retry (wk_metrics_t *m, uint64_t channel_id, int status);

#endif
