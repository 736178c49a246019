//  Pass criteria of one-api's cmd/test/evaluation.go, made exact for a
//  deterministic upstream: text present; a tool call with parseable JSON
//  arguments satisfying the tool schema; JSON matching the schema for
//  structured output; for vision, the image reaching the upstream in the
//  provider's shape.  Plus, for every cell: HTTP 200, the client protocol's
//  grammar and reply shape, the right provider reached with the right model,
//  and no upstream request the real provider would reject.
import { validate } from './schema.mjs';
import { WEATHER_SCHEMA, TOPIC_SCHEMA, IMAGE_B64, IMAGE_MIME } from './payloads.mjs';
import { upstreamModel, imageReached } from './upstream.mjs';

function parseArgs (a) {
    if (a !== null && typeof a === 'object') return { value: a };
    if (typeof a !== 'string') return { error: `arguments of type ${typeof a}` };
    try {
        const v = JSON.parse(a);
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: `arguments are not a JSON object: ${a.slice(0, 60)}` };
        return { value: v };
    } catch { return { error: `arguments are not JSON: ${a.slice(0, 60)}` }; }
}

function toolCallProblems (res, name, schema) {
    if (!res.calls.length) return [`no tool call (text: ${JSON.stringify(res.text.slice(0, 60))})`];
    const c = res.calls[0];
    const out = [];
    if (c.name !== name) out.push(`tool call names '${c.name}', expected '${name}'`);
    const p = parseArgs(c.args);
    if (p.error) out.push(p.error);
    else out.push(...validate(schema, p.value).map(e => `tool arguments: ${e}`));
    return out;
}

function structuredProblems (variant, res) {
    const truncated = ['length', 'max_tokens', 'incomplete'].includes(res.finish);
    const candidates = [];
    if (res.text.trim()) candidates.push(res.text.trim());
    if (variant.api === 'claude') for (const c of res.calls) if (c.name === 'topic_classifier') candidates.push(c.args);
    if (!candidates.length) return truncated ? [] : [`no structured answer (text ${JSON.stringify(res.text.slice(0, 60))}, ${res.calls.length} tool calls)`];
    const errs = [];
    for (const c of candidates) {
        const p = parseArgs(c);
        if (p.error) { errs.push(`structured answer: ${p.error}`); continue; }
        const v = validate(TOPIC_SCHEMA, p.value);
        if (!v.length) return [];
        errs.push(...v.map(e => `structured answer: ${e}`));
    }
    return truncated ? [] : errs;
}

export function evaluate ({ variant, family, ex, records }) {
    const reasons = [...ex.errors];
    const mine = records.filter(r => r.provider === family.provider);
    const others = records.filter(r => r.provider !== family.provider);
    if (others.length) reasons.push(`upstream: request went to ${[...new Set(others.map(r => r.provider))].join(', ')} instead of ${family.provider}`);
    if (!mine.length) {
        if (ex.status === 200 || !others.length) reasons.push(`upstream: the ${family.provider} upstream was never called`);
    }
    for (const r of mine) {
        if (r.errors.length) reasons.push(`upstream ${r.api} request rejected as the real ${family.provider} API would: ${r.errors.slice(0, 4).join('; ')}`);
        const m = upstreamModel(r);
        if (r.api !== 'unknown' && m !== family.model) reasons.push(`upstream: model '${m}', expected '${family.model}'`);
    }
    if (mine.length > 1) reasons.push(`upstream called ${mine.length} times for one request (retries on a healthy upstream?)`);
    //  An upstream rejection the gateway relayed: keep the strict layer's reason only.
    const rejected = mine.find(r => r.errors.length && r.status === ex.status);
    if (rejected) for (let i = reasons.length - 1; i >= 0; i--) if (reasons[i].startsWith(`HTTP ${ex.status}:`)) reasons.splice(i, 1);
    const res = ex.result;
    if (ex.status === 200 && res) {
        switch (variant.exp) {
        case 'plain':
            if (variant.api === 'response') {
                if (!res.text.trim() && !res.calls.length) reasons.push('response output has neither text nor a function call');
            } else if (!res.text.trim()) reasons.push('no assistant text');
            break;
        case 'tools':
            reasons.push(...toolCallProblems(res, 'get_weather', WEATHER_SCHEMA));
            break;
        case 'tools_history':
            if (!res.text.trim()) reasons.push(...toolCallProblems(res, 'get_weather', WEATHER_SCHEMA));
            break;
        case 'structured':
            reasons.push(...structuredProblems(variant, res));
            break;
        case 'vision':
            if (!res.text.trim()) reasons.push('no description text');
            if (mine.length && !mine.some(r => imageReached(r, IMAGE_B64, IMAGE_MIME)))
                reasons.push(`upstream: the image did not reach the ${family.provider} upstream in its native shape`);
            break;
        }
    }
    if (ex.status === 503 && /No available channels/.test(ex.raw ?? ''))
        reasons.push('(the channel is suspended after an earlier failure of this model: see its first failing cell)');
    const short = [...new Set(reasons)].map(r => (r.length > 300 ? r.slice(0, 300) + '…' : r));
    return { status: short.length ? 'FAIL' : 'PASS', reasons: short };
}

//  one-api's own skips (cmd/test/constants.go, runner.go shouldSkipVariant).
const VISION_UNSUPPORTED = new Set(['deepseek-chat', 'openai/gpt-oss-20b']);
export function skipReason (variant, family) {
    if (variant.exp === 'vision' && VISION_UNSUPPORTED.has(family.model)) return `vision input unsupported by model ${family.model} (one-api visionUnsupportedModels)`;
    return null;
}
