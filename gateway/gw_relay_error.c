/*  =========================================================================
    gw_relay_error - relay error bodies in the client's own format

    one-api answers relay errors in two OpenAI shapes: its middleware
    (AbortWithError: token auth, channel choice) writes a gin.H, so only
    {"message","type"} in sorted order; its relay controller marshals
    model.Error, so {"message","type","param","code"} in struct order.
    Both end the message with " (request id: <id>)".  Clients of the
    Anthropic Messages surface get Anthropic's shape instead, so their SDKs
    raise the right error class.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include "gw_relay_private.h"

const char *
gw_relay_anthropic_type (int status)
{
    switch (status) {
        case 401: return "authentication_error";
        case 402: return "billing_error";
        case 403: return "permission_error";
        case 404: return "not_found_error";
        case 413: return "request_too_large";
        case 429: return "rate_limit_error";
        case 529: return "overloaded_error";
        default:  return status >= 500? "api_error": "invalid_request_error";
    }
}

//  The error object in the client's format (see gw_relay_respond_error).
static json_t *
s_error_json (int format, int status, const char *type, const char *code, const char *message,
              const char *request_id, bool full)
{
    char text [1200];
    snprintf (text, sizeof text, "%s (request id: %s)", message && *message? message: "error",
              request_id? request_id: "");
    json_t *message_json = json_string (text);
    if (!message_json)              //  not UTF-8 (an echo of client bytes): say less
        message_json = json_string ("invalid request");
    json_t *error = json_object ();
    json_t *json = json_object ();
    if (format == OA_MSG_FORMAT_CLAUDE) {
        json_object_set_new (error, "type", json_string (gw_relay_anthropic_type (status)));
        json_object_set_new (error, "message", message_json);
        json_object_set_new (json, "type", json_string ("error"));
        json_object_set_new (json, "error", error);
    }
    else {
        json_object_set_new (error, "message", message_json);
        json_t *type_json = json_string (type && *type? type: "one_api_error");
        json_object_set_new (error, "type", type_json? type_json: json_string ("one_api_error"));
        if (full) {
            json_object_set_new (error, "param", json_string (""));
            json_t *code_json = json_string (code? code: "");
            json_object_set_new (error, "code", code_json? code_json: json_string (""));
        }
        json_object_set_new (json, "error", error);
    }
    return json;
}

void
gw_relay_respond_error (h2o_req_t *req, int format, int status, const char *type,
                        const char *code, const char *message, const char *request_id,
                        bool full)
{
    assert (req);
    json_t *json = s_error_json (format, status, type, code, message, request_id, full);
    char *body = json_dumps (json, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert (body);
    gw_respond_json (req, status, body, strlen (body));
    free (body);
    json_decref (json);
}

char *
gw_relay_error_event (int format, int status, const char *type, const char *code,
                      const char *message, const char *request_id)
{
    json_t *json = s_error_json (format, status, type, code, message, request_id, true);
    const char *event = NULL;
    if (format == OA_MSG_FORMAT_CLAUDE)
        event = "error";
    else
    if (format == OA_MSG_FORMAT_RESPONSES) {
        //  Responses streams carry a flat error event
        json_t *flat = json_pack ("{s:s,s:O,s:O,s:n}", "type", "error",
            "code", json_object_get (json_object_get (json, "error"), "code"),
            "message", json_object_get (json_object_get (json, "error"), "message"), "param");
        json_decref (json);
        json = flat;
        event = "error";
    }
    char *data = json_dumps (json, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref (json);
    assert (data);
    size_t size = strlen (data) + 32;
    char *frame = (char *) malloc (size);
    assert (frame);
    if (event)
        snprintf (frame, size, "event: %s\ndata: %s\n\n", event, data);
    else
        snprintf (frame, size, "data: %s\n\n", data);
    free (data);
    return frame;
}
