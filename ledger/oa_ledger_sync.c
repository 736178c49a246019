/*  =========================================================================
    oa_ledger_sync - snapshots and the change stream for gateways (see
    oa_ledger_sync.h; the abilities projection is in
    oa_ledger_sync_abilities.c, the self test in oa_ledger_sync_test.c)

    Row format.  One JSON object per row, keyed by one-api's column names,
    integers as numbers, booleans as true/false whatever the driver stores,
    NULL as null, char(n) columns without PostgreSQL's padding.  Secrets
    the gateway never needs stay in the ledger (users.password,
    users.access_token, users.totp_secret).  abilities.suspend_until is
    sent as epoch milliseconds (null when not suspended), because SQLite
    and PostgreSQL spell timestamps differently.
    =========================================================================
*/
#include "oa_ledger_sync.h"

#include <jansson.h>

#include "oa_billing.h"
#include "oa_ids.h"
#include "oa_log.h"
#include "oa_msg.h"
#include "oa_store_testdb.h"

//  Column kinds of a snapshot query.
typedef enum {
    S_INT,                      //  integer
    S_TEXT,                     //  text, NULL -> null
    S_CHAR,                     //  char(n): trailing blanks removed
    S_BOOL,                     //  boolean (SQLite: numeric)
    S_REAL                      //  double
} s_kind_t;

typedef struct {
    const char *name;           //  one-api's column name, the JSON key
    s_kind_t kind;              //  how to read it
} s_column_t;

typedef struct {
    const char *table;          //  table name, as in CHANGE and SNAPSHOT_CHUNK
    const s_column_t *columns;  //  NULL-terminated
    const char *sql_sqlite;     //  query on SQLite
    const char *sql_pg;         //  query on PostgreSQL
} s_table_t;

static const s_column_t s_token_columns [] = {
    { "id", S_INT }, { "uuid", S_CHAR }, { "user_id", S_INT }, { "user_uuid", S_CHAR },
    { "key", S_CHAR }, { "status", S_INT }, { "name", S_TEXT }, { "created_time", S_INT },
    { "accessed_time", S_INT }, { "expired_time", S_INT }, { "remain_quota", S_INT },
    { "unlimited_quota", S_BOOL }, { "used_quota", S_INT }, { "models", S_TEXT },
    { "subnet", S_TEXT }, { NULL, S_INT }
};
#define S_TOKENS_SELECT "SELECT \"id\", \"uuid\", \"user_id\", \"user_uuid\", \"key\", " \
    "\"status\", \"name\", \"created_time\", \"accessed_time\", \"expired_time\", " \
    "\"remain_quota\", \"unlimited_quota\", \"used_quota\", \"models\", \"subnet\" FROM \"tokens\""
#define S_TOKENS_SQL S_TOKENS_SELECT " ORDER BY \"id\""

static const s_column_t s_user_columns [] = {
    { "id", S_INT }, { "uuid", S_CHAR }, { "username", S_TEXT }, { "display_name", S_TEXT },
    { "role", S_INT }, { "status", S_INT }, { "email", S_TEXT }, { "quota", S_INT },
    { "used_quota", S_INT }, { "request_count", S_INT }, { "group", S_TEXT },
    { NULL, S_INT }
};
#define S_USERS_SELECT "SELECT \"id\", \"uuid\", \"username\", \"display_name\", \"role\", " \
    "\"status\", \"email\", \"quota\", \"used_quota\", \"request_count\", \"group\" " \
    "FROM \"users\""
#define S_USERS_SQL S_USERS_SELECT " ORDER BY \"id\""

