/*  =========================================================================
    gw_admit - quota admission of relay requests (see gw_admit.h)

    The prices come from ledger/pricing (oa_pricing: pure, immutable tables,
    safe to read from every loop), the one piece of the ledger the gateway
    links: the estimate must be one-api's, and the ledger prices with the
    same code.

    A loop remembers what it admitted without a hold (trusted, or while
    the ledger was away) until the request is disposed, per token and per
    user, and subtracts it from the replica's balances in both decisions:
    so one loop alone cannot overdraw a balance it knows, and a rich token
    stays "trusted" only while 100 x the estimate is left after its
    unfinished requests.
    =========================================================================
*/
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_admit.h"
#include "gw_relay_private.h"
#include "oa_health.h"
#include "oa_log.h"
#include "oa_pricing.h"

#define S_HEALTH_COMPONENT "ledger_link"
#define S_TRUST_FACTOR 100          //  one-api: no pre-consume above 100 x the estimate
#define S_TOKENS_MAX GW_ADMIT_TOKENS_MAX     //  clamp on token counts read from bodies
#define S_TTL_EXTRA_MS 60000        //  a hold outlives its request's deadline by this

struct _gw_admit_t {
    gw_thread_t *thread;            //  owner loop
    gw_bridge_t *bridge;            //  the loop's sockets and waiters; borrowed
    h2o_loop_t *loop;               //  the loop's evloop
    oa_pricing_t *pricing;          //  default price tables
    h2o_timeout_t waits;            //  GW_ADMIT_WAIT_MS bucket: RESERVEs in flight
    h2o_timeout_t probes;           //  GW_ADMIT_PROBE_MS bucket
    h2o_timeout_entry_t probe_entry;    //  linked while degraded
    gw_bridge_waiter_t probe_waiter;    //  the last probe's reply
    zhashx_t *tokens;               //  token id text -> int64_t * unheld in flight
    zhashx_t *users;                //  user id text -> int64_t * unheld in flight
    bool degraded;                  //  admitting without the ledger
};

//  A RESERVE waiting for its reply; lives in the request's pool.
typedef struct {
    gw_bridge_waiter_t waiter;      //  registered while waiting
    h2o_timeout_entry_t timer;      //  GW_ADMIT_WAIT_MS
    gw_admit_t *admit;              //  the loop's admission
    gw_request_t *request;          //  the request (valid until dispose)
    oa_msg_t *msg;                  //  the RELAY_REQUEST, owned until next
    gw_admit_next_fn *next;         //  continuation
    void *arg;                      //  its argument
    int format;                     //  client format, for errors
    int64_t amount;                 //  the estimate
    gw_caller_t caller;             //  ids and known balances
} s_wait_t;

//  An admission without a hold, undone when its request is disposed.
typedef struct {
    gw_admit_t *admit;
    int64_t token_id;
    int64_t user_id;
    int64_t amount;
} s_local_t;

//  Loops currently degraded, process-wide: the health component is one.
static pthread_mutex_t s_health_lock = PTHREAD_MUTEX_INITIALIZER;
static int s_degraded_loops;

static void s_probe (h2o_timeout_entry_t *entry);

//  --------------------------------------------------------------------------
//  Body scan and token estimate

int64_t
gw_admit_text_tokens (const char *text, size_t size)
{
    int64_t ascii = 0, other = 0;
    for (size_t at = 0; at < size; at++) {
        unsigned char c = (unsigned char) text [at];
        if (c < 0x80)
            ascii++;
        else
        if ((c & 0xc0) != 0x80)
            other++;                //  the first byte of a multi-byte character
    }
    return (ascii + 3) / 4 + other;
}

//  Tokens of the text under a value: strings, and the "text", "content",
//  "input" and "parts" members of objects, recursively (bounded depth).
static int64_t
s_value_tokens (json_t *value, int depth)
{
    if (depth > 8)
        return 0;
    if (json_is_string (value))
        return gw_admit_text_tokens (json_string_value (value), json_string_length (value));
    int64_t sum = 0;
    if (json_is_array (value)) {
        size_t index;
        json_t *item;
        json_array_foreach (value, index, item)
            sum += s_value_tokens (item, depth + 1);
    }
    else
    if (json_is_object (value)) {
        static const char *keys [] = { "text", "content", "input", "parts", NULL };
        for (int index = 0; keys [index]; index++)
            sum += s_value_tokens (json_object_get (value, keys [index]), depth + 1);
    }
    return sum;
}

