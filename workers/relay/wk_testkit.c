/*  =========================================================================
    wk_testkit - test helpers for the relay worker
    =========================================================================
*/
#include "wk_testkit.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "oa_ids.h"
#include "oa_worker.h"


//  --------------------------------------------------------------------------
//  Starts oa-mock

int
wk_mock_start (wk_mock_t *mock)
{
    char exe [4096];
    ssize_t len = readlink ("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe [len] = 0;
    char path [4200];
    snprintf (path, sizeof path, "%s/oa-mock", dirname (exe));
    int fds [2];
    if (pipe (fds))
        return -1;
    pid_t pid = fork ();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        //  A test that dies on an assert must not leave its mock behind
        prctl (PR_SET_PDEATHSIG, SIGTERM);
        dup2 (fds [1], 1);
        close (fds [0]);
        close (fds [1]);
        execl (path, "oa-mock", "--port", "0", "--host", "127.0.0.1", (char *) NULL);
        _exit (127);
    }
    close (fds [1]);
    FILE *out = fdopen (fds [0], "r");
    char line [256];
    mock->port = 0;
    while (fgets (line, sizeof line, out))
        if (sscanf (line, "listening on %d", &mock->port) == 1)
            break;
    //  The mock prints nothing more we need; a closed read end is fine
    fclose (out);
    mock->pid = pid;
    if (!mock->port) {
        wk_mock_stop (mock);
        return -1;
    }
    snprintf (mock->base, sizeof mock->base, "http://127.0.0.1:%d", mock->port);
    return 0;
}


//  --------------------------------------------------------------------------
//  Stops the mock

void
wk_mock_stop (wk_mock_t *mock)
{
    if (mock->pid > 0) {
        kill (mock->pid, SIGTERM);
        waitpid (mock->pid, NULL, 0);
        mock->pid = 0;
    }
}

//  curl write callback collecting into a zchunk.
static size_t
s_collect (char *data, size_t size, size_t nmemb, void *arg)
{
    zchunk_extend ((zchunk_t *) arg, data, size * nmemb);
    return size * nmemb;
}


//  --------------------------------------------------------------------------
//  GET /_mock/stats

json_t *
wk_mock_stats (wk_mock_t *mock)
{
    char url [128];
    snprintf (url, sizeof url, "%s/_mock/stats", mock->base);
    CURL *easy = curl_easy_init ();
    zchunk_t *body = zchunk_new (NULL, 0);
    curl_easy_setopt (easy, CURLOPT_URL, url);
    curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, s_collect);
    curl_easy_setopt (easy, CURLOPT_WRITEDATA, body);
    curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, 5000L);
    CURLcode rc = curl_easy_perform (easy);
    curl_easy_cleanup (easy);
    json_t *stats = rc == CURLE_OK
                  ? json_loadb ((const char *) zchunk_data (body), zchunk_size (body), 0, NULL)
                  : NULL;
    zchunk_destroy (&body);
    return stats;
}


//  --------------------------------------------------------------------------
//  Binds a ROUTER on loopback

wk_fakegw_t *
wk_fakegw_new (void)
{
    wk_fakegw_t *self = (wk_fakegw_t *) zmalloc (sizeof (wk_fakegw_t));
    self->router = zsock_new (ZMQ_ROUTER);
    zsock_set_linger (self->router, 0);
    zsock_set_sndhwm (self->router, 100000);
    zsock_set_rcvhwm (self->router, 100000);
    int port = zsock_bind (self->router, "tcp://127.0.0.1:*");
    assert (port > 0);
    snprintf (self->endpoint, sizeof self->endpoint, "tcp://127.0.0.1:%d", port);
    self->beat = true;
    return self;
}


//  --------------------------------------------------------------------------
//  Destroys it

void
wk_fakegw_destroy (wk_fakegw_t **self_p)
{
    wk_fakegw_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->router);
    zframe_destroy (&self->peer);
    free (self);
    *self_p = NULL;
}

