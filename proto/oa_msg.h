//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg - the messages between roles: gateway, worker and ledger

    @header
    One class for every message of the protocol, generated from
    proto/schema/oa_msg.xml. A message is a routing id (ROUTER side),
    ONE msgpack body frame [version, id, corr_id, deadline, {key:
    value}] and, for some messages, ONE raw payload frame that is never
    re-encoded. Decoders skip unknown keys, so roles of different
    versions run side by side, and answer OA_MSG_MALFORMED, never an
    assert, to bad bytes.

    @discuss
    Accessors: every field has a typed getter and setter, shared by all
    messages that carry a field of that name (the per-group headers
    oa_msg_<group>.h declare them). Setting a field the message does not
    carry is harmless: it is not encoded. Texts read as "" when unset.

    Messages (id, first line of their description):

    RELAY_REQUEST        1  Gateway to worker: relay one client request
    RELAY_HEAD           2  Worker to gateway: the response line and headers,
                            sent once the worker commits to a channel's answer
    RELAY_DATA           3  Worker to gateway: the next bytes of the response
                            body, already in the client's format; the bytes
                            are the payload frame
    RELAY_END            4  Worker to gateway: the response is complete
    RELAY_ERROR          5  Worker to gateway: the request failed
    RELAY_CANCEL         6  Gateway to worker: stop the request with this
                            corr_id (client gone, deadline passed, shutdown)
    WORKER_READY        10  Worker to gateway, on connect and reconnect:
                            announces the worker and its initial credit
    WORKER_CREDIT       11  Worker to gateway: more requests may be sent
                            (credit-based flow control)
    HEARTBEAT           12  Any role to its peers, both ways, every second or
                            so: a peer silent for a few intervals is dead and
                            its in-flight requests fail fast
    USAGE               20  Worker to ledger: settle one finished request
    USAGE_ACK           21  Ledger to worker: these USAGE messages are
                            durable; drop them from the journal
    RESERVE             22  Gateway to ledger: hold an estimate of a request's
                            cost against the user's and token's quota before
                            relaying it
    RESERVE_REPLY       23  Ledger to gateway: the reservation's outcome
    SNAPSHOT_REQUEST    30  Gateway to ledger, at start or after a gap in
                            CHANGE seq: send the hot state (tokens, users,
                            channels, abilities, options) as chunks
    SNAPSHOT_CHUNK      31  Ledger to gateway: part of a snapshot
    CHANGE              32  Ledger to gateways (PUB): one committed change to
                            hot state
    API_REQUEST         40  Gateway to ledger: one management API request,
                            after the gateway's own rate limits
    API_REPLY           41  Ledger to gateway: the management API's answer,
                            sent to the client as is

    =========================================================================
*/

#ifndef OA_MSG_H_INCLUDED
#define OA_MSG_H_INCLUDED

#include <czmq.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Protocol version this code speaks, and the oldest it accepts
#define OA_MSG_VERSION      1
#define OA_MSG_VERSION_MIN  1

//  A body frame is at most 4 MiB and 16384 msgpack objects nested at most 8 deep, so decoding
//  one costs bounded memory whatever its sender does; the generator checks that the largest
//  valid message of every kind fits. The payload frame (a request body, an upload, a snapshot
//  chunk) is at most 64 MiB.
#define OA_MSG_FRAME_MAX    4194304     //  bytes in a body frame
#define OA_MSG_PAYLOAD_MAX  67108864    //  bytes in a payload frame
#define OA_MSG_OBJECTS_MAX  16384       //  msgpack objects in a body frame
#define OA_MSG_DEPTH_MAX    8           //  nesting in a body frame

//  Results in *err of decode and recv
#define OA_MSG_OK           0   //  a message was returned
#define OA_MSG_ERROR       -1   //  no message: see errno
#define OA_MSG_MALFORMED   -2   //  bytes that are not a valid message: count, drop

//  Flags of send and recv
#define OA_MSG_DONTWAIT     1   //  fail with EAGAIN instead of blocking

//  Message ids
#define OA_MSG_RELAY_REQUEST            1
#define OA_MSG_RELAY_HEAD               2
#define OA_MSG_RELAY_DATA               3
#define OA_MSG_RELAY_END                4
#define OA_MSG_RELAY_ERROR              5
#define OA_MSG_RELAY_CANCEL             6
#define OA_MSG_WORKER_READY            10
#define OA_MSG_WORKER_CREDIT           11
#define OA_MSG_HEARTBEAT               12
#define OA_MSG_USAGE                   20
#define OA_MSG_USAGE_ACK               21
#define OA_MSG_RESERVE                 22
#define OA_MSG_RESERVE_REPLY           23
#define OA_MSG_SNAPSHOT_REQUEST        30
#define OA_MSG_SNAPSHOT_CHUNK          31
#define OA_MSG_CHANGE                  32
#define OA_MSG_API_REQUEST             40
#define OA_MSG_API_REPLY               41

