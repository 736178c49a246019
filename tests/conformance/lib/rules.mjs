//  Provider request rules: what the real upstream would reject (errors) or what
//  is suspicious but usually tolerated (warnings).  Used by strict-upstream.mjs
//  on every request the gateway sends to a fake provider.
//
//  Sources: /work/shared/reference/wire-formats.md §1–§6 (cited as WF §n) and a
//  few documented provider rules beyond it (cited inline).

const REASONING_RE = /(^|[-/])(gpt-5|o1|o3|o4)([-.]|$)/;

export function isReasoningModel (model) {
    return typeof model === 'string' && REASONING_RE.test(model.toLowerCase());
}

const isObj = v => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = v => typeof v === 'string';
const nonEmptyStr = v => typeof v === 'string' && v.length > 0;

class Report {
    constructor () { this.errors = []; this.warnings = []; }
    err (msg) { this.errors.push(msg); }
    warn (msg) { this.warnings.push(msg); }
}

// ---------------------------------------------------------------- OpenAI Chat

const CHAT_KEYS = new Set(['model', 'messages', 'audio', 'frequency_penalty', 'function_call', 'functions',
    'logit_bias', 'logprobs', 'max_completion_tokens', 'max_tokens', 'metadata', 'modalities', 'n',
    'parallel_tool_calls', 'prediction', 'presence_penalty', 'prompt_cache_key', 'prompt_cache_retention',
    'reasoning_effort', 'response_format', 'safety_identifier', 'seed', 'service_tier', 'stop', 'store',
    'stream', 'stream_options', 'temperature', 'tool_choice', 'tools', 'top_logprobs', 'top_p', 'user',
    'verbosity', 'web_search_options']);
//  Fields of the other protocols: a leak of these is a conversion bug, and OpenAI
//  answers 400 "Unrecognized request argument supplied".
const FOREIGN_FOR_CHAT = new Set(['input', 'instructions', 'max_output_tokens', 'system', 'top_k', 'thinking',
    'text', 'stop_sequences', 'contents', 'generationConfig', 'toolConfig', 'systemInstruction',
    'anthropic_version', 'previous_response_id', 'output_config']);
const TOOL_NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

function checkChatContentParts (r, where, parts, allowed) {
    if (!Array.isArray(parts)) return;
    if (parts.length === 0) r.err(`${where}.content: empty array`);
    parts.forEach((p, i) => {
        const w = `${where}.content[${i}]`;
        if (!isObj(p) || !isStr(p.type)) { r.err(`${w}: part without type`); return; }
        if (!allowed.includes(p.type)) {
            r.err(`${w}.type: invalid value '${p.type}', supported: ${allowed.join(', ')}`);
            return;
        }
        if (p.type === 'text' && !isStr(p.text)) r.err(`${w}.text: missing`);
        if (p.type === 'image_url') {
            if (!isObj(p.image_url) || !nonEmptyStr(p.image_url.url)) r.err(`${w}.image_url.url: missing`);
            else if (p.image_url.detail !== undefined && !['low', 'high', 'auto'].includes(p.image_url.detail))
                r.err(`${w}.image_url.detail: invalid '${p.image_url.detail}'`);
        }
    });
}

