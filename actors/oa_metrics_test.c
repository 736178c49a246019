/*  =========================================================================
    oa_metrics_test - self test of the metrics registry

    Exact exposition text of a small registry, label escaping, histogram
    bucket math, duplicate registration, overflow, label value truncation,
    process metrics, and exact totals under concurrent updates.
    =========================================================================
*/
#include "oa_metrics.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_THREADS 4
#define S_INCREMENTS 100000

typedef struct {
    oa_metrics_t *registry;     //  shared registry
    oa_metric_t *counter;       //  labelled counter all threads hit
    oa_metric_t *histogram;     //  labelled histogram
    oa_metric_t *gauge;         //  unlabelled gauge, +1 then -1
    int index;                  //  thread number
} s_worker_t;

static void *
s_worker (void *arg)
{
    s_worker_t *self = (s_worker_t *) arg;
    char own [16];
    snprintf (own, sizeof own, "t%d", self->index);
    oa_series_t *cached = oa_metric_series (self->counter, (const char *[]) { "cached" });
    for (int i = 0; i < S_INCREMENTS; i++) {
        oa_counter_add (self->counter, (const char *[]) { "shared" }, 1);
        oa_counter_add (self->counter, (const char *[]) { own }, 1);
        oa_series_add (cached, 1);
        oa_histogram_observe (self->histogram, (const char *[]) { own }, (i % 4) * 0.5);
        oa_gauge_add (self->gauge, NULL, 1);
        oa_gauge_add (self->gauge, NULL, -1);
        if (i % 500 == 0) {
            //  New series while others look up: tables grow under readers.
            char name [32];
            snprintf (name, sizeof name, "n%d-%d", self->index, i);
            oa_counter_add (self->counter, (const char *[]) { name }, 0.5);
        }
        if (i % 20000 == 0) {
            char *text = oa_metrics_render (self->registry);
            assert (text);
            free (text);
        }
    }
    return NULL;
}

static void
s_test_concurrency (bool verbose)
{
    oa_metrics_t *registry = oa_metrics_new ();
    assert (registry);
    s_worker_t workers [S_THREADS];
    pthread_t threads [S_THREADS];
    oa_metric_t *counter = oa_metrics_counter (registry, "hits_total", "Hits.", "who");
    oa_metric_t *histogram = oa_metrics_histogram (registry, "size", "Sizes.", "who",
                                                   (const double []) { 0.5, 1 }, 2);
    oa_metric_t *gauge = oa_metrics_gauge (registry, "busy", "Busy.", NULL);
    for (int i = 0; i < S_THREADS; i++) {
        workers [i] = (s_worker_t) { registry, counter, histogram, gauge, i };
        int rc = pthread_create (&threads [i], NULL, s_worker, &workers [i]);
        assert (rc == 0);
    }
    for (int i = 0; i < S_THREADS; i++)
        pthread_join (threads [i], NULL);

    assert (oa_series_value (oa_metric_series (counter, (const char *[]) { "shared" }))
            == S_THREADS * S_INCREMENTS);
    assert (oa_series_value (oa_metric_series (counter, (const char *[]) { "cached" }))
            == S_THREADS * S_INCREMENTS);
    assert (oa_series_value (oa_metric_series (counter, (const char *[]) { "t3" }))
            == S_INCREMENTS);
    assert (oa_metric_size (counter) == 2 + S_THREADS + S_THREADS * (S_INCREMENTS / 500));
    oa_series_t *series = oa_metric_series (histogram, (const char *[]) { "t0" });
    assert (oa_series_value (series) == S_INCREMENTS);
    assert (oa_series_sum (series) == S_INCREMENTS / 4 * (0 + 0.5 + 1 + 1.5));
    assert (oa_series_value (oa_metric_series (gauge, NULL)) == 0);
    char *text = oa_metrics_render (registry);
    assert (strstr (text, "hits_total{who=\"shared\"} 400000\n"));
    assert (strstr (text, "size_bucket{who=\"t1\",le=\"0.5\"} 50000\n"));
    assert (strstr (text, "size_bucket{who=\"t1\",le=\"1\"} 75000\n"));
    assert (strstr (text, "size_bucket{who=\"t1\",le=\"+Inf\"} 100000\n"));
    if (verbose)
        printf ("(%zu bytes rendered) ", strlen (text));
    free (text);
    oa_metrics_destroy (&registry);
}

