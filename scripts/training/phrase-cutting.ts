/**
 * Cutting a tune's notes into the 4-bar piano-roll phrases the symbolic model trains on, leaving
 * out phrases where bass and chords are mostly silent. Pure data conversion: notes in, rolls out.
 */
import { BARS_PER_PHRASE, ROWS, STEPS_PER_BAR, STEPS_PER_PHRASE, track, type PianoRoll } from '../../server/families/symbolic/piano-roll.js';
import { notesToRoll, type Note } from '../../server/families/symbolic/roll-notes.js';

/** A phrase with this many bars without bass or chords is not worth training on. */
const MAX_EMPTY_PITCHED_BARS = 1;

/**
 * Cuts notes into consecutive 4-bar phrases: phrase k holds bars 4k..4k+3 (a last, shorter one
 * is padded with silence); a note belongs to the phrase it starts in and is cut at that phrase's
 * end. Phrases where bass and chords are both silent for 2 or more bars are left out.
 */
export function notesToPhrases(notes: readonly Note[], bars: number): PianoRoll[] {
  const phrases: PianoRoll[] = [];
  for (let first = 0; first < bars * STEPS_PER_BAR; first += STEPS_PER_PHRASE) {
    const inPhrase = notes
      .filter((n) => n.step >= first && n.step < first + STEPS_PER_PHRASE)
      .map((n) => ({ ...n, step: n.step - first }));
    const { roll } = notesToRoll(inPhrase);
    if (emptyPitchedBars(roll) <= MAX_EMPTY_PITCHED_BARS) phrases.push(roll);
  }
  return phrases;
}

function emptyPitchedBars(roll: PianoRoll): number {
  const firstPitchedRow = track('bass').firstRow;
  let empty = 0;
  for (let bar = 0; bar < BARS_PER_PHRASE; bar++) {
    let sounding = false;
    for (let step = bar * STEPS_PER_BAR; step < (bar + 1) * STEPS_PER_BAR && !sounding; step++) {
      for (let row = firstPitchedRow; row < ROWS && !sounding; row++) sounding = roll[step * ROWS + row] >= 0.5;
    }
    if (!sounding) empty++;
  }
  return empty;
}
