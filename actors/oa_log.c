/*  =========================================================================
    oa_log - one line per event, plain text or JSON

    Settings are process-wide and written once at start; they are atomics so
    that a test may change them while actors log.
    =========================================================================
*/
#include "oa_log.h"

#include <assert.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int s_level = OA_LOG_INFO;
static atomic_bool s_json = false;
static atomic_int s_fd = -1;

static const char *s_level_names [] = { "debug", "info", "warn", "error" };
static const char *s_level_tags [] = { "DEBUG", "INFO ", "WARN ", "ERROR" };

int
oa_log_configure (const char *format, const char *level)
{
    int new_level = -1;
    for (int i = 0; i < 4; i++)
        if (level && strcmp (level, s_level_names [i]) == 0)
            new_level = i;
    bool json;
    if (format && strcmp (format, "json") == 0)
        json = true;
    else
    if (format && strcmp (format, "text") == 0)
        json = false;
    else
        return -1;
    if (new_level < 0)
        return -1;
    atomic_store (&s_level, new_level);
    atomic_store (&s_json, json);
    return 0;
}

void
oa_log_set_fd (int fd)
{
    atomic_store (&s_fd, fd);
}

bool
oa_log_enabled (oa_log_level_t level)
{
    return (int) level >= atomic_load (&s_level);
}

//  Appends text to buf at *used, escaping for JSON (json) or just newlines.
static void
s_append_escaped (char *buf, size_t size, size_t *used, const char *text, bool json)
{
    for (const unsigned char *c = (const unsigned char *) text; *c; c++) {
        char esc [8] = "";
        if (*c == '\n')
            strcpy (esc, "\\n");
        else
        if (*c == '\r')
            strcpy (esc, "\\r");
        else
        if (json && (*c == '"' || *c == '\\'))
            snprintf (esc, sizeof esc, "\\%c", *c);
        else
        if (json && *c < 0x20)
            snprintf (esc, sizeof esc, "\\u%04x", *c);
        else
        if (*c < 0x20 && *c != '\t')
            snprintf (esc, sizeof esc, "\\x%02x", *c);
        size_t need = *esc? strlen (esc): 1;
        if (*used + need + 2 >= size)
            return;             //  truncated lines stay well-formed
        if (*esc)
            memcpy (buf + *used, esc, need);
        else
            buf [*used] = (char) *c;
        *used += need;
    }
}

static void
s_append_raw (char *buf, size_t size, size_t *used, const char *text)
{
    size_t len = strlen (text);
    if (*used + len + 2 >= size)
        len = size - *used - 2;
    memcpy (buf + *used, text, len);
    *used += len;
}

void
oa_log (oa_log_level_t level, const char *component, const char *request_id,
        const char *format, ...)
{
    if (!oa_log_enabled (level))
        return;
    assert (level <= OA_LOG_ERROR);
    char message [2048];
    va_list args;
    va_start (args, format);
    vsnprintf (message, sizeof message, format, args);
    va_end (args);

    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r (&now.tv_sec, &tm);
    char stamp [96];
    snprintf (stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
              now.tv_nsec / 1000000);

    char line [4096];
    size_t used = 0;
    bool json = atomic_load (&s_json);
    const char *comp = component? component: "oneapi";
    if (json) {
        s_append_raw (line, sizeof line, &used, "{\"ts\":\"");
        s_append_raw (line, sizeof line, &used, stamp);
        s_append_raw (line, sizeof line, &used, "\",\"level\":\"");
        s_append_raw (line, sizeof line, &used, s_level_names [level]);
        s_append_raw (line, sizeof line, &used, "\",\"component\":\"");
        s_append_escaped (line, sizeof line, &used, comp, true);
        if (request_id && *request_id) {
            s_append_raw (line, sizeof line, &used, "\",\"request_id\":\"");
            s_append_escaped (line, sizeof line, &used, request_id, true);
        }
        s_append_raw (line, sizeof line, &used, "\",\"msg\":\"");
        s_append_escaped (line, sizeof line, &used, message, true);
        s_append_raw (line, sizeof line, &used, "\"}");
    }
    else {
        s_append_raw (line, sizeof line, &used, stamp);
        s_append_raw (line, sizeof line, &used, " ");
        s_append_raw (line, sizeof line, &used, s_level_tags [level]);
        s_append_raw (line, sizeof line, &used, " [");
        s_append_escaped (line, sizeof line, &used, comp, false);
        s_append_raw (line, sizeof line, &used, "] ");
        if (request_id && *request_id) {
            s_append_raw (line, sizeof line, &used, "request_id=");
            s_append_escaped (line, sizeof line, &used, request_id, false);
            s_append_raw (line, sizeof line, &used, " ");
        }
        s_append_escaped (line, sizeof line, &used, message, false);
    }
    line [used++] = '\n';
    int fd = atomic_load (&s_fd);
    ssize_t rc = write (fd >= 0? fd: STDERR_FILENO, line, used);
    (void) rc;                  //  nowhere to report a failed log write
}

//  --------------------------------------------------------------------------
//  Self test

static void
s_capture (int pipe_fds [2], char *out, size_t size)
{
    ssize_t got = read (pipe_fds [0], out, size - 1);
    assert (got > 0);
    out [got] = 0;
}

void
oa_log_test (bool verbose)
{
    (void) verbose;
    int fds [2];
    int rc = pipe (fds);
    assert (rc == 0);
    oa_log_set_fd (fds [1]);
    char out [8192];

    assert (oa_log_configure ("xml", "info") == -1);
    assert (oa_log_configure ("text", "loud") == -1);
    assert (oa_log_configure ("text", "info") == 0);
    assert (!oa_log_enabled (OA_LOG_DEBUG));
    oa_log (OA_LOG_INFO, "ledger", "2026112722392012345678901234", "two\nlines %d", 42);
    s_capture (fds, out, sizeof out);
    assert (strstr (out, " INFO  [ledger] request_id=2026112722392012345678901234 two\\nlines 42\n"));
    assert (strchr (out, '\n') == out + strlen (out) - 1);     //  one line

    assert (oa_log_configure ("json", "debug") == 0);
    oa_log (OA_LOG_DEBUG, "gw", NULL, "say \"hi\"\t\x01");
    s_capture (fds, out, sizeof out);
    assert (strstr (out, "\"level\":\"debug\",\"component\":\"gw\",\"msg\":\"say \\\"hi\\\"\\u0009\\u0001\"}\n"));
    assert (!strstr (out, "request_id"));

    //  A huge message is truncated but stays one well-formed line.
    char *big = malloc (10000);
    memset (big, 'x', 9999);
    big [9999] = 0;
    oa_log_error ("gw", "%s", big);
    free (big);
    s_capture (fds, out, sizeof out);
    assert (out [strlen (out) - 1] == '\n' && out [strlen (out) - 2] == '}');

    oa_log_configure ("text", "error");
    oa_log_info ("gw", "not shown");
    oa_log_error ("gw", "shown");
    s_capture (fds, out, sizeof out);
    assert (strstr (out, "shown") && !strstr (out, "not shown"));

    oa_log_set_fd (-1);
    oa_log_configure ("text", "info");
    close (fds [0]);
    close (fds [1]);
}