static const char *s_expected =
    "# HELP aa_started_total Starts.\n"
    "# TYPE aa_started_total counter\n"
    "aa_started_total 0\n"
    "# HELP http_requests_total Requests served.\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{method=\"DELETE\",code=\"404\"} 0.5\n"
    "http_requests_total{method=\"GET\",code=\"200\"} 3\n"
    "http_requests_total{method=\"POST\",code=\"500\"} 1\n"
    "# HELP inflight Requests in flight.\n"
    "# TYPE inflight gauge\n"
    "inflight 1.5\n"
    "# HELP latency_seconds Latency.\\nSecond line \\\\ here.\n"
    "# TYPE latency_seconds histogram\n"
    "latency_seconds_bucket{route=\"a\",le=\"0.25\"} 2\n"
    "latency_seconds_bucket{route=\"a\",le=\"0.5\"} 2\n"
    "latency_seconds_bucket{route=\"a\",le=\"1\"} 3\n"
    "latency_seconds_bucket{route=\"a\",le=\"+Inf\"} 4\n"
    "latency_seconds_sum{route=\"a\"} 3.125\n"
    "latency_seconds_count{route=\"a\"} 4\n"
    "latency_seconds_bucket{route=\"b\\\\\\\"\\n\",le=\"0.25\"} 0\n"
    "latency_seconds_bucket{route=\"b\\\\\\\"\\n\",le=\"0.5\"} 0\n"
    "latency_seconds_bucket{route=\"b\\\\\\\"\\n\",le=\"1\"} 0\n"
    "latency_seconds_bucket{route=\"b\\\\\\\"\\n\",le=\"+Inf\"} 1\n"
    "latency_seconds_sum{route=\"b\\\\\\\"\\n\"} 1e+100\n"
    "latency_seconds_count{route=\"b\\\\\\\"\\n\"} 1\n";

static void
s_test_exact (void)
{
    oa_metrics_t *registry = oa_metrics_new ();
    char *text = oa_metrics_render (registry);
    assert (text && *text == 0);        //  empty registry: empty text
    free (text);

    //  Registered out of order: the render sorts families by name.
    oa_metric_t *requests = oa_metrics_counter (registry, "http_requests_total",
                                                "Requests served.", "method, code");
    oa_metric_t *inflight = oa_metrics_gauge (registry, "inflight", "Requests in flight.", NULL);
    oa_metric_t *latency = oa_metrics_histogram (registry, "latency_seconds",
                                                 "Latency.\nSecond line \\ here.", "route",
                                                 (const double []) { 0.25, 0.5, 1, INFINITY }, 4);
    assert (oa_metrics_counter (registry, "aa_started_total", "Starts.", ""));
    assert (oa_metrics_counter (registry, "zz_unused_total", "No series, not shown.", "x"));
    assert (requests && inflight && latency);

    oa_counter_add (requests, (const char *[]) { "GET", "200" }, 2);
    oa_counter_add (requests, (const char *[]) { "GET", "200" }, 1);
    oa_counter_add (requests, (const char *[]) { "POST", "500" }, 1);
    oa_counter_add (requests, (const char *[]) { "POST", "500" }, -5);     //  ignored
    oa_counter_add (requests, (const char *[]) { "POST", "500" }, NAN);    //  ignored
    oa_counter_add (requests, (const char *[]) { "DELETE", "404" }, 0.5);
    oa_gauge_set (inflight, NULL, 3);
    oa_gauge_add (inflight, NULL, -1.5);
    //  le is inclusive: 0.25 counts in the 0.25 bucket.
    double observations [] = { 0.125, 0.25, 0.75, 2 };
    for (int i = 0; i < 4; i++)
        oa_histogram_observe (latency, (const char *[]) { "a" }, observations [i]);
    //  Label value escaping: backslash, double quote, newline.
    oa_histogram_observe (latency, (const char *[]) { "b\\\"\n" }, 1e100);

    text = oa_metrics_render (registry);
    assert (text);
    if (strcmp (text, s_expected) != 0) {
        fprintf (stderr, "\n--- expected\n%s--- got\n%s---\n", s_expected, text);
        assert (false);
    }
    free (text);

    //  Same name, type and labels: the same family; anything else: NULL.
    assert (oa_metrics_counter (registry, "http_requests_total", "Other help.", "method,code")
            == requests);
    assert (!oa_metrics_counter (registry, "http_requests_total", "x", "code,method"));
    assert (!oa_metrics_counter (registry, "http_requests_total", "x", "method"));
    assert (!oa_metrics_gauge (registry, "http_requests_total", "x", "method,code"));
    assert (oa_metrics_histogram (registry, "latency_seconds", "x", "route",
                                  (const double []) { 0.25, 0.5, 1 }, 3) == latency);
    assert (!oa_metrics_histogram (registry, "latency_seconds", "x", "route",
                                   (const double []) { 0.25, 0.5 }, 2));
    //  Invalid names, labels and buckets.
    assert (!oa_metrics_counter (registry, "1st", "x", NULL));
    assert (!oa_metrics_counter (registry, "a-b", "x", NULL));
    assert (!oa_metrics_counter (registry, "ok_total", "x", "__reserved"));
    assert (!oa_metrics_counter (registry, "ok_total", "x", "a,a"));
    assert (!oa_metrics_counter (registry, "ok_total", "x", "a,"));
    assert (!oa_metrics_counter (registry, "ok_total", "x", "a,b,c,d,e,f,g,h,i"));
    assert (!oa_metrics_histogram (registry, "ok_h", "x", "le", NULL, 0));
    assert (!oa_metrics_histogram (registry, "ok_h", "x", NULL,
                                   (const double []) { 1, 1 }, 2));
    assert (!oa_metrics_histogram (registry, "ok_h", "x", NULL,
                                   (const double []) { 1, NAN }, 2));
    oa_metric_t *defaults = oa_metrics_histogram (registry, "ns:default", "x", NULL, NULL, 0);
    assert (defaults);
    oa_histogram_observe (defaults, NULL, 10);
    oa_histogram_observe (defaults, NULL, 11);
    text = oa_metrics_render (registry);
    assert (strstr (text, "ns:default_bucket{le=\"0.005\"} 0\n"));
    assert (strstr (text, "ns:default_bucket{le=\"10\"} 1\n"));
    assert (strstr (text, "ns:default_bucket{le=\"+Inf\"} 2\n"));
    free (text);

    //  Handles are stable; NULL families and series take updates silently.
    oa_series_t *get = oa_metric_series (requests, (const char *[]) { "GET", "200" });
    assert (get == oa_metric_series (requests, (const char *[]) { "GET", "200" }));
    assert (get != oa_metric_series (requests, (const char *[]) { "GET2", "00" }));
    assert (oa_series_value (get) == 3);
    oa_counter_add (NULL, NULL, 1);
    oa_series_add (NULL, 1);
    oa_series_observe (NULL, 1);
    oa_gauge_set (inflight, NULL, NAN);
    oa_gauge_add (oa_metrics_gauge (registry, "neg", "x", NULL), NULL, -INFINITY);
    text = oa_metrics_render (registry);
    assert (strstr (text, "\ninflight NaN\n"));
    assert (strstr (text, "\nneg -Inf\n"));
    free (text);
    oa_metrics_destroy (&registry);
    oa_metrics_destroy (&registry);
    assert (registry == NULL);
}

