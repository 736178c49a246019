/*  =========================================================================
    oa_gateway - the gateway actor

    Owns one oa_gateway_t (gw_server.c) and answers its pipe (see
    oa_gateway.h for the commands).  The loop threads do the HTTP work; this
    thread only starts them, relays DRAIN, polls for the end of a drain and
    stops them on $TERM.  It registers the "gateway" health component:
    ready while serving, down while draining (so /readyz turns 503 and load
    balancers look elsewhere), cleared when the actor ends.
    With relay on (a ledger endpoint configured), it first binds the relay
    broker (gw_broker) on the gateway's frontend endpoint, which the loop
    threads' bridges connect to; loop 0 runs it (gw_broker_host), and this
    thread destroys it after the loops are gone.
    =========================================================================
*/
#include <assert.h>
#include "gw_broker.h"
#include "gw_server.h"
#include "oa_actor.h"
#include "oa_health.h"
#include "oa_log.h"

#define S_DRAIN_POLL_MS 20          //  how often a pending drain is checked

typedef struct {
    zsock_t *pipe;                  //  actor pipe
    const oa_config_t *config;      //  borrowed
    oa_gateway_t *gateway;          //  the edge
    gw_broker_t *broker;            //  the relay broker, when relay is on; loop 0 runs it
    gw_broker_args_t broker_args;   //  its arguments
    char fatal [256];               //  start-up failure, "" when serving
    int drain_waiters;              //  DRAIN commands still to answer
    int64_t drain_deadline;         //  monotonic ms; answer DRAINED anyway after
    bool drained;                   //  a drain completed
    bool terminated;                //  $TERM received or pipe gone
} s_self_t;

static void
s_handle_pipe (s_self_t *self)
{
    char *command = zstr_recv (self->pipe);
    if (!command) {
        self->terminated = true;    //  interrupted
        return;
    }
    if (streq (command, "$TERM"))
        self->terminated = true;
    else
    if (streq (command, "STATUS")) {
        if (*self->fatal)
            zstr_sendf (self->pipe, "FATAL %s", self->fatal);
        else
            zstr_send (self->pipe, self->drained? "DRAINED":
                                   self->drain_waiters? "DRAINING": "READY");
    }
    else
    if (streq (command, "PORT"))
        zstr_sendf (self->pipe, "%d", *self->fatal? 0: oa_gateway_port (self->gateway));
    else
    if (streq (command, "DRAIN")) {
        if (*self->fatal || self->drained)
            zstr_send (self->pipe, "DRAINED");
        else {
            if (self->drain_waiters == 0) {
                oa_log_info ("gateway", "draining: %zu requests in flight",
                             oa_gateway_inflight (self->gateway));
                oa_health_set ("gateway", OA_HEALTH_DOWN, "draining");
                oa_gateway_drain (self->gateway);
                self->drain_deadline = oa_clock_mono_ms ()
                                     + (int64_t) self->config->shutdown_timeout_sec * 1000;
            }
            self->drain_waiters++;
        }
    }
    else
        oa_log_warn ("gateway", "unknown pipe command '%s'", command);
    zstr_free (&command);
}

static void
s_check_drain (s_self_t *self)
{
    if (self->drain_waiters == 0)
        return;
    bool done = oa_gateway_drained (self->gateway);
    if (!done && oa_clock_mono_ms () < self->drain_deadline)
        return;
    if (!done)
        oa_log_warn ("gateway", "drain timed out (SHUTDOWN_TIMEOUT_SEC=%d) with %zu requests "
                     "in flight", self->config->shutdown_timeout_sec,
                     oa_gateway_inflight (self->gateway));
    else
        oa_log_info ("gateway", "drained");
    for (; self->drain_waiters > 0; self->drain_waiters--)
        zstr_send (self->pipe, "DRAINED");
    self->drained = true;
}

void
oa_gateway_actor (zsock_t *pipe, void *args)
{
    oa_actor_set_name ("oa-gateway");
    assert (args);
    s_self_t self = { .pipe = pipe, .config = args };
    self.gateway = oa_gateway_new (self.config);
    if (gw_test_routes_hook)
        gw_test_routes_hook (self.gateway);
    if (self.gateway->relay) {
        self.broker_args = (gw_broker_args_t) { .config = self.config,
                                                .frontend = self.gateway->broker_endpoint };
        char err [256] = "";
        self.broker = gw_broker_new (&self.broker_args, err, sizeof err);
        if (self.broker) {
            self.gateway->broker = self.broker;     //  loop 0 hosts it
            oa_log_info ("gateway", "relay broker: threads on %s, workers on %s",
                         self.broker_args.frontend, self.config->gateway_bind);
        }
        else
            snprintf (self.fatal, sizeof self.fatal, "relay broker: %.200s", err);
    }
    if (!*self.fatal && oa_gateway_start (self.gateway, self.fatal, sizeof self.fatal) == 0) {
        oa_log_info ("gateway", "listening on %s:%d, %d loop threads%s",
                     self.config->host, oa_gateway_port (self.gateway),
                     self.config->gateway_threads, self.config->tls_cert && *self.config->tls_cert
                     ? ", TLS (h2, http/1.1)": "");
        oa_health_set ("gateway", OA_HEALTH_READY, NULL);
    }
    else {
        if (!*self.fatal)
            snprintf (self.fatal, sizeof self.fatal, "cannot start");
        oa_log_error ("gateway", "cannot start: %s", self.fatal);
        oa_health_set ("gateway", OA_HEALTH_DOWN, self.fatal);
    }
    zsock_signal (pipe, 0);

    zpoller_t *poller = zpoller_new (pipe, NULL);
    assert (poller);
    while (!self.terminated) {
        void *which = zpoller_wait (poller, self.drain_waiters? S_DRAIN_POLL_MS: -1);
        if (which == pipe)
            s_handle_pipe (&self);
        else
        if (zpoller_terminated (poller))
            break;
        s_check_drain (&self);
    }
    zpoller_destroy (&poller);
    //  The loops first: their bridges close their DEALERs to the broker.
    //  Then the broker, whose host (loop 0) is gone with them.
    oa_gateway_destroy (&self.gateway);
    gw_broker_destroy (&self.broker);
    oa_health_clear ("gateway");
}
