/**
 * One training run of the symbolic model, start to finish, without files (the CLI,
 * scripts/train-symbolic.ts, reads the data and writes the checkpoint and report):
 *
 *   songs ─ songsToExamples ─┬─ PhraseAutoencoder (phrase decoder) ─ codes ─ CodeGan (code generator)
 *                            │                                                      │
 *                            └──── calibrateDecoding ◀── sampleSongPhrases ◀── served model
 *                                        │
 *                                        └─▶ weights + decoding (the checkpoint) ─▶ sampled songs vs data: the report
 *
 * Each phase stops at its step limit or its time limit, whichever comes first.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../server/families/model.js';
import type { ModelLayout } from '../../server/families/symbolic/model-input.js';
import { writeCondition } from '../../server/families/symbolic/model-input.js';
import type { Song } from '../../server/families/symbolic/note-sequence.js';
import type { Decoding } from '../../server/families/symbolic/phrase-decoder.js';
import { STYLES, type Style } from '../../server/families/symbolic/piano-roll.js';
import { conditionSize, DEFAULT_SYMBOLIC_DIMS, type SymbolicDims } from '../../server/families/symbolic/symbolic-architecture.js';
import { symbolicForward } from '../../server/families/symbolic/symbolic-model.js';
import { calibrateDecoding } from './calibrate-decoding.js';
import { CodeGan, type GanLoss } from './code-gan.js';
import { compareSongs, type QualityReport } from './metrics/quality-report.js';
import { PhraseAutoencoder, type ReconstructionLoss } from './phrase-autoencoder.js';
import { decodeSongs, sampleSongPhrases, songStyles, type BatchForward } from './sample-songs.js';
import { computeValues } from './tf-variables.js';
import { songsToExamples } from './training-phrases.js';

export interface PhaseLimit {
  /** Most steps. */
  steps: number;
  /** Most seconds. */
  seconds: number;
}

export interface AutoencoderSettings {
  batch: number;
  learningRate: number;
  /** Noise added to codes in training (see phrase-autoencoder.ts). */
  codeNoise: number;
  /** Weight of the codes' mean square (a fixed-variance VAE's KL term). */
  codePenalty: number;
}

export interface GanSettings {
  batch: number;
  learningRate: number;
  criticSteps: number;
}

/**
 * The training settings a run uses unless told otherwise (the CLI's defaults are these). Measured
 * on the built-in corpus (docs/symbolic-model.md): an 8-value code with noise 0.4 is small and
 * smooth enough that a GAN trained for minutes lands where the decoder writes good phrases.
 */
export const TRAINING_DEFAULTS: { autoencoder: AutoencoderSettings; gan: GanSettings } = {
  autoencoder: { batch: 32, learningRate: 1e-3, codeNoise: 0.4, codePenalty: 0 },
  gan: { batch: 64, learningRate: 2e-4, criticSteps: 3 },
};

export interface SymbolicTrainingOptions {
  songs: readonly Song[];
  /** Layer sizes (styleCount is set from the songs). @default DEFAULT_SYMBOLIC_DIMS */
  dims?: Partial<SymbolicDims>;
  seed?: number;
  autoencoder: PhaseLimit & Partial<AutoencoderSettings>;
  gan: PhaseLimit & Partial<GanSettings>;
  /** Songs per style sampled to calibrate the decoding. @default 40 */
  calibrationSongs?: number;
  /** Songs per style sampled to calibrate a snapshot's decoding (a quicker calibration). @default 8 */
  snapshotCalibrationSongs?: number;
  /** Songs per style sampled for the report. @default 100 */
  reportSongs?: number;
  /** Called after every training step (for a progress bar). */
  onStep?: (phase: 'autoencoder' | 'gan', step: number, seconds: number, loss: ReconstructionLoss | GanLoss) => void;
  /** Called when a phase starts or ends (for the console). */
  onPhase?: (message: string) => void;
  /**
   * Called every `snapshotEvery` code-GAN steps with the served weights as they are and a
   * decoding calibrated for them on `snapshotCalibrationSongs` songs per style (an undertrained
   * model's probabilities sit below the default thresholds: decoded with those it plays almost
   * nothing): a trainer publishes them so a running station plays the model as it learns.
   * Training waits for it.
   */
  onSnapshot?: (snapshot: { step: number; weights: Map<string, NamedTensor>; dims: SymbolicDims; styles: Style[]; decoding: Decoding }) => Promise<void>;
  /** Code-GAN steps between snapshots. @default 0 (none) */
  snapshotEvery?: number;
}

