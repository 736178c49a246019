/*  =========================================================================
    oa_pricing - price tables and price resolution

    @header
    Builds one sorted index per provider table and one global index merged
    from them, then answers "what does model M cost on a channel of type T
    with overrides C" by walking channel -> provider -> global -> fallback.
    Lookups are binary searches over sorted arrays: no allocation, no locks.
    @discuss
    Resolution mirrors one-api's ResolveModelRatioAt / ResolveCompletionRatioAt
    (relay/pricing/global.go) and ResolveModelConfigRatioOnly (resolver.go):
    a channel entry replaces the provider entry as a whole, except that a
    zero ratio or completion ratio inherits the lower layers' value.
    @end
    =========================================================================
*/

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "oa_pricing.h"
#include "oa_pricing_tables.h"

//  A model in an index.
typedef struct {
    const char *name;               //  Model name (borrowed from a static table)
    int order;                      //  Merge order, lower wins on duplicates
    oa_pricing_config_t config;     //  Price as ratios
} s_entry_t;

//  A sorted array of models.
typedef struct {
    s_entry_t *entries;             //  Sorted by name, unique
    size_t size;                    //  Used entries
} s_index_t;

struct _oa_pricing_t {
    s_index_t providers [OA_PRICING_PROVIDERS];     //  One per default table
    s_index_t global;               //  Merged table (one-api global pricing)
};

//  Tables by provider id.
static const oa_pricing_table_t *s_tables [OA_PRICING_PROVIDERS] = {
    [OA_PRICING_PROVIDER_OPENAI] = &oa_pricing_table_openai,
    [OA_PRICING_PROVIDER_ANTHROPIC] = &oa_pricing_table_anthropic,
    [OA_PRICING_PROVIDER_GEMINI] = &oa_pricing_table_gemini,
    [OA_PRICING_PROVIDER_DEEPSEEK] = &oa_pricing_table_deepseek,
    [OA_PRICING_PROVIDER_GROQ] = &oa_pricing_table_groq,
    [OA_PRICING_PROVIDER_MISTRAL] = &oa_pricing_table_mistral,
    [OA_PRICING_PROVIDER_XAI] = &oa_pricing_table_xai,
};

//  Providers merged into the global table, in one-api's order
//  (DefaultGlobalPricingAdapters; xAI is not part of it).
static const int s_global_order [] = {
    OA_PRICING_PROVIDER_OPENAI, OA_PRICING_PROVIDER_ANTHROPIC, OA_PRICING_PROVIDER_GEMINI,
    OA_PRICING_PROVIDER_DEEPSEEK, OA_PRICING_PROVIDER_GROQ, OA_PRICING_PROVIDER_MISTRAL
};

#define S_MAX_CHAIN 4

//  --------------------------------------------------------------------------
//  Provider tables consulted for a channel type, first hit wins.  one-api
//  maps the channel type to an API type (channeltype.ToAPIType) and asks that
//  adaptor; every type without its own adaptor uses the OpenAI one.  Types
//  whose adaptor has a table we do not carry (Ali, Zhipu, ...) get none, so
//  they fall through to the global table.

