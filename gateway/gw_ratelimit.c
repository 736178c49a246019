/*  =========================================================================
    gw_ratelimit - one-api's request rate limits at the gateway

    See gw_ratelimit.h.  Three parts: the rules and the 429 answer; the
    in-memory sliding log (sharded, one mutex per shard); and each loop
    thread's client of the Redis actor (a DEALER watched through a dup of
    its ZMQ_FD, as gw_bridge does, with a wait per request in the
    request's pool so a client that goes away leaves nothing behind).

    Exactness of the memory log: a key lives in exactly one shard and
    every decision for it (read the log, compare, record) runs under that
    shard's mutex, so decisions for a key are serialised whatever loop
    thread makes them.  Each key keeps its last min(N, allowed) allowed
    timestamps in order; a request is allowed iff fewer than N are kept,
    or the oldest kept one is at least a window old (then it is dropped).
    So at most N allowed requests fall in any window, and a request is
    refused only when N did.
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/sha.h>
#include "gw_http.h"
#include "gw_ratelimit.h"
#include "gw_zwatch.h"
#include "gw_state.h"
#include "oa_ids.h"
#include "oa_log.h"
#include "oa_metrics.h"

#define S_SHARDS 16                 //  memory-log shards (power of two)
#define S_SWEEP_MS 60000            //  idle keys are dropped this often
#define S_SHARD_SOFT_MAX 50000      //  keys in a shard before an early sweep
#define S_KEY_TTL_S 1200            //  one-api's RateLimitKeyExpirationDuration
#define S_WAIT_MS 1000              //  a Redis verdict later than this: fail open
#define S_HWM 10000                 //  queued asks per loop thread
#define S_DRAIN_BATCH 256           //  answers per drain, for fairness

//  one-api's marks: the names in the keys, and the fixed windows.
static const struct {
    const char *name;               //  "GA", ...
    int window_s;                   //  one-api's *RateLimitDuration
} s_marks [GW_RATELIMIT_MARKS] = {
    [GW_RATELIMIT_API] = { "GA", 180 },
    [GW_RATELIMIT_WEB] = { "GW", 180 },
    [GW_RATELIMIT_RELAY] = { "GR", 180 },
    [GW_RATELIMIT_CRITICAL] = { "CT", 1200 },
};

//  One key's log: a ring of allowed timestamps, oldest at head.
typedef struct {
    int64_t *times;                 //  capacity slots, monotonic ms
    uint32_t capacity;              //  slots allocated (grows up to N)
    uint32_t count;                 //  timestamps held
    uint32_t head;                  //  index of the oldest
    int64_t newest_ms;              //  last allowed request
    int64_t window_ms;              //  the key's window (for the sweep)
} s_entry_t;

typedef struct {
    pthread_mutex_t lock;           //  guards everything below
    zhashx_t *entries;              //  key -> s_entry_t *
    int64_t next_sweep_ms;          //  monotonic ms of the next sweep
} s_shard_t;

typedef struct {
    int limit;                      //  N; 0 = off
    int window_s;                   //  window
} s_rule_t;

struct _gw_ratelimit_t {
    s_rule_t rules [GW_RATELIMIT_MARKS];    //  per mark
    s_shard_t shards [S_SHARDS];    //  the memory log
    bool redis;                     //  REDIS_CONN_STRING set: ask the actor
    char *url;                      //  REDIS_CONN_STRING
    char *password;                 //  REDIS_PASSWORD
    char endpoint [128];            //  the actor's inproc ROUTER
    gw_ratelimit_redis_args_t args; //  the actor's arguments (read while it runs)
    zactor_t *actor;                //  the Redis actor, once started
    atomic_uint_fast64_t allowed;   //  requests allowed
    atomic_uint_fast64_t refused;   //  requests refused (429)
    atomic_uint_fast64_t failopen;  //  allowed because Redis did not answer
};

//  A loop thread's client of the Redis actor.
typedef struct {
    gw_ratelimit_t *owner;          //  the gateway's limiter
    gw_thread_t *thread;            //  owner thread
    h2o_context_t *ctx;             //  its h2o context
    zsock_t *dealer;                //  to the actor's ROUTER
    h2o_socket_t *watch;            //  dup of the DEALER's ZMQ_FD
    h2o_timeout_entry_t drain_entry;    //  on zero_timeout while a drain is due
    h2o_timeout_t deadlines;        //  S_WAIT_MS bucket
    zhashx_t *waits;                //  corr_id -> s_wait_t * (borrowed)
    uint64_t corr_prefix;           //  (thread index + 1) << 48
    uint64_t corr_counter;          //  last counter used
    int64_t logged_ms;              //  last fail-open warning (rate-limits the log)
    bool draining_now;              //  inside s_drain
} s_client_t;

//  One request waiting for a verdict; lives in the request's pool.
typedef struct {
    s_client_t *client;             //  the loop's client
    gw_request_t *request;          //  the request
    uint64_t corr_id;               //  key in client->waits; 0 once settled
    h2o_timeout_entry_t deadline;   //  fail open after S_WAIT_MS
    gw_ratelimit_mark_t mark;       //  checked mark
    gw_ratelimit_next_fn *next;     //  continuation
    void *arg;                      //  its argument
} s_wait_t;

//  --------------------------------------------------------------------------
//  Metrics

static pthread_once_t s_metrics_once = PTHREAD_ONCE_INIT;
static oa_metric_t *s_decisions;

static void
s_metrics_register (void)
{
    s_decisions = oa_metrics_counter (oa_metrics_global (), "oneapi_ratelimit_decisions_total",
        "Rate-limit decisions, by mark (GA, GW, GR, CT) and result (allowed, refused, failopen)",
        "mark,result");
}

static void
s_count (gw_ratelimit_t *self, gw_ratelimit_mark_t mark, int verdict)
{
    pthread_once (&s_metrics_once, s_metrics_register);
    const char *result = verdict == GW_RATELIMIT_REFUSED? "refused":
                         verdict == GW_RATELIMIT_FAILOPEN? "failopen": "allowed";
    const char *values [] = { s_marks [mark].name, result };
    if (s_decisions)
        oa_counter_add (s_decisions, values, 1);
    if (verdict == GW_RATELIMIT_REFUSED)
        atomic_fetch_add (&self->refused, 1);
    else
        atomic_fetch_add (&self->allowed, 1);
    if (verdict == GW_RATELIMIT_FAILOPEN)
        atomic_fetch_add (&self->failopen, 1);
}

//  --------------------------------------------------------------------------
//  Memory log

static void
s_entry_destroy (void **item_p)
{
    s_entry_t *entry = *item_p;
    if (entry) {
        free (entry->times);
        free (entry);
        *item_p = NULL;
    }
}

static void
s_entry_push (s_entry_t *entry, int limit, int64_t now_ms)
{
    if (entry->count == entry->capacity) {
        //  Grow by doubling up to N: a large limit costs memory only for
        //  keys that actually use it.
        uint32_t capacity = entry->capacity? entry->capacity * 2: 4;
        if (capacity > (uint32_t) limit)
            capacity = (uint32_t) limit;
        int64_t *times = malloc (capacity * sizeof (int64_t));
        assert (times);
        for (uint32_t i = 0; i < entry->count; i++)
            times [i] = entry->times [(entry->head + i) % entry->capacity];
        free (entry->times);
        entry->times = times;
        entry->capacity = capacity;
        entry->head = 0;
    }
    entry->times [(entry->head + entry->count) % entry->capacity] = now_ms;
    entry->count++;
    entry->newest_ms = now_ms;
}

static void
s_entry_pop (s_entry_t *entry)
{
    entry->head = (entry->head + 1) % entry->capacity;
    entry->count--;
}

//  Drops keys whose every timestamp left its window: such a log decides
//  exactly as no log at all, so exactness is kept.
static void
s_shard_sweep (s_shard_t *shard, int64_t now_ms)
{
    zlist_t *stale = zlist_new ();
    for (s_entry_t *entry = zhashx_first (shard->entries); entry;
         entry = zhashx_next (shard->entries))
        if (now_ms - entry->newest_ms >= entry->window_ms)
            zlist_append (stale, (void *) zhashx_cursor (shard->entries));
    for (const char *key = zlist_first (stale); key; key = zlist_next (stale))
        zhashx_delete (shard->entries, key);
    zlist_destroy (&stale);
    shard->next_sweep_ms = now_ms + S_SWEEP_MS;
}

bool
gw_ratelimit_memory_take (gw_ratelimit_t *self, const char *key, int limit, int window_s,
                          int64_t now_ms, int *reset_s)
{
    assert (self);
    assert (key);
    if (limit <= 0)
        return true;
    uint64_t hash = 1469598103934665603ULL;
    for (const char *at = key; *at; at++)
        hash = (hash ^ (unsigned char) *at) * 1099511628211ULL;
    s_shard_t *shard = &self->shards [hash & (S_SHARDS - 1)];
    int64_t window_ms = (int64_t) window_s * 1000;
    bool allowed = true;

    pthread_mutex_lock (&shard->lock);
    if (now_ms >= shard->next_sweep_ms
    || (zhashx_size (shard->entries) > S_SHARD_SOFT_MAX
    &&  now_ms >= shard->next_sweep_ms - S_SWEEP_MS + 1000))
        s_shard_sweep (shard, now_ms);
    s_entry_t *entry = zhashx_lookup (shard->entries, key);
    if (!entry) {
        entry = calloc (1, sizeof (s_entry_t));
        assert (entry);
        zhashx_insert (shard->entries, key, entry);
    }
    if (window_ms > entry->window_ms)
        entry->window_ms = window_ms;
    while (entry->count > (uint32_t) limit)
        s_entry_pop (entry);        //  the limit was lowered
    if (entry->count < (uint32_t) limit)
        s_entry_push (entry, limit, now_ms);
    else {
        int64_t elapsed = now_ms - entry->times [entry->head];
        if (elapsed >= window_ms) {
            s_entry_pop (entry);
            s_entry_push (entry, limit, now_ms);
        }
        else {
            allowed = false;
            //  one-api: duration - int(seconds since the oldest), at least 1
            int reset = window_s - (int) ((elapsed > 0? elapsed: 0) / 1000);
            if (reset_s)
                *reset_s = reset < 1? 1: reset;
        }
    }
    pthread_mutex_unlock (&shard->lock);
    return allowed;
}

//  --------------------------------------------------------------------------
//  The answer to a refused request

static void
s_add_header (h2o_req_t *req, const char *name, const char *canonical, long value)
{
    char text [24];
    int len = snprintf (text, sizeof text, "%ld", value);
    char *copy = h2o_mem_alloc_pool (&req->pool, (size_t) len);
    memcpy (copy, text, (size_t) len);
    h2o_add_header_by_str (&req->pool, &req->res.headers, name, strlen (name), 1, canonical,
                           copy, (size_t) len);
}

static void
s_refuse (gw_request_t *request, int limit, int reset_s)
{
    h2o_req_t *req = request->req;
    //  Go canonicalises header names: "RateLimit-Limit" goes out as
    //  "Ratelimit-Limit".
    s_add_header (req, "ratelimit-limit", "Ratelimit-Limit", limit);
    s_add_header (req, "ratelimit-remaining", "Ratelimit-Remaining", 0);
    s_add_header (req, "ratelimit-reset", "Ratelimit-Reset", reset_s);
    s_add_header (req, "retry-after", "Retry-After", reset_s);
    //  one-api's AbortWithError, the same for every mark and route.
    char body [200];
    int len = snprintf (body, sizeof body, "{\"error\":{\"message\":\"rate limit exceeded "
                        "(request id: %s)\",\"type\":\"one_api_error\"}}", request->id);
    gw_respond_json (req, 429, body, (size_t) len);
}

//  --------------------------------------------------------------------------
//  Redis client of a loop thread (waits keyed by uint64 ids: oa_u64_key_*)

//  Forgets a wait: out of the table, deadline off.  Idempotent.
static void
s_wait_settle (s_wait_t *wait)
{
    if (wait->corr_id) {
        zhashx_delete (wait->client->waits, (void *) (uintptr_t) wait->corr_id);
        wait->corr_id = 0;
    }
    if (h2o_timeout_is_linked (&wait->deadline))
        h2o_timeout_unlink (&wait->deadline);
}

static void
s_wait_dispose (void *data)
{
    s_wait_settle ((s_wait_t *) data);
}

static void
s_warn_failopen (s_client_t *client, const char *why)
{
    int64_t now = oa_clock_mono_ms ();
    if (now - client->logged_ms < 10000)
        return;
    client->logged_ms = now;
    oa_log_warn ("gateway", "loop %d: rate limit allowed without Redis (fail open): %s",
                 client->thread->index, why);
}

//  Runs the verdict for a settled wait.
static void
s_wait_finish (s_wait_t *wait, int verdict, uint32_t elapsed_ms)
{
    s_wait_settle (wait);
    gw_ratelimit_t *owner = wait->client->owner;
    gw_request_t *request = wait->request;
    s_count (owner, wait->mark, verdict);
    if (verdict == GW_RATELIMIT_REFUSED) {
        const s_rule_t *rule = &owner->rules [wait->mark];
        int reset = rule->window_s - (int) (elapsed_ms / 1000);
        s_refuse (request, rule->limit, reset < 1? 1: reset);
    }
    else
        wait->next (request, wait->arg);
}

static void
s_drain (s_client_t *self)
{
    if (self->draining_now)
        return;
    self->draining_now = true;
    void *handle = zsock_resolve (self->dealer);
    size_t count = 0;
    while (count < S_DRAIN_BATCH && (zsock_events (self->dealer) & ZMQ_POLLIN)) {
        gw_ratelimit_answer_t answer;
        int size = zmq_recv (handle, &answer, sizeof answer, ZMQ_DONTWAIT);
        if (size < 0)
            break;                  //  EAGAIN: the events were stale
        count++;
        while (zsock_rcvmore (self->dealer))
            zmq_recv (handle, NULL, 0, ZMQ_DONTWAIT);
        if (size != (int) sizeof answer)
            continue;               //  not ours: inproc, so a bug; drop it
        s_wait_t *wait = zhashx_lookup (self->waits, (void *) (uintptr_t) answer.corr_id);
        if (wait) {
            if (answer.verdict == GW_RATELIMIT_FAILOPEN)
                s_warn_failopen (self, "the Redis actor could not decide");
            s_wait_finish (wait, (int) answer.verdict, answer.elapsed_ms);
        }
    }
    self->draining_now = false;
    if (count >= S_DRAIN_BATCH
    &&  !h2o_timeout_is_linked (&self->drain_entry))
        h2o_timeout_link (self->ctx->loop, &self->ctx->zero_timeout, &self->drain_entry);
}

static void
s_on_drain_due (h2o_timeout_entry_t *entry)
{
    s_drain (H2O_STRUCT_FROM_MEMBER (s_client_t, drain_entry, entry));
}

static void
s_on_readable (h2o_socket_t *sock, const char *err)
{
    s_client_t *self = sock->data;
    if (err)
        oa_log_warn ("gateway", "loop %d: rate limit fd watch: %s", self->thread->index, err);
    s_drain (self);
}

static void
s_on_wait_deadline (h2o_timeout_entry_t *entry)
{
    s_wait_t *wait = H2O_STRUCT_FROM_MEMBER (s_wait_t, deadline, entry);
    s_client_t *client = wait->client;
    s_drain (client);               //  a missed fd edge must not cost a fail-open
    if (!wait->corr_id)
        return;                     //  the drain decided it
    s_warn_failopen (client, "no answer from the Redis actor in time");
    s_wait_finish (wait, GW_RATELIMIT_FAILOPEN, 0);
}

void
gw_ratelimit_thread_start (gw_thread_t *thread)
{
    assert (thread);
    gw_ratelimit_t *owner = thread->gateway->limiter;
    if (!owner || !owner->redis)
        return;
    s_client_t *self = calloc (1, sizeof (s_client_t));
    assert (self);
    self->owner = owner;
    self->thread = thread;
    self->ctx = &thread->ctx;
    self->corr_prefix = (uint64_t) (thread->index + 1) << 48;
    self->waits = zhashx_new ();
    zhashx_set_key_hasher (self->waits, oa_u64_key_hash);
    zhashx_set_key_comparator (self->waits, oa_u64_key_compare);
    zhashx_set_key_duplicator (self->waits, NULL);
    zhashx_set_key_destructor (self->waits, NULL);
    self->dealer = zsock_new (ZMQ_DEALER);
    assert (self->dealer);
    zsock_set_linger (self->dealer, 0);
    zsock_set_sndhwm (self->dealer, S_HWM);
    zsock_set_rcvhwm (self->dealer, S_HWM);
    int rc = zsock_connect (self->dealer, "%s", owner->endpoint);
    assert (rc == 0);               //  our own inproc endpoint
    self->watch = gw_zwatch_new (self->ctx->loop, self->dealer, s_on_readable, self);
    self->drain_entry.cb = s_on_drain_due;
    h2o_timeout_init (self->ctx->loop, &self->deadlines, S_WAIT_MS);
    thread->limiter = self;
}

void
gw_ratelimit_thread_stop (gw_thread_t *thread)
{
    assert (thread);
    s_client_t *self = thread->limiter;
    if (!self)
        return;
    gw_zwatch_close (&self->watch);
    if (h2o_timeout_is_linked (&self->drain_entry))
        h2o_timeout_unlink (&self->drain_entry);
    //  Waits left belong to requests of abandoned connections, which
    //  never run again; unlink them so the bucket can go.
    while (!h2o_linklist_is_empty (&self->deadlines._entries))
        h2o_timeout_unlink (H2O_STRUCT_FROM_MEMBER (h2o_timeout_entry_t, _link,
                                                    self->deadlines._entries.next));
    h2o_timeout_dispose (self->ctx->loop, &self->deadlines);
    for (s_wait_t *wait = zhashx_first (self->waits); wait; wait = zhashx_next (self->waits))
        wait->corr_id = 0;          //  their dispose must not touch the table
    zhashx_destroy (&self->waits);
    zsock_destroy (&self->dealer);
    free (self);
    thread->limiter = NULL;
}

//  Asks the Redis actor; returns false if the ask could not be queued.
static bool
s_ask (s_client_t *self, gw_request_t *request, gw_ratelimit_mark_t mark, const char *key,
       gw_ratelimit_next_fn *next, void *arg)
{
    self->corr_counter = (self->corr_counter + 1) & ((1ULL << 48) - 1);
    if (self->corr_counter == 0)
        self->corr_counter = 1;
    const s_rule_t *rule = &self->owner->rules [mark];
    gw_ratelimit_ask_t ask = { .corr_id = self->corr_prefix | self->corr_counter,
                               .limit = (uint32_t) rule->limit,
                               .window_s = (uint32_t) rule->window_s };
    void *handle = zsock_resolve (self->dealer);
    if (zmq_send (handle, &ask, sizeof ask, ZMQ_DONTWAIT | ZMQ_SNDMORE) < 0)
        return false;
    //  Parts after the first are never refused.
    zmq_send (handle, key, strlen (key), ZMQ_DONTWAIT);
    //  The send may have consumed the fd's edge for an answer already queued.
    if (!h2o_timeout_is_linked (&self->drain_entry))
        h2o_timeout_link (self->ctx->loop, &self->ctx->zero_timeout, &self->drain_entry);

    h2o_req_t *req = request->req;
    s_wait_t *wait = h2o_mem_alloc_shared (&req->pool, sizeof (s_wait_t), s_wait_dispose);
    memset (wait, 0, sizeof (s_wait_t));
    wait->client = self;
    wait->request = request;
    wait->mark = mark;
    wait->next = next;
    wait->arg = arg;
    wait->corr_id = ask.corr_id;
    int rc = zhashx_insert (self->waits, (void *) (uintptr_t) wait->corr_id, wait);
    assert (rc == 0);               //  corr_ids are unique by construction
    wait->deadline.cb = s_on_wait_deadline;
    h2o_timeout_link (self->ctx->loop, &self->deadlines, &wait->deadline);
    return true;
}

//  --------------------------------------------------------------------------
//  Public API

gw_ratelimit_t *
gw_ratelimit_new (const oa_config_t *config)
{
    assert (config);
    gw_ratelimit_t *self = calloc (1, sizeof (gw_ratelimit_t));
    assert (self);
    const int limits [GW_RATELIMIT_MARKS] = {
        [GW_RATELIMIT_API] = config->global_api_rate_limit,
        [GW_RATELIMIT_WEB] = config->global_web_rate_limit,
        [GW_RATELIMIT_RELAY] = config->global_relay_rate_limit,
        [GW_RATELIMIT_CRITICAL] = config->critical_rate_limit,
    };
    for (int mark = 0; mark < GW_RATELIMIT_MARKS; mark++) {
        self->rules [mark].limit = config->rate_limit_disabled || limits [mark] < 0? 0: limits [mark];
        self->rules [mark].window_s = s_marks [mark].window_s;
    }
    for (int index = 0; index < S_SHARDS; index++) {
        pthread_mutex_init (&self->shards [index].lock, NULL);
        self->shards [index].entries = zhashx_new ();
        zhashx_set_destructor (self->shards [index].entries, s_entry_destroy);
    }
    self->redis = config->redis_conn_string && *config->redis_conn_string;
    self->url = strdup (self->redis? config->redis_conn_string: "");
    self->password = strdup (config->redis_password? config->redis_password: "");
    static atomic_int s_limiters;
    snprintf (self->endpoint, sizeof self->endpoint, "inproc://oneapi-gateway-ratelimit-%d",
              atomic_fetch_add (&s_limiters, 1));
    return self;
}

void
gw_ratelimit_destroy (gw_ratelimit_t **self_p)
{
    assert (self_p);
    gw_ratelimit_t *self = *self_p;
    if (!self)
        return;
    zactor_destroy (&self->actor);
    for (int index = 0; index < S_SHARDS; index++) {
        zhashx_destroy (&self->shards [index].entries);
        pthread_mutex_destroy (&self->shards [index].lock);
    }
    free (self->url);
    free (self->password);
    free (self);
    *self_p = NULL;
}

int
gw_ratelimit_start (gw_ratelimit_t *self)
{
    assert (self);
    if (!self->redis || self->actor)
        return 0;
    bool any = false;
    for (int mark = 0; mark < GW_RATELIMIT_MARKS; mark++)
        any |= self->rules [mark].limit > 0;
    if (!any) {
        self->redis = false;        //  nothing to ask: no actor, no sockets
        return 0;
    }
    self->args = (gw_ratelimit_redis_args_t) { .endpoint = self->endpoint, .url = self->url,
                                               .password = self->password,
                                               .ttl_s = S_KEY_TTL_S };
    for (int mark = 0; mark < GW_RATELIMIT_MARKS; mark++)
        if (self->rules [mark].window_s > self->args.ttl_s)
            self->args.ttl_s = self->rules [mark].window_s;
    self->actor = zactor_new (gw_ratelimit_redis_actor, &self->args);
    assert (self->actor);
    char *status = zstr_recv (self->actor);
    int rc = status && streq (status, "READY")? 0: -1;
    zstr_free (&status);
    if (rc != 0)
        zactor_destroy (&self->actor);
    return rc;
}

void
gw_ratelimit_set_rule (gw_ratelimit_t *self, gw_ratelimit_mark_t mark, int limit, int window_s)
{
    assert (self);
    assert (mark < GW_RATELIMIT_MARKS);
    assert (window_s > 0);
    self->rules [mark].limit = limit > 0? limit: 0;
    self->rules [mark].window_s = window_s;
}

bool
gw_ratelimit_enabled (gw_ratelimit_t *self, gw_ratelimit_mark_t mark)
{
    assert (self);
    assert (mark < GW_RATELIMIT_MARKS);
    return self->rules [mark].limit > 0;
}

void
gw_ratelimit_check (gw_request_t *request, gw_ratelimit_mark_t mark, const char *id,
                    gw_ratelimit_next_fn *next, void *arg)
{
    assert (request);
    assert (mark < GW_RATELIMIT_MARKS);
    assert (next);
    gw_ratelimit_t *self = request->gateway->limiter;
    if (!self || self->rules [mark].limit <= 0) {
        next (request, arg);
        return;
    }
    char key [GW_RATELIMIT_KEY_MAX];
    snprintf (key, sizeof key, "rateLimit:%s:%.*s", s_marks [mark].name, GW_RATELIMIT_ID_MAX,
              id? id: "");
    const s_rule_t *rule = &self->rules [mark];
    if (self->redis) {
        s_client_t *client = request->thread->limiter;
        if (client && s_ask (client, request, mark, key, next, arg))
            return;
        //  No client (never started) or its queue is full: fail open.
        if (client)
            s_warn_failopen (client, "the Redis actor's queue is full");
        s_count (self, mark, GW_RATELIMIT_FAILOPEN);
        next (request, arg);
        return;
    }
    int reset = 0;
    if (gw_ratelimit_memory_take (self, key, rule->limit, rule->window_s, oa_clock_mono_ms (),
                                  &reset)) {
        s_count (self, mark, GW_RATELIMIT_ALLOWED);
        next (request, arg);
    }
    else {
        s_count (self, mark, GW_RATELIMIT_REFUSED);
        s_refuse (request, rule->limit, reset);
    }
}

void
gw_ratelimit_client_ip (gw_request_t *request, char *out, size_t size)
{
    assert (request);
    assert (out && size);
    h2o_req_t *req = request->req;
    struct sockaddr_storage address;
    socklen_t len = req->conn->callbacks->get_peername (req->conn, (struct sockaddr *) &address);
    char host [NI_MAXHOST];
    size_t host_len = len? h2o_socket_getnumerichost ((struct sockaddr *) &address, len, host)
                         : SIZE_MAX;
    if (host_len == SIZE_MAX)
        snprintf (out, size, "0.0.0.0");
    else
        snprintf (out, size, "%.*s", (int) host_len, host);
}

void
gw_ratelimit_token_id (const char *credential, const char *key_prefix, char *out)
{
    assert (out);
    char key [1024], pin [64];
    gw_state_split_key (credential? credential: "", key_prefix, key, sizeof key, pin, sizeof pin);
    //  one-api hashes GetTokenKeyParts(c)[0]: the key up to its first '-'.
    size_t len = strcspn (key, "-");
    unsigned char digest [SHA256_DIGEST_LENGTH];
    SHA256 ((const unsigned char *) key, len, digest);
    for (int index = 0; index < 8; index++)
        snprintf (out + index * 2, 3, "%02x", digest [index]);
}

uint64_t
gw_ratelimit_allowed (gw_ratelimit_t *self)
{
    assert (self);
    return atomic_load (&self->allowed);
}

uint64_t
gw_ratelimit_refused (gw_ratelimit_t *self)
{
    assert (self);
    return atomic_load (&self->refused);
}

uint64_t
gw_ratelimit_failopen (gw_ratelimit_t *self)
{
    assert (self);
    return atomic_load (&self->failopen);
}
