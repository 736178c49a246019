/*  =========================================================================
    wk_worker_test - the relay worker end to end: real ZeroMQ sockets, real
    libcurl, the real oa-mock upstream; test ROUTERs play gateway and ledger

    oa_worker: the relay conversation, retries, cancel, usage, drain.
    oa_wk_load: many concurrent streams through one worker.
    oa_wk_liveness: a silent gateway gets its transfers cancelled.
    =========================================================================
*/
#include "oa_worker.h"

#include <inttypes.h>
#include "oa_ids.h"
#include "wk_testkit.h"

//  A test bench: mock upstream, gateway, ledger, one worker.
typedef struct {
    wk_mock_t mock;
    wk_fakegw_t *gateway;
    wk_fakegw_t *ledger;
    oa_config_t *config;
    oa_worker_args_t args;
    zactor_t *worker;
    zhash_t *usage;             //  request_id -> count of USAGE seen
    size_t usage_total;         //  USAGE messages seen
    oa_msg_t *last_usage;       //  the latest USAGE
} s_bench_t;

static void
s_bench_start (s_bench_t *b)
{
    memset (b, 0, sizeof *b);
    assert (wk_mock_start (&b->mock) == 0);
    b->gateway = wk_fakegw_new ();
    b->ledger = wk_fakegw_new ();
    b->ledger->beat = false;
    setenv ("ONEAPI_LEDGER_ENDPOINT", b->ledger->endpoint, 1);
    setenv ("IDLE_TIMEOUT", "5", 1);
    char err [256];
    b->config = oa_config_load (err, sizeof err);
    assert (b->config);
    wk_test_private_spool (b->config);
    b->args = (oa_worker_args_t) { b->config, b->gateway->endpoint, 0 };
    b->worker = zactor_new (oa_worker_actor, &b->args);
    assert (b->worker);
    assert (wk_fakegw_wait_ready (b->gateway, 5000) == 0);
    b->usage = zhash_new ();
}

//  Collects USAGE messages from the ledger socket for up to timeout_ms.
static void
s_bench_usage (s_bench_t *b, size_t expect, int timeout_ms)
{
    int64_t until = oa_clock_mono_ms () + timeout_ms;
    while (b->usage_total < expect && oa_clock_mono_ms () < until) {
        oa_msg_t *msg = wk_fakegw_recv (b->ledger, 50);
        if (!msg)
            continue;
        assert (oa_msg_id (msg) == OA_MSG_USAGE);
        const char *id = oa_msg_request_id (msg);
        size_t count = (size_t) zhash_lookup (b->usage, id) + 1;
        zhash_update (b->usage, id, (void *) count);
        b->usage_total++;
        oa_msg_destroy (&b->last_usage);
        b->last_usage = msg;
    }
}

static void
s_bench_stop (s_bench_t *b)
{
    zactor_destroy (&b->worker);
    wk_test_remove_spool (b->config);
    oa_config_destroy (&b->config);
    wk_fakegw_destroy (&b->gateway);
    wk_fakegw_destroy (&b->ledger);
    wk_mock_stop (&b->mock);
    zhash_destroy (&b->usage);
    oa_msg_destroy (&b->last_usage);
}


//  Returns the last request body the mock saw on a route (fresh), or NULL.
static char *
s_mock_last (s_bench_t *b, const char *route, const char *what)
{
    json_t *stats = wk_mock_stats (&b->mock);
    json_t *last = json_object_get (json_object_get (json_object_get (stats, "routes"), route),
                                    "last");
    char *result = NULL;
    if (streq (what, "body"))
        result = json_string_value (json_object_get (last, "body"))
               ? strdup (json_string_value (json_object_get (last, "body"))): NULL;
    else
    if (streq (what, "target"))
        result = json_string_value (json_object_get (last, "target"))
               ? strdup (json_string_value (json_object_get (last, "target"))): NULL;
    else {
        json_t *value = json_object_get (json_object_get (last, "headers"), what);
        result = json_string_value (value)? strdup (json_string_value (value)): NULL;
    }
    json_decref (stats);
    return result;
}

//  Reads an integer counter of the mock's stats.
static long
s_mock_counter (s_bench_t *b, const char *name)
{
    json_t *stats = wk_mock_stats (&b->mock);
    long value = (long) json_integer_value (json_object_get (stats, name));
    json_decref (stats);
    return value;
}

