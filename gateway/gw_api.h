/*  =========================================================================
    gw_api - the management API (/api/...) at the gateway: rate limits, then
    forwarding to the ledger role's API actor

    Every /api route but the gateway's own /api/status (and the relay's
    /api/v1/v1/messages) goes, from the loop thread that received it, as
    an API_REQUEST over the thread's bridge DEALER to the API actor
    (ledger/api/oa_api.h), correlated by corr_id.  The API_REPLY's status,
    content type, headers (set-cookie, ...) and body go to the client as
    they are.  First come one-api's limits: GA (GLOBAL_API_RATE_LIMIT) on
    every /api request, then CT (CRITICAL_RATE_LIMIT) on login, register,
    password reset, verification and OAuth.

    Failures, in one-api's envelope {"message":...,"success":false}:
      503  the API actor is unreachable or its queue is full
      504  no reply within gateway->api_timeout_ms (30 s)
      400  a forwarded header over the message's limit (8 KiB)
      413  a body over ONEAPI_MAX_BODY_BYTES (h2o, before dispatch)
    A client that goes away drops its pending entry (dispose callback), so
    a late reply is dropped by the bridge.

    Endpoint rule (oa_api.h's, reimplemented here: gateway/ and ledger/
    never include each other):
      inproc://...          -> inproc://oneapi-api
      tcp://<host>:<port>   -> tcp://<host>:<port + 3>
    =========================================================================
*/
#ifndef GW_API_H_INCLUDED
#define GW_API_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

//  Writes the management API endpoint derived from a ledger endpoint into
//  out.  Returns 0, or -1 (out empty) when the endpoint is neither
//  inproc:// nor tcp://host:port.
int
    gw_api_endpoint (const char *ledger_endpoint, char *out, size_t out_size);

//  Self test: forwarding against a test ROUTER playing the API actor.
void
    oa_gw_api_test (bool verbose);

#endif
