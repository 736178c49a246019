/*  =========================================================================
    oa_conv_testlib - helpers shared by the converter selftests
    =========================================================================
*/
#include <assert.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oa_conv_testlib.h"

char *
oa_cvt_path (const char *name)
{
    char *path = NULL;
    const char *root = getenv ("OA_SRC");
    int rc;
    if (root && *root)
        rc = asprintf (&path, "%s/workers/convert/testdata/%s", root, name);
    else {
        char *file = strdup (__FILE__);
        assert (file);
        rc = asprintf (&path, "%s/testdata/%s", dirname (file), name);
        free (file);
    }
    assert (rc > 0);
    return path;
}

char *
oa_cvt_read (const char *path, size_t *size_p)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    fseek (file, 0, SEEK_END);
    long size = ftell (file);
    fseek (file, 0, SEEK_SET);
    char *data = (char *) malloc ((size_t) size + 1);
    assert (data);
    size_t got = fread (data, 1, (size_t) size, file);
    fclose (file);
    data [got] = 0;
    if (size_p)
        *size_p = got;
    return data;
}

int
oa_cvt_write (const char *path, const char *data, size_t size)
{
    FILE *file = fopen (path, "wb");
    if (!file)
        return -1;
    size_t put = fwrite (data, 1, size, file);
    fclose (file);
    return put == size? 0: -1;
}

oa_api_format_t
oa_cvt_format (const char *name)
{
    assert (name);
    if (!strcmp (name, "chat"))
        return OA_API_FORMAT_CHAT;
    if (!strcmp (name, "responses"))
        return OA_API_FORMAT_RESPONSES;
    if (!strcmp (name, "claude"))
        return OA_API_FORMAT_CLAUDE;
    if (!strcmp (name, "gemini"))
        return OA_API_FORMAT_GEMINI;
    assert (false);
    return OA_API_FORMAT_CHAT;
}

oa_conv_t *
oa_cvt_session (json_t *options)
{
    const char *id = json_string_value (json_object_get (options, "request_id"));
    oa_conv_t *conv = oa_conv_new (id? id: "req1");
    assert (conv);
    json_t *created = json_object_get (options, "created");
    oa_conv_set_created (conv, created? json_integer_value (created): 1700000000);
    const char *model = json_string_value (json_object_get (options, "model"));
    if (model)
        oa_conv_set_model (conv, model);
    oa_conv_set_drop_sampling (conv, json_is_true (json_object_get (options, "drop_sampling")));
    oa_conv_set_max_completion_tokens (conv, json_is_true (json_object_get (options, "max_completion_tokens")));
    oa_conv_set_keep_reasoning (conv, json_is_true (json_object_get (options, "keep_reasoning")));
    oa_conv_set_schema_tool (conv, json_is_true (json_object_get (options, "schema_tool")));
    oa_conv_set_reasoning_format (conv, json_string_value (json_object_get (options, "reasoning_format")));
    oa_conv_set_think_tags (conv, json_is_true (json_object_get (options, "think_tags")));
    json_t *max_tokens = json_object_get (options, "default_max_tokens");
    if (max_tokens)
        oa_conv_set_default_max_tokens (conv, json_integer_value (max_tokens));
    return conv;
}

bool
oa_cvt_regen (void)
{
    const char *regen = getenv ("OA_CONV_REGEN");
    return regen && *regen && strcmp (regen, "0");
}

json_t *
oa_cvt_usage_json (const oa_conv_usage_t *usage)
{
    return json_pack ("{s:I,s:I,s:I,s:I,s:I,s:I}",
        "prompt_tokens", (json_int_t) usage->prompt_tokens,
        "completion_tokens", (json_int_t) usage->completion_tokens,
        "cached_tokens", (json_int_t) usage->cached_tokens,
        "cache_write_tokens", (json_int_t) usage->cache_write_tokens,
        "reasoning_tokens", (json_int_t) usage->reasoning_tokens,
        "total_tokens", (json_int_t) usage->total_tokens);
}

void
oa_cvt_mismatch (const char *name, json_t *expect, json_t *actual)
{
    char *want = expect? json_dumps (expect, JSON_INDENT (1) | JSON_ENCODE_ANY): NULL;
    char *got = actual? json_dumps (actual, JSON_INDENT (1) | JSON_ENCODE_ANY): NULL;
    fprintf (stderr, "\nvector '%s' mismatch\n--- expected\n%s\n--- actual\n%s\n", name,
             want? want: "(null)", got? got: "(null)");
    free (want);
    free (got);
}
