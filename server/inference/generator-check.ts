/**
 * The check a model version passes before it is published or played: one forward pass whose
 * output is finite and not silent. Weights that train into NaN, or collapse to zeros, load and
 * run without an error; only their output tells.
 */
import { WavecastError } from '../core/errors.js';
import { mulberry32 } from '../core/seeded-random.js';
import { createGenerator } from './create-generator.js';
import type { Generator } from './generator.js';

/** Below this peak an output counts as silent (−120 dBFS). */
const SILENT_PEAK = 1e-6;

/** Why `output` cannot be played (non-finite or silent values), or undefined. */
export function outputProblem(output: Float32Array): string | undefined {
  let peak = 0;
  for (let i = 0; i < output.length; i++) {
    const value = output[i];
    if (!Number.isFinite(value)) return `output value ${i} of ${output.length} is ${value}`;
    peak = Math.max(peak, Math.abs(value));
  }
  return peak < SILENT_PEAK ? `output is silent (peak ${peak.toExponential(1)})` : undefined;
}

/**
 * Runs one seeded input through an initialized generator and checks its output.
 * @throws WavecastError WAVECAST_ERR_ENGINE naming `label` and the problem
 */
export async function checkOutput(generator: Generator, label: string): Promise<void> {
  const random = mulberry32(1);
  const input = Float32Array.from({ length: generator.info.inputSize }, () => random() * 2 - 1);
  const [output] = await generator.generate([input]);
  const problem = output ? outputProblem(output) : 'no output';
  if (problem) throw new WavecastError('WAVECAST_ERR_ENGINE', `${label}: ${problem}`);
}

/**
 * Loads the checkpoint in `dir` (on onnx where its family has an export, which writes model.onnx
 * into the folder; else tfjs), runs one forward pass and checks its output.
 * @throws WavecastError from loading (manifest, shapes) or WAVECAST_ERR_ENGINE for the output
 */
export async function checkGeneratorOutput(dir: string): Promise<void> {
  const generator = createGenerator({ dir, engine: 'onnx', threads: 1 });
  try {
    await generator.initialize();
    await checkOutput(generator, dir);
  } finally {
    await generator.dispose();
  }
}
