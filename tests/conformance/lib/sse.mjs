//  Byte-level SSE parsing and the per-protocol stream grammars the official SDKs
//  rely on (wire-formats §0, §1.3–1.4, §2.3–2.5, §3.4–3.5, §8, §9), plus the
//  non-stream reply shapes.  Every checker returns {errors, result} where result
//  is the assembled answer: {text, calls: [{id, name, args}], finish, usage, ...}.

const isObj = v => v !== null && typeof v === 'object' && !Array.isArray(v);

//  Parses an SSE body.  Framing errors: an unterminated last event, empty
//  `data:` payloads, a body that is not SSE at all.
export function parseSSE (text) {
    const errors = [];
    const events = [];
    if (text.length === 0) return { events, errors: ['empty stream body'] };
    if (!/(\r\n\r\n|\n\n|\r\r)$/.test(text)) errors.push(`last event is not terminated by a blank line (ends with ${JSON.stringify(text.slice(-40))})`);
    const blocks = text.split(/\r\n\r\n|\n\n|\r\r/);
    for (const block of blocks) {
        if (block === '') continue;
        const ev = { event: null, data: null, id: null, comments: [], raw: block };
        for (const line of block.split(/\r\n|\n|\r/)) {
            if (line === '') continue;
            if (line.startsWith(':')) { ev.comments.push(line); continue; }
            const i = line.indexOf(':');
            const field = i < 0 ? line : line.slice(0, i);
            let value = i < 0 ? '' : line.slice(i + 1);
            if (value.startsWith(' ')) value = value.slice(1);
            if (field === 'data') ev.data = ev.data === null ? value : ev.data + '\n' + value;
            else if (field === 'event') ev.event = value;
            else if (field === 'id') ev.id = value;
            else if (field === 'retry') { /* allowed */ } else errors.push(`unknown SSE field '${field}' in ${JSON.stringify(block.slice(0, 80))}`);
        }
        if (ev.data === null && ev.event === null) { if (ev.comments.length) events.push({ ...ev, keepalive: true }); continue; }
        if (ev.data === null) { errors.push(`event '${ev.event}' without data`); continue; }
        if (ev.data.trim() === '') { errors.push('empty data: payload (keep-alives must be comments)'); continue; }
        if (ev.data !== '[DONE]') {
            try { ev.json = JSON.parse(ev.data); } catch (e) { errors.push(`data is not JSON: ${JSON.stringify(ev.data.slice(0, 80))}`); }
        }
        events.push(ev);
    }
    return { events: events.filter(e => !e.keepalive), keepalives: events.filter(e => e.keepalive).length, errors };
}

function usageOk (u, a, b, where, errors) {
    if (!isObj(u)) { errors.push(`${where}: usage missing`); return; }
    for (const k of [a, b]) if (!Number.isInteger(u[k]) || u[k] < 0) errors.push(`${where}: usage.${k} missing or not a count`);
}

// ------------------------------------------------------------ Chat Completions

