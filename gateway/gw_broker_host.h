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

//  Starts hosting broker (borrowed; it must outlive the host) in the loop
//  of ctx.  Caller owns the result.
gw_broker_host_t *
    gw_broker_host_new (h2o_context_t *ctx, gw_broker_t *broker);

//  The host thread's own RELAY_REQUEST or RELAY_CANCEL to the broker by a
//  call (gw_broker_submit), then a pump on the next zero_timeout, since
//  the broker's sends may have taken the edge of a socket's fd.
int
    gw_broker_host_submit (gw_broker_host_t *self, oa_msg_t *msg);

//  Where the replies to the host thread's own requests go
//  (gw_broker_set_local).
void
    gw_broker_host_set_local (gw_broker_host_t *self, gw_broker_local_fn *fn, void *arg);

//  Stops watching the broker (which keeps its sockets); nulls *self_p.
void
    gw_broker_host_destroy (gw_broker_host_t **self_p);

#endif
