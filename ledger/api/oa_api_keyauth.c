/*  =========================================================================
    oa_api_keyauth - relay-key authentication for the management API's
    routes that take a relay key instead of a session (external billing,
    the legacy OpenAI billing views): one-api's middleware/auth.go
    TokenAuth and model/token.go ValidateUserToken, message for message,
    against the database (the gateway's replica does the same for relay
    requests, gateway/gw_state_auth.c).
    =========================================================================
*/
#include "oa_api_private.h"

#include <ctype.h>

#include "oa_ids.h"
#include "oa_subnet.h"

void
oa_api_relay_fail (oa_api_req_t *req, oa_api_res_t *res, int status, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *message = zsys_vprintf (format, args);
    va_end (args);
    char *full = zsys_sprintf ("%s (request id: %s)", message,
                               req->request_id? req->request_id: "");
    json_decref (res->body);
    json_t *text = json_string (full);
    res->body = json_pack ("{s:{s:o, s:s}}", "error", "message",
                           text? text: json_string ("invalid message"), "type", "one_api_error");
    res->status = status;
    zstr_free (&message);
    zstr_free (&full);
}

void
oa_api_relay_clear (oa_api_relay_t *relay)
{
    oa_token_t *token = relay->token;
    oa_token_destroy (&token);
    oa_user_destroy (&relay->user);
    relay->token = NULL;
}

//  The token part of a credential ("Bearer ", TOKEN_KEY_PREFIX, sk-,
//  laisky- stripped) and whether it carries an admin channel suffix.
static char *
s_key (oa_api_app_t *app, const char *credential, bool *pinned)
{
    char *text = oa_api_trim (credential);
    const char *start = text;
    if (strncasecmp (start, "bearer ", 7) == 0)
        start += 7;
    while (isspace ((unsigned char) *start))
        start++;
    const char *prefix = oa_api_config (app)->token_key_prefix;
    if (prefix && *prefix && strncmp (start, prefix, strlen (prefix)) == 0)
        start += strlen (prefix);
    if (strncmp (start, "sk-", 3) == 0)
        start += 3;
    if (strncmp (start, "laisky-", 7) == 0)
        start += 7;
    size_t len = strlen (start);
    *pinned = false;
    if (len > 37 && start [len - 37] == '-' && oa_api_is_uuid (start + len - 36)) {
        len -= 37;
        *pinned = true;
    }
    else {
        const char *dash = strrchr (start, '-');
        if (dash && dash > start && dash [1] && strspn (dash + 1, "0123456789") == strlen (dash + 1)) {
            len = (size_t) (dash - start);
            *pinned = true;
        }
    }
    char *key = strndup (start, len);
    free (text);
    return key;
}

bool
oa_api_relay_auth (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res,
                   oa_api_relay_t *relay)
{
    memset (relay, 0, sizeof *relay);
    const char *credential = req->authorization && *req->authorization? req->authorization
                           : req->api_key? req->api_key: "";
    bool pinned = false;
    char *key = s_key (app, credential, &pinned);
    oa_token_t *token = NULL;
    int rc = *key && strlen (key) <= 48? oa_store_token_by_key (oa_api_store (app), key, &token)
                                      : 0;
    char masked [32];
    oa_key_mask (key, masked, sizeof masked);
    bool empty = !*key;
    free (key);
    int64_t now = oa_clock_ms () / 1000;
    if (empty)
        oa_api_relay_fail (req, res, 401, "No token provided");
    else
    if (rc < 0)
        //  TokenAuth answers every ValidateUserToken failure 401, a
        //  database outage included.
        oa_api_relay_fail (req, res, 401, "failed to get token by key: %s: %s", masked,
                           oa_store_error (oa_api_store (app)));
    else
    if (rc == 0)
        oa_api_relay_fail (req, res, 401, "token not found for key: %s: record not found", masked);
    else
    if (token->status == 4)
        oa_api_relay_fail (req, res, 401, "API Key %s (#%" PRId64 ") quota has been exhausted",
                           token->name, token->id);
    else
    if (token->status == 3)
        oa_api_relay_fail (req, res, 401, "token %s (#%" PRId64 ") has expired", token->name,
                           token->id);
    else
    if (token->status != 1)
        oa_api_relay_fail (req, res, 401, "token %s (#%" PRId64 ") status is not available "
                           "(status: %" PRId64 ")", token->name, token->id, token->status);
    else
    if (token->expired_time != -1 && token->expired_time < now)
        oa_api_relay_fail (req, res, 401, "token %s (#%" PRId64 ") has expired at timestamp %"
                           PRId64, token->name, token->id, token->expired_time);
    else
    if (!token->unlimited_quota && token->remain_quota <= 0)
        oa_api_relay_fail (req, res, 401, "token %s (#%" PRId64 ") quota has been used up "
                           "(remaining: %" PRId64 ")", token->name, token->id,
                           token->remain_quota);
    else
    if (token->subnet && *token->subnet && !oa_subnet_match (req->client_ip, token->subnet))
        oa_api_relay_fail (req, res, 403, "This API key can only be used in the specified "
                           "subnet: %s, current IP: %s", token->subnet,
                           req->client_ip? req->client_ip: "");
    else {
        oa_user_t *user = NULL;
        int found = oa_store_user_by_id (oa_api_store (app), token->user_id, &user);
        if (found != 1)
            oa_api_relay_fail (req, res, 500, "failed to get user: %s", found < 0
                               ? oa_store_error (oa_api_store (app)): "record not found");
        else
        if (user->status != 1)
            oa_api_relay_fail (req, res, 403, "User has been banned");
        else
        if (pinned && user->role < OA_ROLE_ADMIN)
            oa_api_relay_fail (req, res, 403, "Ordinary users do not support specifying channels");
        else {
            relay->token = token;
            relay->user = user;
            return true;
        }
        oa_user_destroy (&user);
    }
    oa_token_destroy (&token);
    return false;
}

