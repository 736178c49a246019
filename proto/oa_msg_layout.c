//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_layout - the field tables of every message and nested struct

    What oa_wire encodes and decodes from: for each field its key, type,
    limits and the offset of its slot in the C struct; and the names of
    message ids and enum values.
    =========================================================================
*/

#include "oa_msg_private.h"

//  Columns: name, key, type, required, secret, max, item_max, slot,
//  nested layout, enum names

//  One channel the worker may use for a request, in the order to try them (highest priority
//  first, weighted-random within a tier). The gateway resolves everything the worker needs, so
//  the worker holds no database and no cache of channels.
static const oa_wire_field_t s_candidate_fields [] = {
    { "channel_id", 1, OA_WIRE_U64, true, false, 0, 0,
      offsetof (oa_msg_candidate_t, channel_id), NULL, NULL },
    { "channel_type", 2, OA_WIRE_U16, true, false, 0, 0,
      offsetof (oa_msg_candidate_t, channel_type), NULL, NULL },
    { "base_url", 3, OA_WIRE_STR, false, false, 2048, 0,
      offsetof (oa_msg_candidate_t, base_url), NULL, NULL },
    { "api_key", 4, OA_WIRE_STR, false, true, 16384, 0,
      offsetof (oa_msg_candidate_t, api_key), NULL, NULL },
    { "upstream_model", 5, OA_WIRE_STR, true, false, 256, 0,
      offsetof (oa_msg_candidate_t, upstream_model), NULL, NULL },
    { "priority", 6, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_candidate_t, priority), NULL, NULL },
    { "config_json", 7, OA_WIRE_STR, false, false, 32768, 0,
      offsetof (oa_msg_candidate_t, config_json), NULL, NULL },
    { "system_prompt", 8, OA_WIRE_STR, false, false, 32768, 0,
      offsetof (oa_msg_candidate_t, system_prompt), NULL, NULL },
    { "model_configs_json", 9, OA_WIRE_STR, false, false, 32768, 0,
      offsetof (oa_msg_candidate_t, model_configs_json), NULL, NULL },
    { "group_ratio", 10, OA_WIRE_STR, false, false, 32, 0,
      offsetof (oa_msg_candidate_t, group_ratio), NULL, NULL },
    { "other", 11, OA_WIRE_STR, false, false, 4096, 0,
      offsetof (oa_msg_candidate_t, other), NULL, NULL },
};

static const oa_wire_struct_t s_candidate_layout = {
    "candidate", 0, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_candidate_t), s_candidate_fields, 11
};

//  RELAY_REQUEST: largest valid body 2470688 bytes, 490 objects, depth 4
static const oa_wire_field_t s_relay_request_fields [] = {
    { "request_id", 1, OA_WIRE_STR, true, false, 32, 0,
      offsetof (oa_msg_t, request_id), NULL, NULL },
    { "client_format", 2, OA_WIRE_U8, true, false, 0, 0,
      offsetof (oa_msg_t, client_format), NULL, oa_msg_format_name },
    { "stream", 3, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, stream), NULL, NULL },
    { "include_usage_requested", 4, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, include_usage_requested), NULL, NULL },
    { "method", 5, OA_WIRE_STR, true, false, 16, 0, offsetof (oa_msg_t, method), NULL, NULL },
    { "path", 6, OA_WIRE_STR, true, false, 2048, 0, offsetof (oa_msg_t, path), NULL, NULL },
    { "query", 7, OA_WIRE_STR, false, false, 4096, 0, offsetof (oa_msg_t, query), NULL, NULL },
    { "content_type", 8, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, content_type), NULL, NULL },
    { "client_ip", 9, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, client_ip), NULL, NULL },
    { "user_id", 10, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, user_id), NULL, NULL },
    { "username", 11, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, username), NULL, NULL },
    { "token_id", 12, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, token_id), NULL, NULL },
    { "token_name", 13, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, token_name), NULL, NULL },
    { "group", 14, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, group), NULL, NULL },
    { "requested_model", 15, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, requested_model), NULL, NULL },
    { "headers", 16, OA_WIRE_MAP, false, false, 32, 8192,
      offsetof (oa_msg_t, headers), NULL, NULL },
    { "thinking", 17, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, thinking), NULL, NULL },
    { "reasoning_format", 18, OA_WIRE_STR, false, false, 32, 0,
      offsetof (oa_msg_t, reasoning_format), NULL, NULL },
    { "created_at_ms", 19, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, created_at_ms), NULL, NULL },
    { "candidates", 20, OA_WIRE_STRUCTS, true, false, 16, 0,
      offsetof (oa_msg_t, candidates), &s_candidate_layout, NULL },
    { "trace_id", 21, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, trace_id), NULL, NULL },
    { "retry_times", 22, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, retry_times), NULL, NULL },
    { "pinned", 23, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, pinned), NULL, NULL },
    { "reservation_id", 24, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, reservation_id), NULL, NULL },
    { "reserved_quota", 25, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, reserved_quota), NULL, NULL },
    { "prompt_tokens_estimate", 26, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, prompt_tokens_estimate), NULL, NULL },
};

