/**
 * One WebSocket PCM listener of the load test: /ws/<channel>?format=s16le, counting the frames'
 * audio, the sequence numbers that never came (gaps), the time to the first frame and the
 * silences between arrivals. It only counts: nothing is kept.
 */
import { WebSocket } from 'ws';
import { ArrivalMeter } from './arrival-meter.js';
import type { ListenerResult } from './listener-result.js';

export interface WsListenerOptions {
  /** The server, e.g. http://127.0.0.1:8000 */
  url: string;
  channel: string;
  /** Seconds of recent audio asked for on connect (the feed's `burst`). */
  burst: number;
  /** The loopback address to connect from; none: the system's choice. */
  localAddress?: string;
  stallMs: number;
  /** The window after the burst starts this long after the first frame (ms). */
  settleMs: number;
}

/** Bytes before the PCM in each binary frame: the uint32 sequence number. */
const SEQ_BYTES = 4;
const S16_BYTES = 2;

export class WsListener {
  readonly #options: WsListenerOptions;
  readonly #meter: ArrivalMeter;
  readonly #socket: WebSocket;
  #bytesPerSecond = 44_100 * 2 * S16_BYTES;
  #lastSeq: number | undefined;
  #gaps = 0;
  #titles = 0;

  constructor(options: WsListenerOptions) {
    this.#options = options;
    this.#meter = new ArrivalMeter(options);
    const url = `${options.url.replace(/^http/, 'ws')}/ws/${options.channel}?format=s16le&burst=${options.burst}`;
    this.#socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true, localAddress: options.localAddress });
    this.#socket.on('message', (data: Buffer, isBinary: boolean) => {
      const now = performance.now();
      if (!isBinary) {
        const message = JSON.parse(data.toString()) as { type: string; sampleRate?: number; channels?: number };
        if (message.type === 'header') this.#bytesPerSecond = message.sampleRate! * message.channels! * S16_BYTES;
        this.#titles++;
        this.#meter.arrived(now, 0);
        return;
      }
      const seq = data.readUInt32LE(0);
      if (this.#lastSeq !== undefined && seq !== this.#lastSeq + 1) this.#gaps += seq > this.#lastSeq ? seq - this.#lastSeq - 1 : 1;
      this.#lastSeq = seq;
      this.#meter.arrived(now, (data.length - SEQ_BYTES) / this.#bytesPerSecond);
    });
    this.#socket.on('close', (code, reason) => this.#meter.stop(`closed ${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`));
    this.#socket.on('unexpected-response', (_request, response) => this.#meter.stop(`status ${response.statusCode}`));
    this.#socket.on('error', (error) => this.#meter.stop(`error: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  }

  /** Ends the listener (if still listening) and says what it measured. */
  finish(): ListenerResult {
    const measured = this.#meter.measured();
    this.#socket.terminate();
    return { kind: 'ws', channel: this.#options.channel, icy: false, ...measured, gaps: this.#gaps, titles: this.#titles };
  }
}
