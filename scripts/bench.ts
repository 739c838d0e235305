/**
 * `npm run bench [-- --json] [-- --quick]`: how fast each stage runs on this machine, as ratios
 * measured in one run (these machines are shared and noisy; compare rows, not runs).
 *
 *   generator  seconds of audio per second of wall time (rtf), per engine, d and batch
 *   encoder    rtf of MP3 encoding, 44.1 kHz stereo 128 kbps, in 50 ms frames as the server feeds it
 *   mixer      rtf of the crossfade → resample → limit chain, 16 kHz clips → 44.1 kHz stereo
 *   symbolic   the committed symbolic model on tfjs (phrase audio at 96 bpm per inference second),
 *              the SoundFont synth per instrument preset (the model's phrases), one training step
 *   capacity   how many symbolic channels one server streams for 60 s (20 s with --quick) with zero
 *              underruns and an event-loop p99 under 20 ms, trying 8, 16, 24, … until one fails
 *   event loop p99 delay while a real server streams the default channels (lobby and lounge) to
 *              waveform texture) to 20 MP3 + 5 WebSocket clients (the clients run in a child
 *              process; the server's MP3 encoder is its default)
 *
 * Logs go to stderr. With --json, stdout is one JSON object and nothing else:
 *   {"generator":[{"engine","d","batch","rtf"}],"encoder":[{"name","rtf"}],"mixer":{"rtf"},
 *    "symbolic":{"generator":[{"batch","rtf"}],"render":[{"preset","rtf"}],"trainStepMs":{"autoencoder","gan","waveGan"}},
 *    "capacity":{"channels","runs":[{"channels","underruns","p99Ms","cpuCores"}]},
 *    "eventLoopDelayP99Ms":…}
 */
import './logs-to-stderr.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseConfig, DEFAULT_CONFIG_PATH, loadConfigFile } from '../server/config/load-config.js';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { LameBinaryEncoder } from '../server/broadcast/lame-binary-encoder.js';
import { findLameBinary } from '../server/broadcast/find-lame-binary.js';
import { LameJsEncoder } from '../server/broadcast/lamejs-encoder.js';
import type { Encoder } from '../server/broadcast/encoder.js';
import { saveCheckpoint } from '../server/inference/checkpoint-save.js';
import type { Generator } from '../server/inference/generator.js';
import { OnnxGenerator } from '../server/inference/onnx-generator.js';
import { TfjsGenerator } from '../server/inference/tfjs-generator.js';
import { CLIP_SAMPLES, initWaveGanWeights, SAMPLE_RATE } from '../server/families/waveform/wavegan-architecture.js';
import { fillGaussian, mulberry32 } from '../server/core/seeded-random.js';
import { startServer } from '../server/web/listen.js';
import { ChannelMixer } from '../server/dsp/channel-mixer.js';
import { createGenerator } from '../server/inference/create-generator.js';
import { buildCorpus } from './training/corpus/build-corpus.js';
import { modelInput } from '../server/families/symbolic/model-input.js';
import { BARS_PER_PHRASE } from '../server/families/symbolic/piano-roll.js';
import { asSymbolicManifest, symbolicLayout } from '../server/families/symbolic/symbolic-manifest.js';
import { INSTRUMENT_PRESET_NAMES } from '../server/families/symbolic/sound/instrument-presets.js';
import { audition, COMMITTED_SYMBOLIC_MODEL, modelPhrases, PRESET_STYLE } from './preset-audition.js';

import { barSeconds, type Note } from '../server/families/symbolic/roll-notes.js';
import { conditionSize, DEFAULT_SYMBOLIC_DIMS } from '../server/families/symbolic/symbolic-architecture.js';
import { CodeGan } from './training/code-gan.js';
import { PhraseAutoencoder } from './training/phrase-autoencoder.js';
import { songsToExamples } from './training/training-phrases.js';
import { TRAINING_DEFAULTS } from './training/symbolic-training.js';
import { syntheticClips } from './training/waveform/synthetic-clips.js';
import { WaveformGan } from './training/waveform/waveform-gan.js';

/** The WaveGAN training step the bench times: the size models/wavegan-drums trained at. */
const WAVEGAN_BENCH = { d: 16, clipSamples: 4096, batch: 16 } as const;

const { values: flags } = parseArgs({ options: { json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } } });
/** Each measurement runs at least this long (seconds) and at least two calls. */
const MIN_SECONDS = flags.quick ? 1 : 3;
const log = (line: string) => {
  if (!flags.json) console.log(line);
  else console.error(line);
};

interface GeneratorRow { engine: string; d: number; batch: number; rtf: number }
interface EncoderRow { name: string; rtf: number }

