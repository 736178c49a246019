/*  =========================================================================
    oa_api_relay - routes authenticated by a relay key: one-api's external
    billing (POST /api/token/consume with its pre / post / cancel / single
    phases, GET /api/token/balance, /api/token/transactions,
    /api/token/logs)

    Usage outside the gateway is charged to the same quota as relayed
    requests: the token's remain_quota and used_quota, the owner's quota,
    a tool log row (type 7), and a token_transactions row.  Each call is
    one database transaction with relative updates, so it composes with the
    ledger's settlement batches; the token and user rows are then published
    so every gateway's replica sees the new balance.  As one-api
    (controller/token.go), the owner's used_quota is not moved here, and
    holds past their timeout are auto-confirmed at the next consume call.

    Errors: a bad key answers one-api's middleware shape
    {"error":{"message":"... (request id: ...)","type":"one_api_error"}}
    (401/403); everything after it is 200 {"success":false,"message"}.
    =========================================================================
*/
#include "oa_api_private.h"

#include <ctype.h>

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"

//  one-api's EXTERNAL_BILLING_DEFAULT_TIMEOUT, EXTERNAL_BILLING_MAX_TIMEOUT
//  and TOKEN_TRANSACTIONS_MAX_HISTORY defaults (a config without them).
#define S_HOLD_DEFAULT_S 600
#define S_HOLD_MAX_S 3600
#define S_HISTORY_MAX 1000

//  The settings, from the environment (oa_config).
static int64_t
s_hold_default (oa_api_app_t *app)
{
    int value = oa_api_config (app)->external_billing_default_timeout;
    return value > 0? value: S_HOLD_DEFAULT_S;
}

static int64_t
s_hold_max (oa_api_app_t *app)
{
    int value = oa_api_config (app)->external_billing_max_timeout;
    return value > 0? value: S_HOLD_MAX_S;
}

static int64_t
s_history_max (oa_api_app_t *app)
{
    int value = oa_api_config (app)->token_transactions_max_history;
    return value > 0? value: S_HISTORY_MAX;
}

#define S_PENDING 1
#define S_CONFIRMED 2
#define S_AUTO_CONFIRMED 3
#define S_CANCELED 4

//  --------------------------------------------------------------------------
//  Transactions

static const oa_api_column_t s_transaction_view [] = {
    { "id", "\"id\"", OA_API_INT },
    { "uuid", "\"uuid\"", OA_API_CHAR },
    { "transaction_id", "\"transaction_id\"", OA_API_STR },
    { "token_uuid", "\"token_uuid\"", OA_API_PCHAR },
    { "user_uuid", "\"user_uuid\"", OA_API_PCHAR },
    { "status", "\"status\"", OA_API_INT },
    { "pre_quota", "\"pre_quota\"", OA_API_INT },
    { "final_quota", "\"final_quota\"", OA_API_PINT },
    { "reason", "\"reason\"", OA_API_STR },
    { "request_id", "\"request_id\"", OA_API_STR },
    { "trace_id", "\"trace_id\"", OA_API_STR },
    { "expires_at", "\"expires_at\"", OA_API_INT },
    { "confirmed_at", "\"confirmed_at\"", OA_API_PINT },
    { "canceled_at", "\"canceled_at\"", OA_API_PINT },
    { "auto_confirmed", "\"auto_confirmed\"", OA_API_BOOL },
    { "log_id", "\"log_id\"", OA_API_PINT },
    { "log_uuid", "\"log_uuid\"", OA_API_PCHAR },
    { "elapsed_time_ms", "\"elapsed_time_ms\"", OA_API_PINT },
    { "created_at", "\"created_at\"", OA_API_INT },
    { "updated_at", "\"updated_at\"", OA_API_INT },
    { NULL, NULL, OA_API_INT }
};

static const char *
s_status_name (int64_t status)
{
    return status == S_PENDING? "pending": status == S_CONFIRMED? "confirmed"
         : status == S_AUTO_CONFIRMED? "auto_confirmed": status == S_CANCELED? "canceled"
         : "unknown";
}