export function checkChatStream (events, { includeUsage = false } = {}) {
    const errors = [];
    const res = { text: '', calls: [], finish: null, usage: null, role: null };
    const calls = new Map();
    let done = false, finishSeen = false, usageChunks = 0, ids = new Set();
    events.forEach((ev, i) => {
        if (done) { errors.push(`event after data: [DONE] (#${i})`); return; }
        if (ev.event !== null) errors.push(`Chat stream event #${i} has an 'event: ${ev.event}' line (Chat streams have none)`);
        if (ev.data === '[DONE]') { done = true; return; }
        const c = ev.json;
        if (!isObj(c)) return;
        if (c.error !== undefined && c.error !== null) { errors.push(`in-stream error: ${JSON.stringify(c.error).slice(0, 200)}`); return; }
        if (c.object !== 'chat.completion.chunk') errors.push(`chunk #${i}: object is ${JSON.stringify(c.object)}, not chat.completion.chunk`);
        if (typeof c.id !== 'string' || !c.id) errors.push(`chunk #${i}: id missing`); else ids.add(c.id);
        if (!Number.isInteger(c.created)) errors.push(`chunk #${i}: created missing`);
        if (typeof c.model !== 'string') errors.push(`chunk #${i}: model missing`);
        if (!Array.isArray(c.choices)) { errors.push(`chunk #${i}: choices is not an array`); return; }
        if (c.usage) {
            if (c.choices.length === 0) usageChunks++;
            res.usage = c.usage;
        }
        for (const ch of c.choices) {
            if (!Number.isInteger(ch.index) || ch.index < 0) errors.push(`chunk #${i}: choice index missing`);
            if (ch.index !== 0) continue;
            if (finishSeen && ch.delta && (ch.delta.content || ch.delta.tool_calls))
                errors.push(`chunk #${i}: content after finish_reason`);
            const d = ch.delta;
            if (d !== undefined && !isObj(d)) errors.push(`chunk #${i}: delta is not an object`);
            if (isObj(d)) {
                if (d.role !== undefined && d.role !== null) {
                    if (d.role !== 'assistant') errors.push(`chunk #${i}: delta.role ${d.role}`);
                    res.role = d.role;
                }
                if (typeof d.content === 'string') res.text += d.content;
                for (const tc of d.tool_calls ?? []) {
                    if (!Number.isInteger(tc.index) || tc.index < 0) { errors.push(`chunk #${i}: tool_calls[].index missing`); continue; }
                    let s = calls.get(tc.index);
                    if (!s) {
                        //  The first delta of a call must carry id, type, name and arguments (§1.4, §8.1).
                        if (typeof tc.id !== 'string' || !tc.id) errors.push(`chunk #${i}: first tool call delta without id`);
                        if (tc.type !== 'function') errors.push(`chunk #${i}: first tool call delta without type:"function" (SDK: tool call snapshot missing \`type\`)`);
                        if (typeof tc.function?.name !== 'string' || !tc.function.name) errors.push(`chunk #${i}: first tool call delta without function.name`);
                        if (typeof tc.function?.arguments !== 'string') errors.push(`chunk #${i}: first tool call delta without function.arguments`);
                        s = { id: tc.id, name: tc.function?.name, args: '' };
                        calls.set(tc.index, s);
                    } else {
                        if (tc.id !== undefined && tc.id !== s.id) errors.push(`chunk #${i}: tool call id changed mid-stream`);
                        if (tc.function?.name !== undefined && tc.function.name !== s.name && tc.function.name !== '')
                            errors.push(`chunk #${i}: tool call name changed mid-stream`);
                    }
                    if (typeof tc.function?.arguments === 'string') s.args += tc.function.arguments;
                }
            }
            if (ch.finish_reason !== undefined && ch.finish_reason !== null) {
                if (finishSeen) errors.push(`chunk #${i}: second finish_reason`);
                finishSeen = true;
                res.finish = ch.finish_reason;
                if (!['stop', 'length', 'tool_calls', 'content_filter', 'function_call'].includes(ch.finish_reason))
                    errors.push(`chunk #${i}: finish_reason ${JSON.stringify(ch.finish_reason)} is not an OpenAI value`);
            }
        }
    });
    if (!done) errors.push('stream does not end with data: [DONE]');
    if (!res.role) errors.push('no delta carries role:"assistant" (SDK helper: missing role for choice 0)');
    if (!finishSeen) errors.push('no chunk sets finish_reason (SDK helper: missing finish_reason for choice 0)');
    if (ids.size > 1) errors.push(`chunk id changes within the stream: ${[...ids].slice(0, 3).join(', ')}`);
    if (includeUsage) {
        if (usageChunks !== 1) errors.push(`stream_options.include_usage: expected exactly one usage chunk with choices:[], got ${usageChunks}`);
        usageOk(res.usage, 'prompt_tokens', 'completion_tokens', 'usage chunk', errors);
    }
    res.calls = [...calls.values()];
    if (res.calls.length && res.finish && res.finish !== 'tool_calls') errors.push(`tool calls streamed but finish_reason is ${res.finish}`);
    return { errors, result: res };
}

