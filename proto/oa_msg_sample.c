//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_sample - the schema's <test> values, as messages and as bytes

    Samples built through the typed setters, a check that reads them
    back through the typed getters, and golden encodings made by the
    generator's own msgpack encoder, for the selftest, the fuzz seeds
    and examples.
    =========================================================================
*/

#include "oa_msg_private.h"

//  True if text (which may be NULL) equals expected
static bool
s_text_is (const char *text, const char *expected)
{
    return text && streq (text, expected);
}

//  True if the map exists and holds size entries
static bool
s_map_size_is (zhash_t *hash, size_t size)
{
    return hash && zhash_size (hash) == size;
}

//  True if the list exists and holds size items
static bool
s_list_size_is (zlist_t *list, size_t size)
{
    return list && zlist_size (list) == size;
}

//  Returns the list item at index, or NULL
static const char *
s_list_at (zlist_t *list, size_t index)
{
    const char *item = list? (const char *) zlist_first (list): NULL;
    while (item && index--)
        item = (const char *) zlist_next (list);
    return item;
}

//  True if the chunk holds exactly these bytes
static bool
s_chunk_is (zchunk_t *chunk, const char *data, size_t size)
{
    return chunk && zchunk_size (chunk) == size && memcmp (zchunk_data (chunk), data, size) == 0;
}

//  True if the frame holds exactly these bytes
static bool
s_frame_is (zframe_t *frame, const char *data, size_t size)
{
    return frame && zframe_size (frame) == size && memcmp (zframe_data (frame), data, size) == 0;
}

//  A candidate holding its test values
static oa_msg_candidate_t *
s_candidate_sample (void)
{
    oa_msg_candidate_t *self = oa_msg_candidate_new ();
    oa_msg_candidate_set_channel_id (self, UINT64_C (17));
    oa_msg_candidate_set_channel_type (self, 14);
    oa_msg_candidate_set_base_url (self, "https://api.anthropic.com");
    oa_msg_candidate_set_api_key (self, "sk-ant-test-0000");
    oa_msg_candidate_set_upstream_model (self, "claude-sonnet-4-5");
    oa_msg_candidate_set_priority (self, INT64_C (-3));
    oa_msg_candidate_set_config_json (self, "{\"api_format\":\"chat_completion\"}");
    oa_msg_candidate_set_system_prompt (self, "You are terse.");
    oa_msg_candidate_set_model_configs_json (self, "{\"ratio\":1.5,\"max_tokens\":8192}");
    oa_msg_candidate_set_group_ratio (self, "0.75");
    oa_msg_candidate_set_other (self, "2024-10-21");
    return self;
}

//  True if a candidate holds its test values
static bool
s_candidate_verify (oa_msg_candidate_t *self)
{
    return self
        && oa_msg_candidate_channel_id (self) == UINT64_C (17)
        && oa_msg_candidate_channel_type (self) == 14
        && streq (oa_msg_candidate_base_url (self), "https://api.anthropic.com")
        && streq (oa_msg_candidate_api_key (self), "sk-ant-test-0000")
        && streq (oa_msg_candidate_upstream_model (self), "claude-sonnet-4-5")
        && oa_msg_candidate_priority (self) == INT64_C (-3)
        && streq (oa_msg_candidate_config_json (self), "{\"api_format\":\"chat_completion\"}")
        && streq (oa_msg_candidate_system_prompt (self), "You are terse.")
        && streq (oa_msg_candidate_model_configs_json (self), "{\"ratio\":1.5,\"max_tokens\":8192}")
        && streq (oa_msg_candidate_group_ratio (self), "0.75")
        && streq (oa_msg_candidate_other (self), "2024-10-21");
}


//  --------------------------------------------------------------------------
//  Samples

