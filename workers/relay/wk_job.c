/*  =========================================================================
    wk_job - one relayed request, from RELAY_REQUEST to RELAY_END/ERROR

    States: attempting (easy set) -> [failed, retry allowed] -> attempting
    on another candidate ... -> finished (last message sent, USAGE
    emitted).  RELAY_HEAD goes out lazily, with the first bytes for the
    client, so a stream that dies before its first event can still move to
    another channel.  After RELAY_HEAD nothing is retried.

    Each attempt builds its upstream request through wk_convert: the
    channel's family (wk_route) decides whether the client's bytes pass
    through or are converted, so candidates of different families can
    follow one another.  Errors are converted from the attempt's upstream
    format to the client's.
    =========================================================================
*/
#include "wk_job_private.h"

#include <errno.h>
#include <inttypes.h>
#include <sys/socket.h>
#include "oa_ids.h"
#include "oa_log.h"

static void s_attempt_start (wk_job_t *self, int candidate);
static void s_attempt_failed (wk_job_t *self, int status, const char *reason);

//  Frees the running attempt's transfer and buffers (not the error body
//  unless all is true).
static void
s_attempt_release (wk_job_t *self, bool all)
{
    if (self->easy) {
        if (self->easy_active)
            wk_loop_remove (self->ctx->curl, self->easy);
        curl_easy_cleanup (self->easy);
        self->easy = NULL;
        self->easy_active = false;
        self->upstream_ms += oa_clock_mono_ms () - self->attempt_start_ms;
    }
    oa_sse_parser_destroy (&self->parser);
    wk_openai_req_clear (&self->up);
    json_decref (self->usage_tail);
    self->usage_tail = NULL;
    if (all) {
        free (self->buf);
        self->buf = NULL;
        self->buf_size = self->buf_max = 0;
    }
}

//  Hands the USAGE to the journal, then sends the last message (in this
//  order: a client must never see a finished answer whose USAGE a killed
//  worker could lose), then tells the owner.
static void
s_finish (wk_job_t *self, oa_msg_t **last_p)
{
    assert (!self->finished);
    self->finished = true;
    wk_usage_report (self);
    oa_msg_t *last = *last_p;
    if (oa_msg_send (last, self->gateway, OA_MSG_DONTWAIT))
        oa_log (OA_LOG_WARN, "worker", oa_msg_request_id (self->request),
                "cannot send %s to gateway: %s", oa_msg_command (last), strerror (errno));
    oa_msg_destroy (last_p);
    s_attempt_release (self, true);
    double ttft = self->first_sent_ms? (self->first_sent_ms - self->recv_mono_ms) / 1000.0: -1;
    wk_metrics_request (self->ctx->metrics, self->channel_id, self->final_status,
                        self->upstream_ms / 1000.0, ttft);
    self->ctx->on_finished (self, self->ctx->arg);
}

//  Copies the failures list into a RELAY_END or RELAY_ERROR.
static void
s_set_failures (wk_job_t *self, oa_msg_t *msg)
{
    for (char *item = (char *) zlist_first (self->failures); item;
         item = (char *) zlist_next (self->failures))
        oa_msg_failures_append (msg, item);
}

//  Ends with RELAY_END after a complete answer.  content_type set: the
//  answer is not a stream and goes whole in this message (self->buf is the
//  body); one message instead of HEAD, DATA and END.
static void
s_finish_ok_body (wk_job_t *self, const char *content_type, const char *body, size_t size)
{
    self->final_status = (int) self->status;
    wk_stream_take_usage (self);
    oa_msg_t *end = oa_msg_new_reply (self->request, OA_MSG_RELAY_END);
    if (content_type && !self->head_sent) {
        oa_msg_set_content_type (end, content_type);
        if (size)
            oa_msg_set_payload_bytes (end, body, size);
        //  What HEAD would have marked: nothing is retried after this
        self->head_sent = true;
        self->first_sent_ms = oa_clock_mono_ms ();
    }
    oa_msg_set_status (end, (uint16_t) self->status);
    oa_msg_set_channel_id (end, self->channel_id);
    oa_msg_set_prompt_tokens (end, (uint32_t) self->usage.prompt_tokens);
    oa_msg_set_completion_tokens (end, (uint32_t) self->usage.completion_tokens);
    oa_msg_set_cached_tokens (end, (uint32_t) self->usage.cached_tokens);
    oa_msg_set_reasoning_tokens (end, (uint32_t) self->usage.reasoning_tokens);
    oa_msg_set_upstream_ms (end, (uint32_t) (self->upstream_ms
                                             + (self->easy? oa_clock_mono_ms ()
                                                            - self->attempt_start_ms: 0)));
    //  0 means "nothing sent": a sub-millisecond first byte counts as 1
    int64_t ttft_ms = self->first_sent_ms - self->recv_mono_ms;
    oa_msg_set_ttft_ms (end, self->first_sent_ms? (uint32_t) (ttft_ms > 0? ttft_ms: 1): 0);
    oa_msg_set_attempts (end, (uint16_t) self->attempts);
    oa_msg_set_retries (end, (uint16_t) self->retries);
    s_set_failures (self, end);
    s_finish (self, &end);
}

