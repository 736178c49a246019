/*  =========================================================================
    oa_pricing_selftest - numeric vectors for oa_pricing

    Every expected quota below is worked out by hand in the comment above it.
    Ratios are quota per token: USD per 1M tokens * 0.5.  Channel type ids:
    1 OpenAI, 3 Azure, 14 Anthropic, 24 Gemini, 28 Mistral, 29 Groq,
    36 DeepSeek, 45 xAI.  Vectors marked "Go:" reproduce one-api's own tests
    (relay/quota/quota_cache_test.go).
    =========================================================================
*/

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include "oa_pricing.h"

//  Quota of one request; asserts the arithmetic itself succeeded.
static int64_t
s_quota (oa_pricing_t *pricing, const char *model, int channel_type,
         const oa_pricing_channel_t *channel, double group, int64_t prompt,
         int64_t completion, int64_t cached, int64_t write_5m, int64_t write_1h,
         int64_t tools, oa_pricing_result_t *result_out)
{
    oa_pricing_quote_t quote;
    int rc = oa_pricing_resolve (pricing, model, channel_type, channel, &quote);
    assert (rc == 0);
    oa_pricing_usage_t usage = {
        .prompt_tokens = prompt, .completion_tokens = completion, .cached_tokens = cached,
        .cache_write_5m_tokens = write_5m, .cache_write_1h_tokens = write_1h,
        .tools_cost = tools
    };
    oa_pricing_result_t result;
    rc = oa_pricing_compute (&quote, group, &usage, &result);
    assert (rc == 0);
    if (result_out)
        *result_out = result;
    return result.quota;
}

static bool
s_near (double a, double b)
{
    double d = a - b;
    return d < 1e-9 && d > -1e-9;
}