export function checkChatCompletion (o) {
    const errors = [];
    const res = { text: '', calls: [], finish: null, usage: null };
    if (!isObj(o)) return { errors: ['reply is not a JSON object'], result: res };
    if (o.error) errors.push(`error body: ${JSON.stringify(o.error).slice(0, 200)}`);
    if (o.object !== 'chat.completion') errors.push(`object is ${JSON.stringify(o.object)}, not chat.completion`);
    if (typeof o.id !== 'string' || !o.id) errors.push('id missing');
    if (!Number.isInteger(o.created)) errors.push('created missing');
    if (typeof o.model !== 'string') errors.push('model missing');
    if (!Array.isArray(o.choices) || o.choices.length === 0) { errors.push('choices missing'); return { errors, result: res }; }
    const ch = o.choices[0];
    const m = ch.message;
    if (!isObj(m) || m.role !== 'assistant') errors.push('choices[0].message.role is not assistant');
    if (typeof m?.content === 'string') res.text = m.content;
    else if (m?.content !== null && m?.content !== undefined) errors.push('message.content is neither a string nor null');
    for (const tc of m?.tool_calls ?? []) {
        if (tc.type !== 'function' || !tc.id || !tc.function?.name || typeof tc.function.arguments !== 'string')
            errors.push(`malformed tool call ${JSON.stringify(tc).slice(0, 120)}`);
        res.calls.push({ id: tc.id, name: tc.function?.name, args: tc.function?.arguments });
    }
    res.finish = ch.finish_reason;
    if (!['stop', 'length', 'tool_calls', 'content_filter', 'function_call'].includes(ch.finish_reason))
        errors.push(`finish_reason ${JSON.stringify(ch.finish_reason)} is not an OpenAI value`);
    if (res.calls.length && ch.finish_reason !== 'tool_calls') errors.push(`tool calls but finish_reason ${ch.finish_reason}`);
    res.usage = o.usage;
    usageOk(o.usage, 'prompt_tokens', 'completion_tokens', 'reply', errors);
    if (isObj(o.usage) && o.usage.total_tokens !== o.usage.prompt_tokens + o.usage.completion_tokens)
        errors.push('usage.total_tokens != prompt + completion');
    return { errors, result: res };
}

// ------------------------------------------------------------ Responses

const RESP_EVENTS = new Set(['response.created', 'response.in_progress', 'response.completed', 'response.failed',
    'response.incomplete', 'response.queued', 'response.output_item.added', 'response.output_item.done',
    'response.content_part.added', 'response.content_part.done', 'response.output_text.delta',
    'response.output_text.done', 'response.output_text.annotation.added', 'response.refusal.delta',
    'response.refusal.done', 'response.function_call_arguments.delta', 'response.function_call_arguments.done',
    'response.reasoning_summary_part.added', 'response.reasoning_summary_part.done',
    'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.done', 'response.reasoning_text.delta',
    'response.reasoning_text.done', 'error']);

function responseObjOk (r, where, errors) {
    if (!isObj(r)) { errors.push(`${where}: response object missing`); return; }
    if (typeof r.id !== 'string' || !r.id) errors.push(`${where}: response.id missing`);
    if (r.object !== 'response') errors.push(`${where}: response.object is ${JSON.stringify(r.object)}`);
    if (!['completed', 'incomplete', 'failed', 'in_progress', 'queued', 'cancelled'].includes(r.status)) errors.push(`${where}: response.status ${JSON.stringify(r.status)}`);
}

function collectOutput (output, res, errors, where) {
    if (!Array.isArray(output)) { errors.push(`${where}: output is not an array`); return; }
    for (const item of output) {
        if (!isObj(item)) continue;
        if (item.type === 'message') {
            if (!item.id) errors.push(`${where}: message item without id`);
            for (const p of item.content ?? []) if (p.type === 'output_text') res.text += p.text ?? '';
        } else if (item.type === 'function_call') {
            if (!item.call_id) errors.push(`${where}: function_call without call_id`);
            if (!item.name) errors.push(`${where}: function_call without name`);
            if (typeof item.arguments !== 'string') errors.push(`${where}: function_call.arguments is not a string`);
            res.calls.push({ id: item.call_id, name: item.name, args: item.arguments });
        }
    }
}

