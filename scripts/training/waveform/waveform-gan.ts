/**
 * WaveGAN trained with WGAN-GP (Donahue et al. 2019; Gulrajani et al. 2017): the served generator
 * (wavegan-model.ts; on wasm run with the polyphase transposed convolution, the same sums) against
 * the paper's critic (wavegan-critic.ts). One step is `criticSteps` critic updates, then one
 * generator update. Everything random (batches, latents, interpolation weights, phase shuffles)
 * is drawn from the seed and the step, so the state after step n is the weights and the two Adam
 * states, nothing more: a run resumed from it continues exactly as it would have.
 */
import * as tf from '@tensorflow/tfjs';
import { WavecastError } from '../../../server/core/errors.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import type { NamedWeights } from '../../../server/families/model.js';
import {
  DEFAULT_LATENT_DIM,
  conv2dTransposeUpsample,
  initWaveGanWeights,
  waveGanForward,
  type Upsample,
} from '../../../server/families/waveform/wavegan-model.js';
import { usePlainMatMulGradient } from '../plain-matmul-gradient.js';
import { readVariables, toVariables } from '../tf-variables.js';
import { WganGp, type WganGpOptions } from '../wgan-gp.js';
import { readAdamState, writeAdamState, type AdamState } from './adam-state.js';
import { shiftSource } from './phase-shuffle.js';
import { useSharedIdentityOnWasm } from './wasm-shared-identity.js';
import { polyphaseUpsample } from './polyphase-upsample.js';
import { PHASE_SHUFFLE_RADIUS, initCriticWeights, nativeStridedConv, waveGanCritic, type StridedConv } from './wavegan-critic.js';
import { stridedConv1d } from './strided-conv1d.js';

/** Defaults of `WaveformGanOptions` (the paper's), written once. */
export const WAVEFORM_GAN_DEFAULTS = Object.freeze({
  latentDim: DEFAULT_LATENT_DIM,
  batch: 64,
  criticSteps: 5,
  seed: 1,
  phaseShuffleRadius: PHASE_SHUFFLE_RADIUS,
  gradientPenalty: 10,
  learningRate: 1e-4,
  beta1: 0.5,
  beta2: 0.9,
});

/**
 * Roughly the tfjs-wasm heap one training step needs: measured 450–520 bytes per
 * batch · d · clipSamples (1 GB at d=16, batch 16, 16384 samples). tfjs-wasm's heap stops at 4 GB.
 */
export function wasmHeapEstimateBytes(d: number, batch: number, clipSamples: number): number {
  return WASM_HEAP_BYTES_PER_UNIT * d * batch * clipSamples;
}

/** Bytes of wasm heap per batch · d · clipSamples (the largest measured). */
const WASM_HEAP_BYTES_PER_UNIT = 520;

/** One generator step's figures. */
export interface WaveformGanLoss {
  step: number;
  /** The last critic update's loss: −W + λ·GP. */
  criticLoss: number;
  /** −mean D(G(z)). */
  generatorLoss: number;
  /** The critic's Wasserstein estimate, mean D(real) − mean D(fake). */
  wasserstein: number;
  gradientPenalty: number;
}

export interface WaveformGanOptions extends WganGpOptions {
  /** Real clips, each `clipSamples` long, in [−1, 1]. */
  clips: readonly Float32Array[];
  clipSamples: number;
  /** Model width (the paper: 64). */
  d: number;
  /** @default 100 */
  latentDim?: number;
  /** Clips per batch. @default 64 */
  batch?: number;
  /** Critic updates per generator update. @default 5 */
  criticSteps?: number;
  /** @default 1 */
  seed?: number;
  /** Phase shuffle radius in samples (0: off). @default 2 */
  phaseShuffleRadius?: number;
  /**
   * How the convolutions run: 'matmul' (strided-conv1d.ts, polyphase-upsample.ts: every backend,
   * fast on wasm) or 'native' (tf.conv1d, tf.conv2dTranspose: fastest where a native backend has
   * all their gradient kernels; wasm lacks Conv2DBackpropFilter). Same sums either way.
   * @default 'native' on the 'tensorflow' backend (tfjs-node), else 'matmul'
   */
  convolutions?: 'matmul' | 'native';
}

