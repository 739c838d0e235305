/**
 * `npm run train:waveform -- --dataset DIR [options]`: trains a WaveGAN (Donahue et al., ICLR 2019)
 * with WGAN-GP on a waveform dataset (made by `npm run dataset`) and publishes a version of the
 * model every --save-every steps into models/<id>/versions/<n>/, with report.html and report.json
 * (loss curves, the Wasserstein estimate, spectrograms of a fixed latent batch) beside it.
 *
 *   --dataset DIR          the clips to train on (scripts/training/dataset/waveform-dataset.ts)
 *   --synthetic N          instead: N built-in clips of decaying sine and noise bursts, to try the trainer
 *   --out DIR              the model's folder; its name is the model id (default models/wavegan-<date>-<time>)
 *   --resume               continue the training state in <out>/.train-state/ (or --state), exactly
 *   --state DIR            where the resume state lives (default <out>/.train-state)
 *   --d N                  model width, channels of the last hidden layer (default 64, the paper's)
 *   --clip-samples N       1024, 4096, 16384 or 65536 (default: the dataset's; the paper: 16384)
 *   --sample-rate HZ       the clips' rate (default: the dataset's; the paper: 16000)
 *   --latent-dim N         length of z (default 100)
 *   --batch N              clips per batch (default 64)
 *   --minutes M            time limit of this run (default 60)
 *   --steps N              total generator steps, earlier runs' included (default 100000)
 *   --seed N               weights, batches, latents, phase shuffles (default 1)
 *   --save-every N         publish a version every N generator steps (default 500)
 *   --report-every N       report snapshot every N generator steps (default 100)
 *   --keep N               versions kept (default: server.keepVersions' default)
 *   --instrument TEXT      what the model sounds like, for stream titles (default: from the dataset)
 *   --backend NAME         force a tfjs backend (tensorflow, wasm, cpu; default: the best installed)
 *
 * Ctrl-C stops after the current step, publishes and saves the state; --resume continues it.
 *
 * On a 2-core CPU (tfjs-wasm) the paper's size is far too slow (minutes per step); a small model
 * learns simple sounds in an hour: `--d 16 --clip-samples 4096 --batch 32` (see
 * scripts/training/waveform/README.md for measured step times).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { CLIP_SAMPLES_CHOICES } from '../server/families/waveform/wavegan-architecture.js';
import { selectTfjsBackend, TFJS_BACKENDS, type TfjsBackendName } from '../server/inference/tfjs-backend.js';
import { newCheckpointFolder, plainCheckpointProblem } from './training/checkpoint-folder.js';
import { loadWaveformDataset } from './training/dataset/waveform-dataset.js';
import { syntheticClips } from './training/waveform/synthetic-clips.js';
import { WAVEFORM_GAN_DEFAULTS, wasmHeapEstimateBytes } from './training/waveform/waveform-gan.js';
import { WAVEFORM_TRAINING_DEFAULTS as DEFAULTS, trainWaveform, type WaveformClips } from './training/waveform/waveform-training.js';
import { ProgressBar, formatDuration } from './progress-bar.js';

const options = {
  dataset: { type: 'string' },
  synthetic: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean', default: false },
  state: { type: 'string' },
  d: { type: 'string', default: String(DEFAULTS.d) },
  'clip-samples': { type: 'string' },
  'sample-rate': { type: 'string' },
  'latent-dim': { type: 'string', default: String(WAVEFORM_GAN_DEFAULTS.latentDim) },
  batch: { type: 'string', default: String(WAVEFORM_GAN_DEFAULTS.batch) },
  minutes: { type: 'string', default: String(DEFAULTS.minutes) },
  steps: { type: 'string', default: String(DEFAULTS.steps) },
  seed: { type: 'string', default: String(WAVEFORM_GAN_DEFAULTS.seed) },
  'save-every': { type: 'string', default: String(DEFAULTS.saveEvery) },
  'report-every': { type: 'string', default: String(DEFAULTS.reportEvery) },
  keep: { type: 'string' },
  instrument: { type: 'string' },
  backend: { type: 'string' },
} as const;

/** Above this estimate of the wasm heap a run is warned (tfjs-wasm's heap stops at 4 GB). */
const WASM_HEAP_WARNING_BYTES = 3.5e9;

function fail(message: string): never {
  console.error(`train-waveform: ${message}`);
  process.exit(1);
}

let parsed: ReturnType<typeof parseArgs<{ options: typeof options }>>;
try {
  parsed = parseArgs({ options });
} catch (error) {
  fail((error as Error).message);
}
const { values } = parsed;

