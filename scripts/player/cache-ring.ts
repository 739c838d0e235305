/**
 * The rolling cache on disk: the last `capacity` frames the player played live, in segment files
 * that rotate, so a network cut can be bridged with music this shop heard before.
 *
 * Layout of the cache folder:
 *
 *   format.json                       {"sampleRate":44100,"channels":2,"encoding":"s16le"}
 *   run-<run id>-<segment>.s16        raw interleaved 16-bit PCM, at most `segmentFrames` frames
 *
 * A *run* is audio that was played without a break: it ends when the player switches to the
 * cache (or stops), and the next live audio starts a new run. Playback never reads across two
 * runs, so a reader never meets the click where one connection's audio met the next one's.
 *
 * Bounded: after each write the oldest segments are deleted while the rest still hold
 * `capacity` frames, so the folder holds at most `capacity + segmentFrames` frames (4 bytes
 * each: 30 minutes at 44.1 kHz stereo is 318 MB, plus one 60 s segment, 10.6 MB). Writes are
 * buffered for a second; a process killed loses at most that. A folder left by an earlier run of
 * the player is read back at start (so a box that boots without network plays yesterday's music).
 * A write error (a full disk) stops caching, once, with a message; the player plays on.
 * cache-reader.ts plays it back.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CacheReader, type CacheSegment as Segment } from './cache-reader.js';
import { OUTPUT_CHANNELS, OUTPUT_RATE } from './output-format.js';
import type { Samples } from '../../server/core/units.js';

export interface CacheRingOptions {
  /** The cache folder (made if missing). */
  dir: string;
  /** Most frames kept (minutes × 60 × 44100). */
  capacity: Samples;
  /** Frames per segment file. */
  segmentFrames: Samples;
  /** Told once when writing fails (the cache then stops growing). */
  onError?: (error: Error) => void;
}

/** A run as the reader sees it: where it starts in the whole cache (frames, oldest first). */
export interface CacheRun {
  run: string;
  start: Samples;
  frames: Samples;
}

const CHANNELS = OUTPUT_CHANNELS;
const BYTES_PER_FRAME = 2 * CHANNELS;
const SEGMENT_NAME = /^run-(\d{16})-(\d{6})\.s16$/;
const FORMAT = { sampleRate: OUTPUT_RATE, channels: CHANNELS, encoding: 's16le' };

export class CacheRing {
  readonly options: CacheRingOptions;
  /** Oldest first. */
  readonly #segments: Segment[] = [];
  #writing: { segment: Segment; fd: number } | undefined;
  #pending: Int16Array;
  #pendingFrames = 0;
  #lastRunId = 0;
  #broken = false;
  /** False after endRun(): the next segment opened starts a new run. */
  #continueRun = false;

  constructor(options: CacheRingOptions) {
    if (!(options.capacity > 0)) throw new RangeError(`cache capacity must be > 0 frames, got ${options.capacity}`);
    if (!(options.segmentFrames > 0)) throw new RangeError(`segmentFrames must be > 0, got ${options.segmentFrames}`);
    this.options = options;
    this.#pending = new Int16Array(Math.min(options.segmentFrames, OUTPUT_RATE) * CHANNELS);
    mkdirSync(options.dir, { recursive: true });
    this.#load();
  }

  /** Frames in the cache (on disk). */
  get totalFrames(): Samples {
    return this.#segments.reduce((sum, s) => sum + s.frames, 0);
  }

  /** Bytes the segment files hold on disk. */
  get diskBytes(): number {
    return this.totalFrames * BYTES_PER_FRAME;
  }

  /** The runs, oldest first, with their place in the whole cache. */
  runs(): CacheRun[] {
    const runs: CacheRun[] = [];
    let at = 0;
    for (const segment of this.#segments) {
      const last = runs.at(-1);
      if (last && last.run === segment.run) last.frames += segment.frames;
      else runs.push({ run: segment.run, start: at, frames: segment.frames });
      at += segment.frames;
    }
    return runs.filter((run) => run.frames > 0);
  }

