/*  =========================================================================
    gw_http - responses for route handlers

    h2o 2.2.5 has error helpers for a few statuses only; these send any
    status, and the two error shapes one-api uses: the management envelope
    {"message":...,"success":false} and the OpenAI error object.  JSON goes
    out as gin sends it: "application/json; charset=utf-8", and objects built
    with jansson have sorted keys (Go's encoding/json sorts map keys).
    Every response also gets X-Oneapi-Request-Id (added by a filter).
    =========================================================================
*/
#ifndef GW_HTTP_H_INCLUDED
#define GW_HTTP_H_INCLUDED

#include <jansson.h>
#include "gw_server.h"

#define GW_JSON_TYPE "application/json; charset=utf-8"

//  The reason phrase for a status ("Too Many Requests"); "" if unknown.
const char *
    gw_http_reason (int status);

//  Sends a complete response.  body is copied.
void
    gw_respond (h2o_req_t *req, int status, const char *content_type,
                const char *body, size_t len);

//  Sends a JSON text.
void
    gw_respond_json (h2o_req_t *req, int status, const char *json, size_t len);

//  Sends a jansson value (borrowed), compact with sorted keys.
void
    gw_respond_jansson (h2o_req_t *req, int status, const json_t *json);

//  Management-API error: {"message":message,"success":false}.
void
    gw_respond_api_error (h2o_req_t *req, int status, const char *message);

//  Relay error: {"error":{"message","type","param":"","code"}}.
void
    gw_respond_openai_error (h2o_req_t *req, int status, const char *message,
                             const char *type, const char *code);

//  one-api's 404 for unknown routes: an OpenAI error "Invalid URL (GET /x)".
void
    gw_respond_not_found (h2o_req_t *req);

#endif
