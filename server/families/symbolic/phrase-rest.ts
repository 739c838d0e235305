/**
 * How long a phrase leaves with nothing sounding: the measure the voice uses to refuse a phrase a
 * model wrote almost empty. The music the models learn from never rests longer than half a beat
 * (the built-in corpus: at most 2 steps in any phrase); an undertrained model, or a snapshot of
 * one still in training, writes whole phrases of silence, which a venue hears as the stream
 * dropping out.
 */
import { STEPS_PER_PHRASE } from './piano-roll.js';
import type { Note } from './roll-notes.js';

/**
 * The longest run of steps in a phrase on which no note sounds (a drum hit sounds on its own
 * step; a pitched note from its onset for its length, a note tied in from the phrase before too).
 */
export function longestRest(notes: readonly Note[], steps: number = STEPS_PER_PHRASE): number {
  const sounding = new Uint8Array(steps);
  for (const note of notes) {
    const end = Math.min(steps, note.step + (note.track === 'drums' ? 1 : Math.max(1, note.steps)));
    sounding.fill(1, Math.max(0, note.step), end);
  }
  let longest = 0;
  let run = 0;
  for (const step of sounding) {
    run = step ? 0 : run + 1;
    if (run > longest) longest = run;
  }
  return longest;
}