export function checkResponsesStream (events) {
    const errors = [];
    const res = { text: '', calls: [], finish: null, usage: null, response: null, streamText: '' };
    const items = [];            // by output_index
    let respId = null, terminal = null, expectSeq = 0;
    events.forEach((ev, i) => {
        if (ev.data === '[DONE]') { errors.push('Responses stream sends data: [DONE] (it has no terminator)'); return; }
        const d = ev.json;
        if (!isObj(d)) return;
        if (terminal) errors.push(`event #${i} (${d.type}) after ${terminal}`);
        if (ev.event === null) errors.push(`event #${i} (${d.type}) has no 'event:' line`);
        else if (ev.event !== d.type) errors.push(`event #${i}: 'event: ${ev.event}' does not match data.type ${d.type}`);
        if (!RESP_EVENTS.has(d.type)) errors.push(`event #${i}: unknown type ${JSON.stringify(d.type)} (SDK: Unhandled response stream event)`);
        if (d.sequence_number !== expectSeq) errors.push(`event #${i} (${d.type}): sequence_number ${d.sequence_number}, expected ${expectSeq}`);
        expectSeq = (Number.isInteger(d.sequence_number) ? d.sequence_number : expectSeq) + 1;
        if (i === 0 && d.type !== 'response.created') errors.push(`first event is ${d.type}, not response.created`);
        if (d.response !== undefined) {
            responseObjOk(d.response, `event #${i} (${d.type})`, errors);
            if (respId === null) respId = d.response?.id;
            else if (d.response?.id !== respId) errors.push(`event #${i}: response.id changed (${respId} → ${d.response?.id})`);
        }
        switch (d.type) {
        case 'error':
            errors.push(`in-stream error: ${JSON.stringify(d).slice(0, 200)}`);
            break;
        case 'response.output_item.added':
            if (d.output_index !== items.length) errors.push(`event #${i}: output_item.added output_index ${d.output_index}, expected ${items.length}`);
            if (!isObj(d.item)) { errors.push(`event #${i}: item missing`); break; }
            if (d.item.type === 'message' && !d.item.id) errors.push(`event #${i}: message item without id`);
            if (d.item.type === 'function_call' && !d.item.call_id) errors.push(`event #${i}: function_call item without call_id`);
            items[d.output_index] = { item: d.item, parts: [], args: '', text: '', done: false };
            break;
        case 'response.content_part.added': {
            const it = items[d.output_index];
            if (!it) { errors.push(`event #${i}: content_part.added for unknown output_index ${d.output_index}`); break; }
            if (d.item_id !== it.item.id) errors.push(`event #${i}: item_id ${d.item_id} != item id ${it.item.id}`);
            if (d.content_index !== it.parts.length) errors.push(`event #${i}: content_index ${d.content_index}, expected ${it.parts.length}`);
            it.parts.push('');
            break;
        }
        case 'response.output_text.delta': {
            const it = items[d.output_index];
            if (!it) { errors.push(`event #${i}: output_text.delta for unknown output_index`); break; }
            if (d.item_id !== it.item.id) errors.push(`event #${i}: item_id ${d.item_id} != item id ${it.item.id}`);
            if (it.parts[d.content_index] === undefined) { errors.push(`event #${i}: output_text.delta without content_part.added (SDK: missing content at index)`); break; }
            if (typeof d.delta !== 'string') errors.push(`event #${i}: delta is not a string`);
            it.parts[d.content_index] += d.delta ?? '';
            res.streamText += d.delta ?? '';
            break;
        }
        case 'response.output_text.done': {
            const it = items[d.output_index];
            if (it && it.parts[d.content_index] !== d.text) errors.push(`event #${i}: output_text.done text differs from the deltas`);
            break;
        }
        case 'response.function_call_arguments.delta': {
            const it = items[d.output_index];
            if (!it || it.item.type !== 'function_call') { errors.push(`event #${i}: arguments delta for a non-function_call item`); break; }
            if (d.item_id !== it.item.id) errors.push(`event #${i}: item_id ${d.item_id} != item id ${it.item.id}`);
            it.args += d.delta ?? '';
            break;
        }
        case 'response.function_call_arguments.done': {
            const it = items[d.output_index];
            if (!it) { errors.push(`event #${i}: arguments.done for unknown output_index`); break; }
            if (d.arguments !== it.args && it.args !== '') errors.push(`event #${i}: arguments.done differs from the deltas`);
            it.args = d.arguments ?? it.args;
            break;
        }
        case 'response.output_item.done': {
            const it = items[d.output_index];
            if (!it) { errors.push(`event #${i}: output_item.done for unknown output_index`); break; }
            if (d.item?.id !== it.item.id) errors.push(`event #${i}: output_item.done id ${d.item?.id} != ${it.item.id}`);
            it.done = true;
            break;
        }
        case 'response.completed': case 'response.incomplete': case 'response.failed':
            terminal = d.type;
            res.response = d.response;
            break;
        }
    });
    if (!terminal) errors.push('stream ends without response.completed / incomplete / failed');
    else if (terminal === 'response.failed') errors.push(`response.failed: ${JSON.stringify(res.response?.error).slice(0, 200)}`);
    const r = res.response;
    if (isObj(r)) {
        res.finish = r.status;
        res.usage = r.usage;
        usageOk(r.usage, 'input_tokens', 'output_tokens', 'final response', errors);
        if (Array.isArray(r.output)) {
            if (items.length && r.output.length < items.length) errors.push(`final response.output has ${r.output.length} items, the stream emitted ${items.length} (SDK: silently empty output_text)`);
            collectOutput(r.output, res, errors, 'final response');
        } else if (r.output !== undefined) errors.push('final response.output is not an array');
        if (!Array.isArray(r.output) || (r.output.length === 0 && items.length)) {
            for (const it of items) {
                if (it.item.type === 'message') res.text += it.parts.join('');
                if (it.item.type === 'function_call') res.calls.push({ id: it.item.call_id, name: it.item.name, args: it.args });
            }
        }
        if (res.text === '' && res.streamText) res.text = res.streamText;
    }
    return { errors, result: res };
}

