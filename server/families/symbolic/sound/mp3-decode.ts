/**
 * MP3 bytes → float PCM in the calling thread, with mpg123 compiled to wasm (`mpg123-decoder`).
 *
 * Why not Web Audio's decodeAudioData: this runs inside synth worker threads, which should not
 * start an audio context each. Decoding can stop after the first `maxFrames` frames, because a
 * sampled instrument keeps only the head of each recording (the Salamander samples ring up to
 * 26 s; the bank keeps 9 s at most), which also saves most of the decoding time.
 */
import { MPEGDecoder } from 'mpg123-decoder';
import { WavecastError } from '../../../core/errors.js';
import type { Hz, Samples } from '../../../core/units.js';

/**
 * Bytes handed to the decoder per call: about 1 s of a 128 kbit/s file, so decoding stops soon
 * after `maxFrames` while the cost per call stays negligible.
 */
const FEED_BYTES = 16384;

/** Decoded audio. */
export interface DecodedAudio {
  /** One array per channel, all of one length (mpg123 always gives two; a mono file's are equal). */
  readonly channels: Float32Array[];
  readonly sampleRate: Hz;
  /** False when decoding stopped at `maxFrames` with more of the file left. */
  readonly complete: boolean;
}

/**
 * Decodes `bytes` (MPEG layer I/II/III), or only its first `maxFrames` frames. mpg123's gapless
 * mode drops the encoder delay and padding that a LAME header declares.
 *
 * @param [maxFrames=Infinity] - frames to keep from the start; decoding stops once they are decoded
 * @throws WavecastError `WAVECAST_ERR_ENGINE` when a frame fails to decode or there is no audio
 * @example const { channels, sampleRate } = await decodeMp3(await readFile('A4v10.mp3'), 9 * 44100);
 */
export async function decodeMp3(bytes: Uint8Array, maxFrames: Samples = Infinity): Promise<DecodedAudio> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  const parts: Float32Array[][] = [];
  let decoded = 0;
  let sampleRate = 0;
  let offset = 0;
  try {
    for (; offset < bytes.length && decoded < maxFrames; offset += FEED_BYTES) {
      const result = decoder.decode(bytes.subarray(offset, offset + FEED_BYTES));
      const [error] = result.errors;
      if (error) throw new WavecastError('WAVECAST_ERR_ENGINE', `MP3 frame ${error.frameNumber} (byte ${error.inputBytes}) could not be decoded: ${error.message}`);
      if (result.samplesDecoded === 0) continue;
      // The arrays are the decoder's own copies, so keeping views of them is safe after free().
      parts.push(result.channelData.map((channel) => channel.subarray(0, result.samplesDecoded)));
      decoded += result.samplesDecoded;
      sampleRate = result.sampleRate;
    }
  } finally {
    decoder.free();
  }
  if (decoded === 0) throw new WavecastError('WAVECAST_ERR_ENGINE', 'no MPEG audio frames found');
  const kept = Math.min(decoded, maxFrames);
  const channels = parts[0].map((_, c) => {
    const channel = new Float32Array(kept);
    let at = 0;
    for (const part of parts) {
      if (at >= kept) break;
      const piece = part[c].subarray(0, kept - at);
      channel.set(piece, at);
      at += piece.length;
    }
    return channel;
  });
  return { channels, sampleRate, complete: offset >= bytes.length && decoded <= maxFrames };
}