#define S_CHAT(model, stream) \
    "{\"model\":\"" model "\",\"stream\":" stream ",\"messages\":[{\"role\":\"system\"," \
    "\"content\":\"be terse\"},{\"role\":\"user\",\"content\":\"Hello there world\"}]}"


void
oa_worker_test (bool verbose)
{
    if (verbose)
        printf (" * oa_worker: ");
    s_bench_t b;
    s_bench_start (&b);
    size_t requests = 0;
    wk_reply_t r;

    //  Non-stream chat: status, JSON and usage pass through
    oa_msg_t *req = wk_test_request (1, "/v1/chat/completions",
                                     S_CHAT ("gpt-4o-mini", "false"), false, false);
    wk_test_candidate (req, 11, 1, b.mock.base, "gpt-4o-mini", 0);
    oa_msg_headers_insert (req, "openai-beta", "assistants=v2");
    oa_msg_headers_insert (req, "authorization", "Bearer client-key");
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (r.head_status == 200 && strstr (r.content_type, "application/json"));
    char *beta = s_mock_last (&b, "chat", "openai-beta");
    assert (beta && streq (beta, "assistants=v2"));
    free (beta);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    assert (strstr (r.data, "\"chat.completion\"") && strstr (r.data, "The quick brown fox"));
    assert (oa_msg_prompt_tokens (r.last) == 11 && oa_msg_completion_tokens (r.last) == 5);
    assert (oa_msg_channel_id (r.last) == 11 && oa_msg_attempts (r.last) == 1);
    char *auth = s_mock_last (&b, "chat", "authorization");
    assert (auth && streq (auth, "Bearer sk-test"));
    free (auth);
    //  Untouched body: the mock saw the client's exact bytes
    char *body = s_mock_last (&b, "chat", "body");
    assert (body && streq (body, S_CHAT ("gpt-4o-mini", "false")));
    free (body);
    wk_reply_clear (&r);

    //  Stream of 20 chunks, 50 ms apart: the first bytes arrive long before the end
    req = wk_test_request (2, "/v1/chat/completions",
                           S_CHAT ("gpt-4o-mini@chunks=20,chunk_delay=50", "true"), true, false);
    wk_test_candidate (req, 11, 1, b.mock.base, "", 0);
    int64_t start = oa_clock_mono_ms ();
    wk_fakegw_exchange (b.gateway, &req, &r, 10000);
    requests++;
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END && oa_msg_status (r.last) == 200);
    assert (r.head_status == 200 && streq (r.content_type, "text/event-stream"));
    assert (r.chunks >= 15);
    int64_t first = r.first_data_ms - start, total = r.end_ms - start;
    assert (total >= 900 && first < total - 700);
    assert (strncmp (r.data, "data: {", 7) == 0);
    assert (strstr (r.data, "data: [DONE]\n\n") && r.data [r.size - 1] == '\n');
    //  include_usage forced upstream, hidden from a client that did not ask
    body = s_mock_last (&b, "chat", "body");
    assert (body && strstr (body, "\"include_usage\":true"));
    free (body);
    assert (!strstr (r.data, "\"choices\":[]"));
    assert (oa_msg_prompt_tokens (r.last) == 11 && oa_msg_completion_tokens (r.last) == 20);
    if (verbose)
        printf ("stream first byte %" PRId64 " ms, end %" PRId64 " ms; ", first, total);
    wk_reply_clear (&r);

    //  A client that asked for usage gets the usage chunk
    req = wk_test_request (3, "/v1/chat/completions",
                           "{\"model\":\"gpt-4o-mini@chunks=3\",\"stream\":true,"
                           "\"stream_options\":{\"include_usage\":true},\"messages\":"
                           "[{\"role\":\"user\",\"content\":\"hi\"}]}", true, true);
    wk_test_candidate (req, 11, 1, b.mock.base, "", 0);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (strstr (r.data, "\"choices\":[]") && strstr (r.data, "\"usage\":{"));
    assert (oa_msg_completion_tokens (r.last) == 3);
    wk_reply_clear (&r);

    //  Embeddings
    req = wk_test_request (4, "/v1/embeddings",
                           "{\"model\":\"text-embedding-3-small\",\"input\":\"hello world\","
                           "\"dimensions\":4}", false, false);
    wk_test_candidate (req, 12, 1, b.mock.base, "", 0);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (r.head_status == 200 && strstr (r.data, "\"embedding\""));
    assert (oa_msg_prompt_tokens (r.last) == 2);
    wk_reply_clear (&r);

    //  Model mapping rewrites the body's model
    req = wk_test_request (5, "/v1/chat/completions", S_CHAT ("my-alias", "false"), false, false);
    wk_test_candidate (req, 13, 1, b.mock.base, "gpt-4o-mini@chunks=2", 0);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (r.head_status == 200 && oa_msg_completion_tokens (r.last) == 2);
    body = s_mock_last (&b, "chat", "body");
    assert (body && strstr (body, "\"model\":\"gpt-4o-mini@chunks=2\"") && !strstr (body, "alias"));
    free (body);
    wk_reply_clear (&r);

    //  Azure: deployment URL with api-version, api-key header
    req = wk_test_request (6, "/v1/chat/completions", S_CHAT ("gpt-4o-mini", "false"), false,
                           false);
    wk_test_candidate (req, 14, 3, b.mock.base, "gpt-4.1-mini", 0);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (r.head_status == 200);
    char *target = s_mock_last (&b, "azure_chat", "target");
    assert (target && streq (target, "/openai/deployments/gpt-41-mini/chat/completions"
                                     "?api-version=2024-10-21"));
    free (target);
    char *key = s_mock_last (&b, "azure_chat", "api-key");
    assert (key && streq (key, "sk-test"));
    free (key);
    wk_reply_clear (&r);

    //  429 on the first candidate, success on the second, failure listed
    req = wk_test_request (7, "/v1/chat/completions", S_CHAT ("gpt-4o-mini", "true"), true,
                           false);
    wk_test_candidate (req, 21, 1, b.mock.base, "gpt-4o-mini@status=429", 10);
    wk_test_candidate (req, 22, 1, b.mock.base, "gpt-4o-mini", 5);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END && oa_msg_channel_id (r.last) == 22);
    assert (oa_msg_attempts (r.last) == 2 && oa_msg_retries (r.last) == 1);
    zlist_t *failures = oa_msg_failures (r.last);
    assert (failures && zlist_size (failures) == 1
            && streq ((char *) zlist_first (failures), "21 429"));
    wk_reply_clear (&r);

    //  400 is the client's problem: no retry, upstream error passed on
    req = wk_test_request (8, "/v1/chat/completions", S_CHAT ("gpt-4o-mini", "false"), false,
                           false);
    wk_test_candidate (req, 31, 1, b.mock.base, "gpt-4o-mini@status=400", 0);
    wk_test_candidate (req, 32, 1, b.mock.base, "gpt-4o-mini", 0);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && oa_msg_status (r.last) == 400);
    assert (oa_msg_attempts (r.last) == 1 && !oa_msg_bytes_sent (r.last));
    assert (!oa_msg_retryable (r.last) && r.head_status == 0);
    zframe_t *payload = oa_msg_payload (r.last);
    char *text = payload? zframe_strdup (payload): NULL;
    assert (text && strstr (text, "context_length_exceeded"));
    zstr_free (&text);
    wk_reply_clear (&r);

    //  A stream that breaks after bytes went out: no retry, error event, bytes_sent
    req = wk_test_request (9, "/v1/chat/completions", S_CHAT ("gpt-4o-mini", "true"), true,
                           false);
    wk_test_candidate (req, 41, 1, b.mock.base, "gpt-4o-mini@chunks=10,fail_after=3", 0);
    wk_test_candidate (req, 42, 1, b.mock.base, "gpt-4o-mini", 0);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && oa_msg_bytes_sent (r.last));
    assert (oa_msg_attempts (r.last) == 1 && oa_msg_channel_id (r.last) == 41);
    assert (strstr (r.data, "data: {\"error\":") && !strstr (r.data, "[DONE]"));
    wk_reply_clear (&r);

    //  Pinned: a 503 is final
    req = wk_test_request (10, "/v1/chat/completions", S_CHAT ("gpt-4o-mini", "false"), false,
                           false);
    oa_msg_set_pinned (req, true);
    wk_test_candidate (req, 51, 1, b.mock.base, "gpt-4o-mini@status=503", 0);
    wk_test_candidate (req, 52, 1, b.mock.base, "gpt-4o-mini", 0);
    wk_fakegw_exchange (b.gateway, &req, &r, 5000);
    requests++;
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && oa_msg_status (r.last) == 503);
    assert (oa_msg_attempts (r.last) == 1 && oa_msg_retryable (r.last));
    failures = oa_msg_failures (r.last);
    assert (failures && streq ((char *) zlist_first (failures), "51 503"));
    wk_reply_clear (&r);

    //  Cancel: the upstream connection closes within 100 ms
    long cancelled_before = s_mock_counter (&b, "streams_cancelled");
    req = wk_test_request (11, "/v1/chat/completions",
                           S_CHAT ("gpt-4o-mini@chunks=100,chunk_delay=100", "true"), true, false);
    wk_test_candidate (req, 61, 1, b.mock.base, "", 0);
    memset (&r, 0, sizeof r);
    assert (wk_fakegw_send (b.gateway, &req) == 0);
    requests++;
    while (r.chunks < 2) {
        oa_msg_t *msg = wk_fakegw_recv (b.gateway, 2000);
        assert (msg);
        assert (!wk_reply_add (&r, &msg));
    }
    oa_msg_t *cancel = oa_msg_new (OA_MSG_RELAY_CANCEL);
    oa_msg_set_corr_id (cancel, 11);
    oa_msg_set_reason (cancel, "client closed connection");
    int64_t cancel_at = oa_clock_mono_ms ();
    assert (wk_fakegw_send (b.gateway, &cancel) == 0);
    while (true) {
        oa_msg_t *msg = wk_fakegw_recv (b.gateway, 2000);
        assert (msg);
        if (wk_reply_add (&r, &msg))
            break;
    }
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && oa_msg_bytes_sent (r.last));
    int64_t closed_ms = -1;
    while (oa_clock_mono_ms () - cancel_at < 1000) {
        if (s_mock_counter (&b, "streams_cancelled") > cancelled_before) {
            closed_ms = oa_clock_mono_ms () - cancel_at;
            break;
        }
        zclock_sleep (5);
    }
    assert (closed_ms >= 0 && closed_ms <= 100);
    if (verbose)
        printf ("cancel answered in %" PRId64 " ms, upstream closed in <= %" PRId64 " ms; ",
                r.end_ms - cancel_at, closed_ms);
    wk_reply_clear (&r);

    //  Exactly one USAGE per request, with the request's identity
    s_bench_usage (&b, requests, 5000);
    zclock_sleep (200);
    s_bench_usage (&b, requests + 1, 200);
    assert (b.usage_total == requests && zhash_size (b.usage) == requests);
    oa_msg_t *usage = b.last_usage;
    assert (usage && oa_msg_user_id (usage) == 42 && oa_msg_token_id (usage) == 7);
    assert (oa_msg_reservation_id (usage) == 1011 && oa_msg_reserved_quota (usage) == 1500);
    assert (oa_msg_status (usage) == 499 && oa_msg_stream (usage));
    assert (streq (oa_msg_group (usage), "default") && oa_msg_channel_id (usage) == 61);
    assert (oa_msg_created_at_ms (usage) > 0 && oa_msg_ttft_ms (usage) > 0);

    //  DRAIN: credit 0 to the gateway, DRAINED only once in-flight work ends
    req = wk_test_request (12, "/v1/chat/completions",
                           S_CHAT ("gpt-4o-mini@chunks=5,chunk_delay=100", "true"), true, false);
    wk_test_candidate (req, 11, 1, b.mock.base, "", 0);
    assert (wk_fakegw_send (b.gateway, &req) == 0);
    zclock_sleep (50);
    zstr_send (b.worker, "DRAIN");
    memset (&r, 0, sizeof r);
    while (true) {
        oa_msg_t *msg = wk_fakegw_recv (b.gateway, 3000);
        assert (msg);
        if (wk_reply_add (&r, &msg))
            break;
    }
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    assert (b.gateway->credits_zero == 1);
    char *reply = zstr_recv (b.worker);
    assert (reply && streq (reply, "DRAINED"));
    zstr_free (&reply);
    zstr_send (b.worker, "STATUS");
    reply = zstr_recv (b.worker);
    assert (reply && streq (reply, "READY"));
    zstr_free (&reply);
    wk_reply_clear (&r);
    s_bench_stop (&b);
    if (verbose)
        printf ("OK\n");
}


