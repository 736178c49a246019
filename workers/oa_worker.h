/*  =========================================================================
    oa_worker - the relay worker actor

    A worker connects a DEALER to every gateway in its list and keeps
    retrying, so start order never matters; gateways bind.  The relay itself
    (curl multi in this actor's zloop, provider adaptors, converters) is
    built on top of this shell.

    Pipe commands: STATUS -> "READY"; DRAIN -> "DRAINED" once in-flight work
    is done; $TERM stops the actor.
    =========================================================================
*/
#ifndef OA_WORKER_H_INCLUDED
#define OA_WORKER_H_INCLUDED

#include <czmq.h>
#include "oa_config.h"

//  Arguments of oa_worker_actor; borrowed for the actor's lifetime.
typedef struct {
    const oa_config_t *config;      //  settings
    const char *endpoints;          //  comma-separated gateway endpoints
    int index;                      //  worker number within the process
} oa_worker_args_t;

//  The worker actor (zactor_fn); args is an oa_worker_args_t.
void
    oa_worker_actor (zsock_t *pipe, void *args);

//  Self test.
void
    oa_worker_test (bool verbose);

#endif
