// Every table Hookport owns. drizzle-kit reads src/db/tables/ to generate migrations/.
export * from './tables/inbox';
export * from './tables/messages';
export * from './tables/emails';
export * from './tables/canonical';
export * from './tables/thumbtack';
export * from './tables/jobber';
