/*  =========================================================================
    wk_convert_test - every client format against every upstream family,
    through the real worker, real libcurl and the real oa-mock

    oa_wk_matrix: chat, responses and claude clients x OpenAI Chat,
    Anthropic, Gemini and native Responses upstreams x stream or not x
    text or tool call: the reply parses in the client's format (streams
    pass oa_stream_check's strict grammar), the text or tool call arrives,
    RELAY_END and USAGE carry the mock's token counts.
    oa_wk_families: upstream errors (429, 400, mid-stream) in the client's
    format, retries across families, Gemini clients, model and version
    rules (sampling, reasoning_effort, max_tokens, anthropic headers).
    =========================================================================
*/
#include "oa_worker.h"

#include <inttypes.h>
#include "oa_ids.h"
#include "wk_testkit.h"
#include "../convert/oa_stream_conv.h"

//  The case under test, printed when a check fails
static char s_case [256];

//  assert, telling which case failed and what came back
#define S_CHECK(cond, r) do { if (!(cond)) { \
    fprintf (stderr, "\nFAILED %s: %s\n%s\n", s_case, #cond, (r)->data? (r)->data: ""); \
    if ((r)->last && oa_msg_payload ((r)->last)) \
        fprintf (stderr, "payload: %.*s\n", (int) zframe_size (oa_msg_payload ((r)->last)), \
                 (char *) zframe_data (oa_msg_payload ((r)->last))); \
    assert (cond); } } while (0)

//  Upstream families of the matrix: channel type, model, config.
typedef struct {
    const char *name;
    int type;
    const char *model;
    const char *config;
    const char *route;          //  mock stats route name
} s_family_t;

static const s_family_t s_families [] = {
    { "chat", 1, "gpt-4o-mini@chunks=3", "", "chat" },
    { "anthropic", 14, "claude-haiku-4-5@chunks=3", "", "anthropic_messages" },
    { "gemini", 24, "gemini-2.5-flash@chunks=3", "", "gemini_generate" },
    { "responses", 50, "gpt-4o-mini@chunks=3", "{\"api_format\":\"response\"}", "responses" },
};

#define S_TOOL_SCHEMA "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}," \
                      "\"required\":[\"city\"]}"

//  A request body in a client's format; fresh.
static char *
s_body (oa_api_format_t client, const char *model, bool stream, bool tools)
{
    const char *s = stream? "true": "false";
    if (client == OA_API_FORMAT_RESPONSES)
        return zsys_sprintf ("{\"model\":\"%s\",\"stream\":%s,\"instructions\":\"be terse\","
            "\"input\":[{\"role\":\"user\",\"content\":\"Hello there world\"}]%s}", model, s,
            tools? ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\","
                   "\"description\":\"w\",\"parameters\":" S_TOOL_SCHEMA "}]": "");
    if (client == OA_API_FORMAT_CLAUDE)
        return zsys_sprintf ("{\"model\":\"%s\",\"stream\":%s,\"max_tokens\":100,"
            "\"system\":\"be terse\",\"messages\":[{\"role\":\"user\","
            "\"content\":\"Hello there world\"}]%s}", model, s,
            tools? ",\"tools\":[{\"name\":\"get_weather\",\"description\":\"w\","
                   "\"input_schema\":" S_TOOL_SCHEMA "}]": "");
    return zsys_sprintf ("{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"system\","
        "\"content\":\"be terse\"},{\"role\":\"user\",\"content\":\"Hello there world\"}]%s}",
        model, s, tools? ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                         "\"get_weather\",\"description\":\"w\",\"parameters\":"
                         S_TOOL_SCHEMA "}}]": "");
}

//  A RELAY_REQUEST from a client of this format.
static oa_msg_t *
s_request (uint64_t corr, oa_api_format_t client, const char *body, bool stream)
{
    const char *path = client == OA_API_FORMAT_RESPONSES? "/v1/responses"
                     : client == OA_API_FORMAT_CLAUDE? "/v1/messages": "/v1/chat/completions";
    oa_msg_t *request = wk_test_request (corr, path, body, stream, false);
    oa_msg_set_client_format (request, (uint8_t) client);
    return request;
}

