// The shared tables. Providers declare their own in providers/<name>/tables.ts; drizzle-kit reads
// both (drizzle.config.ts) to generate migrations/.
export * from './tables/inbox';
export * from './tables/messages';
export * from './tables/emails';
export * from './tables/canonical';
export * from './tables/operator';
export * from './tables/deliveries';
export * from './tables/suppressions';
export * from './tables/audit';
