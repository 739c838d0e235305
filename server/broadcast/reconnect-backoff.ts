/**
 * How long a client that lost its server waits before it tries again: exponential back-off
 * between a floor and a ceiling, with jitter so that many clients cut off at once (every
 * channel's Icecast source when Icecast restarts) do not all come back in the same instant.
 */
import type { Seconds } from '../core/units.js';

/** The limits of {@link reconnectDelay} (server.icecastRetry in the config). */
export interface BackoffLimits {
  /** The first retry's delay. */
  min: Seconds;
  /** No delay is longer. */
  max: Seconds;
}

/** Each delay is its nominal value times a factor drawn from [1 − JITTER, 1 + JITTER]. */
const JITTER = 0.2;

/**
 * The delay before retry number `failures` (1 for the first retry after a failure): `min`,
 * doubled for each further failure, at most `max`, moved by up to ±20 % at random and kept
 * within [min, max].
 *
 * @param random a number in [0, 1): Math.random, or a seeded source in tests.
 * @example
 * reconnectDelay(1, { min: 1, max: 30 }) // 1 … 1.2 s
 * reconnectDelay(4, { min: 1, max: 30 }) // 8 s ± 20 %
 * reconnectDelay(9, { min: 1, max: 30 }) // 24 … 30 s
 */
export function reconnectDelay(failures: number, limits: BackoffLimits, random: () => number = Math.random): Seconds {
  const doublings = Math.max(0, Math.min(failures - 1, 30)); // 2^30 × min is past any max
  const nominal = Math.min(limits.max, limits.min * 2 ** doublings);
  const jittered = nominal * (1 - JITTER + 2 * JITTER * random());
  return Math.min(limits.max, Math.max(limits.min, jittered));
}
