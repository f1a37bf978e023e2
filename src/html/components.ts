import { html, type Html } from './html';

/** A status word as a coloured badge (the class is the word itself, so CSS picks the colour). */
export const badge = (status: string, label = status) =>
  html`<span class="badge ${status.replace(/[^a-z_-]/gi, '')}">${label}</span>`;

/** An ISO time as UTC text, with how long ago. */
export function time(iso: string | null | undefined, now = Date.now()): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  const at = new Date(iso);
  const text = at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return html`<time datetime="${at.toISOString()}" title="${text}">${ago(now - at.getTime())}</time>`;
}

/** How long ago (`ms` > 0) or how far ahead (`ms` < 0), roughly: "5 min ago", "in 59 min". */
export function ago(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 2) return 'just now';
  const span =
    s < 60
      ? `${s}s`
      : s < 3600
        ? `${Math.floor(s / 60)} min`
        : s < 86400
          ? `${Math.floor(s / 3600)} h`
          : `${Math.floor(s / 86400)} d`;
  return ms < 0 ? `in ${span}` : `${span} ago`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export interface PostFormOptions {
  action: string;
  csrfField: Html;
  button: string;
  /** Hidden fields sent with it. */
  fields?: Readonly<Record<string, string>>;
  /** Ask before sending (see ConsoleOutcome's confirm). */
  confirm?: string;
  kind?: 'primary' | 'danger';
}

/** A one-button form that posts, with the CSRF field and, when asked, a confirmation. */
export function postForm(o: PostFormOptions): Html {
  return html`<form class="inline" method="post" action="${o.action}"${o.confirm ? html` data-confirm="${o.confirm}"` : ''}>${o.csrfField}${Object.entries(
    o.fields ?? {},
  ).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}${
    o.confirm ? html`<input type="hidden" name="confirmed" value="">` : ''
  }<button type="submit"${o.kind ? html` class="${o.kind}"` : ''}>${o.button}</button></form>`;
}

/** The page shown instead of acting, when a confirmation was needed and JavaScript did not ask it. */
export function confirmPage(
  question: string,
  action: string,
  csrfField: Html,
  form: Readonly<Record<string, string>>,
  back: string,
): Html {
  const fields = Object.entries(form).filter(([name]) => name !== '_csrf' && name !== 'confirmed');
  return html`<h1>Please confirm</h1>
<div class="card"><p>${question}</p>
<form method="post" action="${action}" class="row">${csrfField}${fields.map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<input type="hidden" name="confirmed" value="yes"><button type="submit" class="danger">Yes, go ahead</button> <a href="${back}">Cancel</a></form></div>`;
}
