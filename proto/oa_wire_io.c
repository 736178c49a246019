/*  =========================================================================
    oa_wire_io - the edges of the wire: sockets and the log

    Sending and receiving whole multipart messages (routing id, body,
    payload) without blocking when asked not to, and printing decoded
    values for operators. Part of the oa_wire class; see oa_wire.h.
    =========================================================================
*/

#include <errno.h>
#include <inttypes.h>
#include "oa_wire.h"

//  Texts longer than this are cut when printed, so a 64 KiB system prompt
//  does not flood the log
#define S_PRINT_TEXT_MAX 160


//  --------------------------------------------------------------------------
//  Printing

//  Logs one text value, cut to S_PRINT_TEXT_MAX bytes
static void
s_print_text (const char *indent, const char *name, const char *text, bool secret)
{
    size_t length = text? strlen (text): 0;
    if (secret && length)
        zsys_debug ("%s%s=*** (%zu bytes)", indent, name, length);
    else
    if (length > S_PRINT_TEXT_MAX)
        zsys_debug ("%s%s='%.*s'... (%zu bytes)", indent, name, S_PRINT_TEXT_MAX, text, length);
    else
        zsys_debug ("%s%s='%s'", indent, name, text? text: "");
}

void
oa_wire_print (const oa_wire_struct_t *layout, const void *obj, const char *indent)
{
    assert (layout);
    assert (obj);
    if (!indent)
        indent = "";
    for (size_t index = 0; index < layout->field_count; index++) {
        const oa_wire_field_t *field = &layout->fields [index];
        const void *slot = (const char *) obj + field->offset;
        switch (field->type) {
            case OA_WIRE_I64:
                zsys_debug ("%s%s=%" PRId64, indent, field->name, *(const int64_t *) slot);
                break;
            case OA_WIRE_BOOL:
                zsys_debug ("%s%s=%s", indent, field->name,
                            *(const bool *) slot? "true": "false");
                break;
            case OA_WIRE_STR:
                s_print_text (indent, field->name, *(char * const *) slot, field->secret);
                break;
            case OA_WIRE_BIN: {
                zchunk_t *chunk = *(zchunk_t * const *) slot;
                zsys_debug ("%s%s=[%zu bytes]", indent, field->name,
                            chunk? zchunk_size (chunk): 0);
                break;
            }
            case OA_WIRE_MAP: {
                zhash_t *hash = *(zhash_t * const *) slot;
                zsys_debug ("%s%s={%zu}", indent, field->name, hash? zhash_size (hash): 0);
                char nested [64];
                snprintf (nested, sizeof nested, "%s    ", indent);
                if (hash)
                    for (void *value = zhash_first (hash); value; value = zhash_next (hash))
                        s_print_text (nested, zhash_cursor (hash), (const char *) value,
                                      field->secret);
                break;
            }
            case OA_WIRE_STRINGS: {
                zlist_t *list = *(zlist_t * const *) slot;
                zsys_debug ("%s%s=[%zu]", indent, field->name, list? zlist_size (list): 0);
                char nested [64];
                snprintf (nested, sizeof nested, "%s    ", indent);
                if (list)
                    for (void *text = zlist_first (list); text; text = zlist_next (list))
                        s_print_text (nested, "", (const char *) text, field->secret);
                break;
            }
            case OA_WIRE_STRUCTS: {
                const oa_wire_list_t *list = (const oa_wire_list_t *) slot;
                char nested [64];
                snprintf (nested, sizeof nested, "%s    ", indent);
                for (size_t item = 0; item < list->size; item++) {
                    zsys_debug ("%s%s[%zu]:", indent, field->name, item);
                    oa_wire_print (field->nested, list->items [item], nested);
                }
                break;
            }
            default: {
                uint64_t value = *(const uint64_t *) slot;
                const char *name = field->enum_name? field->enum_name ((int) value): NULL;
                if (name)
                    zsys_debug ("%s%s=%" PRIu64 " (%s)", indent, field->name, value, name);
                else
                    zsys_debug ("%s%s=%" PRIu64, indent, field->name, value);
            }
        }
    }
}


//  --------------------------------------------------------------------------
//  Sockets

bool
oa_wire_is_router (void *socket)
{
    return zsock_type (socket) == ZMQ_ROUTER;
}

int
oa_wire_send (void *dest, zframe_t *routing_id, zframe_t **body_p, zframe_t *payload,
              bool dontwait)
{
    assert (dest);
    assert (body_p && *body_p);
    void *handle = zsock_resolve (dest);
    //  Only the first frame may wait or fail for lack of room: once it is
    //  queued libzmq accepts the rest of the message. Later frames are sent
    //  without DONTWAIT so an error there can never leave half a message
    //  on the socket to be glued to the next one.
    int first = dontwait? ZFRAME_DONTWAIT: 0;
    int rc = 0;
    if (oa_wire_is_router (handle)) {
        if (routing_id) {
            rc = zframe_send (&routing_id, handle, ZFRAME_REUSE | ZFRAME_MORE | first);
            first = 0;
        }
        else {
            errno = EINVAL;
            rc = -1;
        }
    }
    if (rc == 0) {
        rc = zframe_send (body_p, handle, (payload? ZFRAME_MORE: 0) | first);
        if (rc == 0 && payload)
            rc = zframe_send (&payload, handle, ZFRAME_REUSE);
    }
    int saved = errno;
    zframe_destroy (body_p);        //  already NULL if it was sent
    errno = saved;
    return rc;
}

zmsg_t *
oa_wire_recv (void *source, bool dontwait, size_t frames_max)
{
    assert (source);
    void *handle = zsock_resolve (source);
    if (dontwait && !(zsock_events (handle) & ZMQ_POLLIN)) {
        errno = EAGAIN;
        return NULL;
    }
    zmsg_t *msg = zmsg_new ();
    assert (msg);
    bool started = false;
    while (true) {
        zframe_t *frame = zframe_recv (handle);
        if (!frame) {
            //  Once a message has started its other frames are already
            //  here: finish reading it rather than leave them behind
            if (errno == EINTR && started)
                continue;
            zmsg_destroy (&msg);
            return NULL;
        }
        started = true;
        bool more = zframe_more (frame) == 1;
        if (zmsg_size (msg) <= frames_max)
            zmsg_append (msg, &frame);
        else
            zframe_destroy (&frame);
        if (!more)
            break;
    }
    return msg;
}
