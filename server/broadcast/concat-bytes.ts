/**
 * Joins byte pieces into one buffer: encoders collect frames as they come and hand the caller
 * a single `Uint8Array`. One piece is returned as is (no copy).
 */

/** Concatenates `parts`; returns `parts[0]` itself when there is exactly one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const part of parts) total += part.byteLength;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}
