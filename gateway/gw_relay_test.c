/*  =========================================================================
    gw_relay_test - the relay routes over real HTTP

    A gateway (two loop threads) with a test ledger (gw_relay_testkit.c:
    snapshot ROUTER + change PUB) and the test thread playing the broker
    (a ROUTER on the gateway's frontend endpoint), driven with a blocking
    HTTP/1.1 client: not-ready 503s, no-broker 503, one-api's relay-key
    failures with exact bodies, bad bodies, 413, 501s, /v1/models,
    non-stream and incremental stream replies, worker and broker errors
    (OpenAI and Anthropic shapes), suspensions, client disconnect ->
    RELAY_CANCEL within 100 ms, a CHANGE from the ledger, metrics.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gw_relay_private.h"
#include "gw_relay_testkit.h"
#include "oa_health.h"

#define S_ALICE "Authorization: Bearer sk-aliceKey000000000000\r\n"
#define S_CHAT "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
#define S_CHAT_STREAM "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," \
                      "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
#define S_MW_ERROR(status_message) "{\"error\":{\"message\":\"" status_message " (request id: %s)\"," \
                                   "\"type\":\"one_api_error\"}}"

static zsock_t *s_broker;           //  the test thread's broker ROUTER

static gw_test_response_t *
s_response_new (void)
{
    gw_test_response_t *response = malloc (sizeof (gw_test_response_t));
    assert (response);
    return response;
}

//  The next message the gateway sent to the broker (5 s at most).
static oa_msg_t *
s_broker_recv (void)
{
    int err = 0;
    oa_msg_t *msg = oa_msg_recv (zsock_resolve (s_broker), 0, &err);
    assert (msg);
    return msg;
}

static void
s_broker_reply (oa_msg_t *request, int id, int status, const char *content_type,
                const char *payload, uint64_t channel_id)
{
    oa_msg_t *reply = oa_msg_new_reply (request, id);
    if (status)
        oa_msg_set_status (reply, (uint16_t) status);
    if (content_type)
        oa_msg_set_content_type (reply, content_type);
    if (payload)
        oa_msg_set_payload_bytes (reply, payload, strlen (payload));
    if (channel_id)
        oa_msg_set_channel_id (reply, channel_id);
    int rc = oa_msg_send (reply, zsock_resolve (s_broker), 0);
    assert (rc == 0);
    oa_msg_destroy (&reply);
}

static void
s_test_not_ready (int port)
{
    gw_test_response_t *response = s_response_new ();
    gw_relay_test_request (port, "POST", "/v1/chat/completions", S_ALICE, S_CHAT, response);
    gw_relay_test_expect_error (response, 503, S_MW_ERROR (
        "the gateway is loading its state from the ledger, please retry later"));
    gw_relay_test_request (port, "GET", "/readyz", NULL, NULL, response);
    assert (response->status == 503);
    assert (strstr (response->body, "\"state\":{\"status\":\"not_ready\""));
    free (response);
}

static void
s_test_auth (int port)
{
    gw_test_response_t *response = s_response_new ();
    gw_relay_test_request (port, "POST", "/v1/chat/completions", NULL, S_CHAT, response);
    gw_relay_test_expect_error (response, 401, S_MW_ERROR ("No token provided"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "Authorization: Bearer sk-nosuchkey0000000000\r\n", S_CHAT, response);
    gw_relay_test_expect_error (response, 401,
        S_MW_ERROR ("token not found for key: nosuch...0000: record not found"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "Authorization: Bearer sk-disabledKey000000000\r\n", S_CHAT, response);
    gw_relay_test_expect_error (response, 401,
        S_MW_ERROR ("token off (#12) status is not available (status: 2)"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "Authorization: Bearer sk-bannedKey00000000000\r\n", S_CHAT, response);
    gw_relay_test_expect_error (response, 403, S_MW_ERROR ("User has been banned"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "Authorization: Bearer sk-modelsKey00000000000\r\n", S_CHAT, response);
    gw_relay_test_expect_error (response, 403,
        S_MW_ERROR ("This API key does not have permission to use the model: gpt-4o"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "Authorization: Bearer sk-aliceKey000000000000-2\r\n", S_CHAT, response);
    gw_relay_test_expect_error (response, 403,
        S_MW_ERROR ("Ordinary users do not support specifying channels"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "Authorization: Bearer sk-brokeKey000000000000\r\n", S_CHAT, response);
    gw_relay_test_expect_error (response, 403, "{\"error\":{\"message\":\"user quota is not enough "
        "(request id: %s)\",\"type\":\"one_api_error\",\"param\":\"\",\"code\":\"insufficient_user_quota\"}}");
    //  x-api-key and api-key are credentials too
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "x-api-key: sk-modelsKey00000000000\r\n", S_CHAT, response);
    assert (response->status == 403);
    gw_relay_test_request (port, "POST", "/v1/chat/completions",
                           "api-key: sk-disabledKey000000000\r\n", S_CHAT, response);
    assert (response->status == 401);
    //  No channel serves the model for the group
    gw_relay_test_request (port, "POST", "/v1/chat/completions", S_ALICE,
                           "{\"model\":\"nope\"}", response);
    gw_relay_test_expect_error (response, 503,
        S_MW_ERROR ("No available channels for Model nope under Group default"));
    free (response);
}

static void
s_test_bodies (int port)
{
    gw_test_response_t *response = s_response_new ();
    gw_relay_test_request (port, "POST", "/v1/chat/completions", S_ALICE, "xyz", response);
    gw_relay_test_expect_error (response, 400, S_MW_ERROR ("common.UnmarshalBodyReusable failed: "
        "unmarshal request body failed: invalid character 'x' looking for beginning of value"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions", S_ALICE, "", response);
    gw_relay_test_expect_error (response, 400, S_MW_ERROR ("common.UnmarshalBodyReusable failed: "
        "unmarshal request body failed: unexpected end of JSON input"));
    gw_relay_test_request (port, "POST", "/v1/chat/completions", S_ALICE, "[1]", response);
    gw_relay_test_expect_error (response, 400, S_MW_ERROR ("common.UnmarshalBodyReusable failed: "
        "unmarshal request body failed: json: cannot unmarshal array into Go value of type "
        "middleware.ModelRequest"));
    //  A bad key is reported before a bad body, as one-api reads the body later
    gw_relay_test_request (port, "POST", "/v1/chat/completions", NULL, "xyz", response);
    assert (response->status == 401);
    //  Over ONEAPI_MAX_BODY_BYTES (4 KiB here)
    char *big = malloc (6000);
    memset (big, 'a', 5999);
    big [5999] = 0;
    memcpy (big, "{\"model\":\"", 10);
    gw_relay_test_request (port, "POST", "/v1/chat/completions", S_ALICE, big, response);
    free (big);
    assert (response->status == 413);
    assert (strstr (response->body, "\"code\":\"request_body_too_large\""));
    free (response);
}

static void
s_test_models_and_501 (int port)
{
    gw_test_response_t *response = s_response_new ();
    gw_relay_test_request (port, "GET", "/v1/models", S_ALICE, NULL, response);
    assert (response->status == 200);
    assert (strncmp (response->body, "{\"data\":[{\"id\":\"claude-3\",\"object\":\"model\"", 42) == 0);
    assert (strstr (response->body, "{\"id\":\"gpt-4o\""));
    assert (strstr (response->body, "{\"id\":\"text-embedding-3-small\""));
    assert (strstr (response->body, "],\"object\":\"list\"}"));
    gw_relay_test_request (port, "GET", "/v1/models",
                           "Authorization: Bearer sk-rootKey0000000000000\r\n", NULL, response);
    assert (response->status == 200);       //  group vip: gpt-4o only
    assert (strstr (response->body, "gpt-4o") && !strstr (response->body, "claude-3"));
    gw_relay_test_request (port, "GET", "/v1/models/GPT-4o", S_ALICE, NULL, response);
    assert (response->status == 200);
    assert (strncmp (response->body, "{\"id\":\"gpt-4o\",\"object\":\"model\"", 31) == 0);
    gw_relay_test_request (port, "GET", "/v1/models/nope", S_ALICE, NULL, response);
    assert (response->status == 200);
    assert (streq (response->body, "{\"error\":{\"message\":\"The model 'nope' does not exist\","
                   "\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}"));
    gw_relay_test_request (port, "GET", "/v1/models", NULL, NULL, response);
    gw_relay_test_expect_error (response, 401, S_MW_ERROR ("No token provided"));

    const char *not_implemented = "{\"error\":{\"message\":\"API not implemented\","
        "\"type\":\"one_api_error\",\"param\":\"\",\"code\":\"api_not_implemented\"}}";
    const char *paths [][2] = {
        { "GET", "/v1/files" }, { "DELETE", "/v1/models/gpt-4o" },
        { "POST", "/v1/images/variations" }, { "GET", "/v1/threads/t1/runs/r1/steps" },
        { "POST", "/v1/fine_tuning/jobs" }, { "GET", "/v1/assistants" }
    };
    for (size_t index = 0; index < sizeof paths / sizeof paths [0]; index++) {
        gw_relay_test_request (port, paths [index][0], paths [index][1], S_ALICE,
                               streq (paths [index][0], "POST")? "{}": NULL, response);
        assert (response->status == 501);
        assert (streq (response->body, not_implemented));
        gw_test_assert_common (response);
    }
    gw_relay_test_request (port, "GET", "/v1/files", NULL, NULL, response);
    assert (response->status == 401);
    free (response);
}

static void
s_test_no_broker (int port)
{
    gw_test_response_t *response = s_response_new ();
    gw_relay_test_request (port, "POST", "/v1/chat/completions", S_ALICE, S_CHAT, response);
    gw_relay_test_expect_error (response, 503, "{\"error\":{\"message\":\"no relay worker is "
        "available right now, please retry later (request id: %s)\",\"type\":\"one_api_error\","
        "\"param\":\"\",\"code\":\"gateway_overloaded\"}}");
    free (response);
}

static void
s_test_non_stream (int port)
{
    gw_test_client_t *client = gw_test_client_new (port);
    gw_relay_test_send (client, "POST", "/v1/chat/completions?thinking=true&reasoning_format=thinking",
                        S_ALICE, NULL, S_CHAT);
    oa_msg_t *request = s_broker_recv ();
    assert (oa_msg_id (request) == OA_MSG_RELAY_REQUEST);
    assert (oa_msg_corr_id (request) >> 48 >= 1);
    assert (oa_msg_client_format (request) == OA_MSG_FORMAT_CHAT);
    assert (!oa_msg_stream (request));
    assert (streq (oa_msg_method (request), "POST"));
    assert (streq (oa_msg_path (request), "/v1/chat/completions"));
    assert (streq (oa_msg_query (request), "thinking=true&reasoning_format=thinking"));
    assert (oa_msg_thinking (request));
    assert (streq (oa_msg_reasoning_format (request), "thinking"));
    assert (streq (oa_msg_content_type (request), "application/json"));
    assert (streq (oa_msg_client_ip (request), "127.0.0.1"));
    assert (oa_msg_user_id (request) == 1 && streq (oa_msg_username (request), "alice"));
    assert (oa_msg_token_id (request) == 11 && streq (oa_msg_token_name (request), "ok"));
    assert (streq (oa_msg_group (request), "default"));
    assert (streq (oa_msg_requested_model (request), "gpt-4o"));
    assert (oa_msg_retry_times (request) == 1);
    assert (oa_msg_candidates_size (request) >= 1);
    assert (!oa_msg_pinned (request));
    assert (oa_msg_deadline (request) > oa_msg_created_at_ms (request));
    zframe_t *payload = oa_msg_payload (request);
    assert (payload && zframe_streq (payload, S_CHAT));
    const char *request_id = oa_msg_request_id (request);
    assert (strlen (request_id) >= 22);

    const char *answer = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}";
    oa_msg_t *head = oa_msg_new_reply (request, OA_MSG_RELAY_HEAD);
    oa_msg_set_status (head, 200);
    oa_msg_set_content_type (head, "application/json");
    oa_msg_headers_insert (head, "x-upstream", "mock");
    oa_msg_headers_insert (head, "content-length", "999");      //  h2o's to set
    oa_msg_set_channel_id (head, 1);
    assert (oa_msg_send (head, zsock_resolve (s_broker), 0) == 0);
    oa_msg_destroy (&head);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "{\"id\":\"chatcmpl-1\",", 0);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "\"object\":\"chat.completion\"}", 0);
    oa_msg_t *end = oa_msg_new_reply (request, OA_MSG_RELAY_END);
    oa_msg_set_status (end, 200);
    oa_msg_set_channel_id (end, 1);
    oa_msg_set_upstream_ms (end, 3);
    assert (oa_msg_send (end, zsock_resolve (s_broker), 0) == 0);
    oa_msg_destroy (&end);

    gw_test_response_t *response = s_response_new ();
    gw_test_read_response (client, response);
    assert (response->status == 200);
    gw_test_assert_common (response);
    assert (streq (response->body, answer));
    char value [128];
    assert (gw_test_header (response->head, "x-oneapi-request-id", value, sizeof value));
    assert (streq (value, request_id));
    assert (gw_test_header (response->head, "content-type", value, sizeof value));
    assert (streq (value, "application/json"));
    assert (gw_test_header (response->head, "content-length", value, sizeof value));
    assert (atoi (value) == (int) strlen (answer));
    assert (gw_test_header (response->head, "x-upstream", value, sizeof value));
    assert (streq (value, "mock"));
    oa_msg_destroy (&request);
    free (response);
    gw_test_client_destroy (&client);
}

static void
s_test_stream (int port)
{
    gw_test_client_t *client = gw_test_client_new (port);
    gw_relay_test_send (client, "POST", "/v1/chat/completions", S_ALICE, NULL, S_CHAT_STREAM);
    oa_msg_t *request = s_broker_recv ();
    assert (oa_msg_stream (request));
    assert (oa_msg_include_usage_requested (request));
    s_broker_reply (request, OA_MSG_RELAY_HEAD, 200, "text/event-stream", NULL, 1);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "data: {\"n\":1}\n\n", 0);
    //  The first event reaches the client before the rest is even sent
    assert (gw_relay_test_wait_for (client, "data: {\"n\":1}\n\n", 2000));
    assert (!memmem (client->buf, client->len, "\"n\":2", 5));
    assert (strstr (client->buf, "HTTP/1.1 200 OK\r\n"));
    assert (strstr (client->buf, "\r\ncontent-type: text/event-stream\r\n"));
    assert (strstr (client->buf, "\r\ncache-control: no-cache\r\n"));
    assert (strstr (client->buf, "\r\ntransfer-encoding: chunked\r\n"));
    assert (!strstr (client->buf, "\r\ncontent-length:"));
    assert (strstr (client->buf, "\r\nX-Oneapi-Request-Id: "));
    zclock_sleep (30);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "data: {\"n\":2}\n\n", 0);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "data: [DONE]\n\n", 0);
    s_broker_reply (request, OA_MSG_RELAY_END, 200, NULL, NULL, 1);
    assert (gw_relay_test_wait_for (client, "data: [DONE]\n\n\r\n0\r\n\r\n", 2000));
    assert (memmem (client->buf, client->len, "data: {\"n\":2}\n\n", 15));
    oa_msg_destroy (&request);
    gw_test_client_destroy (&client);
}

static void
s_test_errors (int port)
{
    gw_test_response_t *response = s_response_new ();
    //  The broker's own error: no payload, rendered from its fields
    gw_test_client_t *client = gw_test_client_new (port);
    gw_relay_test_send (client, "POST", "/v1/chat/completions", S_ALICE, NULL, S_CHAT);
    oa_msg_t *request = s_broker_recv ();
    oa_msg_t *error = oa_msg_new_reply (request, OA_MSG_RELAY_ERROR);
    oa_msg_set_status (error, 503);
    oa_msg_set_error_type (error, "one_api_error");
    oa_msg_set_code (error, "no_available_worker");
    oa_msg_set_message (error, "No relay worker available");
    assert (oa_msg_send (error, zsock_resolve (s_broker), 0) == 0);
    oa_msg_destroy (&error);
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    gw_relay_test_expect_error (response, 503, "{\"error\":{\"message\":\"No relay worker "
        "available (request id: %s)\",\"type\":\"one_api_error\",\"param\":\"\","
        "\"code\":\"no_available_worker\"}}");

    //  A worker's rendered error after a head, on a stream request that
    //  never started: the client gets the error whole, with its status
    gw_relay_test_send (client, "POST", "/v1/chat/completions", S_ALICE, NULL, S_CHAT_STREAM);
    request = s_broker_recv ();
    const char *upstream = "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}";
    s_broker_reply (request, OA_MSG_RELAY_HEAD, 429, "application/json", NULL, 2);
    s_broker_reply (request, OA_MSG_RELAY_ERROR, 429, "application/json", upstream, 2);
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    assert (response->status == 429);
    assert (streq (response->body, upstream));
    gw_test_client_destroy (&client);

    //  Anthropic's shape on /v1/messages (and its Claude Code rewrites)
    gw_relay_test_request (port, "POST", "/v1/messages", NULL,
                           "{\"model\":\"claude-3\",\"max_tokens\":5}", response);
    gw_relay_test_expect_error (response, 401, "{\"type\":\"error\",\"error\":{\"type\":"
        "\"authentication_error\",\"message\":\"No token provided (request id: %s)\"}}");
    gw_relay_test_request (port, "POST", "/openai/v1/messages", "x-api-key: sk-aliceKey000000000000\r\n",
                           "{bad", response);
    assert (response->status == 400);
    assert (strncmp (response->body, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                     "\"message\":\"common.UnmarshalBodyReusable failed", 100) == 0);
    client = gw_test_client_new (port);
    gw_relay_test_send (client, "POST", "/v1/v1/messages",
                        "x-api-key: sk-aliceKey000000000000\r\nanthropic-version: 2023-06-01\r\n"
                        "anthropic-beta: a\r\nanthropic-beta: b\r\n", NULL,
                        "{\"model\":\"claude-3\",\"max_tokens\":5}");
    request = s_broker_recv ();
    assert (oa_msg_client_format (request) == OA_MSG_FORMAT_CLAUDE);
    assert (streq (oa_msg_path (request), "/v1/messages"));
    assert (streq (oa_msg_headers_lookup (request, "anthropic-version"), "2023-06-01"));
    assert (streq (oa_msg_headers_lookup (request, "anthropic-beta"), "a, b"));
    error = oa_msg_new_reply (request, OA_MSG_RELAY_ERROR);
    oa_msg_set_status (error, 504);
    oa_msg_set_error_type (error, "one_api_error");
    oa_msg_set_code (error, "request_timeout");
    oa_msg_set_message (error, "The request timed out");
    assert (oa_msg_send (error, zsock_resolve (s_broker), 0) == 0);
    oa_msg_destroy (&error);
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    gw_relay_test_expect_error (response, 504, "{\"type\":\"error\",\"error\":{\"type\":"
        "\"api_error\",\"message\":\"The request timed out (request id: %s)\"}}");
    gw_test_client_destroy (&client);

    //  Embeddings: another format, same path through
    client = gw_test_client_new (port);
    gw_relay_test_send (client, "POST", "/v1/embeddings", S_ALICE, NULL,
                        "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
    request = s_broker_recv ();
    assert (oa_msg_client_format (request) == OA_MSG_FORMAT_EMBEDDINGS);
    assert (oa_msg_candidates_size (request) == 1);
    assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0)) == 3);
    s_broker_reply (request, OA_MSG_RELAY_HEAD, 200, "application/json", NULL, 3);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "{\"data\":[]}", 0);
    s_broker_reply (request, OA_MSG_RELAY_END, 200, NULL, NULL, 3);
    oa_msg_destroy (&request);
    gw_test_read_response (client, response);
    assert (response->status == 200 && streq (response->body, "{\"data\":[]}"));
    gw_test_client_destroy (&client);
    free (response);
}

//  A 429 in RELAY_END.failures suspends that channel for the model on this
//  loop (the same connection stays on the same loop thread).
static void
s_test_suspend (int port)
{
    gw_test_response_t *response = s_response_new ();
    gw_test_client_t *client = gw_test_client_new (port);
    uint64_t failed = 0;
    for (int round = 0; round < 2; round++) {
        gw_relay_test_send (client, "POST", "/v1/chat/completions", S_ALICE, NULL, S_CHAT);
        oa_msg_t *request = s_broker_recv ();
        assert (oa_msg_candidates_size (request) >= 1);
        uint64_t first = oa_msg_candidate_channel_id (oa_msg_candidates_at (request, 0));
        if (round == 1)
            for (size_t index = 0; index < oa_msg_candidates_size (request); index++)
                assert (oa_msg_candidate_channel_id (oa_msg_candidates_at (request, index)) != failed);
        s_broker_reply (request, OA_MSG_RELAY_HEAD, 200, "application/json", NULL, 0);
        s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "{}", 0);
        oa_msg_t *end = oa_msg_new_reply (request, OA_MSG_RELAY_END);
        oa_msg_set_status (end, 200);
        if (round == 0) {
            char failure [32];
            snprintf (failure, sizeof failure, "%llu 429", (unsigned long long) first);
            oa_msg_failures_append (end, failure);
            failed = first;
        }
        assert (oa_msg_send (end, zsock_resolve (s_broker), 0) == 0);
        oa_msg_destroy (&end);
        oa_msg_destroy (&request);
        gw_test_read_response (client, response);
        assert (response->status == 200);
    }
    gw_test_client_destroy (&client);
    free (response);
}

//  The client going away mid-stream: the broker sees RELAY_CANCEL within
//  100 ms (HTTP/1.1 notices on the next write, so the worker keeps writing).
static void
s_test_cancel (int port)
{
    gw_test_client_t *client = gw_test_client_new (port);
    gw_relay_test_send (client, "POST", "/v1/chat/completions", S_ALICE, NULL, S_CHAT_STREAM);
    oa_msg_t *request = s_broker_recv ();
    uint64_t corr_id = oa_msg_corr_id (request);
    s_broker_reply (request, OA_MSG_RELAY_HEAD, 200, "text/event-stream", NULL, 1);
    s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "data: {}\n\n", 0);
    assert (gw_relay_test_wait_for (client, "data: {}\n\n", 2000));
    int64_t closed_at = zclock_mono ();
    gw_test_client_destroy (&client);
    int64_t cancelled_at = 0;
    while (!cancelled_at && zclock_mono () - closed_at < 2000) {
        s_broker_reply (request, OA_MSG_RELAY_DATA, 0, NULL, "data: {}\n\n", 0);
        zsock_set_rcvtimeo (s_broker, 5);
        int err = 0;
        oa_msg_t *msg = oa_msg_recv (zsock_resolve (s_broker), 0, &err);
        if (msg && oa_msg_id (msg) == OA_MSG_RELAY_CANCEL && oa_msg_corr_id (msg) == corr_id)
            cancelled_at = zclock_mono ();
        oa_msg_destroy (&msg);
    }
    zsock_set_rcvtimeo (s_broker, 5000);
    assert (cancelled_at);
    assert (cancelled_at - closed_at < 100);
    //  The worker still ends the request; the gateway drops it
    s_broker_reply (request, OA_MSG_RELAY_END, 200, NULL, NULL, 1);
    oa_msg_destroy (&request);
}

//  A change from the ledger reaches every loop's replica.
static void
s_test_change (int port, zactor_t *ledger)
{
    zstr_sendx (ledger, "CHANGE", "tokens", "1", "11",
                "{\"id\":11,\"user_id\":1,\"key\":\"aliceKey000000000000\",\"status\":2,"
                "\"name\":\"ok\",\"expired_time\":-1,\"remain_quota\":100}", NULL);
    zsock_wait (ledger);
    gw_test_response_t *response = s_response_new ();
    int refused = 0;
    int64_t deadline = zclock_mono () + 3000;
    while (refused < 6 && zclock_mono () < deadline) {
        gw_relay_test_request (port, "GET", "/v1/models", S_ALICE, NULL, response);
        if (response->status == 401)
            refused++;
        else
            zclock_sleep (20);
    }
    assert (refused == 6);
    gw_relay_test_expect_error (response, 401,
        S_MW_ERROR ("token ok (#11) status is not available (status: 2)"));
    free (response);
}

static void
s_test_metrics (int port)
{
    gw_test_response_t *response = s_response_new ();
    gw_relay_test_request (port, "GET", "/metrics", "Authorization: Bearer s3cret\r\n", NULL, response);
    assert (response->status == 200);
    assert (strstr (response->body, "oneapi_relay_requests_total{route=\"/v1/chat/completions\","
                    "model=\"gpt-4o\",channel=\"1\",status=\"200\"}"));
    assert (strstr (response->body, "oneapi_relay_requests_total{route=\"/v1/chat/completions\","
                    "model=\"gpt-4o\",channel=\"1\",status=\"499\"} 1"));
    assert (strstr (response->body, "oneapi_relay_ttfb_seconds_count{route=\"/v1/chat/completions\"}"));
    assert (strstr (response->body, "oneapi_relay_gateway_overhead_seconds_count{route="));
    assert (strstr (response->body, "oneapi_relay_inflight_requests 0"));
    free (response);
}

void
oa_gw_relay_test (bool verbose)
{
    printf (" * gw_relay: ");
    oa_config_t *config = gw_test_config ();
    const char *endpoints [] = { "inproc://gw-relay-test-ledger", "inproc://gw-relay-test-changes" };
    free (config->ledger_endpoint);
    config->ledger_endpoint = strdup (endpoints [0]);
    free (config->ledger_pub_endpoint);
    config->ledger_pub_endpoint = strdup (endpoints [1]);
    config->max_body_bytes = 4096;
    oa_gateway_t *gateway = oa_gateway_new (config);
    assert (gateway->relay);
    //  The broker on tcp, not inproc: an inproc connect to an endpoint not
    //  bound yet queues messages, where tcp with ZMQ_IMMEDIATE refuses them,
    //  which is the "no broker" case to test.
    zsock_t *probe = zsock_new (ZMQ_ROUTER);
    int broker_port = zsock_bind (probe, "tcp://127.0.0.1:*");
    assert (broker_port > 0);
    zsock_destroy (&probe);
    snprintf (gateway->broker_endpoint, sizeof gateway->broker_endpoint, "tcp://127.0.0.1:%d",
              broker_port);
    char err [256];
    int rc = oa_gateway_start (gateway, err, sizeof err);
    assert (rc == 0);
    int port = oa_gateway_port (gateway);
    if (verbose)
        printf ("\ngateway on %d, broker frontend %s\n", port, gateway->broker_endpoint);

    //  No ledger yet: 503s, /readyz not ready
    s_test_not_ready (port);
    zactor_t *ledger = zactor_new (gw_relay_test_ledger, endpoints);
    assert (ledger);
    zstr_send (ledger, "START");
    zsock_wait (ledger);
    int64_t deadline = zclock_mono () + 5000;
    gw_test_response_t *response = s_response_new ();
    do {
        zclock_sleep (20);
        gw_relay_test_request (port, "GET", "/readyz", NULL, NULL, response);
    } while (response->status != 200 && zclock_mono () < deadline);
    assert (response->status == 200);
    free (response);

    //  Replica ready, no broker bound yet: sends fail at once
    s_test_no_broker (port);
    s_broker = zsock_new (ZMQ_ROUTER);
    rc = zsock_bind (s_broker, "%s", gateway->broker_endpoint);
    assert (rc == broker_port);
    zsock_set_rcvtimeo (s_broker, 5000);
    zclock_sleep (400);             //  the loops' DEALERs reconnect (100 ms interval)

    s_test_auth (port);
    s_test_bodies (port);
    s_test_models_and_501 (port);
    s_test_non_stream (port);
    s_test_stream (port);
    s_test_errors (port);
    s_test_suspend (port);
    s_test_cancel (port);
    s_test_metrics (port);
    s_test_change (port, ledger);

    oa_gateway_destroy (&gateway);
    zsock_destroy (&s_broker);
    zactor_destroy (&ledger);
    oa_config_destroy (&config);
    printf ("OK\n");
}
