/** Form fields as twilio-node signs them: repeated keys become arrays, values untouched. */
export function formParams(body: Buffer): Record<string, string | string[]> {
  // No prototype: a field named toString, constructor or __proto__ is a field like any other, not
  // an inherited value to append to (which broke the signature of such a form).
  const params: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[key] = [existing, value];
  }
  return params;
}

/** A JSON body is signed through the `bodySHA256` query parameter instead of form fields. */
export function isJsonSigned(url: string, contentType: string | undefined): boolean {
  return /[?&]bodySHA256=/.test(url) || (contentType ?? '').toLowerCase().includes('application/json');
}
