/*  =========================================================================
    gw_ratelimit - one-api's request rate limits at the gateway

    one-api's marks, windows and answers (middleware/rate-limit.go):
      GA  GLOBAL_API_RATE_LIMIT    per 180 s, key client IP   all of /api
      GW  GLOBAL_WEB_RATE_LIMIT    per 180 s, key client IP   web routes and 404s
      GR  GLOBAL_RELAY_RATE_LIMIT  per 180 s, key sha256(relay key)[:8] hex
      CT  CRITICAL_RATE_LIMIT      per 1200 s, key client IP  login, register, ...
    A limit of 0, or RATE_LIMIT_DISABLED, turns a mark off.  The semantics
    are one-api's sliding log: a request is allowed when fewer than N
    requests were allowed for its key in the last window; refused requests
    are not recorded.  A refusal is a 429 with one-api's middleware error
    body and the Ratelimit-Limit, Ratelimit-Remaining (0), Ratelimit-Reset
    and Retry-After headers (seconds until the oldest allowed request
    leaves the window, at least 1).

    Without REDIS_CONN_STRING the log is in memory, per gateway, shared by
    its loop threads: a sharded table whose shard mutex makes each
    check-and-record atomic, so N is exact per key whatever thread a
    request lands on.  With Redis, a rate-limit actor (gw_ratelimit_redis.c)
    owns a synchronous hiredis connection and runs one Lua script per check
    (EVALSHA, server clock), so the log is shared and atomic across gateway
    processes; loop threads ask it over an inproc DEALER watched by their
    evloop and never block.  Redis unreachable, slow or erroring: the
    request is allowed (fail open), logged and counted.
    =========================================================================
*/
#ifndef GW_RATELIMIT_H_INCLUDED
#define GW_RATELIMIT_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>
#include <czmq.h>
#include "gw_server.h"

typedef enum {
    GW_RATELIMIT_API,               //  GA
    GW_RATELIMIT_WEB,               //  GW
    GW_RATELIMIT_RELAY,             //  GR
    GW_RATELIMIT_CRITICAL,          //  CT
    GW_RATELIMIT_MARKS              //  count
} gw_ratelimit_mark_t;

#define GW_RATELIMIT_ID_MAX 64      //  bytes of a key's id (an IP, a token hash)
#define GW_RATELIMIT_KEY_MAX 96     //  "rateLimit:<mark>:<id>"

typedef struct _gw_ratelimit_t gw_ratelimit_t;

//  What to do once a request passed its limit (on its loop thread).
typedef void (gw_ratelimit_next_fn) (gw_request_t *request, void *arg);

//  Creates a gateway's limiter from config (borrowed): the rules, and the
//  in-memory table or, with REDIS_CONN_STRING, the Redis actor's settings.
//  Nothing starts yet.  Caller owns the result.
gw_ratelimit_t *
    gw_ratelimit_new (const oa_config_t *config);

//  Stops the Redis actor, frees the table; nulls the pointer.  After the
//  loop threads are gone.
void
    gw_ratelimit_destroy (gw_ratelimit_t **self_p);

//  Starts the Redis actor (if configured), before the loop threads start.
//  Returns 0, or -1 if it cannot bind its inproc endpoint.
int
    gw_ratelimit_start (gw_ratelimit_t *self);

//  Overrides a mark's limit and window (tests); limit 0 turns it off.
void
    gw_ratelimit_set_rule (gw_ratelimit_t *self, gw_ratelimit_mark_t mark, int limit,
                           int window_s);

//  True when requests of this mark are checked at all.
bool
    gw_ratelimit_enabled (gw_ratelimit_t *self, gw_ratelimit_mark_t mark);

//  Per loop thread: the DEALER to the Redis actor, on the loop thread
//  after its context is initialised (nothing without Redis), and its
//  teardown before the context is disposed.
void
    gw_ratelimit_thread_start (gw_thread_t *thread);
void
    gw_ratelimit_thread_stop (gw_thread_t *thread);

//  Checks request against mark for id: calls next (request, arg) now or
//  later when allowed; answers 429 itself when refused; calls nothing if
//  the client goes away meanwhile.
void
    gw_ratelimit_check (gw_request_t *request, gw_ratelimit_mark_t mark, const char *id,
                        gw_ratelimit_next_fn *next, void *arg);

//  The client address of a request (no X-Forwarded-For), into out.
void
    gw_ratelimit_client_ip (gw_request_t *request, char *out, size_t size);

//  one-api's GR id: hex of the first 8 bytes of sha256 of the relay key's
//  token part (after "Bearer ", TOKEN_KEY_PREFIX, "sk-"/"laisky-", up to
//  the first '-').  out needs 17 bytes.
void
    gw_ratelimit_token_id (const char *credential, const char *key_prefix, char *out);

//  The in-memory decision for key at now_ms (monotonic): true to allow.
//  On refusal *reset_s is the Retry-After value.  Thread-safe.
bool
    gw_ratelimit_memory_take (gw_ratelimit_t *self, const char *key, int limit, int window_s,
                              int64_t now_ms, int *reset_s);

//  Counters: allowed, refused, allowed because Redis failed (fail open).
uint64_t
    gw_ratelimit_allowed (gw_ratelimit_t *self);
uint64_t
    gw_ratelimit_refused (gw_ratelimit_t *self);
uint64_t
    gw_ratelimit_failopen (gw_ratelimit_t *self);

//  gw_ratelimit_redis.c: the Redis actor (zactor_fn); args is the
//  gw_ratelimit_redis_args_t below, borrowed until the actor ends.
typedef struct {
    const char *endpoint;           //  inproc ROUTER to bind
    const char *url;                //  REDIS_CONN_STRING
    const char *password;           //  REDIS_PASSWORD, "" for none
    int ttl_s;                      //  key TTL (one-api: 20 minutes)
} gw_ratelimit_redis_args_t;

void
    gw_ratelimit_redis_actor (zsock_t *pipe, void *args);

//  The verdicts the Redis actor answers.
#define GW_RATELIMIT_REFUSED 0
#define GW_RATELIMIT_ALLOWED 1
#define GW_RATELIMIT_FAILOPEN 2

//  The request and reply frames between loop threads and the actor
//  (inproc only, so native byte order); the key follows as a second frame.
typedef struct {
    uint64_t corr_id;               //  echoed in the reply
    uint32_t limit;                 //  N
    uint32_t window_s;              //  window
} gw_ratelimit_ask_t;

typedef struct {
    uint64_t corr_id;               //  of the request
    uint32_t verdict;               //  GW_RATELIMIT_*
    uint32_t elapsed_ms;            //  refused: age of the oldest allowed request
} gw_ratelimit_answer_t;

//  Self tests: memory (exactness over threads, sliding window, 429 over
//  HTTP), Redis from ONEAPI_TEST_REDIS (fails without it).
void
    oa_gw_ratelimit_test (bool verbose);
void
    oa_gw_ratelimit_redis_test (bool verbose);

#endif
