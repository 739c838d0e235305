/**
 * `npm run load`'s command line, checked: every option with its default written once, bounds that
 * keep a run finite (at most {@link MAX_CLIENTS} clients, {@link MAX_SECONDS} seconds), and a
 * target that is this machine only (a load test aimed at someone else's server is an attack).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { Seconds } from '../../server/core/units.js';
import { UsageError } from '../player/usage-error.js';

/** Most clients (HTTP + WebSocket) one run opens. */
export const MAX_CLIENTS = 20_000;
/** Longest run, and longest soak (seconds). */
export const MAX_SECONDS = 3_600;
/** Clients one client process carries at most when `--procs` is not given. */
const CLIENTS_PER_PROCESS = 1_500;
/** A soak's listeners when `--http` and `--ws` are not given: 200, as in issue 14. */
const SOAK_LISTENERS = { http: 160, ws: 40 } as const;

export const USAGE = `usage: npm run load -- [options]

  Starts a wavecast server (a child process, temporary config) or uses --url, opens HTTP MP3 and
  WebSocket PCM listeners on its channels, and reports per-listener real-time ratio, gaps, stalls
  and time to first byte, and the server's CPU (its process and children, in cores) and RSS.

  --http N             MP3 listeners (default 100; 160 in a soak)
  --ws M               WebSocket s16le listeners (default 20; 40 in a soak)
  --channels K         waveform channels of the started server (default 1)
  --model ID           their model (default wavegan-untrained)
  --symbolic N         symbolic channels besides them (default 0)
  --ramp S             seconds over which the listeners join, evenly (default 5)
  --seconds S          seconds the listeners stay after the ramp (default 30; at most ${MAX_SECONDS})
  --soak S             soak: S seconds, an operator change every --change-every s, RSS growth after --warmup
  --change-every S     seconds between operator changes in a soak (default 30)
  --warmup S           seconds of a soak before RSS is taken as the base (default: a quarter, at most 60)
  --icy F              share of MP3 listeners that ask for ICY metadata, as VLC and mpv do (default 0.5)
  --stall S            a listener receiving nothing for longer than this counts a stall (default 1)
  --settle S           a listener's real-time ratio counts from this long after its first byte (default 2)
  --burst S            the server's burst (seconds of audio a listener gets at once; default 2)
  --per-address N      listeners per loopback source address (127.1.x.y), as many clients would (default 32;
                       0: all from 127.0.0.1); only for a server on 127.x
  --procs P            client processes (default: one per ${CLIENTS_PER_PROCESS} clients, at most the cores)
  --url URL            use a running server on this machine (127.0.0.1, ::1, localhost) instead
  --pid PID            its process id, so its CPU and RSS are measured too
  --token T            its operator token, for a soak's changes (default: OPERATOR_TOKEN)
  --cpu-prof DIR       run the started server with --cpu-prof, profiles written to DIR
  --json               results alone on stdout (one JSON object); logs on stderr
  --help               this text`;

export interface LoadOptions {
  http: number;
  ws: number;
  /** Waveform channels of a started server. */
  channels: number;
  model: string;
  symbolic: number;
  ramp: Seconds;
  /** Seconds the listeners stay after the ramp. */
  seconds: Seconds;
  /** Set in a soak: changes every `changeEvery` seconds, RSS growth measured after `warmup`. */
  soak?: { changeEvery: Seconds; warmup: Seconds };
  icyShare: number;
  stall: Seconds;
  /** A listener's window after the burst starts this long after its first audio byte. */
  settle: Seconds;
  burst: Seconds;
  procs: number;
  /** Listeners per loopback source address; undefined: all from the default one. */
  perAddress?: number;
  url?: string;
  /** The --url server's process id (its CPU and RSS are read from /proc). */
  pid?: number;
  token?: string;
  cpuProfDir?: string;
  json: boolean;
}

