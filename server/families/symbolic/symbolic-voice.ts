/**
 * The symbolic family's voice. A SongSequencer walks the song form (section-plan.ts), so each
 * phrase the model writes is conditioned on the channel's style, its role in the song and the
 * phrase before; the model's output is decoded into notes (phrase-decoder.ts, with the thresholds
 * the trainer calibrated), moved to the section's key, and played by the channel's instrument
 * preset at its tempo on a synth that runs continuously in a synth worker (PhrasePlayer, sound/).
 * It keeps the bars it played for the MIDI export, carrying them, and the song's place, on from
 * the symbolic voice it replaces.
 */
import type { MidiExport, Voice, VoiceOptions, VoiceSummary } from '../family.js';
import type { ModelInfo } from '../model.js';
import { notesToMidi, type TempoChange } from './midi-file.js';
import { PhrasePlayer, type PlayedBar } from './phrase-player.js';
import { decodeFollowing, type DecodedPhrase, type Decoding } from './phrase-decoder.js';
import { PHRASE_VALUES, STEPS_PER_BAR, STEPS_PER_BEAT } from './piano-roll.js';
import { longestRest } from './phrase-rest.js';
import { transposeBy, type Note } from './roll-notes.js';
import { keyName } from './section-plan.js';
import { SongSequencer } from './song-sequencer.js';
import { INSTRUMENT_PRESET_NAMES, MELODIC_TRACKS, resolveSound } from './sound/instrument-presets.js';
import { sharedSynthPool, type RemoteSynth } from './sound/synth-pool.js';
import { asSymbolicManifest, symbolicDecoding, symbolicLayout } from './symbolic-manifest.js';
import { describeSwaps, resolveSymbolicSettings, type SymbolicVoiceSettings } from './symbolic-settings.js';

/** Semitones to move a phrase by to play it in `key`: the nearest way, −6…+5, so no track leaves its register. */
export function renderShift(key: number): number {
  return ((((key + 6) % 12) + 12) % 12) - 6;
}

export class SymbolicVoice implements Voice {
  readonly settings: Readonly<SymbolicVoiceSettings>;
  readonly description: string;
  readonly #styles: readonly string[];
  readonly #decoding: Decoding;
  readonly #synth: RemoteSynth;
  readonly #player: PhrasePlayer;
  readonly #sequencer: SongSequencer;
  /** The longest rest a phrase may hold (steps) before `refuse` asks for another. */
  readonly #maxRestSteps: number;
  /** The last phrase decoded (its notes may tie into the next). */
  #last: DecodedPhrase | undefined;

  /** @throws WavecastError WAVECAST_ERR_BAD_REQUEST (field `style`) for a style the model lacks */
  constructor(model: ModelInfo, options: VoiceOptions) {
    const manifest = asSymbolicManifest(model.manifest);
    const settings = resolveSymbolicSettings(manifest, options);
    this.settings = settings;
    this.#styles = manifest.styles;
    this.#decoding = symbolicDecoding(manifest);
    this.#maxRestSteps = Math.round(options.maxRest * STEPS_PER_BEAT);
    this.description = `${settings.style} on ${settings.instrument}${describeSwaps(settings)}, ${settings.tempo} bpm`;
    const previous = options.previous instanceof SymbolicVoice ? options.previous : undefined;
    this.#sequencer = new SongSequencer(symbolicLayout(manifest), settings.style, previous ? previous.#sequencer : undefined);
    const sound = resolveSound(settings.instrument, { programs: settings.programs, drumKit: settings.drumKit });
    this.#synth = sharedSynthPool(options.renderThreads).open({ sampleRate: options.sampleRate, channels: options.channels, sound });
    this.#player = new PhrasePlayer({
      sampleRate: options.sampleRate,
      bpm: settings.tempo,
      synth: this.#synth,
      firstFrame: options.firstFrame,
      history: previous?.barsBefore(options.firstFrame) ?? [],
      historyBars: options.historyBars,
    });
  }

  /** The section and key are those of the bar heard at `heardFrame`, not of the bars written ahead of it. */
  summary(heardFrame: number): VoiceSummary {
    const { style, instrument, tempo, density, drumKit } = this.settings;
    const sound = resolveSound(instrument, { programs: this.settings.programs, drumKit });
    const programs = Object.fromEntries(MELODIC_TRACKS.flatMap((track) => (sound[track] ? [[track, sound[track].program]] : [])));
    const playing = this.barsBefore(heardFrame).at(-1);
    return {
      instrument,
      instruments: [...INSTRUMENT_PRESET_NAMES],
      style,
      styles: [...this.#styles],
      tempo,
      density,
      programs,
      drumKit: sound.drums?.kit ?? null,
      section: playing?.section ?? null,
      key: playing ? keyName(playing.key) : null,
    };
  }

  input(z: Float32Array): Float32Array {
    return this.#sequencer.input(z);
  }

  /** A phrase resting longer than `maxRest` beats (decoded as `play` would decode it) is drawn again. */
  refuse(output: Float32Array): string | undefined {
    if (this.#sequencer.replaysNext) return undefined; // the song's earlier phrase plays, not this output
    const { key } = this.#sequencer.next;
    const decoded = decodeFollowing(output.subarray(0, PHRASE_VALUES), key, this.#last, this.#decoding, { density: this.settings.density });
    const rest = longestRest(decoded.notes);
    if (rest <= this.#maxRestSteps) return undefined;
    return `a phrase with ${decoded.notes.length} notes rests ${rest / STEPS_PER_BEAT} beats (at most ${this.#maxRestSteps / STEPS_PER_BEAT})`;
  }

  play(output: Float32Array): AsyncIterable<Float32Array> {
    const { plan, phrase } = this.#sequencer.accept(output);
    this.#last = decodeFollowing(phrase, plan.key, this.#last, this.#decoding, { density: this.settings.density });
    const notes = transposeBy(this.#last.notes, renderShift(plan.key));
    return this.#player.play(notes, { key: renderShift(plan.key), section: plan.section });
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
    const tempo: TempoChange[] = played.map((bar, i) => ({ step: i * STEPS_PER_BAR, bpm: bar.bpm })).filter((t, i, all) => i === 0 || t.bpm !== all[i - 1].bpm);
    const sound = resolveSound(this.settings.instrument, { programs: this.settings.programs, drumKit: this.settings.drumKit });
    const programs = Object.fromEntries(MELODIC_TRACKS.flatMap((track) => (sound[track] ? [[track, sound[track].program]] : [])));
    return { bytes: notesToMidi(notes, { tempo, name, programs }), bars: played.length };
  }

  dispose(): void {
    this.#synth.close();
  }
}
