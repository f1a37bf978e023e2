import type { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import type { AdminClient } from './admin-client';
import { eventId, prettyBody } from './format';

/** One event: its summary, its headers (redacted as stored), its canonical events, and its body. */
export async function showEvent(ctx: CliContext, connect: () => AdminClient, id: string): Promise<number> {
  const path = `/admin/api/events/${eventId(id)}`;
  const { status, json: event } = await connect().call('GET', path);
  if (status === 404) throw new CliError(`no such event: ${id}`, EXIT.failed);
  const field = (name: string) => (event[name] === null || event[name] === undefined ? '-' : String(event[name]));
  const lines = [
    `id:          ${field('id')}`,
    `provider:    ${field('provider')}`,
    `type:        ${field('eventType')}`,
    `status:      ${field('status')}`,
    `attempts:    ${field('attempts')}`,
    `dedupe key:  ${field('dedupeKey')}`,
    `received:    ${field('receivedAt')}`,
    `processed:   ${field('processedAt')}`,
    `last error:  ${field('lastError')}`,
    '',
    'headers:',
    ...Object.entries((event.headers as Record<string, unknown> | undefined) ?? {}).map(
      ([name, value]) => `  ${name}: ${String(value)}`,
    ),
  ];
  const canonical =
    (event.canonicalEvents as { id: string; type: string; occurredAt: string | null }[] | undefined) ?? [];
  if (canonical.length > 0)
    lines.push('', 'canonical events:', ...canonical.map((c) => `  ${c.type}  ${c.occurredAt ?? '-'}  ${c.id}`));
  ctx.out.write(`${lines.join('\n')}\n\nbody:\n${prettyBody(event)}`);
  return EXIT.ok;
}
