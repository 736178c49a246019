/*  =========================================================================
    oa_conv_test - table-driven selftest of the non-stream converters

    Runs every case in the .json files of workers/convert/testdata.  A file holds an
    array of cases:
      {"name", "kind": "request",  "from", "to", "options"?, "input", "expect"}
      {"name", "kind": "response", "from", "to", "options"?, "request"?,
               "input", "expect", "expect_usage"}
      {"name", "kind": "error", "from", "to", "status", "input", "expect"}
      {"name", "kind": "usage", "from", "input": [usage, ...], "expect"}
    "request" in a response case is converted first, as the worker does, so
    the session knows tool-name rewrites and structured-output emulation.
    A failed conversion is compared as {"error": "<message>"}.
    =========================================================================
*/
#include <assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_private.h"
#include "oa_conv_testlib.h"
#include "oa_stream_conv.h"

//  Runs one case; returns its actual result (fresh).
static json_t *
s_run (json_t *test)
{
    const char *kind = oa_cv_str (test, "kind");
    json_t *input = json_object_get (test, "input");
    char err [OA_CONV_ERR_SIZE] = "";
    assert (kind);
    if (!strcmp (kind, "usage")) {
        oa_conv_usage_t usage = { 0, 0, 0, 0, 0, 0 };
        oa_api_format_t format = oa_cvt_format (oa_cv_str (test, "from"));
        size_t index;
        json_t *item;
        json_array_foreach (input, index, item)
            oa_conv_usage_parse (&usage, format, item);
        json_t *actual = json_pack ("{s:o}", "usage", oa_cvt_usage_json (&usage));
        json_object_set_new (actual, "chat", oa_conv_usage_json (&usage, OA_API_FORMAT_CHAT));
        json_object_set_new (actual, "responses", oa_conv_usage_json (&usage, OA_API_FORMAT_RESPONSES));
        json_object_set_new (actual, "claude", oa_conv_usage_json (&usage, OA_API_FORMAT_CLAUDE));
        json_object_set_new (actual, "gemini", oa_conv_usage_json (&usage, OA_API_FORMAT_GEMINI));
        return actual;
    }
    oa_api_format_t from = oa_cvt_format (oa_cv_str (test, "from"));
    oa_api_format_t to = oa_cvt_format (oa_cv_str (test, "to"));
    if (!strcmp (kind, "error")) {
        int64_t status = 0;
        oa_cv_int (test, "status", &status);
        char *body = json_is_string (input)? strdup (json_string_value (input)): oa_cv_dump (input);
        int client_status = 0;
        json_t *out = oa_conv_error (from, (int) status, body, strlen (body), to, &client_status);
        free (body);
        return json_pack ("{s:i,s:o}", "status", client_status, "body", out);
    }
    oa_conv_t *conv = oa_cvt_session (json_object_get (test, "options"));
    json_t *actual = NULL;
    if (!strcmp (kind, "request")) {
        json_t *out = oa_conv_request (conv, from, to, input, err);
        actual = out? out: json_pack ("{s:s}", "error", err);
    }
    else {
        assert (!strcmp (kind, "response"));
        json_t *request = oa_cv_obj (test, "request");
        if (request) {
            json_t *out = oa_conv_request (conv, oa_cvt_format (oa_cv_str (request, "from")),
                                           oa_cvt_format (oa_cv_str (request, "to")),
                                           json_object_get (request, "input"), err);
            assert (out);
            json_decref (out);
        }
        oa_conv_usage_t usage;
        json_t *out = oa_conv_response (conv, from, to, input, &usage, err);
        actual = json_pack ("{s:o,s:o}", "body", out? out: json_pack ("{s:s}", "error", err),
                            "usage", oa_cvt_usage_json (&usage));
    }
    oa_conv_destroy (&conv);
    return actual;
}


