/*  =========================================================================
    oa_api - the management API actor (see oa_api.h)

    Owns a ROUTER (API_REQUEST in, API_REPLY out), a PUSH into the ledger
    actor for changes, and its own store connection.  The store opens in
    the background, as the ledger's does: retried with backoff while the
    database is unreachable or the ledger has not yet migrated the schema
    (this actor never migrates); a schema newer than this binary is fatal.
    Until the store is open, requests are answered 503 with one-api's
    envelope.  Handlers run synchronously (bcrypt, a list query): this
    actor is apart from the ledger actor precisely so that they may.

    A connection lost once READY (PostgreSQL restarted) is noticed after
    the failing statement (oa_store_broken), as the ledger actor does, and
    reopened with the same backoff; the application keeps its state (the
    session secret, a running channel sweep) and gets the new store.
    Meanwhile handlers still run: each answers its own store error in its
    own format (one-api's {"success":false,"message":...}, or the relay
    error of relay-key routes), fast, since a broken connection fails at
    once.  A reopen is tried before serving a request when one is due, so
    the first request after the database is back is served by it.
    =========================================================================
*/
#include "oa_api.h"

#include "oa_actor.h"
#include "oa_api_private.h"
#include "oa_endpoints.h"
#include "oa_ids.h"
#include "oa_ledger.h"
#include "oa_log.h"
#include "oa_msg.h"
#include "oa_schema.h"

#define S_POLL_MAX_MS 100
#define S_BATCH 32

typedef enum { S_CONNECTING, S_READY, S_FATAL } s_state_t;

typedef struct {
    zsock_t *pipe;                  //  actor pipe
    const oa_config_t *config;      //  settings; borrowed
    zsock_t *router;                //  API_REQUEST in, API_REPLY out
    zsock_t *publish;               //  PUSH to the ledger actor's PULL
    oa_store_t *store;              //  own connection, once open
    oa_store_options_t options;     //  how to open it (config, s_interrupted)
    oa_api_app_t *app;              //  routes and handlers, once the store is open
    s_state_t state;                //  where start-up is
    char reason [256];              //  why not ready
    oa_store_backoff_t backoff;     //  when to attempt the next open
    oa_store_reopen_t reopen;       //  READY store lost its connection
    uint64_t reconnects;            //  connections reopened
    uint64_t requests;              //  requests answered
    uint64_t malformed;             //  undecodable messages dropped
    bool terminated;                //  $TERM received
} s_self_t;

static bool
    s_interrupted (void *arg);

static void
s_self_destroy (s_self_t **self_p)
{
    s_self_t *self = *self_p;
    if (!self)
        return;
    oa_api_app_destroy (&self->app);
    oa_store_destroy (&self->store);
    zsock_destroy (&self->router);
    zsock_destroy (&self->publish);
    free (self);
    *self_p = NULL;
}

static s_self_t *
s_self_new (zsock_t *pipe, const oa_config_t *config)
{
    s_self_t *self = (s_self_t *) zmalloc (sizeof (s_self_t));
    self->pipe = pipe;
    self->config = config;
    self->options = oa_ledger_store_options (config, s_interrupted, self);
    self->state = S_CONNECTING;
    snprintf (self->reason, sizeof self->reason, "connecting");
    char endpoint [256];
    if (oa_endpoints_api (config->ledger_bind, endpoint, sizeof endpoint) != 0) {
        oa_log_error ("api", "no management API endpoint for ledger_bind %s", config->ledger_bind);
        s_self_destroy (&self);
        return NULL;
    }
    self->router = zsock_new (ZMQ_ROUTER);
    self->publish = zsock_new (ZMQ_PUSH);
    assert (self->router && self->publish);
    zsock_set_linger (self->router, 0);
    zsock_set_linger (self->publish, 0);
    zsock_set_router_mandatory (self->router, 1);
    zsock_set_sndtimeo (self->publish, 0);
    zsock_set_sndhwm (self->publish, 100000);
    if (zsock_bind (self->router, "%s", endpoint) < 0) {
        oa_log_error ("api", "cannot bind %s: %s", endpoint, zmq_strerror (zmq_errno ()));
        s_self_destroy (&self);
        return NULL;
    }
    char publish [512];
    oa_ledger_publish_endpoint (config, publish, sizeof publish);
    //  inproc connects before the ledger binds are queued until it does.
    if (zsock_connect (self->publish, "%s", publish) < 0)
        oa_log_warn ("api", "cannot connect %s: changes will not reach gateways", publish);
    oa_log_info ("api", "management API on %s", endpoint);
    return self;
}

