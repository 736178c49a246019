/*  =========================================================================
    oa_pricing_channel - a channel's price overrides (model_configs JSON)

    @header
    Parses the channels.model_configs column, {"model": {"ratio": 1.25,
    "completion_ratio": 4, "cached_input_ratio": 0.125, "cache_write_5m_ratio":
    ..., "cache_write_1h_ratio": ..., "max_tokens": 8192, "tiers": [{"ratio":
    ..., "input_token_threshold": 200001, ...}]}}, plus the deprecated
    channels.model_ratio and channels.completion_ratio maps ({"model": 1.5}).
    @discuss
    Like one-api's GetModelPriceConfigs, a document that does not decode is
    ignored as a whole: one bad value voids every override of that channel.
    Keys match case-insensitively, as Go's encoding/json does; integer fields
    reject fractions; unknown keys (video, audio, image, embedding,
    time_windows, metadata) are skipped.  The legacy maps are merged the way
    one-api's MigrateHistoricalPricingToModelConfigs does: only when
    model_configs holds no ratio or completion ratio, negative values skipped.
    @end
    =========================================================================
*/

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "oa_pricing.h"
#include "oa_pricing_tables.h"

//  One model's override.
typedef struct {
    char *name;                     //  Model name, owned
    bool legacy;                    //  Created from a legacy ratio map
    oa_pricing_config_t config;     //  Override, zero fields inherit
} s_model_t;

struct _oa_pricing_channel_t {
    s_model_t *models;              //  Sorted by name
    size_t size;                    //  Used entries
    size_t capacity;                //  Allocated entries
    char error [192];               //  First error of the last load, "" if none
};

//  Records the first error of a load.
static void
s_error (oa_pricing_channel_t *self, const char *format, ...)
{
    if (self->error [0])
        return;
    va_list args;
    va_start (args, format);
    vsnprintf (self->error, sizeof (self->error), format, args);
    va_end (args);
}

static void
s_models_free (s_model_t *models, size_t size)
{
    for (size_t i = 0; i < size; i++)
        free (models [i].name);
    free (models);
}

//  Appends a model; returns its config or NULL if out of memory.
static oa_pricing_config_t *
s_models_add (s_model_t **models, size_t *size, size_t *capacity, const char *name)
{
    if (*size == *capacity) {
        size_t grown = *capacity? *capacity * 2: 8;
        s_model_t *bigger = (s_model_t *) realloc (*models, grown * sizeof (s_model_t));
        if (!bigger)
            return NULL;
        *models = bigger;
        *capacity = grown;
    }
    char *copy = strdup (name);
    if (!copy)
        return NULL;
    s_model_t *model = &(*models) [(*size)++];
    memset (model, 0, sizeof (*model));
    model->name = copy;
    return &model->config;
}

static int
s_model_compare (const void *a, const void *b)
{
    return strcmp (((const s_model_t *) a)->name, ((const s_model_t *) b)->name);
}

static int
s_model_find (const void *key, const void *item)
{
    return strcmp ((const char *) key, ((const s_model_t *) item)->name);
}

//  Reads a float field; null leaves it.  Returns -1 on a wrong type.
static int
s_read_ratio (json_t *value, double *out)
{
    if (json_is_null (value))
        return 0;
    if (!json_is_number (value))
        return -1;
    double number = json_number_value (value);
    if (!__builtin_isfinite (number) || number > OA_PRICING_MAX_RATIO
    ||  number < -OA_PRICING_MAX_RATIO)
        return -1;
    *out = number;
    return 0;
}

//  Reads an integer field within [low, high]; null leaves it.
static int
s_read_integer (json_t *value, json_int_t low, json_int_t high, int64_t *out)
{
    if (json_is_null (value))
        return 0;
    if (!json_is_integer (value))
        return -1;
    json_int_t number = json_integer_value (value);
    if (number < low || number > high)
        return -1;
    *out = (int64_t) number;
    return 0;
}

//  The five price fields shared by configs and tiers.  Returns 1 if key is
//  one of them (value stored), 0 if not, -1 on a bad value.
static int
s_read_price_field (const char *key, json_t *value, double *ratio, double *completion,
                    double *cached, double *write_5m, double *write_1h)
{
    double *field = strcasecmp (key, "ratio") == 0? ratio:
                    strcasecmp (key, "completion_ratio") == 0? completion:
                    strcasecmp (key, "cached_input_ratio") == 0? cached:
                    strcasecmp (key, "cache_write_5m_ratio") == 0? write_5m:
                    strcasecmp (key, "cache_write_1h_ratio") == 0? write_1h: NULL;
    if (!field)
        return 0;
    return s_read_ratio (value, field) == 0? 1: -1;
}

