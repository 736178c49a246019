/*  =========================================================================
    oa_api_dashboard - usage summaries: GET /api/user/dashboard (one-api's
    controller/user.go GetUserDashboard) and the legacy OpenAI billing
    routes for relay keys, GET /dashboard/billing/subscription and
    /dashboard/billing/usage (also under /v1; controller/billing.go)

    The dashboard aggregates consume logs (type 2) and tool logs (type 7,
    external billing) per UTC day over [from_date, to_date] (YYYY-MM-DD,
    inclusive, at most 7 days, 365 for root), by default the last seven
    days including today.  Root sees the whole site unless ?user_id= names
    a user; others only themselves.
    =========================================================================
*/
#include "oa_api_private.h"

#include <math.h>
#include <time.h>

#include "oa_ids.h"

//  --------------------------------------------------------------------------
//  /api/user/dashboard

//  Reads YYYY-MM-DD as the unix second of that UTC midnight.
static bool
s_date (const char *text, int64_t *seconds)
{
    int year, month, day;
    char tail;
    if (!text || strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day,
                                                &tail) != 3
    ||  text [4] != '-' || text [7] != '-' || month < 1 || month > 12 || day < 1 || day > 31)
        return false;
    static const int days [] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > days [month - 1] || (month == 2 && day == 29 && !leap))
        return false;
    struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day };
    *seconds = (int64_t) timegm (&tm);
    return true;
}

//  One aggregate list: view's expressions over logs of this type in
//  [start, end), for one user (target > 0) or all, grouped and ordered.
static json_t *
s_stats (oa_api_app_t *app, const oa_api_column_t *view, int type, const char *group,
         const char *order, int64_t target, int64_t start, int64_t end)
{
    oa_api_param_t params [] = { { .i = type }, { .i = start }, { .i = end }, { .i = target } };
    char *from = zsys_sprintf ("FROM \"logs\" WHERE \"type\" = $1 AND \"created_at\" >= $2 AND "
                               "\"created_at\" < $3%s GROUP BY %s",
                               target? " AND \"user_id\" = $4": "", group);
    json_t *rows = oa_api_select (app, view, from, params, target? 4: 3, order, -1, 0);
    zstr_free (&from);
    return rows;
}

#define S_DAY_PG "TO_CHAR(date_trunc('day', to_timestamp(\"created_at\")), 'YYYY-MM-DD')"
#define S_DAY_SQLITE "strftime('%Y-%m-%d', datetime(\"created_at\", 'unixepoch'))"
#define S_TOKEN_SUMS \
    { "RequestCount", "COUNT(1)", OA_API_INT }, \
    { "Quota", "SUM(\"quota\")", OA_API_INT }, \
    { "PromptTokens", "SUM(\"prompt_tokens\")", OA_API_INT }, \
    { "CompletionTokens", "SUM(\"completion_tokens\")", OA_API_INT }, \
    { "CachedPromptTokens", "SUM(\"cached_prompt_tokens\")", OA_API_INT }, \
    { "CacheHitCount", "SUM(CASE WHEN \"cached_prompt_tokens\" > 0 THEN 1 ELSE 0 END)", \
      OA_API_INT }, \
    { "CacheHitQuota", "SUM(CASE WHEN \"cached_prompt_tokens\" > 0 THEN \"quota\" ELSE 0 END)", \
      OA_API_INT }, \
    { NULL, NULL, OA_API_INT }
#define S_TOOL_SUMS \
    { "RequestCount", "COUNT(1)", OA_API_INT }, \
    { "Quota", "COALESCE(SUM(\"quota\"), 0)", OA_API_INT }, \
    { NULL, NULL, OA_API_INT }

