/*  =========================================================================
    mock_openai - OpenAI and Azure OpenAI: chat, completions, embeddings,
    moderations and models

    Field order follows the real APIs (wire-formats.md §1, §5): OpenAI
    emits its schema order, Azure sorts keys alphabetically, opens streams
    with an empty-id prompt_filter_results chunk and adds content filter
    results to every choice.
    =========================================================================
*/
#include "mock.h"

#include <stdlib.h>
#include <string.h>

#define S_FINGERPRINT "fp_mock0001"
#define S_FILTER "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"self_harm\":{" \
    "\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":" \
    "\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}"
#define S_PROMPT_FILTER "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{" \
    "\"filtered\":false,\"severity\":\"safe\"},\"jailbreak\":{\"filtered\":false,\"detected\":" \
    "false},\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":" \
    "false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}}]"

//  --------------------------------------------------------------------------
//  Appends a JSON string of a C string

static void
s_str (oa_mock_buf_t *out, const char *text)
{
    oa_mock_buf_str (out, text, strlen (text));
}

//  --------------------------------------------------------------------------
//  Appends the tool call id, derived from the response id

static void
s_call_id (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    const char *tail = strstr (job->id, "mock");
    oa_mock_buf_printf (out, "\"call_%s\"", tail? tail: job->id);
}

//  --------------------------------------------------------------------------
//  Appends the finish reason of a chat answer

static const char *
s_finish (oa_mock_job_t *job)
{
    return job->tool_call? "tool_calls": job->truncated? "length": "stop";
}

//  --------------------------------------------------------------------------
//  Appends the chat usage object (OpenAI order, or Azure's sorted keys)

static void
s_usage (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    int p = job->prompt_tokens, c = job->completion_tokens;
    if (job->dialect == OA_MOCK_AZURE)
        oa_mock_buf_printf (out, "{\"completion_tokens\":%d,\"completion_tokens_details\":{"
            "\"accepted_prediction_tokens\":0,\"audio_tokens\":0,\"reasoning_tokens\":0,"
            "\"rejected_prediction_tokens\":0},\"prompt_tokens\":%d,\"prompt_tokens_details\":{"
            "\"audio_tokens\":0,\"cached_tokens\":0},\"total_tokens\":%d}", c, p, p + c);
    else
        oa_mock_buf_printf (out, "{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\""
            ":%d,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
            "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
            "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}", p, c, p + c);
}

//  --------------------------------------------------------------------------
//  Appends the assistant message of a non-stream chat answer

static void
s_message (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    bool azure = job->dialect == OA_MOCK_AZURE;
    oa_mock_buf_t text = { 0 };
    oa_mock_full_text (job, &text);
    if (job->tool_call) {
        if (azure) {
            OA_MOCK_PUT (out, "{\"annotations\":[],\"content\":null,\"refusal\":null,"
                         "\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"arguments\":");
            oa_mock_buf_str (out, text.data, text.len);
            OA_MOCK_PUT (out, ",\"name\":");
            s_str (out, job->tool_name);
            OA_MOCK_PUT (out, "},\"id\":");
            s_call_id (job, out);
            OA_MOCK_PUT (out, ",\"type\":\"function\"}]}");
        }
        else {
            OA_MOCK_PUT (out, "{\"role\":\"assistant\",\"content\":null,\"refusal\":null,"
                         "\"annotations\":[],\"tool_calls\":[{\"id\":");
            s_call_id (job, out);
            OA_MOCK_PUT (out, ",\"type\":\"function\",\"function\":{\"name\":");
            s_str (out, job->tool_name);
            OA_MOCK_PUT (out, ",\"arguments\":");
            oa_mock_buf_str (out, text.data, text.len);
            OA_MOCK_PUT (out, "}}]}");
        }
    }
    else
    if (azure) {
        OA_MOCK_PUT (out, "{\"annotations\":[],\"content\":");
        oa_mock_buf_str (out, text.data, text.len);
        OA_MOCK_PUT (out, ",\"refusal\":null,\"role\":\"assistant\"}");
    }
    else {
        OA_MOCK_PUT (out, "{\"role\":\"assistant\",\"content\":");
        oa_mock_buf_str (out, text.data, text.len);
        OA_MOCK_PUT (out, ",\"refusal\":null,\"annotations\":[]}");
    }
    oa_mock_buf_free (&text);
}

