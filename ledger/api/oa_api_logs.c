/*  =========================================================================
    oa_api_logs - /api/log routes: the admin's list, search, stat and purge,
    and every user's own /api/log/self, /self/search, /self/stat

    A user's queries are always scoped by the caller's user id (the self
    stat, as one-api, by the caller's username).  Provisional rows (type 6)
    are never listed.  Rows carry the channel's name (one-api's
    fillLogChannelNames), joined here.
    =========================================================================
*/
#include "oa_api_private.h"

#include <ctype.h>

#include "oa_log.h"

#define S_FROM "FROM \"logs\" LEFT JOIN \"channels\" " \
    "ON \"channels\".\"id\" = \"logs\".\"channel_id\""
#define S_MAX_FILTERS 12

//  A WHERE clause under construction.
typedef struct {
    char sql [1024];                        //  "FROM ... WHERE ..."
    oa_api_param_t params [S_MAX_FILTERS];  //  its values
    int count;                              //  values so far
} s_where_t;

static void
s_where_init (s_where_t *where, const char *from)
{
    memset (where, 0, sizeof *where);
    snprintf (where->sql, sizeof where->sql, "%s WHERE \"logs\".\"type\" != 6", from);
}

//  Appends "AND <column> <op> $n" with an integer or text value.
static void
s_filter (s_where_t *where, const char *column, const char *op, const char *text, int64_t number)
{
    assert (where->count < S_MAX_FILTERS);
    where->params [where->count] = text? (oa_api_param_t) { true, text, 0 }
                                       : (oa_api_param_t) { .i = number };
    where->count++;
    size_t used = strlen (where->sql);
    snprintf (where->sql + used, sizeof where->sql - used, " AND \"logs\".\"%s\" %s $%d", column,
              op, where->count);
}

//  The common filters of the list and stat routes.  user_id 0 = all users;
//  channel filters apply only to admins; token (when not NULL) replaces
//  the token_name filter of the query.
static bool
s_filters (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, s_where_t *where,
           int64_t user_id, bool admin, const char *token)
{
    if (user_id)
        s_filter (where, "user_id", "=", NULL, user_id);
    if (token)
        s_filter (where, "token_name", "=", token, 0);
    int64_t type = oa_api_arg_int (req, "type");
    if (type)
        s_filter (where, "type", "=", NULL, type);
    const char *names [] = { "model_name", "username", "token_name", NULL };
    for (int index = 0; names [index]; index++) {
        const char *value = oa_api_arg (req, names [index]);
        if (token && streq (names [index], "token_name"))
            continue;
        if (value && *value && (admin || !streq (names [index], "username")))
            s_filter (where, names [index], "=", value, 0);
    }
    int64_t start = oa_api_arg_int (req, "start_timestamp");
    int64_t end = oa_api_arg_int (req, "end_timestamp");
    if (start)
        s_filter (where, "created_at", ">=", NULL, start);
    if (end)
        s_filter (where, "created_at", "<=", NULL, end);
    const char *channel = oa_api_arg (req, "channel");
    char *trimmed = oa_api_trim (channel);
    bool ok = true;
    if (admin && *trimmed) {
        int64_t channel_id = 0;
        ok = oa_api_resolve (app, res, "channels", trimmed, &channel_id) == 1;
        if (ok)
            s_filter (where, "channel_id", "=", NULL, channel_id);
    }
    free (trimmed);
    return ok;
}

//  ORDER BY from sort_by/sort and sort_order/order over logSortFields.
static char *
s_order (oa_api_req_t *req, const char *sort, const char *order)
{
    static const char *const allowed [][2] = {
        { "id", "id" }, { "created_time", "created_at" }, { "created_at", "created_at" },
        { "prompt_tokens", "prompt_tokens" }, { "completion_tokens", "completion_tokens" },
        { "quota", "quota" }, { "elapsed_time", "elapsed_time" }, { NULL, NULL }
    };
    (void) req;
    char *column = oa_api_trim (sort);
    char *direction = oa_api_trim (order);
    for (char *c = column; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    for (char *c = direction; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    const char *found = NULL;
    for (int index = 0; allowed [index][0] && !found; index++)
        if (streq (column, allowed [index][0]))
            found = allowed [index][1];
    char *text = found? zsys_sprintf ("\"logs\".\"%s\" %s", found,
                                      streq (direction, "asc")? "ASC": "DESC")
                      : zsys_sprintf ("\"logs\".\"id\" DESC");
    char *copy = strdup (text);
    zstr_free (&text);
    free (column);
    free (direction);
    return copy;
}

//  GetAllLogs, GetUserLogs and GetTokenLogs (token not NULL).
static void
s_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, int64_t user_id, bool admin,
        const char *token)
{
    const char *sort = oa_api_arg (req, "sort_by");
    if (!sort || !*sort)
        sort = oa_api_arg (req, "sort");
    const char *order = oa_api_arg (req, "order");
    if (!order || !*order)
        order = oa_api_arg (req, "sort_order");
    if (token)
        sort = NULL;
    int64_t start = oa_api_arg_int (req, "start_timestamp");
    int64_t end = oa_api_arg_int (req, "end_timestamp");
    if (sort && *sort && start > 0 && end > 0 && end - start > 30 * 24 * 3600) {
        oa_api_fail (res, 200, "Date range for sorting cannot exceed 30 days");
        return;
    }
    s_where_t where;
    s_where_init (&where, S_FROM);
    if (!s_filters (app, req, res, &where, user_id, admin, token))
        return;
    int64_t offset, limit;
    const char *size = oa_api_arg (req, "size");
    oa_api_paging (app, req, admin && (!size || !*size)? "items_per_page": "size", &offset,
                   &limit);
    //  GetTokenLogs sorts by nothing but the newest first.
    char *clause = s_order (req, sort && !token? sort: "", order? order: "desc");
    json_t *rows = oa_api_select (app, oa_api_log_view, where.sql, where.params, where.count,
                                  clause, limit, offset);
    int64_t total = rows? oa_api_count (app, where.sql, where.params, where.count): -1;
    free (clause);
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "get logs");
        return;
    }
    oa_api_ok_total (res, rows, total);
}

