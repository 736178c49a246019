/*  =========================================================================
    oa_reserve - the ledger's reservations (see oa_reserve.h)

    Three tables, all keyed by id text: holds by request id, and per token
    and per user the committed balance (once read) and the sum held.  A
    token or user entry lives while it has a balance cached or anything
    held.  The ledger is single-threaded: no locks.

    Balances are read with the ledger's own connection, between billing
    transactions, so a read sees every settlement committed so far, and
    oa_reserve_settle applies each later one in the same order as the
    database did.  Messages follow one-api's preConsumeQuota (Laisky fork):
    user first ("user quota is not enough", insufficient_user_quota), then
    the token (PreConsumeTokenQuota's "insufficient token quota: ..." under
    pre_consume_token_quota_failed), both 403.
    =========================================================================
*/
#include "oa_reserve.h"

#include <jansson.h>

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_store_testdb.h"

#define S_EXPIRE_EVERY_MS 1000      //  expiry scans at most this often
#define S_IDLE_MAX 100000           //  idle balance entries kept before a purge

typedef struct {
    int64_t id;                 //  tokens.id
    int64_t user_id;            //  owner, once read
    int64_t remain;             //  remain_quota, committed
    bool unlimited;             //  unlimited_quota
    bool known;                 //  remain / unlimited / user_id are current
    int64_t held;               //  sum of this token's holds
} s_token_t;

typedef struct {
    int64_t id;                 //  users.id
    int64_t quota;              //  quota, committed
    bool known;                 //  quota is current
    int64_t held;               //  sum of this user's holds
} s_user_t;

typedef struct {
    char request_id [OA_REQUEST_ID_SIZE];   //  key
    uint64_t id;                //  reservation id
    int64_t token_id;           //  token held against
    int64_t user_id;            //  user held against
    int64_t amount;             //  quota held
    int64_t expires_ms;         //  monotonic ms
} s_hold_t;

struct _oa_reserve_t {
    oa_store_t *store;          //  borrowed; NULL = balances only from set_*
    zhashx_t *holds;            //  request id -> s_hold_t (owns)
    zhashx_t *tokens;           //  id text -> s_token_t (owns)
    zhashx_t *users;            //  id text -> s_user_t (owns)
    uint64_t next_id;           //  next reservation id
    int64_t next_expire_ms;     //  monotonic ms of the next expiry scan
    oa_reserve_stats_t stats;   //  counters
};

static void
s_free (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

//  The tables' key: id as decimal text.
static char *
s_key (int64_t id, char *text, size_t size)
{
    assert (size >= 21);
    oa_store_decimal (id, text);
    return text;
}

oa_reserve_t *
oa_reserve_new (oa_store_t *store)
{
    oa_reserve_t *self = (oa_reserve_t *) zmalloc (sizeof (oa_reserve_t));
    self->store = store;
    self->holds = zhashx_new ();
    self->tokens = zhashx_new ();
    self->users = zhashx_new ();
    zhashx_set_destructor (self->holds, s_free);
    zhashx_set_destructor (self->tokens, s_free);
    zhashx_set_destructor (self->users, s_free);
    //  Ids keep growing across restarts, like the change seqs.
    self->next_id = (uint64_t) oa_clock_ms () * 1000;
    return self;
}

void
oa_reserve_destroy (oa_reserve_t **self_p)
{
    oa_reserve_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->holds);
    zhashx_destroy (&self->tokens);
    zhashx_destroy (&self->users);
    free (self);
    *self_p = NULL;
}

void
oa_reserve_set_store (oa_reserve_t *self, oa_store_t *store)
{
    assert (self);
    self->store = store;
}

//  --------------------------------------------------------------------------
//  Balances

static s_token_t *
s_token (oa_reserve_t *self, int64_t id, bool create)
{
    char key [24];
    s_token_t *token = (s_token_t *) zhashx_lookup (self->tokens, s_key (id, key, sizeof key));
    if (!token && create) {
        token = (s_token_t *) zmalloc (sizeof (s_token_t));
        token->id = id;
        zhashx_insert (self->tokens, key, token);
    }
    return token;
}

