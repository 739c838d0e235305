/**
 * The house drum part, section by section (rules in `house-style.ts`'s header).
 *
 *     A         kick ×4 on the beats, clap on 2 and 4, hats on the off-beat 8ths, a fill into the
 *               next section in bar 8, a crash on the section's first downbeat
 *     B         the breakdown: no kick, then it returns and a snare roll builds into the last A
 *     ending    as A, the fill a bar early, then one crash and kick on the last downbeat
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { accented } from './dynamics.js';
import { CLOSED_HAT, CRASH, HIGH_TOM, KICK, LOW_TOM, MID_TOM, OPEN_HAT, SNARE, drumHit } from './note-builders.js';
import { chance, pick, type Random } from './random-choice.js';

/** The drum choices of one house song. */
export interface HouseDrumPlan {
  /** What plays the off-beat 8ths: closed hats, open hats, or closed with an open one on the last. */
  readonly offBeatHat: 'closed' | 'open' | 'last-open';
  /** Soft closed hats on the beats too. */
  readonly hatsOnBeats: boolean;
  /** Ghost 16th hats (odd steps) that give the groove its swing, or none. */
  readonly ghostSteps: readonly number[];
  /** The fill in a section's last bar. */
  readonly fill: 'snare' | 'toms' | 'drop';
  /** How the breakdown thins out. */
  readonly breakdown: 'hats' | 'claps' | 'silent';
}

/** Draws the drum choices of a house song. */
export function drawHouseDrums(random: Random): HouseDrumPlan {
  return {
    offBeatHat: pick(random, ['closed', 'open', 'last-open'] as const),
    hatsOnBeats: chance(random, 0.4),
    ghostSteps: pick(random, [[], [], [7, 15], [3, 11], [15], [11]]),
    fill: pick(random, ['snare', 'toms', 'drop'] as const),
    breakdown: pick(random, ['hats', 'claps', 'silent'] as const),
  };
}

/** Which section the part is for; 'ending' is the last A, written whole (its bars 4–7 are used). */
export type HousePart = 'A' | 'B' | 'ending';

function groove(plan: HouseDrumPlan, start: number, options: { kick: boolean; clap: boolean; hats: boolean; upToStep?: number }): Note[] {
  const notes: Note[] = [];
  const until = options.upToStep ?? STEPS_PER_BAR;
  for (let step = 0; step < until; step += 2) {
    const at = start + step;
    const onBeat = step % 4 === 0;
    if (onBeat && options.kick) notes.push(drumHit(KICK, at, accented(104, at, 0.6)));
    if ((step === 4 || step === 12) && options.clap) notes.push(drumHit(SNARE, at, accented(92, at, 0.5)));
    if (!options.hats) continue;
    if (onBeat && plan.hatsOnBeats) notes.push(drumHit(CLOSED_HAT, at, 44));
    if (!onBeat) {
      const open = plan.offBeatHat === 'open' || (plan.offBeatHat === 'last-open' && step === 14);
      notes.push(drumHit(open ? OPEN_HAT : CLOSED_HAT, at, (open ? 68 : 62) + (step === 6 || step === 14 ? 4 : 0)));
    }
  }
  if (options.hats) for (const step of plan.ghostSteps) if (step < until) notes.push(drumHit(CLOSED_HAT, start + step, 34));
  return notes;
}

function fill(plan: HouseDrumPlan, start: number): Note[] {
  switch (plan.fill) {
    case 'snare':
      return [8, 10, 12, 13, 14, 15].map((step, i) => drumHit(SNARE, start + step, 62 + i * 8));
    case 'toms':
      return [
        drumHit(HIGH_TOM, start + 12, 84),
        drumHit(HIGH_TOM, start + 13, 78),
        drumHit(MID_TOM, start + 14, 88),
        drumHit(LOW_TOM, start + 15, 94),
      ];
    case 'drop':
      return [];
  }
}

/** A snare roll over a bar: 8ths, then 16ths from beat 3, getting louder (the breakdown's build). */
function roll(start: number): Note[] {
  const steps = [0, 2, 4, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return steps.map((step, i) => drumHit(SNARE, start + step, 50 + i * 5));
}

/** The drum notes of one 8-bar part (section-relative steps, written velocities). */
export function houseDrums(plan: HouseDrumPlan, part: HousePart): Note[] {
  const notes: Note[] = [];
  for (let bar = 0; bar < 8; bar++) {
    const start = bar * STEPS_PER_BAR;
    if (part === 'B') {
      const build = bar >= 4;
      if (bar === 7) {
        notes.push(...groove(plan, start, { kick: true, clap: false, hats: true }), ...roll(start));
        continue;
      }
      if (plan.breakdown === 'silent' && !build) continue;
      notes.push(...groove(plan, start, { kick: build && bar >= 6, clap: plan.breakdown !== 'hats' || build, hats: plan.breakdown !== 'claps' || build }));
      continue;
    }
    if (part === 'ending' && bar === 7) {
      notes.push(drumHit(CRASH, start, 108), drumHit(KICK, start, 110));
      continue;
    }
    // the ending's fill leads into its final hit instead of into a next section
    const lastBar = bar === (part === 'ending' ? 6 : 7);
    const fillFrom = plan.fill === 'drop' ? 8 : 12;
    notes.push(...groove(plan, start, { kick: true, clap: true, hats: true, upToStep: lastBar ? fillFrom : STEPS_PER_BAR }));
    if (lastBar) notes.push(...fill(plan, start));
  }
  if (part !== 'B' || plan.breakdown !== 'silent') notes.push(drumHit(CRASH, 0, 100));
  return notes;
}
