/*  =========================================================================
    oa_api_testkit - what the management API's self tests share (see the
    header)
    =========================================================================
*/
#include "oa_api_testkit.h"

oa_api_answer_t
oa_api_testkit_call (oa_api_app_t *app, oa_api_req_t *req)
{
    oa_api_res_t res = { 200, NULL, NULL, NULL };
    oa_api_app_handle (app, req, &res);
    oa_api_answer_t answer = { res.status, res.body, NULL, res.probe };
    if (res.set_cookie)
        answer.cookie = strndup (res.set_cookie, strcspn (res.set_cookie, ";"));
    free (res.set_cookie);
    free (req->param);
    req->param = NULL;
    oa_user_destroy (&req->user);
    zhashx_destroy (&req->args);
    assert (answer.body);
    return answer;
}

void
oa_api_answer_clear (oa_api_answer_t *answer)
{
    json_decref (answer->body);
    free (answer->cookie);
    free (answer->probe);
    memset (answer, 0, sizeof *answer);
}

const char *
oa_api_answer_message (const oa_api_answer_t *answer)
{
    const char *message = json_string_value (json_object_get (answer->body, "message"));
    return message? message: "";
}
