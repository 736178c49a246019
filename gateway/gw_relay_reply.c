/*  =========================================================================
    gw_relay_reply - a relay request between admission and its last byte

    The pending state lives in the request's pool, with a dispose callback,
    and is registered with the loop's bridge under its corr_id.  Replies:
    - RELAY_HEAD: status, content type and headers.  A stream that
      succeeds starts at once (text/event-stream, no-cache, no length);
      anything else is held until the end, so it goes out whole with a
      Content-Length, as one-api sends it, and an error after the head
      can still become a proper error response.
    - RELAY_DATA: queued; a started stream sends it with at most one
      h2o_send in flight (the next goes from generator->proceed; frames
      stay alive until h2o is done with them).
    - RELAY_END: the final send; failures are suspended.  A non-stream
      answer may come whole in it (content type and payload, no HEAD).
    - RELAY_ERROR: before the response started, an error response (the
      worker's rendered body, or one rendered from the fields); after, the
      end of the stream (the worker already put an error event in it).
    The client going away (generator stop, or the request disposed) sends
    RELAY_CANCEL if the worker has not finished; so does the gateway's own
    deadline, which also answers 504 (the broker's should come first).
    =========================================================================
*/
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "gw_metrics.h"
#include "gw_relay_private.h"
#include "oa_config.h"
#include "oa_log.h"

//  --------------------------------------------------------------------------
//  Accounting

static void
s_count (gw_relay_pending_t *self, int status)
{
    if (self->counted)
        return;
    self->counted = true;
    gw_relay_metrics_count (self->route->pattern, self->model, self->channel_id, status);
}

static void
s_first_byte (gw_relay_pending_t *self)
{
    gw_relay_metrics_ttfb (self->route->pattern,
                           (double) (oa_clock_mono_us () - self->started_us) / 1e6);
}

//  Suspends the (channel, model) pairs of failed attempts ("17 429") for
//  CHANNEL_SUSPEND_SECONDS_FOR_429 / _5XX / _AUTH; other statuses (400,
//  408, 413, ...) are the request's fault, not the channel's.
static void
s_suspend_failures (gw_relay_pending_t *self, oa_msg_t *msg)
{
    zlist_t *failures = oa_msg_failures (msg);
    if (!failures || !*self->model)
        return;
    gw_thread_t *thread = H2O_STRUCT_FROM_MEMBER (gw_thread_t, ctx, self->req->conn->ctx);
    const oa_config_t *config = thread->gateway->config;
    int64_t now = oa_clock_ms ();
    for (const char *item = zlist_first (failures); item; item = zlist_next (failures)) {
        unsigned long long channel = 0;
        int status = 0;
        if (sscanf (item, "%llu %d", &channel, &status) != 2 || channel == 0)
            continue;
        int seconds = status == 429? config->suspend_429_sec
                    : status >= 500 && status <= 599? config->suspend_5xx_sec
                    : status == 401 || status == 403? config->suspend_auth_sec: 0;
        if (seconds <= 0)
            continue;
        gw_state_suspend (gw_bridge_state (self->bridge), (int64_t) channel, self->model,
                          now + (int64_t) seconds * 1000);
        gw_metrics_suspension (channel, status);
        oa_log_info ("gateway", "relay %s: channel %llu suspended for %s, %d s (status %d)",
                     self->request_id, channel, self->model, seconds, status);
    }
}

//  --------------------------------------------------------------------------
//  Sending

static void
s_free_frames (zlist_t *frames)
{
    zframe_t *frame;
    while ((frame = zlist_pop (frames)))
        zframe_destroy (&frame);
}

//  Gives h2o what is queued, if nothing is in flight.  The final send goes
//  once the worker is done and the queue is empty.
static void
s_flush (gw_relay_pending_t *self)
{
    if (!self->streaming || self->sending || self->final || self->client_gone)
        return;
    size_t count = 0;
    while (count < GW_RELAY_IOV_MAX && zlist_size (self->queued) > 0) {
        zframe_t *frame = zlist_pop (self->queued);
        self->iov [count++] = h2o_iovec_init (zframe_data (frame), zframe_size (frame));
        zlist_append (self->sent, frame);
    }
    bool last = self->done && zlist_size (self->queued) == 0;
    if (count == 0 && !last && self->started)
        return;                     //  nothing new; proceed or the next reply flushes
    self->sending = true;
    self->final = last;
    self->started = true;
    //  h2o may call proceed before this returns: touch nothing after it.
    h2o_send (self->req, self->iov, count, last? H2O_SEND_STATE_FINAL: H2O_SEND_STATE_IN_PROGRESS);
}

