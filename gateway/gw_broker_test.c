/*  =========================================================================
    gw_broker_test - self test of the relay broker

    Black-box: the broker actor with real sockets; test-side DEALERs play
    the loop threads and the workers, over inproc and tcp (with CURVE).
    =========================================================================
*/
#include "gw_broker.h"

#include "oa_actor.h"
#include "oa_ids.h"
#include "oa_metrics.h"
#include "oa_msg.h"
#include "oa_supervisor.h"

static char *
s_ask (zactor_t *broker, const char *command)
{
    zstr_send (broker, command);
    return zstr_recv (broker);
}

static long
s_ask_number (zactor_t *broker, const char *command)
{
    char *reply = s_ask (broker, command);
    assert (reply);
    long value = atol (reply);
    zstr_free (&reply);
    return value;
}

//  The value of one counter in the STATS reply
static long
s_stat (zactor_t *broker, const char *name)
{
    char *stats = s_ask (broker, "STATS");
    assert (stats);
    char pattern [64];
    snprintf (pattern, sizeof pattern, "%s=", name);
    char *at = strstr (stats, pattern);
    assert (at);
    long value = atol (at + strlen (pattern));
    zstr_free (&stats);
    return value;
}

//  Waits up to 1 s (the broker refreshes its credit gauges every 100 ms)
//  for the unlabelled gauge name to read value in the global registry.
static void
s_wait_gauge (const char *name, double value)
{
    oa_metric_t *gauge = oa_metrics_gauge (oa_metrics_global (), name, "", NULL);
    assert (gauge);
    int64_t until = oa_clock_mono_ms () + 1000;
    while (oa_series_value (oa_metric_series (gauge, NULL)) != value) {
        assert (oa_clock_mono_ms () < until);
        zclock_sleep (10);
    }
}

static void
s_wait_workers (zactor_t *broker, long count)
{
    int64_t until = oa_clock_mono_ms () + 3000;
    while (s_ask_number (broker, "WORKERS") != count) {
        assert (oa_clock_mono_ms () < until);
        zclock_sleep (10);
    }
}

static zsock_t *
s_dealer (const char *endpoint)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert (dealer);
    zsock_set_linger (dealer, 0);
    int rc = zsock_connect (dealer, "%s", endpoint);
    assert (rc == 0);
    return dealer;
}

static void
s_send (zsock_t *sock, oa_msg_t **msg_p)
{
    int rc = oa_msg_send (*msg_p, sock, 0);
    assert (rc == 0);
    oa_msg_destroy (msg_p);
}

static zsock_t *
s_worker (const char *endpoint, const char *worker_id, uint32_t capacity)
{
    zsock_t *worker = s_dealer (endpoint);
    oa_msg_t *ready = oa_msg_new (OA_MSG_WORKER_READY);
    oa_msg_set_worker_id (ready, worker_id);
    oa_msg_set_capacity (ready, capacity);
    s_send (worker, &ready);
    return worker;
}

static void
s_heartbeat (zsock_t *worker)
{
    oa_msg_t *beat = oa_msg_new (OA_MSG_HEARTBEAT);
    oa_msg_set_sender_id (beat, "test-worker");
    oa_msg_set_role (beat, OA_MSG_ROLE_WORKER);
    s_send (worker, &beat);
}

static void
s_request (zsock_t *thread, uint64_t corr_id, int64_t deadline)
{
    oa_msg_t *request = oa_msg_sample (OA_MSG_RELAY_REQUEST);
    assert (request);
    oa_msg_set_corr_id (request, corr_id);
    oa_msg_set_deadline (request, (uint64_t) deadline);
    oa_msg_set_payload_bytes (request, "{\"hello\":1}", 11);
    s_send (thread, &request);
}

