/*  =========================================================================
    wk_spool - a worker's USAGE journal and its conversation with the ledger

    @header
    Follows oa_journal's exactly-once recipe on the worker's zloop: every
    USAGE is appended to the journal, synced on a short timer and only then
    sent to the ledger; USAGE_ACK removes it.  Pending entries are resent
    (oldest first, at most S_RESEND_BATCH per tick) after a restart (the
    journal replays) and whenever the oldest pending entry has waited
    unacknowledged for about two seconds: the ledger was killed, restarted,
    or lost its database, and a resend is harmless because the ledger bills
    a request id once.
    @discuss
    The journal is NAME.* in ONEAPI_SPOOL_DIR, NAME = worker-<index>; when
    another live process holds that one (two `oneapi worker` processes share
    a spool dir), worker-<index>.1 .. .15 are tried, so a restarted process
    adopts the journal a dead one left behind and resends it.
    ONEAPI_JOURNAL_DURABILITY says what a finished answer waits for:
    "process" (default): its USAGE written to the journal file, which a
    killed process cannot lose; the USAGE goes to the ledger at once and
    the fsync follows every ONEAPI_JOURNAL_SYNC_MS (default 100), the
    window a host crash may lose.  "host": the answer's last message is
    held until the fsync (every 3 ms by default), then the USAGE is sent.
    Without a journal (no spool dir, or it cannot be opened) USAGE goes
    straight to the ledger.
    @end
    =========================================================================
*/
#ifndef WK_SPOOL_H_INCLUDED
#define WK_SPOOL_H_INCLUDED

#include <czmq.h>
#include "oa_msg.h"
#include "wk_job.h"

typedef struct _wk_spool_t wk_spool_t;

//  What a finished answer waits for (ONEAPI_JOURNAL_DURABILITY).
typedef enum {
    WK_SPOOL_PROCESS = 0,           //  USAGE written to the journal file
    WK_SPOOL_HOST = 1               //  USAGE written and fsynced
} wk_spool_durability_t;

//  wk_usage.c: from now on, USAGE emitted for ctx on this thread goes to
//  spool (borrowed; NULL = straight to ctx->ledger again).  Thread-local,
//  because jobs only know their ctx and a worker is one thread.
void
    wk_usage_set_spool (wk_ctx_t *ctx, wk_spool_t *spool);

//  Opens the journal in dir (NULL or "" = none) for worker index and
//  starts its timers on loop.  ledger is the DEALER to the ledger
//  (borrowed); sync_ms the fsync period (0 = the durability's default).
//  Never fails: without a journal it sends directly.  Caller owns the
//  result.
wk_spool_t *
    wk_spool_new (zloop_t *loop, zsock_t *ledger, const char *dir, int index, int sync_ms,
                  wk_spool_durability_t durability);

//  Syncs and sends what is queued, closes the journal, ends the timers.
//  Destroy before the loop.  Nulls *self_p.
void
    wk_spool_destroy (wk_spool_t **self_p);

//  Takes a finished request's USAGE: journaled, then sent (at once with
//  durability process, after the next fsync with host).
void
    wk_spool_usage (wk_spool_t *self, oa_msg_t **usage_p);

//  A USAGE_ACK from the ledger: its request ids leave the journal.
void
    wk_spool_ack (wk_spool_t *self, oa_msg_t *ack);

//  Called after every sync round of the flush timer (and at destroy): every
//  USAGE handed in before it is durable.  The worker holds each request's
//  RELAY_END/ERROR until then, so no client sees a finished answer whose
//  USAGE a crash could still lose.
typedef void (wk_spool_synced_fn) (void *arg);
void
    wk_spool_set_synced (wk_spool_t *self, wk_spool_synced_fn *fn, void *arg);

//  True when USAGE is journaled (a journal is open).
bool
    wk_spool_durable (wk_spool_t *self);

//  True when answers must wait for the synced hook (journal open and
//  durability host); with durability process a USAGE handed in is
//  already safe from a killed process when wk_spool_usage returns.
bool
    wk_spool_holds_replies (wk_spool_t *self);

//  Entries not yet acknowledged (0 without a journal).
size_t
    wk_spool_pending (wk_spool_t *self);

//  Name of the journal in use, "" without one.
const char *
    wk_spool_name (wk_spool_t *self);

//  Self test.
void
    oa_wk_spool_test (bool verbose);

#endif
