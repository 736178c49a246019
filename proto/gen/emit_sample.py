"""emit_sample - writes oa_msg_sample.c: the <test> values as C.

oa_msg_sample (id) builds a message through the typed setters,
oa_msg_sample_verify reads it back through the typed getters, and
oa_msg_sample_golden returns the body frame that this generator encoded on
its own (schema.encode_sample), which the selftest compares with what the
C encoder produces: two independent encoders must agree byte for byte.
"""

import os

from emit_c import RULE, banner, c_number, c_string, func, write
from schema import SCALARS, encode_sample


def setters(prefix, var, fields):
    """Statements that give every field its test value."""
    lines = []
    for field in fields:
        name, value, kind = field.name, field.test, field.type
        if kind in SCALARS:
            lines.append('%s_set_%s (%s, %s);' % (prefix, name, var, c_number(kind, value)))
        elif kind == 'str':
            lines.append('%s_set_%s (%s, %s);' % (prefix, name, var, c_string(value)))
        elif kind == 'bin':
            lines += ['zchunk_t *%s = zchunk_new (%s, %d);' % (name, c_string(value), len(value)),
                      '%s_set_%s (%s, &%s);' % (prefix, name, var, name)]
        elif kind == 'map':
            lines += ['%s_%s_insert (%s, %s, %s);' % (prefix, name, var, c_string(k), c_string(v))
                      for k, v in value]
        elif kind == 'strings':
            lines += ['%s_%s_append (%s, %s);' % (prefix, name, var, c_string(v))
                      for v in value]
        else:
            lines += ['for (int index = 0; index < %d; index++) {' % value,
                      '    oa_msg_%s_t *item = s_%s_sample ();'
                      % (field.struct.name, field.struct.name),
                      '    %s_%s_append (%s, &item);' % (prefix, name, var), '}']
    return lines


def checks(prefix, var, fields):
    """Boolean expressions that hold when every field has its test value."""
    out = []
    for field in fields:
        name, value, kind = field.name, field.test, field.type
        get = '%s_%s (%s)' % (prefix, name, var)
        if kind == 'bool':
            out.append(get)
        elif kind in SCALARS:
            out.append('%s == %s' % (get, c_number(kind, value)))
        elif kind == 'str':
            out.append('streq (%s, %s)' % (get, c_string(value)))
        elif kind == 'bin':
            out.append('s_chunk_is (%s, %s, %d)' % (get, c_string(value), len(value)))
        elif kind == 'map':
            out.append('s_map_size_is (%s, %d)' % (get, len(value)))
            out += ['s_text_is (%s_%s_lookup (%s, %s), %s)'
                    % (prefix, name, var, c_string(k), c_string(v)) for k, v in value]
        elif kind == 'strings':
            out.append('s_list_size_is (%s, %d)' % (get, len(value)))
            out += ['s_text_is (s_list_at (%s, %d), %s)' % (get, index, c_string(v))
                    for index, v in enumerate(value)]
        else:
            out.append('%s_%s_size (%s) == %d' % (prefix, name, var, value))
            out += ['s_%s_verify (%s_%s_at (%s, %d))' % (field.struct.name, prefix, name,
                                                         var, index) for index in range(value)]
    return out


def returns(expressions):
    lines = ['return ' + expressions[0]]
    lines += ['    && ' + e for e in expressions[1:]]
    lines[-1] += ';'
    return lines


def byte_lines(data):
    return ['    ' + ', '.join('0x%02x' % b for b in data[i:i + 12]) + ','
            for i in range(0, len(data), 12)]


HELPERS = r'''
//  True if text (which may be NULL) equals expected
static bool
s_text_is (const char *text, const char *expected)
{
    return text && streq (text, expected);
}

//  True if the map exists and holds size entries
static bool
s_map_size_is (zhash_t *hash, size_t size)
{
    return hash && zhash_size (hash) == size;
}

//  True if the list exists and holds size items
static bool
s_list_size_is (zlist_t *list, size_t size)
{
    return list && zlist_size (list) == size;
}

//  Returns the list item at index, or NULL
static const char *
s_list_at (zlist_t *list, size_t index)
{
    const char *item = list? (const char *) zlist_first (list): NULL;
    while (item && index--)
        item = (const char *) zlist_next (list);
    return item;
}

//  True if the chunk holds exactly these bytes
static bool
s_chunk_is (zchunk_t *chunk, const char *data, size_t size)
{
    return chunk && zchunk_size (chunk) == size && memcmp (zchunk_data (chunk), data, size) == 0;
}

//  True if the frame holds exactly these bytes
static bool
s_frame_is (zframe_t *frame, const char *data, size_t size)
{
    return frame && zframe_size (frame) == size && memcmp (zframe_data (frame), data, size) == 0;
}
'''.strip('\n').split('\n')


