/**
 * The WaveGAN generator's shape (Donahue et al., ICLR 2019), without any tensor library: layer
 * sizes, weight names and shapes, and the seeded initial weights. The tfjs forward pass
 * (wavegan-model.ts), the checkpoint loader and the ONNX writer all read the layout from here,
 * so the architecture is written down once and the onnx engine never has to load tfjs.
 *
 * The paper's clip (16384 samples, five ×4 upsamplings, L = 5):
 *
 *   z [b, latentDim] ─dense─▶ [b, 16·16d] ─reshape─▶ [b, 16, 16d] ─relu─▶
 *     upconv_0 ─relu─▶ upconv_1 ─relu─▶ upconv_2 ─relu─▶ upconv_3 ─relu─▶ upconv_4 ─tanh─▶ [b, 16384]
 *   lengths 16 → 64 → 256 → 1024 → 4096 → 16384, channels 16d → 8d → 4d → 2d → d → 1
 *
 * A clip of 16·4^L samples has L upconvs and the same last layers: channels d·2^(L−1) → … → 2d →
 * d → 1, so `d` keeps its meaning (channels of the last hidden layer) and a short clip is a small,
 * CPU-trainable model (L = 4: 4096 samples, 0.256 s at 16 kHz).
 */
import { WavecastError } from '../../core/errors.js';
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
/** Number of transposed convolutions of the paper's model. */
export const UPCONV_LAYERS = 5;
/** Samples per clip of the paper's model (the default): 16 · 4^5. */
export const CLIP_SAMPLES = SEED_LENGTH * STRIDE ** UPCONV_LAYERS;
/** The paper's sample rate (the default): 16384 samples ≈ 1.024 s. */
export const SAMPLE_RATE = 16000;
/** Fewest and most upconvs a model may have: clips of 1024 (16·4³) to 65536 (16·4⁶) samples. */
export const MIN_UPCONV_LAYERS = 3;
export const MAX_UPCONV_LAYERS = 6;
/** Every clip length a model may have: 1024, 4096, 16384, 65536. */
export const CLIP_SAMPLES_CHOICES: readonly number[] = Array.from(
  { length: MAX_UPCONV_LAYERS - MIN_UPCONV_LAYERS + 1 },
  (_, i) => SEED_LENGTH * STRIDE ** (MIN_UPCONV_LAYERS + i),
);

/**
 * Upconvs of a model making clips of `clipSamples` (16·4^L → L).
 * @throws WavecastError WAVECAST_ERR_MODEL_SHAPE for a length not in CLIP_SAMPLES_CHOICES
 * @example upconvLayerCount(4096) // 4
 */
export function upconvLayerCount(clipSamples: number): number {
  const index = CLIP_SAMPLES_CHOICES.indexOf(clipSamples);
  if (index < 0) {
    throw new WavecastError(
      'WAVECAST_ERR_MODEL_SHAPE',
      `WaveGAN clips must have 16·4^L samples (${CLIP_SAMPLES_CHOICES.join(', ')}), got ${clipSamples}`,
    );
  }
  return MIN_UPCONV_LAYERS + index;
}

/** One transposed convolution: input and output channel counts and lengths. */
export interface UpconvLayer {
  name: string;
  inChannels: number;
  outChannels: number;
  inLength: number;
  outLength: number;
}

/** Channel count the dense layer's output is reshaped to: d·2^(L−1) (16d for the paper's clip). */
export function seedChannels(d: number, clipSamples: number = CLIP_SAMPLES): number {
  return d * 2 ** (upconvLayerCount(clipSamples) - 1);
}

/**
 * The transposed convolutions for width `d` and clips of `clipSamples`: for the paper's 16384,
 * five with channels 16d → 8d → 4d → 2d → d → 1; for 4096, four with 8d → 4d → 2d → d → 1.
 */
export function upconvLayers(d: number, clipSamples: number = CLIP_SAMPLES): UpconvLayer[] {
  const layers = upconvLayerCount(clipSamples);
  const channels = [...Array.from({ length: layers }, (_, i) => d * 2 ** (layers - 1 - i)), 1];
  return Array.from({ length: layers }, (_, i) => ({
    name: `upconv_${i}`,
    inChannels: channels[i],
    outChannels: channels[i + 1],
    inLength: SEED_LENGTH * STRIDE ** i,
    outLength: SEED_LENGTH * STRIDE ** (i + 1),
  }));
}

