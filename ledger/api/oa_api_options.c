/*  =========================================================================
    oa_api_options - /api/option (root only) and /api/group (admin)

    Options are one-api's key/value settings (model/option.go): GET answers
    every known key with its stored value or one-api's default, minus the
    secrets (keys ending in Token, Secret, SecretKey, Password, APIKey);
    PUT validates the value, stores it and publishes it to gateways.
    Beyond one-api, values of *Enabled keys must be true/false and numeric
    keys must parse, so a typo cannot silently become 0.
    =========================================================================
*/
#include "oa_api_private.h"

#include <ctype.h>

#include "oa_log.h"
#include "oa_msg.h"

//  Kinds of option values.
typedef enum { S_TEXT, S_BOOL, S_INT, S_FLOAT, S_JSON_RATIOS } s_kind_t;

typedef struct {
    const char *key;            //  option key
    const char *fallback;       //  one-api's default (InitOptionMap)
    s_kind_t kind;              //  validation
} s_option_t;

static const s_option_t s_options [] = {
    { "PasswordLoginEnabled", "true", S_BOOL },
    { "PasswordRegisterEnabled", "true", S_BOOL },
    { "EmailVerificationEnabled", "false", S_BOOL },
    { "GitHubOAuthEnabled", "false", S_BOOL },
    { "OidcEnabled", "false", S_BOOL },
    { "WeChatAuthEnabled", "false", S_BOOL },
    { "TurnstileCheckEnabled", "false", S_BOOL },
    { "RegisterEnabled", "true", S_BOOL },
    { "AutomaticDisableChannelEnabled", "false", S_BOOL },
    { "AutomaticEnableChannelEnabled", "false", S_BOOL },
    { "ApproximateTokenEnabled", "false", S_BOOL },
    { "LogConsumeEnabled", "true", S_BOOL },
    { "DisplayInCurrencyEnabled", "true", S_BOOL },
    { "DisplayTokenStatEnabled", "true", S_BOOL },
    { "ChannelDisableThreshold", "5", S_FLOAT },
    { "EmailDomainRestrictionEnabled", "false", S_BOOL },
    { "EmailDomainWhitelist", "", S_TEXT },
    { "SMTPServer", "", S_TEXT },
    { "SMTPFrom", "", S_TEXT },
    { "SMTPPort", "587", S_INT },
    { "SMTPAccount", "", S_TEXT },
    { "SMTPToken", "", S_TEXT },
    { "EmailProvider", "", S_TEXT },
    { "ResendAPIKey", "", S_TEXT },
    { "StripeSecretKey", "", S_TEXT },
    { "StripeWebhookSecret", "", S_TEXT },
    { "MinTopUpUSD", "1", S_INT },
    { "Notice", "", S_TEXT },
    { "About", "", S_TEXT },
    { "HomePageContent", "", S_TEXT },
    { "Footer", "", S_TEXT },
    { "SystemName", "One API", S_TEXT },
    { "Logo", "", S_TEXT },
    { "ServerAddress", "", S_TEXT },
    { "GitHubClientId", "", S_TEXT },
    { "GitHubClientSecret", "", S_TEXT },
    { "LarkClientId", "", S_TEXT },
    { "LarkClientSecret", "", S_TEXT },
    { "OidcClientId", "", S_TEXT },
    { "OidcClientSecret", "", S_TEXT },
    { "OidcWellKnown", "", S_TEXT },
    { "OidcAuthorizationEndpoint", "", S_TEXT },
    { "OidcTokenEndpoint", "", S_TEXT },
    { "OidcUserinfoEndpoint", "", S_TEXT },
    { "WeChatServerAddress", "", S_TEXT },
    { "WeChatServerToken", "", S_TEXT },
    { "WeChatAccountQRCodeImageURL", "", S_TEXT },
    { "MessagePusherAddress", "", S_TEXT },
    { "MessagePusherToken", "", S_TEXT },
    { "TurnstileSiteKey", "", S_TEXT },
    { "TurnstileSecretKey", "", S_TEXT },
    { "QuotaForNewUser", "0", S_INT },
    { "QuotaForInviter", "0", S_INT },
    { "QuotaForInvitee", "0", S_INT },
    { "QuotaRemindThreshold", "1000", S_INT },
    { "PreConsumedQuota", "500", S_INT },
    { "GroupRatio", "{\"default\":1,\"svip\":1,\"vip\":1}", S_JSON_RATIOS },
    { "TopUpLink", "", S_TEXT },
    { "ChatLink", "", S_TEXT },
    { "QuotaPerUnit", "500000", S_FLOAT },
    { "RetryTimes", "0", S_INT },
    { "Theme", "modern", S_TEXT },
    { NULL, NULL, S_TEXT }
};

