/*  =========================================================================
    wk_rules - what each upstream accepts of a request body, settled on the
    final body just before it leaves

    @header
    Every attempt's body, byte-preserved or converted, passes through these
    rules once it is in the upstream's own format, so one place knows what
    the real providers reject (one-api, Laisky fork):
      - OpenAI reasoning models (o1/o3/o4/gpt-5 anywhere in the name, as in
        "azure-gpt-5-nano"): max_tokens becomes max_completion_tokens on
        Chat, temperature and top_p go (relay/adaptor/openai
        applyRequestTransformations);
      - models known not to reason lose reasoning_effort / reasoning;
      - tool_choice in whatever client shape (Chat nested function, flat
        Responses function, Claude tool/any/auto) becomes the target's
        (relay/adaptor/openai/tool_choice_normalize.go);
      - DeepSeek: response_format json_schema is refused; the converter
        turns it into one forced function whose parameters are the schema
        (wk_rules_schema_by_tool, oa_conv_set_schema_tool), and when the
        client has tools of its own it becomes json_object with the schema
        in a system instruction (one-api relay/adaptor/deepseek,
        structuredjson.EnsureInstruction);
      - Claude: temperature and top_p are never sent together (Claude 4.5
        rejects the pair; one-api keeps temperature), and extended
        thinking takes no top_p / top_k / temperature other than 1
        (relay/adaptor/anthropic NormalizeModelCompatibility).
    @end
    =========================================================================
*/
#ifndef WK_RULES_H_INCLUDED
#define WK_RULES_H_INCLUDED

#include <stdbool.h>
#include <jansson.h>
#include "../sse/oa_sse.h"

//  True for OpenAI reasoning models: o1/o3/o4 or gpt-5 and later as a
//  name token anywhere in the name (after a '-' or '/'), except the
//  non-reasoning gpt-5-chat.
bool
    wk_rules_reasoning_model (const char *model);

//  True for Chat upstreams that refuse response_format json_schema but
//  call tools (DeepSeek): structured output goes as a forced tool.
bool
    wk_rules_schema_by_tool (int channel_type);

//  Settles an OpenAI-wire body (format Chat or Responses) for channel_type
//  in place.  client_model is the model the client asked for (may be NULL);
//  the reasoning rules apply when it or the body's (upstream) model is a
//  reasoning model.  Returns true if the body changed.
bool
    wk_rules_openai (json_t *body, oa_api_format_t format, int channel_type,
                     const char *client_model);

//  Rewrites tool_choice of an OpenAI-wire body into the shape format wants;
//  drops it from a Chat body without tools.  Returns true if it changed.
bool
    wk_rules_tool_choice (json_t *body, oa_api_format_t format);

//  Settles a Claude Messages body in place.  Returns true if it changed.
bool
    wk_rules_claude (json_t *body);

//  Forces the channel's system prompt into a body of format (Chat,
//  Responses, Claude or Gemini), one-api's setSystemPrompt: it replaces
//  the client's system prompt (Chat: a leading system message) or is put
//  first.  Empty prompt: no-op.  Returns true if the body changed.
bool
    wk_rules_system_prompt (json_t *body, oa_api_format_t format, const char *prompt);

//  Self test.
void
    oa_wk_rules_test (bool verbose);

#endif
