/**
 * NDB and JS (Richardson & Weiss, "On GANs and GMMs", NeurIPS 2018): the real clips' features are
 * binned by k-means; each set's share of clips per bin is compared.
 *
 *   NDB   bins where the two shares differ significantly (two-proportion z-test, pooled, two-sided,
 *         α = 0.05 by default); reported as NDB / k: 0 when the sets fill the bins alike, near 1
 *         when they fill them differently
 *   JS    Jensen–Shannon divergence between the two bin histograms, natural log (0 … ln 2 ≈ 0.693)
 */
import { nearestNeighbours } from './nearest-neighbour.js';

/** Clips per bin: each vector counted in the bin of its nearest centroid. */
export function binCounts(features: readonly Float32Array[], centroids: readonly Float32Array[]): Int32Array {
  const counts = new Int32Array(centroids.length);
  if (features.length === 0) return counts;
  for (const bin of nearestNeighbours(features, centroids).indices) counts[bin]++;
  return counts;
}

export interface BinComparison {
  /** Statistically different bins. */
  ndb: number;
  /** ndb / k. */
  ndbOverK: number;
  /** Jensen–Shannon divergence (nats). */
  js: number;
}

/** z for a two-sided test at level α (1.96 for 0.05), by bisection on the normal CDF. */
function criticalZ(alpha: number): number {
  let low = 0;
  let high = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (2 * (1 - normalCdf(mid)) > alpha) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Compares two bin histograms.
 *
 * @param [alpha=0.05] - significance level of each bin's test
 * @example compareBins(binCounts(heldOutFeatures, centroids), binCounts(generatedFeatures, centroids))
 */
export function compareBins(real: ArrayLike<number>, generated: ArrayLike<number>, alpha = 0.05): BinComparison {
  if (real.length !== generated.length || real.length === 0) throw new RangeError(`both histograms need the same number of bins (> 0), got ${real.length} and ${generated.length}`);
  const k = real.length;
  const realTotal = sum(real);
  const generatedTotal = sum(generated);
  if (realTotal === 0 || generatedTotal === 0) throw new RangeError('both histograms need at least one clip');
  const z = criticalZ(alpha);
  let ndb = 0;
  for (let b = 0; b < k; b++) {
    const p1 = real[b] / realTotal;
    const p2 = generated[b] / generatedTotal;
    const pooled = (real[b] + generated[b]) / (realTotal + generatedTotal);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / realTotal + 1 / generatedTotal));
    if (se > 0 && Math.abs(p1 - p2) / se > z) ndb++;
  }
  const p = Array.from({ length: k }, (_, b) => real[b] / realTotal);
  const q = Array.from({ length: k }, (_, b) => generated[b] / generatedTotal);
  return { ndb, ndbOverK: ndb / k, js: jensenShannon(p, q) };
}

/** Jensen–Shannon divergence of two distributions over the same bins, in nats. */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) divergence += 0.5 * p[i] * Math.log(p[i] / m);
    if (q[i] > 0) divergence += 0.5 * q[i] * Math.log(q[i] / m);
  }
  return Math.max(0, divergence);
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
