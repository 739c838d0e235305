/**
 * The WebSocket PCM feed as a feed: `ws://HOST/ws/<channel>?format=f32le` (README, "For a game"):
 * a header text frame (rate, channels, format, title), binary frames of a uint32 sequence number
 * and interleaved PCM, title frames on changes. Lower latency than the MP3 stream and no decoding.
 */
import WebSocket from 'ws';
import { describeNetworkError, type FeedConnector, type FeedEnd } from './feed.js';
import { OutputFormatConverter } from './output-format.js';

interface FeedMessage {
  type: 'header' | 'title';
  sampleRate?: number;
  channels?: number;
  format?: string;
  title?: string;
}

/** Close codes for which retrying the same URL is pointless (README: 4404 unknown channel, 4400 bad query). */
const REFUSED = new Set([4400, 4404]);

export const connectWs: FeedConnector = (url, handlers) => {
  let settle: (end: FeedEnd) => void = () => {};
  const ended = new Promise<FeedEnd>((resolve) => {
    settle = resolve;
  });
  let converter: OutputFormatConverter | undefined;
  let format = 'f32le';
  let closeReason: string | undefined;
  const socket = new WebSocket(url, { perMessageDeflate: false });
  socket.on('message', (raw: WebSocket.RawData, isBinary: boolean) => {
    const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (!isBinary) {
      const message = JSON.parse(data.toString('utf8')) as FeedMessage;
      if (message.type === 'header') {
        converter = new OutputFormatConverter(message.sampleRate ?? 44100, message.channels ?? 2);
        format = message.format ?? 'f32le';
        handlers.onOpen();
      }
      if (message.title !== undefined) handlers.onTitle(message.title);
      return;
    }
    if (!converter || data.length <= 4) return;
    const body = data.subarray(4);
    let samples: Float32Array;
    if (format === 'f32le') {
      // Copied: the frame's bytes start after a 4-byte sequence number, often not 4-byte aligned.
      samples = new Float32Array(body.length / 4);
      new Uint8Array(samples.buffer).set(body);
    } else {
      samples = new Float32Array(body.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = body.readInt16LE(2 * i) / 32768;
    }
    handlers.onAudio(converter.fromInterleaved(samples));
  });
  socket.on('close', (code: number, reasonBytes: Buffer) => {
    const reason = reasonBytes.toString('utf8');
    if (closeReason !== undefined) return settle({ reason: closeReason });
    settle({
      reason: code === 1001 ? 'the server is shutting down (1001)' : `the server closed the feed (${code}${reason ? `: ${reason}` : ''})`,
      refused: REFUSED.has(code),
    });
  });
  socket.on('unexpected-response', (_request, response) => {
    settle({ reason: `the server answered ${response.statusCode} to the WebSocket upgrade`, refused: (response.statusCode ?? 0) < 500 });
    socket.terminate();
  });
  socket.on('error', (error) => {
    settle({ reason: closeReason ?? describeNetworkError(error) });
  });
  return {
    ended,
    close(reason) {
      closeReason = reason;
      settle({ reason });
      socket.terminate();
    },
  };
};