static const char *
s_format_name (oa_api_format_t format)
{
    return format == OA_API_FORMAT_RESPONSES? "responses"
         : format == OA_API_FORMAT_CLAUDE? "claude"
         : format == OA_API_FORMAT_GEMINI? "gemini": "chat";
}

//  Checks a non-stream reply is the client's shape, with the text or the call.
static void
s_check_json (oa_api_format_t client, const char *data, bool tools)
{
    json_t *root = json_loads (data, 0, NULL);
    assert (json_is_object (root));
    json_t *call = NULL;
    const char *text = NULL;
    if (client == OA_API_FORMAT_CHAT) {
        assert (streq (json_string_value (json_object_get (root, "object")), "chat.completion"));
        json_t *message = json_object_get (json_array_get (json_object_get (root, "choices"), 0),
                                           "message");
        text = json_string_value (json_object_get (message, "content"));
        json_t *fn = json_object_get (json_array_get (json_object_get (message, "tool_calls"), 0),
                                      "function");
        if (fn) {
            call = json_loads (json_string_value (json_object_get (fn, "arguments")), 0, NULL);
            assert (streq (json_string_value (json_object_get (fn, "name")), "get_weather"));
        }
    }
    else
    if (client == OA_API_FORMAT_RESPONSES) {
        assert (streq (json_string_value (json_object_get (root, "object")), "response"));
        assert (streq (json_string_value (json_object_get (root, "status")), "completed"));
        size_t index;
        json_t *item;
        json_array_foreach (json_object_get (root, "output"), index, item) {
            const char *type = json_string_value (json_object_get (item, "type"));
            if (type && streq (type, "message"))
                text = json_string_value (json_object_get (
                    json_array_get (json_object_get (item, "content"), 0), "text"));
            if (type && streq (type, "function_call")) {
                assert (streq (json_string_value (json_object_get (item, "name")), "get_weather"));
                assert (json_string_value (json_object_get (item, "call_id")));
                call = json_loads (json_string_value (json_object_get (item, "arguments")), 0,
                                   NULL);
            }
        }
    }
    else {
        assert (streq (json_string_value (json_object_get (root, "type")), "message"));
        size_t index;
        json_t *block;
        json_array_foreach (json_object_get (root, "content"), index, block) {
            const char *type = json_string_value (json_object_get (block, "type"));
            if (type && streq (type, "text"))
                text = json_string_value (json_object_get (block, "text"));
            if (type && streq (type, "tool_use")) {
                assert (streq (json_string_value (json_object_get (block, "name")),
                               "get_weather"));
                call = json_incref (json_object_get (block, "input"));
            }
        }
        const char *stop = json_string_value (json_object_get (root, "stop_reason"));
        assert (stop && streq (stop, tools? "tool_use": "end_turn"));
    }
    if (tools) {
        assert (json_is_object (call));
        assert (streq (json_string_value (json_object_get (call, "city")), "Paris"));
    }
    else
        assert (text && strncmp (text, "The quick", 9) == 0);
    json_decref (call);
    json_decref (root);
}


