/**
 * Scale out with Icecast, for real: wavecast pushes the lobby as a source (HTTP PUT) to Debian's
 * icecast2, and a second icecast2 relays that mount (`<relay>`, always on, ICY titles passed on).
 * A client of the relay gets MP3 audio and the channel's title. Then the first Icecast is killed
 * and started again with the same config: wavecast reconnects (state back to streaming, one
 * reconnect or more), the relay comes back on its own schedule and its clients get audio and
 * the title again, while a direct wavecast listener heard every frame throughout.
 *
 * Skipped, saying so, where icecast2 is not installed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseMp3FrameHeader } from '../server/broadcast/mp3-frame-splitter.js';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../server/config/load-config.js';
import type { RunningServer } from '../server/web/listen.js';
import type { ChannelSummary } from '../server/web/wire.js';
import { decodeMp3 } from './support/decode-mp3.js';
import { findIcecast, freePort, Icecast2 } from './support/icecast2.js';
import { fetchChannels, startTestServer } from './support/test-server.js';

const CHANNEL = 'lobby';
const MOUNT = '/lobby';
const PASSWORD = 'wavecast-test';
const icecastPath = findIcecast();
const skip = icecastPath ? false : 'icecast2 is not installed (Debian: apt-get install icecast2)';

let dir: string;
let master: Icecast2;
let relay: Icecast2;
let server: RunningServer;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'wavecast-icecast-'));
  chmodSync(dir, 0o755); // icecast run as nobody (under root) reads its config here
  const [masterPort, relayPort] = [await freePort(), await freePort()];
  master = new Icecast2(icecastPath!, { dir, name: 'master', port: masterPort, sourcePassword: PASSWORD });
  relay = new Icecast2(icecastPath!, { dir, name: 'relay', port: relayPort, sourcePassword: `${PASSWORD}-relay`, relayOf: { port: masterPort, mount: MOUNT } });
  await master.start();
  await relay.start();
  const lobby = loadConfigFile(DEFAULT_CONFIG_PATH).channels.find((c) => c.id === CHANNEL)!;
  server = await startTestServer({
    channels: [{ ...lobby, icecast: { url: master.url, mount: MOUNT, password: PASSWORD, name: 'wavecast lobby', genre: 'Jazz' } }],
  });
});

after(async () => {
  await server?.close();
  await relay?.kill();
  await master?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function lobby(): Promise<ChannelSummary> {
  return (await fetchChannels(server)).find((c) => c.id === CHANNEL)!;
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, seconds: number, intervalMs = 50): Promise<T> {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}\n${master.tail(15)}\n${relay.tail(15)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

interface IcyCapture {
  status: number;
  audio: Buffer;
  titles: string[];
}

/**
 * Listens to `url` with `Icy-MetaData: 1` for `seconds` and splits what came into audio and
 * StreamTitles. Resolves with the status alone when it is not 200 (a relay not up yet: 404).
 */
function listenIcy(url: string, seconds: number): Promise<IcyCapture> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { 'Icy-MetaData': '1' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        return resolve({ status, audio: Buffer.alloc(0), titles: [] });
      }
      const metaint = Number(response.headers['icy-metaint']);
      const audio: Buffer[] = [];
      const titles: string[] = [];
      let untilMeta = metaint;
      let meta: Buffer | undefined;
      let metaLeft = -1; // -1: the next byte is a length byte
      response.on('data', (data: Buffer) => {
        let at = 0;
        while (at < data.length) {
          if (untilMeta > 0) {
            const take = Math.min(untilMeta, data.length - at);
            audio.push(data.subarray(at, at + take));
            at += take;
            untilMeta -= take;
          } else if (metaLeft < 0) {
            metaLeft = data[at++] * 16;
            meta = Buffer.alloc(0);
          } else {
            const take = Math.min(metaLeft, data.length - at);
            meta = Buffer.concat([meta!, data.subarray(at, at + take)]);
            at += take;
            metaLeft -= take;
          }
          if (untilMeta === 0 && metaLeft === 0) {
            const title = /StreamTitle='(.*?)';/s.exec(meta!.toString('utf8'))?.[1];
            if (title !== undefined) titles.push(title);
            untilMeta = metaint;
            metaLeft = -1;
          }
        }
      });
      const timer = setTimeout(() => request.destroy(), seconds * 1000);
      response.on('close', () => {
        clearTimeout(timer);
        resolve({ status, audio: Buffer.concat(audio), titles });
      });
    });
    request.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
  });
}

/** Waits until the relay has the mount (resolving with the seconds that took), then listens to it for 3 s. */
async function hearRelay(): Promise<IcyCapture & { waited: number }> {
  const start = performance.now();
  await until('the relay to have the mount', async () => (await listenIcy(`${relay.url}${MOUNT}`, 0.1)).status === 200, 40, 100);
  const waited = (performance.now() - start) / 1000;
  return { ...(await listenIcy(`${relay.url}${MOUNT}`, 3)), waited };
}

