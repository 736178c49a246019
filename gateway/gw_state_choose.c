/*  =========================================================================
    gw_state_choose - channel choice and model lists from the replica

    one-api's middleware/distributor.go with model/cache.go's memory cache
    (Laisky fork).  Candidates for (group, model) are the abilities that
    are enabled, whose channel is enabled, and that are not suspended
    (abilities.suspend_until, or a local suspension this gateway saw).
    Priority is the channel's.

    Order.  one-api picks the first channel from the highest-priority tier,
    weighted-random by channels.weight (uniform when the tier's weights are
    all 0), and a retry picks again with the failed channels excluded, so
    again from the highest tier left.  The candidate list is that sequence
    drawn in advance: weighted draws without replacement inside the top
    tier, then the next tier, and so on.  one-api's "tiers split only when
    the top priority > 0" quirk lives in its ignoreFirstPriority fallback,
    which it reaches only when the top tier cannot serve the endpoint; the
    gateway does not filter by endpoint, so that path never applies here,
    and tiers always split by priority, zero and negative ones included
    (tested).  The worker's 429 policy can still prefer lower tiers using
    each candidate's priority.
    =========================================================================
*/
#include "gw_state_private.h"

//  A fixed creation time for listed models, as one-api reports (its
//  catalogue has no real dates).
#define S_MODEL_CREATED 1626777600

//  one-api's ChannelBaseURLConfigs (relay/channeltype/url.go), by type id.
static const char *s_base_urls [] = {
    "",                                             //  0 Unknown
    "https://api.openai.com",                       //  1 OpenAI
    "https://oa.api2d.net",                         //  2 API2D
    "",                                             //  3 Azure: the admin sets it
    "https://api.closeai-proxy.xyz",                //  4 CloseAI
    "https://api.openai-sb.com",                    //  5 OpenAISB
    "https://api.openaimax.com",                    //  6 OpenAIMax
    "https://api.ohmygpt.com",                      //  7 OhMyGPT
    "",                                             //  8 Custom
    "https://api.caipacity.com",                    //  9 Ails
    "https://api.aiproxy.io",                       //  10 AIProxy
    "https://generativelanguage.googleapis.com",    //  11 PaLM
    "https://api.api2gpt.com",                      //  12 API2GPT
    "https://api.aigc2d.com",                       //  13 AIGC2D
    "https://api.anthropic.com",                    //  14 Anthropic
    "https://aip.baidubce.com",                     //  15 Baidu
    "https://open.bigmodel.cn",                     //  16 Zhipu
    "https://dashscope.aliyuncs.com",               //  17 Ali
    "",                                             //  18 Xunfei
    "https://ai.360.cn",                            //  19 AI360
    "https://openrouter.ai/api",                    //  20 OpenRouter
    "https://api.aiproxy.io",                       //  21 AIProxyLibrary
    "https://fastgpt.run/api/openapi",              //  22 FastGPT
    "https://hunyuan.tencentcloudapi.com",          //  23 Tencent
    "https://generativelanguage.googleapis.com",    //  24 Gemini
    "https://api.moonshot.cn",                      //  25 Moonshot
    "https://api.baichuan-ai.com",                  //  26 Baichuan
    "https://api.minimax.chat",                     //  27 Minimax
    "https://api.mistral.ai",                       //  28 Mistral
    "https://api.groq.com/openai",                  //  29 Groq
    "http://localhost:11434",                       //  30 Ollama
    "https://api.lingyiwanwu.com",                  //  31 LingYiWanWu
    "https://api.stepfun.com",                      //  32 StepFun
    "",                                             //  33 AwsClaude: by region
    "https://api.coze.com",                         //  34 Coze
    "https://api.cohere.ai",                        //  35 Cohere
    "https://api.deepseek.com",                     //  36 DeepSeek
    "https://api.cloudflare.com",                   //  37 Cloudflare
    "https://api-free.deepl.com",                   //  38 DeepL
    "https://api.together.xyz",                     //  39 TogetherAI
    "https://ark.cn-beijing.volces.com",            //  40 Doubao
    "https://api.novita.ai/v3/openai",              //  41 Novita
    "",                                             //  42 VertexAI: by region
    "",                                             //  43 Proxy
    "https://api.siliconflow.cn",                   //  44 SiliconFlow
    "https://api.x.ai",                             //  45 XAI
    "https://api.replicate.com/v1/models/",         //  46 Replicate
    "https://qianfan.baidubce.com",                 //  47 BaiduV2
    "https://spark-api-open.xf-yun.com",            //  48 XunfeiV2
    "https://dashscope.aliyuncs.com",               //  49 AliBailian
    "",                                             //  50 OpenAICompatible
    "https://generativelanguage.googleapis.com/v1beta/openai/",  //  51 GeminiOpenAICompatible
    "",                                             //  52 ClaudeCompatible
    "https://api.githubcopilot.com",                //  53 Copilot
    "https://api.fireworks.ai/inference",           //  54 Fireworks
    "https://integrate.api.nvidia.com/v1",          //  55 NVIDIA
    "https://api.cerebras.ai/v1",                   //  56 Cerebras
    "https://api.deepinfra.com",                    //  57 DeepInfra
};
#define S_TYPES ((int64_t) (sizeof s_base_urls / sizeof s_base_urls [0]))

