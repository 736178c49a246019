/*  =========================================================================
    oa_worker - the relay worker actor

    Owns one DEALER per gateway endpoint.  ZeroMQ reconnects by itself, so a
    gateway that starts later, or restarts, is reached without our help.
    =========================================================================
*/
#include "oa_worker.h"

#include "oa_log.h"

#define S_MAX_GATEWAYS 32

typedef struct {
    zsock_t *pipe;                          //  actor pipe
    zloop_t *loop;                          //  this actor's reactor
    zsock_t *gateways [S_MAX_GATEWAYS];     //  one DEALER per gateway
    int gateway_count;                      //  used entries of gateways
    int index;                              //  worker number, for logs
    size_t inflight;                        //  transfers in progress
    bool draining;                          //  DRAIN received; reply when idle
} s_self_t;

static void
s_self_destroy (s_self_t **self_p)
{
    s_self_t *self = *self_p;
    if (!self)
        return;
    zloop_destroy (&self->loop);
    for (int i = 0; i < self->gateway_count; i++)
        zsock_destroy (&self->gateways [i]);
    free (self);
    *self_p = NULL;
}

static s_self_t *
s_self_new (zsock_t *pipe, const oa_worker_args_t *args)
{
    s_self_t *self = (s_self_t *) zmalloc (sizeof (s_self_t));
    self->pipe = pipe;
    self->index = args->index;
    self->loop = zloop_new ();
    char *list = strdup (args->endpoints? args->endpoints: "");
    char *saveptr = NULL;
    for (char *endpoint = strtok_r (list, ", ", &saveptr); endpoint;
         endpoint = strtok_r (NULL, ", ", &saveptr)) {
        if (self->gateway_count == S_MAX_GATEWAYS) {
            oa_log_warn ("worker", "more than %d gateways; ignoring %s", S_MAX_GATEWAYS,
                         endpoint);
            continue;
        }
        zsock_t *dealer = zsock_new (ZMQ_DEALER);
        zsock_set_linger (dealer, 0);
        zsock_set_reconnect_ivl (dealer, 100);
        zsock_set_reconnect_ivl_max (dealer, 2000);
        if (zsock_connect (dealer, "%s", endpoint)) {
            oa_log_error ("worker", "cannot connect to gateway %s", endpoint);
            zsock_destroy (&dealer);
            continue;
        }
        self->gateways [self->gateway_count++] = dealer;
    }
    free (list);
    return self;
}

static int
s_handle_pipe (zloop_t *loop, zsock_t *pipe, void *arg)
{
    (void) loop;
    s_self_t *self = (s_self_t *) arg;
    char *command = zstr_recv (pipe);
    if (!command)
        return -1;              //  interrupted
    int rc = 0;
    if (streq (command, "$TERM"))
        rc = -1;
    else
    if (streq (command, "STATUS"))
        zstr_send (pipe, "READY");
    else
    if (streq (command, "DRAIN")) {
        self->draining = true;
        if (self->inflight == 0)
            zstr_send (pipe, "DRAINED");
    }
    else
        oa_log_warn ("worker", "unknown pipe command '%s'", command);
    zstr_free (&command);
    return rc;
}

void
oa_worker_actor (zsock_t *pipe, void *args)
{
    s_self_t *self = s_self_new (pipe, (const oa_worker_args_t *) args);
    zloop_reader (self->loop, pipe, s_handle_pipe, self);
    zsock_signal (pipe, 0);
    oa_log_info ("worker", "worker %d started with %d gateway link(s)", self->index,
                 self->gateway_count);
    zloop_start (self->loop);
    s_self_destroy (&self);
}

void
oa_worker_test (bool verbose)
{
    (void) verbose;
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    oa_worker_args_t args = { config, "inproc://oa-worker-test-a, inproc://oa-worker-test-b",
                              0 };
    zactor_t *worker = zactor_new (oa_worker_actor, &args);
    assert (worker);
    zstr_send (worker, "STATUS");
    char *reply = zstr_recv (worker);
    assert (reply && streq (reply, "READY"));
    zstr_free (&reply);
    zstr_send (worker, "DRAIN");
    reply = zstr_recv (worker);
    assert (reply && streq (reply, "DRAINED"));
    zstr_free (&reply);
    zactor_destroy (&worker);
    oa_config_destroy (&config);
}
