"""schema - reads and checks proto/schema/oa_msg.xml.

The model the emitters work from: enums, nested structs, messages in
groups, and the union of message fields (one C slot and one set of
accessors per field name). Every rule the schema's header comment states
is checked here, including that the largest valid message of every kind
fits the protocol's <limits>, so an encoder that respects each field's
max can never produce a frame its peer refuses for size.
"""

import re
import xml.etree.ElementTree as ET

import msgpack_lite as mp

#  Per scalar type: C type of the accessors, C type of the slot, oa_wire
#  type, largest value (None: the C type's own range)
SCALARS = {
    'u8': ('uint8_t', 'uint64_t', 'OA_WIRE_U8', 0xff),
    'u16': ('uint16_t', 'uint64_t', 'OA_WIRE_U16', 0xffff),
    'u32': ('uint32_t', 'uint64_t', 'OA_WIRE_U32', 0xffffffff),
    'u64': ('uint64_t', 'uint64_t', 'OA_WIRE_U64', 0xffffffffffffffff),
    'i64': ('int64_t', 'int64_t', 'OA_WIRE_I64', None),
    'bool': ('bool', 'bool', 'OA_WIRE_BOOL', None),
}
#  Per sized type: C type of the slot, oa_wire type
SIZED = {
    'str': ('char *', 'OA_WIRE_STR'),
    'bin': ('zchunk_t *', 'OA_WIRE_BIN'),
    'map': ('zhash_t *', 'OA_WIRE_MAP'),
    'strings': ('zlist_t *', 'OA_WIRE_STRINGS'),
    'structs': ('oa_wire_list_t ', 'OA_WIRE_STRUCTS'),
}
PAYLOAD = {'none': 'OA_WIRE_PAYLOAD_NONE', 'optional': 'OA_WIRE_PAYLOAD_OPTIONAL',
           'required': 'OA_WIRE_PAYLOAD_REQUIRED'}
#  Names the class itself uses; a field must not generate one of them
CORE_NAMES = ('new', 'new_reply', 'destroy', 'dup', 'id', 'id_name', 'command',
              'version', 'corr_id', 'set_corr_id', 'deadline', 'set_deadline',
              'routing_id', 'set_routing_id', 'payload', 'get_payload', 'set_payload',
              'set_payload_bytes', 'encode', 'decode', 'decode_body', 'send', 'recv',
              'print', 'layout', 'sample', 'sample_verify', 'sample_golden', 'test')


class SchemaError(Exception):
    pass


def fail(node, text):
    name = node.get('name') if node is not None else None
    where = '<%s name="%s">: ' % (node.tag, name) if name else ''
    raise SchemaError(where + text)


def doc_of(node):
    """The element's own text (before its first child), whitespace collapsed."""
    return ' '.join((node.text or '').split())


def c_ident(node, name):
    if not re.fullmatch(r'[a-z][a-z0-9_]*', name or ''):
        fail(node, 'name must be lower_snake_case: %r' % name)
    return name