//  Sends one HEARTBEAT to the worker.
static void
s_beat (wk_fakegw_t *self)
{
    if (!self->peer)
        return;
    oa_msg_t *beat = oa_msg_new (OA_MSG_HEARTBEAT);
    oa_msg_set_sender_id (beat, "test-gateway");
    oa_msg_set_role (beat, OA_MSG_ROLE_GATEWAY);
    wk_fakegw_send (self, &beat);
    self->last_beat_ms = oa_clock_mono_ms ();
}


//  --------------------------------------------------------------------------
//  Receives the next relay reply or USAGE

oa_msg_t *
wk_fakegw_recv (wk_fakegw_t *self, int timeout_ms)
{
    int64_t until = oa_clock_mono_ms () + timeout_ms;
    while (true) {
        int64_t now = oa_clock_mono_ms ();
        if (self->beat && now - self->last_beat_ms >= 300)
            s_beat (self);
        if (now >= until)
            return NULL;
        zmq_pollitem_t item = { zsock_resolve (self->router), 0, ZMQ_POLLIN, 0 };
        int64_t wait = until - now < 100? until - now: 100;
        if (zmq_poll (&item, 1, (long) wait) <= 0)
            continue;
        int err = 0;
        oa_msg_t *msg = oa_msg_recv (zsock_resolve (self->router), OA_MSG_DONTWAIT, &err);
        if (!msg)
            continue;
        if (!self->peer && oa_msg_routing_id (msg))
            self->peer = zframe_dup (oa_msg_routing_id (msg));
        switch (oa_msg_id (msg)) {
            case OA_MSG_WORKER_READY:
                self->readies++;
                oa_msg_destroy (&msg);
                break;
            case OA_MSG_HEARTBEAT:
                self->heartbeats++;
                oa_msg_destroy (&msg);
                break;
            case OA_MSG_WORKER_CREDIT:
                if (oa_msg_credit (msg) == 0)
                    self->credits_zero++;
                oa_msg_destroy (&msg);
                break;
            default:
                return msg;
        }
    }
}


//  --------------------------------------------------------------------------
//  Waits for the worker's WORKER_READY

int
wk_fakegw_wait_ready (wk_fakegw_t *self, int timeout_ms)
{
    int64_t until = oa_clock_mono_ms () + timeout_ms;
    while (self->readies == 0 && oa_clock_mono_ms () < until) {
        oa_msg_t *msg = wk_fakegw_recv (self, 50);
        oa_msg_destroy (&msg);
    }
    if (!self->readies)
        return -1;
    s_beat (self);
    return 0;
}


//  --------------------------------------------------------------------------
//  Sends a message to the worker

int
wk_fakegw_send (wk_fakegw_t *self, oa_msg_t **msg_p)
{
    oa_msg_set_routing_id (*msg_p, self->peer);
    int rc = oa_msg_send (*msg_p, zsock_resolve (self->router), 0);
    oa_msg_destroy (msg_p);
    return rc;
}


//  --------------------------------------------------------------------------
//  Adds one reply message

bool
wk_reply_add (wk_reply_t *r, oa_msg_t **msg_p)
{
    oa_msg_t *msg = *msg_p;
    int id = oa_msg_id (msg);
    //  A whole non-stream answer: RELAY_END doubles as HEAD and DATA
    bool whole = id == OA_MSG_RELAY_END && *oa_msg_content_type (msg);
    if (id == OA_MSG_RELAY_HEAD || whole) {
        r->head_status = oa_msg_status (msg);
        snprintf (r->content_type, sizeof r->content_type, "%s", oa_msg_content_type (msg));
    }
    if (id == OA_MSG_RELAY_DATA || (whole && oa_msg_payload (msg))) {
        zframe_t *payload = oa_msg_payload (msg);
        size_t size = payload? zframe_size (payload): 0;
        r->data = (char *) realloc (r->data, r->size + size + 1);
        assert (r->data);
        if (size)
            memcpy (r->data + r->size, zframe_data (payload), size);
        r->size += size;
        r->data [r->size] = 0;
        if (r->chunks++ == 0)
            r->first_data_ms = oa_clock_mono_ms ();
    }
    if (id == OA_MSG_RELAY_END || id == OA_MSG_RELAY_ERROR) {
        r->end_ms = oa_clock_mono_ms ();
        oa_msg_destroy (&r->last);
        r->last = msg;
        *msg_p = NULL;
        return true;
    }
    oa_msg_destroy (msg_p);
    return false;
}


