/**
 * One pino root logger; each module takes a child named for itself (`logger('mixer')`), so a log
 * line says where it came from. The environment decides the rest:
 *
 *   LOG_LEVEL        default `info`; tests run `silent` unless it is set, so their output stays readable
 *   LOG_FORMAT       `pretty` (a readable line, pino-pretty) or `json` (one object a line); default
 *                    pretty when the logs go to a terminal, JSON otherwise and under the test runner
 *   LOG_DESTINATION  `stdout` (default) or `stderr`: scripts whose stdout carries results import
 *                    scripts/logs-to-stderr.ts first
 *
 * Worker threads and child processes inherit the main thread's choices through the environment
 * (a worker thread's stdout is never a terminal, so it could not tell on its own).
 */
import { isMainThread } from 'node:worker_threads';
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';
export type LogDestination = 'stdout' | 'stderr';

const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];
const LOG_DESTINATIONS: readonly LogDestination[] = ['stdout', 'stderr'];

/** The value of `name` in `env` if it is one of `allowed`; unset or empty gives undefined. */
function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | undefined {
  const value = env[name];
  if (!value) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} is "${value}"; it must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * How log lines are written: LOG_FORMAT when set, else readable on a terminal and JSON for
 * anything else (a file, a pipe, a log shipper, the test runner).
 * @example chooseLogFormat({ isTTY: process.stdout.isTTY, env: process.env }) // 'pretty' in a shell
 */
export function chooseLogFormat({ isTTY, env }: { isTTY: boolean | undefined; env: NodeJS.ProcessEnv }): LogFormat {
  const forced = oneOf(env, 'LOG_FORMAT', LOG_FORMATS);
  if (forced) return forced;
  if (env.NODE_TEST_CONTEXT) return 'json';
  return isTTY ? 'pretty' : 'json';
}

/** Where log lines go: LOG_DESTINATION, stdout by default. */
export function chooseLogDestination(env: NodeJS.ProcessEnv): LogDestination {
  return oneOf(env, 'LOG_DESTINATION', LOG_DESTINATIONS) ?? 'stdout';
}

/** pino-pretty run in this thread, synchronously: no transport thread, and no line lost to process.exit(). */
function prettyStream(fd: 1 | 2, colorize: boolean): DestinationStream {
  const pretty = prettyFactory({ colorize, singleLine: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,module', messageFormat: '{if module}{module}: {end}{msg}' });
  const out = pino.destination({ dest: fd, sync: true });
  return { write: (line: string) => void out.write(pretty(line)) };
}

function createRoot(): Logger {
  const destination = chooseLogDestination(process.env);
  const fd = destination === 'stderr' ? 2 : 1;
  const stream = destination === 'stderr' ? process.stderr : process.stdout;
  const format = chooseLogFormat({ isTTY: stream.isTTY, env: process.env });
  // Worker threads started from here log as this thread does.
  if (isMainThread && !process.env.LOG_FORMAT) process.env.LOG_FORMAT = format;
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_TEST_CONTEXT ? 'silent' : 'info');
  return pino({ level }, format === 'pretty' ? prettyStream(fd, Boolean(stream.isTTY)) : pino.destination(fd));
}

const root = createRoot();

export function logger(module: string): Logger {
  return root.child({ module });
}

export type { Logger };
