/*  =========================================================================
    oa_wire - the msgpack envelope and the table-driven field codec

    Hand-written on purpose: the generated oa_msg class holds only tables
    and accessors, and every rule about untrusted bytes lives here. See
    oa_wire.h for the wire format and the value slots of each type.
    =========================================================================
*/

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include "oa_wire.h"

//  msgpack-c stops at 32 levels; our own walk never needs more
#define S_DEPTH_LIMIT 32


//  --------------------------------------------------------------------------
//  Scanning: a walk over the frame that allocates nothing

//  Reads a big-endian length of width bytes (the caller checked bounds)
static size_t
s_read_length (const uint8_t *needle, size_t width)
{
    size_t value = 0;
    for (size_t index = 0; index < width; index++)
        value = (value << 8) | needle [index];
    return value;
}

int
oa_wire_scan (const void *data, size_t size, size_t objects_max, size_t depth_max)
{
    if (!data || size == 0)
        return -1;
    if (depth_max > S_DEPTH_LIMIT)
        depth_max = S_DEPTH_LIMIT;

    const uint8_t *needle = (const uint8_t *) data;
    const uint8_t *ceiling = needle + size;
    //  pending [level] counts the objects still to read at that level;
    //  level 0 is the root, a container's elements are one level deeper
    size_t pending [S_DEPTH_LIMIT + 1];
    size_t depth = 0;
    size_t objects = 0;
    pending [0] = 1;

    while (true) {
        while (pending [depth] == 0) {
            if (depth == 0)
                return needle == ceiling? 0: -1;    //  no trailing bytes
            depth--;
        }
        pending [depth]--;
        if (++objects > objects_max || needle >= ceiling)
            return -1;

        uint8_t byte = *needle++;
        size_t width = 0;           //  bytes of the length field, if any
        size_t extra = 0;           //  fixed bytes after the length field
        size_t length = 0;          //  bytes of body after those
        size_t children = 0;        //  elements, for arrays and maps
        bool is_array = false;      //  length field counts elements
        bool is_map = false;        //  length field counts pairs

        if (byte <= 0x7f || byte >= 0xe0)
            ;                       //  positive or negative fixint
        else
        if (byte <= 0x8f)
            children = 2 * (size_t) (byte & 0x0f);
        else
        if (byte <= 0x9f)
            children = byte & 0x0f;
        else
        if (byte <= 0xbf)
            length = byte & 0x1f;
        else {
            switch (byte) {
                case 0xc0: case 0xc2: case 0xc3:
                    break;          //  nil, false, true
                case 0xc4: case 0xd9: width = 1; break;     //  bin8, str8
                case 0xc5: case 0xda: width = 2; break;     //  bin16, str16
                case 0xc6: case 0xdb: width = 4; break;     //  bin32, str32
                case 0xc7: width = 1; extra = 1; break;     //  ext8 + type
                case 0xc8: width = 2; extra = 1; break;     //  ext16 + type
                case 0xc9: width = 4; extra = 1; break;     //  ext32 + type
                case 0xca: extra = 4; break;                //  float32
                case 0xcb: extra = 8; break;                //  float64
                case 0xcc: case 0xd0: extra = 1; break;     //  (u)int8
                case 0xcd: case 0xd1: extra = 2; break;     //  (u)int16
                case 0xce: case 0xd2: extra = 4; break;     //  (u)int32
                case 0xcf: case 0xd3: extra = 8; break;     //  (u)int64
                case 0xd4: extra = 2; break;                //  fixext1
                case 0xd5: extra = 3; break;                //  fixext2
                case 0xd6: extra = 5; break;                //  fixext4
                case 0xd7: extra = 9; break;                //  fixext8
                case 0xd8: extra = 17; break;               //  fixext16
                case 0xdc: width = 2; is_array = true; break;
                case 0xdd: width = 4; is_array = true; break;
                case 0xde: width = 2; is_map = true; break;
                case 0xdf: width = 4; is_map = true; break;
                default:
                    return -1;      //  0xc1 is never used
            }
        }
        if (width) {
            if ((size_t) (ceiling - needle) < width)
                return -1;
            size_t value = s_read_length (needle, width);
            needle += width;
            if (is_array)
                children = value;
            else
            if (is_map) {
                if (value > SIZE_MAX / 2)
                    return -1;
                children = 2 * value;
            }
            else
                length = value;
        }
        if ((size_t) (ceiling - needle) < extra
        ||  (size_t) (ceiling - needle) - extra < length)
            return -1;
        needle += extra + length;

        if (children) {
            //  Every element takes at least one byte: a count larger than
            //  what is left is a lie, and must not reach an allocator
            if (children > (size_t) (ceiling - needle) || depth >= depth_max)
                return -1;
            pending [++depth] = children;
        }
    }
}


