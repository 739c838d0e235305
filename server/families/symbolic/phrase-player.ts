/**
 * Plays a symbolic channel's phrases: the notes go to the channel's synth (one that runs
 * continuously, in a synth worker) at their exact sample positions on the channel's bar grid, and
 * the synth's output comes back bar by bar.
 *
 *   phrase notes ─ note on/off events at stream frames ─► synth (continuous: a note rings over a
 *   bar line, and a note tied into the next phrase is never struck again) ─▶ PCM, one bar at a time
 *
 * Bar k of the channel starts at frame round(k × barFrames) exactly, so the beat never drifts,
 * whatever the tempo. A note sounding to its phrase's end stays on until the next phrase says
 * whether it ties over (it goes on) or not (it is released at the bar line). The bars played are
 * kept (`history`) for the MIDI export, tied notes joined back into one.
 */
import type { Hz } from '../../core/units.js';
import { noteKey } from './phrase-decoder.js';
import { BARS_PER_PHRASE, STEPS_PER_BAR, STEPS_PER_PHRASE } from './piano-roll.js';
import { barSeconds, notesOfBar, stepSeconds, type Note } from './roll-notes.js';
import type { NoteEvent } from './sound/note-synth.js';

/** What renders the notes: a channel's synth (sound/synth-pool.ts RemoteSynth, or a NoteSynth in tests). */
export interface NoteRenderer {
  /** Queues `events` (frames counted from the renderer's start) and renders the next `frames` frames, interleaved. */
  render(events: readonly NoteEvent[], frames: number): Promise<Float32Array> | Float32Array;
}

/**
 * Bars kept beyond `historyBars`: the newest bars are generated ahead of the playout and not heard
 * yet, and the export counts only heard ones. At most 30 s ahead (`bufferAhead`'s limit) of 1.2 s
 * bars (200 bpm) plus the phrase being written: 29 bars.
 */
const AHEAD_BARS = 32;

export interface PhrasePlayerOptions {
  sampleRate: Hz;
  /** Quarter notes per minute. */
  bpm: number;
  synth: NoteRenderer;
  /** Bars kept for the MIDI export (the config's `server.midiBars.max`). */
  historyBars: number;
  /** Frame of the channel's stream where this player's first bar starts (the synth starts there too). @default 0 */
  firstFrame?: number;
  /** Bars an earlier player of the same channel played, kept on for the MIDI export. @default none */
  history?: readonly PlayedBar[];
}

/** What a phrase is, beyond its notes: shown in the channel summary and kept with each bar. */
export interface PhraseLabel {
  /** Semitones from C major the phrase was transposed by. */
  readonly key: number;
  /** Its section of the song form ('A', 'B'). */
  readonly section: string;
}

/** One bar as it was played. */
export interface PlayedBar extends PhraseLabel {
  /** Bars since the channel started. */
  readonly index: number;
  /** Frame of the channel's stream where the bar starts. */
  readonly startFrame: number;
  readonly bpm: number;
  /** Its notes, steps counted from the bar's start (a note may run into the next bars; tied notes are joined). */
  readonly notes: readonly Note[];
}

/** A note still sounding at the end of the last phrase: where it sits in the history. */
interface OpenNote {
  readonly bar: { notes: Note[] };
  readonly index: number;
}

export class PhrasePlayer {
  readonly sampleRate: Hz;
  readonly bpm: number;
  readonly historyBars: number;
  readonly #synth: NoteRenderer;
  readonly #firstFrame: number;
  readonly #history: Array<PlayedBar & { notes: Note[] }> = [];
  #open = new Map<string, OpenNote>();
  #bars = 0;
  /** Exact (fractional) frame where the next bar starts. */
  #nextBarStart: number;

  constructor(options: PhrasePlayerOptions) {
    this.sampleRate = options.sampleRate;
    this.bpm = options.bpm;
    this.historyBars = options.historyBars;
    this.#synth = options.synth;
    this.#firstFrame = options.firstFrame ?? 0;
    this.#nextBarStart = this.#firstFrame;
    this.#history.push(...(options.history ?? []).slice(-(this.historyBars + AHEAD_BARS)).map((bar) => ({ ...bar, notes: [...bar.notes] })));
    this.#bars = this.#history.length === 0 ? 0 : this.#history[this.#history.length - 1].index + 1;
  }

  /** The bars played so far (at most `historyBars` + AHEAD_BARS), oldest first. */
  get history(): readonly PlayedBar[] {
    return this.#history;
  }

  /**
   * Plays one phrase's notes (steps from the phrase start, as decoded and transposed) and yields
   * its bars as interleaved PCM, each as soon as it is ready.
   */
  async *play(notes: readonly Note[], label: PhraseLabel): AsyncGenerator<Float32Array> {
    const stepFrames = stepSeconds(this.bpm) * this.sampleRate;
    const tiedOver = new Set(notes.filter((n) => n.tiedIn && n.step === 0 && this.#open.has(noteKey(n))).map(noteKey));
    const open = this.#open;
    this.#open = new Map();
    for (let bar = 0; bar < BARS_PER_PHRASE; bar++) {
      const start = Math.round(this.#nextBarStart);
      this.#nextBarStart += barSeconds(this.bpm) * this.sampleRate;
      const frames = Math.round(this.#nextBarStart) - start;
      const origin = start - this.#firstFrame; // the synth counts from its own start
      const events: NoteEvent[] = [];
      const played: PlayedBar & { notes: Note[] } = { index: this.#bars++, startFrame: start, bpm: this.bpm, ...label, notes: [] };
      if (bar === 0) {
        // Notes left sounding by the last phrase that do not tie over end at this bar line.
        for (const [key, { bar: where, index }] of open) {
          if (!tiedOver.has(key)) events.push({ ...noteOf(where.notes[index]), frame: origin, velocity: 0 });
        }
      }
      for (const note of notesOfBar(notes, bar)) {
        const key = noteKey(note);
        const continued = bar === 0 && note.step === 0 && tiedOver.has(key) ? open.get(key) : undefined;
        const on = origin + Math.round(note.step * stepFrames);
        let where: OpenNote;
        if (continued) {
          // The note goes on: no attack; the history's note grows by the tied steps.
          const before = continued.bar.notes[continued.index];
          continued.bar.notes[continued.index] = { ...before, steps: before.steps + note.steps };
          where = continued;
        } else {
          events.push({ frame: on, track: note.track, pitch: note.pitch, velocity: note.velocity });
          const { tiedIn: _tied, ...struck } = note;
          where = { bar: played, index: played.notes.push(struck) - 1 };
        }
        // Drum hits are one-shots: the kit's samples end by themselves, as on a drum machine.
        if (note.track === 'drums') continue;
        const end = bar * STEPS_PER_BAR + note.step + Math.max(1, note.steps);
        if (end >= STEPS_PER_PHRASE) this.#open.set(key, where);
        else events.push({ frame: Math.max(on + 1, origin + Math.round((note.step + Math.max(1, note.steps)) * stepFrames)), track: note.track, pitch: note.pitch, velocity: 0 });
      }
      const pcm = await this.#synth.render(events, frames);
      this.#remember(played);
      yield pcm;
    }
  }

  #remember(bar: PlayedBar & { notes: Note[] }): void {
    this.#history.push(bar);
    if (this.#history.length > this.historyBars + AHEAD_BARS) this.#history.shift();
  }
}

function noteOf(note: Note): Pick<NoteEvent, 'track' | 'pitch'> {
  return { track: note.track, pitch: note.pitch };
}
