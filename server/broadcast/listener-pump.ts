/**
 * Moves one listener's chunks from the shared queue to its socket, at the socket's pace: write
 * until `write()` says no, wait for `'drain'`, read again. A listener whose socket cannot keep up
 * falls behind in the queue until its reader reports `WAVECAST_ERR_LISTENER_TOO_SLOW`; the pump
 * then stops and hands the error to `onDrop`. Nobody else waits: the queue and the other
 * listeners never see this one's pace.
 */
import type { Chunk, ChunkQueue, ChunkReader } from './chunk-queue.js';

/** The part of a Node writable (ServerResponse, PassThrough, socket) the pump uses. */
export interface PumpWritable {
  write(bytes: Uint8Array): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Options of {@link pumpToWritable}. */
export interface PumpOptions {
  /** Turns a chunk into the pieces to write (ICY interleaving); default: its bytes as is. */
  transform?: (chunk: Chunk) => Uint8Array[];
  /**
   * Called once when the listener is dropped: with the reader's `WAVECAST_ERR_LISTENER_TOO_SLOW`
   * error, or with whatever `transform` or `write` threw. The pump has stopped; closing the
   * writable (e.g. `response.destroy()`) and counting the drop are the caller's.
   */
  onDrop: (error: unknown) => void;
}

/**
 * Pumps `reader`'s chunks into `writable` until stopped, dropped, or the writable closes.
 *
 * At most one read's worth of pieces waits here while the writable is full; the reader only
 * reads again after `'drain'`, so a slow listener's backlog stays in the shared queue (as a lag)
 * rather than in its socket buffer. While waiting, each new chunk re-checks the reader's lag, so
 * a listener whose socket never drains is still dropped.
 *
 * @param reader this listener's cursor (its burst is written at once).
 * @param writable where the bytes go.
 * @param queue the queue `reader` reads; its `'chunk'` events wake the pump.
 * @returns stop(): detaches from the queue and the writable (idempotent); call it on disconnect.
 *
 * @example
 * const icy = new IcyInterleaver();
 * const stop = pumpToWritable(queue.reader(), response, queue, {
 *   transform: (chunk) => icy.write(chunk.bytes, chunk.title),
 *   onDrop: () => { slowListeners.inc(); response.destroy(); },
 * });
 * response.once('close', stop);
 */
export function pumpToWritable(
  reader: ChunkReader,
  writable: PumpWritable,
  queue: ChunkQueue,
  options: PumpOptions,
): () => void {
  const { transform, onDrop } = options;
  let pending: Uint8Array[] = [];
  let pendingIndex = 0;
  let waitingForDrain = false;
  let stopped = false;

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    pending = [];
    queue.removeListener('chunk', onChunk);
    writable.removeListener('drain', onDrain);
    writable.removeListener('close', stop);
  };

  const drop = (error: unknown): void => {
    if (stopped) return;
    stop();
    onDrop(error);
  };

  // Writes pending pieces until done or the writable is full; true when all were written.
  const writePending = (): boolean => {
    while (pendingIndex < pending.length) {
      const piece = pending[pendingIndex++];
      if (piece.byteLength > 0 && !writable.write(piece)) {
        waitingForDrain = true;
        writable.once('drain', onDrain);
        return false;
      }
    }
    pending = [];
    pendingIndex = 0;
    return true;
  };

  const pump = (): void => {
    try {
      while (!stopped && !waitingForDrain) {
        if (!writePending()) return;
        const chunks = reader.read();
        if (chunks.length === 0) return;
        for (const chunk of chunks) {
          if (transform) pending.push(...transform(chunk));
          else pending.push(chunk.bytes);
        }
      }
    } catch (error) {
      drop(error);
    }
  };

  function onChunk(): void {
    if (!waitingForDrain) return pump();
    try {
      reader.checkLag();
    } catch (error) {
      drop(error);
    }
  }

  function onDrain(): void {
    waitingForDrain = false;
    pump();
  }

  queue.on('chunk', onChunk);
  writable.once('close', stop);
  pump();
  return stop;
}
