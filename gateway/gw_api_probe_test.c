/*  =========================================================================
    gw_api_probe_test - channel tests at the gateway, against the test
    ledger (gw_relay_testkit: channels 1..3 enabled, then 2 disabled by a
    CHANGE), and the test thread playing the API actor and the broker

    One channel: the test of a disabled channel goes to the broker pinned
    to it, while a relay key pinning it is refused; the outcome goes back
    to the API actor with the client's credentials, and its answer to the
    client.  A client that goes away cancels the relay; a test that takes
    too long answers 504 and cancels the relay.  A sweep answers at once,
    tests one channel after the other, reports an unknown channel without
    a relay, a relay over time as a failure, moves on when a report is not
    taken, and frees itself after the last channel; a gateway stopped in
    the middle of a sweep frees it too (ASan's leak check).
    =========================================================================
*/
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gw_api.h"
#include "gw_api_probe.h"
#include "gw_relay_testkit.h"
#include "oa_msg.h"

#define S_API_TIMEOUT_MS 800        //  the gateway's API deadline here

static zsock_t *s_api;              //  the test's API actor ROUTER
static zsock_t *s_broker;           //  the test's broker ROUTER

static oa_msg_t *
s_recv (zsock_t *sock, int timeout_ms)
{
    zsock_set_rcvtimeo (sock, timeout_ms);
    int err = 0;
    return oa_msg_recv (zsock_resolve (sock), 0, &err);
}

//  The next message the gateway sent to the broker, skipping nothing.
static oa_msg_t *
s_broker_expect (int id, int timeout_ms)
{
    oa_msg_t *msg = s_recv (s_broker, timeout_ms);
    assert (msg);
    if (oa_msg_id (msg) != id)
        fprintf (stderr, "broker got %s, want %d\n", oa_msg_command (msg), id);
    assert (oa_msg_id (msg) == id);
    return msg;
}

static void
s_api_reply (oa_msg_t *request, const char *probe, const char *body)
{
    oa_msg_t *reply = oa_msg_new_reply (request, OA_MSG_API_REPLY);
    oa_msg_set_status (reply, 200);
    oa_msg_set_content_type (reply, "application/json; charset=utf-8");
    if (probe)
        oa_msg_headers_insert (reply, "x-oneapi-probe", probe);
    oa_msg_set_payload_bytes (reply, body, strlen (body));
    int rc = oa_msg_send (reply, zsock_resolve (s_api), 0);
    assert (rc == 0);
    oa_msg_destroy (&reply);
}

static void
s_broker_reply (oa_msg_t *request, int id, int status, const char *body)
{
    oa_msg_t *reply = oa_msg_new_reply (request, id);
    oa_msg_set_status (reply, (uint16_t) status);
    if (body)
        oa_msg_set_payload_bytes (reply, body, strlen (body));
    int rc = oa_msg_send (reply, zsock_resolve (s_broker), 0);
    assert (rc == 0);
    oa_msg_destroy (&reply);
}

//  A relay answer with content.
static void
s_broker_answer (oa_msg_t *request)
{
    s_broker_reply (request, OA_MSG_RELAY_HEAD, 200, NULL);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0,
                    "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"4\"}}]}");
    s_broker_reply (request, OA_MSG_RELAY_END, 200, NULL);
}

static const char *s_test_request =
    "{\"model\":\"gpt-4o\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
    "\"2 + 2 = ?\"}]}";

//  Sends a channel test's request; returns the API_REQUEST the API got.
static oa_msg_t *
s_start (gw_test_client_t *client, const char *path)
{
    gw_relay_test_send (client, "GET", path, "Cookie: session=s1\r\n", NULL, NULL);
    oa_msg_t *request = s_recv (s_api, 5000);
    assert (request && oa_msg_id (request) == OA_MSG_API_REQUEST);
    assert (streq (oa_msg_path (request), path));
    return request;
}

