/**
 * Fault: the generator's worker thread dies mid-stream (issue 14). A real server plays the
 * shipped WaveGAN through a real WorkerGenerator; the test kills its worker thread until an
 * inference call fails, so the channel (1 s buffered, 2 s before the retry) runs dry. A
 * WebSocket listener must hear no silence over 100 ms and get audio at real time throughout; the
 * failure shows in the problems; the worker is restarted and the channel generates again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkerGenerator } from '../server/inference/worker-generator.js';
import type { RunningServer } from '../server/web/listen.js';
import { contiguous, listenPcm, longestSilence, worstShortfall } from './support/pcm-listener.js';
import { startTestServer, waitFor } from './support/test-server.js';

let server: RunningServer;

before(async () => {
  server = await startTestServer({
    server: { bufferAhead: 1, retryDelay: 2, retryMaxDelay: 4, dryFill: 2 },
    channels: [{ id: 'texture', model: 'wavegan-untrained', sampleRate: 22050, channels: 1, mp3Bitrate: 64, seed: 1 }],
  });
});
after(async () => {
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a generator worker killed mid-stream: no silence, the problem shown, the worker restarted and generating again', { timeout: 60_000 }, async (t) => {
  const { station } = server;
  const { channel } = station.channel('texture');
  const generator = station.generators.loaded(channel.model.manifest) as WorkerGenerator;
  assert.equal(typeof generator.killWorker, 'function', 'the station runs a WorkerGenerator');
  const listener = await listenPcm(server.url, 'texture');
  try {
    await sleep(1500);
    const failed = () => station.problems.recent().some((p) => p.code === 'WAVECAST_ERR_ENGINE' && /inference failed/.test(p.message));
    // Kill until a kill lands on a call in flight (or on the restart it triggers): then the loop waits retryDelay.
    const killedAt = performance.now();
    let kills = 0;
    while (!failed()) {
      await generator.killWorker();
      kills++;
      if (performance.now() - killedAt > 20_000) assert.fail(`no inference failed after ${kills} kills`);
      await sleep(50);
    }
    const lastKill = performance.now();
    await waitFor('the channel to run dry and loop', () => channel.playout.counters.filledFrames > 0, 10, 20);
    await waitFor('the channel buffered again from the restarted worker', () => channel.playout.counters.filledFrames > 0 && channel.bufferedSeconds >= 0.9, 20, 20);
    const recovery = (performance.now() - lastKill) / 1000;
    const generatedBefore = channel.playout.playedFrames + channel.playout.bufferedFrames;
    await sleep(1500);
    assert.ok(channel.playout.playedFrames + channel.playout.bufferedFrames > generatedBefore, 'new audio keeps coming');

    const frames = listener.frames.filter((f) => f.at >= killedAt - 1000);
    const silence = longestSilence(frames, listener.sampleRate);
    const shortfall = worstShortfall(frames, listener.frameSeconds);
    const looped = (channel.playout.counters.filledFrames * channel.frameSamples) / channel.sampleRate;
    t.diagnostic(`${kills} kill(s); ${frames.length} frames; longest silence ${(silence * 1000).toFixed(1)} ms; worst delivery shortfall ${(shortfall * 1000).toFixed(0)} ms; looped ${looped.toFixed(2)} s; generating again ${recovery.toFixed(2)} s after the last kill`);
    assert.ok(contiguous(frames), 'contiguous frames');
    assert.ok(silence < 0.1, `longest silence ${silence} s`);
    assert.ok(shortfall < 0.25, `delivery fell ${shortfall} s behind real time`);
    assert.ok(recovery < 10, `generating again after ${recovery} s`);
    const problems = station.problems.recent().map((p) => `${p.code} ${p.message}`).join('\n');
    assert.match(problems, /WAVECAST_ERR_ENGINE model "wavegan-untrained": inference failed \(generator worker exited \(code \d\)\); retrying in 2 s/);
    assert.match(problems, /WAVECAST_ERR_UNDERRUN channel "texture" ran dry: .*replaying its last 2 s/);
  } finally {
    listener.close();
  }
});
