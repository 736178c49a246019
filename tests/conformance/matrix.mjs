#!/usr/bin/env node
//  The regression matrix of one-api's README ("One-API Compatibility Matrix",
//  Laisky/one-api cmd/test): 8 model families × {Chat, Response, Claude} ×
//  stream false/true × {plain, tools, tools history, structured} + Response
//  vision, through the gateway at ONEAPI_BASE, against the strict upstream.
//  Cells run one at a time so each upstream request is attributed to its cell.
//
//  env: ONEAPI_BASE, ONEAPI_KEY, STRICT_CONTROL (set by tests/it/conformance.sh);
//       CONFORMANCE_MODELS, CONFORMANCE_VARIANTS (comma lists, optional filters);
//       CONFORMANCE_TIMEOUT_MS (per request, default 10000);
//       CONFORMANCE_OUT (directory for matrix.json / matrix.md, optional).
//  Exit status 1 when any cell fails.
import fs from 'node:fs';
import path from 'node:path';
import { env, FAMILIES } from './lib/config.mjs';
import { VARIANTS, payloadFor, PATHS } from './lib/payloads.mjs';
import { exchange } from './lib/sse.mjs';
import { cursor, since } from './lib/upstream.mjs';
import { evaluate, skipReason } from './lib/evaluate.mjs';

const { base, key, control } = env();
const pick = (list, envName, keyOf) => {
    const want = process.env[envName];
    if (!want) return list;
    const set = new Set(want.split(',').map(s => s.trim()).filter(Boolean));
    return list.filter(x => set.has(keyOf(x)));
};
const families = pick(FAMILIES, 'CONFORMANCE_MODELS', f => f.model);
const variants = pick(VARIANTS, 'CONFORMANCE_VARIANTS', v => v.key);

function headersFor (api) {
    const h = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    if (api === 'claude') h['anthropic-version'] = '2023-06-01';
    return h;
}

const results = [];
let consecutiveTimeouts = 0;
const t0 = Date.now();
for (const family of families) {
    for (const variant of variants) {
        const cell = { model: family.model, variant: variant.key, api: variant.api, exp: variant.exp, stream: variant.stream };
        const skip = skipReason(variant, family);
        if (skip) { results.push({ ...cell, status: 'SKIP', reasons: [skip] }); continue; }
        if (consecutiveTimeouts >= 4) {
            results.push({ ...cell, status: 'FAIL', reasons: ['not run: the gateway timed out on 4 cells in a row'] });
            continue;
        }
        const body = payloadFor(variant, family.model);
        const seq = await cursor(control);
        const ex = await exchange(base + PATHS[variant.api], {
            headers: headersFor(variant.api), body,
            api: variant.api === 'response' ? 'responses' : variant.api,
            timeoutMs: Number(process.env.CONFORMANCE_TIMEOUT_MS || 10000),
        });
        consecutiveTimeouts = ex.status === 0 && /abort|timeout/i.test(ex.errors.join(' ')) ? consecutiveTimeouts + 1 : 0;
        //  A stream's upstream request is logged when it arrives; give a
        //  just-finished exchange a moment before reading the log.
        const records = await since(control, seq);
        const ev = evaluate({ variant, family, ex, records });
        results.push({ ...cell, status: ev.status, reasons: ev.reasons, httpStatus: ex.status, ms: ex.ms,
            upstream: records.map(r => ({ provider: r.provider, api: r.api, path: r.path, status: r.status, errors: r.errors, warnings: r.warnings })) });
    }
}

// ------------------------------------------------------------ report

