import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WavecastErrorCode } from '../core/errors.js';
import { Playout, type ChannelFrame, type PlayoutOptions } from './playout.js';

const RATE = 8000;
const FRAME = 400; // 50 ms

function makePlayout(overrides: Partial<PlayoutOptions> = {}) {
  const frames: ChannelFrame[] = [];
  const problems: Array<{ code: WavecastErrorCode; message: string }> = [];
  const playout = new Playout({
    id: 'p',
    sampleRate: RATE,
    channels: 1,
    frameSamples: FRAME,
    volume: 1,
    title: 'p: test',
    loudness: { target: -16, ceiling: 1, window: 12, maxSlew: 1 },
    sink: { write: (frame) => frames.push(frame) },
    onProblem: (code, message) => problems.push({ code, message }),
    dryFill: 2,
    ...overrides,
  });
  return { playout, frames, problems };
}

/** `seconds` of a 3-partial tone starting at sample `from` (continuous across calls). */
function tone(seconds: number, from: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => {
    const t = (from + i) / RATE;
    return 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 331 * t) + 0.05 * Math.sin(2 * Math.PI * 447 * t);
  });
}

const joined = (frames: readonly ChannelFrame[]) => {
  const all = new Float32Array(frames.reduce((n, f) => n + f.pcm.length, 0));
  let at = 0;
  for (const f of frames) {
    all.set(f.pcm, at);
    at += f.pcm.length;
  }
  return all;
};

function longestSilence(samples: Float32Array): number {
  let longest = 0;
  let run = 0;
  for (const x of samples) {
    run = Math.abs(x) < 1e-4 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest / RATE;
}

/** The largest step between neighbouring samples: a click shows up as a jump far above the tone's own. */
function largestStep(samples: Float32Array): number {
  let largest = 0;
  for (let i = 1; i < samples.length; i++) largest = Math.max(largest, Math.abs(samples[i] - samples[i - 1]));
  return largest;
}

test('a channel that runs dry replays its recent audio instead of going quiet, and crossfades back when audio returns', () => {
  const { playout, frames, problems } = makePlayout();
  let pushed = 0;
  const push = (seconds: number) => {
    const pcm = tone(seconds, pushed);
    playout.push(pcm);
    pushed += pcm.length;
  };
  push(3);
  playout.start(0);
  playout.tick(5000); // 5 s due, 3 s queued: 2 s with nothing new
  assert.equal(frames.length, 100, 'every frame due was released');
  assert.equal(playout.counters.underruns, 1, 'the episode is counted');
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, 'WAVECAST_ERR_UNDERRUN');
  playout.tick(6000);
  assert.equal(playout.counters.underruns, 1, 'one episode, counted once');
  push(2);
  playout.tick(7000);
  assert.equal(frames.length, 140);
  assert.deepEqual(frames.map((f) => f.seq), [...Array(140).keys()], 'contiguous');
  const all = joined(frames.slice(1)); // the first frame opens with the limiter's look-ahead
  assert.ok(longestSilence(all) < 0.002, `never silent (longest near-zero run ${longestSilence(all)} s: a zero crossing)`);
  const toneStep = largestStep(tone(1, 0));
  const step = largestStep(all);
  assert.ok(step < 1.5 * toneStep, `no click at the joins: largest step ${step.toFixed(4)}, the tone's own ${toneStep.toFixed(4)}`);
  // The stream position counts queued audio played, not the repeats: the voice's bar grid stays true.
  assert.equal(playout.playedFrames + playout.bufferedFrames, pushed, 'played + queued = pushed');
  assert.ok(playout.counters.filledFrames >= 2.9 * (RATE / FRAME), `about 3 s filled, got ${playout.counters.filledFrames} frames`);
  assert.equal(problems.length, 1);
});

test('with dryFill 0 (or nothing played yet) a dry channel goes quiet and does not burst the missed time later', () => {
  for (const [dryFill, queued] of [[0, 1], [2, 0]]) {
    const { playout, frames } = makePlayout({ dryFill });
    if (queued > 0) playout.push(tone(queued, 0));
    playout.start(0);
    playout.tick(3000);
    const played = frames.length;
    assert.ok(played <= 20, `released only what was queued, got ${played}`);
    assert.equal(playout.counters.underruns, 1);
    playout.push(tone(2, 0));
    playout.tick(3100);
    assert.equal(frames.length - played, 2, '100 ms after the last tick: 2 frames, not the seconds missed');
  }
});
