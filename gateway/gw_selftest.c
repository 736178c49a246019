/*  =========================================================================
    gw_selftest - the gateway's self tests

    Black-box: gateways start on 127.0.0.1, port 0, two loop threads, and
    are driven over loopback with a small blocking HTTP/1.1 client (exact
    headers, keep-alive, pipelining-free) and with the curl CLI for h2c,
    the h2c Upgrade and TLS + ALPN h2.  A test-only route (/test/slow,
    added through gw_test_routes_hook) answers after about a second, to
    hold a request in flight across a DRAIN.
    =========================================================================
*/
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "gw_http.h"
#include "gw_testkit.h"
#include "oa_health.h"
#include "oa_log.h"

//  --------------------------------------------------------------------------
//  Test route: answers "slow" after the one-second timeout of its loop

typedef struct {
    h2o_timeout_entry_t entry;      //  in the loop's one-second bucket
    gw_request_t *request;          //  the request to answer
} s_slow_t;

static atomic_int s_slow_started;

static void
s_slow_fire (h2o_timeout_entry_t *entry)
{
    s_slow_t *slow = H2O_STRUCT_FROM_MEMBER (s_slow_t, entry, entry);
    gw_respond (slow->request->req, 200, "text/plain", "slow", 4);
}

static void
s_slow_dispose (void *data)
{
    s_slow_t *slow = data;
    if (h2o_timeout_is_linked (&slow->entry))
        h2o_timeout_unlink (&slow->entry);
}

static void
s_slow (gw_request_t *request, void *arg)
{
    (void) arg;
    s_slow_t *slow = h2o_mem_alloc_shared (&request->req->pool, sizeof (s_slow_t), s_slow_dispose);
    memset (slow, 0, sizeof (s_slow_t));
    slow->request = request;
    slow->entry.cb = s_slow_fire;
    h2o_context_t *ctx = &request->thread->ctx;
    h2o_timeout_link (ctx->loop, &ctx->one_sec_timeout, &slow->entry);
    atomic_fetch_add (&s_slow_started, 1);
}

static void
s_add_test_routes (oa_gateway_t *gateway)
{
    int rc = gw_router_add (gateway->router, "GET", "/test/slow", s_slow, NULL);
    assert (rc == 0);
}

#define S_GET(path) "GET " path " HTTP/1.1\r\nHost: localhost\r\n\r\n"
#define S_NOT_FOUND(method, path) \
    "{\"error\":{\"message\":\"Invalid URL (" method " " path ")\",\"type\":\"invalid_request_error\"," \
    "\"param\":\"\",\"code\":\"\"}}"

//  --------------------------------------------------------------------------
//  HTTP/1.1: every core route on one keep-alive connection