export interface SymbolicTrainingResult {
  dims: SymbolicDims;
  /** The settings each phase ran with. */
  settings: { autoencoder: AutoencoderSettings; gan: GanSettings };
  /** The styles trained on, in one-hot order (the only ones the model may be asked for). */
  styles: Style[];
  /** The served weights: code generator and phrase decoder. */
  weights: Map<string, NamedTensor>;
  decoding: Decoding;
  report: QualityReport;
  perStyle: Record<string, QualityReport>;
  /** The songs the report judged, with their styles. */
  generated: Song[];
  history: { autoencoder: ReconstructionLoss[]; gan: GanLoss[] };
  /** Seconds spent in each phase. */
  seconds: { autoencoder: number; gan: number; calibration: number; report: number };
  examples: number;
}

export async function trainSymbolic(options: SymbolicTrainingOptions): Promise<SymbolicTrainingResult> {
  const { songs, seed = 1, calibrationSongs = 40, snapshotCalibrationSongs = 8, reportSongs = 100 } = options;
  const styles = STYLES.filter((style) => songs.some((song) => song.style === style));
  if (styles.length === 0) throw new RangeError('training needs at least one song');
  const dims: SymbolicDims = { ...DEFAULT_SYMBOLIC_DIMS, ...options.dims, styleCount: styles.length };
  const layout: ModelLayout = { styles, latentDim: dims.latentDim, codeDim: dims.codeDim };
  const examples = songsToExamples(songs);
  const phrases = examples.map((e) => e.phrase);
  const say = options.onPhase ?? (() => {});

  // 1. The phrase decoder, as an autoencoder's.
  say(`autoencoder: ${examples.length} phrases from ${songs.length} songs (${styles.join(', ')})`);
  const settings = { autoencoder: withAsked(TRAINING_DEFAULTS.autoencoder, options.autoencoder), gan: withAsked(TRAINING_DEFAULTS.gan, options.gan) };
  const autoencoder = new PhraseAutoencoder(phrases, { dims, seed, ...settings.autoencoder });
  const aeSeconds = await runPhase(options.autoencoder, () => autoencoder.trainStep(), (step, seconds, loss) => options.onStep?.('autoencoder', step, seconds, loss));

  // 2. The code generator: a conditional WGAN-GP over the phrases' codes.
  const codes = autoencoder.encode(phrases);
  const conditions = new Float32Array(examples.length * conditionSize(dims));
  examples.forEach((example, i) => {
    const previous = example.previous === undefined ? undefined : codes.subarray(example.previous * dims.codeDim, (example.previous + 1) * dims.codeDim);
    writeCondition(layout, example.style, example.role, previous, conditions, i * conditionSize(dims));
  });
  say(`code GAN: ${examples.length} codes of ${dims.codeDim}`);
  const gan = new CodeGan({ dims, codes, conditions, seed, ...settings.gan });
  const snapshotEvery = options.snapshotEvery ?? 0;
  /** The weights a station serves: the code generator's and the phrase decoder's, as they are now. */
  const servedWeights = () => new Map([...gan.generatorWeights(), ...autoencoder.decoderWeights()]);
  /** The decoding for the model behind `forward`, fitted on `perStyle` sampled songs of each style. */
  const calibrateOn = async (forward: BatchForward, perStyle: number, sampleSeed: number) => {
    const calibrationStyles = songStyles(styles, perStyle);
    return calibrateDecoding(await sampleSongPhrases(forward, layout, calibrationStyles, sampleSeed), calibrationStyles, songs);
  };
  const ganSeconds = await runPhase(
    options.gan,
    () => gan.trainStep(),
    (step, seconds, loss) => options.onStep?.('gan', step, seconds, loss),
    async (step) => {
      if (snapshotEvery > 0 && step % snapshotEvery === 0 && options.onSnapshot) {
        const weights = servedWeights();
        const forward = tfjsForward(weights, dims.latentDim);
        const { decoding } = await calibrateOn(forward, snapshotCalibrationSongs, seed + 100 + step);
        forward.dispose();
        await options.onSnapshot({ step, weights, dims, styles, decoding });
      }
    },
  );

  const weights = servedWeights();
  const history = { autoencoder: autoencoder.history, gan: gan.history };
  autoencoder.dispose();
  gan.dispose();
  const forward = tfjsForward(weights, dims.latentDim);

  // 3. The decoding that belongs to these weights.
  let started = performance.now();
  const { decoding, distance } = await calibrateOn(forward, calibrationSongs, seed + 100);
  const calibrationSeconds = (performance.now() - started) / 1000;
  say(`decoding: ${Object.entries(decoding).map(([track, rule]) => `${track} ${rule.onset}/${rule.hold}${rule.monophonic ? ' mono' : ''} (${distance[track as keyof typeof distance].toFixed(2)})`).join(', ')}`);

  // 4. The report: fresh songs, decoded as the stream decodes them, against the data.
  started = performance.now();
  const reportStyles = songStyles(styles, reportSongs);
  const generated = decodeSongs(await sampleSongPhrases(forward, layout, reportStyles, seed + 200), reportStyles, decoding);
  const report = compareSongs(generated, songs, { seed });
  const perStyle = Object.fromEntries(
    styles.map((style) => [style, compareSongs(generated.filter((s) => s.style === style), songs.filter((s) => s.style === style), { seed })]),
  );
  const reportSeconds = (performance.now() - started) / 1000;
  forward.dispose();
  return {
    dims,
    settings,
    styles,
    weights,
    decoding,
    report,
    perStyle,
    generated,
    history,
    seconds: { autoencoder: aeSeconds, gan: ganSeconds, calibration: calibrationSeconds, report: reportSeconds },
    examples: examples.length,
  };
}

