/*  =========================================================================
    gw_state_auth - relay-key authentication against the replica

    one-api's middleware/auth.go TokenAuth and model/token.go
    ValidateUserToken, decision for decision and message for message
    (Laisky fork): every token failure is 401 (the middleware answers all
    ValidateUserToken errors with 401, whatever their kind); subnet, banned
    user, model allow-list and a non-admin pin are 403; a bad pin is 400.
    The user-quota check is one-api's pre-consume check (403
    "user quota is not enough", code insufficient_user_quota), done here
    for quota <= 0 because no estimate can be below zero.
    =========================================================================
*/
#include "gw_state_private.h"

#include "oa_ids.h"
#include "oa_subnet.h"

static bool
s_is_hex (char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
s_looks_uuid (const char *text)
{
    if (strlen (text) != 36)
        return false;
    for (int index = 0; index < 36; index++) {
        if (index == 8 || index == 13 || index == 18 || index == 23) {
            if (text [index] != '-')
                return false;
        }
        else
        if (!s_is_hex (text [index]))
            return false;
    }
    return true;
}

//  Copies at most len bytes of text into out (size), NUL-terminated.
static void
s_copy (char *out, size_t size, const char *text, size_t len)
{
    if (size == 0)
        return;
    if (len >= size)
        len = size - 1;
    memcpy (out, text, len);
    out [len] = 0;
}

void
gw_state_split_key (const char *credential, const char *token_key_prefix,
                    char *key, size_t key_size, char *pin, size_t pin_size)
{
    const char *start = credential? credential: "";
    const char *end = start + strlen (start);
    while (start < end && isspace ((unsigned char) *start))
        start++;
    while (end > start && isspace ((unsigned char) end [-1]))
        end--;
    if (end - start >= 7 && strncasecmp (start, "bearer ", 7) == 0) {
        start += 7;
        while (start < end && isspace ((unsigned char) *start))
            start++;
    }
    size_t prefix_len = token_key_prefix? strlen (token_key_prefix): 0;
    if (prefix_len && (size_t) (end - start) >= prefix_len
    &&  memcmp (start, token_key_prefix, prefix_len) == 0)
        start += prefix_len;
    if (end - start >= 3 && memcmp (start, "sk-", 3) == 0)
        start += 3;
    if (end - start >= 7 && memcmp (start, "laisky-", 7) == 0)
        start += 7;
    size_t len = (size_t) (end - start);
    pin [0] = 0;
    //  "<token>-<uuid>" first: a uuid holds dashes, the integer form none.
    if (len > 37 && start [len - 37] == '-') {
        char ref [37];
        s_copy (ref, sizeof ref, start + len - 36, 36);
        if (s_looks_uuid (ref)) {
            s_copy (key, key_size, start, len - 37);
            s_copy (pin, pin_size, ref, 36);
            return;
        }
    }
    const char *dash = NULL;
    for (const char *at = start; at < end; at++)
        if (*at == '-')
            dash = at;
    if (dash && dash > start && dash < end - 1) {
        bool digits = true;
        for (const char *at = dash + 1; at < end; at++)
            if (*at < '0' || *at > '9')
                digits = false;
        if (digits) {
            s_copy (key, key_size, start, (size_t) (dash - start));
            s_copy (pin, pin_size, dash + 1, (size_t) (end - dash - 1));
            return;
        }
    }
    s_copy (key, key_size, start, len);
}

bool
gw_state_ip_in_subnets (const char *client_ip, const char *subnets)
{
    return oa_subnet_match (client_ip, subnets);
}

//  The admin pin: "<digits>" (> 0) or a channel uuid.  0 when invalid.
static int64_t
s_resolve_pin (gw_state_t *self, const char *ref)
{
    if (s_looks_uuid (ref)) {
        gw_channel_t *channel = (gw_channel_t *) zhashx_first (self->channels);
        while (channel) {
            if (strcasecmp (channel->uuid, ref) == 0)
                return channel->id;
            channel = (gw_channel_t *) zhashx_next (self->channels);
        }
        return 0;
    }
    errno = 0;
    char *end = NULL;
    long long id = strtoll (ref, &end, 10);
    if (errno || !end || *end || id <= 0 || id > INT32_MAX)
        return 0;
    return id;
}

static void
s_fill_caller (gw_caller_t *caller, gw_token_t *token, gw_user_t *user)
{
    memset (caller, 0, sizeof *caller);
    caller->token_id = token->id;
    snprintf (caller->token_uuid, sizeof caller->token_uuid, "%s", token->uuid);
    snprintf (caller->token_name, sizeof caller->token_name, "%s", token->name);
    caller->user_id = user->id;
    snprintf (caller->user_uuid, sizeof caller->user_uuid, "%s", user->uuid);
    snprintf (caller->username, sizeof caller->username, "%s", user->username);
    caller->user_role = (int) user->role;
    snprintf (caller->group, sizeof caller->group, "%s", user->group);
    caller->user_quota = user->quota;
    caller->token_remain = token->remain_quota;
    caller->unlimited = token->unlimited_quota;
    snprintf (caller->models, sizeof caller->models, "%s", token->models);
}

//  The whole check; model NULL skips the allow-list (gw_state_authenticate).
static int
s_authorize (gw_state_t *self, const char *credential, const char *client_ip,
             const char *model, int64_t now_ms, gw_caller_t *caller, gw_failure_t *failure)
{
    char key [256];
    char pin [64];
    gw_state_split_key (credential, self->key_prefix, key, sizeof key, pin, sizeof pin);
    if (!*key) {
        gw_state_fail (failure, 401, NULL, "No token provided");
        return -1;
    }
    gw_token_t *token = (gw_token_t *) zhashx_lookup (self->tokens, key);
    if (!token) {
        char masked [32];
        oa_key_mask (key, masked, sizeof masked);
        gw_state_fail (failure, 401, NULL, "token not found for key: %s: record not found", masked);
        return -1;
    }
    if (token->status == 4) {
        gw_state_fail (failure, 401, NULL, "API Key %s (#%" PRId64 ") quota has been exhausted",
                       token->name, token->id);
        return -1;
    }
    if (token->status == 3) {
        gw_state_fail (failure, 401, NULL, "token %s (#%" PRId64 ") has expired",
                       token->name, token->id);
        return -1;
    }
    if (token->status != 1) {
        gw_state_fail (failure, 401, NULL,
                       "token %s (#%" PRId64 ") status is not available (status: %" PRId64 ")",
                       token->name, token->id, token->status);
        return -1;
    }
    if (token->expired_time != -1 && token->expired_time < now_ms / 1000) {
        gw_state_fail (failure, 401, NULL,
                       "token %s (#%" PRId64 ") has expired at timestamp %" PRId64,
                       token->name, token->id, token->expired_time);
        return -1;
    }
    if (!token->unlimited_quota && token->remain_quota <= 0) {
        gw_state_fail (failure, 401, NULL,
                       "token %s (#%" PRId64 ") quota has been used up (remaining: %" PRId64 ")",
                       token->name, token->id, token->remain_quota);
        return -1;
    }
    const char *ip = client_ip? client_ip: "";
    if (*token->subnet && !gw_state_ip_in_subnets (ip, token->subnet)) {
        gw_state_fail (failure, 403, NULL,
                       "This API key can only be used in the specified subnet: %s, current IP: %s",
                       token->subnet, ip);
        return -1;
    }
    char user_id [24];
    snprintf (user_id, sizeof user_id, "%" PRId64, token->user_id);
    gw_user_t *user = (gw_user_t *) zhashx_lookup (self->users, user_id);
    if (!user) {
        gw_state_fail (failure, 500, NULL, "failed to get user: record not found");
        return -1;
    }
    //  one-api refuses status 2 here; a deleted user (3) has no row there
    //  (soft-deleted), and is refused here the same way as a banned one.
    if (user->status != 1) {
        gw_state_fail (failure, 403, NULL, "User has been banned");
        return -1;
    }
    if (model && *model && *token->models && !gw_state_csv_has (token->models, model)) {
        gw_state_fail (failure, 403, NULL,
                       "This API key does not have permission to use the model: %s", model);
        return -1;
    }
    int64_t pinned = 0;
    if (*pin) {
        if (user->role < 10) {
            gw_state_fail (failure, 403, NULL, "Ordinary users do not support specifying channels");
            return -1;
        }
        pinned = s_resolve_pin (self, pin);
        if (pinned == 0) {
            gw_state_fail (failure, 400, NULL, "Invalid Channel Id: %s", pin);
            return -1;
        }
    }
    if (user->quota <= 0) {
        gw_state_fail (failure, 403, "insufficient_user_quota", "user quota is not enough");
        return -1;
    }
    if (caller) {
        s_fill_caller (caller, token, user);
        caller->pinned_channel_id = pinned;
    }
    return 0;
}

int
gw_state_authenticate (gw_state_t *self, const char *credential, const char *client_ip,
                       int64_t now_ms, gw_caller_t *caller, gw_failure_t *failure)
{
    assert (self);
    return s_authorize (self, credential, client_ip, NULL, now_ms, caller, failure);
}

int
gw_state_authorize (gw_state_t *self, const char *credential, const char *client_ip,
                    const char *model, int64_t now_ms, gw_caller_t *caller,
                    gw_failure_t *failure)
{
    assert (self);
    return s_authorize (self, credential, client_ip, model? model: "", now_ms, caller, failure);
}

int
gw_state_check_model (gw_state_t *self, const gw_caller_t *caller, const char *model,
                      gw_failure_t *failure)
{
    assert (self);
    assert (caller);
    //  The token's own list, when known: caller->models is a bounded copy.
    const char *models = caller->models;
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, caller->token_id);
    const char *key = (const char *) zhashx_lookup (self->token_keys, id);
    gw_token_t *token = key? (gw_token_t *) zhashx_lookup (self->tokens, key): NULL;
    if (token)
        models = token->models;
    if (model && *model && *models && !gw_state_csv_has (models, model)) {
        gw_state_fail (failure, 403, NULL,
                       "This API key does not have permission to use the model: %s", model);
        return -1;
    }
    return 0;
}
