import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfflineAudioContext } from 'node-web-audio-api';
import { scheduleEnvelope, type EnvelopeShape } from './envelope.js';

const RATE = 8000;

/** Renders a constant 1 through a gain carrying the envelope: the output is the envelope itself. */
async function envelopeOf(shape: EnvelopeShape, peak: number, when: number, off: number, seconds = 2): Promise<{ values: Float32Array; end: number }> {
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: seconds * RATE, sampleRate: RATE });
  const source = context.createConstantSource();
  const gain = context.createGain();
  const end = scheduleEnvelope(gain.gain, shape, peak, when, off);
  source.connect(gain).connect(context.destination);
  source.start(0);
  const rendered = await context.startRendering();
  const values = new Float32Array(rendered.length);
  rendered.copyFromChannel(values, 0);
  return { values, end };
}

function largestStep(values: Float32Array): number {
  let largest = 0;
  for (let i = 1; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i] - values[i - 1]));
  return largest;
}

const at = (values: Float32Array, seconds: number) => values[Math.round(seconds * RATE)];

test('ADSR: silent before the onset, peak after the attack, sustain until note-off, exactly 0 at the returned end', async () => {
  const shape = { attack: 0.01, decay: 0.1, sustain: 0.5, release: 0.2 };
  const { values, end } = await envelopeOf(shape, 0.8, 0.1, 1);
  assert.equal(at(values, 0.05), 0);
  assert.ok(Math.abs(at(values, 0.11) - 0.8) < 0.01, `peak ${at(values, 0.11)}`);
  assert.ok(Math.abs(at(values, 0.5) - 0.4) < 1e-3, `sustain ${at(values, 0.5)}`);
  assert.ok(Math.abs(at(values, 0.99) - 0.4) < 1e-3);
  assert.ok(at(values, 1.1) < 0.4 && at(values, 1.1) > 0.4e-3, 'released part way');
  assert.ok(Math.abs(end - 1.205) < 1e-9, `end ${end}`);
  assert.equal(at(values, end + 0.001), 0);
  // No jumps: the steepest step is the attack's (0.8 over 80 frames).
  assert.ok(largestStep(values) <= 0.8 / 80 + 1e-4, `largest step ${largestStep(values)}`);
});

test('a note-off during the attack or the decay releases from the level reached there, without a jump', async () => {
  const shape = { attack: 0.05, decay: 0.2, sustain: 0.3, release: 0.1 };
  // Level reached at each note-off: 0.4 of the way up the attack; a quarter into the decay.
  const reached = new Map([[0.12, 0.4], [0.2, Math.pow(0.3, 0.25)]]);
  for (const [off, level] of reached) {
    const { values, end } = await envelopeOf(shape, 1, 0.1, off);
    assert.ok(Math.abs(at(values, off) - level) < 0.01, `off ${off}: level ${at(values, off)}, expected ${level}`);
    // The steepest moves allowed: the attack's (1 / 400 per frame) and the release's start
    // (level · ln 1000 / 0.1 s per frame); a jump would be a step of the whole level.
    const steepest = Math.max(1 / 400, (level * Math.log(1000)) / 0.1 / RATE);
    assert.ok(largestStep(values) <= steepest * 1.02, `off ${off}: largest step ${largestStep(values)} > ${steepest}`);
    assert.ok(Math.abs(end - (off + 0.105)) < 1e-9);
    assert.equal(at(values, end + 0.001), 0);
  }
});

test('a one-shot (sustain 0) ignores note-off and ends after its decay', async () => {
  const { values, end } = await envelopeOf({ attack: 0.001, decay: 0.3, sustain: 0, release: 0 }, 1, 0, Infinity);
  assert.ok(Math.abs(end - 0.306) < 1e-9, `end ${end}`);
  assert.ok(at(values, 0.15) > 0.02 && at(values, 0.15) < 0.05, `halfway through the decay: ${at(values, 0.15)} (≈ −30 dB)`);
  assert.equal(at(values, 0.31), 0);
});
