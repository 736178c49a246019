/*  =========================================================================
    mock_stats - counters and the last request per route, for /_mock/stats

    Integration tests read these to assert what the gateway did upstream:
    how many requests reached each route, which headers and body it sent,
    and whether it closed the upstream connection when its client left
    (streams_cancelled).  Counters are relaxed atomics; the last-request
    records sit behind one mutex, reusing their buffers so the hot path
    costs two memcpy calls and no allocation.
    =========================================================================
*/
#include "mock.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>

#define S_MAX_ROUTES 32
#define S_MAX_BODY (1024 * 1024)        //  longer bodies are truncated in stats

typedef struct {
    const char *name;           //  route name (static string from the route table)
    atomic_long requests;       //  requests seen since the last reset
    oa_mock_buf_t head;         //  last request line and headers
    oa_mock_buf_t body;         //  last body (truncated to S_MAX_BODY)
    bool truncated;             //  last body was longer than S_MAX_BODY
} s_route_t;

static struct {
    atomic_long connections_open;
    atomic_long connections_total;
    atomic_long requests_total;
    atomic_long streams_active;
    atomic_long streams_completed;
    atomic_long streams_cancelled;
    atomic_long cancelled;
    atomic_long dropped;
    atomic_long bad_requests;
    pthread_mutex_t lock;       //  guards routes and route_count
    s_route_t routes [S_MAX_ROUTES];
    int route_count;
} s_stats = { .lock = PTHREAD_MUTEX_INITIALIZER };

//  --------------------------------------------------------------------------
//  Counts one connection or stream event

