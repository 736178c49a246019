//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_snapshot - accessors of the snapshot messages

    Hot state from the ledger to the gateways' caches.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.

    Part of the oa_msg class; include oa_msg.h, which includes this.
    =========================================================================
*/

#ifndef OA_MSG_SNAPSHOT_H_INCLUDED
#define OA_MSG_SNAPSHOT_H_INCLUDED

#include "oa_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Returns gateway_id, "" when unset: Requesting gateway (SNAPSHOT_REQUEST)
const char *
    oa_msg_gateway_id (oa_msg_t *self);

//  Sets gateway_id to a copy of the text; NULL clears it.
void
    oa_msg_set_gateway_id (oa_msg_t *self, const char *gateway_id);

//  Returns since_seq: Last change applied; 0 = full snapshot (SNAPSHOT_REQUEST)
uint64_t
    oa_msg_since_seq (oa_msg_t *self);

//  Sets since_seq.
void
    oa_msg_set_since_seq (oa_msg_t *self, uint64_t since_seq);

//  Returns tables, borrowed, or NULL when unset: Tables wanted; empty = all (SNAPSHOT_REQUEST)
zlist_t *
    oa_msg_tables (oa_msg_t *self);

//  Takes tables out of the message. Caller owns return value and must destroy it when done.
zlist_t *
    oa_msg_get_tables (oa_msg_t *self);

//  Sets tables, taking ownership of the list: its items must be strings (autofree); NULL clears
//  it.
void
    oa_msg_set_tables (oa_msg_t *self, zlist_t **tables_p);

//  Appends a copy of value to tables.
void
    oa_msg_tables_append (oa_msg_t *self, const char *value);

//  Returns cursor, borrowed, or NULL when unset: Resume point from the last chunk received, to
//  continue an interrupted snapshot; empty = from the start (SNAPSHOT_REQUEST, SNAPSHOT_CHUNK)
zchunk_t *
    oa_msg_cursor (oa_msg_t *self);

//  Takes cursor out of the message. Caller owns return value and must destroy it when done.
zchunk_t *
    oa_msg_get_cursor (oa_msg_t *self);

//  Sets cursor, taking ownership of the chunk; NULL clears it.
void
    oa_msg_set_cursor (oa_msg_t *self, zchunk_t **cursor_p);

//  Returns table, "" when unset: Table the rows belong to (SNAPSHOT_CHUNK, CHANGE)
const char *
    oa_msg_table (oa_msg_t *self);

//  Sets table to a copy of the text; NULL clears it.
void
    oa_msg_set_table (oa_msg_t *self, const char *table);

//  Returns last: Final chunk of the snapshot (SNAPSHOT_CHUNK)
bool
    oa_msg_last (oa_msg_t *self);

//  Sets last.
void
    oa_msg_set_last (oa_msg_t *self, bool last);

//  Returns row_count: Rows in the payload (SNAPSHOT_CHUNK)
uint32_t
    oa_msg_row_count (oa_msg_t *self);

//  Sets row_count.
void
    oa_msg_set_row_count (oa_msg_t *self, uint32_t row_count);

//  Returns op: Upsert or delete (CHANGE)
uint8_t
    oa_msg_op (oa_msg_t *self);

//  Sets op.
void
    oa_msg_set_op (oa_msg_t *self, uint8_t op);

//  Returns row_id, "" when unset: Primary key as text (options are keyed by name, abilities by
//  group/model/channel) (CHANGE)
const char *
    oa_msg_row_id (oa_msg_t *self);

//  Sets row_id to a copy of the text; NULL clears it.
void
    oa_msg_set_row_id (oa_msg_t *self, const char *row_id);

#ifdef __cplusplus
}
#endif

#endif
