//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_private - the structs behind the opaque oa_msg types

    Shared by the generated sources of the oa_msg class, never included
    by its users. Every value slot has the C type oa_wire expects for
    its field type (oa_wire.h), because oa_wire reads and writes them
    through the offsets in the layouts.
    =========================================================================
*/

#ifndef OA_MSG_PRIVATE_H_INCLUDED
#define OA_MSG_PRIVATE_H_INCLUDED

#include "oa_msg.h"
#include "oa_wire.h"

struct _oa_msg_t {
    int id;                         //  message id, OA_MSG_*
    int version;                    //  protocol version of the sender
    uint64_t corr_id;               //  correlation id, copied into replies
    uint64_t deadline;              //  absolute epoch ms, 0 = none
    zframe_t *routing_id;           //  peer on a ROUTER socket, or NULL
    zframe_t *payload;              //  raw payload frame, or NULL
    //  The fields: the union over all messages, one slot per name
    char *request_id;               //  X-Oneapi-Request-Id; the idempotency key of billing
    uint64_t client_format;         //  Format the client spoke and must get back
    bool stream;                    //  Client asked for a stream (SSE)
    //  Client asked for usage in the stream (stream_options.include_usage); the worker may
    //  force it upstream for billing and must then strip it
    bool include_usage_requested;
    char *method;                   //  HTTP method
    char *path;                     //  Request path without the query
    char *query;                    //  Raw query string, without the ?
    //  Content-Type of the payload (JSON or multipart with its boundary)
    char *content_type;
    char *client_ip;                //  Client address, for upstreams and logs
    uint64_t user_id;               //  Authenticated user
    char *username;                 //  User name, for logs
    uint64_t token_id;              //  Token the request authenticated with
    char *token_name;               //  Token name, for logs
    char *group;                    //  User group, which chose the channels
    char *requested_model;          //  Model as the client named it, before mapping
    //  Client headers the upstream needs (anthropic-version, anthropic-beta, openai-beta, ...),
    //  names lower-case
    zhash_t *headers;
    bool thinking;                  //  ?thinking=true: expose reasoning in the reply
    char *reasoning_format;         //  ?reasoning_format= (reasoning_content, reasoning, thinking)
    //  When the gateway accepted the request, epoch ms; elapsed time counts from here
    uint64_t created_at_ms;
    //  Channels to try, in order; the worker moves to the next only while nothing reached the
    //  client
    oa_wire_list_t candidates;
    char *trace_id;                 //  Trace id for logs and the traces table
    //  Retries allowed across candidates (RetryTimes option; 429 and 413 adjust it)
    uint64_t retry_times;
    //  Channel pinned by an admin key or the proxy route: never retry elsewhere
    bool pinned;
    //  Ledger reservation that admission made for this request; USAGE settles it
    uint64_t reservation_id;
    //  Quota reserved, so settlement can charge or refund the difference
    int64_t reserved_quota;
    //  Gateway's prompt token estimate, billed if the upstream reports no usage
    uint64_t prompt_tokens_estimate;
    uint64_t status;                //  HTTP status for the client
    uint64_t channel_id;            //  Channel that answered
    uint64_t attempts;              //  Upstream attempts so far, this one included
    //  Position of this chunk, from 0, so a lost or reordered chunk is detected
    uint64_t seq;
    uint64_t prompt_tokens;         //  Prompt tokens, cache reads included
    uint64_t completion_tokens;     //  Completion tokens, reasoning included
    uint64_t cached_tokens;         //  Prompt tokens read from cache
    uint64_t reasoning_tokens;      //  Reasoning tokens within completion_tokens
    uint64_t upstream_ms;           //  Time spent upstream, all attempts
    uint64_t ttft_ms;               //  Time to first byte sent to the client
    uint64_t retries;               //  Attempts that were retries on another channel
    //  Failed attempts before this outcome, one "channel_id status" each (e.g. "17 429"), so
    //  the gateway suspends those channels for the model
    zlist_t *failures;
    char *error_type;               //  error.type (one_api_error, upstream_error, ...)
    char *code;                     //  error.code
    char *message;                  //  error.message, without the request id suffix
    //  Part of a response already reached the client: the gateway can only end the stream
    bool bytes_sent;
    //  Nothing reached the client and the cause is transient: another worker may retry
    bool retryable;
    char *reason;                   //  Why, for logs
    char *worker_id;                //  Stable worker identity (host and pid), for logs and metrics
    uint64_t capacity;              //  Concurrent requests it accepts: the gateway's initial credit
    char *software_version;         //  Software version, to spot mixed versions during upgrades
    uint64_t credit;                //  Requests added to the gateway's allowance
    char *sender_id;                //  Sender's identity
    uint64_t role;                  //  Sender's role
    uint64_t inflight;              //  Requests the sender has in flight
    uint64_t ts_ms;                 //  Sender's clock, epoch ms, to spot skew
    uint64_t state;                 //  Sender's health
    char *model;                    //  Model billed: the mapped, upstream name
    char *origin_model;             //  Model as requested (origin_model_name)
    uint64_t cache_write_5m_tokens;  //  Tokens written to the 5-minute cache
    uint64_t cache_write_1h_tokens;  //  Tokens written to the 1-hour cache
    //  Quota for tool calls (web search, ...), added to the token cost
    int64_t tools_cost;
    uint64_t elapsed_ms;            //  Total time from created_at_ms to the end
    uint64_t upstream_format;       //  Format spoken upstream
    //  Log metadata JSON (cache_write_tokens, upstream_api_format, estimated_charge, ...)
    char *metadata_json;
    char *content;                  //  Log content text
    bool system_prompt_reset;       //  A channel system prompt replaced the client's
    zlist_t *request_ids;           //  Request ids now settled
    int64_t amount;                 //  Quota to hold
    uint64_t ttl_ms;                //  Release the hold after this long if never settled
    bool ok;                        //  Quota is held; relay the request
    int64_t user_remain_quota;      //  User's quota left after the hold
    //  Token's quota left after the hold (meaningless when unlimited)
    int64_t token_remain_quota;
    bool token_unlimited;           //  Token has unlimited quota
    char *gateway_id;               //  Requesting gateway
    uint64_t since_seq;             //  Last change applied; 0 = full snapshot
    zlist_t *tables;                //  Tables wanted; empty = all
    //  Resume point from the last chunk received, to continue an interrupted snapshot; empty =
    //  from the start
    zchunk_t *cursor;
    char *table;                    //  Table the rows belong to
    bool last;                      //  Final chunk of the snapshot
    uint64_t row_count;             //  Rows in the payload
    uint64_t op;                    //  Upsert or delete
    //  Primary key as text (options are keyed by name, abilities by group/model/channel)
    char *row_id;
};

