/*  =========================================================================
    oa_api_test - self tests of the management API, per driver

    The handlers are driven directly (oa_api_app_handle) for the
    authorization matrix, sign-in, validation messages and each resource;
    then the actors are run for real over inproc: a ledger actor and this
    one, an API_REQUEST through a DEALER, and the CHANGE a write causes
    seen on the ledger's PUB.
    =========================================================================
*/
#include "oa_api.h"

#include "oa_actor.h"
#include "oa_api_private.h"
#include "oa_api_testkit.h"
#include "oa_bootstrap.h"
#include "oa_endpoints.h"
#include "oa_ids.h"
#include "oa_ledger.h"
#include "oa_msg.h"
#include "oa_schema.h"
#include "oa_store_testdb.h"

typedef oa_api_answer_t s_answer_t;

static oa_api_app_t *s_app;     //  the application under test
static bool s_verbose;          //  print progress

//  One request; credentials are a cookie header or an Authorization value.
static s_answer_t
s_call (const char *method, const char *path, const char *query, const char *body,
        const char *cookie, const char *authorization)
{
    oa_api_req_t req = {
        .method = method, .path = path, .query = query? query: "", .body = body,
        .body_size = body? strlen (body): 0, .client_ip = "127.0.0.1", .cookie = cookie,
        .authorization = authorization
    };
    return oa_api_testkit_call (s_app, &req);
}

static bool
s_success (s_answer_t *answer)
{
    return json_is_true (json_object_get (answer->body, "success"));
}

//  Asserts a failure with exactly this status and message.
static void
s_expect_fail (const char *method, const char *path, const char *query, const char *body,
               const char *cookie, int status, const char *message)
{
    s_answer_t answer = s_call (method, path, query, body, cookie, NULL);
    if (answer.status != status || s_success (&answer)
    ||  !streq (oa_api_answer_message (&answer), message)) {
        char *text = json_dumps (answer.body, 0);
        fprintf (stderr, "\n%s %s: got %d %s, want %d %s\n", method, path, answer.status, text,
                 status, message);
        free (text);
        assert (false);
    }
    oa_api_answer_clear (&answer);
}

//  Asserts success and returns the answer's "data" (fresh reference).
static json_t *
s_expect_ok (const char *method, const char *path, const char *query, const char *body,
             const char *cookie)
{
    s_answer_t answer = s_call (method, path, query, body, cookie, NULL);
    if (answer.status != 200 || !s_success (&answer)) {
        char *text = json_dumps (answer.body, 0);
        fprintf (stderr, "\n%s %s: got %d %s\n", method, path, answer.status, text);
        free (text);
        assert (false);
    }
    json_t *data = json_incref (json_object_get (answer.body, "data"));
    oa_api_answer_clear (&answer);
    return data;
}

//  Logs in; returns the cookie header (caller frees).
static char *
s_login (const char *username, const char *password)
{
    char *body = zsys_sprintf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
    s_answer_t answer = s_call ("POST", "/api/user/login", NULL, body, NULL, NULL);
    zstr_free (&body);
    assert (s_success (&answer) && answer.cookie);
    char *cookie = answer.cookie;
    answer.cookie = NULL;
    oa_api_answer_clear (&answer);
    return cookie;
}

//  Creates a user as root; returns its uuid (caller frees).
static char *
s_create_user (const char *root, const char *username)
{
    char *body = zsys_sprintf ("{\"username\":\"%s\",\"password\":\"password-%s\"}", username,
                               username);
    json_decref (s_expect_ok ("POST", "/api/user/", NULL, body, root));
    zstr_free (&body);
    char *query = zsys_sprintf ("keyword=%s", username);
    json_t *found = s_expect_ok ("GET", "/api/user/search", query, NULL, root);
    zstr_free (&query);
    assert (json_array_size (found) == 1);
    char *uuid = strdup (json_string_value (json_object_get (json_array_get (found, 0), "uuid")));
    json_decref (found);
    return uuid;
}

//  The status a route answers for these credentials.
static int
s_status (const char *method, const char *path, const char *cookie)
{
    s_answer_t answer = s_call (method, path, NULL, NULL, cookie, NULL);
    int status = answer.status;
    oa_api_answer_clear (&answer);
    return status;
}

