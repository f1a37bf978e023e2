// TEMPORARY stub until the filter module lands (helper branch `filter`).
export type EventFilter = { readonly [key: string]: unknown };
export class FilterError extends Error {}
export function parseFilter(input: unknown): EventFilter {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new FilterError('filter: must be a JSON object');
  return input as EventFilter;
}
export function matchesFilter(_filter: EventFilter, _body: unknown): boolean {
  return true;
}
