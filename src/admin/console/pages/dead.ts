import type { Db } from '../../../db/client';
import type { listEvents as ListEvents } from '../../../inbox/event-list';
import type { replayMatching as ReplayMatching } from '../../../inbox/replay';
import { postForm } from '../../../html/components';
import { html, type Html } from '../../../html/html';
import { eventTable } from './events';

/** The dead letters: how many, replay them all (with a confirmation), and the newest of them. */
export async function deadPage(o: {
  db: Db;
  root: string;
  csrfField: Html;
  query: Readonly<Record<string, string>>;
  listEvents: typeof ListEvents;
  replayMatching: typeof ReplayMatching;
}): Promise<Html> {
  // A dry run counts exactly what "replay all" would take.
  const [{ matched }, page] = await Promise.all([
    o.replayMatching(o.db, { status: 'dead' }, { dryRun: true }),
    o.listEvents(o.db, { status: 'dead', limit: 50 }),
  ]);
  const plural = matched === 1 ? '' : 's';
  return html`<h1>Dead letters</h1>
<div class="card row">
<div class="stat"><b id="dead-count">${matched}</b><span>dead event${plural}</span></div>
${
  matched > 0
    ? html`<div>${postForm({
        action: `${o.root}/dead/replay`,
        csrfField: o.csrfField,
        button: `Replay all ${matched}`,
        kind: 'danger',
        confirm: `Replay all ${matched} dead event${plural}? Each is processed again from its stored bytes.`,
      })}<p class="muted">Fix the cause first (a setting, a provider connection, a release): each is processed again from its stored bytes.</p></div>`
    : html`<p class="muted">Nothing is dead. Events that fail every attempt, or cannot be read, land here with the reason.</p>`
}
</div>
${
  matched > 0
    ? html`<h2>Newest ${Math.min(matched, 50)}</h2>${eventTable(o.root, page.events)}${
        matched > 50
          ? html`<p class="pager"><a href="${o.root}/events?status=dead">All ${matched} in the event list →</a></p>`
          : ''
      }`
    : ''
}`;
}
