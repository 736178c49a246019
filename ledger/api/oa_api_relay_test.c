/*  =========================================================================
    oa_api_relay_test - self tests of the relay-key routes (external
    billing, legacy OpenAI billing), the dashboard's ranges, the channel
    test's two round trips and the log purge, per driver

    The handlers are driven directly (oa_api_app_handle), as the gateway's
    API_REQUEST would reach them, with a relay key, a session, or both.
    =========================================================================
*/
#include "oa_api.h"

#include <math.h>

#include "oa_api_private.h"
#include "oa_api_testkit.h"
#include "oa_bootstrap.h"
#include "oa_ids.h"
#include "oa_schema.h"
#include "oa_store_testdb.h"

typedef oa_api_answer_t s_answer_t;

static oa_api_app_t *s_app;     //  the application under test
static oa_store_t *s_store;     //  its store

//  One request with a session cookie, a relay key (Authorization) and,
//  for the gateway's second round trip, a probe header.
static s_answer_t
s_call (const char *method, const char *path, const char *query, const char *body,
        const char *cookie, const char *key, const char *probe)
{
    oa_api_req_t req = {
        .method = method, .path = path, .query = query? query: "", .body = body,
        .body_size = body? strlen (body): 0, .client_ip = "127.0.0.1", .cookie = cookie,
        .authorization = key, .request_id = "r1", .probe = probe
    };
    return oa_api_testkit_call (s_app, &req);
}

static void
s_dump_fail (const char *method, const char *path, s_answer_t *answer, const char *want)
{
    char *text = json_dumps (answer->body, 0);
    fprintf (stderr, "\n%s %s: got %d %s, want %s\n", method, path, answer->status, text, want);
    free (text);
    assert (false);
}

//  Asserts 200 success and returns the whole body (caller decrefs).
static json_t *
s_ok (const char *method, const char *path, const char *query, const char *body,
      const char *cookie, const char *key)
{
    s_answer_t answer = s_call (method, path, query, body, cookie, key, NULL);
    if (answer.status != 200 || !json_is_true (json_object_get (answer.body, "success")))
        s_dump_fail (method, path, &answer, "success");
    json_t *out = json_incref (answer.body);
    oa_api_answer_clear (&answer);
    return out;
}

//  Asserts 200 {"success":false} with a message starting with prefix.
static void
s_fails (const char *method, const char *path, const char *body, const char *cookie,
         const char *key, const char *prefix)
{
    s_answer_t answer = s_call (method, path, NULL, body, cookie, key, NULL);
    if (answer.status != 200 || !json_is_false (json_object_get (answer.body, "success"))
    ||  strncmp (oa_api_answer_message (&answer), prefix, strlen (prefix)) != 0)
        s_dump_fail (method, path, &answer, prefix);
    oa_api_answer_clear (&answer);
}

static char *
s_login (const char *username, const char *password)
{
    char *body = zsys_sprintf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
    s_answer_t answer = s_call ("POST", "/api/user/login", NULL, body, NULL, NULL, NULL);
    zstr_free (&body);
    assert (answer.cookie);
    char *cookie = answer.cookie;
    answer.cookie = NULL;
    oa_api_answer_clear (&answer);
    return cookie;
}

static int64_t
s_int (json_t *object, const char *path_a, const char *path_b)
{
    json_t *value = json_object_get (object, path_a);
    if (path_b)
        value = json_object_get (value, path_b);
    return json_integer_value (value);
}

//  The relay-key routes answer only to a key; a session is no key.
static void
s_test_matrix (const char *alice, const char *admin, const char *root, const char *key)
{
    struct {
        const char *method, *path;
        int guest, common, admin, root, key;
    } routes [] = {
        { "POST", "/api/token/consume", 401, 401, 401, 401, 200 },
        { "GET", "/api/token/balance", 401, 401, 401, 401, 200 },
        { "GET", "/api/token/transactions", 401, 401, 401, 401, 200 },
        { "GET", "/api/token/logs", 401, 401, 401, 401, 200 },
        { "GET", "/dashboard/billing/subscription", 401, 401, 401, 401, 200 },
        { "GET", "/v1/dashboard/billing/usage", 401, 401, 401, 401, 200 },
        { "GET", "/api/channel/test", 401, 403, 200, 200, 401 },
        { "GET", "/api/channel/test/1", 401, 403, 200, 200, 401 },
        { "GET", "/api/user/dashboard", 401, 200, 200, 200, 401 },
        { "DELETE", "/api/log/", 401, 403, 200, 200, 401 },
        { "GET", "/api/admin/tokens/", 401, 403, 200, 200, 401 },
        { NULL, NULL, 0, 0, 0, 0, 0 }
    };
    for (int index = 0; routes [index].method; index++) {
        const char *cookies [] = { NULL, alice, admin, root, NULL };
        int wanted [] = { routes [index].guest, routes [index].common, routes [index].admin,
                          routes [index].root, routes [index].key };
        for (int who = 0; who < 5; who++) {
            s_answer_t answer = s_call (routes [index].method, routes [index].path, NULL,
                                        "{\"add_reason\":\"matrix\"}", cookies [who],
                                        who == 4? key: NULL, NULL);
            if (answer.status != wanted [who]) {
                fprintf (stderr, "\n%s %s as %d: %d, want %d\n", routes [index].method,
                         routes [index].path, who, answer.status, wanted [who]);
                assert (false);
            }
            oa_api_answer_clear (&answer);
        }
    }
}