static void
s_test_auth (const char *root)
{
    //  Login failures and malformed bodies, as the contract files record.
    s_expect_fail ("POST", "/api/user/login", NULL, "{\"username\":\"root\",\"password\":\"nope\"}",
                   NULL, 200, "Username or password is wrong, or user has been banned");
    s_expect_fail ("POST", "/api/user/login", NULL, "{\"username\":", NULL, 200,
                   "invalid parameter");
    s_expect_fail ("POST", "/api/user/login", NULL, "{\"username\":1,\"password\":\"x\"}", NULL,
                   200, "invalid parameter");
    //  The cookie's attributes.
    s_answer_t answer = s_call ("POST", "/api/user/login", NULL,
                                "{\"username\":\"root\",\"password\":\"123456\"}", NULL, NULL);
    json_t *data = json_object_get (answer.body, "data");
    assert (json_integer_value (json_object_get (data, "role")) == OA_ROLE_ROOT);
    assert (json_is_null (json_object_get (data, "inviter_uuid")));
    assert (!json_object_get (data, "id") && !json_object_get (data, "password"));
    oa_api_answer_clear (&answer);
    //  A tampered or foreign cookie is no session.
    char *tampered = strdup (root);
    tampered [strlen (tampered) - 1] = tampered [strlen (tampered) - 1] == 'a'? 'b': 'a';
    s_expect_fail ("GET", "/api/user/self", NULL, NULL, tampered, 401,
                   "No permission to perform this operation, not logged in and no access token "
                   "provided");
    free (tampered);
    char forged [160];
    snprintf (forged, sizeof forged, "session=1.%" PRId64 ".%064d",
              oa_clock_ms () / 1000 + 3600, 0);
    assert (s_status ("GET", "/api/user/self", forged) == 401);
    //  Access tokens: rotated, then accepted with or without Bearer.
    json_t *token = s_expect_ok ("GET", "/api/user/token", NULL, NULL, root);
    assert (json_is_string (token) && strlen (json_string_value (token)) == 32);
    char *bearer = zsys_sprintf ("Bearer %s", json_string_value (token));
    answer = s_call ("GET", "/api/user/self", NULL, NULL, NULL, bearer);
    assert (answer.status == 200 && s_success (&answer));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/api/option/", NULL, NULL, NULL, json_string_value (token));
    assert (answer.status == 200 && s_success (&answer));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/api/user/self", NULL, NULL, NULL, "Bearer not-a-token");
    assert (answer.status == 401);
    assert (streq (oa_api_answer_message (&answer),
                   "No permission to perform this operation, access token is invalid"));
    oa_api_answer_clear (&answer);
    //  Rotation retires the old token.
    json_decref (s_expect_ok ("GET", "/api/user/token", NULL, NULL, root));
    answer = s_call ("GET", "/api/user/self", NULL, NULL, NULL, bearer);
    assert (answer.status == 401);
    oa_api_answer_clear (&answer);
    zstr_free (&bearer);
    json_decref (token);
    //  Logout clears the cookie.
    answer = s_call ("GET", "/api/user/logout", NULL, NULL, root, NULL);
    assert (s_success (&answer) && answer.cookie && streq (answer.cookie, "session="));
    oa_api_answer_clear (&answer);
}

//  Guest, common, admin, root against a representative set of routes.
static void
s_test_matrix (const char *alice, const char *admin, const char *root)
{
    struct {
        const char *method, *path;
        int guest, common, admin, root;
    } routes [] = {
        { "GET", "/api/user/self", 401, 200, 200, 200 },
        { "GET", "/api/user/dashboard", 401, 200, 200, 200 },
        { "GET", "/api/token/", 401, 200, 200, 200 },
        { "GET", "/api/log/self", 401, 200, 200, 200 },
        { "GET", "/api/log/self/stat", 401, 200, 200, 200 },
        { "GET", "/api/user/", 401, 403, 200, 200 },
        { "GET", "/api/user/search", 401, 403, 200, 200 },
        { "GET", "/api/channel/", 401, 403, 200, 200 },
        { "GET", "/api/channel/models", 401, 403, 200, 200 },
        { "GET", "/api/log/", 401, 403, 200, 200 },
        { "GET", "/api/log/stat", 401, 403, 200, 200 },
        { "GET", "/api/redemption/", 401, 403, 200, 200 },
        { "GET", "/api/admin/tokens/", 401, 403, 200, 200 },
        { "GET", "/api/group/", 401, 403, 200, 200 },
        { "POST", "/api/topup", 401, 403, 200, 200 },
        { "DELETE", "/api/log/", 401, 403, 200, 200 },
        { "GET", "/api/option/", 401, 403, 403, 200 },
        { "PUT", "/api/option/", 401, 403, 403, 400 },
        { "GET", "/api/notice", 200, 200, 200, 200 },
        { "GET", "/api/nothing", 404, 404, 404, 404 },
        { NULL, NULL, 0, 0, 0, 0 }
    };
    for (int index = 0; routes [index].method; index++) {
        const char *cookies [] = { NULL, alice, admin, root };
        int wanted [] = { routes [index].guest, routes [index].common, routes [index].admin,
                          routes [index].root };
        for (int who = 0; who < 4; who++) {
            int status = s_status (routes [index].method, routes [index].path, cookies [who]);
            if (status != wanted [who]) {
                fprintf (stderr, "\n%s %s as %d: %d, want %d\n", routes [index].method,
                         routes [index].path, who, status, wanted [who]);
                assert (false);
            }
        }
    }
}

