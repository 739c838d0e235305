/**
 * Notes ↔ standard MIDI files: quantising an imported file to the 16th grid and reducing General
 * MIDI drums to the 9 classes, or writing notes out. Pure data conversion: bytes in, bytes out, no
 * files (`scripts/import-midi.ts` and `phrase-dataset.ts` do those). Key finding is in
 * `key-transpose.ts`, phrase cutting in `phrase-cutting.ts`.
 *
 *     .mid bytes ─ midiToNotes ─ estimateKeyShift ─ transposeNotes ─ notesToPhrases ─→ PianoRoll[]
 *     Note[] ─ notesToMidi ─→ .mid bytes (format 1, PPQ 480, one MIDI track per wavecast track)
 */
import toneMidi from '@tonejs/midi';
import type { Track as MidiTrack } from '@tonejs/midi';
import { WavecastError } from '../../core/errors.js';
import { foldIntoRange } from './key-transpose.js';
import { DRUM_PITCHES, STEPS_PER_BAR, STEPS_PER_BEAT, TRACKS, type TrackName } from './piano-roll.js';
import type { Note } from './roll-notes.js';

// @tonejs/midi ships CommonJS (a UMD bundle) whose named exports Node cannot see from ESM.
const { Midi } = toneMidi;

/** Ticks per quarter note in the files wavecast writes. */
export const MIDI_PPQ = 480;
const TICKS_PER_STEP = MIDI_PPQ / STEPS_PER_BEAT;
/** MIDI channel index 9 is channel 10, General MIDI percussion. */
const DRUM_CHANNEL = 9;

/**
 * Where each track goes in a written file, and its General MIDI program unless the caller names
 * the ones it played. Bass uses GM program 33, fingered electric bass: it is what a house or café
 * bass line sounds like in any GM player, where piano would blur the low end; the lead is a
 * vibraphone (11), which carries a melody over piano chords.
 */
export const MIDI_LAYOUT: Readonly<Record<TrackName, { channel: number; program: number }>> = {
  drums: { channel: DRUM_CHANNEL, program: 0 },
  bass: { channel: 0, program: 33 },
  chords: { channel: 1, program: 0 },
  lead: { channel: 2, program: 11 },
};

/** A tempo from a step on (a tempo map is a list of these, the first at step 0). */
export interface TempoChange {
  readonly step: number;
  readonly bpm: number;
}

export interface MidiWriteOptions {
  /** One tempo for the whole file, or a tempo map (changes in step order, the first at step 0). */
  tempo: number | readonly TempoChange[];
  /** The file's name (its header track name). */
  name?: string;
  /** General MIDI programs per pitched track, where they differ from `MIDI_LAYOUT`'s. */
  programs?: Partial<Record<TrackName, number>>;
}

/**
 * General MIDI drum keys (GM1 and GM2) folded onto the 9 classes, as Magenta's note-seq does
 * (`drums_encoder_decoder.DEFAULT_DRUM_TYPE_PITCHES`). Row order matches `DRUM_PITCHES`.
 */
const DRUM_CLASS_KEYS: readonly (readonly number[])[] = [
  [36, 35],
  [38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85],
  [42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22],
  [46, 67, 72, 74, 79, 81, 26],
  [45, 29, 41, 43, 61, 64, 84],
  [48, 47, 60, 63, 77, 86, 87],
  [50, 30, 62, 76, 83],
  [49, 52, 55, 57, 58],
  [51, 53, 59, 82],
];
const DRUM_CLASS_OF_KEY = new Map(DRUM_CLASS_KEYS.flatMap((keys, row) => keys.map((key) => [key, DRUM_PITCHES[row]] as const)));

/** The drum class (its `DRUM_PITCHES` key) a General MIDI drum key plays, or undefined. */
export function drumClassOf(gmKey: number): number | undefined {
  return DRUM_CLASS_OF_KEY.get(gmKey);
}

