/*  =========================================================================
    gw_api_probe - channel tests run by the gateway (see gw_api_probe.h)

    A job is on the heap, in its loop's list (kept in the h2o context's
    storage, whose dispose frees what a stopping loop left).  A single test
    is tied to its client by an anchor in the request's pool: the anchor's
    dispose (the client went away) cancels the test and frees the job.  A
    sweep answers its client at once and keeps what it needs of the
    request (the API_REQUEST as a template for its reports, client ip,
    trace id); it frees itself after its last channel.

    A test that fails synchronously (no worker, the channel gone) ends
    inside its own start; the sweep starts its next test in a loop, not by
    recursion, so a thousand such failures take no stack.
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gw_api_probe.h"
#include "gw_http.h"
#include "gw_ratelimit.h"
#include "oa_log.h"

#define S_BODY_MAX (64 * 1024)      //  bytes of an upstream answer kept
#define S_PROBES_MAX 10000          //  channels of one sweep
#define S_DEFAULT_TIMEOUT_MS 30000  //  gateway->api_timeout_ms unset

typedef struct _s_job_t s_job_t;

typedef enum { S_WAITING, S_RELAYING, S_REPORTING, S_DONE } s_stage_t;

//  One channel's test.
typedef struct {
    gw_bridge_waiter_t waiter;      //  the relay's replies, then the API_REPLY
    s_job_t *job;                   //  owner
    int64_t channel_id;             //  channel under test
    char model [128];               //  test model
    char *request;                  //  test request JSON (heap)
    s_stage_t stage;                //  where the test is
    uint64_t relay_corr;            //  corr_id of the RELAY_REQUEST
    int64_t started_us;             //  monotonic, when the relay was sent
    int64_t ms;                     //  elapsed, once done
    int status;                     //  upstream status (RELAY_HEAD / END / ERROR)
    char *body;                     //  upstream answer (heap, capped)
    size_t body_size;               //  bytes of body
    char error [512];               //  gateway-side failure, "" when none
} s_probe_t;

//  A single test's hold on its client's request (in the request's pool).
typedef struct {
    s_job_t *job;                   //  NULL once the job is gone
} s_anchor_t;

struct _s_job_t {
    h2o_linklist_t link;            //  in the loop's list of jobs
    h2o_req_t *req;                 //  single test: the waiting client, else NULL
    s_anchor_t *anchor;             //  single test: its anchor, else NULL
    gw_bridge_t *bridge;            //  the loop's bridge
    h2o_loop_t *loop;               //  the loop
    oa_msg_t *report;               //  the client's API_REQUEST, template of the reports
    char client_ip [64];            //  the client's address, for the relay
    char trace_id [OA_REQUEST_ID_SIZE];     //  the client's request id
    int timeout_ms;                 //  the API deadline
    h2o_timeout_entry_t deadline;   //  single: the whole test; sweep: the current stage
    bool sweep;                     //  GET /api/channel/test
    s_probe_t *probes;              //  count entries (heap)
    size_t count;                   //  probes
    size_t next;                    //  sweep: the next probe to start
    bool advancing;                 //  sweep: inside s_sweep_next's loop
};

static atomic_size_t s_jobs;        //  jobs alive (gw_api_probe_jobs)

//  --------------------------------------------------------------------------
//  The loop's list of jobs, in its h2o context's storage

static pthread_mutex_t s_key_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t s_key = SIZE_MAX;     //  the storage slot (same in every context)

static void
s_job_free (s_job_t *self)
{
    for (size_t index = 0; index < self->count; index++) {
        free (self->probes [index].request);
        free (self->probes [index].body);
    }
    free (self->probes);
    oa_msg_destroy (&self->report);
    free (self);
    atomic_fetch_sub (&s_jobs, 1);
}

//  The context is being disposed, after its bridge: the jobs' waiters and
//  deadlines went with the bridge; only their memory is left.
static void
s_list_dispose (void *data)
{
    h2o_linklist_t *list = (h2o_linklist_t *) data;
    if (!list)
        return;
    while (!h2o_linklist_is_empty (list)) {
        s_job_t *job = H2O_STRUCT_FROM_MEMBER (s_job_t, link, list->next);
        h2o_linklist_unlink (&job->link);
        if (job->anchor)
            job->anchor->job = NULL;
        s_job_free (job);
    }
    free (list);
}

static h2o_linklist_t *
s_list (h2o_context_t *ctx)
{
    //  h2o picks the key on first use without a lock: take one, since every
    //  loop thread comes here.
    pthread_mutex_lock (&s_key_lock);
    void **slot = h2o_context_get_storage (ctx, &s_key, s_list_dispose);
    pthread_mutex_unlock (&s_key_lock);
    if (!*slot) {
        h2o_linklist_t *list = malloc (sizeof (h2o_linklist_t));
        if (!list)
            return NULL;
        h2o_linklist_init_anchor (list);
        *slot = list;
    }
    return (h2o_linklist_t *) *slot;
}

size_t
gw_api_probe_jobs (void)
{
    return atomic_load (&s_jobs);
}

//  --------------------------------------------------------------------------
//  Life cycle

//  Ends the job: forgets its waiters, cancels a relay in flight, unlinks
//  its deadline, detaches its anchor, frees it.
static void
s_job_destroy (s_job_t *self)
{
    if (h2o_timeout_is_linked (&self->deadline))
        h2o_timeout_unlink (&self->deadline);
    for (size_t index = 0; index < self->count; index++) {
        s_probe_t *probe = &self->probes [index];
        gw_bridge_forget (self->bridge, &probe->waiter);
        if (probe->stage == S_RELAYING && probe->relay_corr)
            gw_bridge_cancel (self->bridge, probe->relay_corr, "channel test abandoned");
        probe->stage = S_DONE;
    }
    if (self->anchor)
        self->anchor->job = NULL;
    if (h2o_linklist_is_linked (&self->link))
        h2o_linklist_unlink (&self->link);
    s_job_free (self);
}

//  The client of a single test went away: the test goes too.
static void
s_anchor_dispose (void *data)
{
    s_anchor_t *anchor = (s_anchor_t *) data;
    s_job_t *job = anchor->job;
    if (!job)
        return;
    job->anchor = NULL;
    job->req = NULL;
    s_job_destroy (job);
}

//  Restarts the deadline (a sweep's per stage; a single test's once).
static void
s_arm (s_job_t *self)
{
    if (h2o_timeout_is_linked (&self->deadline))
        h2o_timeout_unlink (&self->deadline);
    h2o_timeout_link (self->loop, gw_bridge_api_deadlines (self->bridge), &self->deadline);
}

static void s_relay (s_probe_t *probe);

//  Starts the sweep's next tests while the previous one is done; frees
//  the job after the last.  Re-entered from a test that ended inside its
//  own start, it returns at once: the loop below goes on.
static void
s_sweep_next (s_job_t *self)
{
    if (self->advancing)
        return;
    self->advancing = true;
    while (self->next < self->count
       && (self->next == 0 || self->probes [self->next - 1].stage == S_DONE)) {
        s_probe_t *probe = &self->probes [self->next++];
        s_arm (self);
        s_relay (probe);
    }
    self->advancing = false;
    if (self->next == self->count && self->probes [self->count - 1].stage == S_DONE)
        s_job_destroy (self);
}

//  A test is over (reported or given up): a sweep goes on.
static void
s_probe_done (s_probe_t *probe)
{
    s_job_t *job = probe->job;
    gw_bridge_forget (job->bridge, &probe->waiter);
    probe->stage = S_DONE;
    if (job->sweep)
        s_sweep_next (job);
}

//  A single test's client gets its answer; the job ends.
static void
s_single_answer (s_job_t *self, int status, const char *content_type, const char *body,
                 size_t size)
{
    h2o_req_t *req = self->req;
    s_job_destroy (self);
    if (!req)
        return;
    if (content_type)
        gw_respond (req, status, content_type, body, size);
    else
        gw_respond_api_error (req, status, body);
}

//  --------------------------------------------------------------------------
//  Reporting to the API actor

static void
s_on_api_reply (gw_bridge_waiter_t *waiter, oa_msg_t *msg)
{
    s_probe_t *probe = H2O_STRUCT_FROM_MEMBER (s_probe_t, waiter, waiter);
    s_job_t *job = probe->job;
    if (oa_msg_id (msg) != OA_MSG_API_REPLY)
        return;
    gw_bridge_forget (job->bridge, &probe->waiter);
    if (job->sweep) {
        s_probe_done (probe);
        return;
    }
    int status = oa_msg_status (msg);
    zframe_t *body = oa_msg_payload (msg);
    const char *content_type = oa_msg_content_type (msg);
    if (status < 100 || status > 999)
        s_single_answer (job, 502, NULL, "the management API answered with an invalid status", 0);
    else
        s_single_answer (job, status, *content_type? content_type: GW_JSON_TYPE,
                         body? (const char *) zframe_data (body): "", body? zframe_size (body): 0);
}

//  Sends the outcome of probe to the API actor as the route of its channel
//  with "x-oneapi-probe: result".
static void
s_report (s_probe_t *probe)
{
    s_job_t *job = probe->job;
    probe->ms = (oa_clock_mono_us () - probe->started_us) / 1000;
    if (probe->ms < 0)
        probe->ms = 0;
    probe->stage = S_REPORTING;
    oa_msg_t *msg = oa_msg_dup (job->report);
    if (job->sweep) {
        char path [64];
        snprintf (path, sizeof path, "/api/channel/test/%" PRId64, probe->channel_id);
        oa_msg_set_path (msg, path);
        oa_msg_set_query (msg, "");
    }
    oa_msg_headers_insert (msg, "x-oneapi-probe", "result");
    json_t *result = json_pack ("{s:I, s:s, s:i, s:I, s:s, s:s%, s:b}",
                                "channel_id", (json_int_t) probe->channel_id,
                                "model", probe->model, "status", probe->status,
                                "ms", (json_int_t) probe->ms, "error", probe->error,
                                "body", probe->body? probe->body: "", probe->body_size,
                                "sweep", job->sweep);
    if (!result) {
        //  The upstream answer (or the error) was not UTF-8: report without it.
        result = json_pack ("{s:I, s:s, s:i, s:I, s:s, s:s, s:b}", "channel_id",
                            (json_int_t) probe->channel_id, "model", probe->model,
                            "status", probe->status, "ms", (json_int_t) probe->ms,
                            "error", "the upstream answer is not valid text", "body", "",
                            "sweep", job->sweep);
    }
    char *text = result? json_dumps (result, JSON_COMPACT): NULL;
    json_decref (result);
    oa_msg_set_payload_bytes (msg, text? text: "{}", text? strlen (text): 2);
    free (text);
    uint64_t corr_id = gw_bridge_next_corr_id (job->bridge);
    oa_msg_set_corr_id (msg, corr_id);
    oa_msg_set_deadline (msg, (uint64_t) (oa_clock_ms () + job->timeout_ms));
    probe->waiter.on_reply = s_on_api_reply;
    gw_bridge_register (job->bridge, &probe->waiter, corr_id);
    if (job->sweep)
        s_arm (job);
    int rc = gw_bridge_send_api (job->bridge, msg);
    oa_msg_destroy (&msg);
    if (rc != 0) {
        oa_log_warn ("gateway", "channel %" PRId64 " test: outcome not sent to the API",
                     probe->channel_id);
        if (job->sweep)
            s_probe_done (probe);
        else
            s_single_answer (job, 503, NULL, "the management API is not reachable right now, "
                                             "please retry later", 0);
    }
}

//  --------------------------------------------------------------------------
//  The relay

static void
s_keep (s_probe_t *probe, zframe_t *frame)
{
    if (!frame)
        return;
    size_t room = S_BODY_MAX - probe->body_size;
    size_t size = zframe_size (frame) < room? zframe_size (frame): room;
    if (size == 0)
        return;
    char *grown = realloc (probe->body, probe->body_size + size + 1);
    if (!grown)
        return;
    probe->body = grown;
    memcpy (probe->body + probe->body_size, zframe_data (frame), size);
    probe->body_size += size;
    probe->body [probe->body_size] = 0;
}

static void
s_on_relay_reply (gw_bridge_waiter_t *waiter, oa_msg_t *msg)
{
    s_probe_t *probe = H2O_STRUCT_FROM_MEMBER (s_probe_t, waiter, waiter);
    int status = oa_msg_status (msg);
    switch (oa_msg_id (msg)) {
        case OA_MSG_RELAY_HEAD:
            probe->status = status >= 100 && status <= 999? status: 502;
            return;
        case OA_MSG_RELAY_DATA:
            s_keep (probe, oa_msg_payload (msg));
            return;
        case OA_MSG_RELAY_END:
            if (!probe->status)
                probe->status = status >= 100 && status <= 999? status: 502;
            if (*oa_msg_content_type (msg))     //  a whole answer: its body
                s_keep (probe, oa_msg_payload (msg));
            break;
        case OA_MSG_RELAY_ERROR: {
            probe->status = status >= 400 && status <= 999? status: 502;
            zframe_t *payload = oa_msg_payload (msg);
            if (payload && zframe_size (payload)) {
                free (probe->body);
                probe->body = NULL;
                probe->body_size = 0;
                s_keep (probe, payload);
            }
            else
                snprintf (probe->error, sizeof probe->error, "%s",
                          *oa_msg_message (msg)? oa_msg_message (msg): "upstream request failed");
            break;
        }
        default:
            return;
    }
    gw_bridge_forget (probe->job->bridge, &probe->waiter);
    probe->relay_corr = 0;
    s_report (probe);
}

//  Sends the test of probe as a RELAY_REQUEST pinned to its channel; a
//  failure to do so is reported as the test's outcome.
static void
s_relay (s_probe_t *probe)
{
    s_job_t *job = probe->job;
    probe->stage = S_RELAYING;
    probe->started_us = oa_clock_mono_us ();
    if (!gw_bridge_ready (job->bridge)) {
        snprintf (probe->error, sizeof probe->error, "the gateway is loading its state from the "
                  "ledger, please retry later");
        s_report (probe);
        return;
    }
    oa_msg_t *msg = oa_msg_new (OA_MSG_RELAY_REQUEST);
    char id [OA_REQUEST_ID_SIZE];
    oa_request_id_new (id);
    oa_msg_set_request_id (msg, id);
    oa_msg_set_trace_id (msg, job->trace_id);
    oa_msg_set_client_format (msg, OA_MSG_FORMAT_CHAT);
    oa_msg_set_stream (msg, false);
    oa_msg_set_method (msg, "POST");
    oa_msg_set_path (msg, "/v1/chat/completions");
    oa_msg_set_content_type (msg, "application/json");
    oa_msg_set_client_ip (msg, job->client_ip);
    oa_msg_set_requested_model (msg, probe->model);
    //  The broker's own 504 should come before the API deadline.
    int64_t relay_ms = job->timeout_ms > 4000? job->timeout_ms - 2000: job->timeout_ms / 2;
    uint64_t now = (uint64_t) oa_clock_ms ();
    oa_msg_set_created_at_ms (msg, now);
    oa_msg_set_deadline (msg, now + (uint64_t) relay_ms);
    oa_msg_set_retry_times (msg, 0);
    oa_msg_set_pinned (msg, true);
    oa_msg_set_payload_bytes (msg, probe->request, strlen (probe->request));
    gw_caller_t caller;
    memset (&caller, 0, sizeof caller);
    caller.pinned_channel_id = probe->channel_id;
    caller.probe = true;
    snprintf (caller.group, sizeof caller.group, "default");
    gw_failure_t failure;
    if (gw_state_choose (gw_bridge_state (job->bridge), &caller, probe->model, 1, oa_clock_ms (),
                         msg, &failure) < 0) {
        snprintf (probe->error, sizeof probe->error, "%s", failure.message);
        oa_msg_destroy (&msg);
        s_report (probe);
        return;
    }
    probe->relay_corr = gw_bridge_next_corr_id (job->bridge);
    oa_msg_set_corr_id (msg, probe->relay_corr);
    probe->waiter.on_reply = s_on_relay_reply;
    gw_bridge_register (job->bridge, &probe->waiter, probe->relay_corr);
    int rc = gw_bridge_send (job->bridge, msg);
    oa_msg_destroy (&msg);
    if (rc != 0) {
        gw_bridge_forget (job->bridge, &probe->waiter);
        probe->relay_corr = 0;
        snprintf (probe->error, sizeof probe->error, "no relay worker is available right now, "
                  "please retry later");
        s_report (probe);
    }
}

//  --------------------------------------------------------------------------
//  The job

static void
s_on_deadline (h2o_timeout_entry_t *entry)
{
    s_job_t *self = H2O_STRUCT_FROM_MEMBER (s_job_t, deadline, entry);
    if (!self->sweep) {
        s_single_answer (self, 504, NULL, "the channel test did not finish in time, please "
                                          "retry later", 0);
        return;
    }
    //  A sweep: the current test's stage is over time.
    s_probe_t *probe = &self->probes [self->next - 1];
    gw_bridge_forget (self->bridge, &probe->waiter);
    if (probe->stage == S_RELAYING) {
        if (probe->relay_corr)
            gw_bridge_cancel (self->bridge, probe->relay_corr, "channel test timed out");
        probe->relay_corr = 0;
        snprintf (probe->error, sizeof probe->error, "the channel test did not finish in time");
        s_report (probe);
    }
    else {
        oa_log_warn ("gateway", "channel %" PRId64 " test: the API did not take the outcome "
                     "in time", probe->channel_id);
        s_probe_done (probe);
    }
}

//  Fills probe from a test request object; false when it is unusable.
static bool
s_probe_init (s_probe_t *probe, s_job_t *job, int64_t channel_id, json_t *request)
{
    memset (probe, 0, sizeof *probe);
    probe->job = job;
    probe->channel_id = channel_id;
    const char *model = json_string_value (json_object_get (request, "model"));
    if (channel_id <= 0 || !model)
        return false;
    snprintf (probe->model, sizeof probe->model, "%s", model);
    probe->request = json_dumps (request, JSON_COMPACT);
    return probe->request != NULL;
}

//  A job for req from the instruction; NULL (and answered) when unusable.
static s_job_t *
s_job_new (h2o_req_t *req, gw_bridge_t *bridge, const char *what, json_t *body)
{
    gw_request_t *request = gw_http_request_of (req);
    h2o_linklist_t *list = s_list (req->conn->ctx);
    s_job_t *self = list? calloc (1, sizeof (s_job_t)): NULL;
    if (!self || !request) {
        free (self);
        gw_respond_api_error (req, 500, "cannot run the channel test");
        return NULL;
    }
    atomic_fetch_add (&s_jobs, 1);
    self->bridge = bridge;
    self->loop = req->conn->ctx->loop;
    self->deadline.cb = s_on_deadline;
    self->sweep = strcmp (what, "all") == 0;
    self->timeout_ms = request->gateway->api_timeout_ms > 0? request->gateway->api_timeout_ms
                                                           : S_DEFAULT_TIMEOUT_MS;
    gw_ratelimit_client_ip (request, self->client_ip, sizeof self->client_ip);
    snprintf (self->trace_id, sizeof self->trace_id, "%s", request->id);
    json_t *list_json = self->sweep? json_object_get (body, "channels"): NULL;
    size_t count = self->sweep? json_array_size (list_json): 1;
    if (count > S_PROBES_MAX)
        count = S_PROBES_MAX;
    self->probes = count? calloc (count, sizeof (s_probe_t)): NULL;
    bool usable = body && count > 0 && self->probes;
    for (size_t index = 0; usable && index < count; index++) {
        json_t *entry = self->sweep? json_array_get (list_json, index): body;
        int64_t id = self->sweep? json_integer_value (json_object_get (entry, "id"))
                                : strtoll (what, NULL, 10);
        usable = s_probe_init (&self->probes [index], self, id,
                               self->sweep? json_object_get (entry, "request"): entry);
        self->count = index + 1;
    }
    if (!usable) {
        s_job_free (self);
        gw_respond_api_error (req, 502, "the management API sent an unusable channel test");
        return NULL;
    }
    //  The client's credentials, for the reports (a 400 was sent if NULL).
    self->report = gw_api_request_new (request);
    if (!self->report) {
        s_job_free (self);
        return NULL;
    }
    oa_msg_set_payload_bytes (self->report, "", 0);
    h2o_linklist_insert (list, &self->link);
    return self;
}

void
gw_api_probe_run (h2o_req_t *req, gw_bridge_t *bridge, oa_msg_t *reply)
{
    const char *what = oa_msg_headers_lookup (reply, "x-oneapi-probe");
    zframe_t *payload = oa_msg_payload (reply);
    json_error_t error;
    json_t *body = payload? json_loadb ((const char *) zframe_data (payload),
                                        zframe_size (payload), 0, &error): NULL;
    s_job_t *self = s_job_new (req, bridge, what? what: "", body);
    json_decref (body);
    if (!self)
        return;
    if (self->sweep) {
        //  one-api answers at once and tests in the background.
        static const char json [] = "{\"message\":\"\",\"success\":true}";
        gw_respond_json (req, 200, json, sizeof json - 1);
        s_sweep_next (self);
        return;
    }
    s_anchor_t *anchor = h2o_mem_alloc_shared (&req->pool, sizeof (s_anchor_t),
                                               s_anchor_dispose);
    anchor->job = self;
    self->anchor = anchor;
    self->req = req;
    s_arm (self);
    s_relay (&self->probes [0]);
}
