/*  =========================================================================
    oa_api_probe - channel tests: GET /api/channel/test/:id[?model=] and
    GET /api/channel/test[?scope=all|disabled] (one-api's
    controller/channel_testing.go)

    A test is a real chat request through a relay worker, and only the
    gateway talks to workers, so a test takes two API round trips:
      1. The API actor answers the gateway with an instruction instead of
         the client's answer: the reply header x-oneapi-probe names the
         channel ("<id>", or "all" with a list), the body is the test
         request ({"model","max_tokens":TEST_MAX_TOKENS,"messages":[{"role":
         "user","content":TEST_PROMPT}]}).
      2. The gateway sends it as a RELAY_REQUEST pinned to that channel
         (no token: nothing is billed; a disabled channel too, as one-api
         tests any channel), times it, and sends the route of that channel
         again with the header x-oneapi-probe: result and a body
         {"channel_id","model","status","ms","error","body"[,"sweep":true]}.
         This actor then records response_time and test_time on the
         channel and a test log (type 5), and answers one-api's
         {"success","message","time","modelName"}.
    The x-oneapi-probe header can only come from a gateway: gateways
    forward a fixed list of client headers that does not include it.

    One channel (TestChannel): the client waits for the outcome; the
    response time is 0 when the test failed; the status never changes.
    The sweep (TestChannels): the client gets {"success":true} at once and
    the gateway tests the channels one after the other in the background
    (newest first); each outcome is judged as one-api's testChannels does:
      - an enabled channel slower than ChannelDisableThreshold seconds
        (0 = never), or failing, is disabled automatically (status 3) when
        AutomaticDisableChannelEnabled;
      - a channel not enabled (2 or 3) that passes is enabled again when
        AutomaticEnableChannelEnabled (one-api re-enables a manually
        disabled channel too);
      - the response time is recorded even when the test failed.
    A channel with no model to test fails without a request.  One sweep
    runs at a time ("Test is already running"); its lock is a lease renewed
    by every outcome, so a gateway that dies mid-sweep frees it after
    S_SWEEP_LEASE_MS.
    =========================================================================
*/
#include "oa_api_private.h"

#include <math.h>

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"

//  one-api's TEST_PROMPT and TEST_MAX_TOKENS defaults (a config without them).
#define S_TEST_PROMPT "2 + 2 = ?"
#define S_TEST_MAX_TOKENS 1024
//  How long a sweep keeps its lock after its last outcome: more than a
//  test's relay and report may take at the gateway (2 x 30 s).
#define S_SWEEP_LEASE_MS 120000

//  True if name is one of the CSV's entries (trimmed).
static bool
s_listed (const char *csv, const char *name)
{
    char *copy = strdup (csv? csv: "");
    bool found = false;
    for (char *save = NULL, *entry = strtok_r (copy, ",", &save); entry && !found;
         entry = strtok_r (NULL, ",", &save)) {
        char *trimmed = oa_api_trim (entry);
        found = *trimmed && streq (trimmed, name);
        free (trimmed);
    }
    free (copy);
    return found;
}

//  chooseChannelTestModel: ?model= if the channel lists it, else the
//  channel's testing_model if listed, else the first listed model (one-api
//  takes the cheapest text model).  Fresh string, or NULL with error.
static char *
s_test_model (oa_channel_t *channel, const char *requested, char *error, size_t size)
{
    char *wanted = oa_api_trim (requested);
    if (*wanted) {
        if (s_listed (channel->models, wanted))
            return wanted;
        snprintf (error, size, "test model \"%s\" is not supported by channel", wanted);
        free (wanted);
        return NULL;
    }
    free (wanted);
    if (channel->testing_model && *channel->testing_model
    &&  s_listed (channel->models, channel->testing_model))
        return strdup (channel->testing_model);
    char *copy = strdup (channel->models? channel->models: "");
    char *first = NULL;
    for (char *save = NULL, *entry = strtok_r (copy, ",", &save); entry && !first;
         entry = strtok_r (NULL, ",", &save)) {
        char *trimmed = oa_api_trim (entry);
        if (*trimmed)
            first = trimmed;
        else
            free (trimmed);
    }
    free (copy);
    if (!first)
        snprintf (error, size, "channel has no model that supports both text input and text "
                  "output through Chat Completions for testing");
    return first;
}

