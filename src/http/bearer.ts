import type { Request } from 'express';
import { secretsEqual } from '../crypto/secure-compare';

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
export function bearerMatches(req: Request, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  return secretsEqual(given, token);
}
