import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../src/provider';
import { jobberOauthStates } from '../records/tables';

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * A fresh OAuth `state` (256 random bits), valid for ten minutes. Only its hash is stored, and the
 * lookup is by hash, so no secret string is ever compared in JavaScript.
 */
export async function createOAuthState(db: Db): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await db.delete(jobberOauthStates).where(lte(jobberOauthStates.expiresAt, sql`now()`));
  await db
    .insert(jobberOauthStates)
    .values({ stateHash: hash(state), expiresAt: sql`now() + interval '10 minutes'` as unknown as Date });
  return state;
}

/** True once for a state this server issued and that has not expired; the row is deleted as it is used. */
export async function consumeOAuthState(db: Db, state: string): Promise<boolean> {
  const used = await db
    .delete(jobberOauthStates)
    .where(and(eq(jobberOauthStates.stateHash, hash(state)), gt(jobberOauthStates.expiresAt, sql`now()`)))
    .returning({ stateHash: jobberOauthStates.stateHash });
  return used.length > 0;
}
