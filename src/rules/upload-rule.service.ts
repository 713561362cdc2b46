/**
 * Upload rules: an owner's "when an upload matches, do this" (`createUploadRule`). A rule
 * matches an asset that has every one of its tags and, when it names types, one of them.
 * Its actions:
 * - `segment`: a run of its model (or the default) right after the upload, in the
 *   interactive band (a person just uploaded);
 * - `render`: each preset's images stored ahead of their first GET, queued on the render
 *   queue in the batch band; a preset that needs a mask waits for one (`maskReady`, told by
 *   the segmentation job after every new model mask of a matching asset);
 * - `reviewIfPriorityAbove`: the masks it asks for go to the review queue only when their
 *   review priority comes out above it.
 * The upload is committed before any of this runs, so a failing action is logged and never
 * fails the upload. `apply` runs a rule over assets that already exist, as batches.
 */
import { AppError, inputError } from '../errors.js';
import { formatStoredAhead } from '../images/plan.js';
import type { ImageService } from '../images/image.service.js';
import type { PresetService } from '../images/preset.service.js';
import type { BatchService, BatchView } from '../batches/batch.service.js';
import type { Logger } from '../lib/logger.js';
import type { MaskFollower } from '../segmentations/segment-mask.job.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import type { AssetRecord, SegmentationRecord, UploadRuleRecord } from '../storage/records.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { UploadRuleRepository } from '../storage/repositories/upload-rule.repository.js';

export interface UploadRuleInput {
  description: string | null;
  when: { tags: string[]; mimeTypes: string[] };
  then: { segment: { modelId: string | undefined; refine: boolean } | null; render: string[]; reviewIfPriorityAbove: number | null };
}

/** Rules one owner may have: every upload reads them all. */
export const MAX_RULES_PER_OWNER = 20;
/** Presets one rule may render. */
const MAX_PRESETS_PER_RULE = 8;

/** Whether `rule` applies to `asset`. */
export function ruleMatches(rule: Pick<UploadRuleRecord, 'whenTags' | 'whenMimeTypes'>, asset: Pick<AssetRecord, 'tags' | 'mimeType'>): boolean {
  return rule.whenTags.every((tag) => asset.tags.includes(tag)) && (rule.whenMimeTypes.length === 0 || rule.whenMimeTypes.includes(asset.mimeType));
}

export class UploadRuleService implements MaskFollower {
  constructor(
    private readonly rules: UploadRuleRepository,
    private readonly assets: Pick<AssetRepository, 'findById'>,
    private readonly segmentations: Pick<SegmentationService, 'request' | 'resolveModel'>,
    private readonly presets: Pick<PresetService, 'find'>,
    private readonly images: Pick<ImageService, 'queueWarm'>,
    private readonly batches: Pick<BatchService, 'start'>,
    private readonly acceptedMimeTypes: readonly string[],
    private readonly logger: Logger,
  ) {}

  list(ownerId: string): Promise<UploadRuleRecord[]> {
    return this.rules.list(ownerId);
  }

  /**
   * @throws AppError BAD_USER_INPUT naming the field (no action, an unknown preset or type, a
   * threshold without `segment`, too many rules), MODEL_UNAVAILABLE.
   */
  async create(ownerId: string, input: UploadRuleInput): Promise<UploadRuleRecord> {
    const { when, then } = input;
    const stray = when.mimeTypes.find((type) => !this.acceptedMimeTypes.includes(type));
    if (stray !== undefined) throw inputError('input.when.mimeTypes', `types uploads may have (${this.acceptedMimeTypes.join(', ')})`, stray);
    if (!then.segment && then.render.length === 0) throw inputError('input.then', 'segment or render (or both)', 'neither');
    if (then.reviewIfPriorityAbove !== null && !then.segment) {
      throw inputError('input.then.reviewIfPriorityAbove', 'a rule that segments (it applies to the masks the rule asks for)', then.reviewIfPriorityAbove);
    }
    if (then.reviewIfPriorityAbove !== null && !(Number.isFinite(then.reviewIfPriorityAbove) && then.reviewIfPriorityAbove >= 0)) {
      throw inputError('input.then.reviewIfPriorityAbove', 'a number from 0 up', then.reviewIfPriorityAbove);
    }
    if (then.render.length > MAX_PRESETS_PER_RULE) throw inputError('input.then.render', `at most ${MAX_PRESETS_PER_RULE} presets`, then.render.length);
    const render = [...new Set(then.render)];
    for (const [index, name] of render.entries()) {
      if (!(await this.presets.find(ownerId, name))) throw inputError(`input.then.render[${index}]`, 'a built-in preset or one of yours', name);
    }
    if (then.segment) this.segmentations.resolveModel(then.segment.modelId); // MODEL_UNAVAILABLE now, not on every upload
    // Counted before the insert: parallel creates may pass the limit by a few.
    if ((await this.rules.count(ownerId)) >= MAX_RULES_PER_OWNER) {
      throw new AppError('BAD_USER_INPUT', `An owner may have at most ${MAX_RULES_PER_OWNER} upload rules; delete one first`, {
        details: { limit: MAX_RULES_PER_OWNER },
      });
    }
    return this.rules.create({
      ownerId,
      description: input.description,
      whenTags: [...new Set(when.tags)],
      whenMimeTypes: [...new Set(when.mimeTypes)],
      segment: then.segment !== null,
      segmentModelId: then.segment?.modelId ?? null,
      segmentRefine: then.segment?.refine ?? false,
      renderPresets: render,
      reviewIfPriorityAbove: then.reviewIfPriorityAbove,
    });
  }

