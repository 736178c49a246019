//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_control - accessors of the control messages

    Flow control and liveness between roles.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.

    Part of the oa_msg class; include oa_msg.h, which includes this.
    =========================================================================
*/

#ifndef OA_MSG_CONTROL_H_INCLUDED
#define OA_MSG_CONTROL_H_INCLUDED

#include "oa_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Returns worker_id, "" when unset: Stable worker identity (host and pid), for logs and
//  metrics (WORKER_READY)
const char *
    oa_msg_worker_id (oa_msg_t *self);

//  Sets worker_id to a copy of the text; NULL clears it.
void
    oa_msg_set_worker_id (oa_msg_t *self, const char *worker_id);

//  Returns capacity: Concurrent requests it accepts: the gateway's initial credit
//  (WORKER_READY)
uint32_t
    oa_msg_capacity (oa_msg_t *self);

//  Sets capacity.
void
    oa_msg_set_capacity (oa_msg_t *self, uint32_t capacity);

//  Returns software_version, "" when unset: Software version, to spot mixed versions during
//  upgrades (WORKER_READY)
const char *
    oa_msg_software_version (oa_msg_t *self);

//  Sets software_version to a copy of the text; NULL clears it.
void
    oa_msg_set_software_version (oa_msg_t *self, const char *software_version);

//  Returns credit: Requests added to the gateway's allowance (WORKER_CREDIT)
uint32_t
    oa_msg_credit (oa_msg_t *self);

//  Sets credit.
void
    oa_msg_set_credit (oa_msg_t *self, uint32_t credit);

//  Returns sender_id, "" when unset: Sender's identity (HEARTBEAT)
const char *
    oa_msg_sender_id (oa_msg_t *self);

//  Sets sender_id to a copy of the text; NULL clears it.
void
    oa_msg_set_sender_id (oa_msg_t *self, const char *sender_id);

//  Returns role: Sender's role (HEARTBEAT)
uint8_t
    oa_msg_role (oa_msg_t *self);

//  Sets role.
void
    oa_msg_set_role (oa_msg_t *self, uint8_t role);

//  Returns inflight: Requests the sender has in flight (HEARTBEAT)
uint32_t
    oa_msg_inflight (oa_msg_t *self);

//  Sets inflight.
void
    oa_msg_set_inflight (oa_msg_t *self, uint32_t inflight);

//  Returns ts_ms: Sender's clock, epoch ms, to spot skew (HEARTBEAT)
uint64_t
    oa_msg_ts_ms (oa_msg_t *self);

//  Sets ts_ms.
void
    oa_msg_set_ts_ms (oa_msg_t *self, uint64_t ts_ms);

//  Returns state: Sender's health (HEARTBEAT)
uint8_t
    oa_msg_state (oa_msg_t *self);

//  Sets state.
void
    oa_msg_set_state (oa_msg_t *self, uint8_t state);

#ifdef __cplusplus
}
#endif

#endif