oa_msg_t *
oa_msg_sample (int id)
{
    oa_msg_t *self = oa_msg_new (id);
    if (!self)
        return NULL;
    oa_msg_set_corr_id (self, UINT64_C (1234605616436508552));
    oa_msg_set_deadline (self, UINT64_C (1767225600000));
    switch (id) {
        case OA_MSG_RELAY_REQUEST: {
            oa_msg_set_request_id (self, "20260101000000123456789012345678");
            oa_msg_set_client_format (self, 4);
            oa_msg_set_stream (self, true);
            oa_msg_set_include_usage_requested (self, true);
            oa_msg_set_method (self, "POST");
            oa_msg_set_path (self, "/v1/messages");
            oa_msg_set_query (self, "beta=true");
            oa_msg_set_content_type (self, "application/json");
            oa_msg_set_client_ip (self, "203.0.113.9");
            oa_msg_set_user_id (self, UINT64_C (42));
            oa_msg_set_username (self, "alice");
            oa_msg_set_token_id (self, UINT64_C (7));
            oa_msg_set_token_name (self, "laptop");
            oa_msg_set_group (self, "default");
            oa_msg_set_requested_model (self, "claude-sonnet-4-5");
            oa_msg_headers_insert (self, "anthropic-beta", "prompt-caching-2024-07-31");
            oa_msg_headers_insert (self, "anthropic-version", "2023-06-01");
            oa_msg_set_thinking (self, true);
            oa_msg_set_reasoning_format (self, "reasoning_content");
            oa_msg_set_created_at_ms (self, UINT64_C (1767225599000));
            for (int index = 0; index < 2; index++) {
                oa_msg_candidate_t *item = s_candidate_sample ();
                oa_msg_candidates_append (self, &item);
            }
            oa_msg_set_trace_id (self, "trace-0001");
            oa_msg_set_retry_times (self, 2);
            oa_msg_set_pinned (self, true);
            oa_msg_set_reservation_id (self, UINT64_C (9001));
            oa_msg_set_reserved_quota (self, INT64_C (1500));
            oa_msg_set_prompt_tokens_estimate (self, UINT32_C (321));
            oa_msg_set_payload_bytes (self, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 103);
            break;
        }
        case OA_MSG_RELAY_HEAD: {
            oa_msg_set_status (self, 200);
            oa_msg_set_content_type (self, "text/event-stream");
            oa_msg_headers_insert (self, "x-request-id", "req_01");
            oa_msg_set_channel_id (self, UINT64_C (17));
            oa_msg_set_attempts (self, 1);
            break;
        }
        case OA_MSG_RELAY_DATA: {
            oa_msg_set_seq (self, UINT64_C (3));
            oa_msg_set_payload_bytes (self, "event: ping\012data: {\"type\":\"ping\"}\012\012", 35);
            break;
        }
        case OA_MSG_RELAY_END: {
            oa_msg_set_status (self, 200);
            oa_msg_set_channel_id (self, UINT64_C (17));
            oa_msg_set_prompt_tokens (self, UINT32_C (1200));
            oa_msg_set_completion_tokens (self, UINT32_C (350));
            oa_msg_set_cached_tokens (self, UINT32_C (1000));
            oa_msg_set_reasoning_tokens (self, UINT32_C (120));
            oa_msg_set_upstream_ms (self, UINT32_C (2300));
            oa_msg_set_ttft_ms (self, UINT32_C (420));
            oa_msg_set_attempts (self, 2);
            oa_msg_set_retries (self, 1);
            oa_msg_failures_append (self, "17 429");
            oa_msg_failures_append (self, "18 503");
            oa_msg_set_content_type (self, "application/json");
            oa_msg_set_payload_bytes (self, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}", 46);
            break;
        }
        case OA_MSG_RELAY_ERROR: {
            oa_msg_set_status (self, 429);
            oa_msg_set_error_type (self, "upstream_error");
            oa_msg_set_code (self, "rate_limit_exceeded");
            oa_msg_set_message (self, "All available channels (2) for this model are currently rate limited");
            oa_msg_set_channel_id (self, UINT64_C (17));
            oa_msg_set_bytes_sent (self, true);
            oa_msg_set_retryable (self, true);
            oa_msg_set_attempts (self, 2);
            oa_msg_failures_append (self, "17 429");
            oa_msg_failures_append (self, "18 503");
            oa_msg_set_payload_bytes (self, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limited\"}}", 77);
            break;
        }
        case OA_MSG_RELAY_CANCEL: {
            oa_msg_set_reason (self, "client closed connection");
            break;
        }
        case OA_MSG_WORKER_READY: {
            oa_msg_set_worker_id (self, "worker-a:1234");
            oa_msg_set_capacity (self, UINT32_C (512));
            oa_msg_set_software_version (self, "0.1.0");
            break;
        }
        case OA_MSG_WORKER_CREDIT: {
            oa_msg_set_credit (self, UINT32_C (8));
            break;
        }
        case OA_MSG_HEARTBEAT: {
            oa_msg_set_sender_id (self, "gateway-1");
            oa_msg_set_role (self, 1);
            oa_msg_set_inflight (self, UINT32_C (37));
            oa_msg_set_ts_ms (self, UINT64_C (1767225600123));
            oa_msg_set_state (self, 1);
            break;
        }
        case OA_MSG_USAGE: {
            oa_msg_set_request_id (self, "20260101000000123456789012345678");
            oa_msg_set_user_id (self, UINT64_C (42));
            oa_msg_set_username (self, "alice");
            oa_msg_set_token_id (self, UINT64_C (7));
            oa_msg_set_token_name (self, "laptop");
            oa_msg_set_channel_id (self, UINT64_C (17));
            oa_msg_set_group (self, "default");
            oa_msg_set_model (self, "claude-sonnet-4-5");
            oa_msg_set_origin_model (self, "claude-sonnet-4-5");
            oa_msg_set_prompt_tokens (self, UINT32_C (1200));
            oa_msg_set_completion_tokens (self, UINT32_C (350));
            oa_msg_set_cached_tokens (self, UINT32_C (1000));
            oa_msg_set_cache_write_5m_tokens (self, UINT32_C (64));
            oa_msg_set_cache_write_1h_tokens (self, UINT32_C (32));
            oa_msg_set_reasoning_tokens (self, UINT32_C (120));
            oa_msg_set_tools_cost (self, INT64_C (2500));
            oa_msg_set_stream (self, true);
            oa_msg_set_elapsed_ms (self, UINT32_C (2450));
            oa_msg_set_ttft_ms (self, UINT32_C (420));
            oa_msg_set_status (self, 200);
            oa_msg_set_client_format (self, 4);
            oa_msg_set_upstream_format (self, 1);
            oa_msg_set_reservation_id (self, UINT64_C (9001));
            oa_msg_set_reserved_quota (self, INT64_C (1500));
            oa_msg_set_created_at_ms (self, UINT64_C (1767225599000));
            oa_msg_set_metadata_json (self, "{\"estimated_charge\":false}");
            oa_msg_set_content (self, "model rate 1.5, group rate 0.75");
            oa_msg_set_trace_id (self, "trace-0001");
            oa_msg_set_system_prompt_reset (self, true);
            break;
        }
        case OA_MSG_USAGE_ACK: {
            oa_msg_request_ids_append (self, "20260101000000123456789012345678");
            oa_msg_request_ids_append (self, "20260101000000123456789012345679");
            break;
        }
        case OA_MSG_RESERVE: {
            oa_msg_set_request_id (self, "20260101000000123456789012345678");
            oa_msg_set_user_id (self, UINT64_C (42));
            oa_msg_set_token_id (self, UINT64_C (7));
            oa_msg_set_amount (self, INT64_C (1500));
            oa_msg_set_ttl_ms (self, UINT32_C (600000));
            break;
        }
        case OA_MSG_RESERVE_REPLY: {
            oa_msg_set_request_id (self, "20260101000000123456789012345678");
            oa_msg_set_ok (self, true);
            oa_msg_set_status (self, 403);
            oa_msg_set_code (self, "insufficient_user_quota");
            oa_msg_set_message (self, "user quota is not enough");
            oa_msg_set_reservation_id (self, UINT64_C (9001));
            oa_msg_set_user_remain_quota (self, INT64_C (499999998500));
            oa_msg_set_token_remain_quota (self, INT64_C (-500));
            oa_msg_set_token_unlimited (self, true);
            break;
        }
        case OA_MSG_SNAPSHOT_REQUEST: {
            oa_msg_set_gateway_id (self, "gateway-1");
            oa_msg_set_since_seq (self, UINT64_C (990));
            oa_msg_tables_append (self, "tokens");
            oa_msg_tables_append (self, "channels");
            zchunk_t *cursor = zchunk_new ("resume-at-0042", 14);
            oa_msg_set_cursor (self, &cursor);
            break;
        }
        case OA_MSG_SNAPSHOT_CHUNK: {
            oa_msg_set_seq (self, UINT64_C (1000));
            oa_msg_set_table (self, "channels");
            oa_msg_set_last (self, true);
            oa_msg_set_row_count (self, UINT32_C (2));
            zchunk_t *cursor = zchunk_new ("resume-at-0043", 14);
            oa_msg_set_cursor (self, &cursor);
            oa_msg_set_payload_bytes (self, "[{\"id\":17,\"type\":14},{\"id\":18,\"type\":1}]", 40);
            break;
        }
        case OA_MSG_CHANGE: {
            oa_msg_set_seq (self, UINT64_C (1001));
            oa_msg_set_table (self, "tokens");
            oa_msg_set_op (self, 1);
            oa_msg_set_row_id (self, "7");
            oa_msg_set_payload_bytes (self, "{\"id\":7,\"name\":\"laptop\",\"remain_quota\":100}", 43);
            break;
        }
        case OA_MSG_API_REQUEST: {
            oa_msg_set_request_id (self, "20260101000000123456789012345678");
            oa_msg_set_method (self, "POST");
            oa_msg_set_path (self, "/api/user/login");
            oa_msg_set_query (self, "p=0&size=10");
            oa_msg_set_client_ip (self, "203.0.113.9");
            oa_msg_headers_insert (self, "content-type", "application/json");
            oa_msg_set_payload_bytes (self, "{\"username\":\"root\",\"password\":\"123456\"}", 39);
            break;
        }
        case OA_MSG_API_REPLY: {
            oa_msg_set_status (self, 200);
            oa_msg_set_content_type (self, "application/json");
            oa_msg_headers_insert (self, "set-cookie", "session=abc; Path=/; HttpOnly");
            oa_msg_set_payload_bytes (self, "{\"success\":true,\"message\":\"\",\"data\":null}", 41);
            break;
        }
    }
    return self;
}

