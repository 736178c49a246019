//  Byte-level checks the SDKs do not make (wire-formats §0, §7, §9): `\n\n`
//  after every event, `event:` lines where the protocol has them and nowhere
//  else, `data: [DONE]` only on Chat, Responses sequence numbers, one usage
//  chunk for include_usage, content types, request ids, errors before the
//  first SSE byte as a non-2xx JSON body, in-stream errors in the client's
//  own shape.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { env, steered } from './lib/config.mjs';
import { exchange, parseSSE } from './lib/sse.mjs';

const { base, key } = env();
const MODELS = (process.env.CONFORMANCE_SDK_MODELS || 'gpt-4o-mini,claude-haiku-4-5,gemini-2.5-flash').split(',');
const H = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
const HC = { ...H, 'anthropic-version': '2023-06-01' };
const TOOL = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

const bodies = {
    chat: (model, stream, tools) => ({
        model, stream, messages: [{ role: 'user', content: 'hello there' }],
        ...(stream ? { stream_options: { include_usage: true } } : {}),
        ...(tools ? { tools: [{ type: 'function', function: { name: 'get_weather', parameters: TOOL } }] } : {}),
    }),
    responses: (model, stream, tools) => ({
        model, stream, input: 'hello there',
        ...(tools ? { tools: [{ type: 'function', name: 'get_weather', parameters: TOOL }] } : {}),
    }),
    claude: (model, stream, tools) => ({
        model, stream, max_tokens: 128, messages: [{ role: 'user', content: 'hello there' }],
        ...(tools ? { tools: [{ name: 'get_weather', input_schema: TOOL }] } : {}),
    }),
};
const paths = { chat: '/v1/chat/completions', responses: '/v1/responses', claude: '/v1/messages' };

function noErrors (ex) {
    assert.deepEqual(ex.errors, [], `${ex.errors.join('\n')}\n--- body:\n${(ex.raw ?? '').slice(0, 1500)}`);
}

for (const api of ['chat', 'responses', 'claude']) {
    describe(`${api} grammar`, () => {
        for (const model of MODELS) {
            for (const tools of [false, true]) {
                test(`${model} stream${tools ? ' tool call' : ''}`, async () => {
                    const ex = await exchange(base + paths[api], { headers: api === 'claude' ? HC : H, body: bodies[api](model, true, tools), api, includeUsage: api === 'chat' });
                    noErrors(ex);
                    if (tools) assert.equal(ex.result.calls.length, 1, 'one tool call');
                    else assert.equal(ex.result.text, 'The quick brown fox jumps');
                    assert.match(ex.headers.get('cache-control') ?? '', /no-cache/, 'stream replies carry cache-control: no-cache (§7)');
                });
            }
            test(`${model} non-stream`, async () => {
                const ex = await exchange(base + paths[api], { headers: api === 'claude' ? HC : H, body: bodies[api](model, false, false), api });
                noErrors(ex);
                assert.equal(ex.result.text, 'The quick brown fox jumps');
                const rid = api === 'claude' ? 'request-id' : 'x-request-id';
                assert.ok(ex.headers.get(rid), `reply echoes a ${rid} header (the SDK's requestID, §7)`);
            });
        }
        test('upstream error before the stream: non-2xx JSON, no SSE bytes', async () => {
            const model = api === 'claude' ? steered('claude-haiku-4-5', 2, 'status=529') : steered('gpt-4o-mini', api === 'chat' ? 2 : 3, 'status=429');
            const ex = await exchange(base + paths[api], { headers: api === 'claude' ? HC : H, body: bodies[api](model, true, false), api });
            assert.ok(ex.status >= 400, `status ${ex.status}`);
            assert.match(ex.ctype, /application\/json/);
            const body = JSON.parse(ex.raw);
            if (api === 'claude') {
                assert.equal(body.type, 'error');
                assert.ok(body.error?.type && body.error.message, `Anthropic error shape: ${ex.raw.slice(0, 200)}`);
            } else {
                assert.ok(body.error?.message, `OpenAI error shape: ${ex.raw.slice(0, 200)}`);
            }
        });
        test('in-stream upstream error arrives in the client protocol\'s shape', async () => {
            const model = api === 'claude' ? steered('claude-haiku-4-5', 2, 'error_after=2') : steered('gpt-4o-mini', api === 'chat' ? 2 : 3, 'error_after=2');
            const ex = await exchange(base + paths[api], { headers: api === 'claude' ? HC : H, body: bodies[api](model, true, false), api });
            assert.equal(ex.status, 200, `status ${ex.status}: ${ex.raw?.slice(0, 200)}`);
            const p = parseSSE(ex.raw);
            assert.deepEqual(p.errors, [], 'framing');
            if (api === 'chat') {
                assert.ok(p.events.some(e => e.json?.error?.message), `a data: {"error":…} event:\n${ex.raw.slice(-600)}`);
            } else if (api === 'responses') {
                assert.ok(p.events.some(e => e.event === 'error' && e.json?.type === 'error'), `an event: error:\n${ex.raw.slice(-600)}`);
                assert.ok(p.events.some(e => e.json?.type === 'response.failed'), 'then response.failed');
            } else {
                assert.ok(p.events.some(e => e.event === 'error' && e.json?.type === 'error' && e.json.error?.type), `an event: error:\n${ex.raw.slice(-600)}`);
                assert.ok(!p.events.some(e => e.json?.type === 'message_stop'), 'no message_stop after an error');
            }
        });
    });
}

test('chat: usage on the upstream finish chunk still gives the client one choices:[] usage chunk', async () => {
    const ex = await exchange(base + paths.chat, { headers: H, body: bodies.chat('gpt-4o-mini@usage=finish', true, false), api: 'chat', includeUsage: true });
    noErrors(ex);
});

test('chat: upstream keep-alive comments pass as comments (never empty data:)', async () => {
    const ex = await exchange(base + paths.chat, { headers: H, body: bodies.chat('gpt-4o-mini@keepalive=1', true, false), api: 'chat', includeUsage: true });
    noErrors(ex);
});
