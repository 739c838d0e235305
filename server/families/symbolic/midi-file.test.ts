import { test } from 'node:test';
import assert from 'node:assert/strict';
import toneMidi from '@tonejs/midi';
import { hasCode } from '../../core/errors.js';
import { drumClassOf, MIDI_PPQ, midiToNotes, notesToMidi } from './midi-file.js';
import { DRUM_PITCHES } from './piano-roll.js';
import type { Note } from './roll-notes.js';

const { Midi } = toneMidi;

const NOTES: Note[] = [
  { track: 'drums', pitch: 36, step: 0, steps: 1, velocity: 110 },
  { track: 'drums', pitch: 42, step: 2, steps: 1, velocity: 1 },
  { track: 'drums', pitch: 38, step: 4, steps: 1, velocity: 127 },
  { track: 'drums', pitch: 42, step: 6, steps: 1, velocity: 64 },
  { track: 'bass', pitch: 45, step: 0, steps: 3, velocity: 100 },
  { track: 'bass', pitch: 45, step: 4, steps: 2, velocity: 77 },
  { track: 'chords', pitch: 60, step: 0, steps: 16, velocity: 80 },
  { track: 'chords', pitch: 64, step: 0, steps: 16, velocity: 81 },
  { track: 'chords', pitch: 67, step: 17, steps: 5, velocity: 2 },
  { track: 'lead', pitch: 72, step: 8, steps: 6, velocity: 96 },
];

/** Bytes of a MIDI file built with @tonejs/midi itself, the way a DAW export would look. */
function buildMidi(
  tracks: { channel: number; program?: number; notes: { midi: number; ticks: number; durationTicks: number; velocity?: number }[] }[],
  header: { ppq?: number; bpm?: number[]; timeSignatures?: { ticks: number; timeSignature: number[] }[] } = {},
): Uint8Array {
  const midi = new Midi();
  if (header.ppq) midi.fromJSON({ ...midi.toJSON(), header: { ...midi.header.toJSON(), ppq: header.ppq } });
  midi.header.tempos = (header.bpm ?? [120]).map((bpm, i) => ({ bpm, ticks: i * midi.header.ppq * 4 }));
  midi.header.timeSignatures = header.timeSignatures ?? [];
  midi.header.update();
  for (const t of tracks) {
    const track = midi.addTrack();
    track.channel = t.channel;
    track.instrument.number = t.program ?? 0;
    for (const n of t.notes) track.addNote({ velocity: 0.8, ...n });
  }
  return midi.toArray();
}

const byOnset = (a: Note, b: Note) => a.step - b.step || a.track.localeCompare(b.track) || a.pitch - b.pitch;

