/*  =========================================================================
    oa_msg_mutate - per-field mutation tests of the oa_msg decoder

    A "site" is one field map inside a golden encoding: the body map, or
    the first element of a struct list within it. A mutant replaces the
    site's map by an altered copy; s_try rebuilds the envelope around it,
    packs it with msgpack_pack_object and decodes it. All mutant objects
    live in one msgpack zone per message. See oa_msg_mutate.h.
    =========================================================================
*/

#include "oa_msg.h"
#include "oa_wire.h"
#include "oa_msg_mutate.h"

typedef struct s_site_t s_site_t;

struct s_site_t {
    const msgpack_object *root;     //  the golden envelope, 5 elements
    const s_site_t *outer;          //  site of the map holding our list, or NULL
    const msgpack_object *map;      //  the field map under test
    uint32_t index;                 //  in outer->map, the pair whose list holds us
    const oa_wire_struct_t *layout; //  fields of the map under test
    msgpack_zone *zone;             //  owns every mutant object
    const uint8_t *golden;          //  the golden body, for canonical checks
    size_t golden_size;             //  its size
    const char *name;               //  for failure messages
};

//  --------------------------------------------------------------------------
//  Building msgpack objects

static void *
s_alloc (msgpack_zone *zone, size_t size)
{
    void *memory = msgpack_zone_malloc (zone, size? size: 1);
    assert (memory);
    return memory;
}

static msgpack_object
s_object (msgpack_object_type type)
{
    msgpack_object object;
    memset (&object, 0, sizeof object);
    object.type = type;
    return object;
}

static msgpack_object
s_uint (uint64_t value)
{
    msgpack_object object = s_object (MSGPACK_OBJECT_POSITIVE_INTEGER);
    object.via.u64 = value;
    return object;
}

static msgpack_object
s_int (int64_t value)
{
    if (value >= 0)
        return s_uint ((uint64_t) value);
    msgpack_object object = s_object (MSGPACK_OBJECT_NEGATIVE_INTEGER);
    object.via.i64 = value;
    return object;
}

static msgpack_object
s_bool (bool value)
{
    msgpack_object object = s_object (MSGPACK_OBJECT_BOOLEAN);
    object.via.boolean = value;
    return object;
}

static msgpack_object
s_float (double value)
{
    msgpack_object object = s_object (MSGPACK_OBJECT_FLOAT64);
    object.via.f64 = value;
    return object;
}

//  A str (or bin) of size bytes; the first bytes spell number in decimal,
//  so maps built of them have distinct keys; a NUL at nul_at if < size
static msgpack_object
s_text (msgpack_zone *zone, msgpack_object_type type, size_t size, uint32_t number, size_t nul_at)
{
    char *bytes = (char *) s_alloc (zone, size);
    memset (bytes, 'a', size);
    char digits [16];
    int length = snprintf (digits, sizeof digits, "%u", number);
    if ((size_t) length <= size)
        memcpy (bytes, digits, (size_t) length);
    if (nul_at < size)
        bytes [nul_at] = 0;
    msgpack_object object = s_object (type);
    object.via.str.ptr = bytes;     //  bin shares the str layout
    object.via.str.size = (uint32_t) size;
    return object;
}

static msgpack_object
s_str (msgpack_zone *zone, size_t size)
{
    return s_text (zone, MSGPACK_OBJECT_STR, size, 0, SIZE_MAX);
}

//  An array of count copies of item (item NULL: count distinct strings)
static msgpack_object
s_array (msgpack_zone *zone, uint32_t count, const msgpack_object *item, size_t text_size)
{
    msgpack_object object = s_object (MSGPACK_OBJECT_ARRAY);
    object.via.array.ptr = (msgpack_object *) s_alloc (zone, count * sizeof (msgpack_object));
    object.via.array.size = count;
    for (uint32_t index = 0; index < count; index++)
        object.via.array.ptr [index] = item? *item:
            s_text (zone, MSGPACK_OBJECT_STR, text_size, index, SIZE_MAX);
    return object;
}

