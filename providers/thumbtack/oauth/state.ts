import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../src/provider';
import { thumbtackOauthStates } from '../tables';

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

/** A fresh OAuth `state` (256 random bits), valid for ten minutes; only its hash is stored. */
export async function createOAuthState(db: Db): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await db.delete(thumbtackOauthStates).where(lte(thumbtackOauthStates.expiresAt, sql`now()`));
  await db
    .insert(thumbtackOauthStates)
    .values({ stateHash: hash(state), expiresAt: sql`now() + interval '10 minutes'` as unknown as Date });
  return state;
}

/** True once for a state this server issued and that has not expired; the row is deleted as it is used. */
export async function consumeOAuthState(db: Db, state: string): Promise<boolean> {
  const used = await db
    .delete(thumbtackOauthStates)
    .where(and(eq(thumbtackOauthStates.stateHash, hash(state)), gt(thumbtackOauthStates.expiresAt, sql`now()`)))
    .returning({ stateHash: thumbtackOauthStates.stateHash });
  return used.length > 0;
}
