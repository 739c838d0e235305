/**
 * Ambient phrases for the built-in corpus (4 bars, C major / A minor, slow harmony, no rhythm).
 *
 * Fixed rules (every phrase):
 * - No drums.
 * - Chords: sustained spread voicings (root and fifth low, the other tones an octave up; wide and
 *   sparse) of triads, add9 or sus2 chords, root in MIDI 48–59. A two-chord progression holds each
 *   chord two bars; a four-chord one, one bar each. Chords are held to the next change, so tones the
 *   next chord shares are tied.
 * - Bass: a drone on the chord root, held under the chord.
 * - Progressions: I–IV, vi–IV, IV–I, I–iii–IV–I, vi–iii–IV–I.
 *
 * Seeded variation: the progression; each chord's kind (triad / add9 / sus2, triad on iii) and root
 * register; the drone's register (root in 36–47, or 43–54 in a third of the phrases); the drone
 * tied through a two-bar chord or re-struck each bar (15 steps); in a third of the phrases the top
 * voice of each chord swells in two beats late.
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { STEPS_PER_BAR, STEPS_PER_PHRASE } from '../../../server/families/symbolic/piano-roll.js';
import { allowsKind, bassRoot, chordPitchClasses, fitToRange, romanProgression, spreadVoicing, type ChordKind } from './harmony.js';
import { pitchedNote } from './note-builders.js';
import { chance, integerBetween, pick, type Random } from './random-choice.js';

/** Ambient progressions: two chords are two bars each, four chords one bar each. */
export const AMBIENT_PROGRESSIONS = ['I–IV', 'vi–IV', 'IV–I', 'I–iii–IV–I', 'vi–iii–IV–I'] as const;

const KINDS: readonly ChordKind[] = ['triad', 'add9', 'sus2'];

/** One ambient phrase (4 bars) as notes; see the file header for the rules. */
export function writeAmbientPhrase(random: Random): Note[] {
  const degrees = romanProgression(pick(random, AMBIENT_PROGRESSIONS));
  const chordSteps = STEPS_PER_PHRASE / degrees.length;
  const restrikeDrone = chance(random, 0.5);
  const swell = chance(random, 1 / 3);
  const droneLowest = chance(random, 1 / 3) ? 43 : 36;
  const notes: Note[] = [];
  degrees.forEach((degree, index) => {
    const start = index * chordSteps;
    const kinds = KINDS.filter((kind) => allowsKind(degree, kind));
    const voicing = fitToRange(spreadVoicing(chordPitchClasses(degree, pick(random, kinds)), integerBetween(random, 48, 59)), 48, 95)!;
    voicing.forEach((pitch, voice) => {
      const late = swell && voice === voicing.length - 1 ? STEPS_PER_BAR / 2 : 0;
      notes.push(pitchedNote('chords', pitch, start + late, chordSteps - late));
    });
    const root = bassRoot(degree, droneLowest);
    if (restrikeDrone) {
      for (let bar = start; bar < start + chordSteps; bar += STEPS_PER_BAR) notes.push(pitchedNote('bass', root, bar, STEPS_PER_BAR - 1));
    } else {
      notes.push(pitchedNote('bass', root, start, chordSteps));
    }
  });
  return notes;
}
