/** Asset and thumbnail rows. Every read and write is scoped to an owner. */
import type { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../database.js';
import type { AssetRecord, ThumbnailRecord } from '../records.js';

export type AssetSortField = 'createdAt' | 'name' | 'byteSize' | 'reviewPriority';

/** Which of an owner's assets a query is about. */
export interface AssetFilter {
  tags?: string[];
  nameContains?: string;
  mimeType?: string;
  /** Any of these types (an upload rule's condition). */
  mimeTypes?: string[];
  /** Segmented and not yet corrected, restored or confirmed (true), or the rest (false). */
  needsReview?: boolean;
}

export interface AssetListQuery extends AssetFilter {
  ownerId: string;
  sort: { field: AssetSortField; direction: 'asc' | 'desc' };
  /** Keyset position: rows strictly after (value, id) in the sort order. */
  after?: { value: Date | string | number; id: string };
  limit: number;
}

export interface NewAsset {
  ownerId: string;
  name: string;
  tags: string[];
  mimeType: string;
  width: number;
  height: number;
  orientation: number;
  byteSize: number;
  sha256: string;
}

export type NewThumbnail = Omit<ThumbnailRecord, 'assetId'>;

/**
 * A model's mask exists (a draft's does not count, nor one an upload rule waived), every model mask's review priority is known, and no person has
 * acted on any of the asset's masks. An asset joins the queue only once its priority is
 * estimated (a moment after its mask), so its place in the queue never jumps.
 */
const NEEDS_REVIEW: Prisma.AssetWhereInput = {
  segmentations: { some: { status: 'SUCCEEDED', draftOfId: null, reviewWaived: false }, none: { reviewPriorityPending: true } },
  NOT: { segmentations: { some: { versions: { some: {} } } } }, // version rows are people's work; the model's is the segmentation
};

/** An owner's assets matching a filter, as a Prisma condition (also used by queries that join assets). */
export function assetWhere(query: AssetFilter & { ownerId: string }): Prisma.AssetWhereInput {
  return {
    ownerId: query.ownerId,
    ...(query.tags?.length ? { tags: { hasEvery: query.tags } } : {}),
    ...(query.nameContains ? { name: { contains: query.nameContains, mode: 'insensitive' as const } } : {}),
    ...(query.mimeType ? { mimeType: query.mimeType } : {}),
    ...(query.mimeTypes?.length ? { mimeType: { in: query.mimeTypes } } : {}),
    ...(query.needsReview === undefined ? {} : query.needsReview ? NEEDS_REVIEW : { NOT: NEEDS_REVIEW }),
  };
}

export class AssetRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(asset: NewAsset, thumbnail: NewThumbnail): Promise<AssetRecord> {
    return this.prisma.asset.create({ data: { ...asset, thumbnails: { create: thumbnail } } });
  }

  /** Unscoped lookup, for file routes that verified a signed URL instead of an owner. */
  findById(id: string): Promise<AssetRecord | null> {
    return this.prisma.asset.findUnique({ where: { id } });
  }

  findOwned(ownerId: string, id: string): Promise<AssetRecord | null> {
    return this.prisma.asset.findFirst({ where: { id, ownerId } });
  }

  /** Sets or clears (null) the focal point a person chose; null when the asset is not the owner's. */
  async setFocalPoint(ownerId: string, id: string, point: { x: number; y: number } | null): Promise<AssetRecord | null> {
    const { count } = await this.prisma.asset.updateMany({ where: { id, ownerId }, data: { focalX: point?.x ?? null, focalY: point?.y ?? null } });
    return count === 0 ? null : this.findOwned(ownerId, id);
  }

  /** The owner's assets among `ids`, in their order (null for unknown or another owner's). */
  async findOwnedMany(ownerId: string, ids: readonly string[]): Promise<(AssetRecord | null)[]> {
    const rows = await this.prisma.asset.findMany({ where: { ownerId, id: { in: [...ids] } } });
    return ids.map((id) => rows.find((row) => row.id === id) ?? null);
  }

  list(query: AssetListQuery): Promise<AssetRecord[]> {
    const { field, direction } = query.sort;
    const beyond = direction === 'asc' ? 'gt' : 'lt';
    const keyset: Prisma.AssetWhereInput | undefined = query.after && {
      OR: [{ [field]: { [beyond]: query.after.value } }, { [field]: query.after.value, id: { [beyond]: query.after.id } }],
    };
    return this.prisma.asset.findMany({
      where: keyset ? { AND: [assetWhere(query), keyset] } : assetWhere(query),
      orderBy: [{ [field]: direction }, { id: direction }],
      take: query.limit,
    });
  }

  count(query: AssetListQuery): Promise<number> {
    return this.prisma.asset.count({ where: assetWhere(query) });
  }

  /** Returns null when the asset does not exist or belongs to someone else. */
  async update(ownerId: string, id: string, changes: { name?: string; tags?: string[] }): Promise<AssetRecord | null> {
    const { count } = await this.prisma.asset.updateMany({ where: { id, ownerId }, data: changes });
    return count === 0 ? null : this.findOwned(ownerId, id);
  }

  /** Deletes the asset with its thumbnails and segmentations; returns the blob hashes they used, or null if not found. */
  /** Deletes the asset and its rows; returns the blobs they used and its unfinished segmentations, or null. */
  async delete(ownerId: string, id: string): Promise<{ blobHashes: string[]; unfinishedSegmentationIds: string[] } | null> {
    return this.prisma.$transaction(async (tx) => {
      const asset = await tx.asset.findFirst({
        where: { id, ownerId },
        include: {
          thumbnails: true,
          segmentations: {
            select: { id: true, status: true, maskSha256: true, renditions: { select: { sha256: true } }, versions: { select: { sha256: true } } },
          },
          groundTruth: { select: { sha256: true } },
          imageVariants: { select: { sha256: true } },
        },
      });
      if (!asset) return null;
      await tx.asset.delete({ where: { id } });
      const masks = asset.segmentations.flatMap((segmentation) => [
        ...(segmentation.maskSha256 ? [segmentation.maskSha256] : []),
        ...segmentation.renditions.map((rendition) => rendition.sha256),
        ...segmentation.versions.map((version) => version.sha256),
      ]);
      return {
        blobHashes: [
          asset.sha256,
          ...asset.thumbnails.map((thumbnail) => thumbnail.sha256),
          ...masks,
          ...(asset.groundTruth ? [asset.groundTruth.sha256] : []),
          ...asset.imageVariants.map((variant) => variant.sha256),
        ],
        unfinishedSegmentationIds: asset.segmentations
          .filter((segmentation) => segmentation.status === 'QUEUED' || segmentation.status === 'RUNNING')
          .map((segmentation) => segmentation.id),
      };
    });
  }

  /** The owner's assets that have a ground truth and match the filter, oldest first. */
  listWithGroundTruth(query: Omit<AssetListQuery, 'sort' | 'after' | 'limit'>): Promise<AssetRecord[]> {
    return this.prisma.asset.findMany({
      where: { ...assetWhere(query), groundTruth: { isNot: null } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  findThumbnail(assetId: string, size: number): Promise<ThumbnailRecord | null> {
    return this.prisma.thumbnail.findUnique({ where: { assetId_size: { assetId, size } } });
  }

  /** Inserts a thumbnail; when a concurrent request made it first, returns that one. */
  async saveThumbnail(assetId: string, thumbnail: NewThumbnail): Promise<ThumbnailRecord> {
    return this.prisma.thumbnail.upsert({
      where: { assetId_size: { assetId, size: thumbnail.size } },
      create: { assetId, ...thumbnail },
      update: {},
    });
  }
}
