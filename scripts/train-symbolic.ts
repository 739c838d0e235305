/**
 * `npm run train:symbolic [-- options]`: trains the symbolic model (a phrase autoencoder, then a
 * conditional WGAN-GP over its codes; symbolic-architecture.ts), calibrates its decoding, and
 * publishes the model as a new version (models/<id>/versions/<n>/, server/inference/checkpoint-versions.ts)
 * with its quality report beside it (report.json, report.html). On the way it publishes a
 * version every --publish-every code-GAN steps, so a running station plays the model as it learns.
 *
 *   --out DIR              the model's folder, whose name is the model id (default: a new model
 *                          models/symbolic-<date>-<time>); an existing model gets new versions
 *                          (its older ones stay, for roll-back); a plain checkpoint folder is refused
 *   --publish-every N      code-GAN steps between published versions (default 2000; 0: only the final one)
 *   --keep N               versions kept (default: server.keepVersions's default, 5)
 *   --data FILE            train on a song dataset from scripts/import-midi.ts instead of the built-in corpus
 *   --songs-per-style N    built-in corpus size per style (default 150)
 *   --styles a,b           train on these styles only (default: every style in the data)
 *   --seed N               seeds the corpus, the weights and every batch (default 1)
 *   --ae-minutes M         autoencoder time limit (default 13)   --ae-steps N   its step limit (default 100000)
 *   --gan-minutes M        code GAN time limit (default 12)      --gan-steps N  its step limit (default 100000)
 *   --report-songs N       songs per style in the report (default 100)
 *
 * With the defaults a run takes about 28 minutes on a 2-core CPU (tfjs-wasm). A GPU is not used:
 * tfjs-node-gpu, where installed, is (server/inference/tfjs-backend.ts).
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { publishVersion } from '../server/inference/checkpoint-versions.js';
import { DEFAULT_KEEP_VERSIONS } from '../server/config/config-schema.js';
import type { Decoding } from '../server/families/symbolic/phrase-decoder.js';
import type { NamedTensor } from '../server/families/model.js';
import { selectTfjsBackend } from '../server/inference/tfjs-backend.js';
import { PLANES, ROWS, STEPS_PER_PHRASE, STYLES, type Style } from '../server/families/symbolic/piano-roll.js';
import { parameterCount, symbolicGeneratorShapes, type SymbolicDims } from '../server/families/symbolic/symbolic-architecture.js';
import { buildCorpus } from './training/corpus/build-corpus.js';
import { formatReportTable, renderReportHtml } from './training/metrics/quality-report.js';
import { newCheckpointFolder, plainCheckpointProblem } from './training/checkpoint-folder.js';
import type { BuiltInCorpus } from './training/checkpoint-songs.js';
import { readSongDataset } from './training/song-dataset.js';
import { trainSymbolic } from './training/symbolic-training.js';
import { ProgressBar, formatDuration } from './progress-bar.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    'publish-every': { type: 'string', default: '2000' },
    keep: { type: 'string', default: String(DEFAULT_KEEP_VERSIONS) },
    data: { type: 'string' },
    'songs-per-style': { type: 'string', default: '150' },
    styles: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'ae-minutes': { type: 'string', default: '13' },
    'ae-steps': { type: 'string', default: '100000' },
    'gan-minutes': { type: 'string', default: '12' },
    'gan-steps': { type: 'string', default: '100000' },
    'report-songs': { type: 'string', default: '100' },
  },
});

function fail(message: string): never {
  console.error(`train-symbolic: ${message}`);
  process.exit(1);
}

function positiveInteger(name: keyof typeof values): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive whole number, got ${JSON.stringify(values[name])}`);
  return value;
}

function positiveNumber(name: keyof typeof values): number {
  const value = Number(values[name]);
  if (!(value > 0)) fail(`--${name} must be a positive number, got ${JSON.stringify(values[name])}`);
  return value;
}

const out = path.resolve(values.out ?? newCheckpointFolder(path.join(PROJECT_ROOT, 'models'), 'symbolic'));
const modelsDir = path.dirname(out);
const id = path.basename(out);
const problem = await plainCheckpointProblem(out);
if (problem) fail(problem);
const publishEvery = Number(values['publish-every']);
if (!Number.isInteger(publishEvery) || publishEvery < 0) fail(`--publish-every must be a whole number ≥ 0, got ${JSON.stringify(values['publish-every'])}`);
const keep = positiveInteger('keep');
const seed = positiveInteger('seed');
let songs = values.data
  ? await readSongDataset(path.resolve(values.data)).catch((error: Error) => fail(error.message))
  : buildCorpus({ seed, songsPerStyle: positiveInteger('songs-per-style') });
if (values.styles) {
  const wanted = values.styles.split(',').map((s) => s.trim());
  const unknown = wanted.filter((s) => !STYLES.includes(s as Style));
  if (unknown.length > 0) fail(`--styles: ${unknown.join(', ')} is not a style (${STYLES.join(', ')})`);
  songs = songs.filter((song) => wanted.includes(song.style));
}
if (songs.length === 0) fail('no songs to train on');
const corpus: BuiltInCorpus | { source: string } = values.data
  ? { source: path.basename(values.data) }
  : { source: 'built-in', seed, songsPerStyle: positiveInteger('songs-per-style') };
const corpusText = values.data ? path.basename(values.data) : `built-in, ${songs.length} songs, seed ${seed}`;

/** Publishes `weights` as the model's next version (a snapshot while training, or the final model with its report). */
async function publish(
  weights: Map<string, NamedTensor>,
  model: { dims: SymbolicDims; styles: Style[]; decoding: Decoding },
  at: { steps: number; snapshot: boolean; training?: Record<string, unknown> },
  extraFiles?: Record<string, string>,
) {
  const { dims, styles, decoding } = model;
  return publishVersion({
    modelsDir,
    keep,
    extraFiles,
    weights,
    manifest: {
      id,
      family: 'symbolic',
      instrument: 'drums, bass, chords and lead',
      latentDim: dims.latentDim,
      trained: true,
      trainingSteps: at.steps,
      created: new Date().toISOString(),
      steps: STEPS_PER_PHRASE,
      rows: ROWS,
      planes: PLANES.length,
      styles,
      codeDim: dims.codeDim,
      layers: { mapHidden: dims.mapHidden, phraseHidden: dims.phraseHidden, barLatent: dims.barLatent, barHidden: dims.barHidden, stepHidden: dims.stepHidden },
      decoding,
      training: at.training ?? { corpus, seed, snapshot: at.snapshot, ganSteps: at.steps },
    },
  });
}