//  A transaction row of this token by its transaction_id, or NULL
//  (*found false when there is none).
static json_t *
s_transaction (oa_api_app_t *app, int64_t token_id, const char *transaction_id, bool *found)
{
    oa_api_param_t params [] = { { .i = token_id }, { true, transaction_id, 0 } };
    return oa_api_select_one (app, s_transaction_view, "FROM \"token_transactions\" WHERE "
                              "\"token_id\" = $1 AND \"transaction_id\" = $2", params, 2, found);
}

//  buildTransactionResponse.
static json_t *
s_transaction_response (json_t *row)
{
    json_t *out = json_object ();
    const char *copied [] = { "uuid", "transaction_id", "token_uuid", "user_uuid", "log_uuid",
                              "pre_quota", "auto_confirmed", "expires_at", "reason", "request_id",
                              "trace_id", "final_quota", NULL };
    for (int index = 0; copied [index]; index++) {
        json_t *value = json_object_get (row, copied [index]);
        json_object_set (out, copied [index], value? value: json_null ());
    }
    int64_t status = oa_api_int (row, "status", 0);
    json_object_set_new (out, "status_code", json_integer (status));
    json_object_set_new (out, "status", json_string (s_status_name (status)));
    const char *optional [] = { "confirmed_at", "canceled_at", "elapsed_time_ms", NULL };
    for (int index = 0; optional [index]; index++)
        if (oa_api_has (row, optional [index]))
            json_object_set (out, optional [index], json_object_get (row, optional [index]));
    return out;
}

//  Writes the tool log row of an external charge (RecordToolLog), unless
//  LogConsumeEnabled is off.  Returns its id (0 when none), -1 on error.
static int64_t
s_tool_log (oa_api_app_t *app, oa_api_req_t *req, oa_api_relay_t *relay, const char *reason,
            int64_t quota, const char *content, int64_t elapsed_ms, char *uuid_out)
{
    *uuid_out = 0;
    if (!oa_api_option_bool (app, "LogConsumeEnabled", true))
        return 0;
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    int64_t now_ms = oa_clock_ms ();
    oa_token_t *token = relay->token;
    oa_api_param_t params [] = {
        { .i = token->user_id }, { true, uuid, 0 }, { true, relay->user->uuid, 0 },
        { true, relay->user->username, 0 }, { .i = now_ms / 1000 }, { true, content, 0 },
        { .i = quota }, { .i = now_ms }, { true, token->name, 0 }, { true, token->uuid, 0 },
        { true, reason, 0 }, { true, req->request_id? req->request_id: "", 0 },
        { true, req->request_id? req->request_id: "", 0 }, { .i = elapsed_ms }
    };
    if (oa_api_exec (app, "INSERT INTO \"logs\" (\"user_id\", \"uuid\", \"user_uuid\", "
                     "\"username\", \"created_at\", \"type\", \"content\", \"quota\", "
                     "\"updated_at\", \"token_name\", \"token_uuid\", \"model_name\", "
                     "\"request_id\", \"trace_id\", \"elapsed_time\") VALUES ($1, $2, $3, $4, $5, "
                     "7, $6, $7, $8, $9, $10, $11, $12, $13, $14)", params, 14, NULL) != 1)
        return -1;
    oa_api_param_t key = { true, uuid, 0 };
    static const oa_api_column_t id_view [] = { { "id", "\"id\"", OA_API_INT },
                                                { NULL, NULL, OA_API_INT } };
    bool found = false;
    json_t *row = oa_api_select_one (app, id_view, "FROM \"logs\" WHERE \"uuid\" = $1", &key, 1,
                                     &found);
    int64_t id = oa_api_int (row, "id", -1);
    json_decref (row);
    snprintf (uuid_out, OA_UUID_SIZE, "%s", uuid);
    return id;
}