static void
s_test_key_errors (const char *key)
{
    s_answer_t answer = s_call ("GET", "/api/token/balance", NULL, NULL, NULL, NULL, NULL);
    assert (answer.status == 401);
    assert (streq (json_string_value (json_object_get (json_object_get (answer.body, "error"),
                                                       "message")),
                   "No token provided (request id: r1)"));
    assert (streq (json_string_value (json_object_get (json_object_get (answer.body, "error"),
                                                       "type")), "one_api_error"));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/api/token/balance", NULL, NULL, NULL,
                     "Bearer sk-abcdefghijklmnopqrstuvwxyz", NULL);
    assert (answer.status == 401);
    assert (strstr (json_string_value (json_object_get (json_object_get (answer.body, "error"),
                                                        "message")),
                    "token not found for key: abcdef...wxyz: record not found"));
    oa_api_answer_clear (&answer);
    //  A channel suffix is for admins only.
    char *pinned = zsys_sprintf ("%s-3", key);
    answer = s_call ("GET", "/api/token/balance", NULL, NULL, NULL, pinned, NULL);
    assert (answer.status == 403);
    oa_api_answer_clear (&answer);
    zstr_free (&pinned);
}

static void
s_test_consume (const char *alice, const char *key)
{
    //  Balance before anything: 1000 on the token.
    json_t *body = s_ok ("GET", "/api/token/balance", NULL, NULL, NULL, key);
    assert (s_int (body, "data", "remain_quota") == 1000);
    assert (s_int (body, "data", "used_quota") == 0);
    json_decref (body);
    json_t *self = s_ok ("GET", "/api/user/self", NULL, NULL, alice, NULL);
    int64_t user_quota = s_int (self, "data", "quota");
    json_decref (self);

    //  Validation, as one-api words it.
    s_fails ("POST", "/api/token/consume", "{\"add_used_quota\":5}", NULL, key,
             "add_reason cannot be empty");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":\"x\",\"phase\":\"later\"}", NULL, key,
             "unsupported phase: later");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":", NULL, key, "unexpected EOF");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":\"x\",\"add_used_quota\":-5}", NULL,
             key, "json: cannot unmarshal number -5 into Go struct field "
             "consumeTokenRequest.add_used_quota of type uint64");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":\"x\",\"add_used_quota\":\"5\"}", NULL,
             key, "json: cannot unmarshal string into Go struct field "
             "consumeTokenRequest.add_used_quota of type uint64");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":\"x\",\"phase\":\"post\"}", NULL, key,
             "transaction_id is required for post phase");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":\"x\",\"phase\":\"cancel\","
             "\"transaction_id\":\"nope\"}", NULL, key, "get token transaction for cancel: "
             "failed to fetch token transaction");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":\"x\",\"phase\":\"pre\"}", NULL, key,
             "add_used_quota must be greater than 0 for pre phase");
    s_fails ("POST", "/api/token/consume", "{\"add_reason\":\"x\",\"phase\":\"pre\","
             "\"add_used_quota\":1000000}", NULL, key, "pre-consume token quota: insufficient "
             "token quota: required=1000000, available=1000");

    //  single: charged at once, confirmed.
    body = s_ok ("POST", "/api/token/consume", NULL, "{\"add_reason\":\"ocr\","
                 "\"add_used_quota\":100,\"elapsed_time_ms\":42}", NULL, key);
    assert (s_int (body, "data", "remain_quota") == 900);
    assert (s_int (body, "data", "used_quota") == 100);
    json_t *transaction = json_object_get (body, "transaction");
    assert (streq (json_string_value (json_object_get (transaction, "status")), "confirmed"));
    assert (s_int (transaction, "status_code", NULL) == 2);
    assert (s_int (transaction, "final_quota", NULL) == 100);
    assert (s_int (transaction, "elapsed_time_ms", NULL) == 42);
    assert (streq (json_string_value (json_object_get (transaction, "request_id")), "r1"));
    json_decref (body);

    //  pre, then post with a smaller final amount: the difference returns.
    body = s_ok ("POST", "/api/token/consume", NULL, "{\"add_reason\":\"job\",\"phase\":\"pre\","
                 "\"add_used_quota\":300,\"timeout_seconds\":99999}", NULL, key);
    assert (s_int (body, "data", "remain_quota") == 600);
    transaction = json_object_get (body, "transaction");
    assert (streq (json_string_value (json_object_get (transaction, "status")), "pending"));
    assert (json_is_null (json_object_get (transaction, "final_quota")));
    int64_t expires = s_int (transaction, "expires_at", NULL);
    int64_t now = oa_clock_ms () / 1000;
    assert (expires >= now + 3590 && expires <= now + 3610);     //  clamped to 3600 s
    char *id = strdup (json_string_value (json_object_get (transaction, "transaction_id")));
    json_decref (body);
    char *post = zsys_sprintf ("{\"add_reason\":\"job\",\"phase\":\"post\",\"transaction_id\":"
                               "\"%s\",\"final_used_quota\":250}", id);
    body = s_ok ("POST", "/api/token/consume", NULL, post, NULL, key);
    assert (s_int (body, "data", "remain_quota") == 650);
    assert (s_int (body, "transaction", "final_quota") == 250);
    json_decref (body);
    s_fails ("POST", "/api/token/consume", post, NULL, key, "transaction ");
    zstr_free (&post);
    free (id);

    //  pre, then cancel: everything returns.
    body = s_ok ("POST", "/api/token/consume", NULL, "{\"add_reason\":\"job\",\"phase\":\"pre\","
                 "\"add_used_quota\":50}", NULL, key);
    assert (s_int (body, "data", "remain_quota") == 600);
    id = strdup (json_string_value (json_object_get (json_object_get (body, "transaction"),
                                                     "transaction_id")));
    json_decref (body);
    char *cancel = zsys_sprintf ("{\"add_reason\":\"job\",\"phase\":\"cancel\","
                                 "\"transaction_id\":\"%s\"}", id);
    body = s_ok ("POST", "/api/token/consume", NULL, cancel, NULL, key);
    assert (s_int (body, "data", "remain_quota") == 650);
    assert (streq (json_string_value (json_object_get (json_object_get (body, "transaction"),
                                                       "status")), "canceled"));
    json_decref (body);
    s_fails ("POST", "/api/token/consume", cancel, NULL, key, "transaction ");
    zstr_free (&cancel);
    free (id);

    //  A hold past its expiry is auto-confirmed at the next call.
    body = s_ok ("POST", "/api/token/consume", NULL, "{\"add_reason\":\"late\",\"phase\":\"pre\","
                 "\"add_used_quota\":10}", NULL, key);
    id = strdup (json_string_value (json_object_get (json_object_get (body, "transaction"),
                                                     "transaction_id")));
    json_decref (body);
    oa_api_param_t param = { true, id, 0 };
    assert (oa_api_exec (s_app, "UPDATE \"token_transactions\" SET \"expires_at\" = 1 WHERE "
                         "\"transaction_id\" = $1", &param, 1, NULL) == 1);
    //  A free call: logged and confirmed, no balance moved.
    body = s_ok ("POST", "/api/token/consume", NULL, "{\"add_reason\":\"free\"}", NULL, key);
    assert (s_int (body, "data", "remain_quota") == 640);
    assert (s_int (body, "transaction", "pre_quota") == 0);
    json_decref (body);
    post = zsys_sprintf ("{\"add_reason\":\"late\",\"phase\":\"post\",\"transaction_id\":\"%s\","
                         "\"final_used_quota\":1}", id);
    s_fails ("POST", "/api/token/consume", post, NULL, key, "transaction ");
    zstr_free (&post);
    free (id);

    //  The owner paid the same: 100 + 250 + 10.
    self = s_ok ("GET", "/api/user/self", NULL, NULL, alice, NULL);
    assert (s_int (self, "data", "quota") == user_quota - 360);
    json_decref (self);

    //  Transactions, newest first, without internal ids.
    body = s_ok ("GET", "/api/token/transactions", "p=0&size=2", NULL, NULL, key);
    assert (s_int (body, "total", NULL) == 5);
    json_t *rows = json_object_get (body, "data");
    assert (json_array_size (rows) == 2);
    assert (!json_object_get (json_array_get (rows, 0), "id"));
    assert (streq (json_string_value (json_object_get (json_array_get (rows, 0), "reason")),
                   "free"));
    assert (s_int (json_array_get (rows, 1), "status", NULL) == 3);
    assert (json_is_true (json_object_get (json_array_get (rows, 1), "auto_confirmed")));
    json_decref (body);

    //  The token's logs: tool rows with the final amounts.
    body = s_ok ("GET", "/api/token/logs", "size=50", NULL, NULL, key);
    assert (s_int (body, "total", NULL) == 5);
    rows = json_object_get (body, "data");
    size_t index;
    json_t *row;
    int64_t sum = 0;
    json_array_foreach (rows, index, row) {
        assert (s_int (row, "type", NULL) == 7);
        sum += s_int (row, "quota", NULL);
    }
    assert (sum == 360);
    json_decref (body);

    //  The legacy OpenAI billing views of the key (USD, 500000 quota = 1).
    body = s_ok ("GET", "/api/token/balance", NULL, NULL, NULL, key);
    assert (s_int (body, "data", "remain_quota") == 640);
    json_decref (body);
    s_answer_t answer = s_call ("GET", "/dashboard/billing/subscription", NULL, NULL, NULL, key,
                                NULL);
    assert (answer.status == 200);
    assert (streq (json_string_value (json_object_get (answer.body, "object")),
                   "billing_subscription"));
    assert (fabs (json_number_value (json_object_get (answer.body, "hard_limit_usd"))
                  - 1000.0 / 500000) < 1e-12);
    assert (json_is_true (json_object_get (answer.body, "has_payment_method")));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/v1/dashboard/billing/usage", NULL, NULL, NULL, key, NULL);
    assert (streq (json_string_value (json_object_get (answer.body, "object")), "list"));
    assert (fabs (json_number_value (json_object_get (answer.body, "total_usage"))
                  - 360.0 / 500000 * 100) < 1e-12);
    oa_api_answer_clear (&answer);
}

