/**
 * Faults at the edge (issue 14): a slowloris client sending its headers a byte at a time,
 * thousands of half-open connections that send nothing, and one address opening more streams
 * than `server.maxConnectionsPerAddress`. Each is cut or refused alone, and counted, while a
 * listener's frames stay contiguous and on time. (Listeners that stop reading, over HTTP and
 * WebSocket, are test/slow-listeners.e2e.test.ts.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { RunningServer } from '../server/web/listen.js';
import { contiguous, listenPcm, longestSilence, worstShortfall, type PcmListener } from './support/pcm-listener.js';
import { startTestServer } from './support/test-server.js';

/** Seconds a client has for its headers here (10 by default). */
const HEADERS_TIMEOUT = 2;
const PER_ADDRESS = 6;
/**
 * Idle connections opened at once: 5,000 where the open-file limit allows (both ends of each are
 * file descriptors of this one process, the server runs here), else 2,000.
 */
const HALF_OPEN = Number(spawnSync('sh', ['-c', 'ulimit -n']).stdout.toString()) >= 12_000 ? 5000 : 2000;
let server: RunningServer;

before(async () => {
  server = await startTestServer({
    server: { headersTimeout: HEADERS_TIMEOUT, requestTimeout: 4, maxConnectionsPerAddress: PER_ADDRESS },
    channels: [{ id: 'texture', model: 'wavegan-untrained', sampleRate: 22050, channels: 1, mp3Bitrate: 64, seed: 1 }],
  });
});
after(async () => {
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks what the listener got over its life: every frame, on time, never silent. */
function assertHeardWell(listener: PcmListener, what: string): string {
  const { frames } = listener;
  const silence = longestSilence(frames, listener.sampleRate);
  const shortfall = worstShortfall(frames, listener.frameSeconds);
  assert.ok(frames.length > 0 && contiguous(frames), `${what}: contiguous frames`);
  assert.ok(silence < 0.1, `${what}: longest silence ${silence} s`);
  assert.ok(shortfall < 0.25, `${what}: delivery fell ${shortfall} s behind real time`);
  return `${frames.length} frames, longest silence ${(silence * 1000).toFixed(1)} ms, worst delivery shortfall ${(shortfall * 1000).toFixed(0)} ms`;
}

/** A counter of /metrics (on a connection of its own: a pooled one may have timed out while the test held the event loop). */
async function metric(name: string): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    get(`${server.url}/metrics`, { agent: false }, (response) => {
      let body = '';
      response.on('data', (data) => (body += data)).on('end', () => resolve(body)).on('error', reject);
    }).on('error', reject);
  });
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

/** A raw TCP connection to the server; resolves once connected. */
function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the seconds until `socket` is closed by the other end. */
function closedAfter(socket: Socket, started: number): Promise<number> {
  return new Promise((resolve) => {
    socket.on('error', () => {}); // a reset is a close too
    socket.once('close', () => resolve((performance.now() - started) / 1000));
  });
}

test('a slowloris client (a header byte every 500 ms) is cut at headersTimeout; a listener plays on', { timeout: 30_000 }, async (t) => {
  const listener = await listenPcm(server.url, 'texture');
  const timedOutBefore = await metric('wavecast_connections_timed_out_total');
  try {
    const socket = await open();
    const started = performance.now();
    const closed = closedAfter(socket, started);
    let answer = '';
    socket.on('data', (data) => (answer += data));
    const request = 'GET /stream/texture HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Padding: ' + 'a'.repeat(200);
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < request.length && !socket.destroyed) socket.write(request[sent++]);
    }, 500);
    const seconds = await Promise.race([closed, sleep(20_000).then(() => Infinity)]);
    clearInterval(drip);
    socket.destroy();
    await sleep(1000);
    t.diagnostic(`slowloris cut after ${seconds.toFixed(2)} s (${sent} bytes sent), answer ${JSON.stringify(answer.split('\r\n')[0])}; listener: ${assertHeardWell(listener, 'listener')}`);
    assert.ok(seconds >= HEADERS_TIMEOUT - 0.1 && seconds <= HEADERS_TIMEOUT + 2, `cut after ${seconds} s`);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.equal(await metric('wavecast_connections_timed_out_total'), timedOutBefore + 1, 'counted');
  } finally {
    listener.close();
  }
});

