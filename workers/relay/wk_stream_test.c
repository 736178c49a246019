/*  =========================================================================
    wk_stream_test - the scanned reading of passthrough stream events
    against jansson's

    wk_stream_compare runs one event through both readings on two jobs set
    up alike and asserts they end alike; the unit test feeds it upstream
    chunks of every family, and tests/fuzz/wk_stream_event_fuzz.c feeds it
    anything.
    =========================================================================
*/
#include "wk_job_private.h"
#include "wk_stream_event.h"

//  A job with just what the event handler reads and writes.
static void
s_job_init (wk_job_t *job, const wk_stream_case_t *kase)
{
    memset (job, 0, sizeof *job);
    job->client_format = (oa_api_format_t) kase->client_format;
    job->up.usage_forced = kase->usage_forced;
    job->request = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (job->request);
    oa_msg_set_include_usage_requested (job->request, kase->client_usage);
    job->writer = oa_sse_writer_new (job->client_format);
    assert (job->writer);
    if (kase->tail)
        job->usage_tail = json_pack ("{s:s,s:[],s:{s:i}}", "id", "earlier", "choices",
                                     "usage", "prompt_tokens", 1);
    //  Something to overwrite, so a stray write shows
    job->usage.prompt_tokens = 11;
    job->usage.cached_tokens = 3;
    job->completion_bytes = 5;
}

static void
s_job_clear (wk_job_t *job)
{
    oa_sse_writer_destroy (&job->writer);
    oa_msg_destroy (&job->request);
    json_decref (job->usage_tail);
}

int
wk_stream_compare (const wk_stream_case_t *kase, const char *event, const char *data, size_t size)
{
    assert (kase);
    wk_job_t scanned, reference;
    s_job_init (&scanned, kase);
    s_job_init (&reference, kase);
    //  The scan alone must leave the job untouched when it cannot answer
    int scan_rc = wk_stream_event (&scanned, event, data, size, WK_STREAM_SCAN);
    int got_rc = scan_rc;
    if (scan_rc == 1) {
        size_t written;
        oa_sse_writer_data (scanned.writer, &written);
        assert (written == 0 && scanned.completion_bytes == 5 && !scanned.error_seen);
        got_rc = wk_stream_event (&scanned, event, data, size, WK_STREAM_AUTO);
    }
    //  -1: the writer refused the event (a named format without a type)
    int want_rc = wk_stream_event (&reference, event, data, size, WK_STREAM_JANSSON);
    assert (want_rc == 0 || want_rc == -1);
    size_t got_size, want_size;
    const char *got = oa_sse_writer_data (scanned.writer, &got_size);
    const char *want = oa_sse_writer_data (reference.writer, &want_size);
    bool same = got_rc == want_rc && got_size == want_size && (got_size == 0 || memcmp (got, want, got_size) == 0)
             && memcmp (&scanned.usage, &reference.usage, sizeof scanned.usage) == 0
             && scanned.usage_seen == reference.usage_seen
             && scanned.error_seen == reference.error_seen
             && scanned.completion_bytes == reference.completion_bytes
             && (scanned.usage_tail != NULL) == (reference.usage_tail != NULL)
             && (!scanned.usage_tail || json_equal (scanned.usage_tail, reference.usage_tail));
    if (!same) {
        fprintf (stderr, "wk_stream_compare: readings differ on '%.*s' (scan answered: %s)\n"
                         "  written %zu/%zu, usage_seen %d/%d, error_seen %d/%d, bytes %zu/%zu\n",
                 (int) size, data, scan_rc != 1? "yes": "no", got_size, want_size,
                 scanned.usage_seen, reference.usage_seen, scanned.error_seen,
                 reference.error_seen, scanned.completion_bytes, reference.completion_bytes);
        assert (false);
    }
    s_job_clear (&scanned);
    s_job_clear (&reference);
    return scan_rc != 1;
}


//  --------------------------------------------------------------------------
//  Self test

//  Runs a chunk in every job setup; answered: whether the scan must answer
//  it alone (it then must in every setup).
static void
s_check (const char *event, const char *data, bool answered)
{
    const int formats [] = { OA_API_FORMAT_CHAT, OA_API_FORMAT_RESPONSES,
                             OA_API_FORMAT_CLAUDE, OA_API_FORMAT_GEMINI };
    for (size_t f = 0; f < 4; f++)
        for (int bits = 0; bits < 8; bits++) {
            wk_stream_case_t kase = { formats [f], bits & 1, (bits & 2) != 0, (bits & 4) != 0 };
            //  An exact copy, so an overread shows
            size_t size = strlen (data);
            char *copy = (char *) malloc (size + 1);
            assert (copy);
            memcpy (copy, data, size + 1);
            //  Named formats need an event type: with none the writer refuses
            const char *type = event? event: (bits & 1)? "delta": NULL;
            int rc = wk_stream_compare (&kase, type, copy, size);
            free (copy);
            if (rc != answered) {
                fprintf (stderr, "wk_stream: scan %s '%s'\n", rc? "answered": "fell back on", data);
                assert (false);
            }
        }
}

