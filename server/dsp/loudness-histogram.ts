/**
 * The gated parts of the loudness meter: BS.1770 loudness of a mean square and back, and a
 * histogram of block energies above the absolute gate, so integrated loudness and loudness range
 * need constant memory however long the stream (as libebur128 does).
 */
import type { Lufs } from '../core/units.js';

export const ABSOLUTE_GATE: Lufs = -70;
/** Histogram bins: 0.02 LU wide from the absolute gate up to +30 LUFS (louder blocks share the top bin). */
const BIN_WIDTH = 0.02;
const BINS = Math.round((30 - ABSOLUTE_GATE) / BIN_WIDTH);

/** BS.1770-4 loudness of a mean-square sum (channel weights 1): −∞ for silence. */
export function loudnessOf(energy: number): Lufs {
  return -0.691 + 10 * Math.log10(energy);
}

function energyOf(loudness: Lufs): number {
  return Math.pow(10, (loudness + 0.691) / 10);
}

/**
 * Energies (mean squares) above the absolute gate, binned by loudness: each bin keeps how many
 * blocks fell in it and the exact sum of their energies.
 */
export class EnergyHistogram {
  private readonly counts = new Float64Array(BINS);
  private readonly energies = new Float64Array(BINS);
  private count = 0;
  private energy = 0;

  add(energy: number): void {
    const loudness = loudnessOf(energy);
    if (!(loudness > ABSOLUTE_GATE)) return; // BS.1770-4 keeps blocks strictly above the gate
    const bin = Math.min(BINS - 1, Math.floor((loudness - ABSOLUTE_GATE) / BIN_WIDTH));
    this.counts[bin]++;
    this.energies[bin] += energy;
    this.count++;
    this.energy += energy;
  }

  clear(): void {
    this.counts.fill(0);
    this.energies.fill(0);
    this.count = 0;
    this.energy = 0;
  }

  /** Mean energy of the entries above (mean loudness + relativeGate); 0 when there are none. */
  gatedMean(relativeGate: Lufs): number {
    if (this.count === 0) return 0;
    let count = 0;
    let energy = 0;
    for (let bin = this.firstGatedBin(relativeGate); bin < BINS; bin++) {
      count += this.counts[bin];
      energy += this.energies[bin];
    }
    return count === 0 ? 0 : energy / count;
  }

  /** Loudness at quantile `high` minus that at `low` of the entries above the relative gate; 0 when none. */
  spread(relativeGate: Lufs, low: number, high: number): Lufs {
    const first = this.firstGatedBin(relativeGate);
    let count = 0;
    for (let bin = first; bin < BINS; bin++) count += this.counts[bin];
    if (count === 0) return 0;
    return this.quantile(first, count, high) - this.quantile(first, count, low);
  }

  /**
   * The first bin counted as above the gate. The bin the gate falls in is counted when its blocks'
   * mean energy is above the gate: the one approximation of the histogram, worth well under
   * 0.01 LU (its blocks are within 0.02 LU of a gate that lies 10 LU below the result).
   */
  private firstGatedBin(relativeGate: Lufs): number {
    const gate = loudnessOf(this.energy / this.count) + relativeGate;
    if (!(gate > ABSOLUTE_GATE)) return 0;
    const bin = Math.min(BINS - 1, Math.floor((gate - ABSOLUTE_GATE) / BIN_WIDTH));
    const count = this.counts[bin];
    return count > 0 && this.energies[bin] / count > energyOf(gate) ? bin : bin + 1;
  }

  /** Loudness of the entry at quantile q (nearest rank, as libebur128), from the bin's mean energy. */
  private quantile(first: number, count: number, q: number): Lufs {
    const rank = Math.round((count - 1) * q);
    let seen = 0;
    for (let bin = first; bin < BINS; bin++) {
      seen += this.counts[bin];
      if (seen > rank) return loudnessOf(this.energies[bin] / this.counts[bin]);
    }
    return -Infinity; // unreachable: rank < count
  }
}