static void
s_test_limits (void)
{
    oa_metrics_t *registry = oa_metrics_new ();
    oa_metrics_set_max_series (registry, 3);
    oa_metric_t *per_user = oa_metrics_counter (registry, "per_user_total", "Per user.", "user");
    const char *users [] = { "u1", "u2", "u3", "u4", "u5" };
    for (int i = 0; i < 5; i++)
        oa_counter_add (per_user, (const char *[]) { users [i] }, 1);
    oa_counter_add (per_user, (const char *[]) { "u1" }, 1);       //  existing: still its own
    assert (oa_metric_size (per_user) == 3);
    assert (oa_metric_overflows (per_user) == 2);
    oa_series_t *overflow = oa_metric_series (per_user, (const char *[]) { "u9" });
    assert (overflow == oa_metric_series (per_user, (const char *[]) { "u5" }));
    assert (oa_series_value (overflow) == 2);
    assert (oa_metric_overflows (per_user) == 4);
    char *text = oa_metrics_render (registry);
    assert (strstr (text, "per_user_total{user=\"u1\"} 2\n"
                          "per_user_total{user=\"u2\"} 1\n"
                          "per_user_total{user=\"u3\"} 1\n"
                          "per_user_total{user=\"__overflow__\"} 2\n"));
    assert (strstr (text, "# TYPE oa_metrics_series_overflow_total counter\n"
                          "oa_metrics_series_overflow_total{metric=\"per_user_total\"} 4\n"));
    free (text);

    //  Long values keep OA_METRICS_VALUE_MAX bytes, cut on a UTF-8 boundary.
    oa_metric_t *models = oa_metrics_gauge (registry, "model_info", "Models.", "model");
    char long_a [400], long_b [400], utf8 [300];
    memset (long_a, 'm', sizeof long_a);
    long_a [sizeof long_a - 1] = 0;
    memcpy (long_b, long_a, sizeof long_b);
    long_b [300] = 'X';             //  differs only beyond the kept bytes
    assert (oa_metric_series (models, (const char *[]) { long_a })
            == oa_metric_series (models, (const char *[]) { long_b }));
    memset (utf8, 'u', 255);
    strcpy (utf8 + 255, "\xc3\xa9tail");    //  e-acute straddles byte 256
    oa_gauge_set (models, (const char *[]) { utf8 }, 1);
    text = oa_metrics_render (registry);
    char expect [300] = "model_info{model=\"";
    memset (expect + 18, 'u', 255);
    strcpy (expect + 18 + 255, "\"} 1\n");
    assert (strstr (text, expect));
    free (text);
    oa_metrics_destroy (&registry);
}

static void
s_test_process (void)
{
    oa_metrics_t *global = oa_metrics_global ();
    assert (global && global == oa_metrics_global ());
    char *text = oa_metrics_render (global);
    assert (text);
    assert (strstr (text, "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total "));
    assert (strstr (text, "\nprocess_open_fds "));
    assert (strstr (text, "\nprocess_max_fds "));
    assert (strstr (text, "\nprocess_virtual_memory_bytes "));
    const char *rss = strstr (text, "\nprocess_resident_memory_bytes ");
    assert (rss && atof (rss + 31) > 1e5);
    const char *start = strstr (text, "\nprocess_start_time_seconds ");
    assert (start && atof (start + 28) > 1.5e9);
    free (text);
}

void
oa_metrics_test (bool verbose)
{
    s_test_exact ();
    s_test_limits ();
    s_test_process ();
    s_test_concurrency (verbose);
}
