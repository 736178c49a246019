/*  =========================================================================
    oa_ids - request ids, uuids, random keys and clocks

    Request ids follow one-api: local time as YYYYMMDDhhmmss, the nanoseconds
    of the second, then 8 random digits; at most 32 characters.  Keys and
    uuids come from getrandom(2).
    =========================================================================
*/
#ifndef OA_IDS_H_INCLUDED
#define OA_IDS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OA_REQUEST_ID_SIZE 33   //  32 characters and the terminator
#define OA_UUID_SIZE 37         //  36 characters and the terminator

//  Writes a new one-api request id into out (OA_REQUEST_ID_SIZE bytes).
void
    oa_request_id_new (char *out);

//  Writes a new random (version 4) uuid into out (OA_UUID_SIZE bytes).
void
    oa_uuid_new (char *out);

//  Writes len random characters from [a-zA-Z0-9] and a terminator into out.
void
    oa_random_key (char *out, size_t len);

//  Writes key as one-api's helper.MaskAPIKey shows it in messages (the
//  first 6 and last 4 characters, or "***" for a key under 12) into out.
void
    oa_key_mask (const char *key, char *out, size_t size);

//  Fills buf with cryptographically strong random bytes.
void
    oa_random_bytes (void *buf, size_t len);

//  Wall clock, milliseconds since the epoch.
int64_t
    oa_clock_ms (void);

//  Monotonic clock, milliseconds; only differences mean anything.
int64_t
    oa_clock_mono_ms (void);

//  Monotonic clock, microseconds.
int64_t
    oa_clock_mono_us (void);

//  Hasher and comparator for a zhashx whose keys are uint64 ids stored in
//  the key pointer itself (zhashx_set_key_hasher / _comparator; no key
//  duplicator or destructor).
size_t
    oa_u64_key_hash (const void *key);
int
    oa_u64_key_compare (const void *a, const void *b);

//  Trimmed items of a comma-separated list: sets *item / *item_len to the
//  next one at *cursor (spaces around it removed, possibly empty) and moves
//  *cursor past it.  Returns false once the list is done.  Start with
//  *cursor = the list; a NULL list has no items.
bool
    oa_csv_next (const char **cursor, const char **item, size_t *item_len);

//  Self test.
void
    oa_ids_test (bool verbose);

#endif
