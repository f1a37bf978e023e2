/**
 * A source's body as `data.object`: a JSON object as sent, a form post's fields, and anything
 * else as `{"raw": "<text>"}`. Never throws: whatever a verified sender sent is kept.
 */
export function parseSourceBody(
  body: Buffer,
  headers: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const text = body.toString('utf8');
  const type = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return formFields(text);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: kept as text.
  }
  return { raw: text };
}

/** A form's fields; a name given more than once keeps every value, in order. */
function formFields(text: string): Record<string, unknown> {
  // A Map, then own properties: a field named `__proto__` stays a field.
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = fields.get(name);
    fields.set(name, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return Object.fromEntries(fields);
}
