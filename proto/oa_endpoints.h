/*  =========================================================================
    oa_endpoints - endpoints one role derives from another's

    The management API (ledger/api) listens next to the ledger, and every
    gateway finds it from the ledger endpoint it already knows, so nothing
    is added to the configuration.  The rule lives here, with the protocol
    both sides speak, so that the binding side and the connecting side
    cannot drift apart:
      - ledger endpoint "inproc://..."           -> "inproc://oneapi-api"
      - ledger endpoint "tcp://<host>:<port>"    -> "tcp://<host>:<port + 3>"
        (the default tcp://127.0.0.1:5556 gives tcp://127.0.0.1:5559; a
        wildcard host stays a wildcard)
    =========================================================================
*/
#ifndef OA_ENDPOINTS_H_INCLUDED
#define OA_ENDPOINTS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

//  Writes the management API endpoint derived from a ledger endpoint into
//  out.  Returns 0, or -1 when the endpoint is neither inproc:// nor
//  tcp://host:port (out is then empty).
int
    oa_endpoints_api (const char *ledger_endpoint, char *out, size_t out_size);

//  Self test.
void
    oa_endpoints_test (bool verbose);

#endif
