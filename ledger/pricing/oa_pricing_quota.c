/*  =========================================================================
    oa_pricing_quota - the quota formula, pre-consume estimate and settlement

    @header
    Turns a quote (oa_pricing_resolve), a group ratio and a usage snapshot
    into integer quota, as one-api's relay/quota/quota.go Compute does:

      in        = ratio * group             out = ratio * completion * group
      cached_in = cached_input_ratio * group (< 0 free, 0 = in)
      w5m / w1h = cache_write_*_ratio * group (< 0 free, 0 = in)
      quota = ceil (prompt * in + cached * cached_in + completion * out
                    + w5m_tokens * w5m + w1h_tokens * w1h) + tools_cost
      quota = 1 if ratio * group != 0 and quota <= 0

    OpenAI-style usage counts cache reads and writes inside prompt_tokens, so
    they are subtracted from it; Claude models, or any usage whose cache
    buckets exceed prompt_tokens, report them as separate buckets.
    @discuss
    Floating point: every per-token price is rounded once to a grid of 1e-12
    quota (computed in long double, far below the grid), and the sum is exact
    128-bit integer arithmetic.  Decimal prices therefore give decimal results
    and the single ceil is exact: 1000 tokens at 1.25 cost 1250, and one-api's
    occasional float artefacts (0.1 + 0.2 > 0.3) do not add a unit.
    @end
    =========================================================================
*/

#include <assert.h>
#include <string.h>
#include "oa_pricing.h"

//  Grid of per-token prices: 1 quota = S_SCALE units.
#define S_SCALE ((__int128) 1000000000000)

typedef __int128 s_wide_t;

//  Rounds x * S_SCALE to the nearest integer; |x| is clamped to
//  OA_PRICING_MAX_RATIO so the result always fits.  No libm needed.
static int64_t
s_grid (long double x)
{
    if (x > OA_PRICING_MAX_RATIO)
        x = OA_PRICING_MAX_RATIO;
    else
    if (x < -OA_PRICING_MAX_RATIO)
        x = -OA_PRICING_MAX_RATIO;
    long double scaled = x * 1e12L;
    return scaled >= 0? (int64_t) (scaled + 0.5L): -(int64_t) (-scaled + 0.5L);
}

static int64_t
s_clamp_tokens (int64_t tokens)
{
    if (tokens < 0)
        return 0;
    return tokens > OA_PRICING_MAX_TOKENS? OA_PRICING_MAX_TOKENS: tokens;
}

static int64_t
s_wide_to_int64 (s_wide_t value)
{
    if (value > INT64_MAX)
        return INT64_MAX;
    if (value < INT64_MIN)
        return INT64_MIN;
    return (int64_t) value;
}

static int64_t
s_add_saturate (int64_t a, int64_t b)
{
    return s_wide_to_int64 ((s_wide_t) a + b);
}

//  Ceil of value / S_SCALE; C division truncates toward zero, which is
//  already the ceiling for negative values.
static s_wide_t
s_ceil_div (s_wide_t value)
{
    s_wide_t quotient = value / S_SCALE;
    if (value % S_SCALE > 0)
        quotient++;
    return quotient;
}

static bool
s_finite (double x)
{
    return __builtin_isfinite (x);
}

//  Price of a cache bucket: negative ratio free, zero means input price.
static int64_t
s_bucket_price (double ratio, double group, int64_t input_price)
{
    if (ratio < 0)
        return 0;
    if (ratio > 0)
        return s_grid ((long double) ratio * group);
    return input_price;
}

static bool
s_tier_applies (const oa_pricing_tier_t *tier, int64_t prompt, int64_t completion)
{
    return prompt >= tier->input_token_threshold && completion >= tier->output_token_threshold;
}

