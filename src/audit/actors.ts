import type { Request } from 'express';
import { addressOf } from '../http/auth-failures';
import type { Session } from '../admin/sessions';
import type { AuditBy } from './entry';

/** A console request: the session's short reference, never its token or cookie. */
export const consoleBy = (req: Request, session: Pick<Session, 'tokenHash'>): AuditBy => ({
  actor: 'console',
  address: addressOf(req),
  session: session.tokenHash.slice(0, 12),
});

/**
 * An admin API request. The CLI calls the API too; a header saying so could be sent by anyone with
 * the token, so every bearer request is `admin-api`.
 */
export const apiBy = (req: Request): AuditBy => ({ actor: 'admin-api', address: addressOf(req) });
