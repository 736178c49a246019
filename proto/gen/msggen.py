#!/usr/bin/env python3
"""msggen - generates the oa_msg codec from the message schema.

Usage:  python3 proto/gen/msggen.py proto/schema/oa_msg.xml proto [--corpus DIR]

Reads and checks the schema (schema.py), then writes the C class oa_msg
into the output folder:

    oa_msg.h             public API: ids, enums, limits, lifecycle, codec
    oa_msg_private.h     the structs behind the opaque types
    oa_msg.c             field tables (layouts), lifecycle, codec glue, print
    oa_msg_<group>.h/.c  accessors of the fields first seen in that group
    oa_msg_<struct>.h/.c accessors of each nested struct
    oa_msg_sample.c      the <test> values as messages, and golden encodings

Encoding and decoding are not generated: they live, hand-written and
reviewed once, in oa_wire.c, which reads the field tables. The generator
does carry a second, independent msgpack encoder (msgpack_lite.py) for the
golden vectors and, with --corpus, the fuzz seeds (corpus.py).

Output is deterministic, so CI regenerates and diffs it (check.sh).
Python 3 standard library only.
"""

import argparse
import os
import sys
import xml.etree.ElementTree as ET

#  Importing our modules must not litter the source tree with __pycache__
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpus import write_corpus                   # noqa: E402
from emit_c import write_accessors                # noqa: E402
from emit_core import write_core, write_private   # noqa: E402
from emit_sample import write_sample              # noqa: E402
from schema import Protocol, SchemaError          # noqa: E402


def main():
    parser = argparse.ArgumentParser(description='Generate the oa_msg codec.')
    parser.add_argument('schema', help='proto/schema/oa_msg.xml')
    parser.add_argument('outdir', help='folder for the C files (proto)')
    parser.add_argument('--corpus', metavar='DIR', help='also write the fuzz seeds here')
    args = parser.parse_args()
    try:
        proto = Protocol(args.schema)
    except (SchemaError, ET.ParseError, ValueError, TypeError, AttributeError) as error:
        sys.exit('msggen: %s: %s' % (args.schema, error))

    os.makedirs(args.outdir, exist_ok=True)
    write_private(proto, args.outdir)
    write_core(proto, args.outdir)
    for group, doc in proto.groups:
        fields = [f for f in proto.fields.values() if f.owner.group == group]
        write_accessors(proto, args.outdir, group, 'accessors of the %s messages' % group,
                        [doc, 'The typed getters and setters of the fields that first '
                         'appear in this group; messages of later groups that carry a '
                         'field of the same name share them.'],
                        'oa_msg', 'oa_msg_t', fields, True)
    for struct in proto.structs.values():
        write_accessors(proto, args.outdir, struct.name,
                        'accessors of the %s struct' % struct.name, [struct.doc],
                        'oa_msg_' + struct.name, 'oa_msg_%s_t' % struct.name,
                        struct.fields, False)
    write_sample(proto, args.outdir)
    if args.corpus:
        write_corpus(proto, args.corpus)


if __name__ == '__main__':
    main()
