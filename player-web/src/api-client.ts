/**
 * Calls to the wavecast HTTP API. A refusal becomes an ApiError carrying the server's code,
 * message and field, so the pages can show the server's own words.
 */
import type {
  ApiErrorBody,
  ChannelChanges,
  ChannelSummary,
  ModelSummary,
  OperatorInfo,
} from '../../server/web/wire.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field the server named as wrong, when it named one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  const error = (body as ApiErrorBody | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

async function request<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, 'WAVECAST_ERR_NETWORK', `${method} ${path} did not reach the server: ${(error as Error).message}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): keep the start of the text as the message below.
  }
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message, body.error.field);
    throw new ApiError(response.status, 'WAVECAST_ERR_HTTP', `${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  }
  if (body === undefined) throw new ApiError(response.status, 'WAVECAST_ERR_HTTP', `${method} ${path} answered without a JSON body`);
  return body as T;
}

export const api = {
  channels: () => request<ChannelSummary[]>('GET', '/api/channels'),
  models: () => request<ModelSummary[]>('GET', '/api/models'),
  /** Resolves with the slider ranges when the token is accepted; ApiError 401 when not. */
  operator: (token: string) => request<OperatorInfo>('GET', '/api/operator', { token }),
  /** Sends the changes without an Authorization header when there is no token (the server answers 401). */
  patchChannel: (id: string, changes: ChannelChanges, token: string | null) =>
    request<ChannelSummary>('PATCH', `/api/channels/${encodeURIComponent(id)}`, { token: token ?? undefined, body: changes }),
};

/** A one-line description of any error, for a status line. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.status > 0 ? `${error.message} (${error.status})` : error.message;
  return error instanceof Error ? error.message : String(error);
}
