/*  =========================================================================
    mock_responses - OpenAI Responses API (POST /v1/responses)

    Non-stream follows wire-formats.md §2.2; the stream follows §2.3/§2.4:
    "event: <type>" lines equal to data.type, sequence_number from 0, no
    [DONE].  A max_output_tokens below the chunk count ends the response
    "incomplete" (response.incomplete), as the real API does.
    =========================================================================
*/
#include "mock.h"

#include <stdlib.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  Appends a JSON string of a C string

static void
s_str (oa_mock_buf_t *out, const char *text)
{
    oa_mock_buf_str (out, text, strlen (text));
}

//  --------------------------------------------------------------------------
//  Appends the item ids derived from the response id

static void
s_item_id (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    const char *tail = strstr (job->id, "mock");
    oa_mock_buf_printf (out, "\"%s_%s\"", job->tool_call? "fc": "msg", tail? tail: job->id);
}

static void
s_call_id (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    const char *tail = strstr (job->id, "mock");
    oa_mock_buf_printf (out, "\"call_%s\"", tail? tail: job->id);
}

//  --------------------------------------------------------------------------
//  Appends the output_text part with the full answer

static void
s_part (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    oa_mock_buf_t text = { 0 };
    oa_mock_full_text (job, &text);
    OA_MOCK_PUT (out, "{\"type\":\"output_text\",\"text\":");
    oa_mock_buf_str (out, text.data, text.len);
    OA_MOCK_PUT (out, ",\"annotations\":[],\"logprobs\":[]}");
    oa_mock_buf_free (&text);
}

//  --------------------------------------------------------------------------
//  Appends the output item; done = final state; type_first = §2.2 order

static void
s_item (oa_mock_job_t *job, oa_mock_buf_t *out, bool done, bool type_first)
{
    const char *status = !done? "in_progress": job->truncated? "incomplete": "completed";
    if (job->tool_call && type_first) {
        OA_MOCK_PUT (out, "{\"type\":\"function_call\",\"id\":");
        s_item_id (job, out);
        OA_MOCK_PUT (out, ",\"call_id\":");
        s_call_id (job, out);
        OA_MOCK_PUT (out, ",\"name\":");
        s_str (out, job->tool_name);
        OA_MOCK_PUT (out, ",\"arguments\":");
        s_str (out, job->tool_args);
        oa_mock_buf_printf (out, ",\"status\":\"%s\"}", status);
    }
    else
    if (job->tool_call) {
        OA_MOCK_PUT (out, "{\"id\":");
        s_item_id (job, out);
        oa_mock_buf_printf (out, ",\"type\":\"function_call\",\"status\":\"%s\",\"arguments\":",
                            status);
        s_str (out, done? job->tool_args: "");
        OA_MOCK_PUT (out, ",\"call_id\":");
        s_call_id (job, out);
        OA_MOCK_PUT (out, ",\"name\":");
        s_str (out, job->tool_name);
        OA_MOCK_PUT (out, "}");
    }
    else {
        if (type_first) {
            OA_MOCK_PUT (out, "{\"type\":\"message\",\"id\":");
            s_item_id (job, out);
        }
        else {
            OA_MOCK_PUT (out, "{\"id\":");
            s_item_id (job, out);
            OA_MOCK_PUT (out, ",\"type\":\"message\"");
        }
        oa_mock_buf_printf (out, ",\"status\":\"%s\",\"role\":\"assistant\",\"content\":[",
                            status);
        if (done)
            s_part (job, out);
        OA_MOCK_PUT (out, "]}");
    }
}

//  --------------------------------------------------------------------------
//  Appends the Response object.  state: 0 in progress, 1 final, 2 failed.

