/**
 * Sends titles somewhere slow (Icecast's admin endpoint) one at a time, in order, and never piles
 * them up: while one is in flight only the newest waiting title is kept, so a burst of changes
 * ends with the last one sent, not with a queue of stale ones.
 */
export interface LatestTitleSenderOptions {
  /** Delivers one title; rejects when it did not go. */
  send: (title: string) => Promise<void>;
  /** Whether sending makes sense now (the connection is up); a title waiting when it is not is dropped. */
  active: () => boolean;
  /** Told of a title that did not go, with whether the reason is the same as the last one's. */
  onError: (error: Error, again: boolean) => void;
}

export class LatestTitleSender {
  readonly #options: LatestTitleSenderOptions;
  #pending: string | undefined;
  #sending = false;
  #lastError: string | undefined;

  constructor(options: LatestTitleSenderOptions) {
    this.#options = options;
  }

  /** Sends `title` after the one in flight, replacing any still waiting. */
  send(title: string): void {
    this.#pending = title;
    if (!this.#sending) void this.#drain();
  }

  /** Forgets a title still waiting (the connection it was for is gone). */
  clear(): void {
    this.#pending = undefined;
  }

  async #drain(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#pending !== undefined && this.#options.active()) {
        const title = this.#pending;
        this.#pending = undefined;
        try {
          await this.#options.send(title);
          this.#lastError = undefined;
        } catch (error) {
          // A title that did not go is not worth more than a log line: the next one may go.
          const why = (error as Error).message;
          this.#options.onError(error as Error, why === this.#lastError);
          this.#lastError = why;
        }
      }
    } finally {
      this.#sending = false;
    }
  }
}
