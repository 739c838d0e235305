/**
 * One channel's encoded audio, shared by every listener: the encoder's output goes in once and
 * each listener reads it through its own cursor (a {@link ChunkReader}), so a thousand listeners
 * cost a thousand cursors, not a thousand copies. The queue keeps `historySeconds` of chunks for
 * new listeners' bursts and for readers running a little behind; it never waits for a reader.
 * A reader that falls too far behind is told so (`WAVECAST_ERR_LISTENER_TOO_SLOW`) and dropped
 * by its owner.
 *
 * Listeners wait for the next push and watch every push through sets of callbacks rather than
 * `'chunk'` listeners: an EventEmitter's `once`/`off` search its listener array, which made each
 * push cost O(listeners²) (17 % of the server's time with 6 000 listeners on one channel).
 */
import { EventEmitter } from 'node:events';
import { WavecastError } from '../core/errors.js';
import type { Seconds } from '../core/units.js';
import { concatBytes } from './concat-bytes.js';

/** One piece of encoded audio. Immutable once pushed: neither it nor its bytes may change. */
export interface Chunk {
  /** Position in the channel, contiguous from 0. */
  readonly seq: number;
  readonly bytes: Uint8Array;
  /** Seconds of audio the bytes hold. */
  readonly duration: Seconds;
  /** What is playing in this chunk (the ICY StreamTitle). */
  readonly title: string;
}

/** Options of {@link ChunkQueue.reader} (server.burst and server.maxListenerLag in the config). */
export interface ChunkReaderOptions {
  /** Seconds of already-played audio the first read returns, so playback starts at once. */
  burstSeconds: Seconds;
  /** A reader further behind the head than this is too slow. */
  maxLagSeconds: Seconds;
}

/** How many joined runs {@link ChunkQueue.join} keeps: listeners reading the same range share one. */
const JOINED_KEPT = 16;

/**
 * The shared queue. Emits `'chunk'` (with the {@link Chunk}) after every push.
 *
 * @example
 * const queue = new ChunkQueue({ historySeconds: 10 });
 * queue.push({ bytes: encoder.encode(pcm), duration: 0.05, title: 'Ambient 1' });
 * const reader = queue.reader({ burstSeconds: 2, maxLagSeconds: 6 }); // per listener
 * queue.on('chunk', () => send(reader.read()));
 */
export class ChunkQueue extends EventEmitter {
  readonly historySeconds: Seconds;
  // Parallel arrays: the kept chunks, and for each the queue's pushedSeconds at its end.
  #chunks: Chunk[] = [];
  #endTimes: Seconds[] = [];
  #nextSeq = 0;
  #pushedSeconds: Seconds = 0;
  #keptSeconds: Seconds = 0;
  /** Called once at the next push (listeners waiting at the head), then forgotten. */
  #atNextPush = new Set<() => void>();
  /** Called at every push (listeners' lag watches). */
  readonly #atEveryPush = new Set<() => void>();
  /** Recent joins by their first and last seq, shared by the listeners that read the same range. */
  readonly #joined = new Map<string, Chunk[]>();

  /**
   * @param options.historySeconds seconds of chunks kept for bursts and slow readers (server.history).
   * @throws WavecastError `WAVECAST_ERR_CONFIG` when `historySeconds` is not positive.
   */
  constructor(options: { historySeconds: Seconds }) {
    super();
    this.historySeconds = options.historySeconds;
    if (!(this.historySeconds > 0)) {
      throw new WavecastError('WAVECAST_ERR_CONFIG', `historySeconds must be > 0, got ${this.historySeconds}`);
    }
    // One 'chunk' listener per connected client: thousands are expected, not a leak.
    this.setMaxListeners(0);
  }

  /** The seq of the newest chunk, -1 before the first push. */
  get headSeq(): number {
    return this.#nextSeq - 1;
  }

  /** The seq of the oldest chunk still kept (equals `headSeq + 1` when none is kept). */
  get oldestSeq(): number {
    return this.#nextSeq - this.#chunks.length;
  }

  /** Seconds of audio pushed since the queue started: the head's position in time. */
  get pushedSeconds(): Seconds {
    return this.#pushedSeconds;
  }

  /** Seconds of audio kept now (at least `historySeconds` once that much was pushed). */
  get keptSeconds(): Seconds {
    return this.#keptSeconds;
  }

