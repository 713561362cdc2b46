/**
 * The asset library: ingest (stream → hash → probe → thumbnail → blob → row), lookup,
 * listing, edits and deletion. Every method takes the owner and never returns or
 * touches another owner's rows.
 */
import type { BlobLocks } from '../storage/blob-locks.js';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { AppError, inputError } from '../errors.js';
import type { SegmentationEvents } from '../events/segmentation-events.js';
import type { WebhookNotifier } from '../webhooks/webhook.service.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { sha256Hex, type BlobStore } from '../storage/blob-store.js';
import type { AssetRecord, ThumbnailRecord } from '../storage/records.js';
import type { ProxyService } from '../images/proxy.service.js';
import type { AssetFilter, AssetRepository } from '../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import { ASSET_ORDERS, decodeCursor, encodeCursor, type AssetOrderName } from './asset-input.js';
import { DEFAULT_THUMBNAIL_SIZE, makeThumbnail, probeImage, type DecodeLimits } from './image.js';
import { receiveUpload } from './receive-upload.js';
import { releaseUnreferenced } from '../storage/blob-release.js';

export interface AssetLimits extends DecodeLimits {
  maxUploadBytes: number;
}

export interface IngestRequest {
  ownerId: string;
  stream: Readable;
  name: string;
  tags: string[];
}

/** A page forward (`first` after a cursor) or backward (`last` before one), Relay's two directions. */
export type AssetPageRequest = {
  ownerId: string;
  order: AssetOrderName;
  filter: AssetFilter;
} & ({ direction: 'forward'; first: number; after?: string | undefined } | { direction: 'backward'; last: number; before?: string | undefined });

export interface AssetPage {
  edges: { cursor: string; node: AssetRecord }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
  totalCount: () => Promise<number>;
}

export class AssetService {
  /** Per (asset, size): concurrent first requests for a thumbnail render it once. */
  private readonly thumbnailLocks = new KeyedMutex();

  /**
   * @param blobLocks per blob hash, shared by every writer of blobs: an upload that reuses
   *   a blob and a delete that frees it never interleave. In process for the embedded
   *   database; PostgreSQL advisory locks when several gateways share one database and
   *   blob store (src/storage/blob-locks.ts), so the rule holds across processes.
   */
  constructor(
    private readonly assets: AssetRepository,
    private readonly references: BlobReferenceRepository,
    private readonly blobs: BlobStore,
    private readonly blobLocks: BlobLocks,
    private readonly limits: AssetLimits,
    private readonly segmentationEvents: SegmentationEvents,
    /** Told of each new asset (asset.created). */
    private readonly webhooks: WebhookNotifier,
    /** Thumbnails decode the photo's preview proxy when they fit in it. */
    private readonly proxies: ProxyService,
  ) {}

  /**
   * Stores an uploaded image and its default thumbnail, then inserts the row. The row is
   * written last, so a failure at any step leaves no row pointing at a missing blob.
   */
  async ingest(request: IngestRequest): Promise<AssetRecord> {
    const staging = this.blobs.tempPath();
    try {
      const file = await receiveUpload(request.stream, staging, this.limits.maxUploadBytes);
      if (file.byteSize === 0) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The uploaded file is empty');
      const probe = await probeImage(staging, this.limits.maxInputPixels);
      const thumbnail = await makeThumbnail(staging, DEFAULT_THUMBNAIL_SIZE, this.limits);
      const thumbnailSha = sha256Hex(thumbnail.bytes);
      const asset = await this.blobLocks.runAll([file.sha256, thumbnailSha], async () => {
        await this.blobs.putFile(staging, file.sha256);
        await this.blobs.put(thumbnail.bytes);
        try {
          return await this.assets.create(
            { ownerId: request.ownerId, name: request.name, tags: request.tags, byteSize: file.byteSize, sha256: file.sha256, ...probe },
            { size: DEFAULT_THUMBNAIL_SIZE, width: thumbnail.width, height: thumbnail.height, byteSize: thumbnail.bytes.length, sha256: thumbnailSha },
          );
        } catch (error) {
          await this.deleteUnreferencedHoldingLocks([file.sha256, thumbnailSha]);
          throw error;
        }
      });
      await this.webhooks.emit(asset.ownerId, 'asset.created', asset.id, {
        asset: {
          id: asset.id,
          name: asset.name,
          mimeType: asset.mimeType,
          width: asset.width,
          height: asset.height,
          byteSize: asset.byteSize,
          sha256: asset.sha256,
          tags: asset.tags,
        },
      });
      return asset;
    } finally {
      await rm(staging, { force: true });
    }
  }

  /** @throws AppError NOT_FOUND when the id is unknown or another owner's. */
  async get(ownerId: string, id: string): Promise<AssetRecord> {
    const asset = await this.assets.findOwned(ownerId, id);
    if (!asset) throw notFound(id);
    return asset;
  }

