/**
 * Picks the MP3 encoder for a stream: the native `lame` binary when it is installed (faster,
 * off the main thread), otherwise lamejs, or whichever the config insists on.
 */
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Encoder, EncoderFactory } from './encoder.js';
import { findLameBinary } from './find-lame-binary.js';
import { LameBinaryEncoder } from './lame-binary-encoder.js';
import { LameJsEncoder } from './lamejs-encoder.js';
import { checkMp3Options, type Mp3Options } from '../config/mp3-params.js';

const log = logger('create-mp3-encoder');

/** Which MP3 encoder to use: `auto` = the binary when found, else lamejs. */
export type Mp3EncoderPreference = 'auto' | 'lamejs' | 'lame';

/** Options of {@link createMp3Encoder}. */
export interface CreateMp3EncoderOptions extends Mp3Options {
  prefer?: Mp3EncoderPreference;
  /**
   * Called once if the `lame` child fails (see {@link LameBinaryEncoder}); the caller then
   * replaces the encoder, typically with `createMp3Encoder({ ...options, prefer: 'lamejs' })`.
   */
  onError?: (error: WavecastError) => void;
  /** The `lame` child's PCM is written in pieces of this many seconds (LameBinaryOptions.writeSeconds). @default 0 */
  lameWriteSeconds?: number;
}

/**
 * Creates an MP3 encoder.
 * @param options.sampleRate input rate; an MP3 rate (8000 … 48000 Hz).
 * @param options.channels 1 or 2.
 * @param [options.bitrate=128] constant bitrate in kbps, legal for the sample rate.
 * @param [options.prefer='auto'] `auto`: the `lame` binary when on PATH, else lamejs;
 *   `lame`: the binary or an error; `lamejs`: always lamejs.
 * @param [options.onError] the binary encoder's failure callback (unused by lamejs).
 * @throws WavecastError `WAVECAST_ERR_ENCODER` when `prefer` is `lame` and no binary is found;
 *   `WAVECAST_ERR_CONFIG` for bad MP3 options.
 *
 * @example
 * let encoder = createMp3Encoder({ sampleRate: 44100, channels: 2, onError: () => {
 *   encoder = createMp3Encoder({ sampleRate: 44100, channels: 2, prefer: 'lamejs' });
 * } });
 */
export function createMp3Encoder(options: CreateMp3EncoderOptions): Encoder {
  const { prefer = 'auto', onError, lameWriteSeconds, ...mp3 } = options;
  checkMp3Options(mp3); // a bad option is named before the binary question comes up
  if (prefer === 'lamejs') return new LameJsEncoder(mp3);
  const binaryPath = findLameBinary();
  if (binaryPath === undefined) {
    if (prefer === 'lame') {
      throw new WavecastError(
        'WAVECAST_ERR_ENCODER',
        'mp3 encoder "lame" requested but the `lame` binary was not found on PATH (install the Debian package `lame`)',
      );
    }
    log.info('`lame` binary not found on PATH; encoding MP3 with lamejs');
    return new LameJsEncoder(mp3);
  }
  return new LameBinaryEncoder({ ...mp3, binaryPath, onError, writeSeconds: lameWriteSeconds });
}

/**
 * The MP3 encoders a channel output tries in order (ChannelOutput's failover chain): the one
 * `prefer` picks, then lamejs if that was the `lame` child, so a dying child never stops the stream.
 */
export function mp3EncoderChain(options: Mp3Options & { prefer?: Mp3EncoderPreference; lameWriteSeconds?: number }): EncoderFactory[] {
  const { prefer = 'auto', lameWriteSeconds, ...mp3 } = options;
  const preferred: EncoderFactory = (onFailure) => createMp3Encoder({ ...mp3, prefer, lameWriteSeconds, onError: onFailure });
  const binary = prefer !== 'lamejs' && findLameBinary() !== undefined;
  return binary ? [preferred, () => new LameJsEncoder(mp3)] : [preferred];
}
