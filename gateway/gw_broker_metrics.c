/*  =========================================================================
    gw_broker_metrics - the broker's metric families

    The broker dispatches by credit and keeps no waiting queue: a request
    that finds no worker with a free slot is answered 503 at once.  So the
    "queue" an operator watches is the workers' credit: capacity (the sum
    of the live workers' announced credit), the slots still free, and the
    requests holding a slot (oneapi_relay_inflight).  free = 0 means the
    next request gets the no_available_worker 503.  Per-worker series are
    left to each worker's own /metrics (oneapi_worker_inflight{worker}):
    worker ids carry a pid, and gateway series are never removed, so
    labelling by worker here would grow with every worker restart.

    Every family with a known label set is declared at 0 on start, so
    increase() sees the first event and dashboards see the names.  The
    pipe's STATS reply (the same events as plain counters) is written here
    too.
    =========================================================================
*/
#include "gw_broker_private.h"
#include "gw_metrics.h"

static const char *s_dispatch_results [] = {
    "ok", "no_worker", "timeout", "draining", "duplicate", "invalid", "expired"
};
static const char *s_dropped_reasons [] = {
    "thread_unreachable", "malformed", "unexpected", "unknown_corr", "stale", "unknown_peer",
    "abandoned"
};

//  Declares one series per value of a one-label family.
static void
s_declare (oa_metric_t *metric, const char **values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        oa_metric_series (metric, (const char *[]) { values [i] });
}

void
gw_broker_metrics_init (gw_broker_metrics_t *m)
{
    assert (m);
    gw_metrics_declare ();
    oa_metrics_t *registry = oa_metrics_global ();
    m->inflight = oa_metrics_gauge (registry, "oneapi_relay_inflight",
        "Relay requests in flight in the gateway broker (each holds a worker slot)", NULL);
    m->workers = oa_metrics_gauge (registry, "oneapi_workers_live",
        "Relay workers the gateway sees alive", NULL);
    m->capacity = oa_metrics_gauge (registry, "oneapi_relay_worker_capacity",
        "Requests the live workers take at once: the sum of their credit", NULL);
    m->free_slots = oa_metrics_gauge (registry, "oneapi_relay_worker_slots_free",
        "Worker slots free for new requests; 0 means new requests get 503", NULL);
    m->dispatch = oa_metrics_counter (registry, "oneapi_relay_dispatch_total",
        "Relay requests by dispatch outcome", "result");
    m->deaths = oa_metrics_counter (registry, "oneapi_worker_deaths_total",
        "Relay workers declared dead or replaced", NULL);
    m->redispatch = oa_metrics_counter (registry, "oneapi_relay_redispatch_total",
        "Requests re-sent after their worker died", NULL);
    m->dropped = oa_metrics_counter (registry, "oneapi_relay_dropped_total",
        "Relay messages the broker dropped", "reason");
    oa_metric_series (m->inflight, NULL);
    oa_metric_series (m->workers, NULL);
    oa_metric_series (m->capacity, NULL);
    oa_metric_series (m->free_slots, NULL);
    oa_metric_series (m->deaths, NULL);
    oa_metric_series (m->redispatch, NULL);
    s_declare (m->dispatch, s_dispatch_results,
               sizeof s_dispatch_results / sizeof s_dispatch_results [0]);
    s_declare (m->dropped, s_dropped_reasons,
               sizeof s_dropped_reasons / sizeof s_dropped_reasons [0]);
}

void
gw_broker_metrics_workers (gw_broker_metrics_t *m, size_t live, uint64_t capacity,
                           uint64_t free_slots)
{
    assert (m);
    oa_gauge_set (m->workers, NULL, (double) live);
    oa_gauge_set (m->capacity, NULL, (double) capacity);
    oa_gauge_set (m->free_slots, NULL, (double) free_slots);
}

void
gw_broker_stats_send (const gw_broker_stats_t *s, gw_broker_zap_t *zap, zsock_t *pipe)
{
    zstr_sendf (pipe, "dispatched=%zu redispatched=%zu no_worker=%zu rejected=%zu "
                "timeouts=%zu worker_deaths=%zu dropped_unknown=%zu dropped_stale=%zu "
                "dropped_peer=%zu malformed_backend=%zu malformed_frontend=%zu "
                "thread_unreachable=%zu abandoned=%zu zap_accepted=%zu zap_denied=%zu",
                s->dispatched, s->redispatched, s->no_worker, s->rejected, s->timeouts,
                s->worker_deaths, s->dropped_unknown, s->dropped_stale, s->dropped_peer,
                s->malformed_backend, s->malformed_frontend, s->thread_unreachable,
                s->abandoned, zap? gw_broker_zap_accepted (zap): 0,
                zap? gw_broker_zap_denied (zap): 0);
}
