/*  =========================================================================
    oa_supervisor - starts, drains and stops a process's actors in order

    The supervisor owns an ordered list of named zactors and is used from
    one thread (main).  Start order is dependency order: what others need
    starts first (ledger, workers), the HTTP edge last, so nothing is
    accepted before it can be served.  Stopping runs the other way:

      oa_supervisor_drain   sends DRAIN to each actor in reverse start order
                            and waits for its DRAINED before going on (the
                            edge stops accepting and finishes its requests
                            while workers and ledger still run; the ledger
                            drains last, so usage is still written), all
                            within one deadline;
      oa_supervisor_destroy then sends $TERM (zactor_destroy) in reverse
                            start order, waiting a bounded time for each.

    The pipe contract that every actor keeps (start signal, DRAIN, STATUS,
    $TERM) is described in oa_actor.h.  Any zactor_fn that keeps it can be
    supervised, including plain CZMQ-style actors.
    =========================================================================
*/
#ifndef OA_SUPERVISOR_H_INCLUDED
#define OA_SUPERVISOR_H_INCLUDED

#include <czmq.h>

#define OA_SUPERVISOR_TERM_TIMEOUT 5000 //  default wait for one actor's exit (ms)

typedef struct _oa_supervisor_t oa_supervisor_t;

//  Creates a supervisor with no actors.  Caller owns return value and must
//  destroy it.
oa_supervisor_t *
    oa_supervisor_new (void);

//  Stops every actor ($TERM) in reverse start order, each within the term
//  timeout (an actor still running then is logged and abandoned), and
//  frees the supervisor; nulls *self_p.  Call oa_supervisor_drain first
//  for a graceful stop.
void
    oa_supervisor_destroy (oa_supervisor_t **self_p);

//  Sets how long destroy waits for each actor to exit after $TERM (ms).
void
    oa_supervisor_set_term_timeout (oa_supervisor_t *self, int timeout_ms);

//  Starts an actor under a unique name and waits until it has signalled
//  its start.  Returns 0, or -1 if the actor signalled a failure (any
//  non-zero status, see OA_ACTOR_START_FAILED) or returned without
//  signalling; a failed actor is stopped and not kept.  args is borrowed
//  and must outlive the actor.
int
    oa_supervisor_start (oa_supervisor_t *self, const char *name, zactor_fn *actor,
                         void *args);

//  Drains every actor, in reverse start order, within timeout_ms in all.
//  Returns 0 if every running actor replied DRAINED in time, -1 if any
//  did not (each is logged; it is stopped later by destroy).  Actors that
//  drained before are not asked again.
int
    oa_supervisor_drain (oa_supervisor_t *self, int timeout_ms);

//  Sends STATUS to the named actor and returns its reply (see oa_actor.h),
//  or NULL if there is no such actor, it has exited, or it did not reply
//  within timeout_ms.  Caller owns return value and must free it.
char *
    oa_supervisor_status (oa_supervisor_t *self, const char *name, int timeout_ms);

//  Returns the name of the first actor (in start order) whose thread has
//  ended on its own, or NULL if all are running.  Does not block; discards
//  unsolicited messages on the pipes.  Borrowed; valid while self lives.
const char *
    oa_supervisor_exited (oa_supervisor_t *self);

//  The named actor, to send it role-specific commands; NULL if unknown.
//  Borrowed; do not destroy.
zactor_t *
    oa_supervisor_actor (oa_supervisor_t *self, const char *name);

//  Number of actors running under the supervisor.
size_t
    oa_supervisor_size (oa_supervisor_t *self);

//  Self test.
void
    oa_supervisor_test (bool verbose);

#endif
