//  GENERATED from proto/schema/oa_msg.xml by proto/gen/msggen.py — DO NOT EDIT
/*  =========================================================================
    oa_msg_candidate - accessors of the candidate struct

    One channel the worker may use for a request, in the order to try
    them (highest priority first, weighted-random within a tier). The
    gateway resolves everything the worker needs, so the worker holds no
    database and no cache of channels.
    =========================================================================
*/

#include "oa_msg_private.h"

//  --------------------------------------------------------------------------
//  channel_id: Channel row id; failures and usage are reported against it

uint64_t
oa_msg_candidate_channel_id (oa_msg_candidate_t *self)
{
    assert (self);
    return self->channel_id;
}

void
oa_msg_candidate_set_channel_id (oa_msg_candidate_t *self, uint64_t channel_id)
{
    assert (self);
    self->channel_id = channel_id;
}

//  --------------------------------------------------------------------------
//  channel_type: Channel type id (one-api's table), which selects the adaptor

uint16_t
oa_msg_candidate_channel_type (oa_msg_candidate_t *self)
{
    assert (self);
    return (uint16_t) self->channel_type;
}

void
oa_msg_candidate_set_channel_type (oa_msg_candidate_t *self, uint16_t channel_type)
{
    assert (self);
    self->channel_type = channel_type;
}

//  --------------------------------------------------------------------------
//  base_url: Upstream base URL; empty = the type's default

const char *
oa_msg_candidate_base_url (oa_msg_candidate_t *self)
{
    assert (self);
    return self->base_url? self->base_url: "";
}

void
oa_msg_candidate_set_base_url (oa_msg_candidate_t *self, const char *base_url)
{
    assert (self);
    s_text_set (&self->base_url, base_url);
}

//  --------------------------------------------------------------------------
//  api_key: Upstream credential, possibly several values joined by |; never printed

const char *
oa_msg_candidate_api_key (oa_msg_candidate_t *self)
{
    assert (self);
    return self->api_key? self->api_key: "";
}

void
oa_msg_candidate_set_api_key (oa_msg_candidate_t *self, const char *api_key)
{
    assert (self);
    s_text_set (&self->api_key, api_key);
}

//  --------------------------------------------------------------------------
//  upstream_model: Model name after the channel's model_mapping; what goes upstream and what is
//  billed

const char *
oa_msg_candidate_upstream_model (oa_msg_candidate_t *self)
{
    assert (self);
    return self->upstream_model? self->upstream_model: "";
}

void
oa_msg_candidate_set_upstream_model (oa_msg_candidate_t *self, const char *upstream_model)
{
    assert (self);
    s_text_set (&self->upstream_model, upstream_model);
}

//  --------------------------------------------------------------------------
//  priority: Channel priority, kept for retry tiers (429 prefers lower tiers)

int64_t
oa_msg_candidate_priority (oa_msg_candidate_t *self)
{
    assert (self);
    return self->priority;
}

void
oa_msg_candidate_set_priority (oa_msg_candidate_t *self, int64_t priority)
{
    assert (self);
    self->priority = priority;
}

//  --------------------------------------------------------------------------
//  config_json: Channel config JSON (region, api_version, api_format, custom_headers,
//  endpoint_urls, ...)

const char *
oa_msg_candidate_config_json (oa_msg_candidate_t *self)
{
    assert (self);
    return self->config_json? self->config_json: "";
}

void
oa_msg_candidate_set_config_json (oa_msg_candidate_t *self, const char *config_json)
{
    assert (self);
    s_text_set (&self->config_json, config_json);
}

//  --------------------------------------------------------------------------
//  system_prompt: Forced system prompt of the channel; empty = none

const char *
oa_msg_candidate_system_prompt (oa_msg_candidate_t *self)
{
    assert (self);
    return self->system_prompt? self->system_prompt: "";
}

void
oa_msg_candidate_set_system_prompt (oa_msg_candidate_t *self, const char *system_prompt)
{
    assert (self);
    s_text_set (&self->system_prompt, system_prompt);
}

//  --------------------------------------------------------------------------
//  model_configs_json: The channel's model_configs entry for this model (pricing, max_tokens),
//  JSON; empty = none

const char *
oa_msg_candidate_model_configs_json (oa_msg_candidate_t *self)
{
    assert (self);
    return self->model_configs_json? self->model_configs_json: "";
}

void
oa_msg_candidate_set_model_configs_json (oa_msg_candidate_t *self, const char *model_configs_json)
{
    assert (self);
    s_text_set (&self->model_configs_json, model_configs_json);
}

//  --------------------------------------------------------------------------
//  group_ratio: Group ratio for this channel as decimal text ("0.75"): text keeps the admin's
//  exact value, which a float or milli-integer would round

const char *
oa_msg_candidate_group_ratio (oa_msg_candidate_t *self)
{
    assert (self);
    return self->group_ratio? self->group_ratio: "";
}

void
oa_msg_candidate_set_group_ratio (oa_msg_candidate_t *self, const char *group_ratio)
{
    assert (self);
    s_text_set (&self->group_ratio, group_ratio);
}

//  --------------------------------------------------------------------------
//  other: Deprecated "other" column (Azure api-version, Ali plugin) for databases that still
//  use it

const char *
oa_msg_candidate_other (oa_msg_candidate_t *self)
{
    assert (self);
    return self->other? self->other: "";
}

void
oa_msg_candidate_set_other (oa_msg_candidate_t *self, const char *other)
{
    assert (self);
    s_text_set (&self->other, other);
}
