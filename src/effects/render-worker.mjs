// Worker entry: the TypeScript worker, run through the shared thread entry (src/lib/thread-entry.mjs).
import { runThread } from '../lib/thread-entry.mjs';

await runThread(new URL('./render-worker.ts', import.meta.url).href);
