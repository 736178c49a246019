/*  =========================================================================
    gw_broker_actor - the relay broker as an actor of its own

    The broker (gw_broker.c) on a thread of its own, with a pipe for the
    commands gw_broker.h lists.  The gateway hosts its broker in loop 0
    instead (gw_broker_host.c); the actor serves tests and tools.  Both run
    the same pump: here zloop calls it when a socket has input and on a
    GW_BROKER_TICK_MS timer.
    =========================================================================
*/
#include "gw_broker_private.h"

#include "oa_actor.h"
#include "oa_log.h"

static int
s_on_socket (zloop_t *loop, zsock_t *socket, void *arg)
{
    (void) loop;
    (void) socket;
    gw_broker_pump ((gw_broker_t *) arg);
    return 0;
}

static int
s_on_timer (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    gw_broker_pump ((gw_broker_t *) arg);
    return 0;
}

static int
s_on_pipe (zloop_t *loop, zsock_t *pipe, void *arg)
{
    (void) loop;
    return gw_broker_pipe_command ((gw_broker_t *) arg, pipe);
}

void
gw_broker_actor (zsock_t *pipe, void *args)
{
    assert (args);
    oa_actor_set_name ("oa-broker");
    const gw_broker_args_t *broker_args = (const gw_broker_args_t *) args;
    char err [256] = "";
    gw_broker_t *broker = gw_broker_new (broker_args, err, sizeof err);
    if (!broker) {
        oa_log_error ("broker", "cannot start: %s", err);
        zsock_signal (pipe, OA_ACTOR_START_FAILED);
        return;
    }
    zsock_signal (pipe, 0);
    oa_log_info ("broker", "relay broker up: threads on %s, workers on %s%s",
                 broker_args->frontend, gw_broker_endpoint (broker),
                 gw_broker_curve (broker)? " (CURVE)": "");
    zloop_t *loop = zloop_new ();
    zloop_set_nonstop (loop, true);     //  only $TERM stops us
    zloop_reader (loop, pipe, s_on_pipe, broker);
    zsock_t *sockets [GW_BROKER_SOCKETS_MAX];
    size_t count = gw_broker_sockets (broker, sockets, GW_BROKER_SOCKETS_MAX);
    for (size_t index = 0; index < count; index++)
        zloop_reader (loop, sockets [index], s_on_socket, broker);
    zloop_timer (loop, GW_BROKER_TICK_MS, 0, s_on_timer, broker);
    zloop_start (loop);
    zloop_destroy (&loop);
    gw_broker_destroy (&broker);
}