/** The two convolutions of each kind. */
const CONVOLUTIONS: Record<'matmul' | 'native', { upsample: Upsample; conv: StridedConv }> = {
  matmul: { upsample: polyphaseUpsample, conv: stridedConv1d },
  native: { upsample: conv2dTransposeUpsample, conv: nativeStridedConv },
};

/** Everything a resumed run needs (with the step and the options it was made with). */
export interface WaveformGanState {
  step: number;
  generator: NamedWeights;
  critic: NamedWeights;
  generatorAdam: AdamState;
  criticAdam: AdamState;
}

export class WaveformGan {
  readonly d: number;
  readonly latentDim: number;
  readonly clipSamples: number;
  readonly batch: number;
  readonly criticSteps: number;
  readonly seed: number;
  step = 0;
  /** How long the last step's updates took, in milliseconds: per critic update, and the generator's. */
  lastTiming = { criticMs: 0, generatorMs: 0 };
  readonly #clips: readonly Float32Array[];
  readonly #gan: WganGp<undefined>;
  readonly #generator: Record<string, tf.Variable>;
  readonly #critic: Record<string, tf.Variable>;
  readonly #radius: number;
  readonly #upsample: Upsample;
  #nextShift: () => number = () => 0;

  /**
   * @param [options.latentDim=100] @param [options.batch=64] @param [options.criticSteps=5]
   * @param [options.seed=1] @param [options.phaseShuffleRadius=2] @param [options.gradientPenalty=10]
   * @param [options.learningRate=1e-4] @param [options.beta1=0.5] @param [options.beta2=0.9]
   * (WAVEFORM_GAN_DEFAULTS)
   */
  constructor(options: WaveformGanOptions) {
    const { clips, clipSamples, d } = options;
    const defaults = WAVEFORM_GAN_DEFAULTS;
    const { latentDim = defaults.latentDim, batch = defaults.batch, criticSteps = defaults.criticSteps, seed = defaults.seed } = options;
    const { phaseShuffleRadius = defaults.phaseShuffleRadius, gradientPenalty = defaults.gradientPenalty } = options;
    const { learningRate = defaults.learningRate, beta1 = defaults.beta1, beta2 = defaults.beta2 } = options;
    const wrong = clips.findIndex((clip) => clip.length !== clipSamples);
    if (clips.length === 0 || wrong >= 0) {
      throw new WavecastError(
        'WAVECAST_ERR_MODEL_SHAPE',
        clips.length === 0 ? 'WaveGAN training needs at least one clip' : `clip ${wrong} has ${clips[wrong].length} samples, the model makes ${clipSamples}`,
      );
    }
    usePlainMatMulGradient();
    useSharedIdentityOnWasm();
    this.d = d;
    this.latentDim = latentDim;
    this.clipSamples = clipSamples;
    this.batch = batch;
    this.criticSteps = criticSteps;
    this.seed = seed;
    this.#clips = clips;
    this.#radius = phaseShuffleRadius;
    const { upsample, conv } = CONVOLUTIONS[options.convolutions ?? (tf.getBackend() === 'tensorflow' ? 'native' : 'matmul')];
    this.#upsample = upsample;
    this.#generator = toVariables(initWaveGanWeights({ d, latentDim, clipSamples, seed }), 'wavegan');
    this.#critic = toVariables(initCriticWeights({ d, clipSamples, seed: seed + 1 }), 'critic');
    this.#gan = new WganGp<undefined>(
      {
        generator: (variables, z) => waveGanForward(variables, z, upsample),
        critic: (variables, x) => waveGanCritic(variables, x, this.#nextShift, conv),
        generatorVariables: this.#generator,
        criticVariables: this.#critic,
      },
      { gradientPenalty, learningRate, beta1, beta2 },
    );
  }

  /**
   * `criticSteps` critic updates and one generator update.
   * @throws WavecastError WAVECAST_ERR_ENGINE when tfjs-wasm fails (its heap is most likely full)
   */
  trainStep(): WaveformGanLoss {
    try {
      return this.#trainStep();
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      const gigabytes = (wasmHeapEstimateBytes(this.d, this.batch, this.clipSamples) / 1e9).toFixed(1);
      throw new WavecastError(
        'WAVECAST_ERR_ENGINE',
        `tfjs-wasm failed (${error.message}); a step of d ${this.d}, batch ${this.batch}, ${this.clipSamples} samples needs about ` +
          `${gigabytes} GB of wasm heap, which stops at 4 GB: lower the batch or d`,
        { cause: error },
      );
    }
  }