/** True for an address of this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function number(flags: Record<string, string | undefined>, name: string, fallback: number, check: { min: number; max: number; integer?: boolean }): number {
  const text = flags[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < check.min || value > check.max || (check.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${check.integer ? 'a whole number' : 'a number'} from ${check.min} to ${check.max}, got "${text}"`);
  }
  return value;
}

/** `{ help: true }` for --help; otherwise the checked options. @throws UsageError */
export function parseLoadOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): LoadOptions | { help: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        http: { type: 'string' },
        ws: { type: 'string' },
        channels: { type: 'string' },
        model: { type: 'string' },
        symbolic: { type: 'string' },
        ramp: { type: 'string' },
        seconds: { type: 'string' },
        soak: { type: 'string' },
        'change-every': { type: 'string' },
        warmup: { type: 'string' },
        icy: { type: 'string' },
        stall: { type: 'string' },
        burst: { type: 'string' },
        settle: { type: 'string' },
        procs: { type: 'string' },
        'per-address': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        pid: { type: 'string' },
        'cpu-prof': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const flags = parsed.values as Record<string, string | undefined> & { json: boolean; help: boolean };
  if (flags.help) return { help: true };
  const soakSeconds = flags.soak === undefined ? undefined : number(flags, 'soak', 0, { min: 1, max: MAX_SECONDS });
  if (soakSeconds !== undefined && flags.seconds !== undefined) throw new UsageError('--soak S sets the length of a soak: leave out --seconds');
  const http = number(flags, 'http', soakSeconds === undefined ? 100 : SOAK_LISTENERS.http, { min: 0, max: MAX_CLIENTS, integer: true });
  const ws = number(flags, 'ws', soakSeconds === undefined ? 20 : SOAK_LISTENERS.ws, { min: 0, max: MAX_CLIENTS, integer: true });
  if (http + ws > MAX_CLIENTS) throw new UsageError(`--http + --ws must be at most ${MAX_CLIENTS}, got ${http + ws}`);
  if (http + ws === 0) throw new UsageError('--http + --ws must be at least 1');
  const seconds = soakSeconds ?? number(flags, 'seconds', 30, { min: 1, max: MAX_SECONDS });
  const ramp = number(flags, 'ramp', 5, { min: 0, max: MAX_SECONDS });
  const soak =
    soakSeconds === undefined
      ? undefined
      : {
          changeEvery: number(flags, 'change-every', 30, { min: 1, max: MAX_SECONDS }),
          warmup: number(flags, 'warmup', Math.min(60, soakSeconds / 4), { min: 0, max: soakSeconds - 1 }),
        };
  if (flags.pid !== undefined && flags.url === undefined) throw new UsageError('--pid names the --url server: give both, or neither');
  if (flags.url !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.url);
    } catch {
      throw new UsageError(`--url must be an http:// address, got "${flags.url}"`);
    }
    if (url.protocol !== 'http:') throw new UsageError(`--url must be an http:// address, got "${flags.url}"`);
    if (!isLoopbackHost(url.hostname)) {
      throw new UsageError(`--url must be this machine (127.0.0.1, ::1 or localhost), got "${url.hostname}": a load test is for your own box`);
    }
    for (const option of ['channels', 'symbolic', 'cpu-prof', 'model'] as const) {
      if (flags[option] !== undefined) throw new UsageError(`--${option} shapes the server load starts: leave it out with --url`);
    }
  }
  const channels = number(flags, 'channels', 1, { min: 0, max: 256, integer: true });
  const symbolic = number(flags, 'symbolic', 0, { min: 0, max: 256, integer: true });
  if (flags.url === undefined && channels + symbolic === 0) throw new UsageError('--channels + --symbolic must be at least 1');
  const perAddress = number(flags, 'per-address', 32, { min: 0, max: MAX_CLIENTS, integer: true });
  // The listeners connect from 127.1.x.y, which reaches a server on 127.x only (not ::1).
  const spread = perAddress > 0 && (flags.url === undefined || /^127(\.\d{1,3}){3}$/.test(new URL(flags.url).hostname));
  if (perAddress > 0 && !spread && flags['per-address'] !== undefined) throw new UsageError('--per-address needs a server on a 127.x address (the listeners connect from 127.1.x.y)');
  const clients = http + ws;
  const procs = number(flags, 'procs', Math.max(1, Math.min(availableParallelism(), Math.ceil(clients / CLIENTS_PER_PROCESS))), { min: 1, max: 64, integer: true });
  return {
    http,
    ws,
    channels,
    model: flags.model ?? 'wavegan-untrained',
    symbolic,
    ramp,
    seconds,
    soak,
    icyShare: number(flags, 'icy', 0.5, { min: 0, max: 1 }),
    stall: number(flags, 'stall', 1, { min: 0.05, max: 60 }),
    settle: number(flags, 'settle', 2, { min: 0, max: 60 }),
    burst: number(flags, 'burst', 2, { min: 0, max: 10 }),
    procs: Math.min(procs, clients),
    perAddress: spread ? perAddress : undefined,
    url: flags.url === undefined ? undefined : new URL(flags.url).origin,
    pid: flags.pid === undefined ? undefined : number(flags, 'pid', 0, { min: 1, max: 2 ** 22, integer: true }),
    token: flags.token ?? (env.OPERATOR_TOKEN || undefined),
    cpuProfDir: flags['cpu-prof'],
    json: flags.json,
  };
}
