//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_control - accessors of the control messages

    Flow control and liveness between roles.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.
    =========================================================================
*/

#include "oa_msg_private.h"

//  --------------------------------------------------------------------------
//  worker_id: Stable worker identity (host and pid), for logs and metrics

const char *
oa_msg_worker_id (oa_msg_t *self)
{
    assert (self);
    return self->worker_id? self->worker_id: "";
}

void
oa_msg_set_worker_id (oa_msg_t *self, const char *worker_id)
{
    assert (self);
    s_text_set (&self->worker_id, worker_id);
}

//  --------------------------------------------------------------------------
//  capacity: Concurrent requests it accepts: the gateway's initial credit

uint32_t
oa_msg_capacity (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->capacity;
}

void
oa_msg_set_capacity (oa_msg_t *self, uint32_t capacity)
{
    assert (self);
    self->capacity = capacity;
}

//  --------------------------------------------------------------------------
//  software_version: Software version, to spot mixed versions during upgrades

const char *
oa_msg_software_version (oa_msg_t *self)
{
    assert (self);
    return self->software_version? self->software_version: "";
}

void
oa_msg_set_software_version (oa_msg_t *self, const char *software_version)
{
    assert (self);
    s_text_set (&self->software_version, software_version);
}

//  --------------------------------------------------------------------------
//  credit: Requests added to the gateway's allowance

uint32_t
oa_msg_credit (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->credit;
}

void
oa_msg_set_credit (oa_msg_t *self, uint32_t credit)
{
    assert (self);
    self->credit = credit;
}

//  --------------------------------------------------------------------------
//  sender_id: Sender's identity

const char *
oa_msg_sender_id (oa_msg_t *self)
{
    assert (self);
    return self->sender_id? self->sender_id: "";
}

void
oa_msg_set_sender_id (oa_msg_t *self, const char *sender_id)
{
    assert (self);
    s_text_set (&self->sender_id, sender_id);
}

//  --------------------------------------------------------------------------
//  role: Sender's role

uint8_t
oa_msg_role (oa_msg_t *self)
{
    assert (self);
    return (uint8_t) self->role;
}

void
oa_msg_set_role (oa_msg_t *self, uint8_t role)
{
    assert (self);
    self->role = role;
}

//  --------------------------------------------------------------------------
//  inflight: Requests the sender has in flight

uint32_t
oa_msg_inflight (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->inflight;
}

void
oa_msg_set_inflight (oa_msg_t *self, uint32_t inflight)
{
    assert (self);
    self->inflight = inflight;
}

//  --------------------------------------------------------------------------
//  ts_ms: Sender's clock, epoch ms, to spot skew

uint64_t
oa_msg_ts_ms (oa_msg_t *self)
{
    assert (self);
    return self->ts_ms;
}

void
oa_msg_set_ts_ms (oa_msg_t *self, uint64_t ts_ms)
{
    assert (self);
    self->ts_ms = ts_ms;
}

//  --------------------------------------------------------------------------
//  state: Sender's health

uint8_t
oa_msg_state (oa_msg_t *self)
{
    assert (self);
    return (uint8_t) self->state;
}

void
oa_msg_set_state (oa_msg_t *self, uint8_t state)
{
    assert (self);
    self->state = state;
}