static int
s_parse_tier (oa_pricing_channel_t *self, const char *model, json_t *node,
              oa_pricing_tier_t *tier)
{
    memset (tier, 0, sizeof (*tier));
    if (json_is_null (node))
        return 0;
    if (!json_is_object (node)) {
        s_error (self, "model_configs: %s: tier is not an object", model);
        return -1;
    }
    const char *key;
    json_t *value;
    json_object_foreach (node, key, value) {
        int rc = s_read_price_field (key, value, &tier->ratio, &tier->completion_ratio,
                                     &tier->cached_input_ratio, &tier->cache_write_5m_ratio,
                                     &tier->cache_write_1h_ratio);
        if (rc == 0 && strcasecmp (key, "input_token_threshold") == 0)
            rc = s_read_integer (value, INT64_MIN, INT64_MAX, &tier->input_token_threshold)? -1: 1;
        else
        if (rc == 0 && strcasecmp (key, "output_token_threshold") == 0)
            rc = s_read_integer (value, INT64_MIN, INT64_MAX, &tier->output_token_threshold)? -1: 1;
        if (rc < 0) {
            s_error (self, "model_configs: %s: bad tier field '%s'", model, key);
            return -1;
        }
    }
    return 0;
}

static int
s_parse_config (oa_pricing_channel_t *self, const char *model, json_t *node,
                oa_pricing_config_t *config)
{
    if (json_is_null (node))
        return 0;                   //  A null entry is a zero config, as in Go
    if (!json_is_object (node)) {
        s_error (self, "model_configs: %s: not an object", model);
        return -1;
    }
    const char *key;
    json_t *value;
    json_object_foreach (node, key, value) {
        int rc = s_read_price_field (key, value, &config->ratio, &config->completion_ratio,
                                     &config->cached_input_ratio, &config->cache_write_5m_ratio,
                                     &config->cache_write_1h_ratio);
        if (rc == 0 && strcasecmp (key, "max_tokens") == 0) {
            int64_t max_tokens = config->max_tokens;
            rc = s_read_integer (value, INT32_MIN, INT32_MAX, &max_tokens)? -1: 1;
            config->max_tokens = (int32_t) max_tokens;
        }
        else
        if (rc == 0 && strcasecmp (key, "tiers") == 0 && !json_is_null (value)) {
            if (!json_is_array (value) || json_array_size (value) > OA_PRICING_MAX_TIERS) {
                s_error (self, "model_configs: %s: tiers must be an array of at most %d",
                         model, OA_PRICING_MAX_TIERS);
                return -1;
            }
            config->tier_count = 0;
            for (size_t i = 0; i < json_array_size (value); i++) {
                if (s_parse_tier (self, model, json_array_get (value, i),
                                  &config->tiers [config->tier_count++]))
                    return -1;
            }
            oa_pricing_config_sort_tiers (config);
            rc = 1;
        }
        if (rc < 0) {
            s_error (self, "model_configs: %s: bad value for '%s'", model, key);
            return -1;
        }
    }
    return 0;
}

//  Decodes a document that must be an object; NULL, "", "{}" and "null"
//  give an empty result.  Returns -1 (and records why) if malformed.
static int
s_decode (oa_pricing_channel_t *self, const char *what, const char *text, json_t **root)
{
    *root = NULL;
    if (!text || !*text)
        return 0;
    json_error_t error;
    json_t *node = json_loads (text, JSON_DECODE_ANY, &error);
    if (!node) {
        s_error (self, "%s: %s at line %d column %d", what, error.text, error.line, error.column);
        return -1;
    }
    if (json_is_null (node)) {
        json_decref (node);
        return 0;
    }
    if (!json_is_object (node)) {
        json_decref (node);
        s_error (self, "%s: not a JSON object", what);
        return -1;
    }
    *root = node;
    return 0;
}

//  Checks a legacy {"model": number} map; returns -1 if a value is not one.
static int
s_check_legacy (oa_pricing_channel_t *self, const char *what, json_t *root)
{
    const char *key;
    json_t *value;
    double number = 0;
    json_object_foreach (root, key, value) {
        if (s_read_ratio (value, &number)) {
            s_error (self, "%s: %s: not a number", what, key);
            return -1;
        }
    }
    return 0;
}

//  Merges one legacy map into the sorted models (ratio or completion ratio
//  field), then sorts them again.  Keys of one map are unique, so entries
//  added during the pass never need to be found again in it.
static int
s_merge_legacy (oa_pricing_channel_t *self, json_t *root, bool completion)
{
    size_t known = self->size;
    const char *key;
    json_t *value;
    json_object_foreach (root, key, value) {
        double number = json_is_number (value)? json_number_value (value): 0;
        if (!*key || number < 0)
            continue;               //  one-api's migration skips these
        s_model_t *found = known? (s_model_t *) bsearch (
            key, self->models, known, sizeof (s_model_t), s_model_find): NULL;
        oa_pricing_config_t *config = found? &found->config: NULL;
        if (!config) {
            config = s_models_add (&self->models, &self->size, &self->capacity, key);
            if (!config)
                return -1;
            self->models [self->size - 1].legacy = true;
        }
        if (completion)
            config->completion_ratio = number;
        else
            config->ratio = number;
    }
    if (self->size > 1)
        qsort (self->models, self->size, sizeof (s_model_t), s_model_compare);
    return 0;
}