static void
s_test_users (const char *alice, const char *admin, const char *root, const char *root_uuid,
              const char *bob_uuid)
{
    char path [96];
    //  Admins neither read nor change root or their equals.
    snprintf (path, sizeof path, "/api/user/%s", root_uuid);
    s_expect_fail ("GET", path, NULL, NULL, admin, 200,
                   "No permission to get information of users at the same level or higher");
    s_expect_fail ("DELETE", path, NULL, NULL, admin, 200,
                   "No permission to delete users with the same permission level or higher "
                   "permission level");
    s_expect_fail ("POST", "/api/user/manage", NULL,
                   "{\"username\":\"root\",\"action\":\"disable\"}", admin, 200,
                   "No permission to update user information with the same permission level "
                   "or higher permission level");
    s_expect_fail ("POST", "/api/user/manage", NULL, "{\"username\":\"admin1\",\"action\":"
                   "\"demote\"}", admin, 200, "No permission to update user information with the "
                   "same permission level or higher permission level");
    s_expect_fail ("POST", "/api/user/manage", NULL, "{\"username\":\"root\",\"action\":"
                   "\"disable\"}", root, 200, "Unable to disable super administrator user");
    s_expect_fail ("POST", "/api/user/manage", NULL, "{\"username\":\"ghost\",\"action\":"
                   "\"disable\"}", admin, 200, "User does not exist");
    s_expect_fail ("POST", "/api/user/manage", NULL, "{\"username\":5}", admin, 200,
                   "invalid parameter");
    s_expect_fail ("POST", "/api/user/manage", NULL, "{\"username\":\"bob\",\"action\":"
                   "\"promote\"}", admin, 200, "Ordinary administrator users cannot promote other "
                   "users to administrators");
    s_expect_fail ("POST", "/api/user/", NULL, "{\"username\":\"eve\",\"password\":\"password1\","
                   "\"role\":10}", admin, 200, "Unable to create users with permissions greater "
                   "than or equal to your own");
    s_expect_fail ("POST", "/api/user/", NULL, "{\"username\":\"eve\",\"password\":\"short\"}",
                   admin, 200, "Invalid input, please check your input");
    s_expect_fail ("POST", "/api/user/", NULL, "{\"username\":\"bob\",\"password\":\"password1\"}",
                   admin, 200, "Username already exists");
    s_expect_fail ("GET", "/api/user/00000000-0000-4000-8000-000000000000", NULL, NULL, admin, 200,
                   "resource reference not found");
    //  An admin disables and enables bob; the answer carries role and status.
    json_t *data = s_expect_ok ("POST", "/api/user/manage", NULL,
                                "{\"username\":\"bob\",\"action\":\"disable\"}", admin);
    assert (json_integer_value (json_object_get (data, "status")) == 2);
    assert (streq (json_string_value (json_object_get (data, "username")), ""));
    json_decref (data);
    json_decref (s_expect_ok ("POST", "/api/user/manage", NULL,
                              "{\"username\":\"bob\",\"action\":\"enable\"}", admin));
    //  Admin update of a user, field by field.
    char body [256];
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"quota\":777,\"display_name\":\"Bobby\"}",
              bob_uuid);
    json_decref (s_expect_ok ("PUT", "/api/user/", NULL, body, admin));
    snprintf (path, sizeof path, "/api/user/%s", bob_uuid);
    data = s_expect_ok ("GET", path, NULL, NULL, admin);
    assert (json_integer_value (json_object_get (data, "quota")) == 777);
    assert (streq (json_string_value (json_object_get (data, "display_name")), "Bobby"));
    json_decref (data);
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"role\":10}", bob_uuid);
    s_expect_fail ("PUT", "/api/user/", NULL, body, admin, 200, "No permission to promote other "
                   "users to a permission level greater than or equal to your own");
    s_expect_fail ("PUT", "/api/user/", NULL, "{\"quota\":1}", admin, 200,
                   "resource uuid is required");
    //  Self: update with the validator's message, then a read.
    s_expect_fail ("PUT", "/api/user/self", NULL, "{\"display_name\":"
                   "\"abcdefghijklmnopqrstuvwxyz\"}", alice, 200, "Input is illegal Key: "
                   "'User.DisplayName' Error:Field validation for 'DisplayName' failed on the "
                   "'max' tag");
    s_expect_fail ("PUT", "/api/user/self", NULL, "{\"display_name\":5}", alice, 200,
                   "invalid parameter");
    json_decref (s_expect_ok ("PUT", "/api/user/self", NULL, "{\"display_name\":\"Al\"}", alice));
    data = s_expect_ok ("GET", "/api/user/self", NULL, NULL, alice);
    assert (streq (json_string_value (json_object_get (data, "display_name")), "Al"));
    assert (streq (json_string_value (json_object_get (data, "username")), "alice"));
    assert (!json_object_get (data, "access_token") && !json_object_get (data, "password"));
    json_decref (data);
    s_expect_fail ("DELETE", "/api/user/self", NULL, NULL, root, 200,
                   "Cannot delete super administrator account");
    //  Lists: root sees everyone, never a secret.
    data = s_expect_ok ("GET", "/api/user/", "p=0&size=2", NULL, root);
    assert (json_array_size (data) == 2);
    json_decref (data);
    (void) alice;
}

