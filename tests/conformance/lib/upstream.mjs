//  Reads what the strict upstream saw: the requests since a cursor.
export async function cursor (control) {
    const r = await fetch(`${control}/log?since=1e15`);
    return (await r.json()).seq;
}

export async function since (control, seq) {
    const r = await fetch(`${control}/log?since=${seq}`);
    return (await r.json()).records;
}

//  The model the upstream request names (body, Azure deployment, Gemini path).
export function upstreamModel (rec) {
    return rec.deployment ?? rec.pathModel ?? rec.body?.model;
}

//  Does the upstream request carry the image in the provider's own shape?
export function imageReached (rec, b64, mime) {
    const url = `data:${mime};base64,${b64}`;
    const body = rec.body;
    if (!body) return false;
    switch (rec.api) {
    case 'chat':
        return (body.messages ?? []).some(m => Array.isArray(m.content) &&
            m.content.some(p => p.type === 'image_url' && p.image_url?.url === url));
    case 'responses':
        return Array.isArray(body.input) && body.input.some(m => Array.isArray(m.content) &&
            m.content.some(p => p.type === 'input_image' && p.image_url === url));
    case 'anthropic':
        return (body.messages ?? []).some(m => Array.isArray(m.content) &&
            m.content.some(p => p.type === 'image' && p.source?.type === 'base64' && p.source.media_type === mime && p.source.data === b64));
    case 'gemini':
        return (body.contents ?? []).some(c => (c.parts ?? []).some(p => p.inlineData?.mimeType === mime && p.inlineData.data === b64));
    }
    return false;
}
