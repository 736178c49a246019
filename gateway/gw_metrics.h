/*  =========================================================================
    gw_metrics - the gateway's metric families in the process registry

    Families are registered once (thread-safe, on first use) in
    oa_metrics_global; loop threads then update them without locks.
    =========================================================================
*/
#ifndef GW_METRICS_H_INCLUDED
#define GW_METRICS_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

//  Registers every gateway family now (the broker calls it at start), so
//  that unlabelled ones and known label sets read 0 before any event.
void
    gw_metrics_declare (void);

//  The relay's part of gw_metrics_declare (gw_relay_metrics.c).
void
    gw_relay_metrics_declare (void);

//  Counts one finished request and its latency.  route is a route pattern
//  (or "unmatched"/"none"), method a known method or "OTHER": both come
//  from fixed sets, never from the client, so series stay bounded.
void
    gw_metrics_observe_request (const char *route, const char *method, int status,
                                double seconds);

//  Adds delta to the open-connections gauge.
void
    gw_metrics_connections_add (double delta);

//  Adds delta to the in-flight requests gauge.
void
    gw_metrics_inflight_add (double delta);

//  The reason label of a suspension for an upstream status: "429", "5xx",
//  "auth" (401, 403), or NULL when that status suspends nothing.
const char *
    gw_metrics_suspension_reason (int status);

//  Counts one suspension the gateway applied to channel_id after status.
void
    gw_metrics_suspension (uint64_t channel_id, int status);

//  Declares channel_id's suspension series at 0, once per channel; cheap
//  enough for every request (one atomic load once declared).
void
    gw_metrics_channel_seen (uint64_t channel_id);

//  Self test.
void
    oa_gw_metrics_test (bool verbose);

#endif
