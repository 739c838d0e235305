/**
 * ICY (SHOUTcast/Icecast) in-stream metadata: a client that sends `Icy-MetaData: 1` gets
 * `icy-metaint: N` in the response headers and, after every N audio bytes, one metadata block:
 * a length byte L, then L × 16 bytes of `StreamTitle='…';` padded with NULs. L = 0 (a single
 * zero byte) means "nothing new". The interleaving state is per listener: each one is at its own
 * byte offset and has seen its own last title.
 */
import { WavecastError } from '../core/errors.js';

/** Audio bytes between metadata blocks; what Icecast and most players use by default. */
export const ICY_METAINT = 16000;

const BLOCK_UNIT = 16;
const MAX_BLOCK_UNITS = 255;
const PREFIX = new TextEncoder().encode("StreamTitle='");
const SUFFIX = new TextEncoder().encode("';");
/** Most UTF-8 bytes of title a block can hold: 255 × 16 minus `StreamTitle='` and `';`. */
export const ICY_MAX_TITLE_BYTES = MAX_BLOCK_UNITS * BLOCK_UNIT - PREFIX.length - SUFFIX.length;

const utf8 = new TextEncoder();
const titleScratch = new Uint8Array(ICY_MAX_TITLE_BYTES);
/** The single byte that says "no new metadata"; shared, never written to. */
const NO_METADATA = Uint8Array.of(0);

/**
 * Formats a title as one metadata block: length byte L, then L × 16 bytes holding
 * `StreamTitle='<title>';` NUL-padded.
 *
 * Players find the end of the value at the first `';`, and C clients stop at a NUL, so the
 * title is made safe first: `'` becomes `’` (U+2019) and control characters (NUL, newlines)
 * are dropped. It is then UTF-8 encoded and cut to {@link ICY_MAX_TITLE_BYTES} bytes at a
 * character boundary.
 *
 * @example
 * formatIcyTitle('Ambient 1'); // [2, ...`StreamTitle='Ambient 1';`, 0 × 8]
 */
export function formatIcyTitle(title: string): Uint8Array {
  const safe = icySafeTitle(title);
  // encodeInto never writes part of a character, so a cut title is still valid UTF-8.
  const { written } = utf8.encodeInto(safe, titleScratch);
  const textLength = PREFIX.length + written + SUFFIX.length;
  const units = Math.ceil(textLength / BLOCK_UNIT);
  const block = new Uint8Array(1 + units * BLOCK_UNIT); // zero-filled: the NUL padding
  block[0] = units;
  block.set(PREFIX, 1);
  block.set(titleScratch.subarray(0, written), 1 + PREFIX.length);
  block.set(SUFFIX, 1 + PREFIX.length + written);
  return block;
}

/**
 * The title as a StreamTitle value can hold it: `'` becomes `’` (U+2019), control characters are
 * dropped. Also what a channel's Icecast source sends Icecast, which puts it in its own blocks.
 */
export function icySafeTitle(title: string): string {
  return title.replace(/'/g, '\u2019').replace(/[\u0000-\u001f\u007f]/g, '');
}

// The title changes once per clip while hundreds of listeners need its block: format once.
let lastFormatted: { title: string; block: Uint8Array } | undefined;
function cachedIcyTitle(title: string): Uint8Array {
  if (lastFormatted?.title !== title) lastFormatted = { title, block: formatIcyTitle(title) };
  return lastFormatted.block;
}

/**
 * One listener's ICY interleaving: audio in, audio with metadata blocks out.
 *
 * After every `metaint` audio bytes it inserts the title's block when the title differs from
 * what this listener last received (and always the first time), else the single zero byte. The
 * block inserted inside or right after a chunk carries that chunk's title.
 *
 * `write` returns pieces to send in order: views into `audio` (no copies) and metadata blocks
 * shared between listeners. Neither may be modified.
 *
 * @example
 * const icy = new IcyInterleaver();
 * for (const piece of icy.write(chunk.bytes, chunk.title)) response.write(piece);
 */
export class IcyInterleaver {
  readonly metaint: number;
  #untilMetadata: number;
  #lastTitle: string | undefined;

  /**
   * @param [options.metaint=16000] audio bytes between metadata blocks (the `icy-metaint` header).
   * @throws WavecastError `WAVECAST_ERR_CONFIG` when `metaint` is not a positive integer.
   */
  constructor(options: { metaint?: number } = {}) {
    const metaint = options.metaint ?? ICY_METAINT;
    if (!Number.isInteger(metaint) || metaint <= 0) {
      throw new WavecastError('WAVECAST_ERR_CONFIG', `metaint must be a positive integer, got ${metaint}`);
    }
    this.metaint = metaint;
    this.#untilMetadata = metaint;
  }

  /** Interleaves one chunk of audio described by `title`; returns the pieces to send. */
  write(audio: Uint8Array, title: string): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    let offset = 0;
    while (offset < audio.byteLength) {
      const take = Math.min(this.#untilMetadata, audio.byteLength - offset);
      pieces.push(audio.subarray(offset, offset + take));
      offset += take;
      this.#untilMetadata -= take;
      if (this.#untilMetadata === 0) {
        pieces.push(this.#metadataFor(title));
        this.#untilMetadata = this.metaint;
      }
    }
    return pieces;
  }

  #metadataFor(title: string): Uint8Array {
    if (title === this.#lastTitle) return NO_METADATA;
    this.#lastTitle = title;
    return cachedIcyTitle(title);
  }
}