  #trainStep(): WaveformGanLoss {
    const seedOf = (k: number) => (Math.imul(this.seed, 1_000_003) + this.step * (this.criticSteps + 1) + k) >>> 0;
    let critic = { criticLoss: 0, wasserstein: 0, gradientPenalty: 0 };
    const started = performance.now();
    for (let k = 0; k < this.criticSteps; k++) {
      const seed = seedOf(k);
      this.#nextShift = shiftSource(this.#radius, mulberry32(seed ^ 0x5bd1e995));
      const real = this.#realBatch(seed);
      const z = this.#latents(seed);
      critic = this.#gan.criticStep(real, undefined, z, (seed ^ 0x27d4eb2f) >>> 0);
      tf.dispose([real, z]);
    }
    const criticDone = performance.now();
    const seed = seedOf(this.criticSteps);
    this.#nextShift = shiftSource(this.#radius, mulberry32(seed ^ 0x5bd1e995));
    const z = this.#latents(seed);
    const generatorLoss = this.#gan.generatorStep(undefined, z);
    z.dispose();
    this.lastTiming = { criticMs: (criticDone - started) / this.criticSteps, generatorMs: performance.now() - criticDone };
    return { step: ++this.step, generatorLoss, ...critic };
  }

  /** Clips for latents (row after row, `latentDim` each), from the generator as it is now. */
  generate(latents: Float32Array): Float32Array {
    const count = latents.length / this.latentDim;
    const out = tf.tidy(() => waveGanForward(this.#generator, tf.tensor2d(latents, [count, this.latentDim]), this.#upsample));
    const clips = out.dataSync() as Float32Array;
    out.dispose();
    return clips;
  }

  /** The generator's weights: what a checkpoint serves. */
  generatorWeights(): NamedWeights {
    return readVariables(this.#generator);
  }

  /** The whole training state, copied out. */
  async state(): Promise<WaveformGanState> {
    return {
      step: this.step,
      generator: readVariables(this.#generator),
      critic: readVariables(this.#critic),
      generatorAdam: await readAdamState(this.#gan.generatorOptimizer),
      criticAdam: await readAdamState(this.#gan.criticOptimizer),
    };
  }

  /** Continues from `state` (on a GAN made with the same options that has not stepped yet). */
  async restore(state: WaveformGanState): Promise<void> {
    assignAll(this.#generator, state.generator);
    assignAll(this.#critic, state.critic);
    await writeAdamState(this.#gan.generatorOptimizer, state.generatorAdam, Object.keys(this.#generator));
    await writeAdamState(this.#gan.criticOptimizer, state.criticAdam, Object.keys(this.#critic));
    this.step = state.step;
  }

  dispose(): void {
    this.#gan.dispose();
    tf.dispose([...Object.values(this.#generator), ...Object.values(this.#critic)]);
  }

  /** A seeded batch of real clips, drawn with replacement. */
  #realBatch(seed: number): tf.Tensor2D {
    const random = mulberry32(seed);
    const data = new Float32Array(this.batch * this.clipSamples);
    for (let i = 0; i < this.batch; i++) data.set(this.#clips[Math.floor(random() * this.#clips.length)], i * this.clipSamples);
    return tf.tensor2d(data, [this.batch, this.clipSamples]);
  }

  /** The paper's latents: uniform in [−1, 1]. */
  #latents(seed: number): tf.Tensor2D {
    return tf.randomUniform([this.batch, this.latentDim], -1, 1, 'float32', seed) as tf.Tensor2D;
  }
}

function assignAll(variables: Record<string, tf.Variable>, weights: NamedWeights): void {
  for (const [name, variable] of Object.entries(variables)) {
    const tensor = weights.get(name);
    if (!tensor || tensor.data.length !== variable.size) {
      throw new WavecastError('WAVECAST_ERR_MODEL_SHAPE', `training state: tensor "${name}" is missing or has the wrong size`);
    }
    tf.tidy(() => variable.assign(tf.tensor(tensor.data, variable.shape)));
  }
}
