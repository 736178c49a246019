/*  =========================================================================
    gw_testkit - helpers for the gateway's self tests

    A blocking HTTP/1.1 client that reads exact heads and bodies (one
    response at a time, keep-alive), curl through popen, and the test
    configuration: 127.0.0.1, port 0, two loop threads, 1 KiB body limit,
    METRICS_TOKEN "s3cret", no ledger (so no relay).
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
#include <czmq.h>
#include "gw_testkit.h"

//  --------------------------------------------------------------------------
//  A blocking HTTP/1.1 client

int
gw_test_connect (int port)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert (fd >= 0);
    struct timeval tv = { 10, 0 };
    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    if (connect (fd, (struct sockaddr *) &address, sizeof address) == -1) {
        int saved = errno;
        close (fd);
        errno = saved;
        return -1;
    }
    return fd;
}

gw_test_client_t *
gw_test_client_new (int port)
{
    gw_test_client_t *self = calloc (1, sizeof (gw_test_client_t));
    assert (self);
    self->fd = gw_test_connect (port);
    assert (self->fd >= 0);
    return self;
}

void
gw_test_client_destroy (gw_test_client_t **self_p)
{
    close ((*self_p)->fd);
    free (*self_p);
    *self_p = NULL;
}

static void
s_send_all (int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return;                 //  the server may close first (413)
        data += n;
        len -= (size_t) n;
    }
}

static bool
s_fill (gw_test_client_t *self)
{
    if (self->len == sizeof self->buf)
        return false;
    ssize_t n = recv (self->fd, self->buf + self->len, sizeof self->buf - self->len, 0);
    if (n <= 0)
        return false;
    self->len += (size_t) n;
    return true;
}

//  Finds a header's value in a head; copies it into value.
bool
gw_test_header (const char *head, const char *name, char *value, size_t size)
{
    size_t name_len = strlen (name);
    for (const char *line = strstr (head, "\r\n"); line; line = strstr (line + 2, "\r\n")) {
        const char *start = line + 2;
        if (strncasecmp (start, name, name_len) == 0 && start [name_len] == ':') {
            start += name_len + 1;
            while (*start == ' ')
                start++;
            const char *end = strstr (start, "\r\n");
            size_t len = end? (size_t) (end - start): strlen (start);
            if (len >= size)
                len = size - 1;
            memcpy (value, start, len);
            value [len] = 0;
            return true;
        }
    }
    return false;
}

//  Reads one response with a Content-Length body.
void
gw_test_read_response (gw_test_client_t *self, gw_test_response_t *response)
{
    memset (response, 0, offsetof (gw_test_response_t, body) + 1);
    char *end = NULL;
    while (!(end = memmem (self->buf, self->len, "\r\n\r\n", 4)))
        if (!s_fill (self))
            return;
    size_t head_len = (size_t) (end - self->buf) + 2;
    assert (head_len < sizeof response->head);
    memcpy (response->head, self->buf, head_len);
    response->head [head_len] = 0;
    sscanf (response->head, "HTTP/1.1 %d", &response->status);
    char value [64];
    size_t length = 0;
    if (gw_test_header (response->head, "content-length", value, sizeof value))
        length = strtoul (value, NULL, 10);
    size_t need = head_len + 2 + length;
    while (self->len < need)
        if (!s_fill (self)) {
            response->status = 0;
            return;
        }
    assert (length < sizeof response->body);
    memcpy (response->body, self->buf + head_len + 2, length);
    response->body [length] = 0;
    response->body_len = length;
    memmove (self->buf, self->buf + need, self->len - need);
    self->len -= need;
}

void
gw_test_request (gw_test_client_t *self, const char *request, gw_test_response_t *response)
{
    s_send_all (self->fd, request, strlen (request));
    gw_test_read_response (self, response);
}

//  Checks what every response carries.
void
gw_test_assert_common (const gw_test_response_t *response)
{
    char value [128];
    assert (gw_test_header (response->head, "server", value, sizeof value));
    assert (streq (value, "oneapi"));
    assert (gw_test_header (response->head, "x-oneapi-request-id", value, sizeof value));
    //  one-api's format: 14 digits of time, the nanoseconds, 8 random digits
    assert (strlen (value) >= 22 && strlen (value) <= 32);
    for (const char *c = value; *c; c++)
        assert (*c >= '0' && *c <= '9');
    //  HTTP/1 keeps gin's header casing
    assert (strstr (response->head, "\r\nX-Oneapi-Request-Id: "));
}

//  --------------------------------------------------------------------------
//  curl

//  Runs curl with args; returns its output (headers with -i, then body).
//  Caller frees.
char *
gw_test_curl (const char *args, int *exit_code)
{
    char command [2048];
    snprintf (command, sizeof command, "curl -sS -m 20 %s 2>&1", args);
    FILE *pipe = popen (command, "r");
    assert (pipe);
    size_t size = 1 << 16, len = 0;
    char *out = malloc (size);
    assert (out);
    size_t n;
    while ((n = fread (out + len, 1, size - len - 1, pipe)) > 0) {
        len += n;
        if (len + 1 == size) {
            size *= 2;
            out = realloc (out, size);
            assert (out);
        }
    }
    out [len] = 0;
    int status = pclose (pipe);
    if (exit_code)
        *exit_code = WIFEXITED (status)? WEXITSTATUS (status): -1;
    return out;
}

//  --------------------------------------------------------------------------
//  Fixtures

oa_config_t *
gw_test_config (void)
{
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    config->port = 0;
    free (config->host);
    config->host = strdup ("127.0.0.1");
    config->gateway_threads = 2;
    config->max_body_bytes = 1024;
    config->prometheus_enabled = true;
    free (config->metrics_token);
    config->metrics_token = strdup ("s3cret");
    config->shutdown_timeout_sec = 10;
    //  No ledger: the relay (bridges, replica, "state" health) stays off.
    free (config->ledger_endpoint);
    config->ledger_endpoint = strdup ("");
    free (config->tls_cert);
    config->tls_cert = strdup ("");
    free (config->tls_key);
    config->tls_key = strdup ("");
    return config;
}

char *
gw_test_expected_status (long long start_time)
{
    char *json = malloc (2048);
    assert (json);
    snprintf (json, 2048,
        "{\"data\":{\"chat_link\":\"\",\"display_in_currency\":true,\"email_verification\":false,"
        "\"footer_html\":\"\",\"github_client_id\":\"\",\"github_oauth\":false,"
        "\"lark_client_id\":\"\",\"logo\":\"\",\"oidc\":false,\"oidc_authorization_endpoint\":\"\","
        "\"oidc_client_id\":\"\",\"oidc_token_endpoint\":\"\",\"oidc_userinfo_endpoint\":\"\","
        "\"oidc_well_known\":\"\",\"quota_per_unit\":500000,"
        "\"server_address\":\"http://localhost:3000\",\"start_time\":%lld,"
        "\"system_name\":\"One API\",\"top_up_link\":\"\",\"turnstile_check\":false,"
        "\"turnstile_site_key\":\"\",\"version\":\"v" OA_VERSION "\",\"wechat_login\":false,"
        "\"wechat_qrcode\":\"\"},\"message\":\"\",\"success\":true}", start_time);
    return json;
}

long long
gw_test_start_time_of (const char *body)
{
    const char *at = strstr (body, "\"start_time\":");
    assert (at);
    return atoll (at + strlen ("\"start_time\":"));
}