  /** @throws AppError NOT_FOUND for an unknown id or another owner's. */
  async delete(ownerId: string, id: string): Promise<void> {
    if (!(await this.rules.delete(ownerId, id))) throw new AppError('NOT_FOUND', `No upload rule with id ${id}`, { details: { id } });
  }

  /** After an upload committed: every matching rule's actions, oldest rule first. Never throws. */
  async applyToUpload(asset: AssetRecord, requestId?: string): Promise<void> {
    const rules = await this.rules.list(asset.ownerId).catch((error: unknown) => {
      this.logger.warn('upload rules could not be read for an upload', { assetId: asset.id, requestId, error });
      return [];
    });
    for (const rule of rules.filter((candidate) => ruleMatches(candidate, asset))) {
      try {
        if (rule.segment) {
          await this.segmentations.request({
            ownerId: asset.ownerId,
            assetId: asset.id,
            modelId: rule.segmentModelId ?? undefined,
            refine: rule.segmentRefine,
            requestId,
            ...(rule.reviewIfPriorityAbove === null ? {} : { reviewIfPriorityAbove: rule.reviewIfPriorityAbove }),
          });
        }
        // Presets that need no mask are queued now; the others when the mask is ready.
        await this.warm(asset, rule.renderPresets, requestId);
      } catch (error) {
        // BUSY (the queue is full) included: the asset is there; `apply` can run the rule again later.
        this.logger.warn('an upload rule failed for an upload', { assetId: asset.id, ruleId: rule.id, requestId, error });
      }
    }
  }

  /** After a new model mask (the segmentation job): the presets of every matching rule that segments with that model, or not at all. */
  async maskReady(record: SegmentationRecord, requestId?: string): Promise<void> {
    const rules = await this.rules.list(record.ownerId);
    if (!rules.some((rule) => rule.renderPresets.length > 0)) return;
    const asset = await this.assets.findById(record.assetId);
    if (!asset) return;
    for (const rule of rules) {
      if (rule.renderPresets.length === 0 || !ruleMatches(rule, asset)) continue;
      if (rule.segment && this.modelOf(rule) !== record.modelId) continue;
      await this.warm(asset, rule.renderPresets, requestId);
    }
  }

  /**
   * Runs the rule over the owner's assets that match it now: a segment batch (mode MISSING,
   * with the rule's model, edges and review threshold) when it segments, and a render batch
   * per preset. A render batch skips assets whose mask is still missing; each of those gets
   * its images when the segment batch's run for it succeeds (`maskReady`).
   * @throws AppError NOT_FOUND (rule), and what `startBatch` throws.
   */
  async apply(ownerId: string, id: string, dryRun: boolean, requestId?: string): Promise<BatchView[]> {
    const rule = await this.rules.findOwned(ownerId, id);
    if (!rule) throw new AppError('NOT_FOUND', `No upload rule with id ${id}`, { details: { id } });
    const filter = { tags: rule.whenTags, mimeTypes: rule.whenMimeTypes };
    const started: BatchView[] = [];
    if (rule.segment) {
      started.push(
        await this.batches.start({
          ownerId,
          filter,
          action: {
            kind: 'segment',
            modelId: rule.segmentModelId ?? undefined,
            refine: rule.segmentRefine,
            mode: 'MISSING',
            ...(rule.reviewIfPriorityAbove === null ? {} : { reviewIfPriorityAbove: rule.reviewIfPriorityAbove }),
          },
          dryRun,
          requestId,
        }),
      );
    }
    for (const preset of rule.renderPresets) {
      started.push(await this.batches.start({ ownerId, filter, action: { kind: 'render', preset, widths: undefined, formats: undefined }, dryRun, requestId }));
    }
    return started;
  }

  /** The model a segmenting rule runs (its own, or today's default); undefined when that is not available. */
  private modelOf(rule: UploadRuleRecord): string | undefined {
    try {
      return this.segmentations.resolveModel(rule.segmentModelId ?? undefined).modelId;
    } catch {
      return undefined;
    }
  }

  /** Queues the presets' images not stored yet (a preset deleted since is passed over). */
  private async warm(asset: AssetRecord, presetNames: string[], requestId: string | undefined): Promise<void> {
    for (const name of presetNames) {
      const preset = await this.presets.find(asset.ownerId, name);
      if (!preset) continue;
      await this.images.queueWarm(asset, preset, preset.widths, [formatStoredAhead(preset)], requestId);
    }
  }
}