static const oa_wire_struct_t s_relay_request_layout = {
    "RELAY_REQUEST", OA_MSG_RELAY_REQUEST, OA_WIRE_PAYLOAD_OPTIONAL,
    sizeof (oa_msg_t), s_relay_request_fields, 26
};

//  RELAY_HEAD: largest valid body 524786 bytes, 80 objects, depth 3
static const oa_wire_field_t s_relay_head_fields [] = {
    { "status", 1, OA_WIRE_U16, true, false, 0, 0, offsetof (oa_msg_t, status), NULL, NULL },
    { "content_type", 2, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, content_type), NULL, NULL },
    { "headers", 3, OA_WIRE_MAP, false, false, 32, 8192, offsetof (oa_msg_t, headers), NULL, NULL },
    { "channel_id", 4, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, channel_id), NULL, NULL },
    { "attempts", 5, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, attempts), NULL, NULL },
};

static const oa_wire_struct_t s_relay_head_layout = {
    "RELAY_HEAD", OA_MSG_RELAY_HEAD, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_relay_head_fields, 5
};

//  RELAY_DATA: largest valid body 34 bytes, 8 objects, depth 2
static const oa_wire_field_t s_relay_data_fields [] = {
    { "seq", 1, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, seq), NULL, NULL },
};

static const oa_wire_struct_t s_relay_data_layout = {
    "RELAY_DATA", OA_MSG_RELAY_DATA, OA_WIRE_PAYLOAD_REQUIRED,
    sizeof (oa_msg_t), s_relay_data_fields, 1
};

//  RELAY_END: largest valid body 2426 bytes, 46 objects, depth 3
static const oa_wire_field_t s_relay_end_fields [] = {
    { "status", 1, OA_WIRE_U16, true, false, 0, 0, offsetof (oa_msg_t, status), NULL, NULL },
    { "channel_id", 2, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, channel_id), NULL, NULL },
    { "prompt_tokens", 3, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, prompt_tokens), NULL, NULL },
    { "completion_tokens", 4, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, completion_tokens), NULL, NULL },
    { "cached_tokens", 5, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, cached_tokens), NULL, NULL },
    { "reasoning_tokens", 6, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, reasoning_tokens), NULL, NULL },
    { "upstream_ms", 7, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, upstream_ms), NULL, NULL },
    { "ttft_ms", 8, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, ttft_ms), NULL, NULL },
    { "attempts", 9, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, attempts), NULL, NULL },
    { "retries", 10, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, retries), NULL, NULL },
    { "failures", 11, OA_WIRE_STRINGS, false, false, 16, 128,
      offsetof (oa_msg_t, failures), NULL, NULL },
    { "content_type", 12, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, content_type), NULL, NULL },
};

static const oa_wire_struct_t s_relay_end_layout = {
    "RELAY_END", OA_MSG_RELAY_END, OA_WIRE_PAYLOAD_OPTIONAL,
    sizeof (oa_msg_t), s_relay_end_fields, 12
};

//  RELAY_ERROR: largest valid body 10524 bytes, 40 objects, depth 3
static const oa_wire_field_t s_relay_error_fields [] = {
    { "status", 1, OA_WIRE_U16, true, false, 0, 0, offsetof (oa_msg_t, status), NULL, NULL },
    { "error_type", 2, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, error_type), NULL, NULL },
    { "code", 3, OA_WIRE_STR, false, false, 128, 0, offsetof (oa_msg_t, code), NULL, NULL },
    { "message", 4, OA_WIRE_STR, false, false, 8192, 0, offsetof (oa_msg_t, message), NULL, NULL },
    { "channel_id", 5, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, channel_id), NULL, NULL },
    { "bytes_sent", 6, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, bytes_sent), NULL, NULL },
    { "retryable", 7, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, retryable), NULL, NULL },
    { "attempts", 8, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, attempts), NULL, NULL },
    { "failures", 9, OA_WIRE_STRINGS, false, false, 16, 128,
      offsetof (oa_msg_t, failures), NULL, NULL },
};