static const s_column_t s_channel_columns [] = {
    { "id", S_INT }, { "uuid", S_CHAR }, { "type", S_INT }, { "key", S_TEXT },
    { "status", S_INT }, { "name", S_TEXT }, { "weight", S_INT }, { "priority", S_INT },
    { "base_url", S_TEXT }, { "other", S_TEXT }, { "models", S_TEXT },
    { "hidden_models", S_TEXT }, { "model_mapping", S_TEXT }, { "model_configs", S_TEXT },
    { "group", S_TEXT }, { "config", S_TEXT }, { "system_prompt", S_TEXT },
    { "ratelimit", S_INT }, { "testing_model", S_TEXT }, { "balance", S_REAL },
    { NULL, S_INT }
};
#define S_CHANNELS_SQL "SELECT \"id\", \"uuid\", \"type\", \"key\", \"status\", \"name\", " \
    "\"weight\", \"priority\", \"base_url\", \"other\", \"models\", \"hidden_models\", " \
    "\"model_mapping\", \"model_configs\", \"group\", \"config\", \"system_prompt\", " \
    "\"ratelimit\", \"testing_model\", \"balance\" FROM \"channels\" ORDER BY \"id\""

static const s_column_t s_ability_columns [] = {
    { "group", S_TEXT }, { "model", S_TEXT }, { "channel_id", S_INT }, { "enabled", S_BOOL },
    { "priority", S_INT }, { "suspend_until", S_INT }, { NULL, S_INT }
};
#define S_ABILITIES_HEAD "SELECT \"group\", \"model\", \"channel_id\", \"enabled\", \"priority\", "
#define S_ABILITIES_TAIL " FROM \"abilities\" ORDER BY \"group\", \"model\", \"channel_id\""

static const s_column_t s_option_columns [] = {
    { "key", S_TEXT }, { "value", S_TEXT }, { NULL, S_INT }
};
#define S_OPTIONS_SQL "SELECT \"key\", \"value\" FROM \"options\" ORDER BY \"key\""

static const s_table_t s_tables [] = {
    { "tokens", s_token_columns, S_TOKENS_SQL, S_TOKENS_SQL },
    { "users", s_user_columns, S_USERS_SQL, S_USERS_SQL },
    { "channels", s_channel_columns, S_CHANNELS_SQL, S_CHANNELS_SQL },
    { "abilities", s_ability_columns,
      S_ABILITIES_HEAD "CAST(strftime('%s', \"suspend_until\") AS INTEGER) * 1000" S_ABILITIES_TAIL,
      S_ABILITIES_HEAD "CAST(EXTRACT(EPOCH FROM \"suspend_until\") * 1000 AS bigint)"
      S_ABILITIES_TAIL },
    { "options", s_option_columns, S_OPTIONS_SQL, S_OPTIONS_SQL },
    { NULL, NULL, NULL, NULL }
};

struct _oa_ledger_sync_t {
    oa_store_t *store;          //  the ledger's connection; borrowed
    zsock_t *router;            //  SNAPSHOT_REQUEST in, SNAPSHOT_CHUNK out; USAGE in
    zsock_t *pub;               //  CHANGE out
    uint64_t seq;               //  last change seq assigned
    uint64_t usage_count;       //  USAGE messages received
    uint64_t snapshot_count;    //  snapshots sent in full
    uint64_t malformed;         //  undecodable messages dropped
    oa_billing_t *billing;      //  settles USAGE; borrowed, NULL = count only
    oa_ledger_sync_handler_fn *handler;     //  other messages (RESERVE), or NULL
    void *handler_arg;          //  its argument
};

oa_ledger_sync_t *
oa_ledger_sync_new (oa_store_t *store, const char *router_endpoint, const char *pub_endpoint,
                    char *err, size_t err_size)
{
    assert (store);
    oa_ledger_sync_t *self = (oa_ledger_sync_t *) zmalloc (sizeof (oa_ledger_sync_t));
    self->store = store;
    self->seq = (uint64_t) oa_clock_ms () * 1000;
    self->router = zsock_new (ZMQ_ROUTER);
    self->pub = zsock_new (ZMQ_PUB);
    assert (self->router && self->pub);
    zsock_set_linger (self->router, 0);
    zsock_set_linger (self->pub, 0);
    //  Up to ~1000 chunks (about 1 GiB) queued per gateway; changes are
    //  small, and a subscriber that falls 100,000 behind loses some and
    //  sees the gap.
    zsock_set_sndhwm (self->router, 1000);
    zsock_set_rcvhwm (self->router, 10000);
    zsock_set_sndhwm (self->pub, 100000);
    //  An unknown peer is an error we see (EHOSTUNREACH), not a silent drop.
    zsock_set_router_mandatory (self->router, 1);
    const char *failed = NULL;
    if (zsock_bind (self->router, "%s", router_endpoint) < 0)
        failed = router_endpoint;
    else
    if (zsock_bind (self->pub, "%s", pub_endpoint) < 0)
        failed = pub_endpoint;
    if (failed) {
        snprintf (err, err_size, "cannot bind %s: %s", failed, zmq_strerror (zmq_errno ()));
        oa_ledger_sync_destroy (&self);
        return NULL;
    }
    oa_log_info ("ledger", "sync: requests on %s, changes on %s", router_endpoint, pub_endpoint);
    return self;
}

