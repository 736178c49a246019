/*  =========================================================================
    oa_metrics_render - the Prometheus text exposition format (0.0.4)

    A render never blocks updates: it copies the family list and each
    family's series list under their mutexes, then reads the atomics.  The
    counts of one histogram are read bucket by bucket, so a render that
    races with observations may show a sum that is a few observations
    ahead of or behind the buckets; _count is computed from the buckets,
    so _count always equals the +Inf bucket, as Prometheus expects.
    =========================================================================
*/
#include "oa_metrics_internal.h"

#include <assert.h>
#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

//  A growing output buffer; after a failed allocation it stays failed and
//  the render returns NULL.
typedef struct {
    char *data;                 //  text so far, NUL-terminated
    size_t len;                 //  bytes used, terminator excluded
    size_t capacity;            //  bytes allocated
    bool failed;                //  an allocation failed
} s_buf_t;

static bool
s_buf_reserve (s_buf_t *self, size_t more)
{
    if (self->failed)
        return false;
    if (self->len + more + 1 <= self->capacity)
        return true;
    size_t capacity = self->capacity? self->capacity: 4096;
    while (capacity < self->len + more + 1)
        capacity *= 2;
    char *data = realloc (self->data, capacity);
    if (!data) {
        self->failed = true;
        return false;
    }
    self->data = data;
    self->capacity = capacity;
    return true;
}

static void
s_buf_add (s_buf_t *self, const char *text, size_t len)
{
    if (!s_buf_reserve (self, len))
        return;
    memcpy (self->data + self->len, text, len);
    self->len += len;
    self->data [self->len] = 0;
}

static void
s_buf_puts (s_buf_t *self, const char *text)
{
    s_buf_add (self, text, strlen (text));
}

static void
s_buf_printf (s_buf_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
s_buf_printf (s_buf_t *self, const char *format, ...)
{
    char line [512];
    va_list args;
    va_start (args, format);
    int len = vsnprintf (line, sizeof line, format, args);
    va_end (args);
    assert (len >= 0 && (size_t) len < sizeof line);   //  only short, fixed formats
    s_buf_add (self, line, (size_t) len);
}

//  Label values escape \, " and newline; help text escapes \ and newline.
static void
s_buf_escaped (s_buf_t *self, const char *text, bool quote)
{
    const char *run = text;
    for (const char *c = text; *c; c++) {
        const char *escape = *c == '\\'? "\\\\": *c == '\n'? "\\n"
                           : (quote && *c == '"')? "\\\"": NULL;
        if (escape) {
            s_buf_add (self, run, (size_t) (c - run));
            s_buf_puts (self, escape);
            run = c + 1;
        }
    }
    s_buf_puts (self, run);
}

//  Shortest of %.15g and %.17g that reads back exactly; Prometheus spells
//  infinities +Inf / -Inf and not-a-number NaN.
static void
s_format_double (char *out, size_t size, double value)
{
    if (isnan (value))
        snprintf (out, size, "NaN");
    else
    if (isinf (value))
        snprintf (out, size, value > 0? "+Inf": "-Inf");
    else {
        snprintf (out, size, "%.15g", value);
        if (strtod (out, NULL) != value)
            snprintf (out, size, "%.17g", value);
    }
}

static void
s_buf_double (s_buf_t *self, double value)
{
    char text [40];
    s_format_double (text, sizeof text, value);
    s_buf_puts (self, text);
}

//  Writes {a="x",b="y"} with an optional extra label (le), or nothing when
//  there are no labels at all.
static void
s_buf_labels (s_buf_t *self, oa_metric_t *metric, oa_series_t *series, const char *extra_name,
              const char *extra_value)
{
    if (metric->label_count == 0 && !extra_name)
        return;
    s_buf_puts (self, "{");
    for (size_t i = 0; i < metric->label_count; i++) {
        s_buf_printf (self, "%s%s=\"", i? ",": "", metric->labels [i]);
        s_buf_escaped (self, series->values [i], true);
        s_buf_puts (self, "\"");
    }
    if (extra_name)
        s_buf_printf (self, "%s%s=\"%s\"", metric->label_count? ",": "", extra_name, extra_value);
    s_buf_puts (self, "}");
}

static int
s_compare_metrics (const void *a, const void *b)
{
    return strcmp ((*(oa_metric_t *const *) a)->name, (*(oa_metric_t *const *) b)->name);
}

static int
s_compare_series (const void *a, const void *b)
{
    oa_series_t *one = *(oa_series_t *const *) a;
    oa_series_t *two = *(oa_series_t *const *) b;
    for (size_t i = 0; i < one->metric->label_count; i++) {
        int order = strcmp (one->values [i], two->values [i]);
        if (order)
            return order;
    }
    return 0;
}

static void
s_render_series (s_buf_t *self, oa_metric_t *metric, oa_series_t *series)
{
    if (metric->type == OA_METRIC_HISTOGRAM) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i <= metric->bound_count; i++) {
            char bound [40] = "+Inf";
            if (i < metric->bound_count)
                s_format_double (bound, sizeof bound, metric->bounds [i]);
            cumulative += atomic_load_explicit (&series->buckets [i], memory_order_relaxed);
            s_buf_printf (self, "%s_bucket", metric->name);
            s_buf_labels (self, metric, series, "le", bound);
            s_buf_printf (self, " %" PRIu64 "\n", cumulative);
        }
        s_buf_printf (self, "%s_sum", metric->name);
        s_buf_labels (self, metric, series, NULL, NULL);
        s_buf_puts (self, " ");
        s_buf_double (self, oa_metrics_load_double (&series->bits));
        s_buf_printf (self, "\n%s_count", metric->name);
        s_buf_labels (self, metric, series, NULL, NULL);
        s_buf_printf (self, " %" PRIu64 "\n", cumulative);
        return;
    }
    s_buf_puts (self, metric->name);
    s_buf_labels (self, metric, series, NULL, NULL);
    s_buf_puts (self, " ");
    uint64_t count = atomic_load_explicit (&series->count, memory_order_relaxed);
    double value = oa_metrics_load_double (&series->bits);
    if (value == 0)             //  integral counter: exact beyond 2^53
        s_buf_printf (self, "%" PRIu64, count);
    else
        s_buf_double (self, (double) count + value);
    s_buf_puts (self, "\n");
}