export function checkChat (r, body, ctx) {
    const { provider } = ctx;
    const strictKeys = provider === 'openai' || provider === 'azure';
    for (const k of Object.keys(body)) {
        if (FOREIGN_FOR_CHAT.has(k)) r.err(`Unrecognized request argument supplied: ${k}`);
        else if (!CHAT_KEYS.has(k)) (strictKeys ? r.err.bind(r) : r.warn.bind(r))(`unknown chat parameter '${k}'`);
    }
    if (!ctx.deployment && !nonEmptyStr(body.model)) r.err("you must provide a model parameter");
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
        r.err("'messages' must be a non-empty array");
        return;
    }
    const openCalls = new Map();     // tool_call_id -> answered?
    body.messages.forEach((m, i) => {
        const w = `messages[${i}]`;
        if (!isObj(m)) { r.err(`${w}: not an object`); return; }
        const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
        if (!roles.includes(m.role)) { r.err(`${w}.role: invalid value '${m.role}'`); return; }
        if (m.role !== 'tool' && m.role !== 'function') {
            //  An assistant tool_calls turn must be answered before the next non-tool message.
            for (const [id, answered] of openCalls)
                if (!answered) r.err(`${w}: an assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id' (missing ${id})`);
            openCalls.clear();
        }
        const c = m.content;
        switch (m.role) {
        case 'system': case 'developer':
            if (!(isStr(c) || Array.isArray(c))) r.err(`${w}.content: must be a string or text parts`);
            checkChatContentParts(r, w, c, ['text']);
            break;
        case 'user':
            if (!(isStr(c) || Array.isArray(c))) r.err(`${w}.content: must be a string or an array of parts`);
            checkChatContentParts(r, w, c, ['text', 'image_url', 'input_audio', 'file']);
            break;
        case 'assistant': {
            const calls = m.tool_calls;
            if (calls !== undefined && calls !== null) {
                if (!Array.isArray(calls) || calls.length === 0) r.err(`${w}.tool_calls: must be a non-empty array`);
                else calls.forEach((tc, j) => {
                    const wj = `${w}.tool_calls[${j}]`;
                    if (!isObj(tc) || !nonEmptyStr(tc.id)) r.err(`${wj}.id: missing`);
                    if (!isObj(tc) || tc.type !== 'function') r.err(`${wj}.type: must be 'function'`);
                    if (!isObj(tc) || !isObj(tc.function) || !nonEmptyStr(tc.function.name)) r.err(`${wj}.function.name: missing`);
                    else if (!isStr(tc.function.arguments)) r.err(`${wj}.function.arguments: must be a string`);
                    if (isObj(tc) && nonEmptyStr(tc.id)) openCalls.set(tc.id, false);
                });
            } else if (c === undefined || c === null) {
                r.err(`${w}.content: required unless tool_calls is specified`);
            }
            if (c !== undefined && c !== null && !isStr(c) && !Array.isArray(c)) r.err(`${w}.content: invalid type`);
            checkChatContentParts(r, w, c, ['text', 'refusal']);
            break;
        }
        case 'tool':
            if (!nonEmptyStr(m.tool_call_id)) r.err(`${w}.tool_call_id: missing`);
            else if (!openCalls.has(m.tool_call_id))
                r.err(`${w}: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (id ${m.tool_call_id})`);
            else openCalls.set(m.tool_call_id, true);
            if (!(isStr(c) || Array.isArray(c))) r.err(`${w}.content: must be a string or text parts`);
            checkChatContentParts(r, w, c, ['text']);
            //  DeepSeek: tool message content must be a string (oneapi-inventory §6).
            if (provider === 'deepseek' && !isStr(c)) r.err(`${w}.content: DeepSeek requires a string tool message content`);
            break;
        }
    });
    for (const [id, answered] of openCalls)
        if (!answered && body.messages.at(-1)?.role !== 'assistant')
            r.err(`tool call ${id} has no tool message`);

    const toolNames = [];
    if (body.tools !== undefined) {
        if (!Array.isArray(body.tools)) r.err('tools: must be an array');
        else body.tools.forEach((t, i) => {
            const w = `tools[${i}]`;
            if (!isObj(t) || t.type !== 'function') { r.err(`${w}.type: must be 'function'`); return; }
            if (!isObj(t.function)) { r.err(`${w}.function: missing (flat Responses/Claude tool shape sent to Chat?)`); return; }
            if (!isStr(t.function.name) || !TOOL_NAME_RE.test(t.function.name))
                r.err(`${w}.function.name: must match ^[a-zA-Z0-9_-]{1,64}$`);
            else toolNames.push(t.function.name);
            const p = t.function.parameters;
            if (p !== undefined && (!isObj(p) || (p.type !== undefined && p.type !== 'object')))
                r.err(`${w}.function.parameters: must be a JSON schema object of type 'object'`);
            for (const k of Object.keys(t)) if (!['type', 'function'].includes(k)) r.err(`${w}: unknown field '${k}'`);
        });
    }
    const tc = body.tool_choice;
    if (tc !== undefined && tc !== null) {
        if (!body.tools || body.tools.length === 0) r.err("'tool_choice' is only allowed when 'tools' are specified");
        if (isStr(tc)) {
            if (!['none', 'auto', 'required'].includes(tc)) r.err(`tool_choice: invalid value '${tc}'`);
        } else if (isObj(tc) && tc.type === 'function' && isObj(tc.function) && isStr(tc.function.name)) {
            if (!toolNames.includes(tc.function.name)) r.err(`tool_choice: function '${tc.function.name}' is not among tools`);
        } else if (!(isObj(tc) && tc.type === 'allowed_tools')) {
            r.err(`tool_choice: invalid shape ${JSON.stringify(tc)}`);
        }
    }
    const rf = body.response_format;
    if (rf !== undefined && rf !== null) {
        if (!isObj(rf) || !['text', 'json_object', 'json_schema'].includes(rf.type)) r.err(`response_format.type: invalid`);
        else if (rf.type === 'json_schema') {
            if (!isObj(rf.json_schema)) r.err('response_format.json_schema: missing');
            else {
                if (!isStr(rf.json_schema.name) || !TOOL_NAME_RE.test(rf.json_schema.name)) r.err('response_format.json_schema.name: missing or invalid');
                if (rf.json_schema.schema !== undefined && !isObj(rf.json_schema.schema)) r.err('response_format.json_schema.schema: must be an object');
            }
            //  DeepSeek answers 400 "This response_format type is unavailable now"
            //  for json_schema (only text / json_object exist; api-docs.deepseek.com JSON Output).
            if (provider === 'deepseek') r.err('DeepSeek: This response_format type is unavailable now (json_schema)');
        } else if (rf.type === 'json_object' && ['openai', 'azure', 'deepseek'].includes(provider)) {
            //  OpenAI: "'messages' must contain the word 'json' in some form, to use
            //  'response_format' of type 'json_object'."  DeepSeek's JSON Output guide
            //  asks for the same (api-docs.deepseek.com/guides/json_mode).
            const said = body.messages.some(m => /json/i.test(typeof m?.content === 'string' ? m.content
                : JSON.stringify(m?.content ?? '')));
            if (!said) r.err("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'");
        }
    }
    //  DeepSeek's tool_choice: none / auto / required or a named function only.
    if (provider === 'deepseek' && isObj(tc) && tc.type !== 'function') r.err(`DeepSeek: tool_choice type '${tc.type}' is not supported`);
    if (body.stream !== undefined && typeof body.stream !== 'boolean') r.err('stream: must be a boolean');
    if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true)
        r.err("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
    const model = ctx.deployment || body.model;
    if ((provider === 'openai' || provider === 'azure') && isReasoningModel(model)) {
        if (body.max_tokens !== undefined) r.err("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.");
        if (body.temperature !== undefined && body.temperature !== 1) r.err(`Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`);
        if (body.top_p !== undefined && body.top_p !== 1) r.err("Unsupported parameter: 'top_p' is not supported with this model.");
    }
    if (body.max_tokens !== undefined && body.max_completion_tokens !== undefined)
        r.warn('both max_tokens and max_completion_tokens set');
    if (provider === 'groq') {
        for (const k of ['logprobs', 'logit_bias', 'top_logprobs']) if (body[k] !== undefined) r.warn(`Groq does not support '${k}'`);
        if (body.n !== undefined && body.n !== 1) r.err('Groq: n must be 1');
    }
}

