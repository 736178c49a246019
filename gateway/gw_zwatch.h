/*  =========================================================================
    gw_zwatch - a ZeroMQ socket watched by a gateway loop's h2o evloop

    The bridge, the broker host and the rate limiter's loop client all wake
    on a socket's ZMQ_FD (style.md §3.6).  Readiness only means "look": the
    callback drains while ZMQ_EVENTS has POLLIN, and work that sends on the
    socket drains again, because a send can take the fd's edge.
    =========================================================================
*/
#ifndef GW_ZWATCH_H_INCLUDED
#define GW_ZWATCH_H_INCLUDED

#include <czmq.h>
#include "gw_h2o.h"

//  Watches sock's ZMQ_FD (a dup: h2o closes what it wraps, the ZMQ_FD
//  belongs to libzmq) in loop; cb runs with the watch's data set to data.
//  Returns the watch; caller closes it with gw_zwatch_close.
h2o_socket_t *
    gw_zwatch_new (h2o_loop_t *loop, zsock_t *sock, h2o_socket_cb cb, void *data);

//  Stops and closes a watch; nulls *watch_p.  No-op on NULL.
void
    gw_zwatch_close (h2o_socket_t **watch_p);

#endif