//  --------------------------------------------------------------------------
//  Create an empty set of channel overrides.

oa_pricing_channel_t *
oa_pricing_channel_new (void)
{
    return (oa_pricing_channel_t *) calloc (1, sizeof (oa_pricing_channel_t));
}


//  --------------------------------------------------------------------------
//  Destroy channel overrides; idempotent, nulls the pointer.

void
oa_pricing_channel_destroy (oa_pricing_channel_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        oa_pricing_channel_t *self = *self_p;
        s_models_free (self->models, self->size);
        free (self);
        *self_p = NULL;
    }
}


//  --------------------------------------------------------------------------
//  Replace the overrides with a channel's model_configs and legacy maps.

int
oa_pricing_channel_load (oa_pricing_channel_t *self, const char *model_configs,
                         const char *model_ratio, const char *completion_ratio)
{
    assert (self);
    s_models_free (self->models, self->size);
    self->models = NULL;
    self->size = self->capacity = 0;
    self->error [0] = 0;
    int rc = 0;

    json_t *root = NULL;
    if (s_decode (self, "model_configs", model_configs, &root))
        rc = -1;
    if (root) {
        const char *key;
        json_t *value;
        json_object_foreach (root, key, value) {
            oa_pricing_config_t *config = s_models_add (
                &self->models, &self->size, &self->capacity, key);
            if (!config) {
                s_error (self, "model_configs: out of memory");
                rc = -1;
                break;
            }
            if (s_parse_config (self, key, value, config)) {
                rc = -1;
                break;
            }
        }
        json_decref (root);
        if (rc) {                   //  One bad entry voids the document
            s_models_free (self->models, self->size);
            self->models = NULL;
            self->size = self->capacity = 0;
        }
    }

    if (self->size > 1)
        qsort (self->models, self->size, sizeof (s_model_t), s_model_compare);
    bool has_pricing = false;
    for (size_t i = 0; i < self->size; i++)
        if (self->models [i].config.ratio != 0 || self->models [i].config.completion_ratio != 0)
            has_pricing = true;

    json_t *ratios = NULL, *completions = NULL;
    if (s_decode (self, "model_ratio", model_ratio, &ratios)
    ||  (ratios && s_check_legacy (self, "model_ratio", ratios))) {
        json_decref (ratios);
        ratios = NULL;
        rc = -1;
    }
    if (s_decode (self, "completion_ratio", completion_ratio, &completions)
    ||  (completions && s_check_legacy (self, "completion_ratio", completions))) {
        json_decref (completions);
        completions = NULL;
        rc = -1;
    }
    if (!has_pricing) {
        if ((ratios && s_merge_legacy (self, ratios, false))
        ||  (completions && s_merge_legacy (self, completions, true))) {
            s_error (self, "legacy ratios: out of memory");
            rc = -1;
        }
        //  Legacy entries carrying no price are not kept (one-api)
        size_t kept = 0;
        for (size_t i = 0; i < self->size; i++) {
            s_model_t *model = &self->models [i];
            if (model->legacy && model->config.ratio == 0 && model->config.completion_ratio == 0)
                free (model->name);
            else
                self->models [kept++] = *model;
        }
        self->size = kept;
        //  Sorted already, unless a merge stopped half-way
        if (self->size > 1)
            qsort (self->models, self->size, sizeof (s_model_t), s_model_compare);
    }
    json_decref (ratios);
    json_decref (completions);
    return rc;
}


//  --------------------------------------------------------------------------
//  Override for model, or NULL.

const oa_pricing_config_t *
oa_pricing_channel_lookup (const oa_pricing_channel_t *self, const char *model)
{
    assert (self);
    if (!model || self->size == 0)
        return NULL;
    const s_model_t *found = (const s_model_t *) bsearch (
        model, self->models, self->size, sizeof (s_model_t), s_model_find);
    return found? &found->config: NULL;
}


//  --------------------------------------------------------------------------
//  Number of models with overrides.

size_t
oa_pricing_channel_size (const oa_pricing_channel_t *self)
{
    assert (self);
    return self->size;
}


//  --------------------------------------------------------------------------
//  Description of the last load's first error, "" if none.

const char *
oa_pricing_channel_error (const oa_pricing_channel_t *self)
{
    assert (self);
    return self->error;
}