// ----------------------------------------------------------- OpenAI Responses

const RESP_KEYS = new Set(['background', 'conversation', 'include', 'input', 'instructions', 'max_output_tokens',
    'max_tool_calls', 'metadata', 'model', 'parallel_tool_calls', 'previous_response_id', 'prompt',
    'prompt_cache_key', 'prompt_cache_retention', 'reasoning', 'safety_identifier', 'service_tier', 'store',
    'stream', 'stream_options', 'temperature', 'text', 'tool_choice', 'tools', 'top_logprobs', 'top_p',
    'truncation', 'user', 'context_management']);
const FOREIGN_FOR_RESP = new Set(['messages', 'max_tokens', 'max_completion_tokens', 'response_format', 'system',
    'top_k', 'thinking', 'stop', 'stop_sequences', 'n', 'contents', 'generationConfig', 'functions']);

export function checkResponses (r, body, ctx) {
    const { provider } = ctx;
    for (const k of Object.keys(body)) {
        if (FOREIGN_FOR_RESP.has(k)) r.err(`Unsupported parameter: '${k}'`);
        else if (!RESP_KEYS.has(k)) r.warn(`unknown Responses parameter '${k}'`);
    }
    if (!nonEmptyStr(body.model)) r.err("Missing required parameter: 'model'");
    const inp = body.input;
    const calls = new Set();
    if (Array.isArray(inp)) {
        inp.forEach((it, i) => {
            const w = `input[${i}]`;
            if (!isObj(it)) { r.err(`${w}: not an object`); return; }
            const type = it.type ?? (it.role !== undefined ? 'message' : undefined);
            switch (type) {
            case 'message': {
                if (!['user', 'assistant', 'system', 'developer'].includes(it.role)) { r.err(`${w}.role: invalid '${it.role}'`); break; }
                const allowed = it.role === 'assistant' ? ['output_text', 'refusal'] : ['input_text', 'input_image', 'input_file', 'input_audio'];
                if (isStr(it.content)) break;
                if (!Array.isArray(it.content)) { r.err(`${w}.content: must be a string or an array`); break; }
                it.content.forEach((p, j) => {
                    const wj = `${w}.content[${j}]`;
                    if (!isObj(p) || !allowed.includes(p.type)) {
                        r.err(`Invalid value: '${p?.type}' at ${wj}.type. Supported values are: ${allowed.map(a => `'${a}'`).join(', ')}`);
                        return;
                    }
                    if ((p.type === 'input_text' || p.type === 'output_text') && !isStr(p.text)) r.err(`${wj}.text: missing`);
                    if (p.type === 'input_image') {
                        if (!nonEmptyStr(p.image_url) && !nonEmptyStr(p.file_id)) r.err(`${wj}: input_image needs image_url (a string) or file_id`);
                        if (p.detail !== undefined && !['low', 'high', 'auto'].includes(p.detail)) r.err(`${wj}.detail: invalid`);
                    }
                });
                break;
            }
            case 'function_call':
                if (!nonEmptyStr(it.call_id)) r.err(`${w}.call_id: missing`);
                if (!nonEmptyStr(it.name)) r.err(`${w}.name: missing`);
                if (!isStr(it.arguments)) r.err(`${w}.arguments: must be a string`);
                if (it.id !== undefined && !(isStr(it.id) && it.id.startsWith('fc')))
                    r.err(`Invalid '${w}.id': '${it.id}'. Expected an ID that begins with 'fc'.`);
                if (nonEmptyStr(it.call_id)) calls.add(it.call_id);
                break;
            case 'function_call_output':
                if (!nonEmptyStr(it.call_id)) r.err(`${w}.call_id: missing`);
                else if (!calls.has(it.call_id)) r.err(`No tool call found for function call output with call_id ${it.call_id}.`);
                if (!isStr(it.output) && !Array.isArray(it.output)) r.err(`${w}.output: must be a string`);
                break;
            case 'reasoning': case 'item_reference': case 'custom_tool_call': case 'custom_tool_call_output':
            case 'web_search_call': case 'file_search_call': case 'computer_call': case 'computer_call_output':
                break;
            default:
                r.err(`${w}.type: invalid value '${type}'`);
            }
        });
    } else if (!isStr(inp) && inp !== undefined) {
        r.err('input: must be a string or an array');
    } else if (inp === undefined && body.previous_response_id === undefined && body.prompt === undefined) {
        r.err("Missing required parameter: 'input'");
    }
    if (body.instructions !== undefined && body.instructions !== null && !isStr(body.instructions))
        r.err('instructions: must be a string');
    const toolNames = [];
    if (body.tools !== undefined) {
        if (!Array.isArray(body.tools)) r.err('tools: must be an array');
        else body.tools.forEach((t, i) => {
            const w = `tools[${i}]`;
            if (!isObj(t) || !isStr(t.type)) { r.err(`${w}.type: missing`); return; }
            if (t.type !== 'function') return;      // hosted tools
            if (t.function !== undefined) r.err(`${w}: nested 'function' (Chat tool shape); Missing required parameter: '${w}.name'`);
            if (!isStr(t.name) || !TOOL_NAME_RE.test(t.name)) r.err(`${w}.name: missing or invalid`);
            else toolNames.push(t.name);
            if (t.parameters !== undefined && t.parameters !== null && !isObj(t.parameters)) r.err(`${w}.parameters: must be an object`);
        });
    }
    const tc = body.tool_choice;
    if (tc !== undefined && tc !== null) {
        if (isStr(tc)) {
            if (!['none', 'auto', 'required'].includes(tc)) r.err(`tool_choice: invalid value '${tc}'`);
        } else if (isObj(tc)) {
            const hosted = ['file_search', 'web_search', 'web_search_preview', 'computer_use_preview', 'code_interpreter',
                'image_generation', 'mcp', 'custom', 'allowed_tools', 'apply_patch', 'shell'];
            if (tc.type === 'function') {
                if (!isStr(tc.name)) r.err('tool_choice.name: missing');
                else if (!toolNames.includes(tc.name)) r.err(`tool_choice: function '${tc.name}' is not among tools`);
            } else if (!hosted.includes(tc.type)) {
                r.err(`Invalid value: '${tc.type}' at tool_choice.type (Claude-style tool_choice leaked?)`);
            }
        } else r.err('tool_choice: invalid');
    }
    const fmt = body.text?.format;
    if (fmt !== undefined) {
        if (!isObj(fmt) || !['text', 'json_object', 'json_schema'].includes(fmt.type)) r.err('text.format.type: invalid');
        else if (fmt.type === 'json_schema') {
            if (!isStr(fmt.name) || !TOOL_NAME_RE.test(fmt.name)) r.err("Missing required parameter: 'text.format.name'");
            if (!isObj(fmt.schema)) r.err("Missing required parameter: 'text.format.schema'");
            if (fmt.json_schema !== undefined) r.err("text.format: nested 'json_schema' (Chat response_format shape)");
        }
    }
    if (body.max_output_tokens !== undefined && body.max_output_tokens !== null &&
        !(Number.isInteger(body.max_output_tokens) && body.max_output_tokens >= 16))
        r.err(`Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, got ${body.max_output_tokens}`);
    if ((provider === 'openai' || provider === 'azure') && isReasoningModel(body.model)) {
        if (body.temperature !== undefined && body.temperature !== null) r.err("Unsupported parameter: 'temperature' is not supported with this model.");
        if (body.top_p !== undefined && body.top_p !== null) r.err("Unsupported parameter: 'top_p' is not supported with this model.");
    }
}