static int64_t
s_positive (json_t *value)
{
    if (!json_is_integer (value) || json_integer_value (value) <= 0)
        return 0;
    return json_integer_value (value) > S_TOKENS_MAX? S_TOKENS_MAX: json_integer_value (value);
}

void
gw_admit_scan (json_t *json, gw_admit_body_t *body)
{
    assert (body);
    memset (body, 0, sizeof *body);
    if (!json_is_object (json))
        return;
    int64_t tokens = 0;
    json_t *messages = json_object_get (json, "messages");
    if (json_is_array (messages) && json_array_size (messages)) {
        //  one-api's CountTokenMessages: 3 per message, 3 to prime the reply
        size_t index;
        json_t *message;
        json_array_foreach (messages, index, message)
            tokens += 3 + s_value_tokens (json_object_get (message, "content"), 0)
                    + (json_is_string (json_object_get (message, "name"))? 1: 0);
        tokens += 3;
    }
    tokens += s_value_tokens (json_object_get (json, "system"), 0);
    tokens += s_value_tokens (json_object_get (json, "instructions"), 0);
    tokens += s_value_tokens (json_object_get (json, "prompt"), 0);
    tokens += s_value_tokens (json_object_get (json, "input"), 0);
    body->prompt_tokens = tokens > S_TOKENS_MAX? S_TOKENS_MAX: tokens;
    //  one-api prefers max_completion_tokens, then max_tokens
    body->max_tokens = s_positive (json_object_get (json, "max_completion_tokens"));
    if (!body->max_tokens)
        body->max_tokens = s_positive (json_object_get (json, "max_tokens"));
    if (!body->max_tokens)
        body->max_tokens = s_positive (json_object_get (json, "max_output_tokens"));
}

//  --------------------------------------------------------------------------
//  The estimate

static int64_t
s_candidate_estimate (gw_admit_t *self, oa_msg_candidate_t *candidate,
                      const gw_admit_body_t *body, int64_t base)
{
    const char *model = oa_msg_candidate_upstream_model (candidate);
    const char *entry = oa_msg_candidate_model_configs_json (candidate);
    oa_pricing_channel_t *overrides = NULL;
    if (*entry) {
        //  The candidate carries its model's entry only: re-key it.
        json_t *configs = json_object ();
        json_error_t error;
        json_t *value = json_loads (entry, 0, &error);
        if (value)
            json_object_set_new (configs, model, value);
        char *text = json_dumps (configs, JSON_COMPACT);
        overrides = oa_pricing_channel_new ();
        if (overrides && text)
            oa_pricing_channel_load (overrides, text, NULL, NULL);
        free (text);
        json_decref (configs);
    }
    oa_pricing_quote_t quote;
    oa_pricing_resolve (self->pricing, model, oa_msg_candidate_channel_type (candidate),
                        overrides, &quote);
    oa_pricing_channel_destroy (&overrides);
    const char *text = oa_msg_candidate_group_ratio (candidate);
    char *end = NULL;
    double group = *text? strtod (text, &end): 1;
    if (!*text || (end && *end) || group < 0)
        group = 1;
    return oa_pricing_estimate (&quote, group, body->prompt_tokens, body->max_tokens, base);
}

int64_t
gw_admit_estimate (gw_admit_t *self, gw_state_t *state, oa_msg_t *msg,
                   const gw_admit_body_t *body)
{
    assert (self);
    const char *option = gw_state_option (state, "PreConsumedQuota", "500");
    char *end = NULL;
    long long base = strtoll (option, &end, 10);
    if (end == option || base < 0)
        base = OA_PRICING_PRE_CONSUMED_QUOTA;
    int64_t estimate = 0;
    //  A retry may land on any candidate: the dearest one bounds the cost.
    for (size_t index = 0; index < oa_msg_candidates_size (msg); index++) {
        int64_t one = s_candidate_estimate (self, oa_msg_candidates_at (msg, index), body,
                                            (int64_t) base);
        if (one > estimate)
            estimate = one;
    }
    return estimate;
}

