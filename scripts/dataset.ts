/**
 * `npm run dataset -- [options]`: makes a waveform training dataset for WaveGAN (int16 shards and
 * index.json: scripts/training/dataset/) from a folder of audio, or from the built-in instruments.
 *
 *   npm run dataset -- ~/samples/drums --clip-samples 4096          a folder (wav, mp3, ogg, flac), recursive
 *   npm run dataset -- --builtin drums --count 2000 --clip-samples 4096   one-shots, nothing downloaded
 *
 *   --builtin drums|piano|notes|mixed   render one-shots (builtin-hits.ts) instead of reading a folder
 *   --count N              built-in clips (default 2000)
 *   --out DIR              dataset folder (default scripts/datasets/<name>, git-ignored)
 *   --name NAME            its name under scripts/datasets (default: the folder's name, or <set>-<clip>)
 *   --sample-rate HZ       default 16000          --clip-samples N   default 16384
 *   --hop N                window step in samples (folder; default: --clip-samples, no overlap)
 *   --silence-db DB        skip windows with RMS below this (folder; default -50 dBFS)
 *   --normalize MODE       peak: each clip's peak to -1 dBFS (the folder default); velocity: a built-in
 *                          hit's peak to -1 dBFS + 20·log10(velocity/127) (the built-in default); none
 *   --held-out F           share of clips held out for evaluation (default 0.1)
 *   --seed N               seeds the built-in hits and the held-out split (default 1)
 *   --shard-clips N        clips per shard file (default 1024)
 *   --no-align             built-in: leave each attack where the synth puts it (default: 1 ms in)
 *   --no-ffmpeg            never fall back on ffmpeg for files node-web-audio-api cannot decode
 *   --overwrite            replace a dataset already in --out
 *
 * Warnings and the progress bar go to stderr, the summary to stdout. Exit codes: 0 done, 1 failed
 * (no audio, nothing kept, an existing dataset), 2 bad arguments.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import type { Hz } from '../server/core/units.js';
import { Resampler } from '../server/dsp/resampler.js';
import { BUILTIN_DATASET_DEFAULTS, buildBuiltinDataset, type BuiltinDatasetSummary } from './training/dataset/builtin-dataset.js';
import { NORMALIZE_MODES, type NormalizeMode } from './training/dataset/dataset-index.js';
import { BUILTIN_SETS, type BuiltinSet } from './training/dataset/builtin-hits.js';
import { CLIP_WINDOW_DEFAULTS } from './training/dataset/clip-windows.js';
import { DATASET_WRITER_DEFAULTS } from './training/dataset/dataset-writer.js';
import { buildFolderDataset, FOLDER_DATASET_DEFAULTS, type FolderDatasetSummary } from './training/dataset/folder-dataset.js';
import { formatDuration, ProgressBar } from './progress-bar.js';

const USAGE = `usage: dataset.ts <folder> | --builtin ${BUILTIN_SETS.join('|')} [--count N]  [--out DIR] [--clip-samples N] … (see the file header)`;
const DEFAULT_COUNT = 2000;

function fail(message: string, code: 1 | 2): never {
  console.error(`dataset: ${message}`);
  process.exit(code);
}

let parsed: ReturnType<typeof parseOptions>;
function parseOptions() {
  return parseArgs({
    allowPositionals: true,
    options: {
      builtin: { type: 'string' },
      count: { type: 'string', default: String(DEFAULT_COUNT) },
      out: { type: 'string' },
      name: { type: 'string' },
      'sample-rate': { type: 'string', default: String(FOLDER_DATASET_DEFAULTS.sampleRate) },
      'clip-samples': { type: 'string', default: String(FOLDER_DATASET_DEFAULTS.clipSamples) },
      hop: { type: 'string' },
      'silence-db': { type: 'string', default: String(CLIP_WINDOW_DEFAULTS.silenceDb) },
      normalize: { type: 'string' },
      'held-out': { type: 'string', default: String(DATASET_WRITER_DEFAULTS.heldOutFraction) },
      seed: { type: 'string', default: String(DATASET_WRITER_DEFAULTS.seed) },
      'shard-clips': { type: 'string', default: String(DATASET_WRITER_DEFAULTS.shardClips) },
      'no-align': { type: 'boolean', default: false },
      'no-ffmpeg': { type: 'boolean', default: false },
      overwrite: { type: 'boolean', default: false },
    },
  });
}
try {
  parsed = parseOptions();
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;

function wholeNumber(name: keyof typeof values, min: number): number {
  const value = Number(values[name]);
  if (!(Number.isInteger(value) && value >= min)) fail(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(values[name])}`, 2);
  return value;
}
function numberIn(name: keyof typeof values, min: number, max: number): number {
  const value = Number(values[name]);
  if (!(value >= min && value <= max)) fail(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(values[name])}`, 2);
  return value;
}

const builtin = values.builtin as BuiltinSet | undefined;
if (builtin !== undefined && !BUILTIN_SETS.includes(builtin)) fail(`--builtin must be one of ${BUILTIN_SETS.join(', ')}, got ${JSON.stringify(builtin)}`, 2);
if ((builtin === undefined) === (positionals.length === 0) || positionals.length > 1) fail(USAGE, 2);
const normalize = (values.normalize ?? (builtin ? BUILTIN_DATASET_DEFAULTS.normalize : DATASET_WRITER_DEFAULTS.normalize)) as NormalizeMode;
const modes: readonly NormalizeMode[] = builtin ? NORMALIZE_MODES : NORMALIZE_MODES.filter((mode) => mode !== 'velocity');
if (!modes.includes(normalize)) fail(`--normalize must be ${modes.join(', ')}${builtin ? '' : ' for a folder'}, got ${JSON.stringify(normalize)}`, 2);
const sampleRate = wholeNumber('sample-rate', 1000);
const clipSamples = wholeNumber('clip-samples', 16);
const common = {
  sampleRate,
  clipSamples,
  normalize,
  heldOutFraction: numberIn('held-out', 0, 0.9),
  seed: wholeNumber('seed', 0),
  shardClips: wholeNumber('shard-clips', 1),
  overwrite: values.overwrite!,
};
const name = values.name ?? (builtin ? `${builtin}-${clipSamples}` : path.basename(path.resolve(positionals[0])));
const out = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'scripts', 'datasets', name));

/**
 * A whole signal through server/dsp's band-limited Resampler, its group delay removed (to the
 * nearest output sample): output sample k is the input at time k / outputRate, and the length
 * scales with the ratio.
 */
