/*  =========================================================================
    oa_msg_selftest - the unit test of the oa_msg class

    Hand-written, driven by the generated tables, so a new message or field
    is tested without touching this file:
    - every message round-trips with its <test> values, and the C encoder
      agrees byte for byte with the generator's own (golden vectors);
    - every truncated prefix of every encoding is malformed;
    - every field, at every nesting level, is refused when missing (if
      required), of the wrong type, over its max or repeated, and accepted
      at exactly its max; unknown keys are skipped;
    - envelope, payload-frame and frame-size rules;
    - random and bit-flipped input never crashes and never decodes into
      something that does not re-encode;
    - whole messages over inproc ROUTER/DEALER sockets, DONTWAIT included.
    The oversize and wrong-type cases are msgpack objects built by hand and
    spliced into the golden encodings (oa_msg_mutate.c).
    =========================================================================
*/

#include <errno.h>
#include "oa_msg.h"
#include "oa_wire.h"
#include "oa_msg_mutate.h"

//  A fixed pseudo-random sequence, so failures reproduce
static uint32_t
s_random (uint32_t *state)
{
    *state = *state * 1103515245 + 12345;
    return (*state >> 8) & 0xffffff;
}

//  Encodes a message and returns its body frame; asserts it encodes
static zframe_t *
s_body (oa_msg_t *msg)
{
    zmsg_t *zmsg = zmsg_new ();
    int rc = oa_msg_encode (msg, zmsg);
    assert (rc == 0);
    zframe_t *body = zmsg_pop (zmsg);
    zmsg_destroy (&zmsg);
    return body;
}

//  Decodes a body alone and returns err; a decoded message must re-encode,
//  and its re-encoding must decode to the same bytes again (canonical form)
static int
s_decode_check (const void *data, size_t size)
{
    int err = 12345;
    oa_msg_t *msg = oa_msg_decode_body (data, size, &err);
    assert (err == OA_MSG_OK || err == OA_MSG_MALFORMED);
    assert ((msg != NULL) == (err == OA_MSG_OK));
    if (msg) {
        //  A decoded message may lack the payload its id requires; give it
        //  one so it encodes (payload rules are tested separately)
        const struct _oa_wire_struct_t *layout = oa_msg_layout (oa_msg_id (msg));
        if (layout->payload == OA_WIRE_PAYLOAD_REQUIRED)
            oa_msg_set_payload_bytes (msg, "x", 1);
        zframe_t *body = s_body (msg);
        oa_msg_t *again = oa_msg_decode_body (zframe_data (body), zframe_size (body), NULL);
        assert (again);
        if (layout->payload == OA_WIRE_PAYLOAD_REQUIRED)
            oa_msg_set_payload_bytes (again, "x", 1);
        zframe_t *body2 = s_body (again);
        assert (zframe_eq (body, body2));
        zframe_destroy (&body);
        zframe_destroy (&body2);
        oa_msg_destroy (&again);
        oa_msg_destroy (&msg);
    }
    return err;
}

