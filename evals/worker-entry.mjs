// Worker-thread entry of the eval pool: the sources are TypeScript run through tsx, as bin/twin.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
