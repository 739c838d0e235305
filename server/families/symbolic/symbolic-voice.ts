/**
 * The symbolic family's voice: the model's phrases (piano-roll probabilities) become notes,
 * played by the channel's instrument preset at its tempo on a synth that runs continuously in a
 * synth worker (PhrasePlayer, sound/). It conditions the model on the channel's style and keeps
 * the notes it played for the MIDI export, carrying them on from the symbolic voice it replaces.
 */
import type { MidiExport, Voice, VoiceOptions, VoiceSummary } from '../family.js';
import type { ModelInfo } from '../model.js';
import { notesToMidi } from './midi-file.js';
import { PhrasePlayer, type PlayedBar } from './phrase-player.js';
import { conditionedInput, STEPS_PER_BAR } from './piano-roll.js';
import type { Note } from './roll-notes.js';
import { INSTRUMENT_PRESET_NAMES, MELODIC_TRACKS, resolveSound } from './sound/instrument-presets.js';
import { sharedSynthPool, type RemoteSynth } from './sound/synth-pool.js';
import { asSymbolicManifest } from './symbolic-manifest.js';
import { describeSwaps, resolveSymbolicSettings, type SymbolicVoiceSettings } from './symbolic-settings.js';

export class SymbolicVoice implements Voice {
  readonly settings: Readonly<SymbolicVoiceSettings>;
  readonly description: string;
  readonly #styles: readonly string[];
  readonly #synth: RemoteSynth;
  readonly #player: PhrasePlayer;

  /** @throws WavecastError WAVECAST_ERR_BAD_REQUEST (field `style`) for a style the model lacks */
  constructor(model: ModelInfo, options: VoiceOptions) {
    const manifest = asSymbolicManifest(model.manifest);
    const settings = resolveSymbolicSettings(manifest, options);
    this.settings = settings;
    this.#styles = manifest.styles;
    this.description = `${settings.style} on ${settings.instrument}${describeSwaps(settings)}, ${settings.tempo} bpm`;
    const previous = options.previous instanceof SymbolicVoice ? options.previous : undefined;
    const sound = resolveSound(settings.instrument, { programs: settings.programs, drumKit: settings.drumKit });
    this.#synth = sharedSynthPool(options.renderThreads).open({ sampleRate: options.sampleRate, channels: options.channels, sound });
    this.#player = new PhrasePlayer({
      sampleRate: options.sampleRate,
      bpm: settings.tempo,
      // Density 0.5 is the model's own 0.5 threshold; higher lets less certain notes play.
      threshold: 1 - settings.density,
      synth: this.#synth,
      firstFrame: options.firstFrame,
      history: previous?.barsBefore(options.firstFrame) ?? [],
      historyBars: options.historyBars,
    });
  }

  summary(): VoiceSummary {
    const { style, instrument, tempo, density, drumKit } = this.settings;
    const sound = resolveSound(instrument, { programs: this.settings.programs, drumKit });
    const programs = Object.fromEntries(MELODIC_TRACKS.flatMap((track) => (sound[track] ? [[track, sound[track].program]] : [])));
    return {
      instrument,
      instruments: [...INSTRUMENT_PRESET_NAMES],
      style,
      styles: [...this.#styles],
      tempo,
      density,
      programs,
      drumKit: sound.drums?.kit ?? null,
    };
  }

  input(z: Float32Array): Float32Array {
    return conditionedInput(z, this.settings.style);
  }

  play(phrase: Float32Array): AsyncIterable<Float32Array> {
    return this.#player.play(phrase);
  }

  /** The bars this voice (and those before it) started before stream frame `frame`, oldest first. */
  barsBefore(frame: number): PlayedBar[] {
    return this.#player.history.filter((bar) => bar.startFrame < frame);
  }

  midi(bars: number, beforeFrame: number, name: string): MidiExport | undefined {
    const played = this.barsBefore(beforeFrame).slice(-bars);
    if (played.length === 0) return undefined;
    // Bars laid end to end from bar 0; a note keeps its length, even past the last bar.
    const notes: Note[] = played.flatMap((bar, i) => bar.notes.map((note) => ({ ...note, step: note.step + i * STEPS_PER_BAR })));
    return { bytes: notesToMidi(notes, { bpm: played[played.length - 1].bpm, name }), bars: played.length };
  }

  dispose(): void {
    this.#synth.close();
  }
}