//  A map of count distinct string keys of key_size bytes to strings of
//  value_size bytes
static msgpack_object
s_texts_map (msgpack_zone *zone, uint32_t count, size_t key_size, size_t value_size)
{
    msgpack_object object = s_object (MSGPACK_OBJECT_MAP);
    object.via.map.ptr =
        (msgpack_object_kv *) s_alloc (zone, count * sizeof (msgpack_object_kv));
    object.via.map.size = count;
    for (uint32_t index = 0; index < count; index++) {
        object.via.map.ptr [index].key = s_text (zone, MSGPACK_OBJECT_STR, key_size, index,
                                                 SIZE_MAX);
        object.via.map.ptr [index].val = s_str (zone, value_size);
    }
    return object;
}

//  A copy of map with pair index replaced (index < size), removed (value
//  NULL), or a pair added (index == size)
static msgpack_object
s_edit (msgpack_zone *zone, const msgpack_object *map, uint32_t index,
        const msgpack_object *key, const msgpack_object *value)
{
    uint32_t size = map->via.map.size;
    msgpack_object copy = *map;
    copy.via.map.ptr =
        (msgpack_object_kv *) s_alloc (zone, (size + 1) * sizeof (msgpack_object_kv));
    if (size)
        memcpy (copy.via.map.ptr, map->via.map.ptr, size * sizeof (msgpack_object_kv));
    if (index == size) {
        copy.via.map.ptr [size].key = *key;
        copy.via.map.ptr [size].val = *value;
        copy.via.map.size = size + 1;
    }
    else
    if (value) {
        if (key)
            copy.via.map.ptr [index].key = *key;
        copy.via.map.ptr [index].val = *value;
    }
    else {
        memmove (copy.via.map.ptr + index, copy.via.map.ptr + index + 1,
                 (size - index - 1) * sizeof (msgpack_object_kv));
        copy.via.map.size = size - 1;
    }
    return copy;
}


//  --------------------------------------------------------------------------
//  Trying mutants

//  Packs an envelope and decodes it; returns err. A decoded message is
//  re-encoded; if canonical is set, its body must equal the golden body
static int
s_decode (const s_site_t *site, const msgpack_object *root, bool canonical)
{
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    msgpack_packer packer;
    msgpack_packer_init (&packer, &buffer, msgpack_sbuffer_write);
    int rc = msgpack_pack_object (&packer, *root);
    assert (rc == 0);
    int err;
    oa_msg_t *msg = oa_msg_decode_body (buffer.data, buffer.size, &err);
    msgpack_sbuffer_destroy (&buffer);
    if (msg && canonical) {
        if (oa_msg_layout (oa_msg_id (msg))->payload == OA_WIRE_PAYLOAD_REQUIRED)
            oa_msg_set_payload_bytes (msg, "x", 1);
        zmsg_t *zmsg = zmsg_new ();
        rc = oa_msg_encode (msg, zmsg);
        assert (rc == 0);
        zframe_t *body = zmsg_first (zmsg);
        assert (zframe_size (body) == site->golden_size);
        assert (memcmp (zframe_data (body), site->golden, site->golden_size) == 0);
        zmsg_destroy (&zmsg);
    }
    oa_msg_destroy (&msg);
    return err;
}

//  Rebuilds the envelope around a replacement for the site's map, decodes
static int
s_try (const s_site_t *site, msgpack_object map, bool canonical)
{
    if (site->outer) {
        //  We are element 0 of a list in the outer map: copy that list
        const msgpack_object *list = &site->outer->map->via.map.ptr [site->index].val;
        msgpack_object copy = *list;
        copy.via.array.ptr =
            (msgpack_object *) s_alloc (site->zone, list->via.array.size * sizeof (msgpack_object));
        memcpy (copy.via.array.ptr, list->via.array.ptr,
                list->via.array.size * sizeof (msgpack_object));
        copy.via.array.ptr [0] = map;
        return s_try (site->outer, s_edit (site->zone, site->outer->map, site->index, NULL, &copy),
                      canonical);
    }
    msgpack_object items [5];
    memcpy (items, site->root->via.array.ptr, sizeof items);
    items [4] = map;
    msgpack_object root = *site->root;
    root.via.array.ptr = items;
    return s_decode (site, &root, canonical);
}