static void
s_on_proceed (h2o_generator_t *generator, h2o_req_t *req)
{
    (void) req;
    gw_relay_pending_t *self = H2O_STRUCT_FROM_MEMBER (gw_relay_pending_t, generator, generator);
    s_free_frames (self->sent);
    self->sending = false;
    s_flush (self);
}

static void
s_on_stop (h2o_generator_t *generator, h2o_req_t *req)
{
    (void) req;
    gw_relay_pending_t *self = H2O_STRUCT_FROM_MEMBER (gw_relay_pending_t, generator, generator);
    self->client_gone = true;
    //  Counted before the cancel leaves: whoever sees the cancel sees the count
    s_count (self, 499);
    if (self->waiter.corr_id) {
        uint64_t corr_id = self->waiter.corr_id;
        gw_bridge_forget (self->bridge, &self->waiter);
        gw_bridge_cancel (self->bridge, corr_id, "client gone");
    }
}

//  Copies the worker's response headers, minus those h2o owns.
static void
s_copy_headers (gw_relay_pending_t *self, oa_msg_t *msg)
{
    h2o_req_t *req = self->req;
    const char *content_type = oa_msg_content_type (msg);
    if (*content_type)
        h2o_set_header (&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
                        h2o_strdup (&req->pool, content_type, SIZE_MAX).base,
                        strlen (content_type), 1);
    zhash_t *headers = oa_msg_headers (msg);
    if (!headers)
        return;
    for (const char *value = zhash_first (headers); value; value = zhash_next (headers)) {
        const char *name = zhash_cursor (headers);
        static const char *skip [] = {
            "content-type", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "server", "date", "x-oneapi-request-id", NULL
        };
        bool skipped = false;
        for (int index = 0; skip [index]; index++)
            if (strcasecmp (name, skip [index]) == 0)
                skipped = true;
        if (skipped || !*name)
            continue;
        h2o_iovec_t lower = h2o_strdup (&req->pool, name, SIZE_MAX);
        h2o_strtolower (lower.base, lower.len);
        h2o_iovec_t copy = h2o_strdup (&req->pool, value, SIZE_MAX);
        h2o_add_header_by_str (&req->pool, &req->res.headers, lower.base, lower.len, 0, NULL,
                               copy.base, copy.len);
    }
}

//  The SDKs expose a response's request id from x-request-id (openai) and
//  request-id (anthropic) (wire-formats §7): echo ours unless the upstream's
//  came through.
static void
s_add_sdk_request_ids (gw_relay_pending_t *self)
{
    h2o_req_t *req = self->req;
    static const char *names [] = { "x-request-id", "request-id" };
    for (int index = 0; index < 2; index++) {
        size_t len = strlen (names [index]);
        if (h2o_find_header_by_str (&req->res.headers, names [index], len, -1) != -1)
            continue;
        h2o_iovec_t value = h2o_strdup (&req->pool, self->request_id, SIZE_MAX);
        h2o_add_header_by_str (&req->pool, &req->res.headers, names [index], len, 0, NULL,
                               value.base, value.len);
    }
}

//  Sends everything held, whole, with a Content-Length.
static void
s_respond_whole (gw_relay_pending_t *self)
{
    h2o_req_t *req = self->req;
    size_t total = 0;
    for (zframe_t *frame = zlist_first (self->queued); frame; frame = zlist_next (self->queued))
        total += zframe_size (frame);
    char *body = h2o_mem_alloc_pool (&req->pool, total + 1);
    size_t at = 0;
    zframe_t *frame;
    while ((frame = zlist_pop (self->queued))) {
        memcpy (body + at, zframe_data (frame), zframe_size (frame));
        at += zframe_size (frame);
        zframe_destroy (&frame);
    }
    req->res.status = self->status;
    req->res.reason = gw_http_reason (self->status);
    req->res.content_length = total;
    self->started = true;
    self->final = true;
    s_first_byte (self);
    h2o_send_inline (req, body, total);
}

static void
s_respond_error (gw_relay_pending_t *self, int status, const char *type, const char *code,
                 const char *message)
{
    s_free_frames (self->queued);
    self->status = status;
    self->started = true;
    self->final = true;
    s_first_byte (self);
    gw_relay_respond_error (self->req, self->route->format, status, type, code, message,
                            self->request_id, true);
}

//  --------------------------------------------------------------------------
//  Replies

static void
s_finish (gw_relay_pending_t *self)
{
    self->done = true;
    gw_bridge_forget (self->bridge, &self->waiter);
    if (h2o_timeout_is_linked (&self->deadline))
        h2o_timeout_unlink (&self->deadline);
}