//  Worker-to-gateway message for corr_id
static void
s_reply (zsock_t *worker, int id, uint64_t corr_id)
{
    oa_msg_t *reply = oa_msg_new (id);
    oa_msg_set_corr_id (reply, corr_id);
    oa_msg_set_status (reply, 200);
    if (id == OA_MSG_RELAY_DATA)
        oa_msg_set_payload_bytes (reply, "data: chunk\n\n", 13);
    s_send (worker, &reply);
}

//  Next message other than HEARTBEAT within timeout_ms, or NULL; counts
//  the gateway heartbeats seen in *beats if not NULL.
static oa_msg_t *
s_recv (zsock_t *sock, int timeout_ms, int *beats)
{
    int64_t until = oa_clock_mono_ms () + timeout_ms;
    while (true) {
        int64_t left = until - oa_clock_mono_ms ();
        if (left < 0)
            left = 0;
        zsock_set_rcvtimeo (sock, (int) left);
        oa_msg_t *msg = oa_msg_recv (sock, 0, NULL);
        if (!msg || oa_msg_id (msg) != OA_MSG_HEARTBEAT)
            return msg;
        assert (oa_msg_role (msg) == OA_MSG_ROLE_GATEWAY);
        if (beats)
            (*beats)++;
        oa_msg_destroy (&msg);
    }
}

//  Expects a message of this id (and corr_id unless 0); returns it.
static oa_msg_t *
s_expect (zsock_t *sock, int id, uint64_t corr_id)
{
    oa_msg_t *msg = s_recv (sock, 2000, NULL);
    assert (msg);
    if (oa_msg_id (msg) != id)
        oa_msg_print (msg);
    assert (oa_msg_id (msg) == id);
    if (corr_id)
        assert (oa_msg_corr_id (msg) == corr_id);
    return msg;
}

static void
s_expect_error (zsock_t *thread, uint64_t corr_id, int status, const char *code)
{
    oa_msg_t *error = s_expect (thread, OA_MSG_RELAY_ERROR, corr_id);
    assert (oa_msg_status (error) == status);
    assert (streq (oa_msg_code (error), code));
    oa_msg_destroy (&error);
}

static void
s_expect_nothing (zsock_t *sock, int timeout_ms)
{
    oa_msg_t *msg = s_recv (sock, timeout_ms, NULL);
    if (msg)
        oa_msg_print (msg);
    assert (!msg);
}

//  Receives n RELAY_REQUESTs on a worker; stores their corr_ids.
static void
s_take (zsock_t *worker, int n, uint64_t *corr_ids)
{
    for (int i = 0; i < n; i++) {
        oa_msg_t *request = s_expect (worker, OA_MSG_RELAY_REQUEST, 0);
        assert (oa_msg_payload (request) && zframe_size (oa_msg_payload (request)) == 11);
        corr_ids [i] = oa_msg_corr_id (request);
        oa_msg_destroy (&request);
    }
}


//  --------------------------------------------------------------------------
//  Dispatch, credit, replies, cancel, errors

