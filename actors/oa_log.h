/*  =========================================================================
    oa_log - one line per event, plain text or JSON

    Lines go to stderr (or a descriptor set for tests) with a single write(),
    so lines from different threads never interleave.  Every line carries a
    timestamp, level, component and, where there is one, the request id.
    =========================================================================
*/
#ifndef OA_LOG_H_INCLUDED
#define OA_LOG_H_INCLUDED

#include <stdbool.h>

typedef enum {
    OA_LOG_DEBUG = 0,
    OA_LOG_INFO = 1,
    OA_LOG_WARN = 2,
    OA_LOG_ERROR = 3
} oa_log_level_t;

//  Sets the format ("text" or "json") and lowest level ("debug", "info",
//  "warn", "error").  Returns -1 for an unknown value, leaving things as were.
int
    oa_log_configure (const char *format, const char *level);

//  Sends lines to fd instead of stderr (tests); -1 restores stderr.
void
    oa_log_set_fd (int fd);

//  True when a line at this level would be written.
bool
    oa_log_enabled (oa_log_level_t level);

//  Logs one event.  request_id may be NULL.  Newlines in the message are
//  escaped so that one event stays one line.
void
    oa_log (oa_log_level_t level, const char *component, const char *request_id,
            const char *format, ...) __attribute__ ((format (printf, 4, 5)));

#define oa_log_debug(component, ...) oa_log (OA_LOG_DEBUG, component, NULL, __VA_ARGS__)
#define oa_log_info(component, ...)  oa_log (OA_LOG_INFO, component, NULL, __VA_ARGS__)
#define oa_log_warn(component, ...)  oa_log (OA_LOG_WARN, component, NULL, __VA_ARGS__)
#define oa_log_error(component, ...) oa_log (OA_LOG_ERROR, component, NULL, __VA_ARGS__)

//  Self test.
void
    oa_log_test (bool verbose);

#endif
