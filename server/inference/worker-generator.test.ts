import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { hasCode } from '../core/errors.js';
import { temporaryModelsDir, writeSeededCheckpoint } from './checkpoint.test-helper.js';
import { relativeL2, seededLatents } from '../families/model-fixtures.test-helper.js';
import { OnnxGenerator } from './onnx-generator.js';
import { WorkerGenerator } from './worker-generator.js';

let modelsDir: string;
let small: string;
let remove: () => Promise<void>;
before(async () => {
  ({ modelsDir, remove } = await temporaryModelsDir());
  small = await writeSeededCheckpoint(modelsDir, 'small', { d: 8, seed: 3 });
});
after(() => remove());

test('generates through the worker the same clips as in-process, on both engines', async () => {
  const latents = seededLatents(3, 100, 7);
  const inProcess = new OnnxGenerator({ dir: small });
  await inProcess.initialize();
  const expected = await inProcess.generate(latents);
  await inProcess.dispose();

  for (const engine of ['onnx', 'tfjs'] as const) {
    const generator = new WorkerGenerator({ dir: small, engine });
    assert.equal(generator.engine, engine);
    await generator.initialize();
    assert.match(generator.engine, engine === 'onnx' ? /^onnx-(cpu|cuda)$/ : /^tfjs-(tensorflow|wasm|cpu)$/);
    assert.equal(generator.info.id, 'small');
    const clips = await generator.generate(latents);
    assert.equal(clips.length, 3);
    assert.ok(clips.every((clip) => clip instanceof Float32Array && clip.length === 16384));
    assert.ok(relativeL2(clips, expected) < (engine === 'onnx' ? 1e-6 : 1e-4), engine);
    assert.ok(latents.every((latent) => latent.length === 100), "the caller's latents are not transferred away");
    await generator.dispose();
    await assert.rejects(generator.generate(latents), (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
  }
});

test('a bad checkpoint path rejects with the original error code and message', async () => {
  const dir = path.join(modelsDir, 'no-such-model');
  const generator = new WorkerGenerator({ dir, engine: 'onnx' });
  await assert.rejects(generator.initialize(), (error: Error) => {
    assert.ok(hasCode(error, 'WAVECAST_ERR_MODEL_NOT_FOUND'), `got ${error.name}: ${error.message}`);
    assert.ok(error.message.includes(path.join(dir, 'manifest.json')));
    return true;
  });
  await generator.dispose(); // Nothing left to stop, and no hang.
});

test('a latent of the wrong length is refused before it reaches the worker', async () => {
  const generator = new WorkerGenerator({ dir: small, engine: 'onnx' });
  await generator.initialize();
  await assert.rejects(generator.generate([new Float32Array(12)]), /latent 0 has 12 values, the model takes 100/);
  assert.equal((await generator.generate(seededLatents(1, 100, 1))).length, 1, 'the worker is still fine');
  await generator.dispose();
});

/** Runs `work` with a 10 ms interval timer going; returns the longest gap between its ticks. */
async function longestStall(work: () => Promise<unknown>): Promise<{ longest: number; ticks: number; duration: number }> {
  let last = performance.now();
  let longest = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, 10);
  const started = performance.now();
  await work();
  const duration = performance.now() - started;
  clearInterval(timer);
  return { longest: Math.max(longest, performance.now() - last), ticks, duration };
}

test("the main thread's event loop keeps ticking while the worker generates a large batch", async (t) => {
  const dir = await writeSeededCheckpoint(modelsDir, 'large', { d: 64 });
  // 48 clips: about 0.3 s on two cores, well past the 100 ms floor below (16 clips took 94 ms
  // on a quiet machine, and the test failed on its own precondition).
  const latents = seededLatents(48, 100, 5);
  const worker = new WorkerGenerator({ dir, engine: 'onnx' });
  await worker.initialize();
  await worker.generate(latents.slice(0, 1)); // warm up
  const threaded = await longestStall(() => worker.generate(latents));
  await worker.dispose();

  // The control: the same batch on this thread stalls the loop for the whole run.
  const inProcess = new OnnxGenerator({ dir });
  await inProcess.initialize();
  await inProcess.generate(latents.slice(0, 1));
  const blocking = await longestStall(() => inProcess.generate(latents));
  await inProcess.dispose();

  const report = JSON.stringify({ threaded, blocking }, (_, v) => (typeof v === 'number' ? Math.round(v) : v));
  t.diagnostic(`longest gap between 10 ms ticks (ms): ${report}`);
  assert.ok(blocking.longest > 0.8 * blocking.duration, `in-process run should block: ${report}`);
  assert.ok(threaded.duration > 100, `the batch must be large enough to matter: ${report}`);
  assert.ok(threaded.longest < 100, `worker run stalled the loop: ${report}`);
  assert.ok(threaded.ticks >= threaded.duration / 10 / 3, `too few ticks: ${report}`);
});

test('a crashed worker rejects the call it was running; the next call starts a fresh worker', async () => {
  // A stand-in worker that answers initialize and generate, but dies on the first generate
  // anywhere in this test (a marker file remembers it across worker restarts).
  const marker = path.join(small, 'crashed-once');
  const source = `
    import { parentPort } from 'node:worker_threads';
    import { existsSync, writeFileSync } from 'node:fs';
    parentPort.on('message', (request) => {
      if (request.type === 'generate' && !existsSync(${JSON.stringify(marker)})) {
        writeFileSync(${JSON.stringify(marker)}, '');
        process.exit(7);
      }
      const info = { id: 'fake', family: 'fake', instrument: 'x', latentDim: 4, trained: false, inputSize: 4, outputSize: 4, manifest: {} };
      const clips = request.type === 'generate' ? [new Float32Array([1, 2, 3, 4])] : undefined;
      parentPort.postMessage({ id: request.id, ok: true, info, engine: 'fake', clips });
    });`;
  const workerEntry = `data:text/javascript,${encodeURIComponent(source)}`;
  const generator = new WorkerGenerator({ dir: small, engine: 'onnx', workerEntry });
  await generator.initialize();
  assert.equal(generator.engine, 'fake');
  const crashed = (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE') && /exited \(code 7\)/.test(error.message);
  await assert.rejects(generator.generate([new Float32Array(4)]), crashed);
  assert.equal(generator.info.id, 'fake', 'the model is still known');
  const [clip] = await generator.generate([new Float32Array(4)]);
  assert.deepEqual([...clip], [1, 2, 3, 4], 'a fresh worker answered');
  await generator.dispose();
  await assert.rejects(generator.generate([new Float32Array(4)]), /generator disposed/);
});

test('a hung worker (alive, never answering) is ended after hangTimeout; the call rejects and the next starts a fresh worker', { timeout: 10_000 }, async () => {
  // A stand-in worker that answers, then spins forever on the second generate of this test.
  const marker = path.join(small, 'hung-once');
  const source = `
    import { parentPort } from 'node:worker_threads';
    import { existsSync, writeFileSync } from 'node:fs';
    let calls = 0;
    parentPort.on('message', (request) => {
      if (request.type === 'generate' && ++calls === 2 && !existsSync(${JSON.stringify(marker)})) {
        writeFileSync(${JSON.stringify(marker)}, '');
        for (;;) {}
      }
      const info = { id: 'fake', family: 'fake', instrument: 'x', latentDim: 4, trained: false, inputSize: 4, outputSize: 4, manifest: {} };
      const clips = request.type === 'generate' ? [new Float32Array([1, 2, 3, 4])] : undefined;
      parentPort.postMessage({ id: request.id, ok: true, info, engine: 'fake', clips });
    });`;
  const workerEntry = `data:text/javascript,${encodeURIComponent(source)}`;
  const generator = new WorkerGenerator({ dir: small, engine: 'onnx', workerEntry, hangTimeout: 0.3 });
  await generator.initialize();
  await generator.generate([new Float32Array(4)]);
  const started = performance.now();
  await assert.rejects(generator.generate([new Float32Array(4)]), (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE') && /did not answer within 0\.3 s \(hung\)/.test(error.message));
  const waited = (performance.now() - started) / 1000;
  assert.ok(waited >= 0.29 && waited < 2, `rejected after ${waited.toFixed(2)} s`);
  const [clip] = await generator.generate([new Float32Array(4)]);
  assert.deepEqual([...clip], [1, 2, 3, 4], 'a fresh worker answered');
  await generator.dispose();
});
