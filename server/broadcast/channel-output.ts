/**
 * A channel's audio as listeners take it. Each released frame is encoded ONCE per wire format
 * into a chunk queue that every listener of that format reads by reference:
 *
 *   ChannelFrame ─┬─► MP3 encoder (failover chain) ─► Mp3FrameSplitter ─► mp3 ChunkQueue ─► HTTP listeners
 *                 └─► PcmEncoder ×2 ─► seq header ─────────────────────► pcm ChunkQueues ─► WS listeners
 *
 * A PCM format is encoded from the first time it is asked for (`pcmQueue`): until then the
 * channel keeps its last `historySeconds` of frames as they are, and encodes those into the queue
 * when a first reader comes, so its burst is the same as if it had been encoded all along. A
 * station whose listeners all take MP3 then spends nothing on the WebSocket formats.
 *
 * The MP3 encoders are injected as a chain in order of preference (the `lame` child, then lamejs):
 * when one fails (its child dies, or encode throws) the next takes over at the next frame and the
 * stream goes on. It also holds the channel's listener counts, which only ListenerSession changes.
 */
import type { WavecastErrorCode } from '../core/errors.js';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Seconds } from '../core/units.js';
import type { ChannelFrame, FrameSink } from '../stream/playout.js';
import { ChunkQueue } from './chunk-queue.js';
import type { Encoder, EncoderFactory } from './encoder.js';
import { Mp3FrameSplitter } from './mp3-frame-splitter.js';
import { PcmEncoder, type PcmFormat } from './pcm-encoder.js';

const log = logger('channel-output');

/** The PCM formats the WebSocket feed offers. */
export const PCM_FORMATS: readonly PcmFormat[] = ['s16le', 'f32le'];
export type { PcmFormat };

/** Bytes before the PCM in each WebSocket frame: a uint32 little-endian sequence number. */
export const WS_FRAME_HEADER_BYTES = 4;

export interface ChannelOutputOptions {
  /** The channel's id, for logs and problems. */
  id: string;
  /** MP3 encoders in order of preference; each failure moves on to the next. At least one. */
  mp3Encoders: readonly EncoderFactory[];
  /** Seconds of encoded audio each queue keeps for bursts and slow listeners (server.history). */
  historySeconds: Seconds;
  /** Told of problems an operator should see (an encoder failing over). */
  onProblem?: (code: WavecastErrorCode, message: string) => void;
}

export class ChannelOutput implements FrameSink {
  readonly id: string;
  readonly mp3: ChunkQueue;
  /**
   * Open connections: MP3 and WebSocket listeners; operator-panel monitors and relays (the
   * channel's Icecast source) read like listeners but are not counted as listeners.
   */
  readonly listeners = { mp3: 0, ws: 0, monitors: 0, relays: 0 };
  /** Listeners dropped for falling too far behind, since start. */
  readonly counters = { slowListeners: 0 };
  readonly #options: ChannelOutputOptions;
  readonly #pcmEncoders = Object.fromEntries(PCM_FORMATS.map((format) => [format, new PcmEncoder({ format })])) as Record<PcmFormat, PcmEncoder>;
  readonly #pcm: Record<PcmFormat, ChunkQueue>;
  /** The PCM formats asked for so far: encoded from every frame on. */
  readonly #pcmWanted = new Set<PcmFormat>();
  /** The last `historySeconds` of frames, while some PCM format has not been asked for (its backfill). */
  #recent: ChannelFrame[] = [];
  #recentSeconds: Seconds = 0;
  #mp3Encoder!: Encoder;
  #mp3Next = 0;
  #mp3Frames = new Mp3FrameSplitter();
  readonly #ending = new AbortController();

  constructor(options: ChannelOutputOptions) {
    if (options.mp3Encoders.length === 0) throw new WavecastError('WAVECAST_ERR_ENCODER', `channel "${options.id}": no MP3 encoder given`);
    this.id = options.id;
    this.#options = options;
    this.#startNextEncoder();
    const historySeconds = options.historySeconds;
    this.mp3 = new ChunkQueue({ historySeconds });
    this.#pcm = Object.fromEntries(PCM_FORMATS.map((format) => [format, new ChunkQueue({ historySeconds })])) as Record<PcmFormat, ChunkQueue>;
  }