//  One channel the worker may use for a request, in the order to try them (highest priority
//  first, weighted-random within a tier). The gateway resolves everything the worker needs, so
//  the worker holds no database and no cache of channels.
struct _oa_msg_candidate_t {
    uint64_t channel_id;            //  Channel row id; failures and usage are reported against it
    uint64_t channel_type;          //  Channel type id (one-api's table), which selects the adaptor
    char *base_url;                 //  Upstream base URL; empty = the type's default
    //  Upstream credential, possibly several values joined by |; never printed
    char *api_key;
    //  Model name after the channel's model_mapping; what goes upstream and what is billed
    char *upstream_model;
    //  Channel priority, kept for retry tiers (429 prefers lower tiers)
    int64_t priority;
    //  Channel config JSON (region, api_version, api_format, custom_headers, endpoint_urls,
    //  ...)
    char *config_json;
    char *system_prompt;            //  Forced system prompt of the channel; empty = none
    //  The channel's model_configs entry for this model (pricing, max_tokens), JSON; empty =
    //  none
    char *model_configs_json;
    //  Group ratio for this channel as decimal text ("0.75"): text keeps the admin's exact
    //  value, which a float or milli-integer would round
    char *group_ratio;
    //  Deprecated "other" column (Azure api-version, Ali plugin) for databases that still use
    //  it
    char *other;
};

//  Returns a layout holding every slot of oa_msg_t once, to clear and copy
//  whole messages whatever their id
const oa_wire_struct_t *
    oa_msg_union_layout (void);

//  Replaces a text slot with a copy of value (NULL clears it). It copies
//  before it frees, so setting a field to its own value is safe.
static inline void
s_text_set (char **slot, const char *value)
{
    char *copy = value? strdup (value): NULL;
    assert (!value || copy);
    free (*slot);
    *slot = copy;
}

#endif
