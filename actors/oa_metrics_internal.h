/*  =========================================================================
    oa_metrics_internal - the registry's structures, shared by oa_metrics.c
    (registration, lookup, updates) and oa_metrics_render.c (exposition).
    Private to those two files.

    Memory model: a series is fully built, then published into its family's
    hash table with a release store; readers load slots with acquire.  Slots
    only go from NULL to a series, series are never freed before the
    registry, and a grown table replaces the old one while the old one is
    kept (a reader may still be probing it), so a lock-free reader never
    touches freed memory.  A miss in a stale table sends the caller to the
    locked path, which probes the current table again.
    =========================================================================
*/
#ifndef OA_METRICS_INTERNAL_H_INCLUDED
#define OA_METRICS_INTERNAL_H_INCLUDED

#include "oa_metrics.h"

#include <pthread.h>
#include <stdatomic.h>

typedef enum {
    OA_METRIC_COUNTER,
    OA_METRIC_GAUGE,
    OA_METRIC_HISTOGRAM
} oa_metric_type_t;

//  Open-addressing table of series, linear probing; capacity is a power
//  of two and at most half full.
typedef struct _oa_metric_table_t oa_metric_table_t;
struct _oa_metric_table_t {
    size_t mask;                        //  capacity - 1
    _Atomic (oa_series_t *) *slots;     //  NULL = free; set once, never cleared
    oa_metric_table_t *older;           //  retired table, freed with the family
};

struct _oa_series_t {
    oa_metric_t *metric;                //  owning family (type, buckets)
    uint64_t hash;                      //  hash of the label values
    _Atomic uint64_t count;             //  counter: integral part of the value
    _Atomic uint64_t bits;              //  double bits: counter's fractional
                                        //  adds, gauge value, histogram sum
    _Atomic uint64_t *buckets;          //  histogram: per-bucket (not cumulative)
                                        //  counts, bound_count + 1 of them
    char *values [OA_METRICS_LABELS_MAX];   //  label values, escaped at render
};

struct _oa_metric_t {
    oa_metrics_t *registry;             //  owner
    oa_metric_type_t type;              //  counter, gauge or histogram
    char *name;                         //  family name
    char *help;                         //  help text, unescaped
    size_t label_count;                 //  number of label names
    char *labels [OA_METRICS_LABELS_MAX];   //  label names, in order
    double *bounds;                     //  histogram upper bounds, +Inf excluded
    size_t bound_count;                 //  entries in bounds
    size_t max_series;                  //  limit before overflow
    pthread_mutex_t mutex;              //  guards series creation and the list
    _Atomic (oa_metric_table_t *) table;    //  current lookup table
    oa_series_t **series;               //  every series, creation order
    size_t series_count;                //  entries in series
    size_t series_capacity;             //  allocated entries in series
    _Atomic (oa_series_t *) overflow;   //  created when the family fills
    atomic_bool full;                   //  series_count reached max_series
    _Atomic uint64_t overflows;         //  updates sent to the overflow series
};

struct _oa_metrics_t {
    pthread_mutex_t mutex;              //  guards the family list and settings
    oa_metric_t **metrics;              //  families, registration order
    size_t count;                       //  entries in metrics
    size_t capacity;                    //  allocated entries in metrics
    size_t max_series;                  //  limit for families registered next
    bool process;                       //  render process_* metrics
};

//  Reads a double stored as bits in an atomic word.
static inline double
oa_metrics_load_double (_Atomic uint64_t *bits)
{
    union { uint64_t u; double d; } value;
    value.u = atomic_load_explicit (bits, memory_order_relaxed);
    return value.d;
}

#endif