//  format values: API surface of a request, as the client spoke it (client_format) or as the
//  worker spoke it upstream (upstream_format).
#define OA_MSG_FORMAT_UNKNOWN                 0  //  Not known or not applicable
#define OA_MSG_FORMAT_CHAT                    1  //  OpenAI Chat Completions, /v1/chat/completions
#define OA_MSG_FORMAT_COMPLETIONS             2  //  OpenAI legacy Completions, /v1/completions
#define OA_MSG_FORMAT_RESPONSES               3  //  OpenAI Responses, /v1/responses
#define OA_MSG_FORMAT_CLAUDE                  4  //  Anthropic Messages, /v1/messages
#define OA_MSG_FORMAT_EMBEDDINGS              5  //  /v1/embeddings
#define OA_MSG_FORMAT_MODERATIONS             6  //  /v1/moderations
#define OA_MSG_FORMAT_IMAGES_GENERATIONS      7  //  /v1/images/generations
#define OA_MSG_FORMAT_IMAGES_EDITS            8  //  /v1/images/edits (multipart)
#define OA_MSG_FORMAT_AUDIO_SPEECH            9  //  /v1/audio/speech (binary reply)
#define OA_MSG_FORMAT_AUDIO_TRANSCRIPTION    10  //  /v1/audio/transcriptions (multipart)
#define OA_MSG_FORMAT_AUDIO_TRANSLATION      11  //  /v1/audio/translations (multipart)
#define OA_MSG_FORMAT_MODELS                 12  //  /v1/models listing
#define OA_MSG_FORMAT_RERANK                 13  //  /v1/rerank, /v2/rerank
#define OA_MSG_FORMAT_GEMINI                 14  //  Gemini native, /v1beta/models/*
#define OA_MSG_FORMAT_EDITS                  15  //  /v1/edits
#define OA_MSG_FORMAT_PROXY                  16  //  /v1/oneapi/proxy/:channelid/* passthrough
#define OA_MSG_FORMAT_REALTIME               17  //  /v1/realtime
#define OA_MSG_FORMAT_VIDEOS                 18  //  /v1/videos
#define OA_MSG_FORMAT_OCR                    19  //  OCR
#define OA_MSG_FORMAT_VOICE_CLONE            20  //  /v1/voice/clone(s)

//  role values: Which role a process plays; heartbeats carry it.
#define OA_MSG_ROLE_GATEWAY                   1  //  HTTP edge
#define OA_MSG_ROLE_WORKER                    2  //  Relay worker
#define OA_MSG_ROLE_LEDGER                    3  //  Single writer of balances and logs

//  state values: Health a heartbeat reports.
#define OA_MSG_STATE_READY                    1  //  Taking work
#define OA_MSG_STATE_DEGRADED                 2  //  Taking work, but a dependency is failing
#define OA_MSG_STATE_DRAINING                 3  //  Finishing in-flight work, taking none

//  op values: What a CHANGE does to its row.
#define OA_MSG_OP_UPSERT                      1  //  Insert or replace the row
#define OA_MSG_OP_DELETE                      2  //  Remove the row

//  Opaque classes
typedef struct _oa_msg_t oa_msg_t;
typedef struct _oa_msg_candidate_t oa_msg_candidate_t;
struct _oa_wire_struct_t;

//  @interface
//  Creates an empty message of this id, or returns NULL if the id is unknown. Caller owns
//  return value and must destroy it when done.
oa_msg_t *
    oa_msg_new (int id);

//  Creates an empty message addressed back to the sender of request: same routing id,
//  correlation id and deadline. NULL if the id is unknown. Caller owns return value and must
//  destroy it when done.
oa_msg_t *
    oa_msg_new_reply (oa_msg_t *request, int id);

//  Destroys a message and nulls the pointer; safe on NULL.
void
    oa_msg_destroy (oa_msg_t **self_p);

//  Returns a deep copy (payload and routing id included), or NULL for NULL. Caller owns return
//  value and must destroy it when done.
oa_msg_t *
    oa_msg_dup (oa_msg_t *self);

//  Returns the message id, OA_MSG_*.
int
    oa_msg_id (oa_msg_t *self);

//  Returns the name of a message id ("RELAY_REQUEST"), or NULL if unknown.
const char *
    oa_msg_id_name (int id);

//  Returns the name of the message.
const char *
    oa_msg_command (oa_msg_t *self);

//  Returns the protocol version the sender spoke (OA_MSG_VERSION if built here).
int
    oa_msg_version (oa_msg_t *self);

//  Returns the correlation id, which replies copy from their request.
uint64_t
    oa_msg_corr_id (oa_msg_t *self);

//  Sets the correlation id.
void
    oa_msg_set_corr_id (oa_msg_t *self, uint64_t corr_id);

//  Returns the deadline, absolute epoch ms, 0 = none.
uint64_t
    oa_msg_deadline (oa_msg_t *self);

//  Sets the deadline, absolute epoch ms, 0 = none.
void
    oa_msg_set_deadline (oa_msg_t *self, uint64_t deadline);

//  Returns the peer's routing id (set by recv on a ROUTER socket), borrowed, or NULL.
zframe_t *
    oa_msg_routing_id (oa_msg_t *self);

//  Sets the routing id that send uses on a ROUTER socket to a copy of routing_id; NULL clears
//  it.
void
    oa_msg_set_routing_id (oa_msg_t *self, zframe_t *routing_id);

