/*  =========================================================================
    gw_ratelimit_test - one-api's rate limits, in memory and on Redis

    Memory: the sliding log with a test clock (N allowed, N+1 refused with
    its reset, the window slides), exactness under four threads hammering
    one key, and over HTTP on a gateway whose two loop threads both serve:
    exactly N of the requests pass, the rest get one-api's 429 with its
    headers.  Redis (ONEAPI_TEST_REDIS, e.g. redis://127.0.0.1:6390/0;
    the test fails without it): two gateways in one process share a limit
    of 10 exactly over 30 concurrent requests; a Redis that is not there
    fails open.
    =========================================================================
*/
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hiredis/hiredis.h>
#include "gw_ratelimit.h"
#include "gw_relay_testkit.h"
#include "gw_testkit.h"

#define S_STATUS_REQUEST "GET /api/status HTTP/1.1\r\nHost: t\r\n\r\n"

//  --------------------------------------------------------------------------
//  Memory log with a test clock

static void
s_test_sliding (gw_ratelimit_t *limiter)
{
    int reset = 0;
    const char *key = "rateLimit:GA:198.51.100.1";
    for (int i = 0; i < 3; i++)
        assert (gw_ratelimit_memory_take (limiter, key, 3, 10, 1000 + i * 100, &reset));
    assert (!gw_ratelimit_memory_take (limiter, key, 3, 10, 1300, &reset));
    assert (reset == 10);
    assert (!gw_ratelimit_memory_take (limiter, key, 3, 10, 10999, &reset));
    assert (reset == 1);            //  one-api: duration - int(seconds since the oldest)
    //  The oldest (1000) leaves the window at 11000: one slot, then the next at 11100
    assert (gw_ratelimit_memory_take (limiter, key, 3, 10, 11000, &reset));
    assert (!gw_ratelimit_memory_take (limiter, key, 3, 10, 11050, &reset));
    assert (gw_ratelimit_memory_take (limiter, key, 3, 10, 11100, &reset));
    assert (gw_ratelimit_memory_take (limiter, key, 3, 10, 11200, &reset));
    assert (!gw_ratelimit_memory_take (limiter, key, 3, 10, 11200, &reset));
    //  Refusals are not recorded: much later, all three slots are free
    for (int i = 0; i < 3; i++)
        assert (gw_ratelimit_memory_take (limiter, key, 3, 10, 60000, &reset));
    assert (!gw_ratelimit_memory_take (limiter, key, 3, 10, 60000, &reset));
    //  Keys are independent; a limit of 0 is off
    assert (gw_ratelimit_memory_take (limiter, "rateLimit:GA:198.51.100.2", 3, 10, 60000, &reset));
    assert (gw_ratelimit_memory_take (limiter, key, 0, 10, 60000, &reset));
    //  Idle keys are swept (after a minute) and decide as new ones
    assert (gw_ratelimit_memory_take (limiter, key, 3, 10, 200000, &reset));
}

typedef struct {
    gw_ratelimit_t *limiter;        //  shared
    int allowed;                    //  this thread's successes
} s_hammer_t;

static void *
s_hammer (void *args)
{
    s_hammer_t *self = args;
    for (int i = 0; i < 2000; i++)
        if (gw_ratelimit_memory_take (self->limiter, "rateLimit:GR:0011223344556677", 777, 180,
                                      5000, NULL))
            self->allowed++;
    return NULL;
}

static void
s_test_threads (gw_ratelimit_t *limiter)
{
    s_hammer_t hammers [4];
    pthread_t threads [4];
    for (int i = 0; i < 4; i++) {
        hammers [i] = (s_hammer_t) { limiter, 0 };
        pthread_create (&threads [i], NULL, s_hammer, &hammers [i]);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join (threads [i], NULL);
        total += hammers [i].allowed;
    }
    assert (total == 777);
}

//  --------------------------------------------------------------------------
//  Over HTTP

//  Opens clients until each of the gateway's loop threads accepted some;
//  returns how many were opened.
static int
s_clients_on_every_loop (oa_gateway_t *gateway, gw_test_client_t **clients, int max)
{
    int count = 0;
    while (count < max) {
        clients [count++] = gw_test_client_new (oa_gateway_port (gateway));
        usleep (2000);
        bool all = true;
        for (int t = 0; t < gateway->nthreads; t++)
            all &= atomic_load (&gateway->threads [t].accepted) > 0;
        if (all && count >= 2)
            break;
    }
    return count;
}

