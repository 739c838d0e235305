/**
 * MP3 from the native `lame` binary (Debian package `lame`), one child process per stream:
 * several times faster than lamejs and off the event loop's thread. PCM goes to its stdin as
 * int16, MP3 comes back on stdout asynchronously, so `encode` returns the bytes that arrived
 * since the previous call: its output lags its input by a frame or two plus a trip through the
 * event loop (a few milliseconds). When the child dies or stalls, `onError` is called once so
 * the caller can fall back to lamejs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Hz, Kbps, Seconds } from '../core/units.js';
import { concatBytes } from './concat-bytes.js';
import type { Encoder } from './encoder.js';
import { findLameBinary } from './find-lame-binary.js';
import { floatsToInt16 } from './float-to-int16.js';
import { checkMp3Options, type Mp3Options } from '../config/mp3-params.js';

export { findLameBinary };

const log = logger('lame-binary-encoder');
const STDERR_KEPT = 2048;

/** Options of {@link LameBinaryEncoder}. */
export interface LameBinaryOptions extends Mp3Options {
  /** Path of the executable; defaults to {@link findLameBinary}. */
  binaryPath?: string;
  /** PCM the encoder may hold for a child that is not reading before it gives up. */
  maxQueuedSeconds?: Seconds;
  /**
   * PCM is gathered and written to the child in writes of this much audio (server.lameWriteSeconds):
   * a pipe write costs the same for 50 ms as for 200 ms, and 80 channels made 1 600 of them a
   * second. Adds up to this much to the MP3's lag. 0: each `encode` call's PCM is written at once.
   */
  writeSeconds?: Seconds;
  /** Called once when the child fails (spawn error, crash, early exit or stall). */
  onError?: (error: WavecastError) => void;
}

/**
 * An {@link Encoder} over a `lame` child process.
 *
 * Backpressure: when the child's stdin says no more (`write` → false), PCM is queued here and
 * written on `'drain'`; `encode` never blocks. A queue above `maxQueuedSeconds` of audio means
 * the child has stalled: the encoder fails with `WAVECAST_ERR_ENCODER`.
 *
 * Failure: `onError` is called once, and from then on `encode` and `flush` throw that error.
 * `dispose()` kills the child and never reports an error.
 *
 * @example
 * const mp3 = new LameBinaryEncoder({ sampleRate: 44100, channels: 2, onError: switchToLameJs });
 * queue.push({ bytes: mp3.encode(pcm), ... }); // bytes of earlier calls' PCM
 */
export class LameBinaryEncoder implements Encoder {
  readonly contentType = 'audio/mpeg';
  readonly name = 'lame-binary';
  readonly sampleRate: Hz;
  readonly channels: 1 | 2;
  readonly bitrate: Kbps;
  #child: ChildProcessWithoutNullStreams;
  #onError: ((error: WavecastError) => void) | undefined;
  #maxQueuedBytes: number;
  /** Int16 samples gathered for the next write, and how many of them are filled. */
  #gathered: Int16Array;
  #gatheredSamples = 0;
  #queued: Uint8Array[] = [];
  #queuedBytes = 0;
  #blocked = false;
  #output: Uint8Array[] = [];
  #stderrTail = '';
  #ended = false;
  #exited = false;
  #exitWaiters: Array<() => void> = [];
  #failure: WavecastError | undefined;
  #disposed = false;

