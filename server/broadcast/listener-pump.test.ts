import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { hasCode } from '../errors.js';
import { ChunkQueue } from './chunk-queue.js';
import { IcyInterleaver } from './icy-metadata.js';
import { pumpToWritable } from './listener-pump.js';

const CHUNK_BYTES = 1600; // 0.1 s at 128 kbps
const CHUNK_SECONDS = 0.1;

function chunkBytes(seq: number): Uint8Array {
  return new Uint8Array(CHUNK_BYTES).fill(seq & 0xff);
}

test('a paused listener is held to its buffer and dropped; a fast one gets everything', async () => {
  const queue = new ChunkQueue({ historySeconds: 5 });
  for (let seq = 0; seq < 20; seq++) queue.push({ bytes: chunkBytes(seq), duration: CHUNK_SECONDS, title: 't' });

  const highWaterMark = 4096;
  const slow = new PassThrough({ highWaterMark }); // nobody reads it: its consumer is paused
  const fast = new PassThrough({ highWaterMark });
  const received: Buffer[] = [];
  fast.on('data', (bytes: Buffer) => received.push(bytes));

  const drops: unknown[] = [];
  const fastDrops: unknown[] = [];
  const options = { burstSeconds: 1, maxLagSeconds: 2 };
  const fastReader = queue.reader(options);
  const firstSeq = fastReader.nextSeq;
  pumpToWritable(queue.reader(options), slow, queue, { onDrop: (error) => drops.push(error) });
  const stopFast = pumpToWritable(fastReader, fast, queue, { onDrop: (error) => fastDrops.push(error) });

  let maxBuffered = 0;
  for (let seq = 20; seq < 80; seq++) {
    queue.push({ bytes: chunkBytes(seq), duration: CHUNK_SECONDS, title: 't' });
    maxBuffered = Math.max(maxBuffered, slow.writableLength + slow.readableLength);
    await tick(); // let the fast consumer run
    await tick();
  }
  // The slow listener's socket buffers hold no more than its limits plus one burst's worth
  // (written before it was known to be full), not the 6 s the queue received meanwhile.
  const burstBytes = 10 * CHUNK_BYTES;
  assert.ok(maxBuffered <= 2 * highWaterMark + burstBytes, `buffered ${maxBuffered}`);
  assert.equal(drops.length, 1);
  assert.ok(hasCode(drops[0], 'WAVECAST_ERR_LISTENER_TOO_SLOW'));
  assert.equal(queue.listenerCount('chunk'), 1, 'the dropped pump detached from the queue');

  await tick();
  stopFast();
  assert.deepEqual(fastDrops, []);
  const expected = Buffer.concat(Array.from({ length: 80 - firstSeq }, (_, i) => chunkBytes(firstSeq + i)));
  assert.ok(Buffer.concat(received).equals(expected), 'every chunk from the burst on, in order');
  assert.equal(queue.listenerCount('chunk'), 0);
});

test('write() → false is honoured: nothing more is read until drain', async () => {
  const queue = new ChunkQueue();
  const sink = new PassThrough({ highWaterMark: CHUNK_BYTES });
  const reader = queue.reader({ burstSeconds: 0 });
  pumpToWritable(reader, sink, queue, { onDrop: (error) => assert.fail(`dropped: ${String(error)}`) });
  queue.push({ bytes: chunkBytes(0), duration: CHUNK_SECONDS, title: 't' }); // fills the writable
  queue.push({ bytes: chunkBytes(1), duration: CHUNK_SECONDS, title: 't' });
  queue.push({ bytes: chunkBytes(2), duration: CHUNK_SECONDS, title: 't' });
  assert.equal(reader.nextSeq, 1, 'chunks 1 and 2 wait in the queue, not in the socket');
  const got: Buffer[] = [];
  sink.on('data', (bytes: Buffer) => got.push(bytes));
  for (let i = 0; i < 10; i++) await tick();
  assert.equal(reader.nextSeq, 3);
  assert.equal(Buffer.concat(got).length, 3 * CHUNK_BYTES);
});

test('the transform shapes what is written (ICY), and close stops the pump', async () => {
  const queue = new ChunkQueue();
  queue.push({ bytes: new Uint8Array(10), duration: CHUNK_SECONDS, title: 'a' });
  const sink = new PassThrough();
  const got: Buffer[] = [];
  sink.on('data', (bytes: Buffer) => got.push(bytes));
  const icy = new IcyInterleaver({ metaint: 8 });
  pumpToWritable(queue.reader(), sink, queue, {
    transform: (chunk) => icy.write(chunk.bytes, chunk.title),
    onDrop: (error) => assert.fail(`dropped: ${String(error)}`),
  });
  queue.push({ bytes: new Uint8Array(6), duration: CHUNK_SECONDS, title: 'a' });
  await tick();
  const bytes = Buffer.concat(got);
  // 16 audio bytes and two metadata points: the title block after 8, a zero byte after 16.
  assert.equal(bytes.length, 16 + 17 + 1);
  assert.equal(bytes[8], 1);
  assert.equal(bytes.subarray(9, 25).toString(), "StreamTitle='a';");
  assert.equal(bytes[33], 0);
  sink.destroy();
  await tick();
  assert.equal(queue.listenerCount('chunk'), 0);
});
