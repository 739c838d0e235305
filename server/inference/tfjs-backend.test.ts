import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { hasCode } from '../core/errors.js';
import { selectTfjsBackend } from './tfjs-backend.js';

const tfjsNodeInstalled = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((name) => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
});

test('picks the best backend installed: wasm here, where tfjs-node is absent', async () => {
  const backend = await selectTfjsBackend();
  assert.equal(backend, tfjsNodeInstalled ? 'tensorflow' : 'wasm');
  assert.equal(tf.getBackend(), backend);
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
  assert.deepEqual([...sum], [4, 6]);
});

test('forcing cpu works, and the automatic choice comes back afterwards', async () => {
  assert.equal(await selectTfjsBackend('cpu'), 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  const automatic = await selectTfjsBackend();
  assert.notEqual(automatic, 'cpu');
  assert.equal(tf.getBackend(), automatic);
});

test('forcing a backend that is not installed fails with WAVECAST_ERR_ENGINE and says why', { skip: tfjsNodeInstalled }, async () => {
  await assert.rejects(selectTfjsBackend('tensorflow'), (error: Error) => {
    return hasCode(error, 'WAVECAST_ERR_ENGINE') && /tfjs-node: not installed/.test(error.message);
  });
});

test('logs the choice and why better backends were skipped', async () => {
  const script = `
    const { selectTfjsBackend } = await import(${JSON.stringify(new URL('./tfjs-backend.ts', import.meta.url).href)});
    await selectTfjsBackend();`;
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.NODE_TEST_CONTEXT; // Under the test runner the logger is silent; this child must log.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    { env },
  );
  const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const choice = lines.find((line) => line.module === 'engine' && 'skipped' in line);
  assert.ok(choice, `no backend log line in:\n${stdout}`);
  assert.equal(choice.backend, tfjsNodeInstalled ? 'tensorflow' : 'wasm');
  if (!tfjsNodeInstalled) {
    assert.deepEqual(choice.skipped.map((s: { backend: string }) => s.backend), ['tensorflow']);
    assert.match(choice.skipped[0].reason, /@tensorflow\/tfjs-node-gpu: not installed; @tensorflow\/tfjs-node: not installed/);
  }
});
