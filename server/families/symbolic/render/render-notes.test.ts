import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../../../core/errors.js';
import type { TrackName } from '../piano-roll.js';
import type { Note } from '../roll-notes.js';
import { INSTRUMENT_SETS, type InstrumentSetName } from './instrument-set.js';
import { renderNotes, type RenderOptions } from './render-notes.js';

const RATE = 44100;

const note = (track: TrackName, pitch: number, step: number, steps = 1, velocity = 100): Note => ({ track, pitch, step, steps, velocity });

function options(instrumentSet: InstrumentSetName, seconds: number, extra: Partial<RenderOptions> = {}): RenderOptions {
  return { bpm: 120, sampleRate: RATE, channels: 1, instrumentSet, length: Math.round(seconds * RATE), ...extra };
}

function firstAbove(signal: Float32Array, level: number): number {
  return signal.findIndex((x) => Math.abs(x) > level);
}

function rms(signal: Float32Array, from = 0, to = signal.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += signal[i] * signal[i];
  return Math.sqrt(sum / Math.max(1, to - from));
}

function peak(signal: Float32Array): number {
  return signal.reduce((largest, x) => Math.max(largest, Math.abs(x)), 0);
}

/**
 * Fundamental frequency of `signal[from, from + window)` by normalised autocorrelation: the
 * shortest lag (between 40 Hz and 2 kHz) whose correlation is a local maximum within 10 % of the
 * best, refined by a parabola through its neighbours (sub-sample lags).
 */
function estimateF0(signal: Float32Array, from: number, window: number, rate = RATE): number {
  const correlation = (lag: number) => {
    let sum = 0;
    let energyA = 0;
    let energyB = 0;
    for (let i = from; i < from + window; i++) {
      sum += signal[i] * signal[i + lag];
      energyA += signal[i] * signal[i];
      energyB += signal[i + lag] * signal[i + lag];
    }
    return sum / Math.sqrt(energyA * energyB);
  };
  const minLag = Math.floor(rate / 2000);
  const maxLag = Math.ceil(rate / 40);
  const values = Array.from({ length: maxLag + 2 }, (_, lag) => (lag >= minLag - 1 ? correlation(lag) : 0));
  const best = Math.max(...values.slice(minLag, maxLag + 1));
  for (let lag = minLag; lag <= maxLag; lag++) {
    if (values[lag] >= 0.9 * best && values[lag] >= values[lag - 1] && values[lag] >= values[lag + 1]) {
      const [a, b, c] = [values[lag - 1], values[lag], values[lag + 1]];
      return rate / (lag + (0.5 * (a - c)) / (a - 2 * b + c));
    }
  }
  throw new Error('no period found');
}

const hz = (pitch: number) => 440 * Math.pow(2, (pitch - 69) / 12);

test('a piano note at step 4 at 120 bpm starts at 0.5 s: first sample above −40 dBFS within 2 ms', async () => {
  const pcm = await renderNotes([note('chords', 60, 4, 4)], options('piano', 1.5));
  const onset = firstAbove(pcm, 0.01) / RATE;
  assert.ok(Math.abs(onset - 0.5) <= 0.002, `onset at ${onset} s`);
  // and a note at step 0 (which cannot start its pre-roll early) is on time too
  const atZero = await renderNotes([note('bass', 43, 0, 4)], options('piano', 0.5));
  assert.ok(firstAbove(atZero, 0.01) / RATE <= 0.002, `onset at ${firstAbove(atZero, 0.01) / RATE} s`);
});

test('piano pitch: A4 plays 440 Hz and D4 (between samples, retuned from D#4) 293.7 Hz, within 1 %', async () => {
  for (const pitch of [69, 62]) {
    const pcm = await renderNotes([note('chords', pitch, 0, 8)], options('piano', 1));
    const f0 = estimateF0(pcm, Math.round(0.2 * RATE), 4096);
    assert.ok(Math.abs(f0 / hz(pitch) - 1) < 0.01, `pitch ${pitch}: ${f0.toFixed(2)} Hz, expected ${hz(pitch).toFixed(2)}`);
  }
  // At another rate the samples are decoded (resampled) to that rate: still in tune.
  const at48k = await renderNotes([note('chords', 69, 0, 8)], options('piano', 0, { sampleRate: 48000, length: 48000 }));
  const f0 = estimateF0(at48k, Math.round(0.2 * 48000), 4096, 48000);
  assert.ok(Math.abs(f0 / 440 - 1) < 0.01, `A4 at 48 kHz: ${f0.toFixed(2)} Hz`);
});

test('synth pitch: the electronic bass plays A2 at 110 Hz and the pad A3 at 220 Hz, within 1 %', async () => {
  for (const [track, pitch] of [['bass', 45], ['chords', 57]] as const) {
    const pcm = await renderNotes([note(track, pitch, 0, 8)], options('electronic', 1));
    const f0 = estimateF0(pcm, Math.round(0.4 * RATE), 4096);
    assert.ok(Math.abs(f0 / hz(pitch) - 1) < 0.01, `${track} ${pitch}: ${f0.toFixed(2)} Hz, expected ${hz(pitch)}`);
  }
});

test('higher velocity is louder, on every voice', async () => {
  const cases: [InstrumentSetName, TrackName, number][] = [['piano', 'chords', 64], ['electronic', 'bass', 40], ['electronic', 'chords', 64], ['band', 'drums', 38]];
  for (const [set, track, pitch] of cases) {
    const [soft, loud] = await Promise.all([40, 110].map((velocity) => renderNotes([note(track, pitch, 0, 4, velocity)], options(set, 0.6))));
    // (110 / 40)^1.5 ≈ 4.6, about 13 dB
    assert.ok(rms(loud) > 3 * rms(soft), `${set} ${track}: ${rms(loud)} vs ${rms(soft)}`);
  }
});