void
oa_ledger_sync_destroy (oa_ledger_sync_t **self_p)
{
    oa_ledger_sync_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->router);
    zsock_destroy (&self->pub);
    free (self);
    *self_p = NULL;
}

zsock_t *
oa_ledger_sync_router (oa_ledger_sync_t *self)
{
    return self->router;
}

uint64_t
oa_ledger_sync_seq (oa_ledger_sync_t *self)
{
    return self->seq;
}

uint64_t
oa_ledger_sync_usage_count (oa_ledger_sync_t *self)
{
    return self->usage_count;
}

uint64_t
oa_ledger_sync_snapshot_count (oa_ledger_sync_t *self)
{
    return self->snapshot_count;
}

//  --------------------------------------------------------------------------
//  Snapshots

static json_t *
s_row (oa_stmt_t *stmt, const s_column_t *columns)
{
    json_t *row = json_object ();
    for (int index = 0; columns [index].name; index++) {
        json_t *value = NULL;
        if (oa_stmt_is_null (stmt, index))
            value = json_null ();
        else
        switch (columns [index].kind) {
            case S_INT:
                value = json_integer (oa_stmt_int64 (stmt, index));
                break;
            case S_BOOL:
                value = json_boolean (oa_stmt_bool (stmt, index));
                break;
            case S_REAL:
                value = json_real (oa_stmt_double (stmt, index));
                break;
            case S_CHAR: {
                char *text = oa_stmt_dup_char (stmt, index);
                value = json_string (text? text: "");
                free (text);
                break;
            }
            default: {
                const char *text = oa_stmt_text (stmt, index);
                //  Not UTF-8 (a legacy row): send it as null, not broken JSON.
                value = json_string (text? text: "");
                if (!value)
                    value = json_null ();
            }
        }
        json_object_set_new (row, columns [index].name, value);
    }
    return row;
}

//  A growing text buffer for CHANGE rows.
typedef struct {
    char *data;                 //  NUL-terminated; owned
    size_t size;                //  bytes used
    size_t capacity;            //  bytes allocated
} s_text_t;

static void
s_text_add (s_text_t *text, const char *bytes, size_t len)
{
    if (text->size + len + 1 > text->capacity) {
        size_t capacity = text->capacity? text->capacity: 1024;
        while (capacity < text->size + len + 1)
            capacity *= 2;
        text->data = (char *) realloc (text->data, capacity);
        assert (text->data);
        text->capacity = capacity;
    }
    memcpy (text->data + text->size, bytes, len);
    text->size += len;
    text->data [text->size] = 0;
}

//  True when JSON takes the bytes as they are: printable ASCII but " and \.
static bool
s_plain (const char *text, size_t len)
{
    for (size_t at = 0; at < len; at++) {
        unsigned char c = (unsigned char) text [at];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
            return false;
    }
    return true;
}

