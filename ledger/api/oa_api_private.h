/*  =========================================================================
    oa_api_private - what the management API's files share

    One request is an oa_api_req_t (borrowed strings of the API_REQUEST plus
    the authenticated caller); a handler fills an oa_api_res_t.  Handlers
    answer one-api's envelope {"success","message","data"}: application
    errors are HTTP 200 with success false, as one-api's helper.RespondError
    does; only authentication answers 401/403.
    =========================================================================
*/
#ifndef OA_API_PRIVATE_H_INCLUDED
#define OA_API_PRIVATE_H_INCLUDED

#include <czmq.h>
#include <jansson.h>

#include "oa_config.h"
#include "oa_records.h"
#include "oa_store.h"

//  Shared one-api messages (controller/messages.go, common/idresolve).
#define OA_API_INVALID_PARAMETER "invalid parameter"
#define OA_API_INVALID_INPUT "Invalid input, please check your input"
#define OA_API_INVALID_REF "invalid resource reference"
#define OA_API_REF_NOT_FOUND "resource reference not found"
#define OA_API_UUID_REQUIRED "resource uuid is required"
#define OA_API_USERNAME_TAKEN "Username already exists"

//  one-api's DefaultItemsPerPage.
#define OA_API_DEFAULT_PAGE_SIZE 10
//  Longest request body read (the gateway limits bodies too).
#define OA_API_MAX_BODY (4 * 1024 * 1024)

typedef struct _oa_api_app_t oa_api_app_t;

//  One request.  Strings are borrowed from the API_REQUEST unless noted.
typedef struct {
    const char *method;         //  GET, POST, PUT, DELETE
    const char *path;           //  without the query
    const char *query;          //  raw query string, "" when none
    const char *body;           //  request body (not terminated); may be NULL
    size_t body_size;           //  bytes of body
    const char *client_ip;      //  "" when unknown
    const char *cookie;         //  Cookie header, or NULL
    const char *authorization;  //  Authorization header, or NULL
    const char *api_key;        //  x-api-key, else api-key header (relay keys), or NULL
    const char *request_id;     //  the gateway's X-Oneapi-Request-Id, "" when unknown
    const char *probe;          //  x-oneapi-probe: a channel test's outcome, set only
                                //  by the gateway (clients' headers never carry it)
    char *param;                //  the route's :id segment; owned
    oa_user_t *user;            //  the authenticated caller; owned; NULL on public routes
    zhashx_t *args;             //  decoded query parameters; owned, built on first use
} oa_api_req_t;

//  One reply.
typedef struct {
    int status;                 //  HTTP status
    json_t *body;               //  JSON body; owned
    char *set_cookie;           //  Set-Cookie value, or NULL; owned
    char *probe;                //  x-oneapi-probe value: body is a channel test for
                                //  the gateway to run, not the client's answer; owned
} oa_api_res_t;

//  A bound SQL parameter for the list helpers.
typedef struct {
    bool text;                  //  text (s) or integer (i)
    const char *s;              //  text value; borrowed
    int64_t i;                  //  integer value
} oa_api_param_t;

//  How a selected column becomes a JSON value.
typedef enum {
    OA_API_STR,                 //  text; NULL -> ""
    OA_API_PSTR,                //  text; NULL -> null (Go *string)
    OA_API_CHAR,                //  char(n), blanks trimmed; NULL -> ""
    OA_API_PCHAR,               //  char(n), blanks trimmed; NULL or "" -> null
    OA_API_INT,                 //  integer; NULL -> 0
    OA_API_PINT,                //  integer; NULL -> null (Go *int)
    OA_API_BOOL,                //  boolean
    OA_API_REAL,                //  double
    OA_API_KEY,                 //  token key: TOKEN_KEY_PREFIX + key without sk-/laisky-
    OA_API_STR_LIST,            //  JSON array text; NULL or bad -> []
    OA_API_USER_META,           //  users.metadata -> {"password_locked":true} or {}
    OA_API_JSON_OMIT,           //  JSON object text; omitted when NULL, empty or bad
    OA_API_STR_OMIT             //  text; omitted when NULL or ""
} oa_api_kind_t;