static void
s_test_http1 (int port)
{
    gw_test_client_t *client = gw_test_client_new (port);
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    char value [256];

    gw_test_request (client, S_GET ("/api/status"), response);
    assert (response->status == 200);
    gw_test_assert_common (response);
    assert (gw_test_header (response->head, "content-type", value, sizeof value));
    assert (streq (value, "application/json; charset=utf-8"));
    long long start_time = gw_test_start_time_of (response->body);
    assert (llabs (start_time - (long long) time (NULL)) < 60);
    char *expected = gw_test_expected_status (start_time);
    assert (streq (response->body, expected));
    free (expected);
    char first_id [64];
    gw_test_header (response->head, "x-oneapi-request-id", first_id, sizeof first_id);

    gw_test_request (client, S_GET ("/healthz"), response);
    assert (response->status == 200);
    gw_test_assert_common (response);
    assert (streq (response->body, "{\"status\":\"ok\"}"));
    gw_test_header (response->head, "x-oneapi-request-id", value, sizeof value);
    assert (!streq (value, first_id));          //  one id per request

    gw_test_request (client, S_GET ("/readyz"), response);
    assert (response->status == 200);
    gw_test_assert_common (response);
    assert (strncmp (response->body, "{\"status\":\"ready\"", 17) == 0);

    //  Not ready: a component down turns /readyz into 503
    oa_health_set ("gw_selftest", OA_HEALTH_DOWN, "testing");
    gw_test_request (client, S_GET ("/readyz"), response);
    assert (response->status == 503);
    assert (strstr (response->body, "\"gw_selftest\":{\"status\":\"not_ready\""));
    oa_health_set ("gw_selftest", OA_HEALTH_DEGRADED, "testing");
    gw_test_request (client, S_GET ("/readyz"), response);
    assert (response->status == 200);
    assert (strncmp (response->body, "{\"status\":\"degraded\"", 20) == 0);
    oa_health_clear ("gw_selftest");

    //  /metrics: bearer token, as one-api
    gw_test_request (client, S_GET ("/metrics"), response);
    assert (response->status == 401);
    gw_test_assert_common (response);
    assert (streq (response->body, "{\"error\":\"invalid metrics token, please check your "
                                   "METRICS_TOKEN configuration\"}"));
    gw_test_request (client, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n\r\n",
               response);
    assert (response->status == 401);
    gw_test_request (client, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n",
               response);
    assert (response->status == 200);
    gw_test_assert_common (response);
    assert (gw_test_header (response->head, "content-type", value, sizeof value));
    assert (streq (value, "text/plain; version=0.0.4; charset=utf-8"));
    if (getenv ("GW_SELFTEST_DUMP"))
        printf ("%s\n", response->body);
    //  The registry is the process's: earlier tests counted too
    assert (strstr (response->body, "oneapi_http_requests_total{route=\"/healthz\","
                                    "method=\"GET\",status=\"200\"} "));
    assert (strstr (response->body, "oneapi_http_request_duration_seconds_bucket{"
                                    "route=\"/api/status\",method=\"GET\",le=\"+Inf\"} "));
    assert (strstr (response->body, "oneapi_http_requests_total{route=\"/readyz\","
                                    "method=\"GET\",status=\"503\"} 1\n"));

    //  Unknown routes: one-api's RelayNotFound, for /v1, /api and the rest
    gw_test_request (client, S_GET ("/v1/nope?x=1"), response);
    assert (response->status == 404);
    gw_test_assert_common (response);
    assert (streq (response->body, S_NOT_FOUND ("GET", "/v1/nope")));
    gw_test_request (client, S_GET ("/api/nope"), response);
    assert (response->status == 404);
    assert (streq (response->body, S_NOT_FOUND ("GET", "/api/nope")));
    gw_test_request (client, "DELETE /api/status HTTP/1.1\r\nHost: x\r\n\r\n", response);
    assert (response->status == 404);
    assert (streq (response->body, S_NOT_FOUND ("DELETE", "/api/status")));
    gw_test_request (client, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n", response);
    //  (HEAD has no route: one-api's gin does not map HEAD to GET either.)
    gw_test_client_destroy (&client);
    free (response);
}

//  --------------------------------------------------------------------------
//  Bodies over ONEAPI_MAX_BODY_BYTES

static void
s_test_body_limit (int port)
{
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    char value [128];
    char *body = malloc (4096);
    memset (body, 'x', 4096);
    char request [8192];

    //  Declared too large: 413 before the body is read, connection closed
    gw_test_client_t *client = gw_test_client_new (port);
    snprintf (request, sizeof request, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
              "Content-Type: application/json\r\nContent-Length: 2048\r\n\r\n");
    gw_test_request (client, request, response);
    assert (response->status == 413);
    gw_test_assert_common (response);
    assert (gw_test_header (response->head, "content-type", value, sizeof value));
    assert (streq (value, "application/json; charset=utf-8"));
    assert (streq (response->body, "{\"error\":{\"message\":\"request body exceeds the configured "
                   "size limit\",\"type\":\"invalid_request_error\",\"param\":\"\","
                   "\"code\":\"request_body_too_large\"}}"));
    assert (gw_test_header (response->head, "connection", value, sizeof value));
    assert (streq (value, "close"));
    gw_test_client_destroy (&client);

    //  Chunked, growing past the limit; management path gets one-api's envelope
    client = gw_test_client_new (port);
    snprintf (request, sizeof request, "POST /api/user/login HTTP/1.1\r\nHost: x\r\n"
              "Transfer-Encoding: chunked\r\n\r\n800\r\n%.*s\r\n", 2048, body);
    gw_test_request (client, request, response);
    assert (response->status == 413);
    gw_test_assert_common (response);
    assert (streq (response->body, "{\"message\":\"request body exceeds the configured size "
                                   "limit\",\"success\":false}"));
    gw_test_client_destroy (&client);

    //  At the limit: accepted (and routed: 404 here)
    client = gw_test_client_new (port);
    snprintf (request, sizeof request, "POST /v1/nothing HTTP/1.1\r\nHost: x\r\n"
              "Content-Length: 1024\r\n\r\n%.*s", 1024, body);
    gw_test_request (client, request, response);
    assert (response->status == 404);
    gw_test_client_destroy (&client);
    free (body);
    free (response);

    //  HTTP/2: h2o 2.2.5 resets the stream (REFUSED_STREAM) instead of 413
    char path [64], args [512];
    snprintf (path, sizeof path, "/tmp/gw_selftest_body_%d", getpid ());
    FILE *file = fopen (path, "w");
    assert (file);
    for (int i = 0; i < 4096; i++)
        fputc ('x', file);
    fclose (file);
    snprintf (args, sizeof args, "--http2-prior-knowledge -o /dev/null -w '%%{http_code}' "
              "--data-binary @%s http://127.0.0.1:%d/v1/chat/completions", path, port);
    int exit_code;
    char *out = gw_test_curl (args, &exit_code);
    assert (exit_code != 0 || !strstr (out, "200"));
    free (out);
    unlink (path);
}

//  --------------------------------------------------------------------------
//  HTTP/2: prior knowledge (several streams, one connection) and Upgrade

static void
s_test_h2c (int port)
{
    //  One curl per URL: curl 7.88.1 breaks prior-knowledge connection
    //  reuse on its side (curl#10634); nghttp checks multiplexing below.
    char args [1024];
    int exit_code;
    snprintf (args, sizeof args, "-i --http2-prior-knowledge http://127.0.0.1:%d/healthz", port);
    char *out = gw_test_curl (args, &exit_code);
    assert (exit_code == 0);
    assert (strncmp (out, "HTTP/2 200", 10) == 0);
    assert (strstr (out, "\r\nserver: oneapi\r\n"));
    assert (strstr (out, "\r\nx-oneapi-request-id: "));
    assert (strstr (out, "\r\ncontent-type: application/json; charset=utf-8\r\n"));
    assert (strstr (out, "\r\ncontent-length: 15\r\n"));
    const char *body = strstr (out, "\r\n\r\n");
    assert (body && streq (body + 4, "{\"status\":\"ok\"}"));
    free (out);

    snprintf (args, sizeof args, "-i --http2-prior-knowledge http://127.0.0.1:%d/api/status", port);
    out = gw_test_curl (args, &exit_code);
    assert (exit_code == 0);
    assert (strncmp (out, "HTTP/2 200", 10) == 0);
    body = strstr (out, "\r\n\r\n") + 4;
    char *expected = gw_test_expected_status (gw_test_start_time_of (body));
    assert (streq (body, expected));
    free (expected);
    free (out);

    snprintf (args, sizeof args, "-i --http2-prior-knowledge http://127.0.0.1:%d/v1/models/x", port);
    out = gw_test_curl (args, &exit_code);
    assert (exit_code == 0);
    assert (strncmp (out, "HTTP/2 404", 10) == 0);
    assert (strstr (out, "\r\nx-oneapi-request-id: "));
    body = strstr (out, "\r\n\r\n") + 4;
    assert (streq (body, S_NOT_FOUND ("GET", "/v1/models/x")));
    free (out);

    //  Three streams on one connection (nghttp always uses one)
    char command [1024];
    snprintf (command, sizeof command, "nghttp -n -s http://127.0.0.1:%d/healthz "
              "http://127.0.0.1:%d/api/status http://127.0.0.1:%d/v1/x 2>&1", port, port, port);
    FILE *pipe = popen (command, "r");
    assert (pipe);
    char line [512];
    int ok = 0, not_found = 0;
    while (fgets (line, sizeof line, pipe)) {
        int id, code;
        if (sscanf (line, " %d %*s %*s %*s %d", &id, &code) == 2) {
            ok += code == 200;
            not_found += code == 404;
        }
    }
    assert (pclose (pipe) == 0);
    assert (ok == 2 && not_found == 1);

    //  Upgrade: h2c from HTTP/1.1
    snprintf (args, sizeof args, "-i --http2 http://127.0.0.1:%d/healthz", port);
    out = gw_test_curl (args, &exit_code);
    assert (exit_code == 0);
    assert (strstr (out, "HTTP/1.1 101"));
    const char *at = strstr (out, "HTTP/2 200");
    assert (at);
    assert (strstr (at, "{\"status\":\"ok\"}"));
    free (out);
}

//  --------------------------------------------------------------------------
//  200 requests in parallel, over both loops

#define S_CLIENTS 10
#define S_REQUESTS_EACH 20

static void *
s_parallel_client (void *args)
{
    int port = *(int *) args;
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    int ok = 0;
    //  Half on one keep-alive connection, half on fresh connections
    gw_test_client_t *keep = gw_test_client_new (port);
    for (int i = 0; i < S_REQUESTS_EACH; i++) {
        if (i % 2 == 0) {
            gw_test_request (keep, S_GET ("/healthz"), response);
        }
        else {
            gw_test_client_t *client = gw_test_client_new (port);
            gw_test_request (client, S_GET ("/healthz"), response);
            gw_test_client_destroy (&client);
        }
        if (response->status == 200 && streq (response->body, "{\"status\":\"ok\"}"))
            ok++;
    }
    gw_test_client_destroy (&keep);
    free (response);
    return (void *) (intptr_t) ok;
}

static void
s_test_parallel (oa_gateway_t *gateway)
{
    int port = oa_gateway_port (gateway);
    pthread_t threads [S_CLIENTS];
    for (int i = 0; i < S_CLIENTS; i++)
        assert (pthread_create (&threads [i], NULL, s_parallel_client, &port) == 0);
    int ok = 0;
    for (int i = 0; i < S_CLIENTS; i++) {
        void *result;
        pthread_join (threads [i], &result);
        ok += (int) (intptr_t) result;
    }
    assert (ok == S_CLIENTS * S_REQUESTS_EACH);
    size_t total = 0;
    for (int i = 0; i < gateway->nthreads; i++)
        total += atomic_load (&gateway->threads [i].accepted);
    assert (total >= S_CLIENTS * (S_REQUESTS_EACH / 2 + 1));
    //  Every loop took a share (the kernel wakes all of them; one wins each)
    for (int i = 0; i < gateway->nthreads; i++)
        assert (atomic_load (&gateway->threads [i].accepted) > 0);
    //  Dispose runs when the response is done: nothing stays in flight
    int64_t deadline = oa_clock_mono_ms () + 2000;
    while (oa_gateway_inflight (gateway) > 0 && oa_clock_mono_ms () < deadline)
        zclock_sleep (5);
    assert (oa_gateway_inflight (gateway) == 0);
}

//  --------------------------------------------------------------------------
//  The actor: STATUS, PORT, DRAIN with a slow request in flight, $TERM

static char *
s_recv_timeout (zactor_t *actor, int timeout_ms)
{
    zpoller_t *poller = zpoller_new (actor, NULL);
    char *reply = zpoller_wait (poller, timeout_ms)? zstr_recv (actor): NULL;
    zpoller_destroy (&poller);
    return reply;
}

static void
s_test_actor (oa_config_t *config, bool verbose)
{
    gw_test_routes_hook = s_add_test_routes;
    zactor_t *actor = zactor_new (oa_gateway_actor, config);
    gw_test_routes_hook = NULL;
    assert (actor);
    zstr_send (actor, "STATUS");
    char *reply = zstr_recv (actor);
    assert (streq (reply, "READY"));
    zstr_free (&reply);
    zstr_send (actor, "PORT");
    reply = zstr_recv (actor);
    int port = atoi (reply);
    assert (port > 0);
    zstr_free (&reply);
    if (verbose)
        printf ("gateway actor on port %d\n", port);

    s_test_http1 (port);
    s_test_body_limit (port);
    s_test_h2c (port);

    //  A slow request in flight, then DRAIN
    atomic_store (&s_slow_started, 0);
    char args [256];
    snprintf (args, sizeof args, "-i http://127.0.0.1:%d/test/slow", port);
    char command [512];
    snprintf (command, sizeof command, "curl -sS -m 20 %s 2>&1", args);
    FILE *slow = popen (command, "r");
    assert (slow);
    int64_t deadline = oa_clock_mono_ms () + 10000;
    while (atomic_load (&s_slow_started) == 0 && oa_clock_mono_ms () < deadline)
        zclock_sleep (5);
    assert (atomic_load (&s_slow_started) == 1);
    //  An idle keep-alive connection open across the drain
    gw_test_client_t *idle = gw_test_client_new (port);
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    gw_test_request (idle, S_GET ("/healthz"), response);
    assert (response->status == 200);

    int64_t drain_at = oa_clock_mono_ms ();
    zstr_send (actor, "DRAIN");
    //  New connections are refused as soon as every loop closed its dup.
    //  Until then a connect may succeed, or fail otherwise (a reset while
    //  the last dup closes); only a refusal ends the wait.  The bound is
    //  generous because sanitizer builds share two cores with other tests.
    int fd = -1;
    int refused = 0;
    deadline = oa_clock_mono_ms () + 5000;
    while (!refused && oa_clock_mono_ms () < deadline) {
        fd = gw_test_connect (port);
        if (fd >= 0)
            close (fd);
        else
        if (errno == ECONNREFUSED)
            refused = 1;
        if (!refused)
            zclock_sleep (5);
    }
    assert (refused);
    zstr_send (actor, "STATUS");
    reply = s_recv_timeout (actor, 5000);
    assert (reply && streq (reply, "DRAINING"));
    zstr_free (&reply);
    //  /readyz on a kept-alive connection says not ready while draining
    gw_test_request (idle, S_GET ("/readyz"), response);
    assert (response->status == 503);
    assert (strstr (response->body, "\"gateway\":{\"status\":\"not_ready\",\"reason\":\"draining\"}"));
    char value [64];
    assert (gw_test_header (response->head, "connection", value, sizeof value) && streq (value, "close"));

    reply = s_recv_timeout (actor, 15000);
    assert (reply && streq (reply, "DRAINED"));
    zstr_free (&reply);
    //  DRAINED waited for the slow request (about a second after it began)
    assert (oa_clock_mono_ms () - drain_at >= 200);
    char out [4096];
    size_t len = fread (out, 1, sizeof out - 1, slow);
    out [len] = 0;
    assert (pclose (slow) == 0);
    assert (strstr (out, "HTTP/1.1 200"));
    assert (strstr (out, "\r\n\r\nslow"));
    zstr_send (actor, "STATUS");
    reply = zstr_recv (actor);
    assert (streq (reply, "DRAINED"));
    zstr_free (&reply);
    zstr_send (actor, "DRAIN");             //  idempotent
    reply = zstr_recv (actor);
    assert (streq (reply, "DRAINED"));
    zstr_free (&reply);
    assert (gw_test_connect (port) == -1);

    gw_test_client_destroy (&idle);
    free (response);
    int64_t term_at = oa_clock_mono_ms ();
    zactor_destroy (&actor);
    assert (oa_clock_mono_ms () - term_at < 3000);
}

//  $TERM with connections open (idle keep-alive, h2c) returns promptly
static void
s_test_term_with_connections (oa_config_t *config)
{
    zactor_t *actor = zactor_new (oa_gateway_actor, config);
    zstr_send (actor, "PORT");
    char *reply = zstr_recv (actor);
    int port = atoi (reply);
    zstr_free (&reply);
    gw_test_client_t *idle = gw_test_client_new (port);
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    gw_test_request (idle, S_GET ("/healthz"), response);
    assert (response->status == 200);
    int64_t term_at = oa_clock_mono_ms ();
    zactor_destroy (&actor);
    assert (oa_clock_mono_ms () - term_at < 2500);
    //  The server closed our connection
    char byte;
    assert (recv (idle->fd, &byte, 1, 0) <= 0);
    gw_test_client_destroy (&idle);
    free (response);
}

//  A port in use: STATUS reports FATAL, PORT 0, and $TERM still works
static void
s_test_port_taken (oa_config_t *config)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = 0 };
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    assert (bind (fd, (struct sockaddr *) &address, sizeof address) == 0);
    assert (listen (fd, 1) == 0);
    socklen_t len = sizeof address;
    getsockname (fd, (struct sockaddr *) &address, &len);
    int taken = ntohs (address.sin_port);

    int saved_port = config->port;
    config->port = taken;
    zactor_t *actor = zactor_new (oa_gateway_actor, config);
    zstr_send (actor, "STATUS");
    char *reply = zstr_recv (actor);
    char expected [128];
    snprintf (expected, sizeof expected, "FATAL bind 127.0.0.1:%d: Address already in use", taken);
    assert (streq (reply, expected));
    zstr_free (&reply);
    zstr_send (actor, "PORT");
    reply = zstr_recv (actor);
    assert (streq (reply, "0"));
    zstr_free (&reply);
    zstr_send (actor, "DRAIN");
    reply = zstr_recv (actor);
    assert (streq (reply, "DRAINED"));
    zstr_free (&reply);
    zactor_destroy (&actor);
    config->port = saved_port;
    close (fd);
}

