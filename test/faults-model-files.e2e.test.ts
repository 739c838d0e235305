/**
 * Fault: a playing model's files vanish, or go corrupt, under a running station (issue 14). The
 * station plays a published version from its own models folder, rescanned every 0.5 s; the test
 * moves the model's folder away, brings it back, cuts its weights short and restores them. The
 * loaded generator keeps its weights in memory, so the audio must go on untouched (contiguous
 * frames, no silence, no underrun, new audio generated); each problem is reported once however
 * many rescans see it, and the first scan after the files are back is clean.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initWaveGanWeights } from '../server/families/waveform/wavegan-architecture.js';
import { publishVersion } from '../server/inference/checkpoint-versions.js';
import type { RunningServer } from '../server/web/listen.js';
import { contiguous, listenPcm, longestSilence, worstShortfall } from './support/pcm-listener.js';
import { startTestServer, waitFor } from './support/test-server.js';

const MODEL = 'wave-files';
let workDir: string;
let modelsDir: string;
let server: RunningServer;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'wavecast-faults-files-'));
  modelsDir = path.join(workDir, 'models');
  await publishVersion({
    modelsDir,
    manifest: { id: MODEL, family: 'waveform', instrument: 'untrained', latentDim: 100, trained: false, trainingSteps: 0, created: new Date().toISOString(), sampleRate: 16000, clipSamples: 4096, d: 4 },
    weights: initWaveGanWeights({ d: 4, clipSamples: 4096, seed: 1, gain: 2 }),
  });
  server = await startTestServer({
    server: { modelsDir, modelRescan: 0.5 },
    channels: [{ id: 'wave', model: MODEL, sampleRate: 22050, channels: 1, mp3Bitrate: 64, seed: 1 }],
  });
});
after(async () => {
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a playing model's files vanish and go corrupt: it plays on from memory, each problem reported once, a clean scan once they are back", { timeout: 60_000 }, async (t) => {
  const { station } = server;
  const { channel } = station.channel('wave');
  const generator = station.generators.loaded(channel.model.manifest);
  assert.ok(generator, 'the version is loaded');
  const modelProblems = () => station.problems.recent().filter((p) => p.message.includes(MODEL)).map((p) => p.message);
  const generated = () => channel.playout.playedFrames + channel.playout.bufferedFrames;
  /** Waits five rescans (2.5 s): long enough for a problem to be reported more than once if it were. */
  const fiveRescans = () => sleep(2500);
  const modelDir = path.join(modelsDir, MODEL);
  const weightsFile = path.join(modelDir, 'versions', '1', 'weights.bin');
  const listener = await listenPcm(server.url, 'wave');
  try {
    await sleep(1000);
    const problemsBefore = modelProblems().length;
    const steps: string[] = [];

    // 1. The whole model folder moved away (deleted, as far as the station can tell).
    let before = generated();
    await rename(modelDir, path.join(workDir, 'moved-away'));
    await fiveRescans();
    assert.equal(modelProblems().length, problemsBefore + 1, `reported once: ${modelProblems().join(' | ')}`);
    assert.match(modelProblems().at(-1)!, /model "wave-files v1", which channel "wave" plays, is gone from .*: it plays on from memory/);
    assert.ok(generated() > before, 'still generating without its files');
    steps.push(`gone: ${modelProblems().at(-1)}`);

    // 2. Back: the next scan is clean and lists it again.
    before = generated();
    await rename(path.join(workDir, 'moved-away'), modelDir);
    await waitFor('the model listed again', () => station.models().some((m) => m.id === MODEL), 5, 50);
    assert.deepEqual((await station.catalogue.scan()).problems, [], 'a clean scan');
    await fiveRescans();
    assert.equal(modelProblems().length, problemsBefore + 1, 'nothing more reported');

    // 3. Its weights cut short (a disk error, a copy interrupted): reported once, naming the file.
    const weights = await readFile(weightsFile);
    await writeFile(weightsFile, weights.subarray(0, 1000));
    await fiveRescans();
    assert.equal(modelProblems().length, problemsBefore + 2, `reported once: ${modelProblems().join(' | ')}`);
    assert.match(modelProblems().at(-1)!, /versions\/1\/weights\.bin: 1000 bytes, too short/);
    steps.push(`corrupt: ${modelProblems().at(-1)}`);

    // 4. Restored: clean again; the channel never moved and its generator is the one loaded at start.
    await writeFile(weightsFile, weights);
    await waitFor('a clean scan', () => station.models().some((m) => m.id === MODEL && m.loaded), 5, 50);
    assert.deepEqual((await station.catalogue.scan()).problems, []);
    await fiveRescans();
    assert.equal(modelProblems().length, problemsBefore + 2, 'nothing more reported');
    assert.ok(generated() > before, 'generating throughout');
    assert.equal(station.generators.loaded(channel.model.manifest), generator, 'the same generator, never reloaded');
    assert.equal(channel.model.manifest.version, 1);

    const frames = listener.frames;
    const silence = longestSilence(frames, listener.sampleRate);
    const shortfall = worstShortfall(frames, listener.frameSeconds);
    t.diagnostic(`${frames.length} frames over ${((frames.at(-1)!.at - frames[0].at) / 1000).toFixed(1)} s; longest silence ${(silence * 1000).toFixed(1)} ms; worst delivery shortfall ${(shortfall * 1000).toFixed(0)} ms; underruns ${channel.playout.counters.underruns}`);
    for (const step of steps) t.diagnostic(step);
    assert.ok(contiguous(frames), 'contiguous frames');
    assert.ok(silence < 0.1, `longest silence ${silence} s`);
    assert.ok(shortfall < 0.25, `delivery fell ${shortfall} s behind real time`);
    assert.equal(channel.playout.counters.underruns, 0, 'never ran dry');
  } finally {
    listener.close();
  }
});