//  One column of a view: the JSON name, its SQL expression, its kind.
typedef struct {
    const char *name;           //  JSON key; NULL ends the view
    const char *sql;            //  SQL expression
    oa_api_kind_t kind;         //  conversion
} oa_api_column_t;

//  A handler.
typedef void (oa_api_handler_fn) (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res);

//  --------------------------------------------------------------------------
//  The application (oa_api_app.c)

//  Creates the application over an open store.  publish (borrowed, may be
//  NULL) is the PUSH socket to the ledger actor.  config is borrowed.
oa_api_app_t *
    oa_api_app_new (oa_store_t *store, const oa_config_t *config, zsock_t *publish);
void
    oa_api_app_destroy (oa_api_app_t **self_p);

//  Answers one request (routing, authentication, handler).  res is filled;
//  the caller frees res->body and res->set_cookie.
void
    oa_api_app_handle (oa_api_app_t *self, oa_api_req_t *req, oa_api_res_t *res);

//  Hands the application a reopened store (borrowed, as the first one);
//  the caller destroys the old one afterwards.
void
    oa_api_app_set_store (oa_api_app_t *self, oa_store_t *store);

//  The channel sweep's lock (oa_api_probe.c): returns where the lease's end
//  (monotonic ms, 0 = no sweep) is kept, and sets *left to where the count
//  of channels still to report is kept.
int64_t *
    oa_api_sweep_state (oa_api_app_t *self, int64_t **left);

//  Borrowed parts.
oa_store_t *
    oa_api_store (oa_api_app_t *self);
const oa_config_t *
    oa_api_config (oa_api_app_t *self);

//  Announces a committed change to gateways: table, OA_MSG_OP_UPSERT or
//  OA_MSG_OP_DELETE, the row in the snapshot's format.  Without a publish
//  socket it is only counted.
void
    oa_api_publish (oa_api_app_t *self, const char *table, int op, json_t *row);

//  Publishes the current row of tokens, users or channels with this id
//  (read back, so columns written by billing are current).
void
    oa_api_publish_id (oa_api_app_t *self, const char *table, int64_t id);

//  Counters.
uint64_t
    oa_api_published (oa_api_app_t *self);

//  The HMAC key of session cookies.  Borrowed.
const unsigned char *
    oa_api_secret (oa_api_app_t *self, size_t *size);

//  --------------------------------------------------------------------------
//  Replies and input (oa_api_util.c)

//  {"success":true,"message":"","data":data} (data stolen; NULL = no data).
void
    oa_api_ok (oa_api_res_t *res, json_t *data);
//  The same with "total".
void
    oa_api_ok_total (oa_api_res_t *res, json_t *data, int64_t total);
//  {"success":false,"message":...} with an HTTP status.
void
    oa_api_fail (oa_api_res_t *res, int status, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));
//  A store failure: logged, answered as an error.
void
    oa_api_fail_store (oa_api_app_t *app, oa_api_res_t *res, const char *what);

//  A decoded query parameter, or NULL.  Borrowed from req.
const char *
    oa_api_arg (oa_api_req_t *req, const char *name);
//  A query parameter as Go's strconv.Atoi/ParseInt would read it (0 when
//  absent or not a number).
int64_t
    oa_api_arg_int (oa_api_req_t *req, const char *name);
//  Paging: p (0-based, negative -> 0) and size (default 10, at most
//  MAX_ITEMS_PER_PAGE).  Writes the offset and limit.
void
    oa_api_paging (oa_api_app_t *app, oa_api_req_t *req, const char *size_name,
                   int64_t *offset, int64_t *limit);
