//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_snapshot - accessors of the snapshot messages

    Hot state from the ledger to the gateways' caches.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.
    =========================================================================
*/

#include "oa_msg_private.h"

//  --------------------------------------------------------------------------
//  gateway_id: Requesting gateway

const char *
oa_msg_gateway_id (oa_msg_t *self)
{
    assert (self);
    return self->gateway_id? self->gateway_id: "";
}

void
oa_msg_set_gateway_id (oa_msg_t *self, const char *gateway_id)
{
    assert (self);
    s_text_set (&self->gateway_id, gateway_id);
}

//  --------------------------------------------------------------------------
//  since_seq: Last change applied; 0 = full snapshot

uint64_t
oa_msg_since_seq (oa_msg_t *self)
{
    assert (self);
    return self->since_seq;
}

void
oa_msg_set_since_seq (oa_msg_t *self, uint64_t since_seq)
{
    assert (self);
    self->since_seq = since_seq;
}

//  --------------------------------------------------------------------------
//  tables: Tables wanted; empty = all

zlist_t *
oa_msg_tables (oa_msg_t *self)
{
    assert (self);
    return self->tables;
}

zlist_t *
oa_msg_get_tables (oa_msg_t *self)
{
    assert (self);
    zlist_t *tables = self->tables;
    self->tables = NULL;
    return tables;
}

void
oa_msg_set_tables (oa_msg_t *self, zlist_t **tables_p)
{
    assert (self);
    zlist_destroy (&self->tables);
    if (tables_p) {
        self->tables = *tables_p;
        *tables_p = NULL;
    }
}

void
oa_msg_tables_append (oa_msg_t *self, const char *value)
{
    assert (self);
    assert (value);
    if (!self->tables) {
        self->tables = zlist_new ();
        assert (self->tables);
        zlist_autofree (self->tables);
    }
    zlist_append (self->tables, (void *) value);
}

//  --------------------------------------------------------------------------
//  cursor: Resume point from the last chunk received, to continue an interrupted snapshot;
//  empty = from the start

zchunk_t *
oa_msg_cursor (oa_msg_t *self)
{
    assert (self);
    return self->cursor;
}

zchunk_t *
oa_msg_get_cursor (oa_msg_t *self)
{
    assert (self);
    zchunk_t *cursor = self->cursor;
    self->cursor = NULL;
    return cursor;
}

void
oa_msg_set_cursor (oa_msg_t *self, zchunk_t **cursor_p)
{
    assert (self);
    zchunk_destroy (&self->cursor);
    if (cursor_p) {
        self->cursor = *cursor_p;
        *cursor_p = NULL;
    }
}

//  --------------------------------------------------------------------------
//  table: Table the rows belong to

const char *
oa_msg_table (oa_msg_t *self)
{
    assert (self);
    return self->table? self->table: "";
}

void
oa_msg_set_table (oa_msg_t *self, const char *table)
{
    assert (self);
    s_text_set (&self->table, table);
}

//  --------------------------------------------------------------------------
//  last: Final chunk of the snapshot

bool
oa_msg_last (oa_msg_t *self)
{
    assert (self);
    return self->last;
}

void
oa_msg_set_last (oa_msg_t *self, bool last)
{
    assert (self);
    self->last = last;
}

//  --------------------------------------------------------------------------
//  row_count: Rows in the payload

uint32_t
oa_msg_row_count (oa_msg_t *self)
{
    assert (self);
    return (uint32_t) self->row_count;
}

void
oa_msg_set_row_count (oa_msg_t *self, uint32_t row_count)
{
    assert (self);
    self->row_count = row_count;
}

//  --------------------------------------------------------------------------
//  op: Upsert or delete

uint8_t
oa_msg_op (oa_msg_t *self)
{
    assert (self);
    return (uint8_t) self->op;
}

void
oa_msg_set_op (oa_msg_t *self, uint8_t op)
{
    assert (self);
    self->op = op;
}

//  --------------------------------------------------------------------------
//  row_id: Primary key as text (options are keyed by name, abilities by group/model/channel)

const char *
oa_msg_row_id (oa_msg_t *self)
{
    assert (self);
    return self->row_id? self->row_id: "";
}

void
oa_msg_set_row_id (oa_msg_t *self, const char *row_id)
{
    assert (self);
    s_text_set (&self->row_id, row_id);
}
