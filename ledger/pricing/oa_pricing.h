/*  =========================================================================
    oa_pricing - model prices and the quota formula of one-api billing

    @header
    Prices a request the way one-api (Laisky fork) does.  A price is a
    "ratio": quota charged per token, where 500,000 quota = 1 USD, so a model
    priced at $X per 1M tokens has ratio X * 0.5.  Resolution for a (model,
    channel) pair, first hit wins:

      1. the channel's model_configs JSON (legacy per-channel model_ratio /
         completion_ratio maps are merged into it, as one-api's migration does)
      2. the default table of the channel's provider (by channel type id)
      3. the global table merged from several providers (first provider wins)
      4. fallback: ratio 1.25 ($2.5 / 1M), completion ratio 1

    Model names are matched exactly: one-api has no prefix or family fallback.
    oa_pricing_resolve turns that into a quote; oa_pricing_compute turns a
    quote, a group ratio and a usage snapshot into integer quota, ceiled once.
    Arithmetic is done in fixed point (1e-12 quota per token) so that decimal
    prices give decimal results: 1000 tokens at 1.25 is 1250, never 1251.

    Objects are immutable once loaded, so one oa_pricing_t and any number of
    channels can be read from several threads.  Nothing here does I/O.
    @discuss
    Deliberate differences from one-api: time-of-day windows, media (image,
    audio, video) and multimodal-embedding prices are not handled here; bad
    JSON makes the whole document ignored (as in one-api) but is reported;
    negative token counts count as zero; counts are clamped to 1e12 tokens.
    @end
    =========================================================================
*/

#ifndef OA_PRICING_H_INCLUDED
#define OA_PRICING_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OA_PRICING_QUOTA_PER_USD        500000  //  QuotaPerUsd
#define OA_PRICING_MILLI_TOKENS_USD     0.5     //  Ratio of a $1 / 1M-token price
#define OA_PRICING_FALLBACK_RATIO       1.25    //  Unknown model: $2.5 / 1M tokens
#define OA_PRICING_FALLBACK_COMPLETION  1.0     //  Unknown model: output = input
#define OA_PRICING_PRE_CONSUMED_QUOTA   500     //  PreConsumedQuota default
#define OA_PRICING_MAX_TIERS            8       //  Tiers kept per model
#define OA_PRICING_MAX_TOKENS           INT64_C(1000000000000)  //  Clamp on counts
#define OA_PRICING_MAX_RATIO            1e6     //  Largest accepted |ratio|

//  A usage tier: overrides the base price once both thresholds are met.
//  Zero price fields inherit; tiers are applied in threshold order.
typedef struct {
    double ratio;                   //  Input quota per token, 0 = inherit
    double completion_ratio;        //  Output price / input price, 0 = inherit
    double cached_input_ratio;      //  Quota per cache-read token, 0 = inherit
    double cache_write_5m_ratio;    //  Quota per 5-minute cache-write token
    double cache_write_1h_ratio;    //  Quota per 1-hour cache-write token
    int64_t input_token_threshold;  //  Applies when prompt tokens >= this
    int64_t output_token_threshold; //  ... and completion tokens >= this
} oa_pricing_tier_t;

//  One model's price (one-api ModelConfig, token fields only).
typedef struct {
    double ratio;                   //  Input quota per token; 0 = inherit
    double completion_ratio;        //  Output price / input price; 0 = inherit
    double cached_input_ratio;      //  Cache-read quota/token; 0 = input price, <0 free
    double cache_write_5m_ratio;    //  5m cache-write quota/token; 0 = input, <0 free
    double cache_write_1h_ratio;    //  1h cache-write quota/token; 0 = input, <0 free
    int32_t max_tokens;             //  Channel's max_tokens for the model, 0 = none
    size_t tier_count;              //  Used entries of tiers
    oa_pricing_tier_t tiers [OA_PRICING_MAX_TIERS];   //  Sorted by thresholds
} oa_pricing_config_t;

