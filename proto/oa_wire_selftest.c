/*  =========================================================================
    oa_wire_selftest - the unit test of the oa_wire class

    Exercises the scanner on every msgpack format and on the lies it must
    refuse, and the field codec on a local layout holding one field of
    every type, independently of the message schema.
    =========================================================================
*/

#include <errno.h>
#include "oa_wire.h"


//  --------------------------------------------------------------------------
//  Self test

//  A layout with one field of every type, independent of the schema
typedef struct {
    uint64_t small;                 //  U8
    int64_t signed_value;           //  I64
    bool flag;                      //  BOOL
    char *text;                     //  STR
    zchunk_t *blob;                 //  BIN
    zhash_t *pairs;                 //  MAP
    zlist_t *texts;                 //  STRINGS
    oa_wire_list_t items;           //  STRUCTS of s_item_t
} s_sample_t;

typedef struct {
    uint64_t number;                //  U32, required
} s_item_t;

static const oa_wire_field_t s_item_fields [] = {
    { "number", 1, OA_WIRE_U32, true, false, 0, 0, offsetof (s_item_t, number), NULL, NULL }
};
static const oa_wire_struct_t s_item_layout = {
    "item", 0, OA_WIRE_PAYLOAD_NONE, sizeof (s_item_t), s_item_fields, 1
};
static const oa_wire_field_t s_sample_fields [] = {
    { "small", 1, OA_WIRE_U8, true, false, 0, 0, offsetof (s_sample_t, small), NULL, NULL },
    { "signed_value", 2, OA_WIRE_I64, false, false, 0, 0,
      offsetof (s_sample_t, signed_value), NULL, NULL },
    { "flag", 3, OA_WIRE_BOOL, false, false, 0, 0, offsetof (s_sample_t, flag), NULL, NULL },
    { "text", 4, OA_WIRE_STR, false, true, 8, 0, offsetof (s_sample_t, text), NULL, NULL },
    { "blob", 5, OA_WIRE_BIN, false, false, 4, 0, offsetof (s_sample_t, blob), NULL, NULL },
    { "pairs", 6, OA_WIRE_MAP, false, false, 2, 4, offsetof (s_sample_t, pairs), NULL, NULL },
    { "texts", 7, OA_WIRE_STRINGS, false, false, 2, 4, offsetof (s_sample_t, texts), NULL, NULL },
    { "items", 8, OA_WIRE_STRUCTS, false, false, 2, 0, offsetof (s_sample_t, items),
      &s_item_layout, NULL }
};
static const oa_wire_struct_t s_sample_layout = {
    "sample", 1, OA_WIRE_PAYLOAD_NONE, sizeof (s_sample_t), s_sample_fields, 8
};
static const oa_wire_limits_t s_limits = { 4096, 256, 8, 1, 1 };

//  Encodes then decodes sample; returns the decoded copy or NULL
static s_sample_t *
s_round_trip (s_sample_t *sample)
{
    oa_wire_header_t header = { 1, 1, 42, 0 };
    zframe_t *frame = oa_wire_encode (&s_limits, &header, &s_sample_layout, sample);
    if (!frame)
        return NULL;
    msgpack_unpacked unpacked;
    msgpack_unpacked_init (&unpacked);
    const msgpack_object *body;
    s_sample_t *copy = (s_sample_t *) calloc (1, sizeof (s_sample_t));
    assert (copy);
    if (oa_wire_parse (&s_limits, zframe_data (frame), zframe_size (frame),
                       &unpacked, &header, &body)
    ||  oa_wire_unpack (&s_sample_layout, body, copy)) {
        oa_wire_clear (&s_sample_layout, copy);
        free (copy);
        copy = NULL;
    }
    else
        assert (header.corr_id == 42);
    msgpack_unpacked_destroy (&unpacked);
    zframe_destroy (&frame);
    return copy;
}

static int
s_scan (const char *bytes, size_t size)
{
    return oa_wire_scan (bytes, size, 64, 4);
}

