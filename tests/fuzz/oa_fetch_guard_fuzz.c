/*  =========================================================================
    oa_fetch_guard_fuzz - libFuzzer target: the image fetch address guard

    Byte 0 picks the family (IPv4 or IPv6) and the socket length given; the
    rest fills the address.  Beyond "no crash": the guard never allows with
    allow_private off what it refuses with it on, and an IPv4 address and
    its IPv4-mapped IPv6 form get the same answer.
    Seeds: tests/fuzz/corpus/oa_fetch_guard_fuzz/.
    =========================================================================
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "relay/wk_convert_fetch.h"

int
    LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct sockaddr_storage storage;
    memset (&storage, 0, sizeof storage);
    bool v6 = data [0] & 1;
    size_t given = (data [0] >> 1) % (sizeof storage + 1);
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *) &storage;
        a->sin6_family = AF_INET6;
        memcpy (&a->sin6_addr, data + 1, size - 1 < 16? size - 1: 16);
    }
    else {
        struct sockaddr_in *a = (struct sockaddr_in *) &storage;
        a->sin_family = AF_INET;
        memcpy (&a->sin_addr, data + 1, size - 1 < 4? size - 1: 4);
    }
    bool strict = wk_fetch_addr_allowed ((struct sockaddr *) &storage, (socklen_t) given, false);
    bool open = wk_fetch_addr_allowed ((struct sockaddr *) &storage, (socklen_t) given, true);
    if (strict && !open)
        abort ();
    if (!v6 && given >= sizeof (struct sockaddr_in)) {
        struct sockaddr_in6 mapped;
        memset (&mapped, 0, sizeof mapped);
        mapped.sin6_family = AF_INET6;
        mapped.sin6_addr.s6_addr [10] = 0xFF;
        mapped.sin6_addr.s6_addr [11] = 0xFF;
        memcpy (mapped.sin6_addr.s6_addr + 12, &((struct sockaddr_in *) &storage)->sin_addr, 4);
        if (wk_fetch_addr_allowed ((struct sockaddr *) &mapped, sizeof mapped, false) != strict)
            abort ();
    }
    (void) wk_fetch_addr_allowed (NULL, 0, (data [0] & 2) != 0);
    return 0;
}