static size_t
s_provider_chain (int channel_type, int chain [S_MAX_CHAIN])
{
    switch (channel_type) {
        case 3:                     //  Azure: OpenAI table, Claude entries on top
            chain [0] = OA_PRICING_PROVIDER_ANTHROPIC;
            chain [1] = OA_PRICING_PROVIDER_OPENAI;
            return 2;
        case 14:                    //  Anthropic
        case 52:                    //  ClaudeCompatible
        case 33:                    //  AwsClaude: Bedrock uses Anthropic's names and prices
            chain [0] = OA_PRICING_PROVIDER_ANTHROPIC;
            return 1;
        case 24:                    //  Gemini
            chain [0] = OA_PRICING_PROVIDER_GEMINI;
            return 1;
        case 28:                    //  Mistral
            chain [0] = OA_PRICING_PROVIDER_MISTRAL;
            return 1;
        case 29:                    //  Groq
            chain [0] = OA_PRICING_PROVIDER_GROQ;
            return 1;
        case 36:                    //  DeepSeek
            chain [0] = OA_PRICING_PROVIDER_DEEPSEEK;
            return 1;
        case 45:                    //  XAI
            chain [0] = OA_PRICING_PROVIDER_XAI;
            return 1;
        case 42:                    //  VertexAI: OpenAI over DeepSeek over Gemini over Claude
            chain [0] = OA_PRICING_PROVIDER_OPENAI;
            chain [1] = OA_PRICING_PROVIDER_DEEPSEEK;
            chain [2] = OA_PRICING_PROVIDER_GEMINI;
            chain [3] = OA_PRICING_PROVIDER_ANTHROPIC;
            return 4;
        case 11: case 15: case 16: case 17: case 18: case 21: case 23: case 25:
        case 30: case 34: case 35: case 37: case 38: case 43: case 46: case 53:
        case 54: case 55: case 56: case 57:
            return 0;               //  Own adaptor, table not carried here
        default:                    //  OpenAI and every OpenAI-wire type
            chain [0] = OA_PRICING_PROVIDER_OPENAI;
            return 1;
    }
}

static int
s_entry_compare (const void *a, const void *b)
{
    const s_entry_t *left = (const s_entry_t *) a;
    const s_entry_t *right = (const s_entry_t *) b;
    int rc = strcmp (left->name, right->name);
    if (rc == 0)
        rc = (left->order > right->order) - (left->order < right->order);
    return rc;
}

static int
s_entry_find (const void *key, const void *item)
{
    return strcmp ((const char *) key, ((const s_entry_t *) item)->name);
}

//  Sorts an index and drops duplicate names, keeping the lowest order.
static void
s_index_sort (s_index_t *index)
{
    if (index->size == 0)
        return;
    qsort (index->entries, index->size, sizeof (s_entry_t), s_entry_compare);
    size_t kept = 1;
    for (size_t i = 1; i < index->size; i++) {
        if (strcmp (index->entries [i].name, index->entries [kept - 1].name) != 0)
            index->entries [kept++] = index->entries [i];
    }
    index->size = kept;
}

static const oa_pricing_config_t *
s_index_lookup (const s_index_t *index, const char *model)
{
    if (index->size == 0)
        return NULL;
    const s_entry_t *entry = (const s_entry_t *) bsearch (
        model, index->entries, index->size, sizeof (s_entry_t), s_entry_find);
    return entry? &entry->config: NULL;
}

//  USD per 1M tokens to quota per token; keeps the sign (negative = free).
static double
s_usd_to_ratio (double usd)
{
    return usd * OA_PRICING_MILLI_TOKENS_USD;
}

//  Converts one table into an index of ratios, tiers attached.
static int
s_index_build (s_index_t *index, const oa_pricing_table_t *table)
{
    index->entries = (s_entry_t *) calloc (table->row_count? table->row_count: 1,
                                           sizeof (s_entry_t));
    if (!index->entries)
        return -1;
    for (size_t i = 0; i < table->row_count; i++) {
        const oa_pricing_row_t *row = &table->rows [i];
        s_entry_t *entry = &index->entries [index->size++];
        entry->name = row->model;
        entry->order = (int) i;
        entry->config.ratio = s_usd_to_ratio (row->input);
        //  Free models keep completion ratio 1, as one-api's tables do
        entry->config.completion_ratio = row->input != 0? row->output / row->input: 1.0;
        entry->config.cached_input_ratio = s_usd_to_ratio (row->cached_input);
        entry->config.cache_write_5m_ratio = s_usd_to_ratio (row->cache_write_5m);
        entry->config.cache_write_1h_ratio = s_usd_to_ratio (row->cache_write_1h);
    }
    s_index_sort (index);
    for (size_t i = 0; i < table->tier_count; i++) {
        const oa_pricing_tier_row_t *row = &table->tiers [i];
        s_entry_t *entry = (s_entry_t *) bsearch (
            row->model, index->entries, index->size, sizeof (s_entry_t), s_entry_find);
        //  A tier for an unknown model, or too many tiers, is a table bug
        assert (entry);
        assert (entry->config.tier_count < OA_PRICING_MAX_TIERS);
        oa_pricing_tier_t *tier = &entry->config.tiers [entry->config.tier_count++];
        double input = row->input != 0? row->input: entry->config.ratio * 2;
        tier->ratio = s_usd_to_ratio (row->input);
        tier->completion_ratio = row->output != 0 && input != 0? row->output / input: 0;
        tier->cached_input_ratio = s_usd_to_ratio (row->cached_input);
        tier->cache_write_5m_ratio = s_usd_to_ratio (row->cache_write_5m);
        tier->cache_write_1h_ratio = s_usd_to_ratio (row->cache_write_1h);
        tier->input_token_threshold = row->input_threshold;
        tier->output_token_threshold = row->output_threshold;
    }
    for (size_t i = 0; i < index->size; i++)
        oa_pricing_config_sort_tiers (&index->entries [i].config);
    return 0;
}