//  The gateway's report of a test; the result object is returned.
static json_t *
s_expect_report (oa_msg_t **report_p, int64_t channel_id, bool sweep)
{
    oa_msg_t *report = s_recv (s_api, 5000);
    assert (report && oa_msg_id (report) == OA_MSG_API_REQUEST);
    const char *probe = oa_msg_headers_lookup (report, "x-oneapi-probe");
    assert (probe && streq (probe, "result"));
    assert (streq (oa_msg_headers_lookup (report, "cookie"), "session=s1"));
    char path [64];
    snprintf (path, sizeof path, "/api/channel/test/%" PRId64, channel_id);
    assert (streq (oa_msg_path (report), path));
    zframe_t *payload = oa_msg_payload (report);
    assert (payload);
    json_error_t error;
    json_t *result = json_loadb ((const char *) zframe_data (payload), zframe_size (payload), 0,
                                 &error);
    assert (result);
    assert (json_integer_value (json_object_get (result, "channel_id")) == channel_id);
    assert (json_is_true (json_object_get (result, "sweep")) == sweep);
    *report_p = report;
    return result;
}

static void
s_wait_no_jobs (void)
{
    int64_t deadline = zclock_mono () + 3000;
    while (gw_api_probe_jobs () > 0 && zclock_mono () < deadline)
        zclock_sleep (10);
    assert (gw_api_probe_jobs () == 0);
}

static void
s_test_single (int port)
{
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    //  A relay key pinning the disabled channel 2 is refused ...
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "Authorization: Bearer sk-rootKey0000000000000-2\r\n",
                           "{\"model\":\"gpt-4o\",\"messages\":[]}", response);
    assert (response->status == 403);
    assert (strstr (response->body, "The channel has been disabled"));

    //  ... while its test reaches it, pinned, with no token.
    gw_test_client_t *client = gw_test_client_new (port);
    oa_msg_t *request = s_start (client, "/api/channel/test/2");
    s_api_reply (request, "2", s_test_request);
    oa_msg_destroy (&request);
    oa_msg_t *relay = s_broker_expect (OA_MSG_RELAY_REQUEST, 5000);
    assert (oa_msg_pinned (relay));
    assert (oa_msg_token_id (relay) == 0);
    assert (oa_msg_candidates_size (relay) == 1);
    assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (relay, 0)) == 2);
    zframe_t *payload = oa_msg_payload (relay);
    assert (payload && zframe_size (payload) == strlen (s_test_request));
    s_broker_answer (relay);
    oa_msg_destroy (&relay);
    oa_msg_t *report = NULL;
    json_t *result = s_expect_report (&report, 2, false);
    assert (json_integer_value (json_object_get (result, "status")) == 200);
    assert (strstr (json_string_value (json_object_get (result, "body")), "\"content\":\"4\""));
    assert (streq (json_string_value (json_object_get (result, "error")), ""));
    json_decref (result);
    s_api_reply (report, NULL, "{\"success\":true,\"message\":\"4\",\"time\":0.01}");
    oa_msg_destroy (&report);
    gw_test_read_response (client, response);
    assert (response->status == 200);
    assert (streq (response->body, "{\"success\":true,\"message\":\"4\",\"time\":0.01}"));

    //  The client goes away during the relay: the relay is cancelled.
    gw_test_client_t *quitter = gw_test_client_new (port);
    request = s_start (quitter, "/api/channel/test/1");
    s_api_reply (request, "1", s_test_request);
    oa_msg_destroy (&request);
    relay = s_broker_expect (OA_MSG_RELAY_REQUEST, 5000);
    assert (gw_api_probe_jobs () == 1);
    gw_test_client_destroy (&quitter);
    oa_msg_t *cancel = s_broker_expect (OA_MSG_RELAY_CANCEL, 5000);
    assert (oa_msg_corr_id (cancel) == oa_msg_corr_id (relay));
    oa_msg_destroy (&cancel);
    s_wait_no_jobs ();
    s_broker_answer (relay);        //  too late: dropped
    oa_msg_destroy (&relay);
    assert (!s_recv (s_api, 200));  //  nothing reported

    //  No answer in time: 504, the relay cancelled, nothing reported.
    int64_t start = zclock_mono ();
    request = s_start (client, "/api/channel/test/1");
    s_api_reply (request, "1", s_test_request);
    oa_msg_destroy (&request);
    relay = s_broker_expect (OA_MSG_RELAY_REQUEST, 5000);
    gw_test_read_response (client, response);
    assert (response->status == 504);
    assert (zclock_mono () - start >= S_API_TIMEOUT_MS - 50);
    assert (strstr (response->body, "the channel test did not finish in time"));
    cancel = s_broker_expect (OA_MSG_RELAY_CANCEL, 5000);
    assert (oa_msg_corr_id (cancel) == oa_msg_corr_id (relay));
    oa_msg_destroy (&cancel);
    oa_msg_destroy (&relay);
    s_wait_no_jobs ();
    assert (!s_recv (s_api, 200));

    //  An instruction the gateway cannot use: 502, nothing relayed.
    request = s_start (client, "/api/channel/test/1");
    s_api_reply (request, "1", "{\"max_tokens\":5}");
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    assert (response->status == 502);
    assert (!s_recv (s_broker, 200));
    gw_test_client_destroy (&client);
    free (response);
}