static void
s_finish_ok (wk_job_t *self, const char *content_type)
{
    s_finish_ok_body (self, content_type, self->buf, self->buf_size);
}

//  Ends with RELAY_ERROR.  body is the client-format error object (taken),
//  sent as the payload unless bytes already reached the client.
static void
s_finish_error (wk_job_t *self, int status, json_t *body, bool retryable)
{
    self->final_status = status;
    oa_msg_t *error = oa_msg_new_reply (self->request, OA_MSG_RELAY_ERROR);
    oa_msg_set_status (error, (uint16_t) status);
    oa_msg_set_channel_id (error, self->channel_id);
    oa_msg_set_bytes_sent (error, self->head_sent);
    oa_msg_set_retryable (error, retryable && !self->head_sent);
    oa_msg_set_attempts (error, (uint16_t) self->attempts);
    s_set_failures (self, error);
    json_t *inner = json_object_get (body, "error");
    if (json_is_object (inner)) {
        oa_msg_set_error_type (error, json_string_value (json_object_get (inner, "type")));
        oa_msg_set_code (error, json_string_value (json_object_get (inner, "code")));
        const char *message = json_string_value (json_object_get (inner, "message"));
        if (message && strlen (message) < 8000)
            oa_msg_set_message (error, message);
    }
    if (body && !self->head_sent) {
        char *text = json_dumps (body, OA_SSE_JSON_FLAGS);
        if (text)
            oa_msg_set_payload_bytes (error, text, strlen (text));
        free (text);
    }
    json_decref (body);
    s_finish (self, &error);
}

//  Ends a request whose stream broke after bytes reached the client: a
//  last error event in the client's format, then RELAY_ERROR.
static void
s_finish_broken (wk_job_t *self, int status, const char *reason)
{
    json_t *event = oa_conv_error_new (self->client_format, 500, "upstream_error", reason);
    json_t *inner = json_object_get (event, "error");
    if (json_is_object (inner) && !json_object_get (inner, "code"))
        json_object_set_new (inner, "code", json_string ("read_stream_failed"));
    if (self->sconv)
        //  The converter knows the client grammar: close open blocks, then the error event
        oa_stream_conv_fail (self->sconv, 500, reason);
    else
        oa_sse_writer_json (self->writer, "error", event);
    wk_stream_flush (self);
    s_finish_error (self, status, event, false);
}


//  CURLOPT_OPENSOCKETFUNCTION: a socket this process cannot open (out of
//  descriptors or memory) is its own failure, not the channel's: noted,
//  so the attempt fails without suspending the channel (wk_job_transfer_done).
static curl_socket_t
s_open_socket (void *arg, curlsocktype purpose, struct curl_sockaddr *address)
{
    (void) purpose;
    wk_job_t *self = (wk_job_t *) arg;
    curl_socket_t fd = socket (address->family, address->socktype, address->protocol);
    if (fd == CURL_SOCKET_BAD
    &&  (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM))
        self->local_errno = errno;
    return fd;
}