//  The six lists of the dashboard, or NULL on a store error (*failed names
//  the list, as one-api's messages do).
static json_t *
s_lists (oa_api_app_t *app, int64_t target, int64_t start, int64_t end, const char **failed)
{
    const char *day = oa_store_is_postgres (oa_api_store (app))? S_DAY_PG: S_DAY_SQLITE;
    const oa_api_column_t by_model [] = {
        { "Day", day, OA_API_STR }, { "ModelName", "\"model_name\"", OA_API_STR }, S_TOKEN_SUMS
    };
    const oa_api_column_t by_user [] = {
        { "Day", day, OA_API_STR }, { "Username", "\"username\"", OA_API_STR },
        { "user_uuid", "COALESCE(\"user_uuid\", '')", OA_API_CHAR }, S_TOKEN_SUMS
    };
    const oa_api_column_t by_token [] = {
        { "Day", day, OA_API_STR }, { "Username", "\"username\"", OA_API_STR },
        { "user_uuid", "COALESCE(\"user_uuid\", '')", OA_API_CHAR },
        { "TokenName", "COALESCE(\"token_name\", '')", OA_API_STR }, S_TOKEN_SUMS
    };
    const oa_api_column_t tool_by_name [] = {
        { "Day", day, OA_API_STR }, { "ToolName", "COALESCE(\"model_name\", '')", OA_API_STR },
        S_TOOL_SUMS
    };
    const oa_api_column_t tool_by_user [] = {
        { "Day", day, OA_API_STR }, { "Username", "COALESCE(\"username\", '')", OA_API_STR },
        { "user_uuid", "COALESCE(\"user_uuid\", '')", OA_API_CHAR }, S_TOOL_SUMS
    };
    const oa_api_column_t tool_by_token [] = {
        { "Day", day, OA_API_STR }, { "Username", "COALESCE(\"username\", '')", OA_API_STR },
        { "user_uuid", "COALESCE(\"user_uuid\", '')", OA_API_CHAR },
        { "TokenName", "COALESCE(\"token_name\", '')", OA_API_STR }, S_TOOL_SUMS
    };
    struct {
        const char *name, *failure;
        const oa_api_column_t *view;
        int type;
        const char *group, *order;
    } lists [] = {
        { "logs", "Failed to get dashboard data", by_model, 2, "1, \"model_name\"", "1, 2" },
        { "user_logs", "Failed to get user usage data", by_user, 2,
          "1, \"username\", \"user_id\", \"user_uuid\"", "1, 2" },
        { "token_logs", "Failed to get token usage data", by_token, 2,
          "1, \"token_name\", \"username\", \"user_id\", \"user_uuid\"", "1, 2, 4" },
        { "tool_logs", "Failed to get tool usage data", tool_by_name, 7, "1, 2", "1, 2" },
        { "tool_user_logs", "Failed to get tool user usage data", tool_by_user, 7,
          "1, \"username\", \"user_id\", \"user_uuid\"", "1, 2, \"user_id\"" },
        { "tool_token_logs", "Failed to get tool token usage data", tool_by_token, 7,
          "1, \"username\", \"user_id\", \"user_uuid\", \"token_name\"", "1, 2, \"user_id\", 4" },
    };
    json_t *data = json_object ();
    for (size_t index = 0; index < sizeof lists / sizeof lists [0]; index++) {
        json_t *rows = s_stats (app, lists [index].view, lists [index].type, lists [index].group,
                                lists [index].order, target, start, end);
        if (!rows) {
            *failed = lists [index].failure;
            json_decref (data);
            return NULL;
        }
        json_object_set_new (data, lists [index].name, rows);
    }
    return data;
}

//  A failure with "data": null, as GetUserDashboard answers.
static void
s_fail_null (oa_api_res_t *res, const char *message)
{
    oa_api_fail (res, 200, "%s", message);
    json_object_set_new (res->body, "data", json_null ());
}