static void
s_test_dashboard (const char *alice, const char *root)
{
    json_t *body = s_ok ("GET", "/api/user/dashboard", NULL, NULL, alice, NULL);
    json_t *data = json_object_get (body, "data");
    json_t *tools = json_object_get (data, "tool_logs");
    assert (json_array_size (tools) >= 1);
    int64_t quota = 0;
    size_t index;
    json_t *row;
    json_array_foreach (tools, index, row)
        quota += s_int (row, "Quota", NULL);
    assert (quota == 360);
    assert (json_is_array (json_object_get (data, "token_logs")));
    assert (json_array_size (json_object_get (data, "tool_token_logs")) >= 1);
    assert (streq (json_string_value (json_object_get (data, "status")), "Active"));
    json_decref (body);
    s_answer_t answer = s_call ("GET", "/api/user/dashboard", "from_date=2024-01-01&to_date="
                                "2024-01-08", NULL, alice, NULL, NULL);
    assert (!json_is_true (json_object_get (answer.body, "success")));
    assert (streq (oa_api_answer_message (&answer),
                   "maximum allowed: 7 days: date range too large"));
    assert (json_is_null (json_object_get (answer.body, "data")));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/api/user/dashboard", "from_date=2024-02-30&to_date=2024-03-01",
                     NULL, alice, NULL, NULL);
    assert (streq (oa_api_answer_message (&answer),
                   "invalid from_date format, expected YYYY-MM-DD"));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/api/user/dashboard", "from_date=2024-03-02&to_date=2024-03-01",
                     NULL, alice, NULL, NULL);
    assert (streq (oa_api_answer_message (&answer), "from_date must be before to_date"));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/api/user/dashboard", "user_id=all", NULL, alice, NULL, NULL);
    assert (streq (oa_api_answer_message (&answer),
                   "No permission to view other users' dashboard data"));
    oa_api_answer_clear (&answer);
    //  Root: a year, site-wide; an old range holds nothing.
    body = s_ok ("GET", "/api/user/dashboard", "from_date=2023-01-01&to_date=2023-12-31", NULL,
                 root, NULL);
    assert (json_array_size (json_object_get (json_object_get (body, "data"), "tool_logs")) == 0);
    json_decref (body);
}