static int
s_run_file (const char *file, bool verbose)
{
    char *path = oa_cvt_path (file);
    json_error_t error;
    json_t *tests = json_load_file (path, 0, &error);
    if (!json_is_array (tests)) {
        fprintf (stderr, "%s:%d: %s\n", path, error.line, error.text);
        assert (false);
    }
    bool regen = oa_cvt_regen ();
    int failures = 0;
    size_t index;
    json_t *test;
    json_array_foreach (tests, index, test) {
        const char *name = oa_cv_str (test, "name");
        json_t *actual = s_run (test);
        assert (actual);
        if (regen)
            json_object_set (test, "expect", actual);
        else
        if (!json_equal (actual, json_object_get (test, "expect"))) {
            oa_cvt_mismatch (name? name: "?", json_object_get (test, "expect"), actual);
            failures++;
        }
        else
        if (verbose)
            printf ("   %s: %s OK\n", file, name? name: "?");
        json_decref (actual);
    }
    if (regen)
        assert (json_dump_file (tests, path, JSON_INDENT (2) | JSON_REAL_PRECISION (15)) == 0);
    json_decref (tests);
    free (path);
    return failures;
}


//  Direct checks of helpers the vectors only touch indirectly.
static void
s_unit (void)
{
    //  Tool names: safe ones unchanged, others rewritten and restorable
    oa_conv_t *conv = oa_conv_new ("r");
    assert (oa_cv_safe_tool_name (conv, "get_weather") != NULL);
    assert (!strcmp (oa_cv_safe_tool_name (conv, "get_weather"), "get_weather"));
    const char *safe = oa_cv_safe_tool_name (conv, "mcp.server/tool name");
    assert (safe && strlen (safe) <= 64 && strcmp (safe, "mcp.server/tool name"));
    for (const char *c = safe; *c; c++)
        assert ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
             || *c == '_' || *c == '-');
    assert (!strcmp (oa_conv_tool_name (conv, safe), "mcp.server/tool name"));
    assert (!strcmp (oa_cv_safe_tool_name (conv, "mcp.server/tool name"), safe));
    const char *other = oa_cv_safe_tool_name (conv, "mcp.server/tool_name");
    assert (strcmp (other, safe));
    char long_name [200];
    memset (long_name, 'x', sizeof (long_name) - 1);
    long_name [sizeof (long_name) - 1] = 0;
    assert (strlen (oa_cv_safe_tool_name (conv, long_name)) <= 64);
    assert (!strcmp (oa_cv_safe_tool_name (conv, "9lives"), oa_cv_safe_tool_name (conv, "9lives")));
    assert (oa_cv_safe_tool_name (conv, "9lives") [0] == '_');
    assert (!strcmp (oa_conv_tool_name (conv, "unknown"), "unknown"));
    assert (!strcmp (oa_conv_request_id (conv), "r"));
    oa_conv_destroy (&conv);
    assert (conv == NULL);
    oa_conv_destroy (&conv);

    //  Ids made from the request id stay in [A-Za-z0-9_-]
    conv = oa_conv_new ("a.b/c d");
    char *id = oa_cv_make_id (conv, "toolu_", 3);
    assert (!strcmp (id, "toolu_a_b_c_d_3"));
    free (id);
    oa_conv_destroy (&conv);

    //  Effort <-> budget is the identity on low/medium/high
    const char *efforts [] = { "low", "medium", "high" };
    for (size_t i = 0; i < 3; i++)
        assert (!strcmp (oa_cv_budget_effort (oa_cv_effort_budget (efforts [i])), efforts [i]));
    assert (oa_cv_budget_effort (0) == NULL);

    //  Data URLs
    char *mime = NULL;
    const char *data = NULL;
    assert (oa_cv_data_url ("data:image/png;base64,AAAA", &mime, &data));
    assert (!strcmp (mime, "image/png") && !strcmp (data, "AAAA"));
    free (mime);
    assert (!oa_cv_data_url ("data:text/plain,hello", &mime, &data));
    assert (!oa_cv_data_url ("https://x/y.png", &mime, &data));
    assert (!strcmp (oa_cv_url_mime ("https://x/y.PNG?z=1"), "image/png"));

    //  Gateway-made errors in each client shape
    json_t *error = oa_conv_error_new (OA_API_FORMAT_CLAUDE, 429, NULL, "slow down");
    assert (oa_cv_is (oa_cv_obj (error, "error"), "type", "rate_limit_error"));
    json_decref (error);
    error = oa_conv_error_new (OA_API_FORMAT_GEMINI, 503, NULL, NULL);
    assert (oa_cv_is (oa_cv_obj (error, "error"), "status", "UNAVAILABLE"));
    json_decref (error);
    int status = 0;
    error = oa_conv_error (OA_API_FORMAT_CHAT, 502, "\xff\xfe<html>bad gateway", 19,
                           OA_API_FORMAT_CHAT, &status);
    assert (status == 502 && oa_cv_str (oa_cv_obj (error, "error"), "message"));
    json_decref (error);

    //  Non-object bodies are refused, not asserted on
    conv = oa_conv_new (NULL);
    char err [OA_CONV_ERR_SIZE];
    json_t *array = json_array ();
    assert (oa_conv_request (conv, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_CHAT, array, err) == NULL);
    assert (oa_conv_response (conv, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_CHAT, array, NULL, err) == NULL);
    assert (oa_conv_request (conv, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_CHAT, NULL, NULL) == NULL);
    json_t *object = json_object ();
    assert (oa_conv_request (conv, (oa_api_format_t) 2, (oa_api_format_t) 2, object, err) == NULL);
    assert (oa_conv_response (conv, OA_API_FORMAT_CHAT, (oa_api_format_t) 0, object, NULL, err) == NULL);
    json_decref (object);
    json_decref (array);
    oa_conv_destroy (&conv);
}


