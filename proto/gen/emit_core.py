"""emit_core - writes oa_msg.h, oa_msg_private.h and oa_msg.c.

The core of the class: ids, enums and limits; the structs behind the
opaque types; the field tables (layouts) that oa_wire encodes and decodes
from; lifecycle, codec and socket glue, and printing.
"""

import os
import textwrap

from emit_c import RULE, banner, comment, decl, func, member, write
from schema import PAYLOAD, SCALARS, SIZED


def summary(doc):
    """The first sentence of a description."""
    return doc.split('. ')[0].rstrip('.')


def slot_type(field):
    return SCALARS[field.type][1] if field.type in SCALARS else SIZED[field.type][0]


def wire_type(field):
    return SCALARS[field.type][2] if field.type in SCALARS else SIZED[field.type][1]


#  The public API of the core, in header order: (return, name, args, doc)
CORE_API = [
    ('oa_msg_t *', 'oa_msg_new', 'int id',
     'Creates an empty message of this id, or returns NULL if the id is unknown. '
     'Caller owns return value and must destroy it when done.'),
    ('oa_msg_t *', 'oa_msg_new_reply', 'oa_msg_t *request, int id',
     'Creates an empty message addressed back to the sender of request: same '
     'routing id, correlation id and deadline. NULL if the id is unknown. '
     'Caller owns return value and must destroy it when done.'),
    ('void', 'oa_msg_destroy', 'oa_msg_t **self_p',
     'Destroys a message and nulls the pointer; safe on NULL.'),
    ('oa_msg_t *', 'oa_msg_dup', 'oa_msg_t *self',
     'Returns a deep copy (payload and routing id included), or NULL for NULL. '
     'Caller owns return value and must destroy it when done.'),
    ('int', 'oa_msg_id', 'oa_msg_t *self', 'Returns the message id, OA_MSG_*.'),
    ('const char *', 'oa_msg_id_name', 'int id',
     'Returns the name of a message id ("RELAY_REQUEST"), or NULL if unknown.'),
    ('const char *', 'oa_msg_command', 'oa_msg_t *self', 'Returns the name of the message.'),
    ('int', 'oa_msg_version', 'oa_msg_t *self',
     'Returns the protocol version the sender spoke (OA_MSG_VERSION if built here).'),
    ('uint64_t', 'oa_msg_corr_id', 'oa_msg_t *self',
     'Returns the correlation id, which replies copy from their request.'),
    ('void', 'oa_msg_set_corr_id', 'oa_msg_t *self, uint64_t corr_id',
     'Sets the correlation id.'),
    ('uint64_t', 'oa_msg_deadline', 'oa_msg_t *self',
     'Returns the deadline, absolute epoch ms, 0 = none.'),
    ('void', 'oa_msg_set_deadline', 'oa_msg_t *self, uint64_t deadline',
     'Sets the deadline, absolute epoch ms, 0 = none.'),
    ('zframe_t *', 'oa_msg_routing_id', 'oa_msg_t *self',
     'Returns the peer\'s routing id (set by recv on a ROUTER socket), borrowed, '
     'or NULL.'),
    ('void', 'oa_msg_set_routing_id', 'oa_msg_t *self, zframe_t *routing_id',
     'Sets the routing id that send uses on a ROUTER socket to a copy of '
     'routing_id; NULL clears it.'),
    ('zframe_t *', 'oa_msg_payload', 'oa_msg_t *self',
     'Returns the raw payload frame, borrowed, or NULL if there is none.'),
    ('zframe_t *', 'oa_msg_get_payload', 'oa_msg_t *self',
     'Takes the payload frame out of the message. Caller owns return value and '
     'must destroy it when done.'),
    ('void', 'oa_msg_set_payload', 'oa_msg_t *self, zframe_t **payload_p',
     'Sets the payload frame, taking ownership of it without copying its bytes; '
     'NULL clears it.'),
    ('void', 'oa_msg_set_payload_bytes', 'oa_msg_t *self, const void *data, size_t size',
     'Sets the payload to a copy of size bytes at data.'),
    ('int', 'oa_msg_encode', 'oa_msg_t *self, zmsg_t *msg',
     'Appends the body frame and, if set, a copy of the payload frame to msg '
     '(routing frames are the caller\'s). Returns 0, or -1 with errno EMSGSIZE '
     '(a value over its max, or the payload over OA_MSG_PAYLOAD_MAX) or EINVAL (a '
     'payload on a message that takes none, or none where one is required).'),
    ('oa_msg_t *', 'oa_msg_decode', 'zmsg_t **msg_p, int *err',
     'Decodes a body frame and an optional payload frame, with no routing frames, '
     'and destroys the zmsg. Returns the message, or NULL with *err = '
     'OA_MSG_MALFORMED for anything that is not a valid message: unknown id or '
     'version, wrong type, over a limit, missing field or payload, extra frames. '
     'err may be NULL. Caller owns return value and must destroy it when done.'),
    ('oa_msg_t *', 'oa_msg_decode_body', 'const void *data, size_t size, int *err',
     'Decodes a body frame alone, without the payload rules of oa_msg_decode. '
     'Returns NULL with *err = OA_MSG_MALFORMED if it is not valid. Caller owns '
     'return value and must destroy it when done.'),
    ('int', 'oa_msg_send', 'oa_msg_t *self, void *dest, int flags',
     'Sends the message on a socket: on a ROUTER, to its routing id. The message '
     'stays the caller\'s; the payload goes without copying its bytes. flags: 0 or '
     'OA_MSG_DONTWAIT. Returns 0, or -1 with errno: EAGAIN (queue full, '
     'DONTWAIT), EHOSTUNREACH (unknown peer on a mandatory ROUTER), EINVAL (no '
     'routing id on a ROUTER, or as encode), EMSGSIZE (as encode).'),
    ('oa_msg_t *', 'oa_msg_recv', 'void *source, int flags, int *err',
     'Receives one whole message from a socket; on a ROUTER, keeps its routing id '
     'for replies. flags: 0 or OA_MSG_DONTWAIT. Returns the message, or NULL with '
     '*err = OA_MSG_ERROR (errno EAGAIN: nothing queued, EINTR, ETERM) or '
     'OA_MSG_MALFORMED (the bad message was consumed). Caller owns return value '
     'and must destroy it when done.'),
    ('void', 'oa_msg_print', 'oa_msg_t *self',
     'Logs the message to the zsys log, one field per line; secrets are masked.'),
    ('const struct _oa_wire_struct_t *', 'oa_msg_layout', 'int id',
     'Returns the field table of a message id (see oa_wire.h), or NULL.'),
    ('oa_msg_t *', 'oa_msg_sample', 'int id',
     'Returns a message filled with the schema\'s <test> values, for tests, fuzz '
     'seeds and examples, or NULL if the id is unknown. Caller owns return value '
     'and must destroy it when done.'),
    ('bool', 'oa_msg_sample_verify', 'oa_msg_t *self',
     'Returns true if every field, through its typed getter, holds its <test> '
     'value.'),
    ('const uint8_t *', 'oa_msg_sample_golden', 'int id, size_t *size',
     'Returns the body frame of oa_msg_sample (id) as the generator encoded it '
     'independently, and its size; NULL if the id is unknown.'),
    ('void', 'oa_msg_test', 'bool verbose', 'Self test of this class.'),
]