static void
s_test_tokens (const char *alice, const char *bob, const char *admin)
{
    s_expect_fail ("POST", "/api/token/", NULL, "{\"name\":\"x\",", alice, 200, "unexpected EOF");
    s_expect_fail ("POST", "/api/token/", NULL, "{\"name\":\"x\",\"remain_quota\":\"5\"}", alice,
                   200, "json: cannot unmarshal string into Go struct field Token.remain_quota "
                   "of type int64");
    s_expect_fail ("POST", "/api/token/", NULL, "{\"name\":\"  \"}", alice, 200,
                   "Token name is required");
    s_expect_fail ("POST", "/api/token/", NULL, "{\"name\":\"t\",\"subnet\":\"10.0.0.0/33\"}",
                   alice, 200, "invalid token: invalid network segment: invalid CIDR address: "
                   "10.0.0.0/33");
    json_t *mine = s_expect_ok ("POST", "/api/token/", NULL, "{\"name\":\"alice-key\","
                                "\"remain_quota\":4242,\"expired_time\":-1,\"models\":\"gpt-4o\","
                                "\"subnet\":\"172.16.0.0/12\"}", alice);
    const char *key = json_string_value (json_object_get (mine, "key"));
    assert (key && strncmp (key, "sk-", 3) == 0 && strlen (key) == 51);
    assert (json_integer_value (json_object_get (mine, "remain_quota")) == 4242);
    assert (!json_object_get (mine, "id") && !json_object_get (mine, "user_id"));
    json_t *theirs = s_expect_ok ("POST", "/api/token/", NULL, "{\"name\":\"bob-key\"}", bob);
    const char *their_uuid = json_string_value (json_object_get (theirs, "uuid"));
    const char *their_key = json_string_value (json_object_get (theirs, "key"));
    //  Another user's token: not found to alice, whatever she does.
    char path [96];
    snprintf (path, sizeof path, "/api/token/%s", their_uuid);
    s_answer_t answer = s_call ("GET", path, NULL, NULL, alice, NULL);
    assert (!s_success (&answer)
            && strstr (oa_api_answer_message (&answer), "failed to get token by id="));
    assert (strstr (oa_api_answer_message (&answer), "record not found"));
    oa_api_answer_clear (&answer);
    char body [256];
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"name\":\"stolen\",\"remain_quota\":1}",
              their_uuid);
    answer = s_call ("PUT", "/api/token/", NULL, body, alice, NULL);
    assert (!s_success (&answer));
    oa_api_answer_clear (&answer);
    answer = s_call ("DELETE", path, NULL, NULL, alice, NULL);
    assert (!s_success (&answer));
    oa_api_answer_clear (&answer);
    json_t *still = s_expect_ok ("GET", path, NULL, NULL, bob);
    assert (streq (json_string_value (json_object_get (still, "name")), "bob-key"));
    json_decref (still);
    //  Alice's list and search hold only her tokens; bob's key never shows.
    const char *queries [] = { NULL, "keyword=bob", "keyword=", NULL };
    const char *paths [] = { "/api/token/", "/api/token/search", "/api/token/search" };
    for (int index = 0; index < 3; index++) {
        answer = s_call ("GET", paths [index], queries [index], NULL, alice, NULL);
        assert (s_success (&answer));
        char *text = json_dumps (answer.body, 0);
        assert (!strstr (text, their_key) && !strstr (text, "bob-key"));
        free (text);
        oa_api_answer_clear (&answer);
    }
    //  Update: rename, then status only; the wrong and missing references.
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"name\":\"renamed\",\"remain_quota\":123456,"
              "\"expired_time\":-1,\"status\":1}",
              json_string_value (json_object_get (mine, "uuid")));
    json_t *updated = s_expect_ok ("PUT", "/api/token/", NULL, body, alice);
    assert (streq (json_string_value (json_object_get (updated, "name")), "renamed"));
    assert (json_is_null (json_object_get (updated, "models")));
    json_decref (updated);
    s_expect_fail ("PUT", "/api/token/", NULL, "{\"name\":\"x\"}", alice, 200,
                   "resource uuid is required");
    s_expect_fail ("PUT", "/api/token/", NULL, "{\"uuid\":\"0193a1b2-0000-7000-8000-0000000000aa\","
                   "\"name\":\"x\"}", alice, 200, "resource reference not found");
    s_expect_fail ("PUT", "/api/token/", NULL, "{", alice, 200, "unexpected EOF");
    s_expect_fail ("GET", "/api/token/not-a-ref", NULL, NULL, alice, 200,
                   "resource reference not found");
    s_expect_fail ("GET", "/api/token/abc", NULL, NULL, alice, 200, "invalid resource reference");
    //  The admin's read-only view sees both, keys included.
    answer = s_call ("GET", "/api/admin/tokens/", NULL, NULL, admin, NULL);
    char *text = json_dumps (answer.body, 0);
    assert (strstr (text, their_key));
    free (text);
    oa_api_answer_clear (&answer);
    snprintf (path, sizeof path, "/api/token/%s",
              json_string_value (json_object_get (mine, "uuid")));
    json_decref (s_expect_ok ("DELETE", path, NULL, NULL, alice));
    s_expect_fail ("GET", path, NULL, NULL, alice, 200, "resource reference not found");
    json_decref (mine);
    json_decref (theirs);
}