void
oa_wk_load_test (bool verbose)
{
    if (verbose)
        printf (" * oa_wk_load: ");
    s_bench_t b;
    s_bench_start (&b);
    //  Concurrent streams, each 5 chunks 100 ms apart
    const int streams = 500;
    wk_reply_t *replies = (wk_reply_t *) zmalloc (sizeof (wk_reply_t) * (size_t) streams);
    int64_t start = oa_clock_mono_ms ();
    for (int i = 0; i < streams; i++) {
        oa_msg_t *req = wk_test_request ((uint64_t) i, "/v1/chat/completions",
                                         S_CHAT ("gpt-4o-mini@chunks=5,chunk_delay=100", "true"),
                                         true, false);
        wk_test_candidate (req, 1, 1, b.mock.base, "", 0);
        assert (wk_fakegw_send (b.gateway, &req) == 0);
    }
    int done = 0;
    int64_t peak_open = 0;
    while (done < streams) {
        oa_msg_t *msg = wk_fakegw_recv (b.gateway, 20000);
        assert (msg);
        uint64_t corr = oa_msg_corr_id (msg);
        assert (corr < (uint64_t) streams);
        if (wk_reply_add (&replies [corr], &msg))
            done++;
        if (done == streams / 10 && !peak_open)
            peak_open = s_mock_counter (&b, "streams_active");
    }
    int64_t streams_ms = oa_clock_mono_ms () - start;
    for (int i = 0; i < streams; i++) {
        assert (oa_msg_id (replies [i].last) == OA_MSG_RELAY_END);
        assert (oa_msg_completion_tokens (replies [i].last) == 5);
        wk_reply_clear (&replies [i]);
    }
    s_bench_usage (&b, (size_t) streams, 5000);
    assert (b.usage_total == (size_t) streams);

    //  Per-request overhead: sequential non-stream round trips
    const int rounds = 200;
    wk_reply_t r;
    start = oa_clock_mono_ms ();
    for (int i = 0; i < rounds; i++) {
        oa_msg_t *req = wk_test_request ((uint64_t) (10000 + i), "/v1/chat/completions",
                                         S_CHAT ("gpt-4o-mini@chunks=1", "false"), false, false);
        wk_test_candidate (req, 1, 1, b.mock.base, "", 0);
        wk_fakegw_exchange (b.gateway, &req, &r, 5000);
        assert (r.head_status == 200);
        wk_reply_clear (&r);
    }
    int64_t rounds_ms = oa_clock_mono_ms () - start;
    if (verbose)
        printf ("%d streams in %" PRId64 " ms (mock saw %" PRId64 " open at once); "
                "%d sequential requests at %.2f ms each; ", streams, streams_ms, peak_open,
                rounds, (double) rounds_ms / rounds);
    free (replies);
    s_bench_stop (&b);
    if (verbose)
        printf ("OK\n");
}