async function timeRepeated(run: () => Promise<number>): Promise<number> {
  await run(); // warm-up: first calls pay for allocation and kernel selection
  let audio = 0;
  let calls = 0;
  const started = performance.now();
  while (calls < 2 || performance.now() - started < MIN_SECONDS * 1000) {
    audio += await run();
    calls++;
  }
  return audio / ((performance.now() - started) / 1000);
}

async function benchGenerator(generator: Generator, d: number, batches: number[]): Promise<GeneratorRow[]> {
  await generator.initialize();
  const random = mulberry32(5);
  const rows: GeneratorRow[] = [];
  for (const batch of batches) {
    const latents = Array.from({ length: batch }, () => fillGaussian(new Float32Array(generator.info.latentDim), random));
    const rtf = await timeRepeated(async () => {
      const clips = await generator.generate(latents);
      return (clips.length * clips[0].length) / SAMPLE_RATE;
    });
    rows.push({ engine: generator.engine, d, batch, rtf });
    log(`  generator ${generator.engine.padEnd(16)} d=${d} batch=${batch}  ${rtf.toFixed(1)}× real time`);
  }
  await generator.dispose();
  return rows;
}

async function generatorSection(): Promise<GeneratorRow[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'wavecast-bench-'));
  const d = 64;
  const dir = path.join(root, 'wavegan-bench-d64');
  try {
    await saveCheckpoint(
      dir,
      { id: 'wavegan-bench-d64', family: 'waveform', instrument: 'bench', sampleRate: SAMPLE_RATE, clipSamples: CLIP_SAMPLES, latentDim: 100, d, trained: false, trainingSteps: 0, created: new Date().toISOString() },
      initWaveGanWeights({ d, seed: 1 }),
    );
    const rows = [...(await benchGenerator(new OnnxGenerator({ dir }), d, [1, 8]))];
    rows.push(...(await benchGenerator(new TfjsGenerator({ dir, backend: 'wasm' }), d, [1, 8])));
    rows.push(...(await benchGenerator(new TfjsGenerator({ dir, backend: 'cpu' }), d, [1])));
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** 44.1 kHz stereo test material: a chord plus noise, so the encoder has real work. */
function stereoMaterial(seconds: number): Float32Array {
  const random = mulberry32(9);
  const frames = Math.round(seconds * 44100);
  const pcm = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const t = i / 44100;
    const tone = 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.15 * Math.sin(2 * Math.PI * 277.2 * t) + 0.1 * (random() - 0.5);
    pcm[2 * i] = tone;
    pcm[2 * i + 1] = 0.9 * tone;
  }
  return pcm;
}

async function encoderSection(): Promise<EncoderRow[]> {
  const seconds = flags.quick ? 10 : 30;
  const pcm = stereoMaterial(seconds);
  const frame = 2205 * 2;
  const run = async (encoder: Encoder, finish: () => Promise<unknown>) => {
    const started = performance.now();
    for (let at = 0; at < pcm.length; at += frame) encoder.encode(pcm.subarray(at, at + frame));
    await finish();
    const rtf = seconds / ((performance.now() - started) / 1000);
    encoder.dispose();
    log(`  encoder   ${encoder.name.padEnd(16)} ${rtf.toFixed(1)}× real time`);
    return { name: encoder.name, rtf };
  };
  const rows: EncoderRow[] = [];
  const lamejs = new LameJsEncoder({ sampleRate: 44100, channels: 2, bitrate: 128 });
  rows.push(await run(lamejs, async () => lamejs.flush()));
  if (findLameBinary()) {
    // Fed as fast as it goes, so let the queue hold the whole input (the server feeds it at 1×).
    const binary = new LameBinaryEncoder({ sampleRate: 44100, channels: 2, bitrate: 128, maxQueuedSeconds: seconds + 1 });
    rows.push(await run(binary, () => binary.end()));
  } else {
    log('  encoder   lame-binary      skipped: `lame` not installed');
  }
  return rows;
}

function mixerSection(): { rtf: number } {
  const random = mulberry32(3);
  const clips = Array.from({ length: 80 }, () => fillGaussian(new Float32Array(CLIP_SAMPLES), random).map((x) => 0.2 * x));
  const mixer = new ChannelMixer({ modelRate: SAMPLE_RATE, outputRate: 44100, channels: 2, crossfade: 0.25 });
  const started = performance.now();
  let frames = 0;
  for (const clip of clips) frames += mixer.push(clip).length / 2;
  const rtf = frames / 44100 / ((performance.now() - started) / 1000);
  log(`  mixer     16k→44.1k stereo   ${rtf.toFixed(0)}× real time`);
  return { rtf };
}