//  --------------------------------------------------------------------------
//  Degraded mode

static void
s_set_degraded (gw_admit_t *self, bool degraded, const char *why)
{
    if (self->degraded == degraded)
        return;
    self->degraded = degraded;
    pthread_mutex_lock (&s_health_lock);
    s_degraded_loops += degraded? 1: -1;
    if (degraded && s_degraded_loops == 1)
        oa_health_set (S_HEALTH_COMPONENT, OA_HEALTH_DEGRADED, why);
    else
    if (!degraded && s_degraded_loops <= 0) {
        s_degraded_loops = 0;
        oa_health_clear (S_HEALTH_COMPONENT);
    }
    pthread_mutex_unlock (&s_health_lock);
    if (degraded) {
        oa_log_warn ("gateway", "loop %d: %s: admitting on known balances", self->thread->index,
                     why);
        if (!h2o_timeout_is_linked (&self->probe_entry))
            h2o_timeout_link (self->loop, &self->probes, &self->probe_entry);
    }
    else {
        oa_log_info ("gateway", "loop %d: the ledger answers reservations again",
                     self->thread->index);
        if (h2o_timeout_is_linked (&self->probe_entry))
            h2o_timeout_unlink (&self->probe_entry);
    }
}

static void
s_on_probe_reply (gw_bridge_waiter_t *waiter, oa_msg_t *msg)
{
    gw_admit_t *self = H2O_STRUCT_FROM_MEMBER (gw_admit_t, probe_waiter, waiter);
    gw_bridge_forget (self->bridge, waiter);
    if (oa_msg_id (msg) == OA_MSG_RESERVE_REPLY && oa_msg_ok (msg))
        s_set_degraded (self, false, NULL);
}

//  While degraded: a RESERVE of nothing, which the ledger answers at once.
static void
s_probe (h2o_timeout_entry_t *entry)
{
    gw_admit_t *self = H2O_STRUCT_FROM_MEMBER (gw_admit_t, probe_entry, entry);
    if (!self->degraded)
        return;
    gw_bridge_forget (self->bridge, &self->probe_waiter);
    oa_msg_t *probe = oa_msg_new (OA_MSG_RESERVE);
    uint64_t corr_id = gw_bridge_next_corr_id (self->bridge);
    oa_msg_set_corr_id (probe, corr_id);
    oa_msg_set_request_id (probe, "probe");
    oa_msg_set_amount (probe, 0);
    if (gw_bridge_send_ledger (self->bridge, probe) == 0)
        gw_bridge_register (self->bridge, &self->probe_waiter, corr_id);
    oa_msg_destroy (&probe);
    h2o_timeout_link (self->loop, &self->probes, &self->probe_entry);
}

//  --------------------------------------------------------------------------
//  Local (unheld) admissions

static int64_t *
s_local_slot (zhashx_t *table, int64_t id, bool create)
{
    char key [24];
    snprintf (key, sizeof key, "%" PRId64, id);
    int64_t *slot = (int64_t *) zhashx_lookup (table, key);
    if (!slot && create) {
        slot = (int64_t *) calloc (1, sizeof (int64_t));
        assert (slot);
        zhashx_insert (table, key, slot);
    }
    return slot;
}

static int64_t
s_local (zhashx_t *table, int64_t id)
{
    int64_t *slot = s_local_slot (table, id, false);
    return slot? *slot: 0;
}

static void
s_local_add (zhashx_t *table, int64_t id, int64_t delta)
{
    int64_t *slot = s_local_slot (table, id, true);
    *slot += delta;
    if (*slot <= 0) {
        char key [24];
        snprintf (key, sizeof key, "%" PRId64, id);
        zhashx_delete (table, key);
    }
}

static void
s_local_dispose (void *data)
{
    s_local_t *local = data;
    s_local_add (local->admit->tokens, local->token_id, -local->amount);
    s_local_add (local->admit->users, local->user_id, -local->amount);
}

