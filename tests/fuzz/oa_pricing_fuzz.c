/*  =========================================================================
    oa_pricing_fuzz - libFuzzer target for ledger/pricing

    Input layout: the first 64 bytes (zero-padded) hold five token counts and
    tools cost (0-47), channel type (48), a raw group ratio double (49-56),
    max_tokens (57-60) and flags (62-63); the rest is split at
    NUL bytes into model name, model_configs JSON, legacy model_ratio JSON,
    legacy completion_ratio JSON, GroupRatio JSON and channel groups CSV.
    Checks that nothing crashes, leaks or overflows, and that results keep
    their invariants (minimum 1 when priced, clamping, settlement rules).
    =========================================================================
*/

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pricing/oa_pricing.h"

#define S_HEADER 64
#define S_FIELDS 6

static int64_t
s_read_i64 (const uint8_t *bytes)
{
    uint64_t value = 0;
    for (int i = 0; i < 8; i++)
        value |= (uint64_t) bytes [i] << (8 * i);
    return (int64_t) value;
}

//  True if no price of the quote is negative (negative cache prices mean free).
static bool
s_non_negative (const oa_pricing_quote_t *quote)
{
    const oa_pricing_config_t *config = &quote->config;
    if (quote->model_ratio < 0 || quote->completion_ratio < 0
    ||  config->ratio < 0 || config->completion_ratio < 0)
        return false;
    for (size_t i = 0; i < config->tier_count; i++)
        if (config->tiers [i].ratio < 0 || config->tiers [i].completion_ratio < 0)
            return false;
    return true;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static oa_pricing_t *pricing = NULL;
    if (!pricing) {
        pricing = oa_pricing_new ();
        assert (pricing);
    }

    uint8_t header [S_HEADER + 8] = { 0 };
    memcpy (header, data, size < S_HEADER? size: S_HEADER);
    const uint8_t *rest = size > S_HEADER? data + S_HEADER: NULL;
    size_t rest_size = size > S_HEADER? size - S_HEADER: 0;

    //  Split the tail into NUL-terminated fields
    char *copy = (char *) malloc (rest_size + 1);
    assert (copy);
    if (rest_size)
        memcpy (copy, rest, rest_size);
    copy [rest_size] = 0;
    const char *fields [S_FIELDS] = { "", NULL, NULL, NULL, NULL, NULL };
    size_t field = 0;
    fields [0] = copy;
    for (size_t i = 0; i < rest_size && field + 1 < S_FIELDS; i++) {
        if (copy [i] == 0)
            fields [++field] = copy + i + 1;
    }

    //  Small token counts most of the time, raw 64-bit values sometimes
    oa_pricing_usage_t usage;
    usage.prompt_tokens = s_read_i64 (header);
    usage.completion_tokens = s_read_i64 (header + 8);
    usage.cached_tokens = s_read_i64 (header + 16);
    usage.cache_write_5m_tokens = s_read_i64 (header + 24);
    usage.cache_write_1h_tokens = s_read_i64 (header + 32);
    usage.tools_cost = (int64_t) (int32_t) s_read_i64 (header + 40);
    if (!(header [63] & 1)) {
        usage.prompt_tokens %= 1000000;
        usage.completion_tokens %= 1000000;
        usage.cached_tokens %= 1000000;
        usage.cache_write_5m_tokens %= 1000000;
        usage.cache_write_1h_tokens %= 1000000;
    }
    int channel_type = header [48] % 64;
    double group_direct;
    memcpy (&group_direct, header + 49, sizeof (group_direct));
    int64_t max_tokens = (int64_t) (int32_t) s_read_i64 (header + 57) % 10000000;

    oa_pricing_channel_t *channel = oa_pricing_channel_new ();
    assert (channel);
    int rc = oa_pricing_channel_load (channel, fields [1], fields [2], fields [3]);
    assert (rc == 0 || *oa_pricing_channel_error (channel));

    oa_pricing_groups_t *groups = oa_pricing_groups_new ();
    assert (groups);
    char error [128];
    oa_pricing_groups_load (groups, fields [4]? fields [4]: "", error, sizeof (error));
    double group = oa_pricing_groups_min (groups, fields [5]);
    assert (group >= 0);
    assert (oa_pricing_groups_ratio (groups, fields [0]) >= 0);

    oa_pricing_quote_t quote;
    rc = oa_pricing_resolve (pricing, fields [0], channel_type, channel, &quote);
    assert (rc == 0);

    oa_pricing_result_t result;
    rc = oa_pricing_compute (&quote, group, &usage, &result);
    assert (rc == 0);
    if (result.used_model_ratio != 0 && group != 0)
        assert (result.quota >= 1);
    if (usage.tools_cost >= 0 && s_non_negative (&quote))
        assert (result.quota >= 0);

    //  Arbitrary doubles (NaN, infinities, huge) must be refused or clamped
    rc = oa_pricing_compute (&quote, group_direct, &usage, &result);
    assert (rc == 0 || rc == -1);
    int64_t pre = oa_pricing_estimate (&quote, group, usage.prompt_tokens, max_tokens,
                                       OA_PRICING_PRE_CONSUMED_QUOTA);
    int64_t reserve = 0;
    if (oa_pricing_admit (usage.completion_tokens, usage.cached_tokens, header [62] & 1,
                          pre, &reserve) == 0)
        assert (reserve == 0 || reserve == pre);
    int64_t settled = oa_pricing_settle (&result, header [62] & 2, pre, 0);
    (void) settled;

    oa_pricing_channel_destroy (&channel);
    oa_pricing_groups_destroy (&groups);
    free (copy);
    return 0;
}
