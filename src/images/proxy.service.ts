/**
 * Preview proxies (src/images/proxy-image.ts): a photo or mask at most PROXY_MAX_SIDE a side,
 * which a render whose output fits in it decodes instead of the original (a 512 px preview of
 * a 16 MP photo spent most of its time decoding 16 MP). Made once per content hash on a render
 * thread on first need (a photo's right after upload: its placeholder is made from it,
 * src/images/summary.service.ts), and stored as a blob with an ImageProxy row. Renders
 * from a proxy look the same as from the original, so renditions keep their cache keys.
 */
import { LRUCache } from 'lru-cache';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import type { RenderPool } from '../effects/render-pool.js';
import type { AppMetrics } from '../observability/metrics.js';
import type { BlobLocks } from '../storage/blob-locks.js';
import { putWithRow } from '../storage/blob-release.js';
import { readBlob, type BlobStore } from '../storage/blob-store.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import type { ImageProxyRepository } from '../storage/repositories/image-proxy.repository.js';
import { proxySize, type ProxyKind } from './proxy-image.js';

/** A stored image: its blob and oriented size (a mask has its photo's size). */
export interface StoredImage {
  sha256: string;
  width: number;
  height: number;
}

/**
 * Proxies' bytes kept per process, by their source's hash: a proxy never changes, and a
 * preview dragged through a slider's values reads the same two proxies every time (a row
 * lookup, a stat and a read each, otherwise). Small on purpose: it holds about 90 photos'
 * proxies, enough for the previews being worked on, and adds little to a gateway's memory.
 */
const CACHED_PROXY_BYTES = 16 * 1024 ** 2;

export class ProxyService {
  private readonly making = new KeyedMutex();
  private readonly cached = new LRUCache<string, Buffer>({ maxSize: CACHED_PROXY_BYTES, sizeCalculation: (bytes) => Math.max(1, bytes.length) });

  constructor(
    private readonly proxies: ImageProxyRepository,
    private readonly references: BlobReferenceRepository,
    private readonly blobs: BlobStore,
    private readonly blobLocks: BlobLocks,
    private readonly pool: RenderPool,
    /** PROXY_MAX_SIDE; 0: no proxies, every render decodes the original. */
    private readonly maxSide: number,
    private readonly metrics: AppMetrics,
  ) {}

  /**
   * The bytes to render an output of `output` size from: the image's proxy when the output
   * fits within it (made now if it is missing), else the original.
   */
  async source(kind: ProxyKind, image: StoredImage, output: { width: number; height: number }): Promise<Buffer> {
    const size = proxySize(image.width, image.height, this.maxSide);
    if (!size || output.width > size.width || output.height > size.height) {
      this.metrics.renderSources.inc({ source: 'original' });
      return readBlob(this.blobs, image.sha256);
    }
    this.metrics.renderSources.inc({ source: 'proxy' });
    const hit = this.cached.get(image.sha256);
    this.metrics.proxyReads.inc({ from: hit ? 'memory' : 'store' });
    if (hit) return hit;
    const bytes =
      (await this.stored(image.sha256)) ?? (await this.making.run(image.sha256, async () => (await this.stored(image.sha256)) ?? this.make(kind, image, size)));
    this.cached.set(image.sha256, bytes);
    return bytes;
  }

  /** The stored proxy's bytes; undefined when there is none, or its blob is gone (the row is dropped, and it is made again). */
  private async stored(sourceSha256: string): Promise<Buffer | undefined> {
    const row = await this.proxies.find(sourceSha256, this.maxSide);
    if (!row) return undefined;
    if (await this.blobs.has(row.sha256)) return readBlob(this.blobs, row.sha256);
    await this.proxies.delete(sourceSha256, this.maxSide);
    return undefined;
  }

  private async make(kind: ProxyKind, image: StoredImage, size: { width: number; height: number }): Promise<Buffer> {
    const proxy = await this.pool.makeProxy(await readBlob(this.blobs, image.sha256), kind, size);
    await putWithRow({ blobs: this.blobs, blobLocks: this.blobLocks, references: this.references }, proxy.bytes, (sha256) =>
      this.proxies.create({
        sourceSha256: image.sha256,
        maxSide: this.maxSide,
        sha256,
        format: proxy.format,
        width: proxy.width,
        height: proxy.height,
        byteSize: proxy.bytes.length,
      }),
    );
    this.metrics.proxiesMade.inc({ kind });
    return proxy.bytes;
  }
}