//  Which layer priced a model.
typedef enum {
    OA_PRICING_SOURCE_FALLBACK = 0, //  No layer knows the model
    OA_PRICING_SOURCE_CHANNEL,      //  Channel model_configs (or legacy maps)
    OA_PRICING_SOURCE_PROVIDER,     //  Default table of the channel's provider
    OA_PRICING_SOURCE_GLOBAL        //  Global merged table
} oa_pricing_source_t;

//  Price of one model on one channel, ready for oa_pricing_compute.
typedef struct {
    oa_pricing_config_t config;     //  Config of the first layer that has the model
    bool has_config;                //  False when source is FALLBACK
    oa_pricing_source_t source;     //  Layer that supplied config
    bool channel_override;          //  Channel gives a non-zero ratio (flat override)
    bool separate_cache_buckets;    //  Claude model: cache tokens are not in prompt
    double model_ratio;             //  Base input ratio (ResolveModelRatioAt)
    double completion_ratio;        //  Base completion ratio (ResolveCompletionRatioAt)
    int32_t max_tokens;             //  Channel config's max_tokens, 0 = none
} oa_pricing_quote_t;

//  Token usage of one request, as normalized by the relay.
typedef struct {
    int64_t prompt_tokens;          //  Input tokens (OpenAI style includes cache hits)
    int64_t completion_tokens;      //  Output tokens, reasoning included
    int64_t cached_tokens;          //  Cache-read tokens (prompt_tokens_details)
    int64_t cache_write_5m_tokens;  //  Tokens written to the 5-minute cache
    int64_t cache_write_1h_tokens;  //  Tokens written to the 1-hour cache
    int64_t tools_cost;             //  Quota for per-call tools, added after ceil
} oa_pricing_usage_t;

//  Outcome of oa_pricing_compute.
typedef struct {
    int64_t quota;                  //  Quota to charge
    int64_t prompt_tokens;          //  Prompt tokens as reported
    int64_t completion_tokens;      //  Completion tokens as reported
    int64_t cached_prompt_tokens;   //  Tokens billed at the cache-read price
    double used_model_ratio;        //  Input ratio used, after tiers
    double used_completion_ratio;   //  Completion ratio used, after tiers
} oa_pricing_result_t;

typedef struct _oa_pricing_t oa_pricing_t;
typedef struct _oa_pricing_channel_t oa_pricing_channel_t;
typedef struct _oa_pricing_groups_t oa_pricing_groups_t;

//  ---------------------------------------------------------------------
//  Price tables (oa_pricing.c)

//  Create the default provider tables and the global merged table.
//  Returns NULL if out of memory.  Caller owns it; immutable afterwards.
oa_pricing_t *
    oa_pricing_new (void);

//  Destroy the tables; idempotent, nulls the pointer.
void
    oa_pricing_destroy (oa_pricing_t **self_p);

//  Price model on a channel of channel_type with its overrides (channel may
//  be NULL).  Fills quote and returns 0; returns -1 if model is NULL.
int
    oa_pricing_resolve (oa_pricing_t *self, const char *model, int channel_type,
                        const oa_pricing_channel_t *channel, oa_pricing_quote_t *quote);

//  Default config of model for channel_type (provider table, then global);
//  source (may be NULL) tells which.  Borrowed; NULL when neither knows it.
const oa_pricing_config_t *
    oa_pricing_lookup (oa_pricing_t *self, int channel_type, const char *model,
                       oa_pricing_source_t *source);

//  Number of models in the global merged table.
size_t
    oa_pricing_global_size (oa_pricing_t *self);

//  True if model is a Claude model (ASCII case-insensitive "claude").
bool
    oa_pricing_is_claude (const char *model);

//  ---------------------------------------------------------------------
//  Quota arithmetic (oa_pricing_quota.c)

//  Quota for usage at quote and group_ratio (one-api quota.Compute): ceil
//  once, add tools_cost, at least 1 when priced.  Returns 0, or -1 when an
//  argument is NULL or not finite (result is then zeroed).
int
    oa_pricing_compute (const oa_pricing_quote_t *quote, double group_ratio,
                        const oa_pricing_usage_t *usage, oa_pricing_result_t *result);

