/*  =========================================================================
    gw_api_probe - channel tests (GET /api/channel/test[/:id]) run by the
    gateway for the management API

    The API actor cannot reach workers, so it answers a channel test with
    an instruction: an API_REPLY carrying the header x-oneapi-probe ("<id>"
    for one channel, "all" for a sweep) and the test request as its body
    (ledger/api/oa_api_probe.c).  This file sends each test as a
    RELAY_REQUEST pinned to its channel (no token: nothing is billed; the
    caller is marked as a probe, so a disabled channel is tested too, which
    a relay key pinning a channel can never do), times it, and reports the
    outcome to the API actor with the route of that channel and the
    client's credentials plus "x-oneapi-probe: result".  The API actor
    records response_time / test_time, the test log and, for a sweep, the
    automatic disabling or enabling.

    One channel: the client waits for the API actor's answer to the
    report, within one API deadline (gateway->api_timeout_ms) for the test
    and its report; a client that goes away cancels the test.
    A sweep, as one-api's: the client gets {"success":true,"message":""} at
    once; the tests run one after the other in the background on this loop,
    each within its own API deadline for the relay and another for the
    report, and a failure to report one does not stop the next.  A sweep
    still running when the loop stops is dropped.
    =========================================================================
*/
#ifndef GW_API_PROBE_H_INCLUDED
#define GW_API_PROBE_H_INCLUDED

#include "gw_bridge.h"
#include "oa_msg.h"

//  gw_api.c: the API_REQUEST for a request (method, path, query, the
//  forwarded headers, client ip, request id, body); NULL when a header is
//  too long (a 400 was sent).  Caller owns the message.
oa_msg_t *
    gw_api_request_new (gw_request_t *request);

//  Runs the channel tests that reply (an API_REPLY with x-oneapi-probe)
//  asks for, on behalf of req, and answers req (at once for a sweep).
void
    gw_api_probe_run (h2o_req_t *req, gw_bridge_t *bridge, oa_msg_t *reply);

//  Channel-test jobs alive in the process, single tests and sweeps (tests).
size_t
    gw_api_probe_jobs (void);

//  Self test: single tests and sweeps against a test ledger, API actor
//  and broker.
void
    oa_gw_api_probe_test (bool verbose);

#endif