static const oa_wire_struct_t s_relay_error_layout = {
    "RELAY_ERROR", OA_MSG_RELAY_ERROR, OA_WIRE_PAYLOAD_OPTIONAL,
    sizeof (oa_msg_t), s_relay_error_fields, 9
};

//  RELAY_CANCEL: largest valid body 284 bytes, 8 objects, depth 2
static const oa_wire_field_t s_relay_cancel_fields [] = {
    { "reason", 1, OA_WIRE_STR, false, false, 256, 0, offsetof (oa_msg_t, reason), NULL, NULL },
};

static const oa_wire_struct_t s_relay_cancel_layout = {
    "RELAY_CANCEL", OA_MSG_RELAY_CANCEL, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_relay_cancel_fields, 1
};

//  WORKER_READY: largest valid body 164 bytes, 12 objects, depth 2
static const oa_wire_field_t s_worker_ready_fields [] = {
    { "worker_id", 1, OA_WIRE_STR, true, false, 64, 0, offsetof (oa_msg_t, worker_id), NULL, NULL },
    { "capacity", 2, OA_WIRE_U32, true, false, 0, 0, offsetof (oa_msg_t, capacity), NULL, NULL },
    { "software_version", 3, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, software_version), NULL, NULL },
};

static const oa_wire_struct_t s_worker_ready_layout = {
    "WORKER_READY", OA_MSG_WORKER_READY, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_worker_ready_fields, 3
};

//  WORKER_CREDIT: largest valid body 30 bytes, 8 objects, depth 2
static const oa_wire_field_t s_worker_credit_fields [] = {
    { "credit", 1, OA_WIRE_U32, true, false, 0, 0, offsetof (oa_msg_t, credit), NULL, NULL },
};

static const oa_wire_struct_t s_worker_credit_layout = {
    "WORKER_CREDIT", OA_MSG_WORKER_CREDIT, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_worker_credit_fields, 1
};

//  HEARTBEAT: largest valid body 113 bytes, 16 objects, depth 2
static const oa_wire_field_t s_heartbeat_fields [] = {
    { "sender_id", 1, OA_WIRE_STR, true, false, 64, 0, offsetof (oa_msg_t, sender_id), NULL, NULL },
    { "role", 2, OA_WIRE_U8, true, false, 0, 0, offsetof (oa_msg_t, role), NULL, oa_msg_role_name },
    { "inflight", 3, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, inflight), NULL, NULL },
    { "ts_ms", 4, OA_WIRE_U64, false, false, 0, 0, offsetof (oa_msg_t, ts_ms), NULL, NULL },
    { "state", 5, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, state), NULL, oa_msg_state_name },
};

static const oa_wire_struct_t s_heartbeat_layout = {
    "HEARTBEAT", OA_MSG_HEARTBEAT, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_heartbeat_fields, 5
};

//  USAGE: largest valid body 33950 bytes, 64 objects, depth 2
static const oa_wire_field_t s_usage_fields [] = {
    { "request_id", 1, OA_WIRE_STR, true, false, 32, 0,
      offsetof (oa_msg_t, request_id), NULL, NULL },
    { "user_id", 2, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, user_id), NULL, NULL },
    { "username", 3, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, username), NULL, NULL },
    { "token_id", 4, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, token_id), NULL, NULL },
    { "token_name", 5, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, token_name), NULL, NULL },
    { "channel_id", 6, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, channel_id), NULL, NULL },
    { "group", 7, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, group), NULL, NULL },
    { "model", 8, OA_WIRE_STR, false, false, 256, 0, offsetof (oa_msg_t, model), NULL, NULL },
    { "origin_model", 9, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, origin_model), NULL, NULL },
    { "prompt_tokens", 10, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, prompt_tokens), NULL, NULL },
    { "completion_tokens", 11, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, completion_tokens), NULL, NULL },
    { "cached_tokens", 12, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, cached_tokens), NULL, NULL },
    { "cache_write_5m_tokens", 13, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, cache_write_5m_tokens), NULL, NULL },
    { "cache_write_1h_tokens", 14, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, cache_write_1h_tokens), NULL, NULL },
    { "reasoning_tokens", 15, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, reasoning_tokens), NULL, NULL },
    { "tools_cost", 16, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, tools_cost), NULL, NULL },
    { "stream", 17, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, stream), NULL, NULL },
    { "elapsed_ms", 18, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, elapsed_ms), NULL, NULL },
    { "ttft_ms", 19, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, ttft_ms), NULL, NULL },
    { "status", 20, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, status), NULL, NULL },
    { "client_format", 21, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, client_format), NULL, oa_msg_format_name },
    { "upstream_format", 22, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, upstream_format), NULL, oa_msg_format_name },
    { "reservation_id", 23, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, reservation_id), NULL, NULL },
    { "reserved_quota", 24, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, reserved_quota), NULL, NULL },
    { "created_at_ms", 25, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, created_at_ms), NULL, NULL },
    { "metadata_json", 26, OA_WIRE_STR, false, false, 16384, 0,
      offsetof (oa_msg_t, metadata_json), NULL, NULL },
    { "content", 27, OA_WIRE_STR, false, false, 16384, 0,
      offsetof (oa_msg_t, content), NULL, NULL },
    { "trace_id", 28, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, trace_id), NULL, NULL },
    { "system_prompt_reset", 29, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, system_prompt_reset), NULL, NULL },
};

