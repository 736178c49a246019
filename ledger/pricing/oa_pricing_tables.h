/*  =========================================================================
    oa_pricing_tables - default price tables and shared helpers, private

    Prices are data, in the units providers publish: USD per 1M tokens.
    A cache price of 0 means "bill at the input price", a negative one "free".
    oa_pricing_new converts them to ratios (quota per token = USD * 0.5).
    =========================================================================
*/

#ifndef OA_PRICING_TABLES_H_INCLUDED
#define OA_PRICING_TABLES_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include "oa_pricing.h"

//  One model's default price.
typedef struct {
    const char *model;              //  Model name, exactly as clients send it
    double input;                   //  USD per 1M input tokens
    double output;                  //  USD per 1M output tokens
    double cached_input;            //  USD per 1M cache-read tokens
    double cache_write_5m;          //  USD per 1M 5-minute cache-write tokens
    double cache_write_1h;          //  USD per 1M 1-hour cache-write tokens
} oa_pricing_row_t;

//  A usage tier of a model in the same table; 0 prices inherit the base.
typedef struct {
    const char *model;              //  Model the tier belongs to
    int64_t input_threshold;        //  Applies from this many prompt tokens
    int64_t output_threshold;       //  ... and this many completion tokens
    double input;                   //  USD per 1M input tokens
    double output;                  //  USD per 1M output tokens
    double cached_input;            //  USD per 1M cache-read tokens
    double cache_write_5m;          //  USD per 1M 5-minute cache-write tokens
    double cache_write_1h;          //  USD per 1M 1-hour cache-write tokens
} oa_pricing_tier_row_t;

//  One provider's default table (one-api GetDefaultModelPricing).
typedef struct {
    const char *name;               //  Provider name, for diagnostics
    const oa_pricing_row_t *rows;   //  Models, any order
    size_t row_count;               //  Entries in rows
    const oa_pricing_tier_row_t *tiers;     //  Tiers, in threshold order per model
    size_t tier_count;              //  Entries in tiers
} oa_pricing_table_t;

//  Providers with a table; the order is one-api's global merge order.
typedef enum {
    OA_PRICING_PROVIDER_OPENAI = 0,
    OA_PRICING_PROVIDER_ANTHROPIC,
    OA_PRICING_PROVIDER_GEMINI,
    OA_PRICING_PROVIDER_DEEPSEEK,
    OA_PRICING_PROVIDER_GROQ,
    OA_PRICING_PROVIDER_MISTRAL,
    OA_PRICING_PROVIDER_XAI,
    OA_PRICING_PROVIDERS            //  Count
} oa_pricing_provider_t;

extern const oa_pricing_table_t oa_pricing_table_openai;
extern const oa_pricing_table_t oa_pricing_table_anthropic;
extern const oa_pricing_table_t oa_pricing_table_gemini;
extern const oa_pricing_table_t oa_pricing_table_deepseek;
extern const oa_pricing_table_t oa_pricing_table_groq;
extern const oa_pricing_table_t oa_pricing_table_mistral;
extern const oa_pricing_table_t oa_pricing_table_xai;

//  Sort config's tiers by (input, output) threshold, keeping equal ones in
//  order, as one-api does before applying them.  Defined in oa_pricing.c.
void
    oa_pricing_config_sort_tiers (oa_pricing_config_t *config);

#endif
