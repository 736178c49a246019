#!/usr/bin/env node
//  strict-upstream: one listener per provider in front of oa-mock.  Each request
//  the gateway sends is checked against the provider's rules (lib/rules.mjs);
//  a request the real provider would reject gets the provider's 400 here and
//  never reaches the mock.  Accepted requests are forwarded to oa-mock.  When a
//  request asks for structured output (or forces a tool whose schema the mock's
//  one-property arguments would not satisfy), the mock is asked for one chunk
//  and its answer is rewritten to a schema-conforming JSON (a real model obeying
//  the schema); all other answers pass through byte for byte.
//
//  usage: node strict-upstream.mjs --mock http://127.0.0.1:PORT
//  prints "strict <provider> <port> <channel key>" per provider, "control <port>", "ready".
//  Control: GET /log?since=N → {seq, records}; GET /health; for the worker's
//  image fetches (vision.test.mjs): GET /image.png (the payloads' PNG, with
//  ?type= overriding its content type), /page.html (not an image),
//  /redirect?to=URL (302); GET /fetches counts the image requests served.
import http from 'node:http';
import { checkRequest, errorReply } from './lib/rules.mjs';
import { instanceOf } from './lib/schema.mjs';
import { PROVIDERS } from './lib/config.mjs';
import { IMAGE_B64, IMAGE_MIME } from './lib/payloads.mjs';


const args = process.argv.slice(2);
const mockBase = new URL(args[args.indexOf('--mock') + 1] || 'http://127.0.0.1:1');
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const records = [];
let seq = 0;
let imageFetches = 0;

const isObj = v => v !== null && typeof v === 'object' && !Array.isArray(v);

function firstProp (schema) {
    const props = isObj(schema?.properties) ? Object.keys(schema.properties) : [];
    return props[0];
}

//  What to rewrite in the mock's answer, or null.
function planRewrite (route, body) {
    if (!body) return null;
    let schema, text = false;
    const tools = [];
    let forced;
    if (route.api === 'chat') {
        const rf = body.response_format;
        if (rf?.type === 'json_schema') { schema = rf.json_schema?.schema ?? {}; text = true; }
        else if (rf?.type === 'json_object') { schema = {}; text = true; }
        for (const t of body.tools ?? []) if (t?.function?.name) tools.push({ name: t.function.name, schema: t.function.parameters });
        forced = body.tool_choice?.function?.name;
    } else if (route.api === 'responses') {
        const f = body.text?.format;
        if (f?.type === 'json_schema') { schema = f.schema ?? {}; text = true; }
        else if (f?.type === 'json_object') { schema = {}; text = true; }
        for (const t of body.tools ?? []) if (t?.type === 'function' && t.name) tools.push({ name: t.name, schema: t.parameters });
        forced = body.tool_choice?.name;
    } else if (route.api === 'anthropic') {
        const f = body.output_config?.format ?? body.output_format;
        if (f?.type === 'json_schema') { schema = f.schema ?? {}; text = true; }
        for (const t of body.tools ?? []) if (t?.name) tools.push({ name: t.name, schema: t.input_schema });
        if (body.tool_choice?.type === 'tool') forced = body.tool_choice.name;
    } else if (route.api === 'gemini') {
        const gc = body.generationConfig ?? body.generation_config ?? {};
        if (gc.responseJsonSchema || gc.responseSchema) { schema = gc.responseJsonSchema ?? gc.responseSchema; text = true; }
        else if (gc.responseMimeType === 'application/json') { schema = {}; text = true; }
        for (const t of body.tools ?? []) for (const f of t.functionDeclarations ?? t.function_declarations ?? [])
            if (f?.name) tools.push({ name: f.name, schema: f.parameters ?? f.parametersJsonSchema });
        forced = (body.toolConfig ?? body.tool_config)?.functionCallingConfig?.allowedFunctionNames?.[0];
    } else return null;
    const plan = {};
    if (text) {
        const inst = schema && Object.keys(schema).length ? instanceOf(schema) : { answer: 'Paris' };
        plan.text = JSON.stringify(inst);
    }
    //  The mock fills only the first property; fix the call when that misses a required one.
    const chosen = tools.find(t => t.name === forced) ?? tools[0];
    if (chosen && isObj(chosen.schema)) {
        const fp = firstProp(chosen.schema);
        const req = Array.isArray(chosen.schema.required) ? chosen.schema.required : [];
        if (fp && req.some(k => k !== fp)) plan.tool = { key: fp, instance: instanceOf(chosen.schema) };
    }
    return plan.text || plan.tool ? plan : null;
}

function matchesMockArgs (v, plan) {
    return isObj(v) && Object.keys(v).length === 1 && Object.keys(v)[0] === plan.tool.key;
}

