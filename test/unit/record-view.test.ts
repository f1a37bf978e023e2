import { messageView } from '../../src/events/shared-views';
import { snapshotOf } from '../../src/events/record-view';

/** A messages row as PostgreSQL's to_jsonb writes it (column names, times as text). */
const row = (over: Record<string, unknown> = {}) => ({
  id: 7,
  provider: 'twilio',
  external_id: 'SM1',
  status: 'sent',
  status_rank: 40,
  media: [{ url: 'https://m.example/1', contentType: 'image/png' }],
  created_at: '2026-12-06T19:00:52.123456+00:00',
  updated_at: '2026-12-06T19:00:52.123456+00:00',
  sent_at: null,
  ...over,
});

describe('record views: data.object and data.previous from the rows an upsert returns', () => {
  it('writes times as ISO 8601 in UTC with milliseconds, whatever offset PostgreSQL wrote', () => {
    const cases: [unknown, unknown][] = [
      ['2026-12-06T19:00:52.123456+00:00', '2026-12-06T19:00:52.123Z'],
      ['2026-12-06T19:00:52+00:00', '2026-12-06T19:00:52.000Z'],
      ['2026-12-06T19:00:52.1+00:00', '2026-12-06T19:00:52.100Z'],
      ['2026-12-06T14:00:52.5-05:00', '2026-12-06T19:00:52.500Z'],
      ['infinity', 'infinity'],
      [null, null],
    ];
    for (const [given, shown] of cases)
      expect([given, messageView.object(row({ sent_at: given })).sent_at]).toEqual([given, shown]);
  });

  it('shows every column but the hidden ones, a missing one as null', () => {
    const object = messageView.object(row());
    expect(object).not.toHaveProperty('status_rank');
    expect(object.body).toBeNull();
    expect(Object.keys(object)).toEqual(Object.keys(messageView.schema.shape));
  });

  it('previous: the changed columns the statement named, shown as data.object shows them; bookkeeping left out', () => {
    const changed = {
      status: 'sent',
      status_rank: 40,
      updated_at: '2026-12-06T19:00:52.123456+00:00',
      sent_at: null,
      created_at: '2026-12-06T19:00:52.5+00:00',
    };
    expect(snapshotOf(messageView, { row: row(), existed: true, changed }).previous).toEqual({
      status: 'sent',
      sent_at: null,
      created_at: '2026-12-06T19:00:52.500Z',
    });
  });

  it('a created row has no previous; a row the guard kept has an empty one', () => {
    expect(snapshotOf(messageView, { row: row(), existed: false, changed: {} })).toEqual({
      object: messageView.object(row()),
    });
    expect(snapshotOf(messageView, { row: row(), existed: true, changed: {} })).toEqual({
      object: messageView.object(row()),
      previous: {},
    });
  });
});
