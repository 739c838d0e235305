/**
 * The phrase player on a real synth (a NoteSynth on this thread, the Salamander piano): a note
 * held across a bar line sounds on without a new attack or a dip, because nothing restarts at
 * the bar; a note struck again at the bar line does show a new attack, so the measure can tell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhrasePlayer } from './phrase-player.js';
import { cellIndex, emptyRoll, STEPS_PER_BAR } from './piano-roll.js';
import { stepSeconds } from './roll-notes.js';
import { resolveSound } from './sound/instrument-presets.js';
import { NoteSynth } from './sound/note-synth.js';

const RATE = 44100;
const BPM = 100;

/** A phrase with C4 (chords row 12) on the steps given. */
function phraseWith(steps: number[]): Float32Array {
  const roll = emptyRoll();
  for (const step of steps) roll[cellIndex(step, 'chords', 12)] = 0.9;
  return roll;
}

/** The first two bars of `phrase` on the piano, left channel. */
async function firstBars(phrase: Float32Array): Promise<Float32Array> {
  const synth = await NoteSynth.create({ sampleRate: RATE, channels: 2, sound: resolveSound('piano') });
  const player = new PhrasePlayer({ sampleRate: RATE, bpm: BPM, threshold: 0.5, synth, historyBars: 8 });
  const bars: Float32Array[] = [];
  for await (const bar of player.play(phrase)) {
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
  const held = await firstBars(phraseWith([12, 13, 14, 15, 16, 17, 18, 19]));
  const { before, after } = windowsAround(held, barLine);
  const last = before[before.length - 1];
  assert.ok(last > 1e-3, `the note sounds before the bar line (rms ${last})`);
  assert.ok(Math.max(...after) < last * 1.1, `no re-attack: ${after.map((v) => v.toFixed(4)).join(' ')} after ${last.toFixed(4)}`);
  assert.ok(Math.min(...after) > last * 0.7, `no dip: ${after.map((v) => v.toFixed(4)).join(' ')} after ${last.toFixed(4)}`);
});

test('the same note struck again at the bar line shows its attack (the measure can fail)', async () => {
  const restruck = await firstBars(phraseWith([12, 13, 14, 16, 17, 18, 19]));
  const { before, after } = windowsAround(restruck, barLine);
  assert.ok(Math.max(...after) > before[before.length - 1] * 1.5, `re-attack: ${after.map((v) => v.toFixed(4)).join(' ')}`);
});

test('note events land on their sample positions: the attack of a note at step 4 comes 1–3 ms after it', async () => {
  const audio = await firstBars(phraseWith([4]));
  const onset = Math.round(4 * stepSeconds(BPM) * RATE);
  const peak = audio.reduce((max, x) => Math.max(max, Math.abs(x)), 0);
  const attack = audio.findIndex((x) => Math.abs(x) >= 0.1 * peak);
  const ms = ((attack - onset) / RATE) * 1000;
  assert.ok(ms >= 0 && ms <= 3, `attack ${ms.toFixed(2)} ms after the note's step`);
  assert.ok(audio.subarray(0, onset).every((x) => Math.abs(x) < 1e-4), 'silence before the note');
});