  /** Appends a chunk (numbered here), evicts what falls out of the history, emits `'chunk'`. */
  push(piece: { bytes: Uint8Array; duration: Seconds; title: string }): Chunk {
    if (!(piece.duration >= 0)) {
      throw new WavecastError('WAVECAST_ERR_ENCODER', `chunk duration must be >= 0, got ${piece.duration}`);
    }
    const chunk: Chunk = Object.freeze({ seq: this.#nextSeq++, bytes: piece.bytes, duration: piece.duration, title: piece.title });
    this.#pushedSeconds += chunk.duration;
    this.#keptSeconds += chunk.duration;
    this.#chunks.push(chunk);
    this.#endTimes.push(this.#pushedSeconds);
    // Keep the fewest oldest chunks that still cover historySeconds.
    while (this.#chunks.length > 1 && this.#keptSeconds - this.#chunks[0].duration >= this.historySeconds) {
      this.#keptSeconds -= this.#chunks.shift()!.duration;
      this.#endTimes.shift();
    }
    for (const watch of this.#atEveryPush) watch();
    if (this.#atNextPush.size > 0) {
      const waiting = this.#atNextPush;
      this.#atNextPush = new Set();
      for (const wake of waiting) wake();
    }
    this.emit('chunk', chunk);
    return chunk;
  }

  /** Calls `wake` once, at the next push. @returns its cancellation (for a listener that left first). */
  atNextPush(wake: () => void): () => void {
    this.#atNextPush.add(wake);
    return () => this.#atNextPush.delete(wake);
  }

  /** Calls `watch` at every push, until the returned function is called. */
  atEveryPush(watch: () => void): () => void {
    this.#atEveryPush.add(watch);
    return () => this.#atEveryPush.delete(watch);
  }

  /**
   * `chunks` (consecutive, as a reader returns them) joined into as few as their titles allow:
   * one per run of the same title, its bytes the run's bytes in one buffer, its seq the run's
   * first. The joins of recent ranges are kept, so listeners reading the same range share them.
   */
  join(chunks: readonly Chunk[]): readonly Chunk[] {
    if (chunks.length <= 1) return chunks;
    const key = `${chunks[0].seq}:${chunks[chunks.length - 1].seq}`;
    let joined = this.#joined.get(key);
    if (joined === undefined) {
      joined = [];
      for (let start = 0; start < chunks.length; ) {
        let end = start + 1;
        while (end < chunks.length && chunks[end].title === chunks[start].title) end++;
        const run = chunks.slice(start, end);
        joined.push(
          Object.freeze({
            seq: run[0].seq,
            bytes: concatBytes(run.map((chunk) => chunk.bytes)),
            duration: run.reduce((sum, chunk) => sum + chunk.duration, 0),
            title: run[0].title,
          }),
        );
        start = end;
      }
      if (this.#joined.size >= JOINED_KEPT) this.#joined.delete(this.#joined.keys().next().value!);
      this.#joined.set(key, joined);
    }
    return joined;
  }

  /**
   * A new cursor for one listener.
   * @param options.burstSeconds seconds of already-played audio the first read returns
   *   (whole chunks, at least this much when the history holds it).
   * @param options.maxLagSeconds a reader further behind the head than this is too slow.
   * @throws WavecastError `WAVECAST_ERR_CONFIG` unless 0 ≤ burstSeconds < maxLagSeconds.
   */
  reader(options: ChunkReaderOptions): ChunkReader {
    const { burstSeconds, maxLagSeconds } = options;
    if (!(burstSeconds >= 0 && burstSeconds < maxLagSeconds)) {
      throw new WavecastError(
        'WAVECAST_ERR_CONFIG',
        `burstSeconds (${burstSeconds}) must be >= 0 and below maxLagSeconds (${maxLagSeconds})`,
      );
    }
    let index = this.#chunks.length;
    let burst = 0;
    // The tolerance keeps float sums (10 × 0.1 = 0.9999…) from taking one chunk too many.
    while (index > 0 && burst < burstSeconds - 1e-6) burst += this.#chunks[--index].duration;
    const startTime = index > 0 ? this.#endTimes[index - 1] : this.#pushedSeconds - this.#keptSeconds;
    return new ChunkReader(this, this.oldestSeq + index, startTime, maxLagSeconds);
  }

  /**
   * Resolves on the next push, or as soon as `signal` aborts (a listener that left), so a
   * listener waiting for audio holds no callback on the queue after it is gone.
   */
  nextChunk(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.atNextPush(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** @internal The kept chunks from `seq` on (to the head); undefined when `seq` was evicted. */
  chunksFrom(seq: number): Chunk[] | undefined {
    const index = seq - this.oldestSeq;
    if (index < 0) return undefined;
    return this.#chunks.slice(index);
  }
}

/**
 * One listener's cursor into a {@link ChunkQueue}. It holds a position, never bytes: the chunks
 * it returns are the queue's own objects.
 */
export class ChunkReader {
  readonly maxLagSeconds: Seconds;
  #queue: ChunkQueue;
  #nextSeq: number;
  /** The queue's pushedSeconds at this reader's position. */
  #position: Seconds;

  /** @internal Made by {@link ChunkQueue.reader}. */
  constructor(queue: ChunkQueue, nextSeq: number, position: Seconds, maxLagSeconds: Seconds) {
    this.#queue = queue;
    this.#nextSeq = nextSeq;
    this.#position = position;
    this.maxLagSeconds = maxLagSeconds;
  }

  /** Seconds of audio between this reader's position and the head. */
  get lagSeconds(): Seconds {
    return this.#queue.pushedSeconds - this.#position;
  }

  /** The seq this reader returns next. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /**
   * Every chunk after the cursor (possibly none), in order; moves the cursor to the head.
   * @throws WavecastError `WAVECAST_ERR_LISTENER_TOO_SLOW` (see {@link checkLag}).
   */
  read(): Chunk[] {
    this.checkLag();
    const chunks = this.#queue.chunksFrom(this.#nextSeq)!; // checkLag saw it kept
    this.#nextSeq += chunks.length;
    this.#position = this.#queue.pushedSeconds; // read to the head
    return chunks;
  }

  /**
   * Throws when the reader is more than `maxLagSeconds` behind the head or its next chunk has
   * already been evicted. A writer that is waiting for its socket calls this on each new chunk
   * so a stalled listener is found without reading.
   * @throws WavecastError `WAVECAST_ERR_LISTENER_TOO_SLOW`.
   */
  checkLag(): void {
    const lag = this.lagSeconds;
    if (lag > this.maxLagSeconds + 1e-6) { // the tolerance absorbs float sums, as in reader()
      throw new WavecastError(
        'WAVECAST_ERR_LISTENER_TOO_SLOW',
        `listener is ${lag.toFixed(2)} s behind live (limit ${this.maxLagSeconds} s)`,
      );
    }
    if (this.#nextSeq < this.#queue.oldestSeq) {
      throw new WavecastError(
        'WAVECAST_ERR_LISTENER_TOO_SLOW',
        `listener's next chunk ${this.#nextSeq} was already evicted (oldest kept is ${this.#queue.oldestSeq})`,
      );
    }
  }
}