//  --------------------------------------------------------------------------
//  Encoding

//  Output buffer for the packer; refuses to grow past limit
typedef struct {
    char *data;                     //  bytes written so far
    size_t size;                    //  bytes used in data
    size_t capacity;                //  bytes allocated in data
    size_t limit;                   //  the frame size cap
    int error;                      //  first errno seen, 0 if none
} s_buffer_t;

static int
s_buffer_write (void *target, const char *bytes, size_t length)
{
    s_buffer_t *self = (s_buffer_t *) target;
    if (self->error)
        return -1;
    if (length > self->limit - self->size) {
        self->error = EMSGSIZE;
        return -1;
    }
    if (length > self->capacity - self->size) {
        size_t capacity = self->capacity? self->capacity: 512;
        while (capacity - self->size < length)
            capacity *= 2;
        if (capacity > self->limit)
            capacity = self->limit;
        char *data = (char *) realloc (self->data, capacity);
        if (!data) {
            self->error = ENOMEM;
            return -1;
        }
        self->data = data;
        self->capacity = capacity;
    }
    if (length)
        memcpy (self->data + self->size, bytes, length);
    self->size += length;
    return 0;
}

static uint64_t
s_uint_max (oa_wire_type_t type)
{
    switch (type) {
        case OA_WIRE_U8:  return UINT8_MAX;
        case OA_WIRE_U16: return UINT16_MAX;
        case OA_WIRE_U32: return UINT32_MAX;
        default:          return UINT64_MAX;
    }
}

//  True if the slot holds the type's default, which optional fields omit
static bool
s_is_default (const oa_wire_field_t *field, const void *slot)
{
    switch (field->type) {
        case OA_WIRE_I64:
            return *(const int64_t *) slot == 0;
        case OA_WIRE_BOOL:
            return !*(const bool *) slot;
        case OA_WIRE_STR: {
            const char *string = *(char * const *) slot;
            return !string || !*string;
        }
        case OA_WIRE_BIN: {
            zchunk_t *chunk = *(zchunk_t * const *) slot;
            return !chunk || zchunk_size (chunk) == 0;
        }
        case OA_WIRE_MAP: {
            zhash_t *hash = *(zhash_t * const *) slot;
            return !hash || zhash_size (hash) == 0;
        }
        case OA_WIRE_STRINGS: {
            zlist_t *list = *(zlist_t * const *) slot;
            return !list || zlist_size (list) == 0;
        }
        case OA_WIRE_STRUCTS:
            return ((const oa_wire_list_t *) slot)->size == 0;
        default:
            return *(const uint64_t *) slot == 0;
    }
}

static int
s_pack_text (msgpack_packer *packer, const char *text, size_t max)
{
    if (!text)
        return EINVAL;              //  a map or list item that is not a string
    size_t length = strlen (text);
    if (length > max)
        return EMSGSIZE;
    msgpack_pack_str_with_body (packer, text, length);
    return 0;
}

static int
    s_pack_fields (msgpack_packer *packer, const oa_wire_struct_t *layout, const void *obj);