//  --------------------------------------------------------------------------
//  Frees what r holds

void
wk_reply_clear (wk_reply_t *r)
{
    free (r->data);
    oa_msg_destroy (&r->last);
    memset (r, 0, sizeof *r);
}


//  --------------------------------------------------------------------------
//  Builds a chat-style RELAY_REQUEST

oa_msg_t *
wk_test_request (uint64_t corr_id, const char *path, const char *body, bool stream,
                 bool include_usage)
{
    oa_msg_t *request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    oa_msg_set_corr_id (request, corr_id);
    char request_id [33];
    snprintf (request_id, sizeof request_id, "2026010100000000%016" PRIu64, corr_id);
    oa_msg_set_request_id (request, request_id);
    oa_msg_set_client_format (request, strstr (path, "embeddings")? OA_MSG_FORMAT_EMBEDDINGS
                                                                  : OA_MSG_FORMAT_CHAT);
    oa_msg_set_stream (request, stream);
    oa_msg_set_include_usage_requested (request, include_usage);
    oa_msg_set_method (request, "POST");
    oa_msg_set_path (request, path);
    oa_msg_set_content_type (request, "application/json");
    oa_msg_set_user_id (request, 42);
    oa_msg_set_username (request, "alice");
    oa_msg_set_token_id (request, 7);
    oa_msg_set_token_name (request, "laptop");
    oa_msg_set_group (request, "default");
    oa_msg_set_requested_model (request, "gpt-4o-mini");
    oa_msg_set_created_at_ms (request, (uint64_t) oa_clock_ms ());
    oa_msg_set_retry_times (request, 2);
    oa_msg_set_reservation_id (request, corr_id + 1000);
    oa_msg_set_reserved_quota (request, 1500);
    oa_msg_set_prompt_tokens_estimate (request, 11);
    oa_msg_set_payload_bytes (request, body, strlen (body));
    return request;
}


//  --------------------------------------------------------------------------
//  Appends a candidate

void
wk_test_candidate (oa_msg_t *request, uint64_t channel_id, int type, const char *base,
                   const char *upstream_model, int64_t priority)
{
    oa_msg_candidate_t *cand = oa_msg_candidate_new ();
    oa_msg_candidate_set_channel_id (cand, channel_id);
    oa_msg_candidate_set_channel_type (cand, (uint16_t) type);
    oa_msg_candidate_set_base_url (cand, base);
    oa_msg_candidate_set_api_key (cand, "sk-test");
    oa_msg_candidate_set_upstream_model (cand, upstream_model);
    oa_msg_candidate_set_priority (cand, priority);
    oa_msg_candidates_append (request, &cand);
}


//  --------------------------------------------------------------------------
//  Starts mock, gateway, ledger and worker

void
wk_bench_start (wk_bench_t *b)
{
    memset (b, 0, sizeof *b);
    assert (wk_mock_start (&b->mock) == 0);
    b->gateway = wk_fakegw_new ();
    b->ledger = wk_fakegw_new ();
    b->ledger->beat = false;
    setenv ("ONEAPI_LEDGER_ENDPOINT", b->ledger->endpoint, 1);
    setenv ("IDLE_TIMEOUT", "5", 1);
    char err [256];
    b->config = oa_config_load (err, sizeof err);
    assert (b->config);
    wk_test_private_spool (b->config);
    oa_worker_args_t *args = (oa_worker_args_t *) zmalloc (sizeof (oa_worker_args_t));
    *args = (oa_worker_args_t) { b->config, b->gateway->endpoint, 0 };
    b->args = args;
    b->worker = zactor_new (oa_worker_actor, args);
    assert (b->worker);
    assert (wk_fakegw_wait_ready (b->gateway, 5000) == 0);
}


