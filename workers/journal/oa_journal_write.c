/*  =========================================================================
    oa_journal_write - appends, acks, syncs, read-back and compaction

    Records go to an in-memory buffer for the active segment and reach the
    file with one pwrite(2) per S_FLUSH_AT bytes or per sync; fdatasync
    follows per policy.  A failed write keeps the buffer and is retried at
    the next call; a failed fsync marks the journal failed, because after
    one the kernel may have dropped the dirty pages and nothing written
    since the last good fsync can be trusted to reach the disk.
    =========================================================================
*/
#include "oa_journal_private.h"
#include "oa_log.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


//  --------------------------------------------------------------------------
//  Metrics: one series per journal name in the global registry

void
oa_journal_metrics_init (oa_journal_t *self)
{
    oa_metrics_t *registry = oa_metrics_global ();
    const char *labels [] = { self->name };
    self->m_pending = oa_metric_series (oa_metrics_gauge (registry,
        "oneapi_worker_journal_pending", "Journaled USAGE entries not yet acknowledged",
        "journal"), labels);
    self->m_appends = oa_metric_series (oa_metrics_counter (registry,
        "oneapi_worker_journal_appends_total", "USAGE entries appended to the journal",
        "journal"), labels);
    self->m_syncs = oa_metric_series (oa_metrics_counter (registry,
        "oneapi_worker_journal_syncs_total", "Journal syncs that had something to write",
        "journal"), labels);
    self->m_bytes = oa_metric_series (oa_metrics_counter (registry,
        "oneapi_worker_journal_bytes_total", "Bytes written to journal segments", "journal"),
        labels);
    self->m_corrupt = oa_metric_series (oa_metrics_counter (registry,
        "oneapi_worker_journal_corrupt_total",
        "Corrupt journal regions skipped (replay or read-back)", "journal"), labels);
    self->m_compactions = oa_metric_series (oa_metrics_counter (registry,
        "oneapi_worker_journal_compactions_total",
        "Journal segments compacted (pending entries copied forward)", "journal"), labels);
}


//  --------------------------------------------------------------------------
//  Buffer and segment files

static int
s_buffer_reserve (oa_journal_t *self, size_t more)
{
    if (self->buf_size + more > S_BUFFER_MAX)
        return (errno = ENOBUFS), -1;
    if (self->buf_size + more <= self->buf_cap)
        return 0;
    size_t cap = self->buf_cap? self->buf_cap: 64 * 1024;
    while (cap < self->buf_size + more)
        cap *= 2;
    char *buf = (char *) realloc (self->buf, cap);
    if (!buf)
        return (errno = ENOMEM), -1;
    self->buf = buf;
    self->buf_cap = cap;
    return 0;
}

int
oa_journal_flush (oa_journal_t *self)
{
    s_segment_t *active = self->active;
    size_t done = 0;
    while (done < self->buf_size) {
        assert (active && active->fd >= 0);
        uint64_t written = active->size - (self->buf_size - done);
        ssize_t rc = pwrite (active->fd, self->buf + done, self->buf_size - done, (off_t) written);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0) {
            int code = rc < 0? errno: ENOSPC;
            if (!self->write_failing)
                oa_log_error ("journal", "%s/%s: write: %s (kept in memory, retried)", self->dir,
                              self->name, strerror (code));
            self->write_failing = true;
            memmove (self->buf, self->buf + done, self->buf_size - done);
            self->buf_size -= done;
            self->stats.bytes += done;
            oa_series_add (self->m_bytes, (double) done);
            return (errno = code), -1;
        }
        done += (size_t) rc;
    }
    if (self->write_failing)
        oa_log_info ("journal", "%s/%s: writes succeed again", self->dir, self->name);
    self->write_failing = false;
    self->stats.bytes += done;
    oa_series_add (self->m_bytes, (double) done);
    self->buf_size = 0;
    return 0;
}

