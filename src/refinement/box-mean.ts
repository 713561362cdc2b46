/** The mean over a (2r+1)² window, clipped at the borders (divided by the pixels it holds), in O(1) per pixel. */
export function boxMean(source: Float32Array, width: number, height: number, radius: number): Float32Array {
  // Summed-area table with a zero first row and column.
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y += 1) {
    let row = 0;
    for (let x = 0; x < width; x += 1) {
      row += source[y * width + x]!;
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1]! + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const top = Math.max(0, y - radius);
    const bottom = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x += 1) {
      const left = Math.max(0, x - radius);
      const right = Math.min(width, x + radius + 1);
      const sum = table[bottom * stride + right]! - table[top * stride + right]! - table[bottom * stride + left]! + table[top * stride + left]!;
      out[y * width + x] = sum / ((bottom - top) * (right - left));
    }
  }
  return out;
}