/** Raw MP3 from wavecast itself, as long as the test runs. */
function listenDirect(): { stop: () => Promise<{ bytes: Buffer; seconds: number; longestPause: number }> } {
  const parts: Buffer[] = [];
  const started = performance.now();
  let last = 0;
  let longestPause = 0;
  let request: http.ClientRequest;
  const ended = new Promise<void>((resolve) => {
    request = http.get(`${server.url}/stream/${CHANNEL}`, (response) => {
      response.on('data', (data: Buffer) => {
        const now = performance.now();
        if (last > 0) longestPause = Math.max(longestPause, (now - last) / 1000);
        last = now;
        parts.push(data);
      });
      response.on('close', () => resolve());
    });
    request.on('error', () => resolve());
  });
  return {
    async stop() {
      const seconds = (performance.now() - started) / 1000;
      request.destroy();
      await ended;
      return { bytes: Buffer.concat(parts), seconds, longestPause };
    },
  };
}

async function checkRelayCapture(capture: IcyCapture, title: string, when: string): Promise<void> {
  assert.equal(capture.status, 200);
  const decoded = await decodeMp3(capture.audio);
  assert.ok(decoded.seconds >= 2, `${when}: ${decoded.seconds.toFixed(2)} s of MP3 audio from the relay in 3 s (burst and live)`);
  assert.equal(decoded.sampleRate, 44100);
  assert.ok(capture.titles.length > 0, `${when}: a StreamTitle from the relay`);
  assert.equal(capture.titles.at(-1), title, `${when}: the relay's title is the channel's`);
}

test('wavecast → Icecast → relay: audio and title, and all of it again after Icecast restarts', { skip, timeout: 90_000 }, async () => {
  const direct = listenDirect();
  const streaming = await until('wavecast streaming to Icecast', async () => (await lobby()).icecast?.state === 'streaming' && (await lobby()), 20);
  assert.equal(streaming.icecast!.url, master.url);
  assert.equal(streaming.icecast!.mount, MOUNT);
  assert.equal(streaming.listeners, 1, 'the direct listener; Icecast is not one');
  await until('Icecast to take the title', async () => (await lobby()).icecast?.title !== undefined, 10);

  const first = await hearRelay();
  await checkRelayCapture(first, (await lobby()).title, 'before the restart');

  // Icecast dies and comes back with the same config.
  const killed = performance.now();
  await master.kill();
  await master.start();
  const back = await until('wavecast streaming to Icecast again', async () => {
    const now = await lobby();
    return now.icecast?.state === 'streaming' && now.icecast.reconnects >= 1 && now;
  }, 30, 20);
  const reconnectSeconds = (performance.now() - killed) / 1000;
  assert.match(back.icecast!.lastError ?? '', /closed|ECONNRESET|EPIPE|ECONNREFUSED/);
  assert.ok(server.station.problems.recent().some((p) => p.code === 'WAVECAST_ERR_ICECAST' && p.channel === CHANNEL), 'the operator was told');

  const second = await hearRelay();
  const relaySeconds = second.waited;
  await checkRelayCapture(second, (await lobby()).title, 'after the restart');

  // The direct listener heard every frame: one unbroken chain of MP3 frames, as long as the wall clock.
  const { bytes, seconds, longestPause } = await direct.stop();
  let offset = 0;
  let frames = 0;
  while (offset < bytes.length) {
    const header = parseMp3FrameHeader(bytes, offset);
    if (!header) break;
    if (offset + header.length > bytes.length) break; // the last frame, cut by the end of the capture
    offset += header.length;
    frames++;
  }
  assert.ok(bytes.length - offset < 1500, `the frame chain broke at byte ${offset} of ${bytes.length}`);
  const heard = (frames * 1152) / 44100;
  const burst = server.station.config.server.burst; // at most: a station just started has less behind it
  assert.ok(heard > seconds - 0.5 && heard < seconds + burst + 0.5, `direct listener: ${heard.toFixed(2)} s of audio in ${seconds.toFixed(2)} s (+ up to ${burst} s burst)`);
  assert.ok(longestPause < 0.75, `the direct listener's audio paused ${longestPause.toFixed(2)} s`);
  assert.equal((await decodeMp3(bytes)).errors, 0, 'mpg123 decodes the direct capture without an error');
  console.log(`icecast e2e: wavecast back on Icecast ${reconnectSeconds.toFixed(2)} s after the kill; relay serving again ${relaySeconds.toFixed(1)} s after that; direct listener ${heard.toFixed(1)} s of audio in ${seconds.toFixed(1)} s, longest pause ${longestPause.toFixed(2)} s`);
});
