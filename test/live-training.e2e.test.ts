/**
 * End to end: trainers feed a running station. A server plays a model from its own models
 * folder with WebSocket listeners attached; a real trainer run (symbolic; waveform at a tiny
 * size) publishes new versions of that model into the folder, and the channel moves to each one
 * (title on the stream, /api/models) with no gap: contiguous frames, no silence of 50 ms or more,
 * no underrun. Then a corrupt version made current by hand is rejected while the audio goes on,
 * and the operator rolls the model back to a kept version through the API, and pins a channel
 * to a version in the panel.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { loadCheckpoint } from '../server/inference/checkpoint.js';
import { initWaveGanWeights } from '../server/families/waveform/wavegan-architecture.js';
import { CURRENT_FILE, publishVersion } from '../server/inference/checkpoint-versions.js';
import type { RunningServer } from '../server/web/listen.js';
import type { ChannelSummary, ModelSummary } from '../server/web/wire.js';
import { chromiumMissing, launchChromium, pollUntil, watchPageErrors } from './support/browser.js';
import { silentStretch } from './support/decode-mp3.js';
import { startTestServer, waitFor } from './support/test-server.js';

const TOKEN = 'live-training-token';
/** The bound: no silence this long anywhere in what a listener got. */
const MAX_SILENCE_SECONDS = 0.05;

let modelsDir: string;
let server: RunningServer;

before(async () => {
  modelsDir = await mkdtemp(path.join(tmpdir(), 'wavecast-live-training-'));
  // Version 1 of the model the station plays: the shipped symbolic model, republished.
  const shipped = await loadCheckpoint(path.join(PROJECT_ROOT, 'models/symbolic-songs'));
  await publishVersion({ modelsDir, manifest: { ...shipped.manifest, id: 'sym-live' }, weights: shipped.weights });
  // And of a tiny WaveGAN (d = 4, 0.256 s clips): seeded weights, untrained.
  await publishVersion({
    modelsDir,
    manifest: { id: 'wave-live', family: 'waveform', instrument: 'untrained', latentDim: 100, trained: false, trainingSteps: 0, created: new Date().toISOString(), sampleRate: 16000, clipSamples: 4096, d: 4 },
    weights: initWaveGanWeights({ d: 4, clipSamples: 4096, seed: 1, gain: 2 }),
  });
  server = await startTestServer({
    operatorToken: TOKEN,
    server: { modelsDir, modelRescan: 2, bufferAhead: 3 },
    channels: [
      { id: 'live', model: 'sym-live', style: 'cafe', instrument: 'cafe-piano', tempo: 100, sampleRate: 22050, channels: 1, mp3Bitrate: 64 },
      { id: 'wave', model: 'wave-live', sampleRate: 22050, channels: 1, mp3Bitrate: 64 },
    ],
  });
});

after(async () => {
  await server?.close();
  await rm(modelsDir, { recursive: true, force: true });
});

