/**
 * Once-a-second samples of every channel's health (listeners, buffer, generator speed) over the
 * last minutes, so the operator panel's chart has a past the moment it opens.
 */
import type { Seconds } from '../core/units.js';

export interface ChannelSample {
  id: string;
  listeners: number;
  bufferedSeconds: Seconds;
  realTimeFactor: number | null;
}

export interface HistorySample {
  /** Milliseconds since the epoch. */
  time: number;
  channels: ChannelSample[];
}

export class ChannelHistory {
  readonly capacity: number;
  #samples: HistorySample[] = [];

  /** @param capacity samples kept (server.historySamples; 300 is 5 minutes at one a second) */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  add(sample: HistorySample): void {
    this.#samples.push(sample);
    if (this.#samples.length > this.capacity) this.#samples.shift();
  }

  /** Oldest first. */
  samples(): HistorySample[] {
    return [...this.#samples];
  }
}
