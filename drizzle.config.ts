import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL here; start-up applies it (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/tables',
  out: './migrations',
});
