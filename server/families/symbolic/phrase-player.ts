/**
 * Plays a symbolic model's phrases as audio for one channel: the channel's tempo and instrument
 * set decide how the model's notes sound.
 *
 *   phrase probabilities ─ binarizeRoll ─ rollToNotes ─┬─ bar 0 ─ renderNotes ─┐
 *                                                      ├─ bar 1 ─ renderNotes ─┤
 *                                                      ├─ …                    ├─ OverlapAdd ─ Limiter ─▶ PCM, one bar at a time
 *
 * Each bar is rendered with the notes that start in it, at their full length plus release, and
 * the tails overlap-add into the bars after. Bar k of the channel starts at frame
 * round(k × barFrames) exactly, so the beat never drifts, whatever the tempo.
 *
 * The notes of the bars played are kept (`history`) for the MIDI export.
 */
import { Limiter } from '../../dsp/limiter.js';
import { OverlapAdd } from '../../dsp/overlap-add.js';
import type { GainFactor, Hz, Seconds } from '../../core/units.js';
import { binarizeRoll, BARS_PER_PHRASE, STEPS_PER_BAR, assertPhrase } from './piano-roll.js';
import { renderNotes, type InstrumentSetName } from './render/index.js';
import { barSeconds, notesOfBar, rollToNotes, stepSeconds, type Note } from './roll-notes.js';

export interface PhrasePlayerOptions {
  sampleRate: Hz;
  channels: 1 | 2;
  /** Quarter notes per minute. */
  bpm: number;
  instrumentSet: InstrumentSetName;
  /** Level on top of the instrument set's own. @default 1 */
  gain?: GainFactor;
  /** Probability above which a cell is a note. @default 0.5 */
  threshold?: number;
  /** Time each bar's render runs on past its last note-off, for releases. @default 1.5 */
  tail?: Seconds;
  /** Bars kept for the MIDI export (the config's `server.midiBars.max`). */
  historyBars: number;
  /** Frame of the channel's stream where this player's first bar starts. @default 0 */
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
  readonly channels: 1 | 2;
  bpm: number;
  instrumentSet: InstrumentSetName;
  gain: GainFactor;
  readonly threshold: number;
  readonly tail: Seconds;
  readonly historyBars: number;
  readonly #overlap: OverlapAdd;
  readonly #limiter: Limiter;
  readonly #history: PlayedBar[] = [];
  #bars = 0;
  /** Exact (fractional) frame where the next bar starts. */
  #nextBarStart = 0;

  /**
   * @param [options.gain=1] level on top of the instrument set's
   * @param [options.threshold=0.5] note threshold on the model's probabilities
   * @param [options.tail=1.5] seconds rendered past each bar's last note-off
   * @param options.historyBars bars kept for the MIDI export
   * @param [options.firstFrame=0] stream frame of the first bar
   * @param [options.history=none] bars played before this player took over
   */
  constructor(options: PhrasePlayerOptions) {
    this.sampleRate = options.sampleRate;
    this.channels = options.channels;
    this.bpm = options.bpm;
    this.instrumentSet = options.instrumentSet;
    this.gain = options.gain ?? 1;
    this.threshold = options.threshold ?? 0.5;
    this.tail = options.tail ?? 1.5;
    this.historyBars = options.historyBars;
    this.#nextBarStart = options.firstFrame ?? 0;
    this.#history.push(...(options.history ?? []).slice(-this.historyBars));
    this.#bars = this.#history.length === 0 ? 0 : this.#history[this.#history.length - 1].index + 1;
    this.#overlap = new OverlapAdd(this.channels);
    this.#limiter = new Limiter({ sampleRate: this.sampleRate, channels: this.channels });
  }

  /** The bars played so far (at most `historyBars`), oldest first. */
  get history(): readonly PlayedBar[] {
    return this.#history;
  }

  /**
   * Renders one phrase (model probabilities) and yields its bars as interleaved PCM, each as soon
   * as it is rendered. Rendering runs off the JS thread (node-web-audio-api).
   */
  async *play(phrase: Float32Array): AsyncGenerator<Float32Array> {
    assertPhrase(phrase);
    const notes = rollToNotes(binarizeRoll(phrase, this.threshold));
    for (let bar = 0; bar < BARS_PER_PHRASE; bar++) {
      const { bpm, sampleRate } = this;
      const barNotes = notesOfBar(notes, bar);
      const start = Math.round(this.#nextBarStart);
      this.#nextBarStart += barSeconds(bpm) * sampleRate;
      const frames = Math.round(this.#nextBarStart) - start;
      const lastOff = barNotes.reduce((end, n) => Math.max(end, n.step + n.steps), STEPS_PER_BAR);
      const length = Math.ceil((lastOff * stepSeconds(bpm) + this.tail) * sampleRate);
      const render = await renderNotes(barNotes, { bpm, sampleRate, channels: this.channels, instrumentSet: this.instrumentSet, length, gain: this.gain });
      this.#overlap.add(render);
      const out = this.#overlap.take(frames);
      this.#limiter.processInto(out, out, 0);
      this.#remember({ index: this.#bars++, startFrame: start, bpm, notes: barNotes });
      yield out;
    }
  }

  #remember(bar: PlayedBar): void {
    this.#history.push(bar);
    if (this.#history.length > this.historyBars) this.#history.shift();
  }
}
