/*  =========================================================================
    oa_msg_fuzz - libFuzzer target: the oa_msg decoder against any bytes

    Each input is tried as a body frame alone, as a body frame followed by
    a payload frame, and split in two frames at a point its last byte
    picks. Beyond "no crash, no leak, no undefined behaviour" (the
    sanitizers' job), it checks two properties of every input that decodes:
    the message re-encodes, and its encoding decodes to a message that
    encodes to the same bytes (the codec accepts its own output, and the
    encoding is canonical). A property failure aborts, which libFuzzer
    reports as a crash with the input saved.

    Seeds: tests/fuzz/corpus/oa_msg_fuzz/, written by
        python3 proto/gen/msggen.py proto/schema/oa_msg.xml proto \
            --corpus tests/fuzz/corpus/oa_msg_fuzz
    =========================================================================
*/

#include <stdint.h>
#include <stdlib.h>
#include "oa_msg.h"
#include "oa_wire.h"

int
    LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

//  Encodes msg and returns the body frame; aborts if it cannot, since a
//  decoded message holds only values within their limits
static zframe_t *
s_encode (oa_msg_t *msg)
{
    //  A body decoded alone lacks the payload some messages require
    if (oa_msg_layout (oa_msg_id (msg))->payload == OA_WIRE_PAYLOAD_REQUIRED
    &&  !oa_msg_payload (msg))
        oa_msg_set_payload_bytes (msg, "p", 1);
    zmsg_t *zmsg = zmsg_new ();
    if (oa_msg_encode (msg, zmsg))
        abort ();
    zframe_t *body = zmsg_pop (zmsg);
    zmsg_destroy (&zmsg);
    return body;
}

//  The two properties every decoded message must have
static void
s_check (oa_msg_t *msg)
{
    zframe_t *body = s_encode (msg);
    int err;
    oa_msg_t *again = oa_msg_decode_body (zframe_data (body), zframe_size (body), &err);
    if (!again || err != OA_MSG_OK)
        abort ();
    zframe_t *body2 = s_encode (again);
    if (!zframe_eq (body, body2))
        abort ();
    //  A deep copy encodes the same, too
    oa_msg_t *copy = oa_msg_dup (again);
    zframe_t *body3 = s_encode (copy);
    if (!zframe_eq (body, body3))
        abort ();
    zframe_destroy (&body);
    zframe_destroy (&body2);
    zframe_destroy (&body3);
    oa_msg_destroy (&copy);
    oa_msg_destroy (&again);
}

//  Decodes frames (ownership passes to the decoder) and checks the result
static void
s_try (zmsg_t *zmsg)
{
    int err = 1;
    oa_msg_t *msg = oa_msg_decode (&zmsg, &err);
    if ((msg != NULL) != (err == OA_MSG_OK) || (!msg && err != OA_MSG_MALFORMED))
        abort ();
    if (msg) {
        s_check (msg);
        oa_msg_destroy (&msg);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    int err = 1;
    oa_msg_t *msg = oa_msg_decode_body (data, size, &err);
    if ((msg != NULL) != (err == OA_MSG_OK))
        abort ();
    if (msg) {
        s_check (msg);
        oa_msg_destroy (&msg);
    }

    zmsg_t *zmsg = zmsg_new ();
    zmsg_addmem (zmsg, data, size);
    zmsg_addmem (zmsg, "payload", 7);
    s_try (zmsg);

    if (size > 1) {
        size_t split = data [size - 1] % size;
        zmsg = zmsg_new ();
        zmsg_addmem (zmsg, data, split);
        zmsg_addmem (zmsg, data + split, size - 1 - split);
        s_try (zmsg);
    }
    return 0;
}