static void
s_test_channel_probe (const char *alice, const char *admin)
{
    json_decref (s_ok ("POST", "/api/channel/", NULL, "{\"name\":\"probe\",\"type\":1,\"key\":"
                       "\"sk-up\",\"models\":\"m1,m2\",\"group\":\"default\"}", admin, NULL));
    (void) alice;
    json_t *list = s_ok ("GET", "/api/channel/", NULL, NULL, admin, NULL);
    char *uuid = strdup (json_string_value (json_object_get (json_array_get (
        json_object_get (list, "data"), 0), "uuid")));
    json_decref (list);
    char path [96];
    snprintf (path, sizeof path, "/api/channel/test/%s", uuid);
    //  Round trip 1: the instruction for the gateway.
    s_answer_t answer = s_call ("GET", path, NULL, NULL, admin, NULL, NULL);
    assert (answer.status == 200 && answer.probe && atoll (answer.probe) > 0);
    assert (streq (json_string_value (json_object_get (answer.body, "model")), "m1"));
    assert (s_int (answer.body, "max_tokens", NULL) == 1024);
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", path, "model=m2", NULL, admin, NULL, NULL);
    assert (streq (json_string_value (json_object_get (answer.body, "model")), "m2"));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", path, "model=zz", NULL, admin, NULL, NULL);
    assert (!answer.probe && streq (oa_api_answer_message (&answer),
                                    "test model \"zz\" is not supported by channel"));
    oa_api_answer_clear (&answer);
    //  Round trip 2: the gateway's outcome is recorded and answered.
    answer = s_call ("GET", path, NULL, "{\"model\":\"m1\",\"status\":200,\"ms\":1234,\"error\":"
                     "\"\",\"body\":\"{\\\"choices\\\":[{\\\"message\\\":{\\\"content\\\":"
                     "\\\"4\\\"}}]}\"}", admin, NULL, "result");
    assert (json_is_true (json_object_get (answer.body, "success")));
    assert (streq (oa_api_answer_message (&answer), "4"));
    assert (fabs (json_number_value (json_object_get (answer.body, "time")) - 1.234) < 1e-9);
    assert (streq (json_string_value (json_object_get (answer.body, "modelName")), "m1"));
    oa_api_answer_clear (&answer);
    snprintf (path, sizeof path, "/api/channel/%s", uuid);
    json_t *channel = s_ok ("GET", path, NULL, NULL, admin, NULL);
    assert (s_int (channel, "data", "response_time") == 1234);
    assert (s_int (channel, "data", "test_time") >= oa_clock_ms () / 1000 - 5);
    json_decref (channel);
    snprintf (path, sizeof path, "/api/channel/test/%s", uuid);
    answer = s_call ("GET", path, NULL, "{\"model\":\"m1\",\"status\":401,\"ms\":50,\"error\":\"\","
                     "\"body\":\"{\\\"error\\\":{\\\"message\\\":\\\"bad key\\\"}}\"}", admin,
                     NULL, "result");
    assert (json_is_false (json_object_get (answer.body, "success")));
    assert (streq (oa_api_answer_message (&answer),
                   "http status code: [401], error message: bad key"));
    assert (s_int (answer.body, "time", NULL) == 0);
    oa_api_answer_clear (&answer);
    //  A client cannot fake the outcome without the gateway's header: the
    //  same body without it is just another instruction.
    answer = s_call ("GET", path, NULL, "{\"status\":200}", admin, NULL, NULL);
    assert (answer.probe);
    oa_api_answer_clear (&answer);
    //  The sweep lists every channel with its test request (the matrix's
    //  sweep still holds the lock: released here by hand).
    int64_t *left;
    int64_t *until = oa_api_sweep_state (s_app, &left);
    *until = 0;
    answer = s_call ("GET", "/api/channel/test", NULL, NULL, admin, NULL, NULL);
    assert (answer.probe && streq (answer.probe, "all"));
    assert (json_array_size (json_object_get (answer.body, "channels")) >= 1);
    oa_api_answer_clear (&answer);
    s_fails ("GET", "/api/channel/test/999999", NULL, admin, NULL, "resource reference not found");
    //  A test log row (type 5) per outcome.
    json_t *logs = s_ok ("GET", "/api/log/", "type=5", NULL, admin, NULL);
    assert (s_int (logs, "total", NULL) == 2);
    json_decref (logs);
    free (uuid);
    *until = 0;
}