test('notesToMidi writes tempo at tick 0 before any note, 4/4, PPQ 480, drums on channel 10, times on the grid', () => {
  const bytes = notesToMidi(NOTES, { tempo: 124, name: 'test phrase' });
  const parsed = new Midi(bytes);
  assert.equal(parsed.header.ppq, MIDI_PPQ);
  assert.equal(parsed.header.name, 'test phrase');
  assert.equal(parsed.header.tempos.length, 1);
  assert.equal(parsed.header.tempos[0].ticks, 0);
  assert.ok(Math.abs(parsed.header.tempos[0].bpm - 124) < 0.001, `bpm ${parsed.header.tempos[0].bpm}`);
  assert.deepEqual(parsed.header.timeSignatures.map((s) => [s.ticks, ...s.timeSignature]), [[0, 4, 4]]);

  // In the bytes: the set-tempo meta event (FF 51 03) sits in the first track chunk, ahead of
  // every other chunk and so of every note.
  const text = Buffer.from(bytes).toString('latin1');
  const tempoAt = text.indexOf('\xff\x51\x03');
  const chunks = [...text.matchAll(/MTrk/g)].map((m) => m.index);
  assert.ok(tempoAt > chunks[0] && tempoAt < chunks[1], 'tempo event in the conductor track');
  assert.ok(chunks.length === 5, 'conductor + drums + bass + chords + lead');

  const [drums, bass, chords, lead] = parsed.tracks;
  assert.deepEqual([drums.name, bass.name, chords.name, lead.name], ['drums', 'bass', 'chords', 'lead']);
  assert.deepEqual([drums.channel, bass.channel, chords.channel, lead.channel], [9, 0, 1, 2]);
  assert.equal(drums.instrument.percussion, true);
  assert.deepEqual([bass.instrument.number, chords.instrument.number, lead.instrument.number], [33, 0, 11]);
  const written = [drums, bass, chords, lead].flatMap((t) => t.notes.map((n) => ({ t, n })));
  assert.equal(written.length, NOTES.length);
  for (const { t, n } of written) {
    const note = NOTES.find((x) => x.track === t.name && x.pitch === n.midi && x.step * 120 === n.ticks);
    assert.ok(note, `note ${n.midi} at tick ${n.ticks} is on the grid and was asked for`);
    assert.equal(n.durationTicks, note.steps * 120);
    const velocity = n.velocity * 127;
    assert.ok(Math.abs(velocity - Math.round(velocity)) < 1e-9, `velocity ${velocity} is an integer`);
    assert.equal(Math.round(velocity), note.velocity);
  }
});

test('every velocity 1–127 survives bytes exactly; out-of-range velocities are clamped and rounded', () => {
  const notes: Note[] = Array.from({ length: 127 }, (_, i) => ({ track: 'chords', pitch: 60, step: i * 2, steps: 1, velocity: i + 1 }));
  notes.push({ track: 'bass', pitch: 40, step: 0, steps: 1, velocity: 0 });
  notes.push({ track: 'bass', pitch: 40, step: 2, steps: 1, velocity: 300 });
  notes.push({ track: 'bass', pitch: 40, step: 4, steps: 1, velocity: 63.6 });
  const parsed = new Midi(notesToMidi(notes, { tempo: 120 }));
  assert.deepEqual(parsed.tracks[2].notes.map((n) => n.velocity * 127), notes.slice(0, 127).map((n) => n.velocity));
  assert.deepEqual(parsed.tracks[1].notes.map((n) => Math.round(n.velocity * 127)), [1, 127, 64]);
  assert.throws(() => notesToMidi(notes, { tempo: 0 }), RangeError);
  assert.throws(() => notesToMidi(notes, { tempo: [{ step: 16, bpm: 100 }] }), /starts at step 0/);
  assert.throws(() => notesToMidi(notes, { tempo: [{ step: 0, bpm: 100 }, { step: 0, bpm: 90 }] }), /in step order/);
  assert.throws(() => notesToMidi([{ ...notes[0], step: 1.5 }], { tempo: 120 }), /note 0 \(chords\): step 1.5/);
});

test('a tempo map is written as it was played: 88, then 140 from bar 5, then 88 again from bar 9; notes stay on the step grid', () => {
  const notes: Note[] = [0, 64, 128].map((step) => ({ track: 'chords', pitch: 60, step, steps: 4, velocity: 90 }));
  const tempo = [
    { step: 0, bpm: 88 },
    { step: 16, bpm: 88 },
    { step: 64, bpm: 140 },
    { step: 128, bpm: 88 },
  ];
  const parsed = new Midi(notesToMidi(notes, { tempo, programs: { chords: 4 } }));
  assert.deepEqual(parsed.header.tempos.map((t) => [t.ticks, Math.round(t.bpm * 1000) / 1000]), [[0, 88], [64 * 120, 140], [128 * 120, 88]]);
  assert.deepEqual(parsed.tracks[2].notes.map((n) => n.ticks), [0, 64 * 120, 128 * 120]);
  assert.equal(parsed.tracks[2].instrument.number, 4, 'the program played');
  // Seconds follow the map: bar 5 starts after 4 bars at 88 bpm, bar 9 after 4 more at 140.
  const barAt = (bpm: number) => (4 * 60) / bpm;
  assert.ok(Math.abs(parsed.tracks[2].notes[2].time - (4 * barAt(88) + 4 * barAt(140))) < 1e-3, `${parsed.tracks[2].notes[2].time} s`);
});

