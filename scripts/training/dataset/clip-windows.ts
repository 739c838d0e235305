/**
 * A decoded recording cut into training clips: windows of `clipSamples` every `hop` samples,
 * windows quieter than a threshold skipped.
 *
 *     signal  |==================================================|
 *     windows [clip 0    ]
 *                  [clip 1    ]              hop < clipSamples: overlapping windows
 *                       [clip 2    ] …       the tail shorter than a clip is dropped,
 *                                            a whole file shorter than a clip is padded (padShort)
 */
import type { Decibels, Samples } from '../../../server/core/units.js';
import { rmsDbfs } from './clip-level.js';

export interface ClipWindowOptions {
  /** Samples per clip. */
  clipSamples: Samples;
  /** Samples from one window's start to the next. @default clipSamples (no overlap) */
  hop?: Samples;
  /** A window whose RMS is below this level (dBFS) is skipped. @default -50 */
  silenceDb?: Decibels;
  /**
   * A signal shorter than one clip (a one-shot sample) becomes one clip padded with silence, if it
   * is at least `minShortSamples` long. @default true
   */
  padShort?: boolean;
  /** Shortest signal padShort keeps. @default clipSamples / 8 */
  minShortSamples?: Samples;
}

/** Defaults of `cutClipWindows`, written once. */
export const CLIP_WINDOW_DEFAULTS = { silenceDb: -50 as Decibels, padShort: true, minShortFraction: 1 / 8 } as const;

/** The windows of one signal. */
export interface ClipWindows {
  /** The clips kept, each a new array of clipSamples. */
  clips: Float32Array[];
  /** Windows skipped as silent. */
  silent: number;
}

/**
 * Cuts `signal` into clips. The RMS is measured over the window's own samples (for a padded
 * short signal, over the signal, so a short hit is not judged by the silence added after it).
 *
 * @example cutClipWindows(mono, { clipSamples: 16384, hop: 8192, silenceDb: -50 })
 */
export function cutClipWindows(signal: Float32Array, options: ClipWindowOptions): ClipWindows {
  const { clipSamples } = options;
  const hop = options.hop ?? clipSamples;
  const silenceDb = options.silenceDb ?? CLIP_WINDOW_DEFAULTS.silenceDb;
  const padShort = options.padShort ?? CLIP_WINDOW_DEFAULTS.padShort;
  const minShort = options.minShortSamples ?? Math.ceil(clipSamples * CLIP_WINDOW_DEFAULTS.minShortFraction);
  if (!(Number.isInteger(clipSamples) && clipSamples >= 1)) throw new RangeError(`clipSamples must be a whole number ≥ 1, got ${clipSamples}`);
  if (!(Number.isInteger(hop) && hop >= 1)) throw new RangeError(`hop must be a whole number ≥ 1, got ${hop}`);
  const clips: Float32Array[] = [];
  let silent = 0;
  if (signal.length < clipSamples) {
    if (!padShort || signal.length < minShort || signal.length === 0) return { clips, silent };
    if (rmsDbfs(signal) < silenceDb) return { clips, silent: 1 };
    const clip = new Float32Array(clipSamples);
    clip.set(signal);
    return { clips: [clip], silent };
  }
  for (let start = 0; start + clipSamples <= signal.length; start += hop) {
    if (rmsDbfs(signal, start, start + clipSamples) < silenceDb) {
      silent++;
      continue;
    }
    clips.push(signal.slice(start, start + clipSamples));
  }
  return { clips, silent };
}
