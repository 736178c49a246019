/*  =========================================================================
    oa_stream_conv_test - selftest of the stream converters

    Each case in testdata/streams/streams.json names an upstream SSE
    recording (shapes from wire-formats.md), the upstream and client
    formats, and the expected client stream (<name>.out).  The input is fed
    whole, one byte at a time, and in pseudo-random chunks: all must give
    the same bytes, those bytes must pass oa_stream_check (strict), match
    the expected events (names exactly, data as JSON), and report the
    expected usage.  OA_CONV_REGEN=1 rewrites the .out files and usage.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_stream_private.h"
#include "oa_conv_testlib.h"

//  Feeds input in chunks chosen by seed (0 = whole, 1 = bytewise); returns
//  the client bytes (fresh) and usage.
static char *
s_convert (json_t *test, const char *input, size_t size, unsigned seed,
           size_t *out_size, oa_conv_usage_t *usage)
{
    oa_conv_t *conv = oa_cvt_session (json_object_get (test, "options"));
    json_t *request = oa_cv_obj (test, "request");
    char err [OA_CONV_ERR_SIZE];
    if (request) {
        json_t *out = oa_conv_request (conv, oa_cvt_format (oa_cv_str (request, "from")),
                                       oa_cvt_format (oa_cv_str (request, "to")),
                                       json_object_get (request, "input"), err);
        assert (out);
        json_decref (out);
    }
    if (json_is_true (json_object_get (test, "include_usage")))
        conv->include_usage = true;
    oa_stream_conv_t *stream = oa_stream_conv_new (conv, oa_cvt_format (oa_cv_str (test, "upstream")),
                                                   oa_cvt_format (oa_cv_str (test, "client")));
    assert (stream);
    oa_cv_buf_t out = { NULL, 0, 0 };
    oa_cv_buf_add (&out, "", 0);
    unsigned state = seed * 2654435761u + 1;
    size_t at = 0;
    while (at < size) {
        size_t chunk = size - at;
        if (seed == 1)
            chunk = 1;
        else
        if (seed > 1) {
            state = state * 1103515245u + 12345u;
            chunk = 1 + (state >> 16) % 23;
            if (chunk > size - at)
                chunk = size - at;
        }
        oa_stream_conv_feed (stream, input + at, chunk);
        at += chunk;
        //  Drain as a worker would, at arbitrary moments
        size_t ready;
        const char *data = oa_stream_conv_data (stream, &ready);
        if (ready && (seed == 0 || state % 3 == 0)) {
            oa_cv_buf_add (&out, data, ready);
            oa_stream_conv_clear (stream);
        }
    }
    oa_stream_conv_finish (stream);
    oa_stream_conv_finish (stream);         //  idempotent
    oa_stream_conv_fail (stream, 500, "ignored once ended");
    assert (oa_stream_conv_ended (stream));
    size_t ready;
    const char *data = oa_stream_conv_data (stream, &ready);
    oa_cv_buf_add (&out, data, ready);
    assert (oa_stream_conv_produced (stream) == out.size);
    oa_stream_conv_usage (stream, usage);
    oa_stream_conv_destroy (&stream);
    assert (stream == NULL);
    oa_conv_destroy (&conv);
    *out_size = out.size;
    return out.data;
}


//  Events of a stream as [[event|null, data-as-JSON-or-string], ...].
static int
s_event_cb (const char *event, const char *data, size_t size, const char *id, void *arg)
{
    (void) id;
    json_t *value = json_loadb (data, size, 0, NULL);
    if (!value)
        value = json_stringn (data, size);
    json_array_append_new ((json_t *) arg, json_pack ("[o,o]", event? json_string (event): json_null (), value));
    return 0;
}

static json_t *
s_events (const char *bytes, size_t size)
{
    json_t *events = json_array ();
    oa_sse_parser_t *parser = oa_sse_parser_new (s_event_cb, events, 0, 0);
    oa_sse_parser_feed (parser, bytes, size);
    oa_sse_parser_finish (parser);
    oa_sse_parser_destroy (&parser);
    return events;
}


static int
s_run_case (json_t *test, bool verbose)
{
    const char *name = oa_cv_str (test, "name");
    char *path = oa_cvt_path ("streams/");
    char *input_path = NULL, *expect_path = NULL;
    assert (asprintf (&input_path, "%s%s", path, oa_cv_str (test, "input")) > 0);
    assert (asprintf (&expect_path, "%s%s", path, oa_cv_str (test, "expect")) > 0);
    size_t size;
    char *input = oa_cvt_read (input_path, &size);
    assert (input);

    size_t out_size;
    oa_conv_usage_t usage;
    char *out = s_convert (test, input, size, 0, &out_size, &usage);
    for (unsigned seed = 1; seed < 9; seed++) {
        size_t other_size;
        oa_conv_usage_t other_usage;
        char *other = s_convert (test, input, size, seed, &other_size, &other_usage);
        if (other_size != out_size || memcmp (other, out, out_size)) {
            fprintf (stderr, "%s: output differs when split with seed %u:\n%s\n---\n%s\n",
                     name, seed, out, other);
            assert (false);
        }
        assert (!memcmp (&usage, &other_usage, sizeof (usage)));
        free (other);
    }
    char err [OA_CONV_ERR_SIZE];
    oa_api_format_t client = oa_cvt_format (oa_cv_str (test, "client"));
    if (oa_stream_check (client, out, out_size, true, err)) {
        fprintf (stderr, "%s: grammar: %s\n%s\n", name, err, out);
        assert (false);
    }
    int failures = 0;
    json_t *usage_json = oa_cvt_usage_json (&usage);
    if (oa_cvt_regen ()) {
        assert (oa_cvt_write (expect_path, out, out_size) == 0);
        json_object_set (test, "expect_usage", usage_json);
    }
    else {
        size_t expect_size;
        char *expect = oa_cvt_read (expect_path, &expect_size);
        assert (expect);
        json_t *want = s_events (expect, expect_size);
        json_t *got = s_events (out, out_size);
        if (!json_equal (want, got)) {
            oa_cvt_mismatch (name, want, got);
            failures++;
        }
        if (!json_equal (usage_json, json_object_get (test, "expect_usage"))) {
            oa_cvt_mismatch (name, json_object_get (test, "expect_usage"), usage_json);
            failures++;
        }
        json_decref (want);
        json_decref (got);
        free (expect);
    }
    if (verbose && !failures)
        printf ("   %s OK\n", name);
    json_decref (usage_json);
    free (out);
    free (input);
    free (input_path);
    free (expect_path);
    free (path);
    return failures;
}


//  Behaviours the recordings do not cover.
static void
s_unit (void)
{
    char err [OA_CONV_ERR_SIZE];
    size_t size;
    oa_conv_t *conv = oa_conv_new ("u1");
    oa_conv_set_created (conv, 1);

    //  A JSON error body where SSE was expected -> the client's error event
    oa_stream_conv_t *stream = oa_stream_conv_new (conv, OA_API_FORMAT_GEMINI, OA_API_FORMAT_CHAT);
    const char *body = "\r\n{\"error\":{\"code\":404,\"message\":\"models/x is not found\",\"status\":\"NOT_FOUND\"}}";
    assert (oa_stream_conv_feed (stream, body, 20) == 0);
    assert (oa_stream_conv_feed (stream, body + 20, strlen (body) - 20) == 0);
    assert (oa_stream_conv_finish (stream) == -1);
    assert (oa_stream_conv_failed (stream));
    const char *out = oa_stream_conv_data (stream, &size);
    assert (oa_stream_check (OA_API_FORMAT_CHAT, out, size, true, err) == 0);
    assert (strstr (out, "models/x is not found") && strstr (out, "data: [DONE]"));
    oa_stream_conv_destroy (&stream);

    //  The same for a Gemini client (passthrough) and a Responses client
    stream = oa_stream_conv_new (conv, OA_API_FORMAT_GEMINI, OA_API_FORMAT_GEMINI);
    oa_stream_conv_feed (stream, body, strlen (body));
    oa_stream_conv_finish (stream);
    out = oa_stream_conv_data (stream, &size);
    assert (oa_stream_check (OA_API_FORMAT_GEMINI, out, size, true, err) == 0);
    assert (strstr (out, "NOT_FOUND"));
    oa_stream_conv_destroy (&stream);
    stream = oa_stream_conv_new (conv, OA_API_FORMAT_CHAT, OA_API_FORMAT_RESPONSES);
    oa_stream_conv_feed (stream, body, strlen (body));
    oa_stream_conv_finish (stream);
    out = oa_stream_conv_data (stream, &size);
    if (oa_stream_check (OA_API_FORMAT_RESPONSES, out, size, true, err)) {
        fprintf (stderr, "%s\n%s\n", err, out);
        assert (false);
    }
    oa_stream_conv_destroy (&stream);

    //  A transfer failing mid-stream closes each client format properly
    oa_api_format_t clients [] = { OA_API_FORMAT_CHAT, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_RESPONSES };
    for (size_t i = 0; i < 3; i++) {
        stream = oa_stream_conv_new (conv, OA_API_FORMAT_GEMINI, clients [i]);
        const char *chunk = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}\n\n";
        assert (oa_stream_conv_feed (stream, chunk, strlen (chunk)) == 0);
        oa_stream_conv_fail (stream, 504, "upstream timed out");
        assert (oa_stream_conv_failed (stream) && oa_stream_conv_ended (stream));
        assert (oa_stream_conv_feed (stream, chunk, strlen (chunk)) == -1);
        out = oa_stream_conv_data (stream, &size);
        if (oa_stream_check (clients [i], out, size, true, err)) {
            fprintf (stderr, "%s\n%s\n", err, out);
            assert (false);
        }
        assert (strstr (out, "upstream timed out"));
        oa_stream_conv_destroy (&stream);
    }

    //  A Claude stream cut before message_stop, relayed as is: the client
    //  gets an error event instead of a hang or a silent truncation
    stream = oa_stream_conv_new (conv, OA_API_FORMAT_CLAUDE, OA_API_FORMAT_CLAUDE);
    const char *cut = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\","
                      "\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n";
    oa_stream_conv_feed (stream, cut, strlen (cut));
    assert (oa_stream_conv_finish (stream) == -1);
    out = oa_stream_conv_data (stream, &size);
    assert (oa_stream_check (OA_API_FORMAT_CLAUDE, out, size, true, err) == 0);
    oa_conv_usage_t usage;
    assert (oa_stream_conv_usage (stream, &usage) && usage.prompt_tokens == 3);
    oa_stream_conv_destroy (&stream);

    //  An upstream that ends without any terminator still closes cleanly
    stream = oa_stream_conv_new (conv, OA_API_FORMAT_CHAT, OA_API_FORMAT_CLAUDE);
    const char *bare = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}";
    oa_stream_conv_feed (stream, bare, strlen (bare));
    assert (oa_stream_conv_finish (stream) == 0);
    out = oa_stream_conv_data (stream, &size);
    assert (oa_stream_check (OA_API_FORMAT_CLAUDE, out, size, true, err) == 0);
    assert (strstr (out, "\"text\":\"x\""));
    oa_stream_conv_destroy (&stream);

    //  Unsupported pairs are refused
    assert (oa_stream_conv_new (conv, OA_API_FORMAT_CHAT, OA_API_FORMAT_GEMINI) == NULL);
    assert (oa_stream_conv_new (conv, (oa_api_format_t) 9, OA_API_FORMAT_CHAT) == NULL);

    //  The checker rejects what SDKs reject
    const char *bad [][2] = {
        { "data: {}\n\n", "chat without [DONE]" },
        { "data: {\"object\":\"chat.completion.chunk\",\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]", "unterminated" },
        { "event: x\ndata: [DONE]\n\n", "event line in chat" },
    };
    for (size_t i = 0; i < 3; i++)
        assert (oa_stream_check (OA_API_FORMAT_CHAT, bad [i][0], strlen (bad [i][0]), true, err) == -1);
    const char *claude_bad = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    assert (oa_stream_check (OA_API_FORMAT_CLAUDE, claude_bad, strlen (claude_bad), true, err) == -1);
    const char *responses_bad = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":1,\"response\":{\"id\":\"r\"}}\n\n";
    assert (oa_stream_check (OA_API_FORMAT_RESPONSES, responses_bad, strlen (responses_bad), true, err) == -1);
    oa_conv_destroy (&conv);
}


void oa_stream_conv_test (bool verbose)
{
    if (verbose)
        printf ("\n");
    s_unit ();
    char *path = oa_cvt_path ("streams/streams.json");
    json_error_t error;
    json_t *tests = json_load_file (path, 0, &error);
    if (!json_is_array (tests)) {
        fprintf (stderr, "%s:%d: %s\n", path, error.line, error.text);
        assert (false);
    }
    int failures = 0;
    size_t index;
    json_t *test;
    json_array_foreach (tests, index, test)
        failures += s_run_case (test, verbose);
    if (oa_cvt_regen ())
        assert (json_dump_file (tests, path, JSON_INDENT (2)) == 0);
    json_decref (tests);
    free (path);
    if (failures)
        fprintf (stderr, "%d stream vector(s) failed\n", failures);
    assert (failures == 0);
}
