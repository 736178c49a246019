//  The official SDKs against the gateway, through their stream helpers and raw
//  iteration: openai 6.x and 7.x (Chat and Responses), @anthropic-ai/sdk 0.x
//  (x-api-key + anthropic-version 2023-06-01) and 1.x (Bearer + 2026-10-21).
//  The answer is oa-mock's: "The quick brown fox jumps" (5 chunks) or a call
//  of the first offered tool with {"<first property>": "Paris"}.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import OpenAI6 from 'openai6';
import OpenAI7 from 'openai7';
import Anthropic0 from 'anthropic0';
import Anthropic1 from 'anthropic1';
import { env, steered } from './lib/config.mjs';
import { cursor, since } from './lib/upstream.mjs';

const { base, key, control } = env();
const TEXT = 'The quick brown fox jumps';
const MODELS = (process.env.CONFORMANCE_SDK_MODELS || 'gpt-4o-mini,claude-haiku-4-5,gemini-2.5-flash').split(',');
const WEATHER = {
    type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false,
};
const OPENAI = { 'openai@6': OpenAI6, 'openai@7': OpenAI7 };
const ANTHROPIC = { '@anthropic-ai/sdk@0': Anthropic0, '@anthropic-ai/sdk@1': Anthropic1 };

//  Runs fn and fails the test when the upstream saw a request the real provider rejects.
async function strictly (fn) {
    const seq = await cursor(control);
    try {
        return await fn();
    } finally {
        const bad = (await since(control, seq)).filter(r => r.errors.length);
        if (bad.length) assert.fail(`upstream (${bad[0].provider} ${bad[0].api}) would reject: ${bad[0].errors.join('; ')}`);
    }
}

const user = text => [{ role: 'user', content: text }];

//  Runs fn and fails unless the given provider's upstream was actually called
//  (an error the gateway makes up itself must not pass an error-path test).
async function reaching (provider, fn) {
    const seq = await cursor(control);
    await fn();
    const recs = (await since(control, seq)).filter(r => r.provider === provider && !r.errors.length);
    assert.ok(recs.length > 0, `the ${provider} upstream was never called`);
}