static void
s_render_family (s_buf_t *self, oa_metric_t *metric)
{
    static const char *type_names [] = { "counter", "gauge", "histogram" };
    pthread_mutex_lock (&metric->mutex);
    size_t count = metric->series_count;
    oa_series_t **series = malloc ((count? count: 1) * sizeof (series [0]));
    if (series && count)
        memcpy (series, metric->series, count * sizeof (series [0]));
    oa_series_t *overflow = atomic_load_explicit (&metric->overflow, memory_order_acquire);
    pthread_mutex_unlock (&metric->mutex);
    if (!series) {
        self->failed = true;
        return;
    }
    if (count || overflow) {
        //  Like client_golang: a labelled family without series is not shown.
        s_buf_printf (self, "# HELP %s ", metric->name);
        s_buf_escaped (self, metric->help, false);
        s_buf_printf (self, "\n# TYPE %s %s\n", metric->name, type_names [metric->type]);
        qsort (series, count, sizeof (series [0]), s_compare_series);
        for (size_t i = 0; i < count; i++)
            s_render_series (self, metric, series [i]);
        if (overflow)
            s_render_series (self, metric, overflow);
    }
    free (series);
}

//  Process metrics as client_golang's process collector names them, read
//  from /proc; a field that cannot be read is left out.
static void
s_render_process (s_buf_t *self)
{
    long ticks = sysconf (_SC_CLK_TCK);
    long page = sysconf (_SC_PAGESIZE);
    unsigned long utime = 0, stime = 0, vsize = 0;
    unsigned long long start = 0;
    long rss = 0;
    int fields = 0;
    FILE *file = fopen ("/proc/self/stat", "r");
    if (file) {
        char line [1024];
        //  The command name may hold spaces and parentheses: skip past the last ')'.
        char *tail = fgets (line, sizeof line, file)? strrchr (line, ')'): NULL;
        if (tail)
            fields = sscanf (tail + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu"
                             " %*d %*d %*d %*d %*d %*d %llu %lu %ld",
                             &utime, &stime, &start, &vsize, &rss);
        fclose (file);
    }
    long long boot = -1;
    file = fopen ("/proc/stat", "r");
    if (file) {
        char line [256];
        while (boot < 0 && fgets (line, sizeof line, file))
            if (sscanf (line, "btime %lld", &boot) != 1)
                boot = -1;
        fclose (file);
    }
    int fds = -1;
    DIR *dir = opendir ("/proc/self/fd");
    if (dir) {
        fds = 0;
        for (struct dirent *entry = readdir (dir); entry; entry = readdir (dir))
            if (entry->d_name [0] != '.')
                fds++;
        fds--;                  //  the descriptor of dir itself
        closedir (dir);
    }
    struct rlimit limit;
    bool have_limit = getrlimit (RLIMIT_NOFILE, &limit) == 0;

    if (fields == 5 && ticks > 0) {
        s_buf_puts (self, "# HELP process_cpu_seconds_total Total user and system CPU time "
                          "spent in seconds.\n# TYPE process_cpu_seconds_total counter\n"
                          "process_cpu_seconds_total ");
        s_buf_double (self, (double) (utime + stime) / (double) ticks);
        s_buf_puts (self, "\n");
    }
    if (have_limit) {
        s_buf_puts (self, "# HELP process_max_fds Maximum number of open file descriptors.\n"
                          "# TYPE process_max_fds gauge\nprocess_max_fds ");
        s_buf_double (self, limit.rlim_cur == RLIM_INFINITY? INFINITY: (double) limit.rlim_cur);
        s_buf_puts (self, "\n");
    }
    if (fds >= 0)
        s_buf_printf (self, "# HELP process_open_fds Number of open file descriptors.\n"
                            "# TYPE process_open_fds gauge\nprocess_open_fds %d\n", fds);
    if (fields == 5) {
        s_buf_printf (self, "# HELP process_resident_memory_bytes Resident memory size in "
                            "bytes.\n# TYPE process_resident_memory_bytes gauge\n"
                            "process_resident_memory_bytes %lld\n", (long long) rss * page);
    }
    if (fields == 5 && boot >= 0 && ticks > 0) {
        s_buf_puts (self, "# HELP process_start_time_seconds Start time of the process since "
                          "unix epoch in seconds.\n# TYPE process_start_time_seconds gauge\n"
                          "process_start_time_seconds ");
        s_buf_double (self, (double) boot + (double) start / (double) ticks);
        s_buf_puts (self, "\n");
    }
    if (fields == 5)
        s_buf_printf (self, "# HELP process_virtual_memory_bytes Virtual memory size in "
                            "bytes.\n# TYPE process_virtual_memory_bytes gauge\n"
                            "process_virtual_memory_bytes %lu\n", vsize);
}