/** Each instrument preset playing the committed model's phrases in its style, on one thread (a synth worker's work). */
async function soundFontSection(): Promise<Array<{ preset: string; rtf: number }>> {
  const rows: Array<{ preset: string; rtf: number }> = [];
  const phrases = new Map<string, Note[][]>();
  for (const preset of INSTRUMENT_PRESET_NAMES) {
    const style = PRESET_STYLE[preset];
    if (!phrases.has(style)) phrases.set(style, await modelPhrases(style, flags.quick ? 1 : 3, 7));
    await audition(preset, phrases.get(style)!.slice(0, 1), 96); // loads the banks
    const { realTimeFactor: rtf } = await audition(preset, phrases.get(style)!, 96);
    rows.push({ preset, rtf });
    log(`  soundfont ${preset.padEnd(16)} ${rtf.toFixed(1)}× real time (${style} phrases at 96 bpm, 44.1 kHz stereo, effects on)`);
  }
  return rows;
}

async function symbolicSection() {
  const generator = createGenerator({ dir: COMMITTED_SYMBOLIC_MODEL, engine: 'tfjs' });
  await generator.initialize();
  const info = generator.info;
  const phraseSeconds = BARS_PER_PHRASE * barSeconds(96);
  const random = mulberry32(9);
  const rows: Array<{ batch: number; rtf: number }> = [];
  for (const batch of [1, 8]) {
    const layout = symbolicLayout(asSymbolicManifest(info.manifest));
    const inputs = Array.from({ length: batch }, () => modelInput(layout, fillGaussian(new Float32Array(info.latentDim), random), 'cafe', 0, undefined));
    const rtf = await timeRepeated(async () => (await generator.generate(inputs)).length * phraseSeconds);
    rows.push({ batch, rtf });
    log(`  symbolic  ${generator.engine.padEnd(16)} batch=${batch}  ${rtf.toFixed(0)}× real time (phrases at 96 bpm)`);
  }
  await generator.dispose();
  const render = await soundFontSection();
  // One step of each training phase at the real sizes, on corpus phrases.
  const examples = songsToExamples(buildCorpus({ seed: 1, songsPerStyle: 4 }));
  const autoencoder = new PhraseAutoencoder(examples.map((e) => e.phrase), { dims: DEFAULT_SYMBOLIC_DIMS, ...TRAINING_DEFAULTS.autoencoder });
  const codes = autoencoder.encode(examples.map((e) => e.phrase));
  const gan = new CodeGan({ dims: DEFAULT_SYMBOLIC_DIMS, codes, conditions: new Float32Array(examples.length * conditionSize(DEFAULT_SYMBOLIC_DIMS)), ...TRAINING_DEFAULTS.gan });
  const timeSteps = (step: () => unknown) => {
    step();
    const started = performance.now();
    const steps = flags.quick ? 2 : 5;
    for (let i = 0; i < steps; i++) step();
    return (performance.now() - started) / steps;
  };
  const trainStepMs = { autoencoder: timeSteps(() => autoencoder.trainStep()), gan: timeSteps(() => gan.trainStep()), waveGan: 0 };
  autoencoder.dispose();
  gan.dispose();
  // One WaveGAN step (5 critic + 1 generator updates) at the size the shipped drums model trains at.
  const waveGan = new WaveformGan({ clips: syntheticClips({ count: 64, clipSamples: WAVEGAN_BENCH.clipSamples, sampleRate: SAMPLE_RATE }), ...WAVEGAN_BENCH });
  trainStepMs.waveGan = timeSteps(() => waveGan.trainStep());
  waveGan.dispose();
  const { autoencoder: ae, gan: wgan } = TRAINING_DEFAULTS;
  log(`  training  autoencoder step (batch ${ae.batch}) ${trainStepMs.autoencoder.toFixed(0)} ms · code GAN step (${wgan.criticSteps} critic + 1 generator, batch ${wgan.batch}) ${trainStepMs.gan.toFixed(0)} ms, tfjs-wasm`);
  log(`  training  WaveGAN step (d=${WAVEGAN_BENCH.d}, ${WAVEGAN_BENCH.clipSamples} samples, batch ${WAVEGAN_BENCH.batch}, 5 critic + 1 generator) ${trainStepMs.waveGan.toFixed(0)} ms, tfjs-wasm`);
  return { generator: rows, render, trainStepMs };
}

