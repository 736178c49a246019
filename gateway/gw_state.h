/*  =========================================================================
    gw_state - one gateway thread's replica of the hot state

    Tokens, users, channels, abilities and options, as the ledger last told
    this gateway: loaded from a snapshot (SNAPSHOT_CHUNK messages) and kept
    current by the ledger's change stream (CHANGE messages).  Each gateway
    event-loop thread owns one replica, so lookups on the request path take
    no lock and touch no database.  Rows travel as JSON objects with
    one-api's column names (the payload of SNAPSHOT_CHUNK is a JSON array of
    such objects; the payload of CHANGE is one object).

    The decisions one-api makes in its middleware live here, as pure
    functions of the replica: relay-key authentication (middleware/auth.go
    TokenAuth), the model allow-list and subnet checks, the admin channel pin
    suffix, and channel choice (middleware/distributor.go: abilities of
    (group, model), priority tiers, weighted random inside a tier, model
    mapping, default base URLs).  Every failure carries one-api's HTTP status
    and message; the caller appends "(request id: ...)".

    Owned by one thread; not thread-safe by design.
    =========================================================================
*/
#ifndef GW_STATE_H_INCLUDED
#define GW_STATE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "oa_msg.h"

typedef struct _gw_state_t gw_state_t;

//  A relay decision that failed: what the client is told.
typedef struct {
    int status;                 //  HTTP status (401, 403, 429, 503, ...)
    char type [32];             //  OpenAI error type, e.g. "one_api_error"
    char code [48];             //  error code, e.g. "invalid_api_key"; may be ""
    char message [512];         //  one-api's message, without the request id
} gw_failure_t;

//  Who is calling, once a relay key is accepted.  Strings are copies.
typedef struct {
    int64_t token_id;           //  tokens.id
    char token_uuid [40];       //  tokens.uuid
    char token_name [64];       //  tokens.name
    int64_t user_id;            //  users.id
    char user_uuid [40];        //  users.uuid
    char username [64];         //  users.username
    int user_role;              //  users.role (1 common, 10 admin, 100 root)
    char group [64];            //  users.group, the routing group
    int64_t user_quota;         //  users.quota as last known
    int64_t token_remain;       //  tokens.remain_quota as last known
    bool unlimited;             //  tokens.unlimited_quota
    int64_t pinned_channel_id;  //  admin pin from "sk-<key>-<channel>", else 0
    bool probe;                 //  a channel test (gw_api_probe), never a relay key: the
                                //  pinned channel is used whatever its status
    char models [1024];         //  tokens.models allow-list (CSV), "" = any
} gw_caller_t;

//  Creates an empty replica (not ready until a full snapshot arrived).
gw_state_t *
    gw_state_new (void);

//  Destroys the replica and nulls the pointer.
void
    gw_state_destroy (gw_state_t **self_p);

//  True once a complete snapshot has been applied.
bool
    gw_state_ready (gw_state_t *self);

//  Applies a SNAPSHOT_CHUNK or CHANGE message (other ids are ignored).
//  Returns 0, or -1 for a malformed row or a gap in the change sequence,
//  after which the owner must request a new snapshot.
int
    gw_state_apply (gw_state_t *self, oa_msg_t *msg);

//  Last change sequence number applied (for SNAPSHOT_REQUEST.since_seq).
uint64_t
    gw_state_seq (gw_state_t *self);

//  Authenticates a relay credential (the raw value of Authorization,
//  x-api-key or api-key; "Bearer " and the key prefix are stripped here)
//  from client_ip (text, IPv4 or IPv6).  Returns 0 and fills caller, or -1
//  and fills failure exactly as one-api answers.
int
    gw_state_authenticate (gw_state_t *self, const char *credential, const char *client_ip,
                           int64_t now_ms, gw_caller_t *caller, gw_failure_t *failure);

//  Checks that caller may use model (token allow-list).  0 or -1 + failure.
int
    gw_state_check_model (gw_state_t *self, const gw_caller_t *caller, const char *model,
                          gw_failure_t *failure);

//  Chooses up to max_candidates channels for (caller's group, model), in
//  the order a request should try them (first pick by priority tier and
//  weight; retries prefer other channels), honouring a pinned channel and
//  suspensions, and appends them to request as candidate structs (mapped
//  upstream model, base URL defaulted per channel type, key, config).
//  Returns the number appended, or -1 + failure (503 "No available channels
//  for Model X under Group Y").
int
    gw_state_choose (gw_state_t *self, const gw_caller_t *caller, const char *model,
                     int max_candidates, int64_t now_ms, oa_msg_t *request,
                     gw_failure_t *failure);

//  Marks (channel, model) unusable until until_ms (429, 5xx, auth errors).
void
    gw_state_suspend (gw_state_t *self, int64_t channel_id, const char *model, int64_t until_ms);

//  The OpenAI model list for a group (GET /v1/models): a fresh JSON object
//  {"object":"list","data":[...]}.  Caller owns the return value.
json_t *
    gw_state_models (gw_state_t *self, const char *group);

//  An option's value (options table), or fallback when unset.  Borrowed.
const char *
    gw_state_option (gw_state_t *self, const char *key, const char *fallback);

//  --------------------------------------------------------------------------
//  Additions (after the first contract; existing signatures unchanged)

//  The whole of one-api's TokenAuth for a relay request, in its order:
//  key, token status/expiry/quota, subnet, user, banned user, the model
//  allow-list (skipped when model is NULL or ""), the admin channel pin,
//  then the user's quota.  gw_state_authenticate + gw_state_check_model
//  give the same answers except when two checks fail at once (then the
//  pin is reported before the model).  0, or -1 + failure.
int
    gw_state_authorize (gw_state_t *self, const char *credential, const char *client_ip,
                        const char *model, int64_t now_ms, gw_caller_t *caller,
                        gw_failure_t *failure);

//  Seeds the weighted-random picks (tests; the default seed is random).
void
    gw_state_set_seed (gw_state_t *self, uint64_t seed);

//  Rows held for a table ("tokens", "users", "channels", "abilities",
//  "options"); 0 for other names.
size_t
    gw_state_count (gw_state_t *self, const char *table);

//  One-api's default base URL of a channel type (ChannelBaseURLConfigs),
//  "" when the type has none (Azure, OpenAICompatible: the admin must set
//  one) or is unknown.  Static string.
const char *
    gw_state_default_base_url (int64_t channel_type);

//  True if client_ip (text) is inside one of the CSV of CIDRs, as one-api's
//  network.IsIpInSubnets: entries that are not CIDRs match nothing.
bool
    gw_state_ip_in_subnets (const char *client_ip, const char *subnets);

//  Splits a relay key as one-api does after removing "Bearer " and the
//  prefixes: a trailing "-<uuid>" or "-<digits>" is an admin channel pin.
//  Writes the token part into key and the pin into pin ("" when none).
void
    gw_state_split_key (const char *credential, const char *token_key_prefix,
                        char *key, size_t key_size, char *pin, size_t pin_size);

//  Sets the relay key prefix stripped before lookup (TOKEN_KEY_PREFIX;
//  default "sk-").  The text is copied.
void
    gw_state_set_key_prefix (gw_state_t *self, const char *prefix);

#endif
