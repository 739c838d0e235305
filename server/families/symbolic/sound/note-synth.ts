/**
 * One channel's synthesizer: a spessasynth processor that runs continuously for as long as the
 * channel plays one sound, with notes scheduled at their exact sample positions. Nothing
 * restarts at a bar line: a note held across it keeps sounding, a release rings into the next
 * bar, and the reverb tail carries on. It runs inside a synth worker (synth-worker.ts).
 *
 *   note events (frame, track, pitch, velocity) ─► MIDI channel per track ─► spessasynth voices
 *        ─► reverb / chorus ─► stereo ─► × trim ─► interleaved PCM, `frames` at a time
 *
 * The events of one `render` call may lie beyond its frames (a note-off in the next bar): they
 * wait here, in order, until the render that covers them.
 */
import { SpessaSynthProcessor } from 'spessasynth_core';
import { WavecastError } from '../../../core/errors.js';
import { dbToGain, type Hz } from '../../../core/units.js';
import type { TrackName } from '../piano-roll.js';
import { banksOf, MELODIC_TRACKS, type ChannelSound } from './instrument-presets.js';
import { loadSoundBank, SOUND_BANKS, type SoundBankName } from './sound-banks.js';

/** A note starting (velocity 1–127) or ending (velocity 0) at `frame` frames after the synth started. */
export interface NoteEvent {
  frame: number;
  track: TrackName;
  pitch: number;
  velocity: number;
}

/** MIDI channel of each track; 9 is General MIDI's drum channel. */
const MIDI_CHANNEL: Readonly<Record<TrackName, number>> = { bass: 0, chords: 1, lead: 2, drums: 9 };
/** Each bank's bank-select number in the processor (its bank offset). */
const BANK_OFFSET: Readonly<Record<SoundBankName, number>> = Object.fromEntries(SOUND_BANKS.map((name, i) => [name, i * 8])) as Record<SoundBankName, number>;
/** Frames rendered per processor call (and the processor's buffer size). */
const BLOCK = 1024;
/**
 * spessasynth ramps a new voice's gain up across the whole call that starts it; the call after a
 * note-on is kept this short so the attack is not smeared (measured: 1024 frames moved a piano
 * attack from +1 ms to +5.4 ms and took 15 dB off its first 5 ms).
 */
const ATTACK_BLOCK = 128;
/** MIDI controllers used. */
const CC = { bankSelect: 0, volume: 7, pan: 10, reverb: 91, chorus: 93 } as const;

export interface NoteSynthOptions {
  sampleRate: Hz;
  channels: 1 | 2;
  sound: ChannelSound;
}

export class NoteSynth {
  readonly sampleRate: Hz;
  readonly channels: 1 | 2;
  readonly #processor: SpessaSynthProcessor;
  readonly #gain: number;
  #position = 0;
  #pending: NoteEvent[] = [];
  readonly #left = new Float32Array(BLOCK);
  readonly #right = new Float32Array(BLOCK);

  /** Loads the banks the sound needs (once per thread) and sets each track's program. */
  static async create(options: NoteSynthOptions): Promise<NoteSynth> {
    const banks = await Promise.all(banksOf(options.sound).map(async (name) => [name, await loadSoundBank(name)] as const));
    const processor = new SpessaSynthProcessor(options.sampleRate, { maxBufferSize: BLOCK, effectsEnabled: options.sound.reverb > 0 || options.sound.chorus > 0 });
    for (const [name, bank] of banks) processor.soundBankManager.addSoundBank(bank, name, BANK_OFFSET[name]);
    await processor.processorInitialized;
    return new NoteSynth(processor, options);
  }