static void
s_handle_pipe (s_self_t *self)
{
    zmsg_t *args = NULL;
    char *command = oa_actor_pipe_command (self->pipe, &args);
    if (!command)
        self->terminated = true;
    else
    if (streq (command, OA_ACTOR_TERM))
        self->terminated = true;
    else
    if (streq (command, OA_ACTOR_STATUS)) {
        if (self->state == S_READY)
            zstr_send (self->pipe, "READY");
        else
        if (self->state == S_FATAL)
            zstr_sendf (self->pipe, "FATAL %s", self->reason);
        else
            zstr_send (self->pipe, "CONNECTING");
    }
    else
    if (streq (command, OA_ACTOR_DRAIN))
        oa_actor_drained (self->pipe);
    else
    if (streq (command, "STATS"))
        zstr_sendf (self->pipe, "requests=%" PRIu64 " published=%" PRIu64
                    " reconnects=%" PRIu64, self->requests,
                    self->app? oa_api_published (self->app): 0, self->reconnects);
    else
        oa_log_warn ("api", "unknown pipe command '%s'", command);
    zmsg_destroy (&args);
    zstr_free (&command);
}

static bool
s_interrupted (void *arg)
{
    s_self_t *self = (s_self_t *) arg;
    while (!self->terminated && (zsock_events (self->pipe) & ZMQ_POLLIN))
        s_handle_pipe (self);
    return self->terminated;
}

//  One attempt to open the store; READY once the ledger's schema is there.
static void
s_attempt (s_self_t *self)
{
    char err [256] = "";
    bool fatal = false;
    if (!self->store)
        self->store = oa_store_open_with (&self->options, &fatal, err, sizeof err);
    if (self->terminated)
        return;
    int version = self->store? oa_schema_version (self->store): -1;
    if (version == OA_SCHEMA_VERSION) {
        self->state = S_READY;
        self->app = oa_api_app_new (self->store, self->config, self->publish);
        oa_log_info ("api", "store ready (%s)", oa_store_driver_name (self->store));
        return;
    }
    if (fatal || version > OA_SCHEMA_VERSION) {
        self->state = S_FATAL;
        snprintf (self->reason, sizeof self->reason, "%s", self->store
                  ? "database schema is newer than this binary": err);
        oa_log_error ("api", "store: %s", self->reason);
        oa_store_destroy (&self->store);
        return;
    }
    //  Unreachable, or not migrated yet: the ledger actor is on it.
    snprintf (self->reason, sizeof self->reason, "%s", self->store? "waiting for the schema": err);
    if (!self->store || version < 0)
        oa_store_destroy (&self->store);
    oa_store_backoff_failed (&self->backoff);
}

//  READY, connection lost: reopens the store with backoff and hands the
//  new one to the application (the old one is destroyed after the swap).
static void
s_reconnect (s_self_t *self)
{
    if (self->state != S_READY || !self->store)
        return;
    oa_store_t *store = oa_store_reopen (&self->reopen, self->store, &self->options, "api");
    if (!store)
        return;
    oa_api_app_set_store (self->app, store);
    oa_store_destroy (&self->store);
    self->store = store;
    self->reconnects++;
}

