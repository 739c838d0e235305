/**
 * What a model family provides: the one interface between a family's folder and the rest of the
 * server. Inference asks it for the model's layout and forward pass, the stream asks it for a
 * Voice (model outputs → PCM), the station and the web edge ask it which settings it takes.
 * Nothing outside families/ branches on a family's name; it asks the family (registry.ts).
 *
 * To add a family: a folder beside waveform/ and symbolic/ with an object implementing `Family`,
 * listed in registry.ts. Nothing else changes.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { Hz, Seconds } from '../core/units.js';
import type { COMMON_MANIFEST_FIELDS, ModelInfo, ModelManifest, NamedWeights } from './model.js';

/** A family's manifest fields: the common ones, `family` as its name, and its own. */
type ManifestShape = typeof COMMON_MANIFEST_FIELDS & { family: z.ZodLiteral<string> };

export interface Family {
  /** The `family` field of manifest.json. */
  readonly name: string;
  /** manifest.json's schema: the common fields (model.ts), `family` as this name, and its own. */
  readonly manifestSchema: z.ZodObject<ManifestShape>;
  /** Weight names → shapes that a manifest implies, in file order. */
  weightShapes(manifest: ModelManifest): Map<string, number[]>;
  /** The architecture, as error messages name it ("WaveGAN d=32, latentDim=100"). */
  describeArchitecture(manifest: ModelManifest): string;
  /** What a loaded model of this family tells the stream engine. */
  modelInfo(manifest: ModelManifest): ModelInfo;
  /** The tfjs forward pass, imported only when a tfjs engine runs a model of this family. */
  loadTfjsForward(): Promise<TfjsForward>;
  /** The ONNX export the onnx engine runs; absent, its models run on tfjs whatever the engine setting. */
  readonly onnx?: OnnxExport;
  /** The channel settings this family reads (config fields, PATCH fields, panel sliders). */
  readonly settings: FamilySettings;
  /**
   * Builds the voice that turns this model's outputs into a channel's PCM.
   * @throws WavecastError WAVECAST_ERR_BAD_REQUEST naming the field, for a setting the model cannot play
   */
  createVoice(model: ModelInfo, options: VoiceOptions): Voice;
}

/** inputs [batch, model.inputSize] → outputs [batch, model.outputSize], with weights as tensors. */
export type TfjsForward = (weights: Record<string, tf.Tensor>, inputs: tf.Tensor2D, model: ModelInfo) => tf.Tensor2D;

export interface OnnxExport {
  /** Bumped when the graph changes, so an older export on disk is replaced. */
  readonly version: string;
  readonly inputName: string;
  readonly outputName: string;
  /** The model as ONNX bytes, from the checkpoint's weights. */
  export(manifest: ModelManifest, weights: NamedWeights): Uint8Array;
}

/** A slider's range, as the operator panel draws it. */
export interface ControlRange {
  min: number;
  max: number;
  step: number;
}

/** A setting's value in a channel's config, a PATCH body and the channel summary. */
export type SettingValue = string | number | Readonly<Record<string, number>>;

/** One choice of a picker: what is sent, and what the operator reads. */
export interface Choice {
  value: string | number;
  label: string;
}

export interface FamilySettings {
  /**
   * The channel settings this family reads, as zod fields with their defaults, written once here:
   * the config schema takes them as they are, PATCH without the defaults.
   */
  readonly fields: Readonly<Record<string, z.ZodType<SettingValue | undefined>>>;
  /** Slider ranges for the numeric ones (the panel shows these). */
  readonly controls: Readonly<Record<string, ControlRange>>;
  /** Picker choices by setting name, with names a person reads (`programs` lists programs for every track). */
  readonly choices: Readonly<Record<string, readonly Choice[]>>;
}

export interface VoiceOptions {
  /** The channel's id, for error messages. */
  channel: string;
  sampleRate: Hz;
  channels: 1 | 2;
  /** Overlap between consecutive clips, crossfaded with equal power. */
  crossfade: Seconds;
  /** Every setting the channel has now; the family reads its own. */
  settings: Readonly<Record<string, SettingValue | undefined>>;
  /** Settings just asked for: one the model cannot play is refused, not replaced by its default. */
  asked: ReadonlySet<string>;
  /** Stream frame where the voice's first audio starts. */
  firstFrame: number;
  /** The voice it replaces, if any (a family may carry state on, such as the notes played). */
  previous?: Voice;
  /** Bars of notes a voice keeps for the MIDI export. */
  historyBars: number;
  /** The longest rest, in beats, a phrase of notes may hold before the voice refuses it (server.maxRest). */
  maxRest: number;
  /** Worker threads a family may render on, off the event loop (server.renderThreads). */
  renderThreads: number;
}

/** What a channel summary shows of a voice (web/wire.ts describes the JSON). */
export interface VoiceSummary {
  /** What plays the sound now: an instrument set, or the model's own sound. */
  instrument: string;
  /** What the channel can switch `instrument` to. */
  instruments: string[];
  /** The family's settings as they are now, and their choices (flattened into the summary). */
  [field: string]: SettingValue | string[] | null | undefined;
}

/** Bars played, as a MIDI file. */
export interface MidiExport {
  bytes: Uint8Array;
  /** Bars it holds. */
  bars: number;
}

/** A family's way of making PCM from its model's outputs, for one channel. */
export interface Voice {
  /**
   * The settings it plays with, resolved (a style the model knows, …); the channel keeps these.
   * A setting it cleared is present as undefined.
   */
  readonly settings: Readonly<Record<string, SettingValue | undefined>>;
  /** The sound, as the stream title says it ("cafe on piano, 88 bpm", "drums"). */
  readonly description: string;
  /** What it plays; `heardFrame` is the stream frame listeners hear now (the audio after it is generated ahead). */
  summary(heardFrame: number): VoiceSummary;
  /** The model input for latent `z` (z, plus the family's conditioning). */
  input(z: Float32Array): Float32Array;
  /**
   * Why `output` should not be played and the model asked again (a phrase of notes that rests
   * where music does not), or undefined to play it. Asked before `play`, without changing what the
   * voice plays next. Absent: every output plays.
   */
  refuse?(output: Float32Array): string | undefined;
  /** One model output as interleaved PCM at the channel's format, yielded as it is ready. */
  play(output: Float32Array): Iterable<Float32Array> | AsyncIterable<Float32Array>;
  /**
   * The last `bars` bars that started before stream frame `beforeFrame` (fewer if fewer played),
   * as a MIDI file; undefined when none has. Absent: the family plays no notes.
   */
  midi?(bars: number, beforeFrame: number, name: string): MidiExport | undefined;
  /** Frees what it holds (a synth in a worker); called when a newer voice has taken over. */
  dispose?(): void;
}