//  The current row as json_dumps (s_row (stmt, columns), JSON_COMPACT)
//  writes it, into text, without building the object (a CHANGE per token
//  and user of every batch): integers, booleans, null and plain strings
//  directly, anything else (escapes, non-ASCII, reals) by jansson, one
//  value at a time.  oa_ledger_sync_rows_test holds the two to the same bytes.
static void
s_row_text (oa_stmt_t *stmt, const s_column_t *columns, s_text_t *text)
{
    text->size = 0;
    s_text_add (text, "{", 1);
    bool first = true;
    for (int index = 0; columns [index].name; index++) {
        char number [24];
        const char *bytes = NULL;
        size_t len = 0;
        char *dumped = NULL;
        json_t *value = NULL;
        bool quoted = false;        //  bytes is a plain string's content
        s_kind_t kind = columns [index].kind;
        if (oa_stmt_is_null (stmt, index)) {
            bytes = "null";
            len = 4;
        }
        else
        if (kind == S_INT) {
            len = oa_store_decimal (oa_stmt_int64 (stmt, index), number);
            bytes = number;
        }
        else
        if (kind == S_BOOL) {
            bytes = oa_stmt_bool (stmt, index)? "true": "false";
            len = strlen (bytes);
        }
        else
        if (kind == S_REAL)
            value = json_real (oa_stmt_double (stmt, index));
        else {
            const char *raw = oa_stmt_text (stmt, index);
            raw = raw? raw: "";
            len = strlen (raw);
            if (kind == S_CHAR)
                while (len > 0 && raw [len - 1] == ' ')
                    len--;
            if (s_plain (raw, len)) {
                bytes = raw;
                quoted = true;
            }
            else {
                value = json_stringn (raw, len);
                //  Not UTF-8: s_row sends text as null and leaves char out
                if (!value && kind == S_CHAR)
                    continue;
                if (!value)
                    value = json_null ();
            }
        }
        if (value) {
            dumped = json_dumps (value, JSON_COMPACT | JSON_ENCODE_ANY);
            json_decref (value);
            assert (dumped);
            bytes = dumped;
            len = strlen (dumped);
        }
        if (!first)
            s_text_add (text, ",", 1);
        first = false;
        s_text_add (text, "\"", 1);
        s_text_add (text, columns [index].name, strlen (columns [index].name));
        s_text_add (text, "\":", 2);
        if (quoted)
            s_text_add (text, "\"", 1);
        s_text_add (text, bytes, len);
        if (quoted)
            s_text_add (text, "\"", 1);
        free (dumped);
    }
    s_text_add (text, "}", 1);
}

typedef struct {
    oa_ledger_sync_t *sync;     //  owner
    oa_msg_t *request;          //  the SNAPSHOT_REQUEST (routing id)
    oa_msg_t *held;             //  the latest chunk, sent once the next exists
    int failed;                 //  a send failed: stop
} s_stream_t;

static void
s_stream_flush (s_stream_t *stream)
{
    if (!stream->held)
        return;
    if (!stream->failed
    &&  oa_msg_send (stream->held, zsock_resolve (stream->sync->router), OA_MSG_DONTWAIT) != 0) {
        oa_log_warn ("ledger", "sync: snapshot to %s abandoned: %s",
                     oa_msg_gateway_id (stream->request), strerror (errno));
        stream->failed = 1;
    }
    oa_msg_destroy (&stream->held);
}

static void
s_stream_chunk (s_stream_t *stream, const char *table, const char *payload, size_t size,
                uint32_t rows)
{
    s_stream_flush (stream);
    oa_msg_t *chunk = oa_msg_new_reply (stream->request, OA_MSG_SNAPSHOT_CHUNK);
    oa_msg_set_table (chunk, table);
    oa_msg_set_seq (chunk, stream->sync->seq);
    oa_msg_set_row_count (chunk, rows);
    oa_msg_set_payload_bytes (chunk, payload, size);
    stream->held = chunk;
}

