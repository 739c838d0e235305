/**
 * The load run's results: per kind of listener the spread of real-time ratios and times to first
 * byte, the gaps, stalls and early ends; the server's CPU (cores, its children included) and
 * memory; how busy the machine was; and for a soak, the operator's changes and the RSS growth.
 * As one JSON object (`--json`) or a small table.
 */
import type { ListenerKind, ListenerResult } from './listener-result.js';
import { realTimeRatio } from './listener-result.js';
import { spread, type Spread } from './percentiles.js';

/** A listener below this real-time ratio fell behind (issue 14's bar). */
export const REAL_TIME_BAR = 0.95;

export interface KindSummary {
  listeners: number;
  /** Listeners whose stream ended before the run did (refused, closed, cut), with why, counted. */
  endedEarly: Record<string, number>;
  /** Listeners that never got an audio byte. */
  noAudio: number;
  realTime: Spread;
  belowRealTime: number;
  ttfbMs: Spread;
  gaps: number;
  stalls: number;
  longestSilenceMs: number;
  titles: Spread;
}

export interface ServerSummary {
  /** Cores the server's process and its children used in the steady window (null: pid unknown). */
  cpuCores: number | null;
  /** The server process's resident memory at the end, and its peak (MiB); with children at the end. */
  rssMiB: number | null;
  rssPeakMiB: number | null;
  treeRssMiB: number | null;
  /** Processes in its tree (the server and its `lame` children). */
  processes: number | null;
  /** Listeners the server counted at the start of the steady window. */
  listeners: number;
  /** Underruns and slow listeners dropped during the run, all channels. */
  underruns: number;
  slowListeners: number;
}

export interface MachineSummary {
  cores: number;
  /** Cores busy on the whole machine in the steady window: the server, the load generator and anything else. */
  busyCores: number;
  /** Cores the client processes used in the steady window. */
  loadGeneratorCores: number;
  /** busy − server − load generator: other work on the machine (another test run, a build). */
  otherCores: number | null;
  loadAverage: { start: number; end: number };
  /** The worst event-loop delay of a client process (ms): large, and its listeners' numbers are suspect. */
  clientEventLoopMaxMs: number;
  /** Connections dropped by a full accept queue during the run (machine-wide): each is a SYN retried after 1 s or more. */
  listenOverflows: number;
}

export interface SoakSummary {
  changes: number;
  changesFailed: number;
  /** Server RSS after the warm-up and at the end (medians of 10 s), MiB, and the growth between. */
  rssAfterWarmupMiB: number;
  rssEndMiB: number;
  rssGrowth: number;
}

export interface LoadReport {
  run: Record<string, unknown>;
  /** Seconds of the steady window (after the ramp and a settling pause) the CPU figures cover. */
  windowSeconds: number;
  listeners: Partial<Record<ListenerKind, KindSummary>>;
  server: ServerSummary;
  machine: MachineSummary;
  soak?: SoakSummary;
}

export function summariseKind(results: readonly ListenerResult[]): KindSummary {
  const endedEarly: Record<string, number> = {};
  for (const result of results) if (result.ended !== undefined) endedEarly[result.ended] = (endedEarly[result.ended] ?? 0) + 1;
  const heard = results.filter((r) => r.ttfbMs !== null);
  const ratios = results.map((r) => realTimeRatio(r));
  return {
    listeners: results.length,
    endedEarly,
    noAudio: results.length - heard.length,
    realTime: spread(ratios),
    belowRealTime: ratios.filter((ratio) => ratio < REAL_TIME_BAR).length,
    ttfbMs: spread(heard.map((r) => r.ttfbMs!)),
    gaps: results.reduce((n, r) => n + r.gaps, 0),
    stalls: results.reduce((n, r) => n + r.stalls, 0),
    longestSilenceMs: results.reduce((n, r) => Math.max(n, r.longestSilenceMs), 0),
    titles: spread(results.map((r) => r.titles)),
  };
}

const fixed = (value: number | null, digits: number) => (value === null || Number.isNaN(value) ? '–' : value.toFixed(digits));

/** The report as a few lines of text and a table. */
export function formatReport(report: LoadReport): string {
  const lines: string[] = [];
  lines.push(`run: ${Object.entries(report.run).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ')}`);
  lines.push('');
  lines.push('| listeners | n | real time min / p1 / p50 | < 0.95 | TTFB p50 / p99 / max (ms) | gaps | stalls > limit | longest silence (ms) | ended early |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [kind, s] of Object.entries(report.listeners)) {
    const early = Object.entries(s.endedEarly).map(([why, n]) => `${n}× ${why}`).join('; ') || '0';
    lines.push(
      `| ${kind === 'http' ? 'HTTP MP3' : 'WebSocket s16le'} | ${s.listeners} | ${fixed(s.realTime.min, 3)} / ${fixed(s.realTime.p1, 3)} / ${fixed(s.realTime.p50, 3)} | ${s.belowRealTime} | ` +
        `${fixed(s.ttfbMs.p50, 0)} / ${fixed(s.ttfbMs.p99, 0)} / ${fixed(s.ttfbMs.max, 0)} | ${s.gaps} | ${s.stalls} | ${fixed(s.longestSilenceMs, 0)} | ${early} |`,
    );
  }
  const { server, machine } = report;
  lines.push('');
  lines.push(
    `server: ${fixed(server.cpuCores, 2)} cores (process and children, ${server.processes ?? '–'} processes) over ${report.windowSeconds.toFixed(0)} s, ` +
      `RSS ${fixed(server.rssMiB, 0)} MiB (peak ${fixed(server.rssPeakMiB, 0)}, with children ${fixed(server.treeRssMiB, 0)}), ` +
      `${server.listeners} listeners counted, ${server.underruns} underruns, ${server.slowListeners} slow listeners dropped`,
  );
  lines.push(
    `machine: ${machine.cores} cores, ${machine.busyCores.toFixed(2)} busy (load generator ${machine.loadGeneratorCores.toFixed(2)}, other ${fixed(machine.otherCores, 2)}), ` +
      `load average ${machine.loadAverage.start.toFixed(2)} → ${machine.loadAverage.end.toFixed(2)}, client event-loop max delay ${machine.clientEventLoopMaxMs.toFixed(0)} ms, ` +
      `${machine.listenOverflows} connections dropped by a full accept queue`,
  );
  if (report.soak) {
    const s = report.soak;
    lines.push(
      `soak: ${s.changes} operator changes (${s.changesFailed} failed), RSS ${s.rssAfterWarmupMiB.toFixed(0)} MiB after warm-up → ${s.rssEndMiB.toFixed(0)} MiB at the end: ${(s.rssGrowth * 100).toFixed(1)} % growth`,
    );
  }
  return lines.join('\n');
}
