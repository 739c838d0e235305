import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasCode } from '../core/errors.js';
import { DEFAULT_CONFIG_PATH, loadConfigFile, parseConfig, readEnv } from './load-config.js';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(hasCode(error, 'WAVECAST_ERR_CONFIG'), `expected WAVECAST_ERR_CONFIG, got ${String(error)}`);
    return (error as Error).message;
  }
  assert.fail('expected a config error');
}

test('the shipped default config is valid and has a lobby channel with documented defaults', () => {
  const config = loadConfigFile(DEFAULT_CONFIG_PATH);
  const lobby = config.channels.find((c) => c.id === 'lobby');
  assert.ok(lobby, 'lobby channel');
  assert.equal(lobby.sampleRate, 44100);
  assert.equal(lobby.crossfade, 0.25);
  assert.equal(config.server.bufferAhead, 3);
});

test('defaults fill every omitted field', () => {
  const config = parseConfig({ channels: [{ id: 'a', model: 'm' }] }, 'inline');
  assert.deepEqual(
    { ...config.channels[0] },
    { id: 'a', model: 'm', version: 'latest', sampleRate: 44100, channels: 2, mp3Bitrate: 128, crossfade: 0.25, variation: 0.25, instrument: 'cafe-piano', density: 0.5, volume: 1 },
  );
  assert.equal(config.server.engine, 'onnx');
  assert.equal(config.server.maxListenersPerChannel, 2000);
});

test('a bad field is named with its path', () => {
  const message = configError(() =>
    parseConfig({ channels: [{ id: 'a', model: 'm' }, { id: 'b', model: 'm', sampleRate: 12345 }] }, 'x.json'),
  );
  assert.match(message, /^x\.json: channels\[1\]\.sampleRate: sampleRate must be one of/);
});

test('an unknown field, a duplicate id and a bad server limit are each named', () => {
  assert.match(configError(() => parseConfig({ channels: [{ id: 'a', model: 'm', volum: 1 }] }, 'f')), /channels\[0\]: .*volum/);
  assert.match(
    configError(() => parseConfig({ channels: [{ id: 'a', model: 'm' }, { id: 'a', model: 'm' }] }, 'f')),
    /channels\[1\]\.id: duplicate channel id "a"/,
  );
  assert.match(configError(() => parseConfig({ server: { bufferAhead: 0 }, channels: [{ id: 'a', model: 'm' }] }, 'f')), /server\.bufferAhead/);
  assert.match(configError(() => parseConfig({ channels: [] }, 'f')), /channels: at least one channel/);
  assert.match(
    configError(() => parseConfig({ server: { trustProxy: ['loopback', 'localhost'] }, channels: [{ id: 'a', model: 'm' }] }, 'f')),
    /server\.trustProxy\[1\]: not "loopback", an IP address or a CIDR range/,
  );
  assert.match(
    configError(() => parseConfig({ server: { burst: 6, maxListenerLag: 6 }, channels: [{ id: 'a', model: 'm' }] }, 'f')),
    /server\.burst: burst \(6\) must be below maxListenerLag \(6\)/,
  );
  assert.match(
    configError(() => parseConfig({ channels: [{ id: 'a', model: 'm', sampleRate: 22050, mp3Bitrate: 192 }] }, 'f')),
    /channels\[0\]\.mp3Bitrate: mp3Bitrate must be one of 8, .* at sampleRate 22050, got 192/,
  );
});

test('a file that is not JSON or does not exist names the file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wavecast-config-'));
  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, '{ "channels": [');
  assert.match(configError(() => loadConfigFile(broken)), new RegExp(`${broken}: not valid JSON`));
  assert.match(configError(() => loadConfigFile(path.join(dir, 'missing.json'))), /missing\.json: cannot read config file/);
});

test('environment: PORT is checked, HOST and CONFIG have defaults', () => {
  assert.deepEqual(readEnv({}), { port: 8000, host: '0.0.0.0', configPath: DEFAULT_CONFIG_PATH, operatorToken: undefined });
  assert.equal(readEnv({ PORT: '9000', OPERATOR_TOKEN: 't' }).operatorToken, 't');
  assert.match(configError(() => readEnv({ PORT: 'eighty' })), /PORT must be an integer/);
});

test('a channel icecast block: defaults filled, a bad url, mount or missing password named', () => {
  const channel = (icecast: unknown) => ({ channels: [{ id: 'a', model: 'm', icecast }] });
  const config = parseConfig(channel({ url: 'http://127.0.0.1:8000', mount: '/a', password: 'hackme' }), 'f');
  assert.deepEqual({ ...config.channels[0].icecast }, { url: 'http://127.0.0.1:8000', mount: '/a', user: 'source', password: 'hackme', public: false });
  assert.deepEqual(config.server.icecastRetry, { min: 1, max: 30 });
  assert.match(configError(() => parseConfig(channel({ url: 'http://source:pw@h:8000', mount: '/a', password: 'x' }), 'f')), /channels\[0\]\.icecast\.url: url must not carry credentials/);
  assert.match(configError(() => parseConfig(channel({ url: 'http://h:8000/radio', mount: '/a', password: 'x' }), 'f')), /channels\[0\]\.icecast\.url: .*the mount goes in icecast\.mount/);
  assert.match(configError(() => parseConfig(channel({ url: 'http://h:8000', mount: 'a', password: 'x' }), 'f')), /channels\[0\]\.icecast\.mount: mount must start with "\/"/);
  assert.match(configError(() => parseConfig(channel({ url: 'http://h:8000', mount: '/a' }), 'f')), /channels\[0\]\.icecast\.password: password is required/);
  assert.match(configError(() => parseConfig(channel({ url: 'http://h:8000', mount: '/a', password: 'x', name: 'Lobby – café' }), 'f')), /channels\[0\]\.icecast\.name: name must be Latin-1 text/);
  assert.equal(parseConfig(channel({ url: 'http://h:8000', mount: '/a', password: 'x', name: 'Lobby · café' }), 'f').channels[0].icecast?.name, 'Lobby · café');
  assert.match(
    configError(() => parseConfig({ server: { icecastRetry: { min: 10, max: 5 } }, channels: [{ id: 'a', model: 'm' }] }, 'f')),
    /server\.icecastRetry: icecastRetry\.min must be at most icecastRetry\.max/,
  );
});