function rewrite (v, plan) {
    if (typeof v === 'string') {
        if (plan.text && v === 'The') return plan.text;
        if (plan.tool && v.startsWith('{')) {
            try { if (matchesMockArgs(JSON.parse(v), plan)) return JSON.stringify(plan.tool.instance); } catch { /* not JSON */ }
        }
        return v;
    }
    if (Array.isArray(v)) return v.map(x => rewrite(x, plan));
    if (isObj(v)) {
        if (plan.tool && matchesMockArgs(v, plan)) return structuredClone(plan.tool.instance);
        const o = {};
        for (const [k, x] of Object.entries(v)) o[k] = rewrite(x, plan);
        return o;
    }
    return v;
}

function rewriteBody (text, isSSE, plan) {
    if (isSSE) {
        return text.replace(/^data:( ?)(.*)$/gm, (m, sp, payload) => {
            try { return 'data: ' + JSON.stringify(rewrite(JSON.parse(payload), plan)); } catch { return m; }
        });
    }
    try { return JSON.stringify(rewrite(JSON.parse(text), plan)); } catch { return text; }
}

function handle (provider, req, res) {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
        const bodyBuf = Buffer.concat(chunks);
        const url = new URL(req.url, 'http://x');
        const headers = req.headers;
        const check = checkRequest({
            provider, method: req.method, path: url.pathname, query: url.searchParams, headers,
            bodyText: bodyBuf.toString('utf8'), expectedKey: PROVIDERS[provider],
        });
        const rec = {
            seq: ++seq, provider, method: req.method, path: url.pathname, query: url.search, api: check.route.api,
            deployment: check.route.deployment, pathModel: check.route.model, headers, body: check.body,
            errors: check.errors, warnings: check.warnings, status: 0, rewritten: false, time: Date.now(),
        };
        records.push(rec);
        if (check.errors.length) {
            const e = errorReply(provider, check.route, check.errors.join('; '));
            rec.status = e.status;
            const out = JSON.stringify(e.body);
            res.writeHead(e.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
            res.end(out);
            return;
        }
        const plan = planRewrite(check.route, check.body);
        const fwd = {};
        for (const [k, v] of Object.entries(headers))
            if (!['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(k)) fwd[k] = v;
        fwd['content-length'] = bodyBuf.length;
        if (plan) fwd['x-mock-chunks'] = '1';
        const up = http.request({
            host: mockBase.hostname, port: mockBase.port, method: req.method, path: req.url, headers: fwd, agent,
        }, ures => {
            rec.status = ures.statusCode;
            const h = {};
            for (const [k, v] of Object.entries(ures.headers))
                if (!['connection', 'transfer-encoding', 'keep-alive'].includes(k)) h[k] = v;
            if (!plan) {
                res.writeHead(ures.statusCode, h);
                res.flushHeaders();
                ures.pipe(res);
                return;
            }
            const parts = [];
            ures.on('data', c => parts.push(c));
            ures.on('end', () => {
                const isSSE = /text\/event-stream/.test(ures.headers['content-type'] || '');
                const text = Buffer.concat(parts).toString('utf8');
                const out = ures.statusCode < 300 ? rewriteBody(text, isSSE, plan) : text;
                rec.rewritten = out !== text;
                h['content-length'] = Buffer.byteLength(out);
                res.writeHead(ures.statusCode, h);
                res.end(out);
            });
            ures.on('error', () => res.destroy());
        });
        up.on('error', e => {
            rec.status = 502;
            rec.errors.push(`mock unreachable: ${e.message}`);
            if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { message: 'strict-upstream: mock unreachable' } }));
        });
        res.on('close', () => { if (!res.writableFinished) { rec.clientAborted = true; up.destroy(); } });
        up.end(bodyBuf);
    });
}

function listen (server) {
    return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

const lines = [];
for (const provider of Object.keys(PROVIDERS)) {
    const port = await listen(http.createServer((req, res) => handle(provider, req, res)));
    lines.push(`strict ${provider} ${port} ${PROVIDERS[provider]}`);
}
const control = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/log') {
        const since = Number(url.searchParams.get('since') || 0);
        const out = JSON.stringify({ seq, records: records.filter(r => r.seq > since) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(out);
    } else if (url.pathname === '/health') {
        res.end('ok');
    } else if (url.pathname === '/image.png') {
        imageFetches++;
        const png = Buffer.from(IMAGE_B64, 'base64');
        res.writeHead(200, { 'content-type': url.searchParams.get('type') ?? IMAGE_MIME, 'content-length': png.length });
        res.end(png);
    } else if (url.pathname === '/page.html') {
        imageFetches++;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>not an image</body></html>');
    } else if (url.pathname === '/redirect') {
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/image.png' });
        res.end();
    } else if (url.pathname === '/fetches') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ count: imageFetches }));
    } else {
        res.writeHead(404);
        res.end();
    }
});
lines.push(`control ${await listen(control)}`);
console.log(lines.join('\n') + '\nready');
