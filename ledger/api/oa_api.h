/*  =========================================================================
    oa_api - the management API (routes under /api), ledger side

    Gateways hold no database: each forwards every /api request, after its
    own rate limits, as an API_REQUEST to this actor and sends the API_REPLY
    back to the client as is.  The actor runs in the ledger process next to
    (not inside) the ledger actor, with its own store connection, so bcrypt
    and list queries never stall billing.

    Endpoint rule (the gateway side follows it; nothing is added to
    oa_config):
      - ledger endpoint "inproc://..."           -> "inproc://oneapi-api"
      - ledger endpoint "tcp://<host>:<port>"    -> "tcp://<host>:<port + 3>"
        (the default tcp://127.0.0.1:5556 gives tcp://127.0.0.1:5559; a
        wildcard host stays a wildcard)
    The actor binds a ROUTER on the rule applied to ledger_bind; a gateway
    connects a DEALER to the rule applied to ledger_endpoint.

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

//  Writes the management API endpoint derived from a ledger endpoint into
//  out.  Returns 0, or -1 when the endpoint is neither inproc:// nor
//  tcp://host:port (out is then empty).
int
    oa_api_endpoint (const char *ledger_endpoint, char *out, size_t out_size);

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