bool
oa_msg_sample_verify (oa_msg_t *self)
{
    assert (self);
    if (oa_msg_corr_id (self) != UINT64_C (1234605616436508552)
    ||  oa_msg_deadline (self) != UINT64_C (1767225600000))
        return false;
    switch (oa_msg_id (self)) {
        case OA_MSG_RELAY_REQUEST:
            return streq (oa_msg_request_id (self), "20260101000000123456789012345678")
                && oa_msg_client_format (self) == 4
                && oa_msg_stream (self)
                && oa_msg_include_usage_requested (self)
                && streq (oa_msg_method (self), "POST")
                && streq (oa_msg_path (self), "/v1/messages")
                && streq (oa_msg_query (self), "beta=true")
                && streq (oa_msg_content_type (self), "application/json")
                && streq (oa_msg_client_ip (self), "203.0.113.9")
                && oa_msg_user_id (self) == UINT64_C (42)
                && streq (oa_msg_username (self), "alice")
                && oa_msg_token_id (self) == UINT64_C (7)
                && streq (oa_msg_token_name (self), "laptop")
                && streq (oa_msg_group (self), "default")
                && streq (oa_msg_requested_model (self), "claude-sonnet-4-5")
                && s_map_size_is (oa_msg_headers (self), 2)
                && s_text_is (oa_msg_headers_lookup (self, "anthropic-beta"), "prompt-caching-2024-07-31")
                && s_text_is (oa_msg_headers_lookup (self, "anthropic-version"), "2023-06-01")
                && oa_msg_thinking (self)
                && streq (oa_msg_reasoning_format (self), "reasoning_content")
                && oa_msg_created_at_ms (self) == UINT64_C (1767225599000)
                && oa_msg_candidates_size (self) == 2
                && s_candidate_verify (oa_msg_candidates_at (self, 0))
                && s_candidate_verify (oa_msg_candidates_at (self, 1))
                && streq (oa_msg_trace_id (self), "trace-0001")
                && oa_msg_retry_times (self) == 2
                && oa_msg_pinned (self)
                && oa_msg_reservation_id (self) == UINT64_C (9001)
                && oa_msg_reserved_quota (self) == INT64_C (1500)
                && oa_msg_prompt_tokens_estimate (self) == UINT32_C (321)
                && s_frame_is (oa_msg_payload (self), "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 103);
        case OA_MSG_RELAY_HEAD:
            return oa_msg_status (self) == 200
                && streq (oa_msg_content_type (self), "text/event-stream")
                && s_map_size_is (oa_msg_headers (self), 1)
                && s_text_is (oa_msg_headers_lookup (self, "x-request-id"), "req_01")
                && oa_msg_channel_id (self) == UINT64_C (17)
                && oa_msg_attempts (self) == 1
                && oa_msg_payload (self) == NULL;
        case OA_MSG_RELAY_DATA:
            return oa_msg_seq (self) == UINT64_C (3)
                && s_frame_is (oa_msg_payload (self), "event: ping\012data: {\"type\":\"ping\"}\012\012", 35);
        case OA_MSG_RELAY_END:
            return oa_msg_status (self) == 200
                && oa_msg_channel_id (self) == UINT64_C (17)
                && oa_msg_prompt_tokens (self) == UINT32_C (1200)
                && oa_msg_completion_tokens (self) == UINT32_C (350)
                && oa_msg_cached_tokens (self) == UINT32_C (1000)
                && oa_msg_reasoning_tokens (self) == UINT32_C (120)
                && oa_msg_upstream_ms (self) == UINT32_C (2300)
                && oa_msg_ttft_ms (self) == UINT32_C (420)
                && oa_msg_attempts (self) == 2
                && oa_msg_retries (self) == 1
                && s_list_size_is (oa_msg_failures (self), 2)
                && s_text_is (s_list_at (oa_msg_failures (self), 0), "17 429")
                && s_text_is (s_list_at (oa_msg_failures (self), 1), "18 503")
                && streq (oa_msg_content_type (self), "application/json")
                && s_frame_is (oa_msg_payload (self), "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}", 46);
        case OA_MSG_RELAY_ERROR:
            return oa_msg_status (self) == 429
                && streq (oa_msg_error_type (self), "upstream_error")
                && streq (oa_msg_code (self), "rate_limit_exceeded")
                && streq (oa_msg_message (self), "All available channels (2) for this model are currently rate limited")
                && oa_msg_channel_id (self) == UINT64_C (17)
                && oa_msg_bytes_sent (self)
                && oa_msg_retryable (self)
                && oa_msg_attempts (self) == 2
                && s_list_size_is (oa_msg_failures (self), 2)
                && s_text_is (s_list_at (oa_msg_failures (self), 0), "17 429")
                && s_text_is (s_list_at (oa_msg_failures (self), 1), "18 503")
                && s_frame_is (oa_msg_payload (self), "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limited\"}}", 77);
        case OA_MSG_RELAY_CANCEL:
            return streq (oa_msg_reason (self), "client closed connection")
                && oa_msg_payload (self) == NULL;
        case OA_MSG_WORKER_READY:
            return streq (oa_msg_worker_id (self), "worker-a:1234")
                && oa_msg_capacity (self) == UINT32_C (512)
                && streq (oa_msg_software_version (self), "0.1.0")
                && oa_msg_payload (self) == NULL;
        case OA_MSG_WORKER_CREDIT:
            return oa_msg_credit (self) == UINT32_C (8)
                && oa_msg_payload (self) == NULL;
        case OA_MSG_HEARTBEAT:
            return streq (oa_msg_sender_id (self), "gateway-1")
                && oa_msg_role (self) == 1
                && oa_msg_inflight (self) == UINT32_C (37)
                && oa_msg_ts_ms (self) == UINT64_C (1767225600123)
                && oa_msg_state (self) == 1
                && oa_msg_payload (self) == NULL;
        case OA_MSG_USAGE:
            return streq (oa_msg_request_id (self), "20260101000000123456789012345678")
                && oa_msg_user_id (self) == UINT64_C (42)
                && streq (oa_msg_username (self), "alice")
                && oa_msg_token_id (self) == UINT64_C (7)
                && streq (oa_msg_token_name (self), "laptop")
                && oa_msg_channel_id (self) == UINT64_C (17)
                && streq (oa_msg_group (self), "default")
                && streq (oa_msg_model (self), "claude-sonnet-4-5")
                && streq (oa_msg_origin_model (self), "claude-sonnet-4-5")
                && oa_msg_prompt_tokens (self) == UINT32_C (1200)
                && oa_msg_completion_tokens (self) == UINT32_C (350)
                && oa_msg_cached_tokens (self) == UINT32_C (1000)
                && oa_msg_cache_write_5m_tokens (self) == UINT32_C (64)
                && oa_msg_cache_write_1h_tokens (self) == UINT32_C (32)
                && oa_msg_reasoning_tokens (self) == UINT32_C (120)
                && oa_msg_tools_cost (self) == INT64_C (2500)
                && oa_msg_stream (self)
                && oa_msg_elapsed_ms (self) == UINT32_C (2450)
                && oa_msg_ttft_ms (self) == UINT32_C (420)
                && oa_msg_status (self) == 200
                && oa_msg_client_format (self) == 4
                && oa_msg_upstream_format (self) == 1
                && oa_msg_reservation_id (self) == UINT64_C (9001)
                && oa_msg_reserved_quota (self) == INT64_C (1500)
                && oa_msg_created_at_ms (self) == UINT64_C (1767225599000)
                && streq (oa_msg_metadata_json (self), "{\"estimated_charge\":false}")
                && streq (oa_msg_content (self), "model rate 1.5, group rate 0.75")
                && streq (oa_msg_trace_id (self), "trace-0001")
                && oa_msg_system_prompt_reset (self)
                && oa_msg_payload (self) == NULL;
        case OA_MSG_USAGE_ACK:
            return s_list_size_is (oa_msg_request_ids (self), 2)
                && s_text_is (s_list_at (oa_msg_request_ids (self), 0), "20260101000000123456789012345678")
                && s_text_is (s_list_at (oa_msg_request_ids (self), 1), "20260101000000123456789012345679")
                && oa_msg_payload (self) == NULL;
        case OA_MSG_RESERVE:
            return streq (oa_msg_request_id (self), "20260101000000123456789012345678")
                && oa_msg_user_id (self) == UINT64_C (42)
                && oa_msg_token_id (self) == UINT64_C (7)
                && oa_msg_amount (self) == INT64_C (1500)
                && oa_msg_ttl_ms (self) == UINT32_C (600000)
                && oa_msg_payload (self) == NULL;
        case OA_MSG_RESERVE_REPLY:
            return streq (oa_msg_request_id (self), "20260101000000123456789012345678")
                && oa_msg_ok (self)
                && oa_msg_status (self) == 403
                && streq (oa_msg_code (self), "insufficient_user_quota")
                && streq (oa_msg_message (self), "user quota is not enough")
                && oa_msg_reservation_id (self) == UINT64_C (9001)
                && oa_msg_user_remain_quota (self) == INT64_C (499999998500)
                && oa_msg_token_remain_quota (self) == INT64_C (-500)
                && oa_msg_token_unlimited (self)
                && oa_msg_payload (self) == NULL;
        case OA_MSG_SNAPSHOT_REQUEST:
            return streq (oa_msg_gateway_id (self), "gateway-1")
                && oa_msg_since_seq (self) == UINT64_C (990)
                && s_list_size_is (oa_msg_tables (self), 2)
                && s_text_is (s_list_at (oa_msg_tables (self), 0), "tokens")
                && s_text_is (s_list_at (oa_msg_tables (self), 1), "channels")
                && s_chunk_is (oa_msg_cursor (self), "resume-at-0042", 14)
                && oa_msg_payload (self) == NULL;
        case OA_MSG_SNAPSHOT_CHUNK:
            return oa_msg_seq (self) == UINT64_C (1000)
                && streq (oa_msg_table (self), "channels")
                && oa_msg_last (self)
                && oa_msg_row_count (self) == UINT32_C (2)
                && s_chunk_is (oa_msg_cursor (self), "resume-at-0043", 14)
                && s_frame_is (oa_msg_payload (self), "[{\"id\":17,\"type\":14},{\"id\":18,\"type\":1}]", 40);
        case OA_MSG_CHANGE:
            return oa_msg_seq (self) == UINT64_C (1001)
                && streq (oa_msg_table (self), "tokens")
                && oa_msg_op (self) == 1
                && streq (oa_msg_row_id (self), "7")
                && s_frame_is (oa_msg_payload (self), "{\"id\":7,\"name\":\"laptop\",\"remain_quota\":100}", 43);
        case OA_MSG_API_REQUEST:
            return streq (oa_msg_request_id (self), "20260101000000123456789012345678")
                && streq (oa_msg_method (self), "POST")
                && streq (oa_msg_path (self), "/api/user/login")
                && streq (oa_msg_query (self), "p=0&size=10")
                && streq (oa_msg_client_ip (self), "203.0.113.9")
                && s_map_size_is (oa_msg_headers (self), 1)
                && s_text_is (oa_msg_headers_lookup (self, "content-type"), "application/json")
                && s_frame_is (oa_msg_payload (self), "{\"username\":\"root\",\"password\":\"123456\"}", 39);
        case OA_MSG_API_REPLY:
            return oa_msg_status (self) == 200
                && streq (oa_msg_content_type (self), "application/json")
                && s_map_size_is (oa_msg_headers (self), 1)
                && s_text_is (oa_msg_headers_lookup (self, "set-cookie"), "session=abc; Path=/; HttpOnly")
                && s_frame_is (oa_msg_payload (self), "{\"success\":true,\"message\":\"\",\"data\":null}", 41);
        default:
            return false;
    }
}


//  --------------------------------------------------------------------------
//  Golden encodings of the samples' body frames

static const uint8_t s_golden_relay_request [] = {
    0x95, 0x01, 0x01, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0xde, 0x00, 0x1a,
    0x01, 0xd9, 0x20, 0x32, 0x30, 0x32, 0x36, 0x30, 0x31, 0x30, 0x31, 0x30,
    0x30, 0x30, 0x30, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x02,
    0x04, 0x03, 0xc3, 0x04, 0xc3, 0x05, 0xa4, 0x50, 0x4f, 0x53, 0x54, 0x06,
    0xac, 0x2f, 0x76, 0x31, 0x2f, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65,
    0x73, 0x07, 0xa9, 0x62, 0x65, 0x74, 0x61, 0x3d, 0x74, 0x72, 0x75, 0x65,
    0x08, 0xb0, 0x61, 0x70, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f,
    0x6e, 0x2f, 0x6a, 0x73, 0x6f, 0x6e, 0x09, 0xab, 0x32, 0x30, 0x33, 0x2e,
    0x30, 0x2e, 0x31, 0x31, 0x33, 0x2e, 0x39, 0x0a, 0x2a, 0x0b, 0xa5, 0x61,
    0x6c, 0x69, 0x63, 0x65, 0x0c, 0x07, 0x0d, 0xa6, 0x6c, 0x61, 0x70, 0x74,
    0x6f, 0x70, 0x0e, 0xa7, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x0f,
    0xb1, 0x63, 0x6c, 0x61, 0x75, 0x64, 0x65, 0x2d, 0x73, 0x6f, 0x6e, 0x6e,
    0x65, 0x74, 0x2d, 0x34, 0x2d, 0x35, 0x10, 0x82, 0xae, 0x61, 0x6e, 0x74,
    0x68, 0x72, 0x6f, 0x70, 0x69, 0x63, 0x2d, 0x62, 0x65, 0x74, 0x61, 0xb9,
    0x70, 0x72, 0x6f, 0x6d, 0x70, 0x74, 0x2d, 0x63, 0x61, 0x63, 0x68, 0x69,
    0x6e, 0x67, 0x2d, 0x32, 0x30, 0x32, 0x34, 0x2d, 0x30, 0x37, 0x2d, 0x33,
    0x31, 0xb1, 0x61, 0x6e, 0x74, 0x68, 0x72, 0x6f, 0x70, 0x69, 0x63, 0x2d,
    0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0xaa, 0x32, 0x30, 0x32, 0x33,
    0x2d, 0x30, 0x36, 0x2d, 0x30, 0x31, 0x11, 0xc3, 0x12, 0xb1, 0x72, 0x65,
    0x61, 0x73, 0x6f, 0x6e, 0x69, 0x6e, 0x67, 0x5f, 0x63, 0x6f, 0x6e, 0x74,
    0x65, 0x6e, 0x74, 0x13, 0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa4,
    0x18, 0x14, 0x92, 0x8b, 0x01, 0x11, 0x02, 0x0e, 0x03, 0xb9, 0x68, 0x74,
    0x74, 0x70, 0x73, 0x3a, 0x2f, 0x2f, 0x61, 0x70, 0x69, 0x2e, 0x61, 0x6e,
    0x74, 0x68, 0x72, 0x6f, 0x70, 0x69, 0x63, 0x2e, 0x63, 0x6f, 0x6d, 0x04,
    0xb0, 0x73, 0x6b, 0x2d, 0x61, 0x6e, 0x74, 0x2d, 0x74, 0x65, 0x73, 0x74,
    0x2d, 0x30, 0x30, 0x30, 0x30, 0x05, 0xb1, 0x63, 0x6c, 0x61, 0x75, 0x64,
    0x65, 0x2d, 0x73, 0x6f, 0x6e, 0x6e, 0x65, 0x74, 0x2d, 0x34, 0x2d, 0x35,
    0x06, 0xfd, 0x07, 0xd9, 0x20, 0x7b, 0x22, 0x61, 0x70, 0x69, 0x5f, 0x66,
    0x6f, 0x72, 0x6d, 0x61, 0x74, 0x22, 0x3a, 0x22, 0x63, 0x68, 0x61, 0x74,
    0x5f, 0x63, 0x6f, 0x6d, 0x70, 0x6c, 0x65, 0x74, 0x69, 0x6f, 0x6e, 0x22,
    0x7d, 0x08, 0xae, 0x59, 0x6f, 0x75, 0x20, 0x61, 0x72, 0x65, 0x20, 0x74,
    0x65, 0x72, 0x73, 0x65, 0x2e, 0x09, 0xbf, 0x7b, 0x22, 0x72, 0x61, 0x74,
    0x69, 0x6f, 0x22, 0x3a, 0x31, 0x2e, 0x35, 0x2c, 0x22, 0x6d, 0x61, 0x78,
    0x5f, 0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x73, 0x22, 0x3a, 0x38, 0x31, 0x39,
    0x32, 0x7d, 0x0a, 0xa4, 0x30, 0x2e, 0x37, 0x35, 0x0b, 0xaa, 0x32, 0x30,
    0x32, 0x34, 0x2d, 0x31, 0x30, 0x2d, 0x32, 0x31, 0x8b, 0x01, 0x11, 0x02,
    0x0e, 0x03, 0xb9, 0x68, 0x74, 0x74, 0x70, 0x73, 0x3a, 0x2f, 0x2f, 0x61,
    0x70, 0x69, 0x2e, 0x61, 0x6e, 0x74, 0x68, 0x72, 0x6f, 0x70, 0x69, 0x63,
    0x2e, 0x63, 0x6f, 0x6d, 0x04, 0xb0, 0x73, 0x6b, 0x2d, 0x61, 0x6e, 0x74,
    0x2d, 0x74, 0x65, 0x73, 0x74, 0x2d, 0x30, 0x30, 0x30, 0x30, 0x05, 0xb1,
    0x63, 0x6c, 0x61, 0x75, 0x64, 0x65, 0x2d, 0x73, 0x6f, 0x6e, 0x6e, 0x65,
    0x74, 0x2d, 0x34, 0x2d, 0x35, 0x06, 0xfd, 0x07, 0xd9, 0x20, 0x7b, 0x22,
    0x61, 0x70, 0x69, 0x5f, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x22, 0x3a,
    0x22, 0x63, 0x68, 0x61, 0x74, 0x5f, 0x63, 0x6f, 0x6d, 0x70, 0x6c, 0x65,
    0x74, 0x69, 0x6f, 0x6e, 0x22, 0x7d, 0x08, 0xae, 0x59, 0x6f, 0x75, 0x20,
    0x61, 0x72, 0x65, 0x20, 0x74, 0x65, 0x72, 0x73, 0x65, 0x2e, 0x09, 0xbf,
    0x7b, 0x22, 0x72, 0x61, 0x74, 0x69, 0x6f, 0x22, 0x3a, 0x31, 0x2e, 0x35,
    0x2c, 0x22, 0x6d, 0x61, 0x78, 0x5f, 0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x73,
    0x22, 0x3a, 0x38, 0x31, 0x39, 0x32, 0x7d, 0x0a, 0xa4, 0x30, 0x2e, 0x37,
    0x35, 0x0b, 0xaa, 0x32, 0x30, 0x32, 0x34, 0x2d, 0x31, 0x30, 0x2d, 0x32,
    0x31, 0x15, 0xaa, 0x74, 0x72, 0x61, 0x63, 0x65, 0x2d, 0x30, 0x30, 0x30,
    0x31, 0x16, 0x02, 0x17, 0xc3, 0x18, 0xcd, 0x23, 0x29, 0x19, 0xcd, 0x05,
    0xdc, 0x1a, 0xcd, 0x01, 0x41,
};

static const uint8_t s_golden_relay_head [] = {
    0x95, 0x01, 0x02, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x85, 0x01, 0xcc,
    0xc8, 0x02, 0xb1, 0x74, 0x65, 0x78, 0x74, 0x2f, 0x65, 0x76, 0x65, 0x6e,
    0x74, 0x2d, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d, 0x03, 0x81, 0xac, 0x78,
    0x2d, 0x72, 0x65, 0x71, 0x75, 0x65, 0x73, 0x74, 0x2d, 0x69, 0x64, 0xa6,
    0x72, 0x65, 0x71, 0x5f, 0x30, 0x31, 0x04, 0x11, 0x05, 0x01,
};

static const uint8_t s_golden_relay_data [] = {
    0x95, 0x01, 0x03, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x81, 0x01, 0x03,
};

static const uint8_t s_golden_relay_end [] = {
    0x95, 0x01, 0x04, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x8c, 0x01, 0xcc,
    0xc8, 0x02, 0x11, 0x03, 0xcd, 0x04, 0xb0, 0x04, 0xcd, 0x01, 0x5e, 0x05,
    0xcd, 0x03, 0xe8, 0x06, 0x78, 0x07, 0xcd, 0x08, 0xfc, 0x08, 0xcd, 0x01,
    0xa4, 0x09, 0x02, 0x0a, 0x01, 0x0b, 0x92, 0xa6, 0x31, 0x37, 0x20, 0x34,
    0x32, 0x39, 0xa6, 0x31, 0x38, 0x20, 0x35, 0x30, 0x33, 0x0c, 0xb0, 0x61,
    0x70, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2f, 0x6a,
    0x73, 0x6f, 0x6e,
};

static const uint8_t s_golden_relay_error [] = {
    0x95, 0x01, 0x05, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x89, 0x01, 0xcd,
    0x01, 0xad, 0x02, 0xae, 0x75, 0x70, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d,
    0x5f, 0x65, 0x72, 0x72, 0x6f, 0x72, 0x03, 0xb3, 0x72, 0x61, 0x74, 0x65,
    0x5f, 0x6c, 0x69, 0x6d, 0x69, 0x74, 0x5f, 0x65, 0x78, 0x63, 0x65, 0x65,
    0x64, 0x65, 0x64, 0x04, 0xd9, 0x44, 0x41, 0x6c, 0x6c, 0x20, 0x61, 0x76,
    0x61, 0x69, 0x6c, 0x61, 0x62, 0x6c, 0x65, 0x20, 0x63, 0x68, 0x61, 0x6e,
    0x6e, 0x65, 0x6c, 0x73, 0x20, 0x28, 0x32, 0x29, 0x20, 0x66, 0x6f, 0x72,
    0x20, 0x74, 0x68, 0x69, 0x73, 0x20, 0x6d, 0x6f, 0x64, 0x65, 0x6c, 0x20,
    0x61, 0x72, 0x65, 0x20, 0x63, 0x75, 0x72, 0x72, 0x65, 0x6e, 0x74, 0x6c,
    0x79, 0x20, 0x72, 0x61, 0x74, 0x65, 0x20, 0x6c, 0x69, 0x6d, 0x69, 0x74,
    0x65, 0x64, 0x05, 0x11, 0x06, 0xc3, 0x07, 0xc3, 0x08, 0x02, 0x09, 0x92,
    0xa6, 0x31, 0x37, 0x20, 0x34, 0x32, 0x39, 0xa6, 0x31, 0x38, 0x20, 0x35,
    0x30, 0x33,
};

static const uint8_t s_golden_relay_cancel [] = {
    0x95, 0x01, 0x06, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x81, 0x01, 0xb8,
    0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x20, 0x63, 0x6c, 0x6f, 0x73, 0x65,
    0x64, 0x20, 0x63, 0x6f, 0x6e, 0x6e, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e,
};

static const uint8_t s_golden_worker_ready [] = {
    0x95, 0x01, 0x0a, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x83, 0x01, 0xad,
    0x77, 0x6f, 0x72, 0x6b, 0x65, 0x72, 0x2d, 0x61, 0x3a, 0x31, 0x32, 0x33,
    0x34, 0x02, 0xcd, 0x02, 0x00, 0x03, 0xa5, 0x30, 0x2e, 0x31, 0x2e, 0x30,
};

static const uint8_t s_golden_worker_credit [] = {
    0x95, 0x01, 0x0b, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x81, 0x01, 0x08,
};

static const uint8_t s_golden_heartbeat [] = {
    0x95, 0x01, 0x0c, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x85, 0x01, 0xa9,
    0x67, 0x61, 0x74, 0x65, 0x77, 0x61, 0x79, 0x2d, 0x31, 0x02, 0x01, 0x03,
    0x25, 0x04, 0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x7b, 0x05,
    0x01,
};

static const uint8_t s_golden_usage [] = {
    0x95, 0x01, 0x14, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0xde, 0x00, 0x1d,
    0x01, 0xd9, 0x20, 0x32, 0x30, 0x32, 0x36, 0x30, 0x31, 0x30, 0x31, 0x30,
    0x30, 0x30, 0x30, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x02,
    0x2a, 0x03, 0xa5, 0x61, 0x6c, 0x69, 0x63, 0x65, 0x04, 0x07, 0x05, 0xa6,
    0x6c, 0x61, 0x70, 0x74, 0x6f, 0x70, 0x06, 0x11, 0x07, 0xa7, 0x64, 0x65,
    0x66, 0x61, 0x75, 0x6c, 0x74, 0x08, 0xb1, 0x63, 0x6c, 0x61, 0x75, 0x64,
    0x65, 0x2d, 0x73, 0x6f, 0x6e, 0x6e, 0x65, 0x74, 0x2d, 0x34, 0x2d, 0x35,
    0x09, 0xb1, 0x63, 0x6c, 0x61, 0x75, 0x64, 0x65, 0x2d, 0x73, 0x6f, 0x6e,
    0x6e, 0x65, 0x74, 0x2d, 0x34, 0x2d, 0x35, 0x0a, 0xcd, 0x04, 0xb0, 0x0b,
    0xcd, 0x01, 0x5e, 0x0c, 0xcd, 0x03, 0xe8, 0x0d, 0x40, 0x0e, 0x20, 0x0f,
    0x78, 0x10, 0xcd, 0x09, 0xc4, 0x11, 0xc3, 0x12, 0xcd, 0x09, 0x92, 0x13,
    0xcd, 0x01, 0xa4, 0x14, 0xcc, 0xc8, 0x15, 0x04, 0x16, 0x01, 0x17, 0xcd,
    0x23, 0x29, 0x18, 0xcd, 0x05, 0xdc, 0x19, 0xcf, 0x00, 0x00, 0x01, 0x9b,
    0x76, 0xda, 0xa4, 0x18, 0x1a, 0xba, 0x7b, 0x22, 0x65, 0x73, 0x74, 0x69,
    0x6d, 0x61, 0x74, 0x65, 0x64, 0x5f, 0x63, 0x68, 0x61, 0x72, 0x67, 0x65,
    0x22, 0x3a, 0x66, 0x61, 0x6c, 0x73, 0x65, 0x7d, 0x1b, 0xbf, 0x6d, 0x6f,
    0x64, 0x65, 0x6c, 0x20, 0x72, 0x61, 0x74, 0x65, 0x20, 0x31, 0x2e, 0x35,
    0x2c, 0x20, 0x67, 0x72, 0x6f, 0x75, 0x70, 0x20, 0x72, 0x61, 0x74, 0x65,
    0x20, 0x30, 0x2e, 0x37, 0x35, 0x1c, 0xaa, 0x74, 0x72, 0x61, 0x63, 0x65,
    0x2d, 0x30, 0x30, 0x30, 0x31, 0x1d, 0xc3,
};

static const uint8_t s_golden_usage_ack [] = {
    0x95, 0x01, 0x15, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x81, 0x01, 0x92,
    0xd9, 0x20, 0x32, 0x30, 0x32, 0x36, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30,
    0x30, 0x30, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38,
    0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0xd9, 0x20,
    0x32, 0x30, 0x32, 0x36, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30, 0x30, 0x30,
    0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30,
    0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x39,
};

static const uint8_t s_golden_reserve [] = {
    0x95, 0x01, 0x16, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x85, 0x01, 0xd9,
    0x20, 0x32, 0x30, 0x32, 0x36, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30, 0x30,
    0x30, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x02, 0x2a, 0x03,
    0x07, 0x04, 0xcd, 0x05, 0xdc, 0x05, 0xce, 0x00, 0x09, 0x27, 0xc0,
};

static const uint8_t s_golden_reserve_reply [] = {
    0x95, 0x01, 0x17, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x89, 0x01, 0xd9,
    0x20, 0x32, 0x30, 0x32, 0x36, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30, 0x30,
    0x30, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x02, 0xc3, 0x03,
    0xcd, 0x01, 0x93, 0x04, 0xb7, 0x69, 0x6e, 0x73, 0x75, 0x66, 0x66, 0x69,
    0x63, 0x69, 0x65, 0x6e, 0x74, 0x5f, 0x75, 0x73, 0x65, 0x72, 0x5f, 0x71,
    0x75, 0x6f, 0x74, 0x61, 0x05, 0xb8, 0x75, 0x73, 0x65, 0x72, 0x20, 0x71,
    0x75, 0x6f, 0x74, 0x61, 0x20, 0x69, 0x73, 0x20, 0x6e, 0x6f, 0x74, 0x20,
    0x65, 0x6e, 0x6f, 0x75, 0x67, 0x68, 0x06, 0xcd, 0x23, 0x29, 0x07, 0xcf,
    0x00, 0x00, 0x00, 0x74, 0x6a, 0x52, 0x82, 0x24, 0x08, 0xd1, 0xfe, 0x0c,
    0x09, 0xc3,
};

static const uint8_t s_golden_snapshot_request [] = {
    0x95, 0x01, 0x1e, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x84, 0x01, 0xa9,
    0x67, 0x61, 0x74, 0x65, 0x77, 0x61, 0x79, 0x2d, 0x31, 0x02, 0xcd, 0x03,
    0xde, 0x03, 0x92, 0xa6, 0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x73, 0xa8, 0x63,
    0x68, 0x61, 0x6e, 0x6e, 0x65, 0x6c, 0x73, 0x04, 0xc4, 0x0e, 0x72, 0x65,
    0x73, 0x75, 0x6d, 0x65, 0x2d, 0x61, 0x74, 0x2d, 0x30, 0x30, 0x34, 0x32,
};

static const uint8_t s_golden_snapshot_chunk [] = {
    0x95, 0x01, 0x1f, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x85, 0x01, 0xcd,
    0x03, 0xe8, 0x02, 0xa8, 0x63, 0x68, 0x61, 0x6e, 0x6e, 0x65, 0x6c, 0x73,
    0x03, 0xc3, 0x04, 0x02, 0x05, 0xc4, 0x0e, 0x72, 0x65, 0x73, 0x75, 0x6d,
    0x65, 0x2d, 0x61, 0x74, 0x2d, 0x30, 0x30, 0x34, 0x33,
};

static const uint8_t s_golden_change [] = {
    0x95, 0x01, 0x20, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x84, 0x01, 0xcd,
    0x03, 0xe9, 0x02, 0xa6, 0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x73, 0x03, 0x01,
    0x04, 0xa1, 0x37,
};

static const uint8_t s_golden_api_request [] = {
    0x95, 0x01, 0x28, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x86, 0x01, 0xd9,
    0x20, 0x32, 0x30, 0x32, 0x36, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30, 0x30,
    0x30, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x02, 0xa4, 0x50,
    0x4f, 0x53, 0x54, 0x03, 0xaf, 0x2f, 0x61, 0x70, 0x69, 0x2f, 0x75, 0x73,
    0x65, 0x72, 0x2f, 0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x04, 0xab, 0x70, 0x3d,
    0x30, 0x26, 0x73, 0x69, 0x7a, 0x65, 0x3d, 0x31, 0x30, 0x05, 0xab, 0x32,
    0x30, 0x33, 0x2e, 0x30, 0x2e, 0x31, 0x31, 0x33, 0x2e, 0x39, 0x06, 0x81,
    0xac, 0x63, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d, 0x74, 0x79, 0x70,
    0x65, 0xb0, 0x61, 0x70, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f,
    0x6e, 0x2f, 0x6a, 0x73, 0x6f, 0x6e,
};

static const uint8_t s_golden_api_reply [] = {
    0x95, 0x01, 0x29, 0xcf, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0xcf, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x83, 0x01, 0xcc,
    0xc8, 0x02, 0xb0, 0x61, 0x70, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x74, 0x69,
    0x6f, 0x6e, 0x2f, 0x6a, 0x73, 0x6f, 0x6e, 0x03, 0x81, 0xaa, 0x73, 0x65,
    0x74, 0x2d, 0x63, 0x6f, 0x6f, 0x6b, 0x69, 0x65, 0xbd, 0x73, 0x65, 0x73,
    0x73, 0x69, 0x6f, 0x6e, 0x3d, 0x61, 0x62, 0x63, 0x3b, 0x20, 0x50, 0x61,
    0x74, 0x68, 0x3d, 0x2f, 0x3b, 0x20, 0x48, 0x74, 0x74, 0x70, 0x4f, 0x6e,
    0x6c, 0x79,
};

const uint8_t *
oa_msg_sample_golden (int id, size_t *size)
{
    assert (size);
    switch (id) {
        case OA_MSG_RELAY_REQUEST:
            *size = sizeof (s_golden_relay_request);
            return s_golden_relay_request;
        case OA_MSG_RELAY_HEAD:
            *size = sizeof (s_golden_relay_head);
            return s_golden_relay_head;
        case OA_MSG_RELAY_DATA:
            *size = sizeof (s_golden_relay_data);
            return s_golden_relay_data;
        case OA_MSG_RELAY_END:
            *size = sizeof (s_golden_relay_end);
            return s_golden_relay_end;
        case OA_MSG_RELAY_ERROR:
            *size = sizeof (s_golden_relay_error);
            return s_golden_relay_error;
        case OA_MSG_RELAY_CANCEL:
            *size = sizeof (s_golden_relay_cancel);
            return s_golden_relay_cancel;
        case OA_MSG_WORKER_READY:
            *size = sizeof (s_golden_worker_ready);
            return s_golden_worker_ready;
        case OA_MSG_WORKER_CREDIT:
            *size = sizeof (s_golden_worker_credit);
            return s_golden_worker_credit;
        case OA_MSG_HEARTBEAT:
            *size = sizeof (s_golden_heartbeat);
            return s_golden_heartbeat;
        case OA_MSG_USAGE:
            *size = sizeof (s_golden_usage);
            return s_golden_usage;
        case OA_MSG_USAGE_ACK:
            *size = sizeof (s_golden_usage_ack);
            return s_golden_usage_ack;
        case OA_MSG_RESERVE:
            *size = sizeof (s_golden_reserve);
            return s_golden_reserve;
        case OA_MSG_RESERVE_REPLY:
            *size = sizeof (s_golden_reserve_reply);
            return s_golden_reserve_reply;
        case OA_MSG_SNAPSHOT_REQUEST:
            *size = sizeof (s_golden_snapshot_request);
            return s_golden_snapshot_request;
        case OA_MSG_SNAPSHOT_CHUNK:
            *size = sizeof (s_golden_snapshot_chunk);
            return s_golden_snapshot_chunk;
        case OA_MSG_CHANGE:
            *size = sizeof (s_golden_change);
            return s_golden_change;
        case OA_MSG_API_REQUEST:
            *size = sizeof (s_golden_api_request);
            return s_golden_api_request;
        case OA_MSG_API_REPLY:
            *size = sizeof (s_golden_api_reply);
            return s_golden_api_reply;
        default:
            *size = 0;
            return NULL;
    }
}
