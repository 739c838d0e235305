/**
 * One WaveGAN training run: trains until a step or time limit, every `saveEvery` generator steps
 * publishes a model version (report.html and report.json beside it) and saves the resume state,
 * every `reportEvery` steps takes a report snapshot of a fixed latent batch. A run started with
 * `resume` continues from the saved state bit for bit (same options, same data).
 *
 *   clips ─▶ WaveformGan.trainStep ×N ─┬─ every reportEvery: snapshot (spectrograms, distance)
 *                                      └─ every saveEvery:   publish version + save state
 */
import path from 'node:path';
import { WavecastError } from '../../../server/core/errors.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import type { Hz, Samples, Seconds } from '../../../server/core/units.js';
import { WAVEFORM } from '../../../server/families/waveform/waveform-manifest.js';
import { DEFAULT_MODEL_DIM } from '../../../server/families/waveform/wavegan-architecture.js';
import { takeSnapshot, thinSnapshots, spectrogramImage, type ReportSnapshot } from './report-snapshot.js';
import { spectralDistanceDb } from './spectrogram.js';
import { TRAIN_STATE_DIR, hasTrainState, loadTrainState, saveTrainState } from './train-state.js';
import { wavBytes } from './wav-bytes.js';
import { WAVEFORM_GAN_DEFAULTS, WaveformGan, type WaveformGanLoss } from './waveform-gan.js';
import { publishWaveformVersion, type Publish, type Published } from './waveform-publish.js';
import { renderReportHtml, renderReportJson } from './waveform-report.js';

/** Defaults of a run (`WaveformTrainingOptions`), written once; the CLI shows these. */
export const WAVEFORM_TRAINING_DEFAULTS = {
  /** The paper's width. */
  d: DEFAULT_MODEL_DIM,
  steps: 100_000,
  minutes: 60,
  saveEvery: 500,
  reportEvery: 100,
  reportClips: 4,
  maxPictured: 12,
  instrument: 'WaveGAN',
} as const;

/** Training clips as a dataset loader gives them: all `clipSamples` long, in [−1, 1]. */
export interface WaveformClips {
  sampleRate: Hz;
  clipSamples: Samples;
  train: readonly Float32Array[];
  /** Clips kept out of training: the report compares with these when there are some. */
  heldOut?: readonly Float32Array[];
}

/** What a resumed run must share with the run it continues. */
export interface RunSettings {
  d: number;
  latentDim: number;
  clipSamples: Samples;
  sampleRate: Hz;
  batch: number;
  criticSteps: number;
  seed: number;
}

export interface WaveformTrainingOptions extends Partial<RunSettings> {
  data: WaveformClips;
  /** The model's folder `<modelsDir>/<id>`: its name is the model id. */
  out: string;
  /** Total generator steps (a resumed run counts the earlier ones). */
  steps: number;
  /** Wall-clock limit of this run. */
  seconds: Seconds;
  /** Publish a version every this many generator steps. @default 500 */
  saveEvery?: number;
  /** Take a report snapshot every this many generator steps. @default 100 */
  reportEvery?: number;
  /** Latents in the fixed report batch. @default 4 */
  reportClips?: number;
  /** Snapshots whose pictures the report keeps. @default 12 */
  maxPictured?: number;
  /** Versions to keep. @default publishVersion's (server.keepVersions) */
  keep?: number;
  /** Continue the state in `stateDir`. */
  resume?: boolean;
  /** @default `<out>/.train-state` */
  stateDir?: string;
  /** The manifest's instrument (what it sounds like, for stream titles). @default 'WaveGAN' */
  instrument?: string;
  /** What the report says the data was. */
  dataLabel?: string;
  /** Shown in the report (e.g. 'wasm'). */
  backend?: string;
  /** @default publishWaveformVersion */
  publish?: Publish;
  /** Called after each step; `fraction` is the share of the step or time limit used, whichever is larger. */
  onStep?: (loss: WaveformGanLoss, progress: { fraction: number; stepsPerSecond: number }) => void;
  onLog?: (message: string) => void;
  /** Asked before each step: true ends the run (with a last save), e.g. on Ctrl-C. */
  shouldStop?: () => boolean;
}

