/*  =========================================================================
    oa_api_util - replies, query parameters, Go-compatible body decoding,
    reference resolution and the list helpers of the management API

    one-api decodes bodies with Go's encoding/json into structs, so its error
    messages name Go types ("json: cannot unmarshal string into Go struct
    field Token.remain_quota of type int64"); clients and the golden contract
    files match on them, so oa_api_decode reproduces the common ones.
    =========================================================================
*/
#include "oa_api_private.h"

#include <ctype.h>
#include <math.h>

#include "oa_ids.h"
#include "oa_log.h"

//  --------------------------------------------------------------------------
//  Replies

static void
s_envelope (oa_api_res_t *res, bool success, const char *message)
{
    json_decref (res->body);
    res->status = 200;
    res->body = json_object ();
    json_object_set_new (res->body, "success", json_boolean (success));
    json_t *text = json_string (message);
    json_object_set_new (res->body, "message", text? text: json_string ("invalid message"));
}

void
oa_api_ok (oa_api_res_t *res, json_t *data)
{
    s_envelope (res, true, "");
    if (data)
        json_object_set_new (res->body, "data", data);
}

void
oa_api_ok_total (oa_api_res_t *res, json_t *data, int64_t total)
{
    oa_api_ok (res, data);
    json_object_set_new (res->body, "total", json_integer (total));
}

void
oa_api_fail (oa_api_res_t *res, int status, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *message = zsys_vprintf (format, args);
    va_end (args);
    s_envelope (res, false, message);
    res->status = status;
    zstr_free (&message);
}

void
oa_api_fail_store (oa_api_app_t *app, oa_api_res_t *res, const char *what)
{
    const char *error = oa_store_error (oa_api_store (app));
    oa_log_error ("api", "%s: %s", what, error);
    oa_api_fail (res, 200, "%s: %s", what, error);
}

//  --------------------------------------------------------------------------
//  Query parameters

static int
s_hex (int c)
{
    return isdigit (c)? c - '0': isxdigit (c)? (tolower (c) - 'a' + 10): -1;
}

//  URL-decodes size bytes of text (+ is a space) into a fresh string.
static char *
s_url_decode (const char *text, size_t size)
{
    char *out = (char *) zmalloc (size + 1);
    size_t length = 0;
    for (size_t index = 0; index < size; index++) {
        char c = text [index];
        if (c == '+')
            c = ' ';
        else
        if (c == '%' && index + 2 < size
        &&  s_hex ((unsigned char) text [index + 1]) >= 0
        &&  s_hex ((unsigned char) text [index + 2]) >= 0) {
            c = (char) (s_hex ((unsigned char) text [index + 1]) * 16
                      + s_hex ((unsigned char) text [index + 2]));
            index += 2;
        }
        out [length++] = c;
    }
    out [length] = 0;
    return out;
}

static void
s_parse_args (oa_api_req_t *req)
{
    req->args = zhashx_new ();
    zhashx_set_destructor (req->args, (zhashx_destructor_fn *) zstr_free);
    const char *cursor = req->query? req->query: "";
    while (*cursor) {
        const char *end = strchr (cursor, '&');
        size_t size = end? (size_t) (end - cursor): strlen (cursor);
        const char *equals = memchr (cursor, '=', size);
        size_t key_size = equals? (size_t) (equals - cursor): size;
        char *key = s_url_decode (cursor, key_size);
        char *value = equals? s_url_decode (equals + 1, size - key_size - 1): strdup ("");
        //  The first value wins, as Go's url.Values.Get.
        if (*key && !zhashx_lookup (req->args, key))
            zhashx_insert (req->args, key, value);
        else
            free (value);
        free (key);
        cursor += size;
        if (*cursor == '&')
            cursor++;
    }
}

const char *
oa_api_arg (oa_api_req_t *req, const char *name)
{
    if (!req->args)
        s_parse_args (req);
    return (const char *) zhashx_lookup (req->args, name);
}

