import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { crc32, encodePalettePng, heatmapPng, HEATMAP_PALETTE } from './png-image.js';

/** The chunks of a PNG, each checked against its CRC. */
function chunks(png: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(png.buffer, png.byteOffset);
  const out = new Map<string, Uint8Array>();
  for (let offset = 8; offset < png.length;) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    assert.equal(view.getUint32(offset + 8 + length), crc32(png.subarray(offset + 4, offset + 8 + length)), `${type} CRC`);
    out.set(type, png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  return out;
}

test('CRC-32 of "IEND" is the one every PNG ends with', () => {
  assert.equal(crc32(new TextEncoder().encode('IEND')), 0xae426082);
});

test('a palette PNG: signature, size, 8-bit palette, and the pixels back through inflate', () => {
  const png = encodePalettePng(3, 2, Uint8Array.of(0, 1, 2, 3, 4, 5), HEATMAP_PALETTE);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const parts = chunks(png);
  assert.deepEqual([...parts.keys()], ['IHDR', 'PLTE', 'IDAT', 'IEND']);
  assert.deepEqual([...parts.get('IHDR')!], [0, 0, 0, 3, 0, 0, 0, 2, 8, 3, 0, 0, 0]);
  assert.equal(parts.get('PLTE')!.length, 768);
  assert.deepEqual([...inflateSync(parts.get('IDAT')!)], [0, 0, 1, 2, 0, 3, 4, 5]);
});

test('a heatmap maps [min, max] onto the palette, row 0 at the bottom', () => {
  const png = heatmapPng(Float32Array.of(-90, 0, -45, 100), 2, 2, [-90, 0]);
  // Row 0 (−90, 0) is drawn last; values outside the range clamp.
  assert.deepEqual([...inflateSync(chunks(png).get('IDAT')!)], [0, 128, 255, 0, 0, 255]);
});
