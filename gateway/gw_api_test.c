/*  =========================================================================
    gw_api_test - /api forwarding against a test ROUTER playing the API actor

    A gateway (two loops, relay on with a ledger nobody answers) whose API
    endpoint is a tcp port: first with nothing bound (503 at once, as
    ZMQ_IMMEDIATE refuses), then with the test's ROUTER: the API_REQUEST's
    fields (method, path, query, client ip, forwarded headers, body byte for
    byte), the API_REPLY back to the client (status, content type,
    set-cookie, binary body byte for byte), /api/status kept local, a
    deadline 504, a client that goes away, CT's limit on login, 413.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gw_api.h"
#include "gw_ratelimit.h"
#include "gw_testkit.h"
#include "oa_msg.h"

static zsock_t *s_api;              //  the test's API actor ROUTER

static oa_msg_t *
s_api_recv (int timeout_ms)
{
    zsock_set_rcvtimeo (s_api, timeout_ms);
    int err = 0;
    return oa_msg_recv (zsock_resolve (s_api), 0, &err);
}

static void
s_api_reply (oa_msg_t *request, int status, const char *content_type, const char *cookie,
             const void *body, size_t len)
{
    oa_msg_t *reply = oa_msg_new_reply (request, OA_MSG_API_REPLY);
    oa_msg_set_status (reply, (uint16_t) status);
    if (content_type)
        oa_msg_set_content_type (reply, content_type);
    if (cookie)
        oa_msg_headers_insert (reply, "set-cookie", cookie);
    if (body)
        oa_msg_set_payload_bytes (reply, body, len);
    int rc = oa_msg_send (reply, zsock_resolve (s_api), 0);
    assert (rc == 0);
    oa_msg_destroy (&reply);
}

static void
s_send (gw_test_client_t *client, const void *data, size_t len)
{
    ssize_t sent = write (client->fd, data, len);
    assert (sent == (ssize_t) len);
}

static void
s_test_endpoint_rule (void)
{
    char out [128];
    assert (gw_api_endpoint ("inproc://oneapi-ledger", out, sizeof out) == 0);
    assert (streq (out, "inproc://oneapi-api"));
    assert (gw_api_endpoint ("tcp://127.0.0.1:5556", out, sizeof out) == 0);
    assert (streq (out, "tcp://127.0.0.1:5559"));
    assert (gw_api_endpoint ("tcp://*:7000", out, sizeof out) == 0);
    assert (streq (out, "tcp://*:7003"));
    assert (gw_api_endpoint ("tcp://host:65534", out, sizeof out) == -1);
    assert (gw_api_endpoint ("ipc:///tmp/x", out, sizeof out) == -1 && *out == 0);
    assert (gw_api_endpoint ("tcp://host:", out, sizeof out) == -1);
}

static void
s_test_forward (int port)
{
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    gw_test_client_t *client = gw_test_client_new (port);
    //  A body with every byte value, NUL included
    char body [256];
    for (int i = 0; i < 256; i++)
        body [i] = (char) i;
    char head [512];
    int head_len = snprintf (head, sizeof head,
        "POST /api/user/login?remember=1&x=%%20y HTTP/1.1\r\nHost: t\r\n"
        "Cookie: a=1\r\nCookie: session=abc\r\nUser-Agent: gw-test\r\n"
        "Content-Type: application/octet-stream\r\nX-Other: no\r\n"
        "Content-Length: %zu\r\n\r\n", sizeof body);
    s_send (client, head, (size_t) head_len);
    s_send (client, body, sizeof body);
    oa_msg_t *request = s_api_recv (5000);
    assert (request);
    assert (oa_msg_id (request) == OA_MSG_API_REQUEST);
    assert (oa_msg_corr_id (request) != 0);
    assert (oa_msg_deadline (request) > 0);
    assert (streq (oa_msg_method (request), "POST"));
    assert (streq (oa_msg_path (request), "/api/user/login"));
    assert (streq (oa_msg_query (request), "remember=1&x=%20y"));
    assert (streq (oa_msg_client_ip (request), "127.0.0.1"));
    assert (strlen (oa_msg_request_id (request)) >= 22);
    zhash_t *headers = oa_msg_headers (request);
    assert (headers && zhash_size (headers) == 3);
    assert (streq (zhash_lookup (headers, "cookie"), "a=1; session=abc"));
    assert (streq (zhash_lookup (headers, "user-agent"), "gw-test"));
    assert (streq (zhash_lookup (headers, "content-type"), "application/octet-stream"));
    zframe_t *payload = oa_msg_payload (request);
    assert (payload && zframe_size (payload) == sizeof body);
    assert (memcmp (zframe_data (payload), body, sizeof body) == 0);
    //  The reply goes back as it is, binary body included
    s_api_reply (request, 201, "application/x-test", "session=new; Path=/; HttpOnly", body,
                 sizeof body);
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    assert (response->status == 201);
    gw_test_assert_common (response);
    char value [256];
    assert (gw_test_header (response->head, "content-type", value, sizeof value));
    assert (streq (value, "application/x-test"));
    assert (strstr (response->head, "\r\nSet-Cookie: session=new; Path=/; HttpOnly\r\n"));
    assert (response->body_len == sizeof body);
    assert (memcmp (response->body, body, sizeof body) == 0);

    //  Any method, an empty body, the public cost route: forwarded too
    const char *cost = "DELETE /api/cost/request/abc123 HTTP/1.1\r\nHost: t\r\n"
                       "Authorization: Bearer xyz\r\n\r\n";
    s_send (client, cost, strlen (cost));
    request = s_api_recv (5000);
    assert (request);
    assert (streq (oa_msg_method (request), "DELETE"));
    assert (streq (oa_msg_path (request), "/api/cost/request/abc123"));
    assert (streq (oa_msg_query (request), ""));
    assert (streq (oa_msg_headers_lookup (request, "authorization"), "Bearer xyz"));
    assert (!oa_msg_payload (request) || zframe_size (oa_msg_payload (request)) == 0);
    s_api_reply (request, 404, "application/json; charset=utf-8", NULL,
                 "{\"success\":false}", 17);
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    assert (response->status == 404);
    assert (streq (response->body, "{\"success\":false}"));
    gw_test_client_destroy (&client);
    free (response);
}

static void
s_test_failures (int port, oa_gateway_t *gateway)
{
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    gw_test_client_t *client = gw_test_client_new (port);
    //  /api/status stays local: nothing reaches the API actor
    gw_test_request (client, "GET /api/status HTTP/1.1\r\nHost: t\r\n\r\n", response);
    assert (response->status == 200);
    assert (strstr (response->body, "\"success\":true"));
    oa_msg_t *request = s_api_recv (100);
    assert (!request);

    //  No reply in time: 504 in one-api's envelope
    int64_t start = zclock_mono ();
    gw_test_request (client, "GET /api/user/self HTTP/1.1\r\nHost: t\r\n\r\n", response);
    assert (response->status == 504);
    assert (zclock_mono () - start >= gateway->api_timeout_ms - 50);
    assert (streq (response->body, "{\"message\":\"the management API did not answer in time, "
                                   "please retry later\",\"success\":false}"));
    request = s_api_recv (1000);
    assert (request);               //  the late reply is dropped
    s_api_reply (request, 200, "application/json", NULL, "{}", 2);
    oa_msg_destroy (&request);

    //  The client goes away: its entry goes with it; a late reply is dropped
    gw_test_client_t *quitter = gw_test_client_new (port);
    const char *self_request = "GET /api/user/self HTTP/1.1\r\nHost: t\r\n\r\n";
    s_send (quitter, self_request, strlen (self_request));
    request = s_api_recv (5000);
    assert (request);
    gw_test_client_destroy (&quitter);
    int64_t deadline = zclock_mono () + 2000;
    while (oa_gateway_inflight (gateway) > 0 && zclock_mono () < deadline)
        zclock_sleep (10);
    assert (oa_gateway_inflight (gateway) == 0);
    s_api_reply (request, 200, "application/json", NULL, "{}", 2);
    oa_msg_destroy (&request);

    //  A body over ONEAPI_MAX_BODY_BYTES: 413 before any forwarding
    char big [2200];
    int len = snprintf (big, sizeof big, "POST /api/token/ HTTP/1.1\r\nHost: t\r\n"
                        "Content-Type: application/json\r\nContent-Length: 2000\r\n\r\n");
    memset (big + len, 'x', 2000);
    s_send (client, big, (size_t) len + 2000);
    gw_test_read_response (client, response);
    assert (response->status == 413);
    assert (strstr (response->body, "\"success\":false"));
    gw_test_client_destroy (&client);

    //  CT on login (limit 2): s_test_forward's login counted, so one more
    //  reaches the API actor and the next is refused
    for (int i = 0; i < 2; i++) {
        client = gw_test_client_new (port);
        const char *login = "POST /api/user/login HTTP/1.1\r\nHost: t\r\n"
                            "Content-Length: 2\r\n\r\n{}";
        s_send (client, login, strlen (login));
        if (i < 1) {
            request = s_api_recv (5000);
            assert (request);
            s_api_reply (request, 200, "application/json", NULL, "{\"success\":true}", 16);
            oa_msg_destroy (&request);
        }
        gw_test_read_response (client, response);
        assert (response->status == (i < 1? 200: 429));
        gw_test_client_destroy (&client);
    }
    assert (!s_api_recv (100));
    free (response);
}

void
oa_gw_api_test (bool verbose)
{
    printf (" * gw_api: ");
    s_test_endpoint_rule ();
    oa_config_t *config = gw_test_config ();
    free (config->ledger_endpoint);
    config->ledger_endpoint = strdup ("inproc://gw-api-test-ledger");
    free (config->ledger_pub_endpoint);
    config->ledger_pub_endpoint = strdup ("inproc://gw-api-test-changes");
    oa_gateway_t *gateway = oa_gateway_new (config);
    assert (gateway->relay);
    assert (streq (gateway->api_endpoint, "inproc://oneapi-api"));
    //  tcp, so that "nothing bound" is refused at once (ZMQ_IMMEDIATE)
    //  A port below the kernel's ephemeral range (32768+): free now, and no
    //  outgoing connection (the loops' own reconnects included) can take it
    //  or connect to itself on it before the API socket binds it below
    zsock_t *probe = zsock_new (ZMQ_ROUTER);
    int api_port = -1;
    for (int tries = 0; tries < 200 && api_port < 0; tries++)
        api_port = zsock_bind (probe, "tcp://127.0.0.1:%d", 20000 + (int) randof (12000));
    assert (api_port > 0);
    zsock_destroy (&probe);
    snprintf (gateway->api_endpoint, sizeof gateway->api_endpoint, "tcp://127.0.0.1:%d", api_port);
    gateway->api_timeout_ms = 300;
    gw_ratelimit_set_rule (gateway->limiter, GW_RATELIMIT_CRITICAL, 2, 1200);
    char err [256];
    int rc = oa_gateway_start (gateway, err, sizeof err);
    assert (rc == 0);
    int port = oa_gateway_port (gateway);
    if (verbose)
        printf ("\ngateway on %d, API actor on %s\n", port, gateway->api_endpoint);

    //  Nobody there: 503 in one-api's envelope, at once
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    gw_test_client_t *client = gw_test_client_new (port);
    gw_test_request (client, "GET /api/user/self HTTP/1.1\r\nHost: t\r\n\r\n", response);
    assert (response->status == 503);
    gw_test_assert_common (response);
    assert (streq (response->body, "{\"message\":\"the management API is not reachable right "
                                   "now, please retry later\",\"success\":false}"));
    gw_test_client_destroy (&client);
    free (response);

    s_api = zsock_new (ZMQ_ROUTER);
    rc = zsock_bind (s_api, "tcp://127.0.0.1:%d", api_port);
    assert (rc == api_port);
    zclock_sleep (400);             //  the loops' DEALERs reconnect (100 ms interval)
    s_test_forward (port);
    s_test_failures (port, gateway);

    oa_gateway_destroy (&gateway);
    zsock_destroy (&s_api);
    oa_config_destroy (&config);
    printf ("OK\n");
}
