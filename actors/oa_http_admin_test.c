/*  =========================================================================
    oa_http_admin_test - self test of oa_http_admin

    The responder on crafted and random input (every answer a well-formed
    response, never a crash, garbage refused before a buffer fills), then
    the actor over real sockets: requests in pieces, keep-alive, pipelining,
    garbage, idle and stalled connections, more connections than slots.
    =========================================================================
*/
#include "oa_http_admin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "oa_health.h"
#include "oa_metrics.h"
#include "oa_supervisor.h"

//  Runs the responder on a NUL-terminated request; returns the response.
static char *
s_answer (const oa_http_admin_args_t *args, const char *request, size_t *consumed, bool *close)
{
    size_t length = 0;
    char *out = oa_http_admin_respond (args, request, strlen (request), &length, consumed, close);
    if (out)
        assert (strlen (out) == length);
    return out;
}

//  The status code of a response, or 0 for NULL.
static int
s_status (const char *response)
{
    if (!response)
        return 0;
    assert (strncmp (response, "HTTP/1.1 ", 9) == 0);
    return atoi (response + 9);
}

//  Asserts one request's status and returns whether the connection closes.
static bool
s_expect (const oa_http_admin_args_t *args, const char *request, int status, const char *needle)
{
    size_t consumed;
    bool close;
    char *out = s_answer (args, request, &consumed, &close);
    if (s_status (out) != status) {
        fprintf (stderr, "oa_http_admin: %s -> %s (want %d)\n", request, out? out: "NULL",
                 status);
        assert (false);
    }
    if (needle)
        assert (strstr (out, needle));
    free (out);
    return close;
}

