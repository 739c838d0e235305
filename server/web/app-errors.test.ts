/**
 * Every error path of the HTTP routes, walked on a station built from fakes with `app.request`
 * (no socket): each answers its documented status with a code from the one list the server and
 * the pages share (core/errors.ts ERROR_CODES, re-exported by wire.ts), and names what was wrong.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { ERROR_CODES, WavecastError } from '../core/errors.js';
import { FAKE_MODELS, startFakeStation } from '../station/fake-station.test-helper.js';
import type { ModelCatalogue } from '../station/model-catalogue.js';
import type { Station } from '../station/station.js';
import { createApp } from './app.js';
import type { ApiErrorBody } from './wire.js';

const TOKEN = 'test-token';
let station: Station;
let app: Hono;
let scans = 0;

before(async () => {
  // The catalogue answers the start-up scan, then fails the way a broken disk would: a plain error.
  const catalogue: ModelCatalogue = {
    location: 'the test catalogue',
    scan: async () => {
      if (scans++ > 0) throw new Error('EIO: the models disk failed');
      return { models: FAKE_MODELS.map((m) => m.manifest), problems: [] };
    },
  };
  ({ station } = await startFakeStation({ catalogue, broken: ['tone-b'], server: { maxListenersPerChannel: 1 } }));
  app = createApp(station, { operatorToken: TOKEN, assets: new Map() });
});

after(() => station.stop());

const seen = new Set<string>();

async function refusal(path: string, init: RequestInit, status: number, code: string, message: RegExp) {
  const response = await app.request(path, init);
  const body = (await response.json()) as ApiErrorBody;
  assert.equal(response.status, status, `${init.method ?? 'GET'} ${path}: ${JSON.stringify(body)}`);
  assert.ok(ERROR_CODES.includes(body.error.code), `${body.error.code} is in the code list`);
  assert.equal(body.error.code, code);
  assert.equal(new WavecastError(body.error.code, '').httpStatus, status, `${code} answers its own status`);
  assert.match(body.error.message, message);
  seen.add(body.error.code);
  return body;
}

const patch = (body: unknown, token: string | null = TOKEN): RequestInit => ({
  method: 'PATCH',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

test('unknown routes, assets and channels', async () => {
  await refusal('/no/such/route', {}, 404, 'WAVECAST_ERR_NOT_FOUND', /no route for GET \/no\/such\/route/);
  await refusal('/assets/nope.js', {}, 404, 'WAVECAST_ERR_NOT_FOUND', /no asset \/assets\/nope\.js/);
  await refusal('/stream/zzz', {}, 404, 'WAVECAST_ERR_UNKNOWN_CHANNEL', /unknown channel "zzz"; channels: a, b, s/);
  await refusal('/api/channels/zzz/midi', {}, 404, 'WAVECAST_ERR_UNKNOWN_CHANNEL', /unknown channel "zzz"/);
  await refusal('/api/channels/zzz', patch({ volume: 1 }), 404, 'WAVECAST_ERR_UNKNOWN_CHANNEL', /unknown channel "zzz"/);
});

test('the MIDI export', async () => {
  await refusal('/api/channels/a/midi', {}, 409, 'WAVECAST_ERR_NO_NOTES', /plays a waveform model: it has no notes to export/);
  await refusal('/api/channels/s/midi?bars=0', {}, 400, 'WAVECAST_ERR_BAD_REQUEST', /bars must be a whole number from 1 to 64, got "0"/);
  await refusal('/api/channels/s/midi?bars=65', {}, 400, 'WAVECAST_ERR_BAD_REQUEST', /got "65"/);
});

test('operator writes: the token, the body, the change', async () => {
  await refusal('/api/channels/a', patch({ volume: 1 }, null), 401, 'WAVECAST_ERR_UNAUTHORIZED', /no Authorization header/);
  await refusal('/api/operator', { headers: { authorization: 'Bearer wrong' } }, 401, 'WAVECAST_ERR_UNAUTHORIZED', /not the operator token/);
  await refusal('/api/channels/a', patch('{not json'), 400, 'WAVECAST_ERR_BAD_REQUEST', /the body is not valid JSON \(.*\); send a JSON object/);
  await refusal('/api/channels/a', patch(''), 400, 'WAVECAST_ERR_BAD_REQUEST', /the body is empty/);
  // Too large: refused from its Content-Length, before a byte of it is read.
  const huge = new ReadableStream({ pull: () => assert.fail('the body was read') });
  await refusal('/api/channels/a', { ...patch('x'), body: huge, headers: { ...patch('x').headers, 'content-length': String(200 * 1024 * 1024) }, duplex: 'half' } as RequestInit, 413, 'WAVECAST_ERR_TOO_LARGE', /request body over 65536 bytes \(server.maxBodyBytes\)/);
  const body = await refusal('/api/channels/a', patch({ tempo: 500 }), 400, 'WAVECAST_ERR_BAD_REQUEST', /tempo/);
  assert.equal(body.error.field, 'tempo');
  await refusal('/api/channels/a', patch({ instrument: 'band' }), 400, 'WAVECAST_ERR_BAD_REQUEST', /instrument applies to symbolic models/);
  await refusal('/api/channels/a', patch({ model: 'tone-b' }), 400, 'WAVECAST_ERR_BAD_REQUEST', /could not be loaded/);
  // A refused change is one of the operator's problems, under the same code.
  assert.ok(station.problems.recent().some((p) => p.code === 'WAVECAST_ERR_BAD_REQUEST' && /change refused/.test(p.message)));
});

test('a WebSocket URL opened without an upgrade names the URL to use', async () => {
  const response = await app.request('http://radio.example:8000/ws/a');
  assert.equal(response.headers.get('upgrade'), 'websocket');
  await refusal('http://radio.example:8000/ws/a', {}, 426, 'WAVECAST_ERR_UPGRADE_REQUIRED', /connect to ws:\/\/radio\.example:8000\/ws\/a\?format=s16le/);
});

test('a full channel', async () => {
  const first = await app.request('/stream/a');
  assert.equal(first.status, 200);
  try {
    await refusal('/stream/a', {}, 503, 'WAVECAST_ERR_TOO_MANY_LISTENERS', /the most it takes \(server.maxListenersPerChannel = 1\)/);
  } finally {
    await first.body?.cancel();
  }
});

test('an error without a code is answered 500 INTERNAL without its details', async () => {
  const body = await refusal('/api/models', {}, 500, 'WAVECAST_ERR_INTERNAL', /^internal error$/);
  assert.doesNotMatch(JSON.stringify(body), /EIO/);
});

test('every problem the station logs carries a code from the list', () => {
  for (const problem of station.problems.recent()) assert.ok(ERROR_CODES.includes(problem.code), problem.code);
  assert.deepEqual([...seen].sort(), [
    'WAVECAST_ERR_BAD_REQUEST',
    'WAVECAST_ERR_INTERNAL',
    'WAVECAST_ERR_NOT_FOUND',
    'WAVECAST_ERR_NO_NOTES',
    'WAVECAST_ERR_TOO_LARGE',
    'WAVECAST_ERR_TOO_MANY_LISTENERS',
    'WAVECAST_ERR_UNAUTHORIZED',
    'WAVECAST_ERR_UNKNOWN_CHANNEL',
    'WAVECAST_ERR_UPGRADE_REQUIRED',
  ]);
});