//  --------------------------------------------------------------------------
//  Non-stream chat.completion body

static void
s_chat_body (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    if (job->dialect == OA_MOCK_AZURE) {
        OA_MOCK_PUT (out, "{\"choices\":[{\"content_filter_results\":" S_FILTER
                     ",\"finish_reason\":");
        s_str (out, s_finish (job));
        OA_MOCK_PUT (out, ",\"index\":0,\"logprobs\":null,\"message\":");
        s_message (job, out);
        oa_mock_buf_printf (out, "}],\"created\":%lld,\"id\":\"%s\",\"model\":", job->created,
                            job->id);
        s_str (out, job->model);
        OA_MOCK_PUT (out, ",\"object\":\"chat.completion\",\"prompt_filter_results\":"
                     S_PROMPT_FILTER ",\"system_fingerprint\":\"" S_FINGERPRINT "\",\"usage\":");
        s_usage (job, out);
        OA_MOCK_PUT (out, "}");
        return;
    }
    oa_mock_buf_printf (out, "{\"id\":\"%s\",\"object\":\"chat.completion\",\"created\":%lld,"
                        "\"model\":", job->id, job->created);
    s_str (out, job->model);
    OA_MOCK_PUT (out, ",\"choices\":[{\"index\":0,\"message\":");
    s_message (job, out);
    OA_MOCK_PUT (out, ",\"logprobs\":null,\"finish_reason\":");
    s_str (out, s_finish (job));
    OA_MOCK_PUT (out, "}],\"usage\":");
    s_usage (job, out);
    OA_MOCK_PUT (out, ",\"service_tier\":\"default\",\"system_fingerprint\":\"" S_FINGERPRINT
                 "\"}");
}

//  --------------------------------------------------------------------------
//  Stream chunk: opens "data: {...,"choices":[" in the dialect's order

static void
s_chunk_open (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    if (job->dialect == OA_MOCK_AZURE)
        OA_MOCK_PUT (out, "data: {\"choices\":[");
    else {
        oa_mock_buf_printf (out, "data: {\"id\":\"%s\",\"object\":\"chat.completion.chunk\","
                            "\"created\":%lld,\"model\":", job->id, job->created);
        s_str (out, job->model);
        OA_MOCK_PUT (out, ",\"service_tier\":\"default\",\"system_fingerprint\":\""
                     S_FINGERPRINT "\",\"choices\":[");
    }
}

//  Stream chunk: closes it; usage is "null", an object, or absent
static void
s_chunk_close (oa_mock_job_t *job, oa_mock_buf_t *out, bool with_usage)
{
    if (job->dialect == OA_MOCK_AZURE) {
        oa_mock_buf_printf (out, "],\"created\":%lld,\"id\":\"%s\",\"model\":", job->created,
                            job->id);
        s_str (out, job->model);
        OA_MOCK_PUT (out, ",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\""
                     S_FINGERPRINT "\"");
        if (with_usage) {
            OA_MOCK_PUT (out, ",\"usage\":");
            s_usage (job, out);
        }
        OA_MOCK_PUT (out, "}\n\n");
        return;
    }
    OA_MOCK_PUT (out, "]");
    if (with_usage) {
        OA_MOCK_PUT (out, ",\"usage\":");
        s_usage (job, out);
    }
    else
    if (job->include_usage && job->behave.usage == 1)
        OA_MOCK_PUT (out, ",\"usage\":null");
    if (job->obfuscation)
        OA_MOCK_PUT (out, ",\"obfuscation\":\"Qz1x\"");
    OA_MOCK_PUT (out, "}\n\n");
}

//  Stream chunk: one choice with delta (raw JSON) and finish reason
static void
s_chunk_choice (oa_mock_job_t *job, oa_mock_buf_t *out, const char *delta, size_t delta_len,
                const char *finish, bool filter)
{
    if (job->dialect == OA_MOCK_AZURE) {
        OA_MOCK_PUT (out, "{\"content_filter_results\":");
        oa_mock_buf_puts (out, filter? S_FILTER: "{}");
        OA_MOCK_PUT (out, ",\"delta\":");
        oa_mock_buf_put (out, delta, delta_len);
        OA_MOCK_PUT (out, ",\"finish_reason\":");
        if (finish)
            s_str (out, finish);
        else
            OA_MOCK_PUT (out, "null");
        OA_MOCK_PUT (out, ",\"index\":0,\"logprobs\":null}");
        return;
    }
    OA_MOCK_PUT (out, "{\"index\":0,\"delta\":");
    oa_mock_buf_put (out, delta, delta_len);
    OA_MOCK_PUT (out, ",\"logprobs\":null,\"finish_reason\":");
    if (finish)
        s_str (out, finish);
    else
        OA_MOCK_PUT (out, "null");
    OA_MOCK_PUT (out, "}");
}

