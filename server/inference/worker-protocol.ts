/**
 * Messages between WorkerGenerator (main thread) and generator-worker.ts (its worker thread):
 * each request carries an id, and the worker answers each with that id, ok or with an error.
 * Errors cross the thread boundary as plain objects and come back as WavecastErrors with their
 * original code and message.
 */
import { WavecastError, type WavecastErrorCode } from '../core/errors.js';
import type { CreateGeneratorOptions } from './create-generator.js';
import type { ModelInfo } from './generator.js';

/** What the worker thread is started with. */
export interface GeneratorWorkerData {
  /** URL of the worker's module (a .ts entry is loaded through tsx). */
  entry: string;
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

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : undefined,
      stack: error.stack,
    };
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds the error on the caller's side: a WavecastError when it carried a wavecast code. */
export function reviveError(serialized: SerializedError): Error {
  const error = serialized.code?.startsWith('WAVECAST_ERR_')
    ? new WavecastError(serialized.code as WavecastErrorCode, serialized.message)
    : Object.assign(new Error(serialized.message), serialized.code ? { code: serialized.code } : {});
  if (!(error instanceof WavecastError)) error.name = serialized.name;
  if (serialized.stack) error.stack = `${serialized.stack}\n    (in the generator worker thread)`;
  return error;
}
