/**
 * The thin Node binding, and where the real parts are wired together: the models folder as the
 * station's catalogue, worker-thread generators as its factory, its hono app on a port and the
 * WebSocket upgrade. Used by server/main.ts and by the end-to-end tests (which bind 127.0.0.1:0).
 */
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { WavecastConfig } from '../config/config-schema.js';
import { buildPlayerWeb } from './player-web-assets.js';
import { generateOperatorToken } from '../config/operator-token.js';
import { WavecastError } from '../core/errors.js';
import { applyOperatorState, readOperatorState, recordOperatorState } from '../station/operator-state.js';
import { logger } from '../core/logger.js';
import { PROJECT_ROOT } from '../core/project-root.js';
import { WorkerGenerator } from '../inference/worker-generator.js';
import { ModelDirectory } from '../station/model-catalogue.js';
import { Station } from '../station/station.js';
import { pcmFeedUpgradeHandler } from './pcm-feed.js';
import { ConnectionLimit } from './connection-limit.js';
import { deadlineServerOptions, enforceDeadlines } from './request-deadlines.js';

const log = logger('server');

export interface RunningServer {
  station: Station;
  /** Base URL, e.g. http://127.0.0.1:8000 */
  url: string;
  port: number;
  /** The bearer token operator writes need. */
  operatorToken: string;
  /** True when no token was given and this one was made up at start (shown once by main.ts). */
  operatorTokenGenerated: boolean;
  close(): Promise<void>;
}

export interface StartOptions {
  config: WavecastConfig;
  port: number;
  host: string;
  /** OPERATOR_TOKEN; a random one is made when it is unset. */
  operatorToken?: string;
  /**
   * Where the operator's changes are kept across restarts (config/state.json beside the config,
   * from main.ts); none: changes last until the server stops.
   */
  stateFile?: string;
}

/**
 * The error a failed listen on `port` is, for a person: a port in use or one that needs root is
 * one line saying what to do; anything else is left as it is.
 */
function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new WavecastError('WAVECAST_ERR_CONFIG', `port ${port} on ${host} is in use (another wavecast, or another program, listens there): stop it, or start on another port, e.g. PORT=${port + 1} npm start`);
  }
  if (code === 'EACCES') {
    return new WavecastError('WAVECAST_ERR_CONFIG', `port ${port} on ${host} needs privileges this user lacks (ports below 1024 do): use a port above 1024, e.g. PORT=8000, behind a proxy (docs/deploy)`);
  }
  return error;
}

/** Fails fast, before models load, when the port cannot be listened on. */
async function checkPort(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (error) => reject(listenError(error, port, host)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** How long a stopping server waits for listeners' streams to end properly before cutting them. */
const SHUTDOWN_GRACE_MS = 1000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  await checkPort(options.port, options.host);
  const assets = await buildPlayerWeb();
  const { engine, inferenceThreads: threads, modelsDir, inferenceTimeout: hangTimeout } = options.config.server;
  const models = new ModelDirectory(path.resolve(PROJECT_ROOT, modelsDir));
  const start = (config: WavecastConfig) =>
    Station.start({
      config,
      catalogue: models,
      // Each model on a worker thread of its own, so inference never blocks the event loop.
      createGenerator: (manifest) => new WorkerGenerator({ dir: models.dirOf(manifest), engine, threads, hangTimeout }),
    });
  const saved = options.stateFile === undefined ? undefined : await readOperatorState(options.stateFile);
  let station: Station;
  if (saved) {
    const { config, restored, skipped } = applyOperatorState(options.config, saved);
    for (const { channel, reason } of skipped) log.warn({ channel, file: options.stateFile, reason }, 'a saved operator change does not fit; the config applies');
    try {
      station = await start(config);
      if (restored.length > 0) log.info({ channels: restored, file: options.stateFile }, 'operator changes restored');
    } catch (error) {
      // Saved changes that no longer fit the models (a style a retrained model lacks) must not keep the station off air.
      log.warn({ file: options.stateFile, err: error }, 'the saved operator changes do not fit the models any more; starting from the config');
      station = await start(options.config);
    }
  } else {
    station = await start(options.config);
  }
  const recorder = options.stateFile === undefined ? undefined : recordOperatorState(station, options.stateFile);
  const operatorToken = options.operatorToken ?? generateOperatorToken();
  const limits = options.config.server;
  const connections = new ConnectionLimit(limits.maxConnectionsPerAddress);
  const app = createApp(station, { operatorToken, assets, connections });
  const upgrade = pcmFeedUpgradeHandler(station, connections);
  const serverOptions = deadlineServerOptions(limits);
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host, serverOptions }, () => resolve(s as Server));
      s.once('error', reject);
    });
  } catch (error) {
    // Taken since the check (a race): stop what started, and say what to do.
    await station.stop();
    throw listenError(error, options.port, options.host);
  }
  server.on('upgrade', upgrade);
  enforceDeadlines(server, limits, connections);
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' ? 'localhost' : options.host;
  const url = `http://${shownHost}:${port}`;
  log.info({ url }, 'listening');
  return {
    station,
    url,
    port,
    operatorToken,
    operatorTokenGenerated: options.operatorToken === undefined,
    async close() {
      recorder?.stop();
      await recorder?.flush();
      // Stop taking connections, end every listener's stream properly (the MP3 body's last
      // chunk, a WebSocket 1001), give those a moment to go out, then cut what is left.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const { output } of station.channels.values()) output.endListeners();
      server.closeIdleConnections?.();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS))]);
      upgrade.close();
      server.closeAllConnections?.();
      await closed;
      await station.stop();
    },
  };
}
