/*
 * How every console screen answers, in one place: so a page is never cached, always has the same
 * layout, and carries the navigation and the sign-out form exactly when the request is signed in.
 */

import type { NextFunction, Request, Response } from 'express';
import type { Session } from '../sessions';
import { html, type Html } from '../../html/html';
import { layout, type NavItem } from './layout';
import { CSRF_FIELD } from './security';

/** A signed-in request: its session, and the hidden field its forms carry (set by the session check). */
export interface Signed {
  session: Session;
  csrfField: Html;
}

/** A line above the page: what a POST did, or why it was refused. */
export interface Notice {
  text: string;
  error?: boolean;
}

/** A page in the layout; `current` is the navigation entry it belongs to. */
export type Send = (
  res: Response,
  status: number,
  title: string,
  body: Html,
  signed?: Pick<Signed, 'csrfField'>,
  current?: string,
  notice?: Notice,
) => void;

/** What each screen's router is given: where the console is, and how to answer. */
export interface Screen {
  root: string;
  send: Send;
}

export function screenOf(root: string, nav: NavItem[]): Screen {
  const send: Send = (res, status, title, body, signed, current = '', notice) => {
    res.setHeader('cache-control', 'no-store');
    res
      .status(status)
      .type('html')
      .send(
        layout({
          title,
          root,
          body,
          notice,
          nav: signed ? { items: nav, current, csrfField: signed.csrfField } : undefined,
        }).text,
      );
  };
  return { root, send };
}

/** The hidden field that proves a form came from one of this session's pages. */
export const csrfFieldOf = (session: Session): Html =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrfToken}">`;

/** The session the session check found (only behind it). */
export const signedOf = (res: Response) => res.locals.signed as Signed;

/** A signed-in route: given the session, its failures go to the console's error page. */
export const page =
  (handler: (req: Request, res: Response, signed: Signed) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction) =>
    handler(req, res, signedOf(res)).catch(next);