//  An ORDER BY clause from ?sort= and ?order= against allowed column names
//  (NULL-terminated); default "\"id\" DESC".  Returns a static-lifetime or
//  req-owned string (valid until the request ends).
const char *
    oa_api_order (oa_api_req_t *req, const char *sort, const char *order,
                  const char *const *allowed);

//  Field types of a Go struct that a body is decoded into.
typedef enum {
    OA_API_GO_INT,              //  int
    OA_API_GO_INT64,            //  int64
    OA_API_GO_UINT,             //  uint (*uint)
    OA_API_GO_UINT64,           //  uint64 (*uint64)
    OA_API_GO_FLOAT,            //  float64
    OA_API_GO_STRING,           //  string (*string)
    OA_API_GO_BOOL,             //  bool
    OA_API_GO_ANY               //  json.RawMessage or anything
} oa_api_go_t;

//  One field of such a struct.
typedef struct {
    const char *name;           //  JSON key; NULL ends the list
    oa_api_go_t type;           //  Go type
} oa_api_field_t;

//  Parses the body as encoding/json would decode it into a struct named
//  go_name with these fields.  Returns the object (caller decrefs), or NULL
//  with Go's message in error: "unexpected EOF", "EOF", "invalid character
//  ...", or "json: cannot unmarshal <kind> into Go struct field
//  <go_name>.<field> of type <type>".  unmarshal selects json.Unmarshal's
//  wording ("unexpected end of JSON input") over json.Decoder's.
json_t *
    oa_api_decode (oa_api_req_t *req, const char *go_name, const oa_api_field_t *fields,
                   bool unmarshal, char *error, size_t error_size);

//  Field readers of a decoded object (absent or null -> fallback).
const char *
    oa_api_str (json_t *object, const char *name, const char *fallback);
int64_t
    oa_api_int (json_t *object, const char *name, int64_t fallback);
bool
    oa_api_bool (json_t *object, const char *name, bool fallback);
//  True when the key is present and not null.
bool
    oa_api_has (json_t *object, const char *name);

//  Number of UTF-8 characters (Go's utf8.RuneCountInString).
size_t
    oa_api_runes (const char *text);
//  A fresh copy of text without leading and trailing white space.
char *
    oa_api_trim (const char *text);
//  True for a canonical 36-character uuid (8-4-4-4-12 hex).
bool
    oa_api_is_uuid (const char *text);

//  Resolves a route or body reference to a row id of table: a uuid (one-api)
//  or, as an extension, a positive decimal id.  Returns 1 with *id set, 0
//  with the one-api message in res (invalid reference / not found), -1 on a
//  store error (answered).
int
    oa_api_resolve (oa_api_app_t *app, oa_api_res_t *res, const char *table,
                    const char *ref, int64_t *id);

//  Selects rows of a view: "SELECT <columns> <from_where> ORDER BY <order>
//  LIMIT <limit> OFFSET <offset>" (no LIMIT when limit < 0).  Returns a JSON
//  array (caller decrefs), or NULL on a store error.
json_t *
    oa_api_select (oa_api_app_t *app, const oa_api_column_t *view, const char *from_where,
                   const oa_api_param_t *params, int count, const char *order,
                   int64_t limit, int64_t offset);
//  The first row of such a select, or NULL (*found false when there is
//  none; a store error leaves *found true and returns NULL).
json_t *
    oa_api_select_one (oa_api_app_t *app, const oa_api_column_t *view, const char *from_where,
                       const oa_api_param_t *params, int count, bool *found);
//  "SELECT COUNT(*) <from_where>"; -1 on error.
int64_t
    oa_api_count (oa_api_app_t *app, const char *from_where, const oa_api_param_t *params,
                  int count);
//  Runs one write statement with parameters; returns the rows changed, or
//  -1 on error (*errcode set when given).
int64_t
    oa_api_exec (oa_api_app_t *app, const char *sql, const oa_api_param_t *params, int count,
                 oa_store_errcode_t *errcode);

