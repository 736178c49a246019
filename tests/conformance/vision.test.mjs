//  Vision for upstreams that need inline data (issue 6): the worker fetches
//  an image URL and sends the bytes (Gemini inlineData), with a size cap, a
//  timeout and an SSRF guard.  The image is served by strict-upstream's
//  control port on 127.0.0.1, a loopback address:
//    VISION_MODE=allowed  (oneapi runs with ONEAPI_FETCH_ALLOW_PRIVATE=true):
//      Chat, Responses and Claude clients reach Gemini with the image inline,
//      stream and non-stream, through a redirect too; a URL that is not an
//      image is a 400 in the client's format; an OpenAI upstream gets the
//      URL untouched (no fetch);
//    VISION_MODE=refused  (the default guard): the fetch is refused before
//      any connection, the client gets a 400 naming the reason, and neither
//      the image server nor Gemini is reached.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { env } from './lib/config.mjs';
import { exchange } from './lib/sse.mjs';
import { cursor, since, imageReached } from './lib/upstream.mjs';
import { IMAGE_B64, IMAGE_MIME } from './lib/payloads.mjs';

const { base, key, control } = env();
const mode = process.env.VISION_MODE || 'allowed';
const H = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
const HC = { ...H, 'anthropic-version': '2023-06-01' };
const paths = { chat: '/v1/chat/completions', responses: '/v1/responses', claude: '/v1/messages' };
const imageUrl = `${control}/image.png`;

function body (api, model, url, stream) {
    const text = 'Describe this image in one sentence.';
    if (api === 'chat')
        return { model, stream, messages: [{ role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url } }] }] };
    if (api === 'responses')
        return { model, stream, input: [{ role: 'user', content: [{ type: 'input_text', text }, { type: 'input_image', image_url: url }] }] };
    return { model, stream, max_tokens: 128, messages: [{ role: 'user', content: [{ type: 'text', text }, { type: 'image', source: { type: 'url', url } }] }] };
}

async function fetches () {
    return (await (await fetch(`${control}/fetches`)).json()).count;
}

async function run (api, model, url, stream) {
    const seq = await cursor(control);
    const ex = await exchange(base + paths[api], { headers: api === 'claude' ? HC : H, body: body(api, model, url, stream), api, timeoutMs: 20000 });
    return { ex, records: await since(control, seq) };
}

function errorMessage (api, raw) {
    const o = JSON.parse(raw);
    assert.ok(o.error, `error body in the client's shape: ${raw}`);
    if (api === 'claude') assert.equal(o.type, 'error');
    return o.error.message;
}

if (mode === 'allowed') {
    describe('image URLs fetched for an inline-data upstream (Gemini)', () => {
        for (const api of ['chat', 'responses', 'claude']) {
            for (const stream of [false, true]) {
                test(`${api} stream=${stream}: the image reaches Gemini inline`, async () => {
                    const before = await fetches();
                    const { ex, records } = await run(api, 'gemini-2.5-flash', imageUrl, stream);
                    assert.deepEqual(ex.errors, [], `${ex.errors.join('\n')}\n${ex.raw?.slice(0, 500)}`);
                    const gemini = records.filter(r => r.provider === 'gemini');
                    assert.equal(gemini.length, 1);
                    assert.deepEqual(gemini[0].errors, []);
                    assert.ok(imageReached(gemini[0], IMAGE_B64, IMAGE_MIME), 'inlineData with the fetched PNG');
                    assert.ok(!JSON.stringify(gemini[0].body).includes('/image.png'), 'no URL left upstream');
                    assert.equal(await fetches(), before + 1, 'fetched once');
                });
            }
        }
        test('the content type is taken from the bytes when the server says octet-stream', async () => {
            const { ex, records } = await run('chat', 'gemini-2.5-flash', `${imageUrl}?type=application/octet-stream`, false);
            assert.deepEqual(ex.errors, []);
            assert.ok(imageReached(records.find(r => r.provider === 'gemini'), IMAGE_B64, IMAGE_MIME));
        });
        test('redirects are followed (each connection checked)', async () => {
            const { ex, records } = await run('chat', 'gemini-2.5-flash', `${control}/redirect?to=/image.png`, false);
            assert.deepEqual(ex.errors, []);
            assert.ok(imageReached(records.find(r => r.provider === 'gemini'), IMAGE_B64, IMAGE_MIME));
        });
        for (const api of ['chat', 'claude']) {
            test(`${api}: a URL that is not an image is a 400 in the client's format`, async () => {
                const { ex, records } = await run(api, 'gemini-2.5-flash', `${control}/page.html`, false);
                assert.equal(ex.status, 400, ex.raw);
                assert.match(errorMessage(api, ex.raw), /image URL cannot be used: the URL did not return an image/);
                assert.equal(records.filter(r => r.provider === 'gemini').length, 0);
            });
        }
        test('an upstream that takes URLs gets the URL, nothing is fetched', async () => {
            const before = await fetches();
            const { ex, records } = await run('chat', 'gpt-4o-mini', imageUrl, false);
            assert.deepEqual(ex.errors, []);
            const openai = records.find(r => r.provider === 'openai');
            assert.equal(openai.body.messages[0].content[1].image_url.url, imageUrl);
            assert.equal(await fetches(), before);
        });
    });
} else {
    describe('SSRF guard: loopback image URLs refused by default', () => {
        for (const api of ['chat', 'responses', 'claude']) {
            for (const stream of [false, true]) {
                test(`${api} stream=${stream}: 400 before any connection`, async () => {
                    const before = await fetches();
                    const { ex, records } = await run(api, 'gemini-2.5-flash', imageUrl, stream);
                    assert.equal(ex.status, 400, ex.raw);
                    assert.match(errorMessage(api, ex.raw), /loopback, private or link-local/);
                    assert.equal(records.filter(r => r.provider === 'gemini').length, 0);
                    assert.equal(await fetches(), before, 'the image server was never reached');
                });
            }
        }
        for (const url of ['http://localhost:9/x.png', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/x.png', 'http://[::ffff:127.0.0.1]:9/x.png', 'http://10.0.0.1/x.png']) {
            test(`refused: ${url}`, async () => {
                const { ex } = await run('chat', 'gemini-2.5-flash', url, false);
                assert.equal(ex.status, 400, ex.raw);
                assert.match(errorMessage('chat', ex.raw), /loopback, private or link-local/);
            });
        }
    });
}
