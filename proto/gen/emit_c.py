"""emit_c - writes C text: helpers shared by the emitters, and accessors.

Accessors are the bulk of the generated code, so they get their own files:
one .h/.c pair per message group (the fields that first appear in it) and
one per nested struct.
"""

import os
import textwrap

from schema import SCALARS

BANNER = ('//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py'
          ' \u2014 DO NOT EDIT')
RULE = '//  ' + '-' * 74


def c_string(data):
    """A C string literal for bytes. Octal escapes cannot run on into the
    next character, and ? is escaped because -std=c11 honours trigraphs."""
    out = []
    for byte in data:
        char = chr(byte)
        if char in '\\"?':
            out.append('\\' + char)
        elif 0x20 <= byte < 0x7f:
            out.append(char)
        else:
            out.append('\\%03o' % byte)
    return '"' + ''.join(out) + '"'


def c_number(kind, value):
    """A C literal of the accessor's type."""
    if kind == 'bool':
        return 'true' if value else 'false'
    if kind == 'i64':
        return 'INT64_C (%d)' % value
    if kind == 'u64':
        return 'UINT64_C (%d)' % value
    if kind == 'u32':
        return 'UINT32_C (%d)' % value
    return '%d' % value


def comment(text, indent='', width=96):
    lines = textwrap.wrap(text, width - len(indent) - 4) or ['']
    return [indent + '//  ' + line for line in lines]


def banner(title, paragraphs):
    lines = [BANNER,
             '/*  =========================================================================',
             '    ' + title, '']
    for paragraph in paragraphs:
        if isinstance(paragraph, list):         # preformatted lines
            lines += ['    ' + line if line else '' for line in paragraph]
        elif paragraph.startswith('@'):         # mkdoc markers hug their text
            lines.append('    ' + paragraph)
            continue
        else:
            lines += textwrap.wrap(paragraph, 72, initial_indent='    ',
                                   subsequent_indent='    ')
        lines.append('')
    lines[-1:] = ['    =========================================================================',
                  '*/', '']
    return lines


def func(lines, ret, name, args, body):
    """Appends a function definition in CLASS layout."""
    lines += [ret.rstrip(), '%s (%s)' % (name, args), '{']
    lines += ['    ' + line if line else '' for line in body]
    lines += ['}', '']


def decl(lines, ret, name, args, doc):
    """Appends a documented prototype in CZMQ header layout."""
    lines += comment(doc) + [ret.rstrip(), '    %s (%s);' % (name, args), '']


def member(ctype, name, doc, indent='    '):
    """A struct member with its one-line comment, inline when it fits."""
    text = '%s%s%s;' % (indent, ctype if ctype.endswith('*') or ctype.endswith(' ')
                        else ctype + ' ', name)
    inline = '%-35s //  %s' % (text, doc) if len(text) < 35 else text + '  //  ' + doc
    if len(inline) <= 100:
        return [inline]
    return comment(doc, indent) + [text]


def write(path, lines):
    with open(path, 'w', encoding='utf-8', newline='\n') as file:
        file.write('\n'.join(lines).rstrip('\n') + '\n')


