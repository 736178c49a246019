/*  =========================================================================
    oa_journal - durable journal of unacknowledged USAGE messages

    This file: records (CRC-32C, checks), the index of pending keys, and
    the open path (mkdir -p, lock, replay with torn-tail truncation and
    resync after corruption).  The write side is in oa_journal_write.c.
    =========================================================================
*/
#include "oa_journal_private.h"
#include "oa_log.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_NAME_MAX 64


//  --------------------------------------------------------------------------
//  CRC-32C, table-driven: at ~50,000 records of ~350 bytes a second a byte
//  at a time is ample, and it needs no CPU feature check.

static uint32_t s_crc_table [256];
static pthread_once_t s_crc_once = PTHREAD_ONCE_INIT;

static void
s_crc_init (void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t crc = i;
        for (int bit = 0; bit < 8; bit++)
            crc = crc & 1? (crc >> 1) ^ 0x82F63B78U: crc >> 1;
        s_crc_table [i] = crc;
    }
}

uint32_t
oa_journal_crc32c (uint32_t crc, const void *data, size_t size)
{
    pthread_once (&s_crc_once, s_crc_init);
    const uint8_t *bytes = (const uint8_t *) data;
    crc = ~crc;
    while (size--)
        crc = s_crc_table [(crc ^ *bytes++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static uint32_t
s_get32 (const uint8_t *p)
{
    return (uint32_t) p [0] | (uint32_t) p [1] << 8 | (uint32_t) p [2] << 16
         | (uint32_t) p [3] << 24;
}

static void
s_put32 (uint8_t *p, uint32_t value)
{
    for (int i = 0; i < 4; i++)
        p [i] = (uint8_t) (value >> (8 * i));
}

static uint64_t
s_get64 (const uint8_t *p)
{
    return (uint64_t) s_get32 (p) | (uint64_t) s_get32 (p + 4) << 32;
}


//  --------------------------------------------------------------------------
//  Records

//  One byte over the length, type and key length: a resync rejects most
//  false magics with it before paying for a CRC over a claimed body.
static uint8_t
s_header_check (const uint8_t *hdr)
{
    uint8_t fields [7] = { hdr [4], hdr [5], hdr [6], hdr [7], hdr [12], hdr [14], hdr [15] };
    return (uint8_t) (oa_journal_crc32c (0, fields, sizeof fields) & 0xFF);
}

void
oa_journal_record_header (uint8_t *hdr, int type, const char *key, size_t key_len,
                          const void *payload, size_t size)
{
    assert (key_len >= 1 && key_len <= OA_JOURNAL_KEY_MAX);
    assert (size <= OA_JOURNAL_PAYLOAD_MAX);
    s_put32 (hdr, S_RECORD_MAGIC);
    s_put32 (hdr + 4, (uint32_t) (key_len + size));
    hdr [12] = (uint8_t) type;
    hdr [14] = (uint8_t) (key_len & 0xFF);
    hdr [15] = (uint8_t) (key_len >> 8);
    hdr [13] = s_header_check (hdr);
    uint32_t crc = oa_journal_crc32c (0, hdr + 4, 4);
    crc = oa_journal_crc32c (crc, hdr + 12, 4);
    crc = oa_journal_crc32c (crc, key, key_len);
    if (size)
        crc = oa_journal_crc32c (crc, payload, size);
    s_put32 (hdr + 8, crc);
}

size_t
oa_journal_record_check (const uint8_t *data, size_t size)
{
    //  Cheap checks first: a resync calls this at every magic it meets
    if (size < S_RECORD_HEADER || s_get32 (data) != S_RECORD_MAGIC)
        return 0;
    uint32_t length = s_get32 (data + 4);
    uint8_t type = data [12];
    size_t key_len = (size_t) data [14] | (size_t) data [15] << 8;
    if ((type != S_TYPE_ENTRY && type != S_TYPE_ACK) || data [13] != s_header_check (data))
        return 0;
    if (key_len < 1 || key_len > OA_JOURNAL_KEY_MAX || length < key_len || length > S_BODY_MAX)
        return 0;
    if (type == S_TYPE_ACK && length != key_len)
        return 0;
    if (size - S_RECORD_HEADER < length)
        return 0;               //  torn: the body is not all there
    if (memchr (data + S_RECORD_HEADER, 0, key_len))
        return 0;
    uint32_t crc = oa_journal_crc32c (0, data + 4, 4);
    crc = oa_journal_crc32c (crc, data + 12, 4 + (size_t) length);
    if (crc != s_get32 (data + 8))
        return 0;
    return S_RECORD_HEADER + (size_t) length;
}

//  Offset of the next valid record at or after from, or size if none.
static size_t
s_resync (const uint8_t *data, size_t size, size_t from)
{
    while (from + S_RECORD_HEADER <= size) {
        const uint8_t *hit = (const uint8_t *) memchr (data + from, 'O', size - from);
        if (!hit)
            break;
        from = (size_t) (hit - data);
        if (oa_journal_record_check (hit, size - from))
            return from;
        from++;
    }
    return size;
}


//  --------------------------------------------------------------------------
//  Index of pending keys: a chained hash plus two ordered lists

uint32_t
oa_journal_hash (const char *key, size_t key_len)
{
    uint32_t hash = 2166136261U;       //  FNV-1a
    for (size_t i = 0; i < key_len; i++)
        hash = (hash ^ (uint8_t) key [i]) * 16777619U;
    return hash;
}

s_entry_t *
oa_journal_index_find (oa_journal_t *self, const char *key, size_t key_len, uint32_t hash)
{
    s_entry_t *entry = self->buckets [hash & (self->bucket_count - 1)];
    for (; entry; entry = entry->chain)
        if (entry->hash == hash && entry->key_len == key_len && memcmp (entry->key, key, key_len) == 0)
            return entry;
    return NULL;
}

static int
s_index_grow (oa_journal_t *self)
{
    size_t count = self->bucket_count * 2;
    s_entry_t **buckets = (s_entry_t **) calloc (count, sizeof (s_entry_t *));
    if (!buckets)
        return -1;
    for (size_t i = 0; i < self->bucket_count; i++)
        while (self->buckets [i]) {
            s_entry_t *entry = self->buckets [i];
            self->buckets [i] = entry->chain;
            entry->chain = buckets [entry->hash & (count - 1)];
            buckets [entry->hash & (count - 1)] = entry;
        }
    free (self->buckets);
    self->buckets = buckets;
    self->bucket_count = count;
    return 0;
}

//  Links entry at the end of its segment's list.
static void
s_segment_link (s_segment_t *segment, s_entry_t *entry)
{
    entry->segment = segment;
    entry->seg_next = NULL;
    entry->seg_prev = segment->last;
    if (segment->last)
        segment->last->seg_next = entry;
    else
        segment->first = entry;
    segment->last = entry;
    segment->live_count++;
    segment->live_bytes += entry->length;
}

static void
s_segment_unlink (s_entry_t *entry)
{
    s_segment_t *segment = entry->segment;
    if (entry->seg_prev)
        entry->seg_prev->seg_next = entry->seg_next;
    else
        segment->first = entry->seg_next;
    if (entry->seg_next)
        entry->seg_next->seg_prev = entry->seg_prev;
    else
        segment->last = entry->seg_prev;
    assert (segment->live_count > 0 && segment->live_bytes >= entry->length);
    segment->live_count--;
    segment->live_bytes -= entry->length;
    entry->segment = NULL;
}

int
oa_journal_index_add (oa_journal_t *self, const char *key, size_t key_len, uint32_t hash,
                      s_segment_t *segment, uint64_t offset, uint32_t length)
{
    if (self->pending >= self->bucket_count && s_index_grow (self))
        return -1;
    s_entry_t *entry = (s_entry_t *) malloc (sizeof (s_entry_t) + key_len + 1);
    if (!entry)
        return -1;
    memcpy (entry->key, key, key_len);
    entry->key [key_len] = 0;
    entry->key_len = (uint8_t) key_len;
    entry->hash = hash;
    entry->offset = offset;
    entry->length = length;
    entry->serial = ++self->serial;
    size_t bucket = hash & (self->bucket_count - 1);
    entry->chain = self->buckets [bucket];
    self->buckets [bucket] = entry;
    entry->next = NULL;
    entry->prev = self->tail;
    if (self->tail)
        self->tail->next = entry;
    else
        self->head = entry;
    self->tail = entry;
    self->pending++;
    self->pending_bytes += length;
    s_segment_link (segment, entry);
    return 0;
}

void
oa_journal_index_remove (oa_journal_t *self, s_entry_t *entry)
{
    s_entry_t **link = &self->buckets [entry->hash & (self->bucket_count - 1)];
    while (*link != entry)
        link = &(*link)->chain;
    *link = entry->chain;
    if (entry->prev)
        entry->prev->next = entry->next;
    else
        self->head = entry->next;
    if (entry->next)
        entry->next->prev = entry->prev;
    else
        self->tail = entry->prev;
    //  The resend cursor never points at a removed entry
    if (self->cursor == entry)
        self->cursor = entry->next;
    self->pending--;
    self->pending_bytes -= entry->length;
    s_segment_unlink (entry);
    free (entry);
}

void
oa_journal_entry_move (s_entry_t *entry, s_segment_t *segment, uint64_t offset)
{
    s_segment_unlink (entry);
    entry->offset = offset;
    s_segment_link (segment, entry);
}


//  --------------------------------------------------------------------------
//  Files

static void
s_error (char *err, size_t err_size, const char *format, ...)
{
    if (!err || !err_size)
        return;
    va_list args;
    va_start (args, format);
    vsnprintf (err, err_size, format, args);
    va_end (args);
}

void
oa_journal_segment_path (oa_journal_t *self, uint64_t seq, char *path, size_t size)
{
    snprintf (path, size, "%s.%016" PRIx64 ".seg", self->name, seq);
}

int
oa_journal_dir_sync (oa_journal_t *self)
{
    if (self->policy == OA_JOURNAL_SYNC_NEVER || !self->dir_dirty)
        return 0;
    if (fsync (self->dir_fd)) {
        oa_log_error ("journal", "%s: fsync of the directory: %s", self->dir, strerror (errno));
        return -1;
    }
    self->dir_dirty = false;
    return 0;
}

static bool
s_name_valid (const char *name)
{
    size_t size = name? strlen (name): 0;
    if (size < 1 || size > S_NAME_MAX || name [0] == '.')
        return false;
    for (size_t i = 0; i < size; i++)
        if (!(name [i] >= 'a' && name [i] <= 'z') && !(name [i] >= 'A' && name [i] <= 'Z')
            && !(name [i] >= '0' && name [i] <= '9') && !strchr ("._-", name [i]))
            return false;
    return true;
}

//  mkdir -p; a directory made here is made durable in its parent.
static int
s_mkdirs (const char *dir)
{
    char path [PATH_MAX];
    if (!*dir || strlen (dir) >= sizeof path)
        return (errno = ENAMETOOLONG), -1;
    strcpy (path, dir);
    for (char *slash = path + 1; ; slash++) {
        if (*slash != '/' && *slash != 0)
            continue;
        char saved = *slash;
        *slash = 0;
        if (mkdir (path, 0755) == 0) {
            //  Durable creation: fsync the parent (best effort)
            char *cut = strrchr (path, '/');
            char parent [PATH_MAX];
            snprintf (parent, sizeof parent, "%.*s", cut? (int) (cut - path): 1, cut? path: ".");
            if (!*parent)
                strcpy (parent, "/");
            int fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0) {
                fsync (fd);
                close (fd);
            }
        }
        else
        if (errno != EEXIST)
            return -1;
        *slash = saved;
        if (!saved)
            return 0;
    }
}

//  Takes NAME.lock; on a conflict says which process holds it.
static int
s_lock (oa_journal_t *self, char *err, size_t err_size)
{
    char path [S_NAME_MAX + 8];
    snprintf (path, sizeof path, "%s.lock", self->name);
    self->lock_fd = openat (self->dir_fd, path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (self->lock_fd < 0) {
        s_error (err, err_size, "journal %s/%s: %s", self->dir, path, strerror (errno));
        return -1;
    }
    if (flock (self->lock_fd, LOCK_EX | LOCK_NB)) {
        int code = errno;
        char holder [24] = "";
        ssize_t got = pread (self->lock_fd, holder, sizeof holder - 1, 0);
        holder [got > 0? got: 0] = 0;
        holder [strcspn (holder, "\n")] = 0;
        if (code == EWOULDBLOCK)
            s_error (err, err_size, "journal %s/%s is in use (locked by pid %s)", self->dir,
                     self->name, *holder? holder: "?");
        else
            s_error (err, err_size, "journal %s/%s: flock: %s", self->dir, path, strerror (code));
        return -1;
    }
    char pid [24];
    int size = snprintf (pid, sizeof pid, "%d\n", (int) getpid ());
    if (ftruncate (self->lock_fd, 0) == 0 && pwrite (self->lock_fd, pid, (size_t) size, 0) < 0)
        oa_log_warn ("journal", "%s/%s: cannot note the pid", self->dir, path);
    return 0;
}

static int
s_seq_compare (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y? -1: x > y;
}

//  Seqs of NAME.<16 hex>.seg in the directory, sorted.  Caller frees.
static int
s_list_segments (oa_journal_t *self, uint64_t **seqs_p, size_t *count_p)
{
    int fd = dup (self->dir_fd);
    DIR *dir = fd >= 0? fdopendir (fd): NULL;
    if (!dir) {
        if (fd >= 0)
            close (fd);
        return -1;
    }
    size_t name_len = strlen (self->name), count = 0, cap = 0;
    uint64_t *seqs = NULL;
    struct dirent *ent;
    while ((ent = readdir (dir))) {
        const char *file = ent->d_name;
        if (strncmp (file, self->name, name_len) || file [name_len] != '.'
            || strlen (file) != name_len + 21 || strcmp (file + name_len + 17, ".seg"))
            continue;
        uint64_t seq = 0;
        bool hex = true;
        for (size_t i = name_len + 1; i < name_len + 17; i++) {
            char c = file [i];
            int digit = c >= '0' && c <= '9'? c - '0': c >= 'a' && c <= 'f'? c - 'a' + 10: -1;
            hex = hex && digit >= 0;
            seq = seq << 4 | (uint64_t) (digit & 15);
        }
        if (!hex)
            continue;
        if (count == cap) {
            cap = cap? cap * 2: 16;
            uint64_t *grown = (uint64_t *) realloc (seqs, cap * sizeof (uint64_t));
            if (!grown) {
                free (seqs);
                closedir (dir);
                return (errno = ENOMEM), -1;
            }
            seqs = grown;
        }
        seqs [count++] = seq;
    }
    closedir (dir);
    if (count)
        qsort (seqs, count, sizeof (uint64_t), s_seq_compare);
    *seqs_p = seqs;
    *count_p = count;
    return 0;
}


//  --------------------------------------------------------------------------
//  Replay

//  Applies one valid record at offset of segment.
static int
s_apply (oa_journal_t *self, s_segment_t *segment, const uint8_t *record, uint64_t offset,
         size_t length)
{
    const char *key = (const char *) record + S_RECORD_HEADER;
    size_t key_len = (size_t) record [14] | (size_t) record [15] << 8;
    uint32_t hash = oa_journal_hash (key, key_len);
    s_entry_t *entry = oa_journal_index_find (self, key, key_len, hash);
    //  A later entry for a key wins: that is how a copy made by a
    //  compaction that crashed before its unlink supersedes the original
    if (entry)
        oa_journal_index_remove (self, entry);
    if (record [12] == S_TYPE_ENTRY)
        return oa_journal_index_add (self, key, key_len, hash, segment, offset, (uint32_t) length);
    return 0;
}

static int
s_replay_segment (oa_journal_t *self, uint64_t seq, char *err, size_t err_size)
{
    char path [S_NAME_MAX + 32];
    oa_journal_segment_path (self, seq, path, sizeof path);
    int fd = openat (self->dir_fd, path, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat (fd, &st)) {
        s_error (err, err_size, "journal %s/%s: %s", self->dir, path, strerror (errno));
        if (fd >= 0)
            close (fd);
        return -1;
    }
    s_segment_t *segment = (s_segment_t *) calloc (1, sizeof (s_segment_t));
    if (!segment) {
        close (fd);
        s_error (err, err_size, "journal %s: out of memory", self->dir);
        return -1;
    }
    segment->seq = seq;
    segment->fd = -1;
    segment->dirty = true;      //  the last run may have died before its fsync
    if (self->newest)
        self->newest->newer = segment;
    else
        self->oldest = segment;
    self->newest = segment;
    self->segment_count++;

    size_t size = (size_t) st.st_size;
    const uint8_t *map = NULL;
    if (size > 0) {
        map = (const uint8_t *) mmap (NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            s_error (err, err_size, "journal %s/%s: mmap: %s", self->dir, path, strerror (errno));
            close (fd);
            return -1;
        }
    }
    int rc = 0;
    bool header_ok = size >= S_FILE_HEADER && memcmp (map, S_FILE_MAGIC, 8) == 0
                  && s_get64 (map + 8) == seq;
    size_t offset = S_FILE_HEADER;
    if (!header_ok) {
        //  A file cut before its header was written holds nothing; a bad
        //  header is corruption, but records may follow it all the same
        if (size >= S_FILE_HEADER) {
            self->stats.corrupt++;
            oa_series_add (self->m_corrupt, 1);
            oa_log_warn ("journal", "%s/%s: bad segment header", self->dir, path);
        }
        offset = s_resync (map, size, 0);
    }
    while (offset < size) {
        size_t length = oa_journal_record_check (map + offset, size - offset);
        if (length) {
            self->stats.replayed++;
            if (s_apply (self, segment, map + offset, offset, length)) {
                s_error (err, err_size, "journal %s: out of memory", self->dir);
                rc = -1;
                break;
            }
            offset += length;
            continue;
        }
        size_t next = s_resync (map, size, offset + 1);
        if (next >= size) {
            //  Nothing valid follows: a write cut short by a crash
            oa_log_warn ("journal", "%s/%s: torn tail of %zu bytes at %zu truncated", self->dir,
                         path, size - offset, offset);
            self->stats.torn++;
            if (header_ok && ftruncate (fd, (off_t) offset)) {
                s_error (err, err_size, "journal %s/%s: truncate: %s", self->dir, path,
                         strerror (errno));
                rc = -1;
            }
            if (header_ok)
                size = offset;
            break;
        }
        oa_log_warn ("journal", "%s/%s: %zu corrupt bytes at %zu skipped", self->dir, path,
                     next - offset, offset);
        self->stats.corrupt++;
        oa_series_add (self->m_corrupt, 1);
        offset = next;
    }
    if (map)
        munmap ((void *) map, (size_t) st.st_size);
    close (fd);
    segment->size = size;
    self->disk_bytes += size;
    return rc;
}


//  --------------------------------------------------------------------------
//  Open and destroy

oa_journal_t *
oa_journal_open (const char *dir, const char *name, char *err, size_t err_size)
{
    assert (dir);
    if (!s_name_valid (name)) {
        s_error (err, err_size, "journal name '%s' is not 1..64 of [A-Za-z0-9._-]",
                 name? name: "(null)");
        return NULL;
    }
    if (s_mkdirs (dir)) {
        s_error (err, err_size, "journal directory %s: %s", dir, strerror (errno));
        return NULL;
    }
    oa_journal_t *self = (oa_journal_t *) calloc (1, sizeof (oa_journal_t));
    if (!self) {
        s_error (err, err_size, "journal: out of memory");
        return NULL;
    }
    self->lock_fd = -1;
    self->read_fd = -1;
    self->policy = OA_JOURNAL_SYNC_BATCH;
    self->segment_max = OA_JOURNAL_SEGMENT_DEFAULT;
    self->bucket_count = 1024;
    self->name = strdup (name);
    self->dir = strdup (dir);
    self->buckets = (s_entry_t **) calloc (self->bucket_count, sizeof (s_entry_t *));
    self->dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!self->name || !self->dir || !self->buckets || self->dir_fd < 0) {
        s_error (err, err_size, "journal %s: %s", dir, self->dir_fd < 0? strerror (errno):
                 "out of memory");
        oa_journal_destroy (&self);
        return NULL;
    }
    oa_journal_metrics_init (self);
    if (s_lock (self, err, err_size)) {
        oa_journal_destroy (&self);
        return NULL;
    }
    uint64_t *seqs = NULL;
    size_t count = 0;
    if (s_list_segments (self, &seqs, &count)) {
        s_error (err, err_size, "journal %s: cannot list: %s", dir, strerror (errno));
        oa_journal_destroy (&self);
        return NULL;
    }
    for (size_t i = 0; i < count; i++)
        if (s_replay_segment (self, seqs [i], err, err_size)) {
            free (seqs);
            oa_journal_destroy (&self);
            return NULL;
        }
    self->next_seq = count? seqs [count - 1] + 1: 1;
    free (seqs);
    //  Replayed segments stay closed: appends go to a new one, made lazily
    self->ready = true;
    self->cursor = self->head;
    self->resend_until = self->serial;
    oa_series_set (self->m_pending, (double) self->pending);
    if (count)
        oa_log_info ("journal", "%s/%s: %zu segments replayed, %zu pending, %" PRIu64
                     " corrupt, %" PRIu64 " torn", dir, name, count, self->pending,
                     self->stats.corrupt, self->stats.torn);
    return self;
}

void
oa_journal_destroy (oa_journal_t **self_p)
{
    assert (self_p);
    oa_journal_t *self = *self_p;
    if (!self)
        return;
    assert (!self->iterating);
    if (self->ready && !self->failed)
        oa_journal_sync (self);
    while (self->head)
        oa_journal_index_remove (self, self->head);
    while (self->oldest) {
        s_segment_t *segment = self->oldest;
        self->oldest = segment->newer;
        if (segment->fd >= 0)
            close (segment->fd);
        free (segment);
    }
    if (self->read_fd >= 0)
        close (self->read_fd);
    if (self->dir_fd >= 0)
        close (self->dir_fd);
    if (self->lock_fd >= 0)
        close (self->lock_fd);     //  releases the flock
    free (self->buckets);
    free (self->buf);
    free (self->read_buf);
    free (self->name);
    free (self->dir);
    free (self);
    *self_p = NULL;
}


//  --------------------------------------------------------------------------
//  Settings and counters

void
oa_journal_set_sync (oa_journal_t *self, oa_journal_sync_t policy)
{
    assert (self);
    assert (policy == OA_JOURNAL_SYNC_BATCH || policy == OA_JOURNAL_SYNC_ALWAYS
            || policy == OA_JOURNAL_SYNC_NEVER);
    self->policy = policy;
}

void
oa_journal_set_segment_size (oa_journal_t *self, size_t bytes)
{
    assert (self);
    self->segment_max = bytes < 4096? 4096: bytes > (1U << 30)? (1U << 30): bytes;
}

size_t
oa_journal_pending (oa_journal_t *self)
{
    assert (self);
    return self->pending;
}

uint64_t
oa_journal_pending_bytes (oa_journal_t *self)
{
    assert (self);
    return self->pending_bytes;
}

size_t
oa_journal_segments (oa_journal_t *self)
{
    assert (self);
    return self->segment_count;
}

void
oa_journal_stats (oa_journal_t *self, oa_journal_stats_t *stats)
{
    assert (self);
    assert (stats);
    *stats = self->stats;
}