class Field:
    def __init__(self, node, owner, enums, structs):
        self.node = node
        self.owner = owner
        self.name = c_ident(node, node.get('name'))
        self.type = node.get('type')
        self.doc = doc_of(node)
        if self.type not in SCALARS and self.type not in SIZED:
            fail(node, 'unknown type %r' % self.type)
        if not self.doc:
            fail(node, 'needs a one-line description')
        self.key = int(node.get('key', '0'))
        self.required = node.get('required', '0') == '1'
        self.secret = node.get('secret', '0') == '1'
        self.max = int(node.get('max', '0'))
        self.item_max = int(node.get('item_max', '0'))
        if self.type in SIZED and self.max <= 0:
            fail(node, 'type %s needs max' % self.type)
        if self.type in ('map', 'strings') and self.item_max <= 0:
            fail(node, 'type %s needs item_max' % self.type)
        self.enum = node.get('enum')
        if self.enum and (self.enum not in enums or self.type not in ('u8', 'u16', 'u32')):
            fail(node, 'enum= must name an <enum> and go with u8, u16 or u32')
        self.struct = None
        if self.type == 'structs':
            self.struct = structs.get(node.get('struct'))
            if not self.struct:
                fail(node, 'struct= must name a <struct> defined earlier')
        self.test = self._parse_test()

    def _parse_test(self):
        tests = self.node.findall('test')
        if not tests:
            fail(self.node, 'needs a <test> value')
        kind = self.type
        if kind in ('map', 'strings'):
            values = []
            for test in tests:
                value = (test.text or '').encode()
                if len(value) > self.item_max or b'\0' in value:
                    fail(self.node, 'test value over item_max or with NUL')
                if kind == 'map':
                    key = (test.get('key') or '').encode()
                    if not key or len(key) > self.item_max or b'\0' in key:
                        fail(self.node, 'map test needs key= within item_max')
                    values.append((key, value))
                else:
                    values.append(value)
            if kind == 'map' and len({k for k, _ in values}) != len(values):
                fail(self.node, 'map test keys must be unique')
            if len(values) > self.max:
                fail(self.node, 'more test values than max')
            return sorted(values) if kind == 'map' else values
        if len(tests) != 1:
            fail(self.node, 'needs exactly one <test>')
        text = tests[0].text or ''
        if kind == 'structs':
            count = int(tests[0].get('count', '2'))
            if not 1 <= count <= self.max:
                fail(self.node, 'test count must be 1..max')
            return count
        if kind in ('str', 'bin'):
            value = text.encode()
            if not value or len(value) > self.max or (kind == 'str' and b'\0' in value):
                fail(self.node, 'test value must be non-empty, within max, without NUL')
            return value
        if kind == 'bool':
            if text.strip() not in ('true', '1'):
                fail(self.node, 'test value must be true: defaults are not sent')
            return True
        value = int(text.strip(), 0)
        limit = SCALARS[kind][3]
        low, high = (-2 ** 63, 2 ** 63 - 1) if kind == 'i64' else (0, limit)
        if value == 0 or not low <= value <= high:
            fail(self.node, 'test value must be non-zero and in range')
        return value

    def signature(self):
        """What must agree between fields that share a name."""
        return (self.type, self.struct.name if self.struct else None, self.enum)


class Struct:
    """A nested struct, and the base of Message: a map of keyed fields."""

    def __init__(self, node, enums, structs, message_id=0):
        self.node = node
        self.name = c_ident(node, node.get('name', '').lower())
        self.upper = node.get('name').upper()
        self.doc = doc_of(node)
        self.id = message_id
        self.payload = 'none'
        self.payload_doc = self.payload_test = None
        self.fields = [Field(f, self, enums, structs) for f in node.findall('field')]
        keys = [f.key for f in self.fields]
        if any(not 1 <= k <= 127 for k in keys) or len(set(keys)) != len(keys):
            fail(node, 'field keys must be unique and 1..127')
        if len({f.name for f in self.fields}) != len(self.fields):
            fail(node, 'field names must be unique')
        if len(self.fields) > 64:
            fail(node, 'at most 64 fields (the decoder keeps one bit per field)')
        self.fields.sort(key=lambda f: f.key)


class Message(Struct):
    def __init__(self, node, enums, structs, group):
        if not re.fullmatch(r'[A-Z][A-Z0-9_]*', node.get('name') or ''):
            fail(node, 'message names are UPPER_SNAKE_CASE')
        super().__init__(node, enums, structs, int(node.get('id', '0')))
        self.group = group
        if not 1 <= self.id <= 255:
            fail(node, 'id must be 1..255')
        self.payload = node.get('payload', 'none')
        if self.payload not in PAYLOAD:
            fail(node, 'payload must be none, optional or required')
        payload = node.find('payload')
        if payload is not None:
            if self.payload == 'none':
                fail(node, '<payload> on a message without payload')
            self.payload_doc = doc_of(payload)
            test = payload.find('test')
            self.payload_test = (test.text or '').encode() if test is not None else None
        if self.payload == 'required' and not self.payload_test:
            fail(node, 'a required payload needs <payload><test>')
        self.worst = None


