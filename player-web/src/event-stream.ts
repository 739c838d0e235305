/**
 * The /api/events Server-Sent Events stream: a `history` event on connect, then `state` once a
 * second and after every change. EventSource reconnects by itself; a reconnect brings a fresh
 * `history`, so a page that was asleep catches up without asking.
 */
import type { HistoryEvent, StateEvent } from '../../server/web/wire.js';

export interface EventHandlers {
  history?(event: HistoryEvent): void;
  state(event: StateEvent): void;
  /** Called with false when the stream drops and true when it is back. */
  connection?(connected: boolean): void;
}

/** Subscribes to /api/events; returns a function that unsubscribes. */
export function subscribeEvents(handlers: EventHandlers, path = '/api/events'): () => void {
  const source = new EventSource(path);
  const parse = <T>(message: MessageEvent<string>, name: string): T | undefined => {
    try {
      return JSON.parse(message.data) as T;
    } catch (error) {
      // One bad event should not stop the page; the next state event replaces it anyway.
      console.warn(`wavecast: ignored a ${name} event that is not JSON`, error);
      return undefined;
    }
  };
  source.addEventListener('open', () => handlers.connection?.(true));
  source.addEventListener('error', () => handlers.connection?.(false));
  source.addEventListener('history', (message) => {
    const event = parse<HistoryEvent>(message, 'history');
    if (event) handlers.history?.(event);
  });
  source.addEventListener('state', (message) => {
    const event = parse<StateEvent>(message, 'state');
    if (event) handlers.state(event);
  });
  return () => source.close();
}
