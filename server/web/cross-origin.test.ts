import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { startFakeStation } from '../station/fake-station.test-helper.js';
import type { Station } from '../station/station.js';
import { createApp } from './app.js';
import { originAllowed } from './origin-policy.js';

test('the origin rule: no Origin, the same host, a listed origin or * pass; others do not', () => {
  assert.equal(originAllowed(undefined, 'radio:8000', []), true, 'a game engine or player sends no Origin');
  assert.equal(originAllowed('http://radio:8000', 'radio:8000', []), true, 'the server’s own pages');
  assert.equal(originAllowed('https://game.example', 'radio:8000', []), false);
  assert.equal(originAllowed('https://game.example', 'radio:8000', ['https://game.example']), true);
  assert.equal(originAllowed('https://game.example:8443', 'radio:8000', ['https://game.example']), false, 'an origin includes its port');
  assert.equal(originAllowed('https://evil.example', 'radio:8000', ['*']), true);
  assert.equal(originAllowed('null', 'radio:8000', ['https://game.example']), false);
});

let station: Station;
let open: Hono;
let closed: Hono;
before(async () => {
  ({ station } = await startFakeStation({ server: { corsOrigins: ['https://game.example/'] } }));
  open = createApp(station, { operatorToken: 't' });
  const shut = await startFakeStation();
  closed = createApp(shut.station, { operatorToken: 't' });
  after(() => shut.station.stop());
});
after(() => station.stop());

const allowOrigin = async (app: Hono, path: string, origin: string, init: RequestInit = {}) =>
  (await app.request(path, { ...init, headers: { origin, ...(init.headers as Record<string, string>) } })).headers.get('access-control-allow-origin');

test('the public read API answers an allowed origin with CORS; by default no other origin gets it', async () => {
  for (const path of ['/api/channels', '/api/models', '/api/channels/s/midi']) {
    assert.equal(await allowOrigin(open, path, 'https://game.example'), 'https://game.example', path);
    assert.equal(await allowOrigin(open, path, 'https://other.example'), null, path);
    assert.equal(await allowOrigin(closed, path, 'https://game.example'), null, `${path} (default config)`);
  }
});

test('operator writes are not opened to other origins (a preflight allows only GET and HEAD)', async () => {
  const preflight = await open.request('/api/channels/a', {
    method: 'OPTIONS',
    headers: { origin: 'https://game.example', 'access-control-request-method': 'PATCH' },
  });
  const methods = preflight.headers.get('access-control-allow-methods') ?? '';
  assert.doesNotMatch(methods, /PATCH/);
  assert.match(methods, /GET/);
});