//  One counter family for every family that overflowed, shown only then.
static void
s_render_overflows (s_buf_t *self, oa_metric_t **metrics, size_t count)
{
    bool header = false;
    for (size_t i = 0; i < count; i++) {
        uint64_t overflows = atomic_load_explicit (&metrics [i]->overflows, memory_order_relaxed);
        if (!overflows)
            continue;
        if (!header)
            s_buf_puts (self, "# HELP oa_metrics_series_overflow_total Series lookups sent to "
                              "the overflow series because the family reached its series "
                              "limit.\n# TYPE oa_metrics_series_overflow_total counter\n");
        header = true;
        s_buf_printf (self, "oa_metrics_series_overflow_total{metric=\"%s\"} %" PRIu64 "\n",
                      metrics [i]->name, overflows);
    }
}

char *
oa_metrics_render (oa_metrics_t *self)
{
    assert (self);
    pthread_mutex_lock (&self->mutex);
    size_t count = self->count;
    bool process = self->process;
    oa_metric_t **metrics = malloc ((count? count: 1) * sizeof (metrics [0]));
    if (metrics && count)
        memcpy (metrics, self->metrics, count * sizeof (metrics [0]));
    pthread_mutex_unlock (&self->mutex);
    if (!metrics)
        return NULL;
    qsort (metrics, count, sizeof (metrics [0]), s_compare_metrics);

    s_buf_t buf = { NULL, 0, 0, false };
    s_buf_reserve (&buf, 0);    //  an empty registry renders ""
    for (size_t i = 0; i < count; i++)
        s_render_family (&buf, metrics [i]);
    if (process)
        s_render_process (&buf);
    s_render_overflows (&buf, metrics, count);
    free (metrics);
    if (buf.failed) {
        free (buf.data);
        return NULL;
    }
    buf.data [buf.len] = 0;
    return buf.data;
}
