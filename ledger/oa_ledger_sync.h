/*  =========================================================================
    oa_ledger_sync - the ledger's side of the gateways' hot-state replicas

    Hosted by the ledger actor once its store is READY.  Binds a ROUTER
    (config ledger_bind) that answers SNAPSHOT_REQUEST with SNAPSHOT_CHUNKs
    (tables tokens, users, channels, abilities, options; each payload a
    JSON array of rows with one-api's column names, at most ~1 MiB, every
    chunk carrying the change seq the snapshot is consistent at, `last` on
    the final one), and a PUB (config ledger_pub_bind) carrying one CHANGE
    per committed write.  Change seqs start at wall-clock ms x 1000 when
    the ledger starts, so they keep growing across restarts and a gateway
    sees a restart as a gap (it re-snapshots) rather than as old news.
    USAGE messages on the ROUTER are counted and, once a billing is set
    (oa_ledger_sync_set_billing), handed to it; without one they are only
    counted.

    The ledger is single-threaded and the only writer, so a snapshot read
    between two publishes is consistent at the seq it carries.
    =========================================================================
*/
#ifndef OA_LEDGER_SYNC_H_INCLUDED
#define OA_LEDGER_SYNC_H_INCLUDED

#include <czmq.h>
#include "oa_msg.h"
#include "oa_store.h"

typedef struct _oa_ledger_sync_t oa_ledger_sync_t;
typedef struct _oa_billing_t oa_billing_t;

//  Largest snapshot payload before a chunk is cut (a single larger row
//  still travels, alone).
#define OA_LEDGER_SYNC_CHUNK_BYTES (1024 * 1024)

//  Binds both sockets.  store is borrowed for the object's lifetime.
//  Returns NULL with a message in err when a bind fails.
oa_ledger_sync_t *
    oa_ledger_sync_new (oa_store_t *store, const char *router_endpoint,
                        const char *pub_endpoint, char *err, size_t err_size);

//  Closes the sockets (linger 0) and nulls the pointer.
void
    oa_ledger_sync_destroy (oa_ledger_sync_t **self_p);

//  The ROUTER, for the owner's poller.  Borrowed.
zsock_t *
    oa_ledger_sync_router (oa_ledger_sync_t *self);

//  Serves what is queued on the ROUTER (a bounded batch; never blocks).
void
    oa_ledger_sync_handle (oa_ledger_sync_t *self);

//  Publishes one committed change: table, OA_MSG_OP_UPSERT or
//  OA_MSG_OP_DELETE, and the row as a JSON object (for a delete, at least
//  its key columns).  The row id is derived from the row: "id", or "key"
//  for options, or "group/model/channel_id" for abilities.  Returns the
//  seq assigned, or 0 for a row without its key (nothing published).
uint64_t
    oa_ledger_sync_publish (oa_ledger_sync_t *self, const char *table, int op,
                            const char *row_json);

//  Publishes the current rows of table ("tokens" or "users") whose ids
//  are given, as UPSERT changes in the snapshot's row format (one read for
//  all).  Returns the rows published, or -1 on a read error or another
//  table.
int
    oa_ledger_sync_publish_ids (oa_ledger_sync_t *self, const char *table,
                                const int64_t *ids, size_t count);

//  Swaps the borrowed store (the ledger reopened a lost connection).
void
    oa_ledger_sync_set_store (oa_ledger_sync_t *self, oa_store_t *store);

//  Hands every USAGE received from now on to billing (borrowed; NULL
//  goes back to counting only).
void
    oa_ledger_sync_set_billing (oa_ledger_sync_t *self, oa_billing_t *billing);

//  Called for each message on the ROUTER other than SNAPSHOT_REQUEST and
//  USAGE (RESERVE, ...), with its routing id; the callee may take *msg_p.
typedef void (oa_ledger_sync_handler_fn) (void *arg, oa_msg_t **msg_p);

//  Sets the handler of those messages (NULL: they are dropped).
void
    oa_ledger_sync_set_handler (oa_ledger_sync_t *self, oa_ledger_sync_handler_fn *handler,
                                void *arg);

//  Last seq assigned.
uint64_t
    oa_ledger_sync_seq (oa_ledger_sync_t *self);

//  Counters: USAGE messages received, snapshots served in full.
uint64_t
    oa_ledger_sync_usage_count (oa_ledger_sync_t *self);
uint64_t
    oa_ledger_sync_snapshot_count (oa_ledger_sync_t *self);

//  Rewrites abilities from channels as one-api does (model/ability.go):
//  one row per (group, model) of each channel, minus hidden_models,
//  enabled = (status == 1), priority copied; suspend_until of rows that
//  survive is kept.  One transaction.  Returns rows written, or -1 with a
//  message in err.
int
    oa_store_abilities_rebuild (oa_store_t *store, char *err, size_t err_size);

//  Self tests (SQLite; PostgreSQL from ONEAPI_TEST_PG_DSN, failing without).
void
    oa_ledger_sync_test (bool verbose);
void
    oa_ledger_sync_pg_test (bool verbose);
//  The CHANGE row writer against jansson (SQLite).
void
    oa_ledger_sync_rows_test (bool verbose);

#endif