test('a one-note-at-a-time track above middle C imports as the lead; a chordal one as chords; a low one as bass', () => {
  const bytes = buildMidi([
    { channel: 0, notes: [72, 74, 76, 77].map((midi, i) => ({ midi, ticks: i * 480, durationTicks: 480 })) },
    { channel: 1, notes: [60, 64, 67].flatMap((midi) => [0, 960].map((ticks) => ({ midi, ticks, durationTicks: 960 }))) },
    { channel: 2, notes: [36, 43].map((midi, i) => ({ midi, ticks: i * 960, durationTicks: 960 })) },
  ]);
  const { notes } = midiToNotes(bytes);
  assert.deepEqual([...new Set(notes.filter((n) => n.pitch >= 72).map((n) => n.track))], ['lead']);
  assert.deepEqual([...new Set(notes.filter((n) => n.pitch >= 60 && n.pitch < 72).map((n) => n.track))], ['chords']);
  assert.deepEqual([...new Set(notes.filter((n) => n.pitch < 50).map((n) => n.track))], ['bass']);
});

test('midiToNotes reads back what notesToMidi wrote', () => {
  const imported = midiToNotes(notesToMidi(NOTES, { tempo: 124 }));
  assert.equal(imported.bpm, 124);
  assert.equal(imported.bars, 2);
  assert.deepEqual(imported.warnings, []);
  assert.deepEqual([...imported.notes].sort(byOnset), [...NOTES].sort(byOnset));
});

test('midiToNotes quantises off-grid onsets and ends to the nearest 16th, at any PPQ', () => {
  for (const ppq of [480, 96]) {
    const step = ppq / 4;
    const bytes = buildMidi(
      [
        {
          channel: 0,
          program: 33,
          notes: [
            { midi: 40, ticks: Math.round(step * 0.3), durationTicks: Math.round(step * 1.9) }, // 0.3 → 0, ends 2.2 → 2
            { midi: 43, ticks: Math.round(step * 2.6), durationTicks: Math.round(step * 0.2) }, // 2.6 → 3, ends 2.8 → 3: one step
            { midi: 45, ticks: Math.round(step * 7.55), durationTicks: Math.round(step * 9.1) }, // 7.55 → 8, ends 16.65 → 17
          ],
        },
      ],
      { ppq },
    );
    assert.equal(new Midi(bytes).header.ppq, ppq);
    const { notes, bars } = midiToNotes(bytes);
    assert.deepEqual(
      notes.map((n) => [n.pitch, n.step, n.steps]),
      [
        [40, 0, 2],
        [43, 3, 1],
        [45, 8, 9],
      ],
      `ppq ${ppq}`,
    );
    assert.equal(bars, 2, 'bars cover the last note to its end');
  }
});

test('midiToNotes folds GM drum keys onto the 9 classes and drops unmapped keys with a warning', () => {
  const keys = [35, 37, 40, 44, 22, 26, 41, 43, 47, 50, 52, 57, 53, 59, 21];
  const bytes = buildMidi([{ channel: 9, notes: keys.map((midi, i) => ({ midi, ticks: i * 120, durationTicks: 30 })) }]);
  const { notes, warnings } = midiToNotes(bytes);
  assert.deepEqual(
    notes.map((n) => [n.track, n.pitch, n.steps]),
    [36, 38, 38, 42, 42, 46, 45, 45, 48, 50, 49, 49, 51, 51].map((pitch) => ['drums', pitch, 1]),
  );
  assert.ok(notes.every((n) => (DRUM_PITCHES as readonly number[]).includes(n.pitch)));
  assert.deepEqual(warnings, ['1 drum notes on keys with no drum class (21) were dropped']);
  assert.equal(drumClassOf(36), 36);
  assert.equal(drumClassOf(100), undefined);
});