// ------------------------------------------------------------ Anthropic

const ANTHROPIC_VERSIONS = ['2023-06-01', '2023-01-01', '2026-10-21'];
const ANTH_KEYS = new Set(['model', 'messages', 'max_tokens', 'system', 'metadata', 'stop_sequences', 'stream',
    'temperature', 'top_p', 'top_k', 'tools', 'tool_choice', 'thinking', 'service_tier', 'container',
    'mcp_servers', 'context_management', 'output_config', 'output_format', 'inference_geo']);
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

export function checkAnthropic (r, body, ctx) {
    const version = ctx.headers['anthropic-version'];
    if (!version) r.err('anthropic-version: header is required');
    else if (!ANTHROPIC_VERSIONS.includes(version)) r.err(`anthropic-version: invalid version '${version}'`);
    for (const k of Object.keys(body)) if (!ANTH_KEYS.has(k)) r.err(`${k}: Extra inputs are not permitted`);
    if (!nonEmptyStr(body.model)) r.err('model: Field required');
    if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) r.err('max_tokens: Field required (a positive integer)');
    if (version === '2026-10-21')
        for (const k of ['temperature', 'top_p', 'top_k'])
            if (body[k] !== undefined) r.err(`${k}: not supported with anthropic-version 2026-10-21 (WF §3.2)`);
    //  Claude 4.5 family: "`temperature` and `top_p` cannot both be specified for this model."
    if (/claude-(haiku|sonnet|opus)-4-[5-9]|claude-opus-4-1/.test(String(body.model)) &&
        body.temperature !== undefined && body.top_p !== undefined)
        r.err('`temperature` and `top_p` cannot both be specified for this model. Please use only one.');
    if (body.temperature !== undefined && !(typeof body.temperature === 'number' && body.temperature >= 0 && body.temperature <= 1))
        r.err('temperature: must be within [0, 1]');
    if (body.system !== undefined) {
        if (Array.isArray(body.system)) body.system.forEach((b, i) => {
            if (!isObj(b) || b.type !== 'text' || !nonEmptyStr(b.text)) r.err(`system.${i}: must be a non-empty text block`);
        });
        else if (!isStr(body.system)) r.err('system: must be a string or text blocks');
    }
    const msgs = body.messages;
    if (!Array.isArray(msgs) || msgs.length === 0) { r.err('messages: Field required (non-empty)'); return; }
    let pendingToolUse = new Set();
    msgs.forEach((m, i) => {
        const w = `messages.${i}`;
        if (!isObj(m) || !['user', 'assistant'].includes(m.role)) {
            r.err(`${w}.role: Input should be 'user' or 'assistant' (got '${m?.role}')`);
            return;
        }
        const last = i === msgs.length - 1;
        const blocks = isStr(m.content) ? [{ type: 'text', text: m.content }] : m.content;
        if (!Array.isArray(blocks)) { r.err(`${w}.content: must be a string or an array of blocks`); return; }
        if (blocks.length === 0 && !(last && m.role === 'assistant'))
            r.err(`${w}: all messages must have non-empty content except for the optional final assistant message`);
        const results = new Set();
        const uses = new Set();
        blocks.forEach((b, j) => {
            const wj = `${w}.content.${j}`;
            if (!isObj(b) || !isStr(b.type)) { r.err(`${wj}: block without type`); return; }
            switch (b.type) {
            case 'text':
                if (!isStr(b.text)) r.err(`${wj}.text: Field required`);
                else if (b.text.length === 0 && !(last && m.role === 'assistant')) r.err(`${wj}: text content blocks must be non-empty`);
                break;
            case 'image': {
                const s = b.source;
                if (!isObj(s)) { r.err(`${wj}.source: Field required`); break; }
                if (s.type === 'base64') {
                    if (!IMAGE_TYPES.includes(s.media_type)) r.err(`${wj}.source.media_type: Input should be one of ${IMAGE_TYPES.join(', ')}`);
                    if (!isStr(s.data) || s.data.startsWith('data:')) r.err(`${wj}.source.data: must be bare base64`);
                } else if (s.type === 'url') {
                    if (!nonEmptyStr(s.url)) r.err(`${wj}.source.url: Field required`);
                } else if (s.type !== 'file') r.err(`${wj}.source.type: invalid '${s.type}'`);
                break;
            }
            case 'document': case 'search_result':
                break;
            case 'tool_use': case 'server_tool_use':
                if (m.role !== 'assistant') r.err(`${wj}: tool_use blocks are only allowed in assistant messages`);
                if (!isStr(b.id) || !/^[a-zA-Z0-9_-]+$/.test(b.id)) r.err(`${wj}.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
                if (!nonEmptyStr(b.name)) r.err(`${wj}.name: Field required`);
                if (!isObj(b.input)) r.err(`${wj}.input: Input should be a valid dictionary`);
                if (b.type === 'tool_use' && isStr(b.id)) uses.add(b.id);
                break;
            case 'tool_result':
                if (m.role !== 'user') r.err(`${wj}: tool_result blocks are only allowed in user messages`);
                if (!isStr(b.tool_use_id)) r.err(`${wj}.tool_use_id: Field required`);
                else if (!pendingToolUse.has(b.tool_use_id))
                    r.err(`${wj}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
                else results.add(b.tool_use_id);
                if (b.content !== undefined && !isStr(b.content) && !Array.isArray(b.content)) r.err(`${wj}.content: invalid`);
                if (Array.isArray(b.content)) b.content.forEach((c, k) => {
                    if (!isObj(c) || !['text', 'image', 'search_result', 'document'].includes(c.type)) r.err(`${wj}.content.${k}: invalid block`);
                    else if (c.type === 'text' && !nonEmptyStr(c.text)) r.err(`${wj}.content.${k}: text content blocks must be non-empty`);
                });
                break;
            case 'thinking': case 'redacted_thinking':
                if (m.role !== 'assistant') r.err(`${wj}: ${b.type} only in assistant messages`);
                break;
            default:
                r.err(`${wj}.type: Input tag '${b.type}' found using 'type' does not match any of the expected tags`);
            }
        });
        if (pendingToolUse.size > 0) {
            const missing = [...pendingToolUse].filter(id => !results.has(id));
            if (m.role !== 'user' || missing.length > 0)
                r.err(`${w}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}`);
        }
        pendingToolUse = uses;
    });
    const toolNames = [];
    if (body.tools !== undefined) {
        if (!Array.isArray(body.tools)) r.err('tools: must be an array');
        else body.tools.forEach((t, i) => {
            const w = `tools.${i}`;
            if (!isObj(t)) { r.err(`${w}: not an object`); return; }
            if (t.type !== undefined && t.type !== 'custom') return;      // server tools
            if (t.function !== undefined || t.parameters !== undefined) r.err(`${w}: OpenAI tool shape (function/parameters) is not accepted; Extra inputs are not permitted`);
            if (!isStr(t.name) || !/^[a-zA-Z0-9_-]{1,128}$/.test(t.name)) r.err(`${w}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
            else toolNames.push(t.name);
            if (!isObj(t.input_schema) || t.input_schema.type !== 'object') r.err(`${w}.input_schema: Field required (type 'object')`);
        });
    }
    const tc = body.tool_choice;
    if (tc !== undefined) {
        if (!isObj(tc) || !['auto', 'any', 'none', 'tool'].includes(tc.type)) r.err(`tool_choice: invalid ${JSON.stringify(tc)}`);
        else if (tc.type === 'tool' && !toolNames.includes(tc.name)) r.err(`tool_choice.name: '${tc.name}' is not among tools`);
        if (!body.tools || body.tools.length === 0) r.warn('tool_choice without tools');
    }
    const th = body.thinking;
    if (isObj(th) && th.type === 'enabled') {
        if (!Number.isInteger(th.budget_tokens) || th.budget_tokens < 1024) r.err('thinking.budget_tokens: must be >= 1024');
        else if (th.budget_tokens >= body.max_tokens) r.err('`max_tokens` must be greater than `thinking.budget_tokens`');
        if (body.temperature !== undefined && body.temperature !== 1) r.err('`temperature` may only be set to 1 when thinking is enabled');
        if (body.top_k !== undefined) r.err('`top_k` is not supported when thinking is enabled');
        if (isObj(tc) && (tc.type === 'any' || tc.type === 'tool')) r.err('Thinking may not be enabled when tool_choice forces tool use.');
    }
    if (body.stream !== undefined && typeof body.stream !== 'boolean') r.err('stream: must be a boolean');
}

// ------------------------------------------------------------ Gemini

const GEM_TOP = new Set(['contents', 'tools', 'toolConfig', 'tool_config', 'safetySettings', 'safety_settings',
    'systemInstruction', 'system_instruction', 'generationConfig', 'generation_config', 'cachedContent',
    'cached_content', 'labels']);
const GEM_GEN = new Set(['stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema',
    '_responseJsonSchema', 'responseModalities', 'candidateCount', 'maxOutputTokens', 'temperature', 'topP', 'topK',
    'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs', 'logprobs', 'enableEnhancedCivicAnswers',
    'speechConfig', 'thinkingConfig', 'mediaResolution', 'imageConfig', 'audioTimestamp']);
const GEM_PART_DATA = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'];
const GEM_PART_META = ['thought', 'thoughtSignature', 'videoMetadata', 'partMetadata'];
//  google.ai.generativelanguage Schema: unknown names → 400 "Invalid JSON payload
//  received. Unknown name "additionalProperties" ... Cannot find field."
const GEM_SCHEMA_KEYS = new Set(['type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems',
    'properties', 'required', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example',
    'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum']);
const GEM_TYPES = ['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL', 'TYPE_UNSPECIFIED'];

function checkGeminiSchema (r, where, s) {
    if (!isObj(s)) { r.err(`${where}: schema must be an object`); return; }
    for (const k of Object.keys(s)) if (!GEM_SCHEMA_KEYS.has(k))
        r.err(`Invalid JSON payload received. Unknown name "${k}" at '${where}': Cannot find field.`);
    if (s.type !== undefined && !(isStr(s.type) && GEM_TYPES.includes(s.type.toUpperCase())))
        r.err(`${where}.type: invalid value ${JSON.stringify(s.type)}`);
    if (isObj(s.properties)) for (const [k, v] of Object.entries(s.properties)) checkGeminiSchema(r, `${where}.properties[${k}]`, v);
    if (s.items !== undefined) checkGeminiSchema(r, `${where}.items`, s.items);
    if (Array.isArray(s.anyOf)) s.anyOf.forEach((v, i) => checkGeminiSchema(r, `${where}.anyOf[${i}]`, v));
}

function checkGeminiParts (r, where, parts) {
    if (!Array.isArray(parts) || parts.length === 0) { r.err(`${where}.parts: must not be empty`); return; }
    parts.forEach((p, i) => {
        const w = `${where}.parts[${i}]`;
        if (!isObj(p)) { r.err(`${w}: not an object`); return; }
        const data = Object.keys(p).filter(k => GEM_PART_DATA.includes(k));
        for (const k of Object.keys(p)) if (!GEM_PART_DATA.includes(k) && !GEM_PART_META.includes(k))
            r.err(`Invalid JSON payload received. Unknown name "${k}" at '${w}': Cannot find field.`);
        if (data.length !== 1) r.err(`${w}: exactly one data field required (got ${data.join(',') || 'none'})`);
        if (p.text !== undefined && !isStr(p.text)) r.err(`${w}.text: must be a string`);
        if (p.inlineData !== undefined) {
            if (!isObj(p.inlineData) || !nonEmptyStr(p.inlineData.mimeType) || !nonEmptyStr(p.inlineData.data))
                r.err(`${w}.inlineData: mimeType and data required`);
            else if (!/^[A-Za-z0-9+/=_-]+$/.test(p.inlineData.data)) r.err(`${w}.inlineData.data: must be base64 (got a data: URL?)`);
        }
        if (p.functionCall !== undefined && (!isObj(p.functionCall) || !nonEmptyStr(p.functionCall.name) ||
            (p.functionCall.args !== undefined && !isObj(p.functionCall.args))))
            r.err(`${w}.functionCall: name and object args required`);
        if (p.functionResponse !== undefined && (!isObj(p.functionResponse) || !nonEmptyStr(p.functionResponse.name) ||
            !isObj(p.functionResponse.response)))
            r.err(`${w}.functionResponse: name and an object response required`);
    });
}

export function checkGemini (r, body, ctx) {
    for (const k of Object.keys(body)) if (!GEM_TOP.has(k))
        r.err(`Invalid JSON payload received. Unknown name "${k}": Cannot find field.`);
    if (!Array.isArray(body.contents) || body.contents.length === 0) { r.err('contents is not specified'); }
    else body.contents.forEach((c, i) => {
        const w = `contents[${i}]`;
        if (!isObj(c)) { r.err(`${w}: not an object`); return; }
        if (c.role !== undefined && !['user', 'model'].includes(c.role))
            r.err(`Please use a valid role: user, model. (${w}.role = '${c.role}')`);
        checkGeminiParts(r, w, c.parts);
    });
    const si = body.systemInstruction ?? body.system_instruction;
    if (si !== undefined) {
        if (!isObj(si)) r.err('systemInstruction: must be a Content object');
        else checkGeminiParts(r, 'systemInstruction', si.parts);
    }
    const decl = [];
    if (body.tools !== undefined) {
        if (!Array.isArray(body.tools)) r.err('tools: must be an array');
        else body.tools.forEach((t, i) => {
            const w = `tools[${i}]`;
            if (!isObj(t)) { r.err(`${w}: not an object`); return; }
            for (const k of Object.keys(t)) {
                if (!['functionDeclarations', 'function_declarations', 'googleSearch', 'googleSearchRetrieval',
                    'codeExecution', 'urlContext', 'computerUse', 'fileSearch', 'googleMaps'].includes(k))
                    r.err(`Invalid JSON payload received. Unknown name "${k}" at '${w}': Cannot find field.`);
            }
            const fds = t.functionDeclarations ?? t.function_declarations;
            if (fds !== undefined) (Array.isArray(fds) ? fds : []).forEach((f, j) => {
                const wj = `${w}.function_declarations[${j}]`;
                for (const k of Object.keys(f)) if (!['name', 'description', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema', 'behavior'].includes(k))
                    r.err(`Invalid JSON payload received. Unknown name "${k}" at '${wj}': Cannot find field.`);
                if (!isStr(f.name) || !/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}$/.test(f.name)) r.err(`${wj}.name: invalid`);
                else decl.push(f.name);
                if (f.parameters !== undefined) checkGeminiSchema(r, `${wj}.parameters`, f.parameters);
            });
        });
    }
    const tcfg = (body.toolConfig ?? body.tool_config)?.functionCallingConfig;
    if (tcfg !== undefined) {
        if (!['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED'].includes(tcfg.mode)) r.err(`toolConfig.functionCallingConfig.mode: invalid '${tcfg.mode}'`);
        if (tcfg.allowedFunctionNames !== undefined) {
            if (tcfg.mode !== 'ANY' && tcfg.mode !== 'VALIDATED') r.err('allowedFunctionNames is only allowed with mode ANY');
            for (const n of tcfg.allowedFunctionNames ?? []) if (!decl.includes(n)) r.err(`allowedFunctionNames: '${n}' is not declared`);
        }
    }
    const gc = body.generationConfig ?? body.generation_config;
    if (gc !== undefined) {
        if (!isObj(gc)) r.err('generationConfig: must be an object');
        else {
            for (const k of Object.keys(gc)) if (!GEM_GEN.has(k))
                r.err(`Invalid JSON payload received. Unknown name "${k}" at 'generation_config': Cannot find field.`);
            if (gc.responseSchema !== undefined) {
                checkGeminiSchema(r, 'generation_config.response_schema', gc.responseSchema);
                if (gc.responseMimeType !== 'application/json' && gc.responseMimeType !== 'text/x.enum')
                    r.err('responseSchema requires responseMimeType application/json');
            }
            if (gc.responseSchema !== undefined && gc.responseJsonSchema !== undefined)
                r.err('responseSchema and responseJsonSchema are mutually exclusive');
            if (gc.maxOutputTokens !== undefined && !(Number.isInteger(gc.maxOutputTokens) && gc.maxOutputTokens > 0))
                r.err('generationConfig.maxOutputTokens: must be a positive integer');
        }
    }
}

// ------------------------------------------------------------ dispatch

//  route: {api: 'chat'|'responses'|'anthropic'|'gemini'|'other', deployment?, model?, stream?}
export function routeFor (provider, method, path, query) {
    const p = path;
    if (method !== 'POST') return { api: 'other' };
    switch (provider) {
    case 'openai': case 'groq': case 'deepseek': case 'xai':
        if (p === '/v1/chat/completions') return { api: 'chat' };
        //  Groq and xAI serve the Responses API too; DeepSeek only on newer models.
        if (p === '/v1/responses') return { api: 'responses' };
        if (['/v1/embeddings', '/v1/completions', '/v1/moderations'].includes(p)) return { api: 'other' };
        return null;
    case 'azure': {
        let m = p.match(/^\/openai\/deployments\/([^/]+)\/chat\/completions$/);
        if (m) return query.get('api-version') ? { api: 'chat', deployment: decodeURIComponent(m[1]) } : null;
        if (p === '/openai/responses') return query.get('api-version') ? { api: 'responses' } : null;
        if (p === '/openai/v1/chat/completions') return { api: 'chat' };
        if (p === '/openai/v1/responses') return { api: 'responses' };
        m = p.match(/^\/openai\/deployments\/([^/]+)\/(embeddings|completions)$/);
        if (m) return { api: 'other', deployment: decodeURIComponent(m[1]) };
        return null;
    }
    case 'anthropic':
        return p === '/v1/messages' ? { api: 'anthropic' } : null;
    case 'gemini': {
        const m = p.match(/^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/);
        if (!m) return null;
        return { api: 'gemini', model: decodeURIComponent(m[2]), stream: m[3] === 'streamGenerateContent', sse: query.get('alt') === 'sse' };
    }
    }
    return null;
}

export function checkAuth (r, provider, headers, query, expectedKey) {
    const bearer = (headers.authorization || '').replace(/^Bearer\s+/i, '');
    let got;
    switch (provider) {
    case 'azure': got = headers['api-key'] || bearer; break;
    case 'anthropic': got = headers['x-api-key'] || bearer; break;
    case 'gemini':
        got = headers['x-goog-api-key'] || query.get('key');
        if (!got && bearer) r.err('Gemini: an API key sent as Authorization: Bearer is rejected (expects an OAuth token); use x-goog-api-key or ?key=');
        break;
    default:
        if (!/^Bearer\s+\S/i.test(headers.authorization || '')) r.err('missing Authorization: Bearer');
        got = bearer;
    }
    if (!got) r.err('no credentials');
    else if (expectedKey && got !== expectedKey) r.err(`upstream credential is not the channel key (got '${got.slice(0, 12)}…')`);
}

export function checkRequest ({ provider, method, path, query, headers, bodyText, expectedKey }) {
    const r = new Report();
    const route = routeFor(provider, method, path, query);
    if (!route) {
        r.err(`${method} ${path}${query.size ? '?' + query : ''} is not a ${provider} API route`);
        return { route: { api: 'unknown' }, body: undefined, ...r };
    }
    checkAuth(r, provider, headers, query, expectedKey);
    let body;
    if (route.api !== 'other') {
        if (!/application\/json/i.test(headers['content-type'] || '')) r.err(`content-type '${headers['content-type']}' is not application/json`);
        try { body = JSON.parse(bodyText); } catch (e) { r.err(`body is not JSON: ${e.message}`); }
        if (body !== undefined && !isObj(body)) { r.err('body is not a JSON object'); body = undefined; }
    }
    if (body) {
        const ctx = { provider, headers, deployment: route.deployment };
        if (route.api === 'chat') checkChat(r, body, ctx);
        else if (route.api === 'responses') checkResponses(r, body, ctx);
        else if (route.api === 'anthropic') checkAnthropic(r, body, ctx);
        else if (route.api === 'gemini') checkGemini(r, body, ctx);
    }
    return { route, body, errors: r.errors, warnings: r.warnings };
}

//  The provider's 400 body for a rejected request (WF §6).
export function errorReply (provider, route, message) {
    switch (provider) {
    case 'anthropic':
        return { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message }, request_id: 'req_strict' } };
    case 'gemini':
        return { status: 400, body: { error: { code: 400, message, status: 'INVALID_ARGUMENT' } } };
    case 'azure':
        if (route?.api === 'unknown') return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
        return { status: 400, body: { error: { message, type: 'invalid_request_error', param: null, code: null } } };
    default:
        if (route?.api === 'unknown') return { status: 404, body: { error: { message: `Invalid URL (${message})`, type: 'invalid_request_error', param: null, code: null } } };
        return { status: 400, body: { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_request_error' } } };
    }
}
