/**
 * How urgently a model's mask wants a person's look, as a rough count of the clicks a
 * correction may take (HCE's unit), from signals that need no ground truth:
 *   - disagreement: HCE of this mask against another model's mask of the same photo, when
 *     one exists (clicks turning one into the other);
 *   - loose parts: each foreground region beyond the first and each enclosed hole is a
 *     candidate for one click (HCE counts independent regions one each);
 *   - soft area: every 1 % of pixels neither clearly foreground nor background adds one;
 *   - nothing found: an empty mask is either right (no subject) or entirely wrong, so it
 *     comes before any mask with fewer than EMPTY_MASK_PRIORITY estimated clicks.
 * Larger comes first. An ordering, not a measurement: the correction's own HCE is that.
 */
import type { MaskEstimate } from '../metrics/metrics-pool.js';

export const EMPTY_MASK_PRIORITY = 50;

export function reviewPriority(estimate: MaskEstimate): number {
  if (estimate.fragments === 0) return EMPTY_MASK_PRIORITY;
  const looseParts = estimate.fragments - 1 + estimate.holes;
  const softArea = 100 * estimate.uncertainFraction;
  return Math.max(estimate.disagreementHce ?? 0, looseParts) + softArea;
}
