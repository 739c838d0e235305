/**
 * End to end: the shop player (`npm run play`, scripts/player/) against a real server, with the
 * network cut. Two players run side by side, one on the MP3 stream and one on the WebSocket PCM
 * feed, each with `--sink none --record out.wav` and its own cache folder. After ~4 s (their
 * caches filling), the server is closed; ~4 s later a new server starts on the same port, and
 * the players run ~4 s more after they are back on live. The recordings, decoded, must have no
 * silence over 100 ms after the first second (the cut bridged from the cache, the return
 * crossfaded), last as long as the players ran (±10 %: paced by the output, not by the network),
 * and each player must say it went to the cache and came back to live.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { loadConfigFile } from '../server/config/load-config.js';
import { readWav } from '../scripts/player/wav-writer.js';
import { startTestServer, waitFor, WAVEFORM_EXAMPLE } from './support/test-server.js';

/** The example's waveform channel alone: cheap to generate, and never silent (untrained: hiss). */
const CHANNELS = (loadConfigFile(WAVEFORM_EXAMPLE) as { channels: Array<{ id: string }> }).channels.filter((c) => c.id === 'texture');
const FILL_SECONDS = 4;
const CUT_SECONDS = 4;
const AFTER_RETURN_SECONDS = 4;
const SILENCE_THRESHOLD = 1e-4;

interface RunningPlayer {
  name: string;
  child: ChildProcess;
  wav: string;
  cacheDir: string;
  /** Lines of stdout and stderr, with the time they arrived (performance.now(), ms). */
  lines: Array<{ at: number; stream: 'stdout' | 'stderr'; text: string }>;
  exited: Promise<{ code: number | null; at: number }>;
}

function startPlayer(name: string, url: string, dir: string, extra: string[] = []): RunningPlayer {
  const wav = path.join(dir, `${name}.wav`);
  const cacheDir = path.join(dir, `${name}-cache`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/play.ts', url, '--sink', 'none', '--record', wav, '--cache-dir', cacheDir, '--retry-max', '1', ...extra],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: RunningPlayer['lines'] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    let rest = '';
    child[stream]!.setEncoding('utf8').on('data', (text: string) => {
      const parts = (rest + text).split('\n');
      rest = parts.pop()!;
      for (const line of parts) lines.push({ at: performance.now(), stream, text: line });
    });
  }
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() })));
  return { name, child, wav, cacheDir, lines, exited };
}

const line = (player: RunningPlayer, pattern: RegExp) => player.lines.find((l) => pattern.test(l.text));
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Longest run (seconds) where both channels stay under the threshold, from `fromFrame` on. */
function longestSilence(samples: Float32Array, channels: number, sampleRate: number, fromFrame: number): { seconds: number; at: number } {
  let longest = 0;
  let longestEnd = 0;
  let run = 0;
  for (let f = fromFrame; f < samples.length / channels; f++) {
    let loud = false;
    for (let c = 0; c < channels; c++) if (Math.abs(samples[f * channels + c]) >= SILENCE_THRESHOLD) loud = true;
    run = loud ? 0 : run + 1;
    if (run > longest) {
      longest = run;
      longestEnd = f;
    }
  }
  return { seconds: longest / sampleRate, at: (longestEnd - longest) / sampleRate };
}

