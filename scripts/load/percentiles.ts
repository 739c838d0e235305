/** Nearest-rank percentiles of a sample, for the load report. */

export interface Spread {
  min: number;
  p1: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The value at or below which `p` % of `sorted` (ascending) lies (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** min, p1, p50, p90, p99 and max of `values` (NaN for each when there are none). */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted.length > 0 ? sorted[0] : NaN,
    p1: percentile(sorted, 1),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : NaN,
  };
}