test('output length and channel count are exact; stereo is interleaved and panned', async () => {
  const notes = [note('drums', 51, 0), note('bass', 40, 1, 2)];
  for (const channels of [1, 2] as const) {
    for (const length of [1, 12345, 44100]) {
      const pcm = await renderNotes(notes, options('band', 0, { channels, length }));
      assert.equal(pcm.length, length * channels);
    }
  }
  assert.equal((await renderNotes(notes, options('band', 0, { length: 0 }))).length, 0);
  assert.equal((await renderNotes([], options('band', 0, { channels: 2, length: 777 }))).length, 1554);
  // The ride sits right of centre: the right channel (odd indices) carries more of it.
  const ride = await renderNotes([note('drums', 51, 0)], options('band', 0.5, { channels: 2 }));
  const left = ride.filter((_, i) => i % 2 === 0);
  const right = ride.filter((_, i) => i % 2 === 1);
  assert.ok(rms(right) > 1.5 * rms(left), `right ${rms(right)} vs left ${rms(left)}`);
});

test('a bar of drums in the electronic set has energy at every drum onset, sample-accurate', async () => {
  // Each of the 9 drums once, long decays last (each onset must stand out of the tail before it).
  const kit = [36, 38, 42, 46, 45, 48, 50, 51, 49];
  const notes = kit.map((pitch, i) => note('drums', pitch, [0, 2, 4, 5, 6, 8, 10, 12, 15][i]));
  const pcm = await renderNotes(notes, options('electronic', 3));
  const step = 60 / 120 / 4;
  const ms = (t: number) => Math.round((t / 1000) * RATE);
  for (const { pitch, step: at } of notes) {
    const onset = Math.round(at * step * RATE);
    const before = rms(pcm, Math.max(0, onset - ms(10)), onset);
    const after = rms(pcm, onset, onset + ms(10));
    assert.ok(after > 0.003 && after > 2 * before, `drum ${pitch} at step ${at}: ${after} after vs ${before} before`);
    // Silent until the hit's own first sample (the first hit; later ones overlap tails).
    if (at === 0) assert.ok(firstAbove(pcm, 1e-4) >= onset && firstAbove(pcm, 1e-4) <= onset + ms(1));
  }
});

test('the piano set leaves the drums silent and plays everything else as without them', async () => {
  const drums = [note('drums', 36, 0), note('drums', 38, 4), note('drums', 42, 2)];
  assert.equal(peak(await renderNotes(drums, options('piano', 1))), 0);
  const chords = [note('chords', 64, 0, 4), note('bass', 40, 0, 4)];
  assert.deepEqual(await renderNotes([...chords, ...drums], options('piano', 1)), await renderNotes(chords, options('piano', 1)));
});

test('a dense loud bar (4-note chords on all 16 steps, bass, drums) does not clip in any set', async () => {
  const notes: Note[] = [];
  for (let step = 0; step < 16; step += 2) {
    for (const pitch of [60, 64, 67, 71]) notes.push(note('chords', pitch, step, 2, 127));
    notes.push(note('bass', 36, step, 2, 127));
  }
  for (let step = 0; step < 16; step++) notes.push(note('drums', step % 4 === 0 ? 36 : 42, step, 1, 127));
  notes.push(note('drums', 49, 0, 1, 127), note('drums', 38, 4, 1, 127), note('drums', 38, 12, 1, 127));
  for (const set of INSTRUMENT_SETS) {
    const pcm = await renderNotes(notes, options(set, 3, { channels: 2 }));
    assert.ok(peak(pcm) < 0.95, `${set}: peak ${peak(pcm)}`);
    assert.ok(peak(pcm) > 0.2, `${set}: peak ${peak(pcm)} (something sounded)`);
  }
});

test('synth voices stop after note-off plus release: exact silence after the tail', async () => {
  const pcm = await renderNotes([note('bass', 40, 0, 2)], options('electronic', 1));
  const off = 2 * 0.125;
  const end = Math.round((off + 0.1) * RATE); // release 0.09 s + 5 ms tail, and a little more
  assert.ok(rms(pcm, 0, Math.round(off * RATE)) > 0.01);
  assert.equal(peak(pcm.subarray(end)), 0);
});

test('renders are deterministic, also when several run at once (they share samples and noise)', async () => {
  const notes = [note('drums', 42, 0), note('drums', 38, 2), note('chords', 64, 0, 4), note('bass', 40, 1, 2)];
  const alone = await renderNotes(notes, options('band', 0.6));
  const together = await Promise.all([0, 1, 2].map(() => renderNotes(notes, options('band', 0.6))));
  for (const pcm of together) assert.deepEqual(pcm, alone);
});

test('master gain scales the output; bad options are config errors', async () => {
  const notes = [note('chords', 60, 0, 4)];
  const [unity, half] = await Promise.all([1, 0.5].map((gain) => renderNotes(notes, options('piano', 0.5, { gain }))));
  assert.ok(Math.abs(rms(half) / rms(unity) - 0.5) < 1e-3);
  for (const bad of [{ bpm: 0 }, { channels: 3 as 1 }, { length: -1 }, { length: 1.5 }, { instrumentSet: 'kazoo' as 'piano' }, { sampleRate: 100 }]) {
    await assert.rejects(renderNotes(notes, options('piano', 0.5, bad)), (error) => hasCode(error, 'WAVECAST_ERR_CONFIG'), JSON.stringify(bad));
  }
});
