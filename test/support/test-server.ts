/**
 * Starts a real wavecast server for end-to-end tests: the shipped default config (or another) and models,
 * bound to 127.0.0.1 on a free port (or `port`). Callers close it in `after()`; it also closes itself after
 * `lifetime` seconds so a failed test can never leave it running.
 */
import path from 'node:path';
import { DEFAULT_CONFIG_PATH, loadConfigFile, parseConfig } from '../../server/config/load-config.js';
import { PROJECT_ROOT } from '../../server/core/project-root.js';
import type { WavecastConfig } from '../../server/config/config-schema.js';
import { startServer, type RunningServer } from '../../server/web/listen.js';
import type { ChannelSummary } from '../../server/web/wire.js';

/** The example config with a waveform channel (`texture`) beside the café lobby. */
export const WAVEFORM_EXAMPLE = path.join(PROJECT_ROOT, 'config/examples/with-waveform.json');

export async function startTestServer(
  overrides: {
    server?: Partial<WavecastConfig['server']>;
    channels?: unknown[];
    operatorToken?: string;
    configFile?: string;
    /** A fixed port (e.g. to restart a server where a client reconnects); default: a free one. */
    port?: number;
  } = {},
  lifetime = 300,
): Promise<RunningServer> {
  const base = loadConfigFile(overrides.configFile ?? DEFAULT_CONFIG_PATH);
  const config = parseConfig(
    { server: { ...base.server, ...overrides.server }, channels: overrides.channels ?? base.channels },
    'test config',
  );
  const running = await startServer({ config, port: overrides.port ?? 0, host: '127.0.0.1', operatorToken: overrides.operatorToken ?? 'test-operator-token' });
  let closed = false;
  const guard = setTimeout(() => void close(), lifetime * 1000);
  guard.unref();
  async function close() {
    if (closed) return;
    closed = true;
    clearTimeout(guard);
    await running.close();
  }
  return { ...running, close };
}

/** Reads an HTTP response body for `seconds`, then aborts; resolves with all bytes received. */
export async function captureStream(
  url: string,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<{ bytes: Buffer; headers: Headers; status: number }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const parts: Buffer[] = [];
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  try {
    for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) parts.push(Buffer.from(part));
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
  }
  return { bytes: Buffer.concat(parts), headers: response.headers, status: response.status };
}

/** GET /api/channels of a running server. */
export async function fetchChannels(server: { url: string }): Promise<ChannelSummary[]> {
  return (await fetch(`${server.url}/api/channels`)).json() as Promise<ChannelSummary[]>;
}

/**
 * Polls `check` every `intervalMs` until it returns something truthy, and resolves with that;
 * rejects naming `what` after `seconds`.
 */
export async function waitFor<T>(what: string, check: () => T | undefined | false, seconds: number, intervalMs = 10): Promise<T> {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