//  Checks one-api's 429: status, headers, body with the request id.
static void
s_assert_refused (const gw_test_response_t *response, int limit, int window_s)
{
    assert (response->status == 429);
    gw_test_assert_common (response);
    char value [128], expected [256];
    assert (gw_test_header (response->head, "ratelimit-limit", value, sizeof value));
    assert (atoi (value) == limit);
    assert (gw_test_header (response->head, "ratelimit-remaining", value, sizeof value));
    assert (streq (value, "0"));
    assert (gw_test_header (response->head, "ratelimit-reset", value, sizeof value));
    int reset = atoi (value);
    assert (reset >= window_s - 2 && reset <= window_s);
    assert (gw_test_header (response->head, "retry-after", value, sizeof value));
    assert (atoi (value) == reset);
    assert (strstr (response->head, "\r\nRatelimit-Limit: "));   //  Go's casing
    assert (gw_test_header (response->head, "content-type", value, sizeof value));
    assert (streq (value, "application/json; charset=utf-8"));
    char id [64];
    assert (gw_test_header (response->head, "x-oneapi-request-id", id, sizeof id));
    snprintf (expected, sizeof expected, "{\"error\":{\"message\":\"rate limit exceeded "
              "(request id: %s)\",\"type\":\"one_api_error\"}}", id);
    assert (streq (response->body, expected));
}

//  Sends request on each client, round robin, n times in all, sending
//  everything before reading anything; counts 200s and checks the 429s.
static int
s_burst (gw_test_client_t **clients, int nclients, const char *request, int n, int ok_status,
         int limit, int window_s)
{
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    int ok = 0;
    //  Pipelined per connection: each loop thread decides its requests
    //  while the other does its own.
    for (int i = 0; i < n; i++) {
        ssize_t sent = write (clients [i % nclients]->fd, request, strlen (request));
        assert (sent == (ssize_t) strlen (request));
    }
    for (int c = 0; c < nclients; c++)
        for (int i = c; i < n; i += nclients) {
            gw_test_read_response (clients [c], response);
            if (response->status == ok_status)
                ok++;
            else
                s_assert_refused (response, limit, window_s);
        }
    free (response);
    return ok;
}

