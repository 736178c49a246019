/*  =========================================================================
    mock_anthropic - Anthropic Messages (POST /v1/messages)

    Non-stream per wire-formats.md §3.3; the stream per §3.4: every event
    has an "event:" line equal to data.type, message_start ... message_stop,
    a ping after the first content_block_start, cumulative usage in
    message_delta.  Rejects what the API rejects: no max_tokens, messages or
    model (400), and temperature/top_p/top_k under anthropic-version
    2026-10-21 (400).
    =========================================================================
*/
#include "mock.h"

#include <stdio.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  Appends the tool_use id, derived from the message id

static void
s_tool_id (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    const char *tail = strstr (job->id, "mock");
    oa_mock_buf_printf (out, "\"toolu_%s\"", tail? tail: job->id);
}

static const char *
s_stop_reason (oa_mock_job_t *job)
{
    return job->tool_call? "tool_use": job->truncated? "max_tokens": "end_turn";
}

//  --------------------------------------------------------------------------
//  Non-stream message body

static void
s_body (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    oa_mock_buf_printf (out, "{\"id\":\"%s\",\"type\":\"message\",\"role\":\"assistant\","
                        "\"model\":", job->id);
    oa_mock_buf_str (out, job->model, strlen (job->model));
    if (job->tool_call) {
        OA_MOCK_PUT (out, ",\"content\":[{\"type\":\"tool_use\",\"id\":");
        s_tool_id (job, out);
        OA_MOCK_PUT (out, ",\"name\":");
        oa_mock_buf_str (out, job->tool_name, strlen (job->tool_name));
        OA_MOCK_PUT (out, ",\"input\":");
        oa_mock_buf_puts (out, job->tool_args);    //  valid JSON by construction
        OA_MOCK_PUT (out, "}]");
    }
    else {
        oa_mock_buf_t text = { 0 };
        oa_mock_full_text (job, &text);
        OA_MOCK_PUT (out, ",\"content\":[{\"type\":\"text\",\"text\":");
        oa_mock_buf_str (out, text.data, text.len);
        OA_MOCK_PUT (out, "}]");
        oa_mock_buf_free (&text);
    }
    oa_mock_buf_printf (out, ",\"stop_reason\":\"%s\",\"stop_sequence\":null,\"usage\":{"
                        "\"input_tokens\":%d,\"cache_creation_input_tokens\":0,"
                        "\"cache_read_input_tokens\":0,\"cache_creation\":{"
                        "\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},"
                        "\"output_tokens\":%d,\"service_tier\":\"standard\"}}",
                        s_stop_reason (job), job->prompt_tokens, job->completion_tokens);
}

//  --------------------------------------------------------------------------
//  Stream: message_start, content_block_start, ping

