/**
 * `npm start`: reads the environment and config, starts the station and serves it.
 * A bad config or model stops start-up with a message that names what is wrong.
 */
import { WavecastError } from './core/errors.js';
import { loadConfigFile, readEnv } from './config/load-config.js';
import { startServer } from './web/listen.js';
import { logger } from './core/logger.js';

const log = logger('main');

async function main(): Promise<void> {
  const env = readEnv();
  const config = loadConfigFile(env.configPath);
  const running = await startServer({ config, port: env.port, host: env.host, operatorToken: env.operatorToken });
  log.info(`listener page: ${running.url}/   operator panel: ${running.url}/panel`);
  if (running.operatorTokenGenerated) {
    // Shown once, here only (never logged again): whoever started the server can operate it.
    console.log(`\nOPERATOR_TOKEN was not set; this run's operator token is:\n\n    ${running.operatorToken}\n`);
  }
  for (const channel of running.station.channels.values()) {
    log.info(`channel ${channel.id}: ${running.url}/stream/${channel.id} (MP3) and ${running.url.replace(/^http/, 'ws')}/ws/${channel.id} (PCM)`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof WavecastError ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error);
  console.error(`wavecast could not start:\n${message}`);
  process.exit(1);
});