static const oa_wire_struct_t s_usage_layout = {
    "USAGE", OA_MSG_USAGE, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_usage_fields, 29
};

//  USAGE_ACK: largest valid body 34844 bytes, 1032 objects, depth 3
static const oa_wire_field_t s_usage_ack_fields [] = {
    { "request_ids", 1, OA_WIRE_STRINGS, true, false, 1024, 32,
      offsetof (oa_msg_t, request_ids), NULL, NULL },
};

static const oa_wire_struct_t s_usage_ack_layout = {
    "USAGE_ACK", OA_MSG_USAGE_ACK, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_usage_ack_fields, 1
};

//  RESERVE: largest valid body 95 bytes, 16 objects, depth 2
static const oa_wire_field_t s_reserve_fields [] = {
    { "request_id", 1, OA_WIRE_STR, true, false, 32, 0,
      offsetof (oa_msg_t, request_id), NULL, NULL },
    { "user_id", 2, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, user_id), NULL, NULL },
    { "token_id", 3, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, token_id), NULL, NULL },
    { "amount", 4, OA_WIRE_I64, true, false, 0, 0, offsetof (oa_msg_t, amount), NULL, NULL },
    { "ttl_ms", 5, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, ttl_ms), NULL, NULL },
};

static const oa_wire_struct_t s_reserve_layout = {
    "RESERVE", OA_MSG_RESERVE, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_reserve_fields, 5
};

//  RESERVE_REPLY: largest valid body 8424 bytes, 24 objects, depth 2
static const oa_wire_field_t s_reserve_reply_fields [] = {
    { "request_id", 1, OA_WIRE_STR, true, false, 32, 0,
      offsetof (oa_msg_t, request_id), NULL, NULL },
    { "ok", 2, OA_WIRE_BOOL, true, false, 0, 0, offsetof (oa_msg_t, ok), NULL, NULL },
    { "status", 3, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, status), NULL, NULL },
    { "code", 4, OA_WIRE_STR, false, false, 128, 0, offsetof (oa_msg_t, code), NULL, NULL },
    { "message", 5, OA_WIRE_STR, false, false, 8192, 0, offsetof (oa_msg_t, message), NULL, NULL },
    { "reservation_id", 6, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, reservation_id), NULL, NULL },
    { "user_remain_quota", 7, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, user_remain_quota), NULL, NULL },
    { "token_remain_quota", 8, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, token_remain_quota), NULL, NULL },
    { "token_unlimited", 9, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, token_unlimited), NULL, NULL },
};

static const oa_wire_struct_t s_reserve_reply_layout = {
    "RESERVE_REPLY", OA_MSG_RESERVE_REPLY, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_reserve_reply_fields, 9
};

//  SNAPSHOT_REQUEST: largest valid body 2477 bytes, 46 objects, depth 3
static const oa_wire_field_t s_snapshot_request_fields [] = {
    { "gateway_id", 1, OA_WIRE_STR, true, false, 64, 0,
      offsetof (oa_msg_t, gateway_id), NULL, NULL },
    { "since_seq", 2, OA_WIRE_U64, false, false, 0, 0, offsetof (oa_msg_t, since_seq), NULL, NULL },
    { "tables", 3, OA_WIRE_STRINGS, false, false, 32, 64, offsetof (oa_msg_t, tables), NULL, NULL },
    { "cursor", 4, OA_WIRE_BIN, false, false, 256, 0, offsetof (oa_msg_t, cursor), NULL, NULL },
};

static const oa_wire_struct_t s_snapshot_request_layout = {
    "SNAPSHOT_REQUEST", OA_MSG_SNAPSHOT_REQUEST, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_snapshot_request_fields, 4
};