//  SearchAllLogs and SearchUserLogs.
static void
s_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, int64_t user_id)
{
    s_where_t where;
    s_where_init (&where, S_FROM);
    if (user_id)
        s_filter (&where, "user_id", "=", NULL, user_id);
    const char *keyword = oa_api_arg (req, "keyword");
    keyword = keyword? keyword: "";
    char *like = zsys_sprintf ("%%%s%%", keyword);
    if (oa_api_is_uuid (keyword)) {
        where.params [where.count++] = (oa_api_param_t) { true, keyword, 0 };
        size_t used = strlen (where.sql);
        snprintf (where.sql + used, sizeof where.sql - used, " AND (\"logs\".\"uuid\" = $%d OR "
                  "\"logs\".\"user_uuid\" = $%d OR \"logs\".\"token_uuid\" = $%d OR "
                  "\"logs\".\"channel_uuid\" = $%d)", where.count, where.count, where.count,
                  where.count);
    }
    else
    if (*keyword)
        s_filter (&where, "content", "LIKE", like, 0);
    int64_t offset, limit;
    oa_api_paging (app, req, "size", &offset, &limit);
    char *clause = s_order (req, oa_api_arg (req, "sort"), oa_api_arg (req, "order"));
    json_t *rows = oa_api_select (app, oa_api_log_view, where.sql, where.params, where.count,
                                  clause, limit, offset);
    int64_t total = rows? oa_api_count (app, where.sql, where.params, where.count): -1;
    free (clause);
    zstr_free (&like);
    if (!rows || total < 0) {
        json_decref (rows);
        oa_api_fail_store (app, res, "search logs");
        return;
    }
    oa_api_ok_total (res, rows, total);
}

//  SumUsedQuota: consume logs (type 2) under the filters.
static void
s_stat (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, const char *username)
{
    s_where_t where;
    s_where_init (&where, "FROM \"logs\"");
    //  SumUsedQuota ignores ?type= and counts consume rows only.
    s_filter (&where, "type", "=", NULL, 2);
    if (username)
        s_filter (&where, "username", "=", username, 0);
    const char *names [] = { "model_name", "token_name", NULL };
    for (int index = 0; names [index]; index++) {
        const char *value = oa_api_arg (req, names [index]);
        if (value && *value)
            s_filter (&where, names [index], "=", value, 0);
    }
    const char *user_filter = oa_api_arg (req, "username");
    if (!username && user_filter && *user_filter)
        s_filter (&where, "username", "=", user_filter, 0);
    int64_t start = oa_api_arg_int (req, "start_timestamp");
    int64_t end = oa_api_arg_int (req, "end_timestamp");
    if (start)
        s_filter (&where, "created_at", ">=", NULL, start);
    if (end)
        s_filter (&where, "created_at", "<=", NULL, end);
    char *channel = oa_api_trim (oa_api_arg (req, "channel"));
    int64_t channel_id = 0;
    bool ok = !*channel || oa_api_resolve (app, res, "channels", channel, &channel_id) == 1;
    free (channel);
    if (!ok)
        return;
    if (channel_id)
        s_filter (&where, "channel_id", "=", NULL, channel_id);
    static const oa_api_column_t sum_view [] = {
        { "quota", "COALESCE(SUM(\"logs\".\"quota\"), 0)", OA_API_INT },
        { NULL, NULL, OA_API_INT }
    };
    bool found = false;
    json_t *row = oa_api_select_one (app, sum_view, where.sql, where.params, where.count, &found);
    //  one-api answers 0 when the sum fails.
    oa_api_ok (res, json_pack ("{s:I}", "quota", (json_int_t) oa_api_int (row, "quota", 0)));
    json_decref (row);
}

void
oa_api_logs_list (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_list (app, req, res, 0, true, NULL);
}

void
oa_api_logs_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_search (app, req, res, 0);
}

void
oa_api_logs_stat (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_stat (app, req, res, NULL);
}

void
oa_api_logs_self (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_list (app, req, res, req->user->id, false, NULL);
}

void
oa_api_logs_of_token (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res, int64_t user_id,
                      const char *token_name)
{
    s_list (app, req, res, user_id, false, token_name? token_name: "");
}

void
oa_api_logs_self_search (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_search (app, req, res, req->user->id);
}

void
oa_api_logs_self_stat (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    s_stat (app, req, res, req->user->username? req->user->username: "");
}

void
oa_api_logs_delete (oa_api_app_t *app, oa_api_req_t *req, oa_api_res_t *res)
{
    int64_t target = oa_api_arg_int (req, "target_timestamp");
    if (target == 0) {
        oa_api_fail (res, 200, "target timestamp is required");
        return;
    }
    oa_api_param_t param = { .i = target };
    int64_t count = oa_api_exec (app, "DELETE FROM \"logs\" WHERE \"created_at\" < $1", &param, 1,
                                 NULL);
    if (count < 0)
        oa_api_fail_store (app, res, "delete old logs");
    else
        oa_api_ok (res, json_integer (count));
}
