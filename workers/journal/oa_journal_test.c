/*  =========================================================================
    oa_journal_test - self test of oa_journal

    Round trips, torn writes at every byte of the last record, flipped
    bytes, random-order acks, compaction (and a crash inside one), the
    lock, the resend cursor, throughput with batched fsync, and a child
    killed with SIGKILL while appending.
    =========================================================================
*/
#include "oa_journal_private.h"
#include "oa_log.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_PAYLOAD 300               //  a USAGE body frame is about this big

//  Deterministic payload of entry i (size varies a little with i).
static size_t
s_payload (int i, char *buf)
{
    size_t size = S_PAYLOAD - (size_t) (i % 7);
    for (size_t at = 0; at < size; at++)
        buf [at] = (char) ((i * 31 + (int) at * 7) & 0xFF);
    return size;
}

static void
s_key (int i, char *key)
{
    snprintf (key, 40, "2024010112000012345678%010d", i);
}

static int
s_key_index (const char *key)
{
    return atoi (key + 22);
}

//  Collects pending entries: their indexes in order, payloads checked.
typedef struct {
    int keys [200000];              //  indexes seen, in order
    int count;                      //  entries seen
    int stop_at;                    //  refuse the entry with this index (-1: none)
} s_seen_t;

static int
s_collect (const char *key, const void *data, size_t size, void *arg)
{
    s_seen_t *seen = (s_seen_t *) arg;
    int i = s_key_index (key);
    if (i == seen->stop_at)
        return -1;
    char expected [S_PAYLOAD];
    size_t expected_size = s_payload (i, expected);
    assert (size == expected_size);
    assert (memcmp (data, expected, size) == 0);
    seen->keys [seen->count++] = i;
    return 0;
}

static s_seen_t *
s_pending (oa_journal_t *journal)
{
    static s_seen_t seen;
    seen.count = 0;
    seen.stop_at = -1;
    int rc = oa_journal_foreach_pending (journal, s_collect, &seen);
    assert (rc == seen.count);
    assert ((size_t) rc == oa_journal_pending (journal));
    return &seen;
}

static void
s_append (oa_journal_t *journal, int i)
{
    char key [40], payload [S_PAYLOAD];
    s_key (i, key);
    size_t size = s_payload (i, payload);
    assert (oa_journal_append (journal, key, payload, size) == 0);
}

static void
s_ack (oa_journal_t *journal, int i)
{
    char key [40];
    s_key (i, key);
    assert (oa_journal_ack (journal, key) == 0);
}

static oa_journal_t *
s_open (const char *dir)
{
    char err [256];
    oa_journal_t *journal = oa_journal_open (dir, "usage", err, sizeof err);
    if (!journal)
        fprintf (stderr, "oa_journal_open: %s\n", err);
    assert (journal);
    oa_journal_set_sync (journal, OA_JOURNAL_SYNC_NEVER);
    return journal;
}

static int
s_rm (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st, (void) flag, (void) ftw;
    return remove (path);
}