//  Updates a log row's quota, content and (when > 0) elapsed time.
static void
s_log_update (oa_api_app_t *app, int64_t log_id, int64_t quota, const char *content,
              int64_t elapsed_ms)
{
    if (log_id <= 0)
        return;
    oa_api_param_t params [] = { { .i = quota }, { true, content, 0 }, { .i = elapsed_ms },
                                 { .i = oa_clock_ms () }, { .i = log_id } };
    if (oa_api_exec (app, "UPDATE \"logs\" SET \"quota\" = $1, \"content\" = $2, "
                     "\"elapsed_time\" = CASE WHEN $3 > 0 THEN $3 ELSE \"elapsed_time\" END, "
                     "\"updated_at\" = $4 WHERE \"id\" = $5", params, 5, NULL) < 0)
        oa_log_warn ("api", "log %" PRId64 " of an external charge not updated", log_id);
}

//  Moves quota (positive charges, negative refunds) from the token (unless
//  unlimited) and its owner, as PreConsumeTokenQuota / PostConsumeTokenQuota:
//  a charge needs the balance.  0, or -1 with the message in error.
static int
s_move (oa_api_app_t *app, oa_api_relay_t *relay, int64_t quota, bool pre, char *error,
        size_t size)
{
    oa_token_t *token = relay->token;
    if (quota == 0)
        return 0;
    //  The current balances (the ledger may have billed since the key was read).
    oa_token_t *now = NULL;
    oa_user_t *owner = NULL;
    if (oa_store_token_by_id (oa_api_store (app), token->id, &now) != 1
    ||  oa_store_user_by_id (oa_api_store (app), token->user_id, &owner) != 1) {
        snprintf (error, size, "get token %" PRId64 ": record not found", token->id);
        oa_token_destroy (&now);
        oa_user_destroy (&owner);
        return -1;
    }
    int rc = 0;
    if (pre && !now->unlimited_quota && now->remain_quota < quota) {
        snprintf (error, size, "insufficient token quota: required=%" PRId64 ", available=%"
                  PRId64 ", tokenId=%" PRId64, quota, now->remain_quota, token->id);
        rc = -1;
    }
    else
    if (pre && owner->quota < quota) {
        snprintf (error, size, "insufficient user quota: required=%" PRId64 ", available=%"
                  PRId64 ", userId=%" PRId64 ", tokenId=%" PRId64, quota, owner->quota,
                  token->user_id, token->id);
        rc = -1;
    }
    else
    if (!pre && quota > 0 && owner->quota < quota) {
        snprintf (error, size, "adjust quotas in post-consume for token %" PRId64 ": "
                  "insufficient user quota or missing user %" PRId64, token->id, token->user_id);
        rc = -1;
    }
    else
    if (!pre && quota > 0 && !now->unlimited_quota && now->remain_quota < quota) {
        snprintf (error, size, "adjust quotas in post-consume for token %" PRId64 ": "
                  "insufficient token quota or missing token %" PRId64, token->id, token->id);
        rc = -1;
    }
    bool unlimited = now->unlimited_quota;
    oa_token_destroy (&now);
    oa_user_destroy (&owner);
    if (rc)
        return rc;
    oa_api_param_t user_params [] = { { .i = quota }, { .i = token->user_id } };
    oa_api_param_t token_params [] = { { .i = quota }, { .i = oa_clock_ms () / 1000 },
                                       { .i = oa_clock_ms () }, { .i = token->id } };
    if (oa_api_exec (app, "UPDATE \"users\" SET \"quota\" = \"quota\" - $1 WHERE \"id\" = $2",
                     user_params, 2, NULL) != 1
    ||  (!unlimited && oa_api_exec (app, "UPDATE \"tokens\" SET \"remain_quota\" = "
                                    "\"remain_quota\" - $1, \"used_quota\" = \"used_quota\" + $1, "
                                    "\"accessed_time\" = $2, \"updated_at\" = $3 WHERE \"id\" = $4",
                                    token_params, 4, NULL) != 1)) {
        snprintf (error, size, "adjust quota for token %" PRId64 ": %s", token->id,
                  oa_store_error (oa_api_store (app)));
        return -1;
    }
    return 0;
}

