import type { WrittenRow } from '../../src/records/compiled-upsert';
import { emailsReached, messagesReached, newStatusOf } from '../../src/records/reached';

/** A row as the upsert answers it: `changed` holds the earlier values of what this write changed. */
const written = (row: Record<string, unknown>, changed?: Record<string, unknown>): WrittenRow => ({
  row: { provider: 'acme', direction: 'outbound', ...row },
  existed: changed !== undefined,
  changed: changed ?? {},
});

describe('the status a write reached', () => {
  it('is a new row’s status, or a status that outranks the one before', () => {
    expect(newStatusOf(written({ status: 'sent', status_rank: 40 }))).toBe('sent');
    expect(newStatusOf(written({ status: 'delivered', status_rank: 60 }, { status: 'sent', status_rank: 40 }))).toBe(
      'delivered',
    );
    // A row that had no status yet (its rank never set) reaches the first one it gets.
    expect(newStatusOf(written({ status: 'sent', status_rank: 0 }, { status: null }))).toBe('sent');
  });

  it('is nothing for an unchanged status, an equal-rank swap, or no status', () => {
    expect(newStatusOf(written({ status: 'delivered', status_rank: 60 }, { updated_at: 'x' }))).toBeNull();
    expect(newStatusOf(written({ status: 'failed', status_rank: 90 }, { status: 'undelivered' }))).toBeNull();
    expect(newStatusOf(written({ status: null, status_rank: 0 }))).toBeNull();
  });

  it('labels messages, an unknown status as other', () => {
    expect(messagesReached([written({ status: 'warp_speed', status_rank: 0 })])).toEqual([
      { kind: 'message', provider: 'acme', direction: 'outbound', status: 'other' },
    ]);
    expect(messagesReached([written({ status: 'received', status_rank: 50, direction: null })])).toEqual([
      { kind: 'message', provider: 'acme', direction: 'unknown', status: 'received' },
    ]);
  });

  it('counts an email’s first open and first click, never a later one, and no inbound mail', () => {
    const opened = written(
      { status: 'opened', status_rank: 50, first_opened_at: 't1' },
      { status: 'delivered', status_rank: 40, first_opened_at: null },
    );
    expect(emailsReached([opened]).map((r) => r.status)).toEqual(['opened']);
    const again = written({ status: 'opened', status_rank: 50, first_opened_at: 't0' }, { first_opened_at: 't1' });
    expect(emailsReached([again])).toEqual([]);
    const clickedFirst = written({ status: 'clicked', status_rank: 60, first_clicked_at: 't2' });
    expect(emailsReached([clickedFirst]).map((r) => r.status)).toEqual(['clicked']);
    expect(emailsReached([written({ status: 'received', status_rank: 40, direction: 'inbound' })])).toEqual([]);
    // Statuses outside the contract's list (scheduled) are not counted.
    expect(emailsReached([written({ status: 'scheduled', status_rank: 10 })])).toEqual([]);
  });
});
