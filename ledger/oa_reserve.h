/*  =========================================================================
    oa_reserve - the ledger's reservations: quota held for requests in flight

    @header
    Admission (one-api's pre-consume) without writing to the database: a
    gateway sends RESERVE (request id, user, token, amount, ttl) before it
    relays a request whose token or user is not "trusted" (one-api's 100x
    rule); the ledger holds the amount in memory if
        user quota - held by the user's requests   >= amount, and
        token remain - held by the token's requests >= amount (unless the
        token is unlimited),
    and answers RESERVE_REPLY.  The balances are the committed ones, read
    from the store on first use and kept current in memory: settlement
    (oa_reserve_settle, called by billing after COMMIT) subtracts what it
    charged and releases the request's hold; a write made elsewhere (the
    management API's PUBLISH) makes the row be read again.  So a token never
    goes below zero through requests whose actual cost stays within their
    reserved estimate.

    Holds are memory only.  A hold that is never settled (the request never
    reached a worker, or its USAGE is lost) expires after its ttl; if the
    ledger restarts, every hold is lost (the requests in flight then settle
    against the balance, without a hold).  A repeated RESERVE for a request
    id that is still held returns the same reservation.
    @end
    =========================================================================
*/
#ifndef OA_RESERVE_H_INCLUDED
#define OA_RESERVE_H_INCLUDED

#include <czmq.h>

#include "oa_msg.h"
#include "oa_store.h"

//  ttl when a RESERVE names none (one-api's relay timeout is unbounded;
//  ours defaults to an hour): an hour and a minute.
#define OA_RESERVE_TTL_DEFAULT_MS (61 * 60 * 1000)

typedef struct _oa_reserve_t oa_reserve_t;

//  Outcome of a hold.
typedef struct {
    bool ok;                    //  held (or nothing to hold)
    int status;                 //  HTTP status when not ok (403, 401, 503)
    char code [64];             //  one-api's error code when not ok
    char message [256];         //  one-api's message when not ok
    uint64_t reservation_id;    //  id of the hold, 0 when nothing is held
    int64_t user_remain;        //  user quota - held, after the hold
    int64_t token_remain;       //  token remain - held, after the hold
    bool token_unlimited;       //  the token has unlimited quota
} oa_reserve_result_t;

//  Counters since the object was created.
typedef struct {
    uint64_t requests;          //  RESERVEs handled
    uint64_t held;              //  new holds
    uint64_t repeats;           //  RESERVEs for a request id already held
    uint64_t refused;           //  not enough quota
    uint64_t unavailable;       //  balances could not be read
    uint64_t settled;           //  holds released by settlement
    uint64_t expired;           //  holds released by their ttl
} oa_reserve_stats_t;

//  Creates an empty table.  store (borrowed, may be NULL in tests) is
//  where balances are read the first time they are needed.
oa_reserve_t *
    oa_reserve_new (oa_store_t *store);

//  Destroys the table (holds are forgotten) and nulls the pointer.
void
    oa_reserve_destroy (oa_reserve_t **self_p);

//  Swaps the borrowed store (the ledger reopened a lost connection).
void
    oa_reserve_set_store (oa_reserve_t *self, oa_store_t *store);

//  Holds amount for request_id against user_id and token_id; now_ms is a
//  monotonic clock.  amount <= 0 holds nothing and answers ok (a probe).
//  Fills result; returns 0 when held, -1 when refused or unavailable.
int
    oa_reserve_hold (oa_reserve_t *self, const char *request_id, int64_t user_id,
                     int64_t token_id, int64_t amount, int64_t ttl_ms, int64_t now_ms,
                     oa_reserve_result_t *result);

//  Answers a RESERVE message (with its routing id): a RESERVE_REPLY for the
//  same sender and corr_id.  Caller owns the reply.
oa_msg_t *
    oa_reserve_handle (oa_reserve_t *self, oa_msg_t *reserve);

//  After COMMIT: request_id of token_id (owned by user_id) was settled.
//  charged: balances moved by quota in that transaction (a new request);
//  false for a duplicate, a failed or an unbillable request.  Subtracts
//  the charge from the cached balances and releases the request's hold.
void
    oa_reserve_settle (oa_reserve_t *self, const char *request_id, int64_t token_id,
                       int64_t user_id, int64_t quota, bool charged);

//  A row of table ("tokens" or "users") was written elsewhere: its cached
//  balance is dropped and read again when next needed.  row_json needs its
//  "id".  Other tables are ignored.
void
    oa_reserve_forget (oa_reserve_t *self, const char *table, const char *row_json);

//  Sets a cached balance directly (tests, and rows already at hand).
void
    oa_reserve_set_token (oa_reserve_t *self, int64_t token_id, int64_t user_id,
                          int64_t remain_quota, bool unlimited);
void
    oa_reserve_set_user (oa_reserve_t *self, int64_t user_id, int64_t quota);

//  Releases the holds whose ttl passed; now_ms monotonic.  Cheap when
//  called often: it scans at most once a second.  Returns holds released.
size_t
    oa_reserve_expire (oa_reserve_t *self, int64_t now_ms);

//  Holds in the table, and the sums held for a token and a user.
size_t
    oa_reserve_size (oa_reserve_t *self);
int64_t
    oa_reserve_held_token (oa_reserve_t *self, int64_t token_id);
int64_t
    oa_reserve_held_user (oa_reserve_t *self, int64_t user_id);

//  Counters.  Borrowed.
const oa_reserve_stats_t *
    oa_reserve_stats (oa_reserve_t *self);

//  Self tests: the table in memory, then balances read from SQLite.
void
    oa_reserve_test (bool verbose);

#endif