//  Every sample: accessors, golden bytes, round trip, dup, truncations,
//  and the per-field mutations
static void
s_test_samples (bool verbose)
{
    int count = 0;
    for (int id = 0; id < 256; id++) {
        oa_msg_t *sample = oa_msg_sample (id);
        assert ((sample != NULL) == (oa_msg_layout (id) != NULL));
        assert ((sample != NULL) == (oa_msg_id_name (id) != NULL));
        if (!sample)
            continue;
        count++;
        assert (oa_msg_id (sample) == id);
        assert (streq (oa_msg_command (sample), oa_msg_id_name (id)));
        assert (oa_msg_sample_verify (sample));
        if (verbose)
            oa_msg_print (sample);

        //  The C encoder agrees with the generator's encoder
        size_t golden_size;
        const uint8_t *golden = oa_msg_sample_golden (id, &golden_size);
        assert (golden && golden_size > 0);
        zframe_t *body = s_body (sample);
        if (zframe_size (body) != golden_size || memcmp (zframe_data (body), golden, golden_size)) {
            fprintf (stderr, "oa_msg: %s encodes unlike its golden vector\n",
                     oa_msg_id_name (id));
            assert (false);
        }

        //  Round trip through a zmsg, payload frame included
        zmsg_t *zmsg = zmsg_new ();
        assert (oa_msg_encode (sample, zmsg) == 0);
        assert (zmsg_size (zmsg) == (oa_msg_payload (sample)? 2u: 1u));
        int err;
        oa_msg_t *copy = oa_msg_decode (&zmsg, &err);
        assert (copy && err == OA_MSG_OK && zmsg == NULL);
        assert (oa_msg_sample_verify (copy));
        assert (oa_msg_version (copy) == OA_MSG_VERSION);
        zframe_t *body2 = s_body (copy);
        assert (zframe_eq (body, body2));
        zframe_destroy (&body2);

        //  A deep copy is equal and independent
        oa_msg_t *twin = oa_msg_dup (copy);
        oa_msg_destroy (&copy);
        assert (oa_msg_sample_verify (twin));
        body2 = s_body (twin);
        assert (zframe_eq (body, body2));
        zframe_destroy (&body2);
        oa_msg_destroy (&twin);

        //  Every proper prefix is malformed
        for (size_t size = 0; size < golden_size; size++) {
            oa_msg_t *msg = oa_msg_decode_body (golden, size, &err);
            assert (msg == NULL && err == OA_MSG_MALFORMED);
        }
        //  Each field, at every level, refused when it should be
        oa_msg_mutate_check (id, golden, golden_size, verbose);

        zframe_destroy (&body);
        oa_msg_destroy (&sample);
    }
    assert (count == 18);        //  every message of the schema was sampled
}