//  Default tables, cache buckets, tiers, groups, rounding.
static void
s_test_tables (oa_pricing_t *pricing)
{
    oa_pricing_result_t result;
    oa_pricing_quote_t quote;

    //  V1 gpt-4o $2.5/$10: ratio 1.25, completion 4.  1000*1.25 + 500*5 = 3750
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, 1000, 500, 0, 0, 0, 0, &result) == 3750);
    assert (s_near (result.used_model_ratio, 1.25) && s_near (result.used_completion_ratio, 4));

    //  V2 OpenAI-style cache hit, cached $1.25 -> 0.625: 600*1.25 + 400*0.625
    //  + 100*5 = 750 + 250 + 500 = 1500
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, 1000, 100, 400, 0, 0, 0, &result) == 1500);
    assert (result.cached_prompt_tokens == 400);

    //  V3 gpt-4o-mini $0.15/$0.6: 1000*0.075 + 1000*0.3 = 375 exactly
    assert (s_quota (pricing, "gpt-4o-mini", 1, NULL, 1, 1000, 1000, 0, 0, 0, 0, NULL) == 375);

    //  V4 a fraction rounds up: 7*0.075 + 3*0.3 = 0.525 + 0.9 = 1.425 -> 2
    assert (s_quota (pricing, "gpt-4o-mini", 1, NULL, 1, 7, 3, 0, 0, 0, 0, NULL) == 2);

    //  V5 ceil once per request, not per bucket: 0.075 + 0.3 = 0.375 -> 1
    assert (s_quota (pricing, "gpt-4o-mini", 1, NULL, 1, 1, 1, 0, 0, 0, 0, NULL) == 1);

    //  V6 float robustness: gpt-4.1-nano $0.1 -> 0.05, group 1.1:
    //  1000 * 0.055 = 55 exactly (a float64 product gives 55.00000000000001 -> 56)
    assert (s_quota (pricing, "gpt-4.1-nano", 1, NULL, 1.1, 1000, 0, 0, 0, 0, 0, NULL) == 55);

    //  V7 gemini-2.5-flash $0.3/$2.5 (completion 2.5/0.3): 1000*0.15 + 1000*1.25 = 1400
    assert (s_quota (pricing, "gemini-2.5-flash", 24, NULL, 1, 1000, 1000, 0, 0, 0, 0, NULL) == 1400);

    //  V8 Anthropic-style buckets, claude-sonnet-4-5 $3/$15, read $0.3,
    //  write 5m $3.75: 100*1.5 + 2000*0.15 + 300*7.5 + 500*1.875
    //  = 150 + 300 + 2250 + 937.5 = 3637.5 -> 3638
    assert (s_quota (pricing, "claude-sonnet-4-5", 14, NULL, 1, 100, 300, 2000, 500, 0, 0, &result)
            == 3638);
    assert (result.cached_prompt_tokens == 2000);

    //  V9 1h cache write $6 -> 3: 50*1.5 + 10*7.5 + 1000*3 = 75 + 75 + 3000 = 3150
    assert (s_quota (pricing, "claude-sonnet-4-5", 14, NULL, 1, 50, 10, 0, 0, 1000, 0, NULL) == 3150);

    //  V10 claude-haiku-4-5 $1/$5, read $0.1, 5m $1.25, all buckets small and
    //  apart: 3*0.5 + 1*2.5 + 10*0.05 + 7*0.625 = 1.5+2.5+0.5+4.375 = 8.875 -> 9
    assert (s_quota (pricing, "claude-haiku-4-5", 14, NULL, 1, 3, 1, 10, 7, 0, 0, NULL) == 9);

    //  V11 Go: gpt-5.6-sol $5/$30, 5m write $6.25 -> 3.125, OpenAI style:
    //  prompt 100 = 80 plain + 20 written: 80*2.5 + 10*15 + 20*3.125
    //  = 200 + 150 + 62.5 -> 413
    assert (s_quota (pricing, "gpt-5.6-sol", 1, NULL, 1, 100, 10, 0, 20, 0, 0, NULL) == 413);

    //  V12 Go: long-context tier (>= 272001 prompt tokens): $10/$45, 5m $12.5:
    //  299000*5 + 1000*22.5 + 1000*6.25 = 1495000 + 22500 + 6250 = 1523750
    assert (s_quota (pricing, "gpt-5.6-sol", 1, NULL, 1, 300000, 1000, 0, 1000, 0, 0, &result)
            == 1523750);
    assert (s_near (result.used_model_ratio, 5) && s_near (result.used_completion_ratio, 4.5));

    //  V13 Go: writes beyond the non-cached prompt are trimmed: prompt 100,
    //  cached 20, write 5m 90 -> plain 0, write 80 at the input price:
    //  20*0.625 + 10*5 + 80*1.25 = 12.5 + 50 + 100 = 162.5 -> 163
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, 100, 10, 20, 90, 0, 0, NULL) == 163);

    //  V14 trimming takes the 1h bucket first: prompt 100, cached 50, 5m 30,
    //  1h 40 -> excess 20 off 1h: 50*0.625 + 30*1.25 + 20*1.25 = 93.75 -> 94
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, 100, 0, 50, 30, 40, 0, NULL) == 94);

    //  V15 cached > prompt on a non-Claude model means separate buckets:
    //  100*1.25 + 200*0.625 = 250
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, 100, 0, 200, 0, 0, 0, &result) == 250);
    assert (result.cached_prompt_tokens == 200);

    //  V16 gemini-2.5-pro tier from 200001 prompt tokens ($2.5/$15):
    //  below: 200000*0.625 + 1000*5 = 130000
    assert (s_quota (pricing, "gemini-2.5-pro", 24, NULL, 1, 200000, 1000, 0, 0, 0, 0, NULL)
            == 130000);
    //  V17 at it: 200001*1.25 + 1000*7.5 = 250001.25 + 7500 -> 257502
    assert (s_quota (pricing, "gemini-2.5-pro", 24, NULL, 1, 200001, 1000, 0, 0, 0, 0, NULL)
            == 257502);

    //  V18 DeepSeek cache hit, deepseek-chat $0.14/$0.28, hit $0.0028:
    //  2000*0.07 + 8000*0.0014 + 1000*0.14 = 140 + 11.2 + 140 = 291.2 -> 292
    assert (s_quota (pricing, "deepseek-chat", 36, NULL, 1, 10000, 1000, 8000, 0, 0, 0, NULL)
            == 292);

    //  V19 xAI grok-4-fast-reasoning $1.25/$2.5: 1000*0.625 + 1000*1.25 = 1875
    assert (s_quota (pricing, "grok-4-fast-reasoning", 45, NULL, 1, 1000, 1000, 0, 0, 0, 0, NULL)
            == 1875);

    //  V20 Groq openai/gpt-oss-120b $0.15/$0.6, hit $0.075: 1000*0.075 +
    //  1000*0.0375 + 500*0.3 = 75 + 37.5 + 150 = 262.5 -> 263
    assert (s_quota (pricing, "openai/gpt-oss-120b", 29, NULL, 1, 2000, 500, 1000, 0, 0, 0, NULL)
            == 263);

    //  V21 Mistral mistral-large-latest $0.5/$1.5: 4000*0.25 + 1000*0.75 = 1750
    assert (s_quota (pricing, "mistral-large-latest", 28, NULL, 1, 4000, 1000, 0, 0, 0, 0, NULL)
            == 1750);

    //  V22 provider entry with explicit zero price (free model), no minimum:
    //  groq/compound ratio 0 -> 0
    assert (s_quota (pricing, "groq/compound", 29, NULL, 1, 1000, 1000, 0, 0, 0, 0, NULL) == 0);

    //  V23 group ratio 0.5: (1000*1.25 + 500*5) * 0.5 = 1875
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 0.5, 1000, 500, 0, 0, 0, 0, NULL) == 1875);

    //  V24 group ratio 1.1 on gpt-4o-mini: 1000*0.0825 + 1000*0.33 = 412.5 -> 413
    assert (s_quota (pricing, "gpt-4o-mini", 1, NULL, 1.1, 1000, 1000, 0, 0, 0, 0, NULL) == 413);

    //  V25 group ratio 0: everything free and no minimum of 1
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 0, 1000, 500, 0, 0, 0, 0, NULL) == 0);
    //  V26 ... but tools are still charged: 0 + 7
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 0, 1000, 500, 0, 0, 0, 7, NULL) == 7);

    //  V27 tools_cost is added after the ceil: 3750 + 5000 = 8750
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, 1000, 500, 0, 0, 0, 5000, NULL) == 8750);

    //  V28 Go: unknown model falls back to $2.5/1M, completion 1:
    //  12000*1.25 + 8000*1.25 = 25000
    assert (s_quota (pricing, "unknown-billing-model", 1, NULL, 1, 12000, 8000, 0, 0, 0, 0, &result)
            == 25000);
    assert (s_near (result.used_model_ratio, OA_PRICING_FALLBACK_RATIO));
    oa_pricing_resolve (pricing, "unknown-billing-model", 1, NULL, &quote);
    assert (quote.source == OA_PRICING_SOURCE_FALLBACK && !quote.has_config);

    //  V29 priced but zero usage: Compute gives the minimum 1 (settlement
    //  decides later, see s_test_settle)
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, 0, 0, 0, 0, 0, 0, NULL) == 1);

    //  V30 global layer: an OpenAI channel asked for a Claude model gets the
    //  Anthropic price from the global table: 100*1.5 + 10*7.5 = 225
    assert (s_quota (pricing, "claude-sonnet-4-5", 1, NULL, 1, 100, 10, 0, 0, 0, 0, NULL) == 225);
    oa_pricing_resolve (pricing, "claude-sonnet-4-5", 1, NULL, &quote);
    assert (quote.source == OA_PRICING_SOURCE_GLOBAL && quote.separate_cache_buckets);

    //  V31 xAI is not in one-api's global table: grok-4 on an OpenAI channel
    //  falls back: 1000*1.25 + 1000*1.25 = 2500
    assert (s_quota (pricing, "grok-4", 1, NULL, 1, 1000, 1000, 0, 0, 0, 0, NULL) == 2500);

    //  V32 Azure carries Claude entries: claude-opus-4-5 $5/$25 from the
    //  provider layer: 100*2.5 + 100*12.5 = 1500
    assert (s_quota (pricing, "claude-opus-4-5", 3, NULL, 1, 100, 100, 0, 0, 0, 0, NULL) == 1500);
    oa_pricing_resolve (pricing, "claude-opus-4-5", 3, NULL, &quote);
    assert (quote.source == OA_PRICING_SOURCE_PROVIDER);

    //  V33 counts are clamped to 1e12 tokens: 1e12 * 1.25 without overflow
    assert (s_quota (pricing, "gpt-4o", 1, NULL, 1, INT64_MAX, 0, 0, 0, 0, 0, NULL)
            == INT64_C(1250000000000));

    //  The default tables carry every provider the gateway bills
    const char *models [] = {
        "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o1", "o3", "o4-mini", "gpt-5",
        "gpt-5-mini", "gpt-5-nano", "text-embedding-3-small", "claude-haiku-4-5",
        "claude-opus-4-1", "claude-3-7-sonnet-latest", "gemini-2.5-flash-lite",
        "gemini-2.0-flash", "deepseek-reasoner", "grok-3", "grok-3-mini",
        "openai/gpt-oss-20b", "llama-3.3-70b-versatile", "mistral-medium-latest",
        "mistral-small-latest", "codestral-latest", NULL
    };
    for (int i = 0; models [i]; i++) {
        oa_pricing_source_t source;
        assert (oa_pricing_lookup (pricing, 1, models [i], &source)
             || oa_pricing_lookup (pricing, 45, models [i], &source));
    }
    //  Claude prices: cache read 0.1x, 5m write 1.25x, 1h write 2x input
    const oa_pricing_config_t *sonnet = oa_pricing_lookup (pricing, 14, "claude-sonnet-4-5", NULL);
    assert (sonnet && s_near (sonnet->cached_input_ratio, sonnet->ratio * 0.1));
    assert (s_near (sonnet->cache_write_5m_ratio, sonnet->ratio * 1.25));
    assert (s_near (sonnet->cache_write_1h_ratio, sonnet->ratio * 2));
    assert (oa_pricing_global_size (pricing) > 250);
    assert (oa_pricing_is_claude ("ClAuDe-hot-path") && !oa_pricing_is_claude ("clau-de"));
}

