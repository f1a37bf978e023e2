import { html, type Html } from '../../src/provider';
import { createSourceBodySchema, type CreateSourceBody } from './schemas';

/** The kinds the form offers: the presets first, as most senders are one of them. */
export const FORM_KINDS = {
  github: 'GitHub (preset)',
  stripe: 'Stripe (preset)',
  'standard-webhooks': 'Standard Webhooks',
  hmac: 'HMAC of the body',
  basic: 'HTTP Basic',
  bearer: 'Bearer token or API-key header',
} as const;

const given = (form: Readonly<Record<string, string>>, name: string) => {
  const value = (form[name] ?? '').trim();
  return value === '' ? undefined : value;
};

/** Several secrets (rotation) are one a line, newest first. */
function secretOf(form: Readonly<Record<string, string>>): string | string[] | undefined {
  const lines = (form.secret ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length <= 1 ? lines[0] : lines;
}

function verificationOf(form: Readonly<Record<string, string>>): Record<string, unknown> {
  const kind = form.kind ?? '';
  const secret = secretOf(form);
  const opt = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
  switch (kind) {
    case 'github':
    case 'stripe':
      return { preset: kind, ...opt('secret', secret) };
    case 'standard-webhooks':
      return { type: kind, ...opt('secret', secret) };
    case 'hmac':
      return {
        type: kind,
        ...opt('header', given(form, 'header')),
        algorithm: form.algorithm,
        encoding: form.encoding,
        ...opt('prefix', given(form, 'prefix')),
        ...opt('secret', secret),
      };
    case 'basic':
      return { type: kind, ...opt('username', given(form, 'username')), ...opt('password', secret) };
    default:
      return { type: kind, ...opt('header', given(form, 'header')), ...opt('token', secret) };
  }
}

/** The create form's fields as the admin API's body, checked by the same schema; a message when refused. */
export function createBodyOf(form: Readonly<Record<string, string>>): CreateSourceBody | { refused: string } {
  const parsed = createSourceBodySchema.safeParse({
    name: (form.name ?? '').trim(),
    verification: verificationOf(form),
    ...(given(form, 'eventTypePath') ? { eventTypePath: given(form, 'eventTypePath') } : {}),
    ...(given(form, 'dedupeHeader') ? { dedupeHeader: given(form, 'dedupeHeader') } : {}),
    ...(given(form, 'description') ? { description: given(form, 'description') } : {}),
  });
  if (parsed.success) return parsed.data;
  return {
    refused: parsed.error.issues
      .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; '),
  };
}

/** The form: every kind's fields at once (a kind ignores the others'), so it works without JavaScript. */
export function createForm(action: string, csrfField: Html): Html {
  const kinds = Object.entries(FORM_KINDS).map(([value, text]) => html`<option value="${value}">${text}</option>`);
  return html`<form method="post" action="${action}" data-create-source>${csrfField}<input type="hidden" name="op" value="create">
<div class="row"><label>Name<input name="name" required pattern="[a-z0-9-]{1,40}" placeholder="github" size="20"></label>
<label>Verification<select name="kind">${kinds}</select></label></div>
<div class="row"><label>Secret, password or token<textarea name="secret" rows="2" cols="40" autocomplete="off" spellcheck="false"></textarea></label></div>
<p class="muted">One a line, newest first, to accept several while rotating. Standard Webhooks: leave it empty and Hookport generates one, shown once.</p>
<div class="row"><label>Header (HMAC, bearer)<input name="header" placeholder="X-Signature"></label>
<label>Algorithm (HMAC)<select name="algorithm"><option>sha256</option><option>sha1</option><option>sha512</option></select></label>
<label>Encoding (HMAC)<select name="encoding"><option>hex</option><option>base64</option></select></label>
<label>Prefix (HMAC)<input name="prefix" placeholder="sha256="></label>
<label>Username (Basic)<input name="username"></label></div>
<div class="row"><label>Event type path<input name="eventTypePath" placeholder="event.type"></label>
<label>Dedupe header<input name="dedupeHeader" placeholder="X-Delivery-Id"></label>
<label>Description<input name="description" size="40"></label></div>
<button type="submit" class="primary">Create source</button></form>`;
}