static void
s_test_channels (const char *alice, const char *admin)
{
    s_expect_fail ("PUT", "/api/channel/", NULL, "{\"name\":", admin, 200,
                   "unmarshal channel payload: unmarshal request body failed: unexpected end of "
                   "JSON input");
    s_expect_fail ("PUT", "/api/channel/", NULL, "{\"type\":\"1\"}", admin, 200,
                   "unmarshal channel payload: unmarshal request body failed: json: cannot "
                   "unmarshal string into Go struct field channelPayload.Channel.type of type int");
    s_expect_fail ("PUT", "/api/channel/", NULL, "{\"name\":\"x\"}", admin, 200,
                   "resource uuid is required");
    s_expect_fail ("POST", "/api/channel/", NULL, "{\"name\":\" \"}", admin, 200,
                   "Channel name is required");
    json_decref (s_expect_ok ("POST", "/api/channel/", NULL, "{\"name\":\"up\",\"type\":1,"
                              "\"key\":\"sk-upstream-secret\",\"models\":\"m1,m2\",\"group\":"
                              "\"default\",\"tooling\":{\"whitelist\":[\"search\"]}}", admin));
    json_t *list = s_expect_ok ("GET", "/api/channel/", NULL, NULL, admin);
    assert (json_array_size (list) == 1);
    json_t *channel = json_array_get (list, 0);
    assert (streq (json_string_value (json_object_get (channel, "key")), ""));
    assert (json_array_size (json_object_get (channel, "test_models")) == 2);
    char *uuid = strdup (json_string_value (json_object_get (channel, "uuid")));
    json_decref (list);
    char path [96];
    snprintf (path, sizeof path, "/api/channel/%s", uuid);
    json_t *got = s_expect_ok ("GET", path, NULL, NULL, admin);
    assert (streq (json_string_value (json_object_get (got, "key")), ""));
    assert (streq (json_string_value (json_object_get (got, "tooling")),
                   "{\"whitelist\":[\"search\"]}"));
    json_decref (got);
    json_t *models = s_expect_ok ("GET", "/api/user/available_models", NULL, NULL, alice);
    assert (json_array_size (models) == 2);
    json_decref (models);
    //  An update rewrites abilities; the key is answered to the admin only here.
    char body [256];
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"name\":\"up2\",\"models\":\"m3\","
              "\"priority\":5}", uuid);
    json_t *updated = s_expect_ok ("PUT", "/api/channel/", NULL, body, admin);
    assert (streq (json_string_value (json_object_get (updated, "key")), "sk-upstream-secret"));
    assert (json_integer_value (json_object_get (updated, "priority")) == 5);
    assert (streq (json_string_value (json_object_get (updated, "group")), "default"));
    json_decref (updated);
    models = s_expect_ok ("GET", "/api/user/available_models", NULL, NULL, alice);
    assert (json_array_size (models) == 1
         && streq (json_string_value (json_array_get (models, 0)), "m3"));
    json_decref (models);
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"status\":2}", uuid);
    json_decref (s_expect_ok ("PUT", "/api/channel/", "status_only=1", body, admin));
    models = s_expect_ok ("GET", "/api/user/available_models", NULL, NULL, alice);
    assert (json_array_size (models) == 0);
    json_decref (models);
    json_t *deleted = s_expect_ok ("DELETE", "/api/channel/disabled", NULL, NULL, admin);
    assert (json_integer_value (deleted) == 1);
    json_decref (deleted);
    s_expect_fail ("GET", path, NULL, NULL, admin, 200, "resource reference not found");
    free (uuid);
}