//  autoConfirmExpiredTokenTransactions: pending holds past their expiry
//  keep their reserved quota and become auto_confirmed.
static int
s_auto_confirm (oa_api_app_t *app, int64_t token_id)
{
    int64_t now = oa_clock_ms () / 1000;
    oa_api_param_t params [] = { { .i = token_id }, { .i = now } };
    json_t *rows = oa_api_select (app, s_transaction_view, "FROM \"token_transactions\" WHERE "
                                  "\"token_id\" = $1 AND \"status\" = 1 AND \"expires_at\" > 0 AND "
                                  "\"expires_at\" <= $2", params, 2, "\"id\"", -1, 0);
    if (!rows)
        return -1;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        int64_t pre = oa_api_int (row, "pre_quota", 0);
        oa_api_param_t update [] = { { .i = pre }, { .i = now }, { .i = oa_clock_ms () },
                                     { .i = oa_api_int (row, "id", 0) } };
        if (oa_api_exec (app, "UPDATE \"token_transactions\" SET \"status\" = 3, "
                         "\"final_quota\" = $1, \"confirmed_at\" = $2, \"auto_confirmed\" = true, "
                         "\"expires_at\" = 0, \"updated_at\" = $3 WHERE \"id\" = $4", update, 4,
                         NULL) != 1) {
            json_decref (rows);
            return -1;
        }
        char *amount = oa_api_log_quota (app, pre);
        char *content = zsys_sprintf ("External (%s) auto-confirmed %s (transaction %s)",
                                      oa_api_str (row, "reason", ""), amount,
                                      oa_api_str (row, "transaction_id", ""));
        s_log_update (app, oa_api_int (row, "log_id", 0), pre, content,
                      oa_api_int (row, "elapsed_time_ms", 0));
        zstr_free (&content);
        free (amount);
    }
    json_decref (rows);
    return 0;
}

//  --------------------------------------------------------------------------
//  The phases

typedef struct {
    const char *reason;             //  add_reason, trimmed
    int64_t add;                    //  add_used_quota
    bool has_final;                 //  final_used_quota present
    int64_t final;                  //  final_used_quota
    int64_t elapsed;                //  elapsed_time_ms (0 when absent or <= 0)
    bool has_timeout;               //  timeout_seconds present
    int64_t timeout;                //  timeout_seconds
    char *transaction_id;           //  trimmed; owned; "" when absent
} s_consume_t;

//  Inserts the token_transactions row of a new transaction: a pending
//  hold until expires_at, or (settled) a call confirmed at once with its
//  final quota.  0, or -1 with the message in error.
static int
s_insert (oa_api_app_t *app, oa_api_req_t *req, oa_api_relay_t *relay, s_consume_t *in,
          const char *transaction_id, bool settled, int64_t expires_at, int64_t log_id,
          const char *log_uuid, char *error, size_t size)
{
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    int64_t now_ms = oa_clock_ms ();
    oa_api_param_t params [] = {
        { true, uuid, 0 }, { true, transaction_id, 0 }, { .i = relay->token->id },
        { true, relay->token->uuid, 0 }, { .i = relay->token->user_id },
        { true, relay->user->uuid, 0 }, { .i = settled? S_CONFIRMED: S_PENDING },
        { .i = in->add }, { .i = settled? in->add: -1 }, { true, in->reason, 0 },
        { true, req->request_id? req->request_id: "", 0 }, { .i = expires_at },
        { .i = settled? now_ms / 1000: 0 }, { .i = log_id }, { true, log_uuid, 0 },
        { .i = in->elapsed }, { .i = now_ms }
    };
    if (log_id < 0
    ||  oa_api_exec (app, "INSERT INTO \"token_transactions\" (\"uuid\", \"transaction_id\", "
                     "\"token_id\", \"token_uuid\", \"user_id\", \"user_uuid\", \"status\", "
                     "\"pre_quota\", \"final_quota\", \"reason\", \"request_id\", \"trace_id\", "
                     "\"expires_at\", \"confirmed_at\", \"auto_confirmed\", \"log_id\", "
                     "\"log_uuid\", \"elapsed_time_ms\", \"created_at\", \"updated_at\") VALUES "
                     "($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, -1), $10, $11, $11, $12, "
                     "NULLIF($13, 0), false, NULLIF($14, 0), NULLIF($15, ''), NULLIF($16, 0), "
                     "$17, $17)", params, 17, NULL) != 1) {
        snprintf (error, size, "create %stoken transaction: failed to create token transaction: "
                  "%s", settled? "zero-quota ": "", oa_store_error (oa_api_store (app)));
        return -1;
    }
    return 0;
}