static void
s_test_dispatch (zactor_t *broker, const char *backend, zsock_t *thread)
{
    //  No worker: 503 at once
    char *status = s_ask (broker, "STATUS");
    assert (streq (status, "DEGRADED no workers"));
    zstr_free (&status);
    s_request (thread, gw_broker_corr_id (0, 1), 0);
    s_expect_error (thread, gw_broker_corr_id (0, 1), 503, "no_available_worker");
    s_request (thread, 0, 0);
    s_expect_error (thread, 0, 500, "invalid_corr_id");
    assert (s_ask_number (broker, "INFLIGHT") == 0);

    //  Capacities 1 and 3: four requests fill them exactly, the fifth is refused
    zsock_t *one = s_worker (backend, "worker-one", 1);
    zsock_t *three = s_worker (backend, "worker-three", 3);
    s_wait_workers (broker, 2);
    status = s_ask (broker, "STATUS");
    assert (streq (status, "READY"));
    zstr_free (&status);
    for (uint64_t n = 10; n < 14; n++)
        s_request (thread, gw_broker_corr_id (0, n), 0);
    uint64_t a [1], b [3];
    s_take (one, 1, a);
    s_take (three, 3, b);
    s_expect_nothing (one, 50);
    s_request (thread, gw_broker_corr_id (0, 14), 0);
    s_expect_error (thread, gw_broker_corr_id (0, 14), 503, "no_available_worker");
    assert (s_ask_number (broker, "INFLIGHT") == 4);
    //  The credit gauges: 4 slots, none free, 4 requests holding them
    s_wait_gauge ("oneapi_workers_live", 2);
    s_wait_gauge ("oneapi_relay_worker_capacity", 4);
    s_wait_gauge ("oneapi_relay_worker_slots_free", 0);
    s_wait_gauge ("oneapi_relay_inflight", 4);

    //  A duplicate corr_id is refused; the original stays
    s_request (thread, b [0], 0);
    s_expect_error (thread, b [0], 500, "duplicate_corr_id");
    assert (s_ask_number (broker, "INFLIGHT") == 4);

    //  HEAD, DATA (payload intact), END reach the thread in order
    s_reply (one, OA_MSG_RELAY_HEAD, a [0]);
    s_reply (one, OA_MSG_RELAY_DATA, a [0]);
    s_reply (one, OA_MSG_RELAY_END, a [0]);
    oa_msg_t *msg = s_expect (thread, OA_MSG_RELAY_HEAD, a [0]);
    oa_msg_destroy (&msg);
    msg = s_expect (thread, OA_MSG_RELAY_DATA, a [0]);
    assert (zframe_streq (oa_msg_payload (msg), "data: chunk\n\n"));
    oa_msg_destroy (&msg);
    msg = s_expect (thread, OA_MSG_RELAY_END, a [0]);
    oa_msg_destroy (&msg);
    assert (s_ask_number (broker, "INFLIGHT") == 3);
    s_wait_gauge ("oneapi_relay_worker_slots_free", 1);

    //  Worker errors are forwarded and free the slot
    s_reply (three, OA_MSG_RELAY_ERROR, b [0]);
    s_expect_error (thread, b [0], 200, "");

    //  Cancel goes to the worker; its END still reaches the thread
    oa_msg_t *cancel = oa_msg_new (OA_MSG_RELAY_CANCEL);
    oa_msg_set_corr_id (cancel, b [1]);
    oa_msg_set_reason (cancel, "client closed connection");
    s_send (thread, &cancel);
    msg = s_expect (three, OA_MSG_RELAY_CANCEL, b [1]);
    assert (streq (oa_msg_reason (msg), "client closed connection"));
    oa_msg_destroy (&msg);
    s_reply (three, OA_MSG_RELAY_END, b [1]);
    msg = s_expect (thread, OA_MSG_RELAY_END, b [1]);
    oa_msg_destroy (&msg);
    assert (s_ask_number (broker, "INFLIGHT") == 1);

    //  Unknown corr_id, a reply from the wrong worker, garbage: dropped, counted
    s_reply (three, OA_MSG_RELAY_END, gw_broker_corr_id (7, 999));
    s_reply (one, OA_MSG_RELAY_END, b [2]);
    zstr_send (three, "garbage");
    zstr_sendx (three, "a", "b", "c", "d", NULL);
    zmsg_t *empty = zmsg_new ();
    zmsg_addmem (empty, NULL, 0);
    zmsg_send (&empty, three);
    oa_msg_t *odd = oa_msg_sample (OA_MSG_USAGE);     //  valid, but not for us
    s_send (three, &odd);
    s_expect_nothing (thread, 100);
    assert (s_stat (broker, "dropped_unknown") == 1);
    assert (s_stat (broker, "dropped_stale") == 1);
    assert (s_stat (broker, "malformed_backend") == 4);
    assert (s_ask_number (broker, "INFLIGHT") == 1);

    //  Credit 0 drains a worker: the next requests go to the other one only
    oa_msg_t *credit = oa_msg_new (OA_MSG_WORKER_CREDIT);
    oa_msg_set_credit (credit, 0);
    s_send (three, &credit);
    s_reply (three, OA_MSG_RELAY_END, b [2]);
    msg = s_expect (thread, OA_MSG_RELAY_END, b [2]);
    oa_msg_destroy (&msg);
    s_request (thread, gw_broker_corr_id (0, 20), 0);
    s_request (thread, gw_broker_corr_id (0, 21), 0);
    s_take (one, 1, a);
    assert (a [0] == gw_broker_corr_id (0, 20));
    s_expect_error (thread, gw_broker_corr_id (0, 21), 503, "no_available_worker");
    s_expect_nothing (three, 50);
    s_reply (one, OA_MSG_RELAY_END, a [0]);
    msg = s_expect (thread, OA_MSG_RELAY_END, a [0]);
    oa_msg_destroy (&msg);

    //  Capacity back: load follows credit again (3 then 1 after "one" is full)
    credit = oa_msg_new (OA_MSG_WORKER_CREDIT);
    oa_msg_set_credit (credit, 3);
    s_send (three, &credit);
    zclock_sleep (50);
    for (uint64_t n = 30; n < 34; n++)
        s_request (thread, gw_broker_corr_id (1, n), 0);
    s_take (one, 1, a);
    s_take (three, 3, b);
    s_reply (one, OA_MSG_RELAY_END, a [0]);
    for (int i = 0; i < 3; i++)
        s_reply (three, OA_MSG_RELAY_END, b [i]);
    for (int i = 0; i < 4; i++) {
        msg = s_expect (thread, OA_MSG_RELAY_END, 0);
        oa_msg_destroy (&msg);
    }
    assert (s_ask_number (broker, "INFLIGHT") == 0);

    //  Deadline: 504 to the thread, cancel to the worker; its late END is dropped.
    //  "three" takes nothing for now, so the request goes to "one".
    credit = oa_msg_new (OA_MSG_WORKER_CREDIT);
    oa_msg_set_credit (credit, 0);
    s_send (three, &credit);
    zclock_sleep (50);
    int64_t sent = oa_clock_mono_ms ();
    s_request (thread, gw_broker_corr_id (0, 40), oa_clock_ms () + 300);
    s_take (one, 1, a);
    s_expect_error (thread, a [0], 504, "request_timeout");
    int64_t took = oa_clock_mono_ms () - sent;
    assert (took >= 250 && took < 700);
    msg = s_expect (one, OA_MSG_RELAY_CANCEL, a [0]);
    oa_msg_destroy (&msg);
    assert (s_ask_number (broker, "INFLIGHT") == 1);    //  the slot until the worker ends
    credit = oa_msg_new (OA_MSG_WORKER_CREDIT);
    oa_msg_set_credit (credit, 3);
    s_send (three, &credit);
    zclock_sleep (50);
    s_request (thread, gw_broker_corr_id (0, 41), 0);   //  "one" is still full: to "three"
    s_take (three, 1, b);
    s_reply (one, OA_MSG_RELAY_END, a [0]);
    s_reply (three, OA_MSG_RELAY_END, b [0]);
    msg = s_expect (thread, OA_MSG_RELAY_END, b [0]);
    oa_msg_destroy (&msg);
    s_expect_nothing (thread, 50);
    assert (s_ask_number (broker, "INFLIGHT") == 0);
    //  A request already past its deadline is refused at once
    s_request (thread, gw_broker_corr_id (0, 42), oa_clock_ms () - 1);
    s_expect_error (thread, gw_broker_corr_id (0, 42), 504, "request_timeout");

    zsock_destroy (&one);
    zsock_destroy (&three);
}