//  Streams one table in chunks of at most OA_LEDGER_SYNC_CHUNK_BYTES.
static int
s_stream_table (s_stream_t *stream, const s_table_t *table)
{
    oa_store_t *store = stream->sync->store;
    oa_stmt_t *stmt = oa_store_prepare (store, oa_store_is_postgres (store)? table->sql_pg
                                                                           : table->sql_sqlite);
    if (!stmt)
        return -1;
    size_t capacity = 64 * 1024;
    char *buffer = (char *) malloc (capacity);
    assert (buffer);
    size_t size = 1;
    buffer [0] = '[';
    uint32_t rows = 0;
    int rc = 0;
    while (!stream->failed && (rc = oa_stmt_step (stmt)) == 1) {
        json_t *row = s_row (stmt, table->columns);
        char *text = json_dumps (row, JSON_COMPACT);
        json_decref (row);
        assert (text);
        size_t len = strlen (text);
        if (rows > 0 && size + len + 2 > OA_LEDGER_SYNC_CHUNK_BYTES) {
            buffer [size++] = ']';
            s_stream_chunk (stream, table->table, buffer, size, rows);
            size = 1;
            rows = 0;
        }
        if (size + len + 2 > capacity) {
            capacity = (size + len + 2) * 2;
            buffer = (char *) realloc (buffer, capacity);
            assert (buffer);
        }
        if (rows > 0)
            buffer [size++] = ',';
        memcpy (buffer + size, text, len);
        size += len;
        rows++;
        free (text);
    }
    oa_stmt_reset (stmt);
    if (rc < 0) {
        oa_log_error ("ledger", "sync: reading %s: %s", table->table, oa_store_error (store));
        free (buffer);
        return -1;
    }
    buffer [size++] = ']';
    s_stream_chunk (stream, table->table, buffer, size, rows);
    free (buffer);
    return 0;
}

static void
s_serve_snapshot (oa_ledger_sync_t *self, oa_msg_t *request)
{
    zlist_t *wanted = oa_msg_tables (request);
    s_stream_t stream = { self, request, NULL, 0 };
    int rc = 0;
    for (const s_table_t *table = s_tables; table->table && rc == 0 && !stream.failed; table++) {
        bool include = !wanted || zlist_size (wanted) == 0;
        for (const char *name = wanted? (const char *) zlist_first (wanted): NULL;
             name && !include; name = (const char *) zlist_next (wanted))
            include = streq (name, table->table);
        if (include)
            rc = s_stream_table (&stream, table);
    }
    if (rc == 0 && stream.held) {
        oa_msg_set_last (stream.held, true);
        s_stream_flush (&stream);
        if (!stream.failed) {
            self->snapshot_count++;
            oa_log_info ("ledger", "sync: snapshot at seq %" PRIu64 " sent to %s", self->seq,
                         oa_msg_gateway_id (request));
        }
    }
    oa_msg_destroy (&stream.held);
}

void
oa_ledger_sync_handle (oa_ledger_sync_t *self)
{
    //  A bounded batch, so the pipe ($TERM) is served between batches.
    for (int count = 0; count < 100; count++) {
        int err = 0;
        oa_msg_t *msg = oa_msg_recv (zsock_resolve (self->router), OA_MSG_DONTWAIT, &err);
        if (!msg) {
            if (err == OA_MSG_MALFORMED) {
                self->malformed++;
                continue;
            }
            return;             //  nothing more queued
        }
        if (oa_msg_id (msg) == OA_MSG_SNAPSHOT_REQUEST)
            s_serve_snapshot (self, msg);
        else
        if (oa_msg_id (msg) == OA_MSG_USAGE) {
            self->usage_count++;
            if (self->billing)
                oa_billing_usage (self->billing, &msg);     //  takes it
            else
                //  No billing: reply nothing, so the worker keeps it journaled.
                oa_log_debug ("ledger", "sync: USAGE corr %" PRIu64 " received (not billed)",
                              oa_msg_corr_id (msg));
        }
        else
        if (self->handler)
            self->handler (self->handler_arg, &msg);
        else
            oa_log_debug ("ledger", "sync: %s ignored", oa_msg_command (msg));
        oa_msg_destroy (&msg);
    }
}

//  --------------------------------------------------------------------------
//  Changes