static void
s_test_options_logs (oa_store_t *store, const char *alice, const char *bob, const char *root)
{
    s_expect_fail ("PUT", "/api/option/", NULL, "{\"key\":\"GroupRatio\",\"value\":\"{bad\"}",
                   root, 200, "update group ratio configuration: string or '}' expected near "
                   "'bad'");
    s_expect_fail ("PUT", "/api/option/", NULL, "{\"key\":\"Theme\",\"value\":\"pink\"}", root, 200,
                   "invalid theme");
    s_expect_fail ("PUT", "/api/option/", NULL, "{\"key\":\"QuotaForNewUser\",\"value\":\"x\"}",
                   root, 200, "invalid value for QuotaForNewUser: expected an integer");
    s_expect_fail ("PUT", "/api/option/", NULL, "{\"key\":\"Notice\",\"value\":5}", root, 400,
                   "invalid parameter");
    json_decref (s_expect_ok ("PUT", "/api/option/", NULL, "{\"key\":\"GroupRatio\",\"value\":"
                              "\"{\\\"default\\\":1,\\\"vip\\\":2}\"}", root));
    json_decref (s_expect_ok ("PUT", "/api/option/", NULL, "{\"key\":\"SMTPToken\",\"value\":"
                              "\"secret-smtp\"}", root));
    json_t *options = s_expect_ok ("GET", "/api/option/", NULL, NULL, root);
    char *text = json_dumps (options, 0);
    assert (!strstr (text, "secret-smtp") && !strstr (text, "SMTPToken"));
    assert (strstr (text, "\\\"vip\\\":2"));
    free (text);
    json_decref (options);
    json_t *groups = s_expect_ok ("GET", "/api/group/", NULL, NULL, root);
    assert (json_array_size (groups) == 2);
    json_decref (groups);
    //  Logs: each user sees only their own.
    oa_user_t *user = NULL;
    assert (oa_store_user_by_username (store, "alice", &user) == 1);
    int64_t alice_id = user->id;
    oa_user_destroy (&user);
    assert (oa_store_user_by_username (store, "bob", &user) == 1);
    int64_t bob_id = user->id;
    oa_user_destroy (&user);
    int64_t now = oa_clock_ms () / 1000;
    const char *sql = "INSERT INTO \"logs\" (\"user_id\", \"uuid\", \"username\", \"created_at\", "
                      "\"type\", \"content\", \"quota\", \"model_name\", \"metadata\") VALUES "
                      "($1, $2, $3, $4, 2, $5, $6, 'gpt-4o', '{\"cache_write_tokens\":7}')";
    for (int index = 0; index < 2; index++) {
        char uuid [OA_UUID_SIZE];
        oa_uuid_new (uuid);
        oa_stmt_t *stmt = oa_store_prepare (store, sql);
        assert (stmt);
        oa_stmt_bind_int64 (stmt, 1, index? bob_id: alice_id);
        oa_stmt_bind_text (stmt, 2, uuid);
        oa_stmt_bind_text (stmt, 3, index? "bob": "alice");
        oa_stmt_bind_int64 (stmt, 4, now);
        oa_stmt_bind_text (stmt, 5, index? "bob private content": "alice content");
        oa_stmt_bind_int64 (stmt, 6, index? 20: 10);
        assert (oa_stmt_exec (stmt) == 0);
    }
    s_answer_t answer = s_call ("GET", "/api/log/self", NULL, NULL, alice, NULL);
    assert (json_integer_value (json_object_get (answer.body, "total")) == 1);
    json_t *row = json_array_get (json_object_get (answer.body, "data"), 0);
    assert (json_integer_value (json_object_get (json_object_get (row, "metadata"),
                                                 "cache_write_tokens")) == 7);
    assert (!json_object_get (row, "channel_name"));
    oa_api_answer_clear (&answer);
    answer = s_call ("GET", "/api/log/self/search", "keyword=private", NULL, alice, NULL);
    assert (json_array_size (json_object_get (answer.body, "data")) == 0);
    oa_api_answer_clear (&answer);
    json_t *stat = s_expect_ok ("GET", "/api/log/self/stat", NULL, NULL, bob);
    assert (json_integer_value (json_object_get (stat, "quota")) == 20);
    json_decref (stat);
    stat = s_expect_ok ("GET", "/api/log/stat", NULL, NULL, root);
    assert (json_integer_value (json_object_get (stat, "quota")) == 30);
    json_decref (stat);
    answer = s_call ("GET", "/api/log/", "type=2", NULL, root, NULL);
    assert (json_integer_value (json_object_get (answer.body, "total")) == 2);
    oa_api_answer_clear (&answer);
    s_expect_fail ("GET", "/api/log/", "channel=0193a1b2-0000-7000-8000-0000000000aa", NULL, root,
                   200, "resource reference not found");
    s_expect_fail ("GET", "/api/log/", "sort=quota&start_timestamp=1&end_timestamp=99999999",
                   NULL, root, 200, "Date range for sorting cannot exceed 30 days");
    s_expect_fail ("DELETE", "/api/log/", NULL, NULL, root, 200, "target timestamp is required");
    json_t *purged = s_expect_ok ("DELETE", "/api/log/", "target_timestamp=1", NULL, root);
    assert (json_integer_value (purged) == 0);
    json_decref (purged);
}

static void
s_test_redemptions (const char *alice, const char *root)
{
    s_expect_fail ("POST", "/api/redemption/", NULL, "{\"name\":\"gift\",\"count\":0}", root, 200,
                   "The number of redemption codes must be greater than 0");
    json_t *keys = s_expect_ok ("POST", "/api/redemption/", NULL, "{\"name\":\"gift\",\"count\":2,"
                                "\"quota\":5000}", root);
    assert (json_array_size (keys) == 2);
    json_t *before = s_expect_ok ("GET", "/api/user/self", NULL, NULL, alice);
    char body [128];
    snprintf (body, sizeof body, "{\"key\":\"%s\"}", json_string_value (json_array_get (keys, 0)));
    json_t *quota = s_expect_ok ("POST", "/api/user/topup", NULL, body, alice);
    assert (json_integer_value (quota) == 5000);
    json_decref (quota);
    s_expect_fail ("POST", "/api/user/topup", NULL, body, alice, 200,
                   "Redeem failed: The redemption code has been used");
    json_t *after = s_expect_ok ("GET", "/api/user/self", NULL, NULL, alice);
    assert (json_integer_value (json_object_get (after, "quota"))
         == json_integer_value (json_object_get (before, "quota")) + 5000);
    json_decref (before);
    json_decref (after);
    json_t *list = s_expect_ok ("GET", "/api/redemption/", NULL, NULL, root);
    assert (json_array_size (list) == 2);
    char *uuid = strdup (json_string_value (json_object_get (json_array_get (list, 0), "uuid")));
    json_decref (list);
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"name\":\"\"}", uuid);
    s_expect_fail ("PUT", "/api/redemption/", NULL, body, root, 200,
                   "Redemption name cannot be empty");
    s_expect_fail ("PUT", "/api/redemption/", NULL, "{\"quota\":\"1\"}", root, 200,
                   "json: cannot unmarshal string into Go struct field Redemption.quota of type "
                   "int64");
    snprintf (body, sizeof body, "{\"uuid\":\"%s\",\"name\":\"renamed\",\"quota\":5150}", uuid);
    json_t *updated = s_expect_ok ("PUT", "/api/redemption/", NULL, body, root);
    assert (json_integer_value (json_object_get (updated, "quota")) == 5150);
    json_decref (updated);
    free (uuid);
    json_decref (keys);
}