//  Counts amount against the caller until the request is disposed.
static void
s_local_hold (gw_admit_t *self, gw_request_t *request, const gw_caller_t *caller, int64_t amount)
{
    if (amount <= 0)
        return;
    s_local_t *local = h2o_mem_alloc_shared (&request->req->pool, sizeof (s_local_t),
                                             s_local_dispose);
    local->admit = self;
    local->token_id = caller->token_id;
    local->user_id = caller->user_id;
    local->amount = amount;
    s_local_add (self->tokens, caller->token_id, amount);
    s_local_add (self->users, caller->user_id, amount);
}

//  --------------------------------------------------------------------------
//  Decisions

static void
s_refuse (gw_request_t *request, int format, int status, const char *code, const char *message)
{
    gw_relay_respond_error (request->req, format, status, "one_api_error", code, message,
                            request->id, true);
}

//  What the caller's user and token have left as this loop knows them: the
//  last balances heard of, less this loop's unfinished unheld admissions.
//  Refuses (and takes msg) when the user's part does not cover amount, as
//  one-api checks the user's quota first.  Returns true when refused.
static bool
s_user_short (gw_admit_t *self, gw_request_t *request, const gw_caller_t *caller, int format,
              int64_t amount, oa_msg_t **msg_p, int64_t *user_left, int64_t *token_left)
{
    *user_left = caller->user_quota - s_local (self->users, caller->user_id);
    *token_left = caller->token_remain - s_local (self->tokens, caller->token_id);
    if (*user_left >= amount)
        return false;
    oa_msg_destroy (msg_p);
    s_refuse (request, format, 403, "insufficient_user_quota", "user quota is not enough");
    return true;
}

static void
s_admitted (gw_request_t *request, oa_msg_t *msg, uint64_t reservation_id, int64_t reserved,
            gw_admit_next_fn *next, void *arg)
{
    oa_msg_set_reservation_id (msg, reservation_id);
    oa_msg_set_reserved_quota (msg, reserved);
    next (request, msg, arg);
}

//  Without the ledger: the known balances, less this loop's unheld
//  admissions, must cover the estimate.  Takes msg.
static void
s_admit_known (gw_admit_t *self, gw_request_t *request, const gw_caller_t *caller, int format,
               int64_t amount, oa_msg_t *msg, gw_admit_next_fn *next, void *arg)
{
    int64_t user_left, token_left;
    if (s_user_short (self, request, caller, format, amount, &msg, &user_left, &token_left))
        return;
    if (!caller->unlimited && token_left < amount) {
        char message [256];
        snprintf (message, sizeof message, "insufficient token quota: required=%" PRId64
                  ", available=%" PRId64 ", tokenId=%" PRId64, amount, token_left,
                  caller->token_id);
        oa_msg_destroy (&msg);
        s_refuse (request, format, 403, "pre_consume_token_quota_failed", message);
        return;
    }
    s_local_hold (self, request, caller, amount);
    s_admitted (request, msg, 0, 0, next, arg);
}

//  Releases what the ledger may hold for msg's request: a USAGE without a
//  channel, which it settles as unbilled (after the RESERVE: one pipe).
static void
s_release (gw_admit_t *self, oa_msg_t *msg, int status)
{
    oa_msg_t *usage = oa_msg_new (OA_MSG_USAGE);
    oa_msg_set_request_id (usage, oa_msg_request_id (msg));
    oa_msg_set_user_id (usage, oa_msg_user_id (msg));
    oa_msg_set_username (usage, oa_msg_username (msg));
    oa_msg_set_token_id (usage, oa_msg_token_id (msg));
    oa_msg_set_token_name (usage, oa_msg_token_name (msg));
    oa_msg_set_group (usage, oa_msg_group (msg));
    const char *model = oa_msg_requested_model (msg);
    oa_msg_set_model (usage, *model? model: "-");
    oa_msg_set_origin_model (usage, model);
    oa_msg_set_status (usage, (uint16_t) status);
    oa_msg_set_client_format (usage, oa_msg_client_format (msg));
    oa_msg_set_reservation_id (usage, oa_msg_reservation_id (msg));
    oa_msg_set_reserved_quota (usage, oa_msg_reserved_quota (msg));
    oa_msg_set_created_at_ms (usage, oa_msg_created_at_ms (msg));
    if (gw_bridge_send_ledger (self->bridge, usage) != 0)
        oa_log (OA_LOG_WARN, "gateway", oa_msg_request_id (msg),
                "reservation not released (%s): it expires", strerror (errno));
    oa_msg_destroy (&usage);
}

