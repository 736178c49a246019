/*  =========================================================================
    wk_convert - one attempt's upstream request, in the format its channel
    speaks, and the conversion of a non-stream reply back

    Every attempt asks wk_route what its channel speaks for the client's
    format.  When that is the client's own OpenAI format (Chat to Chat,
    Responses to Responses) the body goes the byte-preserving way of
    wk_openai.  Otherwise a fresh oa_conv session converts the client's
    body for this upstream (each attempt converts for its own family, so a
    candidate list may mix families), the family's adaptor builds URL and
    headers, and the reply comes back through the same session: whole
    bodies here, streams through oa_stream_conv in wk_stream.c.
    =========================================================================
*/
#include "wk_job_private.h"

#include <inttypes.h>
#include "oa_log.h"
#include "../adaptor/wk_anthropic.h"
#include "../adaptor/wk_gemini.h"
#include "../adaptor/wk_route.h"
#include "../adaptor/wk_rules.h"

//  max_tokens for Claude when neither the client nor the channel gave one
#define S_DEFAULT_MAX_TOKENS 4096

//  The channel's max_tokens for this model (model_configs_json), or the default.
static int64_t
s_default_max_tokens (oa_msg_candidate_t *cand)
{
    const char *text = oa_msg_candidate_model_configs_json (cand);
    int64_t value = S_DEFAULT_MAX_TOKENS;
    if (text && *text) {
        json_t *config = json_loads (text, 0, NULL);
        json_t *max = json_object_get (config, "max_tokens");
        if (json_is_integer (max) && json_integer_value (max) > 0)
            value = json_integer_value (max);
        json_decref (config);
    }
    return value;
}

//  The model an attempt calls: the channel's mapping, else the client's.
static const char *
s_model (wk_job_t *self, oa_msg_candidate_t *cand)
{
    const char *mapped = oa_msg_candidate_upstream_model (cand);
    if (mapped && *mapped)
        return mapped;
    const char *model = json_string_value (json_object_get (self->client_json, "model"));
    if (model && *model)
        return model;
    return *oa_msg_requested_model (self->request)? oa_msg_requested_model (self->request): NULL;
}


//  The client's body as a tree, parsed on first use; NULL (and nothing kept)
//  unless it is a JSON object.
static json_t *
s_client_json (wk_job_t *self)
{
    if (!self->client_json && self->body)
        self->client_json = json_loadb (self->body, self->body_size, 0, NULL);
    if (self->client_json && !json_is_object (self->client_json)) {
        json_decref (self->client_json);
        self->client_json = NULL;
    }
    return self->client_json;
}

//  True if the body looks like a JSON object: its first byte after white
//  space is '{'.  The gateway parsed it whole before it relayed it (an
//  invalid body never gets here); a conversion parses it again.
static bool
s_body_is_object (wk_job_t *self)
{
    if (self->client_json)
        return true;
    for (size_t at = 0; self->body && at < self->body_size; at++)
        if (!strchr (" \t\r\n", self->body [at]) || !self->body [at])
            return self->body [at] == '{';
    return false;
}


//  --------------------------------------------------------------------------
//  Forgets the previous attempt's conversion state

void
wk_convert_reset (wk_job_t *self)
{
    oa_stream_conv_destroy (&self->sconv);
    oa_conv_destroy (&self->conv);
    self->converting = false;
    self->upstream_format = 0;
    self->sniffed = false;
    self->buf_error = false;
}

//  Builds the request of a same-format OpenAI-wire attempt (byte-preserving).
static int
s_openai_native (wk_job_t *self, oa_msg_candidate_t *cand, char *err, size_t err_size)
{
    wk_openai_in_t in = {
        .channel_type = oa_msg_candidate_channel_type (cand),
        .base_url = oa_msg_candidate_base_url (cand),
        .api_key = oa_msg_candidate_api_key (cand),
        .upstream_model = oa_msg_candidate_upstream_model (cand),
        .config_json = oa_msg_candidate_config_json (cand),
        .other = oa_msg_candidate_other (cand),
        .method = oa_msg_method (self->request),
        .path = oa_msg_path (self->request),
        .query = oa_msg_query (self->request),
        .content_type = oa_msg_content_type (self->request),
        .body = self->body,
        .body_size = self->body_size,
        .stream = oa_msg_stream (self->request),
        .enforce_include_usage = self->ctx->config->enforce_include_usage,
        .system_prompt = self->conversational? oa_msg_candidate_system_prompt (cand): NULL,
    };
    if (wk_openai_build (&in, &self->up, err, err_size))
        return strstr (err, "body")? 400: 501;
    return 0;
}