//  --------------------------------------------------------------------------
//  Chat stream: Azure prelude, then the role (or tool call head) delta

static void
s_chat_open (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    bool azure = job->dialect == OA_MOCK_AZURE;
    if (azure)
        OA_MOCK_PUT (out, "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\","
                     "\"object\":\"\",\"prompt_filter_results\":" S_PROMPT_FILTER "}\n\n");
    oa_mock_buf_t delta = { 0 };
    if (job->tool_call && azure) {
        OA_MOCK_PUT (&delta, "{\"content\":null,\"refusal\":null,\"role\":\"assistant\","
                     "\"tool_calls\":[{\"function\":{\"arguments\":\"\",\"name\":");
        s_str (&delta, job->tool_name);
        OA_MOCK_PUT (&delta, "},\"id\":");
        s_call_id (job, &delta);
        OA_MOCK_PUT (&delta, ",\"index\":0,\"type\":\"function\"}]}");
    }
    else
    if (job->tool_call) {
        OA_MOCK_PUT (&delta, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
                     "\"index\":0,\"id\":");
        s_call_id (job, &delta);
        OA_MOCK_PUT (&delta, ",\"type\":\"function\",\"function\":{\"name\":");
        s_str (&delta, job->tool_name);
        OA_MOCK_PUT (&delta, ",\"arguments\":\"\"}}],\"refusal\":null}");
    }
    else
    if (azure)
        OA_MOCK_PUT (&delta, "{\"content\":\"\",\"refusal\":null,\"role\":\"assistant\"}");
    else
        OA_MOCK_PUT (&delta, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}");
    s_chunk_open (job, out);
    s_chunk_choice (job, out, delta.data, delta.len, NULL, false);
    s_chunk_close (job, out, false);
    oa_mock_buf_free (&delta);
}