//  Records a failed attempt and either moves to the next candidate or ends.
static void
s_attempt_failed (wk_job_t *self, int status, const char *reason)
{
    s_attempt_release (self, false);
    if (self->head_sent) {
        s_finish_broken (self, status >= 500? status: 502, reason);
        return;
    }
    //  A channel that cannot serve this format is not failing, nor is one
    //  this process could not open a socket to: nothing to suspend
    if (wk_retry_status_retryable (status) && !self->unfit && !self->local_errno) {
        char item [64];
        snprintf (item, sizeof item, "%" PRIu64 " %d", self->channel_id,
                  status? status: WK_STATUS_TRANSPORT);
        zlist_append (self->failures, item);
    }
    int next = -1;
    if (wk_retry_allowed (status, self->head_sent, oa_msg_pinned (self->request),
                          oa_msg_retry_times (self->request), self->retries,
                          self->candidates)) {
        int64_t priorities [WK_RETRY_MAX_CANDIDATES];
        for (size_t i = 0; i < self->candidates; i++)
            priorities [i] = oa_msg_candidate_priority (oa_msg_candidates_at (self->request, i));
        next = wk_retry_next (priorities, self->tried, self->candidates,
                              (size_t) self->current, status);
    }
    if (next >= 0) {
        oa_log (OA_LOG_INFO, "worker", oa_msg_request_id (self->request),
                "channel %" PRIu64 " failed (%d %s); retrying on candidate %d",
                self->channel_id, status, reason, next);
        wk_metrics_retry (self->ctx->metrics, self->channel_id, status);
        self->retries++;
        free (self->buf);
        self->buf = NULL;
        self->buf_size = self->buf_max = 0;
        s_attempt_start (self, next);
        return;
    }
    //  Final: the upstream's own error if it answered, else ours
    oa_log (OA_LOG_INFO, "worker", oa_msg_request_id (self->request),
            "channel %" PRIu64 " failed (%d %s); no retry", self->channel_id, status, reason);
    json_t *body;
    int client_status = status;
    oa_api_format_t upstream = self->upstream_format? self->upstream_format: OA_API_FORMAT_CHAT;
    if (self->headers_seen && (self->status >= 400 || self->buf_error))
        body = oa_conv_error (upstream, self->status >= 400? (int) self->status: status,
                              self->buf, self->buf_size, self->client_format, &client_status);
    else {
        client_status = status? status: WK_STATUS_TRANSPORT;
        body = oa_conv_error_new (self->client_format, client_status, "upstream_error", reason);
    }
    s_finish_error (self, client_status, body, wk_retry_status_retryable (status));
}

//  Curl option setup for one attempt; returns 0 or -1.
static int
s_easy_setup (wk_job_t *self)
{
    const oa_config_t *config = self->ctx->config;
    CURL *easy = self->easy;
    curl_easy_setopt (easy, CURLOPT_URL, self->up.url);
    curl_easy_setopt (easy, CURLOPT_PRIVATE, self);
    curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt (easy, CURLOPT_HTTPHEADER, self->up.headers);
    curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, wk_stream_write);
    curl_easy_setopt (easy, CURLOPT_WRITEDATA, self);
    curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt (easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt (easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt (easy, CURLOPT_OPENSOCKETFUNCTION, s_open_socket);
    curl_easy_setopt (easy, CURLOPT_OPENSOCKETDATA, self);
    curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, self->ctx->connect_timeout_ms);
    if (config->relay_timeout_sec > 0)
        curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) config->relay_timeout_sec * 1000L);
    if (config->relay_proxy && *config->relay_proxy)
        curl_easy_setopt (easy, CURLOPT_PROXY, config->relay_proxy);
    const char *method = oa_msg_method (self->request);
    if (self->up.body) {
        curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) self->up.body_size);
        curl_easy_setopt (easy, CURLOPT_POSTFIELDS, self->up.body);
    }
    else
    if (self->body || !streq (method, "GET")) {
        curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) self->body_size);
        curl_easy_setopt (easy, CURLOPT_POSTFIELDS, self->body? self->body: "");
    }
    else
        curl_easy_setopt (easy, CURLOPT_HTTPGET, 1L);
    if (!streq (method, "GET") && !streq (method, "POST"))
        curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, method);
    return 0;
}

