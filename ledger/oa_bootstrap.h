/*  =========================================================================
    oa_bootstrap - the first start: a root account, as one-api creates it

    When the users table is empty: user "root", password "123456" (bcrypt),
    role 100, status 1, quota 500000000000000, group "default", display name
    "Root User", a uuid, an aff_code and an access token (random, or
    INITIAL_ROOT_ACCESS_TOKEN).  With INITIAL_ROOT_TOKEN, also an unlimited
    relay token for root holding that key (an sk- prefix is stripped: keys
    are stored without it).  All in one transaction; a database with any
    user is left alone.
    =========================================================================
*/
#ifndef OA_BOOTSTRAP_H_INCLUDED
#define OA_BOOTSTRAP_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include "oa_store.h"

//  Root's quota: one-api's 500000000000000 (1,000,000,000 USD).
#define OA_ROOT_QUOTA 500000000000000LL

//  Creates root when there is no user.  root_token and root_access_token
//  may be NULL or "".  Returns 1 when root was created, 0 when users
//  already existed, -1 on error (message in err).
int
    oa_store_bootstrap (oa_store_t *store, const char *root_token,
                        const char *root_access_token, char *err, size_t err_size);

//  Self test.
void
    oa_bootstrap_test (bool verbose);

#endif