//  --------------------------------------------------------------------------
//  Worker death, re-dispatch, restart

static void
s_test_death (zactor_t *broker, const char *backend, zsock_t *thread)
{
    //  The previous test's workers closed: the next heartbeat finds them gone
    s_wait_workers (broker, 0);
    zsock_t *silent = s_worker (backend, "worker-silent", 5);
    zsock_t *alive = s_worker (backend, "worker-alive", 5);
    s_wait_workers (broker, 2);
    for (uint64_t n = 1; n <= 4; n++)
        s_request (thread, gw_broker_corr_id (2, n), 0);
    uint64_t lost [2], kept [2];
    s_take (silent, 2, lost);
    s_take (alive, 2, kept);
    //  One of the silent worker's requests has started answering
    s_reply (silent, OA_MSG_RELAY_HEAD, lost [0]);
    int64_t last_word = oa_clock_mono_ms ();
    oa_msg_t *msg = s_expect (thread, OA_MSG_RELAY_HEAD, lost [0]);
    oa_msg_destroy (&msg);

    //  "alive" keeps beating; "silent" says nothing more
    int beats = 0;
    oa_msg_t *moved = NULL;
    while (!moved && oa_clock_mono_ms () - last_word < 4500) {
        s_heartbeat (alive);
        moved = s_recv (alive, 300, &beats);
    }
    int64_t after = oa_clock_mono_ms () - last_word;
    assert (moved);
    assert (oa_msg_id (moved) == OA_MSG_RELAY_REQUEST);
    assert (oa_msg_corr_id (moved) == lost [1]);                //  same corr_id
    assert (zframe_size (oa_msg_payload (moved)) == 11);        //  same body
    oa_msg_destroy (&moved);
    assert (after >= 2900 && after <= 3700);
    assert (beats >= 2);                                        //  gateway beats arrive
    s_expect_error (thread, lost [0], 502, "relay_worker_lost");
    assert (s_ask_number (broker, "WORKERS") == 1);
    assert (s_stat (broker, "worker_deaths") >= 1);
    assert (s_stat (broker, "redispatched") == 1);
    //  The dead worker's late reply is dropped
    s_reply (silent, OA_MSG_RELAY_END, lost [1]);
    s_expect_nothing (thread, 50);
    assert (s_ask_number (broker, "INFLIGHT") == 3);

    //  "alive" restarts: new connection, same worker_id.  Its unanswered
    //  requests move to the new connection, which is used from then on.
    zsock_t *restarted = s_worker (backend, "worker-alive", 5);
    uint64_t again [3];
    s_take (restarted, 3, again);
    uint64_t sum = again [0] + again [1] + again [2];
    assert (sum == kept [0] + kept [1] + lost [1]);
    assert (s_ask_number (broker, "WORKERS") == 1);
    s_request (thread, gw_broker_corr_id (2, 9), 0);
    uint64_t fresh [1];
    s_take (restarted, 1, fresh);
    for (int i = 0; i < 3; i++)
        s_reply (restarted, OA_MSG_RELAY_END, again [i]);
    s_reply (restarted, OA_MSG_RELAY_END, fresh [0]);
    for (int i = 0; i < 4; i++) {
        msg = s_expect (thread, OA_MSG_RELAY_END, 0);
        oa_msg_destroy (&msg);
    }
    assert (s_ask_number (broker, "INFLIGHT") == 0);
    zsock_destroy (&silent);
    zsock_destroy (&alive);

    //  DRAIN: new requests refused, DRAINED once the last one ends
    s_request (thread, gw_broker_corr_id (2, 10), 0);
    s_take (restarted, 1, fresh);
    zstr_send (broker, OA_ACTOR_DRAIN);
    assert (s_ask_number (broker, "INFLIGHT") == 1);    //  DRAIN is in effect
    s_request (thread, gw_broker_corr_id (2, 11), 0);
    s_expect_error (thread, gw_broker_corr_id (2, 11), 503, "gateway_draining");
    zsock_set_rcvtimeo (broker, 100);
    char *drained = zstr_recv (broker);
    assert (!drained);
    zsock_set_rcvtimeo (broker, -1);
    s_reply (restarted, OA_MSG_RELAY_DATA, fresh [0]);
    s_reply (restarted, OA_MSG_RELAY_END, fresh [0]);
    drained = zstr_recv (broker);
    assert (drained && streq (drained, OA_ACTOR_DRAINED));
    zstr_free (&drained);
    msg = s_expect (thread, OA_MSG_RELAY_DATA, fresh [0]);
    oa_msg_destroy (&msg);
    msg = s_expect (thread, OA_MSG_RELAY_END, fresh [0]);
    oa_msg_destroy (&msg);
    zsock_destroy (&restarted);
}