def write_header(proto, out):
    messages = []
    for m in proto.messages:
        lines = textwrap.wrap(summary(m.doc), 50)
        messages += ['%-18s %3d  %s' % (m.upper, m.id, lines[0])]
        messages += [' ' * 24 + line for line in lines[1:]]
    h = banner('oa_msg - the messages between roles: gateway, worker and ledger', [
        '@header',
        'One class for every message of the protocol, generated from '
        'proto/schema/oa_msg.xml. A message is a routing id (ROUTER side), ONE '
        'msgpack body frame [version, id, corr_id, deadline, {key: value}] and, '
        'for some messages, ONE raw payload frame that is never re-encoded. '
        'Decoders skip unknown keys, so roles of different versions run side by '
        'side, and answer OA_MSG_MALFORMED, never an assert, to bad bytes.',
        '@discuss',
        'Accessors: every field has a typed getter and setter, shared by all '
        'messages that carry a field of that name (the per-group headers '
        'oa_msg_<group>.h declare them). Setting a field the message does not '
        'carry is harmless: it is not encoded. Texts read as "" when unset.',
        'Messages (id, first line of their description):',
        messages,
        '@end'])
    h += ['#ifndef OA_MSG_H_INCLUDED', '#define OA_MSG_H_INCLUDED', '',
          '#include <czmq.h>', '', '#ifdef __cplusplus', 'extern "C" {', '#endif', '',
          '//  Protocol version this code speaks, and the oldest it accepts',
          '#define OA_MSG_VERSION      %d' % proto.version,
          '#define OA_MSG_VERSION_MIN  %d' % proto.min_version, '']
    h += comment(proto.limits_doc)
    h += ['#define OA_MSG_FRAME_MAX    %-10d  //  bytes in a body frame'
          % proto.limits['frame_max'],
          '#define OA_MSG_PAYLOAD_MAX  %-10d  //  bytes in a payload frame'
          % proto.limits['payload_max'],
          '#define OA_MSG_OBJECTS_MAX  %-10d  //  msgpack objects in a body frame'
          % proto.limits['objects_max'],
          '#define OA_MSG_DEPTH_MAX    %-10d  //  nesting in a body frame'
          % proto.limits['depth_max'], '',
          '//  Results in *err of decode and recv',
          '#define OA_MSG_OK           0   //  a message was returned',
          '#define OA_MSG_ERROR       -1   //  no message: see errno',
          '#define OA_MSG_MALFORMED   -2   //  bytes that are not a valid message: count, drop',
          '', '//  Flags of send and recv',
          '#define OA_MSG_DONTWAIT     1   //  fail with EAGAIN instead of blocking', '',
          '//  Message ids']
    for m in proto.messages:
        h.append('#define OA_MSG_%-22s %3d' % (m.upper, m.id))
    for enum in proto.enums.values():
        h += [''] + comment('%s values: %s' % (enum.name, enum.doc))
        for name, value, doc in enum.values:
            h.append('#define OA_MSG_%-28s %3d  //  %s'
                     % ((enum.name + '_' + name).upper(), value, doc))
    h += ['', '//  Opaque classes', 'typedef struct _oa_msg_t oa_msg_t;']
    for struct in proto.structs.values():
        h.append('typedef struct _oa_msg_%s_t oa_msg_%s_t;' % (struct.name, struct.name))
    h += ['struct _oa_wire_struct_t;', '', '//  @interface']
    for ret, name, args, doc in CORE_API:
        decl(h, ret, name, args, doc)
    for enum in proto.enums.values():
        decl(h, 'const char *', 'oa_msg_%s_name' % enum.name, 'int value',
             'Returns the name of a %s value, or NULL if it has none.' % enum.name)
    for struct in proto.structs.values():
        t = 'oa_msg_%s_t' % struct.name
        decl(h, t + ' *', 'oa_msg_%s_new' % struct.name, 'void',
             'Creates an empty %s. Caller owns return value and must destroy it when '
             'done.' % struct.name)
        decl(h, 'void', 'oa_msg_%s_destroy' % struct.name, '%s **self_p' % t,
             'Destroys a %s and nulls the pointer; safe on NULL.' % struct.name)
        decl(h, t + ' *', 'oa_msg_%s_dup' % struct.name, '%s *self' % t,
             'Returns a deep copy, or NULL for NULL. Caller owns return value and must '
             'destroy it when done.')
        decl(h, 'const struct _oa_wire_struct_t *', 'oa_msg_%s_layout' % struct.name, 'void',
             'Returns the field table of %s (see oa_wire.h).' % struct.name)
    h += ['//  @end', '', '#ifdef __cplusplus', '}', '#endif', '',
          '//  Accessors, by message group and nested struct']
    h += ['#include "oa_msg_%s.h"' % name for name, _ in proto.groups]
    h += ['#include "oa_msg_%s.h"' % name for name in proto.structs]
    h += ['', '#endif']
    write(os.path.join(out, 'oa_msg.h'), h)


