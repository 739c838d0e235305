/**
 * The thin Node binding, and where the real parts are wired together: the models folder as the
 * station's catalogue, worker-thread generators as its factory, its hono app on a port and the
 * WebSocket upgrade. Used by server/main.ts and by the end-to-end tests (which bind 127.0.0.1:0).
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { WavecastConfig } from '../config/config-schema.js';
import { buildPlayerWeb } from './player-web-assets.js';
import { generateOperatorToken } from './operator-auth.js';
import { logger } from '../core/logger.js';
import { PROJECT_ROOT } from '../core/project-root.js';
import { WorkerGenerator } from '../inference/worker-generator.js';
import { ModelDirectory } from '../station/model-catalogue.js';
import { Station } from '../station/station.js';
import { pcmFeedUpgradeHandler } from './pcm-feed.js';

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
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const assets = await buildPlayerWeb();
  const { engine, inferenceThreads: threads, modelsDir } = options.config.server;
  const models = new ModelDirectory(path.resolve(PROJECT_ROOT, modelsDir));
  const station = await Station.start({
    config: options.config,
    catalogue: models,
    // Each model on a worker thread of its own, so inference never blocks the event loop.
    createGenerator: (manifest) => new WorkerGenerator({ dir: models.dirOf(manifest), engine, threads }),
  });
  const operatorToken = options.operatorToken ?? generateOperatorToken();
  const app = createApp(station, { operatorToken, assets });
  const upgrade = pcmFeedUpgradeHandler(station);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s as Server));
    s.once('error', reject);
  });
  server.on('upgrade', upgrade);
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
      upgrade.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await station.stop();
    },
  };
}