//  Forwards the client headers the gateway passed on (openai-beta, ...),
//  except those the adaptor owns.
static void
s_client_headers (wk_job_t *self)
{
    zhash_t *headers = oa_msg_headers (self->request);
    if (!headers)
        return;
    static const char *owned [] = { "authorization", "api-key", "host", "content-type",
                                    "content-length", "expect", "accept", "x-api-key",
                                    "x-goog-api-key", "anthropic-version", "anthropic-beta",
                                    NULL };
    for (char *value = (char *) zhash_first (headers); value;
         value = (char *) zhash_next (headers)) {
        const char *name = zhash_cursor (headers);
        bool skip = strpbrk (name, "\r\n:") || strpbrk (value, "\r\n");
        for (int i = 0; owned [i] && !skip; i++)
            skip = strcasecmp (name, owned [i]) == 0;
        if (skip)
            continue;
        char *line = zsys_sprintf ("%s: %s", name, value);
        self->up.headers = curl_slist_append (self->up.headers, line);
        zstr_free (&line);
    }
}

//  Starts an attempt on a candidate; failures go through s_attempt_failed.
static void
s_attempt_start (wk_job_t *self, int candidate)
{
    assert (candidate >= 0 && (size_t) candidate < self->candidates);
    oa_msg_candidate_t *cand = oa_msg_candidates_at (self->request, (size_t) candidate);
    self->tried [candidate] = true;
    self->current = candidate;
    self->channel_id = oa_msg_candidate_channel_id (cand);
    self->attempts++;
    self->status = 0;
    self->local_errno = 0;
    self->headers_seen = false;
    self->sse = false;
    self->abort_status = 0;
    self->attempt_start_ms = self->last_byte_ms = oa_clock_mono_ms ();

    char err [256];
    int failed = wk_convert_attempt (self, cand, err, sizeof err);
    self->unfit = failed == 501;
    if (failed) {
        //  400: the client's body, 501: this channel cannot serve the request
        s_attempt_failed (self, failed, err);
        return;
    }
    s_client_headers (self);
    self->easy = curl_easy_init ();
    if (!self->easy || s_easy_setup (self) || wk_loop_add (self->ctx->curl, self->easy)) {
        s_attempt_failed (self, 500, "cannot start the upstream transfer");
        return;
    }
    self->easy_active = true;
}


//  --------------------------------------------------------------------------
//  Called by the worker's wk_loop when an attempt's transfer ended

void
wk_job_transfer_done (CURL *easy, CURLcode result, void *arg)
{
    wk_job_t *self = (wk_job_t *) arg;
    assert (self);
    if (easy != self->easy) {
        wk_convert_fetch_done (self, easy, result);     //  an image fetch (wk_convert_fetch.c)
        return;
    }
    self->easy_active = false;
    //  Bytes this batch delivered go out before a failure is judged, as if
    //  they had been sent from the write callback (so no retry after them).
    //  A clean end of a stream sends them below, maybe all in RELAY_END.
    bool clean_stream_end = result == CURLE_OK && !self->abort_status && self->sse;
    if (self->flush_queued && !clean_stream_end && wk_stream_flush_job (self)
    &&  !self->abort_status) {
        self->abort_status = 503;
        snprintf (self->abort_reason, sizeof self->abort_reason, "%s",
                  "gateway did not take the stream (queue full)");
    }
    if (self->abort_status) {
        s_attempt_failed (self, self->abort_status, self->abort_reason);
        return;
    }
    if (result != CURLE_OK && self->local_errno) {
        //  Out of descriptors here: another channel would fail the same way
        oa_log (OA_LOG_WARN, "worker", oa_msg_request_id (self->request),
                "cannot open a socket to channel %" PRIu64 ": %s", self->channel_id,
                strerror (self->local_errno));
        s_attempt_release (self, false);
        json_t *body = oa_conv_error_new (self->client_format, 503, "one_api_error",
                                          "the gateway is out of connections, retry later");
        s_finish_error (self, 503, body, true);
        return;
    }
    if (result != CURLE_OK) {
        int status = result == CURLE_OPERATION_TIMEDOUT? WK_STATUS_TIMEOUT: 0;
        s_attempt_failed (self, status, curl_easy_strerror (result));
        return;
    }
    if (!self->headers_seen) {
        curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &self->status);
        self->headers_seen = true;
    }
    if (self->status < 200 || self->status >= 300) {
        s_attempt_failed (self, (int) self->status, "upstream error status");
        return;
    }
    if (self->converting && oa_msg_stream (self->request) && !self->sse) {
        //  JSON (usually an error) where an event stream was asked for
        self->buf_error = true;
        s_attempt_failed (self, WK_STATUS_TRANSPORT, "upstream answered a stream with JSON");
        return;
    }
    if (self->sconv && !self->head_sent && oa_stream_conv_produced (self->sconv) == 0) {
        s_attempt_failed (self, WK_STATUS_TRANSPORT, "upstream stream ended without events");
        return;
    }
    if (self->sse) {
        wk_stream_finish_events (self);
        size_t pending = 0;
        const char *bytes = wk_stream_pending (self, &pending);
        if (!self->head_sent && pending && !self->error_seen
        &&  !(self->sconv && oa_stream_conv_failed (self->sconv))) {
            //  The whole stream arrived before any of it went out (a short
            //  or cached answer, a fast upstream): one RELAY_END carries it,
            //  with the content type a RELAY_HEAD would have had
            wk_stream_unqueue (self);
            s_finish_ok_body (self, "text/event-stream", bytes, pending);
            return;
        }
        if (wk_stream_flush_job (self)) {
            s_finish_error (self, 503, NULL, false);
            return;
        }
        if (!self->head_sent) {
            //  A 2xx stream with no event at all: nothing to relay, try elsewhere
            s_attempt_failed (self, WK_STATUS_TRANSPORT, "upstream stream ended without events");
            return;
        }
        if (self->error_seen || (self->sconv && oa_stream_conv_failed (self->sconv))) {
            json_t *body = oa_conv_error_new (self->client_format, 500, "upstream_error",
                                              "upstream reported an error in the stream");
            s_finish_error (self, 500, body, false);
            return;
        }
    }
    else {
        char *content_type = NULL;
        curl_easy_getinfo (easy, CURLINFO_CONTENT_TYPE, &content_type);
        if (self->converting) {
            char err [OA_CONV_ERR_SIZE + 64];
            if (wk_convert_body (self, err, sizeof err)) {
                s_attempt_failed (self, WK_STATUS_TRANSPORT, err);
                return;
            }
            content_type = "application/json";
        }
        else
            wk_stream_body_usage (self);
        s_finish_ok (self, content_type? content_type: "application/json");
        return;
    }
    s_finish_ok (self, NULL);
}


