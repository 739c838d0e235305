/**
 * The lead: a short motif (a rhythm and a contour) stated, restated and varied over the chords,
 * as a melody is built. A style writer draws the motif and lays out statements; this file turns
 * them into notes that fit the harmony.
 *
 *     motif      rhythm  ♪ ♪ ♩  ♩.      contour  0 +1 +2 -1   (scale steps from the first note)
 *     statement  where it starts, and how:
 *       fixed     the motif from the home pitch whatever the chord (a riff that stays put; notes on
 *                 a beat still move to the nearest chord tone)
 *       home      first note on the chord tone nearest the home pitch (a restatement)
 *       previous  first note on the chord tone nearest the last statement's (a sequence)
 *     variation  endShift (a changed ending), holdUntil (the phrase end held), homeAt (the last
 *                note replaced by the tonic, held: the cadence that ends a song)
 *
 * Notes on a beat, or long ones, land on a tone of the chord sounding there; short notes between
 * move along the scale (passing and neighbour tones). Everything stays in C major.
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { chordAt, spanTones, type ChordSpan } from './chord-plan.js';
import { accented } from './dynamics.js';
import { nearestPitchOfClasses, scaleStep } from './harmony.js';
import { pitchedNote } from './note-builders.js';
import { monophonicLine } from './note-tidy.js';
import { chance, pick, type Random } from './random-choice.js';

/** One note of a motif. */
export interface MotifNote {
  /** Onset, in steps from the start of the statement. */
  readonly offset: number;
  readonly steps: number;
  /** Scale steps from the motif's first note. */
  readonly contour: number;
}

/** A rhythm with a contour, `span` steps long (a bar, two bars, four bars). */
export interface Motif {
  readonly span: number;
  readonly notes: readonly MotifNote[];
}

/** How a statement's first note is placed (see the file header). */
export type Placement = 'fixed' | 'home' | 'previous';

/** One statement of a motif in a section. */
export interface Statement {
  /** Section step it starts at. */
  readonly start: number;
  readonly motif: Motif;
  readonly placement: Placement;
  /** Scale steps added to the last note: a changed ending. */
  readonly endShift?: number;
  /** The last note is held to this section step (a phrase end). */
  readonly holdUntil?: number;
  /** From this section step on, the motif gives way to the tonic, held to `holdUntil`: the song's cadence. */
  readonly homeAt?: number;
}

/** Where and how loud a lead plays. */
export interface LeadVoice {
  /** The pitch a section's first statement starts near (a C-major pitch in range). */
  readonly home: number;
  readonly low: number;
  readonly high: number;
  /** Written velocity before the metric accent. */
  readonly velocity: number;
}

/** Rhythm of a motif: onsets and lengths, before the contour is drawn. */
export type Rhythm = readonly { readonly offset: number; readonly steps: number }[];

/**
 * A melodic contour of `count` notes, starting at 0: mostly steps and thirds, an occasional
 * leap answered by a step back, rising then turning (an arch), within `low`…`high` scale steps.
 */
export function drawContour(random: Random, count: number, low = -4, high = 5): number[] {
  const contour = [0];
  let direction = chance(random, 0.65) ? 1 : -1;
  let leapt = false;
  for (let i = 1; i < count; i++) {
    if (i === Math.ceil(count / 2) && chance(random, 0.7)) direction = -direction;
    const size: number = leapt ? 1 : pick(random, [1, 1, 1, 2, 2, 3, 4]);
    if (leapt) direction = -direction;
    let next = contour[i - 1] + direction * size;
    if (next > high || next < low) {
      direction = -direction;
      next = contour[i - 1] + direction * size;
    }
    leapt = size >= 3;
    contour.push(next);
  }
  return contour;
}

/** A motif of `rhythm` with a drawn contour. */
export function drawMotif(random: Random, rhythm: Rhythm, span: number): Motif {
  const contour = drawContour(random, rhythm.length);
  return { span, notes: rhythm.map((note, i) => ({ ...note, contour: contour[i] })) };
}

function fitRange(pitches: number[], low: number, high: number): number[] {
  let shifted = pitches;
  if (Math.max(...shifted) > high && Math.min(...shifted) - 12 >= low) shifted = shifted.map((p) => p - 12);
  if (Math.min(...shifted) < low && Math.max(...shifted) + 12 <= high) shifted = shifted.map((p) => p + 12);
  return shifted.map((p) => {
    let pitch = p;
    while (pitch > high) pitch -= 12;
    while (pitch < low) pitch += 12;
    return pitch;
  });
}

/** The nearest pitch beyond `pitch` in `direction` whose class is among `tones`. */
function nextChordTone(tones: readonly number[], pitch: number, direction: number): number {
  let next = pitch + direction;
  while (!tones.includes(((next % 12) + 12) % 12)) next += direction;
  return next;
}

function isStrong(step: number, steps: number): boolean {
  return step % 4 === 0 || steps >= 4;
}

/**
 * The notes of `statements` (in order, non-overlapping) over `spans`, as one monophonic line.
 * @example writeLead([{ start: 0, motif, placement: 'home' }, { start: 32, motif, placement: 'previous' }], spans, voice)
 */
export function writeLead(statements: readonly Statement[], spans: readonly ChordSpan[], voice: LeadVoice): Note[] {
  const notes: Note[] = [];
  let previousAnchor = voice.home;
  for (const statement of statements) {
    const { motif, start } = statement;
    const first = motif.notes[0];
    if (!first) continue;
    const firstTones = spanTones(chordAt(spans, start + first.offset));
    const anchor =
      statement.placement === 'fixed'
        ? voice.home
        : nearestPitchOfClasses(firstTones, statement.placement === 'home' ? voice.home : previousAnchor);
    previousAnchor = anchor;
    const kept = motif.notes.filter((note) => statement.homeAt === undefined || start + note.offset < statement.homeAt);
    const pitches: number[] = [];
    const timing: { step: number; steps: number }[] = [];
    kept.forEach((note, i) => {
      const step = start + note.offset;
      const shift = i === kept.length - 1 && statement.homeAt === undefined ? statement.endShift ?? 0 : 0;
      let pitch = scaleStep(anchor, note.contour);
      if (isStrong(step, note.steps)) {
        const tones = spanTones(chordAt(spans, step));
        const before = pitches[i - 1];
        pitch = nearestPitchOfClasses(tones, pitch, before !== undefined && before > pitch ? -1 : 1);
        // a changed ending on a chord tone moves to another chord tone, `shift` of them away
        for (let moved = 0; moved < Math.abs(shift); moved++) pitch = nextChordTone(tones, pitch, Math.sign(shift));
      } else {
        pitch = scaleStep(pitch, shift);
      }
      pitches.push(pitch);
      timing.push({ step, steps: note.steps });
    });
    // the tonic arrives at homeAt, unless the melody already stands on it (then that note is held)
    if (statement.homeAt !== undefined && (pitches.length === 0 || pitches[pitches.length - 1] % 12 !== 0)) {
      pitches.push(nearestPitchOfClasses([0], pitches[pitches.length - 1] ?? anchor));
      timing.push({ step: statement.homeAt, steps: 1 });
    }
    if (statement.holdUntil !== undefined && timing.length > 0) {
      const last = timing[timing.length - 1];
      last.steps = Math.max(last.steps, statement.holdUntil - last.step);
    }
    fitRange(pitches, voice.low, voice.high).forEach((pitch, i) => {
      const { step, steps } = timing[i];
      notes.push(pitchedNote('lead', pitch, step, steps, accented(voice.velocity, step) + (steps >= 6 ? 2 : 0)));
    });
  }
  return monophonicLine(notes);
}
