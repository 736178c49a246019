//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg - the messages between roles: gateway, worker and ledger

    The class around the field tables (oa_msg_layout.c): lifecycle, the
    codec and socket glue, and printing. Encoding and decoding are
    oa_wire's, hand-written; the accessors are in oa_msg_<group>.c.
    =========================================================================
*/

#include <errno.h>
#include <inttypes.h>
#include "oa_msg_private.h"

//  Frame bounds and accepted versions, from the schema's <limits>
static const oa_wire_limits_t s_limits = {
    4194304, 16384, 8, 1, 1
};


//  --------------------------------------------------------------------------
//  Nested structs

oa_msg_candidate_t *
oa_msg_candidate_new (void)
{
    oa_msg_candidate_t *self = (oa_msg_candidate_t *) calloc (1, sizeof (oa_msg_candidate_t));
    assert (self);
    return self;
}

void
oa_msg_candidate_destroy (oa_msg_candidate_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        oa_wire_clear (oa_msg_candidate_layout (), *self_p);
        free (*self_p);
        *self_p = NULL;
    }
}

oa_msg_candidate_t *
oa_msg_candidate_dup (oa_msg_candidate_t *self)
{
    if (!self)
        return NULL;
    oa_msg_candidate_t *copy = oa_msg_candidate_new ();
    oa_wire_copy (oa_msg_candidate_layout (), copy, self);
    return copy;
}


//  --------------------------------------------------------------------------
//  Messages

oa_msg_t *
oa_msg_new (int id)
{
    if (!oa_msg_layout (id))
        return NULL;
    oa_msg_t *self = (oa_msg_t *) calloc (1, sizeof (oa_msg_t));
    assert (self);
    self->id = id;
    self->version = OA_MSG_VERSION;
    return self;
}

oa_msg_t *
oa_msg_new_reply (oa_msg_t *request, int id)
{
    assert (request);
    oa_msg_t *self = oa_msg_new (id);
    if (self) {
        self->corr_id = request->corr_id;
        self->deadline = request->deadline;
        self->routing_id = zframe_dup (request->routing_id);
    }
    return self;
}

void
oa_msg_destroy (oa_msg_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        oa_msg_t *self = *self_p;
        oa_wire_clear (oa_msg_union_layout (), self);
        zframe_destroy (&self->routing_id);
        zframe_destroy (&self->payload);
        free (self);
        *self_p = NULL;
    }
}

oa_msg_t *
oa_msg_dup (oa_msg_t *self)
{
    if (!self)
        return NULL;
    oa_msg_t *copy = oa_msg_new (self->id);
    copy->version = self->version;
    copy->corr_id = self->corr_id;
    copy->deadline = self->deadline;
    copy->routing_id = zframe_dup (self->routing_id);
    copy->payload = zframe_dup (self->payload);
    oa_wire_copy (oa_msg_union_layout (), copy, self);
    return copy;
}

int
oa_msg_id (oa_msg_t *self)
{
    assert (self);
    return self->id;
}

const char *
oa_msg_command (oa_msg_t *self)
{
    assert (self);
    return oa_msg_id_name (self->id);
}

int
oa_msg_version (oa_msg_t *self)
{
    assert (self);
    return self->version;
}

uint64_t
oa_msg_corr_id (oa_msg_t *self)
{
    assert (self);
    return self->corr_id;
}

void
oa_msg_set_corr_id (oa_msg_t *self, uint64_t corr_id)
{
    assert (self);
    self->corr_id = corr_id;
}

uint64_t
oa_msg_deadline (oa_msg_t *self)
{
    assert (self);
    return self->deadline;
}

void
oa_msg_set_deadline (oa_msg_t *self, uint64_t deadline)
{
    assert (self);
    self->deadline = deadline;
}

zframe_t *
oa_msg_routing_id (oa_msg_t *self)
{
    assert (self);
    return self->routing_id;
}

void
oa_msg_set_routing_id (oa_msg_t *self, zframe_t *routing_id)
{
    assert (self);
    zframe_destroy (&self->routing_id);
    self->routing_id = zframe_dup (routing_id);
}

zframe_t *
oa_msg_payload (oa_msg_t *self)
{
    assert (self);
    return self->payload;
}

zframe_t *
oa_msg_get_payload (oa_msg_t *self)
{
    assert (self);
    zframe_t *payload = self->payload;
    self->payload = NULL;
    return payload;
}

void
oa_msg_set_payload (oa_msg_t *self, zframe_t **payload_p)
{
    assert (self);
    zframe_destroy (&self->payload);
    if (payload_p) {
        self->payload = *payload_p;
        *payload_p = NULL;
    }
}

void
oa_msg_set_payload_bytes (oa_msg_t *self, const void *data, size_t size)
{
    assert (self);
    assert (data || size == 0);
    zframe_destroy (&self->payload);
    self->payload = zframe_new (data, size);
    assert (self->payload);
}

