/*  =========================================================================
    oa_subnet - is a client address inside a token's subnets? (see the
    header)
    =========================================================================
*/
#include "oa_subnet.h"
#include "oa_ids.h"

#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

//  Parses an address into bytes; returns 4, 16, or 0 when it is none.
static int
s_parse_ip (const char *text, unsigned char *bytes)
{
    struct in6_addr v6;
    if (inet_pton (AF_INET, text, bytes) == 1)
        return 4;
    if (inet_pton (AF_INET6, text, &v6) != 1)
        return 0;
    static const unsigned char mapped [12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };
    if (memcmp (&v6, mapped, 12) == 0) {
        memcpy (bytes, (unsigned char *) &v6 + 12, 4);
        return 4;
    }
    memcpy (bytes, &v6, 16);
    return 16;
}

//  One CIDR entry of len bytes at cidr (trimmed, not terminated).
static bool
s_in_cidr (const unsigned char *ip, int ip_len, const char *cidr, size_t len)
{
    const char *slash = memchr (cidr, '/', len);
    size_t digits = slash? len - (size_t) (slash - cidr) - 1: 0;
    if (!slash || slash == cidr || digits == 0 || digits > 3)
        return false;
    int bits = 0;
    for (size_t index = 1; index <= digits; index++) {
        if (!isdigit ((unsigned char) slash [index]))
            return false;
        bits = bits * 10 + (slash [index] - '0');
    }
    char address [64];
    if ((size_t) (slash - cidr) >= sizeof address)
        return false;
    memcpy (address, cidr, (size_t) (slash - cidr));
    address [slash - cidr] = 0;
    //  Go's ParseCIDR keeps a mapped network 16 bytes long, so it never
    //  holds an IPv4 client: parse the network without unmapping it.
    unsigned char net [16];
    int net_len = 0;
    if (inet_pton (AF_INET, address, net) == 1)
        net_len = 4;
    else
    if (inet_pton (AF_INET6, address, net) == 1)
        net_len = 16;
    if (net_len == 0 || bits > net_len * 8 || net_len != ip_len)
        return false;
    for (int index = 0; index < net_len && bits > 0; index++, bits -= 8) {
        unsigned char mask = bits >= 8? 0xff: (unsigned char) (0xff << (8 - bits));
        if ((ip [index] & mask) != (net [index] & mask))
            return false;
    }
    return true;
}

bool
oa_subnet_match (const char *client_ip, const char *subnets)
{
    unsigned char ip [16];
    int ip_len = s_parse_ip (client_ip? client_ip: "", ip);
    if (ip_len == 0 || !subnets)
        return false;
    const char *cursor = subnets, *item;
    size_t item_len;
    while (oa_csv_next (&cursor, &item, &item_len))
        if (s_in_cidr (ip, ip_len, item, item_len))
            return true;
    return false;
}

void
oa_subnet_test (bool verbose)
{
    if (verbose)
        printf (" * oa_subnet: ");
    static const struct {
        const char *ip;
        const char *subnets;
        bool match;
    } cases [] = {
        { "10.1.2.3", "10.0.0.0/8", true },
        { "192.168.1.200", "10.0.0.0/8 , 192.168.1.128/25", true },
        { "192.168.1.100", "192.168.1.128/25", false },
        { "192.168.1.100", ",,192.168.1.0/24,", true },
        { "1.2.3.4", "0.0.0.0/0", true },
        { "1.2.3.4", "1.2.3.4", false },               //  not a CIDR
        { "1.2.3.4", "1.2.3.4/32", true },
        { "1.2.3.5", "1.2.3.4/31", true },
        { "1.2.3.6", "1.2.3.4/31", false },
        { "1.2.3.4", "1.2.3.0/33", false },
        { "1.2.3.4", "1.2.3.0/", false },
        { "1.2.3.4", "1.2.3.0/2x", false },
        { "1.2.3.4", "1.2.3.0/0024", false },          //  more than 3 digits
        { "1.2.3.4", "/8", false },
        { "2001:db8:1::5", "2001:db8::/32", true },
        { "2001:db9::5", "2001:db8::/32", false },
        { "10.0.0.1", "2001:db8::/32", false },
        { "2001:db8::1", "10.0.0.0/8", false },
        { "::ffff:10.0.0.1", "10.0.0.0/8", true },     //  mapped client reads as IPv4
        { "10.0.0.1", "::ffff:10.0.0.0/104", false },  //  a mapped network does not
        { "fe80::1", "fe80::/10", true },
        { "garbage", "0.0.0.0/0", false },
        { "", "0.0.0.0/0", false },
        { NULL, "0.0.0.0/0", false },
        { "1.2.3.4", NULL, false },
        { "1.2.3.4", "", false }
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++)
        assert (oa_subnet_match (cases [index].ip, cases [index].subnets) == cases [index].match);
    if (verbose)
        printf ("OK\n");
}