void
oa_wire_test (bool verbose)
{
    //  @selftest
    //  Scanner: every msgpack format, and the lies it must refuse
    assert (s_scan ("\x93\x01\xa1x\xc3", 5) == 0);
    assert (s_scan ("\x82\x01\xc0\x02\x90", 5) == 0);
    assert (s_scan ("\xcf\x01\x02\x03\x04\x05\x06\x07\x08", 9) == 0);
    assert (s_scan ("\xd3\x01\x02\x03\x04\x05\x06\x07\x08", 9) == 0);
    assert (s_scan ("\xcb\x01\x02\x03\x04\x05\x06\x07\x08", 9) == 0);
    assert (s_scan ("\xd9\x02" "ab", 4) == 0);
    assert (s_scan ("\xc4\x00", 2) == 0);
    assert (s_scan ("\xc7\x01\x05z", 4) == 0);
    assert (s_scan ("\xd4\x05z", 3) == 0);
    assert (s_scan ("\xdc\x00\x02\x01\x02", 5) == 0);
    assert (s_scan ("\xde\x00\x01\x01\x02", 5) == 0);
    assert (s_scan ("", 0) == -1);
    assert (s_scan (NULL, 0) == -1);
    assert (s_scan ("\xc1", 1) == -1);                  //  never-used byte
    assert (s_scan ("\x01\x02", 2) == -1);              //  trailing bytes
    assert (s_scan ("\xdd\xff\xff\xff\xff", 5) == -1);  //  4G elements, no bytes
    assert (s_scan ("\xdf\xff\xff\xff\xff\x01", 6) == -1);
    assert (s_scan ("\xdb\xff\xff\xff\xff", 5) == -1);  //  4 GiB string
    assert (s_scan ("\xc9\xff\xff\xff\xff\x01", 6) == -1);
    assert (s_scan ("\xd8\x01", 2) == -1);
    assert (s_scan ("\x91\x91\x91\x91\x01", 5) == 0);   //  depth 4: allowed
    assert (s_scan ("\x91\x91\x91\x91\x91\x01", 6) == -1);
    //  Truncating any valid object at any point is refused
    const char *valid = "\x94\xcd\x01\x02\x82\xa1k\xc4\x01z\x01\x02\x92\xd0\xff\xc2\xca\x01\x02\x03\x04";
    size_t valid_size = 21;
    assert (s_scan (valid, valid_size) == 0);
    for (size_t size = 0; size < valid_size; size++)
        assert (s_scan (valid, size) == -1);
    //  Object cap: 100 nils in an array exceed 64 objects
    char many [103] = { '\xdc', 0, 100 };
    memset (many + 3, 0xc0, 100);
    assert (s_scan (many, sizeof many) == -1);
    assert (oa_wire_scan (many, sizeof many, 101, 4) == 0);
    //  Depth far beyond the limit is refused without recursion
    char deep [200];
    memset (deep, 0x91, sizeof deep);
    deep [sizeof deep - 1] = 0x01;
    assert (oa_wire_scan (deep, sizeof deep, 1000, 1000) == -1);

    //  Round trip of every type through a local layout
    s_sample_t sample = { 0 };
    sample.small = 200;
    sample.signed_value = -5;
    sample.flag = true;
    sample.text = strdup ("secret");
    sample.blob = zchunk_new ("\x00\x01", 2);
    sample.pairs = zhash_new ();
    zhash_autofree (sample.pairs);
    zhash_insert (sample.pairs, "b", "2");
    zhash_insert (sample.pairs, "a", "1");
    sample.texts = zlist_new ();
    zlist_autofree (sample.texts);
    zlist_append (sample.texts, "x");
    s_item_t *item = (s_item_t *) calloc (1, sizeof (s_item_t));
    item->number = 7;
    oa_wire_list_append (&sample.items, item);
    if (verbose)
        oa_wire_print (&s_sample_layout, &sample, "    ");

    s_sample_t *copy = s_round_trip (&sample);
    assert (copy);
    assert (copy->small == 200 && copy->signed_value == -5 && copy->flag);
    assert (streq (copy->text, "secret"));
    assert (zchunk_size (copy->blob) == 2 && zchunk_data (copy->blob) [1] == 1);
    assert (streq ((char *) zhash_lookup (copy->pairs, "a"), "1"));
    assert (zlist_size (copy->texts) == 1);
    assert (copy->items.size == 1 && ((s_item_t *) copy->items.items [0])->number == 7);
    oa_wire_clear (&s_sample_layout, copy);
    free (copy);

    //  Deep copy is independent of its source
    s_sample_t twin = { 0 };
    oa_wire_copy (&s_sample_layout, &twin, &sample);
    assert (twin.text != sample.text && streq (twin.text, "secret"));
    assert (twin.items.size == 1 && twin.items.items [0] != sample.items.items [0]);
    oa_wire_clear (&s_sample_layout, &twin);

    //  Limits hold on the way out, too
    zhash_insert (sample.pairs, "c", "3");                     //  3 > 2 entries
    assert (s_round_trip (&sample) == NULL && errno == EMSGSIZE);
    zhash_delete (sample.pairs, "c");
    zhash_insert (sample.pairs, "c-too-long", "3");            //  key over item_max
    assert (s_round_trip (&sample) == NULL && errno == EMSGSIZE);
    zhash_delete (sample.pairs, "c-too-long");
    sample.small = 256;                                         //  out of U8 range
    assert (s_round_trip (&sample) == NULL && errno == EINVAL);
    sample.small = 1;
    free (sample.text);
    sample.text = strdup ("123456789");                         //  9 > 8 bytes
    assert (s_round_trip (&sample) == NULL && errno == EMSGSIZE);
    oa_wire_clear (&s_sample_layout, &sample);
    assert (sample.text == NULL && sample.items.items == NULL);

    //  A frame cap smaller than the body refuses to encode
    oa_wire_limits_t tight = s_limits;
    tight.frame_max = 4;
    oa_wire_header_t header = { 1, 1, 42, 0 };
    zframe_t *frame = oa_wire_encode (&tight, &header, &s_sample_layout, &sample);
    assert (frame == NULL && errno == EMSGSIZE);

    //  Peeking reads the envelope that parse reads, and refuses what it refuses
    oa_wire_header_t big = { 1, 5, UINT64_C (0x0001000000000007), 1700000000000 };
    frame = oa_wire_encode (&s_limits, &big, &s_sample_layout, &sample);
    assert (frame);
    oa_wire_header_t seen = { 0 };
    assert (oa_wire_peek (&s_limits, zframe_data (frame), zframe_size (frame), &seen) == 0);
    assert (seen.version == 1 && seen.id == 5 && seen.corr_id == big.corr_id
            && seen.deadline == big.deadline);
    //  A cut frame, trailing bytes, or a frame over the cap are malformed
    assert (oa_wire_peek (&s_limits, zframe_data (frame), zframe_size (frame) - 1, &seen));
    assert (oa_wire_peek (&tight, zframe_data (frame), zframe_size (frame), &seen));
    zframe_destroy (&frame);
    //  Hand-made envelopes: signed but positive counts, negative does not,
    //  four elements or a non-map body do not, nor an unknown version
    const byte good [] = { 0x95, 0x01, 0xd0, 0x02, 0x03, 0x00, 0x80 };
    assert (oa_wire_peek (&s_limits, good, sizeof good, &seen) == 0 && seen.id == 2);
    const byte negative [] = { 0x95, 0x01, 0xd0, 0xfe, 0x03, 0x00, 0x80 };
    assert (oa_wire_peek (&s_limits, negative, sizeof negative, &seen));
    const byte four [] = { 0x94, 0x01, 0x02, 0x03, 0x80 };
    assert (oa_wire_peek (&s_limits, four, sizeof four, &seen));
    const byte no_map [] = { 0x95, 0x01, 0x02, 0x03, 0x00, 0x90 };
    assert (oa_wire_peek (&s_limits, no_map, sizeof no_map, &seen));
    const byte version [] = { 0x95, 0x02, 0x02, 0x03, 0x00, 0x80 };
    assert (oa_wire_peek (&s_limits, version, sizeof version, &seen));
    assert (oa_wire_peek (&s_limits, "garbage", 7, &seen));
    assert (oa_wire_peek (&s_limits, NULL, 0, &seen));
    //  @end
}
