/*  =========================================================================
    oa_sigcache - Claude thinking signatures remembered by reasoning text

    A direct-mapped table: the key's first hash picks the slot, both hashes
    and the text length must match to hit.  One mutex guards the table;
    the work under it is a copy of a small JSON array.
    =========================================================================
*/
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "oa_sigcache.h"

typedef struct {
    uint64_t a, b;              //  key hashes
    size_t size;                //  reasoning length
    int64_t expires_ms;         //  monotonic expiry
    json_t *blocks;             //  compact blocks, owned; NULL = empty slot
} s_entry_t;

struct _oa_sigcache_t {
    pthread_mutex_t mutex;
    s_entry_t *entries;
    size_t slots;
    size_t used;
    int64_t ttl_ms;
};

static int64_t
s_now_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}


//  --------------------------------------------------------------------------
//  Create a cache

oa_sigcache_t *
oa_sigcache_new (size_t slots, int64_t ttl_sec)
{
    oa_sigcache_t *self = (oa_sigcache_t *) calloc (1, sizeof (oa_sigcache_t));
    if (!self)
        return NULL;
    self->slots = slots? slots: 1;
    self->ttl_ms = ttl_sec > 0? ttl_sec * 1000: 0;
    self->entries = (s_entry_t *) calloc (self->slots, sizeof (s_entry_t));
    if (!self->entries) {
        free (self);
        return NULL;
    }
    pthread_mutex_init (&self->mutex, NULL);
    return self;
}


//  --------------------------------------------------------------------------
//  Destroy a cache

void
oa_sigcache_destroy (oa_sigcache_t **self_p)
{
    assert (self_p);
    oa_sigcache_t *self = *self_p;
    if (self) {
        for (size_t i = 0; i < self->slots; i++)
            json_decref (self->entries [i].blocks);
        free (self->entries);
        pthread_mutex_destroy (&self->mutex);
        free (self);
        *self_p = NULL;
    }
}


//  --------------------------------------------------------------------------
//  The worker process's cache

static oa_sigcache_t *s_global = NULL;
static pthread_once_t s_global_once = PTHREAD_ONCE_INIT;

static void
s_global_init (void)
{
    s_global = oa_sigcache_new (OA_SIGCACHE_SLOTS, OA_SIGCACHE_TTL_SEC);
}

oa_sigcache_t *
oa_sigcache_global (void)
{
    pthread_once (&s_global_once, s_global_init);
    return s_global;
}


//  --------------------------------------------------------------------------
//  Keys

void
oa_sigcache_key_init (oa_sigcache_key_t *key, const char *scope)
{
    assert (key);
    key->a = 14695981039346656037ull;   //  FNV-1a offset basis
    key->b = 5381;                      //  djb2 start, widened
    key->size = 0;
    oa_sigcache_key_add (key, scope? scope: "", scope? strlen (scope) + 1: 1);
    key->size = 0;                      //  only reasoning bytes count
}

void
oa_sigcache_key_add (oa_sigcache_key_t *key, const char *text, size_t size)
{
    assert (key);
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char) text [i];
        key->a = (key->a ^ c) * 1099511628211ull;
        key->b = (key->b * 33) ^ (c + 0x9e3779b97f4a7c15ull * (key->size + i + 1));
    }
    key->size += size;
}


//  Bytes an entry holds (signatures and redacted data), or SIZE_MAX if it
//  has no signed block.
static size_t
s_weight (json_t *blocks)
{
    size_t weight = 0;
    bool signed_block = false;
    size_t index;
    json_t *block;
    json_array_foreach (blocks, index, block) {
        const char *type = json_string_value (json_object_get (block, "type"));
        const char *signature = json_string_value (json_object_get (block, "signature"));
        const char *data = json_string_value (json_object_get (block, "data"));
        if (type && !strcmp (type, "thinking") && signature && *signature) {
            weight += strlen (signature);
            signed_block = true;
        }
        else
        if (type && !strcmp (type, "redacted_thinking") && data) {
            weight += strlen (data);
            signed_block = true;
        }
        else
            return SIZE_MAX;        //  an unsigned block cannot be replayed
    }
    return signed_block? weight: SIZE_MAX;
}


