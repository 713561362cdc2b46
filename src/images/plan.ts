/**
 * What one image URL means, computed the same way where URLs are issued (GraphQL) and where
 * they are served (the image route, the worker that renders): the crop, the output size and
 * the content version. The version hashes everything the bytes depend on (the photo, the
 * mask when the preset uses it, the preset's revision, a person's focal point), so the bytes
 * behind a URL never change and any change gives a new URL.
 */
import { createHash } from 'node:crypto';
import { croppedSize } from '../effects/render-image.js';
import type { OutputFormat } from '../effects/output-spec.js';
import type { AssetRecord } from '../storage/records.js';
import { cropRect, focalPoint, type FocalPoint, type Rect } from './crop.js';
import { isTransparent, needsMask, type DeliveryFormat, type PresetSpec } from './preset.js';
import type { SubjectState } from './subject.js';

/** Bumped whenever image rendering changes, so no URL keeps old bytes under a new meaning. */
const IMAGE_RENDERER_VERSION = 1;

export interface ImagePlan {
  /** `/<asset>/<preset>/<width>/<version>`: what the URL names (and what is signed). */
  path: string;
  /** `/<asset>/<preset>/<width>`: the version-less alias that redirects to the current `path`. */
  aliasPath: string;
  version: string;
  crop: Rect;
  focal: FocalPoint;
  width: number;
  height: number;
  /** The render needs a mask that is not there yet. */
  waitsForMask: boolean;
}

export function userFocalPoint(asset: AssetRecord): { x: number; y: number } | undefined {
  return asset.focalX === null || asset.focalY === null ? undefined : { x: asset.focalX, y: asset.focalY };
}

export function planImage(asset: AssetRecord, preset: PresetSpec, width: number, subject: SubjectState): ImagePlan {
  const user = userFocalPoint(asset);
  const usesMask = needsMask(preset, user !== undefined);
  const box = subject.kind === 'ready' ? subject.box : null;
  const focal = focalPoint(asset, user, box, subject.kind === 'ready' ? subject.centre : null);
  const crop = cropRect(asset, preset.crop, box, focal);
  const maskPart = !usesMask ? '-' : subject.kind === 'ready' ? subject.maskSha256 : subject.kind;
  const version = createHash('sha256')
    .update(
      [asset.sha256, maskPart, preset.id ?? 'built-in', preset.name, preset.revision, user ? `${user.x},${user.y}` : '-', IMAGE_RENDERER_VERSION].join('\n'),
    )
    .digest('base64url')
    .slice(0, 22);
  const aliasPath = `/${asset.id}/${preset.name}/${width}`;
  return { path: `${aliasPath}/${version}`, aliasPath, version, crop, focal, ...croppedSize(crop, width), waitsForMask: usesMask && subject.kind !== 'ready' };
}

/** Whether an Accept header lists `type` with a non-zero quality (wildcards do not count: not every browser that sends them decodes AVIF). */
function accepts(accept: string, type: string): boolean {
  return accept.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    if (name!.trim().toLowerCase() !== type) return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** AUTO: AVIF when Accept allows it, else WebP, else JPEG (PNG when the result has alpha). */
export function negotiateFormat(preset: Pick<PresetSpec, 'format' | 'effect'>, accept: string | undefined): OutputFormat {
  const format: DeliveryFormat = preset.format;
  if (format !== 'auto') return format;
  if (accepts(accept ?? '', 'image/avif')) return 'avif';
  if (accepts(accept ?? '', 'image/webp')) return 'webp';
  return isTransparent(preset) ? 'png' : 'jpeg';
}

/** The format an image is stored in ahead of its first GET (render batches, upload rules): what current browsers negotiate. */
export function formatStoredAhead(preset: Pick<PresetSpec, 'format' | 'effect'>): OutputFormat {
  return negotiateFormat(preset, 'image/avif,image/webp,*/*');
}

/** The stored variant of a URL in one format. */
export function variantKey(path: string, format: OutputFormat): string {
  return createHash('sha256').update(`${path}\n${format}`).digest('hex');
}
