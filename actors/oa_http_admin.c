/*  =========================================================================
    oa_http_admin - /metrics, /healthz and /readyz for processes without
    the h2o edge (the worker and ledger roles)

    The parser takes what RFC 9112 requires of a server and no more: a
    request line "METHOD SP origin-form SP HTTP/1.x", header fields
    "name: value" with CRLF line ends, no obs-fold, no control characters.
    Leading empty lines are skipped (RFC 9112 2.2).  Anything else is a
    400, found as early as possible, so garbage does not sit in a buffer
    waiting for a CRLF CRLF that never comes.  Bodies are never read: a
    request that announces one is answered and its connection closed.
    =========================================================================
*/
#include "oa_http_admin.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include "oa_actor.h"
#include "oa_health.h"
#include "oa_log.h"
#include "oa_metrics.h"

#define S_COMPONENT "http-admin"
#define S_LINGER_MS 2000                //  longest wait for a closing peer's leftovers
#define S_POLL_MAX_MS 1000              //  the loop wakes at least this often

//  Results of s_parse besides a head length.
#define S_MORE 0                        //  incomplete head, may still be valid
#define S_BAD -1                        //  400
#define S_TOO_LARGE -2                  //  431
#define S_VERSION -3                    //  505

//  One parsed request head; pointers into the caller's data.
typedef struct {
    const char *method;
    size_t method_len;
    const char *path;                   //  target without its query
    size_t path_len;
    int minor;                          //  HTTP/1.<minor>
    const char *authorization;          //  value of Authorization, or NULL
    size_t authorization_len;
    bool conn_close;                    //  Connection: close
    bool conn_keep_alive;               //  Connection: keep-alive
    bool has_body;                      //  Content-Length > 0 or Transfer-Encoding
} s_request_t;

