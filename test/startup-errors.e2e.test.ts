/**
 * `npm start` with a bad config or a missing model stops with a message that names the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { PROJECT_ROOT } from '../server/core/project-root.js';

function startWith(config: unknown, env: Record<string, string> = {}): { status: number | null; stderr: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'wavecast-start-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CONFIG: file, PORT: '0', HOST: '127.0.0.1', NODE_TEST_CONTEXT: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

test('an invalid config file stops start-up naming the field', () => {
  const result = startWith({ channels: [{ id: 'lobby', model: 'wavegan-untrained', mp3Bitrate: 100 }] });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /WAVECAST_ERR_CONFIG: .*config\.json: channels\[0\]\.mp3Bitrate: mp3Bitrate must be one of/);
});

test('a port in use stops start-up with one line naming the port and what to do, before any model loads', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    const started = performance.now();
    const result = startWith({ channels: [{ id: 'lobby', model: 'symbolic-songs' }] }, { PORT: String(port) });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), `wavecast could not start: WAVECAST_ERR_CONFIG: port ${port} on 127.0.0.1 is in use (another wavecast, or another program, listens there): stop it, or start on another port, e.g. PORT=${port + 1} npm start`);
    assert.ok(performance.now() - started < 15_000, 'it fails before loading the models');
  } finally {
    taken.close();
  }
});

test('a channel naming a model that does not exist stops start-up naming the model', () => {
  const result = startWith({ channels: [{ id: 'lobby', model: 'no-such-model' }] });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /WAVECAST_ERR_MODEL_NOT_FOUND: channel "lobby" plays model "no-such-model"/);
});

test('a symbolic channel with a style, instrument set or tempo it cannot play stops start-up naming it', () => {
  const badInstrument = startWith({ channels: [{ id: 'lobby', model: 'symbolic-songs', instrument: 'kazoo' }] });
  assert.equal(badInstrument.status, 1);
  assert.match(badInstrument.stderr, /channels\[0\]\.instrument: .*"piano".*"band".*"electronic"/);
  const badTempo = startWith({ channels: [{ id: 'lobby', model: 'symbolic-songs', tempo: 500 }] });
  assert.match(badTempo.stderr, /channels\[0\]\.tempo: .*200/);
  const badStyle = startWith({ channels: [{ id: 'lobby', model: 'symbolic-songs', style: 'polka' }] });
  assert.match(badStyle.stderr, /channels\[0\]\.style: .*"house".*"cafe".*"ambient"/);
});