export function checkResponseObject (o) {
    const errors = [];
    const res = { text: '', calls: [], finish: null, usage: null, response: o };
    if (!isObj(o)) return { errors: ['reply is not a JSON object'], result: res };
    if (o.error) errors.push(`error: ${JSON.stringify(o.error).slice(0, 200)}`);
    responseObjOk(o, 'reply', errors);
    if (o.status === 'failed') errors.push('status failed');
    res.finish = o.status;
    collectOutput(o.output, res, errors, 'reply');
    res.usage = o.usage;
    usageOk(o.usage, 'input_tokens', 'output_tokens', 'reply', errors);
    return { errors, result: res };
}

// ------------------------------------------------------------ Anthropic

const ANTH_EVENTS = new Set(['message_start', 'message_delta', 'message_stop', 'content_block_start',
    'content_block_delta', 'content_block_stop', 'ping', 'error']);
const STOP_REASONS = ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded'];

export function checkAnthropicStream (events) {
    const errors = [];
    const res = { text: '', calls: [], finish: null, usage: null, content: [] };
    let started = false, stopped = false, open = null, deltaSeen = false;
    const blocks = [];
    events.forEach((ev, i) => {
        if (ev.data === '[DONE]') { errors.push('Anthropic stream sends data: [DONE]'); return; }
        const d = ev.json;
        if (!isObj(d)) return;
        //  The SDK drops events without an `event:` line (§8.2).
        if (ev.event === null) errors.push(`event #${i} (${d.type}) has no 'event:' line (SDK drops it)`);
        else if (ev.event !== d.type) errors.push(`event #${i}: 'event: ${ev.event}' != data.type ${d.type}`);
        if (!ANTH_EVENTS.has(d.type)) errors.push(`event #${i}: unknown type ${d.type}`);
        if (stopped) errors.push(`event #${i} (${d.type}) after message_stop`);
        if (d.type === 'ping') return;
        if (d.type === 'error') { errors.push(`in-stream error: ${JSON.stringify(d.error).slice(0, 200)}`); return; }
        if (!started && d.type !== 'message_start') errors.push(`event #${i}: ${d.type} before message_start`);
        switch (d.type) {
        case 'message_start': {
            if (started) errors.push(`event #${i}: second message_start (SDK: Unexpected event order)`);
            started = true;
            const m = d.message;
            if (!isObj(m) || m.type !== 'message' || m.role !== 'assistant' || !m.id || !Array.isArray(m.content))
                errors.push(`event #${i}: message_start.message malformed ${JSON.stringify(m).slice(0, 150)}`);
            if (!isObj(m?.usage) || !Number.isInteger(m.usage.input_tokens)) errors.push(`event #${i}: message_start usage.input_tokens missing`);
            res.usage = { ...(m?.usage ?? {}) };
            break;
        }
        case 'content_block_start':
            if (open !== null) errors.push(`event #${i}: block ${d.index} starts while block ${open} is open`);
            if (d.index !== blocks.length) errors.push(`event #${i}: content_block_start index ${d.index}, expected ${blocks.length}`);
            if (!isObj(d.content_block)) { errors.push(`event #${i}: content_block missing`); break; }
            open = d.index;
            blocks.push({ ...d.content_block, _json: '' });
            if (d.content_block.type === 'tool_use' && (!d.content_block.id || !d.content_block.name || !isObj(d.content_block.input)))
                errors.push(`event #${i}: tool_use start without id/name/input`);
            break;
        case 'content_block_delta': {
            const b = blocks[d.index];
            if (d.index !== open || !b) { errors.push(`event #${i}: delta for block ${d.index}, open is ${open}`); break; }
            const dl = d.delta ?? {};
            deltaSeen = true;
            if (dl.type === 'text_delta') {
                if (b.type !== 'text') errors.push(`event #${i}: text_delta in a ${b.type} block`);
                b.text = (b.text ?? '') + (dl.text ?? '');
            } else if (dl.type === 'input_json_delta') {
                if (b.type !== 'tool_use') errors.push(`event #${i}: input_json_delta in a ${b.type} block`);
                if (typeof dl.partial_json !== 'string') errors.push(`event #${i}: partial_json is not a string`);
                b._json += dl.partial_json ?? '';
            } else if (dl.type === 'thinking_delta') b.thinking = (b.thinking ?? '') + dl.thinking;
            else if (dl.type === 'signature_delta') b.signature = dl.signature;
            else if (dl.type !== 'citations_delta') errors.push(`event #${i}: unknown delta type ${dl.type}`);
            break;
        }
        case 'content_block_stop':
            if (d.index !== open) errors.push(`event #${i}: content_block_stop ${d.index}, open is ${open}`);
            open = null;
            break;
        case 'message_delta':
            if (open !== null) errors.push(`event #${i}: message_delta while block ${open} is open`);
            if (!isObj(d.usage) || !Number.isInteger(d.usage.output_tokens)) errors.push(`event #${i}: message_delta without usage.output_tokens (SDK: TypeError)`);
            else Object.assign(res.usage ?? (res.usage = {}), d.usage);
            res.finish = d.delta?.stop_reason ?? res.finish;
            if (!STOP_REASONS.includes(d.delta?.stop_reason)) errors.push(`event #${i}: stop_reason ${JSON.stringify(d.delta?.stop_reason)}`);
            break;
        case 'message_stop':
            stopped = true;
            break;
        }
    });
    if (!started) errors.push('no message_start');
    if (!stopped) errors.push('no message_stop (SDK: stream ended without producing a Message)');
    for (const b of blocks) {
        if (b.type === 'text') res.text += b.text ?? '';
        if (b.type === 'tool_use') {
            let input = b.input;
            if (b._json !== '') {
                try { input = JSON.parse(b._json); } catch { errors.push(`tool_use ${b.name}: partial_json does not assemble to JSON: ${b._json.slice(0, 80)}`); }
            }
            res.calls.push({ id: b.id, name: b.name, args: input });
        }
        delete b._json;
        res.content.push(b);
    }
    if (res.calls.length && res.finish !== 'tool_use') errors.push(`tool_use blocks but stop_reason ${res.finish}`);
    void deltaSeen;
    return { errors, result: res };
}