//  Channel model_configs and legacy maps.
static void
s_test_channel (oa_pricing_t *pricing)
{
    oa_pricing_channel_t *channel = oa_pricing_channel_new ();
    assert (channel);
    oa_pricing_result_t result;
    oa_pricing_quote_t quote;

    //  V34 channel override of gpt-4o: ratio 2, completion 3.  The channel
    //  entry replaces the provider entry, so cache reads cost the input price:
    //  50*2 + 50*2 + 100*6 = 800
    assert (oa_pricing_channel_load (channel,
        "{\"gpt-4o\": {\"ratio\": 2, \"completion_ratio\": 3}}", NULL, NULL) == 0);
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 100, 100, 50, 0, 0, 0, NULL) == 800);
    oa_pricing_resolve (pricing, "gpt-4o", 1, channel, &quote);
    assert (quote.source == OA_PRICING_SOURCE_CHANNEL && quote.channel_override);
    //  Other models keep the defaults: 3750 (V1)
    assert (s_quota (pricing, "gpt-4o-mini", 1, channel, 1, 1000, 1000, 0, 0, 0, 0, NULL) == 375);

    //  V35 a config with only max_tokens inherits ratio 1.25 and completion 4
    //  but not the provider's cache price: 50*1.25 + 50*1.25 + 10*5 = 175
    assert (oa_pricing_channel_load (channel, "{\"gpt-4o\": {\"max_tokens\": 4096}}", "", "") == 0);
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 100, 10, 50, 0, 0, 0, NULL) == 175);
    oa_pricing_resolve (pricing, "gpt-4o", 1, channel, &quote);
    assert (quote.max_tokens == 4096 && !quote.channel_override);

    //  V36 negative cached ratio = free reads: 60*1 + 40*0 + 10*2 = 80
    assert (oa_pricing_channel_load (channel,
        "{\"m\": {\"ratio\": 1, \"completion_ratio\": 2, \"cached_input_ratio\": -1}}",
        NULL, NULL) == 0);
    assert (s_quota (pricing, "m", 1, channel, 1, 100, 10, 40, 0, 0, 0, NULL) == 80);

    //  V37 free 5m writes, 1h writes at 3; completion inherits the fallback 1:
    //  plain 60*1 + 30*0 + 10*3 = 90
    assert (oa_pricing_channel_load (channel,
        "{\"m\": {\"ratio\": 1, \"cache_write_5m_ratio\": -1, \"cache_write_1h_ratio\": 3}}",
        NULL, NULL) == 0);
    assert (s_quota (pricing, "m", 1, channel, 1, 100, 0, 0, 30, 10, 0, NULL) == 90);

    //  V38 Go: channel tier with inherited base (gpt-4o 1.25 x 4); tier from
    //  100 prompt tokens at ratio 2.5, completion 3: 120*2.5 + 50*7.5 = 675
    assert (oa_pricing_channel_load (channel,
        "{\"gpt-4o\": {\"tiers\": [{\"input_token_threshold\": 100, \"ratio\": 2.5, "
        "\"completion_ratio\": 3}]}}", NULL, NULL) == 0);
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 120, 50, 0, 0, 0, 0, &result) == 675);
    assert (s_near (result.used_model_ratio, 2.5) && s_near (result.used_completion_ratio, 3));

    //  V39 Go: a flat channel ratio keeps precedence over the tier's input
    //  ratio, the tier's completion ratio still applies: 120*3 + 10*3*6 = 540
    assert (oa_pricing_channel_load (channel,
        "{\"m\": {\"ratio\": 3, \"completion_ratio\": 4, \"tiers\": [{\"ratio\": 5, "
        "\"completion_ratio\": 6, \"input_token_threshold\": 100}]}}", NULL, NULL) == 0);
    assert (s_quota (pricing, "m", 1, channel, 1, 120, 10, 0, 0, 0, 0, &result) == 540);
    assert (s_near (result.used_model_ratio, 3) && s_near (result.used_completion_ratio, 6));
    //  V40 below the threshold: 99*3 + 10*12 = 417
    assert (s_quota (pricing, "m", 1, channel, 1, 99, 10, 0, 0, 0, 0, NULL) == 417);

    //  V41 output-token tier on an unknown model (base: fallback 1.25 x 1),
    //  tiers given out of order are sorted: from 200 completion tokens ratio 3,
    //  completion 4: 1000*3 + 200*12 = 5400; at 199: (1000 + 199)*1.25 = 1498.75 -> 1499
    assert (oa_pricing_channel_load (channel,
        "{\"m\": {\"tiers\": [{\"output_token_threshold\": 500, \"completion_ratio\": 5}, "
        "{\"output_token_threshold\": 200, \"ratio\": 3, \"completion_ratio\": 4}]}}",
        NULL, NULL) == 0);
    assert (s_quota (pricing, "m", 1, channel, 1, 1000, 200, 0, 0, 0, 0, NULL) == 5400);
    assert (s_quota (pricing, "m", 1, channel, 1, 1000, 199, 0, 0, 0, 0, NULL) == 1499);
    //  V42 both tiers reached, the later one overrides completion: 1000*3 + 500*15 = 10500
    assert (s_quota (pricing, "m", 1, channel, 1, 1000, 500, 0, 0, 0, 0, NULL) == 10500);

    //  V43 negative base ratio is not validated on read: the cost is negative,
    //  so the minimum of 1 applies
    assert (oa_pricing_channel_load (channel, "{\"m\": {\"ratio\": -1}}", NULL, NULL) == 0);
    assert (s_quota (pricing, "m", 1, channel, 1, 100, 0, 0, 0, 0, 0, NULL) == 1);

    //  V43a Go TestComputeOutputTokenTierPricing, base inherited: tier from 200
    //  completion tokens, ratio 3, completion 14/3: 1000*3 + 200*14 = 5800
    assert (oa_pricing_channel_load (channel,
        "{\"m\": {\"tiers\": [{\"output_token_threshold\": 200, \"ratio\": 3, "
        "\"completion_ratio\": 4.666666666666667}]}}", NULL, NULL) == 0);
    assert (s_quota (pricing, "m", 1, channel, 1, 1000, 200, 0, 0, 0, 0, NULL) == 5800);

    //  V43b Go TestComputeChannelZeroConfigFallsBackToResolvedOverrides: a zero
    //  config plus legacy ratio 11 / completion 13; prompt 120 = 105 plain +
    //  10 cached + 5 written, all at the input price (the channel config has no
    //  cache prices): 105*11 + 10*11 + 20*11*13 + 5*11 = 1155+110+2860+55 = 4180
    assert (oa_pricing_channel_load (channel,
        "{\"zero-config-model\": {\"ratio\": 0, \"completion_ratio\": 0}}",
        "{\"zero-config-model\": 11}", "{\"zero-config-model\": 13}") == 0);
    assert (s_quota (pricing, "zero-config-model", 1, channel, 1, 120, 20, 10, 5, 0, 0, NULL)
            == 4180);

    //  V43c Go TestComputeRatioOnlyResolutionAppliesTieredCacheRatios: the
    //  tier (from 100) changes cache prices only, 1h writes become free:
    //  88*2 + 20*4 + 10*2*3 + 5*5 + 7*0 = 176 + 80 + 60 + 25 = 341
    assert (oa_pricing_channel_load (channel,
        "{\"tier-cache-model\": {\"ratio\": 2, \"completion_ratio\": 3, "
        "\"cached_input_ratio\": 1, \"cache_write_5m_ratio\": 8, \"cache_write_1h_ratio\": 9, "
        "\"tiers\": [{\"input_token_threshold\": 100, \"cached_input_ratio\": 4, "
        "\"cache_write_5m_ratio\": 5, \"cache_write_1h_ratio\": -1}]}}", NULL, NULL) == 0);
    assert (s_quota (pricing, "tier-cache-model", 1, channel, 1, 120, 10, 20, 5, 7, 0, NULL)
            == 341);

    //  V43d Go TestComputeClaudePromptExcludesCacheBucketsCaseInsensitive:
    //  "ClAuDe" keeps buckets apart: 2*3 + 4*15 + 3*1 + 7*2 = 6+60+3+14 = 83
    assert (oa_pricing_channel_load (channel,
        "{\"ClAuDe-hot-path-test\": {\"ratio\": 3, \"completion_ratio\": 5, "
        "\"cached_input_ratio\": 1, \"cache_write_5m_ratio\": 2}}", NULL, NULL) == 0);
    assert (s_quota (pricing, "ClAuDe-hot-path-test", 1, channel, 1, 2, 4, 3, 7, 0, 0, &result)
            == 83);
    assert (result.cached_prompt_tokens == 3);

    //  V44 legacy maps (no model_configs): ratio 2, completion 3 -> V34's 800
    assert (oa_pricing_channel_load (channel, NULL, "{\"gpt-4o\": 2}", "{\"gpt-4o\": 3}") == 0);
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 100, 100, 50, 0, 0, 0, NULL) == 800);

    //  V45 legacy completion only: ratio inherits 1.25: 100*1.25 + 100*2.5 = 375
    assert (oa_pricing_channel_load (channel, "", "{}", "{\"gpt-4o\": 2}") == 0);
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 100, 100, 0, 0, 0, 0, NULL) == 375);

    //  V46 legacy maps are ignored once model_configs has prices: gpt-4o at 3750
    assert (oa_pricing_channel_load (channel, "{\"x\": {\"ratio\": 1}}", "{\"gpt-4o\": 2}", NULL)
            == 0);
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 1000, 500, 0, 0, 0, 0, NULL) == 3750);
    //  ... and merged into a config with max_tokens only: 1000*2 + 500*8 = 6000
    assert (oa_pricing_channel_load (channel, "{\"gpt-4o\": {\"max_tokens\": 100}}",
                                     "{\"gpt-4o\": 2}", NULL) == 0);
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 1000, 500, 0, 0, 0, 0, NULL) == 6000);
    //  Negative legacy values are skipped: defaults apply
    assert (oa_pricing_channel_load (channel, NULL, "{\"gpt-4o\": -1}", NULL) == 0);
    assert (oa_pricing_channel_size (channel) == 0);

    //  V47 malformed model_configs is ignored with an error, never a crash;
    //  legacy maps still apply: gpt-4o at ratio 2 -> 1000*2 + 500*8 = 6000
    assert (oa_pricing_channel_load (channel, "{not json", "{\"gpt-4o\": 2}", NULL) == -1);
    assert (*oa_pricing_channel_error (channel));
    assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 1000, 500, 0, 0, 0, 0, NULL) == 6000);

    //  One bad value voids the whole document, as in one-api
    const char *bad [] = {
        "{\"gpt-4o\": {\"ratio\": \"2\"}, \"gpt-4o-mini\": {\"ratio\": 1}}",
        "{\"gpt-4o\": {\"tiers\": {}}}",
        "{\"gpt-4o\": {\"tiers\": [{\"input_token_threshold\": 1.5}]}}",
        "{\"gpt-4o\": {\"max_tokens\": 3000000000}}",
        "{\"gpt-4o\": {\"ratio\": 1e300}}",
        "{\"gpt-4o\": 5}",
        "[1, 2]",
        "\"text\"",
        NULL
    };
    for (int i = 0; bad [i]; i++) {
        assert (oa_pricing_channel_load (channel, bad [i], NULL, NULL) == -1);
        assert (oa_pricing_channel_size (channel) == 0);
        assert (s_quota (pricing, "gpt-4o", 1, channel, 1, 1000, 500, 0, 0, 0, 0, NULL) == 3750);
    }
    assert (oa_pricing_channel_load (channel, NULL, "{\"gpt-4o\": \"2\"}", NULL) == -1);
    assert (oa_pricing_channel_load (channel, NULL, NULL, "[]") == -1);

    //  "null", "{}" and unknown keys are fine; keys match case-insensitively;
    //  a null entry is a zero config (inherits ratios, replaces cache prices)
    assert (oa_pricing_channel_load (channel, "null", NULL, NULL) == 0);
    assert (oa_pricing_channel_load (channel,
        "{\"gpt-4o\": {\"Ratio\": 2, \"video\": {\"per_second_usd\": 1}, \"time_windows\": []},"
        " \"gpt-4o-mini\": null}", NULL, NULL) == 0);
    assert (oa_pricing_channel_size (channel) == 2);
    assert (s_near (oa_pricing_channel_lookup (channel, "gpt-4o")->ratio, 2));
    //  gpt-4o-mini, null entry: 600*0.075 + 400*0.075 = 75
    assert (s_quota (pricing, "gpt-4o-mini", 1, channel, 1, 1000, 0, 400, 0, 0, 0, NULL) == 75);
    oa_pricing_channel_destroy (&channel);
    oa_pricing_channel_destroy (&channel);
    assert (channel == NULL);
}