//  Reads options.value of key, or fallback when unset.  Caller owns.
char *
    oa_api_option (oa_api_app_t *app, const char *key, const char *fallback);
//  The same read as a boolean ("true").
bool
    oa_api_option_bool (oa_api_app_t *app, const char *key, bool fallback);
//  The same read as an integer.
int64_t
    oa_api_option_int (oa_api_app_t *app, const char *key, int64_t fallback);

//  Appends a row to logs (type 1 topup, 3 manage, 4 system) for user_id.
void
    oa_api_log (oa_api_app_t *app, int64_t user_id, int type, const char *content,
                int64_t quota);

//  one-api's common.LogQuota: "$<usd>" with 6 decimals, or "<n> point(s)"
//  when DisplayInCurrencyEnabled is false.  Caller owns.
char *
    oa_api_log_quota (oa_api_app_t *app, int64_t quota);

//  --------------------------------------------------------------------------
//  Views (oa_api_views.c)

extern const oa_api_column_t oa_api_user_view [];
extern const oa_api_column_t oa_api_token_view [];
extern const oa_api_column_t oa_api_channel_view [];
extern const oa_api_column_t oa_api_channel_secret_view [];
extern const oa_api_column_t oa_api_log_view [];
extern const oa_api_column_t oa_api_redemption_view [];

//  The snapshot/change row of table ("tokens", "users", "channels") with
//  id, or NULL when there is none or on error.
json_t *
    oa_api_change_row (oa_api_app_t *app, const char *table, int64_t id);
//  The abilities rows of one channel in the change format (a JSON array),
//  or NULL on error.
json_t *
    oa_api_ability_rows (oa_api_app_t *app, int64_t channel_id);

//  --------------------------------------------------------------------------
//  Handlers, one file per resource

//  oa_api_session.c: authentication and sign-in.
//  Authenticates req (cookie, then access token) and checks min_role.
//  Returns true with req->user set, or false with the 401/403 answer in res.
bool
    oa_api_authenticate (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res,
                         int min_role);
oa_api_handler_fn oa_api_login;
oa_api_handler_fn oa_api_logout;
oa_api_handler_fn oa_api_register;
oa_api_handler_fn oa_api_access_token;
//  Signs a session cookie for user (fresh Set-Cookie value).
char *
    oa_api_session_cookie (oa_api_app_t *app, const oa_user_t *user);

//  oa_api_users.c
oa_api_handler_fn oa_api_user_self;
oa_api_handler_fn oa_api_user_self_update;
oa_api_handler_fn oa_api_user_self_delete;
oa_api_handler_fn oa_api_user_aff;
oa_api_handler_fn oa_api_user_dashboard;
oa_api_handler_fn oa_api_user_available_models;
oa_api_handler_fn oa_api_users_list;
oa_api_handler_fn oa_api_users_search;
oa_api_handler_fn oa_api_user_get;
oa_api_handler_fn oa_api_user_create;
oa_api_handler_fn oa_api_user_delete;
oa_api_handler_fn oa_api_user_manage;
//  oa_api_users_admin.c
oa_api_handler_fn oa_api_user_update;
oa_api_handler_fn oa_api_topup;
//  Inserts a user as one-api's User.Insert does (hash, quota for new
//  users, access token, aff code, a default unlimited token).  password is
//  the clear text.  Returns 0, -2 when the username is taken, -1 on error.
int
    oa_api_user_insert (oa_api_app_t *app, oa_user_t *user, const char *password,
                        int64_t inviter_id);

//  Writes a fresh 48-character relay key (one-api's random.GenerateKey)
//  into out (49 bytes).
void
    oa_api_new_token_key (char *out);