  private constructor(processor: SpessaSynthProcessor, options: NoteSynthOptions) {
    this.sampleRate = options.sampleRate;
    this.channels = options.channels;
    this.#processor = processor;
    const { sound } = options;
    // The processor scales its output by SPESSASYNTH_GAIN_FACTOR; the preset's trim sets the level.
    this.#gain = dbToGain(sound.trim);
    processor.setSystemParameter('reverbGain', sound.reverb);
    processor.setSystemParameter('chorusGain', sound.chorus);
    for (const track of MELODIC_TRACKS) {
      const part = sound[track];
      if (!part) continue;
      const channel = MIDI_CHANNEL[track];
      processor.controllerChange(channel, CC.bankSelect, BANK_OFFSET[part.bank]);
      processor.programChange(channel, part.program);
      this.#mix(channel, part);
    }
    if (sound.drums) {
      processor.programChange(MIDI_CHANNEL.drums, sound.drums.kit);
      this.#mix(MIDI_CHANNEL.drums, sound.drums);
    }
  }

  #mix(channel: number, part: { volume: number; pan: number; reverb: number; chorus: number }): void {
    const p = this.#processor;
    p.controllerChange(channel, CC.volume, part.volume);
    p.controllerChange(channel, CC.pan, Math.round(64 + part.pan * 63));
    p.controllerChange(channel, CC.reverb, part.reverb);
    p.controllerChange(channel, CC.chorus, part.chorus);
  }

  /** Frames rendered since the synth started. */
  get position(): number {
    return this.#position;
  }

  /** Notes sounding now (voices, counting layers and release tails). */
  get voices(): number {
    return this.#processor.voiceCount;
  }

  /**
   * Queues `events` and renders the next `frames` frames as interleaved PCM. An event before the
   * current position plays at once; one after the rendered span waits for a later call.
   */
  render(events: readonly NoteEvent[], frames: number): Float32Array {
    if (!(Number.isInteger(frames) && frames >= 0)) throw new WavecastError('WAVECAST_ERR_ENGINE', `render frames must be a whole number ≥ 0, got ${frames}`);
    if (events.length > 0) {
      // Note-offs before note-ons at one frame, so a re-struck pitch ends before it starts again.
      this.#pending = [...this.#pending, ...events].sort((a, b) => a.frame - b.frame || a.velocity - b.velocity);
    }
    const out = new Float32Array(frames * this.channels);
    const end = this.#position + frames;
    let written = 0;
    while (this.#position < end) {
      let started = false;
      while (this.#pending.length > 0 && this.#pending[0].frame <= this.#position) started = this.#play(this.#pending.shift()!) || started;
      const next = this.#pending.length > 0 ? this.#pending[0].frame : Infinity;
      const count = Math.min(started ? ATTACK_BLOCK : BLOCK, end - this.#position, next - this.#position);
      this.#left.fill(0, 0, count);
      this.#right.fill(0, 0, count);
      this.#processor.process(this.#left, this.#right, 0, count);
      this.#interleave(out, written, count);
      written += count;
      this.#position += count;
    }
    return out;
  }

  /** Plays one event; true for a note-on. */
  #play(event: NoteEvent): boolean {
    const channel = MIDI_CHANNEL[event.track];
    if (event.velocity > 0) this.#processor.noteOn(channel, event.pitch, event.velocity);
    else this.#processor.noteOff(channel, event.pitch);
    return event.velocity > 0;
  }

  #interleave(out: Float32Array, at: number, count: number): void {
    const gain = this.#gain;
    if (this.channels === 2) {
      for (let i = 0; i < count; i++) {
        out[2 * (at + i)] = this.#left[i] * gain;
        out[2 * (at + i) + 1] = this.#right[i] * gain;
      }
    } else {
      for (let i = 0; i < count; i++) out[at + i] = 0.5 * (this.#left[i] + this.#right[i]) * gain;
    }
  }

  /** Stops every voice and frees the voice cache. */
  dispose(): void {
    // Not destroySynthProcessor(): it empties the sound banks, which every synth of this thread shares.
    this.#processor.stopAllChannels(true);
    this.#processor.clearCache();
    this.#pending = [];
  }
}