test(`${HALF_OPEN} half-open connections that send nothing are all cut by the headers timeout; a listener plays on and a newcomer gets in`, { timeout: 60_000 }, async (t) => {
  const listener = await listenPcm(server.url, 'texture');
  const sockets: Socket[] = [];
  const timedOutBefore = await metric('wavecast_connections_timed_out_total');
  try {
    const count = HALF_OPEN;
    const started = performance.now();
    const closes: Array<Promise<number>> = [];
    for (let i = 0; i < count; i += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => open()));
      for (const socket of batch) closes.push(closedAfter(socket, started));
      sockets.push(...batch);
    }
    const opened = (performance.now() - started) / 1000;
    // A newcomer during the flood: its stream starts.
    const controller = new AbortController();
    const response = await fetch(`${server.url}/stream/texture`, { signal: controller.signal });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.ok(first.value && first.value.length > 0, 'the newcomer gets audio');
    await reader.cancel();
    controller.abort();
    const times = await Promise.race([Promise.all(closes), sleep(HEADERS_TIMEOUT * 1000 + 15_000).then(() => undefined)]);
    const stillOpen = sockets.filter((s) => !s.destroyed && !s.closed).length;
    assert.ok(times, `${stillOpen} of ${count} still open ${HEADERS_TIMEOUT + 15} s on`);
    const last = Math.max(...times);
    t.diagnostic(`${count} idle connections opened in ${opened.toFixed(2)} s, all ${times.length} cut by ${last.toFixed(2)} s; listener: ${assertHeardWell(listener, 'listener')}`);
    assert.ok(last < opened + HEADERS_TIMEOUT + 3, `the last was cut ${last} s after the first opened`);
    const counted = (await metric('wavecast_connections_timed_out_total')) - timedOutBefore;
    assert.ok(counted >= count, `each counted: ${counted}`); // the HTTP client may have held an idle one of its own too
  } finally {
    for (const socket of sockets) socket.destroy();
    listener.close();
  }
});

test('one address gets maxConnectionsPerAddress streams and feeds; the next is refused (429, close 4429) naming the limit; others are not', { timeout: 30_000 }, async () => {
  const url = `${server.url}/stream/texture`;
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws/texture?format=s16le&burst=0`;
  const controllers: AbortController[] = [];
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; i < PER_ADDRESS - 2; i++) {
      const controller = new AbortController();
      controllers.push(controller);
      assert.equal((await fetch(url, { signal: controller.signal })).status, 200, `stream ${i + 1}`);
    }
    for (let i = 0; i < 2; i++) {
      const ws = new WebSocket(wsUrl);
      sockets.push(ws);
      await new Promise((resolve, reject) => ws.once('message', resolve).once('error', reject));
    }
    const refused = await fetch(url);
    assert.equal(refused.status, 429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'WAVECAST_ERR_TOO_MANY_CONNECTIONS');
    assert.match(body.error.message, new RegExp(`server\\.maxConnectionsPerAddress = ${PER_ADDRESS}`));
    const close = await new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
      ws.on('error', () => {});
    });
    assert.equal(close.code, 4429);
    assert.match(close.reason, /maxConnectionsPerAddress/);
    assert.equal(await metric('wavecast_connections_refused_total'), 2, 'both refusals counted');
    // A HEAD probe joins nothing and is answered; another address (forwarded by a local proxy) is its own count.
    assert.equal((await fetch(url, { method: 'HEAD' })).status, 200);
    const proxied = new AbortController();
    controllers.push(proxied);
    assert.equal((await fetch(url, { signal: proxied.signal, headers: { 'X-Forwarded-For': '203.0.113.9' } })).status, 200, 'another address');
    assert.equal(server.station.channel('texture').output.listenerCount, PER_ADDRESS + 1);
    // One leaves: one more may come.
    controllers.shift()!.abort();
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      await sleep(20);
      const controller = new AbortController();
      const response = await fetch(url, { signal: controller.signal });
      again = response.status;
      if (again === 200) controllers.push(controller);
      else await response.body?.cancel();
    }
    assert.equal(again, 200, 'a place freed by a listener leaving is taken again');
  } finally {
    for (const controller of controllers) controller.abort();
    for (const ws of sockets) ws.close();
  }
});
