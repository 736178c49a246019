/*  =========================================================================
    oa_journal_private - state shared by the oa_journal source files

    oa_journal.c opens, locks and replays; oa_journal_write.c appends,
    syncs, reads back and compacts.  Nothing here is public API.
    =========================================================================
*/
#ifndef OA_JOURNAL_PRIVATE_H_INCLUDED
#define OA_JOURNAL_PRIVATE_H_INCLUDED

#include "oa_journal.h"
#include "oa_metrics.h"

#include <sys/types.h>

#define S_FILE_MAGIC "OAJRNL01"             //  first 8 bytes of a segment
#define S_FILE_HEADER 16                    //  file magic + seq
#define S_RECORD_MAGIC 0x314A414FU          //  "OAJ1" little-endian
#define S_RECORD_HEADER 16                  //  magic, length, crc, type, check, key length
#define S_TYPE_ENTRY 1                      //  record: key + payload, pending from now
#define S_TYPE_ACK 2                        //  record: key only, done from now
#define S_BODY_MAX (OA_JOURNAL_KEY_MAX + OA_JOURNAL_PAYLOAD_MAX)   //  longest valid body
#define S_FLUSH_AT (256 * 1024)             //  buffered bytes that trigger a write(2)
#define S_BUFFER_MAX (64 * 1024 * 1024)     //  buffered bytes beyond which appends fail

typedef struct _s_segment_t s_segment_t;
typedef struct _s_entry_t s_entry_t;

//  One pending entry.  Invariant: in the hash, in the journal's list and
//  in its segment's list exactly while pending.
struct _s_entry_t {
    s_entry_t *prev, *next;         //  journal's pending list, append order
    s_entry_t *seg_prev, *seg_next; //  segment's pending list, file order
    s_entry_t *chain;               //  hash bucket chain
    s_segment_t *segment;           //  segment holding the record
    uint64_t offset;                //  of the record in that segment
    uint64_t serial;                //  append order; > synced_serial = not durable
    uint32_t length;                //  of the whole record, header included
    uint32_t hash;                  //  of the key
    uint8_t key_len;                //  bytes in key
    char key [];                    //  NUL-terminated
};

//  One segment file.  Only the newest (self->active) is appended to.
struct _s_segment_t {
    s_segment_t *newer;             //  next segment in seq order, or NULL
    uint64_t seq;                   //  from the file name
    uint64_t size;                  //  bytes written + bytes buffered (active)
    uint64_t live_bytes;            //  bytes of its pending records
    size_t live_count;              //  its pending entries
    s_entry_t *first, *last;        //  its pending entries, file order
    int fd;                         //  open while active or dirty, else -1
    bool dirty;                     //  written (or replayed) since its last fsync
};

struct _oa_journal_t {
    char *name;                     //  journal name (file prefix)
    char *dir;                      //  directory, for messages
    int dir_fd;                     //  directory, for *at () and its fsync
    int lock_fd;                    //  NAME.lock, flock'ed
    bool dir_dirty;                 //  a file was created or removed since the dir fsync
    bool failed;                    //  an fsync failed: every call returns -1
    bool iterating;                 //  inside a callback: methods are off limits
    oa_journal_sync_t policy;       //  when to fdatasync
    uint64_t segment_max;           //  rotation size
    bool ready;                     //  open finished: destroy may sync and compact
    s_segment_t *oldest, *newest;   //  segment list, seq order
    s_segment_t *active;            //  newest when open for appends, else NULL
    size_t segment_count;           //  segments in the list
    uint64_t next_seq;              //  seq of the next segment file
    uint64_t disk_bytes;            //  sum of segment sizes
    char *buf;                      //  records not yet written to the active segment
    size_t buf_size, buf_cap;       //  used and allocated bytes of buf
    s_entry_t **buckets;            //  hash of pending keys
    size_t bucket_count;            //  power of two
    s_entry_t *head, *tail;         //  pending list, append order
    size_t pending;                 //  entries in the list
    uint64_t pending_bytes;         //  bytes of their records
    uint64_t serial;                //  last serial given
    uint64_t synced_serial;         //  entries up to here are durable
    s_entry_t *cursor;              //  resend cursor, or NULL when done
    uint64_t resend_until;          //  resend stops after this serial
    char *read_buf;                 //  one record read back
    size_t read_cap;                //  its allocated bytes
    int read_fd;                    //  a closed segment open for reading, or -1
    uint64_t read_seq;              //  its seq
    bool write_failing;             //  the last write failed (logged once per streak)
    oa_journal_stats_t stats;       //  counters
    oa_series_t *m_pending;         //  gauge
    oa_series_t *m_appends, *m_syncs, *m_bytes, *m_corrupt, *m_compactions;    //  counters
};

//  CRC-32C (Castagnoli) of data, continuing crc (0 to start).
uint32_t
    oa_journal_crc32c (uint32_t crc, const void *data, size_t size);

//  Checks the record at data (size bytes available): returns its total
//  length, or 0 if it is not a complete, valid record.
size_t
    oa_journal_record_check (const uint8_t *data, size_t size);

//  Encodes a record header for body bytes key + payload into hdr.
void
    oa_journal_record_header (uint8_t *hdr, int type, const char *key, size_t key_len,
                              const void *payload, size_t size);

//  Index operations (oa_journal.c).
s_entry_t *
    oa_journal_index_find (oa_journal_t *self, const char *key, size_t key_len, uint32_t hash);
uint32_t
    oa_journal_hash (const char *key, size_t key_len);
int
    oa_journal_index_add (oa_journal_t *self, const char *key, size_t key_len, uint32_t hash,
                          s_segment_t *segment, uint64_t offset, uint32_t length);
void
    oa_journal_index_remove (oa_journal_t *self, s_entry_t *entry);
void
    oa_journal_entry_move (s_entry_t *entry, s_segment_t *segment, uint64_t offset);

//  Segment helpers (oa_journal.c).
void
    oa_journal_segment_path (oa_journal_t *self, uint64_t seq, char *path, size_t size);
int
    oa_journal_dir_sync (oa_journal_t *self);

//  Write side (oa_journal_write.c).
int
    oa_journal_flush (oa_journal_t *self);
void
    oa_journal_metrics_init (oa_journal_t *self);

#endif
