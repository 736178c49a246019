/*  =========================================================================
    oa_billing_private - what the billing sources share

    oa_billing.c        the batch: queue, settle, acknowledge, publish
    oa_billing_price.c  pricing one event
    oa_billing_sql.c    the batch's statements (reads, cost and log rows,
                        balances)
    oa_billing_text.c   text encodings of parameters: JSON, COPY, text[]

    The batch is an array of events; the SQL side reads the rows a batch
    needs and writes its effects with one statement per table (PostgreSQL:
    JSON array parameters and COPY; SQLite: bound rows and json_each), so a
    batch of 1,000 costs a handful of round trips whatever its size.
    =========================================================================
*/
#ifndef OA_BILLING_PRIVATE_H_INCLUDED
#define OA_BILLING_PRIVATE_H_INCLUDED

#include "oa_billing.h"
#include "oa_ids.h"
#include "pricing/oa_pricing.h"

//  What happens to an event of the batch.
typedef enum {
    OA_BILLING_BILL = 0,        //  to be billed (if its request id is new)
    OA_BILLING_DUPLICATE,       //  same request id earlier in this batch: ack only
    OA_BILLING_UNBILLED,        //  nothing to bill (failed request, no channel): ack only
    OA_BILLING_ERROR            //  cannot be billed (unknown token, poison): ack, count
} oa_billing_state_t;

//  One USAGE in the batch.
typedef struct {
    oa_msg_t *msg;              //  the USAGE; owns its strings and routing id
    oa_billing_state_t state;   //  what happens to it
    bool is_new;                //  its cost row was inserted: billed now
    int64_t received_us;        //  monotonic us when it arrived
    int64_t user_id;            //  billed user: the token's owner
    int64_t quota;              //  final quota
    int64_t prompt_tokens;      //  as logged
    int64_t completion_tokens;  //  as logged
    int64_t cached_prompt_tokens;   //  billed at the cache-read price
    char *content;              //  log content; owned
    char *metadata;             //  log metadata JSON, NULL = none; owned
    const char *username;       //  users.username; borrowed from the batch's users
    const char *user_uuid;      //  users.uuid; borrowed
    const char *token_uuid;     //  tokens.uuid; borrowed
    const char *channel_uuid;   //  channels.uuid; borrowed, NULL when deleted
    char cost_uuid [OA_UUID_SIZE];  //  uuid of the user_request_costs row
    char log_uuid [OA_UUID_SIZE];   //  uuid of the logs row
} oa_billing_event_t;

//  A token a batch bills.
typedef struct {
    int64_t id;                 //  tokens.id
    int64_t user_id;            //  owner
    bool unlimited;             //  remain_quota untouched
    char *uuid;                 //  tokens.uuid; owned
    int64_t quota;              //  sum billed in this batch
    bool touched;               //  at least one new event
} oa_billing_token_t;

//  A user a batch bills.
typedef struct {
    int64_t id;                 //  users.id
    char *username;             //  for log rows; owned
    char *uuid;                 //  users.uuid; owned
    int64_t quota;              //  sum billed in this batch
    int64_t used;               //  sum of positive charges
    int64_t count;              //  requests with a positive charge
    bool touched;               //  at least one new event
} oa_billing_user_t;

//  A channel, cached across batches; pricing is reloaded when its
//  overrides change.
typedef struct {
    int64_t id;                 //  channels.id
    int64_t type;               //  channel type id
    char *group;                //  CSV of groups; owned
    char *uuid;                 //  channels.uuid; owned
    char *model_configs;        //  last loaded text; owned
    char *model_ratio;          //  last loaded text; owned
    char *completion_ratio;     //  last loaded text; owned
    oa_pricing_channel_t *pricing;  //  parsed overrides
    bool seen;                  //  read in the current batch
    int64_t used;               //  sum billed in this batch
} oa_billing_channel_t;

//  A growing text buffer for the JSON parameters.
typedef struct {
    char *data;                 //  NUL-terminated text; owned
    size_t size;                //  bytes used, terminator excluded
    size_t capacity;            //  bytes allocated
} oa_billing_buf_t;

//  Buffer helpers.  Strings are written as JSON strings: escaped, invalid
//  UTF-8 replaced by U+FFFD (PostgreSQL refuses invalid text).
void
    oa_billing_buf_reset (oa_billing_buf_t *self);
void
    oa_billing_buf_free (oa_billing_buf_t *self);
void
    oa_billing_buf_raw (oa_billing_buf_t *self, const char *text);
void
    oa_billing_buf_int (oa_billing_buf_t *self, int64_t value);
void
    oa_billing_buf_str (oa_billing_buf_t *self, const char *text);
//  Writes "key": (comma first unless it is the object's first key).
void
    oa_billing_buf_key (oa_billing_buf_t *self, const char *key, bool first);
