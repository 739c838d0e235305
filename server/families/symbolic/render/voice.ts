/**
 * What every instrument voice is: something that, given a note's times and level, builds and
 * schedules its Web Audio nodes into the render's graph. Voices are stateless; all per-render
 * things (the context, the noise, the piano samples, the track's outputs) come in a `VoiceKit`.
 */
import type { GainFactor, Seconds } from '../../../core/units.js';
import type { PianoSamples } from './piano-samples.js';

/** Per-render resources a voice plays into. */
export interface VoiceKit {
  readonly context: BaseAudioContext;
  /** One second of seeded white noise at the render's rate (loop it; vary the start offset). */
  readonly noise: AudioBuffer;
  /** The decoded piano; present when the render's instrument set has a sampled voice. */
  readonly piano: PianoSamples | null;
  /**
   * The track's input for a mono source at stereo position `pan` (−1 left … 1 right; a shared
   * constant-power panner per position in stereo renders), or for an already-stereo source with
   * `null` (the track's gain itself). In mono renders every position is the track's gain.
   */
  output(pan: number | null): AudioNode;
  /**
   * A node (or anything) shared by all notes of the track in this render, made by `create` on
   * first use: a fixed filter after per-note envelopes costs one node per render, not per note.
   */
  shared<T>(key: string, create: () => T): T;
}

/** One note as a voice sees it: exact times in seconds and a linear level. */
export interface VoiceNote {
  /** MIDI pitch (for drums, the General MIDI drum key). */
  readonly pitch: number;
  /** Onset: the attack lands on this time exactly. */
  readonly when: Seconds;
  /** Note-off: the release starts here (one-shot voices ignore it). */
  readonly off: Seconds;
  /** Level from velocity (see `velocityGain`), before the track's gain. */
  readonly gain: GainFactor;
}

export interface Voice {
  /** Shown in logs and instrument-set listings. */
  readonly name: string;
  /** True when the voice needs `VoiceKit.piano` (the renderer loads the samples first). */
  readonly sampled: boolean;
  /** Schedules the note; nodes end themselves (every source is stopped after its release). */
  play(kit: VoiceKit, note: VoiceNote): void;
}

/**
 * Level of a MIDI velocity: (v / 127)^1.5, so velocity 64 is about −9 dB under 127 and the groove
 * accents (70–104) span about 4 dB. Velocities outside 1–127 are clamped.
 */
export function velocityGain(velocity: number): GainFactor {
  return Math.pow(Math.min(127, Math.max(1, velocity)) / 127, 1.5);
}
