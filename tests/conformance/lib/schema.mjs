//  A small JSON-schema helper: build an instance that satisfies a schema (the
//  strict upstream answers structured-output requests with it) and validate a
//  value against the subset of JSON Schema the matrix payloads use.

const typeOf = s => (typeof s?.type === 'string' ? s.type.toLowerCase() : Array.isArray(s?.type) ? String(s.type[0]).toLowerCase() : undefined);

export function instanceOf (schema, depth = 0) {
    if (!schema || typeof schema !== 'object' || depth > 8) return 'Paris';
    if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
    if (Array.isArray(schema.anyOf) && schema.anyOf.length) return instanceOf(schema.anyOf[0], depth + 1);
    if (Array.isArray(schema.oneOf) && schema.oneOf.length) return instanceOf(schema.oneOf[0], depth + 1);
    const t = typeOf(schema) ?? (schema.properties ? 'object' : 'string');
    switch (t) {
    case 'object': {
        const o = {};
        for (const [k, v] of Object.entries(schema.properties ?? {})) o[k] = instanceOf(v, depth + 1);
        return o;
    }
    case 'array': return [instanceOf(schema.items ?? {}, depth + 1)];
    case 'integer': return Math.max(schema.minimum ?? 0, Math.min(schema.maximum ?? 42, 42));
    case 'number': {
        const lo = schema.minimum ?? 0, hi = schema.maximum ?? 1;
        return Math.min(hi, Math.max(lo, 0.5));
    }
    case 'boolean': return true;
    case 'null': return null;
    default: return 'Paris';
    }
}

//  Returns a list of problems (empty when valid).
export function validate (schema, value, where = '$') {
    const out = [];
    if (!schema || typeof schema !== 'object') return out;
    const t = typeOf(schema);
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    if (t) {
        const ok = t === actual || (t === 'integer' && Number.isInteger(value)) || (t === 'number' && actual === 'number');
        if (!ok) { out.push(`${where}: expected ${t}, got ${actual}`); return out; }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some(e => JSON.stringify(e) === JSON.stringify(value)))
        out.push(`${where}: not in enum`);
    if (actual === 'object') {
        for (const k of schema.required ?? []) if (!(k in value)) out.push(`${where}.${k}: required`);
        const props = schema.properties ?? {};
        for (const [k, v] of Object.entries(value)) {
            if (props[k]) out.push(...validate(props[k], v, `${where}.${k}`));
            else if (schema.additionalProperties === false) out.push(`${where}.${k}: additional property`);
        }
    }
    if (actual === 'array' && schema.items) value.forEach((v, i) => out.push(...validate(schema.items, v, `${where}[${i}]`)));
    if (actual === 'number') {
        if (schema.minimum !== undefined && value < schema.minimum) out.push(`${where}: below minimum`);
        if (schema.maximum !== undefined && value > schema.maximum) out.push(`${where}: above maximum`);
    }
    return out;
}