/** The run's record, saved with the GAN's state. */
interface RunRecord {
  settings: RunSettings;
  seconds: Seconds;
  history: WaveformGanLoss[];
  snapshots: ReportSnapshot[];
  published: PublishedStep[];
}

/** A published version and the step it holds. */
export type PublishedStep = Published & { step: number };

export interface WaveformTrainingResult {
  step: number;
  /** Training time of this run and of all runs. */
  seconds: Seconds;
  totalSeconds: Seconds;
  stepsPerSecond: number;
  history: WaveformGanLoss[];
  published: PublishedStep[];
}

/**
 * Trains, publishes and saves as described in the file header.
 * @param [options.d=64] @param [options.latentDim=100] @param [options.batch=64] @param [options.criticSteps=5]
 * @param [options.seed=1] @param [options.saveEvery=500] @param [options.reportEvery=100] @param [options.reportClips=4]
 * @param [options.maxPictured=12] (WAVEFORM_TRAINING_DEFAULTS, WAVEFORM_GAN_DEFAULTS) and the clip
 * format, which must be the data's (default: the data's)
 * @throws WavecastError WAVECAST_ERR_CONFIG when the data's clips do not match the asked format,
 *   or a resumed state was made with other settings, or `out` holds a state and `resume` is off
 */
export async function trainWaveform(options: WaveformTrainingOptions): Promise<WaveformTrainingResult> {
  const defaults = WAVEFORM_TRAINING_DEFAULTS;
  const { data, out, keep, saveEvery = defaults.saveEvery, reportEvery = defaults.reportEvery } = options;
  const { reportClips = defaults.reportClips, maxPictured = defaults.maxPictured } = options;
  const log = options.onLog ?? (() => {});
  const settings: RunSettings = {
    d: options.d ?? defaults.d,
    latentDim: options.latentDim ?? WAVEFORM_GAN_DEFAULTS.latentDim,
    clipSamples: options.clipSamples ?? data.clipSamples,
    sampleRate: options.sampleRate ?? data.sampleRate,
    batch: options.batch ?? WAVEFORM_GAN_DEFAULTS.batch,
    criticSteps: options.criticSteps ?? WAVEFORM_GAN_DEFAULTS.criticSteps,
    seed: options.seed ?? WAVEFORM_GAN_DEFAULTS.seed,
  };
  if (settings.clipSamples !== data.clipSamples || settings.sampleRate !== data.sampleRate) {
    throw new WavecastError(
      'WAVECAST_ERR_CONFIG',
      `the dataset has clips of ${data.clipSamples} samples at ${data.sampleRate} Hz, the model was asked for ` +
        `${settings.clipSamples} samples at ${settings.sampleRate} Hz`,
    );
  }
  const stateDir = options.stateDir ?? path.join(out, TRAIN_STATE_DIR);
  const gan = new WaveformGan({ clips: data.train, ...settings });
  let record: RunRecord = { settings, seconds: 0, history: [], snapshots: [], published: [] };
  try {
    if (options.resume) {
      const saved = await loadTrainState<RunRecord>(stateDir);
      for (const key of Object.keys(settings) as (keyof RunSettings)[]) {
        if (saved.run.settings[key] !== settings[key]) {
          throw new WavecastError(
            'WAVECAST_ERR_CONFIG',
            `cannot resume ${stateDir}: it was trained with ${key} ${saved.run.settings[key]}, this run asks for ${settings[key]}`,
          );
        }
      }
      await gan.restore(saved.gan);
      record = saved.run;
      log(`resumed at step ${gan.step} from ${stateDir}`);
    } else if (await hasTrainState(stateDir)) {
      throw new WavecastError('WAVECAST_ERR_CONFIG', `${stateDir} holds a training state: add --resume to continue it, or choose another --out`);
    }

    const reference = data.heldOut && data.heldOut.length > 0 ? data.heldOut : data.train;
    const real = reference.slice(0, Math.max(2 * reportClips, 16));
    const half = Math.floor(real.length / 2);
    const realSummary = { images: real.slice(0, reportClips).map(spectrogramImage), halfDistanceDb: spectralDistanceDb(real.slice(0, half), real.slice(half)) };
    const fixedLatents = Float32Array.from({ length: reportClips * settings.latentDim }, mulberry32((settings.seed ^ 0x2545f491) >>> 0)).map((u) => u * 2 - 1);
    const generated = () => {
      const flat = gan.generate(fixedLatents);
      return Array.from({ length: reportClips }, (_, i) => flat.slice(i * settings.clipSamples, (i + 1) * settings.clipSamples));
    };
    const snapshot = () => {
      if (record.snapshots.at(-1)?.step === gan.step) return;
      record.snapshots.push(takeSnapshot(gan.step, generated(), real));
      thinSnapshots(record.snapshots, maxPictured);
    };
    const id = path.basename(path.resolve(out));
    const publishNow = async (): Promise<void> => {
      snapshot();
      const last = record.history.at(-1);
      const report = {
        title: `WaveGAN training report: ${id}, step ${gan.step}`,
        meta: {
          model: id,
          step: gan.step,
          data: `${options.dataLabel ?? 'clips'}: ${data.train.length} clips of ${settings.clipSamples} samples at ${settings.sampleRate} Hz`,
          settings: `d ${settings.d}, latentDim ${settings.latentDim}, batch ${settings.batch}, ${settings.criticSteps} critic steps per generator step, seed ${settings.seed}`,
          optimiser: 'WGAN-GP λ 10, Adam 1e-4, β 0.5 / 0.9, phase shuffle 2',
          'training time': `${Math.round(record.seconds)} s`,
          'steps per second': record.seconds > 0 ? gan.step / record.seconds : 0,
          backend: options.backend ?? 'tfjs',
          ...(last ? { 'last Wasserstein estimate': last.wasserstein } : {}),
        },
        history: record.history,
        snapshots: record.snapshots,
        real: realSummary,
        audio: generated().map((clip) => Buffer.from(wavBytes(clip, settings.sampleRate)).toString('base64')),
      };
      const published = await (options.publish ?? publishWaveformVersion)({
        modelsDir: path.dirname(path.resolve(out)),
        manifest: {
          id,
          family: WAVEFORM,
          instrument: options.instrument ?? defaults.instrument,
          latentDim: settings.latentDim,
          trained: true,
          trainingSteps: gan.step,
          created: new Date().toISOString(),
          sampleRate: settings.sampleRate,
          clipSamples: settings.clipSamples,
          d: settings.d,
        },
        weights: gan.generatorWeights(),
        keep,
        extraFiles: { 'report.html': renderReportHtml(report), 'report.json': renderReportJson(report) },
      });
      record.published.push({ ...published, step: gan.step });
      await saveTrainState(stateDir, await gan.state(), record);
      log(`published ${published.id} version ${published.version} (step ${gan.step}) in ${published.dir}`);
    };

    const started = performance.now();
    const secondsBefore = record.seconds;
    const elapsed = () => (performance.now() - started) / 1000;
    const firstStep = gan.step;
    if (gan.step === 0) snapshot();
    while (gan.step < options.steps && elapsed() < options.seconds && !options.shouldStop?.()) {
      const loss = gan.trainStep();
      record.history.push(loss);
      record.seconds = secondsBefore + elapsed();
      if (!Number.isFinite(loss.criticLoss) || !Number.isFinite(loss.generatorLoss)) {
        throw new WavecastError('WAVECAST_ERR_ENGINE', `training diverged at step ${gan.step}: ${JSON.stringify(loss)}`);
      }
      if (gan.step % reportEvery === 0) snapshot();
      if (gan.step % saveEvery === 0) await publishNow();
      const stepsPerSecond = (gan.step - firstStep) / elapsed();
      options.onStep?.(loss, { fraction: Math.min(1, Math.max(gan.step / options.steps, elapsed() / options.seconds)), stepsPerSecond });
    }
    if (record.published.at(-1)?.step !== gan.step) await publishNow();
    const seconds = elapsed();
    return {
      step: gan.step,
      seconds,
      totalSeconds: record.seconds,
      stepsPerSecond: (gan.step - firstStep) / Math.max(seconds, 1e-9),
      history: record.history,
      published: record.published,
    };
  } finally {
    gan.dispose();
  }
}
