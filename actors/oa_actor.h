/*  =========================================================================
    oa_actor - the pipe contract every actor of this project keeps

    An actor is a CZMQ zactor: a thread with a PAIR pipe to its owner.  The
    supervisor (oa_supervisor) drives every actor through the same string
    commands, so each actor's pipe handler must answer them:

    Start   Initialise, then zsock_signal (pipe, 0).  An actor that cannot
            start (bad config, cannot bind) logs why, calls
            zsock_signal (pipe, OA_ACTOR_START_FAILED) and returns at once,
            without waiting for $TERM.  Returning without any signal also
            counts as a failed start.  Initialisation must be bounded: the
            owner waits for the signal.
    DRAIN   Stop taking new work (the edge stops accepting), finish what is
            in flight, then reply with the single frame "DRAINED", exactly
            once, and keep running until $TERM.  An actor with nothing in
            flight replies at once (oa_actor_handle_default does that).  The
            supervisor sends DRAIN in reverse start order and waits for
            each DRAINED up to a shared deadline; an actor that never
            replies is cut off there, so it must still flush what matters
            (usage, journals) on $TERM.
    STATUS  Reply promptly with one string frame: "READY" or "OK" when
            healthy, "DEGRADED <reason>", or "FATAL <reason>" when the
            actor cannot do its job (say, the ledger's store failed for
            good); the process then stops with status 1.
    $TERM   Stop at once (bounded time, no blocking calls), free everything
            and return.  The owner waits a bounded time for the thread.
    Other   Unknown commands are logged and ignored, never asserted on, so
            that an older actor survives a newer owner.

    An actor must not send anything else up its pipe unless its owner asked
    for it: the supervisor discards messages it did not wait for.
    =========================================================================
*/
#ifndef OA_ACTOR_H_INCLUDED
#define OA_ACTOR_H_INCLUDED

#include <czmq.h>

#define OA_ACTOR_DRAIN "DRAIN"          //  command: finish in-flight work
#define OA_ACTOR_DRAINED "DRAINED"      //  reply: in-flight work is done
#define OA_ACTOR_STATUS "STATUS"        //  command: report health
#define OA_ACTOR_TERM "$TERM"           //  command (zactor_destroy): stop now
#define OA_ACTOR_START_FAILED 1         //  start signal of an actor that cannot start

//  Receives one command from the pipe; returns the first frame as a fresh
//  string (caller frees) and, if args_p is not NULL, the remaining frames
//  as a fresh message in *args_p (caller destroys; may be empty).  Returns
//  NULL if the receive was interrupted or timed out, or the frame was not
//  a string (a stray signal), with *args_p NULL.
char *
    oa_actor_pipe_command (zsock_t *pipe, zmsg_t **args_p);

//  Answers the shared commands the simplest way, for actors with nothing
//  in flight: DRAIN -> "DRAINED", STATUS -> "READY".  Returns 1 for $TERM
//  (the caller ends its loop), 0 when it answered, -1 when the command is
//  not a shared one (the caller handles or ignores it).
int
    oa_actor_handle_default (zsock_t *pipe, const char *command);

//  Sends "DRAINED" up the pipe.  Returns 0, or -1 if the send failed.
int
    oa_actor_drained (zsock_t *pipe);

//  Names the calling thread (at most 15 characters shown), so that top -H,
//  perf and gdb tell the roles apart.
void
    oa_actor_set_name (const char *name);

//  Self test.
void
    oa_actor_test (bool verbose);

#endif
