/*  =========================================================================
    oa_health - process readiness, as /healthz and /readyz report it

    Components (store, ledger link, workers, ...) report their state; the
    process is ready when all are ready, degraded when any is degraded and
    none is down, and not ready when any is down.  This is the one piece of
    state all actors of a process write, so it is a tiny mutex-guarded table
    of fixed size, like the metrics registry.
    =========================================================================
*/
#ifndef OA_HEALTH_H_INCLUDED
#define OA_HEALTH_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    OA_HEALTH_READY = 0,        //  working normally
    OA_HEALTH_DEGRADED = 1,     //  serving, with reduced guarantees (e.g. ledger away)
    OA_HEALTH_DOWN = 2          //  cannot serve (e.g. store unreachable at start)
} oa_health_state_t;

//  Sets a component's state and a short reason (may be NULL).
void
    oa_health_set (const char *component, oa_health_state_t state, const char *reason);

//  Forgets a component (when its actor stops).
void
    oa_health_clear (const char *component);

//  Forgets every component (tests).
void
    oa_health_reset (void);

//  The overall state of the process.
oa_health_state_t
    oa_health_overall (void);

//  Writes {"status":"ready|degraded|not_ready","components":{name:{...}}}
//  into buf; returns the length written (truncated to size - 1).
size_t
    oa_health_json (char *buf, size_t size);

//  Self test.
void
    oa_health_test (bool verbose);

#endif
