/*  =========================================================================
    oa_roles - composes the roles of the `oneapi` binary

    serve   gateway, workers and ledger in one process over inproc://
    gateway the h2o edge alone; workers connect to ONEAPI_GATEWAY_BIND
    worker  one relay worker process; connects to ONEAPI_GATEWAY_ENDPOINTS
    ledger  the single writer; binds ONEAPI_LEDGER_BIND
    =========================================================================
*/
#ifndef OA_ROLES_H_INCLUDED
#define OA_ROLES_H_INCLUDED

#include "oa_config.h"

//  Runs a role until SIGTERM/SIGINT, then drains for up to
//  SHUTDOWN_TIMEOUT_SEC.  Returns the process exit status: 0 after a clean
//  stop, 1 when a part could not start (the reason is logged).
int
    oa_roles_run (const char *role, oa_config_t *config);

//  True when role names one of the long-running roles.
bool
    oa_roles_known (const char *role);

#endif
