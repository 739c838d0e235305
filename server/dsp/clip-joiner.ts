/**
 * Joins consecutive clips into one endless stream: each clip's last `overlap` samples are held
 * back and crossfaded (equal power) into the next clip's first `overlap` samples.
 *
 *   clip 1: |------ out ------|~~ held ~~|
 *   clip 2:                   |~~ fade ~~|------ out ------|~~ held ~~|
 *   clip 3:                                                |~~ fade ~~|--- …
 *
 * Every clip therefore adds exactly `clipLength − overlap` samples, the first one included.
 */
import { WavecastError } from '../core/errors.js';
import type { Samples } from '../core/units.js';
import { crossfadeInto } from './crossfade.js';
import { checkOption } from './option-check.js';

export interface ClipJoinerOptions {
  /** Samples shared by two consecutive clips (the crossfade length); 0 plainly concatenates. */
  overlap: Samples;
}

export class ClipJoiner {
  /** Samples shared by two consecutive clips. */
  readonly overlap: Samples;
  private readonly tail: Float32Array;
  private holding = false;

  /**
   * @param options.overlap - crossfade length in samples, a whole number ≥ 0
   */
  constructor(options: ClipJoinerOptions) {
    const { overlap } = options;
    checkOption(Number.isInteger(overlap) && overlap >= 0, 'ClipJoiner', 'overlap', overlap,
      'must be a whole number of samples ≥ 0');
    this.overlap = overlap;
    this.tail = new Float32Array(overlap);
  }

  /** Samples held back for the next join: `overlap` once a clip has arrived, else 0. */
  get pendingSamples(): Samples {
    return this.holding ? this.overlap : 0;
  }

  /** How many final samples `push` returns for a clip of `clipLength` samples. */
  outputLengthFor(clipLength: Samples): Samples {
    return clipLength - this.overlap;
  }

  /**
   * Takes the next (DC-removed) clip and returns the samples that are now final: for the first
   * clip all but its last `overlap` samples; for later ones the crossfade of the held tail into the
   * clip's head, then the clip's middle. The clip's last `overlap` samples are held for the next one.
   *
   * @param clip - mono samples, at least `2 × overlap` long
   * @param out - where to write; may be `clip` itself. A new array when left out.
   * @returns the `clip.length − overlap` final samples (a view of `out` when given)
   */
  push(clip: Float32Array, out?: Float32Array): Float32Array {
    const overlap = this.overlap;
    const length = clip.length;
    if (length < 2 * overlap) {
      throw new WavecastError(
        'WAVECAST_ERR_BAD_REQUEST',
        `ClipJoiner: a clip of ${length} samples is shorter than twice the overlap (${overlap} samples)`,
      );
    }
    const finalLength = length - overlap;
    const target = out ?? new Float32Array(finalLength);
    if (target.length < finalLength) {
      throw new WavecastError(
        'WAVECAST_ERR_BAD_REQUEST',
        `ClipJoiner: output holds ${target.length} samples, the clip needs ${finalLength}`,
      );
    }
    // Same indices in and out, and the new tail lies past everything written: `out` may be `clip`.
    if (this.holding) {
      crossfadeInto(target, 0, this.tail, clip, overlap);
      if (target !== clip) target.set(clip.subarray(overlap, finalLength), overlap);
    } else if (target !== clip) {
      target.set(clip.subarray(0, finalLength), 0);
    }
    this.tail.set(clip.subarray(finalLength));
    this.holding = true;
    return target.length === finalLength ? target : target.subarray(0, finalLength);
  }
}
