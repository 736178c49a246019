"""msgpack_lite - the few msgpack encodings the generator needs.

An encoder independent of msgpack-c, used to produce the golden vectors
that the C selftest compares the C encoder against, and the fuzz seeds.
It always picks the shortest form, as msgpack-c's packer does, so the
two agree byte for byte on canonical messages.
"""

import struct


def pack_int(value):
    if 0 <= value < 0x80:
        return bytes([value])
    if -32 <= value < 0:
        return struct.pack('>b', value)
    if value >= 0:
        for limit, code, fmt in ((0x100, 0xcc, '>B'), (0x10000, 0xcd, '>H'),
                                 (0x100000000, 0xce, '>I')):
            if value < limit:
                return bytes([code]) + struct.pack(fmt, value)
        return b'\xcf' + struct.pack('>Q', value)
    for limit, code, fmt in ((-0x80, 0xd0, '>b'), (-0x8000, 0xd1, '>h'),
                             (-0x80000000, 0xd2, '>i')):
        if value >= limit:
            return bytes([code]) + struct.pack(fmt, value)
    return b'\xd3' + struct.pack('>q', value)


def pack_bool(value):
    return b'\xc3' if value else b'\xc2'


def str_header(size):
    if size < 32:
        return bytes([0xa0 | size])
    if size < 0x100:
        return b'\xd9' + struct.pack('>B', size)
    if size < 0x10000:
        return b'\xda' + struct.pack('>H', size)
    return b'\xdb' + struct.pack('>I', size)


def pack_str(data):
    return str_header(len(data)) + data


def pack_bin(data):
    if len(data) < 0x100:
        return b'\xc4' + struct.pack('>B', len(data)) + data
    if len(data) < 0x10000:
        return b'\xc5' + struct.pack('>H', len(data)) + data
    return b'\xc6' + struct.pack('>I', len(data)) + data


def _container(size, fix, code16, code32):
    if size < 16:
        return bytes([fix | size])
    if size < 0x10000:
        return bytes([code16]) + struct.pack('>H', size)
    return bytes([code32]) + struct.pack('>I', size)


def array_header(size):
    return _container(size, 0x90, 0xdc, 0xdd)


def map_header(size):
    return _container(size, 0x80, 0xde, 0xdf)


def str_header_size(size):
    return 1 if size < 32 else 2 if size < 0x100 else 3 if size < 0x10000 else 5


def bin_header_size(size):
    return 2 if size < 0x100 else 3 if size < 0x10000 else 5


def container_header_size(size):
    return 1 if size < 16 else 3 if size < 0x10000 else 5
