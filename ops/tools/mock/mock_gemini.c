/*  =========================================================================
    mock_gemini - Gemini generateContent / streamGenerateContent

    Per wire-formats.md §4: "?alt=sse" streams "data: <json>\r\n\r\n" with
    no event lines and no [DONE]; every chunk carries usageMetadata and the
    last one finishReason and complete counts.  Without alt=sse the stream
    is one incrementally written JSON array "[{..},\r\n{..}]".  Function
    calls arrive whole, in one chunk.
    =========================================================================
*/
#include "mock.h"

#include <string.h>

//  --------------------------------------------------------------------------
//  Appends one GenerateContentResponse; text NULL means the tool call

static void
s_response (oa_mock_job_t *job, oa_mock_buf_t *out, const char *text, size_t len, bool last,
            bool index)
{
    OA_MOCK_PUT (out, "{\"candidates\":[{\"content\":{\"parts\":[");
    if (text) {
        OA_MOCK_PUT (out, "{\"text\":");
        oa_mock_buf_str (out, text, len);
        OA_MOCK_PUT (out, "}");
    }
    else {
        OA_MOCK_PUT (out, "{\"functionCall\":{\"name\":");
        oa_mock_buf_str (out, job->tool_name, strlen (job->tool_name));
        OA_MOCK_PUT (out, ",\"args\":");
        oa_mock_buf_puts (out, job->tool_args);
        OA_MOCK_PUT (out, "}}");
    }
    OA_MOCK_PUT (out, "],\"role\":\"model\"}");
    if (last)
        oa_mock_buf_printf (out, ",\"finishReason\":\"%s\"",
                            job->truncated && !job->tool_call? "MAX_TOKENS": "STOP");
    if (index)
        OA_MOCK_PUT (out, ",\"index\":0");
    int p = job->prompt_tokens, c = job->completion_tokens;
    if (last)
        oa_mock_buf_printf (out, "}],\"usageMetadata\":{\"promptTokenCount\":%d,"
                            "\"candidatesTokenCount\":%d,\"totalTokenCount\":%d,"
                            "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":%d}],"
                            "\"candidatesTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":"
                            "%d}]}", p, c, p + c, p, c);
    else
        oa_mock_buf_printf (out, "}],\"usageMetadata\":{\"promptTokenCount\":%d,"
                            "\"totalTokenCount\":%d,\"promptTokensDetails\":[{\"modality\":"
                            "\"TEXT\",\"tokenCount\":%d}]}", p, p, p);
    OA_MOCK_PUT (out, ",\"modelVersion\":");
    oa_mock_buf_str (out, job->model, strlen (job->model));
    oa_mock_buf_printf (out, ",\"responseId\":\"%s\"}", job->id);
}

//  --------------------------------------------------------------------------
//  Stream framing: SSE event, or JSON array element

static void
s_frame_open (oa_mock_job_t *job, oa_mock_buf_t *out, int index)
{
    if (job->gemini_array)
        oa_mock_buf_puts (out, index > 1? ",\r\n": "");
    else
        OA_MOCK_PUT (out, "data: ");
}

static void
s_frame_close (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    if (!job->gemini_array)
        OA_MOCK_PUT (out, "\r\n\r\n");
}

static void
s_open (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    if (job->gemini_array)
        OA_MOCK_PUT (out, "[");
}

//  Stream: chunk index; the last one carries finishReason and full usage
static void
s_chunk (oa_mock_job_t *job, int index, oa_mock_buf_t *out)
{
    s_frame_open (job, out, index);
    if (job->tool_call)
        s_response (job, out, NULL, 0, true, false);
    else {
        size_t len;
        const char *piece = oa_mock_piece (job, index, &len);
        s_response (job, out, piece, len, index == job->pieces, false);
    }
    s_frame_close (job, out);
}

static void
s_close (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    if (job->pieces == 0) {
        s_frame_open (job, out, 1);
        s_response (job, out, "", 0, true, false);
        s_frame_close (job, out);
    }
    if (job->gemini_array)
        OA_MOCK_PUT (out, "]");
}

//  Stream: error chunk (google.rpc.Status)
static void
s_fail (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    s_frame_open (job, out, job->next);
    OA_MOCK_PUT (out, "{\"error\":{\"code\":500,\"message\":\"An internal error has occurred. "
                 "Please retry or report in https://developers.generativeai.google/guide/"
                 "troubleshooting\",\"status\":\"INTERNAL\"}}");
    s_frame_close (job, out);
    if (job->gemini_array)
        OA_MOCK_PUT (out, "]");
}

static const oa_mock_format_t s_sse_format = {
    s_open, s_chunk, s_close, s_fail, "text/event-stream"
};
static const oa_mock_format_t s_array_format = {
    s_open, s_chunk, s_close, s_fail, "application/json; charset=UTF-8"
};

//  --------------------------------------------------------------------------
//  POST /v1beta/models/{model}:generateContent and :streamGenerateContent

bool
oa_mock_gemini_generate (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                         oa_mock_buf_t *body, int *status)
{
    (void) req;
    json_t *contents = json_object_get (root, "contents");
    if (!json_is_array (contents) || !json_array_size (contents)) {
        *status = 400;
        oa_mock_error (job, body, 400, "* GenerateContentRequest.contents: contents is not "
                       "specified\n", NULL, NULL);
        return false;
    }
    job->prompt_tokens = oa_mock_message_tokens (json_object_get (root, "systemInstruction"));
    size_t i;
    json_t *content;
    json_array_foreach (contents, i, content)
        job->prompt_tokens += oa_mock_message_tokens (content);

    //  Function call for the first declaration unless the mode is NONE
    json_t *declaration = NULL, *tool;
    json_array_foreach (json_object_get (root, "tools"), i, tool)
        if (!declaration)
            declaration = json_array_get (json_object_get (tool, "functionDeclarations"), 0);
    const char *mode = json_string_value (json_object_get (json_object_get (json_object_get (
        root, "toolConfig"), "functionCallingConfig"), "mode"));
    bool offered = declaration && !(mode && !strcmp (mode, "NONE"));
    job->tool_call = job->behave.tools == 1 || (job->behave.tools == -1 && offered);
    if (job->tool_call)
        oa_mock_set_tool (job, json_string_value (json_object_get (declaration, "name")),
                          json_object_get (declaration, "parameters"));
    json_t *config = json_object_get (root, "generationConfig");
    oa_mock_plan (job, (int) json_integer_value (json_object_get (config, "maxOutputTokens")));
    oa_mock_next_id (job->id, sizeof (job->id), "");
    if (job->stream) {
        if (job->tool_call)
            job->pieces = 1;        //  the call arrives whole; usage keeps the fragment count
        job->format = job->gemini_array? &s_array_format: &s_sse_format;
        return true;
    }
    if (job->tool_call)
        s_response (job, body, NULL, 0, true, true);
    else {
        oa_mock_buf_t text = { 0 };
        oa_mock_full_text (job, &text);
        s_response (job, body, text.data? text.data: "", text.len, true, true);
        oa_mock_buf_free (&text);
    }
    return false;
}
