/**
 * Writes an untrained WaveGAN checkpoint (seeded random weights) into models/<id>/: manifest.json,
 * weights.json and weights.bin. model.onnx is not written: the onnx engine derives it on first load.
 *
 *   node --import tsx scripts/init-waveform-checkpoint.ts --id wavegan-untrained --d 32 --seed 1
 *
 * Options: --id (required), --d (model width, default 64), --seed (default 1), --gain (kernel
 * scale, default 2: audible untrained output, see initWaveGanWeights), --latent-dim
 * (default 100), --instrument (default 'untrained'), --models-dir (default models/ of the repo),
 * --force (replace an existing checkpoint).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { saveCheckpoint } from '../server/inference/checkpoint-save.js';
import {
  CLIP_SAMPLES,
  DEFAULT_LATENT_DIM,
  DEFAULT_MODEL_DIM,
  initWaveGanWeights,
  SAMPLE_RATE,
} from '../server/families/waveform/wavegan-architecture.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    d: { type: 'string', default: String(DEFAULT_MODEL_DIM) },
    seed: { type: 'string', default: '1' },
    'latent-dim': { type: 'string', default: String(DEFAULT_LATENT_DIM) },
    instrument: { type: 'string', default: 'untrained' },
    'models-dir': { type: 'string', default: path.join(repoRoot, 'models') },
    gain: { type: 'string', default: '2' },
    force: { type: 'boolean', default: false },
  },
});

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return value;
}

if (!values.id) {
  console.error('usage: init-waveform-checkpoint.ts --id <id> [--d 64] [--seed 1] [--latent-dim 100] [--gain 2] [--force]');
  process.exit(2);
}
const d = positiveInteger('d', values.d);
const latentDim = positiveInteger('latent-dim', values['latent-dim']);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error(`--seed must be an integer, got ${JSON.stringify(values.seed)}`);
  process.exit(2);
}
// Gain 2 keeps an untrained network's output audible (see initWaveGanWeights).
const gain = Number(values.gain);
if (!(gain > 0)) {
  console.error(`--gain must be a positive number, got ${JSON.stringify(values.gain)}`);
  process.exit(2);
}
const dir = path.join(values['models-dir'], values.id);
if (!values.force && (await stat(path.join(dir, 'manifest.json')).catch(() => undefined))) {
  console.error(`${dir} already holds a checkpoint; pass --force to replace it`);
  process.exit(1);
}

const started = performance.now();
const manifest = await saveCheckpoint(
  dir,
  {
    id: values.id,
    family: 'waveform',
    instrument: values.instrument,
    sampleRate: SAMPLE_RATE,
    clipSamples: CLIP_SAMPLES,
    latentDim,
    d,
    trained: false,
    trainingSteps: 0,
    created: new Date().toISOString(),
    init: { scheme: 'glorot-uniform', gain, seed },
  },
  initWaveGanWeights({ d, latentDim, seed, gain }),
);
const bytes = (await stat(path.join(dir, 'weights.bin'))).size;
const ms = Math.round(performance.now() - started);
console.log(`wrote ${dir}: d=${d}, seed=${seed}, ${(bytes / 1e6).toFixed(1)} MB of weights in ${ms} ms`);
