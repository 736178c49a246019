/*  =========================================================================
    oa_conv_testlib - helpers shared by the converter selftests

    Test vectors live in workers/convert/testdata/ (found through $OA_SRC,
    else next to this source file).  Setting OA_CONV_REGEN=1 rewrites the
    expected outputs from the current code, for review with git diff.
    =========================================================================
*/
#ifndef OA_CONV_TESTLIB_H_INCLUDED
#define OA_CONV_TESTLIB_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "oa_conv.h"

//  Fresh path of a file under testdata/.
char *oa_cvt_path (const char *name);
//  Whole file, fresh and NUL-terminated, or NULL; size in *size_p.
char *oa_cvt_read (const char *path, size_t *size_p);
//  Write a file whole; returns 0 or -1.
int oa_cvt_write (const char *path, const char *data, size_t size);
//  "chat" | "responses" | "claude" | "gemini" -> format (asserts known).
oa_api_format_t oa_cvt_format (const char *name);
//  New session configured from a case's "options" object.
oa_conv_t *oa_cvt_session (json_t *options);
//  True when OA_CONV_REGEN is set.
bool oa_cvt_regen (void);
//  Usage struct <-> {"prompt_tokens":..,...} object.
json_t *oa_cvt_usage_json (const oa_conv_usage_t *usage);
//  Report a mismatch: prints case name, expected and actual.
void oa_cvt_mismatch (const char *name, json_t *expect, json_t *actual);

#endif
