import { HookportError } from '../errors/hookport-error';
import { sendHttpError } from '../http/errors';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/config';
import type { Db, Executor } from '../db/client';
import { adminSessions } from '../db/tables/operator';
import { secretsEqual } from '../crypto/secure-compare';
import { adminConfigured } from './auth';

/**
 * Console sessions, kept in the database (admin_sessions) so every instance behind a load balancer
 * knows them: the browser holds a random 256-bit token, the table only its SHA-256, the expiry and
 * the session's CSRF token. Sign-out deletes the row, so a copied cookie stops working at once.
 */
export const SESSION_COOKIE = 'hookport_session';
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface Session {
  tokenHash: string;
  csrfToken: string;
  expiresAt: Date;
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** What ties a session to the admin token it was opened with; a session without one never opens. */
const bindingOf = (tokenHash: string, adminToken: string) =>
  createHmac('sha256', adminToken).update(`hookport console session ${tokenHash}`, 'utf8').digest('hex');

/** A new session; the token goes into the cookie and is never stored. */
export async function createSession(
  db: Executor,
  adminToken: string,
  ttlSeconds = SESSION_TTL_SECONDS,
): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const session: Session = {
    tokenHash: digest(token),
    csrfToken: randomBytes(32).toString('base64url'),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  };
  // Expired sessions go as new ones come (an index on expires_at serves this).
  await db.delete(adminSessions).where(lte(adminSessions.expiresAt, sql`now()`));
  await db.insert(adminSessions).values({ ...session, adminTokenBinding: bindingOf(session.tokenHash, adminToken) });
  return { token, session };
}

/**
 * The live session a token opens, if any, while `adminToken` is the token it was signed in with. The
 * lookup is by digest: no token is compared in JavaScript, the binding in constant time.
 */
export async function findSession(
  db: Db,
  token: string | undefined,
  adminToken: string | undefined,
): Promise<Session | null> {
  if (!token || token.length > 100 || adminToken === undefined) return null;
  const [row] = await db
    .select({
      tokenHash: adminSessions.tokenHash,
      csrfToken: adminSessions.csrfToken,
      expiresAt: adminSessions.expiresAt,
      binding: adminSessions.adminTokenBinding,
    })
    .from(adminSessions)
    .where(and(eq(adminSessions.tokenHash, digest(token)), gt(adminSessions.expiresAt, sql`now()`)));
  if (!row?.binding || !secretsEqual(row.binding, bindingOf(row.tokenHash, adminToken))) return null;
  return { tokenHash: row.tokenHash, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, tokenHash));
}

/** A cookie's value from the request, if it carries it. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The path prefix the browser sees: behind a proxy that serves Hookport under a path
 * (PUBLIC_BASE_URL https://x.example/hookport), /admin is /hookport/admin.
 */
export function basePath(config: Config): string {
  return config.publicBaseUrl ? new URL(config.publicBaseUrl).pathname.replace(/\/+$/, '').replace(/;/g, '%3B') : '';
}

/**
 * Set-Cookie values for the session, one per path it is sent to: the console (/admin) and each
 * provider route that requires an operator (e.g. an OAuth connect route), so it reaches nothing else.
 */
export function sessionCookies(
  config: Config,
  paths: readonly string[],
  value: string,
  maxAgeSeconds: number,
): string[] {
  const secure = config.publicBaseUrl?.startsWith('https://') ? '; Secure' : '';
  return paths.map(
    (path) =>
      `${SESSION_COOKIE}=${value}; Max-Age=${maxAgeSeconds}; Path=${basePath(config)}${path}; HttpOnly; SameSite=Strict${secure}`,
  );
}

/** Resolves the request's session into res.locals.session (null when none). */
export async function sessionOf(db: Db, config: Config, req: Request): Promise<Session | null> {
  return findSession(db, readCookie(req, SESSION_COOKIE), config.adminToken);
}

/**
 * Middleware for routes only a signed-in operator may use (a provider's OAuth connect route):
 * 503 admin_not_configured while ADMIN_TOKEN is unset, 401 unauthorized without a live session.
 */
export function requireOperator(config: Config, db: Db): RequestHandler {
  const configured = adminConfigured(config);
  return (req: Request, res: Response, next: NextFunction) => {
    configured(req, res, () => {
      sessionOf(db, config, req).then((session) => {
        if (!session) {
          return sendHttpError(req, res, new HookportError('unauthorized', 'sign in to the console at /admin first'));
        }
        next();
      }, next);
    });
  };
}
