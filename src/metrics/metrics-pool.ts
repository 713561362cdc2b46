/**
 * Mask scoring on worker threads, so a large mask (HCE takes ~4 s at 12 MP) never stalls
 * the event loop, shared fairly between owners: one thread per core (METRICS_THREADS), each
 * started on first use at low priority; an owner holds at most all threads but one, and the
 * threads go round the owners in turn, interactive work (corrections, quality reads) before
 * batch work (evaluations, review priorities). So another owner's confirmMask waits for at
 * most one computation, whatever one owner has queued.
 *
 * A per-call pixel budget (METRICS_MAX_PIXELS) refuses masks whose scoring would hold a
 * thread too long: PAYLOAD_TOO_LARGE, naming the budget.
 */
import { AppError } from '../errors.js';
import { FairScheduler, type Lane } from '../lib/fair-scheduler.js';
import { ThreadClient } from '../lib/thread-client.js';
import type { HceParts, HcePoints } from './hce.js';
import type { MaskStats } from './mask-stats.js';
import type { MaskEstimates } from './mask-estimates.js';
import type { WorkerRequest } from './metrics-worker.js';
import type { ImageScore } from './score-files.js';

export type MaskScore = Omit<ImageScore, 'name'> & { fmCurve: number[]; emCurve: number[] };
export type MaskEstimate = MaskEstimates & { disagreementHce: number | undefined };

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Whose work it is and how urgent: interactive work is served before batch work. */
export interface MetricsCaller {
  ownerId: string;
  lane: Lane;
}

export interface MetricsPoolOptions {
  threads: number;
  /** Largest mask (width × height) one call may score. */
  maxPixels: number;
  /** Calls one owner may have waiting; more are BUSY. */
  maxWaitingPerOwner?: number;
}

export class MetricsPool {
  private readonly threads: ThreadClient<RequestBody>[];
  private readonly scheduler: FairScheduler;

  constructor(private readonly options: MetricsPoolOptions) {
    this.threads = Array.from({ length: Math.max(1, options.threads) }, () => new ThreadClient<RequestBody>(new URL('./metrics-worker.mjs', import.meta.url)));
    this.scheduler = new FairScheduler({ slots: this.threads.length, maxWaitingPerOwner: options.maxWaitingPerOwner ?? 64, what: 'mask scorings' });
  }

  private async request<T>(caller: MetricsCaller, body: RequestBody & { width: number; height: number }): Promise<T> {
    const pixels = body.width * body.height;
    if (pixels > this.options.maxPixels) {
      throw new AppError('PAYLOAD_TOO_LARGE', `This mask has ${pixels} pixels; masks are scored up to ${this.options.maxPixels} pixels (METRICS_MAX_PIXELS)`, {
        details: { pixels, maxPixels: this.options.maxPixels },
      });
    }
    return this.scheduler.run(caller.ownerId, caller.lane, (slot) => this.threads[slot]!.request<T>(body));
  }

  /** Scores an 8-bit prediction against an 8-bit ground truth of the same size. */
  score(caller: MetricsCaller, gt: Uint8Array, pred: Uint8Array, width: number, height: number): Promise<MaskScore> {
    return this.request(caller, { kind: 'score', gt, pred, width, height });
  }

  /** Where HCE's clicks go (the DIS script's variant) for a prediction against a ground truth. */
  locateHce(caller: MetricsCaller, gt: Uint8Array, pred: Uint8Array, width: number, height: number): Promise<HcePoints> {
    return this.request(caller, { kind: 'locate-hce', gt, pred, width, height });
  }

  /**
   * What a corrected mask cost: HCE (the DIS script's variant) of the model's mask against it,
   * and how many pixels differ from the version it was made from; and its `maskStats`.
   */
  correctionEffort(
    caller: MetricsCaller,
    corrected: Uint8Array,
    model: Uint8Array,
    parent: Uint8Array,
    width: number,
    height: number,
  ): Promise<HceParts & { pixelsChanged: number; stats: MaskStats }> {
    return this.request(caller, { kind: 'correction', corrected, model, parent, width, height });
  }

  /** Quality signals of a mask without ground truth; `reference` (another model's mask) adds their disagreement HCE. */
  estimate(caller: MetricsCaller, mask: Uint8Array, reference: Uint8Array | undefined, width: number, height: number): Promise<MaskEstimate> {
    return this.request(caller, { kind: 'estimate', mask, reference, width, height });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}
