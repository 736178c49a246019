/*  =========================================================================
    oa_journal - durable, append-only journal of unacknowledged USAGE messages

    A relay worker journals every USAGE body frame under its request id
    until the ledger acknowledges it, so that no finished request goes
    unbilled when a worker, the ledger or the database dies.  The ledger
    applies USAGE idempotently by request id, so the journal only has to
    guarantee "at least once": an entry may be handed out again (a lost ack
    record, a crash before an ack was synced), but a synced entry is never
    lost until it is acked.

    Exactly-once recipe for the worker (one thread owns a journal):
      1. finished request: oa_journal_append (journal, request_id, frame)
         and keep the message in a "to send" list;
      2. on a short timer (5-10 ms): oa_journal_sync (); when it returns 0,
         send every message of the "to send" list.  Never send before the
         sync: a message the ledger never got, lost from an unsynced
         journal, would never be billed;
      3. on USAGE_ACK: oa_journal_ack (journal, request_id) per id.  Acks
         need no sync of their own: a lost ack only causes a resend, which
         the ledger ignores;
      4. after a (re)connect to the ledger, and after a restart (open
         rewinds by itself): oa_journal_rewind (), then oa_journal_resend ()
         on every loop turn until it returns 0, so a full socket (DONTWAIT)
         just pauses the resend.
    If oa_journal_sync fails, send anyway (billing beats durability), log
    and alarm: the journal stays unusable (-1 everywhere) after a failed
    fsync, as the kernel may have dropped the dirty pages.

    On disk, in dir: NAME.lock (flock'ed while open) and segment files
    NAME.<seq as 16 hex digits>.seg, replayed in seq order.  A segment is a
    16-byte header, "OAJRNL01" then seq (u64 LE), then records; every
    integer little-endian:
        0  u32  magic 0x314A414F ("OAJ1")
        4  u32  length of the body (key + payload) after the 16-byte header
        8  u32  CRC-32C of bytes 4..7, then of bytes 12..(16 + length - 1)
       12  u8   type: 1 = entry (key + payload), 2 = ack (key only)
       13  u8   header check: low byte of the CRC-32C of bytes 4..7, 12, 14, 15
                (lets a resync skip false magics without a CRC of their body)
       14  u16  key length, 1..OA_JOURNAL_KEY_MAX (no NUL in a key)
       16  key bytes, then payload bytes (entries only)
    Replay applies records in order: an entry adds (or replaces) its key,
    an ack removes it.  A record that fails any check starts a scan for
    the next valid record: if one is found, the bad bytes are counted as
    corrupt and skipped (later records survive a flipped bit); if none
    is, the tail is torn (a write cut by a crash) and the file is
    truncated before it.  Nothing read from disk is ever asserted on.

    Compaction is crash-safe without rewrites: segments are deleted only
    from the oldest end (so an ack record never disappears before the
    entry it cancels); the oldest segment, once mostly acked or when
    acked garbage dominates the disk, has its pending records copied
    verbatim into the current segment, which is fsynced, before the old
    file is unlinked and the directory fsynced.  A crash in between
    leaves both copies, and the later one wins at replay.  Disk use stays
    near 2 x pending bytes + 2 segments, however long one entry stays.

    Memory: an index of pending keys (hash + append-order list, about
    130 bytes per entry with a 32-byte key), not the payloads, which are
    read back with pread when resent or compacted.  Unwritten appends are
    buffered (written with one write(2) at 256 KiB or at sync).

    Not thread-safe: one actor owns a journal.
    =========================================================================
*/
#ifndef OA_JOURNAL_H_INCLUDED
#define OA_JOURNAL_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OA_JOURNAL_KEY_MAX 255                      //  bytes in a key (request id)
#define OA_JOURNAL_PAYLOAD_MAX (4 * 1024 * 1024)    //  bytes in a payload (= body frame max)
#define OA_JOURNAL_SEGMENT_DEFAULT (8 * 1024 * 1024) //  segment size that triggers rotation

//  When appended records reach the disk.
typedef enum {
    OA_JOURNAL_SYNC_BATCH = 0,  //  oa_journal_sync writes and fdatasyncs (default)
    OA_JOURNAL_SYNC_ALWAYS = 1, //  every append and ack is written and fdatasynced
    OA_JOURNAL_SYNC_NEVER = 2   //  writes, never fsyncs: tests and tmpfs only
} oa_journal_sync_t;

