/*  =========================================================================
    oa_metrics - counters, gauges and histograms in Prometheus text format

    This file: registration, series lookup and updates.  Rendering is in
    oa_metrics_render.c, the structures in oa_metrics_internal.h.

    Hot path (oa_metric_series + an update): hash the label values, probe
    the family's current table with acquire loads, compare strings, then
    one relaxed atomic add (counters with integral deltas, histogram
    buckets) or a compare-and-swap loop on a double's bits (gauges, sums,
    fractional counter deltas).  Counters keep integral adds in a separate
    uint64 so that the common "add 1" is a single fetch_add and totals stay
    exact beyond 2^53.
    =========================================================================
*/
#include "oa_metrics_internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "oa_log.h"

#define S_NAME_MAX 200              //  longest family or label name
#define S_TABLE_INITIAL 16          //  first table capacity (power of two)
#define S_OVERFLOW_VALUE "__overflow__"

//  Prometheus' default histogram buckets (client_golang DefBuckets).
static const double s_default_buckets [] = {
    .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10
};

//  The hot path never sees an empty string pointer: NULL values read as "".
static const char *
s_value (const char *values [], size_t index)
{
    return values [index]? values [index]: "";
}

//  Bytes of a label value that are kept: at most OA_METRICS_VALUE_MAX, cut
//  before a UTF-8 continuation byte so the kept part stays valid UTF-8.
static size_t
s_value_len (const char *value)
{
    size_t len = strnlen (value, OA_METRICS_VALUE_MAX + 1);
    if (len > OA_METRICS_VALUE_MAX) {
        len = OA_METRICS_VALUE_MAX;
        while (len > 0 && ((unsigned char) value [len] & 0xC0) == 0x80)
            len--;
    }
    return len;
}

//  FNV-1a over the kept bytes of each value, with a separator that cannot
//  occur in UTF-8 so ("ab","c") and ("a","bc") differ.
static uint64_t
s_hash (oa_metric_t *self, const char *values [], size_t *lengths)
{
    uint64_t hash = 14695981039346656037ULL;
    for (size_t i = 0; i < self->label_count; i++) {
        const char *value = s_value (values, i);
        lengths [i] = s_value_len (value);
        for (size_t b = 0; b < lengths [i]; b++) {
            hash ^= (unsigned char) value [b];
            hash *= 1099511628211ULL;
        }
        hash ^= 0xFF;
        hash *= 1099511628211ULL;
    }
    return hash;
}

static bool
s_series_match (oa_series_t *series, const char *values [], const size_t *lengths,
                size_t label_count)
{
    for (size_t i = 0; i < label_count; i++) {
        const char *stored = series->values [i];
        if (strncmp (stored, s_value (values, i), lengths [i]) != 0 || stored [lengths [i]])
            return false;
    }
    return true;
}

//  Lock-free probe; NULL when absent from this table.
static oa_series_t *
s_table_find (oa_metric_table_t *table, oa_metric_t *self, const char *values [],
              const size_t *lengths, uint64_t hash)
{
    for (size_t slot = hash & table->mask;; slot = (slot + 1) & table->mask) {
        oa_series_t *series = atomic_load_explicit (&table->slots [slot], memory_order_acquire);
        if (!series)
            return NULL;
        if (series->hash == hash && s_series_match (series, values, lengths, self->label_count))
            return series;
    }
}

static oa_metric_table_t *
s_table_new (size_t capacity)
{
    oa_metric_table_t *table = (oa_metric_table_t *) calloc (1, sizeof (oa_metric_table_t));
    if (table)
        table->slots = calloc (capacity, sizeof (table->slots [0]));
    if (!table || !table->slots) {
        free (table);
        return NULL;
    }
    table->mask = capacity - 1;
    return table;
}

//  Caller holds the family mutex.  Release store: the series is complete.
static void
s_table_put (oa_metric_table_t *table, oa_series_t *series)
{
    size_t slot = series->hash & table->mask;
    while (atomic_load_explicit (&table->slots [slot], memory_order_relaxed))
        slot = (slot + 1) & table->mask;
    atomic_store_explicit (&table->slots [slot], series, memory_order_release);
}

static void
s_series_destroy (oa_series_t **self_p)
{
    oa_series_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < OA_METRICS_LABELS_MAX; i++)
        free (self->values [i]);
    free (self->buckets);
    free (self);
    *self_p = NULL;
}