void
oa_mock_stats_event (oa_mock_event_t event)
{
    switch (event) {
        case OA_MOCK_EV_CONN_OPEN:
            atomic_fetch_add_explicit (&s_stats.connections_open, 1, memory_order_relaxed);
            atomic_fetch_add_explicit (&s_stats.connections_total, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_CONN_CLOSE:
            atomic_fetch_sub_explicit (&s_stats.connections_open, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_STREAM_START:
            atomic_fetch_add_explicit (&s_stats.streams_active, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_STREAM_DONE:
            atomic_fetch_sub_explicit (&s_stats.streams_active, 1, memory_order_relaxed);
            atomic_fetch_add_explicit (&s_stats.streams_completed, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_STREAM_CANCELLED:
            atomic_fetch_sub_explicit (&s_stats.streams_active, 1, memory_order_relaxed);
            atomic_fetch_add_explicit (&s_stats.streams_cancelled, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_CANCELLED:
            atomic_fetch_add_explicit (&s_stats.cancelled, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_STREAM_DROPPED:
            atomic_fetch_sub_explicit (&s_stats.streams_active, 1, memory_order_relaxed);
            atomic_fetch_add_explicit (&s_stats.dropped, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_DROPPED:
            atomic_fetch_add_explicit (&s_stats.dropped, 1, memory_order_relaxed);
            break;
        case OA_MOCK_EV_BAD_REQUEST:
            atomic_fetch_add_explicit (&s_stats.bad_requests, 1, memory_order_relaxed);
            break;
    }
}

//  --------------------------------------------------------------------------
//  Counts a request on a route and keeps a copy of its head and body

void
oa_mock_stats_request (const char *route, const oa_mock_req_t *req)
{
    atomic_fetch_add_explicit (&s_stats.requests_total, 1, memory_order_relaxed);
    pthread_mutex_lock (&s_stats.lock);
    s_route_t *slot = NULL;
    for (int i = 0; i < s_stats.route_count && !slot; i++)
        if (s_stats.routes [i].name == route)
            slot = &s_stats.routes [i];
    if (!slot && s_stats.route_count < S_MAX_ROUTES) {
        slot = &s_stats.routes [s_stats.route_count++];
        slot->name = route;
    }
    if (slot) {
        atomic_fetch_add_explicit (&slot->requests, 1, memory_order_relaxed);
        slot->head.len = 0;
        oa_mock_buf_put (&slot->head, req->head, req->head_len);
        size_t size = req->body_len < S_MAX_BODY? req->body_len: S_MAX_BODY;
        slot->body.len = 0;
        oa_mock_buf_put (&slot->body, req->body, size);
        slot->truncated = size < req->body_len;
    }
    pthread_mutex_unlock (&s_stats.lock);
}

//  --------------------------------------------------------------------------
//  Appends the request line and headers of a raw head as JSON members

static void
s_render_head (oa_mock_buf_t *out, const char *head, size_t size)
{
    const char *end = head + size;
    const char *eol = memchr (head, '\n', size);
    const char *line_end = eol? eol: end;
    const char *sp1 = memchr (head, ' ', line_end - head);
    const char *sp2 = sp1? memchr (sp1 + 1, ' ', line_end - sp1 - 1): NULL;
    OA_MOCK_PUT (out, "\"method\":");
    oa_mock_buf_str (out, head, sp1? (size_t) (sp1 - head): 0);
    OA_MOCK_PUT (out, ",\"target\":");
    if (sp1 && sp2)
        oa_mock_buf_str (out, sp1 + 1, sp2 - sp1 - 1);
    else
        OA_MOCK_PUT (out, "\"\"");
    //  Header names are lower-cased so tests can look them up directly
    OA_MOCK_PUT (out, ",\"headers\":{");
    bool first = true;
    const char *p = eol? eol + 1: end;
    while (p < end) {
        const char *nl = memchr (p, '\n', end - p);
        const char *stop = nl? nl: end;
        const char *colon = memchr (p, ':', stop - p);
        if (colon) {
            char name [128];
            size_t n = (size_t) (colon - p) < sizeof (name)? (size_t) (colon - p): sizeof (name);
            for (size_t i = 0; i < n; i++)
                name [i] = (p [i] >= 'A' && p [i] <= 'Z')? p [i] + 32: p [i];
            const char *v = colon + 1;
            const char *ve = stop;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve [-1] == '\r' || ve [-1] == ' '))
                ve--;
            if (!first)
                OA_MOCK_PUT (out, ",");
            first = false;
            oa_mock_buf_str (out, name, n);
            OA_MOCK_PUT (out, ":");
            oa_mock_buf_str (out, v, ve - v);
        }
        p = nl? nl + 1: end;
    }
    OA_MOCK_PUT (out, "}");
}

//  --------------------------------------------------------------------------
//  Appends the stats document (JSON)

void
oa_mock_stats_render (oa_mock_buf_t *out)
{
    oa_mock_buf_printf (out,
        "{\"connections_open\":%ld,\"connections_total\":%ld,\"requests_total\":%ld,"
        "\"streams_active\":%ld,\"streams_completed\":%ld,\"streams_cancelled\":%ld,"
        "\"cancelled\":%ld,\"dropped\":%ld,\"bad_requests\":%ld,\"routes\":{",
        atomic_load (&s_stats.connections_open), atomic_load (&s_stats.connections_total),
        atomic_load (&s_stats.requests_total), atomic_load (&s_stats.streams_active),
        atomic_load (&s_stats.streams_completed), atomic_load (&s_stats.streams_cancelled),
        atomic_load (&s_stats.cancelled), atomic_load (&s_stats.dropped),
        atomic_load (&s_stats.bad_requests));
    pthread_mutex_lock (&s_stats.lock);
    bool first = true;
    for (int i = 0; i < s_stats.route_count; i++) {
        s_route_t *slot = &s_stats.routes [i];
        long requests = atomic_load (&slot->requests);
        if (!requests)
            continue;
        if (!first)
            OA_MOCK_PUT (out, ",");
        first = false;
        oa_mock_buf_str (out, slot->name, strlen (slot->name));
        oa_mock_buf_printf (out, ":{\"requests\":%ld,\"last\":{", requests);
        s_render_head (out, slot->head.data, slot->head.len);
        OA_MOCK_PUT (out, ",\"body\":");
        oa_mock_buf_str (out, slot->body.data, slot->body.len);
        oa_mock_buf_printf (out, ",\"body_truncated\":%s}}", slot->truncated? "true": "false");
    }
    pthread_mutex_unlock (&s_stats.lock);
    OA_MOCK_PUT (out, "}}");
}

//  --------------------------------------------------------------------------
//  Zeroes counters and forgets last requests; gauges (open connections,
//  active streams) describe the present, so they are kept.

void
oa_mock_stats_reset (void)
{
    atomic_store (&s_stats.connections_total, atomic_load (&s_stats.connections_open));
    atomic_store (&s_stats.requests_total, 0);
    atomic_store (&s_stats.streams_completed, 0);
    atomic_store (&s_stats.streams_cancelled, 0);
    atomic_store (&s_stats.cancelled, 0);
    atomic_store (&s_stats.dropped, 0);
    atomic_store (&s_stats.bad_requests, 0);
    pthread_mutex_lock (&s_stats.lock);
    for (int i = 0; i < s_stats.route_count; i++) {
        atomic_store (&s_stats.routes [i].requests, 0);
        s_stats.routes [i].head.len = 0;
        s_stats.routes [i].body.len = 0;
    }
    pthread_mutex_unlock (&s_stats.lock);
}
