/*  =========================================================================
    wk_gemini - the Google Gemini adaptor (channel type 24)

    @header
    Builds the upstream HTTP request for Gemini channels:
    {base}/{version}/models/{model}:generateContent, or
    :streamGenerateContent?alt=sse for streams, with the x-goog-api-key
    credential.  The body is already in generateContent form (the
    converters made it); the model lives in the URL, not the body.
    @end
    =========================================================================
*/
#ifndef WK_GEMINI_H_INCLUDED
#define WK_GEMINI_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include "wk_openai.h"

//  What the adaptor needs to know about one attempt; all borrowed.
typedef struct {
    const char *base_url;           //  candidate base_url ("" = Google's)
    const char *api_key;            //  credential ("a|b" = first one used)
    const char *config_json;        //  channel config JSON: api_version, custom_headers
    const char *model;              //  model to call (mapped), "models/" prefix optional
    bool stream;                    //  client asked for a stream
} wk_gemini_in_t;

//  The model a Gemini-format client path names (/v1beta/models/{m}:verb),
//  fresh, or NULL.
char *
    wk_gemini_path_model (const char *path);

//  Builds the upstream request into *out (zeroed first), taking the body
//  (*body_p, body_size bytes, malloc'd; nulled).  Returns 0, or -1 with a
//  reason in err.
int
    wk_gemini_build (const wk_gemini_in_t *in, char **body_p, size_t body_size,
                     wk_openai_req_t *out, char *err, size_t err_size);

//  Self test.
void
    oa_wk_gemini_test (bool verbose);

#endif
