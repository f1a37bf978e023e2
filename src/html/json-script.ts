import { raw, type Html } from './html';

/** Characters that could end the block or confuse an HTML parser, as JSON escapes (the JSON means the same). */
const UNSAFE: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Data for a page's own script: `<script type="application/json">` is never run, so the CSP
 * (no inline script) allows it, and no value inside can close the element.
 */
export function jsonScript(value: unknown, attribute: string): Html {
  const json = JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => UNSAFE[c]!);
  if (!/^[a-z][a-z0-9-]*(="[a-z0-9-]*")?$/.test(attribute)) throw new Error(`not a plain attribute: ${attribute}`);
  return raw(`<script type="application/json" ${attribute}>${json}</script>`);
}
