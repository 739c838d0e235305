/**
 * Errors with stable codes. A code never changes once released: operators grep logs for it and
 * clients switch on it. At the HTTP edge the code maps to a status (see `httpStatus`).
 */

export type WavecastErrorCode =
  | 'WAVECAST_ERR_CONFIG'
  | 'WAVECAST_ERR_MODEL_MANIFEST'
  | 'WAVECAST_ERR_MODEL_SHAPE'
  | 'WAVECAST_ERR_MODEL_NOT_FOUND'
  | 'WAVECAST_ERR_ENGINE'
  | 'WAVECAST_ERR_UNKNOWN_CHANNEL'
  | 'WAVECAST_ERR_BAD_REQUEST'
  | 'WAVECAST_ERR_TOO_MANY_LISTENERS'
  | 'WAVECAST_ERR_LISTENER_TOO_SLOW'
  | 'WAVECAST_ERR_ENCODER'
  | 'WAVECAST_ERR_NO_NOTES'
  | 'WAVECAST_ERR_UNAUTHORIZED';

const STATUS: Record<WavecastErrorCode, number> = {
  WAVECAST_ERR_CONFIG: 500,
  WAVECAST_ERR_MODEL_MANIFEST: 500,
  WAVECAST_ERR_MODEL_SHAPE: 500,
  WAVECAST_ERR_MODEL_NOT_FOUND: 404,
  WAVECAST_ERR_ENGINE: 500,
  WAVECAST_ERR_UNKNOWN_CHANNEL: 404,
  WAVECAST_ERR_BAD_REQUEST: 400,
  WAVECAST_ERR_TOO_MANY_LISTENERS: 503,
  WAVECAST_ERR_LISTENER_TOO_SLOW: 429,
  WAVECAST_ERR_ENCODER: 500,
  WAVECAST_ERR_NO_NOTES: 409,
  WAVECAST_ERR_UNAUTHORIZED: 401,
};

export class WavecastError extends Error {
  readonly code: WavecastErrorCode;
  /** The request or config field at fault, when there is one (e.g. `tempo`). */
  readonly field?: string;

  constructor(code: WavecastErrorCode, message: string, options?: { cause?: unknown; field?: string }) {
    super(message, options);
    this.name = 'WavecastError';
    this.code = code;
    this.field = options?.field;
  }

  /** The HTTP status this error answers with at the edge. */
  get httpStatus(): number {
    return STATUS[this.code];
  }
}

/** True when `error` is a WavecastError with the given code. */
export function hasCode(error: unknown, code: WavecastErrorCode): boolean {
  return error instanceof WavecastError && error.code === code;
}
