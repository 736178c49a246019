/*  =========================================================================
    wk_job - one relayed request, from RELAY_REQUEST to RELAY_END/ERROR

    @header
    A job tries the request's candidate channels in order (wk_retry rules),
    one upstream transfer at a time, streams the answer back to its gateway
    as RELAY_HEAD / RELAY_DATA... / RELAY_END (or one RELAY_ERROR), and
    emits exactly one USAGE when it finishes, whatever the outcome.

    @discuss
    Jobs never free themselves: a finishing job calls ctx->on_finished,
    and its owner destroys it later, when no curl or job frame is on the
    stack (wk_loop's idle hook, or the end of a zloop handler).
    @end
    =========================================================================
*/
#ifndef WK_JOB_H_INCLUDED
#define WK_JOB_H_INCLUDED

#include <czmq.h>
#include "oa_config.h"
#include "oa_msg.h"
#include "wk_loop.h"
#include "wk_metrics.h"

typedef struct _wk_job_t wk_job_t;

//  What every job of one worker shares; owned by the worker actor.
typedef struct {
    const oa_config_t *config;      //  settings, borrowed
    wk_loop_t *curl;                //  the worker's curl multi
    zsock_t *ledger;                //  DEALER to the ledger, or NULL
    wk_metrics_t *metrics;          //  metric handles
    const char *worker_id;          //  for logs
    size_t body_cap;                //  max bytes of a non-stream upstream body
    size_t event_cap;               //  max bytes of one upstream SSE event
    size_t error_cap;               //  bytes kept of an upstream error body
    long connect_timeout_ms;        //  TCP + TLS connect limit per attempt
    void (*on_finished) (wk_job_t *job, void *arg);     //  job sent its last message
    void *arg;                      //  argument of on_finished
    wk_job_t *flush_queue;          //  jobs with stream bytes for the gateway
                                    //  (wk_stream_flush_queued sends them)
} wk_ctx_t;

//  Creates a job for a RELAY_REQUEST received on gateway (borrowed; replies
//  go there), taking the message.  Caller owns the result.
wk_job_t *
    wk_job_new (wk_ctx_t *ctx, zsock_t *gateway, int gateway_index, oa_msg_t **request_p);

//  Destroys a job; aborts its transfer if one still runs.  Nulls *self_p.
void
    wk_job_destroy (wk_job_t **self_p);

//  Starts the first attempt.  The job may finish at once (no usable
//  candidate), calling on_finished before this returns.
void
    wk_job_start (wk_job_t *self);

//  Aborts the job (RELAY_CANCEL, gateway lost, shutdown): closes the
//  upstream transfer, answers RELAY_ERROR and reports usage so far.  No-op
//  on a finished job.  Never call from a curl callback.
void
    wk_job_cancel (wk_job_t *self, const char *reason);

//  Enforces the first-byte, idle and deadline limits; now_ms is the
//  monotonic clock.  Never call from a curl callback.
void
    wk_job_tick (wk_job_t *self, int64_t now_ms);

//  True if wk_job_tick would act on the job at now_ms (a limit passed);
//  changes nothing, so a caller may ask while walking the job table.
bool
    wk_job_tick_due (wk_job_t *self, int64_t now_ms);

//  Ends the job at once with a RELAY_ERROR of this status and message,
//  without touching upstream (refused work: draining, over capacity).
void
    wk_job_refuse (wk_job_t *self, int status, const char *message, bool retryable);

//  Sends the stream bytes every job collected during the last batch of curl
//  work, one RELAY_DATA per job: the worker's idle hook calls it after each
//  batch, so bytes wait microseconds, and the events an upstream read
//  delivered together (curl calls the write callback once per HTTP chunk)
//  cross to the gateway as one message instead of one per event.
void
    wk_stream_flush_queued (wk_ctx_t *ctx);

//  wk_loop's done callback for every job's transfer (arg is the job).
void
    wk_job_transfer_done (CURL *easy, CURLcode result, void *arg);

//  True once the job sent its RELAY_END or RELAY_ERROR.
bool
    wk_job_finished (wk_job_t *self);

//  The gateway index the job answers to.
int
    wk_job_gateway (wk_job_t *self);

//  The table key of a job: "<gateway index>:<corr_id>".
const char *
    wk_job_key (wk_job_t *self);

#endif
