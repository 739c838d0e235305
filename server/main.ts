/**
 * `npm start`: reads the environment and config, starts the station and serves it.
 * A bad config or model, or a port in use, stops start-up with one line that names what is wrong.
 * Beside the config file live what the server keeps across restarts: `operator-token` (mode 0600,
 * when OPERATOR_TOKEN is unset) and `state.json` (the operator's changes).
 */
import path from 'node:path';
import { WavecastError } from './core/errors.js';
import { loadConfigFile, readEnv } from './config/load-config.js';
import { resolveOperatorToken } from './config/operator-token.js';
import { startServer } from './web/listen.js';
import { logger } from './core/logger.js';

const log = logger('main');

async function main(): Promise<void> {
  const env = readEnv();
  const config = loadConfigFile(env.configPath);
  const configDir = path.dirname(env.configPath);
  const token = await resolveOperatorToken(env.operatorToken, path.join(configDir, 'operator-token'));
  const running = await startServer({
    config,
    port: env.port,
    host: env.host,
    operatorToken: token.token,
    stateFile: path.join(configDir, 'state.json'),
  });
  log.info(`listener page: ${running.url}/   operator panel: ${running.url}/panel`);
  for (const channel of running.station.channels.values()) {
    log.info(`channel ${channel.id}: ${running.url}/stream/${channel.id} (MP3) and ${running.url.replace(/^http/, 'ws')}/ws/${channel.id} (PCM)`);
  }
  // On stderr, after the logs, set apart: the one thing a person starting the server must see.
  if (token.source === 'generated') {
    console.error(`\nOperator token (the panel asks for it once): ${token.token}\n  saved in ${token.file} (mode 600) and used at every start; to change it, edit or delete that file, or set OPERATOR_TOKEN.\n`);
  } else if (token.source === 'file') {
    console.error(`\nOperator token: in ${token.file} (to change it, edit or delete that file, or set OPERATOR_TOKEN).\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await running.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // A known problem is one line; anything else keeps its stack for the bug report.
  const message = error instanceof WavecastError ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error);
  console.error(`wavecast could not start: ${message}`);
  process.exit(1);
});
