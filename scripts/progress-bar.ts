/**
 * A small terminal progress bar for scripts:
 *
 *     import [########------------] 42% 420/1000 · ETA 1m12s · song.mid
 *
 * On a terminal it redraws one line in place (\r), at most about 10 times a second. Elsewhere
 * (CI logs, files, pipes) it prints a plain line each time progress crosses another 10%, so logs
 * stay short. Call `finish` at the end: it draws the full bar with the time taken. `log` prints a message above the bar without tearing it.
 */
import type { Writable } from 'node:stream';

export interface ProgressBarOptions {
  /** Units of work in all (files, phrases, steps). */
  total: number;
  /** Text before the bar. */
  label: string;
  /** Where to draw. @default process.stderr */
  stream?: Writable & { isTTY?: boolean };
  /** Characters inside the brackets. @default 20 */
  width?: number;
  /** Clock in milliseconds, for tests. @default performance.now */
  now?: () => number;
  /** Show `done/total` after the percentage (off where the units mean nothing, e.g. a share of a limit). @default true */
  counts?: boolean;
}

/** Shortest interval between two redraws on a terminal, in milliseconds (about 10 a second). */
const REDRAW_INTERVAL_MS = 100;
/** On a non-terminal, a line per this many percent. */
const LINE_EVERY_PERCENT = 10;

/**
 * @example
 * const bar = new ProgressBar({ total: files.length, label: 'import' });
 * for (const [i, file] of files.entries()) { await work(file); bar.update(i + 1, path.basename(file)); }
 * bar.finish(`${phrases} phrases`);
 */
export class ProgressBar {
  readonly total: number;
  readonly label: string;
  private readonly stream: Writable & { isTTY?: boolean };
  private readonly width: number;
  private readonly now: () => number;
  private readonly started: number;
  private readonly tty: boolean;
  private readonly counts: boolean;
  private lastDrawn = -Infinity;
  private lastDecile = 0;
  private drawnLine = '';
  private done = 0;
  private extra: string | undefined;
  private finished = false;

  constructor(options: ProgressBarOptions) {
    if (!(Number.isFinite(options.total) && options.total >= 0)) {
      throw new RangeError(`total must be a number ≥ 0, got ${options.total}`);
    }
    this.total = options.total;
    this.label = options.label;
    this.stream = options.stream ?? process.stderr;
    this.width = options.width ?? 20;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.tty = this.stream.isTTY === true;
    this.counts = options.counts ?? true;
  }

  /** Reports `done` units finished; draws when due (see the file header). */
  update(done: number, extra?: string): void {
    if (this.finished) return;
    this.done = Math.min(this.total, Math.max(0, done));
    this.extra = extra;
    const time = this.now();
    if (this.tty) {
      if (time - this.lastDrawn < REDRAW_INTERVAL_MS && this.done < this.total) return;
      this.lastDrawn = time;
      this.redraw(this.line(time));
      return;
    }
    // 10% … 90% here; the 100% line, with the time taken, is finish()'s.
    const decile = Math.floor((this.fraction() * 100) / LINE_EVERY_PERCENT);
    if (decile <= this.lastDecile || this.done === this.total) return;
    this.lastDecile = decile;
    this.stream.write(`${this.line(time)}\n`);
  }

  /** Prints `message` on its own line, keeping the bar below it on a terminal. */
  log(message: string): void {
    if (this.tty && this.drawnLine && !this.finished) {
      this.stream.write(`\r\x1b[K${message}\n${this.drawnLine}`);
    } else {
      this.stream.write(`${message}\n`);
    }
  }

  /** Draws the bar full with the time taken, and ends its line. Later updates are ignored. */
  finish(extra?: string): void {
    if (this.finished) return;
    this.finished = true;
    this.done = this.total;
    this.extra = extra;
    const line = this.line(this.now());
    if (this.tty) this.stream.write(`\r\x1b[K${line}\n`);
    else this.stream.write(`${line}\n`);
  }

  private fraction(): number {
    return this.total === 0 ? 1 : this.done / this.total;
  }

  private line(time: number): string {
    const fraction = this.fraction();
    const filled = Math.round(fraction * this.width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}]`;
    const percent = `${Math.floor(fraction * 100)}%`;
    const elapsed = (time - this.started) / 1000;
    const timing =
      this.finished ? `took ${formatDuration(elapsed)}`
      : this.done === 0 ? 'ETA --'
      : `ETA ${formatDuration((elapsed * (this.total - this.done)) / this.done)}`;
    const parts = [`${this.label} ${bar} ${percent}${this.counts ? ` ${this.done}/${this.total}` : ''}`, timing];
    if (this.extra) parts.push(this.extra);
    return parts.join(' · ');
  }

  private redraw(line: string): void {
    this.drawnLine = line;
    this.stream.write(`\r\x1b[K${line}`);
  }
}

/** `12s`, `1m12s`, `2h05m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
