/**
 * Float32 ↔ little-endian bytes, the byte order of weights.bin and of ONNX raw_data. On a
 * little-endian machine (all Node targets in practice) both directions are one copy; a
 * big-endian machine swaps each 4-byte word.
 */
import { endianness } from 'node:os';

const littleEndianHost = endianness() === 'LE';

/** Copies `data` into a new byte array, each float little-endian. */
export function float32ToLittleEndian(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  if (littleEndianHost) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } else {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  }
  return bytes;
}

/**
 * Reads little-endian floats from `bytes` into a new, aligned Float32Array (a copy, so the
 * source's byte offset does not need to be a multiple of 4).
 */
export function littleEndianToFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new RangeError(`float32 data must be a multiple of 4 bytes, got ${bytes.byteLength}`);
  }
  const data = new Float32Array(bytes.byteLength / 4);
  if (littleEndianHost) {
    new Uint8Array(data.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
  }
  return data;
}