class Enum:
    def __init__(self, node):
        self.name = c_ident(node, node.get('name'))
        self.doc = doc_of(node)
        self.values = [(c_ident(v, v.get('name')), int(v.get('value')), doc_of(v))
                       for v in node.findall('value')]
        numbers = [v for _, v, _ in self.values]
        if len(set(numbers)) != len(numbers) or any(not 0 <= v <= 255 for v in numbers):
            fail(node, 'values must be unique and 0..255')


class Protocol:
    def __init__(self, path):
        root = ET.parse(path).getroot()
        if root.tag != 'protocol' or root.get('name') != 'oa_msg':
            raise SchemaError('root must be <protocol name="oa_msg">')
        self.version = int(root.get('version'))
        self.min_version = int(root.get('min_version', root.get('version')))
        if not 1 <= self.min_version <= self.version <= 255:
            raise SchemaError('need 1 <= min_version <= version <= 255')
        limits = root.find('limits')
        self.limits = {k: int(limits.get(k))
                       for k in ('frame_max', 'payload_max', 'objects_max', 'depth_max')}
        self.limits_doc = doc_of(limits)
        self.header = {}
        for field in root.find('header').findall('field'):
            self.header[field.get('name')] = (doc_of(field), int(field.find('test').text, 0))
        if list(self.header) != ['version', 'id', 'corr_id', 'deadline']:
            raise SchemaError('<header> must be version, id, corr_id, deadline (as oa_wire)')
        self.header_doc = doc_of(root.find('header'))
        self.enums = {}
        for node in root.findall('enum'):
            enum = Enum(node)
            self.enums[enum.name] = enum
        self.structs = {}
        for node in root.findall('struct'):
            struct = Struct(node, self.enums, self.structs)
            for field in struct.fields:
                if field.type == 'structs':
                    fail(field.node, 'structs nest one level deep')
            self.structs[struct.name] = struct
        self.groups = []
        self.messages = []
        for group in root.findall('group'):
            name = c_ident(group, group.get('name'))
            self.groups.append((name, doc_of(group)))
            for node in group.findall('message'):
                self.messages.append(Message(node, self.enums, self.structs, name))
        ids = [m.id for m in self.messages]
        if len(set(ids)) != len(ids):
            raise SchemaError('message ids must be unique')
        self.messages.sort(key=lambda m: m.id)
        #  The union of message fields: one slot and one accessor set per name
        self.fields = {}
        for message in self.messages:
            for field in message.fields:
                first = self.fields.setdefault(field.name, field)
                if first.signature() != field.signature():
                    fail(field.node, 'one name, one type: differs from %s.%s'
                         % (first.owner.upper, first.name))
        self._check_names()
        self._check_bounds()

    def owners(self, name):
        """Messages that carry the field called name, in id order."""
        return [m.upper for m in self.messages if any(f.name == name for f in m.fields)]

    def _check_names(self):
        names = ['oa_msg_' + n for n in CORE_NAMES]
        names += ['oa_msg_%s_name' % e for e in self.enums]
        for struct in self.structs.values():
            prefix = 'oa_msg_' + struct.name
            names += [prefix + s for s in ('_new', '_destroy', '_dup', '_layout')]
            names += accessor_names(prefix, struct.fields)
        names += accessor_names('oa_msg', self.fields.values())
        seen = set()
        for name in names:
            if name in seen:
                raise SchemaError('generated function %s would be defined twice' % name)
            seen.add(name)

    def _check_bounds(self):
        for message in self.messages:
            size, objects, depth = worst_message(message)
            message.worst = (size, objects, depth)
            if size > self.limits['frame_max'] or objects > self.limits['objects_max'] \
                    or depth > self.limits['depth_max']:
                fail(message.node, 'largest valid message (%d bytes, %d objects, depth %d)'
                     ' exceeds <limits>' % (size, objects, depth))