test('midiToNotes sends low or bass-program tracks to bass, others to chords, folding pitches into range', () => {
  const bytes = buildMidi([
    // Piano, median 50 < 52: bass; 30 folds up to 42.
    { channel: 0, program: 0, notes: [30, 50, 51].map((midi, i) => ({ midi, ticks: i * 480, durationTicks: 480 })) },
    // Program 34 (picked bass) is a bass whatever its register: 70 folds down to 58.
    { channel: 1, program: 34, notes: [{ midi: 70, ticks: 0, durationTicks: 480 }] },
    // Piano, median exactly 52: chords; 100 folds down to 88.
    { channel: 2, program: 0, notes: [48, 50, 54, 100].map((midi, i) => ({ midi, ticks: i * 480, durationTicks: 480 })) },
  ]);
  const { notes } = midiToNotes(bytes);
  const show = (track: string) => notes.filter((n) => n.track === track).map((n) => n.pitch);
  assert.deepEqual(show('bass'), [42, 58, 50, 51]);
  assert.deepEqual(show('chords'), [48, 50, 54, 88]);
});

test('midiToNotes warns about tempo changes and skips non-4/4 spans, or keeps them when asked', () => {
  const bytes = buildMidi(
    [
      {
        channel: 0,
        notes: [
          { midi: 60, ticks: 0, durationTicks: 480 }, // in the 3/4 bar: skipped
          { midi: 62, ticks: 1440, durationTicks: 480 }, // first 4/4 bar
          { midi: 64, ticks: 1440 + 1920, durationTicks: 480 }, // second 4/4 bar
        ],
      },
    ],
    {
      bpm: [90, 100],
      timeSignatures: [
        { ticks: 0, timeSignature: [3, 4] },
        { ticks: 1440, timeSignature: [4, 4] },
      ],
    },
  );
  const skip = midiToNotes(bytes);
  assert.equal(skip.bpm, 90);
  assert.deepEqual(skip.notes.map((n) => [n.pitch, n.step]), [[62, 0], [64, 16]]);
  assert.equal(skip.bars, 2);
  assert.ok(skip.warnings.some((w) => w.includes('tempo changes') && w.includes('90 bpm')), skip.warnings.join('\n'));
  assert.ok(skip.warnings.some((w) => w.includes('3/4')), skip.warnings.join('\n'));
  assert.ok(skip.warnings.some((w) => w.includes('1 notes outside 4/4 were skipped')), skip.warnings.join('\n'));

  // No time signature until bar 2 means 4/4 until then (the MIDI default).
  const lateSignature = buildMidi(
    [{ channel: 0, notes: [0, 1920].map((ticks) => ({ midi: 60, ticks, durationTicks: 480 })) }],
    { timeSignatures: [{ ticks: 1920, timeSignature: [6, 8] }] },
  );
  assert.deepEqual(midiToNotes(lateSignature).notes.map((n) => n.step), [0]);

  const keep = midiToNotes(bytes, { nonFourFour: 'keep' });
  assert.deepEqual(keep.notes.map((n) => [n.pitch, n.step]), [[60, 0], [62, 12], [64, 28]]);
  assert.ok(keep.warnings.some((w) => w.includes('3/4') && w.includes('anyway')), keep.warnings.join('\n'));
});

test('midiToNotes refuses bytes that are not a MIDI file with WAVECAST_ERR_BAD_REQUEST', () => {
  assert.throws(() => midiToNotes(new TextEncoder().encode('not a midi file at all')), (error) => hasCode(error, 'WAVECAST_ERR_BAD_REQUEST'));
});
