/**
 * A minimal PNG encoder for the training report's spectrograms: 8-bit palette images, one IDAT
 * compressed with node:zlib, CRC-32 computed here. Small enough to inline as data: URIs, so the
 * report stays one self-contained file. Plus the heatmap colour map (dark blue → yellow).
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** A 256-colour ramp through these anchors (viridis-like: dark for quiet, bright for loud). */
const ANCHORS = [[13, 8, 35], [59, 15, 112], [140, 41, 129], [222, 73, 104], [254, 159, 109], [252, 253, 191]];

/** The heatmap palette: 256 RGB triples. */
export const HEATMAP_PALETTE: Uint8Array = (() => {
  const palette = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * (ANCHORS.length - 1);
    const low = Math.min(Math.floor(position), ANCHORS.length - 2);
    const t = position - low;
    for (let c = 0; c < 3; c++) palette[i * 3 + c] = Math.round(ANCHORS[low][c] * (1 - t) + ANCHORS[low + 1][c] * t);
  }
  return palette;
})();

/**
 * A palette PNG: `indices[y · width + x]` picks a colour of `palette` (RGB triples), top row first.
 * @example encodePalettePng(2, 1, Uint8Array.of(0, 255), HEATMAP_PALETTE)
 */
export function encodePalettePng(width: number, height: number, indices: Uint8Array, palette: Uint8Array): Uint8Array {
  if (indices.length !== width * height) throw new RangeError(`expected ${width * height} pixels, got ${indices.length}`);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 3, 0, 0, 0], 8); // 8 bits, palette colour, deflate, adaptive filter, no interlace
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) raw.set(indices.subarray(y * width, (y + 1) * width), y * (width + 1) + 1); // filter 0
  const chunks = [chunk('IHDR', header), chunk('PLTE', palette), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(SIGNATURE.length + chunks.reduce((sum, c) => sum + c.length, 0));
  out.set(SIGNATURE);
  let offset = SIGNATURE.length;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * A heatmap of `values` (row-major, `rows` × `columns`) as a PNG, `flipRows` putting row 0 at the
 * bottom (low frequencies down), each value mapped linearly from [min, max] onto the palette.
 */
export function heatmapPng(values: Float32Array, rows: number, columns: number, range: [min: number, max: number], flipRows = true): Uint8Array {
  const [min, max] = range;
  const indices = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const y = flipRows ? rows - 1 - r : r;
    for (let c = 0; c < columns; c++) {
      const t = (values[r * columns + c] - min) / (max - min || 1);
      indices[y * columns + c] = Math.round(255 * Math.max(0, Math.min(1, t)));
    }
  }
  return encodePalettePng(columns, rows, indices, HEATMAP_PALETTE);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309, as PNG uses). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