static void
s_test_responder (void)
{
    oa_http_admin_args_t args = { .name = "test", .metrics_enabled = true };
    size_t consumed, length;
    bool close;

    //  Incomplete heads wait; complete ones are answered.
    const char *partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    assert (s_answer (&args, partial, &consumed, &close) == NULL && consumed == 0);
    assert (oa_http_admin_respond (&args, "", 0, &length, &consumed, &close) == NULL);
    assert (!s_expect (&args, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 200,
                       "\r\n\r\n{\"status\":\"ok\"}"));
    assert (!s_expect (&args, "\r\nGET /healthz?probe=1 HTTP/1.1\r\n\r\n", 200, NULL));
    //  HEAD: the GET's length, no body.
    char *out = s_answer (&args, "HEAD /healthz HTTP/1.1\r\n\r\n", &consumed, &close);
    assert (s_status (out) == 200 && strstr (out, "Content-Length: 15\r\n"));
    assert (strcmp (out + strlen (out) - 4, "\r\n\r\n") == 0);
    free (out);
    //  Pipelining: the first request only.
    const char *two = "GET /healthz HTTP/1.1\r\n\r\nGET /readyz HTTP/1.1\r\n\r\n";
    out = s_answer (&args, two, &consumed, &close);
    assert (s_status (out) == 200 && consumed == strlen ("GET /healthz HTTP/1.1\r\n\r\n"));
    free (out);
    //  Connection management.
    assert (s_expect (&args, "GET /healthz HTTP/1.0\r\n\r\n", 200, "Connection: close"));
    assert (!s_expect (&args, "GET /healthz HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 200,
                       "Connection: keep-alive"));
    assert (s_expect (&args, "GET /healthz HTTP/1.1\r\nConnection: foo, close\r\n\r\n", 200,
                      "Connection: close"));
    assert (s_expect (&args, "GET /healthz HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 200, NULL));
    assert (!s_expect (&args, "GET /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 200, NULL));
    assert (s_expect (&args, "GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 200,
                      NULL));

    //  Routes and methods.
    s_expect (&args, "GET /nope HTTP/1.1\r\n\r\n", 404, "not found");
    s_expect (&args, "GET /healthzz HTTP/1.1\r\n\r\n", 404, NULL);
    s_expect (&args, "POST /healthz HTTP/1.1\r\n\r\n", 405, "Allow: GET, HEAD\r\n");
    s_expect (&args, "get /healthz HTTP/1.1\r\n\r\n", 405, NULL);
    oa_health_reset ();
    s_expect (&args, "GET /readyz HTTP/1.1\r\n\r\n", 200, "\"status\":\"ready\"");
    oa_health_set ("http_admin_test", OA_HEALTH_DEGRADED, "testing");
    s_expect (&args, "GET /readyz HTTP/1.1\r\n\r\n", 200, "\"status\":\"degraded\"");
    oa_health_set ("http_admin_test", OA_HEALTH_DOWN, "testing");
    s_expect (&args, "GET /readyz HTTP/1.1\r\n\r\n", 503, "\"http_admin_test\"");
    oa_health_reset ();

    //  /metrics: the gateway's token rules.
    s_expect (&args, "GET /metrics HTTP/1.1\r\n\r\n", 403, "requires METRICS_TOKEN");
    s_expect (&args, "GET /metrics HTTP/1.1\r\nAuthorization: Bearer x\r\n\r\n", 403, NULL);
    args.metrics_token = "secret";
    s_expect (&args, "GET /metrics HTTP/1.1\r\n\r\n", 401, "invalid metrics token");
    s_expect (&args, "GET /metrics HTTP/1.1\r\nAuthorization: Bearer secreT\r\n\r\n", 401, NULL);
    s_expect (&args, "GET /metrics HTTP/1.1\r\nAuthorization: Bearer secret2\r\n\r\n", 401, NULL);
    s_expect (&args, "GET /metrics HTTP/1.1\r\nAuthorization: secret\r\n\r\n", 401, NULL);
    oa_metric_t *counter = oa_metrics_counter (oa_metrics_global (),
        "oneapi_http_admin_selftest_total", "Self test of oa_http_admin", NULL);
    oa_counter_add (counter, NULL, 3);
    s_expect (&args, "GET /metrics HTTP/1.1\r\nauthorization:   Bearer secret  \r\n\r\n", 200,
              "\noneapi_http_admin_selftest_total 3\n");
    s_expect (&args, "GET /metrics HTTP/1.1\r\nAuthorization: Bearer secret\r\n\r\n", 200,
              "Content-Type: text/plain; version=0.0.4");
    args.metrics_enabled = false;
    s_expect (&args, "GET /metrics HTTP/1.1\r\nAuthorization: Bearer secret\r\n\r\n", 404, NULL);
    args.metrics_enabled = true;

    //  Garbage: refused as soon as it is seen, and the connection closes.
    const char *bad [] = {
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",     //  a TLS ClientHello
        "GET /healthz\r\n\r\n",                             //  HTTP/0.9
        "GET  /healthz HTTP/1.1\r\n\r\n",
        "GET healthz HTTP/1.1\r\n\r\n",
        "GET http://x/healthz HTTP/1.1\r\n\r\n",
        "GET /healthz HTTP/1.1 \r\n\r\n",
        "GET /healthz HTTP/1.x\r\n\r\n",
        "GET /healthz HTTP/1.1\n\n",
        "GET /healthz HTTP/1.1\r\nHost: x\n\r\n",
        "GET /healthz HTTP/1.1\rX",
        "GET /healthz HTTP/1.1\r\n folded: header\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\n: empty name\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nX: a\x01z\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nContent-Length:\r\n\r\n",
        "GETTTTTTTTTTTTTTTTTTTTTTTT /healthz HTTP/1.1\r\n\r\n",
        "\x7f",
        "G\tET",
        "GET /\x01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++) {
        out = s_answer (&args, bad [i], &consumed, &close);
        if (s_status (out) != 400) {
            fprintf (stderr, "oa_http_admin: bad input %zu -> %s\n", i, out? out: "NULL");
            assert (false);
        }
        assert (close && consumed == strlen (bad [i]));
        assert (strstr (out, "Connection: close\r\n"));
        free (out);
    }
    s_expect (&args, "GET /healthz HTTP/2.0\r\n\r\n", 505, NULL);
    //  A NUL byte (strlen cannot carry it).
    out = oa_http_admin_respond (&args, "GET /\0 HTTP/1.1\r\n\r\n", 20, &length, &consumed, &close);
    assert (s_status (out) == 400 && close);
    free (out);
    //  A head that never ends: 431 at the limit, not before.
    char *big = (char *) malloc (OA_HTTP_ADMIN_HEAD_MAX + 100);
    assert (big);
    strcpy (big, "GET /healthz HTTP/1.1\r\nX-Long: ");
    size_t used = strlen (big);
    memset (big + used, 'a', OA_HTTP_ADMIN_HEAD_MAX + 100 - used);
    assert (oa_http_admin_respond (&args, big, OA_HTTP_ADMIN_HEAD_MAX - 1, &length, &consumed,
                                   &close) == NULL);
    out = oa_http_admin_respond (&args, big, OA_HTTP_ADMIN_HEAD_MAX, &length, &consumed, &close);
    assert (s_status (out) == 431 && close);
    free (out);
    out = oa_http_admin_respond (&args, big, OA_HTTP_ADMIN_HEAD_MAX + 100, &length, &consumed,
                                 &close);
    assert (s_status (out) == 431 && close);
    free (out);
    free (big);

    //  Random input, mostly near-valid: an answer is always a response.
    static const char *pieces [] = {
        "GET", "HEAD", "POST", " ", "/healthz", "/readyz", "/metrics", "?a=b", " HTTP/1.1",
        " HTTP/1.0", "\r\n", "\r", "\n", "Host: x", "Connection: close", "Content-Length: 5",
        ":", "Authorization: Bearer secret", "\t", "\x80\xff", "\0", "\r\n\r\n"
    };
    uint32_t seed = 12345;
    char buf [512];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int parts = 1 + (int) ((seed = seed * 1103515245 + 12345) >> 16) % 12;
        for (int p = 0; p < parts && len < sizeof buf - 64; p++) {
            seed = seed * 1103515245 + 12345;
            size_t which = (seed >> 16) % (sizeof pieces / sizeof pieces [0] + 1);
            if (which < sizeof pieces / sizeof pieces [0]) {
                size_t piece_len = pieces [which][0]? strlen (pieces [which]): 1;
                memcpy (buf + len, pieces [which], piece_len);
                len += piece_len;
            }
            else
                buf [len++] = (char) (seed >> 8);
        }
        out = oa_http_admin_respond (&args, buf, len, &length, &consumed, &close);
        if (out) {
            int status = s_status (out);
            assert (status >= 200 && status < 600);
            assert (consumed > 0 && consumed <= len);
            free (out);
        }
        else
            assert (consumed == 0);
    }
}


//  --------------------------------------------------------------------------
//  Over sockets

static int
s_connect (int port)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert (fd >= 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    int rc = connect (fd, (struct sockaddr *) &address, sizeof address);
    assert (rc == 0);
    return fd;
}

static void
s_send (int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;             //  the server may have closed: the read tells
        data += n;
        len -= (size_t) n;
    }
}

//  Reads until the peer closes, or until want bytes of "\r\n\r\n"-ended
//  responses arrived (want_responses > 0), or timeout_ms passes.  Returns
//  the bytes read (NUL-terminated, caller frees); *eof tells a close.
static char *
s_read (int fd, int want_responses, int timeout_ms, bool *eof)
{
    size_t size = 1 << 20, len = 0;
    char *buf = (char *) malloc (size + 1);
    assert (buf);
    *eof = false;
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        if (want_responses > 0) {
            //  Count complete responses (every body here has Content-Length).
            int complete = 0;
            const char *p = buf;
            buf [len] = 0;
            while (p < buf + len) {
                const char *end = strstr (p, "\r\n\r\n");
                const char *cl = strstr (p, "Content-Length: ");
                if (!end || !cl || cl > end)
                    break;
                size_t body = (size_t) atol (cl + 16);
                if ((size_t) (end + 4 - p) + body > (size_t) (buf + len - p))
                    break;
                p = end + 4 + body;
                complete++;
            }
            if (complete >= want_responses)
                break;
        }
        struct pollfd item = { .fd = fd, .events = POLLIN };
        if (poll (&item, 1, 20) <= 0)
            continue;
        ssize_t n = recv (fd, buf + len, size - len, 0);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
            *eof = true;
            break;
        }
        if (n > 0)
            len += (size_t) n;
    }
    buf [len] = 0;
    return buf;
}

