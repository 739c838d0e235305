/**
 * What an MP3 (MPEG layer III) stream can carry: the legal sample rates and, for each MPEG
 * version, the legal constant bitrates. Both encoders check their options here, so a bad value
 * fails at construction with the field named, not as a garbled stream later.
 */
import { WavecastError } from '../core/errors.js';
import type { Hz, Kbps } from '../core/units.js';

/** Sample rates of MPEG-1 (32–48 kHz), MPEG-2 (16–24 kHz) and MPEG-2.5 (8–12 kHz) layer III. */
export const MP3_LEGAL_SAMPLE_RATES: readonly Hz[] = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

const MPEG1_BITRATES: readonly Kbps[] = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_BITRATES: readonly Kbps[] = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** The constant bitrates legal at `sampleRate` (MPEG-1 rates above 24 kHz, MPEG-2/2.5 below). */
export function mp3BitratesFor(sampleRate: Hz): readonly Kbps[] {
  return sampleRate >= 32000 ? MPEG1_BITRATES : MPEG2_BITRATES;
}

/** Options every MP3 encoder takes. */
export interface Mp3Options {
  /** Input and output sample rate; one of {@link MP3_LEGAL_SAMPLE_RATES}. */
  sampleRate: Hz;
  /** 1 = mono, 2 = stereo (joint stereo on the wire). */
  channels: 1 | 2;
  /** Constant bitrate; legal for the MPEG version that `sampleRate` selects. */
  bitrate?: Kbps;
}

/** The default constant bitrate. */
export const DEFAULT_MP3_BITRATE: Kbps = 128;

/**
 * Checks MP3 options and returns the bitrate to use.
 * @throws WavecastError `WAVECAST_ERR_CONFIG` naming `sampleRate`, `channels` or `bitrate`.
 */
export function checkMp3Options(options: Mp3Options): Kbps {
  const { sampleRate, channels, bitrate = DEFAULT_MP3_BITRATE } = options;
  if (!MP3_LEGAL_SAMPLE_RATES.includes(sampleRate)) {
    throw new WavecastError(
      'WAVECAST_ERR_CONFIG',
      `sampleRate ${sampleRate} Hz is not an MP3 sample rate (one of ${MP3_LEGAL_SAMPLE_RATES.join(', ')})`,
    );
  }
  if (channels !== 1 && channels !== 2) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `channels must be 1 or 2, got ${String(channels)}`);
  }
  const legal = mp3BitratesFor(sampleRate);
  if (!legal.includes(bitrate)) {
    throw new WavecastError(
      'WAVECAST_ERR_CONFIG',
      `bitrate ${bitrate} kbps is not legal at ${sampleRate} Hz (one of ${legal.join(', ')})`,
    );
  }
  return bitrate;
}