void
oa_wk_matrix_test (bool verbose)
{
    if (verbose)
        printf (" * oa_wk_matrix: ");
    wk_bench_t b;
    wk_bench_start (&b);
    const oa_api_format_t clients [] = { OA_API_FORMAT_CHAT, OA_API_FORMAT_RESPONSES,
                                         OA_API_FORMAT_CLAUDE };
    uint64_t corr = 0;
    for (size_t c = 0; c < 3; c++)
    for (size_t f = 0; f < sizeof s_families / sizeof s_families [0]; f++)
    for (int stream = 0; stream < 2; stream++)
    for (int tools = 0; tools < 2; tools++) {
        oa_api_format_t client = clients [c];
        const s_family_t *family = &s_families [f];
        char *body = s_body (client, "client-model", stream, tools);
        oa_msg_t *request = s_request (++corr, client, body, stream);
        zstr_free (&body);
        wk_test_candidate (request, 100 + f, family->type, b.mock.base, family->model, 0);
        oa_msg_candidate_set_config_json (oa_msg_candidates_at (request, 0), family->config);
        wk_reply_t r;
        snprintf (s_case, sizeof s_case, "%s <- %s stream=%d tools=%d", s_format_name (client),
                  family->name, stream, tools);
        wk_bench_exchange (&b, &request, &r, 5000);
        S_CHECK (oa_msg_id (r.last) == OA_MSG_RELAY_END && oa_msg_status (r.last) == 200, &r);
        assert (r.head_status == 200 && r.data);
        if (stream) {
            assert (streq (r.content_type, "text/event-stream"));
            char err [OA_CONV_ERR_SIZE] = "";
            if (oa_stream_check (client, r.data, r.size, true, err) != 0) {
                fprintf (stderr, "\n%s <- %s stream tools=%d: %s\n%s\n", s_format_name (client),
                        family->name, tools, err, r.data);
                assert (false);
            }
            //  Arguments arrive split; strict checking above proved they reassemble
            if (!strstr (r.data, tools? "get_weather": " quick")) {
                fprintf (stderr, "\n%s <- %s stream tools=%d: missing content\n%s\n",
                        s_format_name (client), family->name, tools, r.data);
                assert (false);
            }
        }
        else {
            assert (strstr (r.content_type, "application/json"));
            s_check_json (client, r.data, tools);
        }
        //  Converted replies carry ids made from the request id
        bool same = (client == OA_API_FORMAT_CHAT && f == 0)
                 || (client == OA_API_FORMAT_CLAUDE && f == 1)
                 || (client == OA_API_FORMAT_RESPONSES && f == 3);
        if (!same)
            assert (strstr (r.data, "2026010100000000"));
        S_CHECK (oa_msg_prompt_tokens (r.last) == 11 && oa_msg_completion_tokens (r.last) == 3,
                 &r);
        wk_bench_usage (&b, corr, 2000);
        assert (b.usage_total == corr);
        assert (oa_msg_prompt_tokens (b.last_usage) == 11);
        assert (oa_msg_completion_tokens (b.last_usage) == 3);
        assert (oa_msg_status (b.last_usage) == 200);
        wk_reply_clear (&r);
    }
    //  What the upstreams saw: Anthropic headers and max_tokens, Gemini's URL
    char *version = wk_bench_mock_last (&b, "anthropic_messages", "anthropic-version");
    char *key = wk_bench_mock_last (&b, "anthropic_messages", "x-api-key");
    assert (version && streq (version, "2023-06-01") && key && streq (key, "sk-test"));
    zstr_free (&version);
    zstr_free (&key);
    char *target = wk_bench_mock_last (&b, "gemini_stream", "target");
    assert (target && streq (target, "/v1beta/models/gemini-2.5-flash@chunks=3"
                                     ":streamGenerateContent?alt=sse"));
    zstr_free (&target);
    key = wk_bench_mock_last (&b, "gemini_stream", "x-goog-api-key");
    assert (key && streq (key, "sk-test"));
    zstr_free (&key);
    if (verbose)
        printf ("%" PRIu64 " exchanges; ", corr);
    wk_bench_stop (&b);
    if (verbose)
        printf ("OK\n");
}


//  The error object of a client-format error body: checks the shape.
static void
s_check_error (oa_api_format_t client, const char *text, const char *claude_type)
{
    json_t *root = json_loads (text? text: "", 0, NULL);
    assert (json_is_object (root));
    json_t *error = json_object_get (root, "error");
    assert (json_is_object (error));
    assert (json_string_value (json_object_get (error, "message")));
    if (client == OA_API_FORMAT_CLAUDE) {
        assert (streq (json_string_value (json_object_get (root, "type")), "error"));
        assert (streq (json_string_value (json_object_get (error, "type")), claude_type));
    }
    else
    if (client == OA_API_FORMAT_GEMINI)
        assert (json_is_integer (json_object_get (error, "code")));
    else
        assert (json_string_value (json_object_get (error, "type")));
    json_decref (root);
}