//  Counters since open, for tests and logs (the metrics carry the same).
typedef struct {
    uint64_t appends;           //  entries appended
    uint64_t acks;              //  acks of pending keys
    uint64_t syncs;             //  fdatasync rounds that found something to sync
    uint64_t bytes;             //  bytes written with write(2)
    uint64_t replayed;          //  valid records read at open
    uint64_t corrupt;           //  corrupt regions skipped at replay or read back
    uint64_t torn;              //  torn tails truncated at open
    uint64_t compactions;       //  segments whose pending entries were copied forward
    uint64_t deleted;           //  segment files deleted
} oa_journal_stats_t;

//  Called per pending entry: key (NUL-terminated) and payload, both
//  borrowed for the call.  Return 0 to go on, -1 to stop.
typedef int (oa_journal_fn) (const char *key, const void *data, size_t size, void *arg);

typedef struct _oa_journal_t oa_journal_t;

//  Opens (creating dir, mkdir -p) the journal name in dir, locks it and
//  replays its segments.  name is 1..64 of [A-Za-z0-9._-], not starting
//  with a dot.  Returns NULL, with a reason in err, if the directory cannot
//  be made, another process (or another open in this one) holds the
//  journal, or a file cannot be read.  The sync policy is BATCH.  Caller
//  owns return value and must destroy it.
oa_journal_t *
    oa_journal_open (const char *dir, const char *name, char *err, size_t err_size);

//  Writes what is buffered, syncs it (per policy), releases the lock and
//  nulls *self_p.  Safe on NULL.
void
    oa_journal_destroy (oa_journal_t **self_p);

//  Sets the sync policy.
void
    oa_journal_set_sync (oa_journal_t *self, oa_journal_sync_t policy);

//  Sets the segment size that triggers rotation (4 KiB .. 1 GiB; larger
//  segments mean fewer files, smaller ones a finer-grained compaction).
void
    oa_journal_set_segment_size (oa_journal_t *self, size_t bytes);

//  Journals payload under key (a request id, 1..OA_JOURNAL_KEY_MAX bytes);
//  a pending key is replaced.  Buffered: durable after oa_journal_sync.
//  Returns 0, or -1 for a bad key or size, a full buffer (the disk kept
//  refusing writes) or a failed journal.
int
    oa_journal_append (oa_journal_t *self, const char *key, const void *data, size_t size);

//  Marks key done (any order).  An unknown key is ignored (returns 0).
//  Returns -1 if the journal has failed or the ack record found no room
//  (the key is forgotten all the same: a lost ack means only a resend).
int
    oa_journal_ack (oa_journal_t *self, const char *key);

//  Writes buffered records and fdatasyncs them (per policy), then deletes
//  and compacts old segments as needed.  Everything appended before a
//  successful call is durable.  Cheap when there is nothing to do.
//  Returns 0, or -1 (write error: retried at the next call; fsync error:
//  the journal has failed for good).
int
    oa_journal_sync (oa_journal_t *self);

//  Writes buffered records to the segment file without an fsync: from
//  then on a killed process cannot lose them, a host crash still can.
//  Returns 0, or -1 (write error: kept buffered, retried at the next call).
int
    oa_journal_write_out (oa_journal_t *self);

//  Runs one compaction step now, whatever the thresholds: the oldest
//  closed segment's pending entries move to the current segment and the
//  file goes.  oa_journal_sync does this when worthwhile.  Returns 0 or -1.
int
    oa_journal_compact (oa_journal_t *self);

//  Number of pending (unacked) entries.
size_t
    oa_journal_pending (oa_journal_t *self);

//  Bytes of pending records (headers included), for back-pressure.
uint64_t
    oa_journal_pending_bytes (oa_journal_t *self);

//  Calls fn for every pending entry in append order (entries moved by a
//  compaction keep their place until the next open), synced or not.  fn
//  must not call other methods of this journal.  Returns the number of
//  entries fn accepted, or -1 on a read error.
int
    oa_journal_foreach_pending (oa_journal_t *self, oa_journal_fn *fn, void *arg);

//  Restarts the resend cursor at the oldest pending entry; it stops at the
//  last entry synced now (later ones are sent by the append path).
void
    oa_journal_rewind (oa_journal_t *self);

//  Hands up to max entries from the resend cursor to fn, in append order;
//  when fn returns -1 the cursor stays on that entry.  Syncs first if the
//  cursor reaches an entry replayed but not yet synced, so it never hands
//  out an entry that is not durable.  Returns how many fn accepted (0 when
//  the cursor is done), or -1 on a read or sync error.
int
    oa_journal_resend (oa_journal_t *self, size_t max, oa_journal_fn *fn, void *arg);

//  Number of segment files.
size_t
    oa_journal_segments (oa_journal_t *self);

//  Copies the counters into *stats.
void
    oa_journal_stats (oa_journal_t *self, oa_journal_stats_t *stats);

//  Self test.
void
    oa_journal_test (bool verbose);

#endif