static bool
s_ends_with (const char *text, const char *suffix)
{
    size_t size = strlen (text), tail = strlen (suffix);
    return size >= tail && streq (text + size - tail, suffix);
}

//  controller.isSensitiveOptionKey
static bool
s_sensitive (const char *key)
{
    return s_ends_with (key, "Token") || s_ends_with (key, "Secret")
        || s_ends_with (key, "SecretKey") || s_ends_with (key, "Password")
        || s_ends_with (key, "APIKey");
}

static const s_option_t *
s_find (const char *key)
{
    for (const s_option_t *option = s_options; option->key; option++)
        if (streq (option->key, key))
            return option;
    return NULL;
}

void
oa_api_options_get (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    (void) req;
    zhashx_t *stored = oa_store_options_all (oa_api_store (app));
    if (!stored) {
        oa_api_fail_store (app, res, "get options");
        return;
    }
    json_t *data = json_array ();
    for (const s_option_t *option = s_options; option->key; option++) {
        if (s_sensitive (option->key))
            continue;
        const char *value = (const char *) zhashx_lookup (stored, option->key);
        json_t *text = json_string (value? value: option->fallback);
        json_array_append_new (data, json_pack ("{s:s, s:o}", "key", option->key, "value",
                                                text? text: json_string ("")));
    }
    //  Keys stored that the table does not know are still answered.
    for (const char *value = (const char *) zhashx_first (stored); value;
         value = (const char *) zhashx_next (stored)) {
        const char *key = (const char *) zhashx_cursor (stored);
        if (s_find (key) || s_sensitive (key) || streq (key, "ModelRatio")
        ||  streq (key, "CompletionRatio"))
            continue;
        json_t *text = json_string (value);
        json_array_append_new (data, json_pack ("{s:s, s:o}", "key", key, "value",
                                                text? text: json_string ("")));
    }
    zhashx_destroy (&stored);
    oa_api_ok (res, data);
}

static const oa_api_field_t s_update_fields [] = {
    { "key", OA_API_GO_STRING }, { "value", OA_API_GO_STRING }, { "clear", OA_API_GO_BOOL },
    { NULL, OA_API_GO_ANY }
};