export function checkAnthropicMessage (o) {
    const errors = [];
    const res = { text: '', calls: [], finish: null, usage: null, content: [] };
    if (!isObj(o)) return { errors: ['reply is not a JSON object'], result: res };
    if (o.type === 'error' || o.error) errors.push(`error body: ${JSON.stringify(o.error).slice(0, 200)}`);
    if (o.type !== 'message') errors.push(`type is ${JSON.stringify(o.type)}, not message`);
    if (o.role !== 'assistant') errors.push('role is not assistant');
    if (typeof o.id !== 'string' || !o.id) errors.push('id missing');
    if (typeof o.model !== 'string') errors.push('model missing');
    if (!Array.isArray(o.content)) errors.push('content is not an array');
    for (const b of o.content ?? []) {
        if (b.type === 'text') {
            if (typeof b.text !== 'string') errors.push('text block without text');
            res.text += b.text ?? '';
        } else if (b.type === 'tool_use') {
            if (!b.id || !b.name || !isObj(b.input)) errors.push(`malformed tool_use ${JSON.stringify(b).slice(0, 120)}`);
            res.calls.push({ id: b.id, name: b.name, args: b.input });
        } else if (!['thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result'].includes(b.type))
            errors.push(`unknown content block type ${b.type}`);
    }
    res.content = o.content;
    res.finish = o.stop_reason;
    if (!STOP_REASONS.includes(o.stop_reason)) errors.push(`stop_reason ${JSON.stringify(o.stop_reason)}`);
    if (res.calls.length && o.stop_reason !== 'tool_use') errors.push(`tool_use blocks but stop_reason ${o.stop_reason}`);
    res.usage = o.usage;
    usageOk(o.usage, 'input_tokens', 'output_tokens', 'reply', errors);
    return { errors, result: res };
}