//  buildTestRequest: TEST_PROMPT as the user message, TEST_MAX_TOKENS.
static json_t *
s_test_request (oa_api_app_t *app, const char *model)
{
    const oa_config_t *config = oa_api_config (app);
    const char *prompt = config->test_prompt && *config->test_prompt? config->test_prompt
                                                                     : S_TEST_PROMPT;
    int max_tokens = config->test_max_tokens > 0? config->test_max_tokens: S_TEST_MAX_TOKENS;
    json_t *request = json_pack ("{s:i, s:s, s:[{s:s, s:s}]}", "max_tokens", max_tokens,
                                 "model", model, "messages", "role", "user", "content", prompt);
    if (!request)               //  a prompt that is not UTF-8
        request = json_pack ("{s:i, s:s, s:[{s:s, s:s}]}", "max_tokens", max_tokens,
                             "model", model, "messages", "role", "user", "content",
                             S_TEST_PROMPT);
    return request;
}

//  A float64 as Go writes it: whole numbers without ".0".
static json_t *
s_go_float (double value)
{
    if (value == floor (value) && fabs (value) < 1e15)
        return json_integer ((json_int_t) value);
    return json_real (value);
}

static void
s_answer (oa_api_res_t *res, bool success, const char *message, int64_t ms, const char *model)
{
    json_decref (res->body);
    res->status = 200;
    res->body = json_pack ("{s:b, s:s, s:o, s:s}", "success", success, "message", "",
                           "time", s_go_float ((double) ms / 1000.0), "modelName", model);
    json_t *text = json_string (message);
    json_object_set_new (res->body, "message", text? text: json_string ("invalid message"));
}

//  The gateway's outcome: what one-api's testChannel returns as the
//  response message or the error.
static bool
s_outcome (json_t *result, char **message)
{
    const char *error = oa_api_str (result, "error", "");
    int64_t status = oa_api_int (result, "status", 0);
    const char *raw = oa_api_str (result, "body", "");
    json_error_t parse_error;
    json_t *body = json_loads (raw, 0, &parse_error);
    bool ok = false;
    if (*error)
        *message = strdup (error);
    else
    if (status != 200) {
        const char *upstream = json_string_value (json_object_get (json_object_get (body, "error"),
                                                                   "message"));
        char *text = upstream && *upstream
            ? zsys_sprintf ("http status code: [%" PRId64 "], error message: %s", status, upstream)
            : zsys_sprintf ("http status code: [%" PRId64 "]", status);
        *message = strdup (text);
        zstr_free (&text);
    }
    else {
        json_t *content = json_object_get (json_object_get (json_array_get (
            json_object_get (body, "choices"), 0), "message"), "content");
        if (!body)
            *message = strdup ("failed to parse test response: unmarshal test response");
        else
        if (!json_array_size (json_object_get (body, "choices")))
            *message = strdup ("failed to parse test response: response has no choices");
        else
        if (!json_is_string (content))
            *message = strdup ("failed to parse test response: response content is not string");
        else {
            *message = strdup (json_string_value (content));
            ok = true;
        }
    }
    json_decref (body);
    return ok;
}

//  Records a test's response time (ms) and test time on channel id.
static void
s_response_time (oa_api_app_t *app, int64_t id, int64_t ms)
{
    oa_api_param_t params [] = { { .i = ms }, { .i = oa_clock_ms () / 1000 }, { .i = id } };
    if (oa_api_exec (app, "UPDATE \"channels\" SET \"response_time\" = $1, \"test_time\" = $2 "
                     "WHERE \"id\" = $3", params, 3, NULL) < 0)
        oa_log_warn ("api", "channel %" PRId64 ": test time not recorded: %s", id,
                     oa_store_error (oa_api_store (app)));
    else
        oa_api_publish_id (app, "channels", id);
}

