/*  =========================================================================
    gw_api_probe - channel tests run by the gateway (see gw_api_probe.h)

    A job lives in its request's pool: the dispose callback forgets every
    waiter, cancels relays still in flight, unlinks the deadline and frees
    the bodies, so nothing outlives a client that went away.
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gw_api_probe.h"
#include "gw_http.h"
#include "gw_ratelimit.h"
#include "oa_log.h"

#define S_BODY_MAX (64 * 1024)      //  bytes of an upstream answer kept
#define S_PROBES_MAX 1000           //  channels of one sweep
#define S_DEFAULT_TIMEOUT_MS 30000  //  gateway->api_timeout_ms unset

typedef struct _s_job_t s_job_t;

typedef enum { S_RELAYING, S_REPORTING, S_DONE } s_stage_t;

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

struct _s_job_t {
    h2o_req_t *req;                 //  the client's request (valid until dispose)
    gw_bridge_t *bridge;            //  the loop's bridge
    h2o_timeout_entry_t deadline;   //  the API deadline
    bool sweep;                     //  GET /api/channel/test: answer once all reported
    bool answered;                  //  the client has its answer
    s_probe_t *probes;              //  count entries (heap)
    size_t count;                   //  probes
    size_t open;                    //  probes not yet S_DONE
};

//  --------------------------------------------------------------------------
//  Life cycle

static void
s_job_close (s_job_t *self)
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
}

static void
s_job_dispose (void *data)
{
    s_job_t *self = (s_job_t *) data;
    s_job_close (self);
    for (size_t index = 0; index < self->count; index++) {
        free (self->probes [index].request);
        free (self->probes [index].body);
    }
    free (self->probes);
    self->probes = NULL;
    self->count = 0;
}

//  The sweep's answer (one-api answers at once; here, once all reported).
static void
s_sweep_answer (s_job_t *self)
{
    if (self->answered)
        return;
    self->answered = true;
    s_job_close (self);
    static const char json [] = "{\"message\":\"\",\"success\":true}";
    gw_respond_json (self->req, 200, json, sizeof json - 1);
}

static void
s_probe_done (s_probe_t *probe)
{
    if (probe->stage == S_DONE)
        return;
    probe->stage = S_DONE;
    s_job_t *job = probe->job;
    if (--job->open == 0 && job->sweep)
        s_sweep_answer (job);
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
    if (!job->sweep && !job->answered) {
        job->answered = true;
        s_job_close (job);
        int status = oa_msg_status (msg);
        zframe_t *body = oa_msg_payload (msg);
        const char *content_type = oa_msg_content_type (msg);
        if (status < 100 || status > 999)
            gw_respond_api_error (job->req, 502, "the management API answered with an invalid "
                                                 "status");
        else
            gw_respond (job->req, status, *content_type? content_type: GW_JSON_TYPE,
                        body? (const char *) zframe_data (body): "", body? zframe_size (body): 0);
        return;
    }
    s_probe_done (probe);
}

//  Sends the outcome of probe to the API actor as the same route with
//  "x-oneapi-probe: result".
static void
s_report (s_probe_t *probe)
{
    s_job_t *job = probe->job;
    probe->ms = (oa_clock_mono_us () - probe->started_us) / 1000;
    if (probe->ms < 0)
        probe->ms = 0;
    probe->stage = S_REPORTING;
    gw_request_t *request = gw_http_request_of (job->req);
    oa_msg_t *msg = request? gw_api_request_new (request): NULL;
    if (!msg) {
        s_probe_done (probe);
        return;
    }
    if (job->sweep) {
        char path [64];
        snprintf (path, sizeof path, "/api/channel/test/%" PRId64, probe->channel_id);
        oa_msg_set_path (msg, path);
        oa_msg_set_query (msg, "");
    }
    oa_msg_headers_insert (msg, "x-oneapi-probe", "result");
    json_t *result = json_pack ("{s:I, s:s, s:i, s:I, s:s, s:s%}",
                                "channel_id", (json_int_t) probe->channel_id,
                                "model", probe->model, "status", probe->status,
                                "ms", (json_int_t) probe->ms, "error", probe->error,
                                "body", probe->body? probe->body: "", probe->body_size);
    char *text = result? json_dumps (result, JSON_COMPACT): NULL;
    if (!text) {
        //  The upstream answer was not UTF-8: report without it.
        json_decref (result);
        result = json_pack ("{s:I, s:s, s:i, s:I, s:s, s:s}", "channel_id",
                            (json_int_t) probe->channel_id, "model", probe->model,
                            "status", probe->status, "ms", (json_int_t) probe->ms,
                            "error", "the upstream answer is not valid text", "body", "");
        text = json_dumps (result, JSON_COMPACT);
    }
    json_decref (result);
    oa_msg_set_payload_bytes (msg, text, strlen (text));
    free (text);
    uint64_t corr_id = gw_bridge_next_corr_id (job->bridge);
    oa_msg_set_corr_id (msg, corr_id);
    int timeout_ms = request->gateway->api_timeout_ms > 0? request->gateway->api_timeout_ms
                                                         : S_DEFAULT_TIMEOUT_MS;
    oa_msg_set_deadline (msg, (uint64_t) (oa_clock_ms () + timeout_ms));
    probe->waiter.on_reply = s_on_api_reply;
    gw_bridge_register (job->bridge, &probe->waiter, corr_id);
    if (gw_bridge_send_api (job->bridge, msg) != 0) {
        gw_bridge_forget (job->bridge, &probe->waiter);
        oa_log_warn ("gateway", "channel %" PRId64 " test: outcome not sent to the API",
                     probe->channel_id);
        if (!job->sweep && !job->answered) {
            job->answered = true;
            s_job_close (job);
            gw_respond_api_error (job->req, 503, "the management API is not reachable right "
                                                 "now, please retry later");
        }
        else
            s_probe_done (probe);
    }
    oa_msg_destroy (&msg);
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
    s_report (probe);
}

//  Sends the test of probe as a RELAY_REQUEST pinned to its channel; a
//  failure to do so is reported as the test's outcome.
static void
s_relay (s_probe_t *probe, gw_request_t *request)
{
    s_job_t *job = probe->job;
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
    oa_msg_set_trace_id (msg, request->id);
    oa_msg_set_client_format (msg, OA_MSG_FORMAT_CHAT);
    oa_msg_set_stream (msg, false);
    oa_msg_set_method (msg, "POST");
    oa_msg_set_path (msg, "/v1/chat/completions");
    oa_msg_set_content_type (msg, "application/json");
    char client_ip [64];
    gw_ratelimit_client_ip (request, client_ip, sizeof client_ip);
    oa_msg_set_client_ip (msg, client_ip);
    oa_msg_set_requested_model (msg, probe->model);
    int timeout_ms = request->gateway->api_timeout_ms > 0? request->gateway->api_timeout_ms
                                                         : S_DEFAULT_TIMEOUT_MS;
    //  The broker's own 504 should come before the API deadline.
    int64_t relay_ms = timeout_ms > 4000? timeout_ms - 2000: timeout_ms / 2;
    uint64_t now = (uint64_t) oa_clock_ms ();
    oa_msg_set_created_at_ms (msg, now);
    oa_msg_set_deadline (msg, now + (uint64_t) relay_ms);
    oa_msg_set_retry_times (msg, 0);
    oa_msg_set_pinned (msg, true);
    oa_msg_set_payload_bytes (msg, probe->request, strlen (probe->request));
    gw_caller_t caller;
    memset (&caller, 0, sizeof caller);
    caller.pinned_channel_id = probe->channel_id;
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
    if (gw_bridge_send (job->bridge, msg) != 0) {
        gw_bridge_forget (job->bridge, &probe->waiter);
        probe->relay_corr = 0;
        snprintf (probe->error, sizeof probe->error, "no relay worker is available right now, "
                  "please retry later");
        oa_msg_destroy (&msg);
        s_report (probe);
        return;
    }
    oa_msg_destroy (&msg);
}

//  --------------------------------------------------------------------------
//  The job

static void
s_on_deadline (h2o_timeout_entry_t *entry)
{
    s_job_t *self = H2O_STRUCT_FROM_MEMBER (s_job_t, deadline, entry);
    if (self->answered)
        return;
    if (self->sweep) {
        s_sweep_answer (self);
        return;
    }
    self->answered = true;
    s_job_close (self);
    gw_respond_api_error (self->req, 504, "the channel test did not finish in time, please "
                                          "retry later");
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

void
gw_api_probe_run (h2o_req_t *req, gw_bridge_t *bridge, oa_msg_t *reply)
{
    gw_request_t *request = gw_http_request_of (req);
    const char *what = oa_msg_headers_lookup (reply, "x-oneapi-probe");
    zframe_t *payload = oa_msg_payload (reply);
    json_error_t error;
    json_t *body = payload? json_loadb ((const char *) zframe_data (payload),
                                        zframe_size (payload), 0, &error): NULL;
    s_job_t *job = h2o_mem_alloc_shared (&req->pool, sizeof (s_job_t), s_job_dispose);
    memset (job, 0, sizeof (s_job_t));
    job->req = req;
    job->bridge = bridge;
    job->sweep = what && strcmp (what, "all") == 0;
    json_t *list = job->sweep? json_object_get (body, "channels"): NULL;
    size_t count = job->sweep? json_array_size (list): 1;
    if (count > S_PROBES_MAX)
        count = S_PROBES_MAX;
    job->probes = count? calloc (count, sizeof (s_probe_t)): NULL;
    bool usable = request && body && (count == 0 || job->probes);
    for (size_t index = 0; usable && index < count; index++) {
        json_t *entry = job->sweep? json_array_get (list, index): body;
        int64_t id = job->sweep? json_integer_value (json_object_get (entry, "id"))
                               : strtoll (what? what: "0", NULL, 10);
        usable = s_probe_init (&job->probes [index], job,  id,
                               job->sweep? json_object_get (entry, "request"): entry);
        job->count = index + 1;
    }
    json_decref (body);
    if (!usable) {
        job->answered = true;
        gw_respond_api_error (req, 502, "the management API sent an unusable channel test");
        return;
    }
    job->open = job->count;
    if (job->count == 0) {
        s_sweep_answer (job);
        return;
    }
    job->deadline.cb = s_on_deadline;
    h2o_timeout_link (req->conn->ctx->loop, gw_bridge_api_deadlines (bridge), &job->deadline);
    for (size_t index = 0; index < job->count && !job->answered; index++)
        s_relay (&job->probes [index], request);
}
