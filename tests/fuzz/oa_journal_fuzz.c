/*  =========================================================================
    oa_journal_fuzz - libFuzzer target: replay of arbitrary journal files

    The input is cut into segment files before every later "OAJRNL01" (a
    segment header), at most 16, and opened as a journal.  Properties
    checked on every input, beyond "no crash, no leak, no undefined
    behaviour, no hang":
      - open succeeds: nothing in a file makes a journal unusable;
      - after acking every other pending entry, appending two entries and
        a sync plus a forced compaction, a reopen yields exactly the
        pending set held in memory (keys, sizes, payload CRCs), so replay
        after a torn-tail truncation or a skipped corruption is stable.
    A property failure aborts, which libFuzzer reports with the input.
    Seeds: tests/fuzz/corpus/oa_journal_fuzz/ (journals written by the
    class itself: entries, acks, a torn tail, a flipped byte, two segments).
    =========================================================================
*/
#include <ftw.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "journal/oa_journal.h"
#include "oa_log.h"

int
    LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define S_MAX_SEGMENTS 16

typedef struct {
    char key [OA_JOURNAL_KEY_MAX + 1];  //  NUL-terminated
    size_t size;                        //  payload bytes
    uint32_t sum;                       //  payload checksum
} s_item_t;

typedef struct {
    s_item_t *items;
    size_t count, cap;
} s_set_t;

static uint32_t
s_sum (const void *data, size_t size)
{
    const uint8_t *bytes = (const uint8_t *) data;
    uint32_t hash = 2166136261U;
    for (size_t i = 0; i < size; i++)
        hash = (hash ^ bytes [i]) * 16777619U;
    return hash;
}

static int
s_collect (const char *key, const void *data, size_t size, void *arg)
{
    s_set_t *set = (s_set_t *) arg;
    if (set->count == set->cap) {
        set->cap = set->cap? set->cap * 2: 16;
        set->items = (s_item_t *) realloc (set->items, set->cap * sizeof (s_item_t));
        if (!set->items)
            abort ();
    }
    s_item_t *item = &set->items [set->count++];
    if (strlen (key) > OA_JOURNAL_KEY_MAX)
        abort ();
    strcpy (item->key, key);
    item->size = size;
    item->sum = s_sum (data, size);
    return 0;
}

static int
s_compare (const void *a, const void *b)
{
    return strcmp (((const s_item_t *) a)->key, ((const s_item_t *) b)->key);
}

//  The pending set, sorted by key (compaction may change append order).
static s_set_t
s_pending (oa_journal_t *journal)
{
    s_set_t set = { NULL, 0, 0 };
    int rc = oa_journal_foreach_pending (journal, s_collect, &set);
    if (rc < 0 || (size_t) rc != set.count || set.count != oa_journal_pending (journal))
        abort ();
    if (set.count)
        qsort (set.items, set.count, sizeof (s_item_t), s_compare);
    for (size_t i = 1; i < set.count; i++)
        if (strcmp (set.items [i - 1].key, set.items [i].key) == 0)
            abort ();       //  a key is pending at most once
    return set;
}

static int
s_remove (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st, (void) flag;
    return ftw->level > 0? remove (path): 0;
}

static oa_journal_t *
s_open (const char *dir)
{
    char err [256];
    oa_journal_t *journal = oa_journal_open (dir, "f", err, sizeof err);
    if (!journal) {
        fprintf (stderr, "oa_journal_open: %s\n", err);
        abort ();
    }
    oa_journal_set_sync (journal, OA_JOURNAL_SYNC_NEVER);
    oa_journal_set_segment_size (journal, 4096);
    return journal;
}

static char dir [] = "/tmp/oa_journal_fuzz.XXXXXX";

static void
s_cleanup (void)
{
    rmdir (dir);                //  emptied after every input
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static bool ready = false;
    if (!ready) {
        if (!mkdtemp (dir))
            abort ();
        atexit (s_cleanup);
        oa_log_configure ("text", "error");
        ready = true;
    }
    //  Segment files: cut before each later segment header
    size_t start = 0;
    for (uint64_t seq = 1; seq <= S_MAX_SEGMENTS && start <= size; seq++) {
        size_t end = size;
        if (seq < S_MAX_SEGMENTS) {
            const void *next = size > start + 1? memmem (data + start + 1, size - start - 1,
                                                         "OAJRNL01", 8): NULL;
            if (next)
                end = (size_t) ((const uint8_t *) next - data);
        }
        char path [128];
        snprintf (path, sizeof path, "%s/f.%016" PRIx64 ".seg", dir, seq);
        FILE *file = fopen (path, "wb");
        if (!file || (end > start && fwrite (data + start, 1, end - start, file) != end - start))
            abort ();
        fclose (file);
        if (end == size)
            break;
        start = end;
    }

    oa_journal_t *journal = s_open (dir);
    s_set_t first = s_pending (journal);
    //  Ack every other entry, add two, compact: memory is the expectation
    for (size_t i = 0; i < first.count; i += 2)
        if (oa_journal_ack (journal, first.items [i].key))
            abort ();
    if (oa_journal_append (journal, "fuzz-new-1", data, size < 64? size: 64)
        || oa_journal_append (journal, "fuzz-new-2", "", 0))
        abort ();
    if (oa_journal_sync (journal) || oa_journal_compact (journal))
        abort ();
    s_set_t expected = s_pending (journal);
    oa_journal_destroy (&journal);

    journal = s_open (dir);
    s_set_t again = s_pending (journal);
    if (again.count != expected.count)
        abort ();
    for (size_t i = 0; i < again.count; i++)
        if (strcmp (again.items [i].key, expected.items [i].key)
            || again.items [i].size != expected.items [i].size
            || again.items [i].sum != expected.items [i].sum)
            abort ();
    oa_journal_destroy (&journal);

    free (first.items);
    free (expected.items);
    free (again.items);
    nftw (dir, s_remove, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}
