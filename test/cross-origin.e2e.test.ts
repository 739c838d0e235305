/**
 * A browser game on another site: the WebSocket feed refuses a page from an origin the config
 * does not name (browsers apply no CORS to WebSockets, so the server checks), serves it once
 * server.corsOrigins names it, and always serves clients without an Origin (game engines).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { RunningServer } from '../server/web/listen.js';
import { startTestServer, WAVEFORM_EXAMPLE } from './support/test-server.js';

let server: RunningServer;
before(async () => {
  server = await startTestServer({ configFile: WAVEFORM_EXAMPLE, server: { corsOrigins: ['https://game.example'] } });
});
after(() => server?.close());

/** Opens the feed with these headers: the header message, or the HTTP status it was refused with. */
function open(headers: Record<string, string>): Promise<{ header?: { type: string }; status?: number; body?: string }> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/texture?format=s16le`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => {
      ws.close();
      resolve({ header: JSON.parse(String(data)) });
    });
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (d: Buffer) => (body += d));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    ws.once('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
  });
}

test('the feed refuses a page from an origin the config does not name, 403 with the reason', async () => {
  const refused = await open({ origin: 'https://elsewhere.example' });
  assert.equal(refused.status, 403);
  assert.match(refused.body!, /WAVECAST_ERR_FORBIDDEN_ORIGIN.*origin https:\/\/elsewhere\.example may not open the feed: add it to server\.corsOrigins/);
});

test('the feed serves a named origin, the server’s own pages, and clients without an Origin', async () => {
  assert.equal((await open({ origin: 'https://game.example' })).header?.type, 'header');
  assert.equal((await open({ origin: server.url })).header?.type, 'header');
  assert.equal((await open({})).header?.type, 'header');
});

test('the read API carries CORS for the named origin only', async () => {
  const named = await fetch(`${server.url}/api/channels`, { headers: { origin: 'https://game.example' } });
  assert.equal(named.headers.get('access-control-allow-origin'), 'https://game.example');
  const other = await fetch(`${server.url}/api/channels`, { headers: { origin: 'https://elsewhere.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});
