/**
 * Walks a channel through its songs (section-plan.ts), one phrase at a time: it builds the model
 * input for the next phrase (style, role, the code of the phrase before) and takes the model's
 * output back, replaying the phrase a role repeats instead when it has it. Both the stream
 * (symbolic-voice.ts) and the quality report use it, so the report judges the music as it is
 * played. No model here: the caller runs the model between `input` and `accept`.
 *
 *     input(z) ─▶ model ─▶ accept(output) ─▶ { plan, phrase probabilities, code }   (then decode)
 */
import { modelInput, type ModelLayout } from './model-input.js';
import { PHRASE_VALUES, type Style } from './piano-roll.js';
import { PHRASES_PER_SONG, planPhrase, type PhrasePlan } from './section-plan.js';

/** A phrase as it will be played. */
export interface SequencedPhrase {
  readonly plan: PhrasePlan;
  /** The phrase's probabilities (piano-roll.ts): the model's output, or the earlier phrase it replays. */
  readonly phrase: Float32Array;
  /** Its code: what the next phrase is conditioned on. */
  readonly code: Float32Array;
}

export class SongSequencer {
  readonly layout: ModelLayout;
  readonly style: Style;
  #next: number;
  #previousCode: Float32Array | undefined;
  /** This song's phrases so far, by role (the ones later roles replay). */
  #song = new Map<number, SequencedPhrase>();

  /**
   * @param from the sequencer of the voice this one replaces: the form goes on where it was (a new
   *   style starts a new song at the next phrase; another model's codes are not carried over)
   */
  constructor(layout: ModelLayout, style: Style, from?: SongSequencer) {
    this.layout = layout;
    this.style = style;
    this.#next = 0;
    if (!from) return;
    if (from.style !== style) {
      this.#next = Math.ceil(from.#next / PHRASES_PER_SONG) * PHRASES_PER_SONG;
    } else {
      this.#next = from.#next;
      this.#song = new Map(from.#song);
    }
    if (from.layout.codeDim === layout.codeDim && from.layout.latentDim === layout.latentDim) this.#previousCode = from.#previousCode;
  }

  /** The plan of the phrase `input` asks for next. */
  get next(): PhrasePlan {
    return planPhrase(this.#next);
  }

  /** The model input for the next phrase, from latent `z`. */
  input(z: Float32Array): Float32Array {
    return modelInput(this.layout, z, this.style, this.next.role, this.#previousCode);
  }

  /** True when the next phrase replays one this song already has: the model's output for it is not played. */
  get replaysNext(): boolean {
    const plan = this.next;
    return plan.role !== 0 && plan.replays !== undefined && this.#song.has(plan.replays);
  }

  /** Takes the model's output for the phrase asked for; returns the phrase to play (maybe a replay). */
  accept(output: Float32Array): SequencedPhrase {
    if (output.length !== PHRASE_VALUES + this.layout.codeDim) {
      throw new RangeError(`a symbolic model output has ${PHRASE_VALUES + this.layout.codeDim} values, got ${output.length}`);
    }
    const plan = this.next;
    if (plan.role === 0) this.#song.clear();
    const replayed = plan.replays === undefined ? undefined : this.#song.get(plan.replays);
    const played: SequencedPhrase = replayed
      ? { plan, phrase: replayed.phrase, code: replayed.code }
      : { plan, phrase: output.slice(0, PHRASE_VALUES), code: output.slice(PHRASE_VALUES) };
    this.#song.set(plan.role, played);
    this.#previousCode = played.code;
    this.#next++;
    return played;
  }
}
