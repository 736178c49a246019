/*  =========================================================================
    oa_api - the management API (routes under /api), ledger side

    Gateways hold no database: each forwards every /api request, after its
    own rate limits, as an API_REQUEST to this actor and sends the API_REPLY
    back to the client as is.  The actor runs in the ledger process next to
    (not inside) the ledger actor, with its own store connection, so bcrypt
    and list queries never stall billing.

    Endpoint: the actor binds a ROUTER on the endpoint derived from
    ledger_bind (proto/oa_endpoints.h: inproc://oneapi-api, or the ledger's
    tcp port + 3); a gateway connects a DEALER to the one derived from its
    ledger_endpoint.  Nothing is added to oa_config.

    Writes that change hot state (tokens, users, channels with their
    abilities, options) are announced to gateways through the ledger
    actor's change stream: the actor PUSHes "PUBLISH <table> <op> <row>" to
    the ledger's inproc PULL (oa_ledger_publish_endpoint).

    Pipe commands (actors/oa_actor.h):
      STATUS  -> "READY" | "CONNECTING" | "FATAL <message>"
      DRAIN   -> "DRAINED" (requests are answered synchronously)
      STATS   -> "requests=<n> published=<n> reconnects=<n>"
      $TERM   -> stops
    =========================================================================
*/
#ifndef OA_API_H_INCLUDED
#define OA_API_H_INCLUDED

#include <czmq.h>
#include "oa_config.h"

//  The management API actor (zactor_fn); args is a const oa_config_t *,
//  borrowed for the actor's lifetime.  Started by the `serve` and `ledger`
//  roles next to oa_ledger_actor.
void
    oa_api_actor (zsock_t *pipe, void *args);

//  Self tests: SQLite, and PostgreSQL from ONEAPI_TEST_PG_DSN (failing
//  without it).
void
    oa_api_test (bool verbose);
void
    oa_api_pg_test (bool verbose);
//  The relay-key routes, dashboard ranges and channel tests (SQLite, and
//  PostgreSQL from ONEAPI_TEST_PG_DSN).
void
    oa_api_relay_test (bool verbose);
void
    oa_api_relay_pg_test (bool verbose);

#endif
