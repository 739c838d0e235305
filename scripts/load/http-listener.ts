/**
 * One MP3 listener of the load test: GET /stream/<channel> (with `Icy-MetaData: 1` when it plays
 * a player that asks for titles), counting the audio bytes at the stream's bitrate (`icy-br`),
 * the time to the first one and the silences between arrivals. It only counts: nothing is kept.
 */
import http from 'node:http';
import { ArrivalMeter } from './arrival-meter.js';
import { IcyAudioCounter } from './icy-audio-counter.js';
import type { ListenerResult } from './listener-result.js';

export interface HttpListenerOptions {
  /** The server, e.g. http://127.0.0.1:8000 */
  url: string;
  channel: string;
  icy: boolean;
  /** The loopback address to connect from; none: the system's choice. */
  localAddress?: string;
  stallMs: number;
  /** The window after the burst starts this long after the first audio byte (ms). */
  settleMs: number;
  agent: http.Agent;
}

export class HttpListener {
  readonly #options: HttpListenerOptions;
  readonly #meter: ArrivalMeter;
  readonly #request: http.ClientRequest;
  #counter = new IcyAudioCounter(undefined);
  #bytesPerSecond = 16_000;

  constructor(options: HttpListenerOptions) {
    this.#options = options;
    this.#meter = new ArrivalMeter(options);
    const headers = options.icy ? { 'icy-metadata': '1' } : {};
    this.#request = http.get(`${options.url}/stream/${options.channel}`, { agent: options.agent, headers, localAddress: options.localAddress }, (response) => {
      if (response.statusCode !== 200) {
        this.#meter.stop(`status ${response.statusCode}`);
        response.resume();
        return;
      }
      const metaint = Number(response.headers['icy-metaint']);
      this.#counter = new IcyAudioCounter(Number.isInteger(metaint) && metaint > 0 ? metaint : undefined);
      const kbps = Number(response.headers['icy-br']);
      if (kbps > 0) this.#bytesPerSecond = (kbps * 1000) / 8;
      response.on('data', (piece: Buffer) => this.#meter.arrived(performance.now(), this.#counter.push(piece) / this.#bytesPerSecond));
      response.on('end', () => this.#meter.stop('the stream ended'));
      response.on('error', (error) => this.#meter.stop(`error: ${error.message}`));
    });
    this.#request.on('error', (error) => this.#meter.stop(`error: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  }

  /** Ends the listener (if still listening) and says what it measured. */
  finish(): ListenerResult {
    const measured = this.#meter.measured();
    this.#request.destroy();
    return { kind: 'http', channel: this.#options.channel, icy: this.#options.icy, ...measured, gaps: 0, titles: this.#counter.titles };
  }
}
