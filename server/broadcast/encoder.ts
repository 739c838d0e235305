/**
 * The one boundary between PCM and bytes on the wire, like Icecast's format plug-ins: the
 * generation loop never imports MP3 or ICY code, it hands PCM to an Encoder.
 *
 * PCM is interleaved Float32 in [-1, 1] at the encoder's sample rate and channel count.
 * `encode` is synchronous and returns whatever bytes are ready now; an encoder with its own
 * latency (the `lame` child process) returns its bytes on a later call. Bytes come out in order.
 */

export interface Encoder {
  /** MIME type of the bytes, e.g. `audio/mpeg`. */
  readonly contentType: string;
  /** Short name for logs, metrics and the benchmark, e.g. `lamejs`, `lame-binary`, `s16le`. */
  readonly name: string;
  encode(pcm: Float32Array): Uint8Array;
  /** Ends the stream: returns the encoder's remaining bytes. */
  flush(): Uint8Array;
  dispose(): void;
}

/** Makes an encoder; it calls `onFailure` if the encoder fails later on its own (a child process dying). */
export type EncoderFactory = (onFailure: (error: unknown) => void) => Encoder;