//  The Claude request a Chat tool loop turns into, with the reasoning text
//  of the previous answer given back as reasoning_content (what Chat
//  clients keep); scope is the token.  Returns the converted request.
static json_t *
s_next_turn (oa_sigcache_t *cache, const char *scope, const char *reasoning_field,
             const char *reasoning, oa_api_format_t client)
{
    oa_conv_t *conv = oa_conv_new ("turn2");
    oa_conv_set_sigcache (conv, cache, scope);
    json_t *body;
    if (client == OA_API_FORMAT_CHAT) {
        body = json_pack ("{s:s,s:s,s:[{s:s,s:s},{s:s,s:n,s:[{s:s,s:s,s:{s:s,s:s}}]},"
                          "{s:s,s:s,s:s}]}",
            "model", "claude-sonnet-4-5", "reasoning_effort", "high", "messages",
            "role", "user", "content", "Weather in Paris?",
            "role", "assistant", "content", "tool_calls", "id", "toolu_1", "type", "function",
                "function", "name", "get_weather", "arguments", "{\"city\":\"Paris\"}",
            "role", "tool", "tool_call_id", "toolu_1", "content", "18C");
        json_object_set_new (json_array_get (json_object_get (body, "messages"), 1),
                             reasoning_field, json_string (reasoning));
    }
    else
        body = json_pack ("{s:s,s:{s:s},s:[{s:s,s:s},{s:s,s:s,s:[{s:s,s:s}]},"
                          "{s:s,s:s,s:s,s:s},{s:s,s:s,s:s}]}",
            "model", "claude-sonnet-4-5", "reasoning", "effort", "high", "input",
            "role", "user", "content", "Weather in Paris?",
            "type", "reasoning", "id", "rs_1", "summary", "type", "summary_text", "text", reasoning,
            "type", "function_call", "call_id", "toolu_1", "name", "get_weather",
                "arguments", "{\"city\":\"Paris\"}",
            "type", "function_call_output", "call_id", "toolu_1", "output", "18C");
    json_object_set_new (body, "tools", json_pack ("[{s:s,s:{s:s,s:{s:s}}}]", "type", "function",
        "function", "name", "get_weather", "parameters", "type", "object"));
    if (client == OA_API_FORMAT_RESPONSES) {
        json_t *tool = json_array_get (json_object_get (body, "tools"), 0);
        json_object_set_new (tool, "name", json_string ("get_weather"));
        json_object_set_new (tool, "parameters", json_pack ("{s:s}", "type", "object"));
        json_object_del (tool, "function");
    }
    char err [OA_CONV_ERR_SIZE];
    json_t *out = oa_conv_request (conv, client, OA_API_FORMAT_CLAUDE, body, err);
    assert (out);
    json_decref (body);
    oa_conv_destroy (&conv);
    return out;
}

