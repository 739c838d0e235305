/**
 * What the training report keeps of the generator every `--report-every` steps: spectrograms of
 * the clips a FIXED batch of latents makes (so the pictures show one sound evolving, not new
 * draws), how far their mean spectrum is from the real clips', and their level.
 */
import type { Decibels } from '../../../server/core/units.js';
import { heatmapPng } from './png-image.js';
import { spectralDistanceDb, spectrogram } from './spectrogram.js';

/** The generator at one step, as the report shows it. */
export interface ReportSnapshot {
  step: number;
  /** RMS difference of mean spectra, generated vs real (spectralDistanceDb). */
  spectralDistanceDb: Decibels;
  /** Mean level of the generated clips, dBFS RMS. */
  rmsDb: Decibels;
  /** One spectrogram per fixed latent, PNG as base64; dropped from older snapshots (thinSnapshots). */
  images?: string[];
}

/** Colour range of every spectrogram, so pictures of different steps compare. */
export const IMAGE_RANGE_DB: [Decibels, Decibels] = [-90, 0];

/** A spectrogram picture: time left to right, frequency bottom to top, PNG as base64. */
export function spectrogramImage(clip: Float32Array): string {
  const { frames, bins, db } = spectrogram(clip);
  // spectrogram() is frame-major; the picture wants one row per frequency bin.
  const byBin = new Float32Array(frames * bins);
  for (let f = 0; f < frames; f++) for (let k = 0; k < bins; k++) byBin[k * frames + f] = db[f * bins + k];
  return Buffer.from(heatmapPng(byBin, bins, frames, IMAGE_RANGE_DB)).toString('base64');
}

/** The snapshot of generated `clips` at `step`, measured against `real` clips. */
export function takeSnapshot(step: number, clips: readonly Float32Array[], real: readonly Float32Array[]): ReportSnapshot {
  let power = 0;
  let count = 0;
  for (const clip of clips) for (const v of clip) (power += v * v), count++;
  return {
    step,
    spectralDistanceDb: spectralDistanceDb(clips, real),
    rmsDb: 10 * Math.log10(power / Math.max(1, count) || 1e-10),
    images: clips.map(spectrogramImage),
  };
}

/**
 * Keeps the report small: when more than `max` snapshots have pictures, every other one between
 * the first and the last loses them (the figures stay), so the pictures stay spread over the run.
 */
export function thinSnapshots(snapshots: ReportSnapshot[], max: number): void {
  const pictured = snapshots.filter((s) => s.images);
  if (pictured.length <= max) return;
  for (let i = 1; i < pictured.length - 1; i += 2) delete pictured[i].images;
}