int64_t
oa_api_arg_int (oa_api_req_t *req, const char *name)
{
    const char *text = oa_api_arg (req, name);
    if (!text || !*text)
        return 0;
    char *end = NULL;
    errno = 0;
    long long value = strtoll (text, &end, 10);
    //  strconv.Atoi refuses anything but a whole number.
    if (errno || *end || isspace ((unsigned char) *text))
        return 0;
    return value;
}

void
oa_api_paging (oa_api_app_t *app, oa_api_req_t *req, const char *size_name,
               int64_t *offset, int64_t *limit)
{
    int64_t page = oa_api_arg_int (req, "p");
    if (page < 0)
        page = 0;
    int64_t size = oa_api_arg_int (req, size_name? size_name: "size");
    if (size <= 0)
        size = OA_API_DEFAULT_PAGE_SIZE;
    int64_t max = oa_api_config (app)->max_items_per_page;
    if (max > 0 && size > max)
        size = max;
    //  A huge page number must not overflow the offset.
    if (page > INT64_MAX / (size + 1))
        page = INT64_MAX / (size + 1);
    *offset = page * size;
    *limit = size;
}

const char *
oa_api_order (oa_api_req_t *req, const char *sort, const char *order,
              const char *const *allowed)
{
    char *column = oa_api_trim (sort? sort: "");
    char *direction = oa_api_trim (order? order: "");
    for (char *c = column; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    for (char *c = direction; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    const char *found = NULL;
    for (int index = 0; allowed && allowed [index] && !found; index++)
        if (streq (column, allowed [index]))
            found = allowed [index];
    char *clause = found? zsys_sprintf ("\"%s\" %s", found,
                                        streq (direction, "asc")? "ASC": "DESC")
                        : zsys_sprintf ("\"id\" DESC");
    free (column);
    free (direction);
    if (!req->args)
        s_parse_args (req);
    //  Kept with the request so the caller borrows it.
    zhashx_update (req->args, "\x01order", clause);
    return clause;
}

//  --------------------------------------------------------------------------
//  Body decoding as Go's encoding/json

static const char *
s_go_type (oa_api_go_t type)
{
    switch (type) {
        case OA_API_GO_INT: return "int";
        case OA_API_GO_INT64: return "int64";
        case OA_API_GO_UINT: return "uint";
        case OA_API_GO_UINT64: return "uint64";
        case OA_API_GO_FLOAT: return "float64";
        case OA_API_GO_STRING: return "string";
        case OA_API_GO_BOOL: return "bool";
        default: return "interface {}";
    }
}

static const char *
s_json_kind (json_t *value)
{
    switch (json_typeof (value)) {
        case JSON_OBJECT: return "object";
        case JSON_ARRAY: return "array";
        case JSON_STRING: return "string";
        case JSON_TRUE:
        case JSON_FALSE: return "bool";
        default: return "number";
    }
}

//  Returns NULL when value fits type, else Go's description of the value
//  ("string", "number 1.5", ...), fresh.
static char *
s_mismatch (json_t *value, oa_api_go_t type)
{
    if (json_is_null (value) || type == OA_API_GO_ANY)
        return NULL;
    switch (type) {
        case OA_API_GO_STRING:
            return json_is_string (value)? NULL: strdup (s_json_kind (value));
        case OA_API_GO_BOOL:
            return json_is_boolean (value)? NULL: strdup (s_json_kind (value));
        case OA_API_GO_FLOAT:
            return json_is_number (value)? NULL: strdup (s_json_kind (value));
        default:
            break;
    }
    if (json_is_integer (value)) {
        json_int_t number = json_integer_value (value);
        bool fits = type == OA_API_GO_UINT || type == OA_API_GO_UINT64? number >= 0: true;
        if (fits)
            return NULL;
        char *text = zsys_sprintf ("number %" JSON_INTEGER_FORMAT, number);
        char *copy = strdup (text);
        zstr_free (&text);
        return copy;
    }
    if (json_is_real (value)) {
        char *text = zsys_sprintf ("number %.17g", json_real_value (value));
        char *copy = strdup (text);
        zstr_free (&text);
        return copy;
    }
    return strdup (s_json_kind (value));
}

json_t *
oa_api_decode (oa_api_req_t *req, const char *go_name, const oa_api_field_t *fields,
               bool unmarshal, char *error, size_t error_size)
{
    const char *body = req->body? req->body: "";
    size_t size = req->body_size;
    size_t start = 0;
    while (start < size && isspace ((unsigned char) body [start]))
        start++;
    if (start == size) {
        snprintf (error, error_size, "%s", unmarshal? "unexpected end of JSON input": "EOF");
        return NULL;
    }
    json_error_t parse_error;
    json_t *root = json_loadb (body, size, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                               &parse_error);
    if (!root) {
        //  Input that ends too early is EOF to Go; anything else is a bad
        //  character at the position jansson stopped.
        size_t at = parse_error.position > 0? (size_t) parse_error.position - 1: 0;
        if ((size_t) parse_error.position >= size || strstr (parse_error.text, "end of"))
            snprintf (error, error_size, "%s",
                      unmarshal? "unexpected end of JSON input": "unexpected EOF");
        else
            snprintf (error, error_size, "invalid character '%c' looking for beginning of value",
                      at < size && isprint ((unsigned char) body [at])? body [at]: '?');
        return NULL;
    }
    if (json_is_null (root)) {
        json_decref (root);
        return json_object ();
    }
    if (!json_is_object (root)) {
        snprintf (error, error_size, "json: cannot unmarshal %s into Go value of type %s",
                  s_json_kind (root), go_name);
        json_decref (root);
        return NULL;
    }
    //  Go reports the first mismatch in document order; a field is matched
    //  by its JSON name.
    const char *key;
    json_t *value;
    json_object_foreach (root, key, value) {
        for (int index = 0; fields && fields [index].name; index++) {
            if (!streq (fields [index].name, key))
                continue;
            char *kind = s_mismatch (value, fields [index].type);
            if (kind) {
                snprintf (error, error_size,
                          "json: cannot unmarshal %s into Go struct field %s.%s of type %s",
                          kind, go_name, key, s_go_type (fields [index].type));
                free (kind);
                json_decref (root);
                return NULL;
            }
        }
    }
    return root;
}

const char *
oa_api_str (json_t *object, const char *name, const char *fallback)
{
    json_t *value = json_object_get (object, name);
    return json_is_string (value)? json_string_value (value): fallback;
}

int64_t
oa_api_int (json_t *object, const char *name, int64_t fallback)
{
    json_t *value = json_object_get (object, name);
    if (json_is_integer (value))
        return json_integer_value (value);
    if (json_is_real (value) && isfinite (json_real_value (value)))
        return (int64_t) json_real_value (value);
    return fallback;
}

bool
oa_api_bool (json_t *object, const char *name, bool fallback)
{
    json_t *value = json_object_get (object, name);
    return json_is_boolean (value)? json_is_true (value): fallback;
}

bool
oa_api_has (json_t *object, const char *name)
{
    json_t *value = json_object_get (object, name);
    return value && !json_is_null (value);
}

size_t
oa_api_runes (const char *text)
{
    size_t count = 0;
    for (const unsigned char *c = (const unsigned char *) (text? text: ""); *c; c++)
        if ((*c & 0xC0) != 0x80)
            count++;
    return count;
}

char *
oa_api_trim (const char *text)
{
    text = text? text: "";
    while (isspace ((unsigned char) *text))
        text++;
    size_t size = strlen (text);
    while (size && isspace ((unsigned char) text [size - 1]))
        size--;
    return strndup (text, size);
}

bool
oa_api_is_uuid (const char *text)
{
    if (!text || strlen (text) != 36)
        return false;
    for (int index = 0; index < 36; index++) {
        bool dash = index == 8 || index == 13 || index == 18 || index == 23;
        if (dash? text [index] != '-': !isxdigit ((unsigned char) text [index]))
            return false;
    }
    return true;
}

//  --------------------------------------------------------------------------
//  References and queries

int
oa_api_resolve (oa_api_app_t *app, oa_api_res_t *res, const char *table, const char *ref,
                int64_t *id)
{
    char *trimmed = oa_api_trim (ref);
    bool digits = *trimmed != 0 && strlen (trimmed) < 19;
    for (const char *c = trimmed; *c && digits; c++)
        digits = isdigit ((unsigned char) *c);
    if (!*trimmed || (!digits && !strchr (trimmed, '-'))) {
        free (trimmed);
        oa_api_fail (res, 200, OA_API_INVALID_REF);
        return 0;
    }
    char *sql = zsys_sprintf ("SELECT \"id\" FROM \"%s\" WHERE \"%s\" = $1", table,
                              digits? "id": "uuid");
    oa_stmt_t *stmt = oa_store_prepare (oa_api_store (app), sql);
    zstr_free (&sql);
    if (!stmt) {
        free (trimmed);
        oa_api_fail_store (app, res, "resolve resource reference");
        return -1;
    }
    if (digits)
        oa_stmt_bind_int64 (stmt, 1, atoll (trimmed));
    else
        oa_stmt_bind_text (stmt, 1, trimmed);
    int rc = oa_stmt_step (stmt);
    if (rc == 1)
        *id = oa_stmt_int64 (stmt, 0);
    oa_stmt_reset (stmt);
    free (trimmed);
    if (rc < 0) {
        oa_api_fail_store (app, res, "resolve uuid reference");
        return -1;
    }
    if (rc == 0 || *id <= 0) {
        oa_api_fail (res, 200, OA_API_REF_NOT_FOUND);
        return 0;
    }
    return 1;
}

static void
s_bind (oa_stmt_t *stmt, const oa_api_param_t *params, int count)
{
    for (int index = 0; index < count; index++) {
        if (params [index].text)
            oa_stmt_bind_text (stmt, index + 1, params [index].s);
        else
            oa_stmt_bind_int64 (stmt, index + 1, params [index].i);
    }
}

static char *
s_key (oa_api_app_t *app, const char *raw)
{
    const char *key = raw? raw: "";
    if (strncmp (key, "sk-", 3) == 0)
        key += 3;
    else
    if (strncmp (key, "laisky-", 7) == 0)
        key += 7;
    const char *prefix = oa_api_config (app)->token_key_prefix;
    char *text = zsys_sprintf ("%s%s", prefix && *prefix? prefix: "sk-", key);
    char *copy = strdup (text);
    zstr_free (&text);
    return copy;
}

static json_t *
s_value (oa_api_app_t *app, oa_stmt_t *stmt, int index, oa_api_kind_t kind)
{
    bool null = oa_stmt_is_null (stmt, index);
    switch (kind) {
        case OA_API_INT:
            return json_integer (oa_stmt_int64 (stmt, index));
        case OA_API_PINT:
            return null? json_null (): json_integer (oa_stmt_int64 (stmt, index));
        case OA_API_BOOL:
            return json_boolean (oa_stmt_bool (stmt, index));
        case OA_API_REAL:
            return json_real (oa_stmt_double (stmt, index));
        case OA_API_CHAR:
        case OA_API_PCHAR: {
            char *text = oa_stmt_dup_char (stmt, index);
            json_t *value = (!text || !*text) && kind == OA_API_PCHAR? json_null ()
                          : json_string (text? text: "");
            free (text);
            return value? value: json_null ();
        }
        case OA_API_KEY: {
            char *raw = oa_stmt_dup_char (stmt, index);
            char *key = s_key (app, raw);
            json_t *value = json_string (key);
            free (raw);
            free (key);
            return value? value: json_null ();
        }
        case OA_API_STR_LIST:
        case OA_API_USER_META:
        case OA_API_JSON_OMIT: {
            json_error_t error;
            const char *text = oa_stmt_text (stmt, index);
            json_t *parsed = text? json_loads (text, 0, &error): NULL;
            if (kind == OA_API_STR_LIST) {
                if (json_is_array (parsed))
                    return parsed;
                json_decref (parsed);
                return json_array ();
            }
            if (kind == OA_API_USER_META) {
                json_t *meta = json_object ();
                if (json_is_true (json_object_get (parsed, "password_locked")))
                    json_object_set_new (meta, "password_locked", json_true ());
                json_decref (parsed);
                return meta;
            }
            if (json_is_object (parsed) && json_object_size (parsed))
                return parsed;
            json_decref (parsed);
            return NULL;
        }
        default: {
            const char *text = oa_stmt_text (stmt, index);
            if (kind == OA_API_STR_OMIT && (!text || !*text))
                return NULL;
            if (null && kind == OA_API_PSTR)
                return json_null ();
            json_t *value = json_string (text? text: "");
            return value? value: json_null ();      //  not UTF-8
        }
    }
}

static json_t *
s_row (oa_api_app_t *app, oa_stmt_t *stmt, const oa_api_column_t *view)
{
    json_t *row = json_object ();
    for (int index = 0; view [index].name; index++) {
        json_t *value = s_value (app, stmt, index, view [index].kind);
        if (value)
            json_object_set_new (row, view [index].name, value);
    }
    return row;
}

static char *
s_select_sql (const oa_api_column_t *view, const char *from_where, const char *order,
              int count, bool limited)
{
    size_t size = strlen (from_where) + (order? strlen (order): 0) + 128;
    for (int index = 0; view [index].name; index++)
        size += strlen (view [index].sql) + 2;
    char *sql = (char *) zmalloc (size);
    strcpy (sql, "SELECT ");
    for (int index = 0; view [index].name; index++) {
        if (index)
            strcat (sql, ", ");
        strcat (sql, view [index].sql);
    }
    strcat (sql, " ");
    strcat (sql, from_where);
    if (order) {
        strcat (sql, " ORDER BY ");
        strcat (sql, order);
    }
    if (limited)
        sprintf (sql + strlen (sql), " LIMIT $%d OFFSET $%d", count + 1, count + 2);
    return sql;
}

json_t *
oa_api_select (oa_api_app_t *app, const oa_api_column_t *view, const char *from_where,
               const oa_api_param_t *params, int count, const char *order, int64_t limit,
               int64_t offset)
{
    char *sql = s_select_sql (view, from_where, order, count, limit >= 0);
    oa_stmt_t *stmt = oa_store_prepare (oa_api_store (app), sql);
    free (sql);
    if (!stmt)
        return NULL;
    s_bind (stmt, params, count);
    if (limit >= 0) {
        oa_stmt_bind_int64 (stmt, count + 1, limit);
        oa_stmt_bind_int64 (stmt, count + 2, offset);
    }
    json_t *rows = json_array ();
    int rc;
    while ((rc = oa_stmt_step (stmt)) == 1)
        json_array_append_new (rows, s_row (app, stmt, view));
    oa_stmt_reset (stmt);
    if (rc < 0) {
        json_decref (rows);
        return NULL;
    }
    return rows;
}

json_t *
oa_api_select_one (oa_api_app_t *app, const oa_api_column_t *view, const char *from_where,
                   const oa_api_param_t *params, int count, bool *found)
{
    json_t *rows = oa_api_select (app, view, from_where, params, count, NULL, 1, 0);
    *found = !rows || json_array_size (rows) > 0;
    json_t *row = rows? json_incref (json_array_get (rows, 0)): NULL;
    json_decref (rows);
    return row;
}

int64_t
oa_api_count (oa_api_app_t *app, const char *from_where, const oa_api_param_t *params,
              int count)
{
    char *sql = zsys_sprintf ("SELECT COUNT(*) %s", from_where);
    oa_stmt_t *stmt = oa_store_prepare (oa_api_store (app), sql);
    zstr_free (&sql);
    if (!stmt)
        return -1;
    s_bind (stmt, params, count);
    int rc = oa_stmt_step (stmt);
    int64_t total = rc == 1? oa_stmt_int64 (stmt, 0): -1;
    oa_stmt_reset (stmt);
    return total;
}

int64_t
oa_api_exec (oa_api_app_t *app, const char *sql, const oa_api_param_t *params, int count,
             oa_store_errcode_t *errcode)
{
    oa_store_t *store = oa_api_store (app);
    oa_stmt_t *stmt = oa_store_prepare (store, sql);
    int64_t changed = -1;
    if (stmt) {
        s_bind (stmt, params, count);
        if (oa_stmt_exec (stmt) == 0)
            changed = oa_stmt_changes (stmt);
        oa_stmt_reset (stmt);
    }
    if (errcode)
        *errcode = changed < 0? oa_store_errcode (store): OA_STORE_OK;
    if (changed < 0)
        oa_log_warn ("api", "write failed: %s", oa_store_error (store));
    return changed;
}

//  --------------------------------------------------------------------------
//  Options and logs

char *
oa_api_option (oa_api_app_t *app, const char *key, const char *fallback)
{
    char *value = NULL;
    int rc = oa_store_option_get (oa_api_store (app), key, &value);
    if (rc == 1 && value)
        return value;
    free (value);
    return fallback? strdup (fallback): NULL;
}

bool
oa_api_option_bool (oa_api_app_t *app, const char *key, bool fallback)
{
    char *value = oa_api_option (app, key, fallback? "true": "false");
    bool result = value && streq (value, "true");
    free (value);
    return result;
}

int64_t
oa_api_option_int (oa_api_app_t *app, const char *key, int64_t fallback)
{
    char *value = oa_api_option (app, key, NULL);
    int64_t result = value? strtoll (value, NULL, 10): fallback;
    free (value);
    return result;
}

char *
oa_api_log_quota (oa_api_app_t *app, int64_t quota)
{
    char *text = NULL;
    if (oa_api_option_bool (app, "DisplayInCurrencyEnabled", true)) {
        char *unit = oa_api_option (app, "QuotaPerUnit", "500000");
        double per_unit = atof (unit);
        free (unit);
        text = zsys_sprintf ("\xef\xbc\x84%.6f quota", (double) quota / (per_unit > 0? per_unit
                                                                                    : 500000));
    }
    else
        text = zsys_sprintf ("%" PRId64 " point quota", quota);
    char *copy = strdup (text);
    zstr_free (&text);
    return copy;
}

void
oa_api_log (oa_api_app_t *app, int64_t user_id, int type, const char *content, int64_t quota)
{
    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    int64_t now_ms = oa_clock_ms ();
    oa_api_param_t params [] = {
        { .i = user_id }, { true, uuid, 0 }, { .i = now_ms / 1000 }, { .i = type },
        { true, content, 0 }, { .i = quota }, { .i = now_ms }
    };
    //  username and user_uuid come from the user row, as one-api fills them.
    if (oa_api_exec (app, "INSERT INTO \"logs\" (\"user_id\", \"uuid\", \"user_uuid\", "
                     "\"username\", \"created_at\", \"type\", \"content\", \"quota\", "
                     "\"updated_at\") SELECT $1, $2, \"uuid\", \"username\", $3, $4, $5, $6, $7 "
                     "FROM \"users\" WHERE \"id\" = $1", params, 7, NULL) < 0)
        oa_log_warn ("api", "log for user %" PRId64 " not written", user_id);
}