//  Fetches and checks one exchange at the byte level.  api: chat | responses | claude.
export async function exchange (url, { headers, body, api, includeUsage, timeoutMs = 30000 }) {
    const t0 = Date.now();
    let resp, raw;
    try {
        resp = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
        raw = await resp.text();
    } catch (e) {
        return { status: 0, errors: [`request failed: ${e.cause?.message ?? e.message}`], result: null, raw: '', ms: Date.now() - t0 };
    }
    const ctype = resp.headers.get('content-type') || '';
    const out = { status: resp.status, ctype, raw, headers: resp.headers, errors: [], result: null, ms: 0 };
    if (resp.status !== 200) {
        out.errors.push(`HTTP ${resp.status}: ${raw.slice(0, 300)}`);
        out.ms = Date.now() - t0;
        return out;
    }
    if (body.stream) {
        if (!/^text\/event-stream/i.test(ctype)) out.errors.push(`stream content-type is '${ctype}', not text/event-stream`);
        const p = parseSSE(raw);
        out.errors.push(...p.errors);
        out.events = p.events;
        const c = api === 'chat' ? checkChatStream(p.events, { includeUsage })
            : api === 'responses' ? checkResponsesStream(p.events) : checkAnthropicStream(p.events);
        out.errors.push(...c.errors);
        out.result = c.result;
    } else {
        if (!/^application\/json/i.test(ctype)) out.errors.push(`content-type is '${ctype}', not application/json (SDKs return the raw string)`);
        let o;
        try { o = JSON.parse(raw); } catch { out.errors.push(`body is not JSON: ${raw.slice(0, 120)}`); }
        if (o !== undefined) {
            const c = api === 'chat' ? checkChatCompletion(o) : api === 'responses' ? checkResponseObject(o) : checkAnthropicMessage(o);
            out.errors.push(...c.errors);
            out.result = c.result;
        }
    }
    out.ms = Date.now() - t0;
    return out;
}
