import type { Executor } from '../../src/provider';
import {
  escapeMrkdwn as e,
  header,
  queryText,
  message,
  money,
  note,
  section,
  shownOf,
  type SlackMessage,
} from './blocks';
import { clientCard, invoiceDetails, invoiceLine, jobCard } from './cards';
import { findClients, invoicesByNumber, jobsBetween, jobsOfMatchingClients, openJobs, unpaidInvoices } from './queries';

/** How many rows an answer lists; the rest is counted ("showing 5 of 3,000"). */
export const CLIENTS_SHOWN = 5;
export const ROWS_SHOWN = 10;

const HELP = [
  '`/jobber client <name, email or phone>` — a client’s contact, open jobs and unpaid balance',
  '`/jobber jobs [open|today|<client>]` — open jobs (the default), today’s, or a client’s',
  '`/jobber invoices [unpaid|<number>]` — unpaid invoices with their total (the default), or one invoice',
  '`/jobber help` — this list',
];

export function help(intro?: string): SlackMessage {
  return message(
    `${intro ? `${e(intro)} ` : ''}Commands: /jobber client, /jobber jobs, /jobber invoices, /jobber help`,
    [intro ? section(e(intro)) : undefined, section(HELP.join('\n'))],
  );
}

/** The start and end of today, UTC (Hookport keeps no business time zone). */
function today(now: Date): [Date, Date] {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return [start, new Date(start.getTime() + 86_400_000)];
}

async function client(db: Executor, text: string): Promise<SlackMessage> {
  if (text === '') return help('Give a name, an email or a phone number: /jobber client dana');
  const found = await findClients(db, text, CLIENTS_SHOWN);
  const none = `No client matches “${e(text)}”.`;
  if (found.total === 0) return message(none, [section(none)]);
  const summary = `${found.total.toLocaleString('en-US')} client${found.total === 1 ? ' matches' : 's match'} “${e(text)}”`;
  return message(summary, [
    header('Clients'),
    section(summary),
    ...found.rows.flatMap(clientCard),
    shownOf(found.rows.length, found.total),
  ]);
}

async function jobs(db: Executor, text: string, now: Date): Promise<SlackMessage> {
  const word = text.toLowerCase();
  const [title, page] =
    word === '' || word === 'open'
      ? ['Open jobs', await openJobs(db, ROWS_SHOWN)]
      : word === 'today'
        ? ['Today’s jobs', await jobsBetween(db, ...today(now), ROWS_SHOWN)]
        : [`Jobs of clients matching “${e(text)}”`, await jobsOfMatchingClients(db, text, ROWS_SHOWN)];
  if (page.total === 0) return message(`${title}: none.`, [section(`${title}: none.`)]);
  const summary = `${title}: ${page.total.toLocaleString('en-US')}`;
  return message(summary, [
    header('Jobs'),
    section(summary),
    ...page.rows.flatMap(jobCard),
    shownOf(page.rows.length, page.total),
  ]);
}

async function invoices(db: Executor, text: string): Promise<SlackMessage> {
  const word = text.toLowerCase();
  if (word === '' || word === 'unpaid') {
    const page = await unpaidInvoices(db, ROWS_SHOWN);
    if (page.total === 0) return message('No unpaid invoices.', [section('No unpaid invoices.')]);
    const summary = `${page.total.toLocaleString('en-US')} unpaid invoice${page.total === 1 ? '' : 's'}, ${money(page.due)} due in all`;
    return message(summary, [
      header('Unpaid invoices'),
      section(`*${summary}*`),
      ...page.rows.flatMap(invoiceLine),
      shownOf(page.rows.length, page.total),
    ]);
  }
  const number = text.replace(/^#/, '');
  const page = await invoicesByNumber(db, number, ROWS_SHOWN);
  if (page.total === 0) return message(`No invoice #${e(number)}.`, [section(`No invoice #${e(number)}.`)]);
  return message(`Invoice #${e(number)}`, [
    ...page.rows.flatMap(invoiceDetails),
    shownOf(page.rows.length, page.total),
  ]);
}

/** The answer to `/jobber <text>`: the first word is the command, the rest its argument. */
export async function answerCommand(db: Executor, text: string, now = new Date()): Promise<SlackMessage> {
  const trimmed = queryText(text);
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const argument = rest.join(' ');
  switch (word.toLowerCase()) {
    case 'client':
    case 'clients':
      return client(db, argument);
    case 'jobs':
    case 'job':
      return jobs(db, argument, now);
    case 'invoices':
    case 'invoice':
      return invoices(db, argument);
    case '':
    case 'help':
      return help();
    default:
      return help(`Unknown command “${word}”.`);
  }
}

/** Said at once when the answer takes longer than Slack waits; the answer follows at response_url. */
export const LOOKING = message('Looking…', [note('Looking it up; the answer follows in a moment.')]);