void
oa_api_user_dashboard (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_user_t *self = req->user;
    int64_t start = 0, end = 0;
    const char *from_text = oa_api_arg (req, "from_date");
    const char *to_text = oa_api_arg (req, "to_date");
    if (from_text && *from_text && to_text && *to_text) {
        int64_t max_days = self->role == OA_ROLE_ROOT? 365: 7;
        if (!s_date (from_text, &start)) {
            s_fail_null (res, "invalid from_date format, expected YYYY-MM-DD");
            return;
        }
        if (!s_date (to_text, &end)) {
            s_fail_null (res, "invalid to_date format, expected YYYY-MM-DD");
            return;
        }
        if (end < start) {
            s_fail_null (res, "from_date must be before to_date");
            return;
        }
        if ((end - start) / 86400 + 1 > max_days) {
            char message [96];
            snprintf (message, sizeof message, "maximum allowed: %" PRId64 " days: date range too "
                      "large", max_days);
            s_fail_null (res, message);
            return;
        }
        end += 86400;
    }
    else {
        //  The last seven days including today, in UTC: [today - 6, tomorrow).
        int64_t today = oa_clock_ms () / 1000 / 86400 * 86400;
        start = today - 6 * 86400;
        end = today + 86400;
    }
    int64_t target = self->role == OA_ROLE_ROOT? 0: self->id;
    const char *who = oa_api_arg (req, "user_id");
    if (who && *who) {
        if (self->role != OA_ROLE_ROOT) {
            s_fail_null (res, "No permission to view other users' dashboard data");
            return;
        }
        if (streq (who, "all"))
            target = 0;
        else {
            oa_api_res_t scratch = { 0, NULL, NULL, NULL };
            int rc = oa_api_resolve (app, &scratch, "users", who, &target);
            json_decref (scratch.body);
            if (rc != 1) {
                s_fail_null (res, "Invalid user_id parameter");
                return;
            }
        }
    }
    const char *failed = NULL;
    json_t *data = s_lists (app, target, start, end, &failed);
    if (!data) {
        char *message = zsys_sprintf ("%s: %s", failed, oa_store_error (oa_api_store (app)));
        s_fail_null (res, message);
        zstr_free (&message);
        return;
    }
    static const oa_api_column_t quota_view [] = {
        { "quota", "COALESCE(SUM(\"quota\"), 0)", OA_API_INT },
        { "used_quota", "COALESCE(SUM(\"used_quota\"), 0)", OA_API_INT },
        { "status", "MIN(\"status\")", OA_API_INT },
        { NULL, NULL, OA_API_INT }
    };
    oa_api_param_t param = { .i = target };
    bool found = false;
    json_t *quota = oa_api_select_one (app, quota_view, target? "FROM \"users\" WHERE \"id\" = $1"
                                       : "FROM \"users\" WHERE \"status\" != 3",
                                       &param, target? 1: 0, &found);
    if (!quota) {
        json_decref (data);
        char *message = zsys_sprintf ("Failed to get user data: %s",
                                      oa_store_error (oa_api_store (app)));
        s_fail_null (res, message);
        zstr_free (&message);
        return;
    }
    int64_t status = oa_api_int (quota, "status", 0);
    const char *label = !target? "Active": status == 1? "Active": status == 2? "Disabled"
                      : status == 3? "Deleted": "Unknown";
    json_object_set_new (data, "total_quota", json_integer (oa_api_int (quota, "quota", 0)));
    json_object_set_new (data, "used_quota", json_integer (oa_api_int (quota, "used_quota", 0)));
    json_object_set_new (data, "status", json_string (label));
    json_decref (quota);
    oa_api_ok (res, data);
}

//  --------------------------------------------------------------------------
//  /dashboard/billing/*

//  A float64 as Go's encoding/json writes it: whole numbers without ".0".
static json_t *
s_go_float (double value)
{
    if (isfinite (value) && value == floor (value) && fabs (value) < 1e15)
        return json_integer ((json_int_t) value);
    return json_real (isfinite (value)? value: 0);
}

//  The quota shown in USD when DisplayInCurrencyEnabled, else in quota.
static double
s_amount (oa_api_app_t *app, int64_t quota)
{
    double amount = (double) quota;
    if (oa_api_option_bool (app, "DisplayInCurrencyEnabled", true)) {
        char *unit = oa_api_option (app, "QuotaPerUnit", "500000");
        double per_unit = atof (unit);
        free (unit);
        amount /= per_unit > 0? per_unit: 500000;
    }
    return amount;
}

void
oa_api_billing_subscription (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_api_relay_t relay;
    if (!oa_api_relay_auth (app, req, res, &relay))
        return;
    int64_t remain, used = 0, until = 0;
    bool token_stat = oa_api_option_bool (app, "DisplayTokenStatEnabled", true);
    if (token_stat) {
        remain = relay.token->remain_quota;
        used = relay.token->used_quota;
        until = relay.token->expired_time > 0? relay.token->expired_time: 0;
    }
    else
        //  one-api reads the user's used quota only when reading its quota
        //  failed, so the limit is the remaining quota alone.
        remain = relay.user->quota;
    double amount = s_amount (app, remain + used);
    if (token_stat && relay.token->unlimited_quota)
        amount = 100000000;
    res->status = 200;
    res->body = json_pack ("{s:s, s:b, s:o, s:o, s:o, s:I}", "object", "billing_subscription",
                           "has_payment_method", 1, "soft_limit_usd", s_go_float (amount),
                           "hard_limit_usd", s_go_float (amount),
                           "system_hard_limit_usd", s_go_float (amount),
                           "access_until", (json_int_t) until);
    oa_api_relay_clear (&relay);
}

void
oa_api_billing_usage (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    oa_api_relay_t relay;
    if (!oa_api_relay_auth (app, req, res, &relay))
        return;
    int64_t quota = oa_api_option_bool (app, "DisplayTokenStatEnabled", true)
                  ? relay.token->used_quota: relay.user->used_quota;
    res->status = 200;
    res->body = json_pack ("{s:s, s:o}", "object", "list", "total_usage",
                           s_go_float (s_amount (app, quota) * 100));
    oa_api_relay_clear (&relay);
}