//  Group ratios.
static void
s_test_groups (oa_pricing_t *pricing)
{
    oa_pricing_groups_t *groups = oa_pricing_groups_new ();
    assert (groups);
    assert (oa_pricing_groups_size (groups) == 3);
    assert (oa_pricing_groups_ratio (groups, "vip") == 1);
    char error [128];
    assert (oa_pricing_groups_load (groups,
        "{\"default\": 1, \"vip\": 0.8, \"svip\": 0.5, \"free\": 0}", error, sizeof (error)) == 0);
    assert (oa_pricing_groups_ratio (groups, "vip") == 0.8);
    assert (oa_pricing_groups_ratio (groups, "nobody") == 1);
    assert (oa_pricing_groups_ratio (groups, "") == 1);
    assert (oa_pricing_groups_min (groups, "default,vip") == 0.8);
    assert (oa_pricing_groups_min (groups, "vip,svip,nobody") == 0.5);
    assert (oa_pricing_groups_min (groups, "nobody") == 1);
    assert (oa_pricing_groups_min (groups, "") == 1);
    assert (oa_pricing_groups_min (groups, NULL) == 1);
    assert (oa_pricing_groups_min (groups, "default, vip") == 1);  //  " vip" unknown
    assert (oa_pricing_groups_min (groups, "svip,free") == 0);
    assert (oa_pricing_groups_min (groups, "vi,vipp,v") == 1);     //  No prefix matches

    //  V48 user group vip (0.8) on gpt-4o: (1000*1.25 + 500*5) * 0.8 = 3000
    double ratio = oa_pricing_groups_ratio (groups, "vip");
    assert (s_quota (pricing, "gpt-4o", 1, NULL, ratio, 1000, 500, 0, 0, 0, 0, NULL) == 3000);
    //  V49 channel groups "default,svip" -> 0.5: 3750 * 0.5 = 1875
    ratio = oa_pricing_groups_min (groups, "default,svip");
    assert (s_quota (pricing, "gpt-4o", 1, NULL, ratio, 1000, 500, 0, 0, 0, 0, NULL) == 1875);

    //  Bad updates keep the previous ratios
    assert (oa_pricing_groups_load (groups, "{\"vip\": ", error, sizeof (error)) == -1);
    assert (*error);
    assert (oa_pricing_groups_load (groups, "{\"vip\": -1}", error, sizeof (error)) == -1);
    assert (oa_pricing_groups_load (groups, "{\"vip\": \"1\"}", NULL, 0) == -1);
    assert (oa_pricing_groups_load (groups, "[]", NULL, 0) == -1);
    assert (oa_pricing_groups_ratio (groups, "vip") == 0.8);
    assert (oa_pricing_groups_load (groups, "{}", NULL, 0) == 0);
    assert (oa_pricing_groups_ratio (groups, "vip") == 1);
    oa_pricing_groups_destroy (&groups);
    assert (groups == NULL);
}