const short = { plain: 'plain', tools: 'tools', tools_history: 'hist', structured: 'struct', vision: 'vision' };
const apiTitle = { chat: 'Chat Completions  (/v1/chat/completions)', response: 'Responses  (/v1/responses)', claude: 'Claude Messages  (/v1/messages)' };
const lines = [];
const md = ['# Conformance matrix', '', `gateway ${base}; ${new Date().toISOString()}`, ''];
for (const api of ['chat', 'response', 'claude']) {
    const cols = variants.filter(v => v.api === api);
    if (!cols.length) continue;
    const heads = cols.map(v => `${short[v.exp]}${v.stream ? '/s' : ''}`);
    const w = Math.max(...heads.map(h => h.length), 4) + 1;
    lines.push('', apiTitle[api], `${'model'.padEnd(27)}${heads.map(h => h.padStart(w)).join('')}`);
    md.push(`## ${apiTitle[api]}`, '', `| model | ${heads.join(' | ')} |`, `|---|${heads.map(() => '---').join('|')}|`);
    for (const f of families) {
        const row = cols.map(v => results.find(r => r.model === f.model && r.variant === v.key)?.status ?? '-');
        lines.push(`${f.model.padEnd(27)}${row.map(s => s.padStart(w)).join('')}`);
        md.push(`| ${f.model} | ${row.join(' | ')} |`);
    }
    md.push('');
}
lines.push('', '(/s = stream=true; plain, tools, hist = tools history, struct = structured output, vision = image input)');
//  Known failures (CONFORMANCE_EXPECTED_FAILURES: a file of "model variant  # reason"
//  lines) are reported as XFAIL, strictly: a listed cell that passes fails the
//  run too, so the list can only shrink as the gateway gets fixed.
const expected = new Map();
if (process.env.CONFORMANCE_EXPECTED_FAILURES) {
    for (const line of fs.readFileSync(process.env.CONFORMANCE_EXPECTED_FAILURES, 'utf8').split('\n')) {
        const [cellPart, reason = ''] = line.split('#');
        const [model, variant] = cellPart.trim().split(/\s+/);
        if (model && variant) expected.set(`${model} ${variant}`, reason.trim());
    }
}
const unexpectedPass = [];
for (const r of results) {
    const key = `${r.model} ${r.variant}`;
    if (!expected.has(key)) continue;
    if (r.status === 'FAIL') { r.status = 'XFAIL'; r.reasons = [`known: ${expected.get(key)}`, ...r.reasons]; }
    else if (r.status === 'PASS') unexpectedPass.push(r);
}
for (const key of expected.keys())
    if (!results.some(r => `${r.model} ${r.variant}` === key)) unexpectedPass.push({ model: key, variant: '(not in this run)' });
const xfailed = results.filter(r => r.status === 'XFAIL');
const failed = results.filter(r => r.status === 'FAIL');
const skipped = results.filter(r => r.status === 'SKIP');
const passed = results.filter(r => r.status === 'PASS');
if (failed.length) {
    lines.push('', 'Failures:');
    md.push('## Failures', '');
    for (const r of failed) {
        const l = `  ${r.model} ${r.variant}: ${r.reasons.join(' | ')}`;
        lines.push(l.length > 600 ? l.slice(0, 600) + '…' : l);
        md.push(`- **${r.model}** \`${r.variant}\`: ${r.reasons.join('; ')}`);
    }
}
if (xfailed.length) {
    lines.push('', 'Known failures (XFAIL, tests/conformance/expected-failures.txt):');
    for (const r of xfailed) lines.push(`  ${r.model} ${r.variant}: ${r.reasons[0]}`);
}
if (unexpectedPass.length) {
    lines.push('', 'Listed as known failures but did not fail (remove them from the list):');
    for (const r of unexpectedPass) lines.push(`  ${r.model} ${r.variant}`);
}
if (skipped.length) {
    lines.push('', 'Skipped (as in one-api):');
    for (const r of skipped) lines.push(`  ${r.model} ${r.variant}: ${r.reasons[0]}`);
}
const warnings = new Map();
for (const r of results) for (const u of r.upstream ?? []) for (const w of u.warnings ?? []) warnings.set(`${u.provider}: ${w}`, (warnings.get(`${u.provider}: ${w}`) ?? 0) + 1);
if (warnings.size) {
    lines.push('', 'Upstream warnings (tolerated by the provider, worth a look):');
    for (const [w, n] of warnings) lines.push(`  ${w} (${n}×)`);
}
lines.push('', `matrix: ${passed.length} passed, ${failed.length} failed, ${xfailed.length} known failures, ${skipped.length} skipped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(lines.join('\n'));
if (process.env.CONFORMANCE_OUT) {
    fs.mkdirSync(process.env.CONFORMANCE_OUT, { recursive: true });
    fs.writeFileSync(path.join(process.env.CONFORMANCE_OUT, 'matrix.json'), JSON.stringify(results, null, 1));
    fs.writeFileSync(path.join(process.env.CONFORMANCE_OUT, 'matrix.md'), md.join('\n') + '\n');
}
process.exit(failed.length || unexpectedPass.length ? 1 : 0);