test('the shop player bridges a network cut from its cache, crossfades back to live, and never goes silent', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wavecast-play-'));
  let server = await startTestServer({ configFile: WAVEFORM_EXAMPLE, channels: CHANNELS }, 120);
  const port = server.port;
  const players = [
    startPlayer('mp3', `${server.url}/stream/texture`, dir),
    startPlayer('ws', `ws://127.0.0.1:${port}/ws/texture`, dir),
  ];
  // A typo in the channel: refused by the server at the first connection, so the player stops and says why.
  const typo = startPlayer('typo', `${server.url}/stream/texure`, dir);
  t.after(async () => {
    for (const player of [...players, typo]) if (player.child.exitCode === null) player.child.kill('SIGKILL');
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    for (const player of players) await waitFor(`${player.name} player playing live`, () => line(player, /playing live$/), 20);
    const typoExit = await typo.exited;
    assert.equal(typoExit.code, 1, 'a channel the server does not have stops the player');
    assert.ok(line(typo, /cannot play: http:\/\/127\.0\.0\.1:\d+\/stream\/texure: the server answered 404: .*texure/), typo.lines.map((l) => l.text).join('\n'));
    await sleep(FILL_SECONDS);
    await server.close();
    await sleep(CUT_SECONDS);
    for (const player of players) assert.ok(line(player, /network lost: playing from the cache/), `${player.name}: switched to the cache during the cut`);
    server = await startTestServer({ configFile: WAVEFORM_EXAMPLE, channels: CHANNELS, port }, 120);
    for (const player of players) await waitFor(`${player.name} player back on live`, () => line(player, /live again/), 10);
    await sleep(AFTER_RETURN_SECONDS);
    for (const player of players) player.child.kill('SIGTERM');
    const exits = await Promise.all(players.map((p) => p.exited));

    for (const [index, player] of players.entries()) {
      const log = player.lines.map((l) => `${l.stream}: ${l.text}`).join('\n');
      assert.equal(exits[index].code, 0, `${player.name} exits 0 after SIGTERM\n${log}`);
      assert.ok(player.lines.some((l) => l.stream === 'stdout' && /^title: texture/.test(l.text)), `${player.name} shows the title on stdout\n${log}`);
      const opened = line(player, /wavecast-play: playing http|wavecast-play: playing ws/)!;
      const wall = (exits[index].at - opened.at) / 1000;
      const wav = readWav(readFileSync(player.wav));
      const seconds = wav.frames / wav.sampleRate;
      const silence = longestSilence(wav.samples, wav.channels, wav.sampleRate, wav.sampleRate);
      const cached = readdirSync(player.cacheDir).filter((name) => name.endsWith('.s16'));
      // The output starts its first block 0.5 s (its lead) after it opens: that much is never in the recording.
      t.diagnostic(`${player.name}: recorded ${seconds.toFixed(2)} s over ${wall.toFixed(2)} s of wall time (${(seconds / wall).toFixed(3)}×, ` +
        `${(seconds / (wall - 0.5)).toFixed(3)}× without the output's 0.5 s lead); ` +
        `longest silence after 1 s: ${(silence.seconds * 1000).toFixed(1)} ms at ${silence.at.toFixed(2)} s; cache files: ${cached.length}`);
      t.diagnostic(`${player.name}: ${player.lines.filter((l) => /cache|live/.test(l.text)).map((l) => l.text.replace(/^\[[^\]]*\] wavecast-play: /, '')).join(' | ')}`);
      assert.equal(wav.sampleRate, 44100);
      assert.equal(wav.channels, 2);
      assert.ok(silence.seconds <= 0.1, `${player.name}: ${(silence.seconds * 1000).toFixed(0)} ms of silence at ${silence.at.toFixed(2)} s of the recording\n${log}`);
      assert.ok(Math.abs(seconds / wall - 1) <= 0.1, `${player.name}: recorded ${seconds.toFixed(2)} s in ${wall.toFixed(2)} s of wall time\n${log}`);
      assert.ok(line(player, /network lost: playing from the cache/), `${player.name} says it went to the cache\n${log}`);
      assert.ok(line(player, /live again/), `${player.name} says it came back to live\n${log}`);
      assert.ok(cached.length >= 2, `${player.name}: the cache holds the run before the cut and the one after it (${cached.join(', ')})`);
    }
  } catch (error) {
    for (const player of players) t.diagnostic(`${player.name} output:\n${player.lines.map((l) => `${l.stream}: ${l.text}`).join('\n')}`);
    throw error;
  }
});
