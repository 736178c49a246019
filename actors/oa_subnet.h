/*  =========================================================================
    oa_subnet - is a client address inside a token's subnets?

    one-api's network.IsIpInSubnets, for the token "subnet" column: a
    comma-separated list of CIDRs, each trimmed; an entry that is not a
    CIDR matches nothing.  Both relay-key checks use it: the gateway's
    against its replica, the management API's against the database.
    =========================================================================
*/
#ifndef OA_SUBNET_H_INCLUDED
#define OA_SUBNET_H_INCLUDED

#include <stdbool.h>

//  True if client_ip (text, IPv4 or IPv6; an IPv4-mapped IPv6 address
//  reads as IPv4, as Go's net.IP does) is inside one of subnets.
bool
    oa_subnet_match (const char *client_ip, const char *subnets);

//  Self test.
void
    oa_subnet_test (bool verbose);

#endif