static s_user_t *
s_user (oa_reserve_t *self, int64_t id, bool create)
{
    char key [24];
    s_user_t *user = (s_user_t *) zhashx_lookup (self->users, s_key (id, key, sizeof key));
    if (!user && create) {
        user = (s_user_t *) zmalloc (sizeof (s_user_t));
        user->id = id;
        zhashx_insert (self->users, key, user);
    }
    return user;
}

//  Drops an entry that holds nothing and knows nothing.
static void
s_token_tidy (oa_reserve_t *self, s_token_t *token)
{
    char key [24];
    if (token && !token->known && token->held == 0)
        zhashx_delete (self->tokens, s_key (token->id, key, sizeof key));
}

static void
s_user_tidy (oa_reserve_t *self, s_user_t *user)
{
    char key [24];
    if (user && !user->known && user->held == 0)
        zhashx_delete (self->users, s_key (user->id, key, sizeof key));
}

void
oa_reserve_set_token (oa_reserve_t *self, int64_t token_id, int64_t user_id,
                      int64_t remain_quota, bool unlimited)
{
    s_token_t *token = s_token (self, token_id, true);
    token->user_id = user_id;
    token->remain = remain_quota;
    token->unlimited = unlimited;
    token->known = true;
}

void
oa_reserve_set_user (oa_reserve_t *self, int64_t user_id, int64_t quota)
{
    s_user_t *user = s_user (self, user_id, true);
    user->quota = quota;
    user->known = true;
}

