import type { z } from 'zod';
import type { AuditBy } from '../audit/entry';

/** What a handler answers: a status and a body its route's schema for that status describes. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface RouteInput {
  params: Record<string, string>;
  query: unknown;
  body: unknown;
}

/**
 * One admin API route, as data: the router validates with its schemas and the OpenAPI document is
 * written from them.
 */
export interface AdminRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express form, relative to /admin/api (`/events/:id`). */
  path: string;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Answer schemas by status; errors share one schema and are added by the document. */
  responses: Record<number, { description: string; schema: z.ZodType }>;
  /** `by`: who asked (for the audit log of what the route changes). */
  handle(input: { params: never; query: never; body: never; by: AuditBy }): Promise<Answer>;
}

/**
 * Declares a route with its handler typed by its schemas' outputs (what validation yields).
 */
export function route<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
>(def: {
  method: AdminRoute['method'];
  path: string;
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  responses: AdminRoute['responses'];
  handle(input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; by: AuditBy }): Promise<Answer>;
}): AdminRoute {
  return def as unknown as AdminRoute;
}