//  Returns 0 or an errno value
static int
s_pack_value (msgpack_packer *packer, const oa_wire_field_t *field, const void *slot)
{
    switch (field->type) {
        case OA_WIRE_I64:
            msgpack_pack_int64 (packer, *(const int64_t *) slot);
            return 0;
        case OA_WIRE_BOOL:
            if (*(const bool *) slot)
                msgpack_pack_true (packer);
            else
                msgpack_pack_false (packer);
            return 0;
        case OA_WIRE_STR: {
            const char *text = *(char * const *) slot;
            return s_pack_text (packer, text? text: "", field->max);
        }
        case OA_WIRE_BIN: {
            zchunk_t *chunk = *(zchunk_t * const *) slot;
            size_t size = chunk? zchunk_size (chunk): 0;
            if (size > field->max)
                return EMSGSIZE;
            msgpack_pack_bin_with_body (packer, size? zchunk_data (chunk): (byte *) "", size);
            return 0;
        }
        case OA_WIRE_MAP: {
            zhash_t *hash = *(zhash_t * const *) slot;
            size_t size = hash? zhash_size (hash): 0;
            if (size > field->max)
                return EMSGSIZE;
            msgpack_pack_map (packer, size);
            if (size == 0)
                return 0;
            //  Sorted keys make the encoding canonical: zhash order
            //  depends on insertion history
            zlist_t *keys = zhash_keys (hash);
            zlist_sort (keys, NULL);
            int rc = 0;
            const char *key = (const char *) zlist_first (keys);
            while (key && rc == 0) {
                rc = s_pack_text (packer, key, field->item_max);
                if (rc == 0)
                    rc = s_pack_text (packer, (const char *) zhash_lookup (hash, key),
                                      field->item_max);
                key = (const char *) zlist_next (keys);
            }
            zlist_destroy (&keys);
            return rc;
        }
        case OA_WIRE_STRINGS: {
            zlist_t *list = *(zlist_t * const *) slot;
            size_t size = list? zlist_size (list): 0;
            if (size > field->max)
                return EMSGSIZE;
            msgpack_pack_array (packer, size);
            int rc = 0;
            const char *text = size? (const char *) zlist_first (list): NULL;
            while (text && rc == 0) {
                rc = s_pack_text (packer, text, field->item_max);
                text = (const char *) zlist_next (list);
            }
            return rc;
        }
        case OA_WIRE_STRUCTS: {
            const oa_wire_list_t *list = (const oa_wire_list_t *) slot;
            if (list->size > field->max)
                return EMSGSIZE;
            msgpack_pack_array (packer, list->size);
            int rc = 0;
            for (size_t index = 0; index < list->size && rc == 0; index++)
                rc = s_pack_fields (packer, field->nested, list->items [index]);
            return rc;
        }
        default: {
            uint64_t value = *(const uint64_t *) slot;
            if (value > s_uint_max (field->type))
                return EINVAL;
            msgpack_pack_uint64 (packer, value);
            return 0;
        }
    }
}

//  Packs the map of fields that go on the wire; returns 0 or an errno value
static int
s_pack_fields (msgpack_packer *packer, const oa_wire_struct_t *layout, const void *obj)
{
    //  msgpack wants the map size up front, so count what goes out first
    size_t count = 0;
    for (size_t index = 0; index < layout->field_count; index++) {
        const oa_wire_field_t *field = &layout->fields [index];
        if (field->required || !s_is_default (field, (const char *) obj + field->offset))
            count++;
    }
    msgpack_pack_map (packer, count);
    for (size_t index = 0; index < layout->field_count; index++) {
        const oa_wire_field_t *field = &layout->fields [index];
        const void *slot = (const char *) obj + field->offset;
        if (!field->required && s_is_default (field, slot))
            continue;
        msgpack_pack_uint32 (packer, field->key);
        int rc = s_pack_value (packer, field, slot);
        if (rc)
            return rc;
    }
    return 0;
}

zframe_t *
oa_wire_encode (const oa_wire_limits_t *limits, const oa_wire_header_t *header,
                const oa_wire_struct_t *layout, const void *obj)
{
    assert (limits);
    assert (header);
    assert (layout);
    assert (obj);
    s_buffer_t buffer = { NULL, 0, 0, limits->frame_max, 0 };
    msgpack_packer packer;
    msgpack_packer_init (&packer, &buffer, s_buffer_write);
    msgpack_pack_array (&packer, 5);
    msgpack_pack_uint64 (&packer, header->version);
    msgpack_pack_uint64 (&packer, header->id);
    msgpack_pack_uint64 (&packer, header->corr_id);
    msgpack_pack_uint64 (&packer, header->deadline);
    int rc = s_pack_fields (&packer, layout, obj);
    if (rc == 0)
        rc = buffer.error;
    zframe_t *frame = NULL;
    if (rc == 0) {
        frame = zframe_new (buffer.data, buffer.size);
        if (!frame)
            rc = ENOMEM;
    }
    free (buffer.data);
    if (rc)
        errno = rc;
    return frame;
}


//  --------------------------------------------------------------------------
//  Decoding

