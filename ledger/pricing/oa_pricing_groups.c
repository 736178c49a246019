/*  =========================================================================
    oa_pricing_groups - group ratios (the GroupRatio option)

    @header
    Holds the GroupRatio option, a JSON object {"default": 1, "vip": 0.8}.
    An unknown group has ratio 1.  one-api has two ways to pick the ratio a
    request pays: the original uses the user's group (oa_pricing_groups_ratio),
    the Laisky fork the minimum over the selected channel's comma-separated
    groups (oa_pricing_groups_min).  Callers choose one and hand the result to
    oa_pricing_compute / oa_pricing_estimate.
    @discuss
    A malformed update keeps the previous ratios (one-api would be left with
    an empty or partial map).  Negative ratios are refused, since one-api's
    minimum-over-groups loop uses a negative value as "unset".
    @end
    =========================================================================
*/

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "oa_pricing.h"

//  One group.
typedef struct {
    char *name;                     //  Group name, owned
    double ratio;                   //  Its multiplier
} s_group_t;

struct _oa_pricing_groups_t {
    s_group_t *groups;              //  Sorted by name
    size_t size;                    //  Entries
};

static int
s_group_compare (const void *a, const void *b)
{
    return strcmp (((const s_group_t *) a)->name, ((const s_group_t *) b)->name);
}

static void
s_groups_free (s_group_t *groups, size_t size)
{
    for (size_t i = 0; i < size; i++)
        free (groups [i].name);
    free (groups);
}

//  Looks a group up by name and length (names are compared in full).
static const s_group_t *
s_find (const oa_pricing_groups_t *self, const char *name, size_t length)
{
    size_t low = 0, high = self->size;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        const char *other = self->groups [mid].name;
        int rc = strncmp (name, other, length);
        if (rc == 0 && other [length] != 0)
            rc = -1;                //  other is longer: name sorts first
        if (rc == 0)
            return &self->groups [mid];
        if (rc < 0)
            high = mid;
        else
            low = mid + 1;
    }
    return NULL;
}

static void
s_set_error (char *errbuf, size_t errlen, const char *message, const char *detail)
{
    if (errbuf && errlen)
        snprintf (errbuf, errlen, "%s%s%s", message, detail? ": ": "", detail? detail: "");
}


//  --------------------------------------------------------------------------
//  Create group ratios holding one-api's default.

oa_pricing_groups_t *
oa_pricing_groups_new (void)
{
    oa_pricing_groups_t *self = (oa_pricing_groups_t *) calloc (1, sizeof (oa_pricing_groups_t));
    if (!self)
        return NULL;
    if (oa_pricing_groups_load (self, "{\"default\": 1, \"vip\": 1, \"svip\": 1}", NULL, 0)) {
        oa_pricing_groups_destroy (&self);
        return NULL;
    }
    return self;
}


//  --------------------------------------------------------------------------
//  Destroy group ratios; idempotent, nulls the pointer.

void
oa_pricing_groups_destroy (oa_pricing_groups_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        oa_pricing_groups_t *self = *self_p;
        s_groups_free (self->groups, self->size);
        free (self);
        *self_p = NULL;
    }
}


//  --------------------------------------------------------------------------
//  Replace the ratios with the GroupRatio option JSON.

int
oa_pricing_groups_load (oa_pricing_groups_t *self, const char *json,
                        char *errbuf, size_t errlen)
{
    assert (self);
    s_set_error (errbuf, errlen, "", NULL);
    if (!json) {
        s_set_error (errbuf, errlen, "GroupRatio: missing", NULL);
        return -1;
    }
    json_error_t error;
    json_t *root = json_loads (json, 0, &error);
    if (!root) {
        s_set_error (errbuf, errlen, "GroupRatio: bad JSON", error.text);
        return -1;
    }
    if (!json_is_object (root)) {
        json_decref (root);
        s_set_error (errbuf, errlen, "GroupRatio: not an object", NULL);
        return -1;
    }
    size_t size = json_object_size (root);
    s_group_t *groups = (s_group_t *) calloc (size? size: 1, sizeof (s_group_t));
    if (!groups) {
        json_decref (root);
        s_set_error (errbuf, errlen, "GroupRatio: out of memory", NULL);
        return -1;
    }
    size_t used = 0;
    const char *key;
    json_t *value;
    json_object_foreach (root, key, value) {
        double ratio = json_is_number (value)? json_number_value (value): -1;
        if (!__builtin_isfinite (ratio) || ratio < 0 || ratio > OA_PRICING_MAX_RATIO) {
            s_set_error (errbuf, errlen, "GroupRatio: not a ratio >= 0", key);
            break;
        }
        groups [used].name = strdup (key);
        if (!groups [used].name) {
            s_set_error (errbuf, errlen, "GroupRatio: out of memory", NULL);
            break;
        }
        groups [used++].ratio = ratio;
    }
    json_decref (root);
    if (used != size) {
        s_groups_free (groups, used);
        return -1;
    }
    qsort (groups, used, sizeof (s_group_t), s_group_compare);
    s_groups_free (self->groups, self->size);
    self->groups = groups;
    self->size = used;
    return 0;
}


//  --------------------------------------------------------------------------
//  Ratio of group; 1 if unknown.

double
oa_pricing_groups_ratio (const oa_pricing_groups_t *self, const char *group)
{
    assert (self);
    if (!group)
        return 1;
    const s_group_t *found = s_find (self, group, strlen (group));
    return found? found->ratio: 1;
}


//  --------------------------------------------------------------------------
//  Minimum ratio over a channel's comma-separated groups.  Names are not
//  trimmed, as in one-api; an empty list is the one unknown group "".

double
oa_pricing_groups_min (const oa_pricing_groups_t *self, const char *groups_csv)
{
    assert (self);
    const char *start = groups_csv? groups_csv: "";
    double minimum = -1;
    while (true) {
        const char *comma = strchr (start, ',');
        size_t length = comma? (size_t) (comma - start): strlen (start);
        const s_group_t *found = s_find (self, start, length);
        double ratio = found? found->ratio: 1;
        if (minimum < 0 || ratio < minimum)
            minimum = ratio;
        if (!comma)
            break;
        start = comma + 1;
    }
    return minimum;
}


//  --------------------------------------------------------------------------
//  Number of groups defined.

size_t
oa_pricing_groups_size (const oa_pricing_groups_t *self)
{
    assert (self);
    return self->size;
}
