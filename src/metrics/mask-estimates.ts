/**
 * Quality signals of a mask when no ground truth exists. None of them is HCE: they only
 * say how confident and how simple the mask is.
 *   uncertainFraction    pixels neither clearly foreground nor background (26..229 of 255)
 *   fragments            8-connected foreground regions (mask ≥ 128)
 *   holes                4-connected background regions enclosed by foreground (not touching the border)
 *   boundaryComplexity   perimeter² / (4π · area) of the foreground: 1 for a disc, larger for
 *                        ragged or many-part masks (0 without foreground)
 */
export interface MaskEstimates {
  uncertainFraction: number;
  fragments: number;
  holes: number;
  boundaryComplexity: number;
}

/** Counts connected regions where `inside(i)` holds; `touchesBorder` reports those reaching the image edge. */
function countRegions(width: number, height: number, inside: (i: number) => boolean, eightConnected: boolean): { count: number; enclosed: number } {
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  let count = 0;
  let enclosed = 0;
  const steps = eightConnected
    ? [
        [-1, -1],
        [-1, 0],
        [-1, 1],
        [0, -1],
        [0, 1],
        [1, -1],
        [1, 0],
        [1, 1],
      ]
    : [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ];
  for (let start = 0; start < width * height; start += 1) {
    if (seen[start] || !inside(start)) continue;
    count += 1;
    let border = false;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const r = Math.floor(i / width);
      const c = i - r * width;
      if (r === 0 || c === 0 || r === height - 1 || c === width - 1) border = true;
      for (const [dr, dc] of steps) {
        const rr = r + dr!;
        const cc = c + dc!;
        if (rr < 0 || rr >= height || cc < 0 || cc >= width) continue;
        const j = rr * width + cc;
        if (!seen[j] && inside(j)) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    if (!border) enclosed += 1;
  }
  return { count, enclosed };
}

export function estimateMaskQuality(mask: Uint8Array, width: number, height: number): MaskEstimates {
  let uncertain = 0;
  let area = 0;
  let perimeter = 0;
  for (let r = 0; r < height; r += 1) {
    for (let c = 0; c < width; c += 1) {
      const i = r * width + c;
      const value = mask[i]!;
      if (value > 25 && value < 230) uncertain += 1;
      if (value < 128) continue;
      area += 1;
      // A foreground pixel with a background (or outside) 4-neighbour lies on the boundary.
      if (
        c === 0 ||
        c === width - 1 ||
        r === 0 ||
        r === height - 1 ||
        mask[i - 1]! < 128 ||
        mask[i + 1]! < 128 ||
        mask[i - width]! < 128 ||
        mask[i + width]! < 128
      )
        perimeter += 1;
    }
  }
  const fragments = countRegions(width, height, (i) => mask[i]! >= 128, true).count;
  const holes = countRegions(width, height, (i) => mask[i]! < 128, false).enclosed;
  return {
    uncertainFraction: uncertain / (width * height),
    fragments,
    holes,
    boundaryComplexity: area === 0 ? 0 : (perimeter * perimeter) / (4 * Math.PI * area),
  };
}