//  processPreConsume; the caller commits.  Returns the transaction's
//  transaction_id (fresh) or NULL with the message in error.
static char *
s_pre (oa_api_app_t *app, oa_api_req_t *req, oa_api_relay_t *relay, s_consume_t *in,
       char *error, size_t size)
{
    if (in->add == 0) {
        snprintf (error, size, "add_used_quota must be greater than 0 for pre phase");
        return NULL;
    }
    char transaction_id [OA_UUID_SIZE];
    oa_uuid_new (transaction_id);
    int64_t timeout = in->has_timeout && in->timeout > 0? in->timeout: s_hold_default (app);
    if (timeout > s_hold_max (app))
        timeout = s_hold_max (app);
    int64_t now_s = oa_clock_ms () / 1000;
    char inner [256];
    if (s_move (app, relay, in->add, true, inner, sizeof inner) != 0) {
        snprintf (error, size, "pre-consume token quota: %s", inner);
        return NULL;
    }
    char *amount = oa_api_log_quota (app, in->add);
    char *content = zsys_sprintf ("External (%s) pre-consumed %s (transaction %s, timeout %"
                                  PRId64 "s)", in->reason, amount, transaction_id, timeout);
    char log_uuid [OA_UUID_SIZE];
    int64_t log_id = s_tool_log (app, req, relay, in->reason, in->add > INT32_MAX? INT32_MAX
                                 : in->add, content, 0, log_uuid);
    zstr_free (&content);
    free (amount);
    if (s_insert (app, req, relay, in, transaction_id, false, now_s + timeout, log_id, log_uuid,
                  error, size) != 0)
        return NULL;
    return strdup (transaction_id);
}

//  The pending transaction that a post or cancel phase settles (caller
//  decrefs), or NULL with the message in error: no transaction_id, no
//  such row, or a row already settled.
static json_t *
s_pending (oa_api_app_t *app, oa_api_relay_t *relay, s_consume_t *in, bool cancel,
           char *error, size_t size)
{
    if (!*in->transaction_id) {
        snprintf (error, size, "transaction_id is required for %s phase",
                  cancel? "cancel": "post");
        return NULL;
    }
    bool found = false;
    json_t *row = s_transaction (app, relay->token->id, in->transaction_id, &found);
    if (!row) {
        snprintf (error, size, "get token transaction for %s: failed to fetch token "
                  "transaction: token_id=%" PRId64 ", transaction_id=%s: %s",
                  cancel? "cancel": "post-consume", relay->token->id, in->transaction_id,
                  found? oa_store_error (oa_api_store (app)): "record not found");
        return NULL;
    }
    int64_t status = oa_api_int (row, "status", 0);
    if (status == S_PENDING)
        return row;
    if (cancel)
        snprintf (error, size, "transaction %s cannot be canceled because it is %s",
                  in->transaction_id, s_status_name (status));
    else
        snprintf (error, size, "transaction %s is already %s", in->transaction_id,
                  s_status_name (status));
    json_decref (row);
    return NULL;
}

