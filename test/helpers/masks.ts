/** Comparing 8-bit masks: mean absolute difference and IoU after thresholding. */
export function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`mask sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** IoU of the two masks thresholded at `threshold` (pixel ≥ threshold is foreground). */
export function iouAt(a: Uint8Array, b: Uint8Array, threshold = 128): number {
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i += 1) {
    const inA = a[i]! >= threshold;
    const inB = b[i]! >= threshold;
    if (inA && inB) intersection += 1;
    if (inA || inB) union += 1;
  }
  return union === 0 ? 1 : intersection / union;
}
