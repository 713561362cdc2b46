/**
 * numpy's float64 summation, for bit-identical means (shared/docs/metrics.md §9.8): blocks
 * of 8192 elements added to an accumulator, each block summed pairwise with eight running
 * partial sums below 128 elements. A plain loop differs by ~1e-13, which only matters when
 * it flips an adaptive-threshold comparison; exactness is cheap, so we keep it.
 */
function pairwise(values: ArrayLike<number>, start: number, count: number): number {
  if (count < 8) {
    let sum = 0;
    for (let i = start; i < start + count; i += 1) sum += values[i]!;
    return sum;
  }
  if (count <= 128) {
    const r = [
      values[start]!,
      values[start + 1]!,
      values[start + 2]!,
      values[start + 3]!,
      values[start + 4]!,
      values[start + 5]!,
      values[start + 6]!,
      values[start + 7]!,
    ];
    const whole = count - (count % 8);
    for (let i = 8; i < whole; i += 8) for (let j = 0; j < 8; j += 1) r[j]! += values[start + i + j]!;
    let sum = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (let i = whole; i < count; i += 1) sum += values[start + i]!;
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwise(values, start, half) + pairwise(values, start + half, count - half);
}

export function numpySum(values: ArrayLike<number>): number {
  let sum = 0;
  for (let start = 0; start < values.length; start += 8192) sum += pairwise(values, start, Math.min(8192, values.length - start));
  return sum;
}

export function numpyMean(values: ArrayLike<number>): number {
  return numpySum(values) / values.length;
}

/** The elements where `mask` is set, in raster order (numpy boolean indexing). */
export function select(values: ArrayLike<number>, mask: ArrayLike<number>, wanted = 1): Float64Array {
  let count = 0;
  for (let i = 0; i < mask.length; i += 1) if (mask[i] === wanted) count += 1;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i += 1) if (mask[i] === wanted) out[k++] = values[i]!;
  return out;
}