/**
 * Writes notes as a standard MIDI file: format 1, PPQ 480, the tempo map and 4/4 at tick 0, then
 * one MIDI track per wavecast track (see `MIDI_LAYOUT`). Times come from the step grid exactly
 * (120 ticks a step) whatever the tempo; drums are one step long; velocities are rounded and
 * clamped to 1–127. A tied-in note is written as the note it continues (pass joined notes).
 *
 * @example writeFile('phrase.mid', notesToMidi(notes, { tempo: [{ step: 0, bpm: 88 }, { step: 64, bpm: 140 }] }))
 */
export function notesToMidi(notes: readonly Note[], options: MidiWriteOptions): Uint8Array {
  const tempos = typeof options.tempo === 'number' ? [{ step: 0, bpm: options.tempo }] : options.tempo;
  if (tempos.length === 0 || tempos[0].step !== 0) throw new RangeError('a tempo map starts at step 0');
  for (const [i, t] of tempos.entries()) {
    if (!(Number.isFinite(t.bpm) && t.bpm > 0)) throw new RangeError(`bpm must be a positive number, got ${t.bpm}`);
    if (i > 0 && !(t.step > tempos[i - 1].step)) throw new RangeError(`tempo changes must be in step order, got step ${t.step} after ${tempos[i - 1].step}`);
  }
  const midi = new Midi();
  midi.header.name = options.name ?? '';
  for (const [i, t] of tempos.entries()) {
    if (i > 0 && t.bpm === tempos[i - 1].bpm) continue; // a change to the same tempo is no change
    midi.header.tempos.push({ ticks: t.step * TICKS_PER_STEP, bpm: t.bpm });
  }
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  midi.header.update();
  for (const t of TRACKS) {
    const out = midi.addTrack();
    out.name = t.name;
    out.channel = MIDI_LAYOUT[t.name].channel;
    out.instrument.number = options.programs?.[t.name] ?? MIDI_LAYOUT[t.name].program;
    for (const [index, note] of notes.entries()) {
      if (note.track !== t.name) continue;
      checkNote(note, index);
      out.addNote({
        midi: note.pitch,
        ticks: note.step * TICKS_PER_STEP,
        durationTicks: (t.percussive ? 1 : note.steps) * TICKS_PER_STEP,
        velocity: encodeVelocity(note.velocity),
      });
    }
  }
  return midi.toArray();
}

function checkNote(note: Note, index: number): void {
  const problem =
    !(Number.isInteger(note.pitch) && note.pitch >= 0 && note.pitch <= 127) ? `pitch ${note.pitch} is not a MIDI key`
    : !(Number.isInteger(note.step) && note.step >= 0) ? `step ${note.step} is not a step ≥ 0`
    : !(Number.isInteger(note.steps) && note.steps >= 1) ? `length ${note.steps} is not a whole number of steps ≥ 1`
    : Number.isNaN(note.velocity) ? 'velocity is NaN'
    : undefined;
  if (problem) throw new RangeError(`note ${index} (${note.track}): ${problem}`);
}

/**
 * @tonejs/midi keeps velocity as 0–1 and writes `floor(v × 127)`: storing (v + ½) / 127 makes
 * that floor land on v whatever the float rounding, and parsing gives back v / 127.
 */
function encodeVelocity(velocity: number): number {
  const clamped = Math.min(127, Math.max(1, Math.round(velocity)));
  return Math.min(1, (clamped + 0.5) / 127);
}

function decodeVelocity(velocity: number): number {
  return Math.min(127, Math.max(1, Math.round(velocity * 127)));
}

/** What `midiToNotes` read from a file. */
export interface MidiImport {
  /** Notes on the 16th grid, steps counted from the file's first 4/4 bar, ordered by onset. */
  notes: Note[];
  /** The file's first tempo (120, the MIDI default, when it has none). */
  bpm: number;
  /** Whole bars covering every note. */
  bars: number;
  /** What was dropped, guessed or ignored, one sentence each. */
  warnings: string[];
}

export interface MidiImportOptions {
  /**
   * What to do with spans under a time signature other than 4/4 (or 2/2): 'skip' drops their
   * notes and joins the 4/4 spans around them bar to bar; 'keep' imports them on the 4/4 grid
   * anyway (bars then straddle the file's barlines). Both add a warning.
   * @default 'skip'
   */
  nonFourFour?: 'skip' | 'keep';
}

