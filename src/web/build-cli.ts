/** `npm run build:web`: bundle the browser app into src/web/dist and print what was written. */
import { buildWeb } from './build';

const started = Date.now();
buildWeb({ minify: !process.argv.includes('--dev') })
  .then((m) => {
    console.log(`web bundle: ${m.js}, ${m.css} (${Date.now() - started} ms)`);
  })
  .catch((err: unknown) => {
    console.error(`web build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