static void
s_rmrf (const char *dir)
{
    nftw (dir, s_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static char *
s_slurp (const char *path, size_t *size_p)
{
    int fd = open (path, O_RDONLY);
    assert (fd >= 0);
    struct stat st;
    assert (fstat (fd, &st) == 0);
    char *data = (char *) malloc ((size_t) st.st_size + 1);
    assert (data);
    assert (read (fd, data, (size_t) st.st_size) == st.st_size);
    close (fd);
    *size_p = (size_t) st.st_size;
    return data;
}

static void
s_spit (const char *path, const void *data, size_t size)
{
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert (fd >= 0);
    assert (write (fd, data, size) == (ssize_t) size);
    close (fd);
}

static void
s_segment_file (const char *dir, uint64_t seq, char *path)
{
    snprintf (path, 512, "%s/usage.%016" PRIx64 ".seg", dir, seq);
}

static size_t
s_file_size (const char *path)
{
    struct stat st;
    return stat (path, &st) == 0? (size_t) st.st_size: 0;
}

static double
s_now (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (double) now.tv_sec + (double) now.tv_nsec / 1e9;
}


//  --------------------------------------------------------------------------

static void
s_test_round_trip (const char *root)
{
    char dir [256], err [256];
    snprintf (dir, sizeof dir, "%s/a/b/c", root);      //  mkdir -p
    oa_journal_t *journal = s_open (dir);
    assert (oa_journal_pending (journal) == 0);
    assert (oa_journal_segments (journal) == 0);       //  made on first append
    for (int i = 0; i < 5; i++)
        s_append (journal, i);
    s_ack (journal, 1);
    s_ack (journal, 1);                                 //  twice: harmless
    assert (oa_journal_ack (journal, "no-such-key") == 0);
    s_append (journal, 3);                              //  replaces, moves to the end
    s_seen_t *seen = s_pending (journal);
    assert (seen->count == 4);
    assert (seen->keys [0] == 0 && seen->keys [1] == 2 && seen->keys [2] == 4
            && seen->keys [3] == 3);
    //  Bad arguments
    assert (oa_journal_append (journal, "", "x", 1) == -1);
    char long_key [300];
    memset (long_key, 'k', sizeof long_key - 1);
    long_key [sizeof long_key - 1] = 0;
    assert (oa_journal_append (journal, long_key, "x", 1) == -1);
    assert (oa_journal_append (journal, "k", NULL, OA_JOURNAL_PAYLOAD_MAX + 1) == -1);
    assert (oa_journal_append (journal, "empty", NULL, 0) == 0);
    assert (oa_journal_ack (journal, "empty") == 0);
    assert (oa_journal_sync (journal) == 0);
    oa_journal_destroy (&journal);
    assert (journal == NULL);
    oa_journal_destroy (&journal);

    journal = s_open (dir);
    seen = s_pending (journal);
    assert (seen->count == 4);
    assert (seen->keys [0] == 0 && seen->keys [1] == 2 && seen->keys [2] == 4
            && seen->keys [3] == 3);
    oa_journal_stats_t stats;
    oa_journal_stats (journal, &stats);
    assert (stats.corrupt == 0 && stats.torn == 0);
    for (int i = 0; i < 5; i++)
        s_ack (journal, i);
    assert (oa_journal_pending (journal) == 0);
    oa_journal_destroy (&journal);
    journal = s_open (dir);
    assert (oa_journal_pending (journal) == 0);
    assert (oa_journal_sync (journal) == 0);
    //  Only the active segment is left (the acked ones went at the sync)
    assert (oa_journal_segments (journal) == 0);
    oa_journal_destroy (&journal);

    assert (oa_journal_open (dir, "../x", err, sizeof err) == NULL);
    assert (oa_journal_open (dir, ".x", err, sizeof err) == NULL);
    assert (oa_journal_open ("/proc/no/such", "x", err, sizeof err) == NULL);
    assert (strstr (err, "/proc/no/such"));
}

//  Truncates the last record at every byte: a crash inside its write.
static void
s_test_torn (const char *root)
{
    char dir [256], path [512];
    snprintf (dir, sizeof dir, "%s/torn", root);
    oa_journal_t *journal = s_open (dir);
    for (int i = 0; i < 20; i++)
        s_append (journal, i);
    oa_journal_destroy (&journal);
    s_segment_file (dir, 1, path);
    size_t size;
    char *whole = s_slurp (path, &size);
    char key [40], payload [S_PAYLOAD];
    s_key (19, key);
    size_t last = size - (S_RECORD_HEADER + strlen (key) + s_payload (19, payload));
    for (size_t cut = last; cut < size; cut++) {
        s_spit (path, whole, cut);
        journal = s_open (dir);
        s_seen_t *seen = s_pending (journal);
        assert (seen->count == 19);
        assert (seen->keys [18] == 18);
        oa_journal_stats_t stats;
        oa_journal_stats (journal, &stats);
        assert (stats.torn == (cut > last));
        assert (stats.corrupt == 0);
        assert (s_file_size (path) == last);
        oa_journal_destroy (&journal);
    }
    //  Zeros after the end (delayed allocation after a power cut)
    char *zeros = (char *) calloc (1, size + 4096);
    memcpy (zeros, whole, size);
    s_spit (path, zeros, size + 4096);
    journal = s_open (dir);
    assert (oa_journal_pending (journal) == 20);
    assert (s_file_size (path) == size);
    //  Appends go to a new segment, and survive with the old ones
    s_append (journal, 20);
    oa_journal_destroy (&journal);
    journal = s_open (dir);
    assert (oa_journal_pending (journal) == 21);
    assert (oa_journal_segments (journal) == 2);
    oa_journal_destroy (&journal);
    //  A segment cut inside its file header holds nothing
    s_spit (path, whole, 7);
    journal = s_open (dir);
    assert (oa_journal_pending (journal) == 1);
    oa_journal_destroy (&journal);
    free (zeros);
    free (whole);
}

//  Flipped bytes in the middle are detected; later records survive.
static void
s_test_corrupt (const char *root)
{
    char dir [256], path [512];
    snprintf (dir, sizeof dir, "%s/corrupt", root);
    oa_journal_t *journal = s_open (dir);
    for (int i = 0; i < 10; i++)
        s_append (journal, i);
    oa_journal_destroy (&journal);
    s_segment_file (dir, 1, path);
    size_t size;
    char *whole = s_slurp (path, &size);
    //  Offset of record 5
    size_t at = S_FILE_HEADER;
    for (int i = 0; i < 5; i++) {
        char payload [S_PAYLOAD];
        at += S_RECORD_HEADER + 32 + s_payload (i, payload);
    }
    //  In the payload, the length, the magic, the crc, the key
    size_t flips [] = { at + 100, at + 5, at + 1, at + 9, at + 20 };
    for (size_t f = 0; f < sizeof flips / sizeof flips [0]; f++) {
        char *copy = (char *) malloc (size);
        memcpy (copy, whole, size);
        copy [flips [f]] ^= 0x40;
        s_spit (path, copy, size);
        free (copy);
        journal = s_open (dir);
        s_seen_t *seen = s_pending (journal);
        assert (seen->count == 9);
        for (int i = 0, k = 0; i < 10; i++)
            if (i != 5)
                assert (seen->keys [k++] == i);
        oa_journal_stats_t stats;
        oa_journal_stats (journal, &stats);
        assert (stats.corrupt == 1 && stats.torn == 0);
        oa_journal_destroy (&journal);
    }
    //  A bad file header: counted, records still read
    whole [3] ^= 1;
    s_spit (path, whole, size);
    journal = s_open (dir);
    assert (oa_journal_pending (journal) == 10);
    oa_journal_stats_t stats;
    oa_journal_stats (journal, &stats);
    assert (stats.corrupt == 1);
    oa_journal_destroy (&journal);
    free (whole);
}

static void
s_test_random_acks (const char *root)
{
    char dir [256];
    snprintf (dir, sizeof dir, "%s/random", root);
    oa_journal_t *journal = s_open (dir);
    oa_journal_set_segment_size (journal, 16384);
    enum { N = 1000 };
    static int order [N];
    static bool acked [N];
    for (int i = 0; i < N; i++) {
        s_append (journal, i);
        order [i] = i;
    }
    unsigned seed = 42;
    for (int i = N - 1; i > 0; i--) {
        int j = (int) (rand_r (&seed) % (unsigned) (i + 1));
        int t = order [i];
        order [i] = order [j];
        order [j] = t;
    }
    for (int i = 0; i < N / 2; i++) {
        s_ack (journal, order [i]);
        acked [order [i]] = true;
        if (i % 97 == 0)
            assert (oa_journal_sync (journal) == 0);
    }
    for (int round = 0; round < 2; round++) {
        s_seen_t *seen = s_pending (journal);
        assert (seen->count == N / 2);
        for (int k = 1; k < seen->count; k++)
            assert (seen->keys [k - 1] < seen->keys [k]);      //  append order
        for (int k = 0; k < seen->count; k++)
            assert (!acked [seen->keys [k]]);
        oa_journal_destroy (&journal);
        journal = s_open (dir);
        oa_journal_set_segment_size (journal, 16384);
    }
    for (int i = N / 2; i < N; i++)
        s_ack (journal, order [i]);
    assert (oa_journal_pending (journal) == 0);
    oa_journal_destroy (&journal);
    journal = s_open (dir);
    assert (oa_journal_pending (journal) == 0);
    assert (oa_journal_sync (journal) == 0);
    assert (oa_journal_segments (journal) == 0);
    oa_journal_destroy (&journal);
}

//  Files of the journal in dir.
static int
s_count_files (const char *dir, uint64_t *seqs, char **data, size_t *sizes)
{
    int count = 0;
    for (uint64_t seq = 1; seq < 1000; seq++) {
        char path [512];
        s_segment_file (dir, seq, path);
        if (access (path, F_OK) == 0) {
            if (seqs) {
                seqs [count] = seq;
                data [count] = s_slurp (path, &sizes [count]);
            }
            count++;
        }
    }
    return count;
}

static void
s_test_compaction (const char *root)
{
    char dir [256];
    snprintf (dir, sizeof dir, "%s/compact", root);
    oa_journal_t *journal = s_open (dir);
    oa_journal_set_segment_size (journal, 4096);
    for (int i = 0; i < 100; i++)
        s_append (journal, i);
    assert (oa_journal_sync (journal) == 0);
    size_t before = oa_journal_segments (journal);
    assert (before >= 8);
    assert ((size_t) s_count_files (dir, NULL, NULL, NULL) == before);
    for (int i = 0; i < 100; i++)
        if (i != 3)
            s_ack (journal, i);
    //  Saves the files as a compaction finds them (the acks written), to
    //  fake a crash after it copied and synced, before its unlink
    assert (oa_journal_flush (journal) == 0);
    static uint64_t seqs [64];
    static char *data [64];
    static size_t sizes [64];
    int saved = s_count_files (dir, seqs, data, sizes);
    assert (oa_journal_sync (journal) == 0);
    oa_journal_stats_t stats;
    oa_journal_stats (journal, &stats);
    assert (stats.compactions == 1);
    assert (oa_journal_segments (journal) == 1);
    assert (s_count_files (dir, NULL, NULL, NULL) == 1);
    oa_journal_destroy (&journal);
    journal = s_open (dir);
    s_seen_t *seen = s_pending (journal);
    assert (seen->count == 1 && seen->keys [0] == 3);
    oa_journal_destroy (&journal);

    //  Crash before the unlink: both copies on disk, the later one wins
    for (int f = 0; f < saved; f++) {
        char path [512];
        s_segment_file (dir, seqs [f], path);
        if (access (path, F_OK))
            s_spit (path, data [f], sizes [f]);
        free (data [f]);
    }
    journal = s_open (dir);
    oa_journal_set_segment_size (journal, 4096);
    seen = s_pending (journal);
    assert (seen->count == 1 && seen->keys [0] == 3);

    //  One entry pending forever does not pin the disk
    for (int i = 1000; i < 3000; i++) {
        s_append (journal, i);
        if (i % 10 == 9) {
            for (int k = i - 9; k <= i; k++)
                s_ack (journal, k);
            assert (oa_journal_sync (journal) == 0);
            assert (oa_journal_segments (journal) <= 4);
        }
    }
    assert ((size_t) s_count_files (dir, NULL, NULL, NULL) == oa_journal_segments (journal));
    oa_journal_destroy (&journal);
    journal = s_open (dir);
    seen = s_pending (journal);
    assert (seen->count == 1 && seen->keys [0] == 3);
    //  A forced compaction moves even a fully pending segment
    assert (oa_journal_compact (journal) == 0);
    assert (oa_journal_segments (journal) == 1);
    seen = s_pending (journal);
    assert (seen->count == 1 && seen->keys [0] == 3);
    oa_journal_destroy (&journal);
}

static void
s_test_lock (const char *root)
{
    char dir [256], err [256] = "";
    snprintf (dir, sizeof dir, "%s/lock", root);
    oa_journal_t *first = s_open (dir);
    s_append (first, 1);
    assert (oa_journal_open (dir, "usage", err, sizeof err) == NULL);
    assert (strstr (err, "in use"));
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        char child_err [256];
        oa_journal_t *second = oa_journal_open (dir, "usage", child_err, sizeof child_err);
        _exit (second == NULL && strstr (child_err, "in use")? 0: 1);
    }
    int status;
    assert (waitpid (pid, &status, 0) == pid);
    assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    //  Another name in the same directory is another journal
    oa_journal_t *other = oa_journal_open (dir, "other", err, sizeof err);
    assert (other);
    oa_journal_destroy (&other);
    //  The failed opens touched nothing
    assert (oa_journal_pending (first) == 1);
    oa_journal_destroy (&first);
    first = s_open (dir);
    assert (oa_journal_pending (first) == 1);
    oa_journal_destroy (&first);
}

static void
s_test_resend (const char *root)
{
    char dir [256];
    snprintf (dir, sizeof dir, "%s/resend", root);
    oa_journal_t *journal = s_open (dir);
    for (int i = 0; i < 10; i++)
        s_append (journal, i);
    assert (oa_journal_sync (journal) == 0);
    s_append (journal, 10);                 //  not synced: left to the append path
    oa_journal_rewind (journal);
    static s_seen_t seen;
    seen.count = 0;
    seen.stop_at = 5;
    assert (oa_journal_resend (journal, 3, s_collect, &seen) == 3);
    assert (oa_journal_resend (journal, 100, s_collect, &seen) == 2);     //  refused at 5
    assert (oa_journal_resend (journal, 100, s_collect, &seen) == 0);
    s_ack (journal, 5);                     //  acking the cursor's entry moves it on
    assert (oa_journal_resend (journal, 100, s_collect, &seen) == 4);
    assert (oa_journal_resend (journal, 100, s_collect, &seen) == 0);
    assert (seen.count == 9);
    for (int k = 0; k < 9; k++)
        assert (seen.keys [k] == (k < 5? k: k + 1));
    oa_journal_destroy (&journal);

    //  After a restart everything replayed is resent (synced first)
    journal = s_open (dir);
    oa_journal_set_sync (journal, OA_JOURNAL_SYNC_BATCH);
    seen.count = 0;
    seen.stop_at = -1;
    assert (oa_journal_resend (journal, 100, s_collect, &seen) == 10);
    oa_journal_stats_t stats;
    oa_journal_stats (journal, &stats);
    assert (stats.syncs == 1);
    oa_journal_destroy (&journal);

    //  ALWAYS: every append is durable on return
    journal = s_open (dir);
    oa_journal_set_sync (journal, OA_JOURNAL_SYNC_ALWAYS);
    s_append (journal, 11);
    oa_journal_stats (journal, &stats);
    assert (stats.syncs >= 1 && journal->buf_size == 0 && journal->synced_serial == journal->serial);
    oa_journal_destroy (&journal);
}

static void
s_test_throughput (const char *root, bool verbose)
{
    char dir [256];
    snprintf (dir, sizeof dir, "%s/speed", root);
    oa_journal_t *journal = s_open (dir);
    oa_journal_set_sync (journal, OA_JOURNAL_SYNC_BATCH);
    enum { N = 100000, BATCH = 250 };           //  ~5 ms of appends at 50,000/s
    double start = s_now ();
    for (int i = 0; i < N; i++) {
        s_append (journal, i);
        if (i % BATCH == BATCH - 1)
            assert (oa_journal_sync (journal) == 0);
    }
    assert (oa_journal_sync (journal) == 0);
    double appended = s_now ();
    for (int i = 0; i < N; i++) {
        s_ack (journal, i);
        if (i % BATCH == BATCH - 1)
            assert (oa_journal_sync (journal) == 0);
    }
    assert (oa_journal_sync (journal) == 0);
    double acked = s_now ();
    oa_journal_stats_t stats;
    oa_journal_stats (journal, &stats);
    assert (oa_journal_pending (journal) == 0);
    assert (oa_journal_segments (journal) <= 2);
    printf ("%d appends of %d bytes, fdatasync every %d: %.0f appends/s, "
            "%.0f acks/s, %" PRIu64 " syncs, %.1f MB written\n", N, S_PAYLOAD, BATCH,
            N / (appended - start), N / (acked - appended), stats.syncs, stats.bytes / 1e6);
    (void) verbose;
    oa_journal_destroy (&journal);
}

//  Writes refused by the disk (RLIMIT_FSIZE stands in for a full disk)
//  stay buffered and reach the file once writes succeed again.
static void
s_test_write_failure (const char *root)
{
    char dir [256];
    snprintf (dir, sizeof dir, "%s/full", root);
    oa_journal_t *journal = s_open (dir);
    struct rlimit saved, small;
    assert (getrlimit (RLIMIT_FSIZE, &saved) == 0);
    small = saved;
    small.rlim_cur = 8192;
    signal (SIGXFSZ, SIG_IGN);
    int null_fd = open ("/dev/null", O_WRONLY);        //  the expected error line
    oa_log_set_fd (null_fd);
    assert (setrlimit (RLIMIT_FSIZE, &small) == 0);
    for (int i = 0; i < 100; i++)
        s_append (journal, i);
    assert (oa_journal_sync (journal) == -1);           //  the file stops at 8192 bytes
    assert (oa_journal_sync (journal) == -1);
    s_append (journal, 100);                            //  still accepted (buffered)
    assert (setrlimit (RLIMIT_FSIZE, &saved) == 0);
    signal (SIGXFSZ, SIG_DFL);
    oa_log_set_fd (-1);
    close (null_fd);
    assert (oa_journal_sync (journal) == 0);
    oa_journal_destroy (&journal);
    journal = s_open (dir);
    s_seen_t *seen = s_pending (journal);
    assert (seen->count == 101);
    for (int k = 0; k < seen->count; k++)
        assert (seen->keys [k] == k);
    oa_journal_destroy (&journal);
}

//  A child appends and syncs until SIGKILL; all it synced must be back.
static void
s_test_kill (const char *root, bool verbose)
{
    char dir [256];
    snprintf (dir, sizeof dir, "%s/kill", root);
    int pipe_fds [2];
    assert (pipe (pipe_fds) == 0);
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        close (pipe_fds [0]);
        char err [256];
        oa_journal_t *journal = oa_journal_open (dir, "usage", err, sizeof err);
        if (!journal)
            _exit (1);
        for (int i = 0; ; i++) {
            char key [40], payload [S_PAYLOAD];
            s_key (i, key);
            size_t size = s_payload (i, payload);
            if (oa_journal_append (journal, key, payload, size))
                _exit (2);
            if (i % 100 == 99) {
                if (oa_journal_sync (journal))
                    _exit (3);
                int synced = i + 1;
                if (write (pipe_fds [1], &synced, sizeof synced) != sizeof synced)
                    _exit (4);
            }
        }
    }
    close (pipe_fds [1]);
    int synced = 0;
    while (synced < 5000)
        assert (read (pipe_fds [0], &synced, sizeof synced) == sizeof synced);
    usleep (20 * 1000);                     //  let it get into the middle of something
    kill (pid, SIGKILL);
    int status;
    assert (waitpid (pid, &status, 0) == pid);
    assert (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
    int more;
    while (read (pipe_fds [0], &more, sizeof more) == sizeof more)
        synced = more;
    close (pipe_fds [0]);

    oa_journal_t *journal = s_open (dir);
    s_seen_t *seen = s_pending (journal);       //  payloads checked
    assert (seen->count >= synced);
    for (int k = 0; k < seen->count; k++)
        assert (seen->keys [k] == k);
    oa_journal_stats_t stats;
    oa_journal_stats (journal, &stats);
    if (verbose)
        printf ("\n   killed after %d synced: %d recovered, %" PRIu64 " torn\n", synced,
                seen->count, stats.torn);
    oa_journal_destroy (&journal);
}

void
oa_journal_test (bool verbose)
{
    fflush (stdout);                //  the forked children must not repeat it
    char root [] = "/tmp/oa_journal_test.XXXXXX";
    assert (mkdtemp (root));
    oa_log_configure ("text", verbose? "debug": "error");
    s_test_round_trip (root);
    s_test_torn (root);
    s_test_corrupt (root);
    s_test_random_acks (root);
    s_test_compaction (root);
    s_test_lock (root);
    s_test_resend (root);
    s_test_write_failure (root);
    s_test_kill (root, verbose);
    s_test_throughput (root, verbose);
    oa_log_configure ("text", "info");
    s_rmrf (root);
}