void
oa_wk_liveness_test (bool verbose)
{
    if (verbose)
        printf (" * oa_wk_liveness: ");
    s_bench_t b;
    s_bench_start (&b);
    long cancelled_before = s_mock_counter (&b, "streams_cancelled");
    oa_msg_t *req = wk_test_request (1, "/v1/chat/completions",
                                     S_CHAT ("gpt-4o-mini@chunks=100,chunk_delay=100", "true"),
                                     true, false);
    wk_test_candidate (req, 1, 1, b.mock.base, "", 0);
    assert (wk_fakegw_send (b.gateway, &req) == 0);
    wk_reply_t r = { 0 };
    oa_msg_t *msg = wk_fakegw_recv (b.gateway, 2000);
    assert (msg);
    wk_reply_add (&r, &msg);
    //  The gateway goes silent: within ~3 s the worker gives up on it
    b.gateway->beat = false;
    size_t readies = b.gateway->readies;
    int64_t silent_at = oa_clock_mono_ms ();
    while (true) {
        msg = wk_fakegw_recv (b.gateway, 6000);
        assert (msg);
        if (wk_reply_add (&r, &msg))
            break;
    }
    int64_t lost_ms = r.end_ms - silent_at;
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && oa_msg_bytes_sent (r.last));
    assert (lost_ms >= 2500 && lost_ms <= 3600);
    zclock_sleep (100);
    assert (s_mock_counter (&b, "streams_cancelled") > cancelled_before);
    s_bench_usage (&b, 1, 2000);
    assert (b.usage_total == 1);
    //  The worker announces itself again until the gateway speaks
    msg = wk_fakegw_recv (b.gateway, 1500);
    assert (msg == NULL);
    assert (b.gateway->readies > readies);
    if (verbose)
        printf ("gateway loss noticed after %" PRId64 " ms; ", lost_ms);
    wk_reply_clear (&r);
    s_bench_stop (&b);
    if (verbose)
        printf ("OK\n");
}
