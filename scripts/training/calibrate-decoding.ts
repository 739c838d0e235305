/**
 * Chooses the decoding thresholds that belong to a trained model (phrase-decoder.ts): per track,
 * the onset and hold thresholds whose decoded songs come closest to the training data on that
 * track's figures (onsets per bar, note lengths, re-strikes, ties, polyphony, …), with legato
 * on or off (an onset on a pitch already sounding continues it), drums with a bar gate or none
 * (a bar of fewer hits plays none); monophonic playing where the
 * data plays one note at a time. The model's own probabilities are sampled once
 * (sample-songs.ts); only the decoding is tried again, so a calibration costs seconds.
 *
 *     sampled phrases ─┬─ decode with (θ_onset, θ_hold, legato) per track ─ figures ─ distance to the data's ─┐
 *                      └──────────────────────────────── best per track ◀──────────────────────────────┘
 */
import type { Song } from '../../server/families/symbolic/note-sequence.js';
import type { Decoding, TrackDecoding } from '../../server/families/symbolic/phrase-decoder.js';
import { TRACK_NAMES, type Style, type TrackName } from '../../server/families/symbolic/piano-roll.js';
import type { SequencedPhrase } from '../../server/families/symbolic/song-sequencer.js';
import { measureListenerFigures, type ListenerMeasurement } from './metrics/listener-figures.js';
import { measureSongs, type MetricMeasurement } from './metrics/musegan-metrics.js';
import { decodeSongs } from './sample-songs.js';

export interface CalibrationOptions {
  /** Onset thresholds tried. @default 0.2, 0.25, … 0.95 */
  onsets?: readonly number[];
  /** Hold thresholds tried (at most the onset threshold: hysteresis). @default 0.1, 0.2, … 0.9 */
  holds?: readonly number[];
}

export interface Calibration {
  readonly decoding: Decoding;
  /** Per track, the summed relative distance of its figures to the data's at the chosen thresholds. */
  readonly distance: Readonly<Record<TrackName, number>>;
}

const steps = (from: number, to: number, by: number) => Array.from({ length: Math.round((to - from) / by) + 1 }, (_, i) => Math.round((from + i * by) * 1000) / 1000);

/** A track plays one note at a time in the data when at most 2 % of its sounding steps hold two. */
const MONOPHONIC_POLYPHONY = 1.02;
/** Bar gates tried on the drums: no gate, or a bar needs this many hits to play. */
const MIN_BAR_HITS = [0, 2, 3, 4, 6];

/**
 * The decoding whose songs come closest to `data`, track by track.
 * @param phrases sampled songs' phrases (sampleSongPhrases), with the style of each song in `styles`
 */
export function calibrateDecoding(phrases: readonly (readonly SequencedPhrase[])[], styles: readonly Style[], data: readonly Song[], options: CalibrationOptions = {}): Calibration {
  const { onsets = steps(0.2, 0.95, 0.05), holds = steps(0.1, 0.9, 0.1) } = options;
  const target = { listener: measureListenerFigures(data), musegan: measureSongs(data) };
  let decoding = Object.fromEntries(
    TRACK_NAMES.map((name) => {
      const figure = (what: string) => target.listener.figures[`${what}.${name}` as keyof ListenerMeasurement['figures']];
      const monophonic = name !== 'drums' && figure('polyphony') <= MONOPHONIC_POLYPHONY;
      return [name, { onset: 0.5, hold: 0.5, monophonic, legato: false }];
    }),
  ) as Record<TrackName, TrackDecoding>;
  const distance = {} as Record<TrackName, number>;
  for (const name of TRACK_NAMES) {
    let best = { distance: Infinity, rule: decoding[name] };
    // Drums try the bar gate (phrase-decoder.ts); pitched tracks legato on and off.
    const variants: Array<Partial<TrackDecoding>> = name === 'drums' ? MIN_BAR_HITS.map((minBarHits) => ({ minBarHits })) : [{ legato: false }, { legato: true }];
    for (const variant of variants) {
      for (const onset of onsets) {
        for (const hold of name === 'drums' ? [0.5] : holds.filter((h) => h <= onset)) {
          const rule = { ...decoding[name], onset, hold, ...variant };
          const songs = decodeSongs(phrases, styles, { ...decoding, [name]: rule }, [name]);
          const d = trackDistance(name, { listener: measureListenerFigures(songs), musegan: measureSongs(songs) }, target);
          if (d < best.distance) best = { distance: d, rule };
        }
      }
    }
    decoding = { ...decoding, [name]: best.rule };
    distance[name] = best.distance;
  }
  return { decoding, distance };
}

/**
 * How far a track's figures are from the data's: the sum over its figures of |g − d| / max(|d|, 0.1)
 * (the report's pass rule divides the same way), each capped at 2 so one undefined figure cannot
 * hide all the others.
 */
function trackDistance(name: TrackName, got: { listener: ListenerMeasurement; musegan: MetricMeasurement }, want: { listener: ListenerMeasurement; musegan: MetricMeasurement }): number {
  let total = 0;
  const add = (g: number, d: number) => (total += Math.min(2, Math.abs(g - d) / Math.max(Math.abs(d), 0.1)));
  for (const [figure, value] of Object.entries(want.listener.figures)) {
    if (figure.endsWith(`.${name}`)) add(got.listener.figures[figure as keyof ListenerMeasurement['figures']], value);
  }
  for (const [metric, value] of Object.entries(want.musegan.metrics)) {
    if (metric.endsWith(`.${name}`)) add(got.musegan.metrics[metric as keyof MetricMeasurement['metrics']], value);
  }
  return total;
}
