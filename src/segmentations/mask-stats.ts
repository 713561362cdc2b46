/** Summary numbers of an 8-bit mask: how much is foreground and where. */
export interface MaskStats {
  /** Fraction of pixels at or above the threshold. */
  foregroundRatio: number;
  /** Tight box around those pixels; undefined when there are none. */
  boundingBox: { x: number; y: number; width: number; height: number } | undefined;
}

export function maskStats(mask: Uint8Array, width: number, height: number, threshold = 128): MaskStats {
  let count = 0;
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < width; x += 1) {
      if (mask[row + x]! < threshold) continue;
      count += 1;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return {
    foregroundRatio: count / (width * height),
    boundingBox: count === 0 ? undefined : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 },
  };
}
