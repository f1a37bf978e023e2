import { stylesheet, script } from './assets';
import { html, type Html } from '../../html/html';

export interface NavItem {
  href: string;
  label: string;
}

export interface LayoutOptions {
  title: string;
  /** The console's root as the browser sees it (`/admin`, or `/prefix/admin` behind a proxy path). */
  root: string;
  body: Html;
  /** Signed-in pages: the navigation, and the CSRF field for the sign-out button. */
  nav?: { items: NavItem[]; current: string; csrfField: Html };
  notice?: { text: string; error?: boolean };
}

/** The whole document: one stylesheet, one script, no inline code (the CSP allows neither). */
export function layout(options: LayoutOptions): Html {
  const { root, nav, notice } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · Hookport</title>
<link rel="stylesheet" href="${root}/assets/${stylesheet.name}">
<script src="${root}/assets/${script.name}" defer></script>
</head>
<body>
<header>
<a class="brand" href="${root}">Hookport</a>
${
  nav
    ? html`<nav>${nav.items.map(
        (item) =>
          html`<a href="${item.href}"${item.href === nav.current ? html` aria-current="page"` : ''}>${item.label}</a>`,
      )}</nav>
<form method="post" action="${root}/sign-out">${nav.csrfField}<button type="submit">Sign out</button></form>`
    : ''
}
</header>
<main>
${notice ? html`<p class="notice${notice.error ? ' error' : ''}" role="status">${notice.text}</p>` : ''}
${options.body}
</main>
</body>
</html>
`;
}
