/** Summary numbers of an 8-bit mask: how much is foreground and where. */
export interface MaskStats {
  /** Fraction of pixels at 128 or above. */
  foregroundRatio: number;
  /** Tight box around those pixels; undefined when there are none. */
  boundingBox: { x: number; y: number; width: number; height: number } | undefined;
}

/** Foreground is ≥ 128: the top bit of each byte, so four pixels are tested at once. */
export function maskStats(mask: Uint8Array, width: number, height: number): MaskStats {
  let count = 0;
  let minX = width,
    minY = height,
    maxX = -1,
    maxY = -1;
  const visit = (index: number) => {
    count += 1;
    const y = Math.floor(index / width);
    const x = index - y * width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  // Bytes before the first 4-byte boundary, then whole words, then the remaining bytes.
  const aligned = (4 - (mask.byteOffset % 4)) % 4;
  const head = Math.min(mask.length, aligned);
  const words = head === aligned ? new Uint32Array(mask.buffer, mask.byteOffset + head, Math.floor((mask.length - head) / 4)) : new Uint32Array(0);
  for (let i = 0; i < head; i += 1) if (mask[i]! >= 128) visit(i);
  for (let w = 0; w < words.length; w += 1) {
    if ((words[w]! & 0x80808080) === 0) continue;
    const base = head + w * 4;
    for (let k = 0; k < 4; k += 1) if (mask[base + k]! >= 128) visit(base + k);
  }
  for (let i = head + words.length * 4; i < mask.length; i += 1) if (mask[i]! >= 128) visit(i);
  return {
    foregroundRatio: count / (width * height),
    boundingBox: count === 0 ? undefined : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 },
  };
}
