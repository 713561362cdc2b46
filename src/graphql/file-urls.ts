import type { UrlSigner } from '../auth/url-signer.js';
import type { AssetRecord, SegmentationRecord } from '../storage/records.js';

/** Absolute, signed URLs of an asset's files, as served by src/http/file.routes.ts. */
export class FileUrls {
  constructor(
    private readonly signer: UrlSigner,
    private readonly baseUrl: string,
  ) {}

  /** What the URLs made now depend on besides their paths: the host and the current expiry. */
  version(): string {
    return `${this.baseUrl} ${this.signer.currentExpiry()}`;
  }

  original(asset: AssetRecord): string {
    return this.baseUrl + this.signer.sign(`/files/assets/${asset.id}/original`);
  }

  thumbnail(asset: AssetRecord, size: number): string {
    return this.baseUrl + this.signer.sign(`/files/assets/${asset.id}/thumbnails/${size}`);
  }

  groundTruth(assetId: string): string {
    return this.baseUrl + this.signer.sign(`/files/assets/${assetId}/ground-truth`);
  }

  rendition(id: string): string {
    return this.baseUrl + this.signer.sign(`/files/renditions/${id}`);
  }

  mask(segmentation: SegmentationRecord): string {
    return this.baseUrl + this.signer.sign(`/files/segmentations/${segmentation.id}/mask`);
  }

  /** A preset image (src/images/plan.ts): signed for good, since its path names immutable content. */
  image(path: string): string {
    return `${this.baseUrl}/images/${this.signer.signForever(`images${path}`)}${path}`;
  }

  /** A corrected mask version (2 and up); version 1 is `mask`. */
  maskVersion(segmentationId: string, version: number): string {
    return this.baseUrl + this.signer.sign(`/files/segmentations/${segmentationId}/masks/${version}`);
  }
}