static void
s_expect (const s_site_t *site, const char *field, const char *what, msgpack_object map,
          int expected)
{
    int err = s_try (site, map, false);
    if (err != expected) {
        fprintf (stderr, "oa_msg: %s.%s, %s: decoded as %s, expected %s\n", site->name,
                 field, what, err == OA_MSG_OK? "valid": "malformed",
                 expected == OA_MSG_OK? "valid": "malformed");
        assert (false);
    }
}

//  The value replaced by each bad value is refused; by each good value
//  (at the limits) accepted
static void
s_values (const s_site_t *site, const oa_wire_field_t *field, uint32_t index)
{
    msgpack_zone *zone = site->zone;
    const msgpack_object *value = &site->map->via.map.ptr [index].val;
    msgpack_object bad [12], good [6];
    size_t bads = 0, goods = 0;
    bad [bads++] = s_object (MSGPACK_OBJECT_NIL);
    bad [bads++] = s_float (1.0);
    switch (field->type) {
        case OA_WIRE_U8: case OA_WIRE_U16: case OA_WIRE_U32: case OA_WIRE_U64: {
            uint64_t max = field->type == OA_WIRE_U8? UINT8_MAX: field->type == OA_WIRE_U16?
                UINT16_MAX: field->type == OA_WIRE_U32? UINT32_MAX: UINT64_MAX;
            bad [bads++] = s_str (zone, 1);
            bad [bads++] = s_bool (true);
            bad [bads++] = s_int (-1);
            if (max < UINT64_MAX)
                bad [bads++] = s_uint (max + 1);
            good [goods++] = s_uint (max);
            good [goods++] = s_uint (0);
            break;
        }
        case OA_WIRE_I64:
            bad [bads++] = s_str (zone, 1);
            bad [bads++] = s_bool (true);
            bad [bads++] = s_uint ((uint64_t) INT64_MAX + 1);
            good [goods++] = s_int (INT64_MIN);
            good [goods++] = s_int (INT64_MAX);
            break;
        case OA_WIRE_BOOL:
            bad [bads++] = s_uint (1);
            bad [bads++] = s_str (zone, 4);
            good [goods++] = s_bool (false);
            break;
        case OA_WIRE_STR:
            bad [bads++] = s_uint (1);
            bad [bads++] = s_text (zone, MSGPACK_OBJECT_BIN, 4, 0, SIZE_MAX);
            bad [bads++] = s_str (zone, field->max + 1);
            bad [bads++] = s_text (zone, MSGPACK_OBJECT_STR, 3, 0, 1);
            good [goods++] = s_str (zone, field->max);
            good [goods++] = s_str (zone, 0);
            break;
        case OA_WIRE_BIN:
            bad [bads++] = s_str (zone, 4);
            bad [bads++] = s_text (zone, MSGPACK_OBJECT_BIN, field->max + 1, 0, SIZE_MAX);
            good [goods++] = s_text (zone, MSGPACK_OBJECT_BIN, field->max, 0, 1);
            good [goods++] = s_text (zone, MSGPACK_OBJECT_BIN, 0, 0, SIZE_MAX);
            break;
        case OA_WIRE_MAP: {
            bad [bads++] = s_array (zone, 2, NULL, 1);
            bad [bads++] = s_texts_map (zone, (uint32_t) field->max + 1, 8, 1);
            bad [bads++] = s_texts_map (zone, 1, field->item_max + 1, 1);
            bad [bads++] = s_texts_map (zone, 1, 1, field->item_max + 1);
            msgpack_object pairs = s_texts_map (zone, 2, 1, 1);
            pairs.via.map.ptr [1].val = s_uint (1);               //  value not a str
            bad [bads++] = pairs;
            pairs = s_texts_map (zone, 2, 1, 1);
            pairs.via.map.ptr [1].key = s_uint (1);               //  key not a str
            bad [bads++] = pairs;
            pairs = s_texts_map (zone, 2, 1, 1);
            pairs.via.map.ptr [1].key = pairs.via.map.ptr [0].key;    //  repeated key
            bad [bads++] = pairs;
            good [goods++] = s_texts_map (zone, (uint32_t) field->max, field->item_max,
                                          field->item_max);
            good [goods++] = s_texts_map (zone, 0, 1, 1);
            break;
        }
        case OA_WIRE_STRINGS: {
            bad [bads++] = s_texts_map (zone, 1, 1, 1);
            bad [bads++] = s_array (zone, (uint32_t) field->max + 1, NULL, 1);
            bad [bads++] = s_array (zone, 1, NULL, field->item_max + 1);
            msgpack_object number = s_uint (1);
            bad [bads++] = s_array (zone, 1, &number, 0);
            good [goods++] = s_array (zone, (uint32_t) field->max, NULL, field->item_max);
            good [goods++] = s_array (zone, 0, NULL, 0);
            break;
        }
        case OA_WIRE_STRUCTS: {
            bad [bads++] = s_texts_map (zone, 1, 1, 1);
            assert (value->type == MSGPACK_OBJECT_ARRAY && value->via.array.size > 0);
            const msgpack_object *item = &value->via.array.ptr [0];
            bad [bads++] = s_array (zone, (uint32_t) field->max + 1, item, 0);
            msgpack_object number = s_uint (1);
            bad [bads++] = s_array (zone, 1, &number, 0);
            good [goods++] = s_array (zone, (uint32_t) field->max, item, 0);
            good [goods++] = s_array (zone, 0, NULL, 0);
            break;
        }
    }
    assert (bads <= 12 && goods <= 6);
    for (size_t bad_index = 0; bad_index < bads; bad_index++) {
        char what [32];
        snprintf (what, sizeof what, "bad value %zu", bad_index);
        s_expect (site, field->name, what,
                  s_edit (zone, site->map, index, NULL, &bad [bad_index]), OA_MSG_MALFORMED);
    }
    for (size_t good_index = 0; good_index < goods; good_index++) {
        char what [32];
        snprintf (what, sizeof what, "good value %zu", good_index);
        s_expect (site, field->name, what,
                  s_edit (zone, site->map, index, NULL, &good [good_index]), OA_MSG_OK);
    }
}