//  owned_by of listed models, by channel type: the provider's name.
static const char *
s_owner (int64_t type)
{
    switch (type) {
        case 3:  return "azure";
        case 14: case 52: return "anthropic";
        case 11: case 24: case 42: case 51: return "google";
        case 15: case 47: return "baidu";
        case 16: return "zhipu";
        case 17: case 49: return "ali";
        case 18: case 48: return "xunfei";
        case 20: return "openrouter";
        case 23: return "tencent";
        case 25: return "moonshot";
        case 28: return "mistralai";
        case 29: return "groq";
        case 30: return "ollama";
        case 33: return "aws";
        case 35: return "cohere";
        case 36: return "deepseek";
        case 39: return "together";
        case 44: return "siliconflow";
        case 45: return "xai";
        default: return "openai";
    }
}

const char *
gw_state_default_base_url (int64_t channel_type)
{
    if (channel_type < 0 || channel_type >= S_TYPES)
        return "";
    return s_base_urls [channel_type];
}

void
gw_state_routes_refresh (gw_state_t *self)
{
    if (!self->routes_dirty && self->routes)
        return;
    zhashx_destroy (&self->routes);
    self->routes = zhashx_new ();
    zhashx_set_destructor (self->routes, (zhashx_destructor_fn *) zlistx_destroy);
    gw_ability_t *ability = (gw_ability_t *) zhashx_first (self->abilities);
    while (ability) {
        char *key = zsys_sprintf ("%s\n%s", ability->group, ability->model);
        zlistx_t *list = (zlistx_t *) zhashx_lookup (self->routes, key);
        if (!list) {
            list = zlistx_new ();
            zhashx_insert (self->routes, key, list);
        }
        zlistx_add_end (list, ability);
        zstr_free (&key);
        ability = (gw_ability_t *) zhashx_next (self->abilities);
    }
    self->routes_dirty = false;
}

void
gw_state_suspend (gw_state_t *self, int64_t channel_id, const char *model, int64_t until_ms)
{
    assert (self);
    char *key = zsys_sprintf ("%" PRId64 "\n%s", channel_id, model? model: "");
    int64_t *until = (int64_t *) malloc (sizeof (int64_t));
    assert (until);
    *until = until_ms;
    zhashx_update (self->suspended, key, until);
    zstr_free (&key);
}

static bool
s_suspended (gw_state_t *self, gw_ability_t *ability, int64_t now_ms)
{
    //  one-api: usable when suspend_until is NULL or before now.
    if (ability->suspend_until_ms > 0 && ability->suspend_until_ms >= now_ms)
        return true;
    char *key = zsys_sprintf ("%" PRId64 "\n%s", ability->channel_id, ability->model);
    int64_t *until = (int64_t *) zhashx_lookup (self->suspended, key);
    zstr_free (&key);
    return until && *until >= now_ms;
}

//  Minimum GroupRatio over the channel's groups (Laisky: the selected
//  channel's groups, not the user's); unknown groups count as 1.
static void
s_group_ratio (gw_state_t *self, gw_channel_t *channel, char *out, size_t size)
{
    const char *option = gw_state_option (self, "GroupRatio", "{\"default\":1,\"vip\":1,\"svip\":1}");
    //  Parsed once per value of the option, not per request
    if (!self->group_ratio_text || strcmp (self->group_ratio_text, option)) {
        free (self->group_ratio_text);
        json_decref (self->group_ratio);
        self->group_ratio_text = strdup (option);
        self->group_ratio = json_loads (option, 0, NULL);
    }
    json_t *ratios = self->group_ratio;
    double minimum = -1;
    char *groups = strdup (channel->group);
    char *save = NULL;
    for (char *group = strtok_r (groups, ",", &save); group; group = strtok_r (NULL, ",", &save)) {
        while (isspace ((unsigned char) *group))
            group++;
        size_t len = strlen (group);
        while (len && isspace ((unsigned char) group [len - 1]))
            group [--len] = 0;
        json_t *value = json_object_get (ratios, group);
        double ratio = json_is_number (value)? json_number_value (value): 1;
        if (minimum < 0 || ratio < minimum)
            minimum = ratio;
    }
    free (groups);
    snprintf (out, size, "%.15g", minimum < 0? 1: minimum);
}

