/*  =========================================================================
    mock_http - a small epoll HTTP/1.1 server for oa-mock

    One loop per thread, level-triggered epoll, one listening socket per
    loop (SO_REUSEPORT).  Requests are parsed in place (Content-Length or
    chunked bodies, keep-alive, pipelining, Expect: 100-continue), answered
    by oa_mock_handle, and streamed by driving a job on a min-heap of timers.

    Why not h2o: the mock must hold 10,000+ slow streams in little memory
    and drop connections mid-body on purpose.  Here an idle or held
    connection costs its struct and its job (~1 KB); input and output
    buffers exist only while bytes are pending.
    =========================================================================
*/
#include "mock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define S_SCRATCH (64 * 1024)           //  one read; also the largest request head
#define S_MAX_BODY (64 * 1024 * 1024)   //  larger bodies get 413
#define S_MAX_PENDING (4 * 1024 * 1024) //  pipelined input held while a job runs
#define S_BATCH (256 * 1024)            //  stream bytes rendered per send

typedef struct _s_conn_t s_conn_t;

typedef struct {
    int epfd;                   //  this loop's epoll
    int listen_fd;              //  this loop's listener
    int spare_fd;               //  reserve fd, released to shed connections at EMFILE
    s_conn_t **heap;            //  timers: min-heap on due
    size_t heap_len;
    size_t heap_cap;
    s_conn_t *graveyard;        //  closed connections, freed after the event batch
    char *scratch;              //  read buffer shared by all connections
    oa_mock_buf_t out;          //  response rendering buffer
} s_loop_t;

struct _s_conn_t {
    int fd;                     //  socket
    uint32_t events;            //  epoll mask currently registered
    s_loop_t *loop;             //  owning loop
    char *in;                   //  unprocessed input (partial or pipelined requests)
    size_t in_len;
    size_t in_cap;
    char *out;                  //  output the kernel has not taken yet
    size_t out_off;
    size_t out_len;
    size_t out_cap;
    oa_mock_job_t *job;         //  response in progress, or NULL
    int64_t due;                //  when the job wants its next step
    size_t heap_at;             //  1-based index in the timer heap, 0 = not queued
    bool keep_alive;            //  current request allows reuse
    bool closing;               //  close once output is drained
    bool dead;                  //  closed; freed at the end of the batch
    bool feeding;               //  inside s_conn_feed (no re-entry)
    bool continue_sent;         //  100 Continue sent for the current request
    s_conn_t *next_dead;        //  graveyard link
};

static void s_conn_close (s_conn_t *self);
static void s_conn_pump (s_conn_t *self);
static void s_conn_feed (s_conn_t *self, const char *data, size_t len, bool from_scratch);

//  --------------------------------------------------------------------------
//  Returns the value of a request header (case-insensitive name), or NULL

const char *
oa_mock_req_header (const oa_mock_req_t *req, const char *name, size_t *len)
{
    size_t size = strlen (name);
    for (int i = 0; i < req->header_count; i++) {
        const oa_mock_header_t *h = &req->headers [i];
        if (h->name_len == size && strncasecmp (h->name, name, size) == 0) {
            if (len)
                *len = h->value_len;
            return h->value;
        }
    }
    return NULL;
}

//  --------------------------------------------------------------------------
//  Timer heap: connections ordered by due time

static void
s_heap_swap (s_loop_t *loop, size_t a, size_t b)
{
    s_conn_t *t = loop->heap [a];
    loop->heap [a] = loop->heap [b];
    loop->heap [b] = t;
    loop->heap [a]->heap_at = a + 1;
    loop->heap [b]->heap_at = b + 1;
}