//  processPostConsume; the caller commits.  0 or -1 with error.
static int
s_post (oa_api_app_t *app, oa_api_relay_t *relay, s_consume_t *in, char *error, size_t size)
{
    json_t *row = s_pending (app, relay, in, false, error, size);
    if (!row)
        return -1;
    int rc = -1;
    int64_t pre = oa_api_int (row, "pre_quota", 0);
    if (!in->has_final && in->add == 0)
        snprintf (error, size, "final_used_quota or add_used_quota must be provided for post "
                  "phase");
    else {
        int64_t final = in->has_final? in->final: in->add;
        char inner [256];
        if (s_move (app, relay, final - pre, false, inner, sizeof inner) != 0)
            snprintf (error, size, "post-consume token quota delta: %s", inner);
        else {
            int64_t now_s = oa_clock_ms () / 1000;
            oa_api_param_t params [] = { { .i = final }, { .i = now_s }, { true, in->reason, 0 },
                                         { .i = in->elapsed }, { .i = oa_clock_ms () },
                                         { .i = oa_api_int (row, "id", 0) } };
            if (oa_api_exec (app, "UPDATE \"token_transactions\" SET \"status\" = 2, "
                             "\"final_quota\" = $1, \"confirmed_at\" = $2, \"auto_confirmed\" = "
                             "false, \"expires_at\" = 0, \"reason\" = $3, \"elapsed_time_ms\" = "
                             "CASE WHEN $4 > 0 THEN $4 ELSE \"elapsed_time_ms\" END, "
                             "\"updated_at\" = $5 WHERE \"id\" = $6", params, 6, NULL) != 1)
                snprintf (error, size, "update token transaction for post-consume: %s",
                          oa_store_error (oa_api_store (app)));
            else {
                char *final_text = oa_api_log_quota (app, final);
                char *pre_text = oa_api_log_quota (app, pre);
                char *content = zsys_sprintf ("External (%s) finalized %s (pre %s, transaction "
                                              "%s)", in->reason, final_text, pre_text,
                                              in->transaction_id);
                s_log_update (app, oa_api_int (row, "log_id", 0), final > INT32_MAX? INT32_MAX
                              : final, content, in->elapsed);
                zstr_free (&content);
                free (final_text);
                free (pre_text);
                rc = 0;
            }
        }
    }
    json_decref (row);
    return rc;
}

//  processCancelConsume; the caller commits.  0 or -1 with error.
static int
s_cancel (oa_api_app_t *app, oa_api_relay_t *relay, s_consume_t *in, char *error, size_t size)
{
    json_t *row = s_pending (app, relay, in, true, error, size);
    if (!row)
        return -1;
    int rc = -1;
    int64_t pre = oa_api_int (row, "pre_quota", 0);
    char inner [256];
    if (s_move (app, relay, -pre, false, inner, sizeof inner) != 0)
        snprintf (error, size, "refund reserved token quota on cancel: %s", inner);
    else {
        oa_api_param_t params [] = { { .i = oa_clock_ms () / 1000 }, { .i = oa_clock_ms () },
                                     { .i = oa_api_int (row, "id", 0) } };
        if (oa_api_exec (app, "UPDATE \"token_transactions\" SET \"status\" = 4, \"canceled_at\" "
                         "= $1, \"final_quota\" = 0, \"expires_at\" = 0, \"auto_confirmed\" = "
                         "false, \"updated_at\" = $2 WHERE \"id\" = $3", params, 3, NULL) != 1)
            snprintf (error, size, "update token transaction for cancel: %s",
                      oa_store_error (oa_api_store (app)));
        else {
            char *amount = oa_api_log_quota (app, pre);
            char *content = zsys_sprintf ("External (%s) canceled pre-consume hold %s "
                                          "(transaction %s)", oa_api_str (row, "reason", ""),
                                          amount, in->transaction_id);
            s_log_update (app, oa_api_int (row, "log_id", 0), 0, content,
                          oa_api_int (row, "elapsed_time_ms", 0));
            zstr_free (&content);
            free (amount);
            rc = 0;
        }
    }
    json_decref (row);
    return rc;
}

//  processZeroQuotaImmediateConsume: a free call still leaves a log row
//  and a confirmed transaction.  Returns the transaction_id or NULL.
static char *
s_free_call (oa_api_app_t *app, oa_api_req_t *req, oa_api_relay_t *relay, s_consume_t *in,
             char *error, size_t size)
{
    char generated [OA_UUID_SIZE];
    oa_uuid_new (generated);
    const char *transaction_id = *in->transaction_id? in->transaction_id: generated;
    char *zero = oa_api_log_quota (app, 0);
    char *content = zsys_sprintf ("External (%s) finalized %s (pre %s, transaction %s)",
                                  in->reason, zero, zero, transaction_id);
    char log_uuid [OA_UUID_SIZE];
    int64_t log_id = s_tool_log (app, req, relay, in->reason, 0, content, in->elapsed, log_uuid);
    zstr_free (&content);
    free (zero);
    if (s_insert (app, req, relay, in, transaction_id, true, 0, log_id, log_uuid, error,
                  size) != 0)
        return NULL;
    return strdup (transaction_id);
}