//  --------------------------------------------------------------------------
//  tcp, with and without CURVE

static void
s_set (char **field, const char *value)
{
    free (*field);
    *field = strdup (value);
}

static void
s_test_tcp (oa_config_t *config, bool curve, bool verbose)
{
    char server_public [41], server_secret [41], good_public [41], good_secret [41];
    char bad_public [41], bad_secret [41];
    if (curve) {
        int rc = zmq_curve_keypair (server_public, server_secret);
        assert (rc == 0);
        zmq_curve_keypair (good_public, good_secret);
        zmq_curve_keypair (bad_public, bad_secret);
        s_set (&config->curve_secret_key, server_secret);
        s_set (&config->curve_public_key, server_public);
        char allowed [128];
        snprintf (allowed, sizeof allowed, "%s, %s", good_public, server_public);
        s_set (&config->curve_allowed_keys, allowed);
    }
    //  inproc endpoints are released asynchronously: one name per broker
    const char *frontend = curve? "inproc://gw-broker-test-front-curve"
                                : "inproc://gw-broker-test-front-tcp";
    gw_broker_args_t args = { config, frontend, "tcp://127.0.0.1:*", "gw-broker-test", 0, 0 };
    zactor_t *broker = zactor_new (gw_broker_actor, &args);
    assert (broker);
    char *endpoint = s_ask (broker, "ENDPOINT");
    assert (endpoint && strneq (endpoint, "tcp://127.0.0.1:*")
            && strncmp (endpoint, "tcp://127.0.0.1:", 16) == 0);
    if (verbose)
        printf ("   tcp%s on %s\n", curve? " + CURVE": "", endpoint);
    zsock_t *thread = s_dealer (frontend);

    zsock_t *good = zsock_new (ZMQ_DEALER);
    zsock_set_linger (good, 0);
    zsock_t *bad = NULL;
    if (curve) {
        zsock_set_curve_serverkey (good, server_public);
        zsock_set_curve_publickey (good, good_public);
        zsock_set_curve_secretkey (good, good_secret);
        bad = zsock_new (ZMQ_DEALER);
        zsock_set_linger (bad, 0);
        zsock_set_curve_serverkey (bad, server_public);
        zsock_set_curve_publickey (bad, bad_public);
        zsock_set_curve_secretkey (bad, bad_secret);
        zsock_connect (bad, "%s", endpoint);
        oa_msg_t *ready = oa_msg_new (OA_MSG_WORKER_READY);
        oa_msg_set_worker_id (ready, "intruder");
        oa_msg_set_capacity (ready, 100);
        oa_msg_send (ready, bad, OA_MSG_DONTWAIT);
        oa_msg_destroy (&ready);
    }
    zsock_connect (good, "%s", endpoint);
    oa_msg_t *ready = oa_msg_new (OA_MSG_WORKER_READY);
    oa_msg_set_worker_id (ready, "tcp-worker");
    oa_msg_set_capacity (ready, 2);
    s_send (good, &ready);
    s_wait_workers (broker, 1);

    //  A request with a large body goes over tcp and back
    oa_msg_t *request = oa_msg_sample (OA_MSG_RELAY_REQUEST);
    oa_msg_set_corr_id (request, gw_broker_corr_id (3, 1));
    oa_msg_set_deadline (request, 0);           //  the sample's is long past
    size_t size = 1 << 20;
    char *body = (char *) malloc (size);
    memset (body, 'x', size);
    oa_msg_set_payload_bytes (request, body, size);
    free (body);
    s_send (thread, &request);
    oa_msg_t *msg = s_expect (good, OA_MSG_RELAY_REQUEST, gw_broker_corr_id (3, 1));
    assert (zframe_size (oa_msg_payload (msg)) == size);
    oa_msg_destroy (&msg);
    s_reply (good, OA_MSG_RELAY_DATA, gw_broker_corr_id (3, 1));
    s_reply (good, OA_MSG_RELAY_END, gw_broker_corr_id (3, 1));
    msg = s_expect (thread, OA_MSG_RELAY_DATA, gw_broker_corr_id (3, 1));
    oa_msg_destroy (&msg);
    msg = s_expect (thread, OA_MSG_RELAY_END, gw_broker_corr_id (3, 1));
    oa_msg_destroy (&msg);

    if (curve) {
        //  The unknown key never got in
        zclock_sleep (200);
        assert (s_ask_number (broker, "WORKERS") == 1);
        assert (s_stat (broker, "zap_denied") >= 1);
        assert (s_stat (broker, "zap_accepted") >= 1);
        zsock_destroy (&bad);
    }
    zsock_destroy (&good);
    zsock_destroy (&thread);
    zstr_free (&endpoint);
    zactor_destroy (&broker);
    if (curve) {
        //  CURVE on with an empty allow-list: the broker refuses to start
        s_set (&config->curve_allowed_keys, "");
        oa_supervisor_t *supervisor = oa_supervisor_new ();
        assert (oa_supervisor_start (supervisor, "broker", gw_broker_actor, &args) == -1);
        s_set (&config->curve_allowed_keys, "not-a-key");
        assert (oa_supervisor_start (supervisor, "broker", gw_broker_actor, &args) == -1);
        oa_supervisor_destroy (&supervisor);
        s_set (&config->curve_secret_key, "");
        s_set (&config->curve_public_key, "");
    }
}


