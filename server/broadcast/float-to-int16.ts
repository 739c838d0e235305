/**
 * Float PCM in [-1, 1] to signed 16-bit integers, clipped: the one conversion every integer
 * encoder (lamejs, the lame child, s16le) shares, so they all clip and round alike.
 */

/**
 * One sample to int16: clipped to [-1, 1], then scaled asymmetrically (-1 → -32768, 1 → 32767)
 * so both full-scale ends are reachable, and rounded. NaN becomes 0.
 */
export function floatToInt16(sample: number): number {
  if (!(sample === sample)) return 0; // NaN: silence rather than a full-scale click
  const clipped = sample < -1 ? -1 : sample > 1 ? 1 : sample;
  return Math.round(clipped < 0 ? clipped * 32768 : clipped * 32767);
}

/**
 * Converts a whole buffer; `output` is the caller's and must hold `input.length` samples from
 * `outputOffset` (no allocation, so it can sit in a hot path).
 */
export function floatsToInt16(input: Float32Array, output: Int16Array, outputOffset = 0): void {
  for (let i = 0; i < input.length; i++) output[outputOffset + i] = floatToInt16(input[i]);
}
