// Subscription content filters (Hookdeck's syntax): the rules are in filter-syntax.ts.
export { FILTER_LIMITS, FilterError, type EventFilter } from './filter-syntax';
export { parseFilter } from './filter-parse';
export { matchesFilter } from './filter-match';