//  Builds a series; values == NULL gives the overflow series.  Cache-line
//  aligned so that two hot series never share a line between cores.
static oa_series_t *
s_series_new (oa_metric_t *metric, const char *values [], const size_t *lengths, uint64_t hash)
{
    oa_series_t *self = NULL;
    size_t size = (sizeof (oa_series_t) + 63) / 64 * 64;
    if (posix_memalign ((void **) &self, 64, size))
        return NULL;
    memset (self, 0, sizeof (oa_series_t));
    self->metric = metric;
    self->hash = hash;
    atomic_init (&self->count, 0);
    atomic_init (&self->bits, 0);          //  all-zero bits are +0.0
    bool ok = true;
    for (size_t i = 0; i < metric->label_count; i++) {
        self->values [i] = values? strndup (s_value (values, i), lengths [i])
                                 : strdup (S_OVERFLOW_VALUE);
        ok = ok && self->values [i];
    }
    if (metric->type == OA_METRIC_HISTOGRAM) {
        self->buckets = malloc ((metric->bound_count + 1) * sizeof (self->buckets [0]));
        if (self->buckets)
            for (size_t i = 0; i <= metric->bound_count; i++)
                atomic_init (&self->buckets [i], 0);
        ok = ok && self->buckets;
    }
    if (!ok)
        s_series_destroy (&self);
    return self;
}

//  Caller holds the family mutex.  Adds a series to the list and the table,
//  growing the table (kept at most half full) first if needed.
static int
s_family_add (oa_metric_t *self, oa_series_t *series)
{
    if (self->series_count == self->series_capacity) {
        size_t capacity = self->series_capacity? self->series_capacity * 2: 16;
        oa_series_t **list = realloc (self->series, capacity * sizeof (list [0]));
        if (!list)
            return -1;
        self->series = list;
        self->series_capacity = capacity;
    }
    oa_metric_table_t *table = atomic_load_explicit (&self->table, memory_order_relaxed);
    if ((self->series_count + 1) * 2 > table->mask + 1) {
        oa_metric_table_t *bigger = s_table_new ((table->mask + 1) * 2);
        if (!bigger)
            return -1;
        for (size_t i = 0; i < self->series_count; i++)
            s_table_put (bigger, self->series [i]);
        bigger->older = table;          //  readers may still probe it
        atomic_store_explicit (&self->table, bigger, memory_order_release);
        table = bigger;
    }
    self->series [self->series_count++] = series;
    s_table_put (table, series);
    return 0;
}

//  The locked path: probe again (another thread may have created the
//  series, or the caller probed a retired table), then create it or hand
//  out the overflow series.
static oa_series_t *
s_series_create (oa_metric_t *self, const char *values [], const size_t *lengths, uint64_t hash)
{
    pthread_mutex_lock (&self->mutex);
    oa_metric_table_t *table = atomic_load_explicit (&self->table, memory_order_relaxed);
    oa_series_t *series = s_table_find (table, self, values, lengths, hash);
    if (!series && self->series_count < self->max_series) {
        series = s_series_new (self, values, lengths, hash);
        if (series && s_family_add (self, series))
            s_series_destroy (&series);
    }
    if (!series && self->series_count >= self->max_series) {
        //  Publish the overflow series before the flag: a reader that sees
        //  full (acquire) then also sees the overflow pointer.
        series = atomic_load_explicit (&self->overflow, memory_order_relaxed);
        if (!series) {
            series = s_series_new (self, NULL, NULL, 0);
            atomic_store_explicit (&self->overflow, series, memory_order_release);
            if (series)
                oa_log_warn ("metrics", "%s reached %zu series; more go to overflow",
                             self->name, self->max_series);
        }
        if (series) {
            atomic_store_explicit (&self->full, true, memory_order_release);
            atomic_fetch_add_explicit (&self->overflows, 1, memory_order_relaxed);
        }
    }
    pthread_mutex_unlock (&self->mutex);
    return series;
}

oa_series_t *
oa_metric_series (oa_metric_t *self, const char *values [])
{
    if (!self)
        return NULL;
    assert (self->label_count == 0 || values);
    size_t lengths [OA_METRICS_LABELS_MAX];
    uint64_t hash = s_hash (self, values, lengths);
    oa_metric_table_t *table = atomic_load_explicit (&self->table, memory_order_acquire);
    oa_series_t *series = s_table_find (table, self, values, lengths, hash);
    if (series)
        return series;
    if (atomic_load_explicit (&self->full, memory_order_acquire)) {
        //  Full: no table grows any more; probe the final one, then overflow.
        oa_metric_table_t *current = atomic_load_explicit (&self->table, memory_order_acquire);
        if (current != table)
            series = s_table_find (current, self, values, lengths, hash);
        if (!series) {
            series = atomic_load_explicit (&self->overflow, memory_order_acquire);
            atomic_fetch_add_explicit (&self->overflows, 1, memory_order_relaxed);
        }
        return series;
    }
    return s_series_create (self, values, lengths, hash);
}

