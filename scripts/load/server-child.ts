/**
 * A wavecast server for a load run, in a child process of its own (`node --import tsx
 * server/main.ts`), so its CPU and memory are measured apart from the load generator's: a
 * temporary config (K waveform channels, N symbolic ones, room for every listener), PORT=0 on
 * 127.0.0.1, JSON logs read for the URL it listens on, and an operator token of our own.
 * Its warnings and errors are passed on to stderr; the rest of its log is dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../server/core/project-root.js';
import { INSTRUMENT_PRESET_NAMES } from '../../server/families/symbolic/sound/instrument-presets.js';
import type { Seconds } from '../../server/core/units.js';

/** The committed symbolic model a `--symbolic` channel plays. */
const SYMBOLIC_MODEL = 'symbolic-songs';
/** pino's number for `warn`: lines at or above it are passed on. */
const PINO_WARN = 40;
/** Longest wait for the server to say it listens (models load, every channel fills its buffer). */
const START_TIMEOUT_MS = 120_000;

export interface ServerChildOptions {
  /** Waveform channels `w0…`, each playing `model`. */
  channels: number;
  model: string;
  /** Symbolic channels `s0…`, the instrument presets in turn. */
  symbolic: number;
  /** server.maxListenersPerChannel: at least every listener of the run. */
  maxListenersPerChannel: number;
  burst: Seconds;
  /** Run the server with --cpu-prof, writing its profile here when it stops. */
  cpuProfDir?: string;
}

export interface ServerChild {
  url: string;
  pid: number;
  operatorToken: string;
  /** SIGTERM, then SIGKILL after 15 s; removes the temporary config. */
  stop(): Promise<void>;
}

/** The temporary config: channel ids `w0…` (waveform) and `s0…` (symbolic). */
export function loadConfig(options: ServerChildOptions): unknown {
  const waveform = Array.from({ length: options.channels }, (_, i) => ({ id: `w${i}`, model: options.model, seed: i + 1 }));
  const symbolic = Array.from({ length: options.symbolic }, (_, i) => ({
    id: `s${i}`,
    model: SYMBOLIC_MODEL,
    instrument: INSTRUMENT_PRESET_NAMES[i % INSTRUMENT_PRESET_NAMES.length],
    seed: i + 1,
  }));
  return {
    server: { maxListenersPerChannel: Math.max(2000, options.maxListenersPerChannel), burst: options.burst },
    channels: [...waveform, ...symbolic],
  };
}

/** Starts the server and resolves once it listens. @throws Error with its last log lines when it exits or takes too long. */
export async function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wavecast-load-'));
  const configPath = path.join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(loadConfig(options), null, 2));
  const operatorToken = randomBytes(18).toString('base64url');
  const profile = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options.cpuProfDir)] : [];
  // Under the test runner the logger would be silent: the server must say where it listens.
  const { NODE_TEST_CONTEXT: _testRunner, ...env } = process.env;
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...env, CONFIG: configPath, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', LOG_DESTINATION: 'stdout', OPERATOR_TOKEN: operatorToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
  };
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not listen within ${START_TIMEOUT_MS / 1000} s:\n${recent.join('\n')}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { level?: number; msg?: string; url?: string };
      try {
        entry = JSON.parse(line);
      } catch {
        entry = {};
      }
      if (entry.msg === 'listening' && entry.url) {
        clearTimeout(timer);
        resolve(entry.url);
      }
      if ((entry.level ?? PINO_WARN) >= PINO_WARN) process.stderr.write(`server: ${line}\n`);
      remember(line);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      // main.ts prints the token's hint on stderr; the token is ours, so it says nothing new.
      if (line.trim() && !/operator token/i.test(line)) process.stderr.write(`server: ${line}\n`);
      remember(line);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before it listened:\n${recent.join('\n')}`));
    });
  });
  const stop = () => stopChild(child, dir);
  try {
    return { url: await url, pid: child.pid!, operatorToken, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(kill);
  }
  rmSync(dir, { recursive: true, force: true });
}