//  The first block of the Claude request's assistant turn, if thinking.
static json_t *
s_replayed (json_t *claude)
{
    json_t *assistant = json_array_get (json_object_get (claude, "messages"), 1);
    assert (oa_cv_is (assistant, "role", "assistant"));
    json_t *first = json_array_get (json_object_get (assistant, "content"), 0);
    return oa_cv_is (first, "type", "thinking")? first: NULL;
}

//  Claude thinking signatures kept across turns by oa_sigcache.
static void
s_signatures (void)
{
    oa_sigcache_t *cache = oa_sigcache_new (64, 3600);
    //  Turn 1, non-stream: a signed thinking block and a tool call
    oa_conv_t *conv = oa_conv_new ("turn1");
    oa_conv_set_sigcache (conv, cache, "7");
    json_t *reply = json_pack ("{s:s,s:s,s:s,s:[{s:s,s:s,s:s},{s:s,s:s,s:s,s:{s:s}}],s:s,s:{s:i,s:i}}",
        "id", "msg_1", "type", "message", "model", "claude-sonnet-4-5", "content",
        "type", "thinking", "thinking", "Need the weather tool.", "signature", "SIG-ONE",
        "type", "tool_use", "id", "toolu_1", "name", "get_weather", "input", "city", "Paris",
        "stop_reason", "tool_use", "usage", "input_tokens", 10, "output_tokens", 5);
    char err [OA_CONV_ERR_SIZE];
    json_t *chat = oa_conv_response (conv, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_CHAT, reply, NULL, err);
    assert (chat);
    json_t *message = json_object_get (json_array_get (json_object_get (chat, "choices"), 0), "message");
    assert (!strcmp (oa_cv_str (message, "reasoning_content"), "Need the weather tool."));
    json_decref (chat);
    json_decref (reply);
    oa_conv_destroy (&conv);

    //  Turn 2 brings only the text back: the signed block is rebuilt, and
    //  thinking stays on for the tool loop
    json_t *claude = s_next_turn (cache, "7", "reasoning_content", "Need the weather tool.",
                                  OA_API_FORMAT_CHAT);
    json_t *block = s_replayed (claude);
    assert (block && !strcmp (oa_cv_str (block, "signature"), "SIG-ONE")
            && !strcmp (oa_cv_str (block, "thinking"), "Need the weather tool."));
    assert (oa_cv_is (oa_cv_obj (claude, "thinking"), "type", "enabled"));
    json_decref (claude);
    //  ... under ?reasoning_format=reasoning / thinking names too
    claude = s_next_turn (cache, "7", "thinking", "Need the weather tool.", OA_API_FORMAT_CHAT);
    assert (s_replayed (claude));
    json_decref (claude);
    //  Another token, or edited text: no signature, and thinking off (Claude
    //  would refuse an unsigned tool loop)
    claude = s_next_turn (cache, "8", "reasoning_content", "Need the weather tool.",
                          OA_API_FORMAT_CHAT);
    assert (!s_replayed (claude) && !oa_cv_obj (claude, "thinking"));
    json_decref (claude);
    claude = s_next_turn (cache, "7", "reasoning_content", "Need the weather tool!",
                          OA_API_FORMAT_CHAT);
    assert (!s_replayed (claude));
    json_decref (claude);

    //  Turn 1, stream to a Responses client: two signed blocks; the reasoning
    //  summary it shows comes back as a reasoning item
    conv = oa_conv_new ("turn1s");
    oa_conv_set_sigcache (conv, cache, "7");
    json_t *request = json_pack ("{s:s,s:b,s:s,s:{s:s}}", "model", "claude-sonnet-4-5",
                                 "stream", 1, "input", "Weather in Paris?", "reasoning", "effort", "high");
    json_t *converted = oa_conv_request (conv, OA_API_FORMAT_RESPONSES, OA_API_FORMAT_CLAUDE,
                                         request, err);
    assert (converted);
    json_decref (converted);
    json_decref (request);
    oa_stream_conv_t *stream = oa_stream_conv_new (conv, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_RESPONSES);
    const char *events [][2] = {
        { "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\","
          "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}" },
        { "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}" },
        { "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"First \"}}" },
        { "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"idea. \"}}" },
        { "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"SIG-A\"}}" },
        { "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}" },
        { "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}" },
        { "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Second.\"}}" },
        { "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"SIG-B\"}}" },
        { "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}" },
        { "content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}" },
        { "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}" },
        { "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}" },
        { "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":7}}" },
        { "message_stop", "{\"type\":\"message_stop\"}" },
    };
    for (size_t i = 0; i < sizeof events / sizeof events [0]; i++)
        oa_stream_conv_event (stream, events [i][0], events [i][1], strlen (events [i][1]));
    oa_stream_conv_finish (stream);
    size_t size;
    const char *bytes = oa_stream_conv_data (stream, &size);
    assert (size && memmem (bytes, size, "First idea. Second.", 19));
    oa_stream_conv_destroy (&stream);
    oa_conv_destroy (&conv);
    claude = s_next_turn (cache, "7", NULL, "First idea. Second.", OA_API_FORMAT_RESPONSES);
    json_t *assistant = json_array_get (json_object_get (claude, "messages"), 1);
    json_t *content = json_object_get (assistant, "content");
    assert (oa_cv_is (json_array_get (content, 0), "signature", "SIG-A")
            && oa_cv_is (json_array_get (content, 0), "thinking", "First idea. ")
            && oa_cv_is (json_array_get (content, 1), "signature", "SIG-B")
            && oa_cv_is (json_array_get (content, 1), "thinking", "Second.")
            && oa_cv_is (json_array_get (content, 2), "type", "tool_use"));
    assert (oa_cv_obj (claude, "thinking"));
    json_decref (claude);
    oa_sigcache_destroy (&cache);
}