static char *
s_row_id (const char *table, json_t *row)
{
    if (streq (table, "options")) {
        json_t *key = json_object_get (row, "key");
        return json_is_string (key)? strdup (json_string_value (key)): NULL;
    }
    if (streq (table, "abilities")) {
        json_t *group = json_object_get (row, "group");
        json_t *model = json_object_get (row, "model");
        json_t *channel = json_object_get (row, "channel_id");
        if (!json_is_string (group) || !json_is_string (model) || !json_is_integer (channel))
            return NULL;
        char *text = zsys_sprintf ("%s/%s/%" JSON_INTEGER_FORMAT, json_string_value (group),
                                   json_string_value (model), json_integer_value (channel));
        char *copy = strdup (text);
        zstr_free (&text);
        return copy;
    }
    json_t *id = json_object_get (row, "id");
    if (!json_is_integer (id))
        return NULL;
    char *text = zsys_sprintf ("%" JSON_INTEGER_FORMAT, json_integer_value (id));
    char *copy = strdup (text);
    zstr_free (&text);
    return copy;
}

uint64_t
oa_ledger_sync_publish (oa_ledger_sync_t *self, const char *table, int op, const char *row_json)
{
    assert (self);
    assert (table);
    assert (op == OA_MSG_OP_UPSERT || op == OA_MSG_OP_DELETE);
    json_error_t error;
    json_t *row = row_json? json_loads (row_json, 0, &error): NULL;
    char *row_id = json_is_object (row)? s_row_id (table, row): NULL;
    json_decref (row);
    if (!row_id) {
        oa_log_error ("ledger", "sync: %s change without its key: not published", table);
        return 0;
    }
    oa_msg_t *change = oa_msg_new (OA_MSG_CHANGE);
    oa_msg_set_seq (change, ++self->seq);
    oa_msg_set_table (change, table);
    oa_msg_set_op (change, (uint8_t) op);
    oa_msg_set_row_id (change, row_id);
    oa_msg_set_payload_bytes (change, row_json, strlen (row_json));
    //  PUB never blocks: past the HWM a subscriber loses the message and
    //  finds the gap by seq.
    if (oa_msg_send (change, zsock_resolve (self->pub), OA_MSG_DONTWAIT) != 0)
        oa_log_warn ("ledger", "sync: change %" PRIu64 " not sent: %s", self->seq,
                     strerror (errno));
    oa_msg_destroy (&change);
    free (row_id);
    return self->seq;
}

void
oa_ledger_sync_set_store (oa_ledger_sync_t *self, oa_store_t *store)
{
    assert (self);
    assert (store);
    self->store = store;
}

void
oa_ledger_sync_set_billing (oa_ledger_sync_t *self, oa_billing_t *billing)
{
    assert (self);
    self->billing = billing;
}

void
oa_ledger_sync_set_handler (oa_ledger_sync_t *self, oa_ledger_sync_handler_fn *handler, void *arg)
{
    assert (self);
    self->handler = handler;
    self->handler_arg = arg;
}

//  Publishes one row under its id, without parsing it back.
static void
s_publish_row (oa_ledger_sync_t *self, const char *table, const char *row_id,
               const char *row_json)
{
    oa_msg_t *change = oa_msg_new (OA_MSG_CHANGE);
    oa_msg_set_seq (change, ++self->seq);
    oa_msg_set_table (change, table);
    oa_msg_set_op (change, OA_MSG_OP_UPSERT);
    oa_msg_set_row_id (change, row_id);
    oa_msg_set_payload_bytes (change, row_json, strlen (row_json));
    if (oa_msg_send (change, zsock_resolve (self->pub), OA_MSG_DONTWAIT) != 0)
        oa_log_warn ("ledger", "sync: change %" PRIu64 " not sent: %s", self->seq,
                     strerror (errno));
    oa_msg_destroy (&change);
}

#define S_BY_IDS_PG " WHERE \"id\" IN " \
    "(SELECT CAST(json_array_elements_text(CAST($1 AS json)) AS bigint)) ORDER BY \"id\""
#define S_BY_IDS_LITE " WHERE \"id\" IN (SELECT value FROM json_each($1)) ORDER BY \"id\""

