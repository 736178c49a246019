/*  =========================================================================
    gw_admit - quota admission of relay requests (one-api's pre-consume)

    Before a relay request goes to a worker, the gateway computes one-api's
    pre-consume estimate (getPreConsumedQuota): (PreConsumedQuota option,
    500 by default, + the prompt's estimated tokens) x ratio x group ratio
    + max_tokens x ratio x group ratio x completion ratio, with the prices
    of each candidate channel (its model_configs entry, else the default
    tables), the largest over the candidates since a retry may land on any.

    Trusted (one-api's 100x rule): when the user's known quota is more
    than 100 x the estimate and the token is unlimited or its remain is too
    (both less what this loop already admitted without a hold and has not
    finished), the request is admitted here, holding nothing at the ledger.
    Otherwise the loop sends RESERVE to the ledger and waits, without
    blocking the loop, for RESERVE_REPLY: held -> relayed with the
    reservation; refused -> one-api's 403 ("user quota is not enough",
    insufficient_user_quota; or "insufficient token quota: ...",
    pre_consume_token_quota_failed).

    Ledger down: no RESERVE_REPLY within GW_ADMIT_WAIT_MS, a RESERVE that
    cannot be sent (no ledger connected), or a ledger that cannot read the
    balances (503 reply): the request is admitted when the loop's known
    balances, less its unfinished unheld admissions, cover the estimate,
    else refused with the same 403s.  Meanwhile the health component
    "ledger_link" is DEGRADED (/readyz "degraded"); a probe RESERVE (amount
    0) every second brings it back once the ledger answers.

    A hold whose request never reaches a worker (client gone while waiting,
    broker queue full) is released by a USAGE with no channel, which the
    ledger settles as unbilled.

    Owned by one loop thread (its bridge creates it); not thread-safe.
    =========================================================================
*/
#ifndef GW_ADMIT_H_INCLUDED
#define GW_ADMIT_H_INCLUDED

#include <jansson.h>

#include "gw_bridge.h"
#include "gw_state.h"

//  How long a RESERVE may wait for the ledger before the loop admits on
//  its known balances.  Well above a loaded ledger's batch time (its
//  batches stop growing past 50 ms), so only a ledger that is really away
//  degrades admission, not one that is busy.
#define GW_ADMIT_WAIT_MS 1000
//  Probe period while the ledger does not answer.
#define GW_ADMIT_PROBE_MS 1000
//  Clamp on token counts read from bodies.
#define GW_ADMIT_TOKENS_MAX INT64_C(1000000000)

typedef struct _gw_admit_t gw_admit_t;

//  What admission reads from a JSON request body.
typedef struct {
    int64_t prompt_tokens;      //  estimated prompt tokens (one-api counts with tiktoken)
    int64_t max_tokens;         //  max_completion_tokens, max_tokens or max_output_tokens; 0 = none
} gw_admit_body_t;

//  Called once a request is admitted: msg (ownership passes) carries the
//  reservation (reservation_id, reserved_quota; 0 when nothing is held)
//  and prompt_tokens_estimate.
typedef void (gw_admit_next_fn) (gw_request_t *request, oa_msg_t *msg, void *arg);

//  Creates the admission of a loop thread; bridge is borrowed (sockets,
//  waiters).  Caller owns the result.
gw_admit_t *
    gw_admit_new (gw_thread_t *thread, gw_bridge_t *bridge);

//  Destroys it (after the thread's requests are disposed); nulls the pointer.
void
    gw_admit_destroy (gw_admit_t **self_p);

//  Fills body from a parsed JSON request body (any of the client formats).
void
    gw_admit_scan (json_t *json, gw_admit_body_t *body);

//  Estimated tokens of a text (about four ASCII bytes per token, one per
//  other character).
int64_t
    gw_admit_text_tokens (const char *text, size_t size);

//  one-api's pre-consume estimate of msg (a RELAY_REQUEST with its
//  candidates) for body, with the options of state.
int64_t
    gw_admit_estimate (gw_admit_t *self, gw_state_t *state, oa_msg_t *msg,
                       const gw_admit_body_t *body);

//  Admits the request of caller: calls next (now or later, on this loop)
//  or answers the client itself in format (OA_MSG_FORMAT_*).  Takes *msg_p.
void
    gw_admit_request (gw_request_t *request, const gw_caller_t *caller,
                      const gw_admit_body_t *body, int format, oa_msg_t **msg_p,
                      gw_admit_next_fn *next, void *arg);

//  The admitted msg never reached a worker: releases its hold, if any
//  (status: what the client got).
void
    gw_admit_abandon (gw_admit_t *self, oa_msg_t *msg, int status);

//  True while this loop admits without the ledger.
bool
    gw_admit_degraded (gw_admit_t *self);

//  Self tests: the estimate and the body scan.
void
    oa_gw_admit_test (bool verbose);

#endif
