/*  =========================================================================
    gw_testkit - helpers for the gateway's self tests (see gw_testkit.c)
    =========================================================================
*/
#ifndef GW_TESTKIT_H_INCLUDED
#define GW_TESTKIT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include "oa_config.h"

typedef struct {
    int fd;                         //  connected socket
    char buf [256 * 1024];          //  bytes read, not consumed yet
    size_t len;                     //  bytes in buf
} gw_test_client_t;

typedef struct {
    int status;                     //  status code, 0 on error
    char head [8192];               //  status line and headers, NUL-terminated
    char body [200 * 1024];         //  body, NUL-terminated
    size_t body_len;                //  body bytes
} gw_test_response_t;

//  Connects to 127.0.0.1:port (10 s receive timeout); -1 with errno set.
int
    gw_test_connect (int port);

//  Opens a client connection; asserts it connects.
gw_test_client_t *
    gw_test_client_new (int port);

//  Closes and frees a client; nulls the pointer.
void
    gw_test_client_destroy (gw_test_client_t **self_p);

//  Copies a header's value (case-insensitive name) from a head.
bool
    gw_test_header (const char *head, const char *name, char *value, size_t size);

//  Reads one response (Content-Length bodies); status 0 on error.
void
    gw_test_read_response (gw_test_client_t *self, gw_test_response_t *response);

//  Sends a raw request and reads its response.
void
    gw_test_request (gw_test_client_t *self, const char *request, gw_test_response_t *response);

//  Asserts what every gateway response carries: Server and request id.
void
    gw_test_assert_common (const gw_test_response_t *response);

//  Runs `curl -sS -m 20 <args>`; returns stdout and stderr.  Caller frees.
char *
    gw_test_curl (const char *args, int *exit_code);

//  The test configuration.  Caller destroys it.
oa_config_t *
    gw_test_config (void);

//  one-api's /api/status body at defaults for this start_time.  Caller frees.
char *
    gw_test_expected_status (long long start_time);

//  The start_time in a /api/status body.
long long
    gw_test_start_time_of (const char *body);

#endif