static const oa_api_field_t s_consume_fields [] = {
    { "add_used_quota", OA_API_GO_UINT64 }, { "add_reason", OA_API_GO_STRING },
    { "elapsed_time_ms", OA_API_GO_INT64 }, { "phase", OA_API_GO_STRING },
    { "transaction_id", OA_API_GO_STRING }, { "final_used_quota", OA_API_GO_UINT64 },
    { "timeout_seconds", OA_API_GO_INT64 }, { NULL, OA_API_GO_ANY }
};

//  One phase inside the open transaction.  Returns the transaction_id to
//  answer with (fresh), or NULL with error.
static char *
s_phase (oa_api_app_t *app, oa_api_req_t *req, oa_api_relay_t *relay, const char *phase,
         s_consume_t *in, char *error, size_t size)
{
    if (streq (phase, "pre"))
        return s_pre (app, req, relay, in, error, size);
    if (streq (phase, "post"))
        return s_post (app, relay, in, error, size) == 0? strdup (in->transaction_id): NULL;
    if (streq (phase, "cancel"))
        return s_cancel (app, relay, in, error, size) == 0? strdup (in->transaction_id): NULL;
    //  single: pre then post, or a free call.
    if (in->add == 0)
        return s_free_call (app, req, relay, in, error, size);
    char inner [400];
    char *id = s_pre (app, req, relay, in, inner, sizeof inner);
    if (!id) {
        snprintf (error, size, "pre-consume phase of immediate consume: %s", inner);
        return NULL;
    }
    free (in->transaction_id);
    in->transaction_id = id;
    in->has_final = true;
    in->final = in->add;
    if (s_post (app, relay, in, inner, sizeof inner) != 0) {
        snprintf (error, size, "post-consume phase of immediate consume: %s", inner);
        return NULL;
    }
    return strdup (id);
}

void
oa_api_token_consume (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_api_relay_t relay;
    if (!oa_api_relay_auth (app, req, res, &relay))
        return;
    oa_store_t *store = oa_api_store (app);
    char error [512] = "";
    json_t *body = NULL;
    s_consume_t in = { 0 };
    char *answer_id = NULL;
    if (oa_store_begin (store) != 0) {
        oa_api_fail_store (app, res, "begin");
        oa_api_relay_clear (&relay);
        return;
    }
    if (s_auto_confirm (app, relay.token->id) != 0)
        snprintf (error, sizeof error, "auto confirm expired token transactions: %s",
                  oa_store_error (store));
    else
        body = oa_api_decode (req, "consumeTokenRequest", s_consume_fields, false,
                              error, sizeof error);
    char *reason = body? oa_api_trim (oa_api_str (body, "add_reason", "")): NULL;
    char *phase = body? oa_api_trim (oa_api_str (body, "phase", "")): NULL;
    if (phase)
        for (char *c = phase; *c; c++)
            *c = (char) tolower ((unsigned char) *c);
    if (!body)
        ;
    else
    if (!*reason)
        snprintf (error, sizeof error, "add_reason cannot be empty");
    else
    if (*phase && !streq (phase, "pre") && !streq (phase, "post") && !streq (phase, "cancel")
    &&  !streq (phase, "single"))
        snprintf (error, sizeof error, "unsupported phase: %s", phase);
    else {
        //  validateTokenForConsumption, on the row as it is now.
        oa_token_t *now = NULL;
        int64_t second = oa_clock_ms () / 1000;
        if (oa_store_token_by_id (store, relay.token->id, &now) != 1)
            snprintf (error, sizeof error, "record not found");
        else
        if (now->status != 1)
            snprintf (error, sizeof error, "API Key is not enabled");
        else
        if (now->expired_time != -1 && now->expired_time <= second)
            snprintf (error, sizeof error, "The token has expired and cannot be used. Please "
                      "modify the expiration time of the token, or set it to never expire");
        else
        if (!now->unlimited_quota && now->remain_quota <= 0)
            snprintf (error, sizeof error, "The available quota of the token has been used up. "
                      "Please add more quota or set it to unlimited");
        oa_token_destroy (&now);
        if (!*error) {
            in.reason = reason;
            json_t *value = json_object_get (body, "add_used_quota");
            in.add = json_is_integer (value)? json_integer_value (value): 0;
            value = json_object_get (body, "final_used_quota");
            in.has_final = json_is_integer (value);
            in.final = in.has_final? json_integer_value (value): 0;
            in.elapsed = oa_api_int (body, "elapsed_time_ms", 0);
            if (in.elapsed < 0)
                in.elapsed = 0;
            in.has_timeout = oa_api_has (body, "timeout_seconds");
            in.timeout = oa_api_int (body, "timeout_seconds", 0);
            in.transaction_id = oa_api_trim (oa_api_str (body, "transaction_id", ""));
            answer_id = s_phase (app, req, &relay, *phase? phase: "single", &in, error,
                                 sizeof error);
        }
    }
    if (answer_id && oa_store_commit (store) != 0) {
        snprintf (error, sizeof error, "commit: %s", oa_store_error (store));
        zstr_free (&answer_id);
    }
    if (!answer_id) {
        oa_store_rollback (store);
        oa_api_fail (res, 200, "%s", error);
    }
    else {
        //  The answer: the token as it is now, and the transaction.
        oa_api_param_t param = { .i = relay.token->id };
        bool found = false;
        json_t *token = oa_api_select_one (app, oa_api_token_view, "FROM \"tokens\" WHERE \"id\" "
                                           "= $1", &param, 1, &found);
        json_t *row = s_transaction (app, relay.token->id, answer_id, &found);
        oa_api_ok (res, token? token: json_null ());
        if (row)
            json_object_set_new (res->body, "transaction", s_transaction_response (row));
        json_decref (row);
        oa_api_publish_id (app, "tokens", relay.token->id);
        oa_api_publish_id (app, "users", relay.token->user_id);
    }
    zstr_free (&answer_id);
    free (in.transaction_id);
    free (reason);
    free (phase);
    json_decref (body);
    oa_api_relay_clear (&relay);
}