static void
s_test_http (bool verbose)
{
    oa_config_t *config = gw_test_config ();
    oa_gateway_t *gateway = oa_gateway_new (config);
    gw_ratelimit_set_rule (gateway->limiter, GW_RATELIMIT_API, 10, 180);
    gw_ratelimit_set_rule (gateway->limiter, GW_RATELIMIT_WEB, 4, 60);
    char err [256];
    int rc = oa_gateway_start (gateway, err, sizeof err);
    assert (rc == 0);
    gw_test_client_t *clients [64];
    int nclients = s_clients_on_every_loop (gateway, clients, 64);
    if (verbose)
        printf ("\n%d clients over %d loops\n", nclients, gateway->nthreads);
    //  GA on /api/status: exactly 10 of 25
    int ok = s_burst (clients, nclients, S_STATUS_REQUEST, 25, 200, 10, 180);
    assert (ok == 10);
    //  GW on what no route serves: 4 404s, then 429s
    ok = s_burst (clients, nclients, "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n", 7, 404, 4, 60);
    assert (ok == 4);
    //  Operational routes are not limited
    ok = s_burst (clients, nclients, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", 12, 200, 0, 0);
    assert (ok == 12);
    assert (gw_ratelimit_refused (gateway->limiter) == 15 + 3);
    for (int c = 0; c < nclients; c++)
        gw_test_client_destroy (&clients [c]);
    oa_gateway_destroy (&gateway);

    //  RATE_LIMIT_DISABLED, and a limit of 0, turn marks off
    config->rate_limit_disabled = true;
    gw_ratelimit_t *limiter = gw_ratelimit_new (config);
    for (int mark = 0; mark < GW_RATELIMIT_MARKS; mark++)
        assert (!gw_ratelimit_enabled (limiter, mark));
    gw_ratelimit_destroy (&limiter);
    config->rate_limit_disabled = false;
    config->critical_rate_limit = 0;
    limiter = gw_ratelimit_new (config);
    assert (gw_ratelimit_enabled (limiter, GW_RATELIMIT_API));
    assert (!gw_ratelimit_enabled (limiter, GW_RATELIMIT_CRITICAL));
    gw_ratelimit_destroy (&limiter);
    oa_config_destroy (&config);
}

//  GR on the relay: after the key check (a bad key is a 401, never
//  counted), per key: 3 of GET /v1/files (one-api's 501) pass, then 429.
static void
s_test_relay (void)
{
    oa_config_t *config = gw_test_config ();
    const char *endpoints [] = { "inproc://gw-ratelimit-test-ledger",
                                 "inproc://gw-ratelimit-test-changes" };
    free (config->ledger_endpoint);
    config->ledger_endpoint = strdup (endpoints [0]);
    free (config->ledger_pub_endpoint);
    config->ledger_pub_endpoint = strdup (endpoints [1]);
    zactor_t *ledger = zactor_new (gw_relay_test_ledger, endpoints);
    zstr_send (ledger, "START");
    zsock_wait (ledger);
    oa_gateway_t *gateway = oa_gateway_new (config);
    gw_ratelimit_set_rule (gateway->limiter, GW_RATELIMIT_RELAY, 3, 180);
    char err [256];
    int rc = oa_gateway_start (gateway, err, sizeof err);
    assert (rc == 0);
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    int64_t deadline = zclock_mono () + 5000;
    do {
        zclock_sleep (20);
        gw_relay_test_request (oa_gateway_port (gateway), "GET", "/readyz", NULL, NULL, response);
    } while (response->status != 200 && zclock_mono () < deadline);
    assert (response->status == 200);
    gw_test_client_t *clients [64];
    int nclients = s_clients_on_every_loop (gateway, clients, 64);
    const char *bad = "GET /v1/files HTTP/1.1\r\nHost: t\r\n"
                      "Authorization: Bearer sk-nosuchkey0000000000\r\n\r\n";
    int ok = s_burst (clients, nclients, bad, 5, 401, 3, 180);
    assert (ok == 5);
    const char *alice = "GET /v1/files HTTP/1.1\r\nHost: t\r\n"
                        "Authorization: Bearer sk-aliceKey000000000000\r\n\r\n";
    ok = s_burst (clients, nclients, alice, 6, 501, 3, 180);
    assert (ok == 3);
    //  Another key has its own log
    const char *root = "GET /v1/files HTTP/1.1\r\nHost: t\r\n"
                       "Authorization: Bearer sk-rootKey0000000000000\r\n\r\n";
    ok = s_burst (clients, nclients, root, 1, 501, 3, 180);
    assert (ok == 1);
    for (int c = 0; c < nclients; c++)
        gw_test_client_destroy (&clients [c]);
    free (response);
    oa_gateway_destroy (&gateway);
    zactor_destroy (&ledger);
    oa_config_destroy (&config);
}

void
oa_gw_ratelimit_test (bool verbose)
{
    printf (" * gw_ratelimit: ");
    //  one-api's GR id: sha256 of the key's token part, 8 bytes in hex
    char id [17];
    gw_ratelimit_token_id ("Bearer sk-abc", "", id);
    assert (streq (id, "ba7816bf8f01cfea"));    //  sha256 ("abc")
    gw_ratelimit_token_id ("bearer  laisky-abc-12", NULL, id);
    assert (streq (id, "ba7816bf8f01cfea"));
    gw_ratelimit_token_id ("Bearer oa-sk-abc", "oa-", id);
    assert (streq (id, "ba7816bf8f01cfea"));

    oa_config_t *config = gw_test_config ();
    gw_ratelimit_t *limiter = gw_ratelimit_new (config);
    assert (gw_ratelimit_enabled (limiter, GW_RATELIMIT_API));
    s_test_sliding (limiter);
    s_test_threads (limiter);
    gw_ratelimit_destroy (&limiter);
    oa_config_destroy (&config);
    s_test_http (verbose);
    s_test_relay ();
    printf ("OK\n");
}

//  --------------------------------------------------------------------------
//  Redis

static oa_gateway_t *
s_redis_gateway (oa_config_t *config, int limit)
{
    oa_gateway_t *gateway = oa_gateway_new (config);
    gw_ratelimit_set_rule (gateway->limiter, GW_RATELIMIT_API, limit, 180);
    char err [256];
    int rc = oa_gateway_start (gateway, err, sizeof err);
    assert (rc == 0);
    return gateway;
}

//  Deletes the test's keys through a connection of the test's own.
static void
s_redis_clear (const char *url, const char *key, long long *length_p, long long *ttl_p)
{
    char host [128] = "127.0.0.1";
    int port = 6379, db = 0;
    const char *at = strncmp (url, "redis://", 8) == 0? url + 8: url;
    if (strchr (at, '@'))
        at = strchr (at, '@') + 1;
    sscanf (at, "%127[^:/]:%d/%d", host, &port, &db);
    struct timeval timeout = { 1, 0 };
    redisContext *redis = redisConnectWithTimeout (host, port, timeout);
    assert (redis && !redis->err);
    redisReply *reply = redisCommand (redis, "SELECT %d", db);
    freeReplyObject (reply);
    if (length_p) {
        reply = redisCommand (redis, "LLEN %s", key);
        *length_p = reply->integer;
        freeReplyObject (reply);
        reply = redisCommand (redis, "TTL %s", key);
        *ttl_p = reply->integer;
        freeReplyObject (reply);
    }
    reply = redisCommand (redis, "DEL %s", key);
    assert (reply && reply->type == REDIS_REPLY_INTEGER);
    freeReplyObject (reply);
    redisFree (redis);
}

void
oa_gw_ratelimit_redis_test (bool verbose)
{
    printf (" * gw_ratelimit_redis: ");
    const char *url = getenv ("ONEAPI_TEST_REDIS");
    if (!url || !*url) {
        printf ("FAILED: ONEAPI_TEST_REDIS is not set (e.g. redis://127.0.0.1:6390/0)\n");
        assert (url && *url);
    }
    const char *key = "rateLimit:GA:127.0.0.1";
    s_redis_clear (url, key, NULL, NULL);
    oa_config_t *config = gw_test_config ();
    free (config->redis_conn_string);
    config->redis_conn_string = strdup (url);
    oa_gateway_t *first = s_redis_gateway (config, 10);
    oa_gateway_t *second = s_redis_gateway (config, 10);

    //  30 concurrent requests over both gateways and all their loops:
    //  exactly 10 pass
    gw_test_client_t *clients [80];
    int n1 = s_clients_on_every_loop (first, clients, 40);
    int n2 = s_clients_on_every_loop (second, clients + n1, 40);
    if (verbose)
        printf ("\n%d + %d clients\n", n1, n2);
    int ok = s_burst (clients, n1 + n2, S_STATUS_REQUEST, 30, 200, 10, 180);
    assert (ok == 10);
    assert (gw_ratelimit_failopen (first->limiter) == 0);
    assert (gw_ratelimit_failopen (second->limiter) == 0);
    assert (gw_ratelimit_refused (first->limiter) + gw_ratelimit_refused (second->limiter) == 20);
    long long length = 0, ttl = 0;
    s_redis_clear (url, key, &length, &ttl);
    assert (length == 10);          //  one-api's list: the allowed timestamps
    assert (ttl > 1100 && ttl <= 1200);     //  RateLimitKeyExpirationDuration
    //  Cleared: the next request passes again (and a NOSCRIPT-free path)
    ok = s_burst (clients, 1, S_STATUS_REQUEST, 1, 200, 10, 180);
    assert (ok == 1);
    for (int c = 0; c < n1 + n2; c++)
        gw_test_client_destroy (&clients [c]);
    oa_gateway_destroy (&first);
    oa_gateway_destroy (&second);
    s_redis_clear (url, key, NULL, NULL);

    //  No Redis there: fail open, counted
    zsock_t *probe = zsock_new (ZMQ_ROUTER);
    int dead_port = zsock_bind (probe, "tcp://127.0.0.1:*");
    zsock_destroy (&probe);
    free (config->redis_conn_string);
    config->redis_conn_string = zsys_sprintf ("redis://127.0.0.1:%d/0", dead_port);
    oa_gateway_t *orphan = s_redis_gateway (config, 2);
    int nclients = s_clients_on_every_loop (orphan, clients, 40);
    ok = s_burst (clients, nclients, S_STATUS_REQUEST, 6, 200, 2, 180);
    assert (ok == 6);
    assert (gw_ratelimit_failopen (orphan->limiter) == 6);
    for (int c = 0; c < nclients; c++)
        gw_test_client_destroy (&clients [c]);
    oa_gateway_destroy (&orphan);
    oa_config_destroy (&config);
    printf ("OK\n");
}