//  SNAPSHOT_CHUNK: largest valid body 369 bytes, 16 objects, depth 2
static const oa_wire_field_t s_snapshot_chunk_fields [] = {
    { "seq", 1, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, seq), NULL, NULL },
    { "table", 2, OA_WIRE_STR, true, false, 64, 0, offsetof (oa_msg_t, table), NULL, NULL },
    { "last", 3, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, last), NULL, NULL },
    { "row_count", 4, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, row_count), NULL, NULL },
    { "cursor", 5, OA_WIRE_BIN, false, false, 256, 0, offsetof (oa_msg_t, cursor), NULL, NULL },
};

static const oa_wire_struct_t s_snapshot_chunk_layout = {
    "SNAPSHOT_CHUNK", OA_MSG_SNAPSHOT_CHUNK, OA_WIRE_PAYLOAD_REQUIRED,
    sizeof (oa_msg_t), s_snapshot_chunk_fields, 5
};

//  CHANGE: largest valid body 364 bytes, 14 objects, depth 2
static const oa_wire_field_t s_change_fields [] = {
    { "seq", 1, OA_WIRE_U64, true, false, 0, 0, offsetof (oa_msg_t, seq), NULL, NULL },
    { "table", 2, OA_WIRE_STR, true, false, 64, 0, offsetof (oa_msg_t, table), NULL, NULL },
    { "op", 3, OA_WIRE_U8, true, false, 0, 0, offsetof (oa_msg_t, op), NULL, oa_msg_op_name },
    { "row_id", 4, OA_WIRE_STR, true, false, 256, 0, offsetof (oa_msg_t, row_id), NULL, NULL },
};

static const oa_wire_struct_t s_change_layout = {
    "CHANGE", OA_MSG_CHANGE, OA_WIRE_PAYLOAD_OPTIONAL,
    sizeof (oa_msg_t), s_change_fields, 4
};

//  API_REQUEST: largest valid body 530780 bytes, 82 objects, depth 3
static const oa_wire_field_t s_api_request_fields [] = {
    { "request_id", 1, OA_WIRE_STR, true, false, 32, 0,
      offsetof (oa_msg_t, request_id), NULL, NULL },
    { "method", 2, OA_WIRE_STR, true, false, 16, 0, offsetof (oa_msg_t, method), NULL, NULL },
    { "path", 3, OA_WIRE_STR, true, false, 2048, 0, offsetof (oa_msg_t, path), NULL, NULL },
    { "query", 4, OA_WIRE_STR, false, false, 4096, 0, offsetof (oa_msg_t, query), NULL, NULL },
    { "client_ip", 5, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, client_ip), NULL, NULL },
    { "headers", 6, OA_WIRE_MAP, false, false, 32, 8192, offsetof (oa_msg_t, headers), NULL, NULL },
};

static const oa_wire_struct_t s_api_request_layout = {
    "API_REQUEST", OA_MSG_API_REQUEST, OA_WIRE_PAYLOAD_OPTIONAL,
    sizeof (oa_msg_t), s_api_request_fields, 6
};

//  API_REPLY: largest valid body 524772 bytes, 76 objects, depth 3
static const oa_wire_field_t s_api_reply_fields [] = {
    { "status", 1, OA_WIRE_U16, true, false, 0, 0, offsetof (oa_msg_t, status), NULL, NULL },
    { "content_type", 2, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, content_type), NULL, NULL },
    { "headers", 3, OA_WIRE_MAP, false, false, 32, 8192, offsetof (oa_msg_t, headers), NULL, NULL },
};

static const oa_wire_struct_t s_api_reply_layout = {
    "API_REPLY", OA_MSG_API_REPLY, OA_WIRE_PAYLOAD_OPTIONAL,
    sizeof (oa_msg_t), s_api_reply_fields, 3
};