size_t
oa_metric_size (oa_metric_t *self)
{
    assert (self);
    pthread_mutex_lock (&self->mutex);
    size_t size = self->series_count;
    pthread_mutex_unlock (&self->mutex);
    return size;
}

uint64_t
oa_metric_overflows (oa_metric_t *self)
{
    assert (self);
    return atomic_load_explicit (&self->overflows, memory_order_relaxed);
}

//  Adds to a double kept as bits; a CAS loop, as C11 has no atomic double add.
static void
s_add_double (_Atomic uint64_t *bits, double delta)
{
    union { uint64_t u; double d; } old, new;
    old.u = atomic_load_explicit (bits, memory_order_relaxed);
    do
        new.d = old.d + delta;
    while (!atomic_compare_exchange_weak_explicit (bits, &old.u, new.u, memory_order_relaxed,
                                                   memory_order_relaxed));
}

void
oa_series_add (oa_series_t *self, double delta)
{
    if (!self)
        return;
    if (self->metric->type == OA_METRIC_GAUGE)
        s_add_double (&self->bits, delta);
    else {
        assert (self->metric->type == OA_METRIC_COUNTER);
        if (!(delta > 0))
            return;             //  counters only go up; this also drops NaN
        if (delta < 9007199254740992.0 && delta == floor (delta))
            atomic_fetch_add_explicit (&self->count, (uint64_t) delta, memory_order_relaxed);
        else
            s_add_double (&self->bits, delta);
    }
}

void
oa_series_set (oa_series_t *self, double value)
{
    if (!self)
        return;
    assert (self->metric->type == OA_METRIC_GAUGE);
    union { uint64_t u; double d; } bits = { .d = value };
    atomic_store_explicit (&self->bits, bits.u, memory_order_relaxed);
}

void
oa_series_observe (oa_series_t *self, double value)
{
    if (!self)
        return;
    oa_metric_t *metric = self->metric;
    assert (metric->type == OA_METRIC_HISTOGRAM);
    //  First bound >= value (le is inclusive); NaN compares false and lands
    //  in the +Inf bucket.
    size_t low = 0, high = metric->bound_count;
    while (low < high) {
        size_t middle = (low + high) / 2;
        if (value <= metric->bounds [middle])
            high = middle;
        else
            low = middle + 1;
    }
    atomic_fetch_add_explicit (&self->buckets [low], 1, memory_order_relaxed);
    s_add_double (&self->bits, value);
}

double
oa_series_value (oa_series_t *self)
{
    assert (self);
    if (self->metric->type == OA_METRIC_HISTOGRAM) {
        uint64_t count = 0;
        for (size_t i = 0; i <= self->metric->bound_count; i++)
            count += atomic_load_explicit (&self->buckets [i], memory_order_relaxed);
        return (double) count;
    }
    return (double) atomic_load_explicit (&self->count, memory_order_relaxed)
           + oa_metrics_load_double (&self->bits);
}

double
oa_series_sum (oa_series_t *self)
{
    assert (self);
    if (self->metric->type != OA_METRIC_HISTOGRAM)
        return 0;
    return oa_metrics_load_double (&self->bits);
}

void
oa_counter_add (oa_metric_t *self, const char *values [], double delta)
{
    assert (!self || self->type == OA_METRIC_COUNTER);
    oa_series_add (oa_metric_series (self, values), delta);
}

void
oa_gauge_set (oa_metric_t *self, const char *values [], double value)
{
    assert (!self || self->type == OA_METRIC_GAUGE);
    oa_series_set (oa_metric_series (self, values), value);
}

void
oa_gauge_add (oa_metric_t *self, const char *values [], double delta)
{
    assert (!self || self->type == OA_METRIC_GAUGE);
    oa_series_add (oa_metric_series (self, values), delta);
}

void
oa_histogram_observe (oa_metric_t *self, const char *values [], double value)
{
    assert (!self || self->type == OA_METRIC_HISTOGRAM);
    oa_series_observe (oa_metric_series (self, values), value);
}


