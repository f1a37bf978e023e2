import type { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import type { AdminClient } from './admin-client';
import { eventId } from './format';
import { parseSince } from './list';

export interface ReplayOptions {
  status?: string;
  provider?: string;
  type?: string;
  since?: string;
  dryRun?: boolean;
}

/** Replays one event by id, or every event matching the filters (at least one is required). */
export async function replayEvents(
  ctx: CliContext,
  connect: () => AdminClient,
  id: string | undefined,
  options: ReplayOptions,
): Promise<number> {
  const filters = {
    status: options.status,
    provider: options.provider,
    type: options.type,
    since: parseSince(options.since),
  };
  const filtered = Object.values(filters).some((v) => v !== undefined);
  if (id !== undefined) {
    if (filtered || options.dryRun)
      throw new CliError('give an event id, or filters (--status dead …), not both', EXIT.usage);
    const path = `/admin/api/events/${eventId(id)}/replay`;
    const { status, json } = await connect().call('POST', path);
    if (status === 404) throw new CliError(`no such event: ${id}`, EXIT.failed);
    ctx.out.write(`replaying ${String(json.id ?? id)} (now ${String(json.status ?? 'pending')})\n`);
    return EXIT.ok;
  }
  if (!filtered)
    throw new CliError(
      'give an event id, or at least one filter, e.g. hookport events replay --status dead',
      EXIT.usage,
    );
  const body = {
    ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
    ...(options.dryRun ? { dryRun: true } : {}),
  };
  const client = connect();
  const { status, json } = await client.call('POST', '/admin/api/events/replay', body);
  if (status === 404)
    throw new CliError(
      `${client.origin} has no admin replay API (answered 404): is it Hookport, and recent enough?`,
      EXIT.failed,
    );
  const matched = Number(json.matched ?? 0);
  ctx.out.write(
    options.dryRun
      ? `matched ${matched} (dry run: nothing replayed)\n`
      : `matched ${matched}, replayed ${Number(json.replayed ?? 0)}\n`,
  );
  return EXIT.ok;
}
