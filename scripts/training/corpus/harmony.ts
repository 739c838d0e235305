/**
 * Diatonic harmony of C major / A minor for the built-in corpus: chords on the scale degrees,
 * progressions written as Roman numerals, voicings that stay inside a track's range, and the
 * scale-step arithmetic melodies and bass lines move by.
 *
 * Rules every style shares:
 * - Every pitch is in the C major scale (C D E F G A B). Chords are stacked in diatonic thirds on a
 *   degree, so their qualities follow the key: I, IV, V major; ii, iii, vi minor; vii° diminished;
 *   the sevenths are Cmaj7, Dm7, Em7, Fmaj7, G7, Am7, Bø7.
 * - Extensions: `add9` adds the scale tone a step above the root, `sus2` replaces the third with it.
 *   Both are used only on degrees whose 9th is a whole step up (I, ii, IV, V, vi), never iii or vii.
 * - Bass lines start each chord on its root (the pitch class of the degree), in MIDI 36–59.
 * - A close voicing stacks the chord tones upward from an inversion; a spread voicing puts root and
 *   fifth low and the other tones an octave up (open, pad-like). `nearestVoicing` moves from one chord
 *   to the next with the least total motion (common tones stay), inside a register window, which is
 *   how chords are voice-led after a song's first chord; `nearestSpreadVoicing` does the same for
 *   open voicings.
 * - Melodies and bass lines move along the scale (`scaleStep`) and land on chord tones
 *   (`nearestPitchOfClasses`).
 */

/** Pitch classes of the C major scale, degree order (C = 0). */
export const C_MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11] as const;

/** A scale degree, 0-based: 0 = I (C) … 5 = vi (A), 6 = vii° (B). */
export type Degree = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** What is stacked on a degree. */
export type ChordKind = 'triad' | 'seventh' | 'add9' | 'sus2';

/** A progression: one degree per chord, in order. */
export type Progression = readonly Degree[];

const NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];

/** True when `pitch` (MIDI) is in the C major scale. */
export function inCMajor(pitch: number): boolean {
  return (C_MAJOR_SCALE as readonly number[]).includes(((pitch % 12) + 12) % 12);
}

/**
 * Degrees of a progression written in Roman numerals, separated by en dashes or hyphens.
 * @example romanProgression('ii–V–I–vi') // [1, 4, 0, 5]
 */
export function romanProgression(roman: string): Degree[] {
  return roman.split(/[–-]/).map((numeral) => {
    const index = NUMERALS.indexOf(numeral.replace('°', '').toUpperCase());
    if (index < 0) throw new RangeError(`unknown Roman numeral '${numeral}' in '${roman}'`);
    return index as Degree;
  });
}

/** Pitch class of the scale tone `steps` scale steps above `degree`. */
function scaleTone(degree: number, steps: number): number {
  return C_MAJOR_SCALE[(degree + steps) % 7];
}

/** True when `kind` may be built on `degree` (9ths only a whole step above the root). */
export function allowsKind(degree: Degree, kind: ChordKind): boolean {
  if (kind === 'add9' || kind === 'sus2') return degree !== 2 && degree !== 6;
  return true;
}

/**
 * Pitch classes of a chord on `degree`, root first.
 * @example chordPitchClasses(4, 'seventh') // [7, 11, 2, 5]: G B D F
 */
export function chordPitchClasses(degree: Degree, kind: ChordKind): number[] {
  if (!allowsKind(degree, kind)) throw new RangeError(`no ${kind} on degree ${NUMERALS[degree]} (its 9th is not a whole step)`);
  switch (kind) {
    case 'triad':
      return [scaleTone(degree, 0), scaleTone(degree, 2), scaleTone(degree, 4)];
    case 'seventh':
      return [scaleTone(degree, 0), scaleTone(degree, 2), scaleTone(degree, 4), scaleTone(degree, 6)];
    case 'add9':
      return [scaleTone(degree, 0), scaleTone(degree, 2), scaleTone(degree, 4), scaleTone(degree, 1)];
    case 'sus2':
      return [scaleTone(degree, 0), scaleTone(degree, 1), scaleTone(degree, 4)];
  }
}

/** The lowest pitch ≥ `atLeast` with pitch class `pitchClass`. */
export function pitchAtOrAbove(pitchClass: number, atLeast: number): number {
  return atLeast + ((((pitchClass - atLeast) % 12) + 12) % 12);
}

/** The chord root on the bass track, the lowest one ≥ `lowest` (default 36, the track's bottom). */
export function bassRoot(degree: Degree, lowest = 36): number {
  return pitchAtOrAbove(C_MAJOR_SCALE[degree], lowest);
}

/**
 * A close voicing, ascending: chord tones stacked upward starting from tone `inversion` (0 = root
 * position), its lowest note the first such pitch ≥ `lowest`.
 */
export function closeVoicing(pitchClasses: readonly number[], inversion: number, lowest: number): number[] {
  const voicing: number[] = [];
  for (let i = 0; i < pitchClasses.length; i++) {
    const pitchClass = pitchClasses[(inversion + i) % pitchClasses.length];
    voicing.push(pitchAtOrAbove(pitchClass, i === 0 ? lowest : voicing[i - 1] + 1));
  }
  return voicing;
}

/**
 * A spread (open) voicing: root at or above `lowest`, the fifth (if the chord has one) next above,
 * the remaining tones from the octave above, each above the last.
 */
