/**
 * The soak's operator: every `everySeconds` a PATCH to the next channel, naming its own model
 * (which retunes it: a fresh voice, handed over with the usual crossfade) and a variation that
 * alternates, with the bearer token. Counts what the server answered.
 */
import type { Seconds } from '../../server/core/units.js';

export interface OperatorChangesOptions {
  url: string;
  token: string;
  /** The channels in turn, each with the model it plays. */
  channels: ReadonlyArray<{ id: string; model: string }>;
  everySeconds: Seconds;
}

export class OperatorChanges {
  changes = 0;
  failed: string[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: OperatorChangesOptions) {
    this.#timer = setInterval(() => {
      const change = this.#change(options, this.changes++);
      this.#pending.add(change);
      void change.finally(() => this.#pending.delete(change));
    }, options.everySeconds * 1000);
  }

  async #change(options: OperatorChangesOptions, n: number): Promise<void> {
    const channel = options.channels[n % options.channels.length];
    const variation = n % 2 === 0 ? 0.6 : 0.25;
    try {
      const response = await fetch(`${options.url}/api/channels/${channel.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: channel.model, variation }),
      });
      if (!response.ok) this.failed.push(`${channel.id}: ${response.status} ${await response.text()}`);
      else await response.arrayBuffer();
    } catch (error) {
      this.failed.push(`${channel.id}: ${(error as Error).message}`);
    }
  }

  /** Stops changing and waits for the changes under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#pending);
  }
}
