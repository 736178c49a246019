/*  =========================================================================
    oa_ids - request ids, uuids, random keys and clocks
    =========================================================================
*/
#include "oa_ids.h"

#include <ctype.h>
#include <czmq.h>

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

//  Per-thread pool of getrandom output: one system call per S_POOL bytes
//  instead of one per id (it showed up at ~2% of the gateway's and the
//  ledger's CPU).  Bytes are handed out once and wiped as they go; a forked
//  child forgets the pool it inherited (pthread_atfork), so parent and child
//  never hand out the same bytes.
#define S_POOL 4096
static _Thread_local unsigned char s_pool [S_POOL];
static _Thread_local size_t s_pool_left;
static pthread_once_t s_atfork_once = PTHREAD_ONCE_INIT;

static void
s_pool_forget (void)
{
    //  In the child, whose only thread is the one that forked
    explicit_bzero (s_pool, sizeof s_pool);
    s_pool_left = 0;
}

static void
s_atfork_init (void)
{
    pthread_atfork (NULL, NULL, s_pool_forget);
}

static void
s_getrandom (unsigned char *cursor, size_t len)
{
    while (len > 0) {
        ssize_t got = getrandom (cursor, len, 0);
        if (got < 0) {
            assert (errno == EINTR);    //  getrandom cannot otherwise fail here
            continue;
        }
        cursor += got;
        len -= (size_t) got;
    }
}

void
oa_random_bytes (void *buf, size_t len)
{
    unsigned char *cursor = buf;
    if (len > S_POOL / 4) {
        s_getrandom (cursor, len);      //  big asks: no point in the pool
        return;
    }
    pthread_once (&s_atfork_once, s_atfork_init);
    while (len > 0) {
        if (s_pool_left == 0) {
            s_getrandom (s_pool, S_POOL);
            s_pool_left = S_POOL;
        }
        size_t take = len < s_pool_left? len: s_pool_left;
        unsigned char *from = s_pool + S_POOL - s_pool_left;
        memcpy (cursor, from, take);
        explicit_bzero (from, take);
        s_pool_left -= take;
        cursor += take;
        len -= take;
    }
}

void
oa_request_id_new (char *out)
{
    //  one-api's format: local time to the second, the nanoseconds (no
    //  padding), 8 random digits, cut to 32 characters.  The time part is
    //  formatted once a second per thread.
    static _Thread_local time_t s_second = -1;
    static _Thread_local char s_prefix [15];
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    if (now.tv_sec != s_second) {
        struct tm tm;
        localtime_r (&now.tv_sec, &tm);
        char wide [64];     //  wide: the compiler cannot know tm's fields are small
        snprintf (wide, sizeof wide, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        memcpy (s_prefix, wide, 14);
        s_prefix [14] = 0;
        s_second = now.tv_sec;
    }
    char id [64];
    memcpy (id, s_prefix, 14);
    size_t at = 14;
    char reversed [20];
    size_t digits = 0;
    long nsec = now.tv_nsec;
    do {
        reversed [digits++] = (char) ('0' + nsec % 10);
        nsec /= 10;
    } while (nsec > 0);
    while (digits > 0)
        id [at++] = reversed [--digits];
    unsigned char random [8];
    oa_random_bytes (random, sizeof random);
    for (int i = 0; i < 8; i++)
        id [at++] = (char) ('0' + random [i] % 10);
    if (at > OA_REQUEST_ID_SIZE - 1)
        at = OA_REQUEST_ID_SIZE - 1;
    memcpy (out, id, at);
    out [at] = 0;
}

void
oa_uuid_new (char *out)
{
    unsigned char b [16];
    oa_random_bytes (b, sizeof b);
    b [6] = (b [6] & 0x0f) | 0x40;      //  version 4
    b [8] = (b [8] & 0x3f) | 0x80;      //  RFC 4122 variant
    static const char hex [] = "0123456789abcdef";
    size_t at = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out [at++] = '-';
        out [at++] = hex [b [i] >> 4];
        out [at++] = hex [b [i] & 15];
    }
    out [at] = 0;
}

void
oa_random_key (char *out, size_t len)
{
    static const char alphabet [] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (size_t i = 0; i < len; i++) {
        unsigned char byte;
        //  Rejection sampling keeps every character equally likely.
        do
            oa_random_bytes (&byte, 1);
        while (byte >= 248);
        out [i] = alphabet [byte % 62];
    }
    out [len] = 0;
}

void
oa_key_mask (const char *key, char *out, size_t size)
{
    size_t len = strlen (key);
    if (len < 12)
        snprintf (out, size, "***");
    else
        snprintf (out, size, "%.6s...%s", key, key + len - 4);
}

size_t
oa_u64_key_hash (const void *key)
{
    uint64_t value = (uint64_t) (uintptr_t) key;
    value ^= value >> 33;
    value *= 0xff51afd7ed558ccdULL;
    value ^= value >> 33;
    return (size_t) value;
}

int
oa_u64_key_compare (const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) a, y = (uintptr_t) b;
    return x < y? -1: x > y? 1: 0;
}

bool
oa_csv_next (const char **cursor, const char **item, size_t *item_len)
{
    const char *at = *cursor;
    if (!at)
        return false;
    const char *end = strchr (at, ',');
    const char *stop = end? end: at + strlen (at);
    while (at < stop && isspace ((unsigned char) *at))
        at++;
    while (stop > at && isspace ((unsigned char) stop [-1]))
        stop--;
    *item = at;
    *item_len = (size_t) (stop - at);
    *cursor = end? end + 1: NULL;
    return true;
}