//  --------------------------------------------------------------------------
//  Creates a job for a RELAY_REQUEST

wk_job_t *
wk_job_new (wk_ctx_t *ctx, zsock_t *gateway, int gateway_index, oa_msg_t **request_p)
{
    assert (ctx);
    assert (request_p && *request_p);
    wk_job_t *self = (wk_job_t *) zmalloc (sizeof (wk_job_t));
    self->ctx = ctx;
    self->request = *request_p;
    *request_p = NULL;
    self->gateway = gateway;
    self->gateway_index = gateway_index;
    snprintf (self->key, sizeof self->key, "%d:%" PRIu64, gateway_index,
              oa_msg_corr_id (self->request));
    zframe_t *payload = oa_msg_payload (self->request);
    if (payload) {
        self->body = (const char *) zframe_data (payload);
        self->body_size = zframe_size (payload);
    }
    uint8_t format = oa_msg_client_format (self->request);
    self->conversational = format == OA_MSG_FORMAT_CHAT || format == OA_MSG_FORMAT_RESPONSES
                        || format == OA_MSG_FORMAT_CLAUDE || format == OA_MSG_FORMAT_GEMINI;
    //  The other endpoints answer errors in OpenAI's shape, as Chat does
    self->client_format = self->conversational? (oa_api_format_t) format: OA_API_FORMAT_CHAT;
    self->writer = oa_sse_writer_new (self->client_format);
    self->candidates = oa_msg_candidates_size (self->request);
    if (self->candidates > WK_RETRY_MAX_CANDIDATES)
        self->candidates = WK_RETRY_MAX_CANDIDATES;
    self->current = -1;
    self->failures = zlist_new ();
    zlist_autofree (self->failures);
    self->recv_wall_ms = oa_clock_ms ();
    self->recv_mono_ms = oa_clock_mono_ms ();
    //  Kept in the job, on the monotonic clock: the 100 ms tick walks
    //  every job, and with thousands of held streams reading the request
    //  and the wall clock per job was most of the worker's idle time
    uint64_t deadline = oa_msg_deadline (self->request);
    if (deadline) {
        int64_t left = deadline > (uint64_t) self->recv_wall_ms
                     ? (int64_t) (deadline - (uint64_t) self->recv_wall_ms): 0;
        self->deadline_mono_ms = self->recv_mono_ms + left;
    }
    self->stream = oa_msg_stream (self->request);
    return self;
}