const backend = await selectTfjsBackend();
const limits = {
  autoencoder: { steps: positiveInteger('ae-steps'), seconds: positiveNumber('ae-minutes') * 60 },
  gan: { steps: positiveInteger('gan-steps'), seconds: positiveNumber('gan-minutes') * 60 },
};
const started = performance.now();
let current: { phase: string; bar: ProgressBar } | undefined;
const result = await trainSymbolic({
  songs,
  seed,
  autoencoder: limits.autoencoder,
  gan: limits.gan,
  reportSongs: positiveInteger('report-songs'),
  snapshotEvery: publishEvery,
  async onSnapshot({ step, weights, dims, styles, decoding }) {
    const published = await publish(weights, { dims, styles, decoding }, { steps: step, snapshot: true });
    current?.bar.log(`published ${id} v${published.version} (code-GAN step ${step}, decoding calibrated on a quick sample)`);
  },
  onPhase: (message) => console.error(`train-symbolic: ${message}`),
  onStep(phase, step, seconds, loss) {
    const limit = limits[phase];
    if (current?.phase !== phase) {
      current?.bar.finish();
      current = { phase, bar: new ProgressBar({ total: Math.round(limit.seconds), label: phase }) };
    }
    const text = 'loss' in loss ? `step ${step} · loss ${loss.loss.toFixed(4)}` : `step ${step} · W ${loss.wasserstein.toFixed(3)} · GP ${loss.gradientPenalty.toFixed(3)}`;
    current.bar.update(Math.min(Math.round(limit.seconds), Math.round(step >= limit.steps ? limit.seconds : seconds)), text);
  },
});
current?.bar.finish();

const { dims, styles } = result;

const meta = {
  checkpoint: path.basename(out),
  corpus: corpusText,
  'autoencoder steps': result.history.autoencoder.length,
  'GAN steps': result.history.gan.length,
  'training time': formatDuration(result.seconds.autoencoder + result.seconds.gan),
  'whole run': formatDuration((performance.now() - started) / 1000),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, tfjs-${backend}`,
  'generated songs': result.generated.length,
};
const curves = [
  {
    title: 'Autoencoder: reconstruction loss',
    series: [
      { name: 'notes (onset + hold cross-entropy)', points: result.history.autoencoder.map((p) => [p.step, p.notes] as const) },
      { name: 'velocity (squared error)', points: result.history.autoencoder.map((p) => [p.step, p.velocity] as const) },
    ],
  },
  {
    title: 'Code GAN: critic terms',
    series: [
      { name: 'Wasserstein estimate', points: result.history.gan.map((p) => [p.step, p.wasserstein] as const) },
      { name: 'gradient penalty', points: result.history.gan.map((p) => [p.step, p.gradientPenalty] as const) },
    ],
  },
];
const { report, perStyle } = result;
const published = await publish(
  result.weights,
  { dims, styles, decoding: result.decoding },
  {
    steps: result.history.autoencoder.length + result.history.gan.length,
    snapshot: false,
    training: {
      corpus,
      seed,
      examples: result.examples,
      autoencoder: { steps: result.history.autoencoder.length, ...result.settings.autoencoder, seconds: Math.round(result.seconds.autoencoder) },
      gan: { steps: result.history.gan.length, ...result.settings.gan, lambda: 10, adam: { beta1: 0.5, beta2: 0.9 }, seconds: Math.round(result.seconds.gan) },
      parameters: parameterCount(symbolicGeneratorShapes(dims)),
    },
  },
  {
    'report.json': `${JSON.stringify({ meta, decoding: result.decoding, overall: report, perStyle }, null, 1)}\n`,
    'report.html': renderReportHtml(report, curves, { title: `Quality report: ${id}`, meta, perStyle }),
  },
);
console.log(formatReportTable(report));
console.log(`model: ${id} version ${published.version} in ${published.dir} (${styles.join(', ')})`);
console.log(`${report.passed ? 'PASSED' : 'FAILED'} in ${formatDuration((performance.now() - started) / 1000)}`);