/** 20 MP3 listeners over two channels and 5 WebSocket clients, for `seconds`, then exit. */
const LISTENERS_SCRIPT = `
import http from 'node:http';
import { WebSocket } from 'ws';
const [url, seconds] = process.argv.slice(1);
const requests = Array.from({ length: 20 }, (_, i) => http.get(url + '/stream/' + (i % 2 ? 'lobby' : 'lounge'), (r) => r.resume()));
const sockets = Array.from({ length: 5 }, () => new WebSocket(url.replace('http', 'ws') + '/ws/lobby'));
setTimeout(() => { requests.forEach((r) => r.destroy()); sockets.forEach((s) => s.terminate()); process.exit(0); }, Number(seconds) * 1000);
`;

async function eventLoopSection(): Promise<number> {
  const config = parseConfig(loadConfigFile(DEFAULT_CONFIG_PATH), 'default config');
  const server = await startServer({ config, port: 0, host: '127.0.0.1' });
  // The histogram records the interval between its samples, so a delay is a value minus the
  // sampling resolution (an idle loop reads 10 ms here, a delay of 0).
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const seconds = flags.quick ? 4 : 10;
  // The listeners run in a child process, so their own work is not counted as server delay.
  const listeners = spawn(process.execPath, ['--input-type=module', '-e', LISTENERS_SCRIPT, server.url, String(seconds)], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', process.stderr, 'inherit'], // stdout is for the results
  });
  await new Promise((resolve) => listeners.once('exit', resolve));
  histogram.disable();
  const p99 = Math.max(0, histogram.percentile(99) / 1e6 - resolutionMs);
  const max = Math.max(0, histogram.max / 1e6 - resolutionMs);
  const underruns = [...server.station.channels.values()].reduce((n, { channel }) => n + channel.playout.counters.underruns, 0);
  await server.close();
  log(`  event loop p99 delay ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${seconds} s (2 channels, 20 MP3 + 5 WS clients, ${underruns} underruns)`);
  return p99;
}

/** Busy and total jiffies of the whole machine (every process: the server, its threads, its lame children). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Symbolic channels on one server, more and more, each for `seconds`, until one run underruns or its event loop stalls. */
async function capacitySection() {
  const seconds = flags.quick ? 20 : 60;
  const runs: Array<{ channels: number; underruns: number; p99Ms: number; cpuCores: number }> = [];
  let channels = 0;
  for (const count of [8, 16, 24, 32]) {
    const config = parseConfig(
      {
        channels: Array.from({ length: count }, (_, i) => {
          const preset = INSTRUMENT_PRESET_NAMES[i % INSTRUMENT_PRESET_NAMES.length];
          return { id: `c${i}`, model: 'symbolic-songs', style: PRESET_STYLE[preset], instrument: preset, seed: i };
        }),
      },
      'capacity config',
    );
    const server = await startServer({ config, port: 0, host: '127.0.0.1' });
    const resolutionMs = 10;
    const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    const ticks = machineTicks();
    histogram.enable();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    histogram.disable();
    const after = machineTicks();
    const cpuCores = ((after.busy - ticks.busy) / (after.total - ticks.total)) * availableParallelism();
    const underruns = [...server.station.channels.values()].reduce((n, { channel }) => n + channel.playout.counters.underruns, 0);
    await server.close();
    const p99Ms = Math.max(0, histogram.percentile(99) / 1e6 - resolutionMs);
    runs.push({ channels: count, underruns, p99Ms, cpuCores });
    log(`  capacity  ${String(count).padStart(2)} symbolic channels, ${seconds} s: ${underruns} underruns, event-loop p99 ${p99Ms.toFixed(1)} ms, machine ${cpuCores.toFixed(2)} cores busy`);
    if (underruns > 0 || p99Ms >= 20) break;
    channels = count;
  }
  log(`  capacity  ${channels} symbolic channels held with 0 underruns and p99 < 20 ms`);
  return { channels, runs };
}

log('wavecast benchmark (ratios from one run on this machine)');
const generator = await generatorSection();
const encoder = await encoderSection();
const mixer = mixerSection();
const symbolic = await symbolicSection();
const eventLoopDelayP99Ms = await eventLoopSection();
const capacity = await capacitySection();
const onnx = generator.find((r) => r.engine.startsWith('onnx') && r.batch === 1);
const wasm = generator.find((r) => r.engine === 'tfjs-wasm' && r.batch === 1);
if (onnx && wasm) log(`  onnx / tfjs-wasm at d=64, batch 1: ${(onnx.rtf / wasm.rtf).toFixed(1)}×`);
if (flags.json) console.log(JSON.stringify({ generator, encoder, mixer, symbolic, eventLoopDelayP99Ms, capacity }));
process.exit(0);
