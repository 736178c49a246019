/*  =========================================================================
    gw_broker_host - runs the relay broker inside a gateway loop thread

    The broker used to be a thread of its own between the loop threads and
    the workers: every request and every reply crossed it, two thread
    switches per message.  Hosted by loop 0, the requests of that loop and
    their replies reach the broker without a switch (the inproc frontend's
    signal wakes the same thread); other loops reach loop 0 as they reached
    the broker thread before.  With ONEAPI_GATEWAY_THREADS=1 no request
    crosses a thread inside the gateway.

    The broker's sockets are watched through dup()s of their ZMQ_FD; any
    wake-up pumps the broker until no socket has input (gw_broker_pump), a
    pump that stopped with input left goes again on zero_timeout, and a
    timer pumps at least every 100 ms (the broker's liveness, heartbeat and
    deadline work, and a safety drain).
    =========================================================================
*/
#include "gw_broker_host.h"

#include <assert.h>
#include "gw_broker.h"
#include "gw_h2o.h"
#include "gw_zwatch.h"
#include "oa_log.h"

#define S_TICK_MS GW_BROKER_TICK_MS

struct _gw_broker_host_t {
    h2o_context_t *ctx;             //  its h2o context
    gw_broker_t *broker;            //  borrowed; outlives the host
    h2o_socket_t *watches [GW_BROKER_SOCKETS_MAX];
    size_t nwatches;
    h2o_timeout_t tick;             //  S_TICK_MS bucket
    h2o_timeout_entry_t tick_entry; //  in tick, always
    h2o_timeout_entry_t again_entry;    //  on zero_timeout while a pump is owed
};

static void
s_pump (gw_broker_host_t *self)
{
    if (gw_broker_pump (self->broker) && !h2o_timeout_is_linked (&self->again_entry))
        h2o_timeout_link (self->ctx->loop, &self->ctx->zero_timeout, &self->again_entry);
}

static void
s_on_readable (h2o_socket_t *sock, const char *err)
{
    gw_broker_host_t *self = sock->data;
    if (err)
        oa_log_warn ("gateway", "broker fd watch: %s", err);
    s_pump (self);
}

static void
s_on_again (h2o_timeout_entry_t *entry)
{
    s_pump (H2O_STRUCT_FROM_MEMBER (gw_broker_host_t, again_entry, entry));
}

static void
s_on_tick (h2o_timeout_entry_t *entry)
{
    gw_broker_host_t *self = H2O_STRUCT_FROM_MEMBER (gw_broker_host_t, tick_entry, entry);
    s_pump (self);
    h2o_timeout_link (self->ctx->loop, &self->tick, &self->tick_entry);
}

int
gw_broker_host_submit (gw_broker_host_t *self, oa_msg_t *msg)
{
    assert (self);
    int rc = gw_broker_submit (self->broker, msg);
    //  Its sends may have taken the edge of a socket's fd: pump soon
    if (!h2o_timeout_is_linked (&self->again_entry))
        h2o_timeout_link (self->ctx->loop, &self->ctx->zero_timeout, &self->again_entry);
    return rc;
}

void
gw_broker_host_set_local (gw_broker_host_t *self, gw_broker_local_fn *fn, void *arg)
{
    assert (self);
    gw_broker_set_local (self->broker, fn, arg);
}

gw_broker_host_t *
gw_broker_host_new (h2o_context_t *ctx, gw_broker_t *broker)
{
    assert (ctx);
    assert (broker);
    gw_broker_host_t *self = (gw_broker_host_t *) zmalloc (sizeof (gw_broker_host_t));
    self->ctx = ctx;
    self->broker = broker;
    zsock_t *sockets [GW_BROKER_SOCKETS_MAX];
    self->nwatches = gw_broker_sockets (broker, sockets, GW_BROKER_SOCKETS_MAX);
    for (size_t index = 0; index < self->nwatches; index++)
        self->watches [index] = gw_zwatch_new (ctx->loop, sockets [index], s_on_readable, self);
    self->again_entry.cb = s_on_again;
    h2o_timeout_init (ctx->loop, &self->tick, S_TICK_MS);
    self->tick_entry.cb = s_on_tick;
    h2o_timeout_link (ctx->loop, &self->tick, &self->tick_entry);
    //  Workers may have connected before the loop started
    h2o_timeout_link (ctx->loop, &ctx->zero_timeout, &self->again_entry);
    return self;
}

void
gw_broker_host_destroy (gw_broker_host_t **self_p)
{
    assert (self_p);
    gw_broker_host_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->nwatches; index++)
        gw_zwatch_close (&self->watches [index]);
    if (h2o_timeout_is_linked (&self->again_entry))
        h2o_timeout_unlink (&self->again_entry);
    if (h2o_timeout_is_linked (&self->tick_entry))
        h2o_timeout_unlink (&self->tick_entry);
    h2o_timeout_dispose (self->ctx->loop, &self->tick);
    free (self);
    *self_p = NULL;
}
