/**
 * The WaveGAN generator's shape (Donahue et al., ICLR 2019), without any tensor library: layer
 * sizes, weight names and shapes, and the seeded initial weights. The tfjs forward pass
 * (wavegan-model.ts), the checkpoint loader and the ONNX writer all read the layout from here,
 * so the architecture is written down once and the onnx engine never has to load tfjs.
 *
 *   z [b, latentDim] ─dense─▶ [b, 16·16d] ─reshape─▶ [b, 16, 16d] ─relu─▶
 *     upconv_0 ─relu─▶ upconv_1 ─relu─▶ upconv_2 ─relu─▶ upconv_3 ─relu─▶ upconv_4 ─tanh─▶ [b, 16384]
 *   lengths 16 → 64 → 256 → 1024 → 4096 → 16384, channels 16d → 8d → 4d → 2d → d → 1
 */
import { mulberry32 } from '../../core/seeded-random.js';
import { shapeSize, type NamedTensor, type NamedWeights } from '../model.js';

export { shapeSize, type NamedTensor };

/** All weights of a model by name, in the order of `waveGanWeightShapes`. */
export type WaveGanWeights = NamedWeights;

/** Model width multiplier `d` of the paper (channels of the last hidden layer). */
export const DEFAULT_MODEL_DIM = 64;
/** Length of the latent vector z. */
export const DEFAULT_LATENT_DIM = 100;
/** Every transposed convolution has a kernel of 25 taps. */
export const KERNEL_SIZE = 25;
/** Every transposed convolution upsamples by 4. */
export const STRIDE = 4;
/** Length of the sequence the dense layer produces, before the five ×4 upsamplings. */
export const SEED_LENGTH = 16;
/** Number of transposed convolutions. */
export const UPCONV_LAYERS = 5;
/** Samples per clip: 16 · 4^5. */
export const CLIP_SAMPLES = SEED_LENGTH * STRIDE ** UPCONV_LAYERS;
/** The paper's sample rate: 16384 samples ≈ 1.024 s. */
export const SAMPLE_RATE = 16000;

/** One transposed convolution: input and output channel counts and lengths. */
export interface UpconvLayer {
  name: string;
  inChannels: number;
  outChannels: number;
  inLength: number;
  outLength: number;
}

/** Channel count the dense layer's output is reshaped to: 16d. */
export function seedChannels(d: number): number {
  return 16 * d;
}

/** The five transposed convolutions for width `d`: channels 16d → 8d → 4d → 2d → d → 1. */
export function upconvLayers(d: number): UpconvLayer[] {
  const channels = [16 * d, 8 * d, 4 * d, 2 * d, d, 1];
  return Array.from({ length: UPCONV_LAYERS }, (_, i) => ({
    name: `upconv_${i}`,
    inChannels: channels[i],
    outChannels: channels[i + 1],
    inLength: SEED_LENGTH * STRIDE ** i,
    outLength: SEED_LENGTH * STRIDE ** (i + 1),
  }));
}

/**
 * Name → shape of every weight, in the fixed order checkpoints store them. Conv kernels are
 * [25, outChannels, inChannels]: tfjs' conv2dTranspose filter layout without its height-1 axis.
 *
 * @param [d=64] model width.
 * @param [latentDim=100] length of z.
 */
export function waveGanWeightShapes(
  d: number = DEFAULT_MODEL_DIM,
  latentDim: number = DEFAULT_LATENT_DIM,
): Map<string, number[]> {
  const shapes = new Map<string, number[]>([
    ['dense/kernel', [latentDim, SEED_LENGTH * seedChannels(d)]],
    ['dense/bias', [SEED_LENGTH * seedChannels(d)]],
  ]);
  for (const layer of upconvLayers(d)) {
    shapes.set(`${layer.name}/kernel`, [KERNEL_SIZE, layer.outChannels, layer.inChannels]);
    shapes.set(`${layer.name}/bias`, [layer.outChannels]);
  }
  return shapes;
}

/**
 * Seeded initial weights: Glorot-uniform kernels (TF's default initializer) and zero biases.
 * The same seed gives the same weights on every machine and backend (a plain 32-bit PRNG, no
 * tensor library involved).
 *
 * Fans as Keras computes them: dense [in, out] → fanIn = in, fanOut = out; a conv kernel
 * [25, out, in] → fanIn = 25·out, fanOut = 25·in (TF's conv2d_transpose kernel is [h, w, out, in]
 * and Keras takes the last two axes times the receptive field). The limit is
 * gain · sqrt(6 / (fanIn + fanOut)).
 *
 * `gain` scales every kernel. Training starts from gain 1 (TF's default, as the paper's code).
 * An UNTRAINED checkpoint that is streamed as is wants gain 2: Glorot scaling plus ReLU halve the
 * signal's power at each of the six layers, so gain 1 comes out near −55 dBFS (inaudible) and
 * gain 2 (2⁶ = 64× in amplitude) near −19 dBFS RMS, the level a trained model plays at.
 *
 * @param [options.d=64] model width
 * @param [options.latentDim=100] length of z
 * @param options.seed PRNG seed
 * @param [options.gain=1] kernel scale
 * @example
 * const weights = initWaveGanWeights({ d: 32, seed: 1 });
 */
export function initWaveGanWeights(options: {
  d?: number;
  latentDim?: number;
  seed: number;
  gain?: number;
}): WaveGanWeights {
  const { d = DEFAULT_MODEL_DIM, latentDim = DEFAULT_LATENT_DIM, seed, gain = 1 } = options;
  const random = mulberry32(seed);
  const weights: WaveGanWeights = new Map();
  for (const [name, shape] of waveGanWeightShapes(d, latentDim)) {
    const data = new Float32Array(shapeSize(shape));
    if (name.endsWith('/kernel')) {
      const [fanIn, fanOut] =
        shape.length === 2 ? [shape[0], shape[1]] : [shape[0] * shape[1], shape[0] * shape[2]];
      const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < data.length; i++) data[i] = (random() * 2 - 1) * limit;
    }
    weights.set(name, { shape, data });
  }
  return weights;
}