//  Payload frame and frame-count rules, and limits on the way out
static void
s_test_frames (void)
{
    int err;
    //  RELAY_DATA requires its payload, RELAY_HEAD takes none
    oa_msg_t *data = oa_msg_sample (OA_MSG_RELAY_DATA);
    zframe_t *body = s_body (data);
    zmsg_t *zmsg = zmsg_new ();
    zmsg_append (zmsg, &body);
    assert (oa_msg_decode (&zmsg, &err) == NULL && err == OA_MSG_MALFORMED);
    zframe_t *payload = oa_msg_get_payload (data);
    zmsg_t *out = zmsg_new ();
    assert (oa_msg_encode (data, out) == -1 && errno == EINVAL);
    zmsg_destroy (&out);
    oa_msg_set_payload (data, &payload);
    assert (payload == NULL && oa_msg_payload (data));

    //  An empty payload frame is a payload
    oa_msg_set_payload_bytes (data, NULL, 0);
    zmsg = zmsg_new ();
    assert (oa_msg_encode (data, zmsg) == 0 && zmsg_size (zmsg) == 2);
    oa_msg_t *copy = oa_msg_decode (&zmsg, &err);
    assert (copy && zframe_size (oa_msg_payload (copy)) == 0);
    oa_msg_destroy (&copy);

    //  Three frames are too many
    zmsg = zmsg_new ();
    assert (oa_msg_encode (data, zmsg) == 0);
    zmsg_addstr (zmsg, "extra");
    assert (oa_msg_decode (&zmsg, &err) == NULL && err == OA_MSG_MALFORMED);

    //  A payload over OA_MSG_PAYLOAD_MAX is refused both ways
    zframe_t *huge = zframe_new (NULL, (size_t) OA_MSG_PAYLOAD_MAX + 1);
    zmsg = zmsg_new ();
    body = s_body (data);
    zmsg_append (zmsg, &body);
    zframe_t *huge_copy = zframe_dup (huge);
    zmsg_append (zmsg, &huge_copy);
    assert (oa_msg_decode (&zmsg, &err) == NULL && err == OA_MSG_MALFORMED);
    oa_msg_set_payload (data, &huge);
    out = zmsg_new ();
    assert (oa_msg_encode (data, out) == -1 && errno == EMSGSIZE);
    zmsg_destroy (&out);
    oa_msg_destroy (&data);

    oa_msg_t *head = oa_msg_sample (OA_MSG_RELAY_HEAD);
    oa_msg_set_payload_bytes (head, "x", 1);
    out = zmsg_new ();
    assert (oa_msg_encode (head, out) == -1 && errno == EINVAL);
    zmsg_destroy (&out);
    zframe_t *stray = oa_msg_get_payload (head);
    zmsg = zmsg_new ();
    body = s_body (head);
    zmsg_append (zmsg, &body);
    zmsg_append (zmsg, &stray);
    assert (oa_msg_decode (&zmsg, &err) == NULL && err == OA_MSG_MALFORMED);

    //  Values over their max are refused by the encoder too
    char text [300];
    memset (text, 'a', sizeof text - 1);
    text [sizeof text - 1] = 0;
    oa_msg_set_content_type (head, text);                       //  max 256
    out = zmsg_new ();
    assert (oa_msg_encode (head, out) == -1 && errno == EMSGSIZE);
    oa_msg_set_content_type (head, text + 44);                  //  exactly 255
    assert (oa_msg_encode (head, out) == 0);
    zmsg_destroy (&out);
    for (int index = 0; index < 40; index++) {
        char key [16];
        snprintf (key, sizeof key, "x-%d", index);
        oa_msg_headers_insert (head, key, "v");                 //  max 32 entries
    }
    out = zmsg_new ();
    assert (oa_msg_encode (head, out) == -1 && errno == EMSGSIZE);
    zmsg_destroy (&out);
    oa_msg_destroy (&head);

    //  No frames, or no message at all
    zmsg = zmsg_new ();
    assert (oa_msg_decode (&zmsg, &err) == NULL && err == OA_MSG_MALFORMED);
    zmsg = NULL;
    assert (oa_msg_decode (&zmsg, NULL) == NULL);

    //  A body over OA_MSG_FRAME_MAX is refused before it is parsed
    size_t golden_size;
    const uint8_t *golden = oa_msg_sample_golden (OA_MSG_HEARTBEAT, &golden_size);
    zframe_t *big = zframe_new (NULL, (size_t) OA_MSG_FRAME_MAX + 1);
    memcpy (zframe_data (big), golden, golden_size);
    assert (oa_msg_decode_body (zframe_data (big), zframe_size (big), &err) == NULL);
    assert (err == OA_MSG_MALFORMED);
    zframe_destroy (&big);
    assert (oa_msg_decode_body (NULL, 0, &err) == NULL && err == OA_MSG_MALFORMED);
}