//  Every slot of oa_msg_t once, to clear and copy whole messages
static const oa_wire_field_t s_union_fields [] = {
    { "request_id", 0, OA_WIRE_STR, false, false, 32, 0,
      offsetof (oa_msg_t, request_id), NULL, NULL },
    { "client_format", 0, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, client_format), NULL, oa_msg_format_name },
    { "stream", 0, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, stream), NULL, NULL },
    { "include_usage_requested", 0, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, include_usage_requested), NULL, NULL },
    { "method", 0, OA_WIRE_STR, false, false, 16, 0, offsetof (oa_msg_t, method), NULL, NULL },
    { "path", 0, OA_WIRE_STR, false, false, 2048, 0, offsetof (oa_msg_t, path), NULL, NULL },
    { "query", 0, OA_WIRE_STR, false, false, 4096, 0, offsetof (oa_msg_t, query), NULL, NULL },
    { "content_type", 0, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, content_type), NULL, NULL },
    { "client_ip", 0, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, client_ip), NULL, NULL },
    { "user_id", 0, OA_WIRE_U64, false, false, 0, 0, offsetof (oa_msg_t, user_id), NULL, NULL },
    { "username", 0, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, username), NULL, NULL },
    { "token_id", 0, OA_WIRE_U64, false, false, 0, 0, offsetof (oa_msg_t, token_id), NULL, NULL },
    { "token_name", 0, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, token_name), NULL, NULL },
    { "group", 0, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, group), NULL, NULL },
    { "requested_model", 0, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, requested_model), NULL, NULL },
    { "headers", 0, OA_WIRE_MAP, false, false, 32, 8192, offsetof (oa_msg_t, headers), NULL, NULL },
    { "thinking", 0, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, thinking), NULL, NULL },
    { "reasoning_format", 0, OA_WIRE_STR, false, false, 32, 0,
      offsetof (oa_msg_t, reasoning_format), NULL, NULL },
    { "created_at_ms", 0, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, created_at_ms), NULL, NULL },
    { "candidates", 0, OA_WIRE_STRUCTS, false, false, 16, 0,
      offsetof (oa_msg_t, candidates), &s_candidate_layout, NULL },
    { "trace_id", 0, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, trace_id), NULL, NULL },
    { "retry_times", 0, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, retry_times), NULL, NULL },
    { "pinned", 0, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, pinned), NULL, NULL },
    { "reservation_id", 0, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, reservation_id), NULL, NULL },
    { "reserved_quota", 0, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, reserved_quota), NULL, NULL },
    { "prompt_tokens_estimate", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, prompt_tokens_estimate), NULL, NULL },
    { "status", 0, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, status), NULL, NULL },
    { "channel_id", 0, OA_WIRE_U64, false, false, 0, 0,
      offsetof (oa_msg_t, channel_id), NULL, NULL },
    { "attempts", 0, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, attempts), NULL, NULL },
    { "seq", 0, OA_WIRE_U64, false, false, 0, 0, offsetof (oa_msg_t, seq), NULL, NULL },
    { "prompt_tokens", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, prompt_tokens), NULL, NULL },
    { "completion_tokens", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, completion_tokens), NULL, NULL },
    { "cached_tokens", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, cached_tokens), NULL, NULL },
    { "reasoning_tokens", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, reasoning_tokens), NULL, NULL },
    { "upstream_ms", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, upstream_ms), NULL, NULL },
    { "ttft_ms", 0, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, ttft_ms), NULL, NULL },
    { "retries", 0, OA_WIRE_U16, false, false, 0, 0, offsetof (oa_msg_t, retries), NULL, NULL },
    { "failures", 0, OA_WIRE_STRINGS, false, false, 16, 128,
      offsetof (oa_msg_t, failures), NULL, NULL },
    { "error_type", 0, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, error_type), NULL, NULL },
    { "code", 0, OA_WIRE_STR, false, false, 128, 0, offsetof (oa_msg_t, code), NULL, NULL },
    { "message", 0, OA_WIRE_STR, false, false, 8192, 0, offsetof (oa_msg_t, message), NULL, NULL },
    { "bytes_sent", 0, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, bytes_sent), NULL, NULL },
    { "retryable", 0, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, retryable), NULL, NULL },
    { "reason", 0, OA_WIRE_STR, false, false, 256, 0, offsetof (oa_msg_t, reason), NULL, NULL },
    { "worker_id", 0, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, worker_id), NULL, NULL },
    { "capacity", 0, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, capacity), NULL, NULL },
    { "software_version", 0, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, software_version), NULL, NULL },
    { "credit", 0, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, credit), NULL, NULL },
    { "sender_id", 0, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, sender_id), NULL, NULL },
    { "role", 0, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, role), NULL, oa_msg_role_name },
    { "inflight", 0, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, inflight), NULL, NULL },
    { "ts_ms", 0, OA_WIRE_U64, false, false, 0, 0, offsetof (oa_msg_t, ts_ms), NULL, NULL },
    { "state", 0, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, state), NULL, oa_msg_state_name },
    { "model", 0, OA_WIRE_STR, false, false, 256, 0, offsetof (oa_msg_t, model), NULL, NULL },
    { "origin_model", 0, OA_WIRE_STR, false, false, 256, 0,
      offsetof (oa_msg_t, origin_model), NULL, NULL },
    { "cache_write_5m_tokens", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, cache_write_5m_tokens), NULL, NULL },
    { "cache_write_1h_tokens", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, cache_write_1h_tokens), NULL, NULL },
    { "tools_cost", 0, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, tools_cost), NULL, NULL },
    { "elapsed_ms", 0, OA_WIRE_U32, false, false, 0, 0,
      offsetof (oa_msg_t, elapsed_ms), NULL, NULL },
    { "upstream_format", 0, OA_WIRE_U8, false, false, 0, 0,
      offsetof (oa_msg_t, upstream_format), NULL, oa_msg_format_name },
    { "metadata_json", 0, OA_WIRE_STR, false, false, 16384, 0,
      offsetof (oa_msg_t, metadata_json), NULL, NULL },
    { "content", 0, OA_WIRE_STR, false, false, 16384, 0, offsetof (oa_msg_t, content), NULL, NULL },
    { "system_prompt_reset", 0, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, system_prompt_reset), NULL, NULL },
    { "request_ids", 0, OA_WIRE_STRINGS, false, false, 1024, 32,
      offsetof (oa_msg_t, request_ids), NULL, NULL },
    { "amount", 0, OA_WIRE_I64, false, false, 0, 0, offsetof (oa_msg_t, amount), NULL, NULL },
    { "ttl_ms", 0, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, ttl_ms), NULL, NULL },
    { "ok", 0, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, ok), NULL, NULL },
    { "user_remain_quota", 0, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, user_remain_quota), NULL, NULL },
    { "token_remain_quota", 0, OA_WIRE_I64, false, false, 0, 0,
      offsetof (oa_msg_t, token_remain_quota), NULL, NULL },
    { "token_unlimited", 0, OA_WIRE_BOOL, false, false, 0, 0,
      offsetof (oa_msg_t, token_unlimited), NULL, NULL },
    { "gateway_id", 0, OA_WIRE_STR, false, false, 64, 0,
      offsetof (oa_msg_t, gateway_id), NULL, NULL },
    { "since_seq", 0, OA_WIRE_U64, false, false, 0, 0, offsetof (oa_msg_t, since_seq), NULL, NULL },
    { "tables", 0, OA_WIRE_STRINGS, false, false, 32, 64, offsetof (oa_msg_t, tables), NULL, NULL },
    { "cursor", 0, OA_WIRE_BIN, false, false, 256, 0, offsetof (oa_msg_t, cursor), NULL, NULL },
    { "table", 0, OA_WIRE_STR, false, false, 64, 0, offsetof (oa_msg_t, table), NULL, NULL },
    { "last", 0, OA_WIRE_BOOL, false, false, 0, 0, offsetof (oa_msg_t, last), NULL, NULL },
    { "row_count", 0, OA_WIRE_U32, false, false, 0, 0, offsetof (oa_msg_t, row_count), NULL, NULL },
    { "op", 0, OA_WIRE_U8, false, false, 0, 0, offsetof (oa_msg_t, op), NULL, oa_msg_op_name },
    { "row_id", 0, OA_WIRE_STR, false, false, 256, 0, offsetof (oa_msg_t, row_id), NULL, NULL },
};

