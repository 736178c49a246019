/*  =========================================================================
    gw_state_private - the replica's rows and tables, shared by the
    gw_state*.c files only (gw_state.c: tables and apply; gw_state_auth.c:
    relay keys; gw_state_choose.c: channel choice and model lists).
    Not a public interface: other code uses gw_state.h.
    =========================================================================
*/
#ifndef GW_STATE_PRIVATE_H_INCLUDED
#define GW_STATE_PRIVATE_H_INCLUDED

#include <czmq.h>
#include "gw_state.h"

//  A row of tokens, as the gateway needs it.
typedef struct {
    int64_t id;                 //  tokens.id
    char *uuid;                 //  tokens.uuid, "" when NULL
    int64_t user_id;            //  owner
    char *key;                  //  48 chars, without prefix; the table key
    int64_t status;             //  1 enabled, 2 disabled, 3 expired, 4 exhausted
    char *name;                 //  label, shown in error messages
    int64_t expired_time;       //  unix seconds, -1 never
    int64_t remain_quota;       //  token-level budget
    bool unlimited_quota;       //  skips token-level checks
    char *models;               //  CSV allow-list, "" = any
    char *subnet;               //  CSV of CIDRs, "" = any
} gw_token_t;

//  A row of users.
typedef struct {
    int64_t id;                 //  users.id
    char *uuid;                 //  users.uuid
    char *username;             //  login name
    int64_t role;               //  1 common, 10 admin, 100 root
    int64_t status;             //  1 enabled, 2 disabled, 3 deleted
    int64_t quota;              //  remaining quota
    char *group;                //  routing group
} gw_user_t;

//  A row of channels.
typedef struct {
    int64_t id;                 //  channels.id
    char *uuid;                 //  channels.uuid
    int64_t type;               //  channel type id
    char *key;                  //  upstream credential (secret)
    int64_t status;             //  1 enabled
    char *name;                 //  label
    int64_t weight;             //  weighted pick within a tier (<0 read as 0)
    int64_t priority;           //  higher first
    char *base_url;             //  override; "" = the type's default
    char *other;                //  deprecated per-type extra
    char *models;               //  CSV of served models
    char *group;                //  CSV of groups
    char *model_mapping;        //  JSON {"requested":"upstream"}
    char *model_configs;        //  JSON per-model configs
    char *config;               //  JSON ChannelConfig
    char *system_prompt;        //  forced system prompt
} gw_channel_t;

//  A row of abilities: (group, model) may use channel_id.
typedef struct {
    char *group;                //  abilities.group
    char *model;                //  abilities.model
    int64_t channel_id;         //  abilities.channel_id
    bool enabled;               //  mirrors channel status
    int64_t priority;           //  copied from the channel
    int64_t suspend_until_ms;   //  epoch ms; 0 = not suspended
} gw_ability_t;

struct _gw_state_t {
    zhashx_t *tokens;           //  key -> gw_token_t (owns)
    zhashx_t *token_keys;       //  "id" -> key text (owns), to apply deletes and key changes
    zhashx_t *users;            //  "id" -> gw_user_t (owns)
    zhashx_t *channels;         //  "id" -> gw_channel_t (owns)
    zhashx_t *abilities;        //  "group\nmodel\nchannel_id" -> gw_ability_t (owns)
    zhashx_t *routes;           //  "group\nmodel" -> zlistx of gw_ability_t (borrowed), by priority
    bool routes_dirty;          //  abilities changed since routes were built
    zhashx_t *options;          //  key -> value (owns)
    char *group_ratio_text;     //  GroupRatio as last parsed (owns), NULL = never
    json_t *group_ratio;        //  its parse, reused while the option is unchanged (owns)
    zhashx_t *suspended;        //  "channel_id\nmodel" -> int64_t until_ms (owns)
    bool ready;                 //  a complete snapshot has been applied
    bool loading;               //  chunks of a snapshot are arriving
    uint64_t seq;               //  last change applied (or the snapshot's seq)
    zlistx_t *pending;          //  CHANGEs received during a snapshot (oa_msg_t, owns)
    bool resync;                //  a gap was seen: changes wait for the next snapshot
    struct _gw_state_t *staging;    //  tables of a snapshot being received, or NULL
    uint64_t staging_seq;       //  seq every chunk of that snapshot carries
    uint64_t rng;               //  xorshift64* state for weighted picks
    char key_prefix [32];       //  TOKEN_KEY_PREFIX stripped from relay keys
};

//  Text helpers shared by the files.
char *
    gw_state_strdup (const char *text);

//  True if name is one of the comma-separated entries of csv (trimmed,
//  case-sensitive, as one-api's isModelInList after TrimSpace).
bool
    gw_state_csv_has (const char *csv, const char *name);

//  Next pseudo-random number of the replica.
uint64_t
    gw_state_random (gw_state_t *self);

//  Rebuilds self->routes from self->abilities when they changed.
void
    gw_state_routes_refresh (gw_state_t *self);

//  Fills a failure (type one_api_error unless told otherwise).
void
    gw_state_fail (gw_failure_t *failure, int status, const char *code, const char *format, ...)
    __attribute__ ((format (printf, 4, 5)));

//  Channel looked up by id; NULL when unknown.
gw_channel_t *
    gw_state_channel (gw_state_t *self, int64_t id);

#endif
