import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express from 'express';
import { CHARTS_JS } from './charts-script';

/**
 * The console's static files: its stylesheet and scripts, kept in code so a build carries them
 * (no copy step), and the chart library, read from its installed package at start-up (no CDN).
 * Their URLs carry a digest of their content, so they are cached for a year and a new build is
 * fetched at once.
 */
const CSS = `
:root{--fg:#1d2330;--muted:#5f6b7a;--line:#dfe3e8;--bg:#f6f7f9;--card:#fff;--accent:#2456d6;--ok:#17803d;--warn:#a15c00;--bad:#c0262d;--info:#5b4bc4}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
header{display:flex;align-items:center;gap:1.5rem;padding:0 1.25rem;height:48px;background:#141a26;color:#fff}
header .brand{font-weight:650;letter-spacing:.02em;color:#fff}
header nav{display:flex;gap:.25rem;flex:1;overflow-x:auto}
header nav a{color:#c9d2e3;padding:.35rem .6rem;border-radius:5px;white-space:nowrap}
header nav a:hover{background:#263047;text-decoration:none}
header nav a[aria-current=page]{background:#2d3a57;color:#fff}
header form{margin:0}
header button{background:none;border:1px solid #48526a;color:#c9d2e3}
main{max-width:1180px;margin:0 auto;padding:1.25rem}
h1{font-size:1.35rem;margin:.25rem 0 1rem}h2{font-size:1.05rem;margin:1.5rem 0 .6rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin-bottom:1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:.75rem;margin-bottom:1rem}
.stat{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem}
.stat b{display:block;font-size:1.5rem;font-weight:600}.stat span{color:var(--muted);font-size:.85rem}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f5;font-weight:600;font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
tbody th{text-transform:none;letter-spacing:0;font-size:12.5px;color:var(--fg);background:#f7f8fa;width:28%;font-weight:500}
tr:last-child td,tr:last-child th{border-bottom:0}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}code,pre,td.mono,dd.mono,span.mono{font-size:12.5px}
pre{background:#0f1522;color:#e3e9f4;padding:.8rem 1rem;border-radius:6px;overflow:auto;max-height:44rem;white-space:pre-wrap;word-break:break-all}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:99px;font-size:.78rem;font-weight:600;background:#e8ebf0;color:var(--muted)}
.badge.processed,.badge.ok,.badge.enabled,.badge.succeeded,.badge.connected,.badge.synced{background:#e3f4e8;color:var(--ok)}
.badge.pending,.badge.processing,.badge.delivering,.badge.awaiting_sync{background:#e9e6fb;color:var(--info)}
.badge.failed,.badge.disabled,.badge.not-configured{background:#fdf0dc;color:var(--warn)}
.badge.dead,.badge.bad,.badge.disconnected{background:#fde5e6;color:var(--bad)}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}
label{display:flex;flex-direction:column;gap:.2rem;font-size:.8rem;color:var(--muted)}
label.check{flex-direction:row;align-items:center;gap:.35rem;font-size:inherit;color:var(--fg);margin-right:1rem}
td.actions{white-space:nowrap;width:1%}td.actions .row{flex-wrap:nowrap}.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}
input,select{font:inherit;padding:.35rem .5rem;border:1px solid #c5ccd6;border-radius:5px;background:#fff;color:var(--fg)}
button{font:inherit;padding:.38rem .8rem;border-radius:5px;border:1px solid #c5ccd6;background:#fff;cursor:pointer}
a.btn{display:inline-block;padding:.38rem .8rem;border-radius:5px;border:1px solid #c5ccd6;text-decoration:none}
button.primary,a.btn.primary{background:var(--accent);border-color:var(--accent);color:#fff}
button.danger{background:#fff;border-color:var(--bad);color:var(--bad)}
.inline{display:inline}.row{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}.row h1{margin-right:.5rem}
.notice{padding:.6rem .9rem;border-radius:6px;margin-bottom:1rem;background:#e3f4e8;color:#0f5c2b;border:1px solid #b8e0c5}
.notice.error{background:#fde5e6;color:#8c1b20;border-color:#f3bcc0}
.muted{color:var(--muted)}.empty{padding:1.5rem;text-align:center;color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.signin{max-width:380px;margin:10vh auto}.signin form{display:flex;flex-direction:column;gap:.75rem}
svg.chart{width:100%;height:auto;display:block}svg.chart text{font:11px system-ui,sans-serif;fill:#5f6b7a}
.legend{display:flex;gap:1rem;font-size:.8rem;color:var(--muted)}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.pager{margin-top:.75rem}
form.stack{display:flex;flex-direction:column;gap:.6rem;max-width:680px}form.stack input{width:100%}
.secret{border-color:#e0b654;background:#fffaf0}pre.secret-value{font-size:14px;user-select:all}
p.actions form{margin:0}form.stack p{margin:0}h1.mono{overflow-wrap:anywhere}td a.mono{overflow-wrap:anywhere}td.detail{overflow-wrap:anywhere;max-width:32rem}
.swatch-received{background:#2456d6}.swatch-duplicates{background:#9aa5b5}.swatch-rejected{background:#c0262d}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:.75rem}.charts .card{margin:0;min-width:0}
.charts h3{font-size:.95rem;margin:0 0 .5rem}.chart-box:empty{display:none}.chart-box{margin-bottom:.5rem}
.charts details summary{cursor:pointer;color:var(--muted);font-size:.85rem}.charts details{overflow-x:auto}.charts details table{margin-top:.5rem}.charts th,.charts td{padding:.25rem .35rem;white-space:nowrap;font-size:12px;letter-spacing:0}
.stat small{display:block;color:var(--muted);font-size:.78rem}.windows{font-weight:400;font-size:.85rem;margin-left:.75rem}
.windows a[aria-current=true]{font-weight:650;color:var(--fg)}.charts .legend{margin-bottom:.5rem;flex-wrap:wrap;gap:.25rem 1rem}.charts .legend span{white-space:nowrap}.legend[hidden]{display:none}
.swatch-green{background:#17803d}.swatch-amber{background:#a15c00}.swatch-red{background:#c0262d}.swatch-blue{background:#2456d6}.swatch-purple{background:#5b4bc4}
`;

