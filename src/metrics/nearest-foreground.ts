/**
 * For every pixel, the nearest foreground pixel in Euclidean distance, ties broken by the
 * smaller column, then the smaller row: what scipy's `distance_transform_edt(...,
 * return_indices=True)` returns (shared/docs/metrics.md §9.7). Separable, exact: per column
 * the nearest foreground row (ties upwards), then per row the lower envelope of parabolas
 * over columns (Felzenszwalb & Huttenlocher), ties to the left.
 */
export interface NearestForeground {
  /** Index (row·width + column) of the nearest foreground pixel; −1 when there is none. */
  index: Int32Array;
  /** Its Euclidean distance. */
  distance: Float64Array;
}

export function nearestForeground(mask: Uint8Array, width: number, height: number): NearestForeground {
  // Pass 1: per column, the nearest foreground row for every row (ties to the upper one).
  const nearestRow = new Int32Array(width * height).fill(-1);
  for (let c = 0; c < width; c += 1) {
    let above = -1;
    for (let r = 0; r < height; r += 1) {
      if (mask[r * width + c]) above = r;
      nearestRow[r * width + c] = above;
    }
    let below = -1;
    for (let r = height - 1; r >= 0; r -= 1) {
      if (mask[r * width + c]) below = r;
      const up = nearestRow[r * width + c]!;
      // Equal distance up and down: keep the upper row.
      if (below !== -1 && (up === -1 || below - r < r - up)) nearestRow[r * width + c] = below;
    }
  }

  // Pass 2: per row, minimise (x − c)² + f(c) over columns c with a foreground pixel.
  const index = new Int32Array(width * height).fill(-1);
  const distance = new Float64Array(width * height).fill(Infinity);
  const hull = new Int32Array(width);
  const bounds = new Float64Array(width + 1);
  const f = new Float64Array(width);
  for (let r = 0; r < height; r += 1) {
    let k = -1;
    for (let c = 0; c < width; c += 1) {
      const row = nearestRow[r * width + c]!;
      if (row === -1) continue;
      f[c] = (row - r) * (row - r);
      if (k === -1) {
        k = 0;
        hull[0] = c;
        bounds[0] = -Infinity;
        bounds[1] = Infinity;
        continue;
      }
      // Division is correctly rounded, so equal intersections compare equal.
      let s = (f[c]! + c * c - (f[hull[k]!]! + hull[k]! * hull[k]!)) / (2 * c - 2 * hull[k]!);
      while (s <= bounds[k]!) {
        k -= 1;
        if (k < 0) break;
        s = (f[c]! + c * c - (f[hull[k]!]! + hull[k]! * hull[k]!)) / (2 * c - 2 * hull[k]!);
      }
      if (k < 0) {
        k = 0;
        hull[0] = c;
        bounds[0] = -Infinity;
        bounds[1] = Infinity;
        continue;
      }
      k += 1;
      hull[k] = c;
      bounds[k] = s;
      bounds[k + 1] = Infinity;
    }
    if (k === -1) continue;
    let j = 0;
    for (let x = 0; x < width; x += 1) {
      // Strictly past the boundary: at an exact tie the left (smaller) column wins.
      while (bounds[j + 1]! < x) j += 1;
      const c = hull[j]!;
      const foregroundRow = nearestRow[r * width + c]!;
      index[r * width + x] = foregroundRow * width + c;
      distance[r * width + x] = Math.sqrt((x - c) * (x - c) + (foregroundRow - r) * (foregroundRow - r));
    }
  }
  return { index, distance };
}
