/*  =========================================================================
    gw_relay - the relay routes of the gateway (one-api's router/relay.go)

    POST /v1/chat/completions, /v1/completions, /v1/embeddings,
    /v1/engines/:model/embeddings, /v1/moderations, /v1/edits,
    /v1/images/generations, /v1/images/edits, /v1/audio/speech,
    /v1/audio/transcriptions, /v1/audio/translations, /v1/rerank,
    /v2/rerank, /v1/responses, /v1/messages (and one-api's Claude Code
    rewrites /v1/v1/messages, /openai/v1/messages, /openai/v1/v1/messages,
    /api/v1/v1/messages): authenticate the relay key against the loop's
    replica, read the model (and stream flags) from the body, choose the
    candidate channels, and hand the body to the broker as a RELAY_REQUEST;
    the worker's RELAY_HEAD / DATA / END (or ERROR) become the response,
    streamed with one h2o_send in flight.  The worker converts formats;
    this side only copies bytes.
    GET /v1/models, /v1/models/:model: the user's group's models.
    one-api's 501 "API not implemented" for /v1/files..., /v1/fine_tuning/...,
    /v1/assistants..., /v1/threads..., DELETE /v1/models/:model and
    /v1/images/variations (after authentication, as one-api).

    Errors carry " (request id: <id>)"; /v1/messages answers in
    Anthropic's error shape.  A client that goes away cancels its request
    (RELAY_CANCEL), and so does the gateway's own deadline.
    =========================================================================
*/
#ifndef GW_RELAY_H_INCLUDED
#define GW_RELAY_H_INCLUDED

#include <stdbool.h>

//  Self tests (gw_relay_test.c): a test broker and a test ledger around a
//  real gateway, driven over HTTP.
void
    oa_gw_relay_test (bool verbose);

#endif
