/**
 * One hit → one clip, rendered with the server's own synth (server/families/symbolic/sound:
 * spessasynth on the bundled SoundFonts and the Salamander piano), dry (no reverb or chorus), mono.
 *
 *   NoteSynth (fresh per hit: no tail of the last hit), at sampleRate × 2^(−detune/12), its
 *   samples taken as sampleRate ones (so the hit plays detune semitones higher, and shorter)
 *     ─► clip + onset search
 *     ─► cut so the attack sits `preRoll` after the clip's start ─► fade in to it, fade out the end
 *
 * Why align the onset: a sample's attack comes 1–11 ms after its note-on (the Salamander A0: 11 ms;
 * a violin's slow bow: 8 ms), and WaveGAN learns one-shots fastest when every clip starts alike.
 * A fresh NoteSynth costs about 4 ms; the banks load once per thread (the Salamander, ~0.8 s).
 */
import { secondsToSamples, type Hz, type Samples, type Seconds } from '../../../server/core/units.js';
import type { ChannelSound } from '../../../server/families/symbolic/sound/instrument-presets.js';
import { NoteSynth, type NoteEvent } from '../../../server/families/symbolic/sound/note-synth.js';
import type { OneShotHit } from './builtin-hits.js';

export interface OneShotRenderOptions {
  sampleRate: Hz;
  clipSamples: Samples;
  /** Move the attack to `preRoll` after the clip's start. @default true */
  alignOnset?: boolean;
  /** Kept before the attack (faded in). @default 0.001 */
  preRoll?: Seconds;
  /** Latest attack looked for (a later one is left where it is). @default 0.1 */
  maxOnset?: Seconds;
  /** Fade-out at the clip's end, so a cut ringing note does not click. @default 0.01 */
  endFade?: Seconds;
}

/** Defaults of `renderOneShot`, written once. */
export const ONE_SHOT_DEFAULTS = { alignOnset: true, preRoll: 0.001 as Seconds, maxOnset: 0.1 as Seconds, endFade: 0.01 as Seconds } as const;

/** The attack is the first sample at or above this fraction of the hit's peak (−20 dB). */
const ONSET_THRESHOLD = 0.1;
/** MIDI channel volume (CC 7) for every hit: full, so the quietest hits stay well above int16 rounding. */
const FULL_VOLUME = 127;

/** A rendered hit. */
export interface RenderedHit {
  clip: Float32Array;
  /** Sample of the clip where the attack (−20 dB of the peak) is; −1 for a silent clip. */
  onset: Samples;
}

/** Renders `hit` into a clip of `clipSamples`. */
export async function renderOneShot(hit: OneShotHit, options: OneShotRenderOptions): Promise<RenderedHit> {
  const { sampleRate, clipSamples } = options;
  const alignOnset = options.alignOnset ?? ONE_SHOT_DEFAULTS.alignOnset;
  const preRoll = secondsToSamples(options.preRoll ?? ONE_SHOT_DEFAULTS.preRoll, sampleRate);
  const search = alignOnset ? secondsToSamples(options.maxOnset ?? ONE_SHOT_DEFAULTS.maxOnset, sampleRate) : 0;
  const endFade = Math.min(clipSamples, secondsToSamples(options.endFade ?? ONE_SHOT_DEFAULTS.endFade, sampleRate));
  const renderRate = Math.round(sampleRate * 2 ** (-hit.detune / 12));
  const synth = await NoteSynth.create({ sampleRate: renderRate, channels: 1, sound: soundOf(hit) });
  let rendered: Float32Array;
  try {
    const track: NoteEvent['track'] = hit.channel === 'drums' ? 'drums' : 'lead';
    const events: NoteEvent[] = hit.pitches.map((pitch) => ({ frame: 0, track, pitch, velocity: hit.velocity }));
    if (hit.channel === 'melodic' && Number.isFinite(hit.hold)) {
      const off = Math.max(1, Math.round(hit.hold * clipSamples));
      if (off < clipSamples + search) events.push(...hit.pitches.map((pitch) => ({ frame: off, track, pitch, velocity: 0 })));
    }
    rendered = synth.render(events, clipSamples + search);
  } finally {
    synth.dispose();
  }
  const attack = onsetOf(rendered, rendered.length);
  const start = alignOnset && attack >= 0 && attack <= search ? Math.max(0, attack - preRoll) : 0;
  const clip = rendered.slice(start, start + clipSamples);
  if (start > 0) for (let i = 0; i < preRoll; i++) clip[i] *= i / preRoll;
  for (let i = 0; i < endFade; i++) clip[clipSamples - 1 - i] *= i / endFade;
  return { clip, onset: attack < 0 ? -1 : attack - start };
}

/** First sample at or above ONSET_THRESHOLD of the peak of `signal[0 … end)`; −1 when silent. */
export function onsetOf(signal: Float32Array, end: number): Samples {
  let peak = 0;
  for (let i = 0; i < end; i++) peak = Math.max(peak, Math.abs(signal[i]));
  if (peak === 0) return -1;
  const threshold = ONSET_THRESHOLD * peak;
  for (let i = 0; i < end; i++) if (Math.abs(signal[i]) >= threshold) return i;
  return -1;
}

/** The channel sound that plays `hit` alone: one part, dry, centred, unity trim. */
function soundOf(hit: OneShotHit): ChannelSound {
  const dry = { volume: FULL_VOLUME, pan: 0, reverb: 0, chorus: 0 };
  return {
    drums: hit.channel === 'drums' ? { kit: hit.program, ...dry } : null,
    bass: null,
    chords: null,
    lead: hit.channel === 'melodic' ? { bank: hit.bank, program: hit.program, ...dry } : null,
    reverb: 0,
    chorus: 0,
    trim: 0,
  };
}
