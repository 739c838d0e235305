/**
 * Faults on fakes: a generator that throws (or whose worker thread died) mid-stream. What is
 * checked is what listeners get: every frame, on time, never silent, and generated audio again
 * once the generator works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../broadcast/chunk-queue.js';
import type { ChannelOutput } from '../broadcast/channel-output.js';
import { WavecastError } from '../core/errors.js';
import { startFakeStation } from './fake-station.test-helper.js';

const until = async (what: string, condition: () => boolean, seconds = 10) => {
  const end = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The f32le frames a channel releases from now on, with their arrival times. */
function capture(output: Pick<ChannelOutput, 'pcmQueue'>) {
  const frames: Array<{ seq: number; pcm: Float32Array; at: number }> = [];
  output.pcmQueue('f32le').on('chunk', ({ bytes }: Chunk) => {
    frames.push({
      seq: new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true),
      pcm: new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.byteLength)),
      at: performance.now(),
    });
  });
  return frames;
}

/** Longest run (seconds) where every sample of every channel is under −80 dBFS. */
function longestSilence(frames: ReadonlyArray<{ pcm: Float32Array }>, sampleRate: number, channels: number): number {
  let longest = 0;
  let run = 0;
  for (const { pcm } of frames) {
    for (let i = 0; i < pcm.length; i += channels) {
      let quiet = true;
      for (let c = 0; c < channels; c++) if (Math.abs(pcm[i + c]) >= 1e-4) quiet = false;
      run = quiet ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
  }
  return longest / sampleRate;
}

/** Seconds of wall time the listener waited beyond the audio it got, over the worst stretch (a gap in delivery). */
function worstShortfall(frames: ReadonlyArray<{ at: number }>, frameSeconds: number): number {
  let worst = 0;
  let best = Infinity; // min over earlier frames of (arrival − audio before it)
  frames.forEach(({ at }, i) => {
    const lead = at / 1000 - i * frameSeconds;
    best = Math.min(best, lead);
    worst = Math.max(worst, lead - best);
  });
  return worst;
}

test('a generator that throws mid-stream: the channels loop their recent audio, the problem shows, and they generate again once it works', { timeout: 60_000 }, async (t) => {
  const { station, made } = await startFakeStation({ server: { bufferAhead: 1, retryDelay: 0.4, retryMaxDelay: 0.8, dryFill: 2 } });
  try {
    const captures = Object.fromEntries(['a', 's'].map((id) => [id, capture(station.channel(id).output)]));
    await sleep(1000);
    const failedAt = performance.now();
    const failure = new WavecastError('WAVECAST_ERR_ENGINE', 'generator worker exited (code 1)');
    for (const generator of made) generator.failWith = failure;
    await sleep(3000); // three times the buffer
    const callsWhileFailing = made.map((g) => g.calls);
    const healed = performance.now();
    for (const generator of made) generator.failWith = undefined;
    await until('every channel buffered again', () => [...station.channels.values()].every(({ channel }) => channel.bufferedSeconds >= 0.9));
    const recovery = (performance.now() - healed) / 1000;
    await sleep(1000);
    for (const [id, captured] of Object.entries(captures)) {
      const { channel } = station.channel(id);
      // From half a second before the fault (the start-up's first frames open with the limiter's look-ahead).
      const frames = captured.filter((f) => f.at >= failedAt - 500);
      const seqs = frames.map((f) => f.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), `${id}: contiguous frames`);
      const silence = longestSilence(frames, channel.sampleRate, channel.channels);
      const shortfall = worstShortfall(frames, channel.frameSamples / channel.sampleRate);
      t.diagnostic(`${id}: ${frames.length} frames, longest silence ${(silence * 1000).toFixed(1)} ms, worst delivery shortfall ${(shortfall * 1000).toFixed(0)} ms, filled ${channel.playout.counters.filledFrames} frames, recovery ${recovery.toFixed(2)} s`);
      assert.ok(silence < 0.1, `${id}: longest silence ${silence} s`);
      // Without the loop the dry spell is seconds long; the margin is this shared machine's timer jitter.
      assert.ok(shortfall < 0.25, `${id}: delivery fell ${shortfall} s behind real time`);
      // `s` plays 8-s phrases rendered bar by bar: its buffer outlasts the fault; `a` (1-s clips) runs dry.
      if (id === 'a') assert.ok(channel.playout.counters.underruns >= 1 && channel.playout.counters.filledFrames > 20, `${id}: the dry spell was looped`);
    }
    const problems = station.problems.recent();
    assert.ok(problems.some((p) => p.code === 'WAVECAST_ERR_ENGINE' && /inference failed \(generator worker exited \(code 1\)\)/.test(p.message)), 'the failure is in the problems');
    assert.ok(problems.some((p) => p.code === 'WAVECAST_ERR_UNDERRUN' && /replaying its last 2 s/.test(p.message)), 'and the dry spell');
    const tone = made.findIndex((g) => g.info.id === 'tone-a');
    assert.ok(made[tone].calls > callsWhileFailing[tone], 'the generator is called again');
    assert.ok(recovery < 2, `generating again ${recovery} s after the generator works`);
  } finally {
    await station.stop();
  }
});
