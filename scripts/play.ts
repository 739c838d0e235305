/**
 * `npm run play -- <channel URL> [options]` (or `wavecast-play …`): the shop player. Plays a
 * channel on this machine's sound output and never goes silent: a network cut is bridged from a
 * rolling cache of what it played (scripts/player/). Titles go to stdout, one line per change;
 * what the player does (connected, playing from the cache, live again) goes to stderr.
 *
 *   npm run play -- http://shop-box:8000/stream/lobby
 *   npm run play -- ws://shop-box:8000/ws/lobby --schedule volume.json
 *   npm run play -- http://127.0.0.1:8000/stream/lobby --sink none --record out.wav
 *
 * Exit status: 0 after SIGINT/SIGTERM (the recording finished), 2 for a bad command line (or a
 * --record file that cannot be written), 1 when
 * the sound output cannot be opened or the server refuses the channel at the first connection.
 */
import { parsePlayerOptions, USAGE } from './player/player-options.js';
import { ShopPlayer } from './player/player.js';
import { UsageError } from './player/usage-error.js';
import { SoundOutputError } from './player/web-audio-output.js';

const stamp = () => new Date().toLocaleTimeString(undefined, { hour12: false });
const report = (line: string) => process.stderr.write(`[${stamp()}] wavecast-play: ${line}\n`);

let options;
try {
  options = parsePlayerOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`wavecast-play: ${error.message}\n(wavecast-play --help lists the options)\n`);
  process.exit(2);
}
if ('help' in options) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

let stopping: Promise<void> | undefined;
const player = new ShopPlayer(options, {
  title: (line) => process.stdout.write(`${line}\n`),
  report,
  fatal: (message) => {
    report(`cannot play: ${message}`);
    void stop(1);
  },
});

async function stop(code: number): Promise<void> {
  stopping ??= player.stop().finally(() => process.exit(code));
  return stopping;
}

try {
  player.start();
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`wavecast-play: ${error.message}\n`);
    process.exit(2);
  }
  if (!(error instanceof SoundOutputError)) throw error;
  report(error.message);
  process.exit(1);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