void
oa_wk_stream_test (bool verbose)
{
    (void) verbose;
    printf (" * oa_wk_stream: ");
    //  Common chunks: the scan answers alone
    s_check (NULL, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                   "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,"
                   "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                   "\"finish_reason\":null}],\"usage\":null}", true);
    s_check (NULL, "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello \\\"w\\u00f6rld\\\"\\n"
                   "\xe4\xbd\xa0\xe5\xa5\xbd \\ud83d\\ude00\"},\"finish_reason\":null}]}", true);
    s_check (NULL, "{\"id\":\"d\",\"object\":\"chat.completion.chunk\",\"model\":\"deepseek-reasoner\","
                   "\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning_content\":\"Let me "
                   "think\"},\"logprobs\":null,\"finish_reason\":null}]}", true);
    s_check (NULL, "{\"choices\":[{\"delta\":{\"reasoning\":\"abc\",\"content\":\"de\"}},"
                   "{\"delta\":{\"content\":\"f\"}},{\"text\":\"ghij\"},3,null,\"x\"]}", true);
    s_check (NULL, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                   "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                   "\"{\\\"city\\\": \\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}", true);
    s_check (NULL, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"text\":\" once\","
                   "\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"error\":null}", true);
    s_check (NULL, "{\"choices\":[{\"delta\":{\"content\":\"x\"},\"logprobs\":{\"content\":[{\"token\":\"x\","
                   "\"logprob\":-0.0019,\"bytes\":[120],\"top_logprobs\":[]}]}}]}", true);
    //  Repeated keys: the last one counts, at every level
    s_check (NULL, "{\"choices\":[],\"choices\":[{\"delta\":{\"content\":\"ab\",\"content\":\"abcd\"},"
                   "\"delta\":{\"content\":\"xyz\"}}]}", true);
    s_check (NULL, "{\"choices\":[{\"text\":\"abc\",\"text\":5}]}", true);
    s_check (NULL, "{\"usage\":{\"prompt_tokens\":1},\"usage\":null,\"choices\":[{}]}", false);
    //  Usage, errors, filter chunks: jansson's reading
    s_check (NULL, "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,"
                   "\"total_tokens\":21,\"prompt_tokens_details\":{\"cached_tokens\":4}}}", false);
    s_check (NULL, "{\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0,"
                   "\"content_filter_results\":{}}]}", false);
    s_check (NULL, "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
                   "\"completion_tokens\":7,\"prompt_cache_hit_tokens\":2}}", false);
    s_check (NULL, "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_1\","
                   "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}}", false);
    s_check (NULL, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}", false);
    s_check ("error", "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}", false);
    s_check (NULL, "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"prompt_tokens\":3}", false);
    s_check (NULL, "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":15}}", false);
    s_check (NULL, "{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":2}}", false);
    s_check (NULL, "{\"id\":\"c\"}", false);
    s_check (NULL, "{\"choices\":null}", false);
    //  Escaped keys may decode to one that counts
    s_check (NULL, "{\"choices\":[{\"delta\":{\"cont\\u0065nt\":\"abc\"}}]}", false);
    s_check (NULL, "{\"us\\u0061ge\":{\"prompt_tokens\":1},\"choices\":[{}]}", false);
    //  Not JSON jansson takes: forwarded as it came, nothing counted
    s_check (NULL, "{\"choices\":[{\"delta\":{\"content\":\"abc\"}}]", false);
    s_check (NULL, "{\"choices\":[{\"delta\":{\"content\":\"a\\u0000b\"}}]}", false);
    s_check (NULL, "{\"choices\":[{\"delta\":{\"content\":\"\\ud800\"}}]}", false);
    s_check (NULL, "{\"choices\":[{\"delta\":{\"content\":\"\xc3\x28\"}}]}", false);
    s_check (NULL, "{\"choices\":[{\"index\":12345678901234567890,\"delta\":{\"content\":\"a\"}}]}", false);
    s_check (NULL, "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]} trailing", false);
    s_check (NULL, "[{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}]", false);
    s_check (NULL, "keep-alive", false);
    s_check (NULL, "", false);
    printf ("OK\n");
}
