/**
 * The trainer's resume folder (by default `models/<id>/.train-state/`, hidden so it is never
 * taken for a model version): everything a run needs to continue exactly where it stopped.
 *
 *   state.json            format, step, the tensors' names and shapes, the Adam counters,
 *                         and the run's own record (options, loss history, report snapshots)
 *   tensors-<step>.bin    every tensor's float32 values, little-endian, in state.json's order:
 *                         generator and critic weights, then both optimizers' moments
 *
 * The .bin is written first and state.json renamed over the old one last, so a run stopped
 * mid-save leaves the previous state whole; older .bin files are removed after.
 */
import { readdir, readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { WavecastError } from '../../../server/core/errors.js';
import { float32ToLittleEndian, littleEndianToFloat32 } from '../../../server/core/float32-bytes.js';
import { shapeSize, type NamedTensor, type NamedWeights } from '../../../server/families/model.js';
import { writeFileAtomic } from '../../../server/inference/atomic-write.js';
import type { AdamState } from './adam-state.js';
import type { WaveformGanState } from './waveform-gan.js';

/** The folder name under the model's folder. */
export const TRAIN_STATE_DIR = '.train-state';
const STATE_FILE = 'state.json';
const FORMAT = 'wavecast-waveform-train-state/1';

interface StateJson<Run> {
  format: string;
  step: number;
  tensorFile: string;
  tensors: Array<{ name: string; shape: number[] }>;
  adam: Record<'generator' | 'critic', Omit<AdamState, 'moments'> & { moments: number }>;
  run: Run;
}

/**
 * Writes the GAN's state and the run's record `run` (any JSON) into `dir`.
 * @example await saveTrainState(path.join(out, TRAIN_STATE_DIR), await gan.state(), { history })
 */
export async function saveTrainState<Run>(dir: string, gan: WaveformGanState, run: Run): Promise<void> {
  const tensors: Array<[string, NamedTensor]> = [
    ...[...gan.generator].map(([name, t]) => [`generator/${name}`, t] as [string, NamedTensor]),
    ...[...gan.critic].map(([name, t]) => [`critic/${name}`, t] as [string, NamedTensor]),
    ...gan.generatorAdam.moments.map((t, i) => [`generatorAdam/${i}`, t] as [string, NamedTensor]),
    ...gan.criticAdam.moments.map((t, i) => [`criticAdam/${i}`, t] as [string, NamedTensor]),
  ];
  const bytes = new Uint8Array(tensors.reduce((sum, [, t]) => sum + t.data.byteLength, 0));
  let offset = 0;
  for (const [, t] of tensors) {
    bytes.set(float32ToLittleEndian(t.data), offset);
    offset += t.data.byteLength;
  }
  const tensorFile = `tensors-${gan.step}.bin`;
  const adam = (state: AdamState) => ({ iterations: state.iterations, accBeta1: state.accBeta1, accBeta2: state.accBeta2, moments: state.moments.length });
  const json: StateJson<Run> = {
    format: FORMAT,
    step: gan.step,
    tensorFile,
    tensors: tensors.map(([name, t]) => ({ name, shape: t.shape })),
    adam: { generator: adam(gan.generatorAdam), critic: adam(gan.criticAdam) },
    run,
  };
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, tensorFile), bytes);
  await writeFileAtomic(path.join(dir, STATE_FILE), `${JSON.stringify(json)}\n`);
  for (const file of await readdir(dir)) {
    if (/^tensors-\d+\.bin$/.test(file) && file !== tensorFile) await rm(path.join(dir, file), { force: true });
  }
}

/** True when `dir` holds a saved state. */
export async function hasTrainState(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [] as string[])).includes(STATE_FILE);
}

/**
 * Reads a state written by saveTrainState.
 * @throws WavecastError WAVECAST_ERR_MODEL_MANIFEST naming the file, when it is missing, of
 *   another format, or its tensors do not add up
 */
export async function loadTrainState<Run>(dir: string): Promise<{ gan: WaveformGanState; run: Run }> {
  const file = path.join(dir, STATE_FILE);
  const bad = (why: string): never => {
    throw new WavecastError('WAVECAST_ERR_MODEL_MANIFEST', `${file}: ${why}`);
  };
  const text = await readFile(file, 'utf8').catch(() => bad('no training state here (nothing to resume)'));
  const json = JSON.parse(text) as StateJson<Run>;
  if (json.format !== FORMAT) bad(`format must be "${FORMAT}", got ${JSON.stringify(json.format)}`);
  const values = littleEndianToFloat32(new Uint8Array(await readFile(path.join(dir, json.tensorFile)).catch(() => bad(`${json.tensorFile} is missing`))));
  const expected = json.tensors.reduce((sum, t) => sum + shapeSize(t.shape), 0);
  if (values.length !== expected) bad(`${json.tensorFile} holds ${values.length} values, the state lists ${expected}`);
  const groups = { generator: new Map(), critic: new Map(), generatorAdam: [], criticAdam: [] } as {
    generator: NamedWeights;
    critic: NamedWeights;
    generatorAdam: NamedTensor[];
    criticAdam: NamedTensor[];
  };
  let offset = 0;
  for (const { name, shape } of json.tensors) {
    const tensor = { shape, data: values.slice(offset, offset + shapeSize(shape)) };
    offset += shapeSize(shape);
    const [group, rest] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)];
    if (group === 'generator' || group === 'critic') groups[group].set(rest, tensor);
    else if (group === 'generatorAdam' || group === 'criticAdam') groups[group].push(tensor);
    else bad(`unknown tensor "${name}"`);
  }
  return {
    gan: {
      step: json.step,
      generator: groups.generator,
      critic: groups.critic,
      generatorAdam: { ...json.adam.generator, moments: groups.generatorAdam },
      criticAdam: { ...json.adam.critic, moments: groups.criticAdam },
    },
    run: json.run,
  };
}