function positiveInteger(name: keyof typeof values, text = values[name]): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive whole number, got ${JSON.stringify(text)}`);
  return value;
}

function positiveNumber(name: keyof typeof values): number {
  const value = Number(values[name]);
  if (!(value > 0)) fail(`--${name} must be a positive number, got ${JSON.stringify(values[name])}`);
  return value;
}

if (!values.dataset === !values.synthetic) fail('give either --dataset DIR or --synthetic N (clips of sine and noise bursts)');
const clipSamples = values['clip-samples'] === undefined ? undefined : positiveInteger('clip-samples');
if (clipSamples !== undefined && !CLIP_SAMPLES_CHOICES.includes(clipSamples)) {
  fail(`--clip-samples must be 16·4^L: ${CLIP_SAMPLES_CHOICES.join(', ')}; got ${clipSamples}`);
}
const sampleRate = values['sample-rate'] === undefined ? undefined : positiveInteger('sample-rate');
if (values.backend !== undefined && !TFJS_BACKENDS.includes(values.backend as TfjsBackendName)) {
  fail(`--backend must be one of ${TFJS_BACKENDS.join(', ')}, got ${JSON.stringify(values.backend)}`);
}
const settings = {
  d: positiveInteger('d'),
  latentDim: positiveInteger('latent-dim'),
  batch: positiveInteger('batch'),
  seed: positiveInteger('seed'),
  steps: positiveInteger('steps'),
  seconds: positiveNumber('minutes') * 60,
  saveEvery: positiveInteger('save-every'),
  reportEvery: positiveInteger('report-every'),
  keep: values.keep === undefined ? undefined : positiveInteger('keep'),
};
const out = path.resolve(values.out ?? newCheckpointFolder(path.join(PROJECT_ROOT, 'models'), 'wavegan'));
const plain = await plainCheckpointProblem(out);
if (plain) fail(plain);
const stateDir = path.resolve(values.state ?? path.join(out, '.train-state'));
const stateHeld = await readdir(stateDir).then(() => true, () => false);
// A fresh run may publish after an earlier run's versions (they stay, for roll-back), but it
// never starts over a training state it would overwrite.
if (stateHeld && !values.resume) fail(`${stateDir} holds a training state: add --resume to continue it, or remove it to start a new run (the model's versions stay)`);

let data: WaveformClips;
let dataLabel: string;
if (values.dataset) {
  data = await loadWaveformDataset(path.resolve(values.dataset)).catch((error: Error) => fail(error.message));
  dataLabel = path.basename(path.resolve(values.dataset));
} else {
  const count = positiveInteger('synthetic');
  const rate = sampleRate ?? 16000;
  const samples = clipSamples ?? 4096;
  data = { sampleRate: rate, clipSamples: samples, train: syntheticClips({ count, clipSamples: samples, sampleRate: rate, seed: settings.seed }) };
  dataLabel = 'synthetic sine and noise bursts';
}

const backend = await selectTfjsBackend(values.backend as TfjsBackendName | undefined);
console.error(`train-waveform: tfjs backend ${backend}; ${data.train.length} clips of ${data.clipSamples} samples at ${data.sampleRate} Hz; model ${path.basename(out)}`);
const heap = wasmHeapEstimateBytes(settings.d, settings.batch, data.clipSamples);
if (backend === 'wasm' && heap > WASM_HEAP_WARNING_BYTES) {
  console.error(`train-waveform: warning: a step needs about ${(heap / 1e9).toFixed(1)} GB of wasm heap, which stops at 4 GB; lower --batch or --d if it fails`);
}
const bar = new ProgressBar({ total: 1000, label: 'wavegan', counts: false });
let stopping = false;
process.on('SIGINT', () => {
  if (stopping) process.exit(130);
  stopping = true;
  bar.log('train-waveform: stopping after this step (Ctrl-C again to quit without saving)');
});
const started = performance.now();
try {
  const result = await trainWaveform({
    data,
    out,
    ...settings,
    clipSamples,
    sampleRate,
    resume: values.resume,
    stateDir,
    instrument: values.instrument ?? `WaveGAN (${dataLabel})`,
    dataLabel,
    backend: `tfjs-${backend}`,
    shouldStop: () => stopping,
    onLog: (message) => bar.log(`train-waveform: ${message}`),
    onStep(loss, { fraction, stepsPerSecond }) {
      bar.update(Math.round(fraction * 1000),
        `step ${loss.step} · D ${loss.criticLoss.toFixed(3)} · G ${loss.generatorLoss.toFixed(3)} · W ${loss.wasserstein.toFixed(3)} · ${stepsPerSecond.toFixed(3)} steps/s`);
    },
  });
  bar.finish(`step ${result.step}`);
  const last = result.published.at(-1);
  console.log(`trained ${path.basename(out)} to step ${result.step} in ${formatDuration(result.seconds)} (${result.stepsPerSecond.toFixed(3)} steps/s, tfjs-${backend})`);
  if (last) console.log(`published version ${last.version}: ${last.dir} (report.html beside it)`);
} catch (error) {
  bar.finish('failed');
  fail(`${(error as Error).message} (after ${formatDuration((performance.now() - started) / 1000)})`);
}