//  --------------------------------------------------------------------------
//  Destroys a job

void
wk_job_destroy (wk_job_t **self_p)
{
    assert (self_p);
    wk_job_t *self = *self_p;
    if (!self)
        return;
    wk_stream_unqueue (self);
    s_attempt_release (self, true);
    wk_convert_reset (self);
    wk_convert_fetch_free (self);
    json_decref (self->client_json);
    oa_sse_writer_destroy (&self->writer);
    zlist_destroy (&self->failures);
    oa_msg_destroy (&self->request);
    free (self);
    *self_p = NULL;
}


//  --------------------------------------------------------------------------
//  Starts the first attempt

void
wk_job_start (wk_job_t *self)
{
    assert (self);
    if (self->candidates == 0) {
        json_t *body = oa_conv_error_new (self->client_format, 503, "one_api_error",
                                          "no candidate channel for this request");
        s_finish_error (self, 503, body, false);
        return;
    }
    if (wk_convert_prefetch (self))
        return;                 //  image URLs first; it calls wk_job_start again
    s_attempt_start (self, 0);
}


//  --------------------------------------------------------------------------
//  Aborts the job

void
wk_job_cancel (wk_job_t *self, const char *reason)
{
    assert (self);
    if (self->finished)
        return;
    s_attempt_release (self, false);
    json_t *body = oa_conv_error_new (self->client_format, 499, "one_api_error",
                                      reason? reason: "cancelled");
    s_finish_error (self, 499, body, false);
}


//  --------------------------------------------------------------------------
//  Enforces the first-byte, idle and deadline limits

typedef enum { S_LIMIT_NONE, S_LIMIT_DEADLINE, S_LIMIT_IDLE } s_limit_t;

//  Which limit, if any, a running attempt has passed at now_ms.
static s_limit_t
s_tick_limit (wk_job_t *self, int64_t now_ms)
{
    if (self->finished || !self->easy_active)
        return S_LIMIT_NONE;
    if (self->deadline_mono_ms && now_ms >= self->deadline_mono_ms)
        return S_LIMIT_DEADLINE;
    int idle_ms = self->ctx->config->idle_timeout_sec * 1000;
    if (idle_ms > 0 && self->stream && now_ms - self->last_byte_ms >= idle_ms)
        return S_LIMIT_IDLE;
    return S_LIMIT_NONE;
}

void
wk_job_tick (wk_job_t *self, int64_t now_ms)
{
    assert (self);
    switch (s_tick_limit (self, now_ms)) {
        case S_LIMIT_DEADLINE: {
            s_attempt_release (self, false);
            json_t *body = oa_conv_error_new (self->client_format, 504, "one_api_error",
                                              "request deadline passed");
            s_finish_error (self, 504, body, false);
            break;
        }
        case S_LIMIT_IDLE:
            //  Streams must show life: a first byte, then bytes, within IDLE_TIMEOUT
            s_attempt_failed (self, WK_STATUS_TIMEOUT,
                              self->headers_seen? "upstream stream idle timeout"
                                                : "upstream first byte timeout");
            break;
        default:
            break;
    }
}

bool
wk_job_tick_due (wk_job_t *self, int64_t now_ms)
{
    assert (self);
    return s_tick_limit (self, now_ms) != S_LIMIT_NONE;
}


//  --------------------------------------------------------------------------
//  Ends the job at once with a RELAY_ERROR

void
wk_job_refuse (wk_job_t *self, int status, const char *message, bool retryable)
{
    assert (self);
    json_t *body = oa_conv_error_new (self->client_format, status, "one_api_error", message);
    s_finish_error (self, status, body, retryable);
}


//  --------------------------------------------------------------------------
//  Accessors

bool
wk_job_finished (wk_job_t *self)
{
    assert (self);
    return self->finished;
}

int
wk_job_gateway (wk_job_t *self)
{
    assert (self);
    return self->gateway_index;
}

const char *
wk_job_key (wk_job_t *self)
{
    assert (self);
    return self->key;
}
