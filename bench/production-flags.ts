/**
 * The node flags Hookport runs with in production: `npm start` and the Docker image pass them
 * (test/unit/production-flags.test.ts holds the three to the same list), and so does the bench.
 *
 * At saturation the request path promotes short-lived objects (requests waiting for their commit)
 * into the old generation, and V8 by default lets the old generation grow up to fourfold between
 * major collections and the young one to 3 × 16 MiB, so peak RSS runs to several times the live
 * set. A smaller young generation and a growth of 30 % per collection keep the peak down for a
 * little more CPU per request (the figures: docs/performance.md). Both only work on the command
 * line: NODE_OPTIONS refuses the second, and setting it at run time, after start-up, helps less.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=30'] as const;