void
gw_admit_abandon (gw_admit_t *self, oa_msg_t *msg, int status)
{
    assert (self);
    if (msg && oa_msg_reservation_id (msg))
        s_release (self, msg, status);
}

static void
s_wait_finish (s_wait_t *wait)
{
    gw_bridge_forget (wait->admit->bridge, &wait->waiter);
    if (h2o_timeout_is_linked (&wait->timer))
        h2o_timeout_unlink (&wait->timer);
}

static void
s_on_reply (gw_bridge_waiter_t *waiter, oa_msg_t *reply)
{
    s_wait_t *wait = H2O_STRUCT_FROM_MEMBER (s_wait_t, waiter, waiter);
    if (oa_msg_id (reply) != OA_MSG_RESERVE_REPLY)
        return;
    s_wait_finish (wait);
    gw_admit_t *self = wait->admit;
    oa_msg_t *msg = wait->msg;
    wait->msg = NULL;
    if (oa_msg_ok (reply)) {
        s_set_degraded (self, false, NULL);
        s_admitted (wait->request, msg, oa_msg_reservation_id (reply),
                    oa_msg_reservation_id (reply)? wait->amount: 0, wait->next, wait->arg);
    }
    else
    if (oa_msg_status (reply) == 503) {
        //  The ledger is there but cannot read the balances (its store).
        s_set_degraded (self, true, "the ledger cannot read balances");
        s_admit_known (self, wait->request, &wait->caller, wait->format, wait->amount, msg,
                       wait->next, wait->arg);
    }
    else {
        s_set_degraded (self, false, NULL);
        int status = oa_msg_status (reply);
        oa_msg_destroy (&msg);
        s_refuse (wait->request, wait->format, status >= 400 && status < 600? status: 500,
                  oa_msg_code (reply), oa_msg_message (reply));
    }
}

static void
s_on_timeout (h2o_timeout_entry_t *entry)
{
    s_wait_t *wait = H2O_STRUCT_FROM_MEMBER (s_wait_t, timer, entry);
    s_wait_finish (wait);
    gw_admit_t *self = wait->admit;
    oa_msg_t *msg = wait->msg;
    wait->msg = NULL;
    //  A late hold would linger until its ttl: release it, in order.
    s_release (self, msg, 503);
    s_set_degraded (self, true, "the ledger does not answer reservations");
    s_admit_known (self, wait->request, &wait->caller, wait->format, wait->amount, msg,
                   wait->next, wait->arg);
}

static void
s_wait_dispose (void *data)
{
    s_wait_t *wait = data;
    if (!wait->msg)
        return;
    //  The client went away while the ledger was asked.
    s_wait_finish (wait);
    s_release (wait->admit, wait->msg, 499);
    oa_msg_destroy (&wait->msg);
}

