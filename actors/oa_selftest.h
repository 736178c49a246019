/*  =========================================================================
    oa_selftest - the table of unit tests run by `oa_selftest`

    Every class may define `void oa_<class>_test (bool verbose)` at the start
    of a line in its .c file; the build collects them (tests/gen_selftests.cmake)
    into `oa_selftests`, and registers each as its own ctest entry.
    Tests use assert(), which stays enabled in every build type.
    =========================================================================
*/
#ifndef OA_SELFTEST_H_INCLUDED
#define OA_SELFTEST_H_INCLUDED

#include <stdbool.h>

typedef struct {
    const char *name;               //  class name, e.g. "oa_msg"
    void (*test) (bool verbose);    //  its selftest
} oa_selftest_t;

//  Null-terminated table, generated at build time.
extern const oa_selftest_t oa_selftests [];

#endif
