/*  =========================================================================
    oa_wire - the msgpack envelope and the table-driven field codec

    @header
    The generated oa_msg class describes every message as a table of fields
    (oa_wire_field_t: key, type, limits, where the value lives in the C
    struct) and leaves encoding and decoding to this hand-written class. The
    rules that keep one role safe from another's bytes are written and
    reviewed once, here: every length is bounded, every object's type is
    checked, unknown keys are skipped (so roles of different versions can
    run side by side), required keys are enforced, and bad input yields -1,
    never an assert.
    @discuss
    Wire:   [routing id]  ROUTER side only, added and removed by the socket
            body          ONE msgpack frame:
                          [version, id, corr_id, deadline, {key: value, ...}]
            [payload]     at most ONE raw frame (a request body, a chunk of
                          the client's stream), never re-encoded
    Encoding is canonical: fields go out in ascending key order, optional
    fields holding their default are omitted, map entries are sorted by key,
    and every number uses its shortest form. Equal messages therefore have
    equal bytes, which the tests and the golden vectors rely on.

    Decoding first walks the frame without allocating (oa_wire_scan), so a
    few hostile bytes that declare a 4-billion-element array cannot make
    msgpack_unpack_next allocate gigabytes; only then does msgpack-c build
    the object tree, whose strings point into the frame.

    Value slots, per type: U8..U64 uint64_t, I64 int64_t, BOOL bool,
    STR char * (NULL reads as ""), BIN zchunk_t *, MAP zhash_t * (str -> str,
    autofree), STRINGS zlist_t * (autofree), STRUCTS oa_wire_list_t.
    @end
    =========================================================================
*/

#ifndef OA_WIRE_H_INCLUDED
#define OA_WIRE_H_INCLUDED

#include <czmq.h>
#include <msgpack.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Field types; the comment gives the C slot that holds the value
typedef enum {
    OA_WIRE_U8 = 1,                 //  uint64_t, 0..UINT8_MAX on the wire
    OA_WIRE_U16,                    //  uint64_t, 0..UINT16_MAX
    OA_WIRE_U32,                    //  uint64_t, 0..UINT32_MAX
    OA_WIRE_U64,                    //  uint64_t
    OA_WIRE_I64,                    //  int64_t
    OA_WIRE_BOOL,                   //  bool
    OA_WIRE_STR,                    //  char *, UTF-8 text without NUL bytes
    OA_WIRE_BIN,                    //  zchunk_t *
    OA_WIRE_MAP,                    //  zhash_t * of str -> str
    OA_WIRE_STRINGS,                //  zlist_t * of str
    OA_WIRE_STRUCTS                 //  oa_wire_list_t of nested structs
} oa_wire_type_t;

//  Whether a message carries the raw payload frame
typedef enum {
    OA_WIRE_PAYLOAD_NONE = 0,       //  a payload frame is malformed
    OA_WIRE_PAYLOAD_OPTIONAL,       //  zero or one payload frame
    OA_WIRE_PAYLOAD_REQUIRED        //  exactly one payload frame
} oa_wire_payload_t;

typedef struct _oa_wire_struct_t oa_wire_struct_t;

//  One field of a message or nested struct
typedef struct {
    const char *name;               //  field name, for printing and tests
    uint32_t key;                   //  integer key on the wire, 1..127
    oa_wire_type_t type;            //  value type
    bool required;                  //  decoders reject a body without it
    bool secret;                    //  printed as "***" (channel keys)
    size_t max;                     //  bytes (STR, BIN) or entries (others)
    size_t item_max;                //  bytes of each MAP key/value or string
    size_t offset;                  //  offsetof the slot in the C struct
    const oa_wire_struct_t *nested; //  element layout, for STRUCTS
    const char *(*enum_name) (int value);   //  names values when printing
} oa_wire_field_t;

//  The layout of a message or of a nested struct
struct _oa_wire_struct_t {
    const char *name;               //  "RELAY_REQUEST", "candidate"
    int id;                         //  message id; 0 for nested structs
    oa_wire_payload_t payload;      //  payload frame rule (messages only)
    size_t size;                    //  sizeof the C struct, for nested items
    const oa_wire_field_t *fields;  //  sorted by ascending key
    size_t field_count;             //  at most 64 (bit masks in the decoder)
};

//  A growable array of nested structs (candidates)
typedef struct {
    void **items;                   //  owned elements, each of nested->size
    size_t size;                    //  number of elements
    size_t capacity;                //  allocated slots in items
} oa_wire_list_t;

//  The envelope values that precede the body map
typedef struct {
    uint64_t version;               //  sender's protocol version
    uint64_t id;                    //  message id
    uint64_t corr_id;               //  correlates replies with requests
    uint64_t deadline;              //  absolute epoch ms, 0 = none
} oa_wire_header_t;