//  Pre-consume estimate: (base + prompt_tokens) * ratio * group +
//  max_tokens * ratio * group * completion_ratio, truncated (one-api
//  getPreConsumedQuota).  base is normally OA_PRICING_PRE_CONSUMED_QUOTA.
int64_t
    oa_pricing_estimate (const oa_pricing_quote_t *quote, double group_ratio,
                         int64_t prompt_tokens, int64_t max_tokens, int64_t base);

//  True when the request is "trusted" and needs no pre-consumption: user
//  quota > 100 * pre and (token unlimited or token quota > 100 * pre).
bool
    oa_pricing_trusted (int64_t user_quota, int64_t token_quota, bool token_unlimited,
                        int64_t pre);

//  Admission: returns -1 when user_quota < pre (insufficient_user_quota),
//  else 0 and sets *reserve to pre, or to 0 when the request is trusted.
int
    oa_pricing_admit (int64_t user_quota, int64_t token_quota, bool token_unlimited,
                      int64_t pre, int64_t *reserve);

//  Final quota of a request (one-api postConsumeQuota): without usage, or
//  with zero tokens while something was pre-consumed, keep what was already
//  charged (pre + incremental); zero tokens otherwise cost 0.
int64_t
    oa_pricing_settle (const oa_pricing_result_t *result, bool usage_reported,
                       int64_t pre, int64_t incremental);

//  ---------------------------------------------------------------------
//  Channel overrides (oa_pricing_channel.c)

//  Create an empty set of channel overrides.  NULL if out of memory.
oa_pricing_channel_t *
    oa_pricing_channel_new (void);

//  Destroy channel overrides; idempotent, nulls the pointer.
void
    oa_pricing_channel_destroy (oa_pricing_channel_t **self_p);

//  Replace the overrides with a channel's model_configs JSON and its legacy
//  model_ratio / completion_ratio JSON maps (each may be NULL or "").  A
//  malformed document is ignored as a whole, like one-api does; returns -1
//  if any was malformed (see oa_pricing_channel_error), else 0.
int
    oa_pricing_channel_load (oa_pricing_channel_t *self, const char *model_configs,
                             const char *model_ratio, const char *completion_ratio);

//  Override for model, or NULL.  Borrowed; valid until the next load.
const oa_pricing_config_t *
    oa_pricing_channel_lookup (const oa_pricing_channel_t *self, const char *model);

//  Number of models with overrides.
size_t
    oa_pricing_channel_size (const oa_pricing_channel_t *self);

//  Description of the last load's first error, "" if none.
const char *
    oa_pricing_channel_error (const oa_pricing_channel_t *self);

//  ---------------------------------------------------------------------
//  Group ratios (oa_pricing_groups.c)

//  Create group ratios holding one-api's default {"default":1,"vip":1,"svip":1}.
oa_pricing_groups_t *
    oa_pricing_groups_new (void);

//  Destroy group ratios; idempotent, nulls the pointer.
void
    oa_pricing_groups_destroy (oa_pricing_groups_t **self_p);

//  Replace the ratios with the GroupRatio option JSON.  Returns -1 and keeps
//  the previous ratios if json is malformed or has a negative or non-number
//  value; errbuf (may be NULL) receives the reason.
int
    oa_pricing_groups_load (oa_pricing_groups_t *self, const char *json,
                            char *errbuf, size_t errlen);

//  Ratio of group; 1 if unknown (one-api GetGroupRatio).
double
    oa_pricing_groups_ratio (const oa_pricing_groups_t *self, const char *group);

//  Minimum ratio over a channel's comma-separated groups (one-api's
//  ChannelRatio, Laisky fork); unknown groups count as 1.
double
    oa_pricing_groups_min (const oa_pricing_groups_t *self, const char *groups_csv);

//  Number of groups defined.
size_t
    oa_pricing_groups_size (const oa_pricing_groups_t *self);

//  Self test of this class.
void
    oa_pricing_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