//  The sweep's verdict on one channel (testChannels): disables an enabled
//  channel that failed or was too slow, enables one that passed, as the
//  options say.  error is the test's failure, NULL when it passed.
static void
s_judge (oa_api_app_t *app, oa_channel_t *channel, const char *error, int64_t ms)
{
    bool enabled = channel->status == OA_STATUS_ENABLED;
    char *threshold_text = oa_api_option (app, "ChannelDisableThreshold", "5");
    double threshold = strtod (threshold_text, NULL);
    free (threshold_text);
    int64_t threshold_ms = (int64_t) (threshold * 1000);
    if (threshold_ms <= 0 || !isfinite (threshold))
        threshold_ms = 10000000;            //  one-api's "impossible value"
    char *reason = NULL;
    if (enabled && ms > threshold_ms)
        reason = zsys_sprintf ("Response time %.2fs exceeds threshold %.2fs",
                               (double) ms / 1000.0, (double) threshold_ms / 1000.0);
    else
    if (error)
        reason = zsys_sprintf ("%s", error);
    const char *name = channel->name? channel->name: "";
    if (enabled && reason) {
        if (!oa_api_option_bool (app, "AutomaticDisableChannelEnabled", false))
            oa_log_warn ("api", "channel #%" PRId64 " (%s) test failed: %s", channel->id, name,
                         reason);
        else
        if (oa_api_channel_set_status (app, channel->id, OA_CHANNEL_STATUS_AUTO_DISABLED) < 0)
            oa_log_error ("api", "channel #%" PRId64 " not disabled: %s", channel->id,
                          oa_store_error (oa_api_store (app)));
        else
            oa_log_info ("api", "channel #%" PRId64 " (%s) has been disabled: %s", channel->id,
                         name, reason);
    }
    if (!enabled && !error && oa_api_option_bool (app, "AutomaticEnableChannelEnabled", false)) {
        if (oa_api_channel_set_status (app, channel->id, OA_STATUS_ENABLED) < 0)
            oa_log_error ("api", "channel #%" PRId64 " not enabled: %s", channel->id,
                          oa_store_error (oa_api_store (app)));
        else
            oa_log_info ("api", "channel #%" PRId64 " (%s) has been enabled", channel->id, name);
    }
    zstr_free (&reason);
}

//  A sweep's outcome arrived: one channel fewer to wait for; the lock is
//  renewed, or released after the last one.
static void
s_sweep_reported (oa_api_app_t *app)
{
    int64_t *left;
    int64_t *until = oa_api_sweep_state (app, &left);
    int64_t now = oa_clock_mono_ms ();
    if (*until <= now)
        return;                 //  no sweep holds the lock (lease ended)
    if (--*left <= 0) {
        *until = 0;
        *left = 0;
    }
    else
        *until = now + S_SWEEP_LEASE_MS;
}

//  Step 2: records the outcome the gateway reports and answers the client.
static void
s_record (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, int64_t id,
          oa_channel_t *channel)
{
    char error [256];
    json_t *result = oa_api_decode (req, "probe", NULL, true, error, sizeof error);
    if (!result || !json_is_object (result)) {
        json_decref (result);
        oa_api_fail (res, 200, "channel test: bad outcome from the gateway: %s",
                     *error? error: "not an object");
        return;
    }
    bool sweep = oa_api_bool (result, "sweep", false);
    const char *model = oa_api_str (result, "model", "");
    char *message = NULL;
    bool ok = s_outcome (result, &message);
    int64_t elapsed = oa_api_int (result, "ms", 0);
    if (elapsed < 0)
        elapsed = 0;
    //  TestChannel records 0 for a failed test; testChannels the time.
    int64_t ms = ok || sweep? elapsed: 0;
    s_response_time (app, id, ms);
    char *content = ok? zsys_sprintf ("test channel %s succeed\xef\xbc\x8cresponse: %s",
                                      channel->name? channel->name: "", message)
                      : zsys_sprintf ("test channel %s failed, error: %s",
                                      channel->name? channel->name: "", message);
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    int64_t now_ms = oa_clock_ms ();
    oa_api_param_t log [] = {
        { true, uuid, 0 }, { .i = now_ms / 1000 }, { true, content, 0 }, { .i = id },
        { true, channel->uuid? channel->uuid: "", 0 }, { true, model, 0 },
        { .i = elapsed }, { .i = now_ms }, { true, model, 0 }
    };
    if (oa_api_exec (app, "INSERT INTO \"logs\" (\"user_id\", \"uuid\", \"created_at\", \"type\", "
                     "\"content\", \"channel_id\", \"channel_uuid\", \"model_name\", "
                     "\"origin_model_name\", \"elapsed_time\", \"updated_at\", \"username\", "
                     "\"token_name\", \"quota\", \"prompt_tokens\", \"completion_tokens\") VALUES "
                     "(0, $1, $2, 5, $3, $4, NULLIF($5, ''), $6, $9, $7, $8, '', '', 0, 0, 0)",
                     log, 9, NULL) < 0)
        oa_log_warn ("api", "channel %" PRId64 ": test log not written", id);
    zstr_free (&content);
    if (sweep) {
        s_judge (app, channel, ok? NULL: message, elapsed);
        s_sweep_reported (app);
    }
    s_answer (res, ok, message, ms, model);
    free (message);
    json_decref (result);
}