//  Settles the conversion session's rules for this attempt.
static void
s_session_rules (wk_job_t *self, oa_msg_candidate_t *cand, const char *model,
                 const char *anthropic_version)
{
    oa_conv_t *conv = self->conv;
    const char *mapped = oa_msg_candidate_upstream_model (cand);
    if (mapped && *mapped && self->upstream_format != OA_API_FORMAT_GEMINI)
        oa_conv_set_model (conv, mapped);
    oa_conv_set_default_max_tokens (conv, s_default_max_tokens (cand));
    bool reasoning = wk_rules_reasoning_model (model);
    switch (self->upstream_format) {
        case OA_API_FORMAT_CLAUDE:
            oa_conv_set_drop_sampling (conv, wk_anthropic_rejects_sampling (anthropic_version));
            break;
        case OA_API_FORMAT_CHAT:
            oa_conv_set_drop_sampling (conv, reasoning);
            oa_conv_set_max_completion_tokens (conv, reasoning);
            //  DeepSeek thinking tool loops want their reasoning back
            oa_conv_set_keep_reasoning (conv, oa_msg_candidate_channel_type (cand) == 36);
            break;
        case OA_API_FORMAT_RESPONSES:
            oa_conv_set_drop_sampling (conv, reasoning);
            break;
        default:
            break;
    }
}

//  Hands the converted body to the family's adaptor.  Takes *text_p.
static int
s_adaptor_build (wk_job_t *self, oa_msg_candidate_t *cand, const char *model,
                 const char *anthropic_version, char **text_p, char *err, size_t err_size)
{
    bool stream = oa_msg_stream (self->request);
    size_t size = strlen (*text_p);
    if (self->upstream_format == OA_API_FORMAT_CLAUDE) {
        wk_anthropic_in_t in = {
            .base_url = oa_msg_candidate_base_url (cand),
            .api_key = oa_msg_candidate_api_key (cand),
            .config_json = oa_msg_candidate_config_json (cand),
            .version = anthropic_version,
            .beta = oa_msg_headers_lookup (self->request, "anthropic-beta"),
            .stream = stream,
        };
        return wk_anthropic_build (&in, text_p, size, &self->up, err, err_size)? 501: 0;
    }
    if (self->upstream_format == OA_API_FORMAT_GEMINI) {
        char *path_model = wk_gemini_path_model (oa_msg_path (self->request));
        const char *mapped = oa_msg_candidate_upstream_model (cand);
        wk_gemini_in_t in = {
            .base_url = oa_msg_candidate_base_url (cand),
            .api_key = oa_msg_candidate_api_key (cand),
            .config_json = oa_msg_candidate_config_json (cand),
            .model = mapped && *mapped? mapped: path_model? path_model: model,
            .stream = stream,
        };
        int rc = wk_gemini_build (&in, text_p, size, &self->up, err, err_size)? 501: 0;
        zstr_free (&path_model);
        return rc;
    }
    //  OpenAI wire: the converted body goes to the family's own path
    bool responses = self->upstream_format == OA_API_FORMAT_RESPONSES;
    wk_openai_in_t in = {
        .channel_type = oa_msg_candidate_channel_type (cand),
        .base_url = oa_msg_candidate_base_url (cand),
        .api_key = oa_msg_candidate_api_key (cand),
        .upstream_model = "",               //  the session applied the mapping
        .config_json = oa_msg_candidate_config_json (cand),
        .other = oa_msg_candidate_other (cand),
        .method = "POST",
        .path = responses? "/v1/responses": "/v1/chat/completions",
        .query = "",
        .content_type = "application/json",
        .body = *text_p,
        .body_size = size,
        .stream = stream,
        .enforce_include_usage = false,     //  the Chat pivot always asks for usage
        .client_model = json_string_value (json_object_get (self->client_json, "model")),
    };
    int rc = wk_openai_build (&in, &self->up, err, err_size)? 501: 0;
    if (rc == 0 && !self->up.body) {
        self->up.body = *text_p;
        self->up.body_size = size;
        *text_p = NULL;
    }
    zstr_free (text_p);
    return rc;
}


//  --------------------------------------------------------------------------
//  Builds the upstream request of an attempt on cand into self->up