//  A channel named name with models and status; returns its id.
static int64_t
s_channel (const char *admin, const char *name, const char *models, int status)
{
    char *body = zsys_sprintf ("{\"name\":\"%s\",\"type\":1,\"key\":\"sk-up\",\"models\":"
                               "\"%s\",\"group\":\"default\"}", name, models);
    json_decref (s_ok ("POST", "/api/channel/", NULL, body, admin, NULL));
    zstr_free (&body);
    int64_t id = -1;
    oa_stmt_t *stmt = oa_store_prepare (s_store, "SELECT \"id\" FROM \"channels\" WHERE "
                                        "\"name\" = $1");
    assert (stmt);
    oa_stmt_bind_text (stmt, 1, name);
    if (oa_stmt_step (stmt) == 1)
        id = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    assert (id > 0);
    if (status != 1) {
        body = zsys_sprintf ("{\"id\":%" PRId64 ",\"status\":%d}", id, status);
        json_decref (s_ok ("PUT", "/api/channel/", "status_only=1", body, admin, NULL));
        zstr_free (&body);
    }
    if (!*models)               //  the API refuses no models: as an old row may be
        assert (oa_api_exec (s_app, "UPDATE \"channels\" SET \"models\" = '', \"testing_model\""
                             " = NULL WHERE \"name\" = 'sweep-none'", NULL, 0, NULL) == 1);
    return id;
}

static json_t *
s_channel_row (const char *admin, int64_t id)
{
    char path [64];
    snprintf (path, sizeof path, "/api/channel/%" PRId64, id);
    json_t *body = s_ok ("GET", path, NULL, NULL, admin, NULL);
    json_t *row = json_incref (json_object_get (body, "data"));
    json_decref (body);
    return row;
}

static int64_t
s_channel_int (const char *admin, int64_t id, const char *field)
{
    json_t *row = s_channel_row (admin, id);
    int64_t value = s_int (row, field, NULL);
    json_decref (row);
    return value;
}

//  The gateway's outcome of a sweep's test: an answer with content, or
//  an upstream status with an error message.
static void
s_sweep_report (const char *admin, int64_t id, int status, int64_t ms)
{
    char path [64];
    snprintf (path, sizeof path, "/api/channel/test/%" PRId64, id);
    char *body = status == 200
        ? zsys_sprintf ("{\"model\":\"m\",\"status\":200,\"ms\":%" PRId64 ",\"error\":\"\","
                        "\"body\":\"{\\\"choices\\\":[{\\\"message\\\":{\\\"content\\\":"
                        "\\\"4\\\"}}]}\",\"sweep\":true}", ms)
        : zsys_sprintf ("{\"model\":\"m\",\"status\":%d,\"ms\":%" PRId64 ",\"error\":\"\","
                        "\"body\":\"{\\\"error\\\":{\\\"message\\\":\\\"down\\\"}}\","
                        "\"sweep\":true}", status, ms);
    s_answer_t answer = s_call ("GET", path, NULL, body, admin, NULL, "result");
    assert (answer.status == 200);
    assert (json_is_boolean (json_object_get (answer.body, "success")));
    oa_api_answer_clear (&answer);
    zstr_free (&body);
}