/**
 * Reads a standard MIDI file into notes on the 16th grid: onsets and ends are rounded to the
 * nearest step; channel-10 tracks become drums (GM keys folded to the 9 classes, unmapped keys
 * dropped); a pitched track is bass when its GM family is bass or its median pitch is under
 * MIDI 52, lead when it plays one note at a time (a melody: ≥ 90 % of its notes overlap no
 * other) at a median of MIDI 60 or above, chords otherwise; its pitches are folded by octaves
 * into the track's range.
 * Throws WAVECAST_ERR_BAD_REQUEST when the bytes are not a MIDI file wavecast can read.
 */
export function midiToNotes(bytes: Uint8Array, options: MidiImportOptions = {}): MidiImport {
  const midi = parseMidi(bytes);
  const warnings: string[] = [];
  const toGrid = stepMapping(midi, options.nonFourFour ?? 'skip', warnings);
  const notes: Note[] = [];
  const unmappedDrumKeys = new Set<number>();
  let unmappedDrums = 0;
  let skipped = 0;
  for (const source of midi.tracks) {
    if (source.notes.length === 0) continue;
    const percussive = source.channel === DRUM_CHANNEL;
    const name: TrackName = percussive ? 'drums' : isBassTrack(source) ? 'bass' : isLeadTrack(source) ? 'lead' : 'chords';
    for (const n of source.notes) {
      const grid = toGrid(n.ticks, n.ticks + n.durationTicks);
      if (grid === undefined) {
        skipped++;
        continue;
      }
      const { step, end } = grid;
      const velocity = decodeVelocity(n.velocity);
      if (percussive) {
        const pitch = drumClassOf(n.midi);
        if (pitch === undefined) {
          unmappedDrums++;
          unmappedDrumKeys.add(n.midi);
        } else {
          notes.push({ track: 'drums', pitch, step, steps: 1, velocity });
        }
        continue;
      }
      notes.push({ track: name, pitch: foldIntoRange(name, n.midi), step, steps: Math.max(1, end - step), velocity });
    }
  }
  if (skipped > 0) warnings.push(`${skipped} notes outside 4/4 were skipped`);
  if (unmappedDrums > 0) {
    const keys = [...unmappedDrumKeys].sort((a, b) => a - b).join(', ');
    warnings.push(`${unmappedDrums} drum notes on keys with no drum class (${keys}) were dropped`);
  }
  const merged = mergeDuplicates(notes);
  if (merged.length === 0) warnings.push('no notes to import');
  const lastStep = merged.reduce((end, n) => Math.max(end, n.step + n.steps), 0);
  return { notes: merged, bpm: tempoOf(midi, warnings), bars: Math.ceil(lastStep / STEPS_PER_BAR), warnings };
}

function parseMidi(bytes: Uint8Array): InstanceType<typeof Midi> {
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `not a standard MIDI file (${(error as Error).message})`, { cause: error });
  }
  if (!(midi.header.ppq > 0)) {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', 'SMPTE time division is not supported: wavecast needs ticks per quarter note');
  }
  return midi;
}

function tempoOf(midi: InstanceType<typeof Midi>, warnings: string[]): number {
  const tempos = [...midi.header.tempos].sort((a, b) => a.ticks - b.ticks);
  if (tempos.length === 0) return 120;
  // A file stores µs per beat as an integer: 124 bpm reads back as 124.00025.
  const bpm = Math.round(tempos[0].bpm * 1000) / 1000;
  const changes = tempos.filter((t) => Math.abs(t.bpm - tempos[0].bpm) > 0.01).length;
  if (changes > 0) warnings.push(`${changes} tempo changes ignored; using the first tempo, ${bpm} bpm`);
  return bpm;
}

/** Onset and end of a note on the step grid. */
interface GridSpan {
  step: number;
  end: number;
}

/**
 * The tick → step mapping of a file. Steps count from tick 0 when the whole file is 4/4; in
 * 'skip' mode each non-4/4 span is cut out and the 4/4 spans are joined, so barlines stay on
 * multiples of 16 steps. Returns undefined for a note starting in a skipped span.
 */
