/*  =========================================================================
    oa_records - record constructors and destructors (see oa_records.h)
    =========================================================================
*/
#include "oa_records.h"

void
oa_record_set (char **field, const char *value)
{
    assert (field);
    char *copy = value? strdup (value): NULL;
    free (*field);
    *field = copy;
}

oa_user_t *
oa_user_new (void)
{
    oa_user_t *self = (oa_user_t *) zmalloc (sizeof (oa_user_t));
    self->role = OA_ROLE_COMMON;
    self->status = OA_STATUS_ENABLED;
    self->group = strdup ("default");
    return self;
}

void
oa_user_destroy (oa_user_t **self_p)
{
    assert (self_p);
    oa_user_t *self = *self_p;
    if (!self)
        return;
    char **texts [] = {
        &self->uuid, &self->username, &self->password, &self->display_name, &self->email,
        &self->github_id, &self->wechat_id, &self->lark_id, &self->oidc_id,
        &self->access_token, &self->totp_secret, &self->group, &self->aff_code,
        &self->inviter_uuid, &self->mcp_tool_blacklist, &self->metadata
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
        free (*texts [i]);
    free (self);
    *self_p = NULL;
}

oa_token_t *
oa_token_new (void)
{
    oa_token_t *self = (oa_token_t *) zmalloc (sizeof (oa_token_t));
    self->status = OA_STATUS_ENABLED;
    self->expired_time = -1;
    self->subnet = strdup ("");
    return self;
}

void
oa_token_destroy (oa_token_t **self_p)
{
    assert (self_p);
    oa_token_t *self = *self_p;
    if (!self)
        return;
    free (self->uuid);
    free (self->user_uuid);
    free (self->key);
    free (self->name);
    free (self->models);
    free (self->subnet);
    free (self);
    *self_p = NULL;
}

oa_channel_t *
oa_channel_new (void)
{
    oa_channel_t *self = (oa_channel_t *) zmalloc (sizeof (oa_channel_t));
    self->status = OA_STATUS_ENABLED;
    self->group = strdup ("default");
    self->base_url = strdup ("");
    return self;
}

void
oa_channel_destroy (oa_channel_t **self_p)
{
    assert (self_p);
    oa_channel_t *self = *self_p;
    if (!self)
        return;
    char **texts [] = {
        &self->uuid, &self->key, &self->name, &self->base_url, &self->other, &self->models,
        &self->hidden_models, &self->model_configs, &self->group, &self->model_mapping,
        &self->config, &self->system_prompt, &self->testing_model, &self->model_ratio,
        &self->completion_ratio, &self->inference_profile_arn_map
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
        free (*texts [i]);
    free (self);
    *self_p = NULL;
}

void
oa_records_test (bool verbose)
{
    (void) verbose;
    oa_user_t *user = oa_user_new ();
    assert (user->role == OA_ROLE_COMMON && user->status == OA_STATUS_ENABLED);
    assert (streq (user->group, "default"));
    oa_record_set (&user->username, "ünïcode 'quote'");
    oa_record_set (&user->username, user->username);     //  self-assignment is safe
    assert (streq (user->username, "ünïcode 'quote'"));
    oa_record_set (&user->email, NULL);
    oa_user_destroy (&user);
    assert (user == NULL);
    oa_user_destroy (&user);

    oa_token_t *token = oa_token_new ();
    assert (token->expired_time == -1 && streq (token->subnet, ""));
    oa_token_destroy (&token);
    oa_channel_t *channel = oa_channel_new ();
    assert (streq (channel->group, "default") && streq (channel->base_url, ""));
    oa_channel_destroy (&channel);
    assert (!channel);
}
