/*  =========================================================================
    oa_endpoints - endpoints one role derives from another's (see the
    header for the rules)
    =========================================================================
*/
#include "oa_endpoints.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
oa_endpoints_api (const char *ledger_endpoint, char *out, size_t out_size)
{
    assert (out && out_size);
    out [0] = 0;
    if (!ledger_endpoint)
        return -1;
    if (strncmp (ledger_endpoint, "inproc://", 9) == 0) {
        snprintf (out, out_size, "inproc://oneapi-api");
        return 0;
    }
    const char *colon = strrchr (ledger_endpoint, ':');
    if (strncmp (ledger_endpoint, "tcp://", 6) != 0 || !colon || colon < ledger_endpoint + 6)
        return -1;
    char *end = NULL;
    long port = strtol (colon + 1, &end, 10);
    if (end == colon + 1 || *end || port <= 0 || port + 3 > 65535)
        return -1;
    snprintf (out, out_size, "%.*s:%ld", (int) (colon - ledger_endpoint), ledger_endpoint,
              port + 3);
    return 0;
}

void
oa_endpoints_test (bool verbose)
{
    if (verbose)
        printf (" * oa_endpoints: ");
    //  A ledger endpoint and the API endpoint it gives ("" when refused).
    static const char *const cases [][2] = {
        { "inproc://oneapi-ledger", "inproc://oneapi-api" },
        { "inproc://ledger-7", "inproc://oneapi-api" },
        { "tcp://127.0.0.1:5556", "tcp://127.0.0.1:5559" },
        { "tcp://*:7000", "tcp://*:7003" },
        { "tcp://[::1]:5556", "tcp://[::1]:5559" },
        { "tcp://host:65532", "tcp://host:65535" },
        { "tcp://host:65533", "" },
        { "tcp://host:", "" },
        { "tcp://host:0", "" },
        { "tcp://host:12x", "" },
        { "tcp://host", "" },
        { "ipc:///tmp/x", "" },
        { "", "" }
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        char out [64] = "unset";
        int rc = oa_endpoints_api (cases [index][0], out, sizeof out);
        assert (rc == (*cases [index][1]? 0: -1));
        assert (strcmp (out, cases [index][1]) == 0);
    }
    char out [8] = "unset";
    assert (oa_endpoints_api (NULL, out, sizeof out) == -1 && *out == 0);
    if (verbose)
        printf ("OK\n");
}
