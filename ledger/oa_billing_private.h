/*  =========================================================================
    oa_billing_private - what oa_billing.c and oa_billing_sql.c share

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

//  Destructors for the hash tables.
void
    oa_billing_token_destroy (oa_billing_token_t **self_p);
void
    oa_billing_user_destroy (oa_billing_user_t **self_p);
void
    oa_billing_channel_destroy (oa_billing_channel_t **self_p);

#endif
