/**
 * Placeholders and colours of assets (`Asset.placeholder`, `Asset.colors`): computed on a
 * render thread from the preview proxies after upload and again when the asset's latest mask changed, stored, and
 * read in one statement per page. A read never waits for the computation: it answers what
 * is stored (null before the first) and starts the computation when that is missing or stale.
 */
import type { RenderPool } from '../effects/render-pool.js';
import type { Logger } from '../lib/logger.js';
import { THUMBHASH_SIDE } from '../effects/summarise.js';
import type { ProxyService } from './proxy.service.js';
import type { AssetRecord, AssetSummaryRecord } from '../storage/records.js';
import type { AssetSummaryRepository } from '../storage/repositories/asset-summary.repository.js';

export class SummaryService {
  /** Per asset: the computation running in this process. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly summaries: AssetSummaryRepository,
    /** The photo and mask, from their preview proxies: a summary reads 100 px of each. */
    private readonly proxies: Pick<ProxyService, 'source'>,
    private readonly pool: RenderPool,
    private readonly logger: Logger,
  ) {}

  findMany(assetIds: readonly string[]): Promise<(AssetSummaryRecord | null)[]> {
    return this.summaries.findMany(assetIds);
  }

  /** Starts computing when `stored` is missing or was made from another mask than `maskSha256`; never throws. */
  refreshIfStale(asset: AssetRecord, stored: AssetSummaryRecord | null, maskSha256: string | null): void {
    if (stored && stored.maskSha256 === maskSha256) return;
    if (this.running.has(asset.id)) return;
    const work = this.compute(asset, maskSha256)
      .catch((error: unknown) => this.logger.warn('asset summary failed', { assetId: asset.id, error }))
      .finally(() => this.running.delete(asset.id));
    this.running.set(asset.id, work);
  }

  /** Resolves when the computations this process started have finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.running.values());
  }

  private async compute(asset: AssetRecord, maskSha256: string | null): Promise<void> {
    const size = { width: THUMBHASH_SIDE, height: THUMBHASH_SIDE };
    const [photo, mask] = await Promise.all([
      this.proxies.source('photo', asset, size),
      maskSha256 ? this.proxies.source('mask', { sha256: maskSha256, width: asset.width, height: asset.height }, size) : undefined,
    ]);
    const summary = await this.pool.summarise(photo, mask);
    await this.summaries.save({ assetId: asset.id, maskSha256, ...summary });
  }
}