static void
s_test_sweep (int port)
{
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    gw_test_client_t *client = gw_test_client_new (port);
    oa_msg_t *request = s_start (client, "/api/channel/test");
    char *body = zsys_sprintf ("{\"channels\":[{\"id\":1,\"request\":%s},{\"id\":2,\"request\":%s},"
                               "{\"id\":99,\"request\":%s}]}", s_test_request, s_test_request,
                               s_test_request);
    s_api_reply (request, "all", body);
    zstr_free (&body);
    oa_msg_destroy (&request);
    //  The client has its answer before any test ends.
    gw_test_read_response (client, response);
    assert (response->status == 200);
    assert (streq (response->body, "{\"message\":\"\",\"success\":true}"));
    gw_test_client_destroy (&client);

    //  Channel 1: answered, reported, and only then channel 2 is sent.
    oa_msg_t *relay = s_broker_expect (OA_MSG_RELAY_REQUEST, 5000);
    assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (relay, 0)) == 1);
    assert (!s_recv (s_broker, 100));
    s_broker_answer (relay);
    oa_msg_destroy (&relay);
    oa_msg_t *report = NULL;
    json_t *result = s_expect_report (&report, 1, true);
    assert (json_integer_value (json_object_get (result, "status")) == 200);
    json_decref (result);
    assert (!s_recv (s_broker, 100));
    s_api_reply (report, NULL, "{\"success\":true}");
    oa_msg_destroy (&report);

    //  Channel 2 (disabled) is relayed; no answer in time: reported as a
    //  failure, the relay cancelled.
    relay = s_broker_expect (OA_MSG_RELAY_REQUEST, 5000);
    assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (relay, 0)) == 2);
    result = s_expect_report (&report, 2, true);
    assert (strstr (json_string_value (json_object_get (result, "error")), "did not finish"));
    json_decref (result);
    oa_msg_t *cancel = s_broker_expect (OA_MSG_RELAY_CANCEL, 5000);
    assert (oa_msg_corr_id (cancel) == oa_msg_corr_id (relay));
    oa_msg_destroy (&cancel);
    oa_msg_destroy (&relay);
    s_api_reply (report, NULL, "{\"success\":false}");
    oa_msg_destroy (&report);

    //  Channel 99 is unknown: reported without a relay; the report is not
    //  taken: the sweep ends at the deadline all the same.
    result = s_expect_report (&report, 99, true);
    assert (streq (json_string_value (json_object_get (result, "error")), "Invalid Channel Id"));
    json_decref (result);
    oa_msg_destroy (&report);
    assert (!s_recv (s_broker, 100));
    assert (gw_api_probe_jobs () == 1);
    zclock_sleep (S_API_TIMEOUT_MS + 200);
    s_wait_no_jobs ();

    //  A sweep the gateway stops in the middle of (gw_api_probe_test's end).
    client = gw_test_client_new (port);
    request = s_start (client, "/api/channel/test");
    body = zsys_sprintf ("{\"channels\":[{\"id\":1,\"request\":%s},{\"id\":3,\"request\":%s}]}",
                         s_test_request, s_test_request);
    s_api_reply (request, "all", body);
    zstr_free (&body);
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    assert (response->status == 200);
    gw_test_client_destroy (&client);
    relay = s_broker_expect (OA_MSG_RELAY_REQUEST, 5000);
    oa_msg_destroy (&relay);
    assert (gw_api_probe_jobs () == 1);
    free (response);
}

