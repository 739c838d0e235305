import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamReader } from 'icecast-parser/dist/StreamReader.js';
import { formatIcyTitle, ICY_MAX_TITLE_BYTES, ICY_METAINT, IcyInterleaver } from './icy-metadata.js';

/** A small ICY reader: splits an interleaved byte stream back into audio and metadata blocks. */
function parseIcy(stream: Uint8Array, metaint: number) {
  const audio: number[] = [];
  const blocks: Array<{ at: number; title: string | undefined }> = [];
  let offset = 0;
  while (offset < stream.length) {
    const take = Math.min(metaint, stream.length - offset);
    audio.push(...stream.subarray(offset, offset + take));
    offset += take;
    if (take < metaint) break;
    assert.ok(offset < stream.length, 'a metadata length byte follows every metaint audio bytes');
    const length = stream[offset] * 16;
    const text = new TextDecoder().decode(stream.subarray(offset + 1, offset + 1 + length));
    const title = length === 0 ? undefined : /^StreamTitle='(.*)';\0*$/s.exec(text)?.[1];
    if (length > 0) assert.notEqual(title, undefined, `malformed block ${JSON.stringify(text)}`);
    blocks.push({ at: audio.length, title });
    offset += 1 + length;
  }
  return { audio, blocks };
}

function concat(pieces: Uint8Array[]): Uint8Array {
  return Uint8Array.from(pieces.flatMap((piece) => [...piece]));
}

test('a title block is byte exact: length byte, text, NUL padding', () => {
  const block = formatIcyTitle('Ambient 1');
  const text = "StreamTitle='Ambient 1';"; // 24 bytes → 2 units of 16
  assert.equal(block.length, 1 + 32);
  assert.equal(block[0], 2);
  assert.deepEqual([...block.subarray(1, 25)], [...Buffer.from(text)]);
  assert.deepEqual([...block.subarray(25)], new Array(8).fill(0));
  // 15 bytes of framing + 1 byte of title fill exactly one unit: no padding at all.
  assert.deepEqual([...formatIcyTitle('x')], [1, ...Buffer.from("StreamTitle='x';")]);
  assert.deepEqual([...formatIcyTitle('')], [1, ...Buffer.from("StreamTitle='';"), 0]);
});

test("a title's quotes and control characters cannot break the block", () => {
  const block = formatIcyTitle("Don't\nstop';\0x");
  const text = new TextDecoder().decode(block.subarray(1)).replace(/\0+$/, '');
  assert.equal(text, "StreamTitle='Don\u2019tstop\u2019;x';");
});

test('a long title is cut to 255 × 16 bytes at a character boundary', () => {
  const block = formatIcyTitle('é'.repeat(3000)); // 6000 bytes of UTF-8, 2 per character
  assert.equal(block[0], 255);
  assert.equal(block.length, 1 + 255 * 16);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(block.subarray(1)).replace(/\0+$/, '');
  assert.equal(text, `StreamTitle='${'é'.repeat(Math.floor(ICY_MAX_TITLE_BYTES / 2))}';`);
});

test('metadata lands every metaint audio bytes across random chunk boundaries', () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const metaint of [ICY_METAINT, 100, 1]) {
    const icy = new IcyInterleaver({ metaint });
    const sent: Uint8Array[] = [];
    const audio: number[] = [];
    const titleAt: string[] = []; // the title of the chunk each audio byte came from
    for (let chunk = 0; chunk < 60; chunk++) {
      const size = Math.floor(random() * 3 * metaint) + (chunk % 7 === 0 ? 0 : 1);
      const bytes = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
      const title = `song ${Math.floor(chunk / 10)}`;
      audio.push(...bytes);
      titleAt.push(...new Array<string>(size).fill(title));
      sent.push(...icy.write(bytes, title));
    }
    const parsed = parseIcy(concat(sent), metaint);
    assert.deepEqual(parsed.audio, audio, 'audio bytes pass through unchanged and in order');
    assert.equal(parsed.blocks.length, Math.floor(audio.length / metaint));
    let lastSent: string | undefined;
    parsed.blocks.forEach((block, index) => {
      assert.equal(block.at, (index + 1) * metaint);
      const current = titleAt[block.at - 1]; // the chunk the block was inserted in or after
      assert.equal(block.title, current === lastSent ? undefined : current, `block ${index} at ${block.at}`);
      lastSent = current;
    });
    assert.ok(parsed.blocks.filter((block) => block.title !== undefined).length >= 6);
  }
});

test('the first block is always a full one, even for an empty title', () => {
  const icy = new IcyInterleaver({ metaint: 4 });
  const pieces = icy.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), '');
  assert.deepEqual(pieces.map((piece) => piece.length), [4, 17, 4, 1]);
  assert.equal(pieces[1][0], 1);
  assert.deepEqual([...pieces[3]], [0]);
});

test('listeners keep their own offsets and last titles', () => {
  const early = new IcyInterleaver({ metaint: 10 });
  const late = new IcyInterleaver({ metaint: 10 });
  early.write(new Uint8Array(10), 'a'); // early has now received 'a'
  const earlyPieces = early.write(new Uint8Array(10), 'a');
  const latePieces = late.write(new Uint8Array(10), 'a');
  assert.deepEqual([...earlyPieces[1]], [0]);
  assert.equal(latePieces[1][0], 1);
});

test('metaint must be a positive integer', () => {
  assert.throws(() => new IcyInterleaver({ metaint: 0 }), /metaint/);
  assert.throws(() => new IcyInterleaver({ metaint: 1.5 }), /metaint/);
});

test('icecast-parser reads the titles back, in order', async () => {
  const icy = new IcyInterleaver({ metaint: 1000 });
  const reader = new StreamReader(1000);
  const titles: string[] = [];
  let audioBytes = 0;
  reader.on('metadata', (metadata: Map<string, string>) => titles.push(metadata.get('StreamTitle') ?? '?'));
  reader.on('data', (bytes: Buffer) => (audioBytes += bytes.length));
  for (const [title, size] of [["Ambient 'one'", 2500], ['Drone — deux', 700], ['Drone — deux', 1800], ['three', 1000]] as const) {
    for (const piece of icy.write(new Uint8Array(size), title)) reader.write(piece);
  }
  await new Promise<void>((resolve) => reader.end(resolve));
  assert.deepEqual(titles, ['Ambient \u2019one\u2019', 'Drone — deux', 'three']);
  assert.equal(audioBytes, 6000);
});