//  Every mutation of one site, then of the sites nested in it
static void
s_mutate (const s_site_t *site)
{
    msgpack_zone *zone = site->zone;
    const msgpack_object *map = site->map;
    assert (map->type == MSGPACK_OBJECT_MAP);
    uint32_t size = map->via.map.size;
    for (size_t slot = 0; slot < site->layout->field_count; slot++) {
        const oa_wire_field_t *field = &site->layout->fields [slot];
        uint32_t index = 0;
        while (index < size && map->via.map.ptr [index].key.via.u64 != field->key)
            index++;
        assert (index < size);      //  samples carry every field
        const msgpack_object_kv *pair = &map->via.map.ptr [index];

        s_expect (site, field->name, "missing", s_edit (zone, map, index, NULL, NULL),
                  field->required? OA_MSG_MALFORMED: OA_MSG_OK);
        s_expect (site, field->name, "repeated",
                  s_edit (zone, map, size, &pair->key, &pair->val), OA_MSG_MALFORMED);
        s_values (site, field, index);
        if (field->type == OA_WIRE_STRUCTS) {
            char name [64];
            snprintf (name, sizeof name, "%s.%s[0]", site->name, field->name);
            s_site_t nested = *site;
            nested.outer = site;
            nested.map = &pair->val.via.array.ptr [0];
            nested.index = index;
            nested.layout = field->nested;
            nested.name = name;
            s_mutate (&nested);
        }
    }
    //  Unknown keys of any type are skipped, leaving the canonical bytes
    msgpack_object unknown [5] = {
        s_str (zone, 20), s_float (2.5), s_object (MSGPACK_OBJECT_NIL),
        s_texts_map (zone, 2, 3, 3), s_array (zone, 3, NULL, 2)
    };
    msgpack_object key = s_uint (120);
    for (size_t index = 0; index < 5; index++)
        assert (s_try (site, s_edit (zone, map, size, &key, &unknown [index]), true) == OA_MSG_OK);
    msgpack_object big_key = s_uint (UINT64_MAX);
    assert (s_try (site, s_edit (zone, map, size, &big_key, &unknown [0]), true) == OA_MSG_OK);
    //  Keys must be non-negative integers
    msgpack_object bad_keys [3] = { s_str (zone, 1), s_int (-1), s_bool (true) };
    for (size_t index = 0; index < 3; index++)
        s_expect (site, "<key>", "key type", s_edit (zone, map, size, &bad_keys [index],
                                                      &unknown [0]), OA_MSG_MALFORMED);
    //  The map itself must be a map
    s_expect (site, "<map>", "not a map", s_array (zone, 1, NULL, 1), OA_MSG_MALFORMED);
}

