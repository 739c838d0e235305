/**
 * Picks the fastest tfjs backend installed: TensorFlow's C library through
 * @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (optional dependencies: their install
 * downloads libtensorflow, so they are often absent), then WebAssembly, then plain JS ('cpu').
 *
 * A tfjs backend is global to its thread: every tfjs model in the thread runs on the one chosen
 * last. WorkerGenerator gives each model a thread of its own.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';

const log = logger('engine');

/** The tfjs backends wavecast can run on ('tensorflow' is tfjs-node's, CPU or GPU). */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Packages that register the 'tensorflow' backend, best first. */
const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

let automatic: Promise<TfjsBackendName> | undefined;
let wasmPathsSet = false;

/**
 * Activates a tfjs backend and returns its name. Without `preferred`, the best one installed
 * (tensorflow, then wasm, then cpu; decided once per thread); with it, exactly that one or a
 * WAVECAST_ERR_ENGINE error saying why not. Logs the choice and why better ones were skipped.
 *
 * @example
 * await selectTfjsBackend();       // 'wasm' where tfjs-node is not installed
 * await selectTfjsBackend('cpu');  // force plain JS, e.g. to compare in a benchmark
 */
export async function selectTfjsBackend(preferred?: TfjsBackendName): Promise<TfjsBackendName> {
  // wavecast logs the backend choice itself; PROD silences tfjs' console advice on each start.
  tf.env().set('PROD', true);
  if (preferred) {
    const failure = await activate(preferred);
    if (failure) {
      throw new WavecastError('WAVECAST_ERR_ENGINE', `tfjs backend "${preferred}" is not available: ${failure}`);
    }
    log.info({ backend: preferred, forced: true }, `tfjs backend: ${preferred} (forced)`);
    return preferred;
  }
  automatic ??= selectBest();
  const backend = await automatic;
  // Another caller may have forced a different backend since; come back to the automatic one.
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
  return backend;
}

async function selectBest(): Promise<TfjsBackendName> {
  const skipped: Array<{ backend: TfjsBackendName; reason: string }> = [];
  for (const backend of TFJS_BACKENDS) {
    const failure = await activate(backend);
    if (!failure) {
      log.info({ backend, skipped }, `tfjs backend: ${backend}`);
      return backend;
    }
    skipped.push({ backend, reason: failure });
  }
  // Unreachable in practice: the cpu backend ships inside @tensorflow/tfjs.
  throw new WavecastError('WAVECAST_ERR_ENGINE', `no tfjs backend could start: ${JSON.stringify(skipped)}`);
}

/** Makes `backend` the active one; returns why it could not, or undefined on success. */
async function activate(backend: TfjsBackendName): Promise<string | undefined> {
  switch (backend) {
    case 'tensorflow':
      return activateTensorflow();
    case 'wasm':
      return activateWasm();
    case 'cpu':
      return (await tf.setBackend('cpu')) ? undefined : 'tf.setBackend("cpu") failed';
  }
}

async function activateTensorflow(): Promise<string | undefined> {
  const reasons: string[] = [];
  for (const specifier of TENSORFLOW_PACKAGES) {
    try {
      // A variable specifier: the packages are optional, so the type checker must not look for them.
      await import(specifier);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const notInstalled = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
      reasons.push(`${specifier}: ${notInstalled ? 'not installed' : String(error)}`);
      continue;
    }
    // tfjs-node registers 'tensorflow' with the tfjs-core it depends on; a second copy of
    // tfjs-core (a version mismatch) would leave ours without it.
    if (tf.findBackendFactory('tensorflow') && (await tf.setBackend('tensorflow'))) return undefined;
    reasons.push(`${specifier}: loaded, but the 'tensorflow' backend did not start with this @tensorflow/tfjs`);
  }
  return reasons.join('; ');
}

async function activateWasm(): Promise<string | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathsSet) {
      // In Node the .wasm binaries are read with fs from `prefix + file name`, so the prefix is
      // the package's dist folder as a file system path ending in a separator (not a URL).
      const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(path.dirname(entry) + path.sep);
      wasmPathsSet = true;
    }
    return (await tf.setBackend('wasm')) ? undefined : 'the WebAssembly module did not initialize';
  } catch (error) {
    return `@tensorflow/tfjs-backend-wasm: ${String(error)}`;
  }
}
