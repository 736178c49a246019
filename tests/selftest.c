/*  =========================================================================
    selftest - runs the unit tests of every class

    Usage:  oa_selftest [--list] [--test NAME] [-v]
    Each test runs in this process; ctest runs one process per test, which
    gives every test its own timeout and isolation.
    =========================================================================
*/
#include <stdio.h>
#include <string.h>
#include <czmq.h>
#include "oa_selftest.h"

int
main (int argc, char *argv [])
{
    bool verbose = false;
    const char *only = NULL;
    for (int argn = 1; argn < argc; argn++) {
        if (streq (argv [argn], "--list")) {
            for (const oa_selftest_t *t = oa_selftests; t->name; t++)
                puts (t->name);
            return 0;
        }
        else if (streq (argv [argn], "--test") && argn + 1 < argc)
            only = argv [++argn];
        else if (streq (argv [argn], "-v") || streq (argv [argn], "--verbose"))
            verbose = true;
        else {
            fprintf (stderr, "usage: oa_selftest [--list] [--test NAME] [-v]\n");
            return 2;
        }
    }
    int ran = 0;
    for (const oa_selftest_t *t = oa_selftests; t->name; t++) {
        if (only && !streq (only, t->name))
            continue;
        printf (" * %s: ", t->name);
        fflush (stdout);
        t->test (verbose);
        printf ("OK\n");
        ran++;
    }
    if (only && ran == 0) {
        fprintf (stderr, "oa_selftest: no test named '%s'\n", only);
        return 2;
    }
    zsys_shutdown ();
    printf ("%d passed, 0 failed\n", ran);
    return 0;
}
