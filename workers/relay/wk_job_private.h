/*  =========================================================================
    wk_job_private - the job's state, shared by wk_job.c (attempts, retries,
    messages), wk_stream.c (upstream bytes) and wk_usage.c (USAGE)

    Only files of workers/relay include this.
    =========================================================================
*/
#ifndef WK_JOB_PRIVATE_H_INCLUDED
#define WK_JOB_PRIVATE_H_INCLUDED

#include <curl/curl.h>
#include "wk_job.h"
#include "wk_retry.h"
#include "../adaptor/wk_openai.h"
#include "../sse/oa_sse.h"
#include "../convert/oa_conv.h"
#include "../convert/oa_stream_conv.h"
#include "wk_convert_fetch.h"

struct _wk_job_t {
    wk_ctx_t *ctx;                  //  shared worker state, borrowed
    oa_msg_t *request;              //  the RELAY_REQUEST, owned
    zsock_t *gateway;               //  DEALER replies go to, borrowed
    int gateway_index;              //  its index in the worker
    char key [48];                  //  "<gateway index>:<corr_id>"
    const char *body;               //  client body (request's payload), or NULL
    size_t body_size;               //  bytes at body
    oa_api_format_t client_format;  //  the SSE dialect the client reads
    bool conversational;            //  Chat, Responses, Claude or Gemini client
    json_t *client_json;            //  client body parsed (once) for converters
    wk_convert_fetch_t *fetch;      //  image URLs fetched for inline upstreams, or NULL
    //  Candidates
    size_t candidates;              //  number of candidates
    bool tried [WK_RETRY_MAX_CANDIDATES];   //  attempted already
    int current;                    //  candidate of the running attempt, -1 none
    uint64_t channel_id;            //  channel of the last attempt, 0 none
    int attempts;                   //  attempts started
    int retries;                    //  attempts beyond the first
    zlist_t *failures;              //  "channel_id status" of failed attempts
    //  The running attempt (one at a time)
    CURL *easy;                     //  its handle, NULL between attempts
    bool easy_active;               //  handle is in the multi
    wk_openai_req_t up;             //  URL, headers, rewritten body
    oa_api_format_t upstream_format;    //  what the attempt speaks upstream, 0 unknown
    bool converting;                //  the attempt goes through conv (not byte-preserving)
    oa_conv_t *conv;                //  the attempt's conversion session, when converting
    oa_stream_conv_t *sconv;        //  its stream converter, when converting a stream
    bool sniffed;                   //  first body byte of a converted stream looked at
    bool buf_error;                 //  buf holds an error sent with a 2xx status
    bool unfit;                     //  the attempt's channel cannot serve this request
    long status;                    //  upstream HTTP status, 0 until known
    bool headers_seen;              //  the first body byte (or the end) arrived
    bool sse;                       //  the answer is an event stream
    oa_sse_parser_t *parser;        //  SSE parser of the answer, when sse
    char *buf;                      //  non-stream body or error body
    size_t buf_size;                //  bytes in buf
    size_t buf_max;                 //  bytes allocated at buf
    int local_errno;                //  this process could not open a socket (EMFILE...)
    int abort_status;               //  set when a callback aborted the transfer
    char abort_reason [160];        //  why, when abort_status is set
    int64_t attempt_start_ms;       //  monotonic start of the attempt
    int64_t last_byte_ms;           //  monotonic time of the last upstream byte
    //  Toward the gateway
    oa_sse_writer_t *writer;        //  client-format SSE bytes not yet sent
    bool head_sent;                 //  RELAY_HEAD went out: no retry any more
    bool flush_queued;              //  in ctx->flush_queue
    bool flush_failed;              //  the gateway refused queued bytes
    wk_job_t *flush_next;           //  next in ctx->flush_queue
    uint64_t seq;                   //  next RELAY_DATA seq
    bool done_seen;                 //  upstream sent its terminator
    bool error_seen;                //  upstream sent an in-stream error event
    json_t *usage_tail;             //  choices:[] usage chunk owed to the client
                                    //  before [DONE] (upstream put usage on a
                                    //  content chunk), or NULL
    //  Accounting
    oa_conv_usage_t usage;          //  last usage the upstream reported
    bool usage_seen;                //  usage holds a report
    size_t completion_bytes;        //  generated text bytes, for an estimate
    int64_t recv_wall_ms;           //  wall clock when the request arrived
    int64_t recv_mono_ms;           //  monotonic clock when it arrived
    int64_t deadline_mono_ms;       //  the request's deadline, monotonic; 0 none
    bool stream;                    //  the client asked for a stream
    int64_t first_sent_ms;          //  monotonic time of RELAY_HEAD, 0 none
    int64_t upstream_ms;            //  time spent upstream, all attempts
    int final_status;               //  status of RELAY_END / RELAY_ERROR
    bool finished;                  //  RELAY_END or RELAY_ERROR sent
};

//  wk_stream.c: the write callback of every attempt's easy handle.
size_t
    wk_stream_write (char *data, size_t size, size_t nmemb, void *arg);

//  wk_stream.c: at the end of a stream, dispatches the parser's last event
//  (or finishes the converter) and writes any usage chunk owed, without
//  sending.  Call once per attempt.
void
    wk_stream_finish_events (wk_job_t *self);

//  wk_stream.c: the client-format stream bytes not sent yet; *size gets
//  their length.
const char *
    wk_stream_pending (wk_job_t *self, size_t *size);

//  wk_stream.c: sends the writer's pending bytes as RELAY_DATA, sending
//  RELAY_HEAD first if not yet done.  Returns 0, or -1 on a send failure.
int
    wk_stream_flush (wk_job_t *self);

//  wk_stream.c: sends the job's queued stream bytes now, if it has any, and
//  takes it off the flush queue.  Returns 0, or -1 on a send failure.
int
    wk_stream_flush_job (wk_job_t *self);

//  wk_stream.c: takes a job off the flush queue without sending (it is
//  being destroyed).
void
    wk_stream_unqueue (wk_job_t *self);

//  wk_stream.c: sends RELAY_HEAD (once) with this status and content type.
int
    wk_stream_send_head (wk_job_t *self, int status, const char *content_type);

//  wk_stream.c: parses the non-stream body's usage and counts it.
void
    wk_stream_body_usage (wk_job_t *self);

//  wk_convert.c: builds the upstream request of an attempt on cand into
//  self->up, converting the client's body when the channel speaks another
//  format.  Returns 0, or the status the failure stands for (400: the
//  client's body; 501: the channel cannot serve it) with err set.
int
    wk_convert_attempt (wk_job_t *self, oa_msg_candidate_t *cand, char *err, size_t err_size);

//  wk_convert.c: converts the complete 2xx non-stream body in buf to the
//  client's format in place, recording usage.  Returns 0, or -1 with err.
int
    wk_convert_body (wk_job_t *self, char *err, size_t err_size);

//  wk_convert.c: forgets the previous attempt's conversion state.
void
    wk_convert_reset (wk_job_t *self);

//  wk_stream.c: takes a converted stream's usage (last report wins) from
//  its converter into usage; no-op for other attempts.
void
    wk_stream_take_usage (wk_job_t *self);

//  wk_usage.c: builds and emits this job's USAGE.
void
    wk_usage_report (wk_job_t *self);

//  wk_usage.c: the one place a USAGE leaves the worker; takes the message.
//  Today: a DONTWAIT send to the ledger DEALER.  The journal that keeps
//  USAGE until USAGE_ACK (ONEAPI_SPOOL_DIR) hooks in here.
void
    wk_usage_emit (wk_ctx_t *ctx, oa_msg_t **usage_p);

#endif
