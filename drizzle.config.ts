/** drizzle-kit: `npm run db:generate` writes SQL migrations into drizzle/ from src/store/schema. */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema/index.ts',
  out: './drizzle',
});
