import { html, type Html } from '../../../html/html';

/** The sign-in form: the operator types ADMIN_TOKEN. */
export function signInPage(o: { root: string; next: string; error?: string }): Html {
  return html`<div class="signin card">
<h1>Sign in to Hookport</h1>
${o.error ? html`<p class="notice error" role="alert">${o.error}</p>` : ''}
<form method="post" action="${o.root}/sign-in">
<input type="hidden" name="next" value="${o.next}">
<label>Admin token<input type="password" name="token" autocomplete="off" required autofocus spellcheck="false"></label>
<button type="submit" class="primary">Sign in</button>
<p class="muted">The value of <code>ADMIN_TOKEN</code> on this server. The session lasts 12 hours, or until you sign out.</p>
</form>
</div>`;
}