def accessor_names(prefix, fields):
    names = []
    for field in fields:
        base = '%s_%s' % (prefix, field.name)
        if field.type == 'structs':
            names += [base + s for s in ('_size', '_at', '_append', '_purge')]
            continue
        names += [base, '%s_set_%s' % (prefix, field.name)]
        if field.type in ('bin', 'map', 'strings'):
            names.append('%s_get_%s' % (prefix, field.name))
        if field.type == 'map':
            names += [base + '_insert', base + '_lookup']
        if field.type == 'strings':
            names.append(base + '_append')
    return names


#  Worst cases: bytes, msgpack objects and nesting depth of the largest valid
#  value. Depth counts as oa_wire_scan does: the envelope array is level 0,
#  the field map level 1, its keys and values level 2, and so on.

def worst_field(field, depth):
    """(bytes, objects, deepest level) of one key and its value at depth."""
    kind = field.type
    if kind in SCALARS:
        size = {'u8': 2, 'u16': 3, 'u32': 5, 'u64': 9, 'i64': 9, 'bool': 1}[kind]
        return 1 + size, 2, depth
    if kind == 'str':
        return 1 + mp.str_header_size(field.max) + field.max, 2, depth
    if kind == 'bin':
        return 1 + mp.bin_header_size(field.max) + field.max, 2, depth
    header = mp.container_header_size(field.max)
    if kind == 'map':
        item = mp.str_header_size(field.item_max) + field.item_max
        return 1 + header + field.max * 2 * item, 2 + 2 * field.max, depth + 1
    if kind == 'strings':
        item = mp.str_header_size(field.item_max) + field.item_max
        return 1 + header + field.max * item, 2 + field.max, depth + 1
    size, objects, deepest = worst_struct(field.struct, depth + 1)
    return 1 + header + field.max * size, 2 + field.max * objects, deepest


def worst_struct(struct, depth):
    """A struct is a map at depth; its keys and values are one level deeper."""
    size, objects, deepest = mp.container_header_size(len(struct.fields)), 1, depth
    for field in struct.fields:
        more, count, level = worst_field(field, depth + 1)
        size, objects, deepest = size + more, objects + count, max(deepest, level)
    return size, objects, deepest


def worst_message(message):
    size, objects, depth = worst_struct(message, 1)
    return 1 + 2 + 2 + 9 + 9 + size, 5 + objects, depth


#  Canonical encodings of the <test> values, as oa_wire encodes them

def encode_value(field, value):
    kind = field.type
    if kind == 'bool':
        return mp.pack_bool(value)
    if kind in SCALARS:
        return mp.pack_int(value)
    if kind == 'str':
        return mp.pack_str(value)
    if kind == 'bin':
        return mp.pack_bin(value)
    if kind == 'map':
        return mp.map_header(len(value)) + b''.join(
            mp.pack_str(k) + mp.pack_str(v) for k, v in sorted(value))
    if kind == 'strings':
        return mp.array_header(len(value)) + b''.join(mp.pack_str(v) for v in value)
    return mp.array_header(value) + encode_fields(field.struct) * value


def encode_fields(struct, extra=()):
    """The field map of a sample; extra appends (key, packed value) pairs."""
    pairs = [(f.key, encode_value(f, f.test)) for f in struct.fields] + list(extra)
    return mp.map_header(len(pairs)) + b''.join(mp.pack_int(k) + v for k, v in pairs)


def encode_sample(proto, message, extra=(), version=None, message_id=None):
    """The body frame of a message's sample."""
    return (mp.array_header(5)
            + mp.pack_int(proto.version if version is None else version)
            + mp.pack_int(message.id if message_id is None else message_id)
            + mp.pack_int(proto.header['corr_id'][1])
            + mp.pack_int(proto.header['deadline'][1])
            + encode_fields(message, extra))