//  RFC 9110 tchar.
static bool
s_tchar (unsigned char c)
{
    if (c >= '0' && c <= '9') return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
    return c && strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

//  A byte that may appear in a header value (field-vchar, SP, HT, obs-text).
static bool
s_value_char (unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

//  Case-insensitive comparison of a counted string with a literal.
static bool
s_equals (const char *text, size_t len, const char *literal)
{
    return len == strlen (literal) && strncasecmp (text, literal, len) == 0;
}

//  Parses the request line line[0..len) (no CRLF).
static int
s_parse_request_line (const char *line, size_t len, s_request_t *req)
{
    const char *end = line + len;
    const char *p = line;
    while (p < end && s_tchar ((unsigned char) *p))
        p++;
    if (p == line || p - line > 16 || p == end || *p != ' ')
        return S_BAD;
    req->method = line;
    req->method_len = (size_t) (p - line);
    const char *target = ++p;
    while (p < end && (unsigned char) *p > 0x20 && (unsigned char) *p < 0x7f)
        p++;
    if (p == target || *target != '/' || p == end || *p != ' ')
        return S_BAD;
    const char *query = memchr (target, '?', (size_t) (p - target));
    req->path = target;
    req->path_len = (size_t) ((query? query: p) - target);
    p++;
    if (end - p != 8 || memcmp (p, "HTTP/", 5) != 0
    ||  p [5] < '0' || p [5] > '9' || p [6] != '.' || p [7] < '0' || p [7] > '9')
        return S_BAD;
    if (p [5] != '1')
        return S_VERSION;
    req->minor = p [7] - '0';
    return 0;
}

//  False when an incomplete request line line[0..len) can no longer become
//  valid, so that garbage is refused before a CRLF arrives.
static bool
s_request_line_prefix_ok (const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && i <= 16 && s_tchar ((unsigned char) line [i]))
        i++;
    if (i == len)
        return i <= 16;
    if (i == 0 || i > 16 || line [i] != ' ')
        return false;
    if (++i == len)
        return true;
    if (line [i] != '/')
        return false;
    while (i < len && (unsigned char) line [i] > 0x20 && (unsigned char) line [i] < 0x7f)
        i++;
    if (i == len)
        return true;
    if (line [i] != ' ')
        return false;
    static const char version [] = "HTTP/1.1";
    for (size_t v = 0; ++i < len && v < 8; v++) {
        char c = line [i];
        bool digit = c >= '0' && c <= '9';
        if (v == 5 || v == 7? !digit: c != version [v])
            return false;
    }
    return len - i == 0;
}

//  Parses one header line; records the fields the responder needs.
static int
s_parse_header (const char *line, size_t len, s_request_t *req)
{
    const char *end = line + len;
    const char *p = line;
    while (p < end && s_tchar ((unsigned char) *p))
        p++;
    if (p == line || p == end || *p != ':')
        return S_BAD;               //  also obs-fold and "name : value"
    size_t name_len = (size_t) (p - line);
    p++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    const char *value = p;
    for (const char *c = p; c < end; c++)
        if (!s_value_char ((unsigned char) *c))
            return S_BAD;
    while (end > value && (end [-1] == ' ' || end [-1] == '\t'))
        end--;
    size_t value_len = (size_t) (end - value);

    if (s_equals (line, name_len, "authorization")) {
        req->authorization = value;
        req->authorization_len = value_len;
    }
    else
    if (s_equals (line, name_len, "connection")) {
        //  A comma-separated list of options.
        const char *item = value;
        while (item < end) {
            const char *comma = memchr (item, ',', (size_t) (end - item));
            const char *item_end = comma? comma: end;
            const char *a = item, *b = item_end;
            while (a < b && (*a == ' ' || *a == '\t')) a++;
            while (b > a && (b [-1] == ' ' || b [-1] == '\t')) b--;
            if (s_equals (a, (size_t) (b - a), "close"))
                req->conn_close = true;
            if (s_equals (a, (size_t) (b - a), "keep-alive"))
                req->conn_keep_alive = true;
            item = comma? comma + 1: end;
        }
    }
    else
    if (s_equals (line, name_len, "content-length")) {
        if (value_len == 0 || value_len > 18)
            return S_BAD;
        bool zero = true;
        for (size_t i = 0; i < value_len; i++) {
            if (value [i] < '0' || value [i] > '9')
                return S_BAD;
            zero = zero && value [i] == '0';
        }
        if (!zero)
            req->has_body = true;
    }
    else
    if (s_equals (line, name_len, "transfer-encoding"))
        req->has_body = true;
    return 0;
}

//  Parses the head at the start of data.  Returns its length (with the
//  closing empty line) when complete, else S_MORE, S_BAD, S_TOO_LARGE or
//  S_VERSION.  Complete lines are checked as they arrive.
static long
s_parse (const char *data, size_t len, s_request_t *req)
{
    memset (req, 0, sizeof *req);
    size_t limit = len < OA_HTTP_ADMIN_HEAD_MAX? len: OA_HTTP_ADMIN_HEAD_MAX;
    size_t pos = 0;
    //  Empty lines before the request line are ignored.
    while (pos + 1 < limit && data [pos] == '\r' && data [pos + 1] == '\n')
        pos += 2;
    bool first = true;
    while (true) {
        const char *line = data + pos;
        size_t avail = limit - pos;
        const char *cr = NULL;
        for (size_t i = 0; i < avail; i++) {
            unsigned char c = (unsigned char) line [i];
            if (c == '\r') {
                cr = line + i;
                break;
            }
            //  Bytes no head may hold, on any line: say so at once.
            if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f)
                return S_BAD;
        }
        if (!cr || (size_t) (cr - line) + 1 >= avail) {
            if (first && !s_request_line_prefix_ok (line, cr? (size_t) (cr - line): avail))
                return S_BAD;
            return len >= OA_HTTP_ADMIN_HEAD_MAX? S_TOO_LARGE: S_MORE;
        }
        if (cr [1] != '\n')
            return S_BAD;
        size_t line_len = (size_t) (cr - line);
        pos += line_len + 2;
        if (first) {
            int rc = s_parse_request_line (line, line_len, req);
            if (rc)
                return rc;
            first = false;
        }
        else
        if (line_len == 0)
            return (long) pos;
        else
        if (s_parse_header (line, line_len, req))
            return S_BAD;
    }
}