//  --------------------------------------------------------------------------

void
oa_gw_broker_test (bool verbose)
{
    printf (" * gw_broker: ");
    if (verbose)
        printf ("\n");
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    s_set (&config->curve_secret_key, "");
    s_set (&config->curve_public_key, "");
    s_set (&config->curve_allowed_keys, "");

    //  corr_id rule
    assert (gw_broker_corr_id (0, 1) == 1);
    assert (gw_broker_corr_id (3, 5) == ((UINT64_C (3) << 48) | 5));
    assert (gw_broker_corr_id (1, UINT64_C (1) << 48) == UINT64_C (1) << 48);

    //  Missing endpoints: start fails cleanly
    gw_broker_args_t bad = { config, NULL, NULL, NULL, 0, 0 };
    oa_supervisor_t *supervisor = oa_supervisor_new ();
    assert (oa_supervisor_start (supervisor, "broker", gw_broker_actor, &bad) == -1);
    oa_supervisor_destroy (&supervisor);

    const char *backend = "inproc://gw-broker-test-back";
    gw_broker_args_t args = { config, "inproc://gw-broker-test-front", backend, NULL, 0, 0 };
    zactor_t *broker = zactor_new (gw_broker_actor, &args);
    assert (broker);
    zsock_t *thread = s_dealer ("inproc://gw-broker-test-front");
    s_test_dispatch (broker, backend, thread);
    if (verbose)
        printf ("   dispatch, credit, cancel, deadline: OK\n");
    s_test_death (broker, backend, thread);
    if (verbose)
        printf ("   death, re-dispatch, restart, drain: OK\n");
    zsock_destroy (&thread);
    zactor_destroy (&broker);

    s_test_tcp (config, false, verbose);
    if (zmq_has ("curve"))
        s_test_tcp (config, true, verbose);
    oa_config_destroy (&config);
    printf ("OK\n");
}