int64_t
oa_clock_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    return (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int64_t
oa_clock_mono_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int64_t
oa_clock_mono_us (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

void
oa_ids_test (bool verbose)
{
    (void) verbose;
    char id [OA_REQUEST_ID_SIZE], other [OA_REQUEST_ID_SIZE];
    oa_request_id_new (id);
    oa_request_id_new (other);
    assert (strlen (id) >= 23 && strlen (id) <= 32);
    assert (strspn (id, "0123456789") == strlen (id));
    assert (strcmp (id, other) != 0);
    assert (strncmp (id, "20", 2) == 0);
    //  The time part is local time to the second, as one-api formats it
    time_t seconds = time (NULL);
    struct tm tm;
    localtime_r (&seconds, &tm);
    char year [16];
    snprintf (year, sizeof year, "%04d", tm.tm_year + 1900);
    assert (strncmp (id, year, 4) == 0);
    //  The pool hands out fresh bytes: 1,000 draws of 16 bytes, no repeat,
    //  and every byte value seen across them
    unsigned char draws [1000][16];
    bool seen [256] = { false };
    for (int i = 0; i < 1000; i++) {
        oa_random_bytes (draws [i], 16);
        for (int j = 0; j < 16; j++)
            seen [draws [i][j]] = true;
        for (int k = 0; k < i; k += 37)
            assert (memcmp (draws [i], draws [k], 16) != 0);
    }
    for (int v = 0; v < 256; v++)
        assert (seen [v]);
    //  A forked child does not repeat the parent's pool
    int fds [2];
    assert (pipe (fds) == 0);
    pid_t child = fork ();
    assert (child >= 0);
    if (child == 0) {
        unsigned char mine [16];
        oa_random_bytes (mine, sizeof mine);
        _exit (write (fds [1], mine, sizeof mine) == sizeof mine? 0: 1);
    }
    unsigned char parents [16], childs [16];
    oa_random_bytes (parents, sizeof parents);
    assert (read (fds [0], childs, sizeof childs) == sizeof childs);
    int status = 0;
    assert (waitpid (child, &status, 0) == child && WIFEXITED (status)
            && WEXITSTATUS (status) == 0);
    assert (memcmp (parents, childs, 16) != 0);
    close (fds [0]);
    close (fds [1]);
    unsigned char big [5000];
    memset (big, 0, sizeof big);
    oa_random_bytes (big, sizeof big);
    size_t zeros = 0;
    for (size_t i = 0; i < sizeof big; i++)
        zeros += big [i] == 0;
    assert (zeros < 100);       //  ~20 expected

    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    assert (strlen (uuid) == 36 && uuid [8] == '-' && uuid [14] == '4');
    assert (uuid [13] == '-' && uuid [18] == '-' && uuid [23] == '-');
    assert (strspn (uuid, "0123456789abcdef-") == 36);
    //  1,000 in a row (four refills of the pool): all different, all v4
    zhashx_t *uuids = zhashx_new ();
    for (int count = 0; count < 1000; count++) {
        oa_uuid_new (uuid);
        assert (uuid [14] == '4' && strchr ("89ab", uuid [19]));
        assert (strcmp (uuid, "00000000-0000-4000-8000-000000000000") != 0);
        assert (zhashx_insert (uuids, uuid, uuids) == 0);
    }
    zhashx_destroy (&uuids);
    assert (strchr ("89ab", uuid [19]));

    char key [49];
    oa_random_key (key, 48);
    assert (strlen (key) == 48);
    for (int i = 0; i < 48; i++)
        assert ((key [i] >= 'a' && key [i] <= 'z') || (key [i] >= 'A' && key [i] <= 'Z')
                || (key [i] >= '0' && key [i] <= '9'));
    char masked [32];
    oa_key_mask ("sk-abcdefghijklmnop", masked, sizeof masked);
    assert (strcmp (masked, "sk-abc...mnop") == 0);
    oa_key_mask ("short-key!!", masked, sizeof masked);      //  11 characters
    assert (strcmp (masked, "***") == 0);
    assert (oa_u64_key_hash ((void *) 42) == oa_u64_key_hash ((void *) 42));
    assert (oa_u64_key_hash ((void *) 42) != oa_u64_key_hash ((void *) 43));
    assert (oa_u64_key_compare ((void *) 1, (void *) 2) < 0);
    assert (oa_u64_key_compare ((void *) 2, (void *) 2) == 0);
    const char *cursor = " a , bc,,d ", *item;
    size_t len;
    const char *want [] = { "a", "bc", "", "d" };
    for (int index = 0; index < 4; index++) {
        assert (oa_csv_next (&cursor, &item, &len));
        assert (len == strlen (want [index]) && strncmp (item, want [index], len) == 0);
    }
    assert (!oa_csv_next (&cursor, &item, &len));
    cursor = NULL;
    assert (!oa_csv_next (&cursor, &item, &len));
    int64_t before = oa_clock_mono_ms ();
    assert (oa_clock_ms () > 1700000000000LL);
    assert (oa_clock_mono_ms () >= before);
    assert (oa_clock_mono_us () / 1000 >= before);
}
