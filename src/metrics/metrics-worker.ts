/** Worker-thread side of MetricsPool: scores a mask pair, a correction's effort, or estimates a mask's quality. */
import { parentPort } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { computeHce } from './hce.js';
import { estimateMaskQuality } from './mask-estimates.js';
import { maskStats } from './mask-stats.js';
import { scoreMaskPair } from './score-files.js';

export type WorkerRequest =
  | { id: number; kind: 'score'; gt: Uint8Array; pred: Uint8Array; width: number; height: number }
  | { id: number; kind: 'estimate'; mask: Uint8Array; reference: Uint8Array | undefined; width: number; height: number }
  | { id: number; kind: 'locate-hce'; gt: Uint8Array; pred: Uint8Array; width: number; height: number }
  | { id: number; kind: 'correction'; corrected: Uint8Array; model: Uint8Array; parent: Uint8Array; width: number; height: number };

async function handle(request: WorkerRequest): Promise<unknown> {
  if (request.kind === 'locate-hce')
    return (await computeHce(request.gt, request.pred, request.width, request.height, { variant: 'dis', locate: true })).points;
  if (request.kind === 'correction') {
    // The effort a correction embodies: HCE of the model's mask against it, and the pixels it
    // changed; with the corrected mask's own numbers (foreground and its box).
    const { corrected, model, parent, width, height } = request;
    let pixelsChanged = 0;
    for (let i = 0; i < corrected.length; i += 1) if (corrected[i] !== parent[i]) pixelsChanged += 1;
    return { ...(await computeHce(corrected, model, width, height, { variant: 'dis' })), pixelsChanged, stats: maskStats(corrected, width, height) };
  }
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

lowerThisThreadsPriority();

parentPort!.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: serialiseError(error) }),
  );
});