//  Pre-consume estimate, trusted rule, settlement.
static void
s_test_settle (oa_pricing_t *pricing)
{
    oa_pricing_quote_t quote;
    oa_pricing_resolve (pricing, "gpt-4o", 1, NULL, &quote);

    //  V50 (500 + 100)*1.25 + 1000*1.25*4 = 750 + 5000 = 5750
    int64_t pre = oa_pricing_estimate (&quote, 1, 100, 1000, OA_PRICING_PRE_CONSUMED_QUOTA);
    assert (pre == 5750);
    //  V51 group 0.5 halves it: 2875
    assert (oa_pricing_estimate (&quote, 0.5, 100, 1000, 500) == 2875);
    //  V52 the estimate truncates: gpt-4o-mini (500 + 10)*0.075 = 38.25 -> 38
    oa_pricing_quote_t mini;
    oa_pricing_resolve (pricing, "gpt-4o-mini", 1, NULL, &mini);
    assert (oa_pricing_estimate (&mini, 1, 10, 0, 500) == 38);
    //  Negative counts count as zero: 500*0.075 = 37.5 -> 37
    assert (oa_pricing_estimate (&mini, 1, -10, -5, 500) == 37);

    //  V53 trusted: user 10,000,000 > 100*5750 = 575,000, token unlimited
    int64_t reserve = -1;
    assert (oa_pricing_trusted (10000000, 0, true, pre));
    assert (oa_pricing_admit (10000000, 0, true, pre, &reserve) == 0 && reserve == 0);
    //  The bar is strict: user quota exactly 575,000 reserves the estimate
    assert (!oa_pricing_trusted (575000, 0, true, pre));
    assert (oa_pricing_admit (575000, 0, true, pre, &reserve) == 0 && reserve == 5750);
    //  A limited token must also clear the bar
    assert (oa_pricing_trusted (10000000, 575001, false, pre));
    assert (!oa_pricing_trusted (10000000, 575000, false, pre));
    //  V54 user quota below the estimate is refused
    assert (oa_pricing_admit (5749, 0, true, pre, &reserve) == -1 && reserve == 0);
    assert (oa_pricing_admit (5750, 0, true, pre, &reserve) == 0 && reserve == 5750);
    assert (!oa_pricing_trusted (INT64_MAX, INT64_MAX, false, INT64_MAX));

    //  V55 settlement: usage reported -> computed quota
    oa_pricing_result_t result;
    oa_pricing_usage_t usage = { .prompt_tokens = 1000, .completion_tokens = 500 };
    assert (oa_pricing_compute (&quote, 1, &usage, &result) == 0 && result.quota == 3750);
    assert (oa_pricing_settle (&result, true, pre, 0) == 3750);
    //  no usage at all: keep what was charged (pre + incremental)
    assert (oa_pricing_settle (NULL, false, pre, 100) == 5850);
    //  zero tokens after a pre-consumption: keep the estimate
    usage = (oa_pricing_usage_t) { 0 };
    assert (oa_pricing_compute (&quote, 1, &usage, &result) == 0 && result.quota == 1);
    assert (oa_pricing_settle (&result, true, pre, 0) == 5750);
    //  V56 zero tokens on a trusted (not pre-consumed) request cost 0
    assert (oa_pricing_settle (&result, true, 0, 0) == 0);

    //  Bad arguments are refused, never asserted
    assert (oa_pricing_compute (&quote, __builtin_nan (""), &usage, &result) == -1);
    assert (oa_pricing_compute (NULL, 1, &usage, &result) == -1);
    assert (oa_pricing_compute (&quote, 1, NULL, &result) == -1);
    assert (oa_pricing_compute (&quote, 1, &usage, NULL) == -1);
    assert (oa_pricing_resolve (pricing, NULL, 1, NULL, &quote) == -1);
}

void
oa_pricing_test (bool verbose)
{
    if (verbose)
        printf ("\n");
    oa_pricing_t *pricing = oa_pricing_new ();
    assert (pricing);
    s_test_tables (pricing);
    s_test_channel (pricing);
    s_test_groups (pricing);
    s_test_settle (pricing);
    oa_pricing_destroy (&pricing);
    oa_pricing_destroy (&pricing);
    assert (pricing == NULL);
}