//  Builds a response: status line, headers, body (left out for HEAD).
static char *
s_response (int status, const char *content_type, const char *body, size_t body_len,
            bool head_only, bool close, bool keep_alive_header, const char *extra,
            size_t *length)
{
    const char *reason;
    switch (status) {
        case 200: reason = "OK"; break;
        case 400: reason = "Bad Request"; break;
        case 401: reason = "Unauthorized"; break;
        case 403: reason = "Forbidden"; break;
        case 404: reason = "Not Found"; break;
        case 405: reason = "Method Not Allowed"; break;
        case 431: reason = "Request Header Fields Too Large"; break;
        case 500: reason = "Internal Server Error"; break;
        case 503: reason = "Service Unavailable"; break;
        case 505: reason = "HTTP Version Not Supported"; break;
        default: reason = "Unknown"; break;
    }
    char head [512];
    int head_len = snprintf (head, sizeof head,
        "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
        "Cache-Control: no-store\r\n%s%s\r\n",
        status, reason, content_type, body_len,
        close? "Connection: close\r\n": keep_alive_header? "Connection: keep-alive\r\n": "",
        extra? extra: "");
    assert (head_len > 0 && (size_t) head_len < sizeof head);
    size_t total = (size_t) head_len + (head_only? 0: body_len);
    char *out = (char *) malloc (total + 1);
    if (!out)
        return NULL;
    memcpy (out, head, (size_t) head_len);
    if (!head_only && body_len)
        memcpy (out + head_len, body, body_len);
    out [total] = 0;
    *length = total;
    return out;
}

#define S_JSON "application/json; charset=utf-8"

//  /metrics, with the gateway's token rules (gw_routes_core.c).
static char *
s_metrics (const oa_http_admin_args_t *args, const s_request_t *req, bool head_only,
           bool close, bool keep_alive, size_t *length)
{
    const char *token = args->metrics_token;
    if (!token || !*token) {
        static const char body [] =
            "{\"error\":\"metrics endpoint requires METRICS_TOKEN configuration\"}";
        return s_response (403, S_JSON, body, sizeof body - 1, head_only, close, keep_alive,
                           NULL, length);
    }
    size_t token_len = strlen (token);
    //  Like Go's subtle.ConstantTimeCompare: only the length may leak.
    bool allowed = req->authorization && req->authorization_len == 7 + token_len
                && memcmp (req->authorization, "Bearer ", 7) == 0
                && CRYPTO_memcmp (req->authorization + 7, token, token_len) == 0;
    if (!allowed) {
        static const char body [] =
            "{\"error\":\"invalid metrics token, please check your METRICS_TOKEN configuration\"}";
        return s_response (401, S_JSON, body, sizeof body - 1, head_only, close, keep_alive,
                           NULL, length);
    }
    char *text = oa_metrics_render (oa_metrics_global ());
    if (!text) {
        static const char body [] = "{\"error\":\"cannot render metrics\"}";
        return s_response (500, S_JSON, body, sizeof body - 1, head_only, close, keep_alive,
                           NULL, length);
    }
    char *out = s_response (200, "text/plain; version=0.0.4; charset=utf-8", text,
                            strlen (text), head_only, close, keep_alive, NULL, length);
    free (text);
    return out;
}

