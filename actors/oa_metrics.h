/*  =========================================================================
    oa_metrics - counters, gauges and histograms in Prometheus text format

    A registry holds metric families; a family has a name, help text, a
    type and a fixed list of label names; a series is one combination of
    label values.  Every thread may update any series: updating a series
    that exists costs a hash lookup and one or two atomic operations, with
    no lock.  A mutex is taken only to register a family or to create a new
    series, which happens once per label combination.

    Series are never removed while the registry lives, so a series handle
    (oa_metric_series) stays valid until oa_metrics_destroy and may be
    cached by the hottest paths.  Each family holds at most max_series
    series (10,000 by default); label combinations beyond that go to one
    overflow series whose every label value is "__overflow__", and those
    updates are counted in oa_metrics_series_overflow_total{metric="..."}.

    oa_metrics_render writes the Prometheus text exposition format 0.0.4:
    families sorted by name, series sorted by label values, then the
    process_* metrics (when enabled; the global registry enables them) and
    the overflow counter.  Label values longer than OA_METRICS_VALUE_MAX
    bytes are cut at a UTF-8 boundary.

    Updates on a NULL metric or series do nothing, so a failed registration
    (logged) never needs a check on the hot path.
    =========================================================================
*/
#ifndef OA_METRICS_H_INCLUDED
#define OA_METRICS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OA_METRICS_LABELS_MAX 8         //  label names per family
#define OA_METRICS_BUCKETS_MAX 64       //  histogram upper bounds, +Inf excluded
#define OA_METRICS_SERIES_DEFAULT 10000 //  series per family before overflow
#define OA_METRICS_VALUE_MAX 256        //  bytes kept of one label value

typedef struct _oa_metrics_t oa_metrics_t;
typedef struct _oa_metric_t oa_metric_t;
typedef struct _oa_series_t oa_series_t;

//  Creates an empty registry, without process metrics.
//  Caller owns return value and must destroy it.
oa_metrics_t *
    oa_metrics_new (void);

//  Destroys a registry with its families and series; nulls *self_p.  No
//  thread may update any of its metrics any more.
void
    oa_metrics_destroy (oa_metrics_t **self_p);

//  The process-wide registry, with process metrics; created on first use,
//  thread-safe, never destroyed.  Borrowed.
oa_metrics_t *
    oa_metrics_global (void);

//  Sets the series limit of families registered after this call (>= 1).
void
    oa_metrics_set_max_series (oa_metrics_t *self, size_t max_series);

//  Includes (or not) the process_* metrics read from /proc/self in renders.
void
    oa_metrics_set_process (oa_metrics_t *self, bool enabled);

//  Registers a counter.  labels is a comma-separated list of label names
//  ("method,code"), or NULL or "" for none.  Returns the family, the
//  existing one if this name is registered with the same type and labels,
//  or NULL if the name is taken otherwise or a name is invalid.  Borrowed;
//  valid while the registry lives.
oa_metric_t *
    oa_metrics_counter (oa_metrics_t *self, const char *name, const char *help,
                        const char *labels);

//  Registers a gauge; as oa_metrics_counter.
oa_metric_t *
    oa_metrics_gauge (oa_metrics_t *self, const char *name, const char *help,
                      const char *labels);

//  Registers a histogram with count strictly increasing, finite upper
//  bounds (a final +Inf is implied, and dropped if given); buckets NULL
//  means Prometheus' defaults (.005 ... 10).  A label may not be "le".
//  As oa_metrics_counter; a registered name also needs the same buckets.
oa_metric_t *
    oa_metrics_histogram (oa_metrics_t *self, const char *name, const char *help,
                          const char *labels, const double *buckets, size_t count);

//  Renders every family in the text exposition format 0.0.4.  Returns NULL
//  if out of memory.  Caller owns return value and must free it.
char *
    oa_metrics_render (oa_metrics_t *self);

//  Returns the series for these label values (one per label name, in the
//  registered order; NULL for a family without labels; a NULL value reads
//  as "").  Creates it on first use; returns the overflow series if the
//  family is full.  Borrowed; valid while the registry lives.
oa_series_t *
    oa_metric_series (oa_metric_t *self, const char *values []);

//  Number of series the family holds, the overflow series excluded.
size_t
    oa_metric_size (oa_metric_t *self);

//  Number of updates that went to the overflow series.
uint64_t
    oa_metric_overflows (oa_metric_t *self);

//  Adds delta (>= 0; others are ignored) to a counter's series.
void
    oa_counter_add (oa_metric_t *self, const char *values [], double delta);

//  Sets a gauge's series to value.
void
    oa_gauge_set (oa_metric_t *self, const char *values [], double value);

//  Adds delta (may be negative) to a gauge's series.
void
    oa_gauge_add (oa_metric_t *self, const char *values [], double delta);

//  Records one observation in a histogram's series.
void
    oa_histogram_observe (oa_metric_t *self, const char *values [], double value);

//  Adds delta to a counter series (delta >= 0) or a gauge series.
void
    oa_series_add (oa_series_t *self, double delta);

//  Sets a gauge series.
void
    oa_series_set (oa_series_t *self, double value);

//  Records one observation in a histogram series.
void
    oa_series_observe (oa_series_t *self, double value);

//  The value of a counter or gauge series; a histogram series' count.
double
    oa_series_value (oa_series_t *self);

//  The sum of a histogram series' observations (0 for other types).
double
    oa_series_sum (oa_series_t *self);

//  Self test.
void
    oa_metrics_test (bool verbose);

#endif