/** A WebSocket f32le listener recording every frame's sequence number, its audio and every title. */
async function listen(channel: string) {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/${channel}?format=f32le&burst=0`);
  const sequence: number[] = [];
  const audio: Float32Array[] = [];
  const titles: string[] = [];
  /** Where each title arrived, in seconds of the audio received so far: a failure says what played when. */
  const titleTimes: number[] = [];
  let received = 0;
  let channels = 1;
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const message = JSON.parse(String(data));
      if (message.type === 'header') {
        channels = message.channels;
        titles.push(message.title);
        titleTimes.push(received / 22050);
      }
      if (message.type === 'title') {
        titles.push(message.title);
        titleTimes.push(received / 22050);
      }
      return;
    }
    const bytes = data as Buffer;
    sequence.push(bytes.readUInt32LE(0));
    const pcm = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.length));
    const mono = pcm.filter((_, i) => i % channels === 0);
    audio.push(mono);
    received += mono.length;
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const samples = () => {
    const all = new Float32Array(audio.reduce((n, a) => n + a.length, 0));
    let offset = 0;
    for (const a of audio) {
      all.set(a, offset);
      offset += a.length;
    }
    return all;
  };
  /** The longest silence, with when it started and the titles around it, for the assertion's message. */
  const silence = () => {
    const stretch = silentStretch(samples(), 22050);
    const timeline = titles.map((t, i) => `${titleTimes[i].toFixed(1)} s ${t}`).join(' | ');
    return { seconds: stretch.seconds, message: `longest silence ${stretch.seconds.toFixed(3)} s from ${stretch.start.toFixed(2)} s (titles: ${timeline})` };
  };
  return { ws, sequence, titles, samples, silence };
}

/** Runs a CLI of scripts/ to its end; resolves with its exit code and output. */
function runScript(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', script), ...args], { cwd: PROJECT_ROOT });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const channel = async (id: string) => ((await (await fetch(`${server.url}/api/channels`)).json()) as ChannelSummary[]).find((c) => c.id === id)!;
const model = async (id: string) => ((await (await fetch(`${server.url}/api/models`)).json()) as ModelSummary[]).find((m) => m.id === id)!;

test('a symbolic training run publishes versions and the channel plays each, without a gap; a corrupt one is rejected; roll back', { timeout: 240_000 }, async () => {
  const listener = await listen('live');
  try {
    await waitFor('first audio', () => listener.sequence.length > 20, 20);
    assert.match(listener.titles[0], /sym-live v1/);

    const run = await runScript('train-symbolic.ts', ['--out', path.join(modelsDir, 'sym-live'), '--songs-per-style', '4', '--ae-steps', '40', '--gan-steps', '160', '--publish-every', '80', '--report-songs', '1']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /published sym-live v2[\s\S]*published sym-live v3[\s\S]*model: sym-live version 4/);

    await waitFor('the final version on air', () => listener.titles.some((t) => /sym-live v4/.test(t)), 30, 100);
    const heard = listener.titles.map((t) => /sym-live v(\d+)/.exec(t)?.[1]).filter((v, i, all) => v !== undefined && v !== all[i - 1]).map(Number);
    assert.deepEqual(heard, [1, 2, 3, 4], `each published version is played, in order (titles: ${listener.titles.join(' | ')})`);
    const summary = await model('sym-live');
    assert.equal(summary.version, 4);
    assert.deepEqual(summary.versions?.map((v) => v.version), [1, 2, 3, 4]);
    assert.deepEqual(summary.channels, [{ id: 'live', version: 4, follow: 'latest' }]);
    assert.equal((await channel('live')).version, 4);

    // A corrupt version made current by hand (a copy cut short): rejected, the channel plays on.
    const corrupt = path.join(modelsDir, 'sym-live', 'versions', '5');
    await mkdir(corrupt);
    const v4 = path.join(modelsDir, 'sym-live', 'versions', '4');
    await writeFile(path.join(corrupt, 'manifest.json'), (await readFile(path.join(v4, 'manifest.json'), 'utf8')).replace('"version": 4', '"version": 5'));
    await writeFile(path.join(corrupt, 'weights.json'), await readFile(path.join(v4, 'weights.json')));
    await writeFile(path.join(corrupt, 'weights.bin'), (await readFile(path.join(v4, 'weights.bin'))).subarray(0, 1000));
    await writeFile(path.join(modelsDir, 'sym-live', CURRENT_FILE), '{"version": 5}');
    const problems = () => server.station.problems.recent().map((p) => p.message).join('\n');
    await waitFor('the corrupt version named in the problems', () => /versions\/5\/weights\.bin: 1000 bytes, too short/.test(problems()), 10, 100);
    assert.equal(server.station.channel('live').channel.model.manifest.version, 4, 'the channel plays on');

    // Roll back to version 2 through the API, with the operator token.
    const refused = await fetch(`${server.url}/api/models/sym-live/current`, { method: 'PUT', body: JSON.stringify({ version: 2 }) });
    assert.equal(refused.status, 401);
    const rolled = await fetch(`${server.url}/api/models/sym-live/current`, { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ version: 2 }) });
    assert.equal(rolled.status, 200, await rolled.clone().text());
    assert.equal(((await rolled.json()) as ModelSummary).version, 2);
    await waitFor('version 2 on air again', () => /sym-live v2/.test(listener.titles.at(-1) ?? ''), 10, 100);
    assert.equal((await channel('live')).version, 2);
    const absent = await fetch(`${server.url}/api/models/sym-live/current`, { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ version: 9 }) });
    assert.equal(absent.status, 409);
    assert.match(((await absent.json()) as { error: { message: string } }).error.message, /no valid version 9 .*valid: 1, 2, 3, 4/);

    const frames = listener.sequence;
    assert.deepEqual(frames, frames.map((_, i) => frames[0] + i), 'contiguous WebSocket frames');
    const silence = listener.silence();
    const { refusals } = server.station.channel('live').channel;
    assert.ok(silence.seconds < MAX_SILENCE_SECONDS, `${silence.message}; phrases drawn again ${refusals.redrawn}, played though refused ${refusals.played}`);
    assert.equal((await channel('live')).underruns, 0);
  } finally {
    listener.ws.close();
  }
});

test('a waveform training run (tiny) publishes versions, resumed, and the channel plays each without a gap', { timeout: 180_000 }, async () => {
  const listener = await listen('wave');
  try {
    await waitFor('first audio', () => listener.sequence.length > 20, 20);
    assert.match(listener.titles[0], /wave-live v1 \(untrained\)/);
    const out = path.join(modelsDir, 'wave-live');
    const tiny = ['--synthetic', '32', '--d', '4', '--clip-samples', '4096', '--batch', '4', '--save-every', '2', '--report-every', '2', '--out', out];
    // Two runs, the second resuming the first exactly: each publishes one version, and the test
    // waits for each on air before the next is published.
    for (const [steps, version, extra] of [[2, 2, []], [4, 3, ['--resume']]] as const) {
      const run = await runScript('train-waveform.ts', [...tiny, '--steps', String(steps), ...extra]);
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, new RegExp(`published version ${version}:`));
      await waitFor(`version ${version} on air`, () => listener.titles.some((t) => new RegExp(`wave-live v${version}\\b`).test(t)), 20, 100);
    }
    const heard = listener.titles.map((t) => /wave-live v(\d+)/.exec(t)?.[1]).filter((v, i, all) => v !== undefined && v !== all[i - 1]).map(Number);
    assert.deepEqual(heard, [1, 2, 3]);
    const summary = await model('wave-live');
    assert.equal(summary.version, 3);
    assert.equal(summary.trained, true);
    assert.deepEqual(summary.channels, [{ id: 'wave', version: 3, follow: 'latest' }]);
    await waitFor('a second more', () => listener.sequence.length > 40, 10);
    const frames = listener.sequence;
    assert.deepEqual(frames, frames.map((_, i) => frames[0] + i), 'contiguous WebSocket frames');
    const silence = listener.silence();
    assert.ok(silence.seconds < MAX_SILENCE_SECONDS, silence.message);
    assert.equal((await channel('wave')).underruns, 0);
  } finally {
    listener.ws.close();
  }
});

test('the operator panel lists the versions and pins a channel to one, then follows the latest again', { skip: chromiumMissing, timeout: 60_000 }, async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${server.url}/panel`);
    await page.locator('[data-field="token"]').fill(TOKEN);
    await page.locator('[data-action="save-token"]').click();
    const picker = page.locator('[data-channel="live"] [data-control="version"]');
    const options = await pollUntil('the versions in the picker', () => picker.locator('option').allInnerTexts(), (texts) => texts.length >= 5, { timeoutMs: 10_000 });
    const latest = (await model('sym-live')).version;
    assert.equal(options[0], `latest (v${latest})`);
    assert.deepEqual(options.slice(1).map((t) => t.split(' ')[0]), ['v4', 'v3', 'v2', 'v1']);
    await picker.selectOption('3');
    await pollUntil('the channel pinned to v3', () => channel('live'), (c) => c.version === 3 && c.follow === 3, { timeoutMs: 10_000 });
    await picker.selectOption('latest');
    await pollUntil('the channel following again', () => channel('live'), (c) => c.follow === 'latest' && c.version === latest, { timeoutMs: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