//  Accessors that are not exercised by the samples
static void
s_test_accessors (void)
{
    assert (oa_msg_new (0) == NULL);
    assert (oa_msg_new (256) == NULL);
    assert (oa_msg_id_name (-1) == NULL);
    assert (streq (oa_msg_format_name (OA_MSG_FORMAT_CLAUDE), "claude"));
    assert (oa_msg_format_name (250) == NULL);
    assert (streq (oa_msg_op_name (OA_MSG_OP_DELETE), "delete"));

    oa_msg_t *msg = oa_msg_new (OA_MSG_RELAY_REQUEST);
    assert (streq (oa_msg_request_id (msg), ""));               //  unset reads as ""
    assert (oa_msg_headers (msg) == NULL);
    assert (oa_msg_headers_lookup (msg, "a") == NULL);
    assert (oa_msg_candidates_size (msg) == 0);
    assert (oa_msg_candidates_at (msg, 0) == NULL);
    //  Setting a text to itself is safe
    oa_msg_set_path (msg, "/v1/chat/completions");
    oa_msg_set_path (msg, oa_msg_path (msg));
    assert (streq (oa_msg_path (msg), "/v1/chat/completions"));
    oa_msg_set_path (msg, NULL);
    assert (streq (oa_msg_path (msg), ""));
    //  Maps: insert replaces, get takes ownership, set gives it
    oa_msg_headers_insert (msg, "a", "1");
    oa_msg_headers_insert (msg, "a", "2");
    assert (streq (oa_msg_headers_lookup (msg, "a"), "2"));
    zhash_t *headers = oa_msg_get_headers (msg);
    assert (headers && oa_msg_headers (msg) == NULL);
    oa_msg_set_headers (msg, &headers);
    assert (headers == NULL && zhash_size (oa_msg_headers (msg)) == 1);
    //  Struct lists: append takes ownership, purge empties
    oa_msg_candidate_t *candidate = oa_msg_candidate_new ();
    oa_msg_candidate_set_api_key (candidate, "sk-secret");
    oa_msg_candidate_t *twin = oa_msg_candidate_dup (candidate);
    oa_msg_candidates_append (msg, &candidate);
    assert (candidate == NULL && oa_msg_candidates_size (msg) == 1);
    assert (streq (oa_msg_candidate_api_key (oa_msg_candidates_at (msg, 0)), "sk-secret"));
    oa_msg_candidates_purge (msg);
    assert (oa_msg_candidates_size (msg) == 0);
    assert (streq (oa_msg_candidate_api_key (twin), "sk-secret"));
    oa_msg_candidate_destroy (&twin);
    oa_msg_candidate_destroy (&twin);                           //  idempotent
    //  Strings
    oa_msg_t *ack = oa_msg_new (OA_MSG_USAGE_ACK);
    oa_msg_request_ids_append (ack, "r1");
    zlist_t *ids = oa_msg_get_request_ids (ack);
    assert (zlist_size (ids) == 1);
    oa_msg_set_request_ids (ack, &ids);
    oa_msg_set_request_ids (ack, NULL);
    assert (oa_msg_request_ids (ack) == NULL);
    oa_msg_destroy (&ack);
    //  Replies go back where the request came from
    zframe_t *peer = zframe_new ("peer", 4);
    oa_msg_set_routing_id (msg, peer);
    zframe_destroy (&peer);
    oa_msg_set_corr_id (msg, 77);
    oa_msg_set_deadline (msg, 88);
    oa_msg_t *reply = oa_msg_new_reply (msg, OA_MSG_RELAY_END);
    assert (oa_msg_corr_id (reply) == 77 && oa_msg_deadline (reply) == 88);
    assert (zframe_streq (oa_msg_routing_id (reply), "peer"));
    assert (oa_msg_new_reply (msg, 99) == NULL);
    oa_msg_destroy (&reply);
    oa_msg_destroy (&msg);
    oa_msg_destroy (&msg);                                      //  idempotent
    assert (oa_msg_dup (NULL) == NULL);
}

//  Random bytes, and goldens with a few bytes flipped: never a crash, and
//  whatever decodes re-encodes canonically
static void
s_test_garbage (void)
{
    uint32_t state = 42;
    uint8_t buffer [512];
    for (int round = 0; round < 20000; round++) {
        size_t size = s_random (&state) % sizeof buffer;
        for (size_t index = 0; index < size; index++)
            buffer [index] = (uint8_t) s_random (&state);
        //  Start many inputs like an envelope, so the walk goes deeper
        if (size > 2 && round % 2) {
            buffer [0] = 0x95;
            buffer [1] = 0x01;
            buffer [2] = (uint8_t) (s_random (&state) % 40);
        }
        s_decode_check (buffer, size);
    }
    int decoded = 0;
    for (int id = 1; id < 256; id++) {
        size_t size;
        const uint8_t *golden = oa_msg_sample_golden (id, &size);
        if (!golden)
            continue;
        uint8_t *copy = (uint8_t *) malloc (size);
        assert (copy);
        for (int round = 0; round < 400; round++) {
            memcpy (copy, golden, size);
            int flips = 1 + (int) (s_random (&state) % 4);
            for (int flip = 0; flip < flips; flip++)
                copy [s_random (&state) % size] ^= (uint8_t) (1 + s_random (&state) % 255);
            if (s_decode_check (copy, size) == OA_MSG_OK)
                decoded++;
        }
        free (copy);
    }
    assert (decoded > 0);           //  some flips only change a value
}

