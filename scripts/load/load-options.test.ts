import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, parseLoadOptions, type LoadOptions } from './load-options.js';

const parse = (...argv: string[]) => parseLoadOptions(argv, {}) as LoadOptions;

test('defaults, and a soak of 200 listeners with a change every 30 s', () => {
  const plain = parse();
  assert.equal(plain.http + plain.ws, 120);
  assert.equal(plain.soak, undefined);
  assert.equal(plain.perAddress, 32);
  const soak = parse('--soak', '600');
  assert.equal(soak.http + soak.ws, 200);
  assert.deepEqual(soak.soak, { changeEvery: 30, warmup: 60 });
  assert.equal(soak.seconds, 600);
});

test('a run is bounded and aimed at this machine only', () => {
  assert.throws(() => parse('--http', '15000', '--ws', '5001'), /at most 20000/);
  assert.throws(() => parse('--seconds', '3601'), /--seconds/);
  assert.throws(() => parse('--soak', '4000'), /--soak/);
  assert.throws(() => parse('--url', 'http://192.168.1.5:8000'), /this machine/);
  assert.throws(() => parse('--url', 'http://127.0.0.1:8000', '--channels', '4'), /--channels shapes the server/);
  assert.equal(parse('--url', 'http://127.0.0.1:8000/x').url, 'http://127.0.0.1:8000');
  assert.equal(parse('--url', 'http://[::1]:8000').perAddress, undefined, 'no 127.1.x.y sources towards ::1');
  assert.ok(isLoopbackHost('localhost') && isLoopbackHost('127.3.4.5') && isLoopbackHost('[::1]'));
  assert.ok(!isLoopbackHost('128.0.0.1') && !isLoopbackHost('example.com'));
});
