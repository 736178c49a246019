//  Shared configuration: the fake providers (one strict-upstream port each, with
//  the channel key the gateway must present) and the eight model families of
//  one-api's regression matrix.

export const PROVIDERS = {
    openai: 'sk-upstream-openai-0000',
    azure: 'azure-upstream-key-0000',
    anthropic: 'sk-ant-upstream-0000',
    gemini: 'AIza-upstream-gemini-0000',
    groq: 'gsk-upstream-groq-0000',
    deepseek: 'sk-upstream-deepseek-0000',
    xai: 'xai-upstream-0000',
};

//  type = one-api channel type id (oneapi-inventory §5.1).
export const FAMILIES = [
    { model: 'gpt-4o-mini', provider: 'openai', type: 1 },
    { model: 'gpt-5-mini', provider: 'openai', type: 1 },
    { model: 'claude-haiku-4-5', provider: 'anthropic', type: 14 },
    { model: 'gemini-2.5-flash', provider: 'gemini', type: 24 },
    { model: 'openai/gpt-oss-20b', provider: 'groq', type: 29 },
    { model: 'deepseek-chat', provider: 'deepseek', type: 36 },
    { model: 'grok-4-fast-non-reasoning', provider: 'xai', type: 45 },
    { model: 'azure-gpt-5-nano', provider: 'azure', type: 3, config: '{"api_version":"2024-10-21"}' },
];

//  Extra channel models carrying an oa-mock behaviour suffix (README "Behaviour
//  grammar"), used by the SDK error-path tests.
//  Each consumer gets its own model name (`<model>-t<i>@<key>=<value>`; one key
//  only, channel model lists are comma separated), because the gateway suspends
//  a channel's model for a while after an upstream error.
export const steered = (model, i, kv) => `${model}-t${i}@${kv}`;
const steer = (model, kv) => [0, 1, 2, 3].map(i => steered(model, i, kv));
export const STEERED = {
    openai: [...steer('gpt-4o-mini', 'status=429'), ...steer('gpt-4o-mini', 'error_after=2'),
        'gpt-4o-mini@keepalive=1', 'gpt-4o-mini@usage=finish'],
    anthropic: [...steer('claude-haiku-4-5', 'status=529'), ...steer('claude-haiku-4-5', 'error_after=2'),
        'claude-haiku-4-5@keepalive=1'],
};

export function env () {
    const base = process.env.ONEAPI_BASE;
    const key = process.env.ONEAPI_KEY;
    const control = process.env.STRICT_CONTROL;
    if (!base || !key || !control) throw new Error('ONEAPI_BASE, ONEAPI_KEY and STRICT_CONTROL must be set (tests/it/conformance.sh sets them)');
    return { base: base.replace(/\/$/, ''), key, control: control.replace(/\/$/, '') };
}
