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
  readonly #openedAt = performance.now();
  readonly #meter: ArrivalMeter;
  readonly #request: http.ClientRequest;
  #counter = new IcyAudioCounter(undefined);
  #bytesPerSecond = 16_000;
  #endedAt: number | undefined;
  #ended: string | undefined;

  constructor(options: HttpListenerOptions) {
    this.#options = options;
    this.#meter = new ArrivalMeter(options);
    const headers = options.icy ? { 'icy-metadata': '1' } : {};
    this.#request = http.get(`${options.url}/stream/${options.channel}`, { agent: options.agent, headers, localAddress: options.localAddress }, (response) => {
      if (response.statusCode !== 200) {
        this.#end(`status ${response.statusCode}`);
        response.resume();
        return;
      }
      const metaint = Number(response.headers['icy-metaint']);
      this.#counter = new IcyAudioCounter(Number.isInteger(metaint) && metaint > 0 ? metaint : undefined);
      const kbps = Number(response.headers['icy-br']);
      if (kbps > 0) this.#bytesPerSecond = (kbps * 1000) / 8;
      response.on('data', (piece: Buffer) => this.#meter.arrived(performance.now(), this.#counter.push(piece) / this.#bytesPerSecond));
      response.on('end', () => this.#end('the stream ended'));
      response.on('error', (error) => this.#end(`error: ${error.message}`));
    });
    this.#request.on('error', (error) => this.#end(`error: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  }

  #end(why: string): void {
    if (this.#ended !== undefined) return;
    this.#ended = why;
    this.#endedAt = performance.now();
  }

  /** Ends the listener (if still listening) and says what it measured. */
  finish(): ListenerResult {
    const ended = this.#ended;
    const endedAt = this.#endedAt ?? performance.now();
    this.#end('finished');
    this.#request.destroy();
    const meter = this.#meter;
    return {
      kind: 'http',
      channel: this.#options.channel,
      icy: this.#options.icy,
      ttfbMs: meter.firstAudioAt === undefined ? null : meter.firstAudioAt - this.#openedAt,
      audioSeconds: meter.audioSeconds,
      ...meter.end(endedAt),
      gaps: 0,
      stalls: meter.stalls,
      longestSilenceMs: meter.longestSilenceMs,
      titles: this.#counter.titles,
      ...(ended === undefined ? {} : { ended }),
    };
  }
}