//  The payload of a RELAY_ERROR, fresh.
static char *
s_payload (wk_reply_t *r)
{
    zframe_t *payload = oa_msg_payload (r->last);
    return payload? zframe_strdup (payload): NULL;
}


void
oa_wk_families_test (bool verbose)
{
    if (verbose)
        printf (" * oa_wk_families: ");
    wk_bench_t b;
    wk_bench_start (&b);
    const oa_api_format_t clients [] = { OA_API_FORMAT_CHAT, OA_API_FORMAT_RESPONSES,
                                         OA_API_FORMAT_CLAUDE };
    uint64_t corr = 0;
    wk_reply_t r;

    //  Upstream 429 and 400 from every family reach every client in its own shape
    for (size_t c = 0; c < 3; c++)
    for (size_t f = 0; f < sizeof s_families / sizeof s_families [0]; f++)
    for (int status = 0; status < 2; status++)
    for (int stream = 0; stream < 2; stream++) {
        oa_api_format_t client = clients [c];
        char *body = s_body (client, "client-model", stream, false);
        oa_msg_t *request = s_request (++corr, client, body, stream);
        zstr_free (&body);
        char model [128];
        snprintf (model, sizeof model, "%s,status=%d", s_families [f].model,
                  status? 400: 429);
        wk_test_candidate (request, 200 + f, s_families [f].type, b.mock.base, model, 0);
        oa_msg_candidate_set_config_json (oa_msg_candidates_at (request, 0),
                                          s_families [f].config);
        wk_bench_exchange (&b, &request, &r, 5000);
        assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && r.head_status == 0);
        assert (oa_msg_status (r.last) == (status? 400: 429));
        assert (!oa_msg_bytes_sent (r.last));
        char *text = s_payload (&r);
        s_check_error (client, text, status? "invalid_request_error": "rate_limit_error");
        zstr_free (&text);
        wk_reply_clear (&r);
    }

    //  Mid-stream upstream errors become the client format's error event
    for (size_t c = 0; c < 3; c++)
    for (size_t f = 0; f < sizeof s_families / sizeof s_families [0]; f++) {
        oa_api_format_t client = clients [c];
        char *body = s_body (client, "client-model", true, false);
        oa_msg_t *request = s_request (++corr, client, body, true);
        zstr_free (&body);
        char model [128];
        snprintf (model, sizeof model, "%s,error_after=1", s_families [f].model);
        wk_test_candidate (request, 300 + f, s_families [f].type, b.mock.base, model, 0);
        oa_msg_candidate_set_config_json (oa_msg_candidates_at (request, 0),
                                          s_families [f].config);
        wk_bench_exchange (&b, &request, &r, 5000);
        assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && oa_msg_bytes_sent (r.last));
        assert (r.head_status == 200 && r.data && strstr (r.data, "error"));
        if (client == OA_API_FORMAT_CLAUDE)
            assert (strstr (r.data, "event: error\n"));
        if (client == OA_API_FORMAT_RESPONSES)
            assert (strstr (r.data, "event: response.failed\n") || strstr (r.data, "event: error\n"));
        wk_reply_clear (&r);
    }

    //  Retries cross families: each attempt converts for its own upstream
    char *body = s_body (OA_API_FORMAT_CHAT, "client-model", true, false);
    oa_msg_t *request = s_request (++corr, OA_API_FORMAT_CHAT, body, true);
    zstr_free (&body);
    wk_test_candidate (request, 401, 14, b.mock.base, "claude-haiku-4-5@status=429", 10);
    wk_test_candidate (request, 402, 24, b.mock.base, "gemini-2.5-flash@chunks=4", 5);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END && oa_msg_channel_id (r.last) == 402);
    assert (oa_msg_attempts (r.last) == 2 && oa_msg_completion_tokens (r.last) == 4);
    assert (streq ((char *) zlist_first (oa_msg_failures (r.last)), "401 429"));
    char err [OA_CONV_ERR_SIZE];
    assert (oa_stream_check (OA_API_FORMAT_CHAT, r.data, r.size, true, err) == 0);
    wk_reply_clear (&r);
    body = s_body (OA_API_FORMAT_CLAUDE, "client-model", false, true);
    request = s_request (++corr, OA_API_FORMAT_CLAUDE, body, false);
    zstr_free (&body);
    wk_test_candidate (request, 403, 1, b.mock.base, "gpt-4o-mini@status=503", 10);
    wk_test_candidate (request, 404, 50, b.mock.base, "gpt-4o-mini@chunks=2", 5);
    oa_msg_candidate_set_config_json (oa_msg_candidates_at (request, 1),
                                      "{\"api_format\":\"response\"}");
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END && oa_msg_channel_id (r.last) == 404);
    s_check_json (OA_API_FORMAT_CLAUDE, r.data, true);
    wk_reply_clear (&r);

    //  A channel that cannot serve the format is skipped (Gemini client, Claude channel)
    request = wk_test_request (++corr, "/v1beta/models/gemini-2.5-flash:generateContent",
                               "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                               "\"Hello there world\"}]}]}", false, false);
    oa_msg_set_client_format (request, OA_MSG_FORMAT_GEMINI);
    wk_test_candidate (request, 501, 14, b.mock.base, "claude-haiku-4-5", 0);
    wk_test_candidate (request, 502, 24, b.mock.base, "", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END && oa_msg_channel_id (r.last) == 502);
    assert (!oa_msg_failures (r.last) || zlist_size (oa_msg_failures (r.last)) == 0);
    assert (strstr (r.data, "\"candidates\"") && strstr (r.data, "The quick brown"));
    assert (oa_msg_prompt_tokens (r.last) == 6 && oa_msg_completion_tokens (r.last) == 5);
    char *target = wk_bench_mock_last (&b, "gemini_generate", "target");
    assert (target && streq (target, "/v1beta/models/gemini-2.5-flash:generateContent"));
    zstr_free (&target);
    wk_reply_clear (&r);
    //  Gemini client stream: Gemini's own grammar, and errors in Google's shape
    request = wk_test_request (++corr, "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
                               "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                               "\"Hi\"}]}]}", true, false);
    oa_msg_set_client_format (request, OA_MSG_FORMAT_GEMINI);
    wk_test_candidate (request, 503, 24, b.mock.base, "gemini-2.5-pro@chunks=3", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    assert (oa_stream_check (OA_API_FORMAT_GEMINI, r.data, r.size, true, err) == 0);
    assert (oa_msg_completion_tokens (r.last) == 3);
    wk_reply_clear (&r);
    request = wk_test_request (++corr, "/v1beta/models/gemini-2.5-flash:generateContent",
                               "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                               "\"Hi\"}]}]}", false, false);
    oa_msg_set_client_format (request, OA_MSG_FORMAT_GEMINI);
    wk_test_candidate (request, 504, 24, b.mock.base, "gemini-2.5-pro@status=429", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_ERROR && oa_msg_status (r.last) == 429);
    char *text = s_payload (&r);
    s_check_error (OA_API_FORMAT_GEMINI, text, NULL);
    zstr_free (&text);
    wk_reply_clear (&r);

    //  Anthropic 2026-10-21 rejects sampling: the worker drops it; the
    //  client's version and beta flags go upstream
    request = s_request (++corr, OA_API_FORMAT_CLAUDE,
                         "{\"model\":\"m\",\"max_tokens\":50,\"temperature\":0.3,\"top_k\":4,"
                         "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", false);
    oa_msg_headers_insert (request, "anthropic-version", "2026-10-21");
    oa_msg_headers_insert (request, "anthropic-beta", "prompt-caching-2024-07-31");
    wk_test_candidate (request, 601, 52, b.mock.base, "claude-sonnet-4-5@chunks=2", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    char *sent = wk_bench_mock_last (&b, "anthropic_messages", "body");
    assert (sent && !strstr (sent, "temperature") && !strstr (sent, "top_k"));
    assert (strstr (sent, "\"model\":\"claude-sonnet-4-5@chunks=2\""));
    zstr_free (&sent);
    char *beta = wk_bench_mock_last (&b, "anthropic_messages", "anthropic-beta");
    assert (beta && streq (beta, "prompt-caching-2024-07-31"));
    zstr_free (&beta);
    wk_reply_clear (&r);
    //  A Chat client's request to Anthropic gets a max_tokens (Claude requires one)
    request = s_request (++corr, OA_API_FORMAT_CHAT,
                         "{\"model\":\"m\",\"temperature\":0.3,\"messages\":[{\"role\":\"user\","
                         "\"content\":\"Hi\"}]}", false);
    wk_test_candidate (request, 602, 14, b.mock.base, "claude-haiku-4-5@chunks=2", 0);
    oa_msg_candidate_set_model_configs_json (oa_msg_candidates_at (request, 0),
                                             "{\"max_tokens\":777}");
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    sent = wk_bench_mock_last (&b, "anthropic_messages", "body");
    assert (sent && strstr (sent, "\"max_tokens\":777") && strstr (sent, "\"temperature\":0.3"));
    zstr_free (&sent);
    wk_reply_clear (&r);

    //  Reasoning models lose temperature/top_p; plain ones lose reasoning_effort
    request = s_request (++corr, OA_API_FORMAT_CHAT,
                         "{\"model\":\"o3-mini@chunks=2\",\"temperature\":0.3,\"top_p\":0.5,"
                         "\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\","
                         "\"content\":\"Hi\"}]}", false);
    wk_test_candidate (request, 701, 1, b.mock.base, "", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    sent = wk_bench_mock_last (&b, "chat", "body");
    assert (sent && !strstr (sent, "temperature") && !strstr (sent, "top_p")
            && strstr (sent, "reasoning_effort"));
    zstr_free (&sent);
    wk_reply_clear (&r);
    request = s_request (++corr, OA_API_FORMAT_CLAUDE,
                         "{\"model\":\"m\",\"max_tokens\":64,\"temperature\":0.3,"
                         "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
                         "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", false);
    wk_test_candidate (request, 702, 1, b.mock.base, "gpt-4.1-mini@chunks=2", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    sent = wk_bench_mock_last (&b, "chat", "body");
    assert (sent && !strstr (sent, "reasoning") && strstr (sent, "temperature"));
    zstr_free (&sent);
    s_check_json (OA_API_FORMAT_CLAUDE, r.data, false);
    wk_reply_clear (&r);

    //  gpt-5 by any prefix on Chat: max_completion_tokens, no sampling
    request = s_request (++corr, OA_API_FORMAT_CHAT,
                         "{\"model\":\"azure-gpt-5-nano\",\"max_tokens\":50,\"temperature\":0.3,"
                         "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", false);
    wk_test_candidate (request, 703, 3, b.mock.base, "azure-gpt-5-nano@chunks=2", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    sent = wk_bench_mock_last (&b, "azure_chat", "body");
    assert (sent && strstr (sent, "\"max_completion_tokens\":50") && !strstr (sent, "max_tokens")
            && !strstr (sent, "temperature"));
    zstr_free (&sent);
    wk_reply_clear (&r);
    //  DeepSeek: json_schema goes as one forced function whose arguments
    //  come back as the answer text, stream and non-stream
    for (int stream = 0; stream < 2; stream++) {
        request = s_request (++corr, OA_API_FORMAT_CHAT, stream
            ? "{\"model\":\"deepseek-chat@chunks=2\",\"stream\":true,\"response_format\":{\"type\":"
              "\"json_schema\",\"json_schema\":{\"name\":\"t\",\"schema\":{\"type\":"
              "\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}},"
              "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
            : "{\"model\":\"deepseek-chat@chunks=2\",\"response_format\":{\"type\":"
              "\"json_schema\",\"json_schema\":{\"name\":\"t\",\"schema\":{\"type\":"
              "\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}},"
              "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            stream);
        wk_test_candidate (request, 704, 36, b.mock.base, "", 0);
        wk_bench_exchange (&b, &request, &r, 5000);
        assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
        sent = wk_bench_mock_last (&b, "chat", "body");
        assert (sent && !strstr (sent, "response_format")
                && strstr (sent, "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"t\"}}"));
        zstr_free (&sent);
        assert (r.data && !strstr (r.data, "tool_calls") && strstr (r.data, "\\\"a\\\""));
        if (stream)
            assert (oa_stream_check (OA_API_FORMAT_CHAT, r.data, r.size, true, err) == 0);
        else
            assert (strstr (r.data, "\"finish_reason\":\"stop\""));
        wk_reply_clear (&r);
    }
    //  ... and with tools of its own, json_object with the schema in a system message
    request = s_request (++corr, OA_API_FORMAT_CHAT,
                         "{\"model\":\"deepseek-chat@chunks=2\",\"response_format\":{\"type\":"
                         "\"json_schema\",\"json_schema\":{\"name\":\"t\",\"schema\":{\"type\":"
                         "\"object\"}}},\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                         "\"f\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                         false);
    wk_test_candidate (request, 704, 36, b.mock.base, "", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    sent = wk_bench_mock_last (&b, "chat", "body");
    assert (sent && strstr (sent, "\"response_format\":{\"type\":\"json_object\"}")
            && strstr (sent, "\"role\":\"system\"") && !strstr (sent, "json_schema"));
    zstr_free (&sent);
    wk_reply_clear (&r);
    //  The channel's system prompt replaces the client's, natively and converted
    request = s_request (++corr, OA_API_FORMAT_CHAT,
                         "{\"model\":\"gpt-4o-mini@chunks=2\",\"messages\":[{\"role\":\"system\","
                         "\"content\":\"mine\"},{\"role\":\"user\",\"content\":\"Hi\"}]}", false);
    wk_test_candidate (request, 706, 1, b.mock.base, "", 0);
    oa_msg_candidate_set_system_prompt (oa_msg_candidates_at (request, 0), "forced");
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    sent = wk_bench_mock_last (&b, "chat", "body");
    assert (sent && strstr (sent, "\"content\":\"forced\"") && !strstr (sent, "mine"));
    zstr_free (&sent);
    wk_reply_clear (&r);
    request = s_request (++corr, OA_API_FORMAT_CHAT,
                         "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                         false);
    wk_test_candidate (request, 707, 14, b.mock.base, "claude-haiku-4-5@chunks=2", 0);
    oa_msg_candidate_set_system_prompt (oa_msg_candidates_at (request, 0), "forced");
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    sent = wk_bench_mock_last (&b, "anthropic_messages", "body");
    assert (sent && strstr (sent, "\"system\":\"forced\""));
    zstr_free (&sent);
    wk_reply_clear (&r);
    //  Usage on the upstream's finish chunk: a client that asked for usage
    //  still reads one choices:[] usage chunk, just before [DONE]
    request = wk_test_request (++corr, "/v1/chat/completions",
                               "{\"model\":\"gpt-4o-mini@usage=finish\",\"stream\":true,"
                               "\"stream_options\":{\"include_usage\":true},\"messages\":"
                               "[{\"role\":\"user\",\"content\":\"hi\"}]}", true, true);
    wk_test_candidate (request, 705, 1, b.mock.base, "", 0);
    wk_bench_exchange (&b, &request, &r, 5000);
    assert (oa_msg_id (r.last) == OA_MSG_RELAY_END);
    char *tail = strstr (r.data, "\"choices\":[]");
    assert (tail && !strstr (tail + 1, "\"choices\":[]"));
    assert (strstr (tail, "\"usage\":{") && strstr (tail, "data: [DONE]"));
    assert (strstr (r.data, "\"usage\":{") > tail);         //  none on the finish chunk
    assert (oa_msg_prompt_tokens (r.last) > 0);
    wk_reply_clear (&r);

    wk_bench_usage (&b, corr, 3000);
    assert (b.usage_total == corr);
    if (verbose)
        printf ("%" PRIu64 " exchanges; ", corr);
    wk_bench_stop (&b);
    if (verbose)
        printf ("OK\n");
}
