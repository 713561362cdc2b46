// Every worker thread's entry: libvips's thread count first, then tsx's loader for this thread
// and the thread's TypeScript module. sharp sets that count (process-wide) to 1 whenever a
// thread loads it on glibc without jemalloc, so without this the first thread to start would
// silently take SHARP_CONCURRENCY from every image operation in the process. sharp is loaded
// here, before the module (which gets this same instance), and the count set back before the
// thread can answer anything.
import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { register } from 'tsx/esm/api';

// A worker thread's data, or a child process's (src/lib/worker-host.ts).
const data = workerData ?? JSON.parse(process.env.MASKGRAPH_CHILD_DATA ?? 'null');
if (typeof data?.imageConcurrency === 'number') sharp.concurrency(data.imageConcurrency);

export async function runThread(moduleUrl) {
  register();
  await import(moduleUrl);
}