  /** Appends played live audio (interleaved stereo floats) to the current run. */
  append(block: Float32Array, frames: Samples = block.length / CHANNELS): void {
    if (this.#broken) return;
    let from = 0;
    while (from < frames) {
      const room = this.#pending.length / CHANNELS - this.#pendingFrames;
      const take = Math.min(room, frames - from);
      const base = this.#pendingFrames * CHANNELS;
      for (let i = 0; i < take * CHANNELS; i++) {
        const x = block[from * CHANNELS + i];
        const clamped = x > 1 ? 1 : x < -1 ? -1 : x;
        this.#pending[base + i] = Math.round(clamped * 32767);
      }
      this.#pendingFrames += take;
      from += take;
      if (this.#pendingFrames * CHANNELS === this.#pending.length) this.flush();
    }
  }

  /** Writes buffered audio to disk and rotates. */
  flush(): void {
    if (this.#broken || this.#pendingFrames === 0) return;
    try {
      let from = 0;
      while (from < this.#pendingFrames) {
        const writing = this.#openForWriting();
        const take = Math.min(this.options.segmentFrames - writing.segment.frames, this.#pendingFrames - from);
        const bytes = new Uint8Array(this.#pending.buffer, from * BYTES_PER_FRAME, take * BYTES_PER_FRAME);
        let done = 0;
        while (done < bytes.length) done += writeSync(writing.fd, bytes, done);
        writing.segment.frames += take;
        from += take;
        if (writing.segment.frames >= this.options.segmentFrames) this.#closeSegment(false);
      }
      this.#pendingFrames = 0;
      this.#rotate();
    } catch (error) {
      this.#broken = true;
      this.#pendingFrames = 0;
      this.#closeSegment(false);
      this.options.onError?.(error as Error);
    }
  }

  /** Ends the current run: the next `append` starts a new one. */
  endRun(): void {
    this.flush();
    this.#closeSegment(true);
  }

  close(): void {
    this.endRun();
  }

  /**
   * A random place to start playing from, as a frame of the whole cache: never in the newest
   * `avoidNewest` frames (what the listeners heard last), and at least `minPlay` frames before
   * the end of its run. Relaxes those in turn when the cache is too short for them.
   * Undefined when the cache is empty.
   */
  pickStart(random: () => number, avoidNewest: Samples, minPlay: Samples): Samples | undefined {
    const runs = this.runs();
    if (runs.length === 0) return undefined;
    const limit = this.totalFrames - avoidNewest;
    const choices = (bound: number) =>
      runs
        .map((run) => ({ from: run.start, to: Math.min(run.start + run.frames - minPlay, bound) }))
        .filter((range) => range.to >= range.from);
    let ranges = choices(limit);
    if (ranges.length === 0) ranges = choices(Infinity);
    if (ranges.length === 0) {
      const longest = runs.reduce((a, b) => (b.frames > a.frames ? b : a));
      return longest.start;
    }
    const size = ranges.reduce((sum, r) => sum + r.to - r.from + 1, 0);
    let pick = Math.min(size - 1, Math.floor(random() * size));
    for (const range of ranges) {
      const length = range.to - range.from + 1;
      if (pick < length) return range.from + pick;
      pick -= length;
    }
    return ranges[0].from;
  }

  /** A source that plays the cache from `start` (a frame of the whole cache) to the end of its run. */
  reader(start: Samples): CacheReader {
    let at = 0;
    for (let i = 0; i < this.#segments.length; i++) {
      const segment = this.#segments[i];
      if (start < at + segment.frames) {
        const runSegments = [];
        for (let j = i; j < this.#segments.length && this.#segments[j].run === segment.run; j++) runSegments.push({ ...this.#segments[j] });
        const run = this.runs().find((r) => r.run === segment.run)!;
        // A run's id is the wall-clock millisecond it started, so this is when the shop heard it.
        const heardAt = new Date(Number(run.run) + ((start - run.start) / OUTPUT_RATE) * 1000);
        return new CacheReader(runSegments, start - at, heardAt);
      }
      at += segment.frames;
    }
    return new CacheReader([], 0, undefined);
  }

  #openForWriting(): { segment: Segment; fd: number } {
    if (this.#writing) return this.#writing;
    const last = this.#segments.at(-1);
    // A new run after endRun(); a new segment of the same run after a full one.
    const continuing = this.#continueRun && last !== undefined;
    const run = continuing ? last.run : this.#newRunId();
    const index = continuing ? last.index + 1 : 0;
    const file = path.join(this.options.dir, `run-${run}-${String(index).padStart(6, '0')}.s16`);
    const segment: Segment = { run, index, path: file, frames: 0 };
    const fd = openSync(file, 'w');
    this.#segments.push(segment);
    this.#writing = { segment, fd };
    this.#continueRun = true;
    return this.#writing;
  }

  #closeSegment(endOfRun: boolean): void {
    if (this.#writing) {
      closeSync(this.#writing.fd);
      if (this.#writing.segment.frames === 0) {
        rmSync(this.#writing.segment.path, { force: true });
        this.#segments.splice(this.#segments.indexOf(this.#writing.segment), 1);
      }
      this.#writing = undefined;
    }
    if (endOfRun) this.#continueRun = false;
  }

  #newRunId(): string {
    // Milliseconds since 1970, made unique (two runs in one millisecond get consecutive ids).
    this.#lastRunId = Math.max(Date.now(), this.#lastRunId + 1);
    return String(this.#lastRunId).padStart(16, '0');
  }

  #rotate(): void {
    const { capacity } = this.options;
    let total = this.totalFrames;
    while (this.#segments.length > 1 && this.#segments[0] !== this.#writing?.segment && total - this.#segments[0].frames >= capacity) {
      const oldest = this.#segments.shift()!;
      rmSync(oldest.path, { force: true });
      total -= oldest.frames;
    }
  }

  #load(): void {
    const formatFile = path.join(this.options.dir, 'format.json');
    const names = readdirSync(this.options.dir).filter((name) => SEGMENT_NAME.test(name)).sort();
    let formatMatches = false;
    try {
      formatMatches = JSON.stringify(JSON.parse(readFileSync(formatFile, 'utf8'))) === JSON.stringify(FORMAT);
    } catch {
      // No format file (a new folder) or an unreadable one: treated as a different format below.
    }
    if (!formatMatches) {
      // Segments in another format (or of unknown format) cannot be played: only our own files go.
      for (const name of names) rmSync(path.join(this.options.dir, name), { force: true });
      writeFileSync(formatFile, JSON.stringify(FORMAT) + '\n');
      return;
    }
    for (const name of names) {
      const file = path.join(this.options.dir, name);
      const frames = Math.floor(statSync(file).size / BYTES_PER_FRAME);
      if (frames === 0) {
        rmSync(file, { force: true });
        continue;
      }
      const [, run, index] = SEGMENT_NAME.exec(name)!;
      this.#segments.push({ run, index: Number(index), path: file, frames });
      this.#lastRunId = Math.max(this.#lastRunId, Number(run));
    }
    this.#rotate();
  }
}
