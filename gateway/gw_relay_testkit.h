/*  =========================================================================
    gw_relay_testkit - a test ledger and HTTP helpers for the relay tests
    (see gw_relay_testkit.c)
    =========================================================================
*/
#ifndef GW_RELAY_TESTKIT_H_INCLUDED
#define GW_RELAY_TESTKIT_H_INCLUDED

#include <czmq.h>
#include "gw_testkit.h"

#define GW_RELAY_TEST_SEQ 1000      //  the seq the test snapshot is consistent at

//  The test ledger actor; args is const char *[2]: ROUTER and PUB endpoints
//  (borrowed).  Commands: START (serve snapshots), CHANGE table op row_id
//  row_json; each answered with a signal.
void
    gw_relay_test_ledger (zsock_t *pipe, void *args);

//  Sends one request on client (headers: whole lines with CRLF, or NULL;
//  a body gets Content-Type content_type, default application/json).
void
    gw_relay_test_send (gw_test_client_t *client, const char *method, const char *path,
                        const char *headers, const char *content_type, const char *body);

//  One request on a fresh connection, and its (Content-Length) response.
void
    gw_relay_test_request (int port, const char *method, const char *path, const char *headers,
                           const char *body, gw_test_response_t *response);

//  Reads from client until text was received; false at timeout or EOF.
bool
    gw_relay_test_wait_for (gw_test_client_t *client, const char *text, int timeout_ms);

//  Asserts status and body, where format has one %s for the request id
//  taken from the response's X-Oneapi-Request-Id.
void
    gw_relay_test_expect_error (const gw_test_response_t *response, int status,
                                const char *format);

#endif
