/*  =========================================================================
    oa_bootstrap - the first start: a root account (see oa_bootstrap.h)
    =========================================================================
*/
#include "oa_bootstrap.h"

#include <czmq.h>

#include "oa_ids.h"
#include "oa_log.h"
#include "oa_password.h"
#include "oa_records.h"

static int
s_create_root (oa_store_t *store, const char *root_token, const char *root_access_token,
               char *err, size_t err_size)
{
    oa_user_t *root = oa_user_new ();
    oa_record_set (&root->username, "root");
    oa_record_set (&root->display_name, "Root User");
    root->password = oa_password_hash ("123456");
    root->role = OA_ROLE_ROOT;
    root->status = OA_STATUS_ENABLED;
    root->quota = OA_ROOT_QUOTA;
    if (root_access_token && *root_access_token)
        oa_record_set (&root->access_token, root_access_token);
    else {
        //  one-api: a uuid without hyphens, 32 characters for char(32).
        char uuid [OA_UUID_SIZE];
        oa_uuid_new (uuid);
        root->access_token = (char *) zmalloc (33);
        for (char *from = uuid, *to = root->access_token; *from; from++)
            if (*from != '-')
                *to++ = *from;
    }
    root->aff_code = (char *) malloc (5);
    oa_random_key (root->aff_code, 4);
    int rc = root->password? oa_store_user_insert (store, root): -1;
    if (rc != 0)
        snprintf (err, err_size, "create root user: %s",
                  root->password? oa_store_error (store): "password hashing failed");
    if (rc == 0 && root_token && *root_token) {
        oa_token_t *token = oa_token_new ();
        const char *key = strncmp (root_token, "sk-", 3) == 0? root_token + 3: root_token;
        oa_record_set (&token->key, key);
        oa_record_set (&token->name, "Initial Root Token");
        oa_record_set (&token->user_uuid, root->uuid);
        token->user_id = root->id;
        token->status = OA_STATUS_ENABLED;
        token->created_time = token->accessed_time = oa_clock_ms () / 1000;
        token->expired_time = -1;
        token->remain_quota = OA_ROOT_QUOTA;
        token->unlimited_quota = true;
        rc = oa_store_token_insert (store, token);
        if (rc != 0)
            snprintf (err, err_size, "create initial root token: %s", oa_store_error (store));
        oa_token_destroy (&token);
    }
    oa_user_destroy (&root);
    return rc;
}

int
oa_store_bootstrap (oa_store_t *store, const char *root_token, const char *root_access_token,
                    char *err, size_t err_size)
{
    if (oa_store_begin (store) != 0) {
        snprintf (err, err_size, "bootstrap: %s", oa_store_error (store));
        return -1;
    }
    //  Any row at all counts, deleted users included, as in one-api.
    oa_stmt_t *stmt = oa_store_prepare (store, "SELECT \"id\" FROM \"users\" LIMIT 1");
    int rc = stmt? oa_stmt_step (stmt): -1;
    if (stmt)
        oa_stmt_reset (stmt);
    if (rc < 0)
        snprintf (err, err_size, "bootstrap: %s", oa_store_error (store));
    else
    if (rc == 0) {
        rc = s_create_root (store, root_token, root_access_token, err, err_size) == 0? 1: -1;
        if (rc == 1)
            oa_log_info ("store", "no user exists: created root (password 123456)%s",
                         root_token && *root_token? " and the initial root token": "");
    }
    else
        rc = 0;
    if (rc >= 0 && oa_store_commit (store) == 0)
        return rc;
    if (rc >= 0)
        snprintf (err, err_size, "bootstrap: %s", oa_store_error (store));
    oa_store_rollback (store);
    return -1;
}

void
oa_bootstrap_test (bool verbose)
{
    //  Exercised on both drivers by the store suite (oa_store_suite.c); here
    //  only the error path of an unmigrated database.
    (void) verbose;
    char dir [] = "/tmp/oa-bootstrap-XXXXXX";
    assert (mkdtemp (dir));
    char path [256], err [256];
    snprintf (path, sizeof path, "%s/t.db", dir);
    oa_store_t *store = oa_store_open (NULL, path, err, sizeof err);
    assert (store);
    assert (oa_store_bootstrap (store, NULL, NULL, err, sizeof err) == -1);
    assert (strstr (err, "users"));
    assert (!oa_store_in_transaction (store));
    oa_store_destroy (&store);
    snprintf (path, sizeof path, "rm -rf '%s'", dir);
    assert (system (path) == 0);
}