//  Enabled abilities of a channel, or -1 on error.
static int64_t
s_enabled_abilities (int64_t channel_id)
{
    int64_t count = -1;
    oa_stmt_t *stmt = oa_store_prepare (s_store, "SELECT COUNT(*) FROM \"abilities\" WHERE "
                                        "\"channel_id\" = $1 AND \"enabled\" = $2");
    assert (stmt);
    oa_stmt_bind_int64 (stmt, 1, channel_id);
    oa_stmt_bind_bool (stmt, 2, true);
    if (oa_stmt_step (stmt) == 1)
        count = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    return count;
}

static void
s_option (const char *root, const char *key, const char *value)
{
    char *body = zsys_sprintf ("{\"key\":\"%s\",\"value\":\"%s\"}", key, value);
    json_decref (s_ok ("PUT", "/api/option/", NULL, body, root, NULL));
    zstr_free (&body);
}

//  GET /api/channel/test: one sweep at a time, the verdicts of one-api's
//  testChannels (threshold, auto disable, auto enable), the lease.
static void
s_test_sweep (const char *admin, const char *root)
{
    int64_t *left;
    int64_t *until = oa_api_sweep_state (s_app, &left);
    assert (*until == 0);
    assert (oa_api_exec (s_app, "DELETE FROM \"channels\"", NULL, 0, NULL) >= 0);
    int64_t fast = s_channel (admin, "sweep-fast", "m", 1);
    int64_t slow = s_channel (admin, "sweep-slow", "m", 1);
    int64_t down = s_channel (admin, "sweep-down", "m", 1);
    int64_t automatic = s_channel (admin, "sweep-auto", "m", 3);
    int64_t manual = s_channel (admin, "sweep-manual", "m", 2);
    int64_t none = s_channel (admin, "sweep-none", "", 1);
    s_option (root, "AutomaticDisableChannelEnabled", "true");
    s_option (root, "AutomaticEnableChannelEnabled", "true");
    s_option (root, "ChannelDisableThreshold", "1.5");

    //  scope=disabled: channels in status 2 or 3 only, newest first.
    s_answer_t answer = s_call ("GET", "/api/channel/test", "scope=disabled", NULL, admin, NULL,
                                NULL);
    assert (answer.probe && streq (answer.probe, "all"));
    json_t *list = json_object_get (answer.body, "channels");
    assert (json_array_size (list) == 2);
    assert (s_int (json_array_get (list, 0), "id", NULL) == manual);
    assert (s_int (json_array_get (list, 1), "id", NULL) == automatic);
    oa_api_answer_clear (&answer);
    s_fails ("GET", "/api/channel/test", NULL, admin, NULL, "Test is already running");
    *until = 0;

    //  All: the channel without a model fails at once (disabled), the
    //  others go to the gateway.
    answer = s_call ("GET", "/api/channel/test", NULL, NULL, admin, NULL, NULL);
    assert (answer.probe && streq (answer.probe, "all"));
    list = json_object_get (answer.body, "channels");
    assert (json_array_size (list) == 5);
    json_t *request = json_object_get (json_array_get (list, 0), "request");
    assert (streq (json_string_value (json_object_get (request, "model")), "m"));
    assert (s_int (request, "max_tokens", NULL) == 1024);
    assert (streq (json_string_value (json_object_get (json_array_get (json_object_get (
        request, "messages"), 0), "content")), "2 + 2 = ?"));
    oa_api_answer_clear (&answer);
    assert (s_channel_int (admin, none, "status") == 3);
    assert (*left == 5 && *until > oa_clock_mono_ms ());
    s_fails ("GET", "/api/channel/test", NULL, admin, NULL, "Test is already running");

    s_sweep_report (admin, fast, 200, 300);
    s_sweep_report (admin, slow, 200, 2500);
    s_sweep_report (admin, down, 500, 40);
    s_sweep_report (admin, automatic, 200, 100);
    assert (*left == 1 && *until > 0);
    s_sweep_report (admin, manual, 200, 100);
    assert (*left == 0 && *until == 0);   //  the last outcome frees the lock
    assert (s_channel_int (admin, fast, "status") == 1);
    assert (s_channel_int (admin, fast, "response_time") == 300);
    assert (s_channel_int (admin, slow, "status") == 3);        //  over 1.5 s
    assert (s_channel_int (admin, slow, "response_time") == 2500);
    assert (s_channel_int (admin, down, "status") == 3);
    assert (s_channel_int (admin, down, "response_time") == 40);  //  kept on failure
    assert (s_channel_int (admin, automatic, "status") == 1);
    assert (s_channel_int (admin, manual, "status") == 1);        //  as one-api does
    //  The abilities follow the status.
    assert (s_enabled_abilities (down) == 0);
    assert (s_enabled_abilities (fast) == 1);
    assert (s_enabled_abilities (automatic) == 1);

    //  Without the options, nothing changes status; a single test never does.
    s_option (root, "AutomaticDisableChannelEnabled", "false");
    s_option (root, "AutomaticEnableChannelEnabled", "false");
    answer = s_call ("GET", "/api/channel/test", NULL, NULL, admin, NULL, NULL);
    assert (answer.probe && *left == 5);
    oa_api_answer_clear (&answer);
    s_sweep_report (admin, fast, 500, 10);
    s_sweep_report (admin, slow, 200, 10);
    assert (s_channel_int (admin, fast, "status") == 1);
    assert (s_channel_int (admin, slow, "status") == 3);
    *until = 0;
    s_option (root, "AutomaticDisableChannelEnabled", "true");
    char path [64];
    snprintf (path, sizeof path, "/api/channel/test/%" PRId64, fast);
    answer = s_call ("GET", path, NULL, "{\"model\":\"m\",\"status\":500,\"ms\":10,"
                     "\"error\":\"boom\",\"body\":\"\"}", admin, NULL, "result");
    assert (json_is_false (json_object_get (answer.body, "success")));
    assert (streq (oa_api_answer_message (&answer), "boom"));
    oa_api_answer_clear (&answer);
    assert (s_channel_int (admin, fast, "status") == 1);
    //  Threshold 0: never too slow.
    s_option (root, "ChannelDisableThreshold", "0");
    answer = s_call ("GET", "/api/channel/test", NULL, NULL, admin, NULL, NULL);
    oa_api_answer_clear (&answer);
    s_sweep_report (admin, fast, 200, 999999);
    assert (s_channel_int (admin, fast, "status") == 1);
    *until = 0;
    s_option (root, "AutomaticDisableChannelEnabled", "false");
    s_option (root, "ChannelDisableThreshold", "5");
    //  A lease that ran out frees the lock without outcomes.
    answer = s_call ("GET", "/api/channel/test", NULL, NULL, admin, NULL, NULL);
    oa_api_answer_clear (&answer);
    *until = oa_clock_mono_ms () - 1;
    answer = s_call ("GET", "/api/channel/test", NULL, NULL, admin, NULL, NULL);
    assert (answer.probe);
    oa_api_answer_clear (&answer);
    *until = 0;
}

