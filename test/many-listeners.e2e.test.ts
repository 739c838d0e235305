/**
 * 200 listeners on one channel, over real loopback sockets: every one gets the same bytes
 * after its burst (one encode, fanned out), and the channel counts them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { parseMp3FrameHeader } from '../server/broadcast/mp3-frame-splitter.js';
import type { RunningServer } from '../server/web/listen.js';
import { startTestServer } from './support/test-server.js';

const LISTENERS = 200;
let server: RunningServer;

before(async () => {
  // Every listener here comes from 127.0.0.1: let one address hold them all.
  server = await startTestServer({ server: { maxConnectionsPerAddress: LISTENERS } });
});
after(async () => {
  await server?.close();
});

/** Opens /stream/lobby and collects its bytes until `stop` resolves. */
function listen(url: string, agent: http.Agent, stop: Promise<void>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const request = http.get(url, { agent }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`status ${response.statusCode}`));
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('error', () => {});
      void stop.then(() => {
        request.destroy();
        resolve(Buffer.concat(parts));
      });
    });
    request.on('error', (error) => {
      if (parts.length === 0) reject(error);
    });
  });
}

test(`${LISTENERS} listeners on one channel all receive the same bytes after their burst`, async () => {
  const url = `${server.url}/stream/lobby`;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  let stopReference!: () => void;
  let stopOthers!: () => void;
  const referenceStop = new Promise<void>((r) => (stopReference = r));
  const othersStop = new Promise<void>((r) => (stopOthers = r));
  // The reference listener joins first and leaves last, so every other stream lies inside it.
  const reference = listen(url, agent, referenceStop);
  await new Promise((r) => setTimeout(r, 300));
  const others = Array.from({ length: LISTENERS - 1 }, () => listen(url, agent, othersStop));
  await new Promise((r) => setTimeout(r, 3000));
  const peak = server.station.channel('lobby').output.listeners.mp3;
  stopOthers();
  const otherBytes = await Promise.all(others);
  await new Promise((r) => setTimeout(r, 300));
  stopReference();
  const referenceBytes = await reference;
  agent.destroy();

  assert.equal(peak, LISTENERS, 'the channel counts every listener');
  const mp3BytesPerSecond = (server.station.channel('lobby').channel.config.mp3Bitrate * 1000) / 8;
  for (const [i, bytes] of otherBytes.entries()) {
    assert.ok(bytes.length > mp3BytesPerSecond * 2, `listener ${i} got ${bytes.length} bytes (burst + 3 s expected)`);
    assert.ok(parseMp3FrameHeader(bytes, 0), `listener ${i} starts on an MP3 frame header`);
    const start = referenceBytes.indexOf(bytes.subarray(0, 4096));
    assert.ok(start >= 0, `listener ${i}'s stream starts inside the shared stream`);
    assert.ok(
      referenceBytes.subarray(start, start + bytes.length).equals(bytes),
      `listener ${i}'s ${bytes.length} bytes equal the shared stream from byte ${start}`,
    );
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(server.station.channel('lobby').output.listeners.mp3, 0, 'disconnects are counted down');
  assert.equal(server.station.channel('lobby').output.counters.slowListeners, 0, 'nobody was too slow on loopback');
});
