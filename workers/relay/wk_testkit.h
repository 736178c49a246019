/*  =========================================================================
    wk_testkit - test helpers for the relay worker: the oa-mock upstream as
    a child process, a ROUTER playing the gateway, and reply collection

    Only tests use this.
    =========================================================================
*/
#ifndef WK_TESTKIT_H_INCLUDED
#define WK_TESTKIT_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include <sys/types.h>
#include "oa_config.h"
#include "oa_msg.h"

//  A running oa-mock.
typedef struct {
    pid_t pid;                  //  child process
    int port;                   //  its port
    char base [64];             //  "http://127.0.0.1:<port>"
} wk_mock_t;

//  Starts oa-mock (found next to the running test binary).  Returns 0 or -1.
int
    wk_mock_start (wk_mock_t *mock);

//  Stops the mock and waits for it.
void
    wk_mock_stop (wk_mock_t *mock);

//  GET /_mock/stats; caller decrefs.  NULL on failure.
json_t *
    wk_mock_stats (wk_mock_t *mock);

//  A ROUTER playing the gateway (or the ledger) for one worker.
typedef struct {
    zsock_t *router;            //  bound socket
    char endpoint [64];         //  where the worker connects
    zframe_t *peer;             //  routing id of the worker, once seen
    bool beat;                  //  send HEARTBEATs while receiving
    int64_t last_beat_ms;       //  when we last sent one
    size_t readies;             //  WORKER_READY messages seen
    size_t credits_zero;        //  WORKER_CREDIT 0 messages seen
    size_t heartbeats;          //  HEARTBEATs seen from the worker
} wk_fakegw_t;

//  Binds a ROUTER on loopback.  Caller owns the result.
wk_fakegw_t *
    wk_fakegw_new (void);

//  Destroys it; nulls *self_p.
void
    wk_fakegw_destroy (wk_fakegw_t **self_p);

//  Waits for the worker's WORKER_READY, then says hello.  Returns 0 or -1.
int
    wk_fakegw_wait_ready (wk_fakegw_t *self, int timeout_ms);

//  Sends a message to the worker; takes it.  Returns 0 or -1.
int
    wk_fakegw_send (wk_fakegw_t *self, oa_msg_t **msg_p);

//  Receives the next relay reply (HEAD, DATA, END, ERROR) or USAGE,
//  counting and skipping liveness messages, and heartbeating while it
//  waits when beat is set.  NULL on timeout.
oa_msg_t *
    wk_fakegw_recv (wk_fakegw_t *self, int timeout_ms);

//  One request's replies, gathered.
typedef struct {
    int head_status;            //  RELAY_HEAD status, 0 none
    char content_type [96];     //  RELAY_HEAD content type
    char *data;                 //  RELAY_DATA payloads concatenated, NUL-terminated
    size_t size;                //  bytes at data
    int chunks;                 //  RELAY_DATA messages
    int64_t first_data_ms;      //  monotonic arrival of the first RELAY_DATA
    int64_t end_ms;             //  monotonic arrival of END or ERROR
    oa_msg_t *last;             //  the RELAY_END or RELAY_ERROR (owned)
} wk_reply_t;

//  Adds one reply message to r (takes it).  Returns true when it was the last.
bool
    wk_reply_add (wk_reply_t *r, oa_msg_t **msg_p);

//  Frees what r holds and zeroes it.
void
    wk_reply_clear (wk_reply_t *r);

//  Sends a request (taken) through the fake gateway and gathers its replies
//  into r; asserts on a reply for another request or after timeout_ms.
void
    wk_fakegw_exchange (wk_fakegw_t *self, oa_msg_t **request_p, wk_reply_t *r, int timeout_ms);

//  Builds a chat-style RELAY_REQUEST with the usual test identity.
oa_msg_t *
    wk_test_request (uint64_t corr_id, const char *path, const char *body, bool stream,
                     bool include_usage);

//  Appends a candidate to a RELAY_REQUEST.
void
    wk_test_candidate (oa_msg_t *request, uint64_t channel_id, int type, const char *base,
                       const char *upstream_model, int64_t priority);

//  A test bench: mock upstream, gateway, ledger, one worker.
typedef struct {
    wk_mock_t mock;             //  the upstream
    wk_fakegw_t *gateway;       //  the worker's gateway
    wk_fakegw_t *ledger;        //  the worker's ledger
    oa_config_t *config;        //  settings the worker reads
    void *args;                 //  oa_worker_args_t, owned
    zactor_t *worker;           //  the worker actor
    size_t usage_total;         //  USAGE messages seen
    oa_msg_t *last_usage;       //  the latest USAGE (owned)
} wk_bench_t;

//  Starts mock, gateway, ledger and worker (IDLE_TIMEOUT 5 s).
void
    wk_bench_start (wk_bench_t *bench);

//  Stops everything and frees what the bench holds.
void
    wk_bench_stop (wk_bench_t *bench);

//  Sends a request and gathers its replies into r (asserts on timeout).
void
    wk_bench_exchange (wk_bench_t *bench, oa_msg_t **request_p, wk_reply_t *r, int timeout_ms);

//  Waits until expect USAGE messages arrived in total, or timeout_ms.
void
    wk_bench_usage (wk_bench_t *bench, size_t expect, int timeout_ms);

//  The last request the mock saw on a route: "body", "target" or a
//  header name.  Fresh string or NULL.
char *
    wk_bench_mock_last (wk_bench_t *bench, const char *route, const char *what);

//  Points config at a fresh temporary journal directory (tests).
void
    wk_test_private_spool (oa_config_t *config);

//  Removes the directory wk_test_private_spool made.
void
    wk_test_remove_spool (oa_config_t *config);

#endif