static void
s_response (oa_mock_job_t *job, oa_mock_buf_t *out, int state, bool stream)
{
    const char *status = state == 0? "in_progress": state == 2? "failed":
                         job->truncated? "incomplete": "completed";
    oa_mock_buf_printf (out, "{\"id\":\"%s\",\"object\":\"response\",\"created_at\":%lld,"
                        "\"status\":\"%s\"", job->id, job->created, status);
    if (state == 1)
        oa_mock_buf_printf (out, ",\"completed_at\":%lld", job->created);
    if (state == 2)
        OA_MOCK_PUT (out, ",\"error\":{\"code\":\"server_error\",\"message\":\"The model failed "
                     "to generate a response.\"}");
    else
        OA_MOCK_PUT (out, ",\"error\":null");
    if (state == 1 && job->truncated)
        OA_MOCK_PUT (out, ",\"incomplete_details\":{\"reason\":\"max_output_tokens\"}");
    else
        OA_MOCK_PUT (out, ",\"incomplete_details\":null");
    OA_MOCK_PUT (out, ",\"instructions\":");
    if (job->instructions)
        s_str (out, job->instructions);
    else
        OA_MOCK_PUT (out, "null");
    if (job->max_output_tokens >= 0)
        oa_mock_buf_printf (out, ",\"max_output_tokens\":%d", job->max_output_tokens);
    else
        OA_MOCK_PUT (out, ",\"max_output_tokens\":null");
    OA_MOCK_PUT (out, ",\"model\":");
    s_str (out, job->model);
    OA_MOCK_PUT (out, ",\"output\":[");
    if (state == 1)
        s_item (job, out, true, !stream);
    OA_MOCK_PUT (out, "],\"parallel_tool_calls\":true,\"previous_response_id\":null,"
                 "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true,"
                 "\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":"
                 "\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\"");
    char usage [256];
    if (state == 1)
        snprintf (usage, sizeof (usage), "{\"input_tokens\":%d,\"input_tokens_details\":{"
                  "\"cached_tokens\":0},\"output_tokens\":%d,\"output_tokens_details\":{"
                  "\"reasoning_tokens\":0},\"total_tokens\":%d}", job->prompt_tokens,
                  job->completion_tokens, job->prompt_tokens + job->completion_tokens);
    else
        strcpy (usage, "null");
    //  §2.2 (non-stream) puts usage last; the stream examples put it before user
    if (stream)
        oa_mock_buf_printf (out, ",\"usage\":%s,\"user\":null,\"metadata\":{}}", usage);
    else
        oa_mock_buf_printf (out, ",\"user\":null,\"metadata\":{},\"usage\":%s}", usage);
}

//  --------------------------------------------------------------------------
//  Opens one event: "event: <type>\ndata: {"type":..,"sequence_number":N"

static void
s_event (oa_mock_job_t *job, oa_mock_buf_t *out, const char *type)
{
    oa_mock_buf_printf (out, "event: %s\ndata: {\"type\":\"%s\",\"sequence_number\":%d", type,
                        type, job->seq++);
}

//  Appends ,"item_id":..,"output_index":0
static void
s_event_item (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    OA_MOCK_PUT (out, ",\"item_id\":");
    s_item_id (job, out);
    OA_MOCK_PUT (out, ",\"output_index\":0");
}

//  --------------------------------------------------------------------------
//  Stream: created, in_progress, output_item.added (+ content_part.added)

static void
s_open (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    s_event (job, out, "response.created");
    OA_MOCK_PUT (out, ",\"response\":");
    s_response (job, out, 0, true);
    OA_MOCK_PUT (out, "}\n\n");
    s_event (job, out, "response.in_progress");
    OA_MOCK_PUT (out, ",\"response\":");
    s_response (job, out, 0, true);
    OA_MOCK_PUT (out, "}\n\n");
    s_event (job, out, "response.output_item.added");
    OA_MOCK_PUT (out, ",\"output_index\":0,\"item\":");
    s_item (job, out, false, false);
    OA_MOCK_PUT (out, "}\n\n");
    if (!job->tool_call) {
        s_event (job, out, "response.content_part.added");
        s_event_item (job, out);
        OA_MOCK_PUT (out, ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\","
                     "\"annotations\":[],\"logprobs\":[]}}\n\n");
    }
}

//  Stream: one text or arguments delta
static void
s_chunk (oa_mock_job_t *job, int index, oa_mock_buf_t *out)
{
    size_t len;
    const char *piece = oa_mock_piece (job, index, &len);
    if (job->tool_call) {
        s_event (job, out, "response.function_call_arguments.delta");
        s_event_item (job, out);
        OA_MOCK_PUT (out, ",\"delta\":");
        oa_mock_buf_str (out, piece, len);
    }
    else {
        s_event (job, out, "response.output_text.delta");
        s_event_item (job, out);
        OA_MOCK_PUT (out, ",\"content_index\":0,\"delta\":");
        oa_mock_buf_str (out, piece, len);
        OA_MOCK_PUT (out, ",\"logprobs\":[]");
    }
    if (job->obfuscation)
        OA_MOCK_PUT (out, ",\"obfuscation\":\"Qz1\"");
    OA_MOCK_PUT (out, "}\n\n");
}