//  Returns the raw payload frame, borrowed, or NULL if there is none.
zframe_t *
    oa_msg_payload (oa_msg_t *self);

//  Takes the payload frame out of the message. Caller owns return value and must destroy it
//  when done.
zframe_t *
    oa_msg_get_payload (oa_msg_t *self);

//  Sets the payload frame, taking ownership of it without copying its bytes; NULL clears it.
void
    oa_msg_set_payload (oa_msg_t *self, zframe_t **payload_p);

//  Sets the payload to a copy of size bytes at data.
void
    oa_msg_set_payload_bytes (oa_msg_t *self, const void *data, size_t size);

//  Appends the body frame and, if set, a copy of the payload frame to msg (routing frames are
//  the caller's). Returns 0, or -1 with errno EMSGSIZE (a value over its max, or the payload
//  over OA_MSG_PAYLOAD_MAX) or EINVAL (a payload on a message that takes none, or none where
//  one is required).
int
    oa_msg_encode (oa_msg_t *self, zmsg_t *msg);

//  Decodes a body frame and an optional payload frame, with no routing frames, and destroys the
//  zmsg. Returns the message, or NULL with *err = OA_MSG_MALFORMED for anything that is not a
//  valid message: unknown id or version, wrong type, over a limit, missing field or payload,
//  extra frames. err may be NULL. Caller owns return value and must destroy it when done.
oa_msg_t *
    oa_msg_decode (zmsg_t **msg_p, int *err);

//  Decodes a body frame alone, without the payload rules of oa_msg_decode. Returns NULL with
//  *err = OA_MSG_MALFORMED if it is not valid. Caller owns return value and must destroy it
//  when done.
oa_msg_t *
    oa_msg_decode_body (const void *data, size_t size, int *err);

//  Sends the message on a socket: on a ROUTER, to its routing id. The message stays the
//  caller's; the payload goes without copying its bytes. flags: 0 or OA_MSG_DONTWAIT. Returns
//  0, or -1 with errno: EAGAIN (queue full, DONTWAIT), EHOSTUNREACH (unknown peer on a
//  mandatory ROUTER), EINVAL (no routing id on a ROUTER, or as encode), EMSGSIZE (as encode).
int
    oa_msg_send (oa_msg_t *self, void *dest, int flags);

//  Receives one whole message from a socket; on a ROUTER, keeps its routing id for replies.
//  flags: 0 or OA_MSG_DONTWAIT. Returns the message, or NULL with *err = OA_MSG_ERROR (errno
//  EAGAIN: nothing queued, EINTR, ETERM) or OA_MSG_MALFORMED (the bad message was consumed).
//  Caller owns return value and must destroy it when done.
oa_msg_t *
    oa_msg_recv (void *source, int flags, int *err);

//  Logs the message to the zsys log, one field per line; secrets are masked.
void
    oa_msg_print (oa_msg_t *self);

//  Returns the field table of a message id (see oa_wire.h), or NULL.
const struct _oa_wire_struct_t *
    oa_msg_layout (int id);

//  Returns a message filled with the schema's <test> values, for tests, fuzz seeds and
//  examples, or NULL if the id is unknown. Caller owns return value and must destroy it when
//  done.
oa_msg_t *
    oa_msg_sample (int id);

//  Returns true if every field, through its typed getter, holds its <test> value.
bool
    oa_msg_sample_verify (oa_msg_t *self);

//  Returns the body frame of oa_msg_sample (id) as the generator encoded it independently, and
//  its size; NULL if the id is unknown.
const uint8_t *
    oa_msg_sample_golden (int id, size_t *size);

//  Self test of this class.
void
    oa_msg_test (bool verbose);

//  Returns the name of a format value, or NULL if it has none.
const char *
    oa_msg_format_name (int value);

//  Returns the name of a role value, or NULL if it has none.
const char *
    oa_msg_role_name (int value);

//  Returns the name of a state value, or NULL if it has none.
const char *
    oa_msg_state_name (int value);

//  Returns the name of a op value, or NULL if it has none.
const char *
    oa_msg_op_name (int value);

//  Creates an empty candidate. Caller owns return value and must destroy it when done.
oa_msg_candidate_t *
    oa_msg_candidate_new (void);

//  Destroys a candidate and nulls the pointer; safe on NULL.
void
    oa_msg_candidate_destroy (oa_msg_candidate_t **self_p);

//  Returns a deep copy, or NULL for NULL. Caller owns return value and must destroy it when
//  done.
oa_msg_candidate_t *
    oa_msg_candidate_dup (oa_msg_candidate_t *self);

//  Returns the field table of candidate (see oa_wire.h).
const struct _oa_wire_struct_t *
    oa_msg_candidate_layout (void);

//  @end

#ifdef __cplusplus
}
#endif

//  Accessors, by message group and nested struct
#include "oa_msg_relay.h"
#include "oa_msg_control.h"
#include "oa_msg_ledger.h"
#include "oa_msg_snapshot.h"
#include "oa_msg_api.h"
#include "oa_msg_candidate.h"

#endif