def write_sample(proto, out):
    c = banner('oa_msg_sample - the schema\'s <test> values, as messages and as bytes', [
        'Samples built through the typed setters, a check that reads them back '
        'through the typed getters, and golden encodings made by the generator\'s '
        'own msgpack encoder, for the selftest, the fuzz seeds and examples.'])
    c += ['#include "oa_msg_private.h"', ''] + HELPERS + ['']
    for struct in proto.structs.values():
        t = 'oa_msg_%s_t' % struct.name
        c += ['//  A %s holding its test values' % struct.name]
        func(c, 'static %s *' % t, 's_%s_sample' % struct.name, 'void',
             ['%s *self = oa_msg_%s_new ();' % (t, struct.name)]
             + setters('oa_msg_' + struct.name, 'self', struct.fields) + ['return self;'])
        c += ['//  True if a %s holds its test values' % struct.name]
        func(c, 'static bool', 's_%s_verify' % struct.name, '%s *self' % t,
             returns(['self'] + checks('oa_msg_' + struct.name, 'self', struct.fields)))
    c += ['', RULE, '//  Samples', '']
    body = ['oa_msg_t *self = oa_msg_new (id);', 'if (!self)', '    return NULL;',
            'oa_msg_set_corr_id (self, UINT64_C (%d));' % proto.header['corr_id'][1],
            'oa_msg_set_deadline (self, UINT64_C (%d));' % proto.header['deadline'][1],
            'switch (id) {']
    for m in proto.messages:
        body.append('    case OA_MSG_%s: {' % m.upper)
        body += ['        ' + line for line in setters('oa_msg', 'self', m.fields)]
        if m.payload_test:
            body.append('        oa_msg_set_payload_bytes (self, %s, %d);'
                        % (c_string(m.payload_test), len(m.payload_test)))
        body += ['        break;', '    }']
    body += ['}', 'return self;']
    func(c, 'oa_msg_t *', 'oa_msg_sample', 'int id', body)
    body = ['assert (self);',
            'if (oa_msg_corr_id (self) != UINT64_C (%d)' % proto.header['corr_id'][1],
            '||  oa_msg_deadline (self) != UINT64_C (%d))' % proto.header['deadline'][1],
            '    return false;', 'switch (oa_msg_id (self)) {']
    for m in proto.messages:
        if m.payload_test:
            payload = 's_frame_is (oa_msg_payload (self), %s, %d)' % (
                c_string(m.payload_test), len(m.payload_test))
        else:
            payload = 'oa_msg_payload (self) == NULL'
        body.append('    case OA_MSG_%s:' % m.upper)
        body += ['        ' + line for line in returns(checks('oa_msg', 'self', m.fields)
                                                        + [payload])]
    body += ['    default:', '        return false;', '}']
    func(c, 'bool', 'oa_msg_sample_verify', 'oa_msg_t *self', body)
    c += ['', RULE, '//  Golden encodings of the samples\' body frames', '']
    for m in proto.messages:
        c += ['static const uint8_t s_golden_%s [] = {' % m.name]
        c += byte_lines(encode_sample(proto, m)) + ['};', '']
    body = ['assert (size);', 'switch (id) {']
    for m in proto.messages:
        body += ['    case OA_MSG_%s:' % m.upper,
                 '        *size = sizeof (s_golden_%s);' % m.name,
                 '        return s_golden_%s;' % m.name]
    body += ['    default:', '        *size = 0;', '        return NULL;', '}']
    func(c, 'const uint8_t *', 'oa_msg_sample_golden', 'int id, size_t *size', body)
    write(os.path.join(out, 'oa_msg_sample.c'), c)
