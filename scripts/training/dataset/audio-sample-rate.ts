/**
 * The sample rate an audio file was recorded at, read from its header (WAV, FLAC, Ogg Vorbis or
 * Opus, MP3), without decoding it.
 *
 * Why: Web Audio's decodeAudioData converts to its context's rate with a resampler that aliases
 * (a 12 kHz tone in a 44.1 kHz file decoded at 16 kHz comes back as a 4 kHz tone at −2 dB), so
 * audio-decode.ts decodes at the file's own rate and resamples with the project's band-limited
 * resampler. A wrong answer here costs quality, never correctness: the decoder converts to
 * whatever rate it is given, and the resampler takes it from there.
 */
import type { Hz } from '../../../server/core/units.js';

/** How far into an MP3 (after its ID3 tag) a frame header is looked for. */
const MP3_SYNC_SEARCH_BYTES = 65536;
/** Opus always decodes at 48 kHz, whatever the header's informational input rate says. */
const OPUS_RATE: Hz = 48000;

/** The file's sample rate, or undefined when the header is not one of these formats or is damaged. */
export function sniffSampleRate(bytes: Uint8Array): Hz | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number, length: number) => (at + length <= bytes.length ? String.fromCharCode(...bytes.subarray(at, at + length)) : '');
  const head = text(0, 4);
  if ((head === 'RIFF' || head === 'RF64') && text(8, 4) === 'WAVE') return wavRate(view, text);
  if (head === 'OggS') return oggRate(bytes, text);
  const afterTag = id3v2Length(bytes, text);
  if (text(afterTag, 4) === 'fLaC') return flacRate(bytes, afterTag + 4);
  return mp3Rate(bytes, afterTag);
}

/** Walks the RIFF chunks to `fmt `; its sample rate is 4 bytes into the chunk. */
function wavRate(view: DataView, text: (at: number, length: number) => string): Hz | undefined {
  for (let at = 12; at + 8 <= view.byteLength; ) {
    const size = view.getUint32(at + 4, true);
    if (text(at, 4) === 'fmt ') return at + 12 <= view.byteLength ? positive(view.getUint32(at + 12, true)) : undefined;
    at += 8 + size + (size % 2); // chunks are padded to an even length
  }
  return undefined;
}

/** STREAMINFO, always the first metadata block: the rate is 20 bits, 10 bytes into its data. */
function flacRate(bytes: Uint8Array, block: number): Hz | undefined {
  if ((bytes[block] & 0x7f) !== 0 || block + 4 + 13 > bytes.length) return undefined;
  const data = block + 4;
  return positive((bytes[data + 10] << 12) | (bytes[data + 11] << 4) | (bytes[data + 12] >> 4));
}

/** The first page's first packet: a Vorbis identification header or OpusHead. */
function oggRate(bytes: Uint8Array, text: (at: number, length: number) => string): Hz | undefined {
  if (bytes.length < 27) return undefined;
  const packet = 27 + bytes[26];
  if (bytes[packet] === 1 && text(packet + 1, 6) === 'vorbis' && packet + 16 <= bytes.length) {
    return positive(new DataView(bytes.buffer, bytes.byteOffset + packet + 12, 4).getUint32(0, true));
  }
  if (text(packet, 8) === 'OpusHead') return OPUS_RATE;
  return undefined;
}

/** Length of an ID3v2 tag at the start (0 when there is none): 10 bytes, a syncsafe size, a footer. */
function id3v2Length(bytes: Uint8Array, text: (at: number, length: number) => string): number {
  if (text(0, 3) !== 'ID3' || bytes.length < 10) return 0;
  const size = (bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9];
  return 10 + size + (bytes[5] & 0x10 ? 10 : 0);
}

/** The first plausible MPEG audio frame header: 11 sync bits, a known version, layer and rate. */
function mp3Rate(bytes: Uint8Array, from: number): Hz | undefined {
  const end = Math.min(bytes.length - 3, from + MP3_SYNC_SEARCH_BYTES);
  for (let at = from; at < end; at++) {
    if (bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) continue;
    const version = (bytes[at + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
    const layer = (bytes[at + 1] >> 1) & 3;
    const bitrate = bytes[at + 2] >> 4;
    const rate = (bytes[at + 2] >> 2) & 3;
    if (version === 1 || layer === 0 || bitrate === 15 || rate === 3) continue;
    const base = [44100, 48000, 32000][rate];
    return version === 3 ? base : version === 2 ? base / 2 : base / 4;
  }
  return undefined;
}

function positive(rate: number): Hz | undefined {
  return rate > 0 ? rate : undefined;
}