const JS = `"use strict";
// Forms marked data-confirm ask first; the answer travels as confirmed=yes (without JavaScript, the
// server asks on a page of its own instead).
document.addEventListener("submit", function (e) {
  var form = e.target, question = form.getAttribute("data-confirm");
  if (!question) return;
  if (!window.confirm(question)) { e.preventDefault(); return; }
  var field = form.querySelector("input[name=confirmed]");
  if (field) field.value = "yes";
});
`;

interface Asset {
  name: string;
  type: string;
  body: Buffer;
}

const CSS_TYPE = 'text/css; charset=utf-8';
const JS_TYPE = 'text/javascript; charset=utf-8';

function asset(stem: string, ext: string, type: string, content: string | Buffer): Asset {
  const body = typeof content === 'string' ? Buffer.from(content.trim() + '\n', 'utf8') : content;
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { name: `${stem}.${hash}.${ext}`, type, body };
}

/** A file of an installed package, as its author built it. */
const packaged = (path: string) => readFileSync(require.resolve(path));

export const stylesheet = asset('console', 'css', CSS_TYPE, CSS);
export const script = asset('console', 'js', JS_TYPE, JS);
/** uPlot (MIT), for the overview's charts only, and our script that draws them. */
export const chartAssets = {
  library: asset('uplot', 'js', JS_TYPE, packaged('uplot/dist/uPlot.iife.min.js')),
  libraryStyles: asset('uplot', 'css', CSS_TYPE, packaged('uplot/dist/uPlot.min.css')),
  script: asset('charts', 'js', JS_TYPE, CHARTS_JS),
};
const byName = new Map([stylesheet, script, ...Object.values(chartAssets)].map((a) => [a.name, a]));

/** GET /assets/<name>: the files above, immutable. */
export function assetsRouter(): express.Router {
  const router = express.Router();
  router.get('/assets/:name', (req, res) => {
    const found = byName.get(req.params.name);
    if (!found) {
      res.status(404).type('text/plain').send('no such asset');
      return;
    }
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    res.type(found.type).send(found.body);
  });
  return router;
}
