/**
 * One connection to a channel, whatever its wire format: it delivers audio already in the output
 * format, the titles, and how it ended. mp3-feed.ts and ws-feed.ts implement it; live-connection.ts
 * opens one after another.
 */

export interface FeedHandlers {
  /** The server answered and audio is about to flow. */
  onOpen(): void;
  /** Received audio: interleaved stereo at 44.1 kHz (output-format.ts). */
  onAudio(samples: Float32Array): void;
  /** The channel's title, as sent (the caller prints changes). */
  onTitle(title: string): void;
}

/** Why a connection ended. */
export interface FeedEnd {
  /** For a person: "the server ended the stream", "connection refused (ECONNREFUSED)". */
  reason: string;
  /**
   * The server refused this URL for good (an unknown channel, a bad query): retrying the same URL
   * is pointless unless the operator changes the server.
   */
  refused?: boolean;
}

export interface FeedConnection {
  /** Resolves (never rejects) when the connection is over. */
  readonly ended: Promise<FeedEnd>;
  /** Closes it; `ended` then resolves with `reason`. */
  close(reason: string): void;
}

export type FeedConnector = (url: string, handlers: FeedHandlers) => FeedConnection;

/** A network error as one short phrase: `connection refused (ECONNREFUSED)`. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'connection lost',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  return cause?.message ?? (error as Error).message ?? String(error);
}
