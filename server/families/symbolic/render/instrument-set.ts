/**
 * Named instrument sets: which voice plays each track of the piano roll, and at what level.
 *
 *     set          drums          bass          chords
 *     piano        (silent)       piano         piano       the café default
 *     band         synth drums    synth bass    piano
 *     electronic   synth drums    synth bass    pad
 *
 * Track levels leave headroom: a dense bar (4-note chords on every beat, 8th-note bass, 16th hats,
 * loud accents) peaks around −6 dBFS, under the limiter's 0.98 ceiling with room to spare.
 */
import type { TrackName } from '../piano-roll.js';
import type { GainFactor } from '../../../core/units.js';
import { synthDrumsVoice } from './drum-voices.js';
import { pianoVoice } from './piano-voice.js';
import { padVoice, synthBassVoice } from './synth-voices.js';
import type { Voice } from './voice.js';

export const INSTRUMENT_SETS = ['piano', 'band', 'electronic'] as const;
export type InstrumentSetName = (typeof INSTRUMENT_SETS)[number];

/** A track's voice and level; `null` leaves the track silent. */
export type TrackInstrument = { readonly voice: Voice; readonly gain: GainFactor } | null;
export type InstrumentSet = Readonly<Record<TrackName, TrackInstrument>>;

const piano = (gain: GainFactor): TrackInstrument => ({ voice: pianoVoice, gain });

export const INSTRUMENTS: Readonly<Record<InstrumentSetName, InstrumentSet>> = {
  piano: { drums: null, bass: piano(0.8), chords: piano(0.62) },
  band: { drums: { voice: synthDrumsVoice, gain: 0.5 }, bass: { voice: synthBassVoice, gain: 0.2 }, chords: piano(0.55) },
  electronic: { drums: { voice: synthDrumsVoice, gain: 0.5 }, bass: { voice: synthBassVoice, gain: 0.2 }, chords: { voice: padVoice, gain: 0.22 } },
};

/** True when `name` is one of `INSTRUMENT_SETS` (for config and request validation). */
export function isInstrumentSetName(name: unknown): name is InstrumentSetName {
  return typeof name === 'string' && (INSTRUMENT_SETS as readonly string[]).includes(name);
}

/** True when any track of the set plays a sampled voice (the renderer then loads the piano). */
export function needsPianoSamples(set: InstrumentSet): boolean {
  return Object.values(set).some((instrument) => instrument?.voice.sampled === true);
}
