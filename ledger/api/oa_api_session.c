/*  =========================================================================
    oa_api_session - who is calling: session cookies, access tokens, and
    the sign-in routes (login, logout, register, access token rotation)

    one-api keeps id, username, role and status in a gin cookie session
    signed with SESSION_SECRET.  Ours signs only what identifies the session
    (the user id and its expiry, HMAC-SHA256) and reads role and status from
    the user's row on every request, so a ban or demotion applies at once
    rather than when the cookie expires.  A cookie that does not verify is
    treated as absent, as gin does with a session it cannot decode.

    Cookie:  session=<id>.<expiry unix s>.<hex HMAC-SHA256(secret, "<id>.<expiry>")>
             Path=/; Max-Age=<COOKIE_MAXAGE_HOURS x 3600>; HttpOnly;
             SameSite=Strict; Secure when ENABLE_COOKIE_SECURE
    =========================================================================
*/
#include "oa_api_private.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_password.h"

#define S_NOT_LOGGED_IN "No permission to perform this operation, " \
    "not logged in and no access token provided"
#define S_BAD_ACCESS_TOKEN "No permission to perform this operation, access token is invalid"
#define S_BAD_LOGIN "Username or password is wrong, or user has been banned"

//  Hex HMAC-SHA256 of text into out (65 bytes).
static void
s_sign (oa_api_app_t *app, const char *text, char *out)
{
    size_t key_size = 0;
    const unsigned char *key = oa_api_secret (app, &key_size);
    unsigned char mac [EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    HMAC (EVP_sha256 (), key, (int) key_size, (const unsigned char *) text, strlen (text),
          mac, &mac_size);
    for (unsigned int index = 0; index < mac_size && index < 32; index++)
        sprintf (out + index * 2, "%02x", mac [index]);
    out [64] = 0;
}

char *
oa_api_session_cookie (oa_api_app_t *app, const oa_user_t *user)
{
    const oa_config_t *config = oa_api_config (app);
    int64_t max_age = (int64_t) config->cookie_maxage_hours * 3600;
    char payload [64];
    snprintf (payload, sizeof payload, "%" PRId64 ".%" PRId64, user->id,
              oa_clock_ms () / 1000 + max_age);
    char mac [65];
    s_sign (app, payload, mac);
    char *text = zsys_sprintf ("session=%s.%s; Path=/; Max-Age=%" PRId64
                               "; HttpOnly; SameSite=Strict%s", payload, mac, max_age,
                               config->cookie_secure? "; Secure": "");
    char *copy = strdup (text);
    zstr_free (&text);
    return copy;
}

//  Returns the user id of a valid session cookie in the Cookie header, or 0.
static int64_t
s_session_user (oa_api_app_t *app, const char *header)
{
    const char *cursor = header;
    const char *value = NULL;
    while (cursor && *cursor) {
        while (*cursor == ' ' || *cursor == ';')
            cursor++;
        if (strncmp (cursor, "session=", 8) == 0) {
            value = cursor + 8;
            break;
        }
        cursor = strchr (cursor, ';');
    }
    if (!value)
        return 0;
    size_t size = strcspn (value, "; ");
    if (size < 4 || size > 128)
        return 0;
    char cookie [129];
    memcpy (cookie, value, size);
    cookie [size] = 0;
    char *dot = strrchr (cookie, '.');
    if (!dot || strlen (dot + 1) != 64)
        return 0;
    *dot = 0;
    char expected [65];
    s_sign (app, cookie, expected);
    if (CRYPTO_memcmp (expected, dot + 1, 64) != 0)
        return 0;
    long long id = 0, expiry = 0;
    char tail = 0;
    if (sscanf (cookie, "%lld.%lld%c", &id, &expiry, &tail) != 2 || id <= 0)
        return 0;
    if (expiry < oa_clock_ms () / 1000)
        return 0;
    return id;
}

bool
oa_api_authenticate (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, int min_role)
{
    oa_store_t *store = oa_api_store (app);
    oa_user_t *user = NULL;
    int64_t id = req->cookie? s_session_user (app, req->cookie): 0;
    if (id > 0 && oa_store_user_by_id (store, id, &user) < 0) {
        oa_api_fail_store (app, res, "get user");
        return false;
    }
    if (!user) {
        const char *header = req->authorization? req->authorization: "";
        if (!*header) {
            oa_api_fail (res, 401, S_NOT_LOGGED_IN);
            return false;
        }
        //  "Bearer " is optional, as one-api strips it.
        if (strncasecmp (header, "Bearer ", 7) == 0)
            header += 7;
        char *token = oa_api_trim (header);
        int rc = strlen (token) <= 64? oa_store_user_by_access_token (store, token, &user): 0;
        free (token);
        if (rc < 0) {
            oa_api_fail_store (app, res, "validate access token");
            return false;
        }
        if (!user || !user->username || !*user->username) {
            oa_user_destroy (&user);
            oa_api_fail (res, 401, S_BAD_ACCESS_TOKEN);
            return false;
        }
    }
    //  A deleted user is treated like a banned one (one-api lets a deleted
    //  user's old session through; nobody should act as a tombstone).
    if (user->status != OA_STATUS_ENABLED) {
        oa_user_destroy (&user);
        oa_api_fail (res, 403, "User has been banned");
        return false;
    }
    if (user->role < min_role) {
        oa_user_destroy (&user);
        oa_api_fail (res, 403, "No permission to perform this operation, insufficient permissions");
        return false;
    }
    req->user = user;
    return true;
}

//  --------------------------------------------------------------------------
//  TOTP (RFC 6238: SHA-1, 30 s, 6 digits), as gcrypto checks a login code

static bool
s_totp_ok (const char *secret, const char *code)
{
    unsigned char key [64];
    size_t key_size = 0;
    unsigned int buffer = 0;
    int bits = 0;
    for (const char *c = secret; *c && key_size < sizeof key; c++) {
        int value;
        int upper = toupper ((unsigned char) *c);
        if (upper >= 'A' && upper <= 'Z')
            value = upper - 'A';
        else
        if (*c >= '2' && *c <= '7')
            value = *c - '2' + 26;
        else
            continue;           //  padding and separators
        buffer = (buffer << 5) | (unsigned int) value;
        bits += 5;
        if (bits >= 8) {
            key [key_size++] = (unsigned char) (buffer >> (bits - 8));
            bits -= 8;
        }
    }
    if (!key_size || strlen (code) != 6)
        return false;
    uint64_t counter = (uint64_t) (oa_clock_ms () / 1000) / 30;
    unsigned char message [8];
    for (int index = 7; index >= 0; index--) {
        message [index] = (unsigned char) (counter & 0xff);
        counter >>= 8;
    }
    unsigned char mac [EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    HMAC (EVP_sha1 (), key, (int) key_size, message, sizeof message, mac, &mac_size);
    int offset = mac [mac_size - 1] & 0x0f;
    uint32_t number = ((uint32_t) (mac [offset] & 0x7f) << 24) | ((uint32_t) mac [offset + 1] << 16)
                    | ((uint32_t) mac [offset + 2] << 8) | mac [offset + 3];
    char expected [8];
    snprintf (expected, sizeof expected, "%06u", number % 1000000);
    return CRYPTO_memcmp (expected, code, 6) == 0;
}

//  --------------------------------------------------------------------------
//  Routes

static const oa_api_field_t s_login_fields [] = {
    { "username", OA_API_GO_STRING }, { "password", OA_API_GO_STRING },
    { "totp_code", OA_API_GO_STRING }, { NULL, OA_API_GO_ANY }
};

//  Looks a login name up as a username, then as an email (one-api's order).
static int
s_find_login (oa_store_t *store, const char *name, oa_user_t **user_p)
{
    int rc = oa_store_user_by_username (store, name, user_p);
    if (rc != 0)
        return rc;
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT \"id\" FROM \"users\" WHERE \"email\" = $1 "
                                               "ORDER BY \"id\" LIMIT 1");
    if (!stmt)
        return -1;
    oa_stmt_bind_text (stmt, 1, name);
    rc = oa_stmt_step (stmt);
    int64_t id = rc == 1? oa_stmt_int64 (stmt, 0): 0;
    oa_stmt_reset (stmt);
    return rc == 1? oa_store_user_by_id (store, id, user_p): rc;
}

//  The user object SetupLogin answers: only uuid, names, role and status.
static json_t *
s_login_view (const oa_user_t *user)
{
    return json_pack ("{s:s, s:s?, s:s?, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, "
                      "s:s, s:s, s:n, s:[], s:{}, s:i, s:i}",
                      "uuid", user->uuid? user->uuid: "", "username", user->username,
                      "display_name", user->display_name, "role", (json_int_t) user->role,
                      "status", (json_int_t) user->status, "email", "", "github_id", "",
                      "wechat_id", "", "lark_id", "", "oidc_id", "", "quota", 0,
                      "used_quota", 0, "request_count", 0, "group", "", "aff_code", "",
                      "inviter_uuid", "mcp_tool_blacklist", "metadata", "created_at", 0,
                      "updated_at", 0);
}

void
oa_api_login (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    char error [256];
    json_t *body = oa_api_decode (req, "controller.LoginRequest", s_login_fields, false,
                                  error, sizeof error);
    const char *username = oa_api_str (body, "username", "");
    const char *password = oa_api_str (body, "password", "");
    if (!body || !*username || !*password) {
        json_decref (body);
        oa_api_fail (res, 200, OA_API_INVALID_PARAMETER);
        return;
    }
    oa_user_t *user = NULL;
    int rc = s_find_login (oa_api_store (app), username, &user);
    if (rc < 0)
        oa_api_fail_store (app, res, "login");
    else
    if (!user || !oa_password_verify (password, user->password)
    ||  user->status != OA_STATUS_ENABLED)
        oa_api_fail (res, 200, S_BAD_LOGIN);
    else
    if (!oa_api_option_bool (app, "PasswordLoginEnabled", true) && user->role < OA_ROLE_ROOT)
        oa_api_fail (res, 200, "The administrator has disabled password login. Please use a "
                     "third-party authentication method (e.g. OIDC) to log in.");
    else
    if (user->totp_secret && *user->totp_secret
    &&  !*oa_api_str (body, "totp_code", "")) {
        oa_api_fail (res, 200, "totp_required");
        json_object_set_new (res->body, "data", json_pack ("{s:b}", "totp_required", 1));
    }
    else
    if (user->totp_secret && *user->totp_secret
    &&  !s_totp_ok (user->totp_secret, oa_api_str (body, "totp_code", "")))
        oa_api_fail (res, 200, "Invalid TOTP code");
    else {
        res->set_cookie = oa_api_session_cookie (app, user);
        oa_api_ok (res, s_login_view (user));
    }
    oa_user_destroy (&user);
    json_decref (body);
}

void
oa_api_logout (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    (void) req;
    char *text = zsys_sprintf ("session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; "
                               "Max-Age=0; HttpOnly; SameSite=Strict%s",
                               oa_api_config (app)->cookie_secure? "; Secure": "");
    res->set_cookie = strdup (text);
    zstr_free (&text);
    oa_api_ok (res, NULL);
}

static const oa_api_field_t s_register_fields [] = {
    { "username", OA_API_GO_STRING }, { "password", OA_API_GO_STRING },
    { "display_name", OA_API_GO_STRING }, { "email", OA_API_GO_STRING },
    { "verification_code", OA_API_GO_STRING }, { "aff_code", OA_API_GO_STRING },
    { NULL, OA_API_GO_ANY }
};

void
oa_api_register (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    if (!oa_api_option_bool (app, "RegisterEnabled", true)) {
        oa_api_fail (res, 200, "The administrator has turned off new user registration");
        return;
    }
    if (!oa_api_option_bool (app, "PasswordRegisterEnabled", true)) {
        oa_api_fail (res, 200, "The administrator has turned off registration via password. "
                     "Please use the form of third-party account verification to register");
        return;
    }
    char error [256];
    json_t *body = oa_api_decode (req, "dto.UserRegisterRequest", s_register_fields, false,
                                  error, sizeof error);
    if (!body) {
        oa_api_fail (res, 200, OA_API_INVALID_PARAMETER);
        return;
    }
    const char *username = oa_api_str (body, "username", "");
    const char *password = oa_api_str (body, "password", "");
    size_t password_runes = oa_api_runes (password);
    //  The DTO's validate tags; an empty username is refused too (one-api's
    //  validator lets it through to the insert).
    if (!*username || oa_api_runes (username) > 30 || password_runes < 8 || password_runes > 20
    ||  oa_api_runes (oa_api_str (body, "display_name", "")) > 20
    ||  oa_api_runes (oa_api_str (body, "email", "")) > 50) {
        json_decref (body);
        oa_api_fail (res, 200, OA_API_INVALID_INPUT);
        return;
    }
    if (oa_api_option_bool (app, "EmailVerificationEnabled", false)) {
        //  Codes are mailed by a part this build does not have: none verifies.
        if (!*oa_api_str (body, "email", "") || !*oa_api_str (body, "verification_code", ""))
            oa_api_fail (res, 200, "The administrator has turned on email verification, please "
                         "enter the email address and verification code");
        else
            oa_api_fail (res, 200, "Verification code error or expired");
        json_decref (body);
        return;
    }
    int64_t inviter = 0;
    const char *aff_code = oa_api_str (body, "aff_code", "");
    if (*aff_code) {
        oa_api_param_t param = { true, aff_code, 0 };
        bool found = false;
        static const oa_api_column_t id_view [] = {
            { "id", "\"id\"", OA_API_INT }, { NULL, NULL, OA_API_INT }
        };
        json_t *row = oa_api_select_one (app, id_view, "FROM \"users\" WHERE \"aff_code\" = $1",
                                         &param, 1, &found);
        inviter = oa_api_int (row, "id", 0);
        json_decref (row);
    }
    oa_user_t *user = oa_user_new ();
    oa_record_set (&user->username, username);
    oa_record_set (&user->display_name, username);
    user->inviter_id = inviter;
    int rc = oa_api_user_insert (app, user, password, inviter);
    if (rc == -2)
        oa_api_fail (res, 200, OA_API_USERNAME_TAKEN);
    else
    if (rc < 0)
        oa_api_fail_store (app, res, "failed to create user");
    else
        oa_api_ok (res, NULL);
    oa_user_destroy (&user);
    json_decref (body);
}

void
oa_api_access_token (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    //  one-api: a uuid without hyphens, 32 characters for char(32).
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    char token [33];
    size_t size = 0;
    for (const char *c = uuid; *c && size < 32; c++)
        if (*c != '-')
            token [size++] = *c;
    token [size] = 0;
    oa_api_param_t params [] = { { true, token, 0 }, { .i = oa_clock_ms () },
                                 { .i = req->user->id } };
    oa_store_errcode_t code;
    int64_t changed = oa_api_exec (app, "UPDATE \"users\" SET \"access_token\" = $1, "
                                   "\"updated_at\" = $2 WHERE \"id\" = $3", params, 3, &code);
    if (changed < 0 && code == OA_STORE_ERR_UNIQUE)
        oa_api_fail (res, 200, "Please try again, the system-generated UUID is actually "
                     "duplicated!");
    else
    if (changed < 0)
        oa_api_fail_store (app, res, "failed to update user");
    else
        oa_api_ok (res, json_string (token));
}
