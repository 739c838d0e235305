/**
 * What one load-test listener measured, the same shape for an MP3 (HTTP) and a PCM (WebSocket)
 * listener. Plain data: it crosses from the client processes to the report over IPC.
 */

export type ListenerKind = 'http' | 'ws';

export interface ListenerResult {
  kind: ListenerKind;
  channel: string;
  /** An MP3 listener that asked for ICY metadata (its audio is counted without the blocks). */
  icy: boolean;
  /** Milliseconds from opening the connection to the first audio byte; null when none came. */
  ttfbMs: number | null;
  /** Seconds of audio received in all, the burst included (MP3: bytes at the bitrate; PCM: frames). */
  audioSeconds: number;
  /**
   * The window after the burst: from `settle` seconds after the first audio byte to the end of
   * the run (or of the stream), its length and the audio received in it. Their ratio is the
   * listener's real-time ratio; a window of 0 means the listener never got that far.
   */
  windowSeconds: number;
  windowAudioSeconds: number;
  /** WebSocket frames whose sequence numbers never came (0 for MP3). */
  gaps: number;
  /** Times nothing arrived for longer than the stall limit, after the first byte. */
  stalls: number;
  /** The longest time without a byte after the first one (ms). */
  longestSilenceMs: number;
  /** Titles received (ICY blocks with a StreamTitle, WebSocket title frames, the header's). */
  titles: number;
  /** Why it ended before the run did (a refusal, a close code, an error); absent when it lasted. */
  ended?: string;
}

/** Audio received per second in the window after the burst: 1 is live, below 1 the listener fell behind. */
export function realTimeRatio(result: ListenerResult): number {
  return result.windowSeconds > 0 ? result.windowAudioSeconds / result.windowSeconds : 0;
}
