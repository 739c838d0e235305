/**
 * `npm run train:symbolic [-- options]`: trains the symbolic GAN with WGAN-GP and publishes a
 * checkpoint into models/ (the server picks it up by id), with a quality report beside it.
 *
 *   --out DIR              checkpoint folder (default models/symbolic-corpus); its name is the model id
 *   --data FILE            train on a dataset from scripts/import-midi.ts instead of the built-in corpus
 *   --phrases-per-style N  built-in corpus size per style (default 1000)
 *   --steps N              generator steps, each after 5 critic steps (default 3500)
 *   --batch N              phrases per batch (default 32)
 *   --seed N               seeds the weights, the corpus and every batch (default 1)
 *   --max-minutes M        stop (and publish) after M minutes even if steps remain (default 28)
 *   --save-every N         publish a checkpoint and the training state every N steps (default 100)
 *   --samples N            generated phrases in the quality report (default 1200)
 *   --fresh                ignore a saved training state and start over (default: resume from it)
 *
 * Resuming: the training state (both networks and both Adams) is saved as
 * DIR/training-state.{json,bin} (not committed); run the same command again to continue.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { saveCheckpoint } from '../server/inference/checkpoint-save.js';
import { selectTfjsBackend } from '../server/inference/tfjs-backend.js';
import { buildCorpus } from './training/corpus/build-corpus.js';
import { compareToData, formatReportTable, renderReportHtml } from './training/metrics/quality-report.js';
import { readPhraseDataset } from './training/phrase-dataset.js';
import { binarizeRoll, ROWS, STEPS_PER_PHRASE, STYLES, type Style } from '../server/families/symbolic/piano-roll.js';
import { DEFAULT_SYMBOLIC_DIMS, parameterCount, symbolicGeneratorShapes } from '../server/families/symbolic/symbolic-architecture.js';
import { SymbolicTrainer, type TrainingPhrase } from './training/symbolic-trainer.js';
import { ProgressBar, formatDuration } from './progress-bar.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'models', 'symbolic-corpus') },
    data: { type: 'string' },
    'phrases-per-style': { type: 'string', default: '1000' },
    steps: { type: 'string', default: '3500' },
    batch: { type: 'string', default: '32' },
    seed: { type: 'string', default: '1' },
    'max-minutes': { type: 'string', default: '28' },
    'save-every': { type: 'string', default: '100' },
    samples: { type: 'string', default: '1200' },
    fresh: { type: 'boolean', default: false },
  },
});

function positiveInteger(name: keyof typeof values): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive whole number, got ${JSON.stringify(values[name])}`);
  return value;
}

function fail(message: string): never {
  console.error(`train-symbolic: ${message}`);
  process.exit(1);
}

const out = path.resolve(values.out!);
const steps = positiveInteger('steps');
const batch = positiveInteger('batch');
const seed = positiveInteger('seed');
const saveEvery = positiveInteger('save-every');
const sampleCount = positiveInteger('samples');
const maxMinutes = Number(values['max-minutes']);
if (!(maxMinutes > 0)) fail(`--max-minutes must be a positive number, got ${JSON.stringify(values['max-minutes'])}`);

const data: TrainingPhrase[] = values.data
  ? await readPhraseDataset(path.resolve(values.data)).catch((error: Error) => fail(error.message))
  : buildCorpus({ seed, phrasesPerStyle: positiveInteger('phrases-per-style') });
const corpus = values.data ? path.basename(values.data) : `built-in (${STYLES.join(', ')}), ${data.length} phrases, seed ${seed}`;
const styles = [...new Set(data.map((p) => p.style))];

const backend = await selectTfjsBackend();
const dims = { ...DEFAULT_SYMBOLIC_DIMS, conditionDim: STYLES.length };
const trainer = new SymbolicTrainer({ data, dims, batch, seed });
const statePath = path.join(out, 'training-state');
await mkdir(out, { recursive: true });
const resumed = !values.fresh && (await trainer.loadState(statePath));
console.error(
  `train-symbolic: ${corpus}; generator ${parameterCount(symbolicGeneratorShapes(dims)).toLocaleString('en')} parameters; ` +
    `tfjs-${backend}; batch ${batch}; ${resumed ? `resuming at step ${trainer.step}` : 'from scratch'} → ${out}`,
);

const started = performance.now();
const elapsedMinutes = () => (performance.now() - started) / 60_000;
let trainingSeconds = 0;
const bar = new ProgressBar({ total: steps, label: 'train' });
bar.update(trainer.step);
while (trainer.step < steps && elapsedMinutes() < maxMinutes) {
  const stepStarted = performance.now();
  const losses = trainer.trainStep();
  trainingSeconds += (performance.now() - stepStarted) / 1000;
  bar.update(trainer.step, `W ${losses.wasserstein.toFixed(3)} · GP ${losses.gradientPenalty.toFixed(3)} · G ${losses.generatorLoss.toFixed(3)}`);
  if (trainer.step % saveEvery === 0) await publish();
}
const stoppedEarly = trainer.step < steps;
bar.finish(stoppedEarly ? `stopped at step ${trainer.step} after ${maxMinutes} min` : `${trainer.step} steps`);
await publish();

// Quality report: generated phrases vs the training data, in the data's style proportions.
const reportStarted = performance.now();
const sampleStyles: Style[] = Array.from({ length: sampleCount }, (_, i) => data[i % data.length].style);
const generated: Float32Array[] = [];
for (let i = 0; i < sampleStyles.length; i += 200) {
  generated.push(...trainer.sample(sampleStyles.slice(i, i + 200), 10_000 + i).map((roll) => binarizeRoll(roll)));
}
const report = compareToData(generated, data.map((p) => p.roll), { seed });
const perStyle = Object.fromEntries(
  styles.map((style) => [
    style,
    compareToData(
      generated.filter((_, i) => sampleStyles[i] === style),
      data.filter((p) => p.style === style).map((p) => p.roll),
      { seed },
    ),
  ]),
);
const meta = {
  checkpoint: path.basename(out),
  corpus,
  steps: trainer.step,
  'training time': formatDuration(trainingSeconds),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, tfjs-${backend}`,
  'generated phrases': generated.length,
};
await writeFile(path.join(out, 'report.json'), `${JSON.stringify({ meta, overall: report, perStyle, history: trainer.history }, null, 1)}\n`);
await writeFile(path.join(out, 'report.html'), renderReportHtml(report, trainer.history, { title: `Quality report: ${path.basename(out)}`, meta }));
console.log(formatReportTable(report));
console.log(`report: ${path.join(out, 'report.html')} (${Math.round(performance.now() - reportStarted)} ms)`);
console.log(`${report.passed ? 'PASSED' : 'FAILED'}: ${trainer.step} steps in ${formatDuration(elapsedMinutes() * 60)}`);
trainer.dispose();

/** Writes the checkpoint (atomically, so a running server never sees half of it) and the training state. */
async function publish(): Promise<void> {
  await saveCheckpoint(
    out,
    {
      id: path.basename(out),
      family: 'symbolic',
      instrument: 'drums, bass and chords',
      latentDim: dims.latentDim,
      trained: true,
      trainingSteps: trainer.step,
      created: new Date().toISOString(),
      steps: STEPS_PER_PHRASE,
      rows: ROWS,
      styles: [...STYLES],
      layers: { phraseHidden: dims.phraseHidden, barLatent: dims.barLatent, barHidden: dims.barHidden, stepHidden: dims.stepHidden },
      training: { corpus, batch, seed, criticSteps: trainer.criticSteps, lambda: 10, adam: { learningRate: 1e-4, beta1: 0.5, beta2: 0.9 }, seconds: Math.round(trainingSeconds) },
    },
    trainer.generatorWeights(),
  );
  await trainer.saveState(statePath);
}