//  Answers one API_REQUEST.
static void
s_serve (s_self_t *self, oa_msg_t *request)
{
    oa_api_req_t req = {
        .method = oa_msg_method (request),
        .path = oa_msg_path (request),
        .query = oa_msg_query (request),
        .client_ip = oa_msg_client_ip (request),
        .cookie = oa_msg_headers_lookup (request, "cookie"),
        .authorization = oa_msg_headers_lookup (request, "authorization"),
        .api_key = oa_msg_headers_lookup (request, "x-api-key"),
        .request_id = oa_msg_request_id (request),
        .probe = oa_msg_headers_lookup (request, "x-oneapi-probe")
    };
    if (!req.api_key)
        req.api_key = oa_msg_headers_lookup (request, "api-key");
    zframe_t *payload = oa_msg_payload (request);
    if (payload) {
        req.body = (const char *) zframe_data (payload);
        req.body_size = zframe_size (payload);
    }
    oa_api_res_t res = { 200, NULL, NULL, NULL };
    if (self->reopen.active)
        s_reconnect (self);
    if (!self->app)
        oa_api_fail (&res, 503, "the management API is starting: %s", self->reason);
    else
    if (req.body_size > OA_API_MAX_BODY)
        oa_api_fail (&res, 413, "request body too large");
    else
        oa_api_app_handle (self->app, &req, &res);
    //  A statement that found the connection gone starts the reopening.
    if (self->app && !self->reopen.active && oa_store_broken (self->store))
        s_reconnect (self);
    if (!res.body)
        oa_api_fail (&res, 500, "no answer");
    char *body = json_dumps (res.body, JSON_COMPACT);
    assert (body);
    oa_msg_t *reply = oa_msg_new_reply (request, OA_MSG_API_REPLY);
    oa_msg_set_status (reply, (uint16_t) res.status);
    oa_msg_set_content_type (reply, "application/json; charset=utf-8");
    if (res.set_cookie)
        oa_msg_headers_insert (reply, "set-cookie", res.set_cookie);
    if (res.probe)
        oa_msg_headers_insert (reply, "x-oneapi-probe", res.probe);
    oa_msg_set_payload_bytes (reply, body, strlen (body));
    if (oa_msg_send (reply, zsock_resolve (self->router), OA_MSG_DONTWAIT) != 0)
        oa_log_warn ("api", "reply to %s %s not sent: %s", req.method, req.path,
                     strerror (errno));
    oa_msg_destroy (&reply);
    free (body);
    json_decref (res.body);
    free (res.set_cookie);
    free (res.probe);
    free (req.param);
    oa_user_destroy (&req.user);
    zhashx_destroy (&req.args);
    self->requests++;
}

static void
s_handle_router (s_self_t *self)
{
    //  A bounded batch, so the pipe is served between batches.
    for (int count = 0; count < S_BATCH && !self->terminated; count++) {
        int err = 0;
        oa_msg_t *msg = oa_msg_recv (zsock_resolve (self->router), OA_MSG_DONTWAIT, &err);
        if (!msg) {
            if (err == OA_MSG_MALFORMED) {
                self->malformed++;
                continue;
            }
            return;
        }
        if (oa_msg_id (msg) == OA_MSG_API_REQUEST)
            s_serve (self, msg);
        else
            oa_log_debug ("api", "%s ignored", oa_msg_command (msg));
        oa_msg_destroy (&msg);
    }
}

void
oa_api_actor (zsock_t *pipe, void *args)
{
    oa_actor_set_name ("oa-api");
    s_self_t *self = s_self_new (pipe, (const oa_config_t *) args);
    if (!self) {
        zsock_signal (pipe, OA_ACTOR_START_FAILED);
        return;
    }
    zpoller_t *poller = zpoller_new (pipe, self->router, NULL);
    zsock_signal (pipe, 0);
    while (!self->terminated) {
        int timeout = S_POLL_MAX_MS;
        if (self->state == S_CONNECTING || self->reopen.active) {
            int64_t wait = oa_store_backoff_wait (self->reopen.active? &self->reopen.backoff
                                                                      : &self->backoff);
            timeout = wait > S_POLL_MAX_MS? S_POLL_MAX_MS: (int) wait;
        }
        void *which = zpoller_wait (poller, timeout);
        if (which == pipe)
            s_handle_pipe (self);
        else
        if (which == self->router)
            s_handle_router (self);
        else
        if (zpoller_terminated (poller))
            break;
        if (!self->terminated && self->state == S_CONNECTING
        &&  oa_store_backoff_wait (&self->backoff) == 0)
            s_attempt (self);
        if (!self->terminated && self->reopen.active)
            s_reconnect (self);
    }
    zpoller_destroy (&poller);
    s_self_destroy (&self);
}
