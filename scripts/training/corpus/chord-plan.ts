/**
 * The harmony of one 8-bar section as chord spans on the step grid: which chord sounds from which
 * step for how long. Style writers draw the degrees (a loop, a cadence, a chord split over a bar)
 * and the kind of chord on each; bass, chords and lead all read the same spans, so they agree.
 *
 *     bars   [vi] [IV] [I] [V] [vi] [IV] [I] [ii V]     one or two degrees per bar
 *     spans  vi 0+16, IV 16+16, …, ii 112+8, V 120+8    repeated degrees merge into one span
 */
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { chordPitchClasses, nearestSpreadVoicing, nearestVoicing, type ChordKind, type Degree } from './harmony.js';

/** A chord sounding from `step` (section-relative) for `steps`. */
export interface ChordSpan {
  readonly degree: Degree;
  readonly kind: ChordKind;
  readonly step: number;
  readonly steps: number;
}

/** Degrees of each bar of a section: one per bar, or two that split it in halves. */
export type SectionBars = readonly (readonly Degree[])[];

/**
 * The spans of `bars`, a chord's kind given by `kindOf` (drawn once per song and degree, so a
 * repeated loop sounds the same); consecutive equal degrees merge into one longer span unless
 * `merge` is false (a player who re-attacks every bar).
 */
export function chordSpans(bars: SectionBars, kindOf: (degree: Degree) => ChordKind, merge = true): ChordSpan[] {
  const spans: ChordSpan[] = [];
  bars.forEach((degrees, bar) => {
    const steps = STEPS_PER_BAR / degrees.length;
    degrees.forEach((degree, i) => {
      const step = bar * STEPS_PER_BAR + i * steps;
      const last = spans[spans.length - 1];
      if (merge && last && last.degree === degree && last.step + last.steps === step) spans[spans.length - 1] = { ...last, steps: last.steps + steps };
      else spans.push({ degree, kind: kindOf(degree), step, steps });
    });
  });
  return spans;
}

/** The span sounding at `step`; the last one for a step past the end (a note held out). */
export function chordAt(spans: readonly ChordSpan[], step: number): ChordSpan {
  for (const span of spans) if (step < span.step + span.steps) return span;
  return spans[spans.length - 1];
}

/** Pitch classes of the span's chord, root first. */
export function spanTones(span: ChordSpan): number[] {
  return chordPitchClasses(span.degree, span.kind);
}

/**
 * `progression` repeated to fill `bars` bars, one degree per bar.
 * @example loopBars([5, 3, 0, 4], 8) // vi IV I V vi IV I V
 */
export function loopBars(progression: readonly Degree[], bars: number): Degree[][] {
  return Array.from({ length: bars }, (_, bar) => [progression[bar % progression.length]]);
}

/**
 * `progression` with each chord held `barsEach` bars, repeated to fill `bars` bars.
 * @example slowBars([0, 3], 2, 8) // I I IV IV I I IV IV
 */
export function slowBars(progression: readonly Degree[], barsEach: number, bars: number): Degree[][] {
  return Array.from({ length: bars }, (_, bar) => [progression[Math.floor(bar / barsEach) % progression.length]]);
}

/**
 * One voicing per span, each led from the one before with the least motion (common tones stay),
 * inside [low, high]; `start` is the voicing the first chord is led from (the last chord of the
 * section before, or a drawn starting voicing). `open` gives spread (pad) voicings instead of
 * close ones.
 */
export function voiceSpans(spans: readonly ChordSpan[], start: readonly number[], low: number, high: number, open = false): number[][] {
  let previous = start;
  return spans.map((span) => {
    const voicing = open ? nearestSpreadVoicing(spanTones(span), previous, low, high) : nearestVoicing(spanTones(span), previous, low, high);
    previous = voicing;
    return voicing;
  });
}
