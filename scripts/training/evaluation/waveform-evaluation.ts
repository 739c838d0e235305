/**
 * The waveform evaluation (WaveGAN paper §6 / appendix; Richardson & Weiss 2018) on plain
 * Float32Array clips, so it runs the same on a model's clips, real clips or noise:
 *
 *   training clips ─┬─ a real sample of `count` (the floor row's "generated" clips)
 *                   └─ the rest: the reference ─► log-mel ─► k-means (k bins)
 *   each row's clips (generated | real sample | loudness-matched noise), `count` each:
 *     memorisation   mean distance of each clip to its nearest reference clip
 *     coverage       mean distance of each held-out clip to its nearest clip of the row
 *     NDB / k, JS    the row's bin histogram against the held-out clips' histogram
 *
 * The real sample is left out of the reference, so its memorisation figure is what unseen real
 * clips score (the floor), not zero. All rows have the same number of clips, so their coverage
 * figures compare (a larger set is nearer to anything by chance).
 */
import type { Hz } from '../../../server/core/units.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { K_MEANS_DEFAULTS, kMeans } from './k-means.js';
import { LogMelExtractor, type LogMelOptions } from './log-mel.js';
import { binCounts, compareBins } from './ndb.js';
import { meanNearestDistance } from './nearest-neighbour.js';
import { loudnessMatchedNoise } from './noise-clips.js';

export interface EvaluationInput {
  sampleRate: Hz;
  train: readonly Float32Array[];
  heldOut: readonly Float32Array[];
  /** The model's clips; without them only the floor and ceiling rows are measured. */
  generated?: readonly Float32Array[];
}

export interface EvaluationOptions {
  /** Clips per row (fewer when the training set has less than twice as many). @default 500 */
  count?: number;
  /** NDB bins. @default 50 (Richardson & Weiss) */
  k?: number;
  /** Significance level of NDB's per-bin test. @default 0.05 */
  alpha?: number;
  /** Seeds the real sample, the noise and k-means. @default 1 */
  seed?: number;
  /** Most training clips in the reference (k-means and memorisation distances). @default 4000 */
  maxReference?: number;
  /** @default 50 */
  kMeansIterations?: number;
  /** Feature options (log-mel.ts). */
  logMel?: Omit<LogMelOptions, 'sampleRate'>;
  /** Told what it is doing (features, k-means, each row). */
  onPhase?: (message: string) => void;
}

/** Defaults of `evaluateWaveforms`, written once. */
export const EVALUATION_DEFAULTS = { count: 500, k: 50, alpha: 0.05, seed: 1, maxReference: 4000 } as const;

/** One row of the table. */
export interface EvaluationRow {
  name: 'generated' | 'real' | 'noise';
  clips: number;
  /** Mean log-mel distance from each clip of the row to its nearest reference (training) clip. */
  nearestTrain: number;
  /** Mean log-mel distance from each held-out clip to its nearest clip of the row. */
  heldOutNearest: number;
  ndb: number;
  ndbOverK: number;
  /** Jensen–Shannon divergence of the bin histograms, nats. */
  js: number;
}

export interface EvaluationReport {
  rows: EvaluationRow[];
  k: number;
  alpha: number;
  seed: number;
  referenceClips: number;
  heldOutClips: number;
  /** Values per log-mel feature vector (frames × bands). */
  featureDimensions: number;
  kMeansIterations: number;
}

/**
 * Measures the rows.
 *
 * @throws RangeError for clips of mixed lengths, no held-out clips, or too few training clips for k bins
 * @example
 * const report = evaluateWaveforms({ sampleRate: 16000, train, heldOut, generated });
 * console.log(formatEvaluationTable(report));
 */
export function evaluateWaveforms(input: EvaluationInput, options: EvaluationOptions = {}): EvaluationReport {
  const k = options.k ?? EVALUATION_DEFAULTS.k;
  const alpha = options.alpha ?? EVALUATION_DEFAULTS.alpha;
  const seed = options.seed ?? EVALUATION_DEFAULTS.seed;
  const maxReference = options.maxReference ?? EVALUATION_DEFAULTS.maxReference;
  const phase = options.onPhase ?? (() => {});
  const { train, heldOut, generated } = input;
  if (heldOut.length === 0) throw new RangeError('the evaluation needs held-out clips (the dataset holds none out: remake it with --held-out above 0)');
  const clipSamples = train[0]?.length ?? 0;
  for (const [name, clips] of Object.entries({ train, heldOut, generated: generated ?? [] })) {
    const odd = clips.find((clip) => clip.length !== clipSamples);
    if (odd) throw new RangeError(`every clip must have ${clipSamples} samples like the training clips; a ${name} clip has ${odd.length}`);
  }
  const count = Math.min(options.count ?? EVALUATION_DEFAULTS.count, Math.floor(train.length / 2), generated?.length ?? Infinity);
  if (count < 1 || train.length - count < k) {
    throw new RangeError(`the evaluation needs at least ${2 * k} training clips for k = ${k} (and a real sample beside them), got ${train.length}`);
  }
  const order = shuffledIndices(train.length, seed);
  const realSample = order.slice(0, count).map((i) => train[i]);
  const reference = order.slice(count, count + maxReference).map((i) => train[i]);
  const rows: { name: EvaluationRow['name']; clips: readonly Float32Array[] }[] = [];
  if (generated) rows.push({ name: 'generated', clips: generated.slice(0, count) });
  rows.push({ name: 'real', clips: realSample }, { name: 'noise', clips: loudnessMatchedNoise(realSample, count, seed + 1) });

  const extractor = new LogMelExtractor({ sampleRate: input.sampleRate, ...options.logMel });
  phase(`log-mel features of ${reference.length + heldOut.length + count * rows.length} clips`);
  const referenceFeatures = reference.map((clip) => extractor.features(clip));
  const heldOutFeatures = heldOut.map((clip) => extractor.features(clip));
  phase(`k-means, k = ${k}, on ${reference.length} training clips`);
  const { centroids, iterations } = kMeans(referenceFeatures, k, { seed, maxIterations: options.kMeansIterations ?? K_MEANS_DEFAULTS.maxIterations });
  const heldOutBins = binCounts(heldOutFeatures, centroids);
  const measured = rows.map(({ name, clips }): EvaluationRow => {
    phase(`${name}: nearest neighbours and bins`);
    const features = clips.map((clip) => extractor.features(clip));
    const bins = compareBins(heldOutBins, binCounts(features, centroids), alpha);
    return {
      name,
      clips: clips.length,
      nearestTrain: meanNearestDistance(features, referenceFeatures),
      heldOutNearest: meanNearestDistance(heldOutFeatures, features),
      ...bins,
    };
  });
  return {
    rows: measured, k, alpha, seed, referenceClips: reference.length, heldOutClips: heldOut.length,
    featureDimensions: extractor.dimensions(clipSamples), kMeansIterations: iterations,
  };
}

function shuffledIndices(length: number, seed: number): number[] {
  const random = mulberry32(seed);
  const indices = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices;
}
