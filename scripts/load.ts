/**
 * `npm run load -- [options]` (`--help` lists them): the one-box load test. Starts a wavecast
 * server as a child process with a temporary config (K waveform channels, N symbolic ones) or
 * uses `--url` (this machine only), opens N HTTP MP3 and M WebSocket s16le listeners over its
 * channels, ramped in over `--ramp` s, keeps them `--seconds` s, and reports per listener the
 * real-time ratio (audio after the burst per second listened), WebSocket sequence gaps, stalls
 * (nothing for `--stall` s) and time to the first audio byte; the server's CPU (its process and
 * children, as cores) and RSS; and how busy the machine was. `--soak S`: 200 listeners by default,
 * an operator change every 30 s, and the server's RSS growth after the warm-up.
 *
 * The listeners live in client processes (`--procs`, one per 1 500 by default, at most the cores),
 * so neither the server's measurements nor the listeners' event loops include the other's work.
 *
 * With --json, stdout is one JSON object (LoadReport, scripts/load/load-report.ts) and nothing else.
 */
import './logs-to-stderr.js';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import type { ChannelSummary } from '../server/web/wire.js';
import { startClientPool, type ClientPool } from './load/client-pool.js';
import { parseLoadOptions, USAGE, type LoadOptions } from './load/load-options.js';
import { formatReport, summariseKind, type LoadReport } from './load/load-report.js';
import { listenerSchedule } from './load/listener-schedule.js';
import { OperatorChanges } from './load/operator-changes.js';
import { coresBetween, listenOverflows, loadAverage, machineCoresBetween, readMachineTicks } from './load/process-usage.js';
import { startServerChild, type ServerChild } from './load/server-child.js';
import { UsageSampler } from './load/usage-sampler.js';
import { UsageError } from './player/usage-error.js';

const MIB = 1024 * 1024;
/** Seconds after the ramp before the steady window starts: the last bursts go out. */
const SETTLE_SECONDS = 2;
/** Seconds of samples a soak's RSS medians are taken over. */
const RSS_MEDIAN_SECONDS = 10;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** This process's soft limit on open files (a listener is one socket on each side). */
function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line?.trim().split(/\s+/)[3] ?? Infinity);
}

async function channelsOf(url: string): Promise<ChannelSummary[]> {
  const response = await fetch(`${url}/api/channels`);
  if (!response.ok) throw new Error(`${url}/api/channels answered ${response.status}`);
  return (await response.json()) as ChannelSummary[];
}

