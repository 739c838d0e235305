/**
 * End to end: a desktop player, mpv, plays /stream/lobby for a few seconds (null audio output, so
 * in real time and silently). mpv asks for ICY metadata by default (`Icy-MetaData: 1`), so the
 * server interleaves `StreamTitle` blocks every `icy-metaint` bytes: if those were misplaced the MP3
 * decoder would report broken frames. Checks from mpv's log that it decoded MP3 without an error or
 * a decoder warning, played about the seconds asked for, and showed the channel's title.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchChannels, startTestServer } from './support/test-server.js';

const MPV = process.env.MPV ?? 'mpv';
const mpvMissing = spawnSync(MPV, ['--version']).error ? `${MPV} not installed (apt-get install mpv)` : false;
const PLAY_SECONDS = 4;

/** Logs each ICY title mpv sees, the last playback position, and how the file ended. */
const REPORT_SCRIPT = `
local position = "none"
mp.observe_property("metadata/by-key/icy-title", "string", function(_, value)
  if value then mp.msg.info("title=" .. value) end
end)
mp.observe_property("playback-time", "number", function(_, value)
  if value then position = string.format("%.3f", value) end
end)
mp.register_event("end-file", function(event)
  mp.msg.info("end reason=" .. tostring(event.reason) .. " position=" .. position)
end)
`;

test('mpv plays the MP3 stream with ICY metadata without decoder errors and shows the title', { skip: mpvMissing, timeout: 60_000 }, async () => {
  const server = await startTestServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wavecast-mpv-'));
  try {
    const script = path.join(dir, 'wavecast-report.lua');
    const log = path.join(dir, 'mpv.log');
    writeFileSync(script, REPORT_SCRIPT);
    const args = ['--no-config', '--no-terminal', `--log-file=${log}`, '--ao=null', '--no-video', `--length=${PLAY_SECONDS}`, `--script=${script}`, `${server.url}/stream/lobby`];
    const started = performance.now();
    const mpv = spawn(MPV, args, { stdio: 'ignore' });
    const killer = setTimeout(() => mpv.kill('SIGKILL'), (PLAY_SECONDS + 20) * 1000);
    const code = await new Promise<number | null>((resolve) => mpv.on('close', resolve));
    clearTimeout(killer);
    const wallSeconds = (performance.now() - started) / 1000;
    const text = readFileSync(log, 'utf8');
    const lobby = (await fetchChannels(server)).find((channel) => channel.id === 'lobby')!;

    try {
      assert.equal(code, 0, 'mpv exited cleanly');
      assert.match(text, /\(\+\) Audio --aid=1 \(mp3 2ch 44100Hz\)/, 'an MP3 stream, stereo, 44.1 kHz');
      assert.match(text, /Exiting\.\.\. \(End of file\)/);
      // mpv's log lines read "[  time][level][module] text"; e error, f fatal, w warning.
      const errors = text.split('\n').filter((line) => /^\[[ \d.]+\]\[(e|f)\]/.test(line));
      assert.deepEqual(errors, [], 'no error in the log');
      const decoderWarnings = text.split('\n').filter((line) => /^\[[ \d.]+\]\[w\]\[(ffmpeg|ad|lavf|demux|stream)/.test(line));
      assert.deepEqual(decoderWarnings, [], 'no demuxer or decoder warning (a misplaced ICY block would break MP3 frames)');

      const titles = [...text.matchAll(/\]\[wavecast_report\] title=(.*?) ?$/gm)].map((match) => match[1]);
      assert.deepEqual(titles, [lobby.title], 'the ICY StreamTitle is the channel title');

      const end = /\]\[wavecast_report\] end reason=(\S+) position=(\S+)/.exec(text);
      assert.ok(end, 'the script saw the end');
      const position = Number(end[2]);
      console.log(`mpv: played ${position.toFixed(2)} s in ${wallSeconds.toFixed(2)} s wall, ended by ${end[1]}, title "${titles[0]}"`);
      assert.equal(end[1], 'eof', 'it stopped at --length, not on an error');
      // mpv stops once decoding reaches --length; its null output still held ~0.4 s then (3.57–3.60 s measured).
      assert.ok(position >= PLAY_SECONDS - 1, `played ${position} s of the ${PLAY_SECONDS} asked for`);
    } catch (error) {
      console.log(text);
      throw error;
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
