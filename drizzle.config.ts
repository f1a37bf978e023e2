import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL here; start-up applies it (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  // Shared tables, then each provider's own.
  schema: ['./src/db/tables', './providers/**/tables.ts'],
  out: './migrations',
});
