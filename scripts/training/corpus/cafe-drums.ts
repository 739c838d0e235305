/**
 * The café drum part (rules in `cafe-style.ts`'s header): soft, all on the 8th-note grid.
 *
 *     ride      ride on the beats and the "and" of 2 and 4, hat foot on 2 and 4, a feathered kick
 *     brushes   snare swept on every 8th, accents on 2 and 4, a soft kick on 1 and 3
 *     bossa     closed hat 8ths, kick on 1, the "and" of 2, 3 and the "and" of 4, a rim-click clave
 *
 * A section's last bar ends with a small snare/tom pickup; the song's last bar is one soft crash
 * with the kick. Some songs have no drums, or drums only in the B section (the bridge).
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { accented } from './dynamics.js';
import { CLOSED_HAT, CRASH, KICK, MID_TOM, RIDE, SNARE, drumHit } from './note-builders.js';
import { chance, pick, weightedPick, type Random } from './random-choice.js';

/** The drum choices of one café song. */
export interface CafeDrumPlan {
  /** Where drums play: every section, only the B section, or nowhere. */
  readonly presence: 'all' | 'bridge' | 'none';
  readonly kit: 'ride' | 'brushes' | 'bossa';
  /** The B section's kit (a change of colour for the bridge). */
  readonly bridgeKit: 'ride' | 'brushes' | 'bossa';
  /** Kick also on beat 3. */
  readonly kickOnThree: boolean;
  readonly pickup: 'snare' | 'tom';
}

/** Draws the drum choices of a café song. */
export function drawCafeDrums(random: Random): CafeDrumPlan {
  const kit = pick(random, ['ride', 'brushes', 'bossa'] as const);
  return {
    presence: weightedPick(random, [['all', 2], ['bridge', 1], ['none', 1]] as const),
    kit,
    bridgeKit: chance(random, 0.5) ? kit : pick(random, ['ride', 'brushes', 'bossa'] as const),
    kickOnThree: chance(random, 0.5),
    pickup: pick(random, ['snare', 'tom'] as const),
  };
}

/** Which section the part is for; 'ending' is the last A, written whole (its bars 4–7 are used). */
export type CafePart = 'A' | 'B' | 'ending';

function bar(plan: CafeDrumPlan, kit: CafeDrumPlan['kit'], start: number, index: number): Note[] {
  const notes: Note[] = [];
  const at = (step: number) => start + step;
  switch (kit) {
    case 'ride':
      for (const step of [0, 4, 6, 8, 12, 14]) notes.push(drumHit(RIDE, at(step), accented(step === 6 || step === 14 ? 46 : 56, at(step), 0.5)));
      notes.push(drumHit(CLOSED_HAT, at(4), 40), drumHit(CLOSED_HAT, at(12), 42));
      notes.push(drumHit(KICK, at(0), 46));
      if (plan.kickOnThree) notes.push(drumHit(KICK, at(8), 40));
      break;
    case 'brushes':
      for (let step = 0; step < STEPS_PER_BAR; step += 2) notes.push(drumHit(SNARE, at(step), step === 4 || step === 12 ? 52 : 34));
      notes.push(drumHit(KICK, at(0), 48));
      if (plan.kickOnThree) notes.push(drumHit(KICK, at(8), 42));
      break;
    case 'bossa':
      for (let step = 0; step < STEPS_PER_BAR; step += 2) notes.push(drumHit(CLOSED_HAT, at(step), step % 4 === 0 ? 46 : 38));
      for (const step of [0, 6, 8, 14]) notes.push(drumHit(KICK, at(step), step % 8 === 0 ? 52 : 42));
      // a two-bar clave on the rim: 1, the "and" of 2, 4 | 2, the "and" of 3
      for (const step of index % 2 === 0 ? [0, 6, 12] : [4, 10]) notes.push(drumHit(SNARE, at(step), 44));
      break;
  }
  return notes;
}

function pickup(plan: CafeDrumPlan, start: number): Note[] {
  const pitch = plan.pickup === 'snare' ? SNARE : MID_TOM;
  return [drumHit(pitch, start + 12, 48), drumHit(pitch, start + 14, 58)];
}

/** The drum notes of one 8-bar part (section-relative steps, written velocities). */
export function cafeDrums(plan: CafeDrumPlan, part: CafePart): Note[] {
  if (plan.presence === 'none' || (plan.presence === 'bridge' && part !== 'B')) return [];
  const kit = part === 'B' ? plan.bridgeKit : plan.kit;
  const notes: Note[] = [];
  for (let index = 0; index < 8; index++) {
    const start = index * STEPS_PER_BAR;
    if (part === 'ending' && index === 7) {
      notes.push(drumHit(CRASH, start, 64), drumHit(KICK, start, 54));
      continue;
    }
    const lastBar = index === (part === 'ending' ? 6 : 7);
    // the pickup replaces the bar's last beat
    notes.push(...bar(plan, kit, start, index).filter((note) => !lastBar || note.step < start + 12));
    if (lastBar) notes.push(...pickup(plan, start));
  }
  return notes;
}