//  --------------------------------------------------------------------------
//  A fresh journal directory per test: the default ./data/spool is shared by
//  tests running at once and keeps what earlier runs left, which a worker
//  would then resend.

void
wk_test_private_spool (oa_config_t *config)
{
    char dir [] = "/tmp/oa-wk-spool-XXXXXX";
    char *made = mkdtemp (dir);
    assert (made);
    free (config->spool_dir);
    config->spool_dir = strdup (made);
}

void
wk_test_remove_spool (oa_config_t *config)
{
    zdir_t *dir = zdir_new (config->spool_dir, NULL);
    if (dir) {
        zdir_remove (dir, true);
        zdir_destroy (&dir);
    }
}


//  --------------------------------------------------------------------------
//  Stops everything

void
wk_bench_stop (wk_bench_t *b)
{
    zactor_destroy (&b->worker);
    wk_test_remove_spool (b->config);
    oa_config_destroy (&b->config);
    free (b->args);
    wk_fakegw_destroy (&b->gateway);
    wk_fakegw_destroy (&b->ledger);
    wk_mock_stop (&b->mock);
    oa_msg_destroy (&b->last_usage);
}


//  --------------------------------------------------------------------------
//  Sends a request and gathers its replies

void
wk_fakegw_exchange (wk_fakegw_t *self, oa_msg_t **request_p, wk_reply_t *r, int timeout_ms)
{
    uint64_t corr = oa_msg_corr_id (*request_p);
    memset (r, 0, sizeof *r);
    assert (wk_fakegw_send (self, request_p) == 0);
    int64_t until = oa_clock_mono_ms () + timeout_ms;
    while (oa_clock_mono_ms () < until) {
        oa_msg_t *msg = wk_fakegw_recv (self, 100);
        if (!msg)
            continue;
        assert (oa_msg_corr_id (msg) == corr);
        if (wk_reply_add (r, &msg))
            return;
    }
    assert (!"reply timed out");
}

void
wk_bench_exchange (wk_bench_t *b, oa_msg_t **request_p, wk_reply_t *r, int timeout_ms)
{
    wk_fakegw_exchange (b->gateway, request_p, r, timeout_ms);
}


//  --------------------------------------------------------------------------
//  Waits for USAGE messages

void
wk_bench_usage (wk_bench_t *b, size_t expect, int timeout_ms)
{
    int64_t until = oa_clock_mono_ms () + timeout_ms;
    while (b->usage_total < expect && oa_clock_mono_ms () < until) {
        oa_msg_t *msg = wk_fakegw_recv (b->ledger, 50);
        if (!msg)
            continue;
        assert (oa_msg_id (msg) == OA_MSG_USAGE);
        b->usage_total++;
        oa_msg_destroy (&b->last_usage);
        b->last_usage = msg;
    }
}


//  --------------------------------------------------------------------------
//  The last request the mock saw on a route

char *
wk_bench_mock_last (wk_bench_t *b, const char *route, const char *what)
{
    json_t *stats = wk_mock_stats (&b->mock);
    json_t *last = json_object_get (json_object_get (json_object_get (stats, "routes"), route),
                                    "last");
    json_t *value = streq (what, "body") || streq (what, "target")
                  ? json_object_get (last, what)
                  : json_object_get (json_object_get (last, "headers"), what);
    char *result = json_string_value (value)? strdup (json_string_value (value)): NULL;
    json_decref (stats);
    return result;
}
