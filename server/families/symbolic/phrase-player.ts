/**
 * Plays a symbolic model's phrases for one channel: the notes go to the channel's synth (one that
 * runs continuously, in a synth worker) at their exact sample positions on the channel's bar
 * grid, and the synth's output comes back bar by bar.
 *
 *   phrase probabilities ─ binarizeRoll ─ rollToNotes ─ note on/off events at stream frames
 *        ─► synth (continuous: a note may ring across a bar line, nothing restarts at the bar) ─▶ PCM, one bar at a time
 *
 * Bar k of the channel starts at frame round(k × barFrames) exactly, so the beat never drifts,
 * whatever the tempo. The notes of the bars played are kept (`history`) for the MIDI export.
 */
import type { Hz } from '../../core/units.js';
import { binarizeRoll, BARS_PER_PHRASE, assertPhrase } from './piano-roll.js';
import { barSeconds, notesOfBar, rollToNotes, stepSeconds, type Note } from './roll-notes.js';
import type { NoteEvent } from './sound/note-synth.js';

/** What renders the notes: a channel's synth (sound/synth-pool.ts RemoteSynth, or a NoteSynth in tests). */
export interface NoteRenderer {
  /** Queues `events` (frames counted from the renderer's start) and renders the next `frames` frames, interleaved. */
  render(events: readonly NoteEvent[], frames: number): Promise<Float32Array> | Float32Array;
}

export interface PhrasePlayerOptions {
  sampleRate: Hz;
  /** Quarter notes per minute. */
  bpm: number;
  /** Probability above which a cell is a note (0.5 is the model's own threshold). */
  threshold: number;
  synth: NoteRenderer;
  /** Bars kept for the MIDI export (the config's `server.midiBars.max`). */
  historyBars: number;
  /** Frame of the channel's stream where this player's first bar starts (the synth starts there too). @default 0 */
  firstFrame?: number;
  /** Bars an earlier player of the same channel played, kept on for the MIDI export. @default none */
  history?: readonly PlayedBar[];
}

/** One bar as it was played. */
export interface PlayedBar {
  /** Bars since the channel started. */
  readonly index: number;
  /** Frame of the channel's stream where the bar starts. */
  readonly startFrame: number;
  readonly bpm: number;
  /** Its notes, steps counted from the bar's start (a note may run into the next bars). */
  readonly notes: readonly Note[];
}

export class PhrasePlayer {
  readonly sampleRate: Hz;
  readonly bpm: number;
  readonly threshold: number;
  readonly historyBars: number;
  readonly #synth: NoteRenderer;
  readonly #firstFrame: number;
  readonly #history: PlayedBar[] = [];
  #bars = 0;
  /** Exact (fractional) frame where the next bar starts. */
  #nextBarStart: number;

  constructor(options: PhrasePlayerOptions) {
    this.sampleRate = options.sampleRate;
    this.bpm = options.bpm;
    this.threshold = options.threshold;
    this.historyBars = options.historyBars;
    this.#synth = options.synth;
    this.#firstFrame = options.firstFrame ?? 0;
    this.#nextBarStart = this.#firstFrame;
    this.#history.push(...(options.history ?? []).slice(-this.historyBars));
    this.#bars = this.#history.length === 0 ? 0 : this.#history[this.#history.length - 1].index + 1;
  }

  /** The bars played so far (at most `historyBars`), oldest first. */
  get history(): readonly PlayedBar[] {
    return this.#history;
  }

  /** Renders one phrase (model probabilities) and yields its bars as interleaved PCM, each as soon as it is ready. */
  async *play(phrase: Float32Array): AsyncGenerator<Float32Array> {
    assertPhrase(phrase);
    const notes = rollToNotes(binarizeRoll(phrase, this.threshold));
    const stepFrames = stepSeconds(this.bpm) * this.sampleRate;
    for (let bar = 0; bar < BARS_PER_PHRASE; bar++) {
      const start = Math.round(this.#nextBarStart);
      this.#nextBarStart += barSeconds(this.bpm) * this.sampleRate;
      const frames = Math.round(this.#nextBarStart) - start;
      const barNotes = notesOfBar(notes, bar);
      const origin = start - this.#firstFrame; // the synth counts from its own start
      const events: NoteEvent[] = [];
      for (const note of barNotes) {
        const on = origin + Math.round(note.step * stepFrames);
        events.push({ frame: on, track: note.track, pitch: note.pitch, velocity: note.velocity });
        // Drum hits are one-shots: the kit's samples end by themselves, as on a drum machine.
        if (note.track !== 'drums') {
          const off = origin + Math.round((note.step + Math.max(1, note.steps)) * stepFrames);
          events.push({ frame: Math.max(on + 1, off), track: note.track, pitch: note.pitch, velocity: 0 });
        }
      }
      const pcm = await this.#synth.render(events, frames);
      this.#remember({ index: this.#bars++, startFrame: start, bpm: this.bpm, notes: barNotes });
      yield pcm;
    }
  }

  #remember(bar: PlayedBar): void {
    this.#history.push(bar);
    if (this.#history.length > this.historyBars) this.#history.shift();
  }
}
