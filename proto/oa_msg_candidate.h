//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_candidate - accessors of the candidate struct

    One channel the worker may use for a request, in the order to try
    them (highest priority first, weighted-random within a tier). The
    gateway resolves everything the worker needs, so the worker holds no
    database and no cache of channels.

    Part of the oa_msg class; include oa_msg.h, which includes this.
    =========================================================================
*/

#ifndef OA_MSG_CANDIDATE_H_INCLUDED
#define OA_MSG_CANDIDATE_H_INCLUDED

#include "oa_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Returns channel_id: Channel row id; failures and usage are reported against it
uint64_t
    oa_msg_candidate_channel_id (oa_msg_candidate_t *self);

//  Sets channel_id.
void
    oa_msg_candidate_set_channel_id (oa_msg_candidate_t *self, uint64_t channel_id);

//  Returns channel_type: Channel type id (one-api's table), which selects the adaptor
uint16_t
    oa_msg_candidate_channel_type (oa_msg_candidate_t *self);

//  Sets channel_type.
void
    oa_msg_candidate_set_channel_type (oa_msg_candidate_t *self, uint16_t channel_type);

//  Returns base_url, "" when unset: Upstream base URL; empty = the type's default
const char *
    oa_msg_candidate_base_url (oa_msg_candidate_t *self);

//  Sets base_url to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_base_url (oa_msg_candidate_t *self, const char *base_url);

//  Returns api_key, "" when unset: Upstream credential, possibly several values joined by |;
//  never printed
const char *
    oa_msg_candidate_api_key (oa_msg_candidate_t *self);

//  Sets api_key to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_api_key (oa_msg_candidate_t *self, const char *api_key);

//  Returns upstream_model, "" when unset: Model name after the channel's model_mapping; what
//  goes upstream and what is billed
const char *
    oa_msg_candidate_upstream_model (oa_msg_candidate_t *self);

//  Sets upstream_model to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_upstream_model (oa_msg_candidate_t *self, const char *upstream_model);

//  Returns priority: Channel priority, kept for retry tiers (429 prefers lower tiers)
int64_t
    oa_msg_candidate_priority (oa_msg_candidate_t *self);

//  Sets priority.
void
    oa_msg_candidate_set_priority (oa_msg_candidate_t *self, int64_t priority);

//  Returns config_json, "" when unset: Channel config JSON (region, api_version, api_format,
//  custom_headers, endpoint_urls, ...)
const char *
    oa_msg_candidate_config_json (oa_msg_candidate_t *self);

//  Sets config_json to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_config_json (oa_msg_candidate_t *self, const char *config_json);

//  Returns system_prompt, "" when unset: Forced system prompt of the channel; empty = none
const char *
    oa_msg_candidate_system_prompt (oa_msg_candidate_t *self);

//  Sets system_prompt to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_system_prompt (oa_msg_candidate_t *self, const char *system_prompt);

//  Returns model_configs_json, "" when unset: The channel's model_configs entry for this model
//  (pricing, max_tokens), JSON; empty = none
const char *
    oa_msg_candidate_model_configs_json (oa_msg_candidate_t *self);

//  Sets model_configs_json to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_model_configs_json (oa_msg_candidate_t *self, const char *model_configs_json);

//  Returns group_ratio, "" when unset: Group ratio for this channel as decimal text ("0.75"):
//  text keeps the admin's exact value, which a float or milli-integer would round
const char *
    oa_msg_candidate_group_ratio (oa_msg_candidate_t *self);

//  Sets group_ratio to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_group_ratio (oa_msg_candidate_t *self, const char *group_ratio);

//  Returns other, "" when unset: Deprecated "other" column (Azure api-version, Ali plugin) for
//  databases that still use it
const char *
    oa_msg_candidate_other (oa_msg_candidate_t *self);

//  Sets other to a copy of the text; NULL clears it.
void
    oa_msg_candidate_set_other (oa_msg_candidate_t *self, const char *other);

#ifdef __cplusplus
}
#endif

#endif
