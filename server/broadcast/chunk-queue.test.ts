import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { ChunkQueue, type Chunk } from './chunk-queue.js';

const CHUNK_SECONDS = 0.1;

function pushChunks(queue: ChunkQueue, count: number): Chunk[] {
  return Array.from({ length: count }, () =>
    queue.push({ bytes: Uint8Array.of(queue.headSeq + 1), duration: CHUNK_SECONDS, title: 't' }),
  );
}

const isTooSlow = (error: unknown) => hasCode(error, 'WAVECAST_ERR_LISTENER_TOO_SLOW');

test('push numbers chunks contiguously and emits each', () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  const emitted: Chunk[] = [];
  queue.on('chunk', (chunk: Chunk) => emitted.push(chunk));
  assert.equal(queue.headSeq, -1);
  const pushed = pushChunks(queue, 5);
  assert.deepEqual(pushed.map((chunk) => chunk.seq), [0, 1, 2, 3, 4]);
  assert.equal(queue.headSeq, 4);
  assert.deepEqual(emitted, pushed);
  assert.ok(Object.isFrozen(pushed[0]));
});

test('the first read is a burst starting about 2 s back from the head', () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  pushChunks(queue, 50); // 5 s
  const reader = queue.reader({ burstSeconds: 2, maxLagSeconds: 8 });
  assert.ok(Math.abs(reader.lagSeconds - 2) < 1e-9, `lag ${reader.lagSeconds}`);
  const burst = reader.read();
  assert.deepEqual(burst.map((chunk) => chunk.seq), Array.from({ length: 20 }, (_, i) => 30 + i));
  assert.equal(reader.read().length, 0);
  assert.ok(Math.abs(reader.lagSeconds) < 1e-9);
  // Less history than the burst: start at the oldest chunk kept.
  const young = new ChunkQueue({ historySeconds: 10 });
  pushChunks(young, 3);
  assert.equal(young.reader({ burstSeconds: 2, maxLagSeconds: 8 }).read().length, 3);
  // No burst: start at the next push.
  const live = queue.reader({ burstSeconds: 0, maxLagSeconds: 8 });
  assert.equal(live.read().length, 0);
  pushChunks(queue, 1);
  assert.deepEqual(live.read().map((chunk) => chunk.seq), [50]);
});

test('200 readers get the same chunk objects in the same order, with no copies', () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  pushChunks(queue, 30);
  const readers = Array.from({ length: 200 }, () => queue.reader({ burstSeconds: 2, maxLagSeconds: 8 }));
  const received = readers.map((reader) => reader.read()); // the bursts
  for (let round = 0; round < 10; round++) {
    pushChunks(queue, 1 + (round % 3));
    readers.forEach((reader, index) => {
      if ((index + round) % 4 !== 0) received[index].push(...reader.read()); // read at different times
    });
  }
  readers.forEach((reader, index) => received[index].push(...reader.read()));
  const expected = received[0];
  assert.deepEqual(expected.map((chunk) => chunk.seq), Array.from({ length: 39 }, (_, i) => 10 + i));
  for (const chunks of received) {
    assert.equal(chunks.length, expected.length);
    chunks.forEach((chunk, i) => {
      assert.equal(chunk, expected[i]); // the same object...
      assert.equal(chunk.bytes, expected[i].bytes); // ...holding the same bytes
    });
  }
});

test('a reader that stops reading is too slow past maxLag; the others keep going', () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  pushChunks(queue, 20);
  const stalled = queue.reader({ burstSeconds: 1, maxLagSeconds: 3 });
  const active = queue.reader({ burstSeconds: 1, maxLagSeconds: 3 });
  stalled.read();
  let activeChunks = active.read().length;
  for (let i = 0; i < 30; i++) {
    pushChunks(queue, 1); // the queue never waits for the stalled reader
    activeChunks += active.read().length;
    if (i < 29) assert.doesNotThrow(() => stalled.checkLag(), `lag ${stalled.lagSeconds} at ${i}`);
  }
  // 3.0 s behind is still within the limit, 3.1 s is not.
  assert.ok(Math.abs(stalled.lagSeconds - 3) < 1e-9);
  pushChunks(queue, 1);
  activeChunks += active.read().length;
  assert.throws(() => stalled.read(), isTooSlow);
  assert.throws(() => stalled.read(), isTooSlow, 'stays too slow');
  assert.equal(activeChunks, 10 + 31);
  assert.ok(active.lagSeconds < 1e-9);
});

