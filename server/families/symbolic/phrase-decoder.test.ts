import assert from 'node:assert/strict';
import test from 'node:test';
import { atDensity, decodeFollowing, decodePhrase, EXACT_DECODING, openAtEnd, type Decoding } from './phrase-decoder.js';
import { cellIndex, emptyRoll, rowOfPitch, STEPS_PER_PHRASE } from './piano-roll.js';
import { notesToRoll, type Note } from './roll-notes.js';

const note = (track: Note['track'], pitch: number, step: number, steps: number, velocity = 90): Note => ({ track, pitch, step, steps, velocity });

test('binary data decodes exactly: held, re-struck and tied-in notes, with their velocities', () => {
  const notes: Note[] = [
    { ...note('chords', 60, 0, 6, 64), tiedIn: true }, // no attack, so no velocity of its own: 64
    note('chords', 60, 6, 2, 40), // re-struck right after: a new onset, not a longer note
    note('chords', 64, 0, 16, 101),
    note('bass', 36, 0, 63, 127),
    note('lead', 72, 62, 2, 1),
    note('drums', 42, 5, 1, 33),
  ];
  const { roll } = notesToRoll(notes);
  const decoded = decodePhrase(roll, EXACT_DECODING, { tiedFrom: new Set(['chords:60']) });
  const sorted = (list: Note[]) => [...list].sort((a, b) => a.step - b.step || a.pitch - b.pitch);
  assert.deepEqual(sorted(decoded), sorted(notes));
  // Without a note to continue, a hold without an onset is nothing.
  assert.ok(!decodePhrase(roll, EXACT_DECODING).some((n) => n.pitch === 60 && n.step === 0));
  assert.deepEqual([...openAtEnd(decoded)].sort(), ['lead:72']);
});

test('hysteresis: a hold dipping under the onset threshold but above the hold threshold does not chop the note', () => {
  const roll = emptyRoll();
  const row = rowOfPitch('chords', 60);
  roll[cellIndex(0, 'onset', row)] = 0.9;
  for (let step = 0; step < 8; step++) roll[cellIndex(step, 'hold', row)] = step === 4 ? 0.35 : 0.8;
  const loose: Decoding = { ...EXACT_DECODING, chords: { onset: 0.5, hold: 0.3, monophonic: false, legato: false } };
  assert.deepEqual(decodePhrase(roll, loose).map((n) => n.steps), [8]);
  assert.deepEqual(decodePhrase(roll, EXACT_DECODING).map((n) => n.steps), [4], 'at 0.5 the dip ends it');
});

test('a monophonic track plays the likeliest onset of a step, and a new onset ends the note before it', () => {
  const roll = emptyRoll();
  const [c, e] = [rowOfPitch('bass', 48), rowOfPitch('bass', 52)];
  roll[cellIndex(0, 'onset', c)] = 0.7;
  roll[cellIndex(0, 'onset', e)] = 0.9;
  roll[cellIndex(4, 'onset', c)] = 0.8;
  for (let step = 0; step < 8; step++) {
    roll[cellIndex(step, 'hold', c)] = 0.9;
    roll[cellIndex(step, 'hold', e)] = 0.9;
  }
  const mono: Decoding = { ...EXACT_DECODING, bass: { onset: 0.5, hold: 0.5, monophonic: true, legato: false } };
  assert.deepEqual(decodePhrase(roll, mono).map((n) => [n.pitch, n.step, n.steps]), [[52, 0, 4], [48, 4, 4]]);
  assert.equal(decodePhrase(roll, EXACT_DECODING).length, 3, 'polyphonic: both notes at step 0');
});

test('density moves the thresholds in logit space: 0.5 is the calibrated decoding, 0.9 lets weaker notes play', () => {
  assert.equal(atDensity(EXACT_DECODING, 0.5), EXACT_DECODING);
  const dense = atDensity(EXACT_DECODING, 0.9);
  assert.ok(Math.abs(dense.chords.onset - 1 / (1 + Math.exp(1.6))) < 1e-9);
  assert.ok(atDensity(EXACT_DECODING, 0.1).lead.hold > 0.8);
  const roll = emptyRoll();
  roll[cellIndex(0, 'onset', rowOfPitch('lead', 70))] = 0.3;
  assert.equal(decodePhrase(roll, EXACT_DECODING).length, 0);
  assert.equal(decodePhrase(roll, EXACT_DECODING, { density: 0.9 }).length, 1);
});

test('a phrase after a key change never ties over (its pitches are other pitches once transposed)', () => {
  const first = decodePhrase(notesToRoll([note('chords', 60, 48, 16)]).roll, EXACT_DECODING);
  const { roll } = notesToRoll([{ ...note('chords', 60, 0, 8), tiedIn: true }]);
  assert.equal(decodeFollowing(roll, 0, { notes: first, key: 0 }, EXACT_DECODING).notes[0].tiedIn, true);
  assert.equal(decodeFollowing(roll, 5, { notes: first, key: 0 }, EXACT_DECODING).notes.length, 0);
  assert.equal(STEPS_PER_PHRASE, 64);
});

test('legato: an onset on a pitch still sounding, or released a step before, goes on as the same note', () => {
  const roll = emptyRoll();
  const row = rowOfPitch('lead', 72);
  for (const step of [0, 4, 9]) roll[cellIndex(step, 'onset', row)] = 0.9;
  for (let step = 0; step < 12; step++) if (step !== 8) roll[cellIndex(step, 'hold', row)] = 0.9;
  const spans = (decoding: Decoding) => decodePhrase(roll, decoding).map((n) => [n.step, n.steps]);
  assert.deepEqual(spans(EXACT_DECODING), [[0, 4], [4, 4], [9, 3]], 'struck at 4 while sounding, and at 9 a step after release');
  const legato: Decoding = { ...EXACT_DECODING, lead: { onset: 0.5, hold: 0.5, monophonic: true, legato: true } };
  assert.deepEqual(spans(legato), [[0, 12]]);
  // Two steps of rest is a new note, legato or not.
  roll[cellIndex(9, 'hold', row)] = 0;
  roll[cellIndex(9, 'onset', row)] = 0;
  roll[cellIndex(10, 'onset', row)] = 0.9;
  assert.deepEqual(spans(legato), [[0, 8], [10, 2]]);
});

test('the drums\' bar gate: a bar with fewer hits than minBarHits plays none, a groove plays on', () => {
  const groove = [0, 4, 8, 12].map((step) => note('drums', 36, step, 1)); // bar 0: four kicks
  const stray = [note('drums', 42, 16 + 6, 1), note('drums', 49, 32 + 3, 1)]; // bars 1 and 2: one stray hit each
  const { roll } = notesToRoll([...groove, ...stray]);
  assert.equal(decodePhrase(roll, EXACT_DECODING).length, 6, 'no gate: every hit plays');
  const gated: Decoding = { ...EXACT_DECODING, drums: { ...EXACT_DECODING.drums, minBarHits: 2 } };
  assert.deepEqual(decodePhrase(roll, gated).map((n) => n.step), [0, 4, 8, 12]);
  const strict: Decoding = { ...EXACT_DECODING, drums: { ...EXACT_DECODING.drums, minBarHits: 5 } };
  assert.deepEqual(decodePhrase(roll, strict), [], 'four kicks are fewer than five');
});