for (const [sdkIndex, [sdkName, OpenAI]] of Object.entries(OPENAI).entries()) {
    const client = new OpenAI({ apiKey: key, baseURL: `${base}/v1`, maxRetries: 0, timeout: 15000 });
    describe(sdkName, () => {
        for (const model of MODELS) {
            describe(model, () => {
                test('chat.completions.create', () => strictly(async () => {
                    const r = await client.chat.completions.create({ model, messages: user('hello there') });
                    assert.equal(r.object, 'chat.completion');
                    assert.equal(r.choices[0].message.content, TEXT);
                    assert.equal(r.choices[0].finish_reason, 'stop');
                    assert.ok(r.usage?.prompt_tokens > 0 && r.usage.completion_tokens > 0, `usage ${JSON.stringify(r.usage)}`);
                }));
                test('chat.completions.create stream (raw iteration, include_usage)', () => strictly(async () => {
                    const s = await client.chat.completions.create({ model, messages: user('hello there'), stream: true, stream_options: { include_usage: true } });
                    let text = '', finish = null, usage = null, role = null;
                    for await (const c of s) {
                        const ch = c.choices[0];
                        if (ch?.delta?.role) role = ch.delta.role;
                        if (ch?.delta?.content) text += ch.delta.content;
                        if (ch?.finish_reason) finish = ch.finish_reason;
                        if (c.usage) usage = c.usage;
                    }
                    assert.equal(role, 'assistant');
                    assert.equal(text, TEXT);
                    assert.equal(finish, 'stop');
                    assert.ok(usage?.completion_tokens > 0, 'a usage chunk was requested with include_usage');
                }));
                test('chat.completions.stream() helper → finalChatCompletion()', () => strictly(async () => {
                    const s = client.chat.completions.stream({ model, messages: user('hello there'), stream_options: { include_usage: true } });
                    const deltas = [];
                    s.on('content', d => deltas.push(d));
                    const final = await s.finalChatCompletion();
                    assert.equal(final.choices[0].message.content, TEXT);
                    assert.equal(deltas.join(''), TEXT);
                }));
                test('chat.completions.stream() helper with a forced tool', () => strictly(async () => {
                    const s = client.chat.completions.stream({
                        model, messages: user('weather in Paris?'),
                        tools: [{ type: 'function', function: { name: 'get_weather', parameters: WEATHER } }],
                        tool_choice: { type: 'function', function: { name: 'get_weather' } },
                    });
                    const final = await s.finalChatCompletion();
                    const tc = final.choices[0].message.tool_calls?.[0];
                    assert.ok(tc, `no tool call: ${JSON.stringify(final.choices[0].message)}`);
                    assert.equal(tc.function.name, 'get_weather');
                    assert.deepEqual(JSON.parse(tc.function.arguments), { city: 'Paris' });
                    assert.equal(final.choices[0].finish_reason, 'tool_calls');
                }));
                test('responses.create', () => strictly(async () => {
                    const r = await client.responses.create({ model, input: 'hello there' });
                    assert.equal(r.object, 'response');
                    assert.equal(r.status, 'completed');
                    assert.equal(r.output_text, TEXT);
                    assert.ok(r.usage?.output_tokens > 0, `usage ${JSON.stringify(r.usage)}`);
                }));
                test('responses.create stream (raw iteration)', () => strictly(async () => {
                    const s = await client.responses.create({ model, input: 'hello there', stream: true });
                    const types = [];
                    let text = '', seq = -1;
                    for await (const e of s) {
                        types.push(e.type);
                        assert.equal(e.sequence_number, seq + 1, `sequence_number after ${seq} on ${e.type}`);
                        seq = e.sequence_number;
                        if (e.type === 'response.output_text.delta') text += e.delta;
                    }
                    assert.equal(types[0], 'response.created');
                    assert.equal(types.at(-1), 'response.completed');
                    assert.equal(text, TEXT);
                }));
                test('responses.stream() helper → finalResponse()', () => strictly(async () => {
                    const s = client.responses.stream({ model, input: [{ role: 'user', content: [{ type: 'input_text', text: 'hello there' }] }] });
                    const final = await s.finalResponse();
                    assert.equal(final.output_text, TEXT);
                    assert.equal(final.status, 'completed');
                }));
                test('responses.stream() helper with a forced tool', () => strictly(async () => {
                    const s = client.responses.stream({
                        model, input: 'weather in Paris?',
                        tools: [{ type: 'function', name: 'get_weather', parameters: WEATHER, strict: true }],
                        tool_choice: { type: 'function', name: 'get_weather' },
                    });
                    const final = await s.finalResponse();
                    const fc = final.output.find(o => o.type === 'function_call');
                    assert.ok(fc, `no function_call in ${JSON.stringify(final.output)}`);
                    assert.equal(fc.name, 'get_weather');
                    assert.ok(fc.call_id, 'call_id');
                    assert.deepEqual(JSON.parse(fc.arguments), { city: 'Paris' });
                }));
            });
        }
        describe('errors', () => {
            test('upstream 429 → RateLimitError', async () => {
                await reaching('openai', () => assert.rejects(client.chat.completions.create({ model: steered('gpt-4o-mini', sdkIndex, 'status=429'), messages: user('hi') }),
                    e => { assert.equal(e.status, 429, `status ${e.status}: ${e.message}`); return true; }));
            });
            test('mid-stream upstream error is thrown, not a clean end', async () => {
                let chunks = 0;
                await reaching('openai', () => assert.rejects((async () => {
                    const s = await client.chat.completions.create({ model: steered('gpt-4o-mini', sdkIndex, 'error_after=2'), messages: user('hi'), stream: true });
                    for await (const c of s) chunks++;
                })(), e => e instanceof OpenAI.APIError));
                assert.ok(chunks >= 2, `the stream started (${chunks} chunks) before the error`);
            });
            test('keep-alive comments do not break the stream', async () => {
                const final = await client.chat.completions.stream({ model: 'gpt-4o-mini@keepalive=1', messages: user('hi') }).finalChatCompletion();
                assert.equal(final.choices[0].message.content, TEXT);
            });
            test('bad token → AuthenticationError', async () => {
                const bad = new OpenAI({ apiKey: 'sk-not-a-token', baseURL: `${base}/v1`, maxRetries: 0 });
                await assert.rejects(bad.chat.completions.create({ model: 'gpt-4o-mini', messages: user('hi') }),
                    e => { assert.equal(e.status, 401); return true; });
            });
        });
    });
}

//  What each Anthropic SDK puts on the wire (so the two auth styles are really exercised).
async function sdkHeaders (Anthropic) {
    const seen = await new Promise((resolve, reject) => {
        const srv = http.createServer((req, res) => {
            resolve(req.headers);
            res.writeHead(500); res.end();
            srv.close();
        }).listen(0, '127.0.0.1', async () => {
            const c = new Anthropic({ apiKey: 'k-probe', baseURL: `http://127.0.0.1:${srv.address().port}`, maxRetries: 0 });
            c.messages.create({ model: 'm', max_tokens: 1, messages: user('x') }).catch(() => {});
        });
        setTimeout(() => reject(new Error('probe timeout')), 5000);
    });
    return seen;
}