  /**
   * One page in the order asked for. Backward pages read the opposite order from `before`
   * and turn the rows round. A page that starts from a cursor reports the other side as
   * present (the cursor's own asset lies there) without counting it.
   */
  async list(request: AssetPageRequest): Promise<AssetPage> {
    const sort = ASSET_ORDERS[request.order];
    const backward = request.direction === 'backward';
    const size = backward ? request.last : request.first;
    const cursor = backward ? request.before : request.after;
    const from = cursor === undefined ? undefined : decodeCursor(cursor, request.order);
    const flipped = sort.direction === 'asc' ? 'desc' : 'asc';
    const query = {
      ownerId: request.ownerId,
      ...request.filter,
      sort: { field: sort.field, direction: backward ? flipped : sort.direction },
      ...(from ? { after: { value: from.value, id: from.id } } : {}),
      limit: size + 1, // one extra row tells whether another page exists
    };
    const rows = await this.assets.list(query);
    const page = rows.slice(0, size);
    if (backward) page.reverse();
    const edges = page.map((node) => ({ cursor: encodeCursor(request.order, node[sort.field], node.id), node }));
    const more = rows.length > size;
    return {
      edges,
      hasNextPage: backward ? cursor !== undefined : more,
      hasPreviousPage: backward ? more : cursor !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      totalCount: () => this.assets.count(query),
    };
  }

  async update(ownerId: string, id: string, changes: { name?: string; tags?: string[] }): Promise<AssetRecord> {
    const updated = await this.assets.update(ownerId, id, changes);
    if (!updated) throw notFound(id);
    return updated;
  }

  /**
   * Deletes the asset's rows, then every blob they used that nothing else references; those
   * watching one of its unfinished segmentations are told it is gone, not left waiting.
   */
  async delete(ownerId: string, id: string): Promise<void> {
    const deleted = await this.assets.delete(ownerId, id);
    if (!deleted) throw notFound(id);
    for (const segmentationId of deleted.unfinishedSegmentationIds) await this.segmentationEvents.gone(segmentationId);
    await this.deleteUnreferenced(deleted.blobHashes);
  }

  private deleteUnreferenced(hashes: string[]): Promise<void> {
    return this.blobLocks.runAll(hashes, () => this.deleteUnreferencedHoldingLocks(hashes));
  }

  /** Caller holds the blob locks of `hashes`. */
  private async deleteUnreferencedHoldingLocks(hashes: string[]): Promise<void> {
    await releaseUnreferenced(this.references, this.blobs, hashes);
  }

  /** The thumbnail row for `size`, rendering and storing it on first request. */
  async thumbnail(asset: AssetRecord, size: number): Promise<ThumbnailRecord> {
    const existing = await this.assets.findThumbnail(asset.id, size);
    if (existing) return existing;
    return this.thumbnailLocks.run(`${asset.id}:${size}`, async () => {
      const again = await this.assets.findThumbnail(asset.id, size);
      if (again) return again;
      const scale = Math.min(1, size / Math.max(asset.width, asset.height));
      const fits = { width: Math.round(asset.width * scale), height: Math.round(asset.height * scale) };
      const thumbnail = await makeThumbnail(await this.proxies.source('photo', asset, fits), size, this.limits);
      const sha256 = sha256Hex(thumbnail.bytes);
      return this.blobLocks.run(sha256, async () => {
        await this.blobs.put(thumbnail.bytes);
        try {
          return await this.assets.saveThumbnail(asset.id, {
            size,
            width: thumbnail.width,
            height: thumbnail.height,
            byteSize: thumbnail.bytes.length,
            sha256,
          });
        } catch (error) {
          // The asset was deleted meanwhile; do not leave the new blob behind.
          await this.deleteUnreferencedHoldingLocks([sha256]);
          throw error;
        }
      });
    });
  }

  /** Looks an asset up by id alone: only for routes that already verified a signed URL. */
  findById(id: string): Promise<AssetRecord | null> {
    return this.assets.findById(id);
  }

  /** Sets the focal point crops centre on (x, y from 0 to 1), or with null goes back to the mask's. */
  async setFocalPoint(ownerId: string, id: string, point: { x: number; y: number } | null): Promise<AssetRecord> {
    for (const axis of ['x', 'y'] as const) {
      const value = point?.[axis];
      if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1)) throw inputError(`point.${axis}`, 'a number from 0 to 1', value);
    }
    const asset = await this.assets.setFocalPoint(ownerId, id, point);
    if (!asset) throw notFound(id);
    return asset;
  }

  /** The owner's assets among `ids`, in their order; null for unknown ids and other owners' assets. */
  findOwnedMany(ownerId: string, ids: readonly string[]): Promise<(AssetRecord | null)[]> {
    return this.assets.findOwnedMany(ownerId, ids);
  }
}

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', `No asset with id ${id}`, { details: { id } });
}