static oa_msg_candidate_t *
s_candidate (gw_state_t *self, gw_channel_t *channel, const char *model)
{
    oa_msg_candidate_t *candidate = oa_msg_candidate_new ();
    oa_msg_candidate_set_channel_id (candidate, (uint64_t) channel->id);
    oa_msg_candidate_set_channel_type (candidate, (uint16_t) channel->type);
    oa_msg_candidate_set_base_url (candidate, *channel->base_url? channel->base_url
                                              : gw_state_default_base_url (channel->type));
    oa_msg_candidate_set_api_key (candidate, channel->key);
    json_error_t error;
    const char *upstream = model;
    json_t *mapping = *channel->model_mapping? json_loads (channel->model_mapping, 0, &error): NULL;
    json_t *mapped = json_object_get (mapping, model);
    if (json_is_string (mapped) && *json_string_value (mapped))
        upstream = json_string_value (mapped);
    oa_msg_candidate_set_upstream_model (candidate, upstream);
    json_t *configs = *channel->model_configs? json_loads (channel->model_configs, 0, &error): NULL;
    json_t *entry = json_object_get (configs, model);
    if (!entry)
        entry = json_object_get (configs, upstream);
    if (json_is_object (entry)) {
        char *text = json_dumps (entry, JSON_COMPACT);
        oa_msg_candidate_set_model_configs_json (candidate, text);
        free (text);
    }
    json_decref (configs);
    json_decref (mapping);
    oa_msg_candidate_set_priority (candidate, channel->priority);
    oa_msg_candidate_set_config_json (candidate, channel->config);
    oa_msg_candidate_set_system_prompt (candidate, channel->system_prompt);
    oa_msg_candidate_set_other (candidate, channel->other);
    char ratio [48];
    s_group_ratio (self, channel, ratio, sizeof ratio);
    oa_msg_candidate_set_group_ratio (candidate, ratio);
    return candidate;
}

//  one-api's weightedIndex: weights clamped to 2^40; -1 when all are 0.
static int
s_weighted_index (gw_state_t *self, gw_channel_t **channels, int count)
{
    const int64_t max_weight = (int64_t) 1 << 40;
    uint64_t total = 0;
    for (int index = 0; index < count; index++) {
        int64_t weight = channels [index]->weight;
        total += weight < 0? 0: weight > max_weight? max_weight: weight;
    }
    if (total == 0)
        return -1;
    uint64_t draw = gw_state_random (self) % total;
    uint64_t cumulative = 0;
    for (int index = 0; index < count; index++) {
        int64_t weight = channels [index]->weight;
        cumulative += weight < 0? 0: weight > max_weight? max_weight: weight;
        if (draw < cumulative)
            return index;
    }
    return count - 1;
}

static int
s_by_priority (const void *a, const void *b)
{
    const gw_channel_t *x = *(gw_channel_t *const *) a;
    const gw_channel_t *y = *(gw_channel_t *const *) b;
    if (x->priority != y->priority)
        return x->priority > y->priority? -1: 1;
    return x->id < y->id? -1: x->id > y->id? 1: 0;
}

//  A pinned request goes to its channel only, and never retries.
static int
s_choose_pinned (gw_state_t *self, const gw_caller_t *caller, const char *model,
                 oa_msg_t *request, gw_failure_t *failure)
{
    gw_channel_t *channel = gw_state_channel (self, caller->pinned_channel_id);
    if (!channel) {
        gw_state_fail (failure, 400, NULL, "Invalid Channel Id");
        return -1;
    }
    if (channel->status != 1 && !caller->probe) {
        gw_state_fail (failure, 403, NULL, "The channel has been disabled");
        return -1;
    }
    if (model && *model && !gw_state_csv_has (channel->models, model)) {
        gw_state_fail (failure, 400, NULL,
                       "Channel #%" PRId64 " does not support the requested model: %s",
                       channel->id, model);
        return -1;
    }
    oa_msg_candidate_t *candidate = s_candidate (self, channel, model? model: "");
    oa_msg_candidates_append (request, &candidate);
    return 1;
}

