/*  =========================================================================
    gw_ratelimit_redis - the Redis rate-limit actor of a gateway

    Owns one synchronous hiredis connection (connect and command timeouts
    of S_TIMEOUT_MS) and an inproc ROUTER that the gateway's loop threads
    ask.  Each ask is one EVALSHA of a Lua script that does one-api's
    sliding log on the list rateLimit:<mark>:<id> in a single atomic step
    (so gateways sharing the Redis share the limit exactly), using the
    Redis server's clock (so their clocks need not agree).  Asks that are
    queued together are pipelined: one write, one read per batch.

    Redis down, slow or answering an error: every ask of the batch is
    answered FAILOPEN (allowed), logged at most every 10 s and counted;
    after a failure the actor reconnects at most once a second and
    answers FAILOPEN at once in between, so a dead Redis costs the loops
    no latency.

    Pipe: "READY" once bound (or "FATAL ..."); STATS -> "asks=<n>
    failopen=<n> connected=<0|1>"; $TERM stops.
    =========================================================================
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>
#include "gw_ratelimit.h"
#include "oa_log.h"

#define S_TIMEOUT_MS 300            //  connect and command timeout
#define S_RETRY_MS 1000             //  reconnect attempts at most this often
#define S_BATCH 256                 //  asks pipelined together
#define S_LOG_MS 10000              //  fail-open warnings at most this often

//  KEYS[1] the key; ARGV limit, window (s), ttl (s).  Returns {1, 0} when
//  allowed (recorded), {0, ms since the oldest allowed} when refused.  A
//  list longer than the limit (the limit was lowered) is cut first; an
//  entry that is not a number (another writer's format) counts as old.
static const char *s_script =
    "local key = KEYS[1]\n"
    "local limit = tonumber(ARGV[1])\n"
    "local window = tonumber(ARGV[2]) * 1000\n"
    "local ttl = tonumber(ARGV[3])\n"
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
    "local n = redis.call('LLEN', key)\n"
    "if n > limit then\n"
    "  redis.call('LTRIM', key, 0, limit - 1)\n"
    "  n = limit\n"
    "end\n"
    "if n < limit then\n"
    "  redis.call('LPUSH', key, now)\n"
    "  redis.call('EXPIRE', key, ttl)\n"
    "  return {1, 0}\n"
    "end\n"
    "local oldest = tonumber(redis.call('LINDEX', key, -1))\n"
    "if oldest and now - oldest < window then\n"
    "  redis.call('EXPIRE', key, ttl)\n"
    "  local elapsed = now - oldest\n"
    "  if elapsed < 0 then elapsed = 0 end\n"
    "  return {0, elapsed}\n"
    "end\n"
    "redis.call('LPUSH', key, now)\n"
    "redis.call('LTRIM', key, 0, limit - 1)\n"
    "redis.call('EXPIRE', key, ttl)\n"
    "return {1, 0}\n";

typedef struct {
    zframe_t *routing;              //  the asking loop's routing id
    gw_ratelimit_ask_t ask;         //  what it asks
    char key [GW_RATELIMIT_KEY_MAX];    //  the list
    gw_ratelimit_answer_t answer;   //  the verdict
    bool retry;                     //  NOSCRIPT: run again with EVAL
} s_item_t;

typedef struct {
    zsock_t *pipe;                  //  actor pipe
    zsock_t *router;                //  asks in, answers out
    const gw_ratelimit_redis_args_t *args;  //  borrowed
    char host [256];                //  Redis host (or unix socket path)
    int port;                       //  Redis port; 0 for a unix socket
    int db;                         //  SELECT db
    char user [128];                //  ACL user, "" for none
    char password [256];            //  "" for none
    char url_error [128];           //  why the URL is unusable, "" if fine
    redisContext *redis;            //  the connection, or NULL
    char sha [48];                  //  SCRIPT LOAD's digest
    int64_t next_attempt_ms;        //  monotonic ms of the next connect attempt
    int64_t logged_ms;              //  last fail-open warning
    uint64_t asks;                  //  asks answered
    uint64_t failopen;              //  of which FAILOPEN
    uint64_t unlogged;              //  fail-opens since the last warning
    s_item_t items [S_BATCH];       //  the batch being decided
    bool terminated;                //  $TERM
} s_self_t;

//  --------------------------------------------------------------------------
//  REDIS_CONN_STRING: redis://[[user]:password@]host[:port][/db] (go-redis's
//  ParseURL), unix:///path, or a bare host:port.

static void
s_parse_url (s_self_t *self, const char *url)
{
    self->port = 6379;
    const char *at = url;
    if (strncmp (at, "rediss://", 9) == 0) {
        snprintf (self->url_error, sizeof self->url_error, "rediss:// (TLS) is not supported");
        return;
    }
    if (strncmp (at, "unix://", 7) == 0) {
        snprintf (self->host, sizeof self->host, "%s", at + 7);
        self->port = 0;
        return;
    }
    if (strncmp (at, "redis://", 8) == 0)
        at += 8;
    const char *end = at + strcspn (at, "/?#");
    const char *userinfo_end = NULL;
    for (const char *p = at; p < end; p++)
        if (*p == '@')
            userinfo_end = p;
    if (userinfo_end) {
        const char *colon = memchr (at, ':', (size_t) (userinfo_end - at));
        if (colon) {
            snprintf (self->user, sizeof self->user, "%.*s", (int) (colon - at), at);
            snprintf (self->password, sizeof self->password, "%.*s",
                      (int) (userinfo_end - colon - 1), colon + 1);
        }
        else
            snprintf (self->user, sizeof self->user, "%.*s", (int) (userinfo_end - at), at);
        at = userinfo_end + 1;
    }
    const char *host_end = end;
    if (*at == '[') {               //  [v6]:port
        const char *close = memchr (at, ']', (size_t) (end - at));
        if (!close) {
            snprintf (self->url_error, sizeof self->url_error, "bad IPv6 host");
            return;
        }
        snprintf (self->host, sizeof self->host, "%.*s", (int) (close - at - 1), at + 1);
        if (close + 1 < end && close [1] == ':')
            self->port = atoi (close + 2);
    }
    else {
        const char *colon = memchr (at, ':', (size_t) (end - at));
        if (colon) {
            host_end = colon;
            self->port = atoi (colon + 1);
        }
        snprintf (self->host, sizeof self->host, "%.*s", (int) (host_end - at), at);
    }
    if (!*self->host)
        snprintf (self->host, sizeof self->host, "127.0.0.1");
    if (*end == '/' && end [1] >= '0' && end [1] <= '9')
        self->db = atoi (end + 1);
    if (self->port <= 0 || self->port > 65535)
        snprintf (self->url_error, sizeof self->url_error, "bad port");
}

//  --------------------------------------------------------------------------
//  Connection

static void
s_disconnect (s_self_t *self, const char *why)
{
    if (self->redis) {
        oa_log_warn ("gateway", "rate limit: Redis %s:%d lost: %s", self->host, self->port, why);
        redisFree (self->redis);
        self->redis = NULL;
    }
    self->next_attempt_ms = oa_clock_mono_ms () + S_RETRY_MS;
}

//  Runs one setup command; false (and disconnects) unless it succeeded.
static bool
s_setup_ok (s_self_t *self, redisReply *reply, const char *what)
{
    bool ok = reply && reply->type != REDIS_REPLY_ERROR;
    if (!ok) {
        char why [256];
        snprintf (why, sizeof why, "%s: %s", what,
                  reply? reply->str: self->redis->errstr);
        s_disconnect (self, why);
    }
    if (reply)
        freeReplyObject (reply);
    return ok;
}

static void
s_connect (s_self_t *self)
{
    if (*self->url_error) {
        self->next_attempt_ms = oa_clock_mono_ms () + 60000;
        return;
    }
    struct timeval timeout = { 0, S_TIMEOUT_MS * 1000 };
    redisContext *redis = self->port
        ? redisConnectWithTimeout (self->host, self->port, timeout)
        : redisConnectUnixWithTimeout (self->host, timeout);
    if (!redis || redis->err) {
        if (self->next_attempt_ms == 0 || oa_clock_mono_ms () - self->logged_ms >= S_LOG_MS) {
            oa_log_warn ("gateway", "rate limit: cannot connect to Redis %s:%d: %s",
                         self->host, self->port, redis? redis->errstr: "out of memory");
            self->logged_ms = oa_clock_mono_ms ();
        }
        if (redis)
            redisFree (redis);
        self->next_attempt_ms = oa_clock_mono_ms () + S_RETRY_MS;
        return;
    }
    redisSetTimeout (redis, timeout);
    self->redis = redis;
    const char *password = *self->args->password? self->args->password: self->password;
    if (*password) {
        redisReply *reply = *self->user
            ? redisCommand (redis, "AUTH %s %s", self->user, password)
            : redisCommand (redis, "AUTH %s", password);
        if (!s_setup_ok (self, reply, "AUTH"))
            return;
    }
    if (self->db && !s_setup_ok (self, redisCommand (redis, "SELECT %d", self->db), "SELECT"))
        return;
    redisReply *reply = redisCommand (redis, "SCRIPT LOAD %s", s_script);
    if (reply && reply->type == REDIS_REPLY_STRING)
        snprintf (self->sha, sizeof self->sha, "%s", reply->str);
    if (!s_setup_ok (self, reply, "SCRIPT LOAD"))
        return;
    oa_log_info ("gateway", "rate limit: Redis %s:%d connected", self->host, self->port);
}

//  --------------------------------------------------------------------------
//  Asks

//  Reads an EVAL reply into item; false if it is not the script's answer.
static bool
s_read_verdict (s_item_t *item, redisReply *reply)
{
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2
    ||  reply->element [0]->type != REDIS_REPLY_INTEGER
    ||  reply->element [1]->type != REDIS_REPLY_INTEGER)
        return false;
    item->answer.verdict = reply->element [0]->integer? GW_RATELIMIT_ALLOWED: GW_RATELIMIT_REFUSED;
    long long elapsed = reply->element [1]->integer;
    item->answer.elapsed_ms = elapsed < 0? 0: elapsed > UINT32_MAX? UINT32_MAX: (uint32_t) elapsed;
    return true;
}

static void
s_decide (s_self_t *self, size_t count)
{
    if (!self->redis && oa_clock_mono_ms () >= self->next_attempt_ms)
        s_connect (self);
    if (!self->redis)
        return;                     //  every answer stays FAILOPEN
    for (size_t i = 0; i < count; i++) {
        s_item_t *item = &self->items [i];
        redisAppendCommand (self->redis, "EVALSHA %s 1 %s %u %u %d", self->sha, item->key,
                            item->ask.limit, item->ask.window_s, self->args->ttl_s);
    }
    for (size_t i = 0; i < count; i++) {
        s_item_t *item = &self->items [i];
        redisReply *reply = NULL;
        if (redisGetReply (self->redis, (void **) &reply) != REDIS_OK) {
            s_disconnect (self, self->redis->errstr);
            return;                 //  the rest stay FAILOPEN
        }
        if (reply->type == REDIS_REPLY_ERROR && strncmp (reply->str, "NOSCRIPT", 8) == 0)
            item->retry = true;     //  SCRIPT FLUSH, or a failover: EVAL below
        else
        if (!s_read_verdict (item, reply))
            oa_log_warn ("gateway", "rate limit: unexpected Redis reply for %s: %s", item->key,
                         reply->type == REDIS_REPLY_ERROR? reply->str: "not the script's answer");
        freeReplyObject (reply);
    }
    for (size_t i = 0; i < count && self->redis; i++) {
        s_item_t *item = &self->items [i];
        if (!item->retry)
            continue;
        redisReply *reply = redisCommand (self->redis, "EVAL %s 1 %s %u %u %d", s_script,
                                          item->key, item->ask.limit, item->ask.window_s,
                                          self->args->ttl_s);
        if (!reply) {
            s_disconnect (self, self->redis->errstr);
            return;
        }
        s_read_verdict (item, reply);
        freeReplyObject (reply);
    }
}

static void
s_handle_router (s_self_t *self)
{
    size_t count = 0;
    while (count < S_BATCH && (zsock_events (self->router) & ZMQ_POLLIN)) {
        zmsg_t *msg = zmsg_recv (self->router);
        if (!msg)
            break;
        zframe_t *routing = zmsg_pop (msg);
        zframe_t *ask = zmsg_pop (msg);
        zframe_t *key = zmsg_pop (msg);
        if (routing && ask && key && zframe_size (ask) == sizeof (gw_ratelimit_ask_t)
        &&  zframe_size (key) < GW_RATELIMIT_KEY_MAX) {
            s_item_t *item = &self->items [count++];
            memset (item, 0, sizeof (s_item_t));
            item->routing = routing;
            routing = NULL;
            memcpy (&item->ask, zframe_data (ask), sizeof item->ask);
            memcpy (item->key, zframe_data (key), zframe_size (key));
            item->answer.corr_id = item->ask.corr_id;
            item->answer.verdict = GW_RATELIMIT_FAILOPEN;
        }
        zframe_destroy (&routing);
        zframe_destroy (&ask);
        zframe_destroy (&key);
        zmsg_destroy (&msg);
    }
    if (count == 0)
        return;
    s_decide (self, count);
    uint64_t failed = 0;
    for (size_t i = 0; i < count; i++) {
        s_item_t *item = &self->items [i];
        if (item->answer.verdict == GW_RATELIMIT_FAILOPEN)
            failed++;
        //  Never block on a loop whose queue is full: it fails open at its
        //  own deadline.
        void *handle = zsock_resolve (self->router);
        if (zmq_send (handle, zframe_data (item->routing), zframe_size (item->routing),
                      ZMQ_SNDMORE | ZMQ_DONTWAIT) == (int) zframe_size (item->routing))
            zmq_send (handle, &item->answer, sizeof item->answer, ZMQ_DONTWAIT);
        zframe_destroy (&item->routing);
    }
    self->asks += count;
    self->failopen += failed;
    self->unlogged += failed;
    int64_t now = oa_clock_mono_ms ();
    if (self->unlogged && now - self->logged_ms >= S_LOG_MS) {
        oa_log_warn ("gateway", "rate limit: %llu requests allowed without Redis (fail open)%s%s",
                     (unsigned long long) self->unlogged, *self->url_error? ": ": "",
                     self->url_error);
        self->logged_ms = now;
        self->unlogged = 0;
    }
}

static void
s_handle_pipe (s_self_t *self)
{
    char *command = zstr_recv (self->pipe);
    if (!command || streq (command, "$TERM"))
        self->terminated = true;
    else
    if (streq (command, "STATS"))
        zstr_sendf (self->pipe, "asks=%llu failopen=%llu connected=%d",
                    (unsigned long long) self->asks, (unsigned long long) self->failopen,
                    self->redis != NULL);
    else
        oa_log_warn ("gateway", "rate limit: unknown pipe command '%s'", command);
    zstr_free (&command);
}

void
gw_ratelimit_redis_actor (zsock_t *pipe, void *args)
{
    assert (args);
    s_self_t *self = calloc (1, sizeof (s_self_t));
    assert (self);
    self->pipe = pipe;
    self->args = args;
    s_parse_url (self, self->args->url);
    self->router = zsock_new (ZMQ_ROUTER);
    assert (self->router);
    zsock_set_linger (self->router, 0);
    zsock_set_rcvtimeo (self->router, 0);
    zsock_set_sndhwm (self->router, 100000);
    zsock_set_rcvhwm (self->router, 100000);
    if (zsock_bind (self->router, "%s", self->args->endpoint) != 0) {
        zsock_signal (pipe, 0);
        zstr_sendf (pipe, "FATAL cannot bind %s", self->args->endpoint);
        zsock_destroy (&self->router);
        free (self);
        return;
    }
    zsock_signal (pipe, 0);
    zstr_send (pipe, "READY");
    if (*self->url_error)
        oa_log_error ("gateway", "rate limit: REDIS_CONN_STRING: %s; limits fail open",
                      self->url_error);
    s_connect (self);

    zpoller_t *poller = zpoller_new (pipe, self->router, NULL);
    assert (poller);
    while (!self->terminated) {
        void *which = zpoller_wait (poller, -1);
        if (which == pipe)
            s_handle_pipe (self);
        else
        if (which == self->router)
            s_handle_router (self);
        else
        if (zpoller_terminated (poller))
            break;
    }
    zpoller_destroy (&poller);
    if (self->redis)
        redisFree (self->redis);
    zsock_destroy (&self->router);
    free (self);
}