void
oa_gw_api_probe_test (bool verbose)
{
    printf (" * gw_api_probe: ");
    oa_config_t *config = gw_test_config ();
    const char *endpoints [] = { "inproc://gw-probe-test-ledger",
                                 "inproc://gw-probe-test-changes" };
    free (config->ledger_endpoint);
    config->ledger_endpoint = strdup (endpoints [0]);
    free (config->ledger_pub_endpoint);
    config->ledger_pub_endpoint = strdup (endpoints [1]);
    oa_gateway_t *gateway = oa_gateway_new (config);
    assert (gateway->relay);
    s_api = zsock_new (ZMQ_ROUTER);
    int api_port = zsock_bind (s_api, "tcp://127.0.0.1:*");
    assert (api_port > 0);
    snprintf (gateway->api_endpoint, sizeof gateway->api_endpoint, "tcp://127.0.0.1:%d",
              api_port);
    s_broker = zsock_new (ZMQ_ROUTER);
    int broker_port = zsock_bind (s_broker, "tcp://127.0.0.1:*");
    assert (broker_port > 0);
    snprintf (gateway->broker_endpoint, sizeof gateway->broker_endpoint, "tcp://127.0.0.1:%d",
              broker_port);
    gateway->api_timeout_ms = S_API_TIMEOUT_MS;
    char err [256];
    int rc = oa_gateway_start (gateway, err, sizeof err);
    assert (rc == 0);
    int port = oa_gateway_port (gateway);
    if (verbose)
        printf ("\ngateway on %d\n", port);
    zactor_t *ledger = zactor_new (gw_relay_test_ledger, endpoints);
    assert (ledger);
    zstr_send (ledger, "START");
    zsock_wait (ledger);
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    int64_t deadline = zclock_mono () + 5000;
    do {
        zclock_sleep (20);
        gw_relay_test_request (port, "GET", "/readyz", NULL, NULL, response);
    } while (response->status != 200 && zclock_mono () < deadline);
    assert (response->status == 200);
    free (response);
    //  Channel 2 disabled by hand.
    zstr_sendx (ledger, "CHANGE", "channels", "1", "2",
                "{\"id\":2,\"type\":1,\"key\":\"k2\",\"status\":2,\"weight\":1,\"priority\":10,"
                "\"base_url\":\"http://up2.example\",\"models\":\"gpt-4o\",\"group\":\"default\"}",
                NULL);
    zsock_wait (ledger);
    zclock_sleep (400);             //  the change applied; DEALERs connected

    s_test_single (port);
    s_test_sweep (port);

    oa_gateway_destroy (&gateway);
    assert (gw_api_probe_jobs () == 0);
    zactor_destroy (&ledger);
    zsock_destroy (&s_api);
    zsock_destroy (&s_broker);
    oa_config_destroy (&config);
    printf ("OK\n");
}