//  Encodes the body frame after checking the payload rules, or returns
//  NULL with errno set
static zframe_t *
s_encode_body (oa_msg_t *self)
{
    const oa_wire_struct_t *layout = oa_msg_layout (self->id);
    assert (layout);
    if ((self->payload && layout->payload == OA_WIRE_PAYLOAD_NONE)
    ||  (!self->payload && layout->payload == OA_WIRE_PAYLOAD_REQUIRED)) {
        errno = EINVAL;
        return NULL;
    }
    if (self->payload && zframe_size (self->payload) > OA_MSG_PAYLOAD_MAX) {
        errno = EMSGSIZE;
        return NULL;
    }
    oa_wire_header_t header = {
        OA_MSG_VERSION, (uint64_t) self->id, self->corr_id, self->deadline
    };
    return oa_wire_encode (&s_limits, &header, layout, self);
}

int
oa_msg_encode (oa_msg_t *self, zmsg_t *msg)
{
    assert (self);
    assert (msg);
    zframe_t *body = s_encode_body (self);
    if (!body)
        return -1;
    zmsg_append (msg, &body);
    if (self->payload) {
        zframe_t *payload = zframe_dup (self->payload);
        zmsg_append (msg, &payload);
    }
    return 0;
}

oa_msg_t *
oa_msg_decode_body (const void *data, size_t size, int *err)
{
    msgpack_unpacked unpacked;
    msgpack_unpacked_init (&unpacked);
    oa_wire_header_t header;
    const msgpack_object *body;
    oa_msg_t *self = NULL;
    if (oa_wire_parse (&s_limits, data, size, &unpacked, &header, &body) == 0
    &&  header.id <= UINT8_MAX
    &&  (self = oa_msg_new ((int) header.id))) {
        self->version = (int) header.version;
        self->corr_id = header.corr_id;
        self->deadline = header.deadline;
        if (oa_wire_unpack (oa_msg_layout (self->id), body, self))
            oa_msg_destroy (&self);
    }
    msgpack_unpacked_destroy (&unpacked);
    if (err)
        *err = self? OA_MSG_OK: OA_MSG_MALFORMED;
    return self;
}

oa_msg_t *
oa_msg_decode (zmsg_t **msg_p, int *err)
{
    assert (msg_p);
    zmsg_t *msg = *msg_p;
    *msg_p = NULL;
    oa_msg_t *self = NULL;
    size_t frames = msg? zmsg_size (msg): 0;
    if (frames == 1 || frames == 2) {
        zframe_t *body = zmsg_first (msg);
        self = oa_msg_decode_body (zframe_data (body), zframe_size (body), NULL);
    }
    if (self) {
        oa_wire_payload_t rule = oa_msg_layout (self->id)->payload;
        zframe_t *payload = frames == 2? zmsg_last (msg): NULL;
        if (payload
            ? rule == OA_WIRE_PAYLOAD_NONE || zframe_size (payload) > OA_MSG_PAYLOAD_MAX
            : rule == OA_WIRE_PAYLOAD_REQUIRED)
            oa_msg_destroy (&self);
        else
        if (payload) {
            zmsg_remove (msg, payload);
            self->payload = payload;
        }
    }
    zmsg_destroy (&msg);
    if (err)
        *err = self? OA_MSG_OK: OA_MSG_MALFORMED;
    return self;
}

int
oa_msg_send (oa_msg_t *self, void *dest, int flags)
{
    assert (self);
    assert (dest);
    zframe_t *body = s_encode_body (self);
    if (!body)
        return -1;
    return oa_wire_send (dest, self->routing_id, &body, self->payload,
                         (flags & OA_MSG_DONTWAIT) != 0);
}

oa_msg_t *
oa_msg_recv (void *source, int flags, int *err)
{
    assert (source);
    //  Routing id, body, payload: a fourth frame means malformed
    zmsg_t *msg = oa_wire_recv (source, (flags & OA_MSG_DONTWAIT) != 0, 3);
    if (!msg) {
        if (err)
            *err = OA_MSG_ERROR;
        return NULL;
    }
    zframe_t *routing_id = oa_wire_is_router (source)? zmsg_pop (msg): NULL;
    oa_msg_t *self = oa_msg_decode (&msg, err);
    if (self)
        self->routing_id = routing_id;
    else
        zframe_destroy (&routing_id);
    return self;
}

void
oa_msg_print (oa_msg_t *self)
{
    assert (self);
    zsys_debug ("oa_msg: %s (version %d, corr_id %" PRIu64 ", deadline %" PRIu64 ")",
                oa_msg_command (self), self->version, self->corr_id, self->deadline);
    if (self->routing_id) {
        char *hex = zframe_strhex (self->routing_id);
        zsys_debug ("    routing_id=%s", hex);
        free (hex);
    }
    oa_wire_print (oa_msg_layout (self->id), self, "    ");
    if (self->payload)
        zsys_debug ("    payload=[%zu bytes]", zframe_size (self->payload));
}
