/*  =========================================================================
    oa_sigcache - Claude thinking signatures remembered by reasoning text

    @header
    A Chat or Responses client that talks to a Claude upstream with
    extended thinking receives the reasoning as plain text (reasoning_content,
    a Responses reasoning summary); the signatures Anthropic put on the
    thinking blocks have no place in those formats that every client sends
    back.  Next turn, Claude refuses a tool loop whose assistant turn lost its
    signed thinking.  So the worker remembers, per token, the thinking blocks
    of each answer (signature and length of each block, redacted blocks
    whole) under a 128-bit hash of the reasoning text the client saw; when
    that text comes back in an assistant turn, the blocks are rebuilt from
    it.

    @discuss
    one-api (relay/adaptor/anthropic signature_cache.go) keys its cache by
    token, a hash of the conversation and message/block indexes, with
    optional Redis.  Keying by the reasoning text itself needs no
    conversation identity, survives history edits elsewhere in the
    conversation, and returns a signature only to whoever presents the exact
    text it signs (Anthropic checks the pair).  The cache lives in the
    worker process: bounded (direct-mapped slots, an entry replaced by the
    next one hashing to its slot), entries expire after a TTL.  A turn served
    by another worker process finds nothing, and the converter then does
    what it did before: thinking stays off for a tool loop it cannot replay.
    @end
    =========================================================================
*/
#ifndef OA_SIGCACHE_H_INCLUDED
#define OA_SIGCACHE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

//  Default bounds of the process-wide cache
#define OA_SIGCACHE_SLOTS       4096
#define OA_SIGCACHE_TTL_SEC     3600
//  An entry's signatures and redacted data above this are not kept
#define OA_SIGCACHE_MAX_ENTRY   (64 * 1024)

typedef struct _oa_sigcache_t oa_sigcache_t;

//  Hash of a scope and a reasoning text, built incrementally (a stream's
//  reasoning arrives in pieces).
typedef struct {
    uint64_t a;                 //  FNV-1a 64
    uint64_t b;                 //  a second, independent 64-bit hash
    size_t size;                //  reasoning bytes hashed
} oa_sigcache_key_t;

//  Create a cache of slots entries whose entries live ttl_sec seconds.
oa_sigcache_t *
    oa_sigcache_new (size_t slots, int64_t ttl_sec);

//  Destroy a cache; nulls the pointer.  Safe on NULL.
void
    oa_sigcache_destroy (oa_sigcache_t **self_p);

//  The worker process's cache (created on first use, never destroyed;
//  thread safe like every instance).
oa_sigcache_t *
    oa_sigcache_global (void);

//  Start a key for a scope (the token; may be NULL).
void
    oa_sigcache_key_init (oa_sigcache_key_t *key, const char *scope);

//  Add reasoning text to a key.
void
    oa_sigcache_key_add (oa_sigcache_key_t *key, const char *text, size_t size);

//  Remember the thinking blocks of one answer under key: an array of
//  {"type":"thinking","length":N,"signature":S} (N bytes of the reasoning
//  text, in order) and {"type":"redacted_thinking","data":D}.  blocks is
//  borrowed.  Ignored without a signed block or when too large.
void
    oa_sigcache_put (oa_sigcache_t *self, const oa_sigcache_key_t *key, json_t *blocks);

//  Rebuild the Claude thinking blocks for a reasoning text under scope:
//  a fresh array of {"type":"thinking","thinking","signature"} and
//  redacted blocks, or NULL when unknown or expired.
json_t *
    oa_sigcache_replay (oa_sigcache_t *self, const char *scope, const char *text, size_t size);

//  Entries held (expired ones included until replaced).
size_t
    oa_sigcache_size (oa_sigcache_t *self);

//  Self test
void
    oa_sigcache_test (bool verbose);

#endif