void
gw_admit_request (gw_request_t *request, const gw_caller_t *caller,
                  const gw_admit_body_t *body, int format, oa_msg_t **msg_p,
                  gw_admit_next_fn *next, void *arg)
{
    assert (request && caller && body && msg_p && *msg_p && next);
    oa_msg_t *msg = *msg_p;
    *msg_p = NULL;
    gw_bridge_t *bridge = gw_bridge_of (request);
    gw_admit_t *self = gw_bridge_admit (bridge);
    gw_state_t *state = gw_bridge_state (bridge);
    int64_t amount = gw_admit_estimate (self, state, msg, body);
    oa_msg_set_prompt_tokens_estimate (msg, (uint32_t) (body->prompt_tokens > UINT32_MAX
                                                        ? UINT32_MAX: body->prompt_tokens));
    //  one-api's order: the user's quota first, then the trusted rule
    int64_t user_left, token_left;
    if (s_user_short (self, request, caller, format, amount, &msg, &user_left, &token_left))
        return;
    __int128 bar = (__int128) amount * S_TRUST_FACTOR;
    if (user_left > bar && (caller->unlimited || token_left > bar)) {
        s_local_hold (self, request, caller, amount);
        s_admitted (request, msg, 0, 0, next, arg);
        return;
    }
    oa_msg_t *reserve = oa_msg_new (OA_MSG_RESERVE);
    uint64_t corr_id = gw_bridge_next_corr_id (bridge);
    oa_msg_set_corr_id (reserve, corr_id);
    oa_msg_set_request_id (reserve, request->id);
    oa_msg_set_user_id (reserve, (uint64_t) caller->user_id);
    oa_msg_set_token_id (reserve, (uint64_t) caller->token_id);
    oa_msg_set_amount (reserve, amount);
    int64_t ttl = gw_bridge_timeout_ms (bridge) + S_TTL_EXTRA_MS;
    oa_msg_set_ttl_ms (reserve, ttl > UINT32_MAX? UINT32_MAX: (uint32_t) ttl);
    int rc = gw_bridge_send_ledger (bridge, reserve);
    oa_msg_destroy (&reserve);
    if (rc != 0) {
        s_set_degraded (self, true, "no ledger to reserve quota with");
        s_admit_known (self, request, caller, format, amount, msg, next, arg);
        return;
    }
    s_wait_t *wait = h2o_mem_alloc_shared (&request->req->pool, sizeof (s_wait_t),
                                           s_wait_dispose);
    memset (wait, 0, sizeof *wait);
    wait->admit = self;
    wait->request = request;
    wait->msg = msg;
    wait->next = next;
    wait->arg = arg;
    wait->format = format;
    wait->amount = amount;
    wait->caller = *caller;
    wait->waiter.on_reply = s_on_reply;
    gw_bridge_register (bridge, &wait->waiter, corr_id);
    wait->timer.cb = s_on_timeout;
    h2o_timeout_link (self->loop, &self->waits, &wait->timer);
}

bool
gw_admit_degraded (gw_admit_t *self)
{
    assert (self);
    return self->degraded;
}

//  --------------------------------------------------------------------------
//  Life cycle

