/**
 * A shop's volume over the day: `--schedule FILE` holds windows of local time with their volume,
 *
 *   [{ "from": "08:00", "to": "11:00", "volume": 0.6 }, { "from": "22:00", "to": "02:00", "volume": 0.2 }]
 *
 * (a window may run past midnight; `to` is not part of it; windows may not overlap). Outside
 * every window the player plays at `--volume`. At each boundary the volume moves to the new level
 * over `ramp` seconds on a raised-cosine curve, so nobody hears a step. Pure functions of the
 * clock reading they are given.
 */
import type { GainFactor, Seconds } from '../../server/core/units.js';

export interface ScheduleWindow {
  /** Seconds after local midnight where the window starts. */
  from: Seconds;
  /** Seconds after local midnight where it ends, up to 24 h (before `from`: it runs past midnight). */
  to: Seconds;
  volume: GainFactor;
}

const DAY: Seconds = 24 * 3600;
const CLOCK = /^([01]?\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?$/;

/** A parse error that names the entry and field, e.g. `schedule[1].from`. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

function clockSeconds(text: unknown, where: string): Seconds {
  const match = typeof text === 'string' ? CLOCK.exec(text.trim()) : null;
  const seconds = match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0) : NaN;
  if (!match || seconds > DAY) throw new ScheduleError(`${where} must be a local time "HH:MM" (00:00–24:00), got ${JSON.stringify(text)}`);
  return seconds;
}

/** The parts of the day a window covers, as [start, end) ranges inside 0 … 24 h. */
function ranges(window: ScheduleWindow): Array<[number, number]> {
  return window.from < window.to ? [[window.from, window.to]] : [[window.from, DAY], [0, window.to]];
}

/**
 * Parses and checks a schedule (the file's JSON text). Throws a ScheduleError naming the entry and
 * field at fault: `schedule[0].volume must be a number from 0 to 1, got 2`.
 */
export function parseSchedule(jsonText: string): ScheduleWindow[] {
  let data: unknown;
  try {
    data = JSON.parse(jsonText);
  } catch (error) {
    throw new ScheduleError(`schedule is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new ScheduleError('schedule must be a JSON array of {"from": "HH:MM", "to": "HH:MM", "volume": 0…1}');
  const windows = data.map((entry: unknown, index): ScheduleWindow => {
    const where = `schedule[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ScheduleError(`${where} must be an object {"from", "to", "volume"}`);
    const { from, to, volume, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ScheduleError(`${where}.${unknown[0]} is not a schedule field (from, to, volume)`);
    // 24:00 ends a day (a window "00:00"–"24:00" is the whole day); as a start it is midnight.
    const window = { from: clockSeconds(from, `${where}.from`) % DAY, to: clockSeconds(to, `${where}.to`), volume: volume as number };
    if (typeof volume !== 'number' || !Number.isFinite(volume) || volume < 0 || volume > 1) {
      throw new ScheduleError(`${where}.volume must be a number from 0 to 1, got ${JSON.stringify(volume)}`);
    }
    if (window.from === window.to) throw new ScheduleError(`${where}: from and to are the same time (${String(from)}): the window would be empty`);
    return window;
  });
  for (let a = 0; a < windows.length; a++) {
    for (let b = a + 1; b < windows.length; b++) {
      const overlap = ranges(windows[a]).some(([s1, e1]) => ranges(windows[b]).some(([s2, e2]) => s1 < e2 && s2 < e1));
      if (overlap) throw new ScheduleError(`schedule[${a}] and schedule[${b}] overlap: a time of day may have one volume only`);
    }
  }
  return windows;
}

/** Seconds after local midnight of a clock reading. */
export function secondOfDay(date: Date): Seconds {
  return date.getHours() * 3600 + date.getMinutes() * 60 + date.getSeconds() + date.getMilliseconds() / 1000;
}

function contains(window: ScheduleWindow, second: Seconds): boolean {
  return window.from < window.to ? second >= window.from && second < window.to : second >= window.from || second < window.to;
}

/** The level at a second of the day, before ramps: the window's volume, else `fallback`. */
export function scheduledLevel(windows: readonly ScheduleWindow[], second: Seconds, fallback: GainFactor): GainFactor {
  const s = ((second % DAY) + DAY) % DAY;
  return windows.find((w) => contains(w, s))?.volume ?? fallback;
}

/**
 * The volume to play at `date` (local time): the scheduled level, moving from the previous level
 * over `ramp` seconds after each boundary.
 *
 * @example
 * const windows = parseSchedule('[{"from":"08:00","to":"11:00","volume":0.6}]');
 * volumeAt(windows, new Date(2026, 0, 5, 9, 0), 1, 10);       // 0.6
 * volumeAt(windows, new Date(2026, 0, 5, 11, 0, 5), 1, 10);   // 0.8: half-way back up to 1
 */
export function volumeAt(windows: readonly ScheduleWindow[], date: Date, fallback: GainFactor, ramp: Seconds): GainFactor {
  const now = secondOfDay(date);
  const target = scheduledLevel(windows, now, fallback);
  if (!(ramp > 0)) return target;
  // The latest boundary less than `ramp` ago (boundaries are the windows' starts and ends).
  let since = Infinity;
  let boundary = 0;
  for (const w of windows) {
    for (const edge of [w.from, w.to]) {
      const ago = (((now - edge) % DAY) + DAY) % DAY;
      if (ago < since) {
        since = ago;
        boundary = edge;
      }
    }
  }
  if (since >= ramp) return target;
  const before = scheduledLevel(windows, boundary - 1e-3, fallback);
  const progress = (1 - Math.cos((since / ramp) * Math.PI)) / 2;
  return before + (target - before) * progress;
}
