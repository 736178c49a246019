/*  =========================================================================
    oa_password - password hashes as one-api stores them

    one-api hashes with Go's bcrypt at DefaultCost (10): "$2a$10$" followed
    by 22 characters of salt and 31 of hash.  libxcrypt writes and checks
    the same format, so databases move between the two either way.
    =========================================================================
*/
#ifndef OA_PASSWORD_H_INCLUDED
#define OA_PASSWORD_H_INCLUDED

#include <stdbool.h>

//  bcrypt cost, as Go's bcrypt.DefaultCost.
#define OA_PASSWORD_COST 10

//  Returns a fresh "$2a$10$..." hash of password, or NULL (logged) when
//  hashing fails.  Caller owns (free) the result.
char *
    oa_password_hash (const char *password);

//  True when password matches the stored bcrypt hash.  The comparison takes
//  the same time wherever the first difference is; a malformed or empty
//  hash never matches.
bool
    oa_password_verify (const char *password, const char *hash);

//  Self test.
void
    oa_password_test (bool verbose);

#endif
