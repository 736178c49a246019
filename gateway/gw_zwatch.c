/*  =========================================================================
    gw_zwatch - a ZeroMQ socket watched by a gateway loop's h2o evloop
    =========================================================================
*/
#include "gw_zwatch.h"

#include <assert.h>
#include <unistd.h>

h2o_socket_t *
gw_zwatch_new (h2o_loop_t *loop, zsock_t *sock, h2o_socket_cb cb, void *data)
{
    assert (loop);
    assert (sock);
    assert (cb);
    int fd = dup (zsock_fd (sock));
    assert (fd >= 0);
    h2o_socket_t *watch = h2o_evloop_socket_create (loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    watch->data = data;
    h2o_socket_read_start (watch, cb);
    return watch;
}

void
gw_zwatch_close (h2o_socket_t **watch_p)
{
    assert (watch_p);
    if (!*watch_p)
        return;
    h2o_socket_read_stop (*watch_p);
    h2o_socket_close (*watch_p);
    *watch_p = NULL;
}