static bool
s_quote_finite (const oa_pricing_quote_t *quote)
{
    const oa_pricing_config_t *config = &quote->config;
    if (!s_finite (quote->model_ratio) || !s_finite (quote->completion_ratio)
    ||  !s_finite (config->ratio) || !s_finite (config->completion_ratio)
    ||  !s_finite (config->cached_input_ratio) || !s_finite (config->cache_write_5m_ratio)
    ||  !s_finite (config->cache_write_1h_ratio) || config->tier_count > OA_PRICING_MAX_TIERS)
        return false;
    for (size_t i = 0; i < config->tier_count; i++) {
        const oa_pricing_tier_t *tier = &config->tiers [i];
        if (!s_finite (tier->ratio) || !s_finite (tier->completion_ratio)
        ||  !s_finite (tier->cached_input_ratio) || !s_finite (tier->cache_write_5m_ratio)
        ||  !s_finite (tier->cache_write_1h_ratio))
            return false;
    }
    return true;
}


//  --------------------------------------------------------------------------
//  Quota for usage at quote and group_ratio (one-api quota.Compute).

int
oa_pricing_compute (const oa_pricing_quote_t *quote, double group_ratio,
                    const oa_pricing_usage_t *usage, oa_pricing_result_t *result)
{
    if (!result)
        return -1;
    memset (result, 0, sizeof (*result));
    if (!quote || !usage || !s_finite (group_ratio) || !s_quote_finite (quote))
        return -1;

    int64_t prompt = s_clamp_tokens (usage->prompt_tokens);
    int64_t completion = s_clamp_tokens (usage->completion_tokens);
    result->prompt_tokens = usage->prompt_tokens;
    result->completion_tokens = usage->completion_tokens;

    //  Effective prices: the resolved config, zero base ratios inheriting
    //  the quote's, then every tier the usage reaches, in threshold order.
    const oa_pricing_config_t *config = &quote->config;
    double in_ratio = quote->model_ratio;
    double completion_ratio = quote->completion_ratio;
    double cached_ratio = 0, write_5m_ratio = 0, write_1h_ratio = 0;
    double used_ratio = quote->model_ratio;
    double used_completion = quote->completion_ratio;
    if (quote->has_config) {
        if (config->ratio != 0)
            in_ratio = config->ratio;
        if (config->completion_ratio != 0)
            completion_ratio = config->completion_ratio;
        cached_ratio = config->cached_input_ratio;
        write_5m_ratio = config->cache_write_5m_ratio;
        write_1h_ratio = config->cache_write_1h_ratio;
        //  A flat channel ratio keeps precedence over tier input ratios,
        //  while tier completion and cache prices still apply (one-api).
        double override_completion = quote->completion_ratio;
        for (size_t i = 0; i < config->tier_count; i++) {
            const oa_pricing_tier_t *tier = &config->tiers [i];
            if (!s_tier_applies (tier, usage->prompt_tokens, usage->completion_tokens))
                continue;
            if (tier->ratio != 0)
                in_ratio = tier->ratio;
            if (tier->completion_ratio != 0) {
                completion_ratio = tier->completion_ratio;
                override_completion = tier->completion_ratio;
            }
            if (tier->cached_input_ratio != 0)
                cached_ratio = tier->cached_input_ratio;
            if (tier->cache_write_5m_ratio != 0)
                write_5m_ratio = tier->cache_write_5m_ratio;
            if (tier->cache_write_1h_ratio != 0)
                write_1h_ratio = tier->cache_write_1h_ratio;
        }
        if (quote->channel_override) {
            used_ratio = quote->model_ratio;
            used_completion = used_ratio != 0? override_completion: 1.0;
        }
        else {
            used_ratio = in_ratio;
            used_completion = in_ratio != 0? completion_ratio: 1.0;
        }
    }
    result->used_model_ratio = used_ratio;
    result->used_completion_ratio = used_completion;

    int64_t in_price = s_grid ((long double) used_ratio * group_ratio);
    int64_t out_price = s_grid ((long double) used_ratio * used_completion * group_ratio);
    int64_t cached_price = s_bucket_price (cached_ratio, group_ratio, in_price);
    int64_t write_5m_price = s_bucket_price (write_5m_ratio, group_ratio, in_price);
    int64_t write_1h_price = s_bucket_price (write_1h_ratio, group_ratio, in_price);

    //  Buckets.  OpenAI style: cache reads and writes are inside prompt
    //  tokens; writes beyond what is left are trimmed, 1h bucket first.
    int64_t cached = s_clamp_tokens (usage->cached_tokens);
    int64_t write_5m = s_clamp_tokens (usage->cache_write_5m_tokens);
    int64_t write_1h = s_clamp_tokens (usage->cache_write_1h_tokens);
    int64_t plain = prompt;
    bool separate = quote->separate_cache_buckets
                 || cached > prompt || write_5m + write_1h > prompt;
    if (!separate) {
        plain = prompt - cached;
        if (write_5m + write_1h > plain) {
            int64_t excess = write_5m + write_1h - plain;
            int64_t cut = excess < write_1h? excess: write_1h;
            write_1h -= cut;
            excess -= cut;
            write_5m = excess < write_5m? write_5m - excess: 0;
            plain = 0;
        }
        else
            plain -= write_5m + write_1h;
    }
    result->cached_prompt_tokens = cached;

    s_wide_t cost = (s_wide_t) plain * in_price
                  + (s_wide_t) cached * cached_price
                  + (s_wide_t) completion * out_price
                  + (s_wide_t) write_5m * write_5m_price
                  + (s_wide_t) write_1h * write_1h_price;
    int64_t quota = s_add_saturate (s_wide_to_int64 (s_ceil_div (cost)), usage->tools_cost);
    if (used_ratio != 0 && group_ratio != 0 && quota <= 0)
        quota = 1;
    result->quota = quota;
    return 0;
}


