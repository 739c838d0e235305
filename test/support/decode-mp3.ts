/**
 * Decodes MP3 bytes with mpg123 (compiled to wasm, from npm) so tests can check what a listener
 * really hears: duration, continuity, content.
 */
import { MPEGDecoder } from 'mpg123-decoder';

export interface DecodedMp3 {
  /** Left channel (or the only one). */
  samples: Float32Array;
  /** Both channels interleaved (the only one for mono), for loudness measurement. */
  interleaved: Float32Array;
  sampleRate: number;
  channels: number;
  seconds: number;
  /** Frames mpg123 could not decode. */
  errors: number;
}

export async function decodeMp3(bytes: Uint8Array): Promise<DecodedMp3> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  const parts: Float32Array[] = [];
  const frames: Float32Array[] = [];
  let sampleRate = 0;
  let channels = 0;
  let errors = 0;
  try {
    // Feed in slices: the wasm decoder's input buffer is bounded.
    for (let offset = 0; offset < bytes.length; offset += 16384) {
      const result = decoder.decode(bytes.subarray(offset, offset + 16384));
      if (result.samplesDecoded > 0) {
        parts.push(result.channelData[0].slice(0, result.samplesDecoded));
        sampleRate = result.sampleRate;
        channels = result.channelData.length;
        const block = new Float32Array(result.samplesDecoded * channels);
        for (let i = 0; i < result.samplesDecoded; i++) for (let c = 0; c < channels; c++) block[i * channels + c] = result.channelData[c][i];
        frames.push(block);
      }
      errors += result.errors.length;
    }
  } finally {
    decoder.free();
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const samples = new Float32Array(total);
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  const interleaved = new Float32Array(total * Math.max(1, channels));
  at = 0;
  for (const block of frames) {
    interleaved.set(block, at);
    at += block.length;
  }
  return { samples, interleaved, sampleRate, channels, seconds: sampleRate ? total / sampleRate : 0, errors };
}

/** Longest run of (near) digital silence, in seconds: a gap in the stream shows up here. */
export function longestSilence(samples: Float32Array, sampleRate: number, threshold = 1e-4): number {
  return silentStretch(samples, sampleRate, threshold).seconds;
}

/** The longest run of (near) digital silence and where it starts, in seconds, so a failure can say when it was. */
export function silentStretch(samples: Float32Array, sampleRate: number, threshold = 1e-4): { seconds: number; start: number } {
  let longest = 0;
  let end = 0;
  let run = 0;
  for (let i = 0; i < samples.length; i++) {
    run = Math.abs(samples[i]) < threshold ? run + 1 : 0;
    if (run > longest) {
      longest = run;
      end = i + 1;
    }
  }
  return { seconds: longest / sampleRate, start: (end - longest) / sampleRate };
}
