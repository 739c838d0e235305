/**
 * Onset detection for tests: where notes start in decoded audio. A note's attack is a sudden rise
 * of high-frequency energy, so the detector follows the energy of the first difference in short
 * windows and marks a rise of at least `riseDb` over the level just before it.
 *
 * The time reported is where the rise crosses half its height (in dB), which for a sampled piano
 * attack lands within 1–2 ms of the key strike. A rise that is only an MP3 encoder's pre-echo of a
 * louder attack just after it is timed at that attack.
 */

export interface OnsetOptions {
  /** Energy window and hop, in seconds. @default 0.004 / 0.001 */
  window?: number;
  hop?: number;
  /** Rise above the recent floor that counts as an onset. @default 9 */
  riseDb?: number;
  /** Ignore rises that end below this level (dBFS of the differenced signal). @default -55 */
  minLevelDb?: number;
  /** Shortest gap between two onsets, seconds. @default 0.05 */
  minGap?: number;
}

/** Onset times in seconds of a mono signal. */
export function detectOnsets(samples: Float32Array, sampleRate: number, options: OnsetOptions = {}): number[] {
  const { window = 0.004, hop = 0.001, riseDb = 9, minLevelDb = -55, minGap = 0.05 } = options;
  const win = Math.round(window * sampleRate);
  const step = Math.round(hop * sampleRate);
  const levels: number[] = [];
  for (let start = 1; start + win <= samples.length; start += step) {
    let energy = 0;
    for (let i = start; i < start + win; i++) {
      const d = samples[i] - samples[i - 1];
      energy += d * d;
    }
    levels.push(10 * Math.log10(energy / win + 1e-20));
  }
  const lookBack = Math.round(0.03 / hop); // the floor: the quietest level of the last 30 ms
  const lookAhead = Math.round(0.012 / hop); // a rise completes within 12 ms
  const preEchoSpan = Math.round(0.03 / hop);
  const onsets: number[] = [];
  let lastOnset = -Infinity;
  for (let t = lookBack; t + lookAhead < levels.length; t++) {
    const floor = Math.min(...levels.slice(t - lookBack, t + 1));
    if (levels[t] > floor + 1) continue; // rises start from the floor
    const peak = Math.max(...levels.slice(t, t + lookAhead + 1));
    if (peak - floor < riseDb || peak < minLevelDb) continue;
    const half = floor + (peak - floor) / 2;
    let cross = t;
    while (levels[cross] < half) cross++;
    // MP3 pre-echo: a long block (1152 samples, 26 ms at 44.1 kHz) smears a loud attack's
    // quantisation noise up to 26 ms ahead of it, a small rise before the real one. When a rise
    // 10 dB louder follows within that span, the onset is that rise, timed at its own half height.
    const later = Math.max(...levels.slice(cross, cross + preEchoSpan + 1));
    if (later > peak + 10) {
      const mid = peak + (later - peak) / 2;
      while (levels[cross] < mid) cross++;
    }
    const time = (1 + cross * step + win / 2) / sampleRate;
    if (time - lastOnset >= minGap) {
      onsets.push(time);
      lastOnset = time;
    }
    t = cross + lookAhead;
  }
  return onsets;
}

/**
 * Fits a grid of period `period` to `onsets` (the phase that minimises the median distance) and
 * returns the phase and each onset's signed distance to its nearest grid line.
 */
export function fitGrid(onsets: readonly number[], period: number): { phase: number; deviations: number[] } {
  const deviationAt = (time: number, phase: number) => {
    const k = Math.round((time - phase) / period);
    return time - (phase + k * period);
  };
  let best = { phase: 0, score: Infinity };
  for (let phase = 0; phase < period; phase += 0.0002) {
    const sorted = onsets.map((t) => Math.abs(deviationAt(t, phase))).sort((a, b) => a - b);
    const score = sorted[Math.floor(sorted.length / 2)] + sorted[Math.floor(sorted.length * 0.9)];
    if (score < best.score) best = { phase, score };
  }
  return { phase: best.phase, deviations: onsets.map((t) => deviationAt(t, best.phase)) };
}
