/**
 * Jazz bass lines over chord spans: a walking line (a quarter note on every beat: the root on the
 * chord's first beat, chord tones in between, and on its last beat a tone a step from the next
 * root, so the line leads into each change) or a two-feel (half notes, root then fifth or third).
 *
 *     Dm7           G7            Cmaj7
 *     D   F   A   F♯│G   B   D   B │C ──────────   walk; F♯: the one chromatic approach, rare
 *     D ───── A ────│G ───── D ────│C ──────────   two-feel
 *
 * A line never strikes the pitch it just played (it would need two steps of silence, which a
 * walking line does not leave). Choices come from their own seeded stream (`seed`), so the same
 * chords give the same line: the last A's ending follows its first bars as the first A does.
 */
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { BASS_LOWEST } from '../../../server/families/symbolic/piano-roll.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { spanTones, type ChordSpan } from './chord-plan.js';
import { accented } from './dynamics.js';
import { nearestPitchOfClasses, scaleStep } from './harmony.js';
import { pitchedNote } from './note-builders.js';
import { chance, pick } from './random-choice.js';

/** How a bass line is played. */
export interface BassLineOptions {
  readonly feel: 'walk' | 'two-feel';
  /** Sounding length of a walking quarter: 4 legato, 3 detached. */
  readonly noteSteps: 3 | 4;
  /** Share of approach notes taken a chromatic half step below the next root (0–1). */
  readonly chromatic: number;
  /** Register of the line's chord tones (MIDI); approach tones may lie a step outside it, so keep it two steps inside the bass track's 36–59. */
  readonly low: number;
  readonly high: number;
  /** Where the line starts (the first root is the one nearest). */
  readonly start: number;
  readonly velocity: number;
  /** Seed of the line's own choices. */
  readonly seed: number;
}

/** `pitchClass`'s pitch nearest `near` within [low, high], not `avoid` (then anywhere on the bass track). */
function rootNear(pitchClass: number, near: number, options: BassLineOptions, avoid?: number): number {
  const within = (low: number, high: number) => {
    const candidates: number[] = [];
    for (let pitch = low; pitch <= high; pitch++) if (pitch % 12 === pitchClass && pitch !== avoid) candidates.push(pitch);
    return candidates;
  };
  const candidates = within(options.low, options.high);
  return (candidates.length > 0 ? candidates : within(BASS_LOWEST, BASS_LOWEST + 23)).reduce((best, pitch) =>
    Math.abs(pitch - near) < Math.abs(best - near) ? pitch : best,
  );
}

function inRange(pitch: number, options: BassLineOptions): boolean {
  return pitch >= options.low && pitch <= options.high;
}

/**
 * A tone a step from `target`, approached from the side the line comes from; never `avoid`; from a
 * half step below now and then when `chromatic`.
 */
function approach(target: number, from: number, avoid: number, options: BassLineOptions, random: () => number, chromatic: boolean): number {
  const below = chromatic && chance(random, options.chromatic) && !(target % 12 === 0 || target % 12 === 5) ? target - 1 : scaleStep(target, -1);
  const above = scaleStep(target, 1);
  const sides = from <= target ? [below, above] : [above, below];
  return sides.find((pitch) => pitch !== avoid && inRange(pitch, options)) ?? sides.find((pitch) => pitch !== avoid)!;
}

/**
 * The bass line over `spans` (section-relative). `after` is the chord the line leads into after the
 * last span (null: the last chord is the song's final one, its root held to the span's end).
 */
export function jazzBassLine(spans: readonly ChordSpan[], after: ChordSpan | null, options: BassLineOptions): Note[] {
  const random = mulberry32(options.seed);
  const notes: Note[] = [];
  let previous = options.start;
  let planned: number | undefined;
  const strike = (pitch: number, step: number, steps: number) => {
    notes.push(pitchedNote('bass', pitch, step, steps, accented(options.velocity, step, 0.5)));
    previous = pitch;
  };
  spans.forEach((span, i) => {
    const tones = spanTones(span);
    const root = planned ?? rootNear(tones[0], previous, options, previous);
    planned = undefined;
    const next = spans[i + 1] ?? after;
    if (!next) {
      strike(root, span.step, span.steps);
      return;
    }
    const nextRoot = rootNear(spanTones(next)[0], root, options, root);
    const beats = span.steps / 4;
    if (options.feel === 'two-feel') {
      strike(root, span.step, Math.min(8, span.steps));
      if (beats < 4) return;
      const fifth = root + 7 <= options.high ? root + 7 : root - 5;
      const third = nearestPitchOfClasses([tones[1]], root + 3);
      const second = [pick(random, [fifth, fifth, third]), fifth, third, root - 5].find((pitch) => pitch !== nextRoot && pitch !== root && inRange(pitch, options)) ?? fifth;
      strike(second, span.step + 8, 8);
      planned = nextRoot;
      return;
    }
    strike(root, span.step, options.noteSteps);
    // into the next section the line leads diatonically: its first chord may not be the one expected
    const chromatic = i < spans.length - 1;
    const lead = approach(nextRoot, root, root, options, random, chromatic);
    for (let beat = 1; beat < beats - 1; beat++) {
      const goal = root + ((lead - root) * beat) / (beats - 1);
      const candidates: number[] = [];
      for (let pitch = root - 9; pitch <= root + 9; pitch++) {
        if (!inRange(pitch, options) || pitch === previous || pitch === lead || pitch === root) continue;
        if (tones.includes(pitch % 12)) candidates.push(pitch);
      }
      const scored = candidates.map((pitch) => ({ pitch, score: Math.abs(pitch - goal) + 3 * random() }));
      scored.sort((a, b) => a.score - b.score);
      strike(scored[0]?.pitch ?? scaleStep(previous, 1), span.step + beat * 4, options.noteSteps);
    }
    strike(lead !== previous ? lead : approach(nextRoot, root, previous, options, random, chromatic), span.step + (beats - 1) * 4, options.noteSteps);
    planned = nextRoot;
  });
  return notes;
}
