/**
 * The tfjs engine: runs `waveGanForward` (waveform) or `symbolicGenerator` (symbolic) on the best tfjs backend installed (tfjs-backend.ts) or a
 * forced one. wasm and cpu compute on the calling thread, so on the server run this engine inside
 * a WorkerGenerator.
 */
import * as tf from '@tensorflow/tfjs';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { generatorInfo } from './checkpoint-manifest.js';
import { loadCheckpoint } from './checkpoint.js';
import { EngineGenerator } from './engine-generator.js';
import { inputSize, outputSize, type GeneratorInfo } from './generator.js';
import { symbolicGenerator } from '../families/symbolic/symbolic-model.js';
import { notInitialized, packLatents, splitClips } from './latent-batch.js';
import { selectTfjsBackend, type TfjsBackendName } from './tfjs-backend.js';
import { waveGanForward, waveGanTensors } from '../families/waveform/wavegan-model.js';

const log = logger('engine');

export interface TfjsGeneratorOptions {
  /** Checkpoint folder, e.g. `models/wavegan-untrained`. */
  dir: string;
  /** Force a backend; left out, the best one installed. */
  backend?: TfjsBackendName;
}

export class TfjsGenerator extends EngineGenerator<TfjsGeneratorOptions> {
  #weights: Record<string, tf.Tensor> | undefined;

  /** Cheap: nothing is read until `initialize()`. */
  constructor(options: TfjsGeneratorOptions) {
    super(options, 'tfjs');
  }

  async initialize(): Promise<void> {
    const started = performance.now();
    const backend = await selectTfjsBackend(this.options.backend);
    const { manifest, weights } = await loadCheckpoint(this.options.dir);
    this.#weights = waveGanTensors(weights);
    this.loadedInfo = generatorInfo(manifest);
    this.engineName = `tfjs-${backend}`;
    const ms = Math.round(performance.now() - started);
    log.info({ checkpoint: manifest.id, engine: this.engineName, ms }, 'tfjs model loaded');
  }

  async generate(latents: readonly Float32Array[]): Promise<Float32Array[]> {
    const weights = this.#weights;
    if (!weights || !this.loadedInfo) throw notInitialized(this.engineName);
    if (latents.length === 0) return [];
    const info = this.loadedInfo;
    const { id } = info;
    const size = inputSize(info);
    const inputs = packLatents(latents, size);
    const started = performance.now();
    let audio: tf.Tensor2D | undefined;
    try {
      audio = tf.tidy(() => forward(info, weights, tf.tensor2d(inputs, [latents.length, size])));
      const clips = splitClips((await audio.data()) as Float32Array, latents.length, outputSize(info));
      log.debug({ checkpoint: id, engine: this.engineName, batch: latents.length, ms: performance.now() - started }, 'generated');
      return clips;
    } catch (error) {
      if (error instanceof WavecastError) throw error;
      throw new WavecastError('WAVECAST_ERR_ENGINE', `${this.engineName} run failed for "${id}": ${String(error)}`, {
        cause: error,
      });
    } finally {
      audio?.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.#weights) tf.dispose(Object.values(this.#weights));
    this.#weights = undefined;
    this.loadedInfo = undefined;
  }
}

/** The family's forward pass; a symbolic input row is z followed by the style one-hot. */
function forward(info: GeneratorInfo, weights: Record<string, tf.Tensor>, inputs: tf.Tensor2D): tf.Tensor2D {
  if (info.family === 'waveform') return waveGanForward(weights, inputs);
  const [z, style] = tf.split(inputs, [info.latentDim, info.styles.length], 1) as [tf.Tensor2D, tf.Tensor2D];
  return symbolicGenerator(weights, z, style);
}
