#!/usr/bin/env node
//  Prints the SQL that seeds the conformance database: one user, one unlimited
//  token, and one channel per model family pointing at its strict-upstream port.
//  usage: node seed.mjs <strict-upstream output file> <token key (48 chars, no sk-)>
import fs from 'node:fs';
import { FAMILIES, PROVIDERS, STEERED } from './lib/config.mjs';

const [outFile, key] = process.argv.slice(2);
const ports = {};
for (const line of fs.readFileSync(outFile, 'utf8').split('\n')) {
    const m = line.match(/^strict (\S+) (\d+) /);
    if (m) ports[m[1]] = Number(m[2]);
}
const q = s => `'${String(s).replace(/'/g, "''")}'`;
const now = Math.floor(Date.now() / 1000);
const sql = [
    `INSERT INTO users (id, username, password, display_name, role, status, quota, "group", aff_code)
     VALUES (11, 'conformance', '', 'conformance', 1, 1, 500000000000, 'default', 'conf');`,
    `INSERT INTO tokens (id, user_id, key, status, name, created_time, accessed_time, expired_time, remain_quota, unlimited_quota, used_quota)
     VALUES (110, 11, ${q(key)}, 1, 'conformance', ${now}, ${now}, -1, 0, 1, 0);`,
];
const byProvider = new Map();
for (const f of FAMILIES) {
    if (!byProvider.has(f.provider)) byProvider.set(f.provider, { type: f.type, config: f.config ?? '', models: [] });
    byProvider.get(f.provider).models.push(f.model);
}
let id = 20;
for (const [provider, ch] of byProvider) {
    if (!ports[provider]) throw new Error(`no strict-upstream port for ${provider}`);
    const models = [...ch.models, ...(STEERED[provider] ?? [])].join(',');
    sql.push(`INSERT INTO channels (id, type, key, status, name, weight, created_time, base_url, models, "group", priority, config)
     VALUES (${id++}, ${ch.type}, ${q(PROVIDERS[provider])}, 1, ${q('conf-' + provider)}, 1, ${now},
             ${q(`http://127.0.0.1:${ports[provider]}`)}, ${q(models)}, 'default', 0, ${q(ch.config)});`);
}
console.log(sql.join('\n'));