//  Stream: the .done events and response.completed (or .incomplete)
static void
s_close (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    if (job->tool_call) {
        s_event (job, out, "response.function_call_arguments.done");
        s_event_item (job, out);
        OA_MOCK_PUT (out, ",\"name\":");
        s_str (out, job->tool_name);
        OA_MOCK_PUT (out, ",\"arguments\":");
        s_str (out, job->tool_args);
        OA_MOCK_PUT (out, "}\n\n");
    }
    else {
        oa_mock_buf_t text = { 0 };
        oa_mock_full_text (job, &text);
        s_event (job, out, "response.output_text.done");
        s_event_item (job, out);
        OA_MOCK_PUT (out, ",\"content_index\":0,\"text\":");
        oa_mock_buf_str (out, text.data, text.len);
        OA_MOCK_PUT (out, ",\"logprobs\":[]}\n\n");
        oa_mock_buf_free (&text);
        s_event (job, out, "response.content_part.done");
        s_event_item (job, out);
        OA_MOCK_PUT (out, ",\"content_index\":0,\"part\":");
        s_part (job, out);
        OA_MOCK_PUT (out, "}\n\n");
    }
    s_event (job, out, "response.output_item.done");
    OA_MOCK_PUT (out, ",\"output_index\":0,\"item\":");
    s_item (job, out, true, false);
    OA_MOCK_PUT (out, "}\n\n");
    s_event (job, out, job->truncated? "response.incomplete": "response.completed");
    OA_MOCK_PUT (out, ",\"response\":");
    s_response (job, out, 1, true);
    OA_MOCK_PUT (out, "}\n\n");
}

//  Stream: error + response.failed (§2.5)
static void
s_fail (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    oa_mock_buf_printf (out, "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\","
                        "\"message\":\"The model failed to generate a response.\",\"param\":null,"
                        "\"sequence_number\":%d}\n\n", job->seq++);
    s_event (job, out, "response.failed");
    OA_MOCK_PUT (out, ",\"response\":");
    s_response (job, out, 2, true);
    OA_MOCK_PUT (out, "}\n\n");
}

static const oa_mock_format_t s_format = {
    s_open, s_chunk, s_close, s_fail, "text/event-stream; charset=utf-8"
};

//  --------------------------------------------------------------------------
//  POST /v1/responses (and Azure's /openai/responses, /openai/v1/responses)

bool
oa_mock_openai_responses (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                          oa_mock_buf_t *body, int *status)
{
    json_t *input = json_object_get (root, "input");
    if (!job->model [0]) {
        *status = 400;
        oa_mock_error (job, body, 400, "Missing required parameter: 'model'.", "model",
                       "missing_required_parameter");
        return false;
    }
    json_t *instructions = json_object_get (root, "instructions");
    if (json_is_string (instructions)) {
        job->instructions = strdup (json_string_value (instructions));
        job->prompt_tokens += oa_mock_message_tokens (instructions);
    }
    if (json_is_array (input)) {
        size_t i;
        json_t *item;
        json_array_foreach (input, i, item)
            job->prompt_tokens += oa_mock_message_tokens (item);
    }
    else
        job->prompt_tokens += oa_mock_input_tokens (input);

    //  Tool call for the first function tool (tool defs are flat here)
    json_t *tools = json_object_get (root, "tools");
    json_t *choice = json_object_get (root, "tool_choice");
    json_t *function = NULL, *tool;
    size_t i;
    json_array_foreach (tools, i, tool) {
        const char *type = json_string_value (json_object_get (tool, "type"));
        if (!function && type && !strcmp (type, "function"))
            function = tool;
    }
    bool offered = function
                && !(json_is_string (choice) && !strcmp (json_string_value (choice), "none"));
    job->tool_call = job->behave.tools == 1 || (job->behave.tools == -1 && offered);
    if (job->tool_call)
        oa_mock_set_tool (job, json_string_value (json_object_get (function, "name")),
                          json_object_get (function, "parameters"));
    json_t *max = json_object_get (root, "max_output_tokens");
    if (json_is_integer (max))
        job->max_output_tokens = (int) json_integer_value (max);
    oa_mock_plan (job, job->max_output_tokens > 0? job->max_output_tokens: 0);
    oa_mock_next_id (job->id, sizeof (job->id), "resp_");
    job->stream = json_is_true (json_object_get (root, "stream"));
    job->obfuscation = !(req->query && memmem (req->query, req->query_len,
                                               "include_obfuscation=false", 25));
    if (job->stream) {
        job->format = &s_format;
        return true;
    }
    s_response (job, body, 1, false);
    return false;
}
