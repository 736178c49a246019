/*  =========================================================================
    gw_relay_testkit - a test ledger and HTTP helpers for the relay tests

    The test ledger is an actor with a ROUTER (answers every
    SNAPSHOT_REQUEST with one chunk per table, the last one flagged, all
    at seq GW_RELAY_TEST_SEQ) and a PUB (pipe command "CHANGE" table op
    row_id json publishes one CHANGE with the next seq).  It binds only
    on "START", so a test can watch a gateway wait for its ledger.
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "gw_relay_testkit.h"
#include "oa_msg.h"

static const char *s_users =
    "[{\"id\":1,\"uuid\":\"u-1\",\"username\":\"alice\",\"role\":1,\"status\":1,\"quota\":100000,"
    "\"group\":\"default\"},"
    "{\"id\":2,\"username\":\"root\",\"role\":100,\"status\":1,\"quota\":100000,\"group\":\"vip\"},"
    "{\"id\":3,\"username\":\"banned\",\"role\":1,\"status\":2,\"quota\":1000,\"group\":\"default\"},"
    "{\"id\":4,\"username\":\"broke\",\"role\":1,\"status\":1,\"quota\":0,\"group\":\"default\"}]";

static const char *s_tokens =
    "[{\"id\":11,\"user_id\":1,\"key\":\"aliceKey000000000000\",\"status\":1,\"name\":\"ok\","
    "\"expired_time\":-1,\"remain_quota\":100,\"unlimited_quota\":true},"
    "{\"id\":12,\"user_id\":1,\"key\":\"disabledKey000000000\",\"status\":2,\"name\":\"off\","
    "\"expired_time\":-1,\"remain_quota\":100},"
    "{\"id\":19,\"user_id\":1,\"key\":\"modelsKey00000000000\",\"status\":1,\"name\":\"few\","
    "\"expired_time\":-1,\"remain_quota\":9,\"unlimited_quota\":true,\"models\":\"claude-3\"},"
    "{\"id\":20,\"user_id\":3,\"key\":\"bannedKey00000000000\",\"status\":1,\"name\":\"b\","
    "\"expired_time\":-1,\"remain_quota\":9},"
    "{\"id\":21,\"user_id\":4,\"key\":\"brokeKey000000000000\",\"status\":1,\"name\":\"c\","
    "\"expired_time\":-1,\"remain_quota\":9},"
    "{\"id\":22,\"user_id\":2,\"key\":\"rootKey0000000000000\",\"status\":1,\"name\":\"r\","
    "\"expired_time\":-1,\"remain_quota\":9,\"unlimited_quota\":true}]";

//  Channels 1 and 2 serve gpt-4o at one priority; 3 serves claude-3 and
//  text-embedding-3-small.
static const char *s_channels =
    "[{\"id\":1,\"type\":1,\"key\":\"k1\",\"status\":1,\"weight\":1,\"priority\":10,"
    "\"base_url\":\"http://up.example\",\"models\":\"gpt-4o\",\"group\":\"default,vip\"},"
    "{\"id\":2,\"type\":1,\"key\":\"k2\",\"status\":1,\"weight\":1,\"priority\":10,"
    "\"base_url\":\"http://up2.example\",\"models\":\"gpt-4o\",\"group\":\"default\"},"
    "{\"id\":3,\"type\":14,\"key\":\"k3\",\"status\":1,\"weight\":1,\"priority\":0,"
    "\"models\":\"claude-3,text-embedding-3-small\",\"group\":\"default\"}]";

static const char *s_abilities =
    "[{\"group\":\"default\",\"model\":\"gpt-4o\",\"channel_id\":1,\"enabled\":true,\"priority\":10},"
    "{\"group\":\"vip\",\"model\":\"gpt-4o\",\"channel_id\":1,\"enabled\":true,\"priority\":10},"
    "{\"group\":\"default\",\"model\":\"gpt-4o\",\"channel_id\":2,\"enabled\":true,\"priority\":10},"
    "{\"group\":\"default\",\"model\":\"claude-3\",\"channel_id\":3,\"enabled\":true,\"priority\":0},"
    "{\"group\":\"default\",\"model\":\"text-embedding-3-small\",\"channel_id\":3,\"enabled\":true,"
    "\"priority\":0}]";

static const char *s_options = "[{\"key\":\"RetryTimes\",\"value\":\"1\"}]";

static void
s_send_chunk (zsock_t *router, oa_msg_t *request, const char *table, const char *rows, bool last)
{
    oa_msg_t *chunk = oa_msg_new_reply (request, OA_MSG_SNAPSHOT_CHUNK);
    oa_msg_set_seq (chunk, GW_RELAY_TEST_SEQ);
    oa_msg_set_table (chunk, table);
    oa_msg_set_last (chunk, last);
    oa_msg_set_payload_bytes (chunk, rows, strlen (rows));
    int rc = oa_msg_send (chunk, zsock_resolve (router), 0);
    assert (rc == 0);
    oa_msg_destroy (&chunk);
}

void
gw_relay_test_ledger (zsock_t *pipe, void *args)
{
    const char **endpoints = args;
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    zsock_t *pub = zsock_new (ZMQ_PUB);
    assert (router && pub);
    int rc = 0;
    zsock_signal (pipe, 0);
    bool serving = false;
    uint64_t seq = GW_RELAY_TEST_SEQ;
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (true) {
        void *which = zpoller_wait (poller, -1);
        if (which == pipe) {
            zmsg_t *msg = zmsg_recv (pipe);
            if (!msg)
                break;
            char *command = zmsg_popstr (msg);
            if (streq (command, "$TERM")) {
                zstr_free (&command);
                zmsg_destroy (&msg);
                break;
            }
            if (streq (command, "START")) {
                //  Bound only now, so no request is lost before it
                rc = zsock_bind (router, "%s", endpoints [0]);
                assert (rc == 0);
                rc = zsock_bind (pub, "%s", endpoints [1]);
                assert (rc == 0);
                serving = true;
            }
            else
            if (streq (command, "CHANGE")) {
                char *table = zmsg_popstr (msg), *op = zmsg_popstr (msg);
                char *row_id = zmsg_popstr (msg), *row = zmsg_popstr (msg);
                oa_msg_t *change = oa_msg_new (OA_MSG_CHANGE);
                oa_msg_set_seq (change, ++seq);
                oa_msg_set_table (change, table);
                oa_msg_set_op (change, (uint8_t) atoi (op));
                oa_msg_set_row_id (change, row_id);
                oa_msg_set_payload_bytes (change, row, strlen (row));
                rc = oa_msg_send (change, zsock_resolve (pub), 0);
                assert (rc == 0);
                oa_msg_destroy (&change);
                zstr_free (&table);
                zstr_free (&op);
                zstr_free (&row_id);
                zstr_free (&row);
            }
            zsock_signal (pipe, 0);
            zstr_free (&command);
            zmsg_destroy (&msg);
        }
        else
        if (which == router) {
            int err = 0;
            oa_msg_t *request = oa_msg_recv (zsock_resolve (router), 0, &err);
            if (request && serving && oa_msg_id (request) == OA_MSG_SNAPSHOT_REQUEST) {
                s_send_chunk (router, request, "users", s_users, false);
                s_send_chunk (router, request, "tokens", s_tokens, false);
                s_send_chunk (router, request, "channels", s_channels, false);
                s_send_chunk (router, request, "abilities", s_abilities, false);
                s_send_chunk (router, request, "options", s_options, true);
            }
            oa_msg_destroy (&request);
        }
        else
            break;
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
    zsock_destroy (&pub);
}

//  --------------------------------------------------------------------------
//  HTTP

void
gw_relay_test_send (gw_test_client_t *client, const char *method, const char *path,
                    const char *headers, const char *content_type, const char *body)
{
    char *request = malloc (strlen (body? body: "") + 4096);
    assert (request);
    size_t body_len = body? strlen (body): 0;
    int len = sprintf (request, "%s %s HTTP/1.1\r\nHost: localhost\r\n%s", method, path,
                       headers? headers: "");
    if (body) {
        len += sprintf (request + len, "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                        content_type? content_type: "application/json", body_len);
        memcpy (request + len, body, body_len);
        len += (int) body_len;
    }
    else
        len += sprintf (request + len, "\r\n");
    size_t at = 0;
    while (at < (size_t) len) {
        ssize_t n = send (client->fd, request + at, (size_t) len - at, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        at += (size_t) n;
    }
    free (request);
}

void
gw_relay_test_request (int port, const char *method, const char *path, const char *headers,
                       const char *body, gw_test_response_t *response)
{
    gw_test_client_t *client = gw_test_client_new (port);
    gw_relay_test_send (client, method, path, headers, NULL, body);
    gw_test_read_response (client, response);
    gw_test_client_destroy (&client);
}

bool
gw_relay_test_wait_for (gw_test_client_t *client, const char *text, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (!memmem (client->buf, client->len, text, strlen (text))) {
        int64_t left = deadline - zclock_mono ();
        if (left <= 0 || client->len + 1 >= sizeof client->buf)
            return false;
        struct timeval tv = { left / 1000, (left % 1000) * 1000 };
        setsockopt (client->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ssize_t n = recv (client->fd, client->buf + client->len, sizeof client->buf - client->len - 1, 0);
        if (n <= 0)
            return memmem (client->buf, client->len, text, strlen (text)) != NULL;
        client->len += (size_t) n;
        client->buf [client->len] = 0;
    }
    return true;
}

void
gw_relay_test_expect_error (const gw_test_response_t *response, int status, const char *format)
{
    char id [64] = "";
    bool has_id = gw_test_header (response->head, "x-oneapi-request-id", id, sizeof id);
    char expected [4096];
    snprintf (expected, sizeof expected, format, id);
    if (response->status != status || !has_id || !streq (response->body, expected)) {
        fprintf (stderr, "expected %d %s\n     got %d %s\n", status, expected, response->status,
                 response->body);
        assert (false);
    }
}
