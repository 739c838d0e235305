/**
 * The panel's live view of one channel: the WebSocket feed as a monitor (not counted as a
 * listener, no burst) drawn as a spectrogram. The socket is open only while the card is on
 * screen and the tab visible: a stereo f32 feed is 350 kB/s, too much to spend on a phone's
 * radio for a picture nobody sees.
 */
import { openPcmSocket } from './pcm-socket.js';
import { Spectrogram } from './spectrogram.js';

export type MonitorState = 'off' | 'connecting' | 'live' | 'retrying';

/** Waits before reconnecting after the feed closed, doubling up to the last. */
const RETRY_DELAYS_MS = [1000, 2000, 5000, 10000];

export class MonitorFeed {
  readonly #wsPath: string;
  readonly #spectrogram: Spectrogram;
  readonly #onState: (state: MonitorState, detail?: string) => void;
  readonly #visibility: IntersectionObserver;
  #onScreen = false;
  #close?: () => void;
  #retries = 0;
  #retryTimer = 0;

  constructor(canvas: HTMLCanvasElement, wsPath: string, onState: (state: MonitorState, detail?: string) => void) {
    this.#wsPath = wsPath;
    this.#onState = onState;
    this.#spectrogram = new Spectrogram(canvas);
    this.#visibility = new IntersectionObserver((entries) => {
      this.#onScreen = entries.some((entry) => entry.isIntersecting);
      this.#update();
    });
    this.#visibility.observe(canvas);
    document.addEventListener('visibilitychange', this.#update);
  }

  dispose(): void {
    this.#visibility.disconnect();
    document.removeEventListener('visibilitychange', this.#update);
    this.#disconnect();
    this.#spectrogram.dispose();
  }

  #update = (): void => {
    const wanted = this.#onScreen && document.visibilityState === 'visible';
    if (wanted && !this.#close && !this.#retryTimer) this.#connect();
    if (!wanted) this.#disconnect();
  };

  #connect(): void {
    this.#onState('connecting');
    this.#close = openPcmSocket(
      this.#wsPath,
      { burstSeconds: 0, monitor: true },
      {
        header: (header) => {
          this.#retries = 0;
          this.#spectrogram.setFormat(header.sampleRate, header.channels);
          this.#spectrogram.start();
          this.#onState('live');
        },
        frame: (samples) => this.#spectrogram.push(samples),
        close: (code, reason) => {
          this.#close = undefined;
          this.#spectrogram.stop();
          const delay = RETRY_DELAYS_MS[Math.min(this.#retries++, RETRY_DELAYS_MS.length - 1)];
          this.#onState('retrying', `feed closed (${code}${reason ? `: ${reason}` : ''}); retrying in ${delay / 1000} s`);
          this.#retryTimer = window.setTimeout(() => {
            this.#retryTimer = 0;
            this.#update();
          }, delay);
        },
      },
    );
  }

  #disconnect(): void {
    window.clearTimeout(this.#retryTimer);
    this.#retryTimer = 0;
    this.#close?.();
    this.#close = undefined;
    this.#spectrogram.stop();
    this.#onState('off');
  }
}