static const oa_wire_struct_t s_union_layout = {
    "union", 0, OA_WIRE_PAYLOAD_NONE,
    sizeof (oa_msg_t), s_union_fields, 79
};


//  --------------------------------------------------------------------------
//  Lookups

const struct _oa_wire_struct_t *
oa_msg_layout (int id)
{
    switch (id) {
        case OA_MSG_RELAY_REQUEST: return &s_relay_request_layout;
        case OA_MSG_RELAY_HEAD: return &s_relay_head_layout;
        case OA_MSG_RELAY_DATA: return &s_relay_data_layout;
        case OA_MSG_RELAY_END: return &s_relay_end_layout;
        case OA_MSG_RELAY_ERROR: return &s_relay_error_layout;
        case OA_MSG_RELAY_CANCEL: return &s_relay_cancel_layout;
        case OA_MSG_WORKER_READY: return &s_worker_ready_layout;
        case OA_MSG_WORKER_CREDIT: return &s_worker_credit_layout;
        case OA_MSG_HEARTBEAT: return &s_heartbeat_layout;
        case OA_MSG_USAGE: return &s_usage_layout;
        case OA_MSG_USAGE_ACK: return &s_usage_ack_layout;
        case OA_MSG_RESERVE: return &s_reserve_layout;
        case OA_MSG_RESERVE_REPLY: return &s_reserve_reply_layout;
        case OA_MSG_SNAPSHOT_REQUEST: return &s_snapshot_request_layout;
        case OA_MSG_SNAPSHOT_CHUNK: return &s_snapshot_chunk_layout;
        case OA_MSG_CHANGE: return &s_change_layout;
        case OA_MSG_API_REQUEST: return &s_api_request_layout;
        case OA_MSG_API_REPLY: return &s_api_reply_layout;
        default: return NULL;
    }
}

