/*  =========================================================================
    gw_api_probe - channel tests (GET /api/channel/test[/:id]) run by the
    gateway for the management API

    The API actor cannot reach workers, so it answers a channel test with
    an instruction: an API_REPLY carrying the header x-oneapi-probe ("<id>"
    for one channel, "all" for a sweep) and the test request as its body
    (ledger/api/oa_api_probe.c).  This file sends each test as a
    RELAY_REQUEST pinned to its channel (no token: nothing is billed),
    times it, and reports the outcome to the API actor with the same route
    and the client's credentials plus "x-oneapi-probe: result".  The API
    actor records response_time / test_time and the test log; its answer
    goes to the client as is (one channel), or, for a sweep, the client
    gets {"success":true,"message":""} once every channel has reported.
    Everything is bounded by the API deadline (gateway->api_timeout_ms).
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
//  asks for, on behalf of req, and answers req when they are done.
void
    gw_api_probe_run (h2o_req_t *req, gw_bridge_t *bridge, oa_msg_t *reply);

#endif
