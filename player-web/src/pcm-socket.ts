/**
 * A client for the WebSocket PCM feed (`/ws/<channel>?format=f32le`): one JSON header, then
 * binary frames of a uint32 little-endian sequence number and interleaved Float32 samples, and a
 * JSON title message whenever the title changes. Used by the low-latency player and by the
 * panel's spectrogram (as a monitor, which the server does not count as a listener).
 */

import type { PcmFeedHeader, PcmFeedTitle } from '../../server/web/wire.js';
import { pcmFeedUrl, type PcmFeedQuery } from './feed-url.js';

export type PcmHeader = PcmFeedHeader;

export interface PcmSocketHandlers {
  header(header: PcmHeader): void;
  /**
   * One binary frame. `samples` is a view over the message's own buffer (offset 4, after the
   * sequence number), so the buffer can be transferred to a worklet without a copy.
   */
  frame(samples: Float32Array, sequence: number): void;
  title?(title: string): void;
  /** `count` frames went missing before `sequence` (the server dropped them or they were never sent). */
  lost?(count: number, sequence: number): void;
  close?(code: number, reason: string): void;
}

const SEQUENCE_BYTES = 4;

/** Opens the feed; returns a function that closes it. */
export function openPcmSocket(wsPath: string, options: PcmFeedQuery, handlers: PcmSocketHandlers): () => void {
  // ws:// or wss:// on this page's host, as the page itself was served (wss:// behind a TLS proxy).
  const socket = new WebSocket(pcmFeedUrl(wsPath, options, location.href));
  socket.binaryType = 'arraybuffer';
  let header: PcmHeader | undefined;
  let expectedSequence: number | undefined;
  let closedByUs = false;

  socket.addEventListener('message', (message: MessageEvent<string | ArrayBuffer>) => {
    if (typeof message.data === 'string') {
      const data = JSON.parse(message.data) as PcmFeedHeader | PcmFeedTitle;
      if (data.type === 'header') {
        if (data.format !== 'f32le') throw new Error(`PCM feed sent format "${data.format}", expected f32le`);
        header = data;
        handlers.header(data);
      } else if (data.type === 'title') {
        handlers.title?.(data.title);
      }
      return;
    }
    if (!header) return; // binary before the header breaks the protocol; nothing sensible to play
    const buffer = message.data;
    const sequence = new DataView(buffer).getUint32(0, true);
    if (expectedSequence !== undefined && sequence !== expectedSequence) {
      // uint32 arithmetic so a wrap-around is not mistaken for a huge gap.
      handlers.lost?.((sequence - expectedSequence) >>> 0, sequence);
    }
    expectedSequence = (sequence + 1) >>> 0;
    // Float32Array reads the platform's byte order; every browser runs little-endian, as the wire is.
    const samples = new Float32Array(buffer, SEQUENCE_BYTES, (buffer.byteLength - SEQUENCE_BYTES) / Float32Array.BYTES_PER_ELEMENT);
    handlers.frame(samples, sequence);
  });
  socket.addEventListener('close', (event) => {
    if (!closedByUs) handlers.close?.(event.code, event.reason);
  });
  return () => {
    closedByUs = true;
    socket.close();
  };
}
