/**
 * `node --import tsx scripts/report-symbolic.ts --model models/symbolic-corpus [--samples 1200]`:
 * the quality report of any symbolic checkpoint against the built-in corpus (or --data FILE),
 * printed as a table. It samples through the same Generator the server uses.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inspectCheckpoint } from '../server/inference/checkpoint.js';
import { createGenerator } from '../server/inference/create-generator.js';
import { buildCorpus } from './training/corpus/build-corpus.js';
import { compareToData, formatReportTable } from './training/metrics/quality-report.js';
import { readPhraseDataset } from './training/phrase-dataset.js';
import { binarizeRoll, conditionedInput } from '../server/families/symbolic/piano-roll.js';
import { fillGaussian, mulberry32 } from '../server/core/seeded-random.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/symbolic-corpus' },
    data: { type: 'string' },
    samples: { type: 'string', default: '1200' },
    seed: { type: 'string', default: '1' },
  },
});
const dir = path.resolve(values.model!);
const { manifest } = await inspectCheckpoint(dir);
if (manifest.family !== 'symbolic') throw new Error(`${dir} is a ${manifest.family} checkpoint; the report is for symbolic ones`);
const seed = Number(values.seed);
const data = values.data ? await readPhraseDataset(values.data) : buildCorpus({ seed, phrasesPerStyle: 1000 });
const generator = createGenerator({ dir, engine: 'tfjs' });
await generator.initialize();
const random = mulberry32(seed + 7);
const count = Number(values.samples);
const generated: Float32Array[] = [];
for (let i = 0; i < count; i += 100) {
  const inputs = Array.from({ length: Math.min(100, count - i) }, (_, k) =>
    conditionedInput(fillGaussian(new Float32Array(manifest.latentDim), random), data[(i + k) % data.length].style),
  );
  generated.push(...(await generator.generate(inputs)).map((roll) => binarizeRoll(roll)));
}
await generator.dispose();
const report = compareToData(generated, data.map((p) => p.roll), { seed });
console.log(`${manifest.id}: ${manifest.trainingSteps} steps`);
console.log(formatReportTable(report));
