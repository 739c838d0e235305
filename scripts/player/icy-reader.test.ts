import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IcyReader } from './icy-reader.js';
import { formatIcyTitle } from '../../server/broadcast/icy-metadata.js';

test('splits an ICY stream into its audio bytes and titles, whatever the chunk sizes', () => {
  const metaint = 100;
  const audio = Uint8Array.from({ length: 450 }, (_, i) => i % 251);
  const blocks = [formatIcyTitle('lobby: café – piano'), Uint8Array.of(0), formatIcyTitle("it's new"), Uint8Array.of(0)];
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 4; i++) parts.push(audio.subarray(i * metaint, (i + 1) * metaint), blocks[i]);
  parts.push(audio.subarray(400));
  const stream = Buffer.concat(parts);
  for (const size of [1, 3, 17, 100, 101, stream.length]) {
    const reader = new IcyReader(metaint);
    const got: Uint8Array[] = [];
    const titles: string[] = [];
    for (let at = 0; at < stream.length; at += size) {
      const part = reader.push(stream.subarray(at, at + size));
      got.push(...part.audio);
      titles.push(...part.titles);
    }
    assert.deepEqual(Buffer.concat(got), Buffer.from(audio), `audio intact with ${size}-byte chunks`);
    assert.deepEqual(titles, ['lobby: café – piano', 'it’s new'], `titles with ${size}-byte chunks`);
  }
});