static void
s_free_slot (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

gw_admit_t *
gw_admit_new (gw_thread_t *thread, gw_bridge_t *bridge)
{
    gw_admit_t *self = (gw_admit_t *) calloc (1, sizeof (gw_admit_t));
    assert (self);
    self->thread = thread;
    self->bridge = bridge;
    self->loop = thread? thread->ctx.loop: NULL;
    self->pricing = oa_pricing_new ();
    assert (self->pricing);
    self->tokens = zhashx_new ();
    self->users = zhashx_new ();
    zhashx_set_destructor (self->tokens, s_free_slot);
    zhashx_set_destructor (self->users, s_free_slot);
    self->probe_waiter.on_reply = s_on_probe_reply;
    self->probe_entry.cb = s_probe;
    if (self->loop) {
        h2o_timeout_init (self->loop, &self->waits, GW_ADMIT_WAIT_MS);
        h2o_timeout_init (self->loop, &self->probes, GW_ADMIT_PROBE_MS);
    }
    return self;
}

static void
s_timeout_dispose (h2o_loop_t *loop, h2o_timeout_t *timeout)
{
    //  Entries belong to requests, disposed by now unless abandoned at stop.
    while (!h2o_linklist_is_empty (&timeout->_entries))
        h2o_timeout_unlink (H2O_STRUCT_FROM_MEMBER (h2o_timeout_entry_t, _link,
                                                    timeout->_entries.next));
    h2o_timeout_dispose (loop, timeout);
}

void
gw_admit_destroy (gw_admit_t **self_p)
{
    assert (self_p);
    gw_admit_t *self = *self_p;
    if (!self)
        return;
    s_set_degraded (self, false, NULL);
    if (self->bridge)
        gw_bridge_forget (self->bridge, &self->probe_waiter);
    if (self->loop) {
        s_timeout_dispose (self->loop, &self->waits);
        s_timeout_dispose (self->loop, &self->probes);
    }
    zhashx_destroy (&self->tokens);
    zhashx_destroy (&self->users);
    oa_pricing_destroy (&self->pricing);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Self test

void
oa_gw_admit_test (bool verbose)
{
    if (verbose)
        printf (" * gw_admit: body scan and estimate\n");
    //  Text: four ASCII bytes a token, one per other character
    assert (gw_admit_text_tokens ("", 0) == 0);
    assert (gw_admit_text_tokens ("Hi", 2) == 1);
    assert (gw_admit_text_tokens ("Hello there", 11) == 3);
    assert (gw_admit_text_tokens ("\xe4\xbd\xa0\xe5\xa5\xbd", 6) == 2);

    json_error_t error;
    gw_admit_body_t body;
    json_t *json = json_loads ("{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
        "{\"role\":\"system\",\"content\":\"be terse\"},"
        "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello there\"},"
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}}]}]}", 0, &error);
    gw_admit_scan (json, &body);
    //  (3 + 2) + (3 + 3) + 3
    assert (body.prompt_tokens == 14 && body.max_tokens == 5);
    json_decref (json);
    //  max_completion_tokens wins; Claude's system; Responses' input
    json = json_loads ("{\"max_completion_tokens\":7,\"max_tokens\":99,\"system\":"
        "[{\"type\":\"text\",\"text\":\"abcd\"}],\"input\":\"abcdefgh\"}", 0, &error);
    gw_admit_scan (json, &body);
    assert (body.prompt_tokens == 3 && body.max_tokens == 7);
    json_decref (json);
    json = json_loads ("{\"max_output_tokens\":-3,\"prompt\":[\"ab\",\"cd\"]}", 0, &error);
    gw_admit_scan (json, &body);
    assert (body.prompt_tokens == 2 && body.max_tokens == 0);
    json_decref (json);
    gw_admit_scan (NULL, &body);
    assert (body.prompt_tokens == 0 && body.max_tokens == 0);

    //  The estimate: the dearest candidate; PreConsumedQuota from options
    gw_admit_t *self = gw_admit_new (NULL, NULL);
    gw_state_t *state = gw_state_new ();
    oa_msg_t *msg = oa_msg_new (OA_MSG_RELAY_REQUEST);
    oa_msg_candidate_t *candidate = oa_msg_candidate_new ();
    oa_msg_candidate_set_upstream_model (candidate, "my-model");
    oa_msg_candidate_set_channel_type (candidate, 1);
    oa_msg_candidate_set_model_configs_json (candidate, "{\"ratio\":1,\"completion_ratio\":2}");
    oa_msg_candidate_set_group_ratio (candidate, "1");
    oa_msg_candidates_append (msg, &candidate);
    body.prompt_tokens = 7;
    body.max_tokens = 5;
    //  (500 + 7) x 1 + 5 x 1 x 2
    assert (gw_admit_estimate (self, state, msg, &body) == 517);
    candidate = oa_msg_candidate_new ();
    oa_msg_candidate_set_upstream_model (candidate, "my-model");
    oa_msg_candidate_set_channel_type (candidate, 1);
    oa_msg_candidate_set_model_configs_json (candidate, "{\"ratio\":1,\"completion_ratio\":2}");
    oa_msg_candidate_set_group_ratio (candidate, "2");
    oa_msg_candidates_append (msg, &candidate);
    assert (gw_admit_estimate (self, state, msg, &body) == 1034);
    //  An unknown model without overrides: one-api's fallback, 1.25 x 1
    oa_msg_candidates_purge (msg);
    candidate = oa_msg_candidate_new ();
    oa_msg_candidate_set_upstream_model (candidate, "nobody-knows-this-model");
    oa_msg_candidate_set_channel_type (candidate, 1);
    oa_msg_candidates_append (msg, &candidate);
    body.max_tokens = 0;
    assert (gw_admit_estimate (self, state, msg, &body) == 633);   //  507 x 1.25
    oa_msg_destroy (&msg);
    gw_state_destroy (&state);
    gw_admit_destroy (&self);
    assert (self == NULL);
}
