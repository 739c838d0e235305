/**
 * What a channel's title says, frame by frame: an operator's change is announced at once, but
 * the title changes only on the stream frame where the new sound starts, so a listener's player
 * shows the new title exactly when they hear it.
 */
export class TitleSchedule {
  #current: string;
  #pending?: { frame: number; title: string };

  constructor(title: string) {
    this.#current = title;
  }

  /** The title of the audio released last. */
  get current(): string {
    return this.#current;
  }

  /** `title` takes over from stream frame `frame` on (a later call replaces a change not yet due). */
  change(frame: number, title: string): void {
    this.#pending = { frame, title };
  }

  /** The title of the audio that starts at stream frame `frame` (frames come in order). */
  at(frame: number): string {
    if (this.#pending && frame >= this.#pending.frame) {
      this.#current = this.#pending.title;
      this.#pending = undefined;
    }
    return this.#current;
  }
}