void
oa_api_channel_test (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t id = 0;
    if (oa_api_resolve (app, res, "channels", req->param, &id) != 1)
        return;
    oa_channel_t *channel = NULL;
    int rc = oa_store_channel_by_id (oa_api_store (app), id, &channel);
    if (rc != 1) {
        if (rc < 0)
            oa_api_fail_store (app, res, "get channel");
        else
            oa_api_fail (res, 200, "record not found");
        return;
    }
    if (req->probe && streq (req->probe, "result")) {
        s_record (app, req, res, id, channel);
        oa_channel_destroy (&channel);
        return;
    }
    char error [256];
    char *model = s_test_model (channel, oa_api_arg (req, "model"), error, sizeof error);
    json_t *request = model? s_test_request (app, model): NULL;
    if (!model)
        oa_api_fail (res, 200, "%s", error);
    else
    if (!request)
        oa_api_fail (res, 200, "failed to build the test request");
    else {
        json_decref (res->body);
        res->status = 200;
        res->body = request;
        res->probe = zsys_sprintf ("%" PRId64, id);
        //  zsys_sprintf's memory is freed with free (): same allocator.
    }
    free (model);
    oa_channel_destroy (&channel);
}

void
oa_api_channels_test (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t *left;
    int64_t *until = oa_api_sweep_state (app, &left);
    if (*until > oa_clock_mono_ms ()) {
        oa_api_fail (res, 200, "Test is already running");
        return;
    }
    //  GetAllChannels: "disabled" is status 2 or 3; anything else, all.
    const char *scope = oa_api_arg (req, "scope");
    bool disabled_only = scope && streq (scope, "disabled");
    static const oa_api_column_t id_view [] = { { "id", "\"id\"", OA_API_INT },
                                                { NULL, NULL, OA_API_INT } };
    json_t *ids = oa_api_select (app, id_view, disabled_only
                                 ? "FROM \"channels\" WHERE \"status\" IN (2, 3)"
                                 : "FROM \"channels\"", NULL, 0, "\"id\" DESC", -1, 0);
    if (!ids) {
        oa_api_fail_store (app, res, "failed to get all channels");
        return;
    }
    json_t *list = json_array ();
    size_t index;
    json_t *row;
    json_array_foreach (ids, index, row) {
        oa_channel_t *channel = NULL;
        if (oa_store_channel_by_id (oa_api_store (app), oa_api_int (row, "id", 0), &channel) != 1)
            continue;
        char error [256];
        char *model = s_test_model (channel, NULL, error, sizeof error);
        json_t *request = model? s_test_request (app, model): NULL;
        if (request)
            json_array_append_new (list, json_pack ("{s:I, s:o}", "id", (json_int_t) channel->id,
                                                    "request", request));
        else {
            //  No model to test: a failure without a request, as in one-api.
            s_response_time (app, channel->id, 0);
            s_judge (app, channel, model? "failed to build the test request": error, 0);
        }
        free (model);
        oa_channel_destroy (&channel);
    }
    json_decref (ids);
    json_decref (res->body);
    res->status = 200;
    if (json_array_size (list) == 0) {
        json_decref (list);
        res->body = json_pack ("{s:b, s:s}", "success", true, "message", "");
        return;
    }
    *left = (int64_t) json_array_size (list);
    *until = oa_clock_mono_ms () + S_SWEEP_LEASE_MS;
    res->body = json_pack ("{s:o}", "channels", list);
    res->probe = strdup ("all");
}