static void
s_open (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    oa_mock_buf_printf (out, "event: message_start\ndata: {\"type\":\"message_start\","
                        "\"message\":{\"id\":\"%s\",\"type\":\"message\",\"role\":\"assistant\","
                        "\"model\":", job->id);
    oa_mock_buf_str (out, job->model, strlen (job->model));
    oa_mock_buf_printf (out, ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        "\"usage\":{\"input_tokens\":%d,\"cache_creation_input_tokens\":0,"
                        "\"cache_read_input_tokens\":0,\"output_tokens\":1,\"service_tier\":"
                        "\"standard\"}}}\n\n", job->prompt_tokens);
    if (job->tool_call) {
        OA_MOCK_PUT (out, "event: content_block_start\ndata: {\"type\":\"content_block_start\","
                     "\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":");
        s_tool_id (job, out);
        OA_MOCK_PUT (out, ",\"name\":");
        oa_mock_buf_str (out, job->tool_name, strlen (job->tool_name));
        OA_MOCK_PUT (out, ",\"input\":{}}}\n\n");
    }
    else
        OA_MOCK_PUT (out, "event: content_block_start\ndata: {\"type\":\"content_block_start\","
                     "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    OA_MOCK_PUT (out, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
    if (job->tool_call)
        OA_MOCK_PUT (out, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                     "\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"
                     "\n\n");
}

//  Stream: one text_delta or input_json_delta
static void
s_chunk (oa_mock_job_t *job, int index, oa_mock_buf_t *out)
{
    size_t len;
    const char *piece = oa_mock_piece (job, index, &len);
    OA_MOCK_PUT (out, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                 "\"index\":0,\"delta\":");
    if (job->tool_call)
        OA_MOCK_PUT (out, "{\"type\":\"input_json_delta\",\"partial_json\":");
    else
        OA_MOCK_PUT (out, "{\"type\":\"text_delta\",\"text\":");
    oa_mock_buf_str (out, piece, len);
    OA_MOCK_PUT (out, "}}\n\n");
}

//  Stream: content_block_stop, message_delta, message_stop
static void
s_close (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    oa_mock_buf_printf (out, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\","
                        "\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\","
                        "\"delta\":{\"stop_reason\":\"%s\",\"stop_sequence\":null},\"usage\":{"
                        "\"output_tokens\":%d}}\n\nevent: message_stop\ndata: {\"type\":"
                        "\"message_stop\"}\n\n", s_stop_reason (job), job->completion_tokens);
}

//  Stream: error event after HTTP 200 (§3.5)
static void
s_fail (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    oa_mock_buf_printf (out, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
                        "\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"%s\"}"
                        "\n\n", job->request_id);
}

static const oa_mock_format_t s_format = {
    s_open, s_chunk, s_close, s_fail, "text/event-stream; charset=utf-8"
};

//  --------------------------------------------------------------------------
//  POST /v1/messages

bool
oa_mock_anthropic_messages (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                            oa_mock_buf_t *body, int *status)
{
    json_t *messages = json_object_get (root, "messages");
    const char *missing = !job->model [0]? "model: Field required":
                          !json_is_array (messages)? "messages: Field required":
                          !json_is_integer (json_object_get (root, "max_tokens"))?
                          "max_tokens: Field required": NULL;
    if (missing) {
        *status = 400;
        oa_mock_error (job, body, 400, missing, NULL, NULL);
        return false;
    }
    size_t len;
    const char *version = oa_mock_req_header (req, "anthropic-version", &len);
    if (version && len == 10 && !memcmp (version, "2026-10-21", 10)) {
        static const char *banned [] = { "temperature", "top_p", "top_k" };
        for (int i = 0; i < 3; i++)
            if (json_object_get (root, banned [i])) {
                char text [160];
                snprintf (text, sizeof (text), "%s: Extra inputs are not permitted with "
                          "anthropic-version 2026-10-21", banned [i]);
                *status = 400;
                oa_mock_error (job, body, 400, text, NULL, NULL);
                return false;
            }
    }
    job->prompt_tokens = oa_mock_message_tokens (json_object_get (root, "system"));
    size_t i;
    json_t *message;
    json_array_foreach (messages, i, message)
        job->prompt_tokens += oa_mock_message_tokens (message);

    //  Tool use when tools are offered and tool_choice is not "none"
    json_t *tools = json_object_get (root, "tools");
    json_t *choice = json_object_get (root, "tool_choice");
    const char *choice_type = json_string_value (json_object_get (choice, "type"));
    bool offered = json_array_size (tools) > 0 && !(choice_type && !strcmp (choice_type, "none"));
    job->tool_call = job->behave.tools == 1 || (job->behave.tools == -1 && offered);
    if (job->tool_call) {
        json_t *tool = json_array_get (tools, 0), *item;
        const char *wanted = json_string_value (json_object_get (choice, "name"));
        json_array_foreach (tools, i, item)
            if (wanted && !strcmp (wanted, json_string_value (json_object_get (item, "name"))?: ""))
                tool = item;
        oa_mock_set_tool (job, json_string_value (json_object_get (tool, "name")),
                          json_object_get (tool, "input_schema"));
    }
    oa_mock_plan (job, (int) json_integer_value (json_object_get (root, "max_tokens")));
    oa_mock_next_id (job->id, sizeof (job->id), "msg_");
    job->stream = json_is_true (json_object_get (root, "stream"));
    if (job->stream) {
        job->format = &s_format;
        return true;
    }
    s_body (job, body);
    return false;
}
