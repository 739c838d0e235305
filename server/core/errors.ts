/**
 * Errors with stable codes. A code never changes once released: operators grep logs for it and
 * clients switch on it. At the HTTP edge the code maps to a status (see `httpStatus`).
 *
 * `ERROR_CODES` lists every code the server sends, in HTTP bodies, WebSocket close reasons and
 * the operator's problem log; web/wire.ts hands the same union to the pages, and a test walks
 * the routes' error paths to check each code it meets is here.
 */

/** Every code, with the HTTP status it answers with at the edge. */
const STATUS = {
  WAVECAST_ERR_CONFIG: 500,
  WAVECAST_ERR_MODEL_MANIFEST: 500,
  WAVECAST_ERR_MODEL_SHAPE: 500,
  WAVECAST_ERR_MODEL_NOT_FOUND: 404,
  /** A model version that is not there, a bad current.json, or a publish that could not take its number. */
  WAVECAST_ERR_MODEL_VERSION: 409,
  WAVECAST_ERR_ENGINE: 500,
  WAVECAST_ERR_UNKNOWN_CHANNEL: 404,
  WAVECAST_ERR_BAD_REQUEST: 400,
  WAVECAST_ERR_TOO_MANY_LISTENERS: 503,
  WAVECAST_ERR_LISTENER_TOO_SLOW: 429,
  /** One client address holds server.maxConnectionsPerAddress streams and feeds already. */
  WAVECAST_ERR_TOO_MANY_CONNECTIONS: 429,
  WAVECAST_ERR_ENCODER: 500,
  WAVECAST_ERR_NO_NOTES: 409,
  WAVECAST_ERR_UNAUTHORIZED: 401,
  /** A browser page on an origin the config does not allow (the WebSocket feed's origin check). */
  WAVECAST_ERR_FORBIDDEN_ORIGIN: 403,
  /** A request body over server.maxBodyBytes (refused before it is read). */
  WAVECAST_ERR_TOO_LARGE: 413,
  /** A plain GET of a WebSocket URL. */
  WAVECAST_ERR_UPGRADE_REQUIRED: 426,
  /** No route or asset at that path. */
  WAVECAST_ERR_NOT_FOUND: 404,
  /** An error without a code reached the edge; its details stay in the log. */
  WAVECAST_ERR_INTERNAL: 500,
  /** A channel ran dry (the problem log; never an HTTP answer, so its status is nominal). */
  WAVECAST_ERR_UNDERRUN: 503,
  /** A channel's Icecast source lost or could not get its connection (the problem log only; nominal status). */
  WAVECAST_ERR_ICECAST: 502,
  /** Every draft of a model output was refused by its channel's voice (server.redraws), and the last one played (the problem log only; nominal status). */
  WAVECAST_ERR_MODEL_OUTPUT: 500,
} as const;

export type WavecastErrorCode = keyof typeof STATUS;

/** Every code the server sends. */
export const ERROR_CODES = Object.keys(STATUS) as readonly WavecastErrorCode[];

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

/** True when `code` is one the server sends (for codes that crossed a thread or the wire). */
export function isErrorCode(code: unknown): code is WavecastErrorCode {
  return typeof code === 'string' && Object.hasOwn(STATUS, code);
}
