"""corpus - writes the seed corpus of the oa_msg_fuzz target.

Seeds are body frames: every message's sample (valid), the same with
unknown keys from a "newer peer" (valid: they must be skipped), cut in
half (malformed), and a few crafted lies and random bytes (malformed).
Names are stable and contents deterministic, so check.sh can diff them;
files the fuzzer adds to the folder are left alone.
"""

import os

import msgpack_lite as mp
from schema import encode_sample


def _unknown_keys(message):
    """Pairs with keys the message does not define, of assorted types."""
    used = {f.key for f in message.fields}
    keys = [k for k in (100, 101, 126, 127) if k not in used]
    values = [mp.pack_str(b'from a newer peer'),
              mp.map_header(1) + mp.pack_int(1) + mp.array_header(2) + mp.pack_int(-1)
              + mp.pack_bool(True),
              b'\xcb' + bytes(8),                       # float64
              b'\xd4\x01\x00']                          # fixext1
    return list(zip(keys, values))


def _random_bytes(seed, size):
    """A fixed linear congruential sequence: random-looking, reproducible."""
    out = bytearray()
    state = seed
    for _ in range(size):
        state = (state * 1103515245 + 12345) & 0x7fffffff
        out.append(state >> 16 & 0xff)
    return bytes(out)


def seeds(proto):
    """Yields (file name, bytes) of every seed."""
    for message in proto.messages:
        name = message.name.replace('_', '-')
        golden = encode_sample(proto, message)
        yield name + '.bin', golden
        yield name + '-unknown-keys.bin', encode_sample(proto, message, _unknown_keys(message))
        yield name + '-truncated.bin', golden[:len(golden) // 2]
    heartbeat = next(m for m in proto.messages if m.upper == 'HEARTBEAT')
    yield 'bad-version.bin', encode_sample(proto, heartbeat, version=proto.version + 98)
    yield 'bad-message-id.bin', encode_sample(proto, heartbeat, message_id=250)
    envelope = (mp.array_header(5) + mp.pack_int(proto.version) + mp.pack_int(heartbeat.id)
                + mp.pack_int(1) + mp.pack_int(0))
    yield 'bad-nul-in-text.bin', (envelope + mp.map_header(2) + mp.pack_int(1)
                                  + mp.pack_str(b'gate\0way') + mp.pack_int(2)
                                  + mp.pack_int(1))
    yield 'bad-wrong-type.bin', (envelope + mp.map_header(2) + mp.pack_int(1)
                                 + mp.pack_str(b'gateway') + mp.pack_int(2) + mp.pack_str(b'1'))
    yield 'bad-string-key.bin', envelope + mp.map_header(1) + mp.pack_str(b'a') + mp.pack_int(1)
    yield 'bad-huge-array.bin', b'\xdd\xff\xff\xff\xff'
    yield 'bad-huge-map-in-body.bin', envelope + b'\xdf\xff\xff\xff\xff'
    yield 'bad-deep.bin', b'\x91' * 40 + b'\x01'
    yield 'bad-never-used-byte.bin', b'\xc1'
    yield 'bad-trailing-bytes.bin', encode_sample(proto, heartbeat) + b'\x00'
    yield 'bad-body-not-map.bin', envelope + mp.array_header(0)
    for seed in range(4):
        yield 'bad-random-%d.bin' % seed, _random_bytes(seed + 1, 48 + 64 * seed)


def write_corpus(proto, folder):
    os.makedirs(folder, exist_ok=True)
    for name, data in seeds(proto):
        with open(os.path.join(folder, name), 'wb') as file:
            file.write(data)