void
oa_gateway_test (bool verbose)
{
    if (!verbose)
        oa_log_configure ("text", "error");
    oa_health_reset ();
    oa_config_t *config = gw_test_config ();

    //  The object: parallel load over both loops, then destroy
    oa_gateway_t *gateway = oa_gateway_new (config);
    char err [256];
    assert (oa_gateway_start (gateway, err, sizeof err) == 0);
    assert (oa_gateway_port (gateway) > 0);
    s_test_parallel (gateway);
    assert (!oa_gateway_drained (gateway));
    oa_gateway_drain (gateway);
    int64_t deadline = oa_clock_mono_ms () + 2000;
    while (!oa_gateway_drained (gateway) && oa_clock_mono_ms () < deadline)
        zclock_sleep (5);
    assert (oa_gateway_drained (gateway));
    oa_gateway_destroy (&gateway);
    assert (gateway == NULL);

    //  A gateway never started is destroyed cleanly too
    gateway = oa_gateway_new (config);
    oa_gateway_destroy (&gateway);

    s_test_actor (config, verbose);
    s_test_term_with_connections (config);
    s_test_port_taken (config);

    //  /metrics is not routed when ENABLE_PROMETHEUS_METRICS=false, and
    //  answers 403 while METRICS_TOKEN is unset
    config->prometheus_enabled = false;
    gateway = oa_gateway_new (config);
    assert (oa_gateway_start (gateway, err, sizeof err) == 0);
    gw_test_client_t *client = gw_test_client_new (oa_gateway_port (gateway));
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    gw_test_request (client, S_GET ("/metrics"), response);
    assert (response->status == 404);
    gw_test_client_destroy (&client);
    oa_gateway_destroy (&gateway);
    config->prometheus_enabled = true;
    config->metrics_token [0] = 0;
    gateway = oa_gateway_new (config);
    assert (oa_gateway_start (gateway, err, sizeof err) == 0);
    client = gw_test_client_new (oa_gateway_port (gateway));
    gw_test_request (client, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \r\n\r\n", response);
    assert (response->status == 403);
    assert (streq (response->body, "{\"error\":\"metrics endpoint requires METRICS_TOKEN "
                                   "configuration\"}"));
    gw_test_client_destroy (&client);
    oa_gateway_destroy (&gateway);
    free (response);

    oa_config_destroy (&config);
    oa_health_reset ();
}

//  --------------------------------------------------------------------------
//  TLS with a certificate made for the test; h2 by ALPN

void
oa_gateway_tls_test (bool verbose)
{
    if (!verbose)
        oa_log_configure ("text", "error");
    char dir [] = "/tmp/gw_tls_XXXXXX";
    assert (mkdtemp (dir));
    char command [1024];
    snprintf (command, sizeof command,
              "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
              "-keyout %s/key.pem -out %s/cert.pem -days 1 -subj /CN=localhost "
              "-addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1", dir, dir);
    assert (system (command) == 0);

    oa_config_t *config = gw_test_config ();
    free (config->tls_cert);
    free (config->tls_key);
    config->tls_cert = zsys_sprintf ("%s/cert.pem", dir);
    config->tls_key = zsys_sprintf ("%s/key.pem", dir);
    oa_gateway_t *gateway = oa_gateway_new (config);
    char err [256];
    assert (oa_gateway_start (gateway, err, sizeof err) == 0);
    int port = oa_gateway_port (gateway);

    char args [1024];
    snprintf (args, sizeof args, "-i --cacert %s/cert.pem -w 'version=%%{http_version}' "
              "https://127.0.0.1:%d/healthz https://127.0.0.1:%d/api/nope", dir, port, port);
    int exit_code;
    char *out = gw_test_curl (args, &exit_code);
    if (verbose)
        printf ("%s\n", out);
    assert (exit_code == 0);
    assert (strstr (out, "HTTP/2 200"));
    assert (strstr (out, "server: oneapi"));
    assert (strstr (out, "{\"status\":\"ok\"}version=2"));
    assert (strstr (out, "HTTP/2 404"));
    assert (strstr (out, S_NOT_FOUND ("GET", "/api/nope") "version=2"));
    free (out);
    //  HTTP/1.1 over TLS still works (ALPN http/1.1)
    snprintf (args, sizeof args, "--http1.1 --cacert %s/cert.pem -w ' version=%%{http_version}' "
              "https://127.0.0.1:%d/healthz", dir, port);
    out = gw_test_curl (args, &exit_code);
    assert (exit_code == 0);
    assert (streq (out, "{\"status\":\"ok\"} version=1.1"));
    free (out);
    //  Plain HTTP to the TLS port fails (no silent cleartext)
    snprintf (args, sizeof args, "-o /dev/null http://127.0.0.1:%d/healthz", port);
    out = gw_test_curl (args, &exit_code);
    assert (exit_code != 0);
    free (out);
    oa_gateway_destroy (&gateway);

    //  A missing key fails start-up with a reason naming the variable
    free (config->tls_key);
    config->tls_key = zsys_sprintf ("%s/missing.pem", dir);
    gateway = oa_gateway_new (config);
    assert (oa_gateway_start (gateway, err, sizeof err) == -1);
    assert (strstr (err, "ONEAPI_TLS_KEY"));
    oa_gateway_destroy (&gateway);

    snprintf (command, sizeof command, "rm -rf %s", dir);
    assert (system (command) == 0);
    oa_config_destroy (&config);
}