/** `defaults`, each field taken from `asked` where it sets it (other fields of `asked` are not copied). */
function withAsked<T extends object>(defaults: T, asked: Partial<T>): T {
  return Object.fromEntries(Object.entries(defaults).map(([key, value]) => [key, asked[key as keyof T] ?? value])) as T;
}

/**
 * Runs `step` until the phase's step or time limit; returns the seconds it took (of training:
 * the time spent in `after`, a snapshot's publishing, is not counted).
 */
async function runPhase<T>(
  limit: PhaseLimit,
  step: () => T,
  report: (step: number, seconds: number, loss: T) => void,
  after?: (step: number) => Promise<void>,
): Promise<number> {
  let seconds = 0;
  for (let k = 1; k <= limit.steps && seconds < limit.seconds; k++) {
    const started = performance.now();
    const loss = step();
    seconds += (performance.now() - started) / 1000;
    report(k, seconds, loss);
    await after?.(k);
  }
  return seconds;
}

/** The served model in tfjs on these weights, batched. */
export function tfjsForward(weights: Map<string, NamedTensor>, latentDim: number): BatchForward & { dispose(): void } {
  const tensors = Object.fromEntries([...weights].map(([name, { shape, data }]) => [name, tf.tensor(data, shape)]));
  const forward = (inputs: Float32Array, count: number) => computeValues(() => symbolicForward(tensors, tf.tensor2d(inputs, [count, inputs.length / count]), latentDim));
  return Object.assign(forward, { dispose: () => tf.dispose(Object.values(tensors)) });
}
