/*  =========================================================================
    oa_api_testkit - what the management API's self tests share: running
    one request through the handlers as the actor does, and its answer
    =========================================================================
*/
#ifndef OA_API_TESTKIT_H_INCLUDED
#define OA_API_TESTKIT_H_INCLUDED

#include "oa_api_private.h"

typedef struct {
    int status;                 //  HTTP status
    json_t *body;               //  answer; owned
    char *cookie;               //  "session=..." from Set-Cookie, or NULL; owned
    char *probe;                //  x-oneapi-probe of the answer, or NULL; owned
} oa_api_answer_t;

//  Runs req through app's handlers and frees what they attached to req.
//  Asserts there is a body.  The caller clears the answer.
oa_api_answer_t
    oa_api_testkit_call (oa_api_app_t *app, oa_api_req_t *req);

//  Frees the answer's parts and zeroes it.
void
    oa_api_answer_clear (oa_api_answer_t *answer);

//  The answer's "message", or "".  Borrowed.
const char *
    oa_api_answer_message (const oa_api_answer_t *answer);

#endif