  /**
   * @param options.sampleRate input rate; an MP3 rate (8000 … 48000 Hz). Like lamejs, LAME may
   *   pick a lower output rate at very low bitrates (32 kHz at 32 kbps stereo → 16 kHz).
   * @param options.channels 1 (`-m m`) or 2 (joint stereo, `-m j`).
   * @param [options.bitrate=128] constant bitrate in kbps, legal for the sample rate.
   * @param [options.binaryPath=findLameBinary()] the `lame` executable.
   * @param [options.maxQueuedSeconds=2] PCM held for a child that stopped reading before failing.
   * @param [options.onError] called once when the child fails.
   * @throws WavecastError `WAVECAST_ERR_CONFIG` for bad MP3 options, `WAVECAST_ERR_ENCODER`
   *   when no binary is found.
   */
  constructor(options: LameBinaryOptions) {
    this.bitrate = checkMp3Options(options);
    this.sampleRate = options.sampleRate;
    this.channels = options.channels;
    this.#onError = options.onError;
    const maxQueuedSeconds = options.maxQueuedSeconds ?? 2;
    this.#maxQueuedBytes = Math.ceil(maxQueuedSeconds * this.sampleRate) * this.channels * 2;
    this.#gathered = new Int16Array(Math.ceil((options.writeSeconds ?? 0) * this.sampleRate) * this.channels);
    const binary = options.binaryPath ?? findLameBinary();
    if (binary === undefined) {
      throw new WavecastError('WAVECAST_ERR_ENCODER', 'the `lame` binary was not found on PATH');
    }
    // prettier-ignore
    const args = [
      '-r', '--signed', '--little-endian', '--bitwidth', '16', '-s', String(this.sampleRate / 1000),
      '-m', this.channels === 1 ? 'm' : 'j', '-b', String(this.bitrate), '--cbr',
      '--flush',        // write each frame at once instead of in stdio-buffer lumps
      '--noreplaygain', // the analysis only feeds a tag a stream never gets
      '-t',             // no LAME/Xing tag frame: a live stream has no end to describe
      '--quiet', '-', '-',
    ];
    // Its own process group: a Ctrl-C in the server's terminal goes to the whole foreground group
    // and would kill lame mid-stream, before the server has stopped; the server ends it itself.
    this.#child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.#child.stdout.on('data', (bytes: Buffer) => this.#output.push(bytes));
    this.#child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.#stderrTail = (this.#stderrTail + text).slice(-STDERR_KEPT);
    });
    this.#child.stdin.on('drain', () => this.#writeQueued());
    this.#child.stdin.on('error', (error) => this.#fail('its stdin failed', error));
    this.#child.stdout.on('error', (error) => this.#fail('its stdout failed', error));
    this.#child.on('error', (error) => this.#fail(`could not run ${binary}`, error));
    this.#child.on('close', (code, signal) => this.#onClose(code, signal));
  }

  /** The child's process id (for logs and operators), undefined if it could not start. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The failure that ended this encoder, if any. */
  get error(): WavecastError | undefined {
    return this.#failure;
  }

  /**
   * Sends PCM to the child; returns the MP3 bytes that arrived since the previous call (from
   * earlier PCM: the first calls may return nothing).
   * @throws WavecastError `WAVECAST_ERR_ENCODER` once the child failed or stalled, or after flush.
   */
  encode(pcm: Float32Array): Uint8Array {
    this.#checkUsable();
    if (this.#ended) throw new WavecastError('WAVECAST_ERR_ENCODER', 'lame encoder used after flush()');
    if (pcm.length % this.channels !== 0) {
      throw new WavecastError('WAVECAST_ERR_ENCODER', `pcm length ${pcm.length} is not a multiple of ${this.channels} channels`);
    }
    if (pcm.length > 0) {
      this.#gather(pcm);
      this.#checkUsable(); // a write may have found the child stalled
    }
    return this.#takeOutput();
  }

  /**
   * Ends the child's input and returns the bytes that have arrived; its last frames come after
   * it exits, so a caller that wants them awaits {@link end} instead (or as well).
   */
  flush(): Uint8Array {
    this.#checkUsable();
    this.#endInput();
    return this.#takeOutput();
  }

  /** Ends the input, waits for the child to exit, and returns every byte not yet returned. */
  async end(): Promise<Uint8Array> {
    this.#checkUsable();
    this.#endInput();
    if (!this.#exited) await new Promise<void>((resolve) => this.#exitWaiters.push(resolve));
    this.#checkUsable();
    return this.#takeOutput();
  }

  /** Kills the child (if still running) and drops what it held. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#queued = [];
    this.#output = [];
    if (!this.#exited) this.#child.kill('SIGKILL');
  }

  /** Adds `pcm` to the gathered samples, writing each time `writeSeconds` of them are in. */
  #gather(pcm: Float32Array): void {
    const gathered = this.#gathered;
    if (gathered.length === 0) {
      // A fresh buffer per write: the stream holds it until the child has read it.
      const samples = new Int16Array(pcm.length);
      floatsToInt16(pcm, samples);
      this.#write(new Uint8Array(samples.buffer));
      return;
    }
    let from = 0;
    while (from < pcm.length) {
      const take = Math.min(pcm.length - from, gathered.length - this.#gatheredSamples);
      floatsToInt16(pcm.subarray(from, from + take), gathered.subarray(this.#gatheredSamples, this.#gatheredSamples + take));
      this.#gatheredSamples += take;
      from += take;
      if (this.#gatheredSamples === gathered.length) this.#writeGathered();
    }
  }

  /** Writes what is gathered (a copy: the gathering buffer is filled again at once). */
  #writeGathered(): void {
    if (this.#gatheredSamples === 0) return;
    this.#write(new Uint8Array(this.#gathered.slice(0, this.#gatheredSamples).buffer));
    this.#gatheredSamples = 0;
  }

  #write(bytes: Uint8Array): void {
    if (this.#blocked) {
      this.#queued.push(bytes);
      this.#queuedBytes += bytes.byteLength;
      if (this.#queuedBytes > this.#maxQueuedBytes) {
        this.#fail(`it stalled: ${this.#queuedBytes} bytes of PCM queued and not read`);
      }
      return;
    }
    this.#blocked = !this.#child.stdin.write(bytes);
  }

  #writeQueued(): void {
    this.#blocked = false;
    while (this.#queued.length > 0 && !this.#blocked) {
      const bytes = this.#queued.shift()!;
      this.#queuedBytes -= bytes.byteLength;
      this.#blocked = !this.#child.stdin.write(bytes);
    }
    if (this.#ended && this.#queued.length === 0 && this.#child.stdin.writable) this.#child.stdin.end();
  }

  #endInput(): void {
    if (this.#ended) return;
    this.#writeGathered();
    this.#ended = true;
    // With PCM still queued, the end is written once the queue drains (see #writeQueued).
    if (this.#queued.length === 0) this.#child.stdin.end();
  }

  #takeOutput(): Uint8Array {
    const bytes = concatBytes(this.#output);
    this.#output = [];
    return bytes;
  }

  #onClose(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exited = true;
    if (!this.#disposed && !(this.#ended && code === 0)) {
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
      this.#fail(`it ${how}${this.#ended ? '' : ' before its input ended'}`);
    }
    for (const resolve of this.#exitWaiters.splice(0)) resolve();
  }

  #fail(reason: string, cause?: unknown): void {
    if (this.#failure !== undefined || this.#disposed) return;
    const stderr = this.#stderrTail.trim();
    const message = `lame encoder failed: ${reason}${stderr === '' ? '' : ` (stderr: ${stderr})`}`;
    this.#failure = new WavecastError('WAVECAST_ERR_ENCODER', message, { cause });
    log.error({ err: this.#failure }, 'lame child failed');
    this.#queued = [];
    this.#queuedBytes = 0;
    if (!this.#exited) this.#child.kill('SIGKILL');
    this.#onError?.(this.#failure);
  }

  #checkUsable(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#disposed) throw new WavecastError('WAVECAST_ERR_ENCODER', 'lame encoder used after dispose()');
  }
}