char *
oa_http_admin_respond (const oa_http_admin_args_t *args, const char *data, size_t len,
                       size_t *length, size_t *consumed, bool *close)
{
    assert (args && length && consumed && close);
    assert (data || len == 0);
    *consumed = 0;
    *close = false;
    s_request_t req;
    long rc = s_parse (data, len, &req);
    if (rc == S_MORE)
        return NULL;
    if (rc < 0) {
        //  The connection cannot be trusted to frame another request.
        *consumed = len;
        *close = true;
        int status = rc == S_TOO_LARGE? 431: rc == S_VERSION? 505: 400;
        const char *body = rc == S_TOO_LARGE? "{\"error\":\"request header too large\"}":
                           rc == S_VERSION? "{\"error\":\"HTTP version not supported\"}":
                                            "{\"error\":\"bad request\"}";
        return s_response (status, S_JSON, body, strlen (body), false, true, false, NULL, length);
    }
    *consumed = (size_t) rc;
    bool keep_alive_header = req.minor == 0 && req.conn_keep_alive && !req.conn_close;
    *close = req.conn_close || req.has_body || (req.minor == 0 && !req.conn_keep_alive);
    //  Methods are case-sensitive (RFC 9110 9.1).
    bool get = req.method_len == 3 && memcmp (req.method, "GET", 3) == 0;
    bool head = req.method_len == 4 && memcmp (req.method, "HEAD", 4) == 0;

    enum { R_NONE, R_HEALTHZ, R_READYZ, R_METRICS } route = R_NONE;
    if (req.path_len == 8 && memcmp (req.path, "/healthz", 8) == 0)
        route = R_HEALTHZ;
    else
    if (req.path_len == 7 && memcmp (req.path, "/readyz", 7) == 0)
        route = R_READYZ;
    else
    if (req.path_len == 8 && memcmp (req.path, "/metrics", 8) == 0 && args->metrics_enabled)
        route = R_METRICS;

    if (route == R_NONE) {
        static const char body [] = "{\"error\":\"not found\"}";
        return s_response (404, S_JSON, body, sizeof body - 1, head, *close, keep_alive_header,
                           NULL, length);
    }
    if (!get && !head) {
        static const char body [] = "{\"error\":\"method not allowed\"}";
        return s_response (405, S_JSON, body, sizeof body - 1, false, *close,
                           keep_alive_header, "Allow: GET, HEAD\r\n", length);
    }
    if (route == R_HEALTHZ) {
        static const char body [] = "{\"status\":\"ok\"}";
        return s_response (200, S_JSON, body, sizeof body - 1, head, *close, keep_alive_header,
                           NULL, length);
    }
    if (route == R_READYZ) {
        char body [8192];
        oa_health_state_t state = oa_health_overall ();
        size_t body_len = oa_health_json (body, sizeof body);
        return s_response (state == OA_HEALTH_DOWN? 503: 200, S_JSON, body, body_len, head,
                           *close, keep_alive_header, NULL, length);
    }
    return s_metrics (args, &req, head, *close, keep_alive_header, length);
}


//  --------------------------------------------------------------------------
//  The socket loop

typedef struct {
    int fd;                             //  -1 = free slot
    char *in;                           //  OA_HTTP_ADMIN_HEAD_MAX bytes of request data
    size_t in_len;                      //  bytes held in in
    char *out;                          //  response being written, or NULL
    size_t out_len;                     //  bytes in out
    size_t out_sent;                    //  bytes of out written
    bool close_after;                   //  close once out is written
    bool peer_eof;                      //  the peer shut its side
    bool lingering;                     //  our side shut: discarding until EOF
    int64_t deadline;                   //  monotonic ms; closed when passed
} s_conn_t;

typedef struct {
    zsock_t *pipe;                      //  actor pipe
    const oa_http_admin_args_t *args;   //  settings, borrowed
    int idle_ms;                        //  per-request deadline
    int listener;                       //  listening socket, or -1
    int port;                           //  bound port, or 0
    s_conn_t conns [OA_HTTP_ADMIN_CONNS];
    bool terminated;                    //  $TERM received
} s_self_t;

static void
s_conn_close (s_conn_t *conn)
{
    if (conn->fd >= 0)
        close (conn->fd);
    free (conn->in);
    free (conn->out);
    memset (conn, 0, sizeof *conn);
    conn->fd = -1;
}

//  Ends a connection politely: our side is shut, leftovers are read and
//  dropped, so closing does not reset the peer before it read our answer.
static void
s_conn_linger (s_conn_t *conn)
{
    shutdown (conn->fd, SHUT_WR);
    conn->lingering = true;
    conn->in_len = 0;
    conn->deadline = zclock_mono () + S_LINGER_MS;
    if (conn->peer_eof)
        s_conn_close (conn);
}

//  Writes what is pending; then answers the next buffered request, if any.
static void s_conn_process (s_self_t *self, s_conn_t *conn);

static void
s_conn_write (s_self_t *self, s_conn_t *conn)
{
    while (conn->out && conn->out_sent < conn->out_len) {
        ssize_t n = send (conn->fd, conn->out + conn->out_sent, conn->out_len - conn->out_sent,
                          MSG_NOSIGNAL);
        if (n > 0) {
            conn->out_sent += (size_t) n;
            conn->deadline = zclock_mono () + self->idle_ms;
        }
        else
        if (n < 0 && errno == EINTR)
            continue;
        else
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;             //  POLLOUT brings us back
        else {
            s_conn_close (conn);
            return;
        }
    }
    free (conn->out);
    conn->out = NULL;
    conn->out_len = conn->out_sent = 0;
    if (conn->close_after)
        s_conn_linger (conn);
    else {
        conn->deadline = zclock_mono () + self->idle_ms;
        s_conn_process (self, conn);
    }
}