static void
s_heap_up (s_loop_t *loop, size_t i)
{
    while (i > 0 && loop->heap [(i - 1) / 2]->due > loop->heap [i]->due) {
        s_heap_swap (loop, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void
s_heap_down (s_loop_t *loop, size_t i)
{
    for (;;) {
        size_t least = i, l = 2 * i + 1, r = 2 * i + 2;
        if (l < loop->heap_len && loop->heap [l]->due < loop->heap [least]->due)
            least = l;
        if (r < loop->heap_len && loop->heap [r]->due < loop->heap [least]->due)
            least = r;
        if (least == i)
            return;
        s_heap_swap (loop, i, least);
        i = least;
    }
}

//  Removes a connection from the heap if queued
static void
s_heap_remove (s_loop_t *loop, s_conn_t *conn)
{
    if (!conn->heap_at)
        return;
    size_t i = conn->heap_at - 1;
    conn->heap_at = 0;
    loop->heap_len--;
    if (i == loop->heap_len)
        return;
    loop->heap [i] = loop->heap [loop->heap_len];
    loop->heap [i]->heap_at = i + 1;
    s_heap_up (loop, i);
    s_heap_down (loop, i);
}

//  Queues a connection to be pumped at due
static void
s_heap_push (s_loop_t *loop, s_conn_t *conn, int64_t due)
{
    s_heap_remove (loop, conn);
    if (loop->heap_len == loop->heap_cap) {
        loop->heap_cap = loop->heap_cap? loop->heap_cap * 2: 1024;
        loop->heap = realloc (loop->heap, loop->heap_cap * sizeof (s_conn_t *));
        if (!loop->heap)
            abort ();
    }
    conn->due = due;
    loop->heap [loop->heap_len] = conn;
    conn->heap_at = ++loop->heap_len;
    s_heap_up (loop, loop->heap_len - 1);
}

//  --------------------------------------------------------------------------
//  Registers the epoll mask we need: always input (to see clients leave),
//  output only while bytes are pending.

static void
s_conn_watch (s_conn_t *self, bool want_write)
{
    uint32_t events = EPOLLIN | EPOLLRDHUP | (want_write? EPOLLOUT: 0);
    if (events == self->events)
        return;
    struct epoll_event ev = { .events = events, .data.ptr = self };
    epoll_ctl (self->loop->epfd, EPOLL_CTL_MOD, self->fd, &ev);
    self->events = events;
}

//  --------------------------------------------------------------------------
//  Sends bytes, queueing what the kernel does not take

static void
s_conn_send (s_conn_t *self, const char *data, size_t len)
{
    if (self->dead || !len)
        return;
    if (self->out_off == self->out_len) {
        while (len) {
            ssize_t n = send (self->fd, data, len, MSG_NOSIGNAL);
            if (n > 0) {
                data += n;
                len -= (size_t) n;
            }
            else
            if (n < 0 && errno == EINTR)
                continue;
            else
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            else {
                s_conn_close (self);
                return;
            }
        }
        if (!len)
            return;
        self->out_off = self->out_len = 0;
    }
    if (self->out_len + len > self->out_cap) {
        size_t cap = self->out_cap? self->out_cap: 4096;
        while (cap < self->out_len + len)
            cap *= 2;
        self->out = realloc (self->out, cap);
        if (!self->out)
            abort ();
        self->out_cap = cap;
    }
    memcpy (self->out + self->out_len, data, len);
    self->out_len += len;
    s_conn_watch (self, true);
}

//  --------------------------------------------------------------------------
//  Closes now, or once pending output is drained

static void
s_conn_close_after (s_conn_t *self)
{
    self->closing = true;
    if (self->out_off == self->out_len)
        s_conn_close (self);
}

//  --------------------------------------------------------------------------
//  Writes pending output; when drained, resumes whatever was waiting on it

static void
s_conn_flush (s_conn_t *self)
{
    while (self->out_off < self->out_len) {
        ssize_t n = send (self->fd, self->out + self->out_off, self->out_len - self->out_off,
                          MSG_NOSIGNAL);
        if (n > 0)
            self->out_off += (size_t) n;
        else
        if (n < 0 && errno == EINTR)
            continue;
        else
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        else {
            s_conn_close (self);
            return;
        }
    }
    //  Drained: free the buffer, so held streams cost no output memory
    free (self->out);
    self->out = NULL;
    self->out_off = self->out_len = self->out_cap = 0;
    s_conn_watch (self, false);
    if (self->closing)
        s_conn_close (self);
    else
    if (self->job)
        s_conn_pump (self);
    else
    if (self->in_len && !self->feeding)
        s_conn_feed (self, self->in, self->in_len, false);
}

//  --------------------------------------------------------------------------
//  Closes the connection; a job still running means the client left early

static void
s_conn_close (s_conn_t *self)
{
    if (self->dead)
        return;
    self->dead = true;
    if (self->job)
        oa_mock_job_destroy (&self->job, true);
    s_heap_remove (self->loop, self);
    close (self->fd);               //  also removes it from epoll
    free (self->in);
    free (self->out);
    self->in = self->out = NULL;
    self->in_len = self->out_len = self->out_off = 0;
    self->next_dead = self->loop->graveyard;
    self->loop->graveyard = self;
    oa_mock_stats_event (OA_MOCK_EV_CONN_CLOSE);
}

//  --------------------------------------------------------------------------
//  Drives the job until it waits for time or for the socket, or ends

static void
s_conn_pump (s_conn_t *self)
{
    s_loop_t *loop = self->loop;
    while (self->job && !self->dead) {
        if (self->out_off < self->out_len)
            return;                 //  back-pressure: s_conn_flush resumes us
        //  Steps due now go out in one send: a stream without chunk delay
        //  costs one syscall, not one per event
        uint32_t wait_ms = 0;
        int rc = OA_MOCK_MORE;
        loop->out.len = 0;
        while (rc == OA_MOCK_MORE && !wait_ms && loop->out.len < S_BATCH)
            rc = oa_mock_job_next (self->job, &loop->out, &wait_ms);
        s_conn_send (self, loop->out.data, loop->out.len);
        if (self->dead)
            return;
        if (rc == OA_MOCK_MORE) {
            if (wait_ms) {
                s_heap_push (loop, self, oa_mock_now_ms () + wait_ms);
                return;
            }
            continue;
        }
        oa_mock_job_destroy (&self->job, false);
        if (rc == OA_MOCK_DROP || !self->keep_alive)
            s_conn_close_after (self);
        else
        if (self->in_len && !self->feeding)
            s_conn_feed (self, self->in, self->in_len, false);
        return;
    }
}

//  --------------------------------------------------------------------------
//  Answers input we cannot parse, then closes

static void
s_conn_reject (s_conn_t *self, int status)
{
    const char *reason = status == 413? "Payload Too Large":
                         status == 431? "Request Header Fields Too Large": "Bad Request";
    char body [160];
    int size = snprintf (body, sizeof (body),
        "{\"error\":{\"message\":\"%s\",\"type\":\"invalid_request_error\",\"param\":null,"
        "\"code\":null}}", reason);
    char head [256];
    int head_size = snprintf (head, sizeof (head),
        "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
        "Connection: close\r\n\r\n", status, reason, size);
    oa_mock_stats_event (OA_MOCK_EV_BAD_REQUEST);
    s_conn_send (self, head, (size_t) head_size);
    s_conn_send (self, body, (size_t) size);
    if (!self->dead)
        s_conn_close_after (self);
}

//  --------------------------------------------------------------------------
//  Walks a chunked body; returns bytes consumed, 0 if incomplete, -1 if bad.
//  With dest, also copies the decoded bytes there.

static ssize_t
s_dechunk (const char *data, size_t len, char *dest, size_t *decoded)
{
    size_t off = 0, total = 0;
    for (;;) {
        const char *eol = memmem (data + off, len - off, "\r\n", 2);
        if (!eol)
            return len - off > 1024? -1: 0;
        size_t size = 0;
        const char *p = data + off;
        int digits = 0;
        for (; p < eol; p++, digits++) {
            int c = *p;
            int v = c >= '0' && c <= '9'? c - '0': c >= 'a' && c <= 'f'? c - 'a' + 10:
                    c >= 'A' && c <= 'F'? c - 'A' + 10: -1;
            if (v < 0)
                break;
            if (size > S_MAX_BODY)
                return -1;
            size = size * 16 + (size_t) v;
        }
        if (!digits || (p < eol && *p != ';' && *p != ' '))
            return -1;
        off = eol - data + 2;
        if (size == 0) {
            //  Skip trailer fields up to the empty line
            for (;;) {
                const char *end = memmem (data + off, len - off, "\r\n", 2);
                if (!end)
                    return 0;
                size_t line = end - (data + off);
                off += line + 2;
                if (line == 0) {
                    *decoded = total;
                    return (ssize_t) off;
                }
            }
        }
        if (total + size > S_MAX_BODY)
            return -1;
        if (len - off < size + 2)
            return 0;
        if (data [off + size] != '\r' || data [off + size + 1] != '\n')
            return -1;
        if (dest)
            memcpy (dest + total, data + off, size);
        total += size;
        off += size + 2;
    }
}

//  --------------------------------------------------------------------------
//  Parses one request at data.  Returns bytes consumed, 0 if incomplete
//  (*expect set when only the body is missing and the client waits for
//  100 Continue), or -1 with *status (400, 413, 431).

static ssize_t
s_parse (const char *data, size_t len, oa_mock_req_t *req, char **decoded, bool *expect,
         int *status)
{
    *expect = false;
    *status = 400;
    const char *end = memmem (data, len < S_SCRATCH? len: S_SCRATCH, "\r\n\r\n", 4);
    if (!end) {
        *status = 431;
        return len >= S_SCRATCH? -1: 0;
    }
    size_t head_len = end - data + 4;
    memset (req, 0, offsetof (oa_mock_req_t, headers));
    req->header_count = 0;
    req->head = data;
    req->head_len = end - data;

    //  Request line: METHOD SP target SP HTTP/1.x
    const char *eol = memmem (data, head_len, "\r\n", 2);
    const char *sp1 = memchr (data, ' ', eol - data);
    const char *sp2 = sp1? memchr (sp1 + 1, ' ', eol - sp1 - 1): NULL;
    if (!sp1 || !sp2 || sp1 == data || sp2 == sp1 + 1 || eol - sp2 != 9
    ||  memcmp (sp2 + 1, "HTTP/1.", 7) != 0)
        return -1;
    bool http10 = sp2 [8] == '0';
    req->method = data;
    req->method_len = sp1 - data;
    req->path = sp1 + 1;
    const char *q = memchr (req->path, '?', sp2 - req->path);
    req->path_len = (q? q: sp2) - req->path;
    if (q) {
        req->query = q + 1;
        req->query_len = sp2 - q - 1;
    }

    //  Header fields
    size_t content_length = 0;
    bool has_length = false, chunked = false, want_continue = false;
    bool conn_close = false, conn_keep = false;
    const char *p = eol + 2;
    while (p < end + 2) {
        const char *le = memmem (p, end + 2 - p, "\r\n", 2);
        const char *colon = memchr (p, ':', le - p);
        if (!colon || colon == p)
            return -1;
        const char *v = colon + 1, *ve = le;
        while (v < ve && (*v == ' ' || *v == '\t'))
            v++;
        while (ve > v && (ve [-1] == ' ' || ve [-1] == '\t'))
            ve--;
        size_t nl = colon - p, vl = ve - v;
        if (req->header_count == OA_MOCK_MAX_HEADERS) {
            *status = 431;
            return -1;
        }
        req->headers [req->header_count++] = (oa_mock_header_t) { p, nl, v, vl };
        if (nl == 14 && strncasecmp (p, "content-length", 14) == 0) {
            char *stop;
            char num [24] = "";
            memcpy (num, v, vl < 23? vl: 23);
            unsigned long long n = strtoull (num, &stop, 10);
            if (stop == num || *stop)
                return -1;
            if (n > S_MAX_BODY) {
                *status = 413;
                return -1;
            }
            content_length = (size_t) n;
            has_length = true;
        }
        else
        if (nl == 17 && strncasecmp (p, "transfer-encoding", 17) == 0)
            chunked = memmem (v, vl, "chunked", 7) != NULL;
        else
        if (nl == 10 && strncasecmp (p, "connection", 10) == 0) {
            conn_close = vl >= 5 && strncasecmp (v, "close", 5) == 0;
            conn_keep = vl >= 10 && strncasecmp (v, "keep-alive", 10) == 0;
        }
        else
        if (nl == 6 && strncasecmp (p, "expect", 6) == 0)
            want_continue = vl == 12 && strncasecmp (v, "100-continue", 12) == 0;
        p = le + 2;
    }
    req->keep_alive = http10? conn_keep: !conn_close;

    //  Body
    const char *body = data + head_len;
    size_t avail = len - head_len;
    if (chunked) {
        size_t size = 0;
        ssize_t used = s_dechunk (body, avail, NULL, &size);
        if (used <= 0) {
            *expect = used == 0 && want_continue;
            *status = 400;
            return used;
        }
        *decoded = malloc (size + 1);
        if (!*decoded)
            abort ();
        s_dechunk (body, avail, *decoded, &size);
        req->body = *decoded;
        req->body_len = size;
        return (ssize_t) (head_len + used);
    }
    if (has_length && avail < content_length) {
        *expect = want_continue;
        return 0;
    }
    req->body = body;
    req->body_len = content_length;
    return (ssize_t) (head_len + content_length);
}

//  --------------------------------------------------------------------------
//  Answers one parsed request: at once, or by starting its job

static void
s_conn_dispatch (s_conn_t *self, oa_mock_req_t *req)
{
    s_loop_t *loop = self->loop;
    loop->out.len = 0;
    oa_mock_job_t *job = oa_mock_handle (req, &loop->out);
    self->keep_alive = req->keep_alive;
    s_conn_send (self, loop->out.data, loop->out.len);
    if (self->dead) {
        if (job)
            oa_mock_job_destroy (&job, true);
        return;
    }
    if (job) {
        self->job = job;
        s_conn_pump (self);
    }
    else
    if (!self->keep_alive)
        s_conn_close_after (self);
}

//  --------------------------------------------------------------------------
//  Parses and answers the requests in data; keeps the unparsed rest in
//  self->in.  Stops at a running job: pipelined requests wait their turn.

static void
s_conn_feed (s_conn_t *self, const char *data, size_t len, bool from_scratch)
{
    size_t off = 0;
    self->feeding = true;
    while (off < len && !self->job && !self->closing && !self->dead) {
        oa_mock_req_t req;
        char *decoded = NULL;
        bool expect;
        int status;
        ssize_t used = s_parse (data + off, len - off, &req, &decoded, &expect, &status);
        if (used == 0) {
            if (expect && !self->continue_sent) {
                self->continue_sent = true;
                s_conn_send (self, "HTTP/1.1 100 Continue\r\n\r\n", 25);
            }
            break;
        }
        if (used < 0) {
            s_conn_reject (self, status);
            off = len;
            break;
        }
        off += (size_t) used;
        self->continue_sent = false;
        s_conn_dispatch (self, &req);
        free (decoded);
    }
    self->feeding = false;
    if (self->dead)
        return;
    size_t rest = self->closing? 0: len - off;
    if (from_scratch) {
        if (rest) {
            self->in_cap = rest < S_SCRATCH? S_SCRATCH: rest;
            self->in = malloc (self->in_cap);
            if (!self->in)
                abort ();
            memcpy (self->in, data + off, rest);
        }
        self->in_len = rest;
    }
    else {
        memmove (self->in, self->in + off, rest);
        self->in_len = rest;
    }
    if (!self->in_len) {
        free (self->in);
        self->in = NULL;
        self->in_cap = 0;
    }
}

//  --------------------------------------------------------------------------
//  Reads what the socket has; EOF or error closes (cancelling any job)

static void
s_conn_read (s_conn_t *self)
{
    s_loop_t *loop = self->loop;
    while (!self->dead) {
        ssize_t n;
        if (self->in_len == 0) {
            n = recv (self->fd, loop->scratch, S_SCRATCH, 0);
            if (n > 0) {
                if (self->closing)
                    continue;       //  discard input after Connection: close
                s_conn_feed (self, loop->scratch, (size_t) n, true);
                if (n < S_SCRATCH)
                    return;
                continue;
            }
        }
        else {
            if (self->in_cap - self->in_len < S_SCRATCH) {
                self->in_cap = self->in_cap * 2 < self->in_len + S_SCRATCH?
                               self->in_len + S_SCRATCH: self->in_cap * 2;
                self->in = realloc (self->in, self->in_cap);
                if (!self->in)
                    abort ();
            }
            n = recv (self->fd, self->in + self->in_len, self->in_cap - self->in_len, 0);
            if (n > 0) {
                self->in_len += (size_t) n;
                if (self->job && self->in_len > S_MAX_PENDING) {
                    s_conn_close (self);
                    return;
                }
                if (!self->job && !self->closing)
                    s_conn_feed (self, self->in, self->in_len, false);
                if (self->closing) {
                    self->in_len = 0;
                }
                continue;
            }
        }
        if (n == 0) {
            s_conn_close (self);
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            s_conn_close (self);
        return;
    }
}

//  --------------------------------------------------------------------------
//  Accepts every pending connection

static void
s_accept (s_loop_t *loop)
{
    for (;;) {
        int fd = accept4 (loop->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if ((errno == EMFILE || errno == ENFILE) && loop->spare_fd >= 0) {
                //  Out of descriptors: shed this client rather than spin on
                //  a listener that stays readable
                close (loop->spare_fd);
                fd = accept (loop->listen_fd, NULL, NULL);
                if (fd >= 0)
                    close (fd);
                loop->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
                fprintf (stderr, "oa-mock: out of file descriptors, connection refused\n");
                continue;
            }
            return;
        }
        int one = 1;
        setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof (one));
        s_conn_t *conn = calloc (1, sizeof (s_conn_t));
        if (!conn)
            abort ();
        conn->fd = fd;
        conn->loop = loop;
        conn->events = EPOLLIN | EPOLLRDHUP;
        struct epoll_event ev = { .events = conn->events, .data.ptr = conn };
        if (epoll_ctl (loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            close (fd);
            free (conn);
            continue;
        }
        oa_mock_stats_event (OA_MOCK_EV_CONN_OPEN);
    }
}

//  --------------------------------------------------------------------------
//  Runs one event loop on listen_fd, forever

void
oa_mock_server_run (int listen_fd)
{
    s_loop_t loop = { .listen_fd = listen_fd };
    loop.epfd = epoll_create1 (EPOLL_CLOEXEC);
    loop.spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
    loop.scratch = malloc (S_SCRATCH);
    if (loop.epfd < 0 || !loop.scratch) {
        perror ("oa-mock: epoll");
        exit (1);
    }
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl (loop.epfd, EPOLL_CTL_ADD, listen_fd, &ev);

    struct epoll_event events [512];
    for (;;) {
        int timeout = -1;
        if (loop.heap_len) {
            int64_t wait = loop.heap [0]->due - oa_mock_now_ms ();
            timeout = wait < 0? 0: wait > INT_MAX? INT_MAX: (int) wait;
        }
        int count = epoll_wait (loop.epfd, events, 512, timeout);
        for (int i = 0; i < count; i++) {
            s_conn_t *conn = events [i].data.ptr;
            if (!conn) {
                s_accept (&loop);
                continue;
            }
            //  EOF, hang-up and errors all surface through recv()
            if (!conn->dead && (events [i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
                s_conn_read (conn);
            if (!conn->dead && (events [i].events & EPOLLOUT))
                s_conn_flush (conn);
        }
        int64_t now = oa_mock_now_ms ();
        while (loop.heap_len && loop.heap [0]->due <= now) {
            s_conn_t *conn = loop.heap [0];
            s_heap_remove (&loop, conn);
            s_conn_pump (conn);
        }
        while (loop.graveyard) {
            s_conn_t *conn = loop.graveyard;
            loop.graveyard = conn->next_dead;
            free (conn);
        }
    }
}
