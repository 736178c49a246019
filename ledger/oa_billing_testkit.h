/*  =========================================================================
    oa_billing_testkit - the billing tests' fixture

    A store with users, tokens and channels, oa_ledger_sync on inproc
    endpoints with a billing attached, a DEALER playing the worker and a
    SUB playing a gateway; used by oa_billing_test.c.
    =========================================================================
*/
#ifndef OA_BILLING_TESTKIT_H_INCLUDED
#define OA_BILLING_TESTKIT_H_INCLUDED

#include "oa_billing_private.h"

typedef struct {
    oa_store_t *store;          //  the database
    oa_ledger_sync_t *sync;     //  ROUTER and PUB
    oa_billing_t *billing;      //  under test
    zsock_t *dealer;            //  the worker
    zsock_t *sub;               //  a gateway
    int64_t user;               //  alice
    int64_t token;              //  alice's limited token
    int64_t unlimited;          //  alice's unlimited token
    int64_t plain;              //  channel: group default, overrides
    int64_t vip;                //  channel: groups default,vip, same overrides
    int64_t openai;             //  channel: type 1, no overrides
    int64_t acked;              //  request ids acknowledged so far
} oa_billing_fx_t;

//  model_configs of the overriding channels
#define OA_BILLING_FX_CONFIGS \
    "{\"my-model\":{\"ratio\":2,\"completion_ratio\":3,\"cached_input_ratio\":0.5}," \
    "\"claude-test\":{\"ratio\":1.5,\"completion_ratio\":5,\"cached_input_ratio\":0.15," \
    "\"cache_write_5m_ratio\":1.875}}"

//  One integer from sql with one text parameter (NULL = none).
int64_t
    oa_billing_fx_int (oa_store_t *store, const char *sql, const char *arg);
//  Inserts a channel of type in group with model_configs; returns its id.
int64_t
    oa_billing_fx_channel (oa_store_t *store, int64_t type, const char *group,
                           const char *configs);
//  Inserts a token of user; returns its id.
int64_t
    oa_billing_fx_token (oa_store_t *store, int64_t user, const char *key, int64_t remain,
                         bool unlimited);
//  Opens the store at where (a DSN when pg, else a SQLite path), migrates it,
//  adds alice, her tokens and the channels, and starts sync and billing.
void
    oa_billing_fx_new (oa_billing_fx_t *fx, const char *where, bool pg);
//  Stops and frees what oa_billing_fx_new made.
void
    oa_billing_fx_destroy (oa_billing_fx_t *fx);
//  A USAGE for the given ids, model and token counts.
oa_msg_t *
    oa_billing_fx_usage (const char *request_id, int64_t token, int64_t user, int64_t channel,
                         const char *model, uint32_t prompt, uint32_t completion,
                         uint32_t cached, uint32_t write_5m);
//  Sends usage from the worker and waits until billing holds it.
void
    oa_billing_fx_send (oa_billing_fx_t *fx, oa_msg_t **usage_p);
//  Receives USAGE_ACKs until count more request ids are acknowledged.
void
    oa_billing_fx_expect_acks (oa_billing_fx_t *fx, int64_t count);
//  alice's quota.
int64_t
    oa_billing_fx_user_quota (oa_billing_fx_t *fx);
//  The sum of the quota of all log rows.
int64_t
    oa_billing_fx_log_sum (oa_billing_fx_t *fx);

#endif
