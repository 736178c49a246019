/*  =========================================================================
    gw_relay_private - what the relay's source files share

    gw_relay.c        routes, request admission, RELAY_REQUEST
    gw_relay_reply.c  the pending request: replies, streaming, cancel,
                      deadline, dispose
    gw_relay_error.c  error bodies in the client's format
    gw_relay_metrics.c  the relay's metric families
    =========================================================================
*/
#ifndef GW_RELAY_PRIVATE_H_INCLUDED
#define GW_RELAY_PRIVATE_H_INCLUDED

#include "gw_bridge.h"
#include "gw_http.h"
#include "gw_relay.h"

#define GW_RELAY_MODEL_MAX 128      //  bytes kept of a model name
#define GW_RELAY_IOV_MAX 32         //  frames handed to one h2o_send

//  A relay route: which client format it speaks and how its model is found.
typedef struct {
    const char *method;             //  "POST", "GET", ...
    const char *pattern;            //  gw_router pattern; also the metrics label
    int format;                     //  OA_MSG_FORMAT_*
    const char *path;               //  path sent to the worker; NULL = the request's
    const char *default_model;      //  one-api's default when the body names none
    bool check_model;               //  one-api's shouldCheckModel: bad body = 400
} gw_relay_route_t;

//  One request waiting on the broker; lives in the request's pool (dispose
//  callback), so a late reply finds nothing to write into.
typedef struct {
    gw_bridge_waiter_t waiter;      //  registered until RELAY_END/ERROR (or cancel)
    h2o_generator_t generator;      //  proceed / stop, once a stream started
    h2o_req_t *req;                 //  the request (valid until dispose)
    gw_bridge_t *bridge;            //  the loop's bridge
    const gw_relay_route_t *route;  //  route served
    h2o_timeout_entry_t deadline;   //  the gateway's own last-resort deadline
    char request_id [OA_REQUEST_ID_SIZE];   //  for error messages
    char model [GW_RELAY_MODEL_MAX];    //  requested model (metrics, suspensions)
    uint64_t channel_id;            //  channel that answered (RELAY_HEAD/END)
    int status;                     //  status sent (or to send) to the client
    bool stream;                    //  the client asked for a stream
    bool streaming;                 //  response started before the end (SSE)
    bool head;                      //  RELAY_HEAD seen
    bool started;                   //  h2o_start_response (or a one-shot reply) done
    bool done;                      //  RELAY_END/ERROR seen: no more data will come
    bool sending;                   //  one h2o_send in flight (wait for proceed)
    bool final;                     //  the final h2o_send is out
    bool client_gone;               //  generator stop: no h2o calls any more
    bool counted;                   //  counted in oneapi_relay_requests_total
    zlist_t *queued;                //  zframe_t * not yet given to h2o
    zlist_t *sent;                  //  zframe_t * given to h2o, freed on proceed
    h2o_iovec_t iov [GW_RELAY_IOV_MAX];     //  the bufs of the send in flight
    int64_t started_us;             //  monotonic, at admission
    uint32_t upstream_ms;           //  RELAY_END: time spent upstream
} gw_relay_pending_t;

//  gw_relay_reply.c: creates the pending state of request in its pool,
//  registers it under corr_id and arms the deadline.
gw_relay_pending_t *
    gw_relay_pending_new (gw_request_t *request, gw_bridge_t *bridge,
                          const gw_relay_route_t *route, uint64_t corr_id, bool stream,
                          const char *model);

//  gw_relay_reply.c: the send failed: forget the pending request (the
//  caller answers the client).
void
    gw_relay_pending_abort (gw_relay_pending_t *self);

//  gw_relay_error.c: sends an error in the client's format.  message
//  gets " (request id: <id>)".  For OpenAI formats, full = false gives
//  one-api's middleware shape {"error":{"message","type"}}, full = true
//  its relay shape {"error":{"message","type","param","code"}}.  Claude
//  gets {"type":"error","error":{"type","message"}} whatever full says.
void
    gw_relay_respond_error (h2o_req_t *req, int format, int status, const char *type,
                            const char *code, const char *message, const char *request_id,
                            bool full);

//  gw_relay_error.c: the same error as one server-sent event of the
//  client's stream (Chat: a data-only {"error":…}; Responses: an "error"
//  event; Claude: an "error" event).  Caller frees the result.
char *
    gw_relay_error_event (int format, int status, const char *type, const char *code,
                          const char *message, const char *request_id);

//  gw_relay_error.c: the Anthropic error type for an HTTP status.
const char *
    gw_relay_anthropic_type (int status);

//  gw_relay_metrics.c
void
    gw_relay_metrics_inflight_add (double delta);
void
    gw_relay_metrics_count (const char *route, const char *model, uint64_t channel_id,
                            int status);
void
    gw_relay_metrics_ttfb (const char *route, double seconds);
void
    gw_relay_metrics_overhead (const char *route, double seconds);

#endif