//  --------------------------------------------------------------------------
//  Reads

void
oa_api_token_balance (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_api_relay_t relay;
    if (!oa_api_relay_auth (app, req, res, &relay))
        return;
    oa_api_ok (res, json_pack ("{s:I, s:I, s:b}",
                               "remain_quota", (json_int_t) relay.token->remain_quota,
                               "used_quota", (json_int_t) relay.token->used_quota,
                               "unlimited_quota", relay.token->unlimited_quota));
    oa_api_relay_clear (&relay);
}

void
oa_api_token_transactions (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_api_relay_t relay;
    if (!oa_api_relay_auth (app, req, res, &relay))
        return;
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    int64_t history_max = s_history_max (app);
    if (offset >= history_max) {
        oa_api_ok_total (res, json_array (), history_max);
        oa_api_relay_clear (&relay);
        return;
    }
    if (offset + limit > history_max)
        limit = history_max - offset;
    oa_api_param_t param = { .i = relay.token->id };
    json_t *rows = oa_api_select (app, s_transaction_view, "FROM \"token_transactions\" WHERE "
                                  "\"token_id\" = $1", &param, 1, "\"id\" DESC", limit, offset);
    int64_t total = rows? oa_api_count (app, "FROM \"token_transactions\" WHERE \"token_id\" = $1",
                                        &param, 1): -1;
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "failed to fetch token transactions");
    }
    else {
        //  The Go struct hides id and log_id (json:"-").
        size_t index;
        json_t *row;
        json_array_foreach (rows, index, row) {
            json_object_del (row, "id");
            json_object_del (row, "log_id");
        }
        oa_api_ok_total (res, rows, total > history_max? history_max: total);
    }
    oa_api_relay_clear (&relay);
}

void
oa_api_token_logs (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_api_relay_t relay;
    if (!oa_api_relay_auth (app, req, res, &relay))
        return;
    oa_api_logs_of_token (app, req, res, relay.token->user_id, relay.token->name);
    oa_api_relay_clear (&relay);
}