static int
s_count (const char *text, const char *needle)
{
    int count = 0;
    for (const char *p = strstr (text, needle); p; p = strstr (p + 1, needle))
        count++;
    return count;
}

static void
s_test_sockets (bool verbose)
{
    oa_http_admin_args_t args = { .name = "test", .host = "127.0.0.1", .port = 0,
                                  .metrics_enabled = true, .metrics_token = "secret",
                                  .idle_ms = 400 };
    oa_supervisor_t *supervisor = oa_supervisor_new ();
    int rc = oa_supervisor_start (supervisor, "admin", oa_http_admin_actor, &args);
    assert (rc == 0);
    zactor_t *actor = oa_supervisor_actor (supervisor, "admin");
    zstr_send (actor, "PORT");
    char *reply = zstr_recv (actor);
    int port = atoi (reply);
    zstr_free (&reply);
    assert (port > 0);
    bool eof;

    //  A request in pieces, then a second on the same connection.
    int fd = s_connect (port);
    const char *request = "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n";
    for (const char *c = request; *c; c++) {
        s_send (fd, c, 1);
        if ((c - request) % 7 == 0)
            zclock_sleep (2);
    }
    char *got = s_read (fd, 1, 2000, &eof);
    assert (strncmp (got, "HTTP/1.1 200 OK\r\n", 17) == 0 && !eof);
    free (got);
    const char *metrics = "GET /metrics HTTP/1.1\r\nAuthorization: Bearer secret\r\n\r\n";
    s_send (fd, metrics, strlen (metrics));
    got = s_read (fd, 1, 2000, &eof);
    assert (strstr (got, "HTTP/1.1 200 OK\r\n") && strstr (got, "# TYPE"));
    free (got);
    //  Pipelined: three answers in order.
    const char *three = "GET /healthz HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\n"
                        "HEAD /readyz HTTP/1.1\r\n\r\n";
    s_send (fd, three, strlen (three));
    got = s_read (fd, 2, 2000, &eof);
    zclock_sleep (50);
    char *rest = s_read (fd, 0, 100, &eof);
    assert (s_count (got, "HTTP/1.1 ") + s_count (rest, "HTTP/1.1 ") == 3);
    assert (strstr (got, "HTTP/1.1 404") && !eof);
    free (got);
    free (rest);
    //  Idle past idle_ms: closed by the server.
    got = s_read (fd, 0, 3000, &eof);
    assert (eof);
    free (got);
    close (fd);

    //  Garbage: a 400, then the server closes.
    fd = s_connect (port);
    s_send (fd, "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03junkjunk", 19);
    got = s_read (fd, 0, 3000, &eof);
    assert (strncmp (got, "HTTP/1.1 400 Bad Request\r\n", 26) == 0 && eof);
    free (got);
    close (fd);
    //  A head that stalls half way: closed after idle_ms, no answer.
    fd = s_connect (port);
    s_send (fd, "GET /healthz HTTP/1.1\r\nHo", 25);
    int64_t start = zclock_mono ();
    got = s_read (fd, 0, 3000, &eof);
    assert (eof && got [0] == 0 && zclock_mono () - start < 2500);
    free (got);
    close (fd);
    //  A request followed by a half close is still answered.
    fd = s_connect (port);
    s_send (fd, request, strlen (request));
    shutdown (fd, SHUT_WR);
    got = s_read (fd, 0, 3000, &eof);
    assert (strncmp (got, "HTTP/1.1 200 OK\r\n", 17) == 0 && eof);
    free (got);
    close (fd);
    //  An oversized head: 431.
    fd = s_connect (port);
    char *big = (char *) malloc (3 * OA_HTTP_ADMIN_HEAD_MAX);
    memset (big, 'a', 3 * OA_HTTP_ADMIN_HEAD_MAX);
    memcpy (big, "GET / HTTP/1.1\r\nX: ", 19);
    s_send (fd, big, 3 * OA_HTTP_ADMIN_HEAD_MAX);
    free (big);
    got = s_read (fd, 0, 3000, &eof);
    assert (strncmp (got, "HTTP/1.1 431", 12) == 0 && eof);
    free (got);
    close (fd);

    //  More connections than slots: the extra ones are closed, the server
    //  goes on; random bytes on many connections change nothing either.
    int fds [OA_HTTP_ADMIN_CONNS + 16];
    int count = (int) (sizeof fds / sizeof fds [0]);
    for (int i = 0; i < count; i++)
        fds [i] = s_connect (port);
    uint32_t seed = 99;
    for (int i = 0; i < count; i++) {
        char junk [256];
        for (size_t j = 0; j < sizeof junk; j++)
            junk [j] = (char) ((seed = seed * 1103515245 + 12345) >> 16);
        s_send (fds [i], junk, (size_t) (1 + (seed >> 8) % sizeof junk));
    }
    int closed = 0;
    for (int i = 0; i < count; i++) {
        got = s_read (fds [i], 0, 3000, &eof);
        closed += eof;
        free (got);
        close (fds [i]);
    }
    assert (closed == count);
    fd = s_connect (port);
    s_send (fd, request, strlen (request));
    got = s_read (fd, 1, 2000, &eof);
    assert (strncmp (got, "HTTP/1.1 200 OK\r\n", 17) == 0);
    free (got);
    close (fd);

    //  DRAIN answers at once and serving goes on; STATUS stays READY.
    zstr_send (actor, "DRAIN");
    reply = zstr_recv (actor);
    assert (reply && streq (reply, "DRAINED"));
    zstr_free (&reply);
    zstr_send (actor, "STATUS");
    reply = zstr_recv (actor);
    assert (reply && streq (reply, "READY"));
    zstr_free (&reply);
    fd = s_connect (port);
    s_send (fd, request, strlen (request));
    got = s_read (fd, 1, 2000, &eof);
    assert (strncmp (got, "HTTP/1.1 200 OK\r\n", 17) == 0);
    free (got);

    //  The port taken: a failed start, or a warning when optional.
    oa_http_admin_args_t taken = args;
    taken.port = port;
    assert (oa_supervisor_start (supervisor, "taken", oa_http_admin_actor, &taken) == -1);
    taken.bind_optional = true;
    assert (oa_supervisor_start (supervisor, "optional", oa_http_admin_actor, &taken) == 0);
    zstr_send (oa_supervisor_actor (supervisor, "optional"), "PORT");
    reply = zstr_recv (oa_supervisor_actor (supervisor, "optional"));
    assert (reply && streq (reply, "0"));
    zstr_free (&reply);
    //  An open connection does not hold up $TERM.
    oa_supervisor_destroy (&supervisor);
    close (fd);
    if (verbose)
        printf (" * oa_http_admin: sockets on port %d OK\n", port);
}

void
oa_http_admin_test (bool verbose)
{
    s_test_responder ();
    s_test_sockets (verbose);
}