function resampleWhole(signal: Float32Array, inputRate: Hz, outputRate: Hz): Float32Array {
  const resampler = new Resampler({ inputRate, outputRate });
  const delay = Math.round(resampler.latency);
  const length = Math.round((signal.length * outputRate) / inputRate);
  const head = resampler.process(signal);
  // Zeros after the end flush the filter, so the last `delay` samples come out too.
  const tail = resampler.process(new Float32Array(Math.ceil(((delay + 1) * inputRate) / outputRate) + resampler.tapsPerPhase));
  const whole = new Float32Array(head.length + tail.length);
  whole.set(head);
  whole.set(tail, head.length);
  return whole.slice(delay, delay + length);
}

const started = performance.now();
let summary: FolderDatasetSummary | BuiltinDatasetSummary;
try {
  if (builtin) {
    const count = wholeNumber('count', 1);
    const bar = new ProgressBar({ total: count, label: `render ${builtin}` });
    summary = await buildBuiltinDataset({
      ...common, set: builtin, count, out, render: { alignOnset: !values['no-align'] }, onProgress: (kept) => bar.update(kept),
    });
    bar.finish(`${summary.clipsKept} clips`);
  } else {
    const input = path.resolve(positionals[0]);
    let bar: ProgressBar | undefined;
    const folderSummary = await buildFolderDataset({
      ...common,
      normalize: normalize as 'peak' | 'none',
      input,
      out,
      hop: values.hop === undefined ? undefined : wholeNumber('hop', 1),
      silenceDb: numberIn('silence-db', -200, 0),
      resample: resampleWhole,
      ffmpeg: values['no-ffmpeg'] ? null : undefined,
      warn: (message) => (bar ? bar.log(`dataset: ${message}`) : console.error(`dataset: ${message}`)),
      onProgress: (done, total, file) => {
        bar ??= new ProgressBar({ total, label: 'decode' });
        bar.update(done, file);
      },
    });
    (bar as ProgressBar | undefined)?.finish(`${folderSummary.filesRead} files`);
    summary = folderSummary;
  }
} catch (error) {
  fail((error as Error).message, 1);
}

const { index } = summary;
const minutes = (index.clips * index.clipSamples) / index.sampleRate / 60;
const lines = [`dataset: ${out}`];
if ('filesRead' in summary) {
  lines.push(`files: ${summary.filesRead} read, ${summary.filesSkipped} skipped` +
    (summary.ffmpegFiles ? `, ${summary.ffmpegFiles} decoded by ffmpeg` : '') +
    (summary.decoderResampled ? `, ${summary.decoderResampled} resampled by the decoder (header without a rate)` : ''));
  lines.push(`audio read: ${(summary.seconds / 60).toFixed(1)} min`);
}
lines.push(`clips: ${summary.clipsKept} kept (${index.clipSamples} samples at ${index.sampleRate} Hz, ${minutes.toFixed(1)} min), ${summary.silentSkipped} skipped as silent`);
lines.push(`held out: ${index.heldOut.length} clips (${Math.round(index.split.fraction * 100)} %, by ${index.split.by}${index.split.by === 'clip' ? ': too few sources to hold out whole files, so held-out clips may neighbour training clips' : ''})`);
if (index.sources.kind === 'builtin') lines.push(`hits: ${Object.entries(index.sources.labels).map(([label, n]) => `${label} ${n}`).join(', ')}`);
lines.push(`size: ${(summary.bytes / 2 ** 20).toFixed(1)} MiB in ${index.shards.length} shard${index.shards.length === 1 ? '' : 's'} · took ${formatDuration((performance.now() - started) / 1000)}`);
console.log(lines.join('\n'));