static void
s_test_app (oa_store_t *store, const oa_config_t *config)
{
    s_app = oa_api_app_new (store, config, NULL);
    char *root = s_login ("root", "123456");
    json_t *self = s_expect_ok ("GET", "/api/user/self", NULL, NULL, root);
    char *root_uuid = strdup (json_string_value (json_object_get (self, "uuid")));
    json_decref (self);
    s_test_auth (root);
    free (root);
    root = s_login ("root", "123456");
    char *admin_uuid = s_create_user (root, "admin1");
    char *alice_uuid = s_create_user (root, "alice");
    char *bob_uuid = s_create_user (root, "bob");
    json_decref (s_expect_ok ("POST", "/api/user/manage", NULL,
                              "{\"username\":\"admin1\",\"action\":\"promote\"}", root));
    char *admin = s_login ("admin1", "password-admin1");
    char *alice = s_login ("alice", "password-alice");
    char *bob = s_login ("bob", "password-bob");
    //  Registration made a default token for each.
    json_t *tokens = s_expect_ok ("GET", "/api/token/", NULL, NULL, alice);
    assert (json_array_size (tokens) == 1);
    json_decref (tokens);
    s_test_matrix (alice, admin, root);
    s_test_users (alice, admin, root, root_uuid, bob_uuid);
    s_test_tokens (alice, bob, admin);
    s_test_channels (alice, admin);
    s_test_options_logs (store, alice, bob, root);
    s_test_redemptions (alice, root);
    //  Registration, and a banned user's session stops working at once.
    s_expect_fail ("POST", "/api/user/register", NULL, "{\"username\":\"carol\",\"password\":"
                   "\"short\"}", NULL, 200, "Invalid input, please check your input");
    s_expect_fail ("POST", "/api/user/register", NULL, "{\"username\":\"alice\",\"password\":"
                   "\"password1\"}", NULL, 200, "Username already exists");
    json_decref (s_expect_ok ("POST", "/api/user/register", NULL, "{\"username\":\"carol\","
                              "\"password\":\"password1\"}", NULL));
    json_decref (s_expect_ok ("POST", "/api/user/manage", NULL,
                              "{\"username\":\"alice\",\"action\":\"disable\"}", root));
    s_expect_fail ("GET", "/api/user/self", NULL, NULL, alice, 403, "User has been banned");
    s_expect_fail ("POST", "/api/user/login", NULL, "{\"username\":\"alice\",\"password\":"
                   "\"password-alice\"}", NULL, 200,
                   "Username or password is wrong, or user has been banned");
    if (s_verbose)
        printf (" app (%s, %" PRIu64 " changes)", oa_store_driver_name (store),
                oa_api_published (s_app));
    assert (oa_api_published (s_app) > 10);
    free (root);
    free (admin);
    free (alice);
    free (bob);
    free (root_uuid);
    free (admin_uuid);
    free (alice_uuid);
    free (bob_uuid);
    oa_api_app_destroy (&s_app);
}

//  Receives one message within 5 s.
static oa_msg_t *
s_recv (zsock_t *socket)
{
    zpoller_t *poller = zpoller_new (socket, NULL);
    void *which = zpoller_wait (poller, 5000);
    zpoller_destroy (&poller);
    assert (which == socket);
    int err = 0;
    oa_msg_t *msg = oa_msg_recv (zsock_resolve (socket), 0, &err);
    assert (msg);
    return msg;
}

static oa_msg_t *
s_request (zsock_t *dealer, const char *method, const char *path, const char *body,
           const char *cookie)
{
    oa_msg_t *request = oa_msg_new (OA_MSG_API_REQUEST);
    oa_msg_set_request_id (request, "20260101000000123456789012345678");
    oa_msg_set_method (request, method);
    oa_msg_set_path (request, path);
    if (cookie)
        oa_msg_headers_insert (request, "cookie", cookie);
    if (body)
        oa_msg_set_payload_bytes (request, body, strlen (body));
    assert (oa_msg_send (request, zsock_resolve (dealer), 0) == 0);
    oa_msg_destroy (&request);
    return s_recv (dealer);
}