def write_private(proto, out):
    p = banner('oa_msg_private - the structs behind the opaque oa_msg types', [
        'Shared by the generated sources of the oa_msg class, never included by '
        'its users. Every value slot has the C type oa_wire expects for its field '
        'type (oa_wire.h), because oa_wire reads and writes them through the '
        'offsets in the layouts.'])
    p += ['#ifndef OA_MSG_PRIVATE_H_INCLUDED', '#define OA_MSG_PRIVATE_H_INCLUDED', '',
          '#include "oa_msg.h"', '#include "oa_wire.h"', '',
          'struct _oa_msg_t {',
          '    int id;                         //  message id, OA_MSG_*',
          '    int version;                    //  protocol version of the sender',
          '    uint64_t corr_id;               //  correlation id, copied into replies',
          '    uint64_t deadline;              //  absolute epoch ms, 0 = none',
          '    zframe_t *routing_id;           //  peer on a ROUTER socket, or NULL',
          '    zframe_t *payload;              //  raw payload frame, or NULL',
          '    //  The fields: the union over all messages, one slot per name']
    for field in proto.fields.values():
        p += member(slot_type(field), field.name, field.doc)
    p += ['};', '']
    for struct in proto.structs.values():
        p += comment(struct.doc)
        p.append('struct _oa_msg_%s_t {' % struct.name)
        for field in struct.fields:
            p += member(slot_type(field), field.name, field.doc)
        p += ['};', '']
    p += ['//  Returns a layout holding every slot of oa_msg_t once, to clear and copy',
          '//  whole messages whatever their id',
          'const oa_wire_struct_t *', '    oa_msg_union_layout (void);', '',
          '//  Replaces a text slot with a copy of value (NULL clears it). It copies',
          '//  before it frees, so setting a field to its own value is safe.',
          'static inline void', 's_text_set (char **slot, const char *value)', '{',
          '    char *copy = value? strdup (value): NULL;',
          '    assert (!value || copy);', '    free (*slot);', '    *slot = copy;', '}', '',
          '#endif']
    write(os.path.join(out, 'oa_msg_private.h'), p)