//  Returns NULL when value suits option, else the message to answer.
static char *
s_invalid (oa_api_app_t *app, const s_option_t *option, const char *key, char **value)
{
    char *text = NULL;
    if (streq (key, "Theme")) {
        if (streq (*value, "default")) {
            free (*value);
            *value = strdup ("modern");
        }
        if (!streq (*value, "berry") && !streq (*value, "air") && !streq (*value, "modern"))
            return strdup ("invalid theme");
    }
    else
    if (streq (key, "EmailProvider")) {
        char *lowered = oa_api_trim (*value);
        for (char *c = lowered; *c; c++)
            *c = (char) tolower ((unsigned char) *c);
        free (*value);
        *value = lowered;
        if (*lowered && !streq (lowered, "smtp") && !streq (lowered, "resend"))
            text = zsys_sprintf ("invalid email provider \"%s\" (expected \"smtp\", \"resend\", "
                                 "or empty)", lowered);
    }
    else {
        //  Enabling a sign-in method needs its settings first.
        static const char *const prerequisites [][3] = {
            { "GitHubOAuthEnabled", "GitHubClientId", "Unable to enable GitHub OAuth, please "
              "fill in the GitHub Client Id and GitHub Client Secret first!" },
            { "EmailDomainRestrictionEnabled", "EmailDomainWhitelist", "Unable to enable email "
              "domain restriction, please fill in the restricted email domains first!" },
            { "WeChatAuthEnabled", "WeChatServerAddress", "Unable to enable WeChat login, please "
              "fill in the relevant configuration information for WeChat login first!" },
            { "TurnstileCheckEnabled", "TurnstileSiteKey", "Unable to enable Turnstile "
              "verification, please fill in the relevant configuration information for "
              "Turnstile verification first!" },
            { NULL, NULL, NULL }
        };
        for (int index = 0; prerequisites [index][0]; index++) {
            if (!streq (key, prerequisites [index][0]) || !streq (*value, "true"))
                continue;
            char *needed = oa_api_option (app, prerequisites [index][1], "");
            char *trimmed = oa_api_trim (needed);
            if (!*trimmed)
                text = zsys_sprintf ("%s", prerequisites [index][2]);
            free (trimmed);
            free (needed);
        }
    }
    if (text || !option) {
        char *copy = text? strdup (text): NULL;
        zstr_free (&text);
        return copy;
    }
    char *end = NULL;
    json_error_t error;
    switch (option->kind) {
        case S_BOOL:
            if (!streq (*value, "true") && !streq (*value, "false"))
                text = zsys_sprintf ("invalid value for %s: expected true or false", key);
            break;
        case S_INT:
            errno = 0;
            strtoll (*value, &end, 10);
            if (!**value || *end || errno)
                text = zsys_sprintf ("invalid value for %s: expected an integer", key);
            break;
        case S_FLOAT:
            errno = 0;
            strtod (*value, &end);
            if (!**value || *end || errno)
                text = zsys_sprintf ("invalid value for %s: expected a number", key);
            break;
        case S_JSON_RATIOS: {
            json_t *ratios = json_loads (*value, 0, &error);
            bool valid = json_is_object (ratios);
            const char *name;
            json_t *ratio;
            json_object_foreach (ratios, name, ratio)
                valid = valid && json_is_number (ratio);
            json_decref (ratios);
            if (!valid)
                text = zsys_sprintf ("update group ratio configuration: %s",
                                     *error.text? error.text
                                                : "json: cannot unmarshal into map[string]float64");
            break;
        }
        default:
            break;
    }
    char *copy = text? strdup (text): NULL;
    zstr_free (&text);
    return copy;
}

void
oa_api_option_update (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "struct", s_update_fields, false, error, sizeof error);
    if (!body) {
        oa_api_fail (res, 400, OA_API_INVALID_PARAMETER);
        return;
    }
    const char *key = oa_api_str (body, "key", "");
    char *value = strdup (oa_api_str (body, "value", ""));
    char *trimmed = oa_api_trim (value);
    char *invalid = NULL;
    if (oa_api_bool (body, "clear", false) && s_sensitive (key)) {
        free (value);
        value = strdup ("");
    }
    else
    if (!*trimmed && s_sensitive (key)) {
        oa_api_ok (res, NULL);
        json_object_set_new (res->body, "message",
                             json_string ("empty value ignored for sensitive option"));
        goto done;
    }
    invalid = s_invalid (app, s_find (key), key, &value);
    if (invalid)
        oa_api_fail (res, 200, "%s", invalid);
    else
    if (oa_store_option_set (oa_api_store (app), key, value) < 0)
        oa_api_fail_store (app, res, "save option");
    else {
        json_t *row = json_pack ("{s:s, s:s}", "key", key, "value", value);
        oa_api_publish (app, "options", OA_MSG_OP_UPSERT, row);
        json_decref (row);
        oa_api_ok (res, NULL);
    }
done:
    free (invalid);
    free (trimmed);
    free (value);
    json_decref (body);
}

void
oa_api_groups (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    (void) req;
    char *text = oa_api_option (app, "GroupRatio", s_find ("GroupRatio")->fallback);
    json_error_t error;
    json_t *ratios = json_loads (text, 0, &error);
    free (text);
    json_t *names = json_array ();
    const char *name;
    json_t *ratio;
    json_object_foreach (ratios, name, ratio)
        json_array_append_new (names, json_string (name));
    json_decref (ratios);
    oa_api_ok (res, names);
}
