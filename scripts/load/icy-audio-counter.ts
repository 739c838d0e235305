/**
 * Counts the audio bytes of an MP3 body that may carry ICY metadata: after every `metaint` audio
 * bytes comes a length byte L and L × 16 bytes of metadata, which are not audio. Without
 * `metaint` every byte is audio. Reads the bytes in place, copies nothing.
 */
export class IcyAudioCounter {
  audioBytes = 0;
  /** Metadata blocks that carried a title (L > 0). */
  titles = 0;
  readonly #metaint: number | undefined;
  #untilMetadata: number;
  #metadataLeft = 0;

  /** @param metaint the response's `icy-metaint`, or undefined when it has none */
  constructor(metaint: number | undefined) {
    this.#metaint = metaint;
    this.#untilMetadata = metaint ?? Infinity;
  }

  /** Counts one piece of the body; returns the audio bytes in it. */
  push(bytes: Uint8Array): number {
    if (this.#metaint === undefined) {
      this.audioBytes += bytes.length;
      return bytes.length;
    }
    let audio = 0;
    let at = 0;
    while (at < bytes.length) {
      if (this.#metadataLeft > 0) {
        const skip = Math.min(this.#metadataLeft, bytes.length - at);
        this.#metadataLeft -= skip;
        at += skip;
      } else if (this.#untilMetadata === 0) {
        this.#metadataLeft = bytes[at++] * 16;
        if (this.#metadataLeft > 0) this.titles++;
        this.#untilMetadata = this.#metaint;
      } else {
        const take = Math.min(this.#untilMetadata, bytes.length - at);
        this.#untilMetadata -= take;
        audio += take;
        at += take;
      }
    }
    this.audioBytes += audio;
    return audio;
  }
}