//  Reads a token's balance: 0, 1 when there is no such row, -1 on error.
static int
s_load_token (oa_reserve_t *self, s_token_t *token)
{
    if (!self->store)
        return 1;
    oa_stmt_t *stmt = oa_store_prepare (self->store, "SELECT \"remain_quota\", "
        "\"unlimited_quota\", \"user_id\" FROM \"tokens\" WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, token->id);
    int rc = oa_stmt_step (stmt);
    if (rc == 1) {
        token->remain = oa_stmt_int64 (stmt, 0);
        token->unlimited = oa_stmt_bool (stmt, 1);
        token->user_id = oa_stmt_int64 (stmt, 2);
        token->known = true;
    }
    oa_stmt_reset (stmt);
    return rc == 1? 0: rc == 0? 1: -1;
}

static int
s_load_user (oa_reserve_t *self, s_user_t *user)
{
    if (!self->store)
        return 1;
    oa_stmt_t *stmt = oa_store_prepare (self->store,
        "SELECT \"quota\" FROM \"users\" WHERE \"id\" = $1");
    if (!stmt)
        return -1;
    oa_stmt_bind_int64 (stmt, 1, user->id);
    int rc = oa_stmt_step (stmt);
    if (rc == 1) {
        user->quota = oa_stmt_int64 (stmt, 0);
        user->known = true;
    }
    oa_stmt_reset (stmt);
    return rc == 1? 0: rc == 0? 1: -1;
}

//  --------------------------------------------------------------------------
//  Holds

static void
s_refuse (oa_reserve_result_t *result, int status, const char *code, const char *format, ...)
    __attribute__ ((format (printf, 4, 5)));

static void
s_refuse (oa_reserve_result_t *result, int status, const char *code, const char *format, ...)
{
    result->ok = false;
    result->status = status;
    snprintf (result->code, sizeof result->code, "%s", code);
    va_list args;
    va_start (args, format);
    vsnprintf (result->message, sizeof result->message, format, args);
    va_end (args);
}

static void
s_release (oa_reserve_t *self, s_hold_t *hold)
{
    s_token_t *token = s_token (self, hold->token_id, false);
    s_user_t *user = s_user (self, hold->user_id, false);
    if (token) {
        token->held -= hold->amount;
        s_token_tidy (self, token);
    }
    if (user) {
        user->held -= hold->amount;
        s_user_tidy (self, user);
    }
    zhashx_delete (self->holds, hold->request_id);      //  frees hold
}

static void
s_fill (oa_reserve_result_t *result, s_token_t *token, s_user_t *user)
{
    result->user_remain = user? user->quota - user->held: 0;
    result->token_remain = token? token->remain - token->held: 0;
    result->token_unlimited = token && token->unlimited;
}

int
oa_reserve_hold (oa_reserve_t *self, const char *request_id, int64_t user_id,
                 int64_t token_id, int64_t amount, int64_t ttl_ms, int64_t now_ms,
                 oa_reserve_result_t *result)
{
    assert (self);
    assert (result);
    memset (result, 0, sizeof *result);
    self->stats.requests++;
    oa_reserve_expire (self, now_ms);
    if (amount <= 0) {
        result->ok = true;      //  nothing to hold: a probe, or a free request
        return 0;
    }
    if (!request_id || !*request_id || strlen (request_id) >= OA_REQUEST_ID_SIZE) {
        s_refuse (result, 400, "invalid_request", "reservation without a valid request id");
        return -1;
    }
    s_hold_t *hold = (s_hold_t *) zhashx_lookup (self->holds, request_id);
    if (hold) {
        //  A resent RESERVE: the same answer, no second hold.
        self->stats.repeats++;
        result->ok = true;
        result->reservation_id = hold->id;
        s_fill (result, s_token (self, hold->token_id, false), s_user (self, hold->user_id, false));
        return 0;
    }
    s_token_t *token = s_token (self, token_id, true);
    int rc = token->known? 0: s_load_token (self, token);
    if (rc != 0) {
        s_token_tidy (self, token);
        if (rc < 0) {
            self->stats.unavailable++;
            s_refuse (result, 503, "ledger_unavailable", "balances cannot be read: %s",
                      self->store? oa_store_error (self->store): "no store");
        }
        else
            s_refuse (result, 403, "pre_consume_token_quota_failed",
                      "failed to get token for pre-consume: tokenId=%" PRId64
                      ": record not found", token_id);
        return -1;
    }
    //  The token's owner pays, as settlement bills it.
    if (token->user_id != user_id)
        oa_log (OA_LOG_WARN, "ledger", request_id, "reserve: RESERVE names user %" PRId64
                " but token %" PRId64 " belongs to %" PRId64 "; holding from the owner",
                user_id, token_id, token->user_id);
    s_user_t *user = s_user (self, token->user_id, true);
    rc = user->known? 0: s_load_user (self, user);
    if (rc != 0) {
        s_user_tidy (self, user);
        if (rc < 0) {
            self->stats.unavailable++;
            s_refuse (result, 503, "ledger_unavailable", "balances cannot be read: %s",
                      self->store? oa_store_error (self->store): "no store");
        }
        else
            s_refuse (result, 403, "insufficient_user_quota", "user quota is not enough");
        return -1;
    }
    if (user->quota - user->held < amount) {
        self->stats.refused++;
        s_refuse (result, 403, "insufficient_user_quota", "user quota is not enough");
        s_fill (result, token, user);
        return -1;
    }
    if (!token->unlimited && token->remain - token->held < amount) {
        self->stats.refused++;
        s_refuse (result, 403, "pre_consume_token_quota_failed",
                  "insufficient token quota: required=%" PRId64 ", available=%" PRId64
                  ", tokenId=%" PRId64, amount, token->remain - token->held, token_id);
        s_fill (result, token, user);
        return -1;
    }
    hold = (s_hold_t *) zmalloc (sizeof (s_hold_t));
    snprintf (hold->request_id, sizeof hold->request_id, "%s", request_id);
    hold->id = ++self->next_id;
    hold->token_id = token_id;
    hold->user_id = user->id;
    hold->amount = amount;
    hold->expires_ms = now_ms + (ttl_ms > 0? ttl_ms: OA_RESERVE_TTL_DEFAULT_MS);
    zhashx_insert (self->holds, hold->request_id, hold);
    token->held += amount;
    user->held += amount;
    self->stats.held++;
    result->ok = true;
    result->reservation_id = hold->id;
    s_fill (result, token, user);
    return 0;
}

oa_msg_t *
oa_reserve_handle (oa_reserve_t *self, oa_msg_t *reserve)
{
    assert (self);
    assert (reserve && oa_msg_id (reserve) == OA_MSG_RESERVE);
    oa_reserve_result_t result;
    uint64_t user_id = oa_msg_user_id (reserve);
    uint64_t token_id = oa_msg_token_id (reserve);
    if (user_id > INT64_MAX || token_id > INT64_MAX) {
        memset (&result, 0, sizeof result);
        s_refuse (&result, 400, "invalid_request", "reservation for an invalid user or token");
    }
    else
        oa_reserve_hold (self, oa_msg_request_id (reserve), (int64_t) user_id, (int64_t) token_id,
                         oa_msg_amount (reserve), oa_msg_ttl_ms (reserve), oa_clock_mono_ms (),
                         &result);
    oa_msg_t *reply = oa_msg_new_reply (reserve, OA_MSG_RESERVE_REPLY);
    oa_msg_set_request_id (reply, oa_msg_request_id (reserve));
    oa_msg_set_ok (reply, result.ok);
    if (!result.ok) {
        oa_msg_set_status (reply, (uint16_t) result.status);
        oa_msg_set_code (reply, result.code);
        oa_msg_set_message (reply, result.message);
    }
    oa_msg_set_reservation_id (reply, result.reservation_id);
    oa_msg_set_user_remain_quota (reply, result.user_remain);
    oa_msg_set_token_remain_quota (reply, result.token_remain);
    oa_msg_set_token_unlimited (reply, result.token_unlimited);
    return reply;
}

void
oa_reserve_settle (oa_reserve_t *self, const char *request_id, int64_t token_id,
                   int64_t user_id, int64_t quota, bool charged)
{
    assert (self);
    if (charged && quota != 0) {
        //  Billing's own arithmetic: token remain only when limited.
        s_token_t *token = s_token (self, token_id, false);
        if (token && token->known && !token->unlimited)
            token->remain -= quota;
        s_user_t *user = s_user (self, user_id, false);
        if (user && user->known)
            user->quota -= quota;
    }
    s_hold_t *hold = request_id && *request_id
                   ? (s_hold_t *) zhashx_lookup (self->holds, request_id): NULL;
    if (hold) {
        self->stats.settled++;
        s_release (self, hold);
    }
}

void
oa_reserve_forget (oa_reserve_t *self, const char *table, const char *row_json)
{
    assert (self);
    bool tokens = table && streq (table, "tokens");
    bool users = table && streq (table, "users");
    if ((!tokens && !users) || !row_json)
        return;
    json_error_t error;
    json_t *row = json_loads (row_json, 0, &error);
    json_t *id = json_object_get (row, "id");
    if (json_is_integer (id)) {
        if (tokens) {
            s_token_t *token = s_token (self, json_integer_value (id), false);
            if (token) {
                token->known = false;
                s_token_tidy (self, token);
            }
        }
        else {
            s_user_t *user = s_user (self, json_integer_value (id), false);
            if (user) {
                user->known = false;
                s_user_tidy (self, user);
            }
        }
    }
    json_decref (row);
}

size_t
oa_reserve_expire (oa_reserve_t *self, int64_t now_ms)
{
    assert (self);
    if (now_ms < self->next_expire_ms)
        return 0;
    self->next_expire_ms = now_ms + S_EXPIRE_EVERY_MS;
    zlistx_t *expired = zlistx_new ();
    for (s_hold_t *hold = (s_hold_t *) zhashx_first (self->holds); hold;
         hold = (s_hold_t *) zhashx_next (self->holds))
        if (hold->expires_ms <= now_ms)
            zlistx_add_end (expired, hold);
    size_t count = zlistx_size (expired);
    for (s_hold_t *hold = (s_hold_t *) zlistx_first (expired); hold;
         hold = (s_hold_t *) zlistx_next (expired)) {
        oa_log (OA_LOG_WARN, "ledger", hold->request_id, "reserve: hold of %" PRId64
                " on token %" PRId64 " expired unsettled", hold->amount, hold->token_id);
        s_release (self, hold);
    }
    zlistx_destroy (&expired);
    self->stats.expired += count;
    //  Balances of tokens seen once stay cached; past a bound, drop the idle.
    if (zhashx_size (self->tokens) + zhashx_size (self->users) > S_IDLE_MAX) {
        zlistx_t *idle = zlistx_new ();
        for (s_token_t *token = (s_token_t *) zhashx_first (self->tokens); token;
             token = (s_token_t *) zhashx_next (self->tokens))
            if (token->held == 0)
                zlistx_add_end (idle, token);
        for (s_token_t *token = (s_token_t *) zlistx_first (idle); token;
             token = (s_token_t *) zlistx_next (idle)) {
            token->known = false;
            s_token_tidy (self, token);
        }
        zlistx_purge (idle);
        for (s_user_t *user = (s_user_t *) zhashx_first (self->users); user;
             user = (s_user_t *) zhashx_next (self->users))
            if (user->held == 0)
                zlistx_add_end (idle, user);
        for (s_user_t *user = (s_user_t *) zlistx_first (idle); user;
             user = (s_user_t *) zlistx_next (idle)) {
            user->known = false;
            s_user_tidy (self, user);
        }
        zlistx_destroy (&idle);
    }
    return count;
}

size_t
oa_reserve_size (oa_reserve_t *self)
{
    return zhashx_size (self->holds);
}

int64_t
oa_reserve_held_token (oa_reserve_t *self, int64_t token_id)
{
    s_token_t *token = s_token (self, token_id, false);
    return token? token->held: 0;
}

int64_t
oa_reserve_held_user (oa_reserve_t *self, int64_t user_id)
{
    s_user_t *user = s_user (self, user_id, false);
    return user? user->held: 0;
}

const oa_reserve_stats_t *
oa_reserve_stats (oa_reserve_t *self)
{
    return &self->stats;
}

//  --------------------------------------------------------------------------
//  Self test

static void
s_test_memory (bool verbose)
{
    if (verbose)
        printf (" * oa_reserve: holds in memory\n");
    oa_reserve_t *self = oa_reserve_new (NULL);
    oa_reserve_set_user (self, 1, 1000);
    oa_reserve_set_token (self, 10, 1, 300, false);
    oa_reserve_set_token (self, 11, 1, 0, true);
    oa_reserve_result_t result;
    int64_t now = 1000000;

    //  hold: the token's 300 covers two holds of 120, not a third
    assert (oa_reserve_hold (self, "r1", 1, 10, 120, 5000, now, &result) == 0);
    assert (result.ok && result.reservation_id > 0);
    assert (result.token_remain == 180 && result.user_remain == 880 && !result.token_unlimited);
    uint64_t first_id = result.reservation_id;
    assert (oa_reserve_hold (self, "r2", 1, 10, 120, 5000, now, &result) == 0);
    assert (result.reservation_id != first_id);
    assert (oa_reserve_held_token (self, 10) == 240 && oa_reserve_held_user (self, 1) == 240);
    //  insufficient: the token's message, one-api's code and status
    assert (oa_reserve_hold (self, "r3", 1, 10, 120, 5000, now, &result) == -1);
    assert (!result.ok && result.status == 403);
    assert (streq (result.code, "pre_consume_token_quota_failed"));
    assert (streq (result.message, "insufficient token quota: required=120, available=60, "
                                   "tokenId=10"));
    assert (oa_reserve_size (self) == 2);
    //  idempotent repeat by request id: the same reservation, no second hold
    assert (oa_reserve_hold (self, "r1", 1, 10, 120, 5000, now, &result) == 0);
    assert (result.reservation_id == first_id);
    assert (oa_reserve_held_token (self, 10) == 240 && oa_reserve_stats (self)->repeats == 1);
    //  the user's quota binds an unlimited token: 1000 - 240 held
    assert (oa_reserve_hold (self, "u1", 1, 11, 761, 5000, now, &result) == -1);
    assert (result.status == 403 && streq (result.code, "insufficient_user_quota"));
    assert (streq (result.message, "user quota is not enough"));
    assert (oa_reserve_hold (self, "u1", 1, 11, 760, 5000, now, &result) == 0);
    assert (result.token_unlimited && result.user_remain == 0);
    //  a probe holds nothing
    assert (oa_reserve_hold (self, "probe", 0, 0, 0, 0, now, &result) == 0 && result.ok);
    assert (result.reservation_id == 0 && oa_reserve_size (self) == 3);

    //  settlement: the unlimited token's request cost 700 (charged): the
    //  user pays, the token's remain stays; the hold goes
    oa_reserve_settle (self, "u1", 11, 1, 700, true);
    assert (oa_reserve_held_user (self, 1) == 240 && oa_reserve_held_token (self, 11) == 0);
    //  r1 cost 100: token 300 - 100 = 200 with 120 held, user 200 with 120
    oa_reserve_settle (self, "r1", 10, 1, 100, true);
    assert (oa_reserve_held_token (self, 10) == 120 && oa_reserve_held_user (self, 1) == 120);
    assert (oa_reserve_hold (self, "r3", 1, 10, 81, 5000, now, &result) == -1);
    assert (oa_reserve_hold (self, "r3", 1, 10, 80, 5000, now, &result) == 0);
    assert (result.token_remain == 0 && result.user_remain == 0);
    //  a failed request settles with nothing charged: the whole hold returns
    oa_reserve_settle (self, "r2", 10, 1, 0, false);
    assert (oa_reserve_held_token (self, 10) == 80 && oa_reserve_held_user (self, 1) == 80);
    //  a duplicate settlement changes nothing
    oa_reserve_settle (self, "r2", 10, 1, 55, false);
    assert (oa_reserve_held_token (self, 10) == 80);
    //  user 200, 80 held: 120 left for the unlimited token
    assert (oa_reserve_hold (self, "u2", 1, 11, 121, 5000, now, &result) == -1);
    assert (oa_reserve_hold (self, "u2", 1, 11, 120, 5000, now, &result) == 0);
    assert (result.user_remain == 0 && result.token_unlimited);

    //  expiry: held past the ttl, released at the next scan
    assert (oa_reserve_expire (self, now + 4999) == 0);
    assert (oa_reserve_size (self) == 2);
    assert (oa_reserve_expire (self, now + 6000) == 2);
    assert (oa_reserve_size (self) == 0 && oa_reserve_stats (self)->expired == 2);
    assert (oa_reserve_held_token (self, 10) == 0 && oa_reserve_held_user (self, 1) == 0);
    //  settling an expired hold still charges: token 200 - 80, user 200 - 80
    oa_reserve_settle (self, "r3", 10, 1, 80, true);
    assert (oa_reserve_hold (self, "r4", 1, 10, 121, 0, now, &result) == -1);
    assert (oa_reserve_hold (self, "r4", 1, 10, 120, 0, now, &result) == 0);
    assert (result.token_remain == 0 && result.user_remain == 0);

    //  unknown token without a store
    assert (oa_reserve_hold (self, "x", 1, 99, 1, 0, now, &result) == -1);
    assert (result.status == 403);
    oa_reserve_settle (self, "r4", 10, 1, 0, false);
    //  the message: a RESERVE_REPLY for the same sender
    oa_msg_t *reserve = oa_msg_new (OA_MSG_RESERVE);
    oa_msg_set_corr_id (reserve, 77);
    oa_msg_set_request_id (reserve, "m1");
    oa_msg_set_user_id (reserve, 1);
    oa_msg_set_token_id (reserve, 10);
    oa_msg_set_amount (reserve, 1000);
    oa_msg_t *reply = oa_reserve_handle (self, reserve);
    assert (oa_msg_id (reply) == OA_MSG_RESERVE_REPLY && oa_msg_corr_id (reply) == 77);
    assert (!oa_msg_ok (reply) && oa_msg_status (reply) == 403);
    assert (streq (oa_msg_request_id (reply), "m1"));
    assert (streq (oa_msg_code (reply), "insufficient_user_quota"));
    oa_msg_destroy (&reply);
    oa_msg_set_amount (reserve, 10);
    reply = oa_reserve_handle (self, reserve);
    assert (oa_msg_ok (reply) && oa_msg_reservation_id (reply) > 0);
    oa_msg_destroy (&reply);
    oa_msg_destroy (&reserve);
    oa_reserve_destroy (&self);
    assert (self == NULL);
}

static void
s_test_store (bool verbose)
{
    if (verbose)
        printf (" * oa_reserve: balances from SQLite\n");
    char *path = oa_store_testdb_sqlite_path ();
    char err [512];
    oa_store_t *store = oa_store_open (NULL, path, err, sizeof err);
    assert (store);
    assert (oa_store_exec (store, "CREATE TABLE users (id INTEGER PRIMARY KEY, quota INTEGER); "
        "CREATE TABLE tokens (id INTEGER PRIMARY KEY, user_id INTEGER, remain_quota INTEGER, "
        "unlimited_quota NUMERIC); INSERT INTO users VALUES (3, 5000); "
        "INSERT INTO tokens VALUES (30, 3, 400, 0)") == 0);
    oa_reserve_t *self = oa_reserve_new (store);
    oa_reserve_result_t result;
    int64_t now = oa_clock_mono_ms ();
    assert (oa_reserve_hold (self, "a", 3, 30, 300, 0, now, &result) == 0);
    assert (result.token_remain == 100 && result.user_remain == 4700);
    assert (oa_reserve_hold (self, "b", 3, 30, 101, 0, now, &result) == -1);
    //  a write elsewhere (the management API tops the token up): read again
    assert (oa_store_exec (store, "UPDATE tokens SET remain_quota = 1000 WHERE id = 30") == 0);
    assert (oa_reserve_hold (self, "b", 3, 30, 101, 0, now, &result) == -1);
    oa_reserve_forget (self, "tokens", "{\"id\":30,\"remain_quota\":1000}");
    oa_reserve_forget (self, "channels", "{\"id\":30}");
    assert (oa_reserve_hold (self, "b", 3, 30, 101, 0, now, &result) == 0);
    assert (result.token_remain == 599);
    //  no such token
    assert (oa_reserve_hold (self, "c", 3, 31, 1, 0, now, &result) == -1);
    assert (result.status == 403 && strstr (result.message, "tokenId=31"));
    //  the store fails: unavailable (503), not refused
    assert (oa_store_exec (store, "DROP TABLE users") == 0);
    oa_reserve_forget (self, "users", "{\"id\":3}");
    assert (oa_reserve_hold (self, "d", 3, 30, 1, 0, now, &result) == -1);
    assert (result.status == 503 && streq (result.code, "ledger_unavailable"));
    assert (oa_reserve_stats (self)->unavailable == 1);
    oa_reserve_destroy (&self);
    oa_store_destroy (&store);
    oa_store_testdb_sqlite_remove (&path);
}

void
oa_reserve_test (bool verbose)
{
    s_test_memory (verbose);
    s_test_store (verbose);
}
