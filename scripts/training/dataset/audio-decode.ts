/**
 * An audio file (WAV, MP3, Ogg, FLAC) → mono float PCM at the dataset's rate.
 *
 *   bytes ─► node-web-audio-api decodeAudioData, at the file's own rate (audio-sample-rate.ts)
 *         ─► average of the channels ─► resample (the caller's band-limited resampler) ─► mono
 *   failing that: ffmpeg, where installed (-ac 1 -ar rate, its own resampler)
 *
 * node-web-audio-api (Rust, prebuilt binaries, decodes with symphonia) is loaded through require
 * so its typings, which pull in the DOM library, stay out of the project's type check.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Hz } from '../../../server/core/units.js';
import { sniffSampleRate } from './audio-sample-rate.js';

/** Band-limited sample-rate conversion of a whole signal (the CLI passes server/dsp's Resampler). */
export type Resample = (signal: Float32Array, inputRate: Hz, outputRate: Hz) => Float32Array;

export interface DecodeOptions {
  /** The rate the samples come back at. */
  sampleRate: Hz;
  /**
   * Converts from the file's rate. Without it, the decoder converts (it aliases: see
   * audio-sample-rate.ts).
   */
  resample?: Resample;
  /** The ffmpeg command to fall back on, or null for none. @default 'ffmpeg' (when it runs) */
  ffmpeg?: string | null;
}

/** A decoded file. */
export interface DecodedAudio {
  /** Mono samples at the rate asked for. */
  samples: Float32Array;
  /** The file's own rate, where its header says. */
  sourceRate: Hz | undefined;
  /** Which decoder read it: `web-audio`, or `ffmpeg` when web audio could not. */
  decoder: 'web-audio' | 'ffmpeg';
  /**
   * Who converted the rate: nobody (the file had the rate asked for), the caller's `resample`, or
   * the decoder itself (no `resample`, a header without a rate, or a ratio `resample` refused).
   */
  resampledBy: 'none' | 'resampler' | 'decoder';
}

/** The range of rates a Web Audio context accepts. */
const CONTEXT_RATES = { min: 3000, max: 768000 } as const;

interface WebAudioBuffer {
  readonly numberOfChannels: number;
  readonly length: number;
  getChannelData(channel: number): Float32Array;
}
interface WebAudioContext {
  decodeAudioData(bytes: ArrayBuffer): Promise<WebAudioBuffer>;
}
type WebAudioModule = { OfflineAudioContext: new (options: { numberOfChannels: number; length: number; sampleRate: number }) => WebAudioContext };

let webAudio: WebAudioModule | undefined;
const contexts = new Map<number, WebAudioContext>();

/** A context decoding at `rate` (one per rate, reused: decoding does not render). */
function contextAt(rate: Hz): WebAudioContext {
  webAudio ??= createRequire(import.meta.url)('node-web-audio-api') as WebAudioModule;
  let context = contexts.get(rate);
  if (!context) contexts.set(rate, (context = new webAudio.OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: rate })));
  return context;
}

/**
 * Decodes `bytes` (read from `file`, which names it in errors and is what ffmpeg reads).
 *
 * @throws Error saying why each decoder failed
 */
export async function decodeAudioFile(file: string, bytes: Uint8Array, options: DecodeOptions): Promise<DecodedAudio> {
  const { sampleRate, resample } = options;
  const sourceRate = sniffSampleRate(bytes);
  let webAudioError: string;
  try {
    const ownRate = resample && sourceRate && sourceRate >= CONTEXT_RATES.min && sourceRate <= CONTEXT_RATES.max;
    if (!ownRate || sourceRate === sampleRate) {
      const samples = await decodeMonoWithWebAudio(bytes, sampleRate);
      return { samples, sourceRate, decoder: 'web-audio', resampledBy: sourceRate === sampleRate ? 'none' : 'decoder' };
    }
    const mono = await decodeMonoWithWebAudio(bytes, sourceRate);
    try {
      return { samples: resample(mono, sourceRate, sampleRate), sourceRate, decoder: 'web-audio', resampledBy: 'resampler' };
    } catch {
      // A ratio the resampler refuses (44056 Hz → 16 kHz reduces to terms over 4096): the decoder converts.
      return { samples: await decodeMonoWithWebAudio(bytes, sampleRate), sourceRate, decoder: 'web-audio', resampledBy: 'decoder' };
    }
  } catch (error) {
    webAudioError = (error as Error).message;
  }
  const ffmpeg = options.ffmpeg === undefined ? await defaultFfmpeg() : options.ffmpeg;
  if (!ffmpeg) throw new Error(`cannot decode: ${webAudioError} (and ffmpeg is not installed to try)`);
  try {
    return { samples: await decodeMonoWithFfmpeg(ffmpeg, file, sampleRate), sourceRate, decoder: 'ffmpeg', resampledBy: sourceRate === sampleRate ? 'none' : 'decoder' };
  } catch (error) {
    throw new Error(`cannot decode: ${webAudioError}; ffmpeg: ${(error as Error).message}`);
  }
}

async function decodeMonoWithWebAudio(bytes: Uint8Array, rate: Hz): Promise<Float32Array> {
  // decodeAudioData takes (and may detach) an ArrayBuffer of its own.
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const buffer = await contextAt(rate).decodeAudioData(copy);
  if (buffer.numberOfChannels === 1) return buffer.getChannelData(0).slice();
  const mono = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const channel = buffer.getChannelData(c);
    for (let i = 0; i < mono.length; i++) mono[i] += channel[i];
  }
  // The average, not the sum: a full-scale stereo file stays within [-1, 1].
  const scale = 1 / buffer.numberOfChannels;
  for (let i = 0; i < mono.length; i++) mono[i] *= scale;
  return mono;
}

let ffmpegProbe: Promise<string | null> | undefined;

/** 'ffmpeg' when `ffmpeg -version` runs, else null (asked once per process). */
function defaultFfmpeg(): Promise<string | null> {
  ffmpegProbe ??= new Promise((resolve) => {
    const child = spawn('ffmpeg', ['-version'], { stdio: 'ignore' });
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 ? 'ffmpeg' : null));
  });
  return ffmpegProbe;
}

/** ffmpeg's mono float32 output at `rate`. */
function decodeMonoWithFfmpeg(ffmpeg: string, file: string, rate: Hz): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const args = ['-nostdin', '-v', 'error', '-i', file, '-vn', '-ac', '1', '-ar', String(rate), '-f', 'f32le', '-'];
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(stderr.trim().split('\n').at(-1) || `exit code ${code}`));
      const bytes = Buffer.concat(chunks);
      if (bytes.length === 0) return reject(new Error('no audio stream'));
      const samples = new Float32Array(bytes.length >> 2);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readFloatLE(i * 4);
      resolve(samples);
    });
  });
}