//  Returns a fresh NUL-terminated copy of a msgpack string that holds at
//  most max bytes and no NUL byte (C code downstream treats it as text),
//  or NULL if it does not qualify
static char *
s_text_dup (const msgpack_object *object, size_t max)
{
    if (object->type != MSGPACK_OBJECT_STR || object->via.str.size > max)
        return NULL;
    size_t size = object->via.str.size;
    if (size && memchr (object->via.str.ptr, 0, size))
        return NULL;
    char *text = (char *) malloc (size + 1);
    if (!text)
        return NULL;
    if (size)
        memcpy (text, object->via.str.ptr, size);
    text [size] = 0;
    return text;
}

static int
s_unpack_map (const oa_wire_field_t *field, const msgpack_object *object, zhash_t **hash_p)
{
    if (object->type != MSGPACK_OBJECT_MAP || object->via.map.size > field->max)
        return -1;
    zhash_t *hash = zhash_new ();
    zhash_autofree (hash);
    *hash_p = hash;                 //  the caller's clear frees it on failure
    for (uint32_t index = 0; index < object->via.map.size; index++) {
        const msgpack_object_kv *pair = &object->via.map.ptr [index];
        char *key = s_text_dup (&pair->key, field->item_max);
        char *value = s_text_dup (&pair->val, field->item_max);
        //  A repeated key would make the result depend on which copy wins
        int rc = key && value? zhash_insert (hash, key, value): -1;
        free (key);
        free (value);
        if (rc)
            return -1;
    }
    return 0;
}

static int
s_unpack_strings (const oa_wire_field_t *field, const msgpack_object *object, zlist_t **list_p)
{
    if (object->type != MSGPACK_OBJECT_ARRAY || object->via.array.size > field->max)
        return -1;
    zlist_t *list = zlist_new ();
    zlist_autofree (list);
    *list_p = list;
    for (uint32_t index = 0; index < object->via.array.size; index++) {
        char *text = s_text_dup (&object->via.array.ptr [index], field->item_max);
        int rc = text? zlist_append (list, text): -1;
        free (text);
        if (rc)
            return -1;
    }
    return 0;
}

static int
s_unpack_structs (const oa_wire_field_t *field, const msgpack_object *object,
                  oa_wire_list_t *list)
{
    if (object->type != MSGPACK_OBJECT_ARRAY || object->via.array.size > field->max)
        return -1;
    for (uint32_t index = 0; index < object->via.array.size; index++) {
        void *item = calloc (1, field->nested->size);
        if (!item)
            return -1;
        oa_wire_list_append (list, item);
        if (oa_wire_unpack (field->nested, &object->via.array.ptr [index], item))
            return -1;
    }
    return 0;
}

