/**
 * How fast each model generates, over its recent inference calls: seconds of audio per second
 * of inference wall time (the real-time factor the panel and /metrics show).
 */
import type { GenerationStats } from '../stream/generation-scheduler.js';

/** Generation statistics of one model over its recent inference calls. */
export interface ModelRate {
  /** Seconds of audio per second of inference wall time, over the last calls. */
  realTimeFactor: number;
  engine: string;
}

/** Inference calls averaged per model. */
const WINDOW = 20;

export class GenerationRates {
  readonly #recent = new Map<string, GenerationStats[]>();
  readonly #rates = new Map<string, ModelRate>();

  record(stats: GenerationStats): void {
    const recent = this.#recent.get(stats.model) ?? [];
    recent.push(stats);
    if (recent.length > WINDOW) recent.shift();
    this.#recent.set(stats.model, recent);
    const audio = recent.reduce((sum, s) => sum + s.audio, 0);
    const wall = recent.reduce((sum, s) => sum + s.duration, 0);
    this.#rates.set(stats.model, { realTimeFactor: wall > 0 ? audio / wall : 0, engine: stats.engine });
  }

  /** Model `id`'s rate, once it has generated. */
  of(id: string): ModelRate | undefined {
    return this.#rates.get(id);
  }

  entries(): IterableIterator<[string, ModelRate]> {
    return this.#rates.entries();
  }
}
