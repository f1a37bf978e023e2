import type { Logger } from 'winston';
import type { Config } from '../config/config';
import type { Db } from '../db/client';
import type { Html } from '../html/html';
import type { AuditBy } from '../audit/entry';

/** What a console page is given on each request. */
export interface ConsoleContext {
  config: Config;
  db: Db;
  logger: Logger;
  /** The query string (first value of each name). */
  query: Readonly<Record<string, string>>;
  /** The submitted form (POST only; empty on GET). */
  form: Readonly<Record<string, string>>;
  /** The hidden CSRF field every form that posts must carry. */
  csrfField: Html;
  /** This page's path as the browser sees it, for links and form actions. */
  url: string;
  /** The signed-in operator, for the audit log of what `act` changes. */
  by: AuditBy;
}

/** A page's content: rendered inside the console layout, with an optional notice above it. */
export interface ConsoleView {
  body: Html;
  /** HTTP status (default 200). */
  status?: number;
}

/** What a form post did: a line to show above the page, re-rendered; or a question to confirm first. */
export type ConsoleOutcome =
  | { notice: string }
  | { error: string; status?: number }
  /**
   * Asks the operator to confirm (a dialog with JavaScript, a page without); the form is sent again with confirmed=yes.
   */
  | { confirm: string };

/**
 * A page a provider adds to the console (e.g. its webhook registrations at the provider's API), at
 * /admin/providers/<provider>/<path>, listed in the console's navigation. Posts reach `act` only
 * from a signed-in operator with the session's CSRF token.
 */
export interface ConsolePage {
  /** One path segment: a-z, 0-9, dashes. */
  path: string;
  /** Its navigation label and heading, e.g. "Webhooks". */
  title: string;
  render(context: ConsoleContext): Promise<ConsoleView>;
  act?(context: ConsoleContext): Promise<ConsoleOutcome>;
}
