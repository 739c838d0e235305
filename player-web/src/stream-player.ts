/**
 * Ordinary playback: the channel's MP3 stream in an <audio> element, which every browser plays
 * and buffers by itself (a few seconds behind live).
 */

export type StreamPlayerState = 'connecting' | 'playing' | 'buffering';

export interface StreamPlayerOptions {
  /** The channel's `stream` path, e.g. `/stream/lobby`. */
  streamPath: string;
  volume: number;
  onState(state: StreamPlayerState): void;
  /** Playback failed and has stopped; the message says why in the listener's words. */
  onError(message: string): void;
}

const MEDIA_ERRORS: Record<number, string> = {
  1: 'playback was aborted',
  2: 'the network dropped the stream',
  3: 'the browser could not decode the stream',
  4: 'the browser cannot play this stream',
};

export class StreamPlayer {
  readonly #audio: HTMLAudioElement;
  readonly #options: StreamPlayerOptions;
  readonly #listeners = new AbortController();

  /** Call from the tap's handler so the browser allows sound. `audio` is reused, never replaced. */
  constructor(audio: HTMLAudioElement, options: StreamPlayerOptions) {
    this.#audio = audio;
    this.#options = options;
    const { signal } = this.#listeners;
    audio.addEventListener('playing', () => options.onState('playing'), { signal });
    audio.addEventListener('waiting', () => options.onState('buffering'), { signal });
    audio.addEventListener(
      'error',
      () => this.#fail(MEDIA_ERRORS[audio.error?.code ?? 0] ?? `playback failed (${audio.error?.message ?? 'unknown error'})`),
      { signal },
    );
    audio.volume = options.volume;
    audio.src = options.streamPath;
    options.onState('connecting');
    audio.play().catch((error: DOMException) => {
      if (error.name === 'AbortError') return; // stop() was called before playback began
      this.#fail(error.name === 'NotAllowedError' ? 'the browser blocked sound; tap play again' : error.message);
    });
  }

  setVolume(volume: number): void {
    this.#audio.volume = volume;
  }

  /** Stops and closes the connection, so the server no longer counts a listener. */
  stop(): void {
    this.#listeners.abort();
    this.#audio.pause();
    this.#audio.removeAttribute('src');
    this.#audio.load();
  }

  #fail(message: string): void {
    this.stop();
    this.#options.onError(message);
  }
}