//  Pre-consumes 1 with timeout_seconds (0: none given); returns the hold's
//  length in seconds and cancels it.
static int64_t
s_hold_seconds (const char *key, int64_t timeout)
{
    char *body = timeout? zsys_sprintf ("{\"add_reason\":\"hold\",\"phase\":\"pre\","
                                        "\"add_used_quota\":1,\"timeout_seconds\":%" PRId64 "}",
                                        timeout)
                        : zsys_sprintf ("{\"add_reason\":\"hold\",\"phase\":\"pre\","
                                        "\"add_used_quota\":1}");
    json_t *answer = s_ok ("POST", "/api/token/consume", NULL, body, NULL, key);
    zstr_free (&body);
    json_t *transaction = json_object_get (answer, "transaction");
    int64_t seconds = s_int (transaction, "expires_at", NULL) - oa_clock_ms () / 1000;
    body = zsys_sprintf ("{\"add_reason\":\"hold\",\"phase\":\"cancel\",\"transaction_id\":"
                         "\"%s\"}", json_string_value (json_object_get (transaction,
                                                                         "transaction_id")));
    json_decref (answer);
    json_decref (s_ok ("POST", "/api/token/consume", NULL, body, NULL, key));
    zstr_free (&body);
    return seconds;
}

//  TEST_PROMPT, TEST_MAX_TOKENS, EXTERNAL_BILLING_DEFAULT_TIMEOUT,
//  EXTERNAL_BILLING_MAX_TIMEOUT and TOKEN_TRANSACTIONS_MAX_HISTORY, as
//  oa_config reads them from the environment.
static void
s_test_settings (oa_config_t *config, const char *admin, const char *key)
{
    int64_t seconds = s_hold_seconds (key, 0);
    assert (seconds >= 595 && seconds <= 605);                  //  default 600
    config->external_billing_default_timeout = 120;
    config->external_billing_max_timeout = 300;
    seconds = s_hold_seconds (key, 0);
    assert (seconds >= 115 && seconds <= 125);
    seconds = s_hold_seconds (key, 99999);
    assert (seconds >= 295 && seconds <= 305);
    seconds = s_hold_seconds (key, 200);
    assert (seconds >= 195 && seconds <= 205);

    json_t *body = s_ok ("GET", "/api/token/transactions", NULL, NULL, NULL, key);
    assert (s_int (body, "total", NULL) >= 3);
    json_decref (body);
    config->token_transactions_max_history = 2;
    body = s_ok ("GET", "/api/token/transactions", NULL, NULL, NULL, key);
    assert (s_int (body, "total", NULL) == 2);
    assert (json_array_size (json_object_get (body, "data")) == 2);
    json_decref (body);
    body = s_ok ("GET", "/api/token/transactions", "p=1&size=2", NULL, NULL, key);
    assert (json_array_size (json_object_get (body, "data")) == 0);
    json_decref (body);

    free (config->test_prompt);
    config->test_prompt = strdup ("ping?");
    config->test_max_tokens = 7;
    s_answer_t answer = s_call ("GET", "/api/channel/test", NULL, NULL, admin, NULL, NULL);
    assert (answer.probe);
    json_t *request = json_object_get (json_array_get (json_object_get (answer.body, "channels"),
                                                       0), "request");
    assert (s_int (request, "max_tokens", NULL) == 7);
    assert (streq (json_string_value (json_object_get (json_array_get (json_object_get (
        request, "messages"), 0), "content")), "ping?"));
    oa_api_answer_clear (&answer);
    int64_t *left;
    *oa_api_sweep_state (s_app, &left) = 0;
}