/** Samples TF's 'same' crops from the start of a full transposed output (4L + 21 → 4L): 10. */
const CROP_START = Math.floor((KERNEL_SIZE - STRIDE) / 2);
/** Phase p reads W[r_p + s·m] at x offset q_p − m, for m ≥ 0 with r_p + s·m < K. */
const PHASES = Array.from({ length: STRIDE }, (_, p) => ({
  r: (p + CROP_START) % STRIDE,
  q: Math.floor((p + CROP_START) / STRIDE),
}));
/** Smallest x offset any phase reads: −3 for K 25, s 4, c 10. */
export const POLYPHASE_FIRST_OFFSET = Math.min(...PHASES.map(({ r, q }) => q - Math.floor((KERNEL_SIZE - 1 - r) / STRIDE)));
/** Largest x offset any phase reads: +3. */
export const POLYPHASE_LAST_OFFSET = Math.max(...PHASES.map(({ q }) => q));
/** Taps of the polyphase convolution: one per x offset (7). */
export const POLYPHASE_TAPS = POLYPHASE_LAST_OFFSET - POLYPHASE_FIRST_OFFSET + 1;

/**
 * Where the polyphase form of an upconv reads the stored kernel. With stride s = 4, kernel
 * K = 25 and TF's 'same' crop c = 10, output sample s·n + p of a transposed convolution is
 *   y[s·n + p] = Σ_j W[polyphaseTap(p, j)] · x[n + j + POLYPHASE_FIRST_OFFSET],  j = 0 … POLYPHASE_TAPS − 1
 * (a tap of −1 reads nothing). Phase p is a correlation of x with every s-th tap of W, reversed;
 * over the four phases x is read at offsets −3 … +3, so one ordinary 7-tap convolution with
 * 4·out output channels makes all four phases. The ONNX export and the trainer both use it.
 *
 * @returns the kernel tap (0 … 24), or −1 where phase `phase` reads no tap at offset `j`.
 */
export function polyphaseTap(phase: number, j: number): number {
  const { r, q } = PHASES[phase];
  const m = q - (j + POLYPHASE_FIRST_OFFSET);
  const tap = r + STRIDE * m;
  return m < 0 || tap >= KERNEL_SIZE ? -1 : tap;
}


/**
 * Name → shape of every weight, in the fixed order checkpoints store them. Conv kernels are
 * [25, outChannels, inChannels]: tfjs' conv2dTranspose filter layout without its height-1 axis.
 *
 * @param [d=64] model width.
 * @param [latentDim=100] length of z.
 * @param [clipSamples=16384] samples per clip (16·4^L: L upconvs).
 */
export function waveGanWeightShapes(
  d: number = DEFAULT_MODEL_DIM,
  latentDim: number = DEFAULT_LATENT_DIM,
  clipSamples: number = CLIP_SAMPLES,
): Map<string, number[]> {
  const seed = SEED_LENGTH * seedChannels(d, clipSamples);
  const shapes = new Map<string, number[]>([
    ['dense/kernel', [latentDim, seed]],
    ['dense/bias', [seed]],
  ]);
  for (const layer of upconvLayers(d, clipSamples)) {
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
 * @param [options.clipSamples=16384] samples per clip
 * @param options.seed PRNG seed
 * @param [options.gain=1] kernel scale
 * @example
 * const weights = initWaveGanWeights({ d: 32, seed: 1 });
 */
export function initWaveGanWeights(options: {
  d?: number;
  latentDim?: number;
  clipSamples?: number;
  seed: number;
  gain?: number;
}): WaveGanWeights {
  const { d = DEFAULT_MODEL_DIM, latentDim = DEFAULT_LATENT_DIM, clipSamples = CLIP_SAMPLES, seed, gain = 1 } = options;
  const random = mulberry32(seed);
  const weights: WaveGanWeights = new Map();
  for (const [name, shape] of waveGanWeightShapes(d, latentDim, clipSamples)) {
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

