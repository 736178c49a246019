/*  =========================================================================
    oa_wire_io - the edges of the wire: sockets and the log

    Sending and receiving whole multipart messages (routing id, body,
    payload) without blocking when asked not to, and printing decoded
    values for operators, and reading just the envelope of a frame that is
    forwarded unchanged. Part of the oa_wire class; see oa_wire.h.
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
//  Envelope: what a relay reads of a frame it forwards unchanged

//  Reads one msgpack unsigned integer at *needle (bounds already checked
//  by oa_wire_scan); signed forms holding a value >= 0 count, as msgpack-c
//  types them POSITIVE_INTEGER. Returns 0, or -1 if it is not one.
static int
s_peek_uint (const uint8_t **needle, const uint8_t *ceiling, uint64_t *value)
{
    const uint8_t *cursor = *needle;
    uint8_t byte = *cursor++;
    size_t width = 0;
    bool is_signed = false;
    if (byte <= 0x7f)
        *value = byte;
    else {
        switch (byte) {
            case 0xcc: width = 1; break;
            case 0xcd: width = 2; break;
            case 0xce: width = 4; break;
            case 0xcf: width = 8; break;
            case 0xd0: width = 1; is_signed = true; break;
            case 0xd1: width = 2; is_signed = true; break;
            case 0xd2: width = 4; is_signed = true; break;
            case 0xd3: width = 8; is_signed = true; break;
            default:
                return -1;
        }
        if ((size_t) (ceiling - cursor) < width)
            return -1;
        uint64_t number = 0;
        for (size_t index = 0; index < width; index++)
            number = (number << 8) | cursor [index];
        if (is_signed && (cursor [0] & 0x80))
            return -1;          //  negative
        *value = number;
        cursor += width;
    }
    *needle = cursor;
    return 0;
}

int
oa_wire_peek (const oa_wire_limits_t *limits, const void *data, size_t size,
              oa_wire_header_t *header)
{
    assert (limits);
    assert (header);
    if (!data || size == 0 || size > limits->frame_max)
        return -1;
    if (oa_wire_scan (data, size, limits->objects_max, limits->depth_max))
        return -1;
    //  The scan proved every declared length fits: what is left is to read
    //  the same envelope oa_wire_parse accepts
    const uint8_t *needle = (const uint8_t *) data;
    const uint8_t *ceiling = needle + size;
    uint8_t byte = *needle++;
    size_t elements;
    if (byte >= 0x90 && byte <= 0x9f)
        elements = byte & 0x0f;
    else
    if (byte == 0xdc && ceiling - needle >= 2) {
        elements = (size_t) needle [0] << 8 | needle [1];
        needle += 2;
    }
    else
    if (byte == 0xdd && ceiling - needle >= 4) {
        elements = (size_t) needle [0] << 24 | (size_t) needle [1] << 16
                   | (size_t) needle [2] << 8 | needle [3];
        needle += 4;
    }
    else
        return -1;
    if (elements != 5)
        return -1;
    uint64_t values [4];
    for (size_t index = 0; index < 4; index++)
        if (needle >= ceiling || s_peek_uint (&needle, ceiling, &values [index]))
            return -1;
    if (needle >= ceiling)
        return -1;
    byte = *needle;
    if (!((byte >= 0x80 && byte <= 0x8f) || byte == 0xde || byte == 0xdf))
        return -1;
    if (values [0] < limits->version_min || values [0] > limits->version_max)
        return -1;
    header->version = values [0];
    header->id = values [1];
    header->corr_id = values [2];
    header->deadline = values [3];
    return 0;
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
    //  CZMQ calls take dest as given: on a zsock_t resolving is a tag test,
    //  on a raw libzmq handle it costs a getsockopt, so resolve nothing here
    void *handle = dest;
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
    void *handle = source;          //  as in oa_wire_send: no resolving
    zmsg_t *msg = zmsg_new ();
    assert (msg);
    bool started = false;
    if (dontwait) {
        //  One non-blocking read instead of a ZMQ_EVENTS check and a read:
        //  on EAGAIN libzmq has processed its commands just as the check
        //  would, so a ZMQ_FD edge is consumed the same way, and a drain
        //  loop may stop on NULL
        zmq_msg_t first;
        zmq_msg_init (&first);
        if (zmq_msg_recv (&first, zsock_resolve (handle), ZMQ_DONTWAIT) == -1) {
            int saved = errno;
            zmq_msg_close (&first);
            zmsg_destroy (&msg);
            errno = saved;
            return NULL;
        }
        bool more = zmq_msg_more (&first) == 1;
        zframe_t *frame = zframe_new (zmq_msg_data (&first), zmq_msg_size (&first));
        zmq_msg_close (&first);
        assert (frame);
        zmsg_append (msg, &frame);
        if (!more)
            return msg;
        started = true;
    }
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
