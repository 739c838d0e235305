/**
 * Cuts an MP3 byte stream into whole frames. An encoder's output arrives in arbitrary pieces
 * (the `lame` child writes whatever its pipe holds), but the broadcast queue must hold whole
 * frames: a listener who joins starts at a chunk boundary, and that must be a frame header, or
 * the player first hears garbage while it hunts for sync.
 *
 * MPEG audio layer III frame header (ISO 11172-3 / 13818-3), big-endian:
 *   sync 11 bits (all ones) · version 2 · layer 2 · protection 1 · bitrate index 4 ·
 *   sample-rate index 2 · padding 1 · private 1 · mode 2 · …
 *   length = 144 000 × kbps / rate + padding (MPEG-1); 72 000 × kbps / rate + padding (MPEG-2, 2.5)
 */
import { WavecastError } from '../core/errors.js';
import type { Hz, Seconds } from '../core/units.js';
import { concatBytes } from './concat-bytes.js';

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

export interface Mp3FrameHeader {
  /** Bytes in the whole frame, header included. */
  length: number;
  sampleRate: Hz;
  /** Sample frames of audio it holds: 1152 (MPEG-1) or 576 (MPEG-2/2.5). */
  samples: number;
}

/** Parses the layer III frame header at `offset`, or returns undefined when there is none. */
export function parseMp3FrameHeader(bytes: Uint8Array, offset: number): Mp3FrameHeader | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 reserved
  const layer = (b1 >> 1) & 3; // 1 = layer III
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const mpeg1 = version === 3;
  const kbps = (mpeg1 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex];
  const sampleRate = RATES[version][rateIndex];
  const padding = (b2 >> 1) & 1;
  const length = Math.floor(((mpeg1 ? 144000 : 72000) * kbps) / sampleRate) + padding;
  return { length, sampleRate, samples: mpeg1 ? 1152 : 576 };
}

/** Whole frames cut from the stream so far. */
export interface Mp3Frames {
  bytes: Uint8Array;
  frames: number;
  duration: Seconds;
}

export class Mp3FrameSplitter {
  #pending: Uint8Array = new Uint8Array(0);

  /**
   * Appends encoder output and returns the whole frames it completes (possibly none). Bytes
   * before the first frame header are an encoder fault, reported as WAVECAST_ERR_ENCODER.
   */
  push(piece: Uint8Array): Mp3Frames {
    const bytes = this.#pending.length === 0 ? piece : concatBytes([this.#pending, piece]);
    let offset = 0;
    let frames = 0;
    let duration = 0;
    while (offset < bytes.length) {
      const header = parseMp3FrameHeader(bytes, offset);
      if (!header) {
        if (bytes.length - offset < 4) break; // header not complete yet
        throw new WavecastError('WAVECAST_ERR_ENCODER', `MP3 stream lost frame sync at byte ${offset} of a ${bytes.length}-byte piece`);
      }
      if (offset + header.length > bytes.length) break; // frame not complete yet
      offset += header.length;
      frames++;
      duration += header.samples / header.sampleRate;
    }
    this.#pending = bytes.slice(offset);
    return { bytes: offset === bytes.length && offset === piece.length ? piece : bytes.slice(0, offset), frames, duration };
  }

  /** Bytes held back until their frame completes. */
  get pendingBytes(): number {
    return this.#pending.length;
  }
}
