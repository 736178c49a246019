//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_api - accessors of the api messages

    The management API (routes under /api): gateways hold no database,
    so they forward each management request to the ledger role, which
    answers it.

    The typed getters and setters of the fields that first appear in
    this group; messages of later groups that carry a field of the same
    name share them.

    Part of the oa_msg class; include oa_msg.h, which includes this.
    =========================================================================
*/

#ifndef OA_MSG_API_H_INCLUDED
#define OA_MSG_API_H_INCLUDED

#include "oa_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