//  The bounds a protocol puts on one body frame
typedef struct {
    size_t frame_max;               //  bytes in the msgpack frame
    size_t objects_max;             //  msgpack objects in the frame
    size_t depth_max;               //  container nesting under the root
    uint64_t version_min;           //  oldest protocol version accepted
    uint64_t version_max;           //  newest protocol version accepted
} oa_wire_limits_t;

//  Walks one msgpack frame without allocating. Returns 0 if data holds
//  exactly one well-formed object with at most objects_max objects and
//  depth_max levels of nesting, whose declared lengths fit in the data;
//  else -1. Makes msgpack_unpack_next safe to call on untrusted bytes.
int
    oa_wire_scan (const void *data, size_t size, size_t objects_max, size_t depth_max);

//  Encodes the envelope and the fields of obj described by layout into a
//  fresh body frame. Returns NULL and sets errno to EMSGSIZE if a value
//  exceeds its limit (or the frame would exceed frame_max), EINVAL if a
//  value is out of range or not a string where one is needed.
//  Caller owns return value and must destroy it when done.
zframe_t *
    oa_wire_encode (const oa_wire_limits_t *limits, const oa_wire_header_t *header,
                    const oa_wire_struct_t *layout, const void *obj);

//  Checks a body frame and parses its envelope into header and body (the
//  field map, which points into unpacked and into data: both must outlive
//  it). The caller initialises unpacked and destroys it in every case.
//  The parsed objects live in a zone of the calling thread, reused by its
//  next oa_wire_parse: read body before parsing another frame.
//  Returns 0, or -1 if the frame is malformed or its version unsupported.
int
    oa_wire_parse (const oa_wire_limits_t *limits, const void *data, size_t size,
                   msgpack_unpacked *unpacked, oa_wire_header_t *header,
                   const msgpack_object **body);

//  Checks a body frame as oa_wire_parse does (bounds, one well-formed
//  msgpack object, the envelope, the version) and reads its envelope into
//  header, without building the object tree or allocating. The field map
//  is only known to be a map: a relay that forwards the frame unchanged
//  leaves the fields to the receiver's full decode. Returns 0 or -1.
int
    oa_wire_peek (const oa_wire_limits_t *limits, const void *data, size_t size,
                  oa_wire_header_t *header);

//  Decodes a field map into the empty struct obj described by layout,
//  copying every value. Returns 0, or -1 if the map is malformed: a known
//  key of the wrong type, over its limit or repeated, a non-integer key, or
//  a required key missing. On -1 obj may hold some values: clear it.
int
    oa_wire_unpack (const oa_wire_struct_t *layout, const msgpack_object *map, void *obj);

//  Frees every value that obj holds for the fields of layout and resets
//  the slots, so obj is empty again.
void
    oa_wire_clear (const oa_wire_struct_t *layout, void *obj);

//  Deep-copies the values of the fields of layout from src into the empty
//  struct dst.
void
    oa_wire_copy (const oa_wire_struct_t *layout, void *dst, const void *src);

//  Logs the fields of obj to the zsys log, one per line, each prefixed by
//  indent; secrets are masked and long texts cut.
void
    oa_wire_print (const oa_wire_struct_t *layout, const void *obj, const char *indent);

//  Appends an owned element to a struct list.
void
    oa_wire_list_append (oa_wire_list_t *self, void *item);

//  Destroys every element of a struct list (each laid out as layout) and
//  empties it.
void
    oa_wire_list_purge (oa_wire_list_t *self, const oa_wire_struct_t *layout);

//  Returns true if socket (zsock_t, zactor_t or libzmq handle) is a ROUTER,
//  whose messages start with a routing id frame.
bool
    oa_wire_is_router (void *socket);

//  Sends [routing_id] body [payload] as one multipart message. routing_id
//  is required on ROUTER sockets and ignored elsewhere; routing_id and
//  payload are sent without copying their bytes and stay the caller's;
//  the body is always destroyed. With dontwait, a full queue fails at once.
//  Returns 0, or -1 with errno set (EAGAIN: queue full, EINVAL: no routing
//  id for a ROUTER, EHOSTUNREACH: unknown peer on a mandatory ROUTER).
int
    oa_wire_send (void *dest, zframe_t *routing_id, zframe_t **body_p, zframe_t *payload,
                  bool dontwait);

//  Receives every frame of one multipart message (a message is always read
//  to its end, so a bad one cannot desynchronise the socket). With dontwait
//  and nothing queued, returns NULL with errno EAGAIN; also NULL if
//  interrupted. Frames past frames_max are read and dropped, and the
//  returned message then holds frames_max + 1 frames so the caller can
//  tell it was too long.
//  Caller owns return value and must destroy it when done.
zmsg_t *
    oa_wire_recv (void *source, bool dontwait, size_t frames_max);

//  Self test of this class.
void
    oa_wire_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