async function run(options: LoadOptions): Promise<LoadReport> {
  const clients = options.http + options.ws;
  const limit = openFileLimit();
  if (clients + 200 > limit) {
    throw new UsageError(`${clients} listeners need more open files than this shell allows (ulimit -n = ${limit}): raise it (ulimit -n ${clients + 1000}) and run again`);
  }
  if (options.soak && options.url !== undefined && !options.token) throw new UsageError('a soak against --url needs the operator token: --token or OPERATOR_TOKEN');
  let server: ServerChild | undefined;
  let pool: ClientPool | undefined;
  let sampler: UsageSampler | undefined;
  try {
    if (options.url === undefined) {
      log(`starting a server: ${options.channels} × ${options.model}${options.symbolic ? ` + ${options.symbolic} symbolic` : ''}`);
      server = await startServerChild({ ...options, maxListenersPerChannel: clients });
      log(`server ${server.url} (pid ${server.pid})`);
    }
    const url = server?.url ?? options.url!;
    const pid = server?.pid ?? options.pid;
    const channels = await channelsOf(url);
    pool = await startClientPool(options.procs);
    sampler = pid === undefined ? undefined : new UsageSampler(pid);

    const startAt = Date.now() + 500;
    const rampMs = options.ramp * 1000;
    const settle = Math.min(SETTLE_SECONDS, options.seconds / 4);
    const windowStartAt = startAt + rampMs + settle * 1000;
    const endAt = startAt + rampMs + options.seconds * 1000;
    const listeners = listenerSchedule({ ...options, channels: channels.map((c) => c.id), startAt, rampMs });
    log(`${options.http} MP3 + ${options.ws} WebSocket listeners on ${channels.length} channel(s), ${options.procs} client process(es), ramp ${options.ramp} s, then ${options.seconds} s`);
    const reports = pool.run({ url, windowStartAt, endAt, stallMs: options.stall * 1000, settleMs: options.settle * 1000, burst: options.burst }, listeners);

    const operator = options.soak
      ? new OperatorChanges({ url, token: server?.operatorToken ?? options.token!, channels: channels.map((c) => ({ id: c.id, model: c.model })), everySeconds: options.soak.changeEvery })
      : undefined;
    const loadStart = loadAverage();
    const overflowsAtStart = listenOverflows();
    // The steady window: CPU from here to the end, the server's counters at its start.
    await new Promise((resolve) => setTimeout(resolve, windowStartAt - Date.now()));
    const machineBefore = readMachineTicks();
    const serverBefore = sampler?.read();
    const atWindowStart = await channelsOf(url);
    const clientReports = await reports;
    const machineAfter = readMachineTicks();
    const serverAfter = sampler?.read();
    await operator?.stop();
    const atEnd = await channelsOf(url);
    sampler?.stop();

    const windowSeconds = (endAt - windowStartAt) / 1000;
    const results = clientReports.flatMap((r) => r.results);
    const loadGeneratorCores = clientReports.reduce((n, r) => n + r.cpuSeconds / Math.max(1e-3, r.windowSeconds), 0);
    const cores = availableParallelism();
    const busyCores = machineCoresBetween(machineBefore, machineAfter, cores);
    const serverCores = serverBefore && serverAfter ? coresBetween(serverBefore, serverAfter) : null;
    const sum = (list: ChannelSummary[], field: 'underruns' | 'slowListeners' | 'listeners') => list.reduce((n, c) => n + c[field], 0);
    const report: LoadReport = {
      run: {
        http: options.http,
        ws: options.ws,
        channels: channels.length,
        ...(server ? { waveform: `${options.channels} × ${options.model}`, symbolic: options.symbolic } : { url }),
        ramp: options.ramp,
        seconds: options.seconds,
        procs: options.procs,
        icyShare: options.icyShare,
        ...(options.soak ? { soak: options.soak } : {}),
      },
      windowSeconds,
      listeners: {
        ...(options.http > 0 ? { http: summariseKind(results.filter((r) => r.kind === 'http')) } : {}),
        ...(options.ws > 0 ? { ws: summariseKind(results.filter((r) => r.kind === 'ws')) } : {}),
      },
      server: {
        cpuCores: serverCores,
        rssMiB: serverAfter ? serverAfter.rssBytes / MIB : null,
        rssPeakMiB: sampler ? sampler.peakRss / MIB : null,
        treeRssMiB: serverAfter ? serverAfter.treeRssBytes / MIB : null,
        processes: serverAfter?.processes ?? null,
        listeners: sum(atWindowStart, 'listeners'),
        // Counted since the server started: a started server began with this run.
        underruns: sum(atEnd, 'underruns'),
        slowListeners: sum(atEnd, 'slowListeners'),
      },
      machine: {
        cores,
        busyCores,
        loadGeneratorCores,
        otherCores: serverCores === null ? null : Math.max(0, busyCores - serverCores - loadGeneratorCores),
        loadAverage: { start: loadStart, end: loadAverage() },
        clientEventLoopMaxMs: clientReports.reduce((n, r) => Math.max(n, r.eventLoopMaxMs), 0),
        listenOverflows: listenOverflows() - overflowsAtStart,
      },
    };
    if (options.soak && operator && sampler) {
      const first = sampler.samples[0].at;
      const last = sampler.samples.at(-1)!.at;
      const base = sampler.medianRss(first + options.soak.warmup, first + options.soak.warmup + RSS_MEDIAN_SECONDS);
      const end = sampler.medianRss(last - RSS_MEDIAN_SECONDS, last);
      report.soak = {
        changes: operator.changes,
        changesFailed: operator.failed.length,
        rssAfterWarmupMiB: base / MIB,
        rssEndMiB: end / MIB,
        rssGrowth: end / base - 1,
      };
      for (const failure of operator.failed) log(`operator change failed: ${failure}`);
    }
    return report;
  } finally {
    sampler?.stop();
    pool?.kill();
    await server?.stop();
  }
}

let options: LoadOptions | { help: true };
try {
  options = parseLoadOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if ('help' in options) {
  console.log(USAGE);
  process.exit(0);
}
try {
  const report = await run(options);
  if (options.json) console.log(JSON.stringify(report));
  else console.log(formatReport(report));
  process.exit(0);
} catch (error) {
  console.error(error instanceof UsageError ? error.message : `load: ${(error as Error).stack ?? error}`);
  process.exit(error instanceof UsageError ? 2 : 1);
}