//  Starts a new active segment; its header goes to the buffer.
static int
s_segment_create (oa_journal_t *self)
{
    assert (!self->active && self->buf_size == 0);
    char path [96];
    oa_journal_segment_path (self, self->next_seq, path, sizeof path);
    s_segment_t *segment = (s_segment_t *) calloc (1, sizeof (s_segment_t));
    if (!segment || s_buffer_reserve (self, S_FILE_HEADER)) {
        free (segment);
        return (errno = ENOMEM), -1;
    }
    segment->fd = openat (self->dir_fd, path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (segment->fd < 0) {
        oa_log_error ("journal", "%s/%s: %s", self->dir, path, strerror (errno));
        free (segment);
        return -1;
    }
    segment->seq = self->next_seq++;
    segment->dirty = true;
    uint8_t *header = (uint8_t *) self->buf;
    memcpy (header, S_FILE_MAGIC, 8);
    for (int i = 0; i < 8; i++)
        header [8 + i] = (uint8_t) (segment->seq >> (8 * i));
    self->buf_size = S_FILE_HEADER;
    segment->size = S_FILE_HEADER;
    self->disk_bytes += S_FILE_HEADER;
    if (self->newest)
        self->newest->newer = segment;
    else
        self->oldest = segment;
    self->newest = segment;
    self->active = segment;
    self->segment_count++;
    self->dir_dirty = true;
    return 0;
}

//  Makes room for a record of length bytes: an active segment, rotated
//  when full (unless its writes are failing: then it keeps growing).
static int
s_make_room (oa_journal_t *self, size_t length)
{
    s_segment_t *active = self->active;
    if (active && active->size > S_FILE_HEADER && active->size + length > self->segment_max
        && oa_journal_flush (self) == 0) {
        //  Closed; its fd stays open until synced, so a writeback error
        //  is reported to us and not lost with a closed descriptor
        self->active = NULL;
        active = NULL;
    }
    if (!active && s_segment_create (self))
        return -1;
    return s_buffer_reserve (self, length);
}

//  Buffers one record (header + key + payload, or raw bytes when hdr is
//  NULL and key holds the whole record); *offset_p gets its offset.
static int
s_put (oa_journal_t *self, const uint8_t *hdr, const void *key, size_t key_len,
       const void *payload, size_t size, uint64_t *offset_p)
{
    size_t length = (hdr? S_RECORD_HEADER: 0) + key_len + size;
    if (s_make_room (self, length))
        return -1;
    char *at = self->buf + self->buf_size;
    if (hdr) {
        memcpy (at, hdr, S_RECORD_HEADER);
        at += S_RECORD_HEADER;
    }
    memcpy (at, key, key_len);
    if (size)
        memcpy (at + key_len, payload, size);
    self->buf_size += length;
    *offset_p = self->active->size;
    self->active->size += length;
    self->active->dirty = true;
    self->disk_bytes += length;
    if (self->buf_size >= S_FLUSH_AT)
        oa_journal_flush (self);        //  on failure, retried later
    return 0;
}

//  Unlinks the oldest segment (no pending entries left) durably, so
//  deletions reach the disk in seq order.
static int
s_segment_delete (oa_journal_t *self)
{
    s_segment_t *segment = self->oldest;
    assert (segment && segment != self->active && segment->live_count == 0);
    char path [96];
    oa_journal_segment_path (self, segment->seq, path, sizeof path);
    if (unlinkat (self->dir_fd, path, 0) && errno != ENOENT) {
        oa_log_error ("journal", "%s/%s: unlink: %s", self->dir, path, strerror (errno));
        return -1;
    }
    if (segment->fd >= 0)
        close (segment->fd);
    if (self->read_fd >= 0 && self->read_seq == segment->seq) {
        close (self->read_fd);
        self->read_fd = -1;
    }
    self->oldest = segment->newer;
    if (self->newest == segment)
        self->newest = NULL;
    self->segment_count--;
    self->disk_bytes -= segment->size;
    self->stats.deleted++;
    free (segment);
    self->dir_dirty = true;
    return oa_journal_dir_sync (self);
}


//  --------------------------------------------------------------------------
//  Sync

//  Writes the buffer and fdatasyncs every dirty segment.
static int
s_sync_all (oa_journal_t *self)
{
    if (self->failed)
        return (errno = EIO), -1;
    bool work = self->buf_size > 0;
    if (oa_journal_flush (self))
        return -1;
    for (s_segment_t *segment = self->oldest; segment; segment = segment->newer) {
        if (!segment->dirty)
            continue;
        work = true;
        if (self->policy != OA_JOURNAL_SYNC_NEVER) {
            int fd = segment->fd;
            if (fd < 0) {
                char path [96];
                oa_journal_segment_path (self, segment->seq, path, sizeof path);
                fd = openat (self->dir_fd, path, O_RDONLY | O_CLOEXEC);
            }
            if (fd < 0 || fdatasync (fd)) {
                self->failed = true;
                oa_log_error ("journal", "%s/%s: fdatasync of segment %" PRIu64
                              " failed (%s): journal disabled", self->dir, self->name,
                              segment->seq, strerror (errno));
                if (fd >= 0 && fd != segment->fd)
                    close (fd);
                return (errno = EIO), -1;
            }
            if (fd != segment->fd)
                close (fd);
        }
        segment->dirty = false;
        if (segment != self->active && segment->fd >= 0) {
            close (segment->fd);
            segment->fd = -1;
        }
    }
    if (oa_journal_dir_sync (self)) {
        self->failed = true;
        return (errno = EIO), -1;
    }
    self->synced_serial = self->serial;
    if (work) {
        self->stats.syncs++;
        oa_series_add (self->m_syncs, 1);
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  Read-back

//  Returns entry's whole record, checked, from the buffer or the file.
//  NULL with errno EBADMSG if it is corrupt, else errno of the failure.
static const uint8_t *
s_read (oa_journal_t *self, s_entry_t *entry)
{
    s_segment_t *segment = entry->segment;
    uint64_t written = segment->size - (segment == self->active? self->buf_size: 0);
    if (entry->offset >= written)
        return (const uint8_t *) self->buf + (entry->offset - written);
    int fd = segment->fd;
    if (fd < 0) {
        if (self->read_fd < 0 || self->read_seq != segment->seq) {
            if (self->read_fd >= 0)
                close (self->read_fd);
            char path [96];
            oa_journal_segment_path (self, segment->seq, path, sizeof path);
            self->read_fd = openat (self->dir_fd, path, O_RDONLY | O_CLOEXEC);
            self->read_seq = segment->seq;
            if (self->read_fd < 0) {
                oa_log_error ("journal", "%s/%s: %s", self->dir, path, strerror (errno));
                return NULL;
            }
        }
        fd = self->read_fd;
    }
    if (entry->length > self->read_cap) {
        char *grown = (char *) realloc (self->read_buf, entry->length);
        if (!grown)
            return (errno = ENOMEM), NULL;
        self->read_buf = grown;
        self->read_cap = entry->length;
    }
    size_t done = 0;
    while (done < entry->length) {
        ssize_t rc = pread (fd, self->read_buf + done, entry->length - done,
                            (off_t) (entry->offset + done));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            oa_log_error ("journal", "%s/%s: read of segment %" PRIu64 ": %s", self->dir,
                          self->name, segment->seq, strerror (errno));
            return NULL;
        }
        if (rc == 0)
            return (errno = EBADMSG), NULL;     //  the file shrank under us
        done += (size_t) rc;
    }
    const uint8_t *record = (const uint8_t *) self->read_buf;
    if (oa_journal_record_check (record, entry->length) != entry->length
        || memcmp (record + S_RECORD_HEADER, entry->key, entry->key_len))
        return (errno = EBADMSG), NULL;
    return record;
}

//  Forgets an entry whose record no longer reads back intact.
static void
s_drop_corrupt (oa_journal_t *self, s_entry_t *entry)
{
    oa_log (OA_LOG_ERROR, "journal", entry->key, "%s/%s: record of segment %" PRIu64
            " at %" PRIu64 " is corrupt on disk: entry lost", self->dir, self->name,
            entry->segment->seq, entry->offset);
    self->stats.corrupt++;
    oa_series_add (self->m_corrupt, 1);
    oa_journal_index_remove (self, entry);
    oa_series_set (self->m_pending, (double) self->pending);
}

//  Hands one entry to fn: 0 accepted, 1 refused, -1 read error, -2 dropped.
static int
s_deliver (oa_journal_t *self, s_entry_t *entry, oa_journal_fn *fn, void *arg)
{
    const uint8_t *record = s_read (self, entry);
    if (!record) {
        if (errno != EBADMSG)
            return -1;
        s_drop_corrupt (self, entry);
        return -2;
    }
    const uint8_t *payload = record + S_RECORD_HEADER + entry->key_len;
    size_t size = entry->length - S_RECORD_HEADER - entry->key_len;
    self->iterating = true;
    int rc = fn (entry->key, payload, size, arg);
    self->iterating = false;
    return rc? 1: 0;
}


//  --------------------------------------------------------------------------
//  Compaction

//  Copies the oldest segment's pending records to the active one, makes
//  the copies durable, then deletes the old file.
static int
s_compact_oldest (oa_journal_t *self)
{
    s_segment_t *old = self->oldest;
    assert (old && old != self->active);
    for (s_entry_t *entry = old->first, *next; entry; entry = next) {
        next = entry->seg_next;
        const uint8_t *record = s_read (self, entry);
        if (!record) {
            if (errno != EBADMSG)
                return -1;
            s_drop_corrupt (self, entry);
            continue;
        }
        //  The record is copied verbatim: it holds no segment-specific bytes
        uint64_t offset;
        if (s_put (self, NULL, record, entry->length, NULL, 0, &offset)) {
            oa_log_warn ("journal", "%s/%s: compaction of segment %" PRIu64 " postponed: %s",
                         self->dir, self->name, old->seq, strerror (errno));
            return -1;
        }
        oa_journal_entry_move (entry, self->active, offset);
    }
    if (s_sync_all (self))
        return -1;
    self->stats.compactions++;
    oa_series_add (self->m_compactions, 1);
    return s_segment_delete (self);
}

//  Deletes the fully acked prefix of segments, then compacts the oldest
//  closed segment if forced, if it is mostly acked, or if acked garbage
//  dominates the disk (so one entry pending forever cannot pin it).
static int
s_maintain (oa_journal_t *self, bool force)
{
    for (int round = 0; round < 2; round++) {
        while (self->oldest && self->oldest != self->active && self->oldest->live_count == 0)
            if (s_segment_delete (self))
                return -1;
        s_segment_t *old = self->oldest;
        if (round == 1 || !old || old == self->active)
            break;
        uint64_t closed = self->disk_bytes - (self->active? self->active->size: 0);
        if (force || old->live_bytes * 4 <= old->size
            || closed > 2 * self->pending_bytes + 2 * self->segment_max) {
            if (s_compact_oldest (self))
                return -1;
        }
        else
            break;
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  Public write side

int
oa_journal_append (oa_journal_t *self, const char *key, const void *data, size_t size)
{
    assert (self);
    assert (!self->iterating);
    size_t key_len = key? strlen (key): 0;
    if (key_len < 1 || key_len > OA_JOURNAL_KEY_MAX || size > OA_JOURNAL_PAYLOAD_MAX
        || (size && !data))
        return (errno = EINVAL), -1;
    if (self->failed)
        return (errno = EIO), -1;
    uint8_t hdr [S_RECORD_HEADER];
    oa_journal_record_header (hdr, S_TYPE_ENTRY, key, key_len, data, size);
    uint64_t offset;
    if (s_put (self, hdr, key, key_len, data, size, &offset))
        return -1;
    uint32_t hash = oa_journal_hash (key, key_len);
    s_entry_t *old = oa_journal_index_find (self, key, key_len, hash);
    if (old)
        oa_journal_index_remove (self, old);
    uint32_t length = (uint32_t) (S_RECORD_HEADER + key_len + size);
    if (oa_journal_index_add (self, key, key_len, hash, self->active, offset, length))
        return (errno = ENOMEM), -1;
    self->stats.appends++;
    oa_series_add (self->m_appends, 1);
    oa_series_set (self->m_pending, (double) self->pending);
    return self->policy == OA_JOURNAL_SYNC_ALWAYS? oa_journal_sync (self): 0;
}

int
oa_journal_ack (oa_journal_t *self, const char *key)
{
    assert (self);
    assert (!self->iterating);
    if (self->failed)
        return (errno = EIO), -1;
    size_t key_len = key? strlen (key): 0;
    if (key_len < 1 || key_len > OA_JOURNAL_KEY_MAX)
        return 0;
    uint32_t hash = oa_journal_hash (key, key_len);
    s_entry_t *entry = oa_journal_index_find (self, key, key_len, hash);
    if (!entry)
        return 0;
    //  Forgotten in memory even if the ack record cannot be buffered: a
    //  lost ack record only means a resend, which the ledger ignores
    uint8_t hdr [S_RECORD_HEADER];
    oa_journal_record_header (hdr, S_TYPE_ACK, key, key_len, NULL, 0);
    uint64_t offset;
    int rc = s_put (self, hdr, key, key_len, NULL, 0, &offset);
    oa_journal_index_remove (self, entry);
    self->stats.acks++;
    oa_series_set (self->m_pending, (double) self->pending);
    if (rc == 0 && self->policy == OA_JOURNAL_SYNC_ALWAYS)
        rc = oa_journal_sync (self);
    return rc;
}

int
oa_journal_sync (oa_journal_t *self)
{
    assert (self);
    assert (!self->iterating);
    if (s_sync_all (self))
        return -1;
    //  A compaction that cannot finish now (logged) is retried next time;
    //  what was appended is durable all the same
    s_maintain (self, false);
    return self->failed? -1: 0;
}

int
oa_journal_write_out (oa_journal_t *self)
{
    assert (self);
    assert (!self->iterating);
    if (self->failed)
        return (errno = EIO), -1;
    return self->buf_size? oa_journal_flush (self): 0;
}

int
oa_journal_compact (oa_journal_t *self)
{
    assert (self);
    assert (!self->iterating);
    if (s_sync_all (self))
        return -1;
    return s_maintain (self, true);
}


//  --------------------------------------------------------------------------
//  Iteration

int
oa_journal_foreach_pending (oa_journal_t *self, oa_journal_fn *fn, void *arg)
{
    assert (self);
    assert (fn);
    assert (!self->iterating);
    int count = 0;
    for (s_entry_t *entry = self->head, *next; entry; entry = next) {
        next = entry->next;
        int rc = s_deliver (self, entry, fn, arg);
        if (rc == -1)
            return -1;
        if (rc == 1)
            break;
        if (rc == 0)
            count++;
    }
    return count;
}

void
oa_journal_rewind (oa_journal_t *self)
{
    assert (self);
    self->cursor = self->head;
    self->resend_until = self->synced_serial;
}

int
oa_journal_resend (oa_journal_t *self, size_t max, oa_journal_fn *fn, void *arg)
{
    assert (self);
    assert (fn);
    assert (!self->iterating);
    int count = 0;
    while ((size_t) count < max && self->cursor && self->cursor->serial <= self->resend_until) {
        s_entry_t *entry = self->cursor;
        //  Replayed entries are synced before anyone sees them
        if (entry->serial > self->synced_serial) {
            if (oa_journal_sync (self))
                return -1;
            continue;
        }
        int rc = s_deliver (self, entry, fn, arg);
        if (rc == -1)
            return -1;
        if (rc == 1)
            break;
        if (rc == 0) {
            self->cursor = entry->next;
            count++;
        }
    }
    return count;
}