export function spreadVoicing(pitchClasses: readonly number[], lowest: number): number[] {
  const [root, ...rest] = pitchClasses;
  const fifth = (root + 7) % 12;
  const bottom = pitchAtOrAbove(root, lowest);
  const voicing = [bottom];
  if (rest.includes(fifth)) voicing.push(bottom + 7);
  let floor = bottom + 12;
  for (const pitchClass of rest) {
    if (pitchClass === fifth) continue;
    const pitch = pitchAtOrAbove(pitchClass, floor);
    voicing.push(pitch);
    floor = pitch + 1;
  }
  return voicing;
}

/** `voicing` moved by whole octaves until it lies within [low, high], or null when it cannot. */
export function fitToRange(voicing: readonly number[], low: number, high: number): number[] | null {
  let shifted = [...voicing];
  while (Math.max(...shifted) > high) shifted = shifted.map((p) => p - 12);
  while (Math.min(...shifted) < low) shifted = shifted.map((p) => p + 12);
  return Math.max(...shifted) <= high ? shifted : null;
}

/**
 * The close voicing of `pitchClasses` inside [low, high] with the least motion from `previous`
 * (sum over new notes of the distance to the nearest previous note); ties go to the lower voicing.
 */
export function nearestVoicing(pitchClasses: readonly number[], previous: readonly number[], low: number, high: number): number[] {
  let best: number[] | null = null;
  let bestMotion = Infinity;
  for (let lowest = low; lowest <= high; lowest++) {
    for (let inversion = 0; inversion < pitchClasses.length; inversion++) {
      if (pitchClasses[inversion] !== ((lowest % 12) + 12) % 12) continue;
      const candidate = closeVoicing(pitchClasses, inversion, lowest);
      if (Math.max(...candidate) > high) continue;
      const motion = candidate.reduce((sum, p) => sum + Math.min(...previous.map((q) => Math.abs(p - q))), 0);
      if (motion < bestMotion) {
        best = candidate;
        bestMotion = motion;
      }
    }
  }
  if (!best) throw new RangeError(`no close voicing of [${pitchClasses.join(', ')}] fits ${low}–${high}`);
  return best;
}

/**
 * Voicings for a chord sequence: the first is the close voicing at `firstInversion` from
 * `firstLowest`, each next one the `nearestVoicing` to the one before, all inside [low, high].
 */
export function voiceLead(
  chords: readonly (readonly number[])[],
  firstInversion: number,
  firstLowest: number,
  low: number,
  high: number,
): number[][] {
  const first = fitToRange(closeVoicing(chords[0], firstInversion, firstLowest), low, high);
  if (!first) throw new RangeError(`first chord does not fit ${low}–${high}`);
  const voicings = [first];
  for (const chord of chords.slice(1)) voicings.push(nearestVoicing(chord, voicings[voicings.length - 1], low, high));
  return voicings;
}

/**
 * The open (spread) voicing of `pitchClasses` inside [low, high] with the least motion from
 * `previous` (as `nearestVoicing`), so pads drift instead of jumping; with no previous chord, the
 * one whose root is the first at or above `low`.
 */
export function nearestSpreadVoicing(pitchClasses: readonly number[], previous: readonly number[], low: number, high: number): number[] {
  let best: number[] | null = null;
  let bestMotion = Infinity;
  for (let lowest = low; lowest < low + 24; lowest++) {
    if (((lowest % 12) + 12) % 12 !== pitchClasses[0]) continue;
    const candidate = spreadVoicing(pitchClasses, lowest);
    if (Math.max(...candidate) > high) continue;
    const motion = previous.length === 0 ? lowest : candidate.reduce((sum, p) => sum + Math.min(...previous.map((q) => Math.abs(p - q))), 0);
    if (motion < bestMotion) {
      best = candidate;
      bestMotion = motion;
    }
  }
  if (!best) throw new RangeError(`no spread voicing of [${pitchClasses.join(', ')}] fits ${low}–${high}`);
  return best;
}

/**
 * The pitch `steps` scale steps above `pitch` (below when negative), along C major; a pitch off the
 * scale moves from the scale tone just below it.
 * @example scaleStep(60, 2) // 64: C → E;  scaleStep(60, -1) // 59: C → B
 */
export function scaleStep(pitch: number, steps: number): number {
  const octave = Math.floor(pitch / 12);
  const pitchClass = pitch - octave * 12;
  let index = 6;
  while (C_MAJOR_SCALE[index] > pitchClass) index--;
  const position = octave * 7 + index + steps;
  const targetOctave = Math.floor(position / 7);
  return targetOctave * 12 + C_MAJOR_SCALE[position - targetOctave * 7];
}

/**
 * The pitch nearest `target` whose pitch class is one of `pitchClasses`; a tie goes the way
 * `prefer` points (+1 up, -1 down).
 * @example nearestPitchOfClasses([0, 4, 7], 66) // 67 (G, a step above F♯)
 */
export function nearestPitchOfClasses(pitchClasses: readonly number[], target: number, prefer: 1 | -1 = 1): number {
  for (let distance = 0; distance < 12; distance++) {
    for (const candidate of [target + distance * prefer, target - distance * prefer]) {
      if (pitchClasses.includes(((candidate % 12) + 12) % 12)) return candidate;
    }
  }
  throw new RangeError('nearestPitchOfClasses needs at least one pitch class');
}

/** The degree a diatonic fifth above `degree`: the chord that leads to it (V of I, vi of ii, …). */
export function dominantOf(degree: Degree): Degree {
  return ((degree + 4) % 7) as Degree;
}