//  Merges provider indexes into the global one; the first provider wins.
static int
s_global_build (oa_pricing_t *self)
{
    size_t total = 0;
    size_t count = sizeof (s_global_order) / sizeof (s_global_order [0]);
    for (size_t i = 0; i < count; i++)
        total += self->providers [s_global_order [i]].size;
    self->global.entries = (s_entry_t *) calloc (total? total: 1, sizeof (s_entry_t));
    if (!self->global.entries)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const s_index_t *source = &self->providers [s_global_order [i]];
        for (size_t j = 0; j < source->size; j++) {
            s_entry_t *entry = &self->global.entries [self->global.size++];
            *entry = source->entries [j];
            entry->order = (int) i;
        }
    }
    s_index_sort (&self->global);
    return 0;
}


//  --------------------------------------------------------------------------
//  Sort config's tiers by thresholds, stable (insertion sort, few tiers).

void
oa_pricing_config_sort_tiers (oa_pricing_config_t *config)
{
    assert (config);
    assert (config->tier_count <= OA_PRICING_MAX_TIERS);
    for (size_t i = 1; i < config->tier_count; i++) {
        oa_pricing_tier_t tier = config->tiers [i];
        size_t j = i;
        while (j > 0) {
            const oa_pricing_tier_t *prev = &config->tiers [j - 1];
            bool after = prev->input_token_threshold > tier.input_token_threshold
                      || (prev->input_token_threshold == tier.input_token_threshold
                          && prev->output_token_threshold > tier.output_token_threshold);
            if (!after)
                break;
            config->tiers [j] = config->tiers [j - 1];
            j--;
        }
        config->tiers [j] = tier;
    }
}


//  --------------------------------------------------------------------------
//  Create the default provider tables and the global merged table.

oa_pricing_t *
oa_pricing_new (void)
{
    oa_pricing_t *self = (oa_pricing_t *) calloc (1, sizeof (oa_pricing_t));
    if (!self)
        return NULL;
    for (int provider = 0; provider < OA_PRICING_PROVIDERS; provider++) {
        if (s_index_build (&self->providers [provider], s_tables [provider])) {
            oa_pricing_destroy (&self);
            return NULL;
        }
    }
    if (s_global_build (self)) {
        oa_pricing_destroy (&self);
        return NULL;
    }
    return self;
}


//  --------------------------------------------------------------------------
//  Destroy the tables; idempotent, nulls the pointer.

void
oa_pricing_destroy (oa_pricing_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        oa_pricing_t *self = *self_p;
        for (int provider = 0; provider < OA_PRICING_PROVIDERS; provider++)
            free (self->providers [provider].entries);
        free (self->global.entries);
        free (self);
        *self_p = NULL;
    }
}


//  --------------------------------------------------------------------------
//  Default config of model for channel_type: provider table, then global.