int
gw_state_choose (gw_state_t *self, const gw_caller_t *caller, const char *model,
                 int max_candidates, int64_t now_ms, oa_msg_t *request,
                 gw_failure_t *failure)
{
    assert (self);
    assert (caller);
    if (caller->pinned_channel_id > 0)
        return s_choose_pinned (self, caller, model, request, failure);
    if (!model)
        model = "";
    gw_state_routes_refresh (self);
    char *key = zsys_sprintf ("%s\n%s", caller->group, model);
    zlistx_t *list = (zlistx_t *) zhashx_lookup (self->routes, key);
    zstr_free (&key);
    size_t size = list? zlistx_size (list): 0;
    gw_channel_t **channels = (gw_channel_t **) calloc (size + 1, sizeof (gw_channel_t *));
    assert (channels);
    int count = 0;
    gw_ability_t *ability = list? (gw_ability_t *) zlistx_first (list): NULL;
    while (ability) {
        gw_channel_t *channel = gw_state_channel (self, ability->channel_id);
        if (ability->enabled && channel && channel->status == 1
        &&  !s_suspended (self, ability, now_ms))
            channels [count++] = channel;
        ability = (gw_ability_t *) zlistx_next (list);
    }
    if (count == 0) {
        free (channels);
        gw_state_fail (failure, 503, NULL, "No available channels for Model %s under Group %s",
                       model, caller->group);
        return -1;
    }
    qsort (channels, (size_t) count, sizeof channels [0], s_by_priority);
    if (max_candidates < 1)
        max_candidates = 1;
    //  Draw without replacement: the pool is channels [start..count), the
    //  current tier its prefix with the highest priority.
    int appended = 0;
    int start = 0;
    while (start < count && appended < max_candidates) {
        int tier_end = start;
        while (tier_end < count && channels [tier_end]->priority == channels [start]->priority)
            tier_end++;
        int pick = s_weighted_index (self, channels + start, tier_end - start);
        if (pick < 0)
            pick = (int) (gw_state_random (self) % (uint64_t) (tier_end - start));
        gw_channel_t *chosen = channels [start + pick];
        //  Keep the tier contiguous: move the pick to the pool's front.
        memmove (channels + start + 1, channels + start, (size_t) pick * sizeof channels [0]);
        channels [start] = chosen;
        start++;
        oa_msg_candidate_t *candidate = s_candidate (self, chosen, model);
        oa_msg_candidates_append (request, &candidate);
        appended++;
    }
    free (channels);
    return appended;
}

static int
s_compare_text (const void *a, const void *b)
{
    return strcmp ((const char *) a, (const char *) b);
}

json_t *
gw_state_models (gw_state_t *self, const char *group)
{
    assert (self);
    //  model -> owning channel (lowest id), so owned_by is stable.
    zhashx_t *seen = zhashx_new ();
    gw_ability_t *ability = (gw_ability_t *) zhashx_first (self->abilities);
    while (ability) {
        gw_channel_t *channel = gw_state_channel (self, ability->channel_id);
        if (group && streq (ability->group, group) && ability->enabled
        &&  channel && channel->status == 1) {
            gw_channel_t *known = (gw_channel_t *) zhashx_lookup (seen, ability->model);
            if (!known || channel->id < known->id)
                zhashx_update (seen, ability->model, channel);
        }
        ability = (gw_ability_t *) zhashx_next (self->abilities);
    }
    zlistx_t *names = zhashx_keys (seen);
    zlistx_set_comparator (names, (zlistx_comparator_fn *) s_compare_text);
    zlistx_sort (names);
    json_t *data = json_array ();
    const char *name = (const char *) zlistx_first (names);
    while (name) {
        gw_channel_t *channel = (gw_channel_t *) zhashx_lookup (seen, name);
        json_array_append_new (data, json_pack ("{s:s, s:s, s:i, s:s}", "id", name,
                                                "object", "model", "created", S_MODEL_CREATED,
                                                "owned_by", s_owner (channel->type)));
        name = (const char *) zlistx_next (names);
    }
    zlistx_destroy (&names);
    zhashx_destroy (&seen);
    return json_pack ("{s:s, s:o}", "object", "list", "data", data);
}