//  --------------------------------------------------------------------------
//  Pre-consume estimate (one-api getPreConsumedQuota), truncated.

int64_t
oa_pricing_estimate (const oa_pricing_quote_t *quote, double group_ratio,
                     int64_t prompt_tokens, int64_t max_tokens, int64_t base)
{
    if (!quote || !s_finite (group_ratio)
    ||  !s_finite (quote->model_ratio) || !s_finite (quote->completion_ratio))
        return 0;
    long double ratio = (long double) quote->model_ratio * group_ratio;
    int64_t in_price = s_grid (ratio);
    int64_t out_price = s_grid (ratio * quote->completion_ratio);
    s_wide_t prompt = (s_wide_t) s_clamp_tokens (base) + s_clamp_tokens (prompt_tokens);
    s_wide_t cost = prompt * in_price + (s_wide_t) s_clamp_tokens (max_tokens) * out_price;
    return s_wide_to_int64 (cost / S_SCALE);
}


//  --------------------------------------------------------------------------
//  True when the request needs no pre-consumption ("trusted").

bool
oa_pricing_trusted (int64_t user_quota, int64_t token_quota, bool token_unlimited,
                    int64_t pre)
{
    s_wide_t bar = (s_wide_t) pre * 100;
    return user_quota > bar && (token_unlimited || token_quota > bar);
}


//  --------------------------------------------------------------------------
//  Admission: -1 when user_quota < pre, else 0 with the amount to reserve.

int
oa_pricing_admit (int64_t user_quota, int64_t token_quota, bool token_unlimited,
                  int64_t pre, int64_t *reserve)
{
    assert (reserve);
    *reserve = 0;
    if ((s_wide_t) user_quota - pre < 0)
        return -1;
    *reserve = oa_pricing_trusted (user_quota, token_quota, token_unlimited, pre)? 0: pre;
    return 0;
}


//  --------------------------------------------------------------------------
//  Final quota of a request (one-api postConsumeQuota).

int64_t
oa_pricing_settle (const oa_pricing_result_t *result, bool usage_reported,
                   int64_t pre, int64_t incremental)
{
    int64_t charged = s_add_saturate (pre, incremental);
    if (!result || !usage_reported)
        return charged;
    bool no_tokens = result->prompt_tokens == 0 && result->completion_tokens == 0;
    if (no_tokens && pre > 0)
        return charged;
    if ((s_wide_t) result->prompt_tokens + result->completion_tokens == 0)
        return 0;
    return result->quota;
}
