/**
 * The phrase player on a real synth (a NoteSynth on this thread, the Salamander piano): a note
 * held across a bar line sounds on without a new attack or a dip, because nothing restarts at
 * the bar; a note struck again at the bar line does show a new attack, so the measure can tell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhrasePlayer } from './phrase-player.js';
import { STEPS_PER_BAR } from './piano-roll.js';
import { stepSeconds, type Note } from './roll-notes.js';
import type { NoteEvent } from './sound/note-synth.js';
import { resolveSound } from './sound/instrument-presets.js';
import { NoteSynth } from './sound/note-synth.js';

const RATE = 44100;
const BPM = 100;

/** C4 on the chords track for each [step, steps]. */
function phraseWith(spans: [number, number][]): Note[] {
  return spans.map(([step, steps]) => ({ track: 'chords', pitch: 60, step, steps, velocity: 90 }));
}

const LABEL = { key: 0, section: 'A' };

/** The first two bars of `phrase` on the piano, left channel. */
async function firstBars(phrase: Note[]): Promise<Float32Array> {
  const synth = await NoteSynth.create({ sampleRate: RATE, channels: 2, sound: resolveSound('piano') });
  const player = new PhrasePlayer({ sampleRate: RATE, bpm: BPM, synth, historyBars: 8 });
  const bars: Float32Array[] = [];
  for await (const bar of player.play(phrase, LABEL)) {
    bars.push(bar);
    if (bars.length === 2) break;
  }
  synth.dispose();
  const left = new Float32Array((bars[0].length + bars[1].length) / 2);
  let at = 0;
  for (const bar of bars) for (let i = 0; i < bar.length; i += 2) left[at++] = bar[i];
  return left;
}

/** RMS of 10 ms windows from 100 ms before `frame` to 100 ms after it. */
function windowsAround(signal: Float32Array, frame: number): { before: number[]; after: number[] } {
  const size = Math.round(0.01 * RATE);
  const rms = (start: number) => {
    let sum = 0;
    for (let i = start; i < start + size; i++) sum += signal[i] ** 2;
    return Math.sqrt(sum / size);
  };
  const before = Array.from({ length: 10 }, (_, i) => rms(frame - (10 - i) * size));
  const after = Array.from({ length: 10 }, (_, i) => rms(frame + i * size));
  return { before, after };
}

const barLine = Math.round(STEPS_PER_BAR * stepSeconds(BPM) * RATE);

test('a note held across a bar line rings on: no new attack, no dip', async () => {
  const held = await firstBars(phraseWith([[12, 8]]));
  const { before, after } = windowsAround(held, barLine);
  const last = before[before.length - 1];
  assert.ok(last > 1e-3, `the note sounds before the bar line (rms ${last})`);
  assert.ok(Math.max(...after) < last * 1.1, `no re-attack: ${after.map((v) => v.toFixed(4)).join(' ')} after ${last.toFixed(4)}`);
  assert.ok(Math.min(...after) > last * 0.7, `no dip: ${after.map((v) => v.toFixed(4)).join(' ')} after ${last.toFixed(4)}`);
});

test('the same note struck again at the bar line shows its attack (the measure can fail)', async () => {
  const restruck = await firstBars(phraseWith([[12, 3], [16, 4]]));
  const { before, after } = windowsAround(restruck, barLine);
  assert.ok(Math.max(...after) > before[before.length - 1] * 1.5, `re-attack: ${after.map((v) => v.toFixed(4)).join(' ')}`);
});

test('note events land on their sample positions: the attack of a note at step 4 comes 1–3 ms after it', async () => {
  const audio = await firstBars(phraseWith([[4, 1]]));
  const onset = Math.round(4 * stepSeconds(BPM) * RATE);
  const peak = audio.reduce((max, x) => Math.max(max, Math.abs(x)), 0);
  const attack = audio.findIndex((x) => Math.abs(x) >= 0.1 * peak);
  const ms = ((attack - onset) / RATE) * 1000;
  assert.ok(ms >= 0 && ms <= 3, `attack ${ms.toFixed(2)} ms after the note's step`);
  assert.ok(audio.subarray(0, onset).every((x) => Math.abs(x) < 1e-4), 'silence before the note');
});

/** A renderer that keeps the events it was given, with the bar they came in. */
function recorder() {
  const calls: NoteEvent[][] = [];
  return { calls, render: (events: readonly NoteEvent[], frames: number) => (calls.push([...events]), new Float32Array(frames * 2)) };
}

test('a note tied over a phrase boundary is not struck again, and the MIDI history holds it as one note', async () => {
  const synth = recorder();
  const player = new PhrasePlayer({ sampleRate: RATE, bpm: BPM, synth, historyBars: 16 });
  const held: Note = { track: 'chords', pitch: 60, step: 56, steps: 8, velocity: 90 };
  const open: Note = { track: 'lead', pitch: 72, step: 60, steps: 4, velocity: 70 };
  for await (const _ of player.play([held, open], LABEL));
  const tied: Note = { track: 'chords', pitch: 60, step: 0, steps: 4, velocity: 64, tiedIn: true };
  for await (const _ of player.play([tied], LABEL));
  const events = synth.calls.flat();
  assert.deepEqual(events.filter((e) => e.pitch === 60).map((e) => e.velocity), [90, 0], 'one note-on, one note-off');
  const barFrames = Math.round(STEPS_PER_BAR * stepSeconds(BPM) * RATE);
  assert.equal(events.find((e) => e.pitch === 60 && e.velocity === 0)!.frame, 4 * barFrames + Math.round(4 * stepSeconds(BPM) * RATE));
  // The lead note was not tied over: it is released right at the phrase's end, in the next bar's events.
  assert.deepEqual(synth.calls[4].filter((e) => e.pitch === 72).map((e) => [e.frame, e.velocity]), [[4 * barFrames, 0]]);
  const bar3 = player.history[3];
  assert.deepEqual(bar3.notes.find((n) => n.pitch === 60), { track: 'chords', pitch: 60, step: 8, steps: 12, velocity: 90 });
  assert.equal(player.history[4].notes.length, 0);
});
