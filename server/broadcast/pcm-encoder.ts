/**
 * Raw PCM for the WebSocket feed: no compression, no latency. `s16le` halves the bytes of
 * `f32le`; `f32le` passes the mixer's floats through bit for bit.
 */
import type { Encoder } from './encoder.js';
import { floatsToInt16 } from './float-to-int16.js';

/** Sample formats {@link PcmEncoder} writes. */
export type PcmFormat = 's16le' | 'f32le';

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * An {@link Encoder} that writes interleaved PCM as is:
 * - `s16le`: signed 16-bit little-endian, clipped to [-1, 1] (-1 → -32768, 1 → 32767);
 * - `f32le`: 32-bit IEEE float little-endian, values unchanged (not clipped).
 *
 * Content type is `application/octet-stream`: the registered `audio/L16` is big-endian
 * (RFC 2586) and there is no registered type for little-endian or float PCM, so the format,
 * rate and channels travel out of band (the WebSocket hello message).
 */
export class PcmEncoder implements Encoder {
  readonly contentType = 'application/octet-stream';
  readonly name: PcmFormat;
  readonly format: PcmFormat;

  /** @param options.format `s16le` or `f32le`. */
  constructor(options: { format: PcmFormat }) {
    this.format = options.format;
    this.name = options.format;
  }

  /** Returns the samples of `pcm` in this format, in a new buffer the caller owns. */
  encode(pcm: Float32Array): Uint8Array {
    if (this.format === 'f32le') {
      const bytes = new Uint8Array(pcm.byteLength);
      bytes.set(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      if (!hostIsLittleEndian) swapBytes(bytes, 4);
      return bytes;
    }
    const samples = new Int16Array(pcm.length);
    floatsToInt16(pcm, samples);
    const bytes = new Uint8Array(samples.buffer);
    if (!hostIsLittleEndian) swapBytes(bytes, 2);
    return bytes;
  }

  /** PCM holds nothing back: always empty. */
  flush(): Uint8Array {
    return new Uint8Array(0);
  }

  dispose(): void {
    // Nothing to release.
  }
}

// Typed arrays use the host's byte order; the wire is little-endian whatever the host.
function swapBytes(bytes: Uint8Array, width: 2 | 4): void {
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}