const oa_pricing_config_t *
oa_pricing_lookup (oa_pricing_t *self, int channel_type, const char *model,
                   oa_pricing_source_t *source)
{
    assert (self);
    if (source)
        *source = OA_PRICING_SOURCE_FALLBACK;
    if (!model)
        return NULL;
    int chain [S_MAX_CHAIN];
    size_t links = s_provider_chain (channel_type, chain);
    for (size_t i = 0; i < links; i++) {
        const oa_pricing_config_t *config = s_index_lookup (&self->providers [chain [i]], model);
        if (config) {
            if (source)
                *source = OA_PRICING_SOURCE_PROVIDER;
            return config;
        }
    }
    const oa_pricing_config_t *config = s_index_lookup (&self->global, model);
    if (config && source)
        *source = OA_PRICING_SOURCE_GLOBAL;
    return config;
}


//  --------------------------------------------------------------------------
//  Number of models in the global merged table.

size_t
oa_pricing_global_size (oa_pricing_t *self)
{
    assert (self);
    return self->global.size;
}


//  --------------------------------------------------------------------------
//  True if model is a Claude model (ASCII case-insensitive "claude").

bool
oa_pricing_is_claude (const char *model)
{
    static const char needle [] = "claude";
    if (!model)
        return false;
    for (const char *start = model; *start; start++) {
        size_t i = 0;
        while (needle [i]) {
            char c = start [i];
            if (c >= 'A' && c <= 'Z')
                c = (char) (c - 'A' + 'a');
            if (c != needle [i])
                break;
            i++;
        }
        if (needle [i] == 0)
            return true;
    }
    return false;
}


//  --------------------------------------------------------------------------
//  Price model on a channel of channel_type with its overrides.

int
oa_pricing_resolve (oa_pricing_t *self, const char *model, int channel_type,
                    const oa_pricing_channel_t *channel, oa_pricing_quote_t *quote)
{
    assert (self);
    assert (quote);
    memset (quote, 0, sizeof (*quote));
    if (!model)
        return -1;

    const oa_pricing_config_t *local = channel? oa_pricing_channel_lookup (channel, model): NULL;
    const oa_pricing_config_t *provider = NULL;
    int chain [S_MAX_CHAIN];
    size_t links = s_provider_chain (channel_type, chain);
    for (size_t i = 0; i < links && !provider; i++)
        provider = s_index_lookup (&self->providers [chain [i]], model);
    //  The global table only matters when the provider has no entry
    const oa_pricing_config_t *global = provider? NULL: s_index_lookup (&self->global, model);

    //  The config whose tiers and cache prices apply: the first layer that
    //  has the model at all, even with zero ratios.
    const oa_pricing_config_t *config = local? local: provider? provider: global;
    if (config) {
        quote->config = *config;
        quote->has_config = true;
        quote->source = local? OA_PRICING_SOURCE_CHANNEL:
                        provider? OA_PRICING_SOURCE_PROVIDER: OA_PRICING_SOURCE_GLOBAL;
    }
    else
        quote->source = OA_PRICING_SOURCE_FALLBACK;

    //  Base ratios: a non-zero channel value wins; otherwise the provider
    //  entry, even an explicit zero (free model); then global; then fallback.
    if (local && local->ratio != 0)
        quote->model_ratio = local->ratio;
    else
    if (provider)
        quote->model_ratio = provider->ratio;
    else
    if (global)
        quote->model_ratio = global->ratio;
    else
        quote->model_ratio = OA_PRICING_FALLBACK_RATIO;

    if (local && local->completion_ratio != 0)
        quote->completion_ratio = local->completion_ratio;
    else
    if (provider)
        quote->completion_ratio = provider->completion_ratio;
    else
    if (global)
        quote->completion_ratio = global->completion_ratio;
    else
        quote->completion_ratio = OA_PRICING_FALLBACK_COMPLETION;

    quote->channel_override = local && local->ratio != 0;
    quote->separate_cache_buckets = oa_pricing_is_claude (model);
    quote->max_tokens = local? local->max_tokens: 0;
    return 0;
}
