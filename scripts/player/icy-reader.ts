/**
 * Splits an ICY stream (an MP3 response to `Icy-MetaData: 1`) into its audio bytes and its titles:
 * after every `metaint` audio bytes comes a length byte L and L × 16 bytes of
 * `StreamTitle='…';` padded with NULs (L = 0: nothing new). Works on chunks of any size, the way
 * they come off the socket; the inverse of server/broadcast/icy-metadata.ts.
 */

export interface IcyPart {
  /** Audio bytes of this chunk, in order (views into the chunk, not copies). */
  audio: Uint8Array[];
  /** Titles announced in this chunk, in order. */
  titles: string[];
}

export class IcyReader {
  readonly metaint: number;
  /** Audio bytes left before the next metadata block. */
  #audioLeft: number;
  /** Metadata bytes still expected (after the length byte), or -1 when the length byte is next. */
  #metaLeft = 0;
  #meta: number[] = [];
  #inMeta = false;
  readonly #utf8 = new TextDecoder();

  /** @param metaint - the response's `icy-metaint` (audio bytes between blocks), > 0 */
  constructor(metaint: number) {
    if (!(Number.isInteger(metaint) && metaint > 0)) throw new RangeError(`icy-metaint must be a positive whole number, got ${metaint}`);
    this.metaint = metaint;
    this.#audioLeft = metaint;
  }

  push(chunk: Uint8Array): IcyPart {
    const part: IcyPart = { audio: [], titles: [] };
    let at = 0;
    while (at < chunk.length) {
      if (!this.#inMeta) {
        const take = Math.min(this.#audioLeft, chunk.length - at);
        part.audio.push(chunk.subarray(at, at + take));
        at += take;
        this.#audioLeft -= take;
        if (this.#audioLeft === 0) {
          this.#inMeta = true;
          this.#metaLeft = -1;
        }
        continue;
      }
      if (this.#metaLeft === -1) {
        this.#metaLeft = chunk[at++] * 16;
        this.#meta = [];
      } else {
        const take = Math.min(this.#metaLeft, chunk.length - at);
        for (let i = 0; i < take; i++) this.#meta.push(chunk[at + i]);
        at += take;
        this.#metaLeft -= take;
      }
      if (this.#metaLeft === 0) {
        const title = this.#parseTitle(Uint8Array.from(this.#meta));
        if (title !== undefined) part.titles.push(title);
        this.#inMeta = false;
        this.#audioLeft = this.metaint;
      }
    }
    return part;
  }

  #parseTitle(block: Uint8Array): string | undefined {
    if (block.length === 0) return undefined;
    const text = this.#utf8.decode(block).replace(/\0+$/, '');
    const match = /StreamTitle='(.*?)';/s.exec(text);
    return match ? match[1] : undefined;
  }
}