  /**
   * The chunk queue of a WebSocket wire format. The first ask starts encoding that format, with
   * the frames kept from the last `historySeconds` encoded first.
   */
  pcmQueue(format: PcmFormat): ChunkQueue {
    if (!this.#pcmWanted.has(format)) {
      this.#pcmWanted.add(format);
      for (const frame of this.#recent) this.#pushPcm(format, frame);
      if (this.#pcmWanted.size === PCM_FORMATS.length) this.#recent = []; // nothing left to backfill
    }
    return this.#pcm[format];
  }

  /** Aborted when the server stops: every listener's stream ends properly (a last chunk, a close frame). */
  get ending(): AbortSignal {
    return this.#ending.signal;
  }

  /** Ends every listener's stream (the server is stopping); new ones end at once. */
  endListeners(): void {
    this.#ending.abort();
  }

  /** Listeners now: MP3 and WebSocket (monitors and relays are not listeners). */
  get listenerCount(): number {
    return this.listeners.mp3 + this.listeners.ws;
  }

  /** The MP3 encoder now encoding, e.g. `lame-binary`, `lamejs`. */
  get mp3EncoderName(): string {
    return this.#mp3Encoder.name;
  }

  write(frame: ChannelFrame): void {
    const { pcm, title } = frame;
    for (const format of this.#pcmWanted) this.#pushPcm(format, frame);
    if (this.#pcmWanted.size < PCM_FORMATS.length) this.#remember(frame);
    // Chunks hold whole MP3 frames, so a listener who joins starts on a frame header. Their
    // duration is the frames' own (an encoder holds audio back, a child process more so).
    let mp3: { bytes: Uint8Array; duration: Seconds };
    try {
      mp3 = this.#mp3Frames.push(this.#mp3Encoder.encode(pcm));
    } catch (error) {
      if (!this.#failOver(this.#mp3Encoder, error)) throw error;
      mp3 = this.#mp3Frames.push(this.#mp3Encoder.encode(pcm));
    }
    if (mp3.bytes.length > 0) this.mp3.push({ bytes: mp3.bytes, duration: mp3.duration, title });
  }

  #pushPcm(format: PcmFormat, { pcm, seq, duration, title }: ChannelFrame): void {
    const body = this.#pcmEncoders[format].encode(pcm);
    const bytes = new Uint8Array(WS_FRAME_HEADER_BYTES + body.length);
    new DataView(bytes.buffer).setUint32(0, seq >>> 0, true);
    bytes.set(body, WS_FRAME_HEADER_BYTES);
    this.#pcm[format].push({ bytes, duration, title });
  }

  /** Keeps `frame` for a PCM format's backfill, and no more than `historySeconds` of them. */
  #remember(frame: ChannelFrame): void {
    this.#recent.push(frame);
    this.#recentSeconds += frame.duration;
    while (this.#recent.length > 1 && this.#recentSeconds - this.#recent[0].duration >= this.#options.historySeconds) {
      this.#recentSeconds -= this.#recent.shift()!.duration;
    }
  }

  /** Replaces `failed` with the next encoder of the chain; false when there is none. */
  #failOver(failed: Encoder, error: unknown): boolean {
    if (failed !== this.#mp3Encoder) return true; // already replaced
    if (this.#mp3Next >= this.#options.mp3Encoders.length) return false;
    failed.dispose();
    this.#startNextEncoder();
    // The frames inside the failed encoder are lost at the switch, never the stream.
    log.error({ err: error, channel: this.id, from: failed.name, to: this.#mp3Encoder.name }, 'MP3 encoder failed; switching');
    const why = (error as Error)?.message ?? String(error);
    this.#options.onProblem?.('WAVECAST_ERR_ENCODER', `channel "${this.id}": the ${failed.name} encoder failed (${why}); carrying on with ${this.#mp3Encoder.name}`);
    return true;
  }

  #startNextEncoder(): void {
    const make = this.#options.mp3Encoders[this.#mp3Next++];
    const encoder: Encoder = make((error) => this.#failOver(encoder, error));
    this.#mp3Encoder = encoder;
    this.#mp3Frames = new Mp3FrameSplitter(); // a failed encoder's partial frame is dropped
  }

  dispose(): void {
    this.#mp3Encoder.dispose();
  }
}
