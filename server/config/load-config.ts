/**
 * Reads and validates the config file and the environment. Any problem is a
 * WAVECAST_ERR_CONFIG whose message names the file and the field, e.g.
 * `config/default.json: channels[0].sampleRate: sampleRate must be one of 8000, …`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { WavecastError } from '../core/errors.js';
import { formatFieldPath } from '../core/field-path.js';
import { PROJECT_ROOT } from '../core/project-root.js';
import { configSchema, type WavecastConfig } from './config-schema.js';

export const DEFAULT_CONFIG_PATH = path.join(PROJECT_ROOT, 'config/default.json');

function describeIssues(file: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => `${file}: ${formatFieldPath(issue.path) || '(root)'}: ${issue.message}`)
    .join('\n');
}

/** Validates an already-parsed config object; `source` names it in errors. */
export function parseConfig(value: unknown, source: string): WavecastConfig {
  const result = configSchema.safeParse(value);
  if (!result.success) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', describeIssues(source, result.error));
  }
  return result.data;
}

/** Reads, parses and validates a config file. */
export function loadConfigFile(file: string): WavecastConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: cannot read config file (${(cause as Error).message})`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  return parseConfig(json, file);
}

/** What the process environment sets. */
export interface EnvSettings {
  /** TCP port (PORT, default 8000). */
  port: number;
  /** Interface to bind (HOST, default 0.0.0.0 so players on the venue's network reach it). */
  host: string;
  /** Config file (CONFIG, default config/default.json). */
  configPath: string;
  /** Bearer token for operator writes (OPERATOR_TOKEN); undefined when unset. */
  operatorToken: string | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvSettings {
  const portText = env.PORT ?? '8000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `environment: PORT must be an integer 0–65535, got "${portText}"`);
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    configPath: env.CONFIG ? path.resolve(env.CONFIG) : DEFAULT_CONFIG_PATH,
    operatorToken: env.OPERATOR_TOKEN || undefined,
  };
}
