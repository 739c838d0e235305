/**
 * The player's command line, checked: every option with its default written once, and a message
 * naming the option and what it takes when a value is wrong.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { feedTarget, type FeedKind, type FeedTarget } from './feed-url.js';
import { UsageError } from './usage-error.js';
import { parseSchedule, ScheduleError, type ScheduleWindow } from './volume-schedule.js';
import type { SinkKind } from './web-audio-output.js';
import type { GainFactor, Seconds } from '../../server/core/units.js';

export const USAGE = `usage: npm run play -- <channel URL> [options]    (or: wavecast-play <channel URL> [options])

  <channel URL>         http://HOST:8000/stream/<channel> (MP3) or ws://HOST:8000/ws/<channel> (PCM feed)
  --feed mp3|ws         which feed to play (default: the URL's kind)
  --cache-minutes N     minutes of played music kept on disk for network cuts (default 30; ~10.6 MB a minute)
  --cache-dir DIR       where (default: the OS cache folder, wavecast-play/<host>-<channel>)
  --stall S             seconds without audio that count as a dropped connection (default 1)
  --retry-max S         longest wait between reconnection attempts (default 4)
  --volume V            volume 0–1 (default 1; outside the schedule's windows when there is one)
  --schedule FILE       JSON [{"from": "08:00", "to": "11:00", "volume": 0.6}, …] in local time
  --ramp S              seconds a scheduled volume change takes (default 10)
  --sink default|none   the machine's sound output, or none (renders in real time without a device)
  --record FILE.wav     also write exactly what is played to a WAV file (32-bit float)
  --help                this text`;

export interface PlayerOptions {
  target: FeedTarget;
  cacheMinutes: number;
  cacheDir: string;
  stall: Seconds;
  retryMax: Seconds;
  volume: GainFactor;
  schedule: ScheduleWindow[];
  ramp: Seconds;
  sink: SinkKind;
  record?: string;
}

/** `{ help: true }` for --help; otherwise the checked options. @throws UsageError */
export function parsePlayerOptions(argv: string[]): PlayerOptions | { help: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        feed: { type: 'string' },
        'cache-minutes': { type: 'string', default: '30' },
        'cache-dir': { type: 'string' },
        stall: { type: 'string', default: '1' },
        'retry-max': { type: 'string', default: '4' },
        volume: { type: 'string', default: '1' },
        schedule: { type: 'string' },
        ramp: { type: 'string', default: '10' },
        sink: { type: 'string', default: 'default' },
        record: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length === 0) throw new UsageError('the channel URL is missing');
  if (positionals.length > 1) throw new UsageError(`one channel URL only, got ${positionals.length}: ${positionals.join(' ')}`);
  const feed = values.feed;
  if (feed !== undefined && feed !== 'mp3' && feed !== 'ws') throw new UsageError(`--feed must be mp3 or ws, got ${JSON.stringify(feed)}`);
  const target = feedTarget(positionals[0], feed as FeedKind | undefined);
  const sink = values.sink;
  if (sink !== 'default' && sink !== 'none') throw new UsageError(`--sink must be default or none, got ${JSON.stringify(sink)}`);
  let schedule: ScheduleWindow[] = [];
  if (values.schedule !== undefined) {
    let text: string;
    try {
      text = readFileSync(values.schedule, 'utf8');
    } catch (error) {
      throw new UsageError(`--schedule: cannot read ${values.schedule} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    try {
      schedule = parseSchedule(text);
    } catch (error) {
      if (error instanceof ScheduleError) throw new UsageError(`--schedule ${values.schedule}: ${error.message}`);
      throw error;
    }
  }
  if (values.record !== undefined && !values.record.toLowerCase().endsWith('.wav')) {
    throw new UsageError(`--record writes a WAV file: give it a name ending in .wav, got ${JSON.stringify(values.record)}`);
  }
  return {
    target,
    cacheMinutes: numberOption('cache-minutes', values['cache-minutes']!, 0.05, 24 * 60),
    cacheDir: values['cache-dir'] ?? defaultCacheDir(target),
    stall: numberOption('stall', values.stall!, 0.1, 60),
    retryMax: numberOption('retry-max', values['retry-max']!, 0.1, 3600),
    volume: numberOption('volume', values.volume!, 0, 1),
    schedule,
    ramp: numberOption('ramp', values.ramp!, 0, 3600),
    sink,
    record: values.record,
  };
}

function numberOption(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The OS's cache folder (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows; else tmp), per host and channel. */
export function defaultCacheDir(target: FeedTarget, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  let base: string;
  if (platform === 'win32') base = env.LOCALAPPDATA ?? os.tmpdir();
  else if (platform === 'darwin') base = home ? path.join(home, 'Library', 'Caches') : os.tmpdir();
  else base = env.XDG_CACHE_HOME ?? (home ? path.join(home, '.cache') : os.tmpdir());
  const name = `${target.host}-${target.channel}`.replace(/[^A-Za-z0-9._-]+/g, '_');
  return path.join(base, 'wavecast-play', name);
}