//  Stores one value into its (empty) slot; returns 0 or -1 if malformed
static int
s_unpack_value (const oa_wire_field_t *field, const msgpack_object *object, void *slot)
{
    switch (field->type) {
        case OA_WIRE_I64:
            if (object->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
                *(int64_t *) slot = object->via.i64;
            else
            if (object->type == MSGPACK_OBJECT_POSITIVE_INTEGER
            &&  object->via.u64 <= (uint64_t) INT64_MAX)
                *(int64_t *) slot = (int64_t) object->via.u64;
            else
                return -1;
            return 0;
        case OA_WIRE_BOOL:
            if (object->type != MSGPACK_OBJECT_BOOLEAN)
                return -1;
            *(bool *) slot = object->via.boolean;
            return 0;
        case OA_WIRE_STR:
            *(char **) slot = s_text_dup (object, field->max);
            return *(char **) slot? 0: -1;
        case OA_WIRE_BIN:
            if (object->type != MSGPACK_OBJECT_BIN || object->via.bin.size > field->max)
                return -1;
            *(zchunk_t **) slot = zchunk_new (object->via.bin.ptr, object->via.bin.size);
            return *(zchunk_t **) slot? 0: -1;
        case OA_WIRE_MAP:
            return s_unpack_map (field, object, (zhash_t **) slot);
        case OA_WIRE_STRINGS:
            return s_unpack_strings (field, object, (zlist_t **) slot);
        case OA_WIRE_STRUCTS:
            return s_unpack_structs (field, object, (oa_wire_list_t *) slot);
        default:
            if (object->type != MSGPACK_OBJECT_POSITIVE_INTEGER
            ||  object->via.u64 > s_uint_max (field->type))
                return -1;
            *(uint64_t *) slot = object->via.u64;
            return 0;
    }
}

int
oa_wire_unpack (const oa_wire_struct_t *layout, const msgpack_object *map, void *obj)
{
    assert (layout);
    assert (layout->field_count <= 64);
    assert (map);
    assert (obj);
    if (map->type != MSGPACK_OBJECT_MAP)
        return -1;
    uint64_t seen = 0;              //  bit per field index
    for (uint32_t index = 0; index < map->via.map.size; index++) {
        const msgpack_object_kv *pair = &map->via.map.ptr [index];
        if (pair->key.type != MSGPACK_OBJECT_POSITIVE_INTEGER)
            return -1;
        const oa_wire_field_t *field = NULL;
        for (size_t slot = 0; slot < layout->field_count; slot++) {
            if (layout->fields [slot].key == pair->key.via.u64) {
                field = &layout->fields [slot];
                break;
            }
        }
        if (!field)
            continue;               //  a newer peer's field: skip it
        uint64_t bit = (uint64_t) 1 << (field - layout->fields);
        if (seen & bit)
            return -1;              //  a repeated key would leak the first value
        seen |= bit;
        if (s_unpack_value (field, &pair->val, (char *) obj + field->offset))
            return -1;
    }
    for (size_t index = 0; index < layout->field_count; index++)
        if (layout->fields [index].required && !(seen & ((uint64_t) 1 << index)))
            return -1;
    return 0;
}

//  One msgpack zone per thread, cleared (its first chunk kept) before each
//  parse: msgpack_unpack_next would allocate and free a fresh 8 KiB zone
//  per message, and such a large malloc makes glibc consolidate its fast
//  bins every time.  Freed with its thread.
static pthread_key_t s_zone_key;
static pthread_once_t s_zone_once = PTHREAD_ONCE_INIT;

static void
s_zone_free (void *zone)
{
    msgpack_zone_free ((msgpack_zone *) zone);
}

static void
s_zone_key_create (void)
{
    int rc = pthread_key_create (&s_zone_key, s_zone_free);
    assert (rc == 0);
    (void) rc;
}

static msgpack_zone *
s_thread_zone (void)
{
    pthread_once (&s_zone_once, s_zone_key_create);
    msgpack_zone *zone = (msgpack_zone *) pthread_getspecific (s_zone_key);
    if (zone)
        msgpack_zone_clear (zone);
    else {
        zone = msgpack_zone_new (MSGPACK_ZONE_CHUNK_SIZE);
        assert (zone);
        pthread_setspecific (s_zone_key, zone);
    }
    return zone;
}

int
oa_wire_parse (const oa_wire_limits_t *limits, const void *data, size_t size,
               msgpack_unpacked *unpacked, oa_wire_header_t *header,
               const msgpack_object **body)
{
    assert (limits);
    assert (unpacked);
    assert (header);
    assert (body);
    if (!data || size == 0 || size > limits->frame_max)
        return -1;
    if (oa_wire_scan (data, size, limits->objects_max, limits->depth_max))
        return -1;
    size_t offset = 0;
    //  unpacked->zone stays NULL (the caller's destroy frees nothing):
    //  the objects live in the thread's zone
    if (msgpack_unpack ((const char *) data, size, &offset, s_thread_zone (), &unpacked->data)
            != MSGPACK_UNPACK_SUCCESS
    ||  offset != size)
        return -1;
    const msgpack_object *root = &unpacked->data;
    if (root->type != MSGPACK_OBJECT_ARRAY || root->via.array.size != 5)
        return -1;
    const msgpack_object *items = root->via.array.ptr;
    for (size_t index = 0; index < 4; index++)
        if (items [index].type != MSGPACK_OBJECT_POSITIVE_INTEGER)
            return -1;
    if (items [4].type != MSGPACK_OBJECT_MAP)
        return -1;
    header->version = items [0].via.u64;
    header->id = items [1].via.u64;
    header->corr_id = items [2].via.u64;
    header->deadline = items [3].via.u64;
    if (header->version < limits->version_min || header->version > limits->version_max)
        return -1;
    *body = &items [4];
    return 0;
}


//  --------------------------------------------------------------------------
//  Clearing and copying

void
oa_wire_clear (const oa_wire_struct_t *layout, void *obj)
{
    assert (layout);
    assert (obj);
    //  oa_msg clears with the union of every message's fields (a hundred
    //  and more), nearly all empty: test before calling a destructor
    for (size_t index = 0; index < layout->field_count; index++) {
        const oa_wire_field_t *field = &layout->fields [index];
        void *slot = (char *) obj + field->offset;
        switch (field->type) {
            case OA_WIRE_I64:
                *(int64_t *) slot = 0;
                break;
            case OA_WIRE_BOOL:
                *(bool *) slot = false;
                break;
            case OA_WIRE_STR:
                if (*(char **) slot) {
                    free (*(char **) slot);
                    *(char **) slot = NULL;
                }
                break;
            case OA_WIRE_BIN:
                if (*(zchunk_t **) slot)
                    zchunk_destroy ((zchunk_t **) slot);
                break;
            case OA_WIRE_MAP:
                if (*(zhash_t **) slot)
                    zhash_destroy ((zhash_t **) slot);
                break;
            case OA_WIRE_STRINGS:
                if (*(zlist_t **) slot)
                    zlist_destroy ((zlist_t **) slot);
                break;
            case OA_WIRE_STRUCTS: {
                oa_wire_list_t *list = (oa_wire_list_t *) slot;
                if (list->items) {
                    oa_wire_list_purge (list, field->nested);
                    free (list->items);
                    list->items = NULL;
                    list->capacity = 0;
                }
                break;
            }
            default:
                *(uint64_t *) slot = 0;
        }
    }
}

void
oa_wire_copy (const oa_wire_struct_t *layout, void *dst, const void *src)
{
    assert (layout);
    assert (dst);
    assert (src);
    for (size_t index = 0; index < layout->field_count; index++) {
        const oa_wire_field_t *field = &layout->fields [index];
        void *to = (char *) dst + field->offset;
        const void *from = (const char *) src + field->offset;
        switch (field->type) {
            case OA_WIRE_I64:
                *(int64_t *) to = *(const int64_t *) from;
                break;
            case OA_WIRE_BOOL:
                *(bool *) to = *(const bool *) from;
                break;
            case OA_WIRE_STR: {
                const char *text = *(char * const *) from;
                *(char **) to = text? strdup (text): NULL;
                assert (!text || *(char **) to);
                break;
            }
            case OA_WIRE_BIN:
                *(zchunk_t **) to = zchunk_dup (*(zchunk_t * const *) from);
                break;
            case OA_WIRE_MAP: {
                zhash_t *hash = *(zhash_t * const *) from;
                if (!hash)
                    break;
                zhash_t *copy = zhash_new ();
                zhash_autofree (copy);
                for (void *value = zhash_first (hash); value; value = zhash_next (hash))
                    zhash_insert (copy, zhash_cursor (hash), value);
                *(zhash_t **) to = copy;
                break;
            }
            case OA_WIRE_STRINGS: {
                zlist_t *list = *(zlist_t * const *) from;
                if (!list)
                    break;
                zlist_t *copy = zlist_new ();
                zlist_autofree (copy);
                for (void *text = zlist_first (list); text; text = zlist_next (list))
                    zlist_append (copy, text);
                *(zlist_t **) to = copy;
                break;
            }
            case OA_WIRE_STRUCTS: {
                const oa_wire_list_t *list = (const oa_wire_list_t *) from;
                for (size_t item = 0; item < list->size; item++) {
                    void *copy = calloc (1, field->nested->size);
                    assert (copy);
                    oa_wire_copy (field->nested, copy, list->items [item]);
                    oa_wire_list_append ((oa_wire_list_t *) to, copy);
                }
                break;
            }
            default:
                *(uint64_t *) to = *(const uint64_t *) from;
        }
    }
}


//  --------------------------------------------------------------------------
//  Struct lists

void
oa_wire_list_append (oa_wire_list_t *self, void *item)
{
    assert (self);
    assert (item);
    if (self->size == self->capacity) {
        size_t capacity = self->capacity? self->capacity * 2: 4;
        void **items = (void **) realloc (self->items, capacity * sizeof (void *));
        assert (items);             //  out of memory, as CZMQ treats it
        self->items = items;
        self->capacity = capacity;
    }
    self->items [self->size++] = item;
}

void
oa_wire_list_purge (oa_wire_list_t *self, const oa_wire_struct_t *layout)
{
    assert (self);
    assert (layout);
    for (size_t index = 0; index < self->size; index++) {
        oa_wire_clear (layout, self->items [index]);
        free (self->items [index]);
    }
    self->size = 0;
}
