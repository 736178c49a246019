/*  =========================================================================
    oa_password - password hashes as one-api stores them (see oa_password.h)
    =========================================================================
*/
#include "oa_password.h"

#include <assert.h>
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "oa_log.h"

//  Go's bcrypt refuses passwords over 72 bytes rather than truncating them.
#define S_MAX_PASSWORD 72

char *
oa_password_hash (const char *password)
{
    assert (password);
    if (strlen (password) > S_MAX_PASSWORD) {
        oa_log_warn ("password", "password longer than %d bytes refused", S_MAX_PASSWORD);
        return NULL;
    }
    char salt [CRYPT_GENSALT_OUTPUT_SIZE];
    //  NULL random bytes: libxcrypt draws them from the OS.
    if (!crypt_gensalt_rn ("$2a$", OA_PASSWORD_COST, NULL, 0, salt, sizeof salt)) {
        oa_log_error ("password", "crypt_gensalt_rn failed");
        return NULL;
    }
    //  struct crypt_data is ~32 KiB: keep it off actor stacks.
    struct crypt_data *data = (struct crypt_data *) calloc (1, sizeof (struct crypt_data));
    assert (data);
    const char *hashed = crypt_r (password, salt, data);
    char *result = NULL;
    if (hashed && hashed [0] == '$')
        result = strdup (hashed);
    else
        oa_log_error ("password", "crypt_r failed");
    explicit_bzero (data, sizeof (struct crypt_data));
    free (data);
    return result;
}

bool
oa_password_verify (const char *password, const char *hash)
{
    if (!password || !hash || strncmp (hash, "$2", 2) != 0 || strlen (password) > S_MAX_PASSWORD)
        return false;
    struct crypt_data *data = (struct crypt_data *) calloc (1, sizeof (struct crypt_data));
    assert (data);
    const char *computed = crypt_r (password, hash, data);
    bool match = false;
    if (computed && computed [0] == '$') {
        size_t want = strlen (hash);
        size_t have = strlen (computed);
        //  Constant time over the stored hash's length.
        unsigned char diff = want != have;
        for (size_t i = 0; i < want; i++)
            diff |= (unsigned char) hash [i] ^ (unsigned char) (i < have? computed [i]: 0);
        match = diff == 0;
    }
    explicit_bzero (data, sizeof (struct crypt_data));
    free (data);
    return match;
}

void
oa_password_test (bool verbose)
{
    (void) verbose;
    char *hash = oa_password_hash ("123456");
    assert (hash);
    assert (strncmp (hash, "$2a$10$", 7) == 0 && strlen (hash) == 60);
    assert (oa_password_verify ("123456", hash));
    assert (!oa_password_verify ("1234567", hash));
    assert (!oa_password_verify ("", hash));
    char *again = oa_password_hash ("123456");
    assert (again && strcmp (again, hash) != 0);    //  fresh salt each time
    free (again);
    free (hash);
    //  The classic crypt_blowfish vector: any $2a$ implementation (Go's
    //  bcrypt included) must agree on it.
    assert (oa_password_verify ("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assert (!oa_password_verify ("U*V", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assert (!oa_password_verify ("123456", ""));
    assert (!oa_password_verify ("123456", "plain"));
    assert (!oa_password_verify ("123456", "$2a$10$short"));
    char long_password [100];
    memset (long_password, 'x', sizeof long_password - 1);
    long_password [sizeof long_password - 1] = 0;
    assert (oa_password_hash (long_password) == NULL);
}
