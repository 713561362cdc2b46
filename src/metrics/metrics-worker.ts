/** Worker-thread side of MetricsWorker: scores a mask pair, or estimates a mask's quality. */
import { parentPort } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { computeHce } from './hce.js';
import { estimateMaskQuality } from './mask-estimates.js';
import { scoreMaskPair } from './score-files.js';

export type WorkerRequest =
  | { id: number; kind: 'score'; gt: Uint8Array; pred: Uint8Array; width: number; height: number }
  | { id: number; kind: 'estimate'; mask: Uint8Array; reference: Uint8Array | undefined; width: number; height: number };

async function handle(request: WorkerRequest): Promise<unknown> {
  if (request.kind === 'score') {
    const { score, suite } = await scoreMaskPair(request.gt, request.pred, request.width, request.height);
    // The curves let a dataset reduce as the official evaluators do (max of the mean curve).
    return { ...score, fmCurve: Array.from(suite.fm.curve), emCurve: Array.from(suite.em.curve) };
  }
  const estimates = estimateMaskQuality(request.mask, request.width, request.height);
  // Another model's mask stands in for the ground truth: their disagreement, in HCE's units.
  const disagreement = request.reference ? await computeHce(request.reference, request.mask, request.width, request.height, { variant: 'dis' }) : undefined;
  return { ...estimates, disagreementHce: disagreement?.hce };
}

parentPort!.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: serialiseError(error) }),
  );
});
