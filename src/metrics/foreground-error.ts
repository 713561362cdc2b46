/**
 * The error of a foreground colour estimate F̂ against the true F, on the pixels whose true
 * alpha is soft (0 < α < 255): the mean of α·|F̂ − F| over them and over the three channels,
 * in 8-bit units. Weighted by α because that is how much of F̂ a cut-out shows.
 */
export function foregroundError(estimate: Uint8Array, truth: Uint8Array, alpha: Uint8Array): number {
  let [sum, count] = [0, 0];
  for (let p = 0; p < alpha.length; p += 1) {
    if (alpha[p] === 0 || alpha[p] === 255) continue;
    count += 1;
    for (let c = 0; c < 3; c += 1) sum += ((alpha[p]! / 255) * Math.abs(estimate[p * 3 + c]! - truth[p * 3 + c]!)) / 3;
  }
  return count === 0 ? 0 : sum / count;
}
