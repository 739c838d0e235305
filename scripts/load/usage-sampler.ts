/**
 * Reads the server's process tree once a second through the run: the RSS series a soak's growth
 * is taken from, its peak, and the readings the steady window's CPU is differenced between.
 */
import { readTreeUsage, type TreeUsage } from './process-usage.js';

export class UsageSampler {
  readonly samples: TreeUsage[] = [];
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;

  constructor(pid: number, intervalMs = 1000) {
    this.#pid = pid;
    this.read();
    this.#timer = setInterval(() => this.read(), intervalMs);
  }

  /** A reading now (also kept in the series); undefined once the server is gone. */
  read(): TreeUsage | undefined {
    const usage = readTreeUsage(this.#pid);
    if (usage) this.samples.push(usage);
    return usage;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The median RSS (bytes) of the samples taken between `from` and `to` (performance.now() seconds). */
  medianRss(from: number, to: number): number {
    const values = this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rssBytes).sort((a, b) => a - b);
    return values.length === 0 ? NaN : values[Math.floor(values.length / 2)];
  }

  get peakRss(): number {
    return this.samples.reduce((peak, s) => Math.max(peak, s.rssBytes), 0);
  }
}
