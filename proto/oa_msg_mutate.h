/*  =========================================================================
    oa_msg_mutate - per-field mutation tests of the oa_msg decoder

    Part of the oa_msg selftest. Takes a message's golden encoding apart
    with msgpack-c, splices hand-built msgpack objects into it (each field
    missing, repeated, of every wrong type, one over its max, exactly at
    its max; unknown keys; envelope lies) at every nesting level, and
    checks the decoder's verdict on each.
    =========================================================================
*/

#ifndef OA_MSG_MUTATE_H_INCLUDED
#define OA_MSG_MUTATE_H_INCLUDED

#include <czmq.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Runs every mutation of the golden encoding of message id; asserts on
//  any verdict that differs from the schema's rules.
void
    oa_msg_mutate_check (int id, const uint8_t *golden, size_t size, bool verbose);

#ifdef __cplusplus
}
#endif

#endif
