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


void oa_conv_test (bool verbose)
{
    if (verbose)
        printf ("\n");
    s_unit ();
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
