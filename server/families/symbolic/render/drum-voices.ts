/**
 * A synthesized drum kit for the 9 drum keys of the piano roll, each sound a few layers:
 *
 *     tone:  oscillator (pitch sweeps from → to) ──► gain (1 ms attack, exp. decay) ──────────────┐
 *     noise: looped white noise ──► gain (1 ms attack, exp. decay) ──► biquad (one per sound) ──┴─► panned track output
 *
 * Drums are one-shots: a hit rings its full decay whatever the note's length (the roll writes
 * every drum note one step long). Keys outside the kit are silent.
 */
import type { Hz, Seconds } from '../../../core/units.js';
import { scheduleEnvelope } from './envelope.js';
import type { Voice, VoiceKit, VoiceNote } from './voice.js';

/** An oscillator whose pitch sweeps exponentially from `from` to `to` in `sweep`. */
interface ToneLayer {
  readonly kind: 'tone';
  readonly type: OscillatorType;
  readonly from: Hz;
  readonly to: Hz;
  readonly sweep: Seconds;
  /** Time to fall to −60 dB. */
  readonly decay: Seconds;
  readonly level: number;
}

/** Filtered white noise. */
interface NoiseLayer {
  readonly kind: 'noise';
  readonly filter: BiquadFilterType;
  readonly frequency: Hz;
  readonly q: number;
  readonly decay: Seconds;
  readonly level: number;
}

interface DrumSound {
  readonly name: string;
  /** Stereo position, −1 left … 1 right (a drummer's kit seen from the audience, roughly). */
  readonly pan: number;
  readonly layers: readonly (ToneLayer | NoiseLayer)[];
}

const ATTACK: Seconds = 0.001;
const tone = (type: OscillatorType, from: Hz, to: Hz, sweep: Seconds, decay: Seconds, level: number): ToneLayer => ({ kind: 'tone', type, from, to, sweep, decay, level });
const noise = (filter: BiquadFilterType, frequency: Hz, q: number, decay: Seconds, level: number): NoiseLayer => ({ kind: 'noise', filter, frequency, q, decay, level });

/** The kit, by General MIDI drum key (the keys of `DRUM_PITCHES` in `piano-roll.ts`). */
export const DRUM_SOUNDS: Readonly<Record<number, DrumSound>> = {
  36: { name: 'kick', pan: 0, layers: [tone('sine', 150, 45, 0.09, 0.5, 1), noise('highpass', 2500, 0.7, 0.015, 0.2)] },
  38: { name: 'snare', pan: 0.05, layers: [tone('triangle', 190, 160, 0.04, 0.14, 0.5), noise('bandpass', 2200, 0.6, 0.24, 0.8)] },
  42: { name: 'closed hat', pan: 0.3, layers: [noise('highpass', 7500, 0.7, 0.07, 0.35)] },
  46: { name: 'open hat', pan: 0.3, layers: [noise('highpass', 7000, 0.7, 0.45, 0.3)] },
  45: { name: 'low tom', pan: 0.35, layers: [tone('sine', 135, 85, 0.14, 0.5, 0.8)] },
  48: { name: 'mid tom', pan: 0.1, layers: [tone('sine', 175, 115, 0.13, 0.42, 0.75)] },
  50: { name: 'high tom', pan: -0.2, layers: [tone('sine', 225, 150, 0.12, 0.36, 0.7)] },
  49: { name: 'crash', pan: -0.35, layers: [noise('highpass', 4500, 0.5, 1.8, 0.35)] },
  51: { name: 'ride', pan: 0.4, layers: [noise('bandpass', 7000, 1.2, 1.1, 0.3), tone('sine', 2650, 2650, 0, 0.7, 0.04)] },
};

/** The synthesized kit as one voice: the note's pitch picks the sound. */
export const synthDrumsVoice: Voice = {
  name: 'synth drums',
  sampled: false,
  play(kit: VoiceKit, note: VoiceNote): void {
    const sound = DRUM_SOUNDS[note.pitch];
    if (!sound) return;
    const output = kit.output(sound.pan);
    sound.layers.forEach((layer, index) => {
      if (layer.kind === 'tone') playTone(kit, layer, note, output);
      else playNoise(kit, layer, note, kit.shared(`drum ${note.pitch} filter ${index}`, () => noiseFilter(kit, layer, output)));
    });
  },
};

function playTone(kit: VoiceKit, layer: ToneLayer, note: VoiceNote, output: AudioNode): void {
  const oscillator = kit.context.createOscillator();
  oscillator.type = layer.type;
  oscillator.frequency.value = layer.from;
  if (layer.to !== layer.from) {
    oscillator.frequency.setValueAtTime(layer.from, note.when);
    oscillator.frequency.exponentialRampToValueAtTime(layer.to, note.when + layer.sweep);
  }
  const gain = kit.context.createGain();
  const end = scheduleEnvelope(gain.gain, { attack: ATTACK, decay: layer.decay, sustain: 0, release: 0 }, note.gain * layer.level, note.when, Infinity);
  oscillator.connect(gain).connect(output);
  oscillator.start(note.when);
  oscillator.stop(end);
}

/**
 * The fixed filter of a noise layer, shared by all its hits in a render: filtering after the
 * envelope is the same sound (both are linear and the filter does not change), one node instead
 * of one per hit (a biquad costs ~0.2 ms of JS-thread time to create).
 */
function noiseFilter(kit: VoiceKit, layer: NoiseLayer, output: AudioNode): AudioNode {
  const filter = kit.context.createBiquadFilter();
  filter.type = layer.filter;
  filter.frequency.value = layer.frequency;
  filter.Q.value = layer.q;
  filter.connect(output);
  return filter;
}

function playNoise(kit: VoiceKit, layer: NoiseLayer, note: VoiceNote, filter: AudioNode): void {
  const source = kit.context.createBufferSource();
  source.buffer = kit.noise;
  source.loop = true;
  const gain = kit.context.createGain();
  const end = scheduleEnvelope(gain.gain, { attack: ATTACK, decay: layer.decay, sustain: 0, release: 0 }, note.gain * layer.level, note.when, Infinity);
  source.connect(gain).connect(filter);
  // A different stretch of the noise per hit (from the onset, so renders stay reproducible).
  source.start(note.when, ((note.when * 7.919) % 1) * 0.5);
  source.stop(end);
}
