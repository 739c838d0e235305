/**
 * Velocities of corpus notes, built in three layers so the model learns dynamics rather than a
 * table of loudness by position:
 *
 *     written   a track's (or drum's) base loudness + the metric accent of the onset (`accented`)
 *     section   + the section's level at that step: B louder or softer, a build-up, an ambient
 *               swell, a louder last ending (`SectionLevel`, applied by `applyDynamics`)
 *     played    + a humanise of up to ±6 per note, drawn from the song's seed; clamped to 1–127
 */
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { integerBetween, type Random } from './random-choice.js';

/** The most a played note's velocity strays from the written one, either way. */
export const HUMANISE = 6;

/**
 * Accent of an onset at `step` (velocity units): the downbeat strongest, then beat 3, then beats
 * 2 and 4, then off-beat 8ths; 16th-note positions a little under the written level.
 */
export function metricAccent(step: number): number {
  const inBar = ((step % STEPS_PER_BAR) + STEPS_PER_BAR) % STEPS_PER_BAR;
  if (inBar === 0) return 8;
  if (inBar === 8) return 5;
  if (inBar % 4 === 0) return 3;
  if (inBar % 2 === 0) return 0;
  return -4;
}

/** `base` with the metric accent of `step`, scaled by `weight` (0 for flat, >1 for a punchier track). */
export function accented(base: number, step: number, weight = 1): number {
  return base + weight * metricAccent(step);
}

/**
 * A section's loudness relative to the written velocities, over its steps: `offset` throughout,
 * plus `ramp` spread linearly from 0 at the start to `ramp` at the end (a build-up or fade), plus a
 * swell of `swell` that rises and falls every `swellSteps` steps (ambient breathing).
 */
export interface SectionLevel {
  readonly offset: number;
  readonly ramp?: number;
  readonly swell?: number;
  /** Period of the swell in steps (default: the whole section, 128). */
  readonly swellSteps?: number;
  /** Length of the section the ramp spans (default 128). */
  readonly steps?: number;
}

/** The level (velocity units) at section step `step`. */
export function levelAt(level: SectionLevel, step: number): number {
  const steps = level.steps ?? 128;
  const ramp = (level.ramp ?? 0) * Math.min(1, Math.max(0, step / steps));
  const period = level.swellSteps ?? steps;
  const swell = (level.swell ?? 0) * Math.sin((Math.PI * (((step % period) + period) % period)) / period);
  return level.offset + ramp + swell;
}

/**
 * Notes with the section level added and each velocity humanised by up to ±`HUMANISE` from
 * `random` (one draw per note, in the order given), rounded and clamped to 1–127.
 */
export function applyDynamics(notes: readonly Note[], random: Random, level: SectionLevel): Note[] {
  return notes.map((note) => {
    const played = note.velocity + levelAt(level, note.step) + integerBetween(random, -HUMANISE, HUMANISE);
    return { ...note, velocity: Math.min(127, Math.max(1, Math.round(played))) };
  });
}
