/**
 * A waveform dataset from a folder of the user's audio, searched recursively:
 *
 *   each file (sorted by path) ─► decode to mono at the dataset rate (audio-decode.ts)
 *     ─► windows, silent ones skipped (clip-windows.ts) ─► DatasetWriter (normalise, shards)
 *   then the held-out split by file and index.json
 *
 * A file that cannot be read or decoded is skipped with a warning naming it and why; the run
 * goes on.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Decibels, Hz, Samples, Seconds } from '../../../server/core/units.js';
import { decodeAudioFile, type Resample } from './audio-decode.js';
import { cutClipWindows } from './clip-windows.js';
import type { DatasetIndex, NormalizeMode } from './dataset-index.js';
import { DatasetWriter } from './dataset-writer.js';

/** File name endings read as audio (case-insensitive). */
export const AUDIO_EXTENSIONS = ['.wav', '.wave', '.mp3', '.ogg', '.oga', '.opus', '.flac'] as const;

export interface FolderDatasetOptions {
  /** The folder of audio files. */
  input: string;
  /** The dataset folder to write. */
  out: string;
  /** @default 16000 */
  sampleRate?: Hz;
  /** @default 16384 */
  clipSamples?: Samples;
  /** @default clipSamples */
  hop?: Samples;
  /** @default -50 */
  silenceDb?: Decibels;
  /** Keep files shorter than a clip as one padded clip. @default true */
  padShort?: boolean;
  /** 'peak' or 'none' (recordings have no velocity). @default 'peak' */
  normalize?: Exclude<NormalizeMode, 'velocity'>;
  /** @default 1024 */
  shardClips?: number;
  /** @default 0.1 */
  heldOutFraction?: number;
  /** @default 1 */
  seed?: number;
  /** Files larger than this are skipped (bytes). @default 1 GiB */
  maxFileBytes?: number;
  /** @default false */
  overwrite?: boolean;
  /** The band-limited resampler (see audio-decode.ts). */
  resample?: Resample;
  /** @default 'ffmpeg' when installed */
  ffmpeg?: string | null;
  /** Called after each file. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Called for each skipped file, with a message naming it. */
  warn?: (message: string) => void;
}

/** Defaults of `buildFolderDataset` written here (the rest are the writer's and the windows'). */
export const FOLDER_DATASET_DEFAULTS = { sampleRate: 16000 as Hz, clipSamples: 16384 as Samples, maxFileBytes: 2 ** 30 } as const;

/** What a folder run did. */
export interface FolderDatasetSummary {
  filesRead: number;
  filesSkipped: number;
  clipsKept: number;
  silentSkipped: number;
  /** Length of all decoded audio. */
  seconds: Seconds;
  /** Dataset size on disk. */
  bytes: number;
  /** Files decoded by ffmpeg because node-web-audio-api could not. */
  ffmpegFiles: number;
  /** Files whose rate node-web-audio-api converted (it aliases; see audio-sample-rate.ts). */
  decoderResampled: number;
  index: DatasetIndex;
}

/**
 * Builds the dataset.
 *
 * @throws Error when `input` is not a folder, holds no audio files, or no clip survives
 */
export async function buildFolderDataset(options: FolderDatasetOptions): Promise<FolderDatasetSummary> {
  const sampleRate = options.sampleRate ?? FOLDER_DATASET_DEFAULTS.sampleRate;
  const clipSamples = options.clipSamples ?? FOLDER_DATASET_DEFAULTS.clipSamples;
  const maxFileBytes = options.maxFileBytes ?? FOLDER_DATASET_DEFAULTS.maxFileBytes;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const files = await listAudioFiles(options.input);
  if (files.length === 0) throw new Error(`${options.input}: no audio files (${AUDIO_EXTENSIONS.join(', ')}) in it or below it`);
  const writer = await DatasetWriter.open({
    dir: options.out, sampleRate, clipSamples, shardClips: options.shardClips, normalize: options.normalize, overwrite: options.overwrite,
  });
  const decoded: { path: string; clips: number; seconds: number; decoder: string }[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let silentSkipped = 0;
  let seconds = 0;
  let ffmpegFiles = 0;
  let decoderResampled = 0;
  for (const [i, file] of files.entries()) {
    const name = path.relative(options.input, file);
    try {
      const { size } = await stat(file);
      if (size > maxFileBytes) throw new Error(`${size} bytes, over the ${maxFileBytes}-byte limit`);
      const audio = await decodeAudioFile(file, await readFile(file), { sampleRate, resample: options.resample, ffmpeg: options.ffmpeg });
      const windows = cutClipWindows(audio.samples, { clipSamples, hop: options.hop, silenceDb: options.silenceDb, padShort: options.padShort });
      for (const clip of windows.clips) await writer.add(clip, decoded.length);
      silentSkipped += windows.silent;
      seconds += audio.samples.length / sampleRate;
      if (audio.decoder === 'ffmpeg') ffmpegFiles++;
      if (audio.decoder === 'web-audio' && audio.resampledBy === 'decoder') decoderResampled++;
      const by = audio.decoder === 'ffmpeg' ? 'ffmpeg' : audio.resampledBy === 'resampler' ? 'the resampler' : 'the decoder';
      const decoder = audio.resampledBy === 'none' ? audio.decoder : `${audio.decoder}, ${audio.sourceRate ?? '?'} Hz resampled by ${by}`;
      decoded.push({ path: name, clips: windows.clips.length, seconds: Math.round((audio.samples.length / sampleRate) * 1000) / 1000, decoder });
    } catch (error) {
      const reason = (error as Error).message;
      skipped.push({ path: name, reason });
      warn(`skipped ${file}: ${reason}`);
    }
    options.onProgress?.(i + 1, files.length, name);
  }
  if (writer.clips === 0) {
    throw new Error(`${options.input}: no clips kept (${decoded.length} files decoded, ${skipped.length} skipped, ${silentSkipped} windows below the silence threshold)`);
  }
  const { index, bytes } = await writer.finish(
    { kind: 'folder', root: options.input, files: decoded, skipped },
    { fraction: options.heldOutFraction, seed: options.seed },
  );
  return {
    filesRead: decoded.length, filesSkipped: skipped.length, clipsKept: writer.clips, silentSkipped, seconds, bytes, ffmpegFiles, decoderResampled, index,
  };
}

/**
 * The audio files in `dir` and below, sorted by path, so a dataset's clip order does not depend on
 * the file system. Hidden files and folders (`.DS_Store`, `._x.wav` resource forks) are left out.
 */
export async function listAudioFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`${dir}: not a folder`);
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((entry.isFile() || entry.isSymbolicLink()) && AUDIO_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) found.push(full);
    }
  };
  await walk(dir);
  return found.sort();
}
