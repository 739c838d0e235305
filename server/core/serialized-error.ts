/**
 * Errors across a thread boundary: a worker sends them as plain objects, and the caller's side
 * rebuilds a WavecastError with the original code and message (and the worker's stack).
 */
import { isErrorCode, WavecastError } from './errors.js';

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
  const error = isErrorCode(serialized.code)
    ? new WavecastError(serialized.code, serialized.message)
    : Object.assign(new Error(serialized.message), serialized.code ? { code: serialized.code } : {});
  if (!(error instanceof WavecastError)) error.name = serialized.name;
  if (serialized.stack) error.stack = `${serialized.stack}\n    (in a worker thread)`;
  return error;
}
