/**
 * MP3 in pure JavaScript (@breezystack/lamejs, a port of LAME): always available, no child
 * process, and synchronous, so `encode` returns every complete frame at once. Slower than the
 * native `lame` binary; the fallback when that is not installed or dies.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import { concatBytes } from './concat-bytes.js';
import type { Encoder } from './encoder.js';
import { floatToInt16 } from './float-to-int16.js';
import { WavecastError } from '../core/errors.js';
import { checkMp3Options, type Mp3Options } from '../config/mp3-params.js';
import type { Hz, Kbps, Samples } from '../core/units.js';

/** Frames per MPEG-1 layer III frame: lamejs is fed one frame's worth at a time. */
const BLOCK_FRAMES: Samples = 1152;

/**
 * An {@link Encoder} over lamejs: interleaved Float32 PCM in, constant-bitrate MP3 out.
 *
 * PCM is collected into 1152-frame blocks held in two reused Int16 buffers (one per side);
 * a partial block waits for the next call, so `encode` returns whole frames only and
 * `flush` encodes the rest and LAME's final frames.
 *
 * @example
 * const mp3 = new LameJsEncoder({ sampleRate: 44100, channels: 2 });
 * response.write(mp3.encode(pcm));
 */
export class LameJsEncoder implements Encoder {
  readonly contentType = 'audio/mpeg';
  readonly name = 'lamejs';
  readonly sampleRate: Hz;
  readonly channels: 1 | 2;
  readonly bitrate: Kbps;
  #lame: Mp3Encoder;
  #left = new Int16Array(BLOCK_FRAMES);
  #right = new Int16Array(BLOCK_FRAMES);
  #filled: Samples = 0;
  #disposed = false;

  /**
   * @param options.sampleRate input and output rate; an MP3 rate (8000 … 48000 Hz).
   * @param options.channels 1 or 2; `encode` takes interleaved frames of this many samples.
   * @param [options.bitrate=128] constant bitrate in kbps, legal for the sample rate.
   * @throws WavecastError `WAVECAST_ERR_CONFIG` naming the bad field.
   */
  constructor(options: Mp3Options) {
    this.bitrate = checkMp3Options(options);
    this.sampleRate = options.sampleRate;
    this.channels = options.channels;
    this.#lame = new Mp3Encoder(this.channels, this.sampleRate, this.bitrate);
  }

  /**
   * Encodes interleaved PCM; returns the MP3 frames completed by it (possibly none).
   * @throws WavecastError `WAVECAST_ERR_ENCODER` when `pcm` holds a partial frame or after dispose.
   */
  encode(pcm: Float32Array): Uint8Array {
    this.#checkUsable();
    const channels = this.channels;
    if (pcm.length % channels !== 0) {
      throw new WavecastError('WAVECAST_ERR_ENCODER', `pcm length ${pcm.length} is not a multiple of ${channels} channels`);
    }
    const out: Uint8Array[] = [];
    const left = this.#left;
    const right = this.#right;
    let filled = this.#filled;
    for (let i = 0; i < pcm.length; i += channels) {
      left[filled] = floatToInt16(pcm[i]);
      if (channels === 2) right[filled] = floatToInt16(pcm[i + 1]);
      if (++filled === BLOCK_FRAMES) {
        pushBytes(out, this.#lame.encodeBuffer(left, channels === 2 ? right : undefined));
        filled = 0;
      }
    }
    this.#filled = filled;
    return concatBytes(out);
  }

  /** Encodes the partial block and LAME's last frames; the encoder is finished after this. */
  flush(): Uint8Array {
    this.#checkUsable();
    const out: Uint8Array[] = [];
    if (this.#filled > 0) {
      const left = this.#left.subarray(0, this.#filled);
      const right = this.channels === 2 ? this.#right.subarray(0, this.#filled) : undefined;
      pushBytes(out, this.#lame.encodeBuffer(left, right));
      this.#filled = 0;
    }
    pushBytes(out, this.#lame.flush());
    return concatBytes(out);
  }

  dispose(): void {
    this.#disposed = true;
  }

  #checkUsable(): void {
    if (this.#disposed) throw new WavecastError('WAVECAST_ERR_ENCODER', 'lamejs encoder used after dispose()');
  }
}

// lamejs hands back an Int8Array view despite its typings; read the same bytes as unsigned.
function pushBytes(out: Uint8Array[], bytes: ArrayBufferView): void {
  if (bytes.byteLength > 0) out.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
