/**
 * `--record FILE.wav`: what the player sends to the sound output, sample for sample, as a 32-bit
 * float WAV (IEEE float, format 3) that grows as it plays. The header's sizes are brought up to
 * date every second and at close, so even a killed player leaves a file that opens.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Hz, Samples } from '../../server/core/units.js';

const HEADER_BYTES = 44;
const HEADER_REFRESH_FRAMES = 44100;

export class WavWriter {
  readonly path: string;
  readonly sampleRate: Hz;
  readonly channels: number;
  #fd: number | undefined;
  #frames = 0;
  #sinceHeader = 0;

  constructor(path: string, sampleRate: Hz, channels: number) {
    this.path = path;
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.#fd = openSync(path, 'w');
    this.#writeHeader();
  }

  /** Frames written so far. */
  get frames(): Samples {
    return this.#frames;
  }

  /** Appends `frames` interleaved frames of `block`. */
  write(block: Float32Array, frames: Samples): void {
    if (this.#fd === undefined) return;
    const bytes = new Uint8Array(block.buffer, block.byteOffset, frames * this.channels * 4);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done, HEADER_BYTES + this.#frames * this.channels * 4 + done);
    this.#frames += frames;
    this.#sinceHeader += frames;
    if (this.#sinceHeader >= HEADER_REFRESH_FRAMES) this.#writeHeader();
  }

  /** Appends `frames` frames of silence (a gap the output really had). */
  writeSilence(frames: Samples): void {
    const chunk = new Float32Array(Math.min(frames, 4096) * this.channels);
    for (let left = frames; left > 0; left -= chunk.length / this.channels) {
      this.write(chunk, Math.min(left, chunk.length / this.channels));
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    this.#writeHeader();
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #writeHeader(): void {
    const dataBytes = this.#frames * this.channels * 4;
    const header = Buffer.alloc(HEADER_BYTES);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + dataBytes, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(3, 20); // IEEE float
    header.writeUInt16LE(this.channels, 22);
    header.writeUInt32LE(this.sampleRate, 24);
    header.writeUInt32LE(this.sampleRate * this.channels * 4, 28);
    header.writeUInt16LE(this.channels * 4, 32);
    header.writeUInt16LE(32, 34);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(dataBytes, 40);
    writeSync(this.#fd!, header, 0, HEADER_BYTES, 0);
    this.#sinceHeader = 0;
  }
}

/** Reads a WAV written by WavWriter (float32) or any 16-bit PCM WAV: interleaved samples. */
export function readWav(bytes: Uint8Array): { samples: Float32Array; sampleRate: Hz; channels: number; frames: Samples } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let at = 12;
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      format = view.getUint16(at + 8, true);
      channels = view.getUint16(at + 10, true);
      sampleRate = view.getUint32(at + 12, true);
      bits = view.getUint16(at + 22, true);
    } else if (id === 'data') {
      const length = Math.min(size, bytes.length - at - 8);
      const body = bytes.subarray(at + 8, at + 8 + length);
      let samples: Float32Array;
      if (format === 3 && bits === 32) {
        samples = new Float32Array(Math.floor(body.length / 4));
        new Uint8Array(samples.buffer).set(body.subarray(0, samples.length * 4));
      } else if (format === 1 && bits === 16) {
        samples = new Float32Array(Math.floor(body.length / 2));
        const data = new DataView(body.buffer, body.byteOffset, body.byteLength);
        for (let i = 0; i < samples.length; i++) samples[i] = data.getInt16(2 * i, true) / 32768;
      } else {
        throw new Error(`unsupported WAV format ${format} with ${bits} bits`);
      }
      return { samples, sampleRate, channels, frames: Math.floor(samples.length / channels) };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}