//  Whole messages over inproc ROUTER and DEALER sockets
static void
s_test_sockets (void)
{
    int err;
    zsock_t *router = zsock_new_router ("inproc://oa-msg-selftest");
    zsock_t *dealer = zsock_new_dealer (">inproc://oa-msg-selftest");
    assert (router && dealer);
    zsock_set_rcvtimeo (router, 5000);
    zsock_set_rcvtimeo (dealer, 5000);

    //  Nothing queued: DONTWAIT fails at once
    assert (oa_msg_recv (router, OA_MSG_DONTWAIT, &err) == NULL);
    assert (err == OA_MSG_ERROR && errno == EAGAIN);

    //  Request with payload, dealer to router
    oa_msg_t *request = oa_msg_sample (OA_MSG_RELAY_REQUEST);
    assert (oa_msg_send (request, dealer, 0) == 0);
    oa_msg_t *received = oa_msg_recv (router, 0, &err);
    assert (received && err == OA_MSG_OK);
    assert (oa_msg_sample_verify (received));
    assert (oa_msg_routing_id (received));
    assert (oa_msg_payload (request));                          //  still the caller's

    //  Reply, router to dealer, addressed by the request's routing id
    oa_msg_t *head = oa_msg_new_reply (received, OA_MSG_RELAY_HEAD);
    oa_msg_set_status (head, 200);
    assert (oa_msg_send (head, router, OA_MSG_DONTWAIT) == 0);
    oa_msg_t *got = oa_msg_recv (dealer, 0, &err);
    assert (got && oa_msg_id (got) == OA_MSG_RELAY_HEAD && oa_msg_status (got) == 200);
    assert (oa_msg_corr_id (got) == oa_msg_corr_id (request));
    assert (oa_msg_routing_id (got) == NULL);
    oa_msg_destroy (&got);

    //  A ROUTER needs a routing id
    oa_msg_set_routing_id (head, NULL);
    assert (oa_msg_send (head, router, 0) == -1 && errno == EINVAL);
    oa_msg_destroy (&head);

    //  Garbage and too many frames are consumed as malformed, and the
    //  socket stays in step for the next message
    zstr_send (dealer, "garbage");
    zstr_sendx (dealer, "a", "b", "c", "d", NULL);
    assert (oa_msg_send (request, dealer, 0) == 0);
    assert (oa_msg_recv (router, 0, &err) == NULL && err == OA_MSG_MALFORMED);
    assert (oa_msg_recv (router, 0, &err) == NULL && err == OA_MSG_MALFORMED);
    got = oa_msg_recv (router, 0, &err);
    assert (got && oa_msg_sample_verify (got));
    oa_msg_destroy (&got);

    //  An unknown peer on a mandatory ROUTER is an error, not a silent drop
    zsock_set_router_mandatory (router, 1);
    zframe_t *nobody = zframe_new ("nobody", 6);
    oa_msg_set_routing_id (received, nobody);
    zframe_destroy (&nobody);
    assert (oa_msg_send (received, router, OA_MSG_DONTWAIT) == -1 && errno == EHOSTUNREACH);
    oa_msg_destroy (&received);

    //  A DEALER with no peer cannot queue: DONTWAIT fails with EAGAIN
    zsock_t *lonely = zsock_new (ZMQ_DEALER);
    assert (oa_msg_send (request, lonely, OA_MSG_DONTWAIT) == -1 && errno == EAGAIN);
    zsock_destroy (&lonely);

    oa_msg_destroy (&request);
    zsock_destroy (&dealer);
    zsock_destroy (&router);
}

void
oa_msg_test (bool verbose)
{
    //  @selftest
    s_test_samples (verbose);
    s_test_frames ();
    s_test_accessors ();
    s_test_garbage ();
    s_test_sockets ();
    //  @end
}
