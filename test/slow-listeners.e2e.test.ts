/**
 * Listeners that stop reading are dropped and counted, never slowing anyone else; a full
 * channel refuses newcomers clearly.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createApp } from '../server/web/app.js';
import type { RunningServer } from '../server/web/listen.js';
import { captureStream, startTestServer, waitFor } from './support/test-server.js';

const STALLED_CLIENT = fileURLToPath(new URL('./support/stalled-client.py', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;
let server: RunningServer;

before(async () => {
  server = await startTestServer({
    server: { maxListenersPerChannel: 3, burst: 1, maxListenerLag: 2, wsMaxBufferedBytes: 16384 },
  });
});
after(async () => {
  await server?.close();
});

/** Waits (polling every 50 ms) until `condition` holds; resolves with the seconds that took. */
async function until(what: string, condition: () => boolean, seconds: number): Promise<number> {
  const started = performance.now();
  await waitFor(what, condition, seconds, 50);
  return (performance.now() - started) / 1000;
}

/** A WebSocket client that reads everything; resolves with its frame sequence numbers. */
function healthyWsClient(url: string, seconds: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const sequences: number[] = [];
    const ws = new WebSocket(url);
    ws.on('message', (data, isBinary) => {
      if (isBinary) sequences.push((data as Buffer).readUInt32LE(0));
    });
    ws.on('open', () => setTimeout(() => ws.close(), seconds * 1000));
    ws.on('close', () => resolve(sequences));
    ws.on('error', reject);
  });
}

test('a WebSocket client that stops reading is closed and counted; a reading one keeps real time', { skip: !hasPython && 'python3 not installed' }, async () => {
  const { channel: lobby, output } = server.station.channel('lobby');
  const slowBefore = output.counters.slowListeners;
  const wsUrl = `${server.url.replace('http', 'ws')}/ws/lobby?format=f32le&burst=0`;
  const healthy = healthyWsClient(wsUrl, 20);
  // python3 sets a 4 KiB receive buffer (Node cannot), so the stall reaches the server in seconds.
  const stalled = spawn('python3', [STALLED_CLIENT, String(server.port), '/ws/lobby?format=f32le', 'websocket'], { stdio: 'pipe' });
  try {
    await until('both clients to connect', () => output.listeners.ws === 2, 10);
    const droppedAfter = await until('the stalled client to be closed', () => output.listeners.ws === 1, 40);
    assert.equal(output.counters.slowListeners, slowBefore + 1, 'counted once');
    assert.ok(droppedAfter < 40, `closed after ${droppedAfter.toFixed(1)} s`);
  } finally {
    stalled.stdin.end();
    stalled.kill();
  }
  const sequences = await healthy;
  const audioSeconds = (sequences.length * lobby.frameSamples) / lobby.sampleRate;
  assert.ok(audioSeconds >= 19.5, `the reading client got ${audioSeconds.toFixed(2)} s of audio in 20 s`);
  for (let i = 1; i < sequences.length; i++) assert.equal(sequences[i], sequences[i - 1] + 1, `sequence ${i}`);
});

test('an MP3 listener whose body is not read is dropped after maxListenerLag; others go on', async () => {
  const { channel: lobby, output } = server.station.channel('lobby');
  const slowBefore = output.counters.slowListeners;
  const app = createApp(server.station, { operatorToken: server.operatorToken });
  // In process, without a socket: the body is a pull stream that nobody pulls. Timed from before
  // it joins: the setup after it (another listener connecting) would otherwise shorten the time.
  const joined = performance.now();
  const stalled = await app.request('/stream/lobby');
  assert.equal(stalled.status, 200);
  const healthy = captureStream(`${server.url}/stream/lobby`, 4);
  await until('the unread listener to be dropped', () => output.counters.slowListeners > slowBefore, 10);
  const droppedAfter = (performance.now() - joined) / 1000;
  const { maxListenerLag: lag, burst, lameWriteSeconds } = server.station.config.server;
  // It joined `burst` behind, or up to one MP3 chunk more (a burst is whole chunks, and the lame
  // child's output comes in lumps of lameWriteSeconds), so it crosses the limit that much sooner.
  assert.ok(droppedAfter >= lag - burst - lameWriteSeconds - 0.2, `dropped after ${droppedAfter.toFixed(2)} s, not before the lag limit`);
  await assert.rejects(stalled.body!.getReader().read(), { code: 'WAVECAST_ERR_LISTENER_TOO_SLOW' });
  const { bytes } = await healthy;
  const seconds = bytes.length / ((lobby.config.mp3Bitrate * 1000) / 8);
  assert.ok(seconds >= 4 + 1 - 0.3, `the other listener got ${seconds.toFixed(2)} s (4 s live + 1 s burst)`);
});

test('a full channel answers 503 (HTTP) and 4503 (WebSocket) naming the limit; listeners inside keep playing', async () => {
  const url = `${server.url}/stream/lobby`;
  const controllers = [new AbortController(), new AbortController(), new AbortController()];
  const inside = await Promise.all(controllers.map((c) => fetch(url, { signal: c.signal })));
  assert.deepEqual(inside.map((r) => r.status), [200, 200, 200]);
  const refused = await fetch(url);
  assert.equal(refused.status, 503);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'WAVECAST_ERR_TOO_MANY_LISTENERS');
  assert.match(body.error.message, /maxListenersPerChannel = 3/);
  const close = await new Promise<{ code: number; reason: string }>((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/lobby`);
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    ws.on('error', () => {});
  });
  assert.equal(close.code, 4503);
  assert.match(close.reason, /listeners, the most it takes/);
  const reader = inside[0].body!.getReader();
  const first = await reader.read();
  assert.ok(first.value && first.value.length > 0, 'a listener inside still receives audio');
  for (const c of controllers) c.abort();
});