//  Makes room for more bytes (and the terminator).
void
    oa_billing_buf_reserve (oa_billing_buf_t *self, size_t more);
//  Appends len bytes as they are.
void
    oa_billing_buf_bytes (oa_billing_buf_t *self, const char *bytes, size_t len);

//  Returns text with each byte of an invalid UTF-8 sequence replaced by
//  U+FFFD, or NULL when text is valid already.  Caller owns the result.
char *
    oa_billing_utf8_repair (const char *text);
//  Binds text, repaired to valid UTF-8, as parameter index of stmt; valid
//  text is borrowed, so it must outlive the run (see oa_stmt_bind_text_ref).
void
    oa_billing_bind_utf8 (oa_stmt_t *stmt, int index, const char *text);
//  Appends a COPY text-format field (tab first unless first; NULL is \N).
void
    oa_billing_copy_str (oa_billing_buf_t *buf, const char *text, bool first);
//  Appends a COPY integer field, tab first.
void
    oa_billing_copy_int (oa_billing_buf_t *buf, int64_t value);
//  Appends an element of a text[] literal (comma first unless first).
void
    oa_billing_array_str (oa_billing_buf_t *buf, const char *text, bool first);

//  Reads GroupRatio and LogConsumeEnabled.  *group_ratio is a fresh copy or
//  NULL when unset.  Returns 0 or -1.
int
    oa_billing_sql_options (oa_store_t *store, char **group_ratio, bool *log_enabled);

//  Reads the tokens whose ids are in ids_json (a JSON array) into tokens
//  (key: id as text).  Returns 0 or -1.
int
    oa_billing_sql_tokens (oa_store_t *store, const char *ids_json, zhashx_t *tokens);

//  The same for users.
int
    oa_billing_sql_users (oa_store_t *store, const char *ids_json, zhashx_t *users);

//  Reads channels into the cache (key: id as text), reloading pricing of
//  the ones whose overrides changed, and marks them seen.  Returns 0 or -1.
int
    oa_billing_sql_channels (oa_store_t *store, const char *ids_json, zhashx_t *channels);

//  Inserts the cost rows of the events in state BILL; sets is_new on the
//  ones inserted (the others were billed before).  Returns 0 or -1.
int
    oa_billing_sql_costs (oa_store_t *store, oa_billing_event_t *events, size_t count,
                          int64_t now_s, int64_t now_ms, oa_billing_buf_t *buf);

//  Inserts one consume log row per new event.  Returns 0 or -1.
int
    oa_billing_sql_logs (oa_store_t *store, oa_billing_event_t *events, size_t count,
                         int64_t now_s, int64_t now_ms, oa_billing_buf_t *buf);

//  Applies the batch's sums to tokens, users and channels (touched ones
//  only).  Returns 0 or -1.
int
    oa_billing_sql_balances (oa_store_t *store, zhashx_t *tokens, zhashx_t *users,
                             zhashx_t *channels, int64_t now_s, oa_billing_buf_t *buf);

//  The rates part of a log's content ("model rate %.2f, group rate %.2f,
//  completion rate %.2f") for the last rates seen: a batch's events mostly
//  share them, and formatting doubles is the dearest part of the content.
typedef struct {
    double rates [3];           //  model, group, completion ratios (bitwise key)
    bool valid;                 //  text is set
    char text [256];            //  formatted rates
    size_t len;                 //  strlen (text)
} oa_billing_rates_t;

//  What oa_billing_price reads an event's prices from; all borrowed.
typedef struct {
    oa_pricing_t *pricing;          //  default price tables
    oa_pricing_groups_t *groups;    //  GroupRatio
    zhashx_t *tokens;               //  the batch's tokens, by id text
    zhashx_t *users;                //  the batch's users, by id text
    zhashx_t *channels;             //  channel cache, by id text
    oa_billing_buf_t *buf;          //  scratch text for the metadata
    oa_billing_rates_t *rates;      //  last formatted rates, updated
} oa_billing_tables_t;

//  oa_billing_price.c: prices one event whose token, user and channel were
//  read; fills in its quota, tokens and log fields.  Returns false (the
//  event cannot be billed) when its token or user is unknown or its model
//  cannot be priced.
bool
    oa_billing_price (oa_billing_event_t *event, const oa_billing_tables_t *tables);

//  oa_billing_price.c: writes id as decimal text into text (the hash
//  tables' key) and returns text.
char *
    oa_billing_id_key (int64_t id, char *text, size_t size);

//  Destructors for the hash tables.
void
    oa_billing_token_destroy (oa_billing_token_t **self_p);
void
    oa_billing_user_destroy (oa_billing_user_t **self_p);
void
    oa_billing_channel_destroy (oa_billing_channel_t **self_p);

#endif