void oa_conv_test (bool verbose)
{
    if (verbose)
        printf ("\n");
    s_unit ();
    s_signatures ();
    char *dir_path = oa_cvt_path ("");
    DIR *dir = opendir (dir_path);
    assert (dir);
    //  Sorted, so runs and regenerations are reproducible
    json_t *files = json_array ();
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        size_t size = strlen (entry->d_name);
        if (size > 5 && !strcmp (entry->d_name + size - 5, ".json"))
            json_array_append_new (files, json_string (entry->d_name));
    }
    closedir (dir);
    free (dir_path);
    assert (json_array_size (files) > 0);
    int failures = 0;
    for (size_t i = 0; i < json_array_size (files); i++)
        for (size_t j = i + 1; j < json_array_size (files); j++)
            if (strcmp (json_string_value (json_array_get (files, i)),
                        json_string_value (json_array_get (files, j))) > 0) {
                json_t *swap = json_incref (json_array_get (files, i));
                json_array_set (files, i, json_array_get (files, j));
                json_array_set_new (files, j, swap);
            }
    size_t index;
    json_t *file;
    json_array_foreach (files, index, file)
        failures += s_run_file (json_string_value (file), verbose);
    json_decref (files);
    if (failures)
        fprintf (stderr, "%d vector(s) failed\n", failures);
    assert (failures == 0);
}
