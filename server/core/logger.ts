/**
 * One pino root logger; each module takes a child named for itself (`logger('mixer')`), so a log
 * line says where it came from. LOG_LEVEL overrides the level (default `info`; tests run `silent`
 * unless LOG_LEVEL is set, so their output stays readable).
 */
import { pino, type Logger } from 'pino';

const defaultLevel = process.env.NODE_TEST_CONTEXT ? 'silent' : 'info';
const root = pino({ level: process.env.LOG_LEVEL ?? defaultLevel });

export function logger(module: string): Logger {
  return root.child({ module });
}

export type { Logger };
