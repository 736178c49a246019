/*  =========================================================================
    oa_ids - request ids, uuids, random keys and clocks
    =========================================================================
*/
#include "oa_ids.h"

#include <ctype.h>

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

void
oa_random_bytes (void *buf, size_t len)
{
    unsigned char *cursor = buf;
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
oa_request_id_new (char *out)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    struct tm tm;
    localtime_r (&now.tv_sec, &tm);
    unsigned char random [8];
    oa_random_bytes (random, sizeof random);
    char digits [9];
    for (int i = 0; i < 8; i++)
        digits [i] = (char) ('0' + random [i] % 10);
    digits [8] = 0;
    //  Formatted wide, then cut: the compiler cannot know tm's fields are small.
    char wide [96];
    snprintf (wide, sizeof wide, "%04d%02d%02d%02d%02d%02d%ld%s", tm.tm_year + 1900,
              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec, digits);
    snprintf (out, OA_REQUEST_ID_SIZE, "%.32s", wide);
}

void
oa_uuid_new (char *out)
{
    unsigned char b [16];
    oa_random_bytes (b, sizeof b);
    b [6] = (b [6] & 0x0f) | 0x40;      //  version 4
    b [8] = (b [8] & 0x3f) | 0x80;      //  RFC 4122 variant
    snprintf (out, OA_UUID_SIZE,
              "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              b [0], b [1], b [2], b [3], b [4], b [5], b [6], b [7], b [8], b [9], b [10],
              b [11], b [12], b [13], b [14], b [15]);
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

    char uuid [OA_UUID_SIZE];
    oa_uuid_new (uuid);
    assert (strlen (uuid) == 36 && uuid [8] == '-' && uuid [14] == '4');
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
