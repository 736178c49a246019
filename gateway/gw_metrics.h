/*  =========================================================================
    gw_metrics - the gateway's metric families in the process registry

    Families are registered once (thread-safe, on first use) in
    oa_metrics_global; loop threads then update them without locks.
    =========================================================================
*/
#ifndef GW_METRICS_H_INCLUDED
#define GW_METRICS_H_INCLUDED

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

#endif