for (const [sdkIndex, [sdkName, Anthropic]] of Object.entries(ANTHROPIC).entries()) {
    const client = new Anthropic({ apiKey: key, baseURL: base, maxRetries: 0, timeout: 15000 });
    describe(sdkName, () => {
        test('wire: auth header and anthropic-version this SDK sends', async () => {
            const h = await sdkHeaders(Anthropic);
            if (sdkName.endsWith('@0')) {
                assert.equal(h['x-api-key'], 'k-probe');
                assert.equal(h['anthropic-version'], '2023-06-01');
            } else {
                assert.equal(h.authorization, 'Bearer k-probe');
                assert.equal(h['anthropic-version'], '2026-10-21');
            }
        });
        for (const model of MODELS) {
            describe(model, () => {
                test('messages.create', () => strictly(async () => {
                    const m = await client.messages.create({ model, max_tokens: 256, messages: user('hello there') });
                    assert.equal(m.type, 'message');
                    assert.equal(m.role, 'assistant');
                    assert.equal(m.content.filter(b => b.type === 'text').map(b => b.text).join(''), TEXT);
                    assert.equal(m.stop_reason, 'end_turn');
                    assert.ok(m.usage?.output_tokens > 0 && m.usage.input_tokens > 0, `usage ${JSON.stringify(m.usage)}`);
                }));
                test('messages.create stream (raw iteration)', () => strictly(async () => {
                    const s = await client.messages.create({ model, max_tokens: 256, messages: user('hello there'), stream: true });
                    const types = [];
                    let text = '';
                    for await (const e of s) {
                        types.push(e.type);
                        if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
                    }
                    assert.equal(types[0], 'message_start');
                    assert.equal(types.at(-1), 'message_stop');
                    assert.equal(text, TEXT);
                }));
                test('messages.stream() helper → finalMessage()', () => strictly(async () => {
                    const s = client.messages.stream({ model, max_tokens: 256, system: 'be terse', messages: user('hello there') });
                    const deltas = [];
                    s.on('text', d => deltas.push(d));
                    const m = await s.finalMessage();
                    assert.equal(m.content.filter(b => b.type === 'text').map(b => b.text).join(''), TEXT);
                    assert.equal(deltas.join(''), TEXT);
                    assert.ok(m.usage.output_tokens > 0);
                }));
                test('messages.stream() helper with a forced tool', () => strictly(async () => {
                    const s = client.messages.stream({
                        model, max_tokens: 256, messages: user('weather in Paris?'),
                        tools: [{ name: 'get_weather', description: 'weather', input_schema: WEATHER }],
                        tool_choice: { type: 'tool', name: 'get_weather' },
                    });
                    const m = await s.finalMessage();
                    const tu = m.content.find(b => b.type === 'tool_use');
                    assert.ok(tu, `no tool_use in ${JSON.stringify(m.content)}`);
                    assert.equal(tu.name, 'get_weather');
                    assert.deepEqual(tu.input, { city: 'Paris' });
                    assert.equal(m.stop_reason, 'tool_use');
                }));
            });
        }
        describe('errors', () => {
            test('upstream 529 overloaded → an APIError with a 5xx status', async () => {
                await reaching('anthropic', () => assert.rejects(client.messages.create({ model: steered('claude-haiku-4-5', sdkIndex, 'status=529'), max_tokens: 64, messages: user('hi') }),
                    e => { assert.ok([529, 503].includes(e.status), `status ${e.status}: ${e.message}`); return true; }));
            });
            test('mid-stream upstream error is thrown (event: error)', async () => {
                let text = '';
                await reaching('anthropic', () => assert.rejects(async () => {
                    const s = client.messages.stream({ model: steered('claude-haiku-4-5', sdkIndex, 'error_after=2'), max_tokens: 64, messages: user('hi') });
                    s.on('text', d => { text += d; });
                    await s.finalMessage();
                }, e => e instanceof Anthropic.APIError || e?.error?.type !== undefined));
                assert.ok(text.length > 0, 'the stream started before the error');
            });
            test('ping events do not break the helper', async () => {
                const m = await client.messages.stream({ model: 'claude-haiku-4-5@keepalive=1', max_tokens: 64, messages: user('hi') }).finalMessage();
                assert.equal(m.content[0].text, TEXT);
            });
            test('bad token → AuthenticationError', async () => {
                const bad = new Anthropic({ apiKey: 'sk-not-a-token', baseURL: base, maxRetries: 0 });
                await assert.rejects(bad.messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages: user('hi') }),
                    e => { assert.equal(e.status, 401); return true; });
            });
        });
    });
}