def field_entry(field, owner_type, all_fields):
    """One oa_wire_field_t initialiser, on one line when it fits."""
    nested = '&s_%s_layout' % field.struct.name if field.struct else 'NULL'
    enum = 'oa_msg_%s_name' % field.enum if field.enum else 'NULL'
    head = '{ "%s", %d, %s, %s, %s, %d, %d,' % (
        field.name, 0 if all_fields else field.key, wire_type(field),
        'true' if field.required and not all_fields else 'false',
        'true' if field.secret else 'false', field.max, field.item_max)
    tail = 'offsetof (%s, %s), %s, %s },' % (owner_type, field.name, nested, enum)
    if len(head) + len(tail) + 5 <= 100:
        return ['    %s %s' % (head, tail)]
    return ['    ' + head, '      ' + tail]


def table(name, fields, owner_type, all_fields=False):
    lines = ['static const oa_wire_field_t %s [] = {' % name]
    for field in fields:
        lines += field_entry(field, owner_type, all_fields)
    return lines + ['};', '']


def layout(name, title, message_id, payload, owner_type, fields_name, count):
    return ['static const oa_wire_struct_t %s = {' % name,
            '    "%s", %s, %s,' % (title, message_id, payload),
            '    sizeof (%s), %s, %d' % (owner_type, fields_name, count), '};', '']