//  --------------------------------------------------------------------------
//  Registration

static void
s_metric_destroy (oa_metric_t **self_p)
{
    oa_metric_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->series_count; i++)
        s_series_destroy (&self->series [i]);
    free (self->series);
    oa_series_t *overflow = atomic_load (&self->overflow);
    s_series_destroy (&overflow);
    oa_metric_table_t *table = atomic_load (&self->table);
    while (table) {
        oa_metric_table_t *older = table->older;
        free (table->slots);
        free (table);
        table = older;
    }
    for (size_t i = 0; i < self->label_count; i++)
        free (self->labels [i]);
    free (self->name);
    free (self->help);
    free (self->bounds);
    pthread_mutex_destroy (&self->mutex);
    free (self);
    *self_p = NULL;
}

//  Prometheus names: [a-zA-Z_:][a-zA-Z0-9_:]* for families, the same
//  without ':' for labels.
static bool
s_name_valid (const char *name, size_t len, bool colon)
{
    if (len == 0 || len > S_NAME_MAX || (name [0] >= '0' && name [0] <= '9'))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name [i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '_' || (colon && c == ':')))
            return false;
    }
    return true;
}

//  Splits and checks "a, b,c" into the family's label names.  Names that
//  start with "__" are reserved by Prometheus; histograms own "le".
static int
s_metric_set_labels (oa_metric_t *self, const char *labels)
{
    const char *cursor = labels? labels: "";
    while (*cursor) {
        const char *comma = strchr (cursor, ',');
        const char *end = comma? comma: cursor + strlen (cursor);
        while (cursor < end && *cursor == ' ')
            cursor++;
        const char *last = end;
        while (last > cursor && last [-1] == ' ')
            last--;
        size_t len = (size_t) (last - cursor);
        if (self->label_count == OA_METRICS_LABELS_MAX || !s_name_valid (cursor, len, false)
            || strncmp (cursor, "__", 2) == 0
            || (self->type == OA_METRIC_HISTOGRAM && len == 2 && strncmp (cursor, "le", 2) == 0))
            return -1;
        for (size_t i = 0; i < self->label_count; i++)
            if (strlen (self->labels [i]) == len && strncmp (self->labels [i], cursor, len) == 0)
                return -1;
        self->labels [self->label_count] = strndup (cursor, len);
        if (!self->labels [self->label_count])
            return -1;
        self->label_count++;
        cursor = comma? comma + 1: end;
        if (comma && !*cursor)
            return -1;          //  trailing comma
    }
    return 0;
}

static int
s_metric_set_buckets (oa_metric_t *self, const double *buckets, size_t count)
{
    if (!buckets) {
        buckets = s_default_buckets;
        count = sizeof s_default_buckets / sizeof s_default_buckets [0];
    }
    if (count > 0 && isinf (buckets [count - 1]) && buckets [count - 1] > 0)
        count--;                //  +Inf is implied
    if (count > OA_METRICS_BUCKETS_MAX)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (!isfinite (buckets [i]) || (i > 0 && !(buckets [i] > buckets [i - 1])))
            return -1;
    self->bounds = malloc ((count? count: 1) * sizeof (double));
    if (!self->bounds)
        return -1;
    if (count)
        memcpy (self->bounds, buckets, count * sizeof (double));
    self->bound_count = count;
    return 0;
}

//  A registered family matches a new request if type, labels and buckets
//  are the same; the help text of the first registration stays.
static bool
s_metric_same (oa_metric_t *self, oa_metric_t *other)
{
    if (self->type != other->type || self->label_count != other->label_count
        || self->bound_count != other->bound_count)
        return false;
    for (size_t i = 0; i < self->label_count; i++)
        if (strcmp (self->labels [i], other->labels [i]) != 0)
            return false;
    for (size_t i = 0; i < self->bound_count; i++)
        if (self->bounds [i] != other->bounds [i])
            return false;
    return true;
}