function stepMapping(
  midi: InstanceType<typeof Midi>,
  mode: 'skip' | 'keep',
  warnings: string[],
): (tick: number, endTick: number) => GridSpan | undefined {
  const ppq = midi.header.ppq;
  const ticksPerStep = ppq / STEPS_PER_BEAT;
  const byTick = new Map<number, readonly number[]>();
  for (const s of [...midi.header.timeSignatures].sort((a, b) => a.ticks - b.ticks)) byTick.set(s.ticks, s.timeSignature);
  if (!byTick.has(0)) byTick.set(0, [4, 4]); // MIDI's default before any time signature
  // 2/2 has the same four quarter notes a bar, so its barlines fall where 4/4's do.
  const spans = [...byTick]
    .sort(([a], [b]) => a - b)
    .map(([start, [numerator, denominator]], i, all) => ({
      start,
      end: i + 1 < all.length ? all[i + 1][0] : Infinity,
      signature: `${numerator}/${denominator}`,
      fourFour: (numerator === 4 && denominator === 4) || (numerator === 2 && denominator === 2),
      firstStep: 0,
    }));
  const odd = spans.filter((s) => !s.fourFour);
  if (odd.length === 0 || mode === 'keep') {
    for (const s of odd) warnings.push(`time signature ${s.signature} at tick ${s.start} imported on the 4/4 grid anyway`);
    return (tick, endTick) => ({ step: Math.round(tick / ticksPerStep), end: Math.round(endTick / ticksPerStep) });
  }
  for (const s of odd) warnings.push(`time signature ${s.signature} at tick ${s.start}: its notes are skipped`);
  let nextStep = 0;
  for (const s of spans) {
    s.firstStep = nextStep;
    if (s.fourFour && s.end !== Infinity) nextStep += Math.round((s.end - s.start) / (ppq * 4)) * STEPS_PER_BAR;
  }
  return (tick, endTick) => {
    let span = spans[0];
    for (const s of spans) if (s.start <= tick) span = s;
    if (!span.fourFour) return undefined;
    const at = (t: number) => span.firstStep + Math.round((t - span.start) / ticksPerStep);
    return { step: at(tick), end: at(endTick) };
  };
}

function medianPitch(source: MidiTrack): number {
  const pitches = source.notes.map((n) => n.midi).sort((a, b) => a - b);
  const middle = pitches.length >> 1;
  return pitches.length % 2 ? pitches[middle] : (pitches[middle - 1] + pitches[middle]) / 2;
}

function isBassTrack(source: MidiTrack): boolean {
  return source.instrument.family === 'bass' || medianPitch(source) < 52;
}

/** A melody: one note at a time (≥ 90 % of notes overlap no other note of the track), median MIDI 60 or above. */
function isLeadTrack(source: MidiTrack): boolean {
  if (medianPitch(source) < 60) return false;
  const notes = [...source.notes].sort((a, b) => a.ticks - b.ticks);
  let overlapping = 0;
  for (let i = 0; i < notes.length; i++) {
    const before = i > 0 && notes[i - 1].ticks + notes[i - 1].durationTicks > notes[i].ticks;
    const after = i + 1 < notes.length && notes[i].ticks + notes[i].durationTicks > notes[i + 1].ticks;
    if (before || after) overlapping++;
  }
  return overlapping <= notes.length * 0.1;
}

/** One note per (track, pitch, onset): the longest length and loudest velocity win. */
function mergeDuplicates(notes: readonly Note[]): Note[] {
  const byCell = new Map<string, Note>();
  for (const n of notes) {
    const key = `${n.track} ${n.pitch} ${n.step}`;
    const seen = byCell.get(key);
    byCell.set(key, seen ? { ...n, steps: Math.max(seen.steps, n.steps), velocity: Math.max(seen.velocity, n.velocity) } : n);
  }
  const trackOrder = (name: TrackName) => TRACKS.findIndex((t) => t.name === name);
  return [...byCell.values()].sort((a, b) => a.step - b.step || trackOrder(a.track) - trackOrder(b.track) || a.pitch - b.pitch);
}