//  --------------------------------------------------------------------------
//  Remember the thinking blocks of one answer

void
oa_sigcache_put (oa_sigcache_t *self, const oa_sigcache_key_t *key, json_t *blocks)
{
    assert (self && key);
    if (!json_is_array (blocks) || s_weight (blocks) > OA_SIGCACHE_MAX_ENTRY)
        return;
    json_t *copy = json_deep_copy (blocks);
    if (!copy)
        return;
    pthread_mutex_lock (&self->mutex);
    s_entry_t *entry = &self->entries [key->a % self->slots];
    if (!entry->blocks)
        self->used++;
    json_decref (entry->blocks);
    entry->a = key->a;
    entry->b = key->b;
    entry->size = key->size;
    entry->expires_ms = s_now_ms () + self->ttl_ms;
    entry->blocks = copy;
    pthread_mutex_unlock (&self->mutex);
}


//  --------------------------------------------------------------------------
//  Rebuild the thinking blocks for a reasoning text

json_t *
oa_sigcache_replay (oa_sigcache_t *self, const char *scope, const char *text, size_t size)
{
    assert (self);
    if (!text || !size)
        return NULL;
    oa_sigcache_key_t key;
    oa_sigcache_key_init (&key, scope);
    oa_sigcache_key_add (&key, text, size);
    json_t *blocks = NULL;
    pthread_mutex_lock (&self->mutex);
    s_entry_t *entry = &self->entries [key.a % self->slots];
    if (entry->blocks && entry->a == key.a && entry->b == key.b && entry->size == key.size
    &&  s_now_ms () < entry->expires_ms)
        blocks = json_deep_copy (entry->blocks);
    pthread_mutex_unlock (&self->mutex);
    if (!blocks)
        return NULL;
    //  Cut the text back into its blocks; lengths must add up exactly
    json_t *out = json_array ();
    size_t at = 0;
    size_t index;
    json_t *block;
    json_array_foreach (blocks, index, block) {
        const char *type = json_string_value (json_object_get (block, "type"));
        if (type && !strcmp (type, "redacted_thinking")) {
            json_array_append (out, block);
            continue;
        }
        json_int_t length = json_integer_value (json_object_get (block, "length"));
        if (length < 0 || (size_t) length > size - at) {
            json_decref (out);
            out = NULL;
            break;
        }
        json_array_append_new (out, json_pack ("{s:s,s:s%,s:O}", "type", "thinking",
            "thinking", text + at, (size_t) length, "signature", json_object_get (block, "signature")));
        at += (size_t) length;
    }
    json_decref (blocks);
    if (out && at != size) {
        json_decref (out);
        out = NULL;
    }
    return out;
}


size_t
oa_sigcache_size (oa_sigcache_t *self)
{
    assert (self);
    pthread_mutex_lock (&self->mutex);
    size_t used = self->used;
    pthread_mutex_unlock (&self->mutex);
    return used;
}


//  --------------------------------------------------------------------------
//  Self test