//  Lies in the envelope around a valid body
static void
s_envelope (const s_site_t *site)
{
    const msgpack_object *items = site->root->via.array.ptr;
    struct {
        size_t position;            //  which element to replace
        msgpack_object value;       //  with what
        int expected;               //  verdict
    } cases [] = {
        { 0, s_uint (0), OA_MSG_MALFORMED },
        { 0, s_uint (OA_MSG_VERSION + 1), OA_MSG_MALFORMED },
        { 0, s_str (site->zone, 1), OA_MSG_MALFORMED },
        { 1, s_uint (0), OA_MSG_MALFORMED },
        { 1, s_uint (255), OA_MSG_MALFORMED },
        { 1, s_uint (256 + items [1].via.u64), OA_MSG_MALFORMED },
        { 1, s_int (-1), OA_MSG_MALFORMED },
        { 2, s_int (-1), OA_MSG_MALFORMED },
        { 2, s_uint (UINT64_MAX), OA_MSG_OK },
        { 3, s_str (site->zone, 1), OA_MSG_MALFORMED },
        { 3, s_uint (0), OA_MSG_OK },
        { 4, s_object (MSGPACK_OBJECT_NIL), OA_MSG_MALFORMED },
        { 4, s_array (site->zone, 0, NULL, 0), OA_MSG_MALFORMED },
    };
    assert (oa_msg_layout (255) == NULL);
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        msgpack_object copy [6];
        memcpy (copy, items, 5 * sizeof (msgpack_object));
        copy [cases [index].position] = cases [index].value;
        msgpack_object root = *site->root;
        root.via.array.ptr = copy;
        assert (s_decode (site, &root, false) == cases [index].expected);
    }
    //  Four or six elements, or a map for a root
    msgpack_object copy [6];
    memcpy (copy, items, 5 * sizeof (msgpack_object));
    copy [5] = s_uint (1);
    msgpack_object root = *site->root;
    root.via.array.ptr = copy;
    root.via.array.size = 6;
    assert (s_decode (site, &root, false) == OA_MSG_MALFORMED);
    root.via.array.size = 4;
    assert (s_decode (site, &root, false) == OA_MSG_MALFORMED);
    root = s_texts_map (site->zone, 1, 1, 1);
    assert (s_decode (site, &root, false) == OA_MSG_MALFORMED);
}

void
oa_msg_mutate_check (int id, const uint8_t *golden, size_t size, bool verbose)
{
    msgpack_unpacked unpacked;
    msgpack_unpacked_init (&unpacked);
    size_t offset = 0;
    int rc = msgpack_unpack_next (&unpacked, (const char *) golden, size, &offset);
    assert (rc == MSGPACK_UNPACK_SUCCESS && offset == size);
    const msgpack_object *root = &unpacked.data;
    assert (root->type == MSGPACK_OBJECT_ARRAY && root->via.array.size == 5);

    s_site_t site = {
        root, NULL, &root->via.array.ptr [4], 0, oa_msg_layout (id),
        msgpack_zone_new (MSGPACK_ZONE_CHUNK_SIZE), golden, size, oa_msg_id_name (id)
    };
    assert (site.zone && site.layout);
    s_mutate (&site);
    s_envelope (&site);
    if (verbose)
        zsys_debug ("oa_msg: %s mutations OK", site.name);
    msgpack_zone_free (site.zone);
    msgpack_unpacked_destroy (&unpacked);
}
