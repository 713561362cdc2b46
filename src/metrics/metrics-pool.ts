/**
 * Runs mask scoring on a worker thread, so a large mask (HCE takes ~0.6 s at 2048²) never
 * stalls the server's event loop. One worker, started on first use; requests queue in order.
 */
import { ThreadClient } from '../lib/thread-client.js';
import type { HceParts, HcePoints } from './hce.js';
import type { MaskStats } from './mask-stats.js';
import type { MaskEstimates } from './mask-estimates.js';
import type { WorkerRequest } from './metrics-worker.js';
import type { ImageScore } from './score-files.js';

export type MaskScore = Omit<ImageScore, 'name'> & { fmCurve: number[]; emCurve: number[] };
export type MaskEstimate = MaskEstimates & { disagreementHce: number | undefined };

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class MetricsWorker {
  private readonly thread = new ThreadClient<RequestBody>(new URL('./metrics-worker.mjs', import.meta.url));

  private request<T>(body: RequestBody): Promise<T> {
    return this.thread.request<T>(body);
  }

  /** Scores an 8-bit prediction against an 8-bit ground truth of the same size. */
  score(gt: Uint8Array, pred: Uint8Array, width: number, height: number): Promise<MaskScore> {
    return this.request({ kind: 'score', gt, pred, width, height });
  }

  /** Where HCE's clicks go (the DIS script's variant) for a prediction against a ground truth. */
  locateHce(gt: Uint8Array, pred: Uint8Array, width: number, height: number): Promise<HcePoints> {
    return this.request({ kind: 'locate-hce', gt, pred, width, height });
  }

  /**
   * What a corrected mask cost: HCE (the DIS script's variant) of the model's mask against it,
   * and how many pixels differ from the version it was made from; and its `maskStats`.
   */
  correctionEffort(
    corrected: Uint8Array,
    model: Uint8Array,
    parent: Uint8Array,
    width: number,
    height: number,
  ): Promise<HceParts & { pixelsChanged: number; stats: MaskStats }> {
    return this.request({ kind: 'correction', corrected, model, parent, width, height });
  }

  /** Quality signals of a mask without ground truth; `reference` (another model's mask) adds their disagreement HCE. */
  estimate(mask: Uint8Array, reference: Uint8Array | undefined, width: number, height: number): Promise<MaskEstimate> {
    return this.request({ kind: 'estimate', mask, reference, width, height });
  }

  close(): Promise<void> {
    return this.thread.terminate();
  }
}
