/*  =========================================================================
    oa_billing - settlement of USAGE: prices, balances, logs, request costs

    @header
    Hosted by the ledger actor, the single database writer.  Workers send
    one USAGE per finished request (journaled until USAGE_ACK) to the
    ledger's ROUTER; oa_ledger_sync hands each to oa_billing_usage.  Events
    are held in a batch that is settled in ONE transaction when it reaches
    OA_BILLING_BATCH_MAX events or when its oldest event is
    OA_BILLING_FLUSH_MS old, whichever comes first (group commit).  While
    events queue up (each batch filled before its time), the next batch may
    double, up to OA_BILLING_BATCH_GROWN events, so the costs paid once per
    batch (reads, balance rows, CHANGEs) are shared by more events; the
    first batch that is not full brings the size back.  After
    COMMIT every sender gets a USAGE_ACK listing its request ids, and the
    tokens and users whose balances moved are published as CHANGEs.

    What one request changes is one-api's postConsumeQuota, made exact:
    quota from oa_pricing (channel overrides, channel type, group ratio =
    min over the channel's groups of the GroupRatio option, Claude-style or
    OpenAI-style cache buckets); token remain_quota -= quota (not when
    unlimited), used_quota += quota, accessed_time; user quota -= quota and,
    when quota > 0, used_quota += quota, request_count += 1; channel
    used_quota += quota; a consume log row (type 2) unless the option
    LogConsumeEnabled is "false"; a user_request_costs row.

    Exactly once: user_request_costs.request_id is unique.  The batch's cost
    rows are inserted first (SQLite: ON CONFLICT DO NOTHING, a row
    changed = a new request; PostgreSQL: the ids already there are read, the others
    inserted with COPY, and a row committed meanwhile by another writer
    fails the COPY and so the batch), and only the new requests move
    balances and get log rows, all in the same transaction.  A resent USAGE
    changes nothing and is acknowledged again.
    @discuss
    Not billed, but acknowledged (so the worker drops them) and counted:
    a request that failed (status >= 400) with no tokens (one-api bills and
    logs nothing for it); USAGE without token, model or channel; a token
    that does not exist (error log).  A batch that fails for a lost or busy
    connection is rolled back and not acknowledged: workers resend.  A batch
    that fails for another reason is retried one event per transaction, and
    an event that still fails alone is acknowledged as poison and counted.
    @end
    =========================================================================
*/
#ifndef OA_BILLING_H_INCLUDED
#define OA_BILLING_H_INCLUDED

#include <czmq.h>
#include <jansson.h>

#include "oa_ledger_sync.h"
#include "oa_msg.h"
#include "oa_store.h"

//  Batch size: settled as soon as it holds this many events.
#define OA_BILLING_BATCH_MAX 1000
//  Largest batch while events queue up (see above).
#define OA_BILLING_BATCH_GROWN 4000
//  Oldest event's longest wait before its batch is settled, ms.
#define OA_BILLING_FLUSH_MS 10

typedef struct _oa_billing_t oa_billing_t;
typedef struct _oa_reserve_t oa_reserve_t;

//  Counters since the object was created.
typedef struct {
    uint64_t received;          //  USAGE messages handed in
    uint64_t billed;            //  requests billed (new request ids)
    uint64_t duplicates;        //  resent requests, already billed: acked only
    uint64_t unbilled;          //  failed or incomplete requests: acked only
    uint64_t errors;            //  unknown token or user, poison: acked, logged
    uint64_t batches;           //  transactions committed
    uint64_t failed_batches;    //  transactions rolled back
    uint64_t acks;              //  USAGE_ACK messages sent
    uint64_t changes;           //  CHANGE rows published
    int64_t quota;              //  quota billed in total
    uint64_t last_batch_size;   //  events in the last committed batch
} oa_billing_stats_t;

//  Creates the billing of a store.  store is borrowed for the object's
//  lifetime; acks go out on router (borrowed, a ROUTER); changes are
//  published through sync (borrowed; may be NULL in tests, then nothing is
//  published).  Caller owns the result.
oa_billing_t *
    oa_billing_new (oa_store_t *store, zsock_t *router, oa_ledger_sync_t *sync);

//  Releases reservations at settlement: after each COMMIT every settled
//  event is reported to reserve (borrowed; NULL = none) with the quota it
//  charged.
void
    oa_billing_set_reserve (oa_billing_t *self, oa_reserve_t *reserve);

//  Swaps the borrowed store (the ledger reopened a lost connection; its
//  statements are prepared again on first use).
void
    oa_billing_set_store (oa_billing_t *self, oa_store_t *store);

//  Settles what is pending (best effort), then destroys; nulls the pointer.
void
    oa_billing_destroy (oa_billing_t **self_p);

//  Takes a received USAGE message (with its routing id) into the batch;
//  settles the batch when it is full.  Takes ownership of *usage_p.
void
    oa_billing_usage (oa_billing_t *self, oa_msg_t **usage_p);

//  Milliseconds until the pending batch is due, for the owner's poll
//  timeout; -1 when nothing is pending.
int
    oa_billing_wait_ms (oa_billing_t *self);

//  Settles the pending batch if it is due.  Call after every poll.
void
    oa_billing_tick (oa_billing_t *self);

//  Settles the pending batch now (DRAIN, shutdown).  Returns 0, or -1 when
//  the transaction failed.
int
    oa_billing_flush (oa_billing_t *self);

//  Batches grow under backlog only while the last one took less than us
//  microseconds (default 50 ms: the same thread answers RESERVE).  Tests.
void
    oa_billing_set_grow_below (oa_billing_t *self, int64_t us);

//  Events waiting in the batch.
size_t
    oa_billing_pending (oa_billing_t *self);

//  Counters.  Borrowed; valid until the object is destroyed.
const oa_billing_stats_t *
    oa_billing_stats (oa_billing_t *self);

//  GET /api/cost/request/:request_id: one-api's UserRequestCost as JSON
//  {"uuid","created_time","user_uuid","request_id","quota","cost_usd",
//  "created_at","updated_at"}, cost_usd = quota / 500000.  Returns 0 with
//  *out set (caller owns it), 1 when there is no such request, -1 on a
//  store error.
int
    oa_billing_request_cost (oa_store_t *store, const char *request_id, json_t **out);

//  Self tests: SQLite, and PostgreSQL from ONEAPI_TEST_PG_DSN (failing
//  without it).
void
    oa_billing_test (bool verbose);
void
    oa_billing_pg_test (bool verbose);
//  The ledger actor end to end (SQLite): one USAGE acked within ~10 ms.
void
    oa_billing_actor_test (bool verbose);

#endif
