import fc from 'fast-check';
import { statementsInLockOrder } from '../../src/records/apply';
import type { RecordChange } from '../../src/contract/record-changes';

const change = (kind: 'email' | 'message', externalId: string, n: number) =>
  ({ kind, externalId, provider: kind === 'email' ? 'resend' : 'twilio', subject: `#${n}` }) as unknown as RecordChange;
const label = (c: RecordChange) => `${c.kind}:${c.externalId}:${(c as unknown as { subject: string }).subject}`;

describe('statementsInLockOrder', () => {
  it('puts one kind in one statement, in id order, and a record changed again in a later statement', () => {
    const statements = statementsInLockOrder([
      change('message', 'm2', 1),
      change('email', 'e2', 2),
      change('email', 'e1', 3),
      change('email', 'e2', 4),
      change('message', 'm1', 5),
      change('email', 'e2', 6),
    ]);
    expect(statements.map((s) => s.map(label))).toEqual([
      ['email:e1:#3', 'email:e2:#2'],
      ['email:e2:#4'],
      ['email:e2:#6'],
      ['message:m1:#5', 'message:m2:#1'],
    ]);
  });

  it('is empty for no changes', () => {
    expect(statementsInLockOrder([])).toEqual([]);
  });

  it('keeps every change once, ids distinct within a statement, each record in its order, locks in (kind, id) order', () => {
    const changes = fc.array(fc.tuple(fc.constantFrom('email', 'message'), fc.constantFrom('a', 'b', 'c', 'd')), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(changes, (specs) => {
        const input = specs.map(([kind, id], n) => change(kind as 'email' | 'message', id, n));
        const statements = statementsInLockOrder(input);
        const flat = statements.flat();
        expect(flat.map(label).sort()).toEqual(input.map(label).sort());
        const firstLock: string[] = [];
        for (const statement of statements) {
          expect(new Set(statement.map((c) => c.kind)).size).toBe(1);
          const ids = statement.map((c) => c.externalId);
          expect(new Set(ids).size).toBe(ids.length);
          expect([...ids].sort()).toEqual(ids);
          for (const c of statement) {
            const key = `${c.kind}\u0000${c.externalId}`;
            if (!firstLock.includes(key)) firstLock.push(key);
          }
        }
        // Rows are first locked in (kind, id) order, whatever order the changes came in.
        expect(firstLock).toEqual([...firstLock].sort());
        // Each record's changes are applied in the order they came.
        for (const key of new Set(input.map((c) => `${c.kind}:${c.externalId}`))) {
          const ofRecord = (list: RecordChange[]) => list.filter((c) => `${c.kind}:${c.externalId}` === key).map(label);
          expect(ofRecord(flat)).toEqual(ofRecord(input));
        }
      }),
    );
  });
});
