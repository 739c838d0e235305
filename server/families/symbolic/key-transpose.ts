/**
 * Moving notes to C major / A minor: finding a tune's key by the Krumhansl–Schmuckler algorithm,
 * transposing its pitched notes and folding them by octaves back into their track's range. Pure
 * functions over notes.
 *
 *     Note[] ─ estimateKeyShift ─→ semitones ─ transposeNotes ─→ Note[] in C major / A minor
 */
import { track, type TrackName } from './piano-roll.js';
import type { Note } from './roll-notes.js';

/** Moves a pitch by octaves into the range of a pitched track (drums are returned as they are). */
export function foldIntoRange(trackName: TrackName, pitch: number): number {
  const { pitches, percussive } = track(trackName);
  if (percussive) return pitch;
  const low = pitches[0];
  const high = pitches[pitches.length - 1];
  let folded = pitch;
  while (folded < low) folded += 12;
  while (folded > high) folded -= 12;
  return folded;
}

// Krumhansl–Kessler key profiles (probe-tone ratings), tonic first.
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/**
 * Semitones (−6..+5) that move the notes' key to C major or A minor, by the Krumhansl–Schmuckler
 * algorithm: the duration-weighted pitch-class histogram of the pitched notes is correlated with
 * the 24 rotated key profiles and the best key wins. 0 when there is nothing pitched to judge.
 *
 * @example transposeNotes(notes, estimateKeyShift(notes)) // a D major tune comes back in C (−2)
 */
export function estimateKeyShift(notes: readonly Note[]): number {
  const histogram = new Array<number>(12).fill(0);
  for (const n of notes) if (n.track !== 'drums') histogram[((n.pitch % 12) + 12) % 12] += n.steps;
  let best = { score: -Infinity, shift: 0 };
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [profile, home] of [[MAJOR_PROFILE, 0], [MINOR_PROFILE, 9]] as const) {
      const score = correlation(histogram, (pc) => profile[(pc - tonic + 12) % 12]);
      if (score > best.score) best = { score, shift: home - tonic };
    }
  }
  // NaN (no notes, or every pitch class equally weighted) never beats -Infinity: no shift.
  return (((best.shift % 12) + 18) % 12) - 6;
}

function correlation(xs: readonly number[], y: (i: number) => number): number {
  const ys = xs.map((_, i) => y(i));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
    syy += (ys[i] - meanY) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Moves the pitched notes by `semitones`, then folds them back into their track's range. Drums stay. */
export function transposeNotes(notes: readonly Note[], semitones: number): Note[] {
  if (!Number.isInteger(semitones)) throw new RangeError(`semitones must be an integer, got ${semitones}`);
  return notes.map((n) => (n.track === 'drums' ? n : { ...n, pitch: foldIntoRange(n.track, n.pitch + semitones) }));
}