static void
s_on_head (gw_relay_pending_t *self, oa_msg_t *msg)
{
    if (self->head)
        return;                     //  one head per request; ignore repeats
    self->head = true;
    self->status = oa_msg_status (msg) >= 100 && oa_msg_status (msg) <= 999? oa_msg_status (msg): 502;
    if (oa_msg_channel_id (msg))
        self->channel_id = oa_msg_channel_id (msg);
    s_copy_headers (self, msg);
    s_add_sdk_request_ids (self);
    if (!self->stream || self->status / 100 != 2)
        return;                     //  held until RELAY_END
    h2o_req_t *req = self->req;
    req->res.status = self->status;
    req->res.reason = gw_http_reason (self->status);
    req->res.content_length = SIZE_MAX;
    if (h2o_find_header (&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1) == -1)
        h2o_add_header (&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                        H2O_STRLIT ("text/event-stream"));
    if (h2o_find_header (&req->res.headers, H2O_TOKEN_CACHE_CONTROL, -1) == -1)
        h2o_add_header (&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                        H2O_STRLIT ("no-cache"));
    self->streaming = true;
    self->generator.proceed = s_on_proceed;
    self->generator.stop = s_on_stop;
    h2o_start_response (req, &self->generator);
    s_first_byte (self);
    s_flush (self);                 //  the headers go now, with whatever is queued
}

static void
s_on_data (gw_relay_pending_t *self, oa_msg_t *msg)
{
    zframe_t *payload = oa_msg_get_payload (msg);
    if (!payload)
        return;
    if (zframe_size (payload) == 0)
        zframe_destroy (&payload);
    else
        zlist_append (self->queued, payload);
    s_flush (self);
}

static void
s_on_end (gw_relay_pending_t *self, oa_msg_t *msg)
{
    if (!self->head && *oa_msg_content_type (msg)) {
        //  A whole non-stream answer: this message is its head and body too
        s_on_head (self, msg);
        zframe_t *payload = oa_msg_get_payload (msg);
        if (payload && zframe_size (payload))
            zlist_append (self->queued, payload);
        else
            zframe_destroy (&payload);
    }
    s_finish (self);
    s_suspend_failures (self, msg);
    if (oa_msg_channel_id (msg))
        self->channel_id = oa_msg_channel_id (msg);
    self->upstream_ms = oa_msg_upstream_ms (msg);
    double total = (double) (oa_clock_mono_us () - self->started_us) / 1e6;
    gw_relay_metrics_overhead (self->route->pattern, total - self->upstream_ms / 1000.0);
    if (!self->head) {
        self->status = oa_msg_status (msg) >= 100 && oa_msg_status (msg) <= 999
                     ? oa_msg_status (msg): 502;
        self->head = true;
    }
    s_count (self, self->status);
    if (self->streaming)
        s_flush (self);
    else
        s_respond_whole (self);
}

static void
s_on_error (gw_relay_pending_t *self, oa_msg_t *msg)
{
    s_finish (self);
    s_suspend_failures (self, msg);
    if (oa_msg_channel_id (msg))
        self->channel_id = oa_msg_channel_id (msg);
    int status = oa_msg_status (msg) >= 400 && oa_msg_status (msg) <= 999? oa_msg_status (msg): 502;
    if (self->streaming) {
        //  Bytes reached the client: the stream can only end.  A rendered
        //  error event, if any, goes last.
        zframe_t *payload = oa_msg_get_payload (msg);
        if (payload && zframe_size (payload) > 0)
            zlist_append (self->queued, payload);
        else {
            //  Nobody rendered one (the worker died): the gateway does,
            //  so the client learns its stream is cut, not complete
            zframe_destroy (&payload);
            const char *message = oa_msg_message (msg);
            char *event = gw_relay_error_event (self->route->format, status,
                                                oa_msg_error_type (msg), oa_msg_code (msg),
                                                *message? message: "upstream stream interrupted",
                                                self->request_id);
            zlist_append (self->queued, zframe_new (event, strlen (event)));
            free (event);
        }
        s_count (self, self->status);
        s_flush (self);
        return;
    }
    s_count (self, status);
    zframe_t *payload = oa_msg_payload (msg);
    if (payload && zframe_size (payload) > 0) {
        //  The worker rendered the error in the client's format already.
        s_free_frames (self->queued);
        zlist_append (self->queued, oa_msg_get_payload (msg));
        h2o_req_t *req = self->req;
        const char *content_type = oa_msg_content_type (msg);
        h2o_set_header (&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
                        *content_type? h2o_strdup (&req->pool, content_type, SIZE_MAX).base
                                     : GW_JSON_TYPE,
                        *content_type? strlen (content_type): strlen (GW_JSON_TYPE), 1);
        self->status = status;
        s_respond_whole (self);
        return;
    }
    const char *message = oa_msg_message (msg);
    s_respond_error (self, status, oa_msg_error_type (msg), oa_msg_code (msg),
                     *message? message: "upstream request failed");
}