test('the history is kept to historySeconds, and a reader whose next chunk is gone is too slow', () => {
  const queue = new ChunkQueue({ historySeconds: 2 });
  const patient = queue.reader({ burstSeconds: 0, maxLagSeconds: 100 }); // lag alone never drops it
  pushChunks(queue, 20);
  assert.deepEqual(patient.read().map((chunk) => chunk.seq).slice(0, 2), [0, 1]); // still kept
  pushChunks(queue, 100);
  assert.ok(Math.abs(queue.keptSeconds - 2) < 1e-6, `kept ${queue.keptSeconds}`);
  assert.equal(queue.oldestSeq, 100);
  assert.equal(queue.headSeq, 119);
  assert.throws(() => patient.read(), (error) => isTooSlow(error) && /evicted/.test((error as Error).message));
  // A new reader's burst is limited to what is kept.
  assert.equal(queue.reader({ burstSeconds: 5, maxLagSeconds: 100 }).read()[0].seq, 100);
});

test('bad options are refused', () => {
  assert.throws(() => new ChunkQueue({ historySeconds: 0 }), /historySeconds/);
  assert.throws(() => new ChunkQueue({ historySeconds: 10 }).reader({ burstSeconds: 8, maxLagSeconds: 8 }), /burstSeconds/);
});

test('nextChunk resolves on the next push or on abort, and leaves no listener behind', async () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  const before = queue.listenerCount('chunk');
  const controller = new AbortController();
  let resolved = false;
  const waiting = queue.nextChunk(controller.signal).then(() => (resolved = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(resolved, false, 'nothing pushed yet');
  queue.push({ bytes: new Uint8Array(1), duration: 0.05, title: 't' });
  await waiting;
  assert.equal(queue.listenerCount('chunk'), before);
  const aborted = new AbortController();
  const pending = queue.nextChunk(aborted.signal);
  aborted.abort();
  await pending;
  assert.equal(queue.listenerCount('chunk'), before, 'an aborted wait unregisters itself');
  await queue.nextChunk(aborted.signal); // already aborted: resolves at once
});

test('join makes one chunk per run of a title, its bytes in one buffer, shared by readers of the same range', () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  const chunks = [0, 1, 2, 3, 4].map((n) => queue.push({ bytes: Uint8Array.of(n, n), duration: 0.05, title: n < 3 ? 'a' : 'b' }));
  const joined = queue.join(chunks);
  assert.equal(joined.length, 2);
  assert.deepEqual([...joined[0].bytes], [0, 0, 1, 1, 2, 2]);
  assert.deepEqual([...joined[1].bytes], [3, 3, 4, 4]);
  assert.deepEqual(joined.map((c) => [c.seq, c.title]), [[0, 'a'], [3, 'b']]);
  assert.ok(Math.abs(joined[0].duration - 0.15) < 1e-9);
  assert.ok(Object.isFrozen(joined[0]));
  assert.equal(queue.join(chunks.slice()), joined, 'a second reader of the range gets the same join');
  assert.equal(queue.join(chunks.slice(0, 1))[0], chunks[0], 'one chunk is returned as it is');
});

test('atNextPush wakes once, atEveryPush at every push, and both can be cancelled', () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  let woken = 0;
  let watched = 0;
  queue.atNextPush(() => woken++);
  const cancelled = queue.atNextPush(() => assert.fail('cancelled'));
  cancelled();
  const stopWatching = queue.atEveryPush(() => watched++);
  pushChunks(queue, 3);
  assert.equal(woken, 1);
  assert.equal(watched, 3);
  stopWatching();
  pushChunks(queue, 1);
  assert.equal(watched, 3);
});

test('a push with thousands of waiting listeners costs them linear time, not quadratic', () => {
  const queue = new ChunkQueue({ historySeconds: 10 });
  const time = (listeners: number) => {
    for (let i = 0; i < listeners; i++) {
      queue.atNextPush(() => {});
      queue.atEveryPush(() => {})();
    }
    const started = performance.now();
    pushChunks(queue, 1);
    return performance.now() - started;
  };
  time(1000); // warm-up
  // Under an EventEmitter's once/off this took seconds; a set wakes 20 000 in a few ms.
  assert.ok(time(20_000) < 200);
});