int
oa_ledger_sync_publish_ids (oa_ledger_sync_t *self, const char *table, const int64_t *ids,
                            size_t count)
{
    assert (self);
    assert (table);
    bool pg = oa_store_is_postgres (self->store);
    const char *sql = NULL;
    const s_column_t *columns = NULL;
    if (streq (table, "tokens")) {
        sql = pg? S_TOKENS_SELECT S_BY_IDS_PG: S_TOKENS_SELECT S_BY_IDS_LITE;
        columns = s_token_columns;
    }
    else
    if (streq (table, "users")) {
        sql = pg? S_USERS_SELECT S_BY_IDS_PG: S_USERS_SELECT S_BY_IDS_LITE;
        columns = s_user_columns;
    }
    else
        return -1;
    if (!count)
        return 0;
    //  The ids as a JSON array: one parameter whatever their number.
    s_text_t list = { NULL, 0, 0 };
    s_text_add (&list, "[", 1);
    for (size_t index = 0; index < count; index++) {
        char number [24];
        if (index)
            s_text_add (&list, ",", 1);
        s_text_add (&list, number, oa_store_decimal (ids [index], number));
    }
    s_text_add (&list, "]", 1);
    oa_stmt_t *stmt = oa_store_prepare (self->store, sql);
    int published = stmt? 0: -1;
    s_text_t text = { NULL, 0, 0 };
    if (stmt) {
        oa_stmt_bind_text_ref (stmt, 1, list.data);
        int rc;
        while ((rc = oa_stmt_step (stmt)) == 1) {
            s_row_text (stmt, columns, &text);
            char row_id [24];
            oa_store_decimal (oa_stmt_int64 (stmt, 0), row_id);
            s_publish_row (self, table, row_id, text.data);
            published++;
        }
        oa_stmt_reset (stmt);
        if (rc < 0) {
            oa_log_error ("ledger", "sync: reading %s changes: %s", table,
                          oa_store_error (self->store));
            published = -1;
        }
    }
    free (text.data);
    free (list.data);
    return published;
}

//  --------------------------------------------------------------------------
//  Self test of the CHANGE row writer: the same bytes as jansson's.

void
oa_ledger_sync_rows_test (bool verbose)
{
    (void) verbose;
    char *path = oa_store_testdb_sqlite_path ();
    char err [256];
    oa_store_t *store = oa_store_open (NULL, path, err, sizeof err);
    assert (store);
    assert (oa_store_exec (store, "CREATE TABLE \"t\" (\"n\" integer, \"c\" char(12), "
                           "\"x\" text, \"b\" numeric, \"r\" real)") == 0);
    assert (oa_store_exec (store, "INSERT INTO \"t\" VALUES "
        "(1, 'plain', 'a b/c~', 1, 1.5), "
        "(-9223372036854775808, 'pad  ', 'quote\" back\\ slash', 0, 0.1), "
        "(9223372036854775807, ' lead', 'tab' || char(9) || 'nl' || char(10) || 'cr' || char(13) "
        "|| 'bell' || char(7) || 'del' || char(127), 'true', 1e300), "
        "(0, 'h\xc3\xa9', 'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80', 't', -0.0), "
        "(NULL, NULL, NULL, NULL, NULL), "
        "(2, CAST(X'61C3' AS TEXT), CAST(X'FF62' AS TEXT), 2, 3), "
        "(3, '', '', '', 100), "
        "(4, 'say \"hi\"', 'back\\slash', 1, 2)") == 0);
    static const s_column_t columns [] = {
        { "n", S_INT }, { "c", S_CHAR }, { "x", S_TEXT }, { "b", S_BOOL }, { "r", S_REAL },
        { NULL, S_INT }
    };
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT \"n\", \"c\", \"x\", \"b\", \"r\" "
                                        "FROM \"t\" ORDER BY rowid");
    assert (stmt);
    s_text_t text = { NULL, 0, 0 };
    int rows = 0;
    while (oa_stmt_step (stmt) == 1) {
        json_t *row = s_row (stmt, columns);
        char *want = json_dumps (row, JSON_COMPACT);
        json_decref (row);
        s_row_text (stmt, columns, &text);
        if (strcmp (want, text.data))
            fprintf (stderr, "row %d: want %s\n        got  %s\n", rows, want, text.data);
        assert (streq (want, text.data));
        free (want);
        rows++;
    }
    assert (rows == 8);
    oa_stmt_reset (stmt);
    free (text.data);
    oa_store_destroy (&store);
    oa_store_testdb_sqlite_remove (&path);
}