//  Chat stream: content word or tool-argument fragment index
static void
s_chat_chunk (oa_mock_job_t *job, int index, oa_mock_buf_t *out)
{
    size_t len;
    const char *piece = oa_mock_piece (job, index, &len);
    oa_mock_buf_t delta = { 0 };
    if (job->tool_call) {
        bool azure = job->dialect == OA_MOCK_AZURE;
        oa_mock_buf_puts (&delta, azure? "{\"tool_calls\":[{\"function\":{\"arguments\":":
                          "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":");
        oa_mock_buf_str (&delta, piece, len);
        oa_mock_buf_puts (&delta, azure? "},\"index\":0}]}": "}}]}");
    }
    else {
        OA_MOCK_PUT (&delta, "{\"content\":");
        oa_mock_buf_str (&delta, piece, len);
        OA_MOCK_PUT (&delta, "}");
    }
    s_chunk_open (job, out);
    s_chunk_choice (job, out, delta.data, delta.len, NULL, true);
    s_chunk_close (job, out, false);
    oa_mock_buf_free (&delta);
}

//  Chat stream: finish chunk, usage chunk, [DONE]
static void
s_chat_close (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    s_chunk_open (job, out);
    s_chunk_choice (job, out, "{}", 2, s_finish (job), false);
    s_chunk_close (job, out, job->behave.usage == 2);
    if (job->include_usage && job->behave.usage == 1) {
        s_chunk_open (job, out);
        s_chunk_close (job, out, true);
    }
    OA_MOCK_PUT (out, "data: [DONE]\n\n");
}

//  Chat / completions stream: a mid-stream error, then the stream just ends
static void
s_chat_fail (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    (void) job;
    OA_MOCK_PUT (out, "data: {\"error\":{\"message\":\"The server had an error while processing "
                 "your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,"
                 "\"code\":null}}\n\n");
}

static const oa_mock_format_t s_chat_format = {
    s_chat_open, s_chat_chunk, s_chat_close, s_chat_fail, "text/event-stream; charset=utf-8"
};

//  --------------------------------------------------------------------------
//  Reads the stream flags shared by chat and completions

static void
s_stream_options (oa_mock_job_t *job, json_t *root)
{
    job->stream = json_is_true (json_object_get (root, "stream"));
    json_t *options = json_object_get (root, "stream_options");
    job->include_usage = json_is_true (json_object_get (options, "include_usage"));
    job->obfuscation = job->dialect == OA_MOCK_OPENAI
                    && !json_is_false (json_object_get (options, "include_obfuscation"));
}

//  --------------------------------------------------------------------------
//  POST /v1/chat/completions (and Azure's)

bool
oa_mock_openai_chat (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                     oa_mock_buf_t *body, int *status)
{
    (void) req;
    json_t *messages = json_object_get (root, "messages");
    if (!json_is_array (messages)) {
        *status = 400;
        oa_mock_error (job, body, 400, "Missing required parameter: 'messages'.", "messages",
                       "missing_required_parameter");
        return false;
    }
    if (!job->model [0]) {
        *status = 400;
        oa_mock_error (job, body, 400, "you must provide a model parameter", NULL, NULL);
        return false;
    }
    size_t i;
    json_t *message;
    json_array_foreach (messages, i, message)
        job->prompt_tokens += oa_mock_message_tokens (message);

    //  Tool call when tools are offered and not refused (or forced by tools=1)
    json_t *tools = json_object_get (root, "tools");
    json_t *choice = json_object_get (root, "tool_choice");
    bool offered = json_array_size (tools) > 0
                && !(json_is_string (choice) && !strcmp (json_string_value (choice), "none"));
    job->tool_call = job->behave.tools == 1 || (job->behave.tools == -1 && offered);
    if (job->tool_call) {
        json_t *function = json_object_get (json_array_get (tools, 0), "function");
        const char *wanted = json_string_value (json_object_get (json_object_get (choice,
                                                                 "function"), "name"));
        json_t *tool;
        json_array_foreach (tools, i, tool) {
            json_t *f = json_object_get (tool, "function");
            if (wanted && !strcmp (wanted, json_string_value (json_object_get (f, "name"))?: ""))
                function = f;
        }
        oa_mock_set_tool (job, json_string_value (json_object_get (function, "name")),
                          json_object_get (function, "parameters"));
    }
    json_t *max = json_object_get (root, "max_completion_tokens");
    if (!json_is_integer (max))
        max = json_object_get (root, "max_tokens");
    oa_mock_plan (job, (int) json_integer_value (max));
    oa_mock_next_id (job->id, sizeof (job->id), "chatcmpl-");
    s_stream_options (job, root);
    if (job->stream) {
        job->format = &s_chat_format;
        return true;
    }
    s_chat_body (job, body);
    return false;
}

//  --------------------------------------------------------------------------
//  Completions stream: one text_completion chunk per word

static void
s_text_chunk (oa_mock_job_t *job, const char *text, size_t len, const char *finish,
              oa_mock_buf_t *out)
{
    oa_mock_buf_printf (out, "data: {\"id\":\"%s\",\"object\":\"text_completion\",\"created\":"
                        "%lld,\"choices\":[{\"text\":", job->id, job->created);
    oa_mock_buf_str (out, text, len);
    OA_MOCK_PUT (out, ",\"index\":0,\"logprobs\":null,\"finish_reason\":");
    if (finish)
        s_str (out, finish);
    else
        OA_MOCK_PUT (out, "null");
    OA_MOCK_PUT (out, "}],\"model\":");
    s_str (out, job->model);
    OA_MOCK_PUT (out, "}\n\n");
}

static void
s_text_open (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    (void) job;
    (void) out;
}

static void
s_text_piece (oa_mock_job_t *job, int index, oa_mock_buf_t *out)
{
    size_t len;
    const char *piece = oa_mock_piece (job, index, &len);
    s_text_chunk (job, piece, len, NULL, out);
}

static void
s_text_close (oa_mock_job_t *job, oa_mock_buf_t *out)
{
    s_text_chunk (job, "", 0, job->truncated? "length": "stop", out);
    if (job->include_usage && job->behave.usage) {
        oa_mock_buf_printf (out, "data: {\"id\":\"%s\",\"object\":\"text_completion\","
                            "\"created\":%lld,\"choices\":[],\"model\":", job->id, job->created);
        s_str (out, job->model);
        oa_mock_buf_printf (out, ",\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,"
                            "\"total_tokens\":%d}}\n\n", job->prompt_tokens,
                            job->completion_tokens, job->prompt_tokens + job->completion_tokens);
    }
    OA_MOCK_PUT (out, "data: [DONE]\n\n");
}

static const oa_mock_format_t s_text_format = {
    s_text_open, s_text_piece, s_text_close, s_chat_fail, "text/event-stream; charset=utf-8"
};

//  --------------------------------------------------------------------------
//  POST /v1/completions (legacy)

bool
oa_mock_openai_completions (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                            oa_mock_buf_t *body, int *status)
{
    (void) req;
    if (!job->model [0]) {
        *status = 400;
        oa_mock_error (job, body, 400, "you must provide a model parameter", NULL, NULL);
        return false;
    }
    job->prompt_tokens = oa_mock_input_tokens (json_object_get (root, "prompt"));
    oa_mock_plan (job, (int) json_integer_value (json_object_get (root, "max_tokens")));
    oa_mock_next_id (job->id, sizeof (job->id), "cmpl-");
    s_stream_options (job, root);
    job->obfuscation = false;
    if (job->stream) {
        job->format = &s_text_format;
        return true;
    }
    oa_mock_buf_printf (body, "{\"id\":\"%s\",\"object\":\"text_completion\",\"created\":%lld,"
                        "\"model\":", job->id, job->created);
    s_str (body, job->model);
    OA_MOCK_PUT (body, ",\"system_fingerprint\":\"" S_FINGERPRINT "\",\"choices\":[{\"text\":");
    oa_mock_buf_t text = { 0 };
    oa_mock_full_text (job, &text);
    oa_mock_buf_str (body, text.data, text.len);
    oa_mock_buf_free (&text);
    oa_mock_buf_printf (body, ",\"index\":0,\"logprobs\":null,\"finish_reason\":\"%s\"}],"
                        "\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,"
                        "\"total_tokens\":%d}}", job->truncated? "length": "stop",
                        job->prompt_tokens, job->completion_tokens,
                        job->prompt_tokens + job->completion_tokens);
    return false;
}

//  --------------------------------------------------------------------------
//  Embedding value j: deterministic, in [-0.1, 0.1]

static float
s_value (int j)
{
    unsigned int h = (unsigned int) j * 2654435761u;
    return (float) ((int) (h % 20001) - 10000) / 100000.0f;
}

//  --------------------------------------------------------------------------
//  POST /v1/embeddings: one vector per input item, identical values; the
//  rendered vector is cached per thread because it dominates the cost.

bool
oa_mock_openai_embeddings (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                           oa_mock_buf_t *body, int *status)
{
    static __thread oa_mock_buf_t cache;
    static __thread int cache_dims;
    static __thread bool cache_b64;
    (void) req;
    json_t *input = json_object_get (root, "input");
    if (!input || json_is_null (input)) {
        *status = 400;
        oa_mock_error (job, body, 400, "Missing required parameter: 'input'.", "input",
                       "missing_required_parameter");
        return false;
    }
    job->prompt_tokens = oa_mock_input_tokens (input);
    json_int_t dims = json_integer_value (json_object_get (root, "dimensions"));
    int d = dims > 0 && dims <= 65536? (int) dims: 1536;
    const char *format = json_string_value (json_object_get (root, "encoding_format"));
    bool b64 = format && !strcmp (format, "base64");
    if (!cache.len || cache_dims != d || cache_b64 != b64) {
        static const char digits [] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        cache.len = 0;
        cache_dims = d;
        cache_b64 = b64;
        if (b64) {
            unsigned char *raw = malloc ((size_t) d * 4 + 3);
            for (int j = 0; j < d; j++) {
                float f = s_value (j);
                memcpy (raw + j * 4, &f, 4);        //  little-endian hosts only
            }
            size_t n = (size_t) d * 4;
            raw [n] = raw [n + 1] = raw [n + 2] = 0;
            OA_MOCK_PUT (&cache, "\"");
            for (size_t k = 0; k < n; k += 3) {
                unsigned int v = raw [k] << 16 | raw [k + 1] << 8 | raw [k + 2];
                char quad [4] = { digits [v >> 18], digits [(v >> 12) & 63],
                                  k + 1 < n? digits [(v >> 6) & 63]: '=',
                                  k + 2 < n? digits [v & 63]: '=' };
                oa_mock_buf_put (&cache, quad, 4);
            }
            OA_MOCK_PUT (&cache, "\"");
            free (raw);
        }
        else {
            OA_MOCK_PUT (&cache, "[");
            for (int j = 0; j < d; j++)
                oa_mock_buf_printf (&cache, j? ",%.6f": "%.6f", (double) s_value (j));
            OA_MOCK_PUT (&cache, "]");
        }
    }
    //  Items: a string or one token array is one input; other arrays, one per element
    size_t items = 1;
    if (json_is_array (input) && !json_is_integer (json_array_get (input, 0)))
        items = json_array_size (input);
    OA_MOCK_PUT (body, "{\"object\":\"list\",\"data\":[");
    for (size_t i = 0; i < items; i++) {
        oa_mock_buf_printf (body, "%s{\"object\":\"embedding\",\"index\":%zu,\"embedding\":",
                            i? ",": "", i);
        oa_mock_buf_put (body, cache.data, cache.len);
        OA_MOCK_PUT (body, "}");
    }
    OA_MOCK_PUT (body, "],\"model\":");
    s_str (body, job->model);
    oa_mock_buf_printf (body, ",\"usage\":{\"prompt_tokens\":%d,\"total_tokens\":%d}}",
                        job->prompt_tokens, job->prompt_tokens);
    return false;
}

//  --------------------------------------------------------------------------
//  POST /v1/moderations: nothing is ever flagged

bool
oa_mock_openai_moderations (oa_mock_job_t *job, json_t *root, const oa_mock_req_t *req,
                            oa_mock_buf_t *body, int *status)
{
    static const char *categories [] = {
        "harassment", "harassment/threatening", "sexual", "hate", "hate/threatening", "illicit",
        "illicit/violent", "self-harm/intent", "self-harm/instructions", "self-harm",
        "sexual/minors", "violence", "violence/graphic"
    };
    (void) req;
    json_t *input = json_object_get (root, "input");
    if (!input || json_is_null (input)) {
        *status = 400;
        oa_mock_error (job, body, 400, "Missing required parameter: 'input'.", "input",
                       "missing_required_parameter");
        return false;
    }
    size_t items = json_is_array (input)? json_array_size (input): 1;
    oa_mock_next_id (job->id, sizeof (job->id), "modr-");
    oa_mock_buf_printf (body, "{\"id\":\"%s\",\"model\":", job->id);
    s_str (body, job->model [0]? job->model: "omni-moderation-latest");
    OA_MOCK_PUT (body, ",\"results\":[");
    for (size_t i = 0; i < items; i++) {
        oa_mock_buf_puts (body, i? ",{\"flagged\":false,\"categories\":{":
                          "{\"flagged\":false,\"categories\":{");
        for (size_t c = 0; c < sizeof (categories) / sizeof (categories [0]); c++)
            oa_mock_buf_printf (body, "%s\"%s\":false", c? ",": "", categories [c]);
        OA_MOCK_PUT (body, "},\"category_scores\":{");
        for (size_t c = 0; c < sizeof (categories) / sizeof (categories [0]); c++)
            oa_mock_buf_printf (body, "%s\"%s\":1e-06", c? ",": "", categories [c]);
        OA_MOCK_PUT (body, "}}");
    }
    OA_MOCK_PUT (body, "]}");
    return false;
}

//  --------------------------------------------------------------------------
//  GET /v1/models

void
oa_mock_openai_models (oa_mock_buf_t *body)
{
    static const char *models [] = {
        "gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "gpt-3.5-turbo-instruct",
        "text-embedding-3-small", "omni-moderation-latest"
    };
    OA_MOCK_PUT (body, "{\"object\":\"list\",\"data\":[");
    for (size_t i = 0; i < sizeof (models) / sizeof (models [0]); i++)
        oa_mock_buf_printf (body, "%s{\"id\":\"%s\",\"object\":\"model\",\"created\":1715367049,"
                            "\"owned_by\":\"system\"}", i? ",": "", models [i]);
    OA_MOCK_PUT (body, "]}");
}
