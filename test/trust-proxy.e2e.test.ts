/**
 * server.trustProxy: the X-Forwarded-For of a proxy it names gives each listener behind that proxy
 * its own address (its own maxConnectionsPerAddress count), while the same header from any other
 * peer is ignored. Here the "proxy on another host" is 127.0.0.2 and the untrusted peer
 * 127.0.0.3 (loopback itself is not listed), each a local address of this machine's loopback.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import type { RunningServer } from '../server/web/listen.js';
import { startTestServer } from './support/test-server.js';

let server: RunningServer;
const open: IncomingMessage[] = [];

before(async () => {
  server = await startTestServer({
    server: { maxConnectionsPerAddress: 1, trustProxy: ['127.0.0.2'] },
    channels: [{ id: 'texture', model: 'wavegan-untrained', sampleRate: 22050, channels: 1, mp3Bitrate: 64, seed: 1 }],
  });
});
after(async () => {
  for (const response of open) response.destroy();
  await server?.close();
});

/** Opens /stream/texture from `from` with `forwardedFor`; resolves with the status (a 200 stays open). */
function stream(from: string, forwardedFor: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(`${server.url}/stream/texture`, { localAddress: from, headers: { 'X-Forwarded-For': forwardedFor } }, (response) => {
      if (response.statusCode === 200) open.push(response);
      else response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
}

test('behind a trusted proxy each forwarded address has its own limit; from an untrusted peer the header is ignored', { timeout: 30_000 }, async () => {
  assert.equal(await stream('127.0.0.2', '203.0.113.1'), 200);
  assert.equal(await stream('127.0.0.2', '203.0.113.2'), 200, 'another listener behind the same proxy');
  assert.equal(await stream('127.0.0.2', '198.51.100.1, 203.0.113.1'), 429, 'the first listener again (a forged entry before it is not read)');
  assert.equal(await stream('127.0.0.3', '203.0.113.3'), 200);
  assert.equal(await stream('127.0.0.3', '203.0.113.4'), 429, 'not a trusted proxy: both count as 127.0.0.3');
  assert.equal(server.station.channel('texture').output.listenerCount, 3);
});