//  Builds a family outside any lock, then adds it unless the name exists.
static oa_metric_t *
s_register (oa_metrics_t *self, oa_metric_type_t type, const char *name, const char *help,
            const char *labels, const double *buckets, size_t count)
{
    assert (self);
    assert (name);
    oa_metric_t *metric = (oa_metric_t *) calloc (1, sizeof (oa_metric_t));
    if (!metric)
        return NULL;
    metric->registry = self;
    metric->type = type;
    pthread_mutex_init (&metric->mutex, NULL);
    metric->name = strdup (name);
    metric->help = strdup (help? help: "");
    atomic_init (&metric->table, s_table_new (S_TABLE_INITIAL));
    atomic_init (&metric->overflow, NULL);
    atomic_init (&metric->full, false);
    atomic_init (&metric->overflows, 0);
    bool valid = s_name_valid (name, strlen (name), true) && s_metric_set_labels (metric, labels) == 0
                 && (type != OA_METRIC_HISTOGRAM || s_metric_set_buckets (metric, buckets, count) == 0);
    if (!valid || !metric->name || !metric->help || !atomic_load (&metric->table)) {
        oa_log_warn ("metrics", "cannot register '%s': invalid name, labels or buckets", name);
        s_metric_destroy (&metric);
        return NULL;
    }
    pthread_mutex_lock (&self->mutex);
    metric->max_series = self->max_series;
    oa_metric_t *existing = NULL;
    for (size_t i = 0; i < self->count && !existing; i++)
        if (strcmp (self->metrics [i]->name, name) == 0)
            existing = self->metrics [i];
    oa_metric_t *result = existing;
    if (existing && !s_metric_same (existing, metric)) {
        oa_log_warn ("metrics", "'%s' is already registered with another type or labels", name);
        result = NULL;
    }
    if (!existing) {
        if (self->count == self->capacity) {
            size_t capacity = self->capacity? self->capacity * 2: 32;
            oa_metric_t **list = realloc (self->metrics, capacity * sizeof (list [0]));
            if (list) {
                self->metrics = list;
                self->capacity = capacity;
            }
        }
        //  A family without labels has exactly one series: create it now
        //  so that it renders (as 0) before its first update.
        if (self->count < self->capacity
            && (metric->label_count || oa_metric_series (metric, NULL))) {
            self->metrics [self->count++] = metric;
            result = metric;
            metric = NULL;
        }
    }
    pthread_mutex_unlock (&self->mutex);
    s_metric_destroy (&metric);
    return result;
}

oa_metric_t *
oa_metrics_counter (oa_metrics_t *self, const char *name, const char *help, const char *labels)
{
    return s_register (self, OA_METRIC_COUNTER, name, help, labels, NULL, 0);
}

oa_metric_t *
oa_metrics_gauge (oa_metrics_t *self, const char *name, const char *help, const char *labels)
{
    return s_register (self, OA_METRIC_GAUGE, name, help, labels, NULL, 0);
}

oa_metric_t *
oa_metrics_histogram (oa_metrics_t *self, const char *name, const char *help,
                      const char *labels, const double *buckets, size_t count)
{
    return s_register (self, OA_METRIC_HISTOGRAM, name, help, labels, buckets, count);
}


//  --------------------------------------------------------------------------
//  Registry

oa_metrics_t *
oa_metrics_new (void)
{
    oa_metrics_t *self = (oa_metrics_t *) calloc (1, sizeof (oa_metrics_t));
    if (!self)
        return NULL;
    pthread_mutex_init (&self->mutex, NULL);
    self->max_series = OA_METRICS_SERIES_DEFAULT;
    return self;
}

void
oa_metrics_destroy (oa_metrics_t **self_p)
{
    assert (self_p);
    oa_metrics_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++)
        s_metric_destroy (&self->metrics [i]);
    free (self->metrics);
    pthread_mutex_destroy (&self->mutex);
    free (self);
    *self_p = NULL;
}

static oa_metrics_t *s_global = NULL;
static pthread_once_t s_global_once = PTHREAD_ONCE_INIT;

static void
s_global_init (void)
{
    s_global = oa_metrics_new ();
    assert (s_global);          //  out of memory at start: nothing to serve
    oa_metrics_set_process (s_global, true);
}

oa_metrics_t *
oa_metrics_global (void)
{
    pthread_once (&s_global_once, s_global_init);
    return s_global;
}

void
oa_metrics_set_max_series (oa_metrics_t *self, size_t max_series)
{
    assert (self);
    assert (max_series >= 1);
    pthread_mutex_lock (&self->mutex);
    self->max_series = max_series;
    pthread_mutex_unlock (&self->mutex);
}

void
oa_metrics_set_process (oa_metrics_t *self, bool enabled)
{
    assert (self);
    pthread_mutex_lock (&self->mutex);
    self->process = enabled;
    pthread_mutex_unlock (&self->mutex);
}