int
wk_convert_attempt (wk_job_t *self, oa_msg_candidate_t *cand, char *err, size_t err_size)
{
    wk_convert_reset (self);
    int channel_type = oa_msg_candidate_channel_type (cand);
    if (!self->conversational) {
        //  Embeddings, images, audio, ...: OpenAI wire only, as they are
        if (!wk_openai_speaks (channel_type)) {
            snprintf (err, err_size, "channel type %d does not serve this endpoint",
                      channel_type);
            return 501;
        }
        return s_openai_native (self, cand, err, err_size);
    }
    //  The tree is built only when a conversion reads it: a same-format
    //  attempt sends the client's bytes (wk_openai_build rewrites the few
    //  it must), and parsing a long chat history costs more than the rest
    //  of the request.  Until then the model is the one the gateway read
    //  from the same body (RELAY_REQUEST requested_model).
    if (!s_body_is_object (self)) {
        snprintf (err, err_size, "request body is not a JSON object");
        return 400;
    }
    const char *model = s_model (self, cand);
    self->upstream_format = wk_route_family (channel_type, oa_msg_candidate_base_url (cand),
                                             oa_msg_candidate_config_json (cand), model,
                                             self->client_format);
    if (!self->upstream_format) {
        snprintf (err, err_size, "channel type %d cannot serve this API format", channel_type);
        return 501;
    }
    //  Structured output a Chat upstream can only give through a tool
    //  needs the converter even for a Chat client
    bool schema_tool = self->upstream_format == OA_API_FORMAT_CHAT
                    && wk_rules_schema_by_tool (channel_type)
                    && s_client_json (self)
                    && oa_conv_wants_schema (self->client_format, self->client_json);
    //  ?thinking=true / ?reasoning_format= reshape a Chat upstream's reply
    const char *reasoning_format = oa_msg_reasoning_format (self->request);
    bool reshape = self->upstream_format == OA_API_FORMAT_CHAT
                && (oa_msg_thinking (self->request) || (reasoning_format && *reasoning_format));
    if (self->upstream_format == self->client_format && !schema_tool && !reshape
    &&  (self->client_format == OA_API_FORMAT_CHAT
         || self->client_format == OA_API_FORMAT_RESPONSES))
        return s_openai_native (self, cand, err, err_size);

    if (!s_client_json (self)) {
        snprintf (err, err_size, "request body is not a JSON object");
        return 400;
    }
    self->converting = true;
    self->conv = oa_conv_new (oa_msg_request_id (self->request));
    assert (self->conv);
    const char *anthropic_version =
        wk_anthropic_version (oa_msg_headers_lookup (self->request, "anthropic-version"));
    s_session_rules (self, cand, model, anthropic_version);
    oa_conv_set_schema_tool (self->conv, schema_tool);
    if (self->client_format == OA_API_FORMAT_CHAT)
        oa_conv_set_reasoning_format (self->conv, reasoning_format);
    oa_conv_set_think_tags (self->conv, self->upstream_format == OA_API_FORMAT_CHAT
                                        && oa_msg_thinking (self->request));
    //  Claude thinking signatures across turns, per token (oa_sigcache.h)
    char scope [24];
    snprintf (scope, sizeof scope, "%" PRIu64, oa_msg_token_id (self->request));
    oa_conv_set_sigcache (self->conv, oa_sigcache_global (), scope);
    char conv_err [OA_CONV_ERR_SIZE] = "";
    json_t *out = oa_conv_request (self->conv, self->client_format, self->upstream_format,
                                   self->client_json, conv_err);
    if (!out) {
        snprintf (err, err_size, "%s", *conv_err? conv_err: "request cannot be converted");
        return 400;
    }
    //  The channel's forced system prompt, in the upstream's own place
    wk_rules_system_prompt (out, self->upstream_format, oa_msg_candidate_system_prompt (cand));
    if (self->upstream_format == OA_API_FORMAT_CLAUDE)
        wk_anthropic_prepare (out, anthropic_version, s_default_max_tokens (cand));
    else
    if (self->upstream_format == OA_API_FORMAT_GEMINI)
        json_object_del (out, "model");
    char *text = json_dumps (out, OA_SSE_JSON_FLAGS);
    json_decref (out);
    if (!text) {
        snprintf (err, err_size, "request cannot be serialised");
        return 400;
    }
    if (oa_msg_stream (self->request)) {
        self->sconv = oa_stream_conv_new (self->conv, self->upstream_format,
                                          self->client_format);
        if (!self->sconv) {
            zstr_free (&text);
            snprintf (err, err_size, "no stream conversion for this pair");
            return 501;
        }
    }
    return s_adaptor_build (self, cand, model, anthropic_version, &text, err, err_size);
}


//  --------------------------------------------------------------------------
//  Converts a complete 2xx non-stream upstream body into the client's format

int
wk_convert_body (wk_job_t *self, char *err, size_t err_size)
{
    json_t *body = self->buf_size? json_loadb (self->buf, self->buf_size, 0, NULL): NULL;
    if (!json_is_object (body)) {
        json_decref (body);
        snprintf (err, err_size, "upstream reply is not a JSON object");
        return -1;
    }
    oa_conv_usage_t usage = { 0 };
    if (oa_conv_usage_parse (&usage, self->upstream_format, body) == 0) {
        self->usage = usage;
        self->usage_seen = true;
    }
    char conv_err [OA_CONV_ERR_SIZE] = "";
    json_t *out = oa_conv_response (self->conv, self->upstream_format, self->client_format,
                                    body, NULL, conv_err);
    json_decref (body);
    char *text = out? json_dumps (out, OA_SSE_JSON_FLAGS): NULL;
    json_decref (out);
    if (!text) {
        snprintf (err, err_size, "upstream reply cannot be converted: %s", conv_err);
        return -1;
    }
    free (self->buf);
    self->buf = text;
    self->buf_size = strlen (text);
    self->buf_max = self->buf_size + 1;
    return 0;
}