static void
s_conn_process (s_self_t *self, s_conn_t *conn)
{
    if (conn->fd < 0 || conn->out || conn->lingering)
        return;
    size_t length, consumed;
    bool close;
    char *response = oa_http_admin_respond (self->args, conn->in, conn->in_len, &length,
                                            &consumed, &close);
    if (!response && consumed) {
        s_conn_close (conn);    //  out of memory
        return;
    }
    if (!response) {
        if (conn->peer_eof)     //  a partial request nobody will finish
            s_conn_close (conn);
        return;
    }
    memmove (conn->in, conn->in + consumed, conn->in_len - consumed);
    conn->in_len -= consumed;
    conn->out = response;
    conn->out_len = length;
    conn->out_sent = 0;
    conn->close_after = close || (conn->peer_eof && conn->in_len == 0);
    s_conn_write (self, conn);
}

static void
s_conn_read (s_self_t *self, s_conn_t *conn)
{
    char scratch [4096];
    bool discard = conn->lingering;
    char *into = discard? scratch: conn->in + conn->in_len;
    size_t room = discard? sizeof scratch: OA_HTTP_ADMIN_HEAD_MAX - conn->in_len;
    if (room == 0) {
        s_conn_process (self, conn);
        return;
    }
    ssize_t n = recv (conn->fd, into, room, 0);
    if (n > 0 && !discard)
        conn->in_len += (size_t) n;
    else
    if (n == 0) {
        conn->peer_eof = true;
        if (discard) {
            s_conn_close (conn);
            return;
        }
    }
    else
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        s_conn_close (conn);
        return;
    }
    s_conn_process (self, conn);
}