const oa_wire_struct_t *
oa_msg_union_layout (void)
{
    return &s_union_layout;
}

const struct _oa_wire_struct_t *
oa_msg_candidate_layout (void)
{
    return &s_candidate_layout;
}

const char *
oa_msg_id_name (int id)
{
    switch (id) {
        case OA_MSG_RELAY_REQUEST: return "RELAY_REQUEST";
        case OA_MSG_RELAY_HEAD: return "RELAY_HEAD";
        case OA_MSG_RELAY_DATA: return "RELAY_DATA";
        case OA_MSG_RELAY_END: return "RELAY_END";
        case OA_MSG_RELAY_ERROR: return "RELAY_ERROR";
        case OA_MSG_RELAY_CANCEL: return "RELAY_CANCEL";
        case OA_MSG_WORKER_READY: return "WORKER_READY";
        case OA_MSG_WORKER_CREDIT: return "WORKER_CREDIT";
        case OA_MSG_HEARTBEAT: return "HEARTBEAT";
        case OA_MSG_USAGE: return "USAGE";
        case OA_MSG_USAGE_ACK: return "USAGE_ACK";
        case OA_MSG_RESERVE: return "RESERVE";
        case OA_MSG_RESERVE_REPLY: return "RESERVE_REPLY";
        case OA_MSG_SNAPSHOT_REQUEST: return "SNAPSHOT_REQUEST";
        case OA_MSG_SNAPSHOT_CHUNK: return "SNAPSHOT_CHUNK";
        case OA_MSG_CHANGE: return "CHANGE";
        case OA_MSG_API_REQUEST: return "API_REQUEST";
        case OA_MSG_API_REPLY: return "API_REPLY";
        default: return NULL;
    }
}

const char *
oa_msg_format_name (int value)
{
    switch (value) {
        case OA_MSG_FORMAT_UNKNOWN: return "unknown";
        case OA_MSG_FORMAT_CHAT: return "chat";
        case OA_MSG_FORMAT_COMPLETIONS: return "completions";
        case OA_MSG_FORMAT_RESPONSES: return "responses";
        case OA_MSG_FORMAT_CLAUDE: return "claude";
        case OA_MSG_FORMAT_EMBEDDINGS: return "embeddings";
        case OA_MSG_FORMAT_MODERATIONS: return "moderations";
        case OA_MSG_FORMAT_IMAGES_GENERATIONS: return "images_generations";
        case OA_MSG_FORMAT_IMAGES_EDITS: return "images_edits";
        case OA_MSG_FORMAT_AUDIO_SPEECH: return "audio_speech";
        case OA_MSG_FORMAT_AUDIO_TRANSCRIPTION: return "audio_transcription";
        case OA_MSG_FORMAT_AUDIO_TRANSLATION: return "audio_translation";
        case OA_MSG_FORMAT_MODELS: return "models";
        case OA_MSG_FORMAT_RERANK: return "rerank";
        case OA_MSG_FORMAT_GEMINI: return "gemini";
        case OA_MSG_FORMAT_EDITS: return "edits";
        case OA_MSG_FORMAT_PROXY: return "proxy";
        case OA_MSG_FORMAT_REALTIME: return "realtime";
        case OA_MSG_FORMAT_VIDEOS: return "videos";
        case OA_MSG_FORMAT_OCR: return "ocr";
        case OA_MSG_FORMAT_VOICE_CLONE: return "voice_clone";
        default: return NULL;
    }
}

const char *
oa_msg_role_name (int value)
{
    switch (value) {
        case OA_MSG_ROLE_GATEWAY: return "gateway";
        case OA_MSG_ROLE_WORKER: return "worker";
        case OA_MSG_ROLE_LEDGER: return "ledger";
        default: return NULL;
    }
}

const char *
oa_msg_state_name (int value)
{
    switch (value) {
        case OA_MSG_STATE_READY: return "ready";
        case OA_MSG_STATE_DEGRADED: return "degraded";
        case OA_MSG_STATE_DRAINING: return "draining";
        default: return NULL;
    }
}

const char *
oa_msg_op_name (int value)
{
    switch (value) {
        case OA_MSG_OP_UPSERT: return "upsert";
        case OA_MSG_OP_DELETE: return "delete";
        default: return NULL;
    }
}