static void
s_on_reply (gw_bridge_waiter_t *waiter, oa_msg_t *msg)
{
    gw_relay_pending_t *self = H2O_STRUCT_FROM_MEMBER (gw_relay_pending_t, waiter, waiter);
    if (self->client_gone || self->final) {
        //  Nothing more can reach the client; keep the bookkeeping only.
        if (oa_msg_id (msg) == OA_MSG_RELAY_END || oa_msg_id (msg) == OA_MSG_RELAY_ERROR)
            s_finish (self);
        return;
    }
    switch (oa_msg_id (msg)) {
        case OA_MSG_RELAY_HEAD:  s_on_head (self, msg);  break;
        case OA_MSG_RELAY_DATA:  s_on_data (self, msg);  break;
        case OA_MSG_RELAY_END:   s_on_end (self, msg);   break;
        case OA_MSG_RELAY_ERROR: s_on_error (self, msg); break;
        default:
            oa_log_debug ("gateway", "relay: unexpected %s for %" PRIu64,
                          oa_msg_command (msg), oa_msg_corr_id (msg));
    }
}

//  --------------------------------------------------------------------------
//  Deadline and lifetime

static void
s_on_deadline (h2o_timeout_entry_t *entry)
{
    gw_relay_pending_t *self = H2O_STRUCT_FROM_MEMBER (gw_relay_pending_t, deadline, entry);
    uint64_t corr_id = self->waiter.corr_id;
    s_finish (self);
    if (corr_id)
        gw_bridge_cancel (self->bridge, corr_id, "deadline");
    oa_log_warn ("gateway", "relay %s: no answer by the deadline", self->request_id);
    if (self->client_gone || self->final)
        return;
    if (self->streaming) {
        char *event = gw_relay_error_event (self->route->format, 504, "one_api_error",
                                            "timeout", "upstream request timed out",
                                            self->request_id);
        zlist_append (self->queued, zframe_new (event, strlen (event)));
        free (event);
        s_count (self, self->status);
        s_flush (self);
    }
    else {
        s_count (self, 504);
        s_respond_error (self, 504, "one_api_error", "timeout", "upstream request timed out");
    }
}

static void
s_on_dispose (void *data)
{
    gw_relay_pending_t *self = data;
    s_count (self, 499);            //  before the cancel, as in s_on_stop
    if (self->waiter.corr_id) {
        uint64_t corr_id = self->waiter.corr_id;
        gw_bridge_forget (self->bridge, &self->waiter);
        gw_bridge_cancel (self->bridge, corr_id, "client gone");
    }
    if (h2o_timeout_is_linked (&self->deadline))
        h2o_timeout_unlink (&self->deadline);
    s_free_frames (self->queued);
    s_free_frames (self->sent);
    zlist_destroy (&self->queued);
    zlist_destroy (&self->sent);
    gw_relay_metrics_inflight_add (-1);
}

gw_relay_pending_t *
gw_relay_pending_new (gw_request_t *request, gw_bridge_t *bridge, const gw_relay_route_t *route,
                      uint64_t corr_id, bool stream, const char *model)
{
    h2o_req_t *req = request->req;
    gw_relay_pending_t *self = h2o_mem_alloc_shared (&req->pool, sizeof (gw_relay_pending_t),
                                                     s_on_dispose);
    memset (self, 0, sizeof (gw_relay_pending_t));
    self->req = req;
    self->bridge = bridge;
    self->route = route;
    self->stream = stream;
    self->started_us = request->started_us;
    snprintf (self->request_id, sizeof self->request_id, "%s", request->id);
    snprintf (self->model, sizeof self->model, "%s", model? model: "");
    self->queued = zlist_new ();
    self->sent = zlist_new ();
    self->waiter.on_reply = s_on_reply;
    gw_bridge_register (bridge, &self->waiter, corr_id);
    self->deadline.cb = s_on_deadline;
    h2o_timeout_link (req->conn->ctx->loop, gw_bridge_deadlines (bridge), &self->deadline);
    gw_relay_metrics_inflight_add (1);
    return self;
}

void
gw_relay_pending_abort (gw_relay_pending_t *self)
{
    assert (self);
    s_finish (self);
    self->counted = true;           //  the caller answers, and counts
}