def write_layouts(proto, out):
    c = banner('oa_msg_layout - the field tables of every message and nested struct', [
        'What oa_wire encodes and decodes from: for each field its key, type, '
        'limits and the offset of its slot in the C struct; and the names of '
        'message ids and enum values.'])
    c += ['#include "oa_msg_private.h"', '',
          '//  Columns: name, key, type, required, secret, max, item_max, slot,',
          '//  nested layout, enum names', '']
    for struct in proto.structs.values():
        c += comment(struct.doc)
        c += table('s_%s_fields' % struct.name, struct.fields, 'oa_msg_%s_t' % struct.name)
        c += layout('s_%s_layout' % struct.name, struct.name, '0', 'OA_WIRE_PAYLOAD_NONE',
                    'oa_msg_%s_t' % struct.name, 's_%s_fields' % struct.name,
                    len(struct.fields))
    for m in proto.messages:
        c += comment('%s: largest valid body %d bytes, %d objects, depth %d'
                     % (m.upper, m.worst[0], m.worst[1], m.worst[2]))
        c += table('s_%s_fields' % m.name, m.fields, 'oa_msg_t')
        c += layout('s_%s_layout' % m.name, m.upper, 'OA_MSG_' + m.upper, PAYLOAD[m.payload],
                    'oa_msg_t', 's_%s_fields' % m.name, len(m.fields))
    union = list(proto.fields.values())
    c += ['//  Every slot of oa_msg_t once, to clear and copy whole messages']
    c += table('s_union_fields', union, 'oa_msg_t', all_fields=True)
    c += layout('s_union_layout', 'union', '0', 'OA_WIRE_PAYLOAD_NONE', 'oa_msg_t',
                's_union_fields', len(union))
    c += ['', RULE, '//  Lookups', '']
    body = ['switch (id) {']
    body += ['    case OA_MSG_%s: return &s_%s_layout;' % (m.upper, m.name)
             for m in proto.messages]
    func(c, 'const struct _oa_wire_struct_t *', 'oa_msg_layout', 'int id',
         body + ['    default: return NULL;', '}'])
    func(c, 'const oa_wire_struct_t *', 'oa_msg_union_layout', 'void',
         ['return &s_union_layout;'])
    for struct in proto.structs.values():
        func(c, 'const struct _oa_wire_struct_t *', 'oa_msg_%s_layout' % struct.name, 'void',
             ['return &s_%s_layout;' % struct.name])
    body = ['switch (id) {']
    body += ['    case OA_MSG_%s: return "%s";' % (m.upper, m.upper) for m in proto.messages]
    func(c, 'const char *', 'oa_msg_id_name', 'int id',
         body + ['    default: return NULL;', '}'])
    for enum in proto.enums.values():
        body = ['switch (value) {']
        body += ['    case OA_MSG_%s_%s: return "%s";' % (enum.name.upper(), name.upper(), name)
                 for name, _, _ in enum.values]
        func(c, 'const char *', 'oa_msg_%s_name' % enum.name, 'int value',
             body + ['    default: return NULL;', '}'])
    write(os.path.join(out, 'oa_msg_layout.c'), c)


def write_core(proto, out):
    write_header(proto, out)
    write_layouts(proto, out)
    limits = proto.limits
    c = banner('oa_msg - the messages between roles: gateway, worker and ledger', [
        'The class around the field tables (oa_msg_layout.c): lifecycle, the '
        'codec and socket glue, and printing. Encoding and decoding are '
        'oa_wire\'s, hand-written; the accessors are in oa_msg_<group>.c.'])
    c += ['#include <errno.h>', '#include <inttypes.h>', '#include "oa_msg_private.h"', '',
          '//  Frame bounds and accepted versions, from the schema\'s <limits>',
          'static const oa_wire_limits_t s_limits = {',
          '    %d, %d, %d, %d, %d' % (limits['frame_max'], limits['objects_max'],
                                      limits['depth_max'], proto.min_version, proto.version),
          '};', '', '', RULE, '//  Nested structs', '']
    for struct in proto.structs.values():
        t, n = 'oa_msg_%s_t' % struct.name, struct.name
        func(c, t + ' *', 'oa_msg_%s_new' % n, 'void',
             ['%s *self = (%s *) calloc (1, sizeof (%s));' % (t, t, t),
              'assert (self);', 'return self;'])
        func(c, 'void', 'oa_msg_%s_destroy' % n, '%s **self_p' % t,
             ['assert (self_p);', 'if (*self_p) {',
              '    oa_wire_clear (oa_msg_%s_layout (), *self_p);' % n,
              '    free (*self_p);', '    *self_p = NULL;', '}'])
        func(c, t + ' *', 'oa_msg_%s_dup' % n, '%s *self' % t,
             ['if (!self)', '    return NULL;', '%s *copy = oa_msg_%s_new ();' % (t, n),
              'oa_wire_copy (oa_msg_%s_layout (), copy, self);' % n, 'return copy;'])
    c += ['', RULE, '//  Messages', '']
    c += CORE_C
    write(os.path.join(out, 'oa_msg.c'), c)


#  The hand-shaped part of oa_msg.c: the same for every schema
CORE_C = r'''
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
'''.strip('\n').split('\n')