def accessors(prefix, self_type, field, owners):
    """Yields (return type, name, arguments, body, doc) per accessor."""
    name = field.name
    base = '%s_%s' % (prefix, name)
    me = '%s *self' % self_type
    doc = field.doc + (' (%s)' % ', '.join(owners) if owners else '')
    kind = field.type
    if kind in SCALARS:
        ctype = SCALARS[kind][0]
        cast = '(%s) ' % ctype if kind in ('u8', 'u16', 'u32') else ''
        yield (ctype, base, me, ['assert (self);', 'return %sself->%s;' % (cast, name)],
               'Returns %s: %s' % (name, doc))
        yield ('void', '%s_set_%s' % (prefix, name), '%s, %s %s' % (me, ctype, name),
               ['assert (self);', 'self->%s = %s;' % (name, name)], 'Sets %s.' % name)
    elif kind == 'str':
        yield ('const char *', base, me,
               ['assert (self);', 'return self->%s? self->%s: "";' % (name, name)],
               'Returns %s, "" when unset: %s' % (name, doc))
        yield ('void', '%s_set_%s' % (prefix, name), '%s, const char *%s' % (me, name),
               ['assert (self);', 's_text_set (&self->%s, %s);' % (name, name)],
               'Sets %s to a copy of the text; NULL clears it.' % name)
    elif kind == 'structs':
        item = 'oa_msg_%s_t' % field.struct.name
        yield ('size_t', base + '_size', me, ['assert (self);', 'return self->%s.size;' % name],
               'Returns the number of %s: %s' % (name, doc))
        yield (item + ' *', base + '_at', '%s, size_t index' % me,
               ['assert (self);',
                'return index < self->%s.size? (%s *) self->%s.items [index]: NULL;'
                % (name, item, name)],
               'Returns %s [index], borrowed, or NULL past the end.' % name)
        yield ('void', base + '_append', '%s, %s **item_p' % (me, item),
               ['assert (self);', 'assert (item_p && *item_p);',
                'oa_wire_list_append (&self->%s, *item_p);' % name, '*item_p = NULL;'],
               'Appends an item to %s, taking ownership of it.' % name)
        yield ('void', base + '_purge', me,
               ['assert (self);',
                'oa_wire_list_purge (&self->%s, oa_msg_%s_layout ());'
                % (name, field.struct.name)],
               'Destroys every item of %s.' % name)
    else:
        ctype, destroy, what = {
            'bin': ('zchunk_t', 'zchunk_destroy', 'chunk'),
            'map': ('zhash_t', 'zhash_destroy', 'map: its items must be strings (autofree)'),
            'strings': ('zlist_t', 'zlist_destroy',
                        'list: its items must be strings (autofree)')}[kind]
        yield (ctype + ' *', base, me, ['assert (self);', 'return self->%s;' % name],
               'Returns %s, borrowed, or NULL when unset: %s' % (name, doc))
        yield (ctype + ' *', '%s_get_%s' % (prefix, name), me,
               ['assert (self);', '%s *%s = self->%s;' % (ctype, name, name),
                'self->%s = NULL;' % name, 'return %s;' % name],
               'Takes %s out of the message. Caller owns return value and must destroy '
               'it when done.' % name)
        yield ('void', '%s_set_%s' % (prefix, name), '%s, %s **%s_p' % (me, ctype, name),
               ['assert (self);', '%s (&self->%s);' % (destroy, name),
                'if (%s_p) {' % name, '    self->%s = *%s_p;' % (name, name),
                '    *%s_p = NULL;' % name, '}'],
               'Sets %s, taking ownership of the %s; NULL clears it.' % (name, what))
        if kind == 'map':
            yield ('void', base + '_insert', '%s, const char *key, const char *value' % me,
                   ['assert (self);', 'assert (key);', 'assert (value);',
                    'if (!self->%s) {' % name, '    self->%s = zhash_new ();' % name,
                    '    assert (self->%s);' % name, '    zhash_autofree (self->%s);' % name,
                    '}', 'zhash_update (self->%s, key, (void *) value);' % name],
                   'Sets key in %s to a copy of value, replacing any previous value.' % name)
            yield ('const char *', base + '_lookup', '%s, const char *key' % me,
                   ['assert (self);', 'assert (key);',
                    'return self->%s? (const char *) zhash_lookup (self->%s, key): NULL;'
                    % (name, name)],
                   'Returns the value of key in %s, or NULL.' % name)
        if kind == 'strings':
            yield ('void', base + '_append', '%s, const char *value' % me,
                   ['assert (self);', 'assert (value);',
                    'if (!self->%s) {' % name, '    self->%s = zlist_new ();' % name,
                    '    assert (self->%s);' % name, '    zlist_autofree (self->%s);' % name,
                    '}', 'zlist_append (self->%s, (void *) value);' % name],
                   'Appends a copy of value to %s.' % name)


def write_accessors(proto, out, stem, title, paragraphs, prefix, self_type, fields, by_owner):
    """Writes oa_msg_<stem>.h and oa_msg_<stem>.c with the accessors of fields."""
    guard = 'OA_MSG_%s_H_INCLUDED' % stem.upper()
    h = banner('oa_msg_%s - %s' % (stem, title), paragraphs + [
        'Part of the oa_msg class; include oa_msg.h, which includes this.'])
    h += ['#ifndef ' + guard, '#define ' + guard, '', '#include "oa_msg.h"', '',
          '#ifdef __cplusplus', 'extern "C" {', '#endif', '']
    c = banner('oa_msg_%s - %s' % (stem, title), paragraphs)
    c += ['#include "oa_msg_private.h"', '']
    for field in fields:
        owners = proto.owners(field.name) if by_owner else []
        c += [RULE] + comment('%s: %s' % (field.name, field.doc)) + ['']
        for ret, name, args, body, doc in accessors(prefix, self_type, field, owners):
            decl(h, ret, name, args, doc)
            func(c, ret, name, args, body)
    h += ['#ifdef __cplusplus', '}', '#endif', '', '#endif']
    write(os.path.join(out, 'oa_msg_%s.h' % stem), h)
    write(os.path.join(out, 'oa_msg_%s.c' % stem), c)