//  oa_api_tokens.c
oa_api_handler_fn oa_api_tokens_list;
oa_api_handler_fn oa_api_tokens_search;
oa_api_handler_fn oa_api_token_get;
oa_api_handler_fn oa_api_token_create;
oa_api_handler_fn oa_api_token_update;
oa_api_handler_fn oa_api_token_delete;
oa_api_handler_fn oa_api_admin_tokens_list;
oa_api_handler_fn oa_api_admin_tokens_search;
oa_api_handler_fn oa_api_admin_token_get;

//  oa_api_channels.c
oa_api_handler_fn oa_api_channels_list;
oa_api_handler_fn oa_api_channels_search;
oa_api_handler_fn oa_api_channel_get;
oa_api_handler_fn oa_api_channel_create;
oa_api_handler_fn oa_api_channel_update;
oa_api_handler_fn oa_api_channel_delete;
oa_api_handler_fn oa_api_channel_delete_disabled;
oa_api_handler_fn oa_api_channel_models;
//  Sets a channel's status (1 enabled, 2 manually, 3 automatically
//  disabled), rewrites abilities and publishes both.  0, or -1 on a store
//  error (the store's message stays readable).
int
    oa_api_channel_set_status (oa_api_app_t *app, int64_t id, int64_t status);

//  oa_api_options.c
oa_api_handler_fn oa_api_options_get;
oa_api_handler_fn oa_api_option_update;
oa_api_handler_fn oa_api_groups;

//  oa_api_logs.c
oa_api_handler_fn oa_api_logs_list;
oa_api_handler_fn oa_api_logs_search;
oa_api_handler_fn oa_api_logs_stat;
oa_api_handler_fn oa_api_logs_delete;
oa_api_handler_fn oa_api_logs_self;
oa_api_handler_fn oa_api_logs_self_search;
oa_api_handler_fn oa_api_logs_self_stat;

//  oa_api_keyauth.c and oa_api_relay.c: routes authenticated by a relay key
//  (one-api's TokenAuth) rather than a session.
//  The caller of a relay-key route.
typedef struct {
    oa_token_t *token;          //  the key's row; owned
    oa_user_t *user;            //  its owner; owned
} oa_api_relay_t;

//  Authenticates the relay key of req (Authorization, x-api-key, api-key)
//  as one-api's TokenAuth does.  Returns true with relay filled (caller
//  clears it), or false with one-api's {"error":{...}} answer in res.
bool
    oa_api_relay_auth (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res,
                       oa_api_relay_t *relay);
//  Frees what relay holds.
void
    oa_api_relay_clear (oa_api_relay_t *relay);
//  The relay shape {"error":{"message":"<text> (request id: <id>)","type":
//  "one_api_error"}} with an HTTP status.
void
    oa_api_relay_fail (oa_api_req_t *req, oa_api_res_t *res, int status, const char *format,
                       ...) __attribute__ ((format (printf, 4, 5)));
oa_api_handler_fn oa_api_token_consume;
oa_api_handler_fn oa_api_token_balance;
oa_api_handler_fn oa_api_token_transactions;
oa_api_handler_fn oa_api_token_logs;

//  oa_api_dashboard.c
oa_api_handler_fn oa_api_billing_subscription;
oa_api_handler_fn oa_api_billing_usage;

//  oa_api_probe.c: /api/channel/test, /api/channel/test/:id
oa_api_handler_fn oa_api_channel_test;
oa_api_handler_fn oa_api_channels_test;

//  oa_api_logs.c: the logs of one token of a user (GET /api/token/logs).
void
    oa_api_logs_of_token (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res,
                          int64_t user_id, const char *token_name);

//  oa_api_redemptions.c
oa_api_handler_fn oa_api_redemptions_list;
oa_api_handler_fn oa_api_redemptions_search;
oa_api_handler_fn oa_api_redemption_get;
oa_api_handler_fn oa_api_redemption_create;
oa_api_handler_fn oa_api_redemption_update;
oa_api_handler_fn oa_api_redemption_delete;
oa_api_handler_fn oa_api_user_topup;

#endif
