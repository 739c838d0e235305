/**
 * The shop player, wired: a live connection feeding live buffers, the mixer choosing between
 * them and the disk cache, the volume (fixed or scheduled), and the sound output, paced by the
 * output's own clock: every 20 ms the loop tops the scheduled audio up to `LEAD` ahead, a block
 * at a time. `--record` gets every block as it is scheduled (and any gap the output really had).
 */
import { CacheRing } from './cache-ring.js';
import type { FeedConnector } from './feed.js';
import { LiveConnection } from './live-connection.js';
import { Mixer } from './mixer.js';
import { connectMp3 } from './mp3-feed.js';
import { OUTPUT_CHANNELS, OUTPUT_RATE } from './output-format.js';
import type { PlayerOptions } from './player-options.js';
import { UsageError } from './usage-error.js';
import { volumeAt } from './volume-schedule.js';
import { WavWriter } from './wav-writer.js';
import { WebAudioOutput } from './web-audio-output.js';
import { connectWs } from './ws-feed.js';
import { rampGain } from '../../server/dsp/gain-ramp.js';
import type { Samples, Seconds } from '../../server/core/units.js';

/** Frames per mixed block (46 ms). */
const BLOCK: Samples = 2048;
/** Audio scheduled ahead of the output: a main thread that stalls for less is never heard. */
const LEAD: Seconds = 0.5;
const TICK_MS = 20;
const SEGMENT_MAX: Seconds = 60;

const frames = (seconds: Seconds): Samples => Math.round(seconds * OUTPUT_RATE);

export interface PlayerIo {
  /** A title line (stdout). */
  title(line: string): void;
  /** A status line (stderr). */
  report(line: string): void;
  /** The player cannot go on (the server refused the URL before anything played). */
  fatal(message: string): void;
  /** Feed connectors, replaceable in tests. */
  connectors?: { mp3: FeedConnector; ws: FeedConnector };
}

export class ShopPlayer {
  readonly options: PlayerOptions;
  readonly io: PlayerIo;
  readonly cache: CacheRing | undefined;
  readonly connection: LiveConnection;
  readonly mixer: Mixer;
  #output: WebAudioOutput | undefined;
  #recorder: WavWriter | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastTitle: string | undefined;
  #gain = 1;
  #block = new Float32Array(BLOCK * OUTPUT_CHANNELS);
  /** Frames played from each kind of source (for the summary). */
  readonly played = { live: 0, cache: 0, silent: 0, fading: 0 };

  constructor(options: PlayerOptions, io: PlayerIo) {
    this.options = options;
    this.io = io;
    const capacity = frames(options.cacheMinutes * 60);
    try {
      this.cache = new CacheRing({
        dir: options.cacheDir,
        capacity,
        segmentFrames: Math.max(frames(1), Math.min(frames(SEGMENT_MAX), Math.round(capacity / 30))),
        onError: (error) => io.report(`cache: cannot write to ${options.cacheDir} (${error.message}); playing on without caching more`),
      });
    } catch (error) {
      io.report(`cache: cannot use ${options.cacheDir} (${(error as Error).message}); playing without a cache`);
    }
    const connectors = io.connectors ?? { mp3: connectMp3, ws: connectWs };
    this.connection = new LiveConnection({
      url: options.target.url,
      connect: connectors[options.target.kind],
      stall: options.stall,
      retryMin: 0.25,
      retryMax: options.retryMax,
      buffer: { target: frames(2), driftBand: frames(1), capacity: frames(8) },
      onTitle: (title) => {
        if (title === this.#lastTitle) return;
        this.#lastTitle = title;
        io.title(`title: ${title}`);
      },
      report: (line) => io.report(line),
      onRefused: (reason) => io.fatal(`${options.target.url}: ${reason}`),
    });
    this.mixer = new Mixer({
      live: () => this.connection.newest(),
      cache: this.cache,
      cacheFade: frames(0.5),
      liveFade: frames(2),
      startFade: frames(0.05),
      ready: frames(1),
      target: frames(2),
      startGrace: frames(Math.max(options.stall, 1)),
      avoidNewest: frames(60),
      minPlay: frames(10),
      report: (line) => io.report(line),
    });
  }

  /**
   * Opens the recording and the sound output, connects, and starts playing.
   * @throws UsageError when the recording cannot be written; SoundOutputError when the device cannot be opened
   */
  start(): void {
    if (this.options.record) {
      try {
        this.#recorder = new WavWriter(this.options.record, OUTPUT_RATE, OUTPUT_CHANNELS);
      } catch (error) {
        throw new UsageError(`--record: cannot write ${this.options.record} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    this.#output = WebAudioOutput.open(this.options.sink, LEAD);
    const cached = this.cache ? `${(this.cache.totalFrames / OUTPUT_RATE / 60).toFixed(1)} of ${this.options.cacheMinutes} min cached in ${this.options.cacheDir}` : 'no cache';
    this.io.report(
      `playing ${this.options.target.url} (${this.options.target.kind === 'ws' ? 'PCM feed' : 'MP3 stream'}) on ` +
        `${this.options.sink === 'none' ? 'no device (--sink none)' : 'the default sound output'}; ${cached}`,
    );
    this.#gain = this.#volumeNow();
    this.#running = this.connection.run();
    this.#timer = setInterval(() => this.#fill(), TICK_MS);
    this.#fill();
  }

  /** Stops: no new audio, lets what is scheduled play out, closes the recording, the cache run and the output. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.connection.stop();
    await this.#running;
    this.mixer.close();
    this.cache?.close();
    if (this.#output) {
      await this.#output.drain();
      await this.#output.close();
    }
    this.#recorder?.close();
    const { live, cache, fading, silent } = this.played;
    const s = (n: number) => `${(n / OUTPUT_RATE).toFixed(1)} s`;
    this.io.report(
      `stopped: played ${s(live + cache + fading + silent)} (live ${s(live)}, cache ${s(cache)}, crossfading ${s(fading)}, silent ${s(silent)}); ` +
        `to the cache ${this.mixer.switches.toCache}×, back to live ${this.mixer.switches.toLive}×; ` +
        `late blocks ${this.#output?.lateBlocks ?? 0}` + (this.#recorder ? `; recorded ${this.options.record}` : ''),
    );
  }

  #volumeNow(): number {
    return volumeAt(this.options.schedule, new Date(), this.options.volume, this.options.ramp);
  }

  #fill(): void {
    const output = this.#output!;
    while (output.ahead() < LEAD) {
      const block = this.#block;
      this.mixer.render(block, BLOCK);
      const state = this.mixer.state;
      if (state === 'live' || state === 'cache' || state === 'silent') this.played[state] += BLOCK;
      else this.played.fading += BLOCK;
      const gain = this.#volumeNow();
      rampGain(block, OUTPUT_CHANNELS, this.#gain, gain);
      this.#gain = gain;
      const gap = output.play(block, BLOCK, LEAD);
      if (gap > 0) {
        this.io.report(`the output ran dry for ${(gap / OUTPUT_RATE * 1000).toFixed(0)} ms (this process was held up): restarting ${LEAD} s ahead`);
        this.#recorder?.writeSilence(gap);
      }
      this.#recorder?.write(block, BLOCK);
    }
  }
}
