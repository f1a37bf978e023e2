/*
 * Reading what a form posted, the same way on every screen: a field is a string or absent, never an
 * array or an object smuggled in by a crafted request.
 */

import type { NextFunction, Request, Response } from 'express';
import { html } from '../../html/html';
import { unstorablePlace, unstorableMessage } from '../../text/storable-text';
import { layout } from './layout';

/** A query or form as single strings: the first of a repeated key, nothing that is not text. */
export function firstValues(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

/** A posted field as text; empty when it is absent or not text. */
export const field = (req: Request, name: string): string =>
  typeof req.body?.[name] === 'string' ? (req.body[name] as string) : '';

/** Whether the post came from a confirmation page's "yes". */
export const confirmed = (req: Request): boolean => req.body?.confirmed === 'yes';

/** A field the database cannot store is refused here, for every form, rather than failing its write. */
export const refuseUnstorable = (root: string) => (req: Request, res: Response, next: NextFunction) => {
  const place = req.method === 'POST' ? unstorablePlace(req.body) : null;
  if (place === null) return next();
  res
    .status(400)
    .type('html')
    .send(
      layout({ title: 'Not saved', root, body: html`<h1>Not saved</h1><p>${unstorableMessage(`field ${place}`)}.</p>` })
        .text,
    );
};
