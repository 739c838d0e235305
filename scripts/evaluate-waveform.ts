/**
 * `npm run evaluate:waveform -- --dataset DIR [--model DIR] [options]`: the WaveGAN paper's
 * measures (nearest-neighbour log-mel distances, NDB/k and JS over k-means bins) for a model's
 * clips against a dataset's held-out clips, beside real vs real (the floor) and loudness-matched
 * noise (the ceiling). scripts/training/evaluation/ says how each figure is made.
 *
 *   --dataset DIR    a dataset from npm run dataset (required)
 *   --model DIR      a waveform checkpoint folder (any folder with manifest.json, or models/<id>/
 *                    whose current version is taken); without it only the floor and ceiling rows
 *   --count N        clips per row (default 500)       --seed N   latents, sample, noise, k-means (default 1)
 *   --k N            NDB bins (default 50)              --max-reference N   training clips used (default 4000)
 *   --engine onnx|tfjs  (default onnx)                  --json     the report as JSON instead of the table
 *
 * A model whose clip length or rate differs from the dataset's is refused, naming both. Exit codes:
 * 0 done, 1 failed (dataset, model, mismatch), 2 bad arguments.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDuration } from './progress-bar.js';
import { loadWaveformDataset } from './training/dataset/waveform-dataset.js';
import { formatEvaluationTable } from './training/evaluation/evaluation-table.js';
import { checkClipFormat, generateClips, resolveCheckpointDir, waveformClipFormat } from './training/evaluation/generated-clips.js';
import { EVALUATION_DEFAULTS, evaluateWaveforms } from './training/evaluation/waveform-evaluation.js';

function fail(message: string, code: 1 | 2): never {
  console.error(`evaluate-waveform: ${message}`);
  process.exit(code);
}

let parsed: ReturnType<typeof parseOptions>;
function parseOptions() {
  return parseArgs({
    options: {
      dataset: { type: 'string' },
      model: { type: 'string' },
      count: { type: 'string', default: String(EVALUATION_DEFAULTS.count) },
      seed: { type: 'string', default: String(EVALUATION_DEFAULTS.seed) },
      k: { type: 'string', default: String(EVALUATION_DEFAULTS.k) },
      'max-reference': { type: 'string', default: String(EVALUATION_DEFAULTS.maxReference) },
      engine: { type: 'string', default: 'onnx' },
      json: { type: 'boolean', default: false },
    },
  });
}
try {
  parsed = parseOptions();
} catch (error) {
  fail((error as Error).message, 2);
}
const { values } = parsed;

function wholeNumber(name: keyof typeof values, min: number): number {
  const value = Number(values[name]);
  if (!(Number.isInteger(value) && value >= min)) fail(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(values[name])}`, 2);
  return value;
}

if (!values.dataset) fail('--dataset DIR is required (make one with npm run dataset)', 2);
const engine = values.engine as 'onnx' | 'tfjs';
if (engine !== 'onnx' && engine !== 'tfjs') fail(`--engine must be onnx or tfjs, got ${JSON.stringify(values.engine)}`, 2);
const count = wholeNumber('count', 1);
const seed = wholeNumber('seed', 0);
const k = wholeNumber('k', 2);
const maxReference = wholeNumber('max-reference', k);
const datasetDir = path.resolve(values.dataset);
const log = (message: string) => console.error(`evaluate-waveform: ${message}`);
const started = performance.now();

try {
  const dataset = await loadWaveformDataset(datasetDir);
  log(`dataset ${datasetDir}: ${dataset.train.length} training + ${dataset.heldOut.length} held-out clips of ${dataset.clipSamples} samples at ${dataset.sampleRate} Hz`);
  let generated: Float32Array[] | undefined;
  let modelDir: string | undefined;
  if (values.model) {
    modelDir = await resolveCheckpointDir(path.resolve(values.model));
    checkClipFormat(await waveformClipFormat(modelDir), { ...dataset, dir: datasetDir });
    const rowClips = Math.min(count, Math.floor(dataset.train.length / 2));
    const generating = performance.now();
    generated = await generateClips({ dir: modelDir, count: rowClips, seed, engine });
    log(`${rowClips} clips from ${modelDir} in ${formatDuration((performance.now() - generating) / 1000)}`);
  }
  const report = evaluateWaveforms({ ...dataset, generated }, { count, seed, k, maxReference, onPhase: log });
  if (values.json) {
    console.log(JSON.stringify({ dataset: datasetDir, model: modelDir ?? null, sampleRate: dataset.sampleRate, clipSamples: dataset.clipSamples, ...report }, null, 2));
  } else {
    console.log(`dataset: ${datasetDir}${modelDir ? `\nmodel: ${modelDir}` : ''}\n`);
    console.log(formatEvaluationTable(report));
  }
  log(`took ${formatDuration((performance.now() - started) / 1000)}`);
} catch (error) {
  fail((error as Error).message, 1);
}
