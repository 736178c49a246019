/*  =========================================================================
    gw_broker_host - runs the relay broker inside a gateway loop thread

    Loop 0 hosts the process's broker (gw_broker_new): it watches the
    broker's sockets in its h2o loop and pumps the broker when they have
    input and on a 100 ms timer.  Owned by that loop thread.
    =========================================================================
*/
#ifndef GW_BROKER_HOST_H_INCLUDED
#define GW_BROKER_HOST_H_INCLUDED

#include "gw_broker.h"
#include "gw_server.h"

typedef struct _gw_broker_host_t gw_broker_host_t;

//  Starts hosting broker (borrowed; it must outlive the host) in thread's
//  loop ctx.  Caller owns the result.
gw_broker_host_t *
    gw_broker_host_new (gw_thread_t *thread, h2o_context_t *ctx, gw_broker_t *broker);

//  Pumps the broker on the next zero_timeout: after a call into it from
//  outside its pump (gw_broker_submit), whose sends may have taken the
//  edge of a socket's fd.
void
    gw_broker_host_kick (gw_broker_host_t *self);

//  Stops watching the broker (which keeps its sockets); nulls *self_p.
void
    gw_broker_host_destroy (gw_broker_host_t **self_p);

#endif
