/**
 * Units as types, as Tone.js does: a signature says what its numbers mean, and a mix-up
 * (samples passed where seconds are expected) reads wrong at the call site.
 * They are plain numbers at run time; the brand only exists for the reader and the checker.
 */

declare const unit: unique symbol;
type Unit<Name extends string> = number & { readonly [unit]?: Name };

/** A duration or time position in seconds. */
export type Seconds = Unit<'Seconds'>;
/** A count of sample frames (one frame = one sample per audio channel). */
export type Samples = Unit<'Samples'>;
/** A frequency or sample rate in hertz. */
export type Hz = Unit<'Hz'>;
/** A level in decibels (relative to full scale where it describes a signal level). */
export type Decibels = Unit<'Decibels'>;
/** Loudness in LUFS (ITU BS.1770 / EBU R128, K-weighted, relative to full scale); LU for differences. */
export type Lufs = Unit<'Lufs'>;
/** A linear amplitude factor (1 = unity gain). */
export type GainFactor = Unit<'GainFactor'>;
/** A bit rate in kilobits per second (MP3 bitrates are written this way). */
export type Kbps = Unit<'Kbps'>;

/** Converts a duration to a whole number of sample frames (rounded to the nearest frame). */
export function secondsToSamples(seconds: Seconds, sampleRate: Hz): Samples {
  return Math.round(seconds * sampleRate);
}

/** Converts a number of sample frames to seconds. */
export function samplesToSeconds(samples: Samples, sampleRate: Hz): Seconds {
  return samples / sampleRate;
}

/** Converts decibels to a linear gain factor. */
export function dbToGain(db: Decibels): GainFactor {
  return Math.pow(10, db / 20);
}