void
oa_sigcache_test (bool verbose)
{
    if (verbose)
        printf (" * oa_sigcache: ");
    oa_sigcache_t *cache = oa_sigcache_new (8, 3600);
    assert (cache);
    //  Two thinking blocks and a redacted one, keyed by their joined text
    const char *first = "Let me think. ";
    const char *second = "The answer is 4.";
    oa_sigcache_key_t key;
    oa_sigcache_key_init (&key, "7");
    oa_sigcache_key_add (&key, first, strlen (first));
    oa_sigcache_key_add (&key, second, strlen (second));
    json_t *blocks = json_pack ("[{s:s,s:i,s:s},{s:s,s:s},{s:s,s:i,s:s}]",
        "type", "thinking", "length", (int) strlen (first), "signature", "sig-A",
        "type", "redacted_thinking", "data", "opaque",
        "type", "thinking", "length", (int) strlen (second), "signature", "sig-B");
    oa_sigcache_put (cache, &key, blocks);
    assert (oa_sigcache_size (cache) == 1);
    const char *joined = "Let me think. The answer is 4.";
    json_t *replay = oa_sigcache_replay (cache, "7", joined, strlen (joined));
    json_t *want = json_pack ("[{s:s,s:s,s:s},{s:s,s:s},{s:s,s:s,s:s}]",
        "type", "thinking", "thinking", first, "signature", "sig-A",
        "type", "redacted_thinking", "data", "opaque",
        "type", "thinking", "thinking", second, "signature", "sig-B");
    assert (json_equal (replay, want));
    json_decref (replay);
    json_decref (want);
    //  Another token, another text, a prefix: nothing
    assert (!oa_sigcache_replay (cache, "8", joined, strlen (joined)));
    assert (!oa_sigcache_replay (cache, NULL, joined, strlen (joined)));
    assert (!oa_sigcache_replay (cache, "7", joined, strlen (joined) - 1));
    assert (!oa_sigcache_replay (cache, "7", "Let me think. The answer is 5.", strlen (joined)));
    assert (!oa_sigcache_replay (cache, "7", "", 0));
    //  Unsigned thinking is never kept
    json_t *unsigned_blocks = json_pack ("[{s:s,s:i,s:s}]", "type", "thinking", "length", 3,
                                         "signature", "");
    oa_sigcache_key_t other;
    oa_sigcache_key_init (&other, "7");
    oa_sigcache_key_add (&other, "abc", 3);
    oa_sigcache_put (cache, &other, unsigned_blocks);
    assert (!oa_sigcache_replay (cache, "7", "abc", 3));
    json_decref (unsigned_blocks);
    //  Lengths that do not add up to the text: not replayed
    json_t *short_blocks = json_pack ("[{s:s,s:i,s:s}]", "type", "thinking", "length", 2,
                                      "signature", "sig");
    oa_sigcache_put (cache, &other, short_blocks);
    assert (!oa_sigcache_replay (cache, "7", "abc", 3));
    json_decref (short_blocks);
    //  Bounded: many entries never hold more than the slots
    for (int i = 0; i < 100; i++) {
        char text [32];
        snprintf (text, sizeof text, "thought %d", i);
        oa_sigcache_key_t many;
        oa_sigcache_key_init (&many, "9");
        oa_sigcache_key_add (&many, text, strlen (text));
        json_t *one = json_pack ("[{s:s,s:i,s:s}]", "type", "thinking",
                                 "length", (int) strlen (text), "signature", "s");
        oa_sigcache_put (cache, &many, one);
        json_decref (one);
    }
    assert (oa_sigcache_size (cache) <= 8);
    json_t *last = oa_sigcache_replay (cache, "9", "thought 99", 10);
    assert (last && json_array_size (last) == 1);
    json_decref (last);
    //  Too large an entry is refused
    char *huge = (char *) malloc (OA_SIGCACHE_MAX_ENTRY + 2);
    memset (huge, 'x', OA_SIGCACHE_MAX_ENTRY + 1);
    huge [OA_SIGCACHE_MAX_ENTRY + 1] = 0;
    json_t *big = json_pack ("[{s:s,s:i,s:s}]", "type", "thinking", "length", 3, "signature", huge);
    oa_sigcache_key_t big_key;
    oa_sigcache_key_init (&big_key, "7");
    oa_sigcache_key_add (&big_key, "big", 3);
    oa_sigcache_put (cache, &big_key, big);
    assert (!oa_sigcache_replay (cache, "7", "big", 3));
    json_decref (big);
    free (huge);
    json_decref (blocks);
    oa_sigcache_destroy (&cache);
    assert (cache == NULL);
    //  Expiry: a TTL of 0 keeps nothing usable
    cache = oa_sigcache_new (4, 0);
    oa_sigcache_key_init (&key, "7");
    oa_sigcache_key_add (&key, "abc", 3);
    blocks = json_pack ("[{s:s,s:i,s:s}]", "type", "thinking", "length", 3, "signature", "sig");
    oa_sigcache_put (cache, &key, blocks);
    assert (!oa_sigcache_replay (cache, "7", "abc", 3));
    json_decref (blocks);
    oa_sigcache_destroy (&cache);
    assert (oa_sigcache_global () && oa_sigcache_global () == oa_sigcache_global ());
    if (verbose)
        printf ("OK\n");
}