//  The actors over inproc: a write through the API shows on the PUB.
static void
s_test_actors (const char *sql_dsn, const char *sqlite_path)
{
    char err [256];
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    char bind [64], pub [64];
    snprintf (bind, sizeof bind, "inproc://oa-api-test-%d", getpid ());
    snprintf (pub, sizeof pub, "inproc://oa-api-test-pub-%d", getpid ());
    const struct { char **field; const char *value; } sets [] = {
        { &config->sql_dsn, sql_dsn? sql_dsn: "" }, { &config->sqlite_path, sqlite_path },
        { &config->ledger_bind, bind }, { &config->ledger_pub_bind, pub }
    };
    for (size_t index = 0; index < sizeof sets / sizeof sets [0]; index++) {
        free (*sets [index].field);
        *sets [index].field = strdup (sets [index].value? sets [index].value: "");
    }
    zactor_t *ledger = zactor_new (oa_ledger_actor, config);
    zactor_t *api = zactor_new (oa_api_actor, config);
    assert (ledger && api);
    //  Wait for both stores and the ledger's sockets.
    for (int attempt = 0; attempt < 200; attempt++) {
        zstr_send (ledger, "SYNC");
        char *sync = zstr_recv (ledger);
        zstr_send (api, OA_ACTOR_STATUS);
        char *status = zstr_recv (api);
        bool ready = sync && !streq (sync, "NONE") && status && streq (status, "READY");
        zstr_free (&sync);
        zstr_free (&status);
        if (ready)
            break;
        zclock_sleep (50);
    }
    char endpoint [64];
    assert (oa_endpoints_api (bind, endpoint, sizeof endpoint) == 0);
    assert (streq (endpoint, "inproc://oneapi-api"));
    zsock_t *dealer = zsock_new_dealer (endpoint);
    zsock_t *sub = zsock_new_sub (pub, "");
    assert (dealer && sub);
    zclock_sleep (100);          //  the subscription reaches the PUB
    oa_msg_t *reply = s_request (dealer, "POST", "/api/user/login",
                                 "{\"username\":\"root\",\"password\":\"123456\"}", NULL);
    assert (oa_msg_id (reply) == OA_MSG_API_REPLY && oa_msg_status (reply) == 200);
    const char *set_cookie = oa_msg_headers_lookup (reply, "set-cookie");
    assert (set_cookie && strstr (set_cookie, "HttpOnly"));
    assert (strstr (set_cookie, "SameSite=Strict"));
    char *cookie = strndup (set_cookie, strcspn (set_cookie, ";"));
    oa_msg_destroy (&reply);
    reply = s_request (dealer, "POST", "/api/token/", "{\"name\":\"published\"}", cookie);
    assert (oa_msg_status (reply) == 200);
    zframe_t *payload = oa_msg_payload (reply);
    assert (payload && memmem (zframe_data (payload), zframe_size (payload), "\"success\":true",
                               14));
    oa_msg_destroy (&reply);
    oa_msg_t *change = s_recv (sub);
    assert (oa_msg_id (change) == OA_MSG_CHANGE);
    assert (streq (oa_msg_table (change), "tokens") && oa_msg_op (change) == OA_MSG_OP_UPSERT);
    payload = oa_msg_payload (change);
    assert (memmem (zframe_data (payload), zframe_size (payload), "\"published\"", 11));
    oa_msg_destroy (&change);
    //  Guests get 401 through the actor too.
    reply = s_request (dealer, "GET", "/api/user/self", NULL, NULL);
    assert (oa_msg_status (reply) == 401);
    oa_msg_destroy (&reply);
    zstr_send (api, "STATS");
    char *stats = zstr_recv (api);
    assert (stats && strstr (stats, "requests=3"));
    zstr_free (&stats);
    zstr_send (api, OA_ACTOR_DRAIN);
    char *drained = zstr_recv (api);
    assert (drained && streq (drained, OA_ACTOR_DRAINED));
    zstr_free (&drained);
    free (cookie);
    zsock_destroy (&dealer);
    zsock_destroy (&sub);
    zactor_destroy (&api);
    zactor_destroy (&ledger);
    oa_config_destroy (&config);
}

static void
s_test_on (bool pg, bool verbose)
{
    s_verbose = verbose;
    char *where = pg? oa_store_testdb_create (): oa_store_testdb_sqlite_path ();
    char err [256];
    oa_store_t *store = oa_store_open (pg? where: NULL, pg? NULL: where, err, sizeof err);
    assert (store);
    assert (oa_schema_migrate (store, err, sizeof err) == 0);
    assert (oa_store_bootstrap (store, NULL, NULL, err, sizeof err) >= 0);
    oa_config_t *config = oa_config_load (err, sizeof err);
    assert (config);
    s_test_app (store, config);
    oa_config_destroy (&config);
    oa_store_destroy (&store);
    //  The actors on a fresh database of the same driver.
    if (pg)
        oa_store_testdb_drop (&where);
    else
        oa_store_testdb_sqlite_remove (&where);
    where = pg? oa_store_testdb_create (): oa_store_testdb_sqlite_path ();
    s_test_actors (pg? where: NULL, pg? NULL: where);
    if (pg)
        oa_store_testdb_drop (&where);
    else
        oa_store_testdb_sqlite_remove (&where);
}

void
oa_api_test (bool verbose)
{
    s_test_on (false, verbose);
}

void
oa_api_pg_test (bool verbose)
{
    s_test_on (true, verbose);
}