static void
s_test_log_purge (const char *admin)
{
    s_fails ("DELETE", "/api/log/", NULL, admin, NULL, "target timestamp is required");
    //  Everything before the next second goes, test logs included.
    json_t *body = s_ok ("DELETE", "/api/log/", "target_timestamp=9999999999", NULL, admin, NULL);
    assert (s_int (body, "data", NULL) >= 7);
    json_decref (body);
    body = s_ok ("GET", "/api/log/", NULL, NULL, admin, NULL);
    assert (s_int (body, "total", NULL) == 0);
    json_decref (body);
}

static void
s_test_on (bool pg, bool verbose)
{
    char *where = pg? oa_store_testdb_create (): oa_store_testdb_sqlite_path ();
    char err [256];
    s_store = oa_store_open (pg? where: NULL, pg? NULL: where, err, sizeof err);
    assert (s_store);
    assert (oa_schema_migrate (s_store, err, sizeof err) == 0);
    assert (oa_store_bootstrap (s_store, NULL, NULL, err, sizeof err) >= 0);
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    s_app = oa_api_app_new (s_store, config, NULL);
    char *root = s_login ("root", "123456");
    json_decref (s_ok ("POST", "/api/user/", NULL, "{\"username\":\"alice\",\"password\":"
                       "\"password-alice\"}", root, NULL));
    json_decref (s_ok ("POST", "/api/user/", NULL, "{\"username\":\"admin1\",\"password\":"
                       "\"password-admin1\"}", root, NULL));
    json_decref (s_ok ("POST", "/api/user/manage", NULL, "{\"username\":\"admin1\",\"action\":"
                       "\"promote\"}", root, NULL));
    char *alice = s_login ("alice", "password-alice");
    char *admin = s_login ("admin1", "password-admin1");
    json_t *self = s_ok ("GET", "/api/user/self", NULL, NULL, alice, NULL);
    char *topup = zsys_sprintf ("{\"user_uuid\":\"%s\",\"quota\":100000}",
                                json_string_value (json_object_get (json_object_get (self, "data"),
                                                                    "uuid")));
    json_decref (self);
    json_decref (s_ok ("POST", "/api/topup", NULL, topup, root, NULL));
    zstr_free (&topup);
    json_decref (s_ok ("POST", "/api/token/", NULL, "{\"name\":\"ext\",\"remain_quota\":1000,"
                       "\"expired_time\":-1}", alice, NULL));
    json_t *tokens = s_ok ("GET", "/api/token/search", "keyword=ext", NULL, alice, NULL);
    json_t *token = json_array_get (json_object_get (tokens, "data"), 0);
    char *key = zsys_sprintf ("Bearer %s", json_string_value (json_object_get (token, "key")));
    json_decref (tokens);

    s_test_matrix (alice, admin, root, key);
    s_test_key_errors (key);
    //  The matrix made two free calls (key column): start from a clean slate.
    assert (oa_api_exec (s_app, "DELETE FROM \"token_transactions\"", NULL, 0, NULL) >= 0);
    assert (oa_api_exec (s_app, "DELETE FROM \"logs\" WHERE \"type\" = 7", NULL, 0, NULL) >= 0);
    s_test_consume (alice, key);
    s_test_dashboard (alice, root);
    s_test_channel_probe (alice, admin);
    s_test_sweep (admin, root);
    s_test_settings (config, admin, key);
    s_test_log_purge (admin);
    if (verbose)
        printf (" relay routes (%s)", oa_store_driver_name (s_store));
    zstr_free (&key);
    free (root);
    free (alice);
    free (admin);
    oa_api_app_destroy (&s_app);
    oa_config_destroy (&config);
    oa_store_destroy (&s_store);
    if (pg)
        oa_store_testdb_drop (&where);
    else
        oa_store_testdb_sqlite_remove (&where);
}

void
oa_api_relay_test (bool verbose)
{
    s_test_on (false, verbose);
}

void
oa_api_relay_pg_test (bool verbose)
{
    s_test_on (true, verbose);
}
