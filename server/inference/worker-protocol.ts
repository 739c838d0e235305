/**
 * Messages between WorkerGenerator (main thread) and generator-worker.ts (its worker thread):
 * each request carries an id, and the worker answers each with that id, ok or with an error
 * (core/serialized-error.ts carries it across).
 */
import type { SerializedError } from '../core/serialized-error.js';
import type { CreateGeneratorOptions } from './create-generator.js';
import type { ModelInfo } from './generator.js';

/** What the worker thread is started with (its workerData.data). */
export interface GeneratorWorkerData {
  options: CreateGeneratorOptions;
}

export type WorkerCall =
  | { type: 'initialize' }
  /** `latents` is [batch, latentDim] row-major; its buffer is transferred, not copied. */
  | { type: 'generate'; latents: Float32Array; batch: number }
  | { type: 'dispose' };

export type WorkerRequest = WorkerCall & { id: number };

export type WorkerResponse =
  | { id: number; ok: true; info?: ModelInfo; engine?: string; clips?: Float32Array[] }
  | { id: number; ok: false; error: SerializedError };