static void
s_accept (s_self_t *self)
{
    for (int round = 0; round < OA_HTTP_ADMIN_CONNS; round++) {
        int fd = accept4 (self->listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;             //  EAGAIN, or an aborted connection: nothing to do
        s_conn_t *conn = NULL;
        for (int i = 0; i < OA_HTTP_ADMIN_CONNS && !conn; i++)
            if (self->conns [i].fd < 0)
                conn = &self->conns [i];
        char *in = conn? (char *) malloc (OA_HTTP_ADMIN_HEAD_MAX): NULL;
        if (!in) {
            //  Full: closing at once beats leaving it in the backlog.
            close (fd);
            continue;
        }
        int one = 1;
        setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn->fd = fd;
        conn->in = in;
        conn->deadline = zclock_mono () + self->idle_ms;
    }
}

//  Binds the listener; returns 0 or -1 with errno-based reason in err.
static int
s_listen (s_self_t *self, char *err, size_t err_size)
{
    const char *host = self->args->host && *self->args->host? self->args->host: "0.0.0.0";
    char port [16];
    snprintf (port, sizeof port, "%d", self->args->port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE };
    struct addrinfo *list = NULL;
    int rc = getaddrinfo (host, port, &hints, &list);
    if (rc) {
        snprintf (err, err_size, "cannot resolve %s: %s", host, gai_strerror (rc));
        return -1;
    }
    int saved = 0;
    for (struct addrinfo *ai = list; ai && self->listener < 0; ai = ai->ai_next) {
        int fd = socket (ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                         ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        int one = 1;
        setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind (fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen (fd, 128) == 0)
            self->listener = fd;
        else {
            saved = errno;
            close (fd);
        }
    }
    freeaddrinfo (list);
    if (self->listener < 0) {
        snprintf (err, err_size, "cannot listen on %s:%d: %s", host, self->args->port,
                  strerror (saved));
        return -1;
    }
    struct sockaddr_storage address;
    socklen_t address_len = sizeof address;
    if (getsockname (self->listener, (struct sockaddr *) &address, &address_len) == 0)
        self->port = ntohs (address.ss_family == AF_INET6
                            ? ((struct sockaddr_in6 *) &address)->sin6_port
                            : ((struct sockaddr_in *) &address)->sin_port);
    return 0;
}

static void
s_handle_pipe (s_self_t *self)
{
    char *command = oa_actor_pipe_command (self->pipe, NULL);
    if (!command) {
        self->terminated = true;        //  interrupted
        return;
    }
    if (streq (command, "PORT"))
        zstr_sendf (self->pipe, "%d", self->port);
    else
    if (streq (command, OA_ACTOR_STATUS) && self->listener < 0)
        zstr_send (self->pipe, "DEGRADED not listening");
    else {
        //  DRAIN answers at once; serving goes on until $TERM.
        int rc = oa_actor_handle_default (self->pipe, command);
        if (rc == 1)
            self->terminated = true;
        else
        if (rc == -1)
            oa_log_warn (S_COMPONENT, "unknown pipe command '%s'", command);
    }
    zstr_free (&command);
}

void
oa_http_admin_actor (zsock_t *pipe, void *arg)
{
    oa_actor_set_name ("oa-http-admin");
    const oa_http_admin_args_t *args = (const oa_http_admin_args_t *) arg;
    assert (args);
    s_self_t self = { .pipe = pipe, .args = args, .listener = -1,
                      .idle_ms = args->idle_ms > 0? args->idle_ms: OA_HTTP_ADMIN_IDLE_MS };
    for (int i = 0; i < OA_HTTP_ADMIN_CONNS; i++)
        self.conns [i].fd = -1;
    const char *name = args->name? args->name: "process";
    char err [256];
    if (s_listen (&self, err, sizeof err)) {
        if (!args->bind_optional) {
            oa_log_error (S_COMPONENT, "%s: %s", name, err);
            zsock_signal (pipe, OA_ACTOR_START_FAILED);
            return;
        }
        oa_log_warn (S_COMPONENT, "%s: %s; /metrics, /healthz and /readyz are not served "
                     "(set a free port)", name, err);
    }
    else
        oa_log_info (S_COMPONENT, "%s: /metrics, /healthz, /readyz on port %d", name,
                     self.port);
    zsock_signal (pipe, 0);

    zmq_pollitem_t items [2 + OA_HTTP_ADMIN_CONNS];
    s_conn_t *owners [2 + OA_HTTP_ADMIN_CONNS];
    while (!self.terminated) {
        int count = 0;
        items [count++] = (zmq_pollitem_t) { zsock_resolve (pipe), 0, ZMQ_POLLIN, 0 };
        if (self.listener >= 0)
            items [count++] = (zmq_pollitem_t) { NULL, self.listener, ZMQ_POLLIN, 0 };
        int first_conn = count;
        int64_t now = zclock_mono ();
        int64_t wake = now + S_POLL_MAX_MS;
        for (int i = 0; i < OA_HTTP_ADMIN_CONNS; i++) {
            s_conn_t *conn = &self.conns [i];
            if (conn->fd < 0)
                continue;
            short events = conn->out? ZMQ_POLLOUT: ZMQ_POLLIN;
            owners [count] = conn;
            items [count++] = (zmq_pollitem_t) { NULL, conn->fd, events, 0 };
            if (conn->deadline < wake)
                wake = conn->deadline;
        }
        long timeout = wake > now? (long) (wake - now): 0;
        int rc = zmq_poll (items, count, timeout);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            break;              //  context terminated
        if (items [0].revents & ZMQ_POLLIN)
            s_handle_pipe (&self);
        for (int i = first_conn; i < count; i++) {
            s_conn_t *conn = owners [i];
            if (conn->fd != items [i].fd)
                continue;       //  closed meanwhile
            //  An error or hang-up while writing ends in a failed send.
            if ((items [i].revents & ZMQ_POLLOUT)
            ||  (conn->out && (items [i].revents & ZMQ_POLLERR)))
                s_conn_write (&self, conn);
            else
            if (items [i].revents & (ZMQ_POLLIN | ZMQ_POLLERR))
                s_conn_read (&self, conn);
        }
        //  After the connections, so a slot freed this round can be reused.
        if (self.listener >= 0 && (items [1].revents & ZMQ_POLLIN))
            s_accept (&self);
        now = zclock_mono ();
        for (int i = 0; i < OA_HTTP_ADMIN_CONNS; i++)
            if (self.conns [i].fd >= 0 && self.conns [i].deadline <= now)
                s_conn_close (&self.conns [i]);
    }
    for (int i = 0; i < OA_HTTP_ADMIN_CONNS; i++)
        if (self.conns [i].fd >= 0)
            s_conn_close (&self.conns [i]);
    if (self.listener >= 0)
        close (self.listener);
}
