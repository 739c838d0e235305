/**
 * What the shop hears, a block at a time: the live feed while it flows, the disk cache while it
 * does not, and an equal-power crossfade at every change, so the music never stops and never
 * clicks. Also the cache's writer: every block that is live music only (no cached audio in it)
 * is appended to the cache, so the cache holds what this shop played, already joined smoothly.
 *
 *   live buffer (newest connection) ──┐
 *   live buffer (old tail)          ──┼──► crossfade-mix ──► out ──► (pure live) cache-ring.append
 *   cache reader (random place)     ──┘
 *
 * States, one switch (`#decide`), checked before each block while no fade runs:
 *
 *   silent ──live ready──► live                      (start; a short fade-in)
 *   silent ──no live for `startGrace`, cache──► cache
 *   live   ──live tail down to `cacheFade`──► cache  (the network dropped; fade over what is left)
 *   live   ──a newer connection ready──► live        (reconnected before the tail ran out)
 *   cache  ──live ready──► live                      (`liveFade`, ~2 s)
 *   cache  ──run down to `liveFade`──► cache         (another random place, `liveFade`)
 *
 * A live buffer is "ready" when its connection is open and holds `ready` frames (the server's
 * connect burst fills it at once). A live source is left when what remains of it is just enough to
 * fade out, whatever the cause (the connection closed, stalled, or is merely late), so the fade
 * always has real audio on both sides. Cached audio starts at a random place outside the last
 * `avoidNewest` (what the shop just heard) and plays to the end of its run.
 */
import type { AudioSource } from './audio-source.js';
import type { CacheReader } from './cache-reader.js';
import type { CacheRing } from './cache-ring.js';
import { mixCrossfade } from './crossfade-mix.js';
import type { LiveBuffer } from './live-buffer.js';
import { OUTPUT_CHANNELS, OUTPUT_RATE } from './output-format.js';
import type { Samples } from '../../server/core/units.js';

export interface MixerOptions {
  /** The newest connection's buffer, if any (live-connection.ts). */
  live: () => LiveBuffer | undefined;
  /** The disk cache; none: a network cut is bridged only by the live buffer's tail. */
  cache?: CacheRing;
  /** Frames of a crossfade into cached audio (the live tail kept for it): short, 0.5 s. */
  cacheFade: Samples;
  /** Frames of the crossfade back to live: 2 s. */
  liveFade: Samples;
  /** Frames of the fade-in from silence. */
  startFade: Samples;
  /** Frames a live buffer must hold before it is played. */
  ready: Samples;
  /** Frames of live audio a buffer is trimmed to when it is faded in (the latency kept). */
  target: Samples;
  /** Frames of silence at start before the cache is played instead of waiting for the network. */
  startGrace: Samples;
  /** Newest frames of the cache never started from (a minute: what was just heard); at most half the cache. */
  avoidNewest: Samples;
  /** Frames a cache start should leave before the end of its run; at most a quarter of the cache. */
  minPlay: Samples;
  random?: () => number;
  report(line: string): void;
}

export type MixerState = 'silent' | 'live' | 'cache' | 'to-live' | 'to-cache';

interface Fade {
  from: AudioSource | undefined;
  to: AudioSource;
  done: Samples;
  total: Samples;
}

const CHANNELS = OUTPUT_CHANNELS;

export class Mixer {
  readonly options: MixerOptions;
  #current: AudioSource | undefined;
  #fade: Fade | undefined;
  #silentFrames = 0;
  #toldWaiting = false;
  #runOpen = false;
  #outgoing = new Float32Array(0);
  #incoming = new Float32Array(0);
  /** Frames output as silence because every source had run dry (the failure the player exists to avoid). */
  dryFrames = 0;
  /** Switches made, by kind (for the report and tests). */
  readonly switches = { toCache: 0, toLive: 0, cacheJumps: 0, liveToLive: 0 };

  constructor(options: MixerOptions) {
    this.options = options;
  }

  get state(): MixerState {
    if (this.#fade) return this.#fade.to.kind === 'live' ? 'to-live' : 'to-cache';
    return this.#current?.kind ?? 'silent';
  }

  /** Renders `frames` frames of interleaved stereo into `out` (before the volume). */
  render(out: Float32Array, frames: Samples): void {
    if (!this.#fade) this.#decide(frames);
    const fade = this.#fade;
    if (fade) {
      if (this.#outgoing.length < frames * CHANNELS) {
        this.#outgoing = new Float32Array(frames * CHANNELS);
        this.#incoming = new Float32Array(frames * CHANNELS);
      }
      readOrSilence(fade.from, this.#outgoing, frames);
      const got = readOrSilence(fade.to, this.#incoming, frames);
      fade.done = mixCrossfade(out, this.#outgoing, this.#incoming, frames, CHANNELS, fade.done, fade.total);
      if (got < frames) this.dryFrames += frames - got;
      if (fade.done >= fade.total) {
        if (fade.from && fade.from !== fade.to) fade.from.release();
        this.#current = fade.to;
        this.#fade = undefined;
      }
      this.#feedCache(out, frames, fade.from?.kind === 'live' && fade.to.kind === 'live');
      return;
    }
    const got = readOrSilence(this.#current, out, frames);
    if (got < frames) {
      this.dryFrames += frames - got;
      if (!this.#current) this.#silentFrames += frames;
    }
    this.#feedCache(out, frames, this.#current?.kind === 'live' && got === frames);
  }

  /** Ends the cache's current run (the player stops). */
  close(): void {
    this.#endRun();
    this.#fade?.from?.release();
    this.#fade?.to.release();
    this.#current?.release();
  }

  #decide(frames: Samples): void {
    const { cacheFade, liveFade, startFade, ready, startGrace } = this.options;
    const live = this.options.live();
    const liveReady = live !== undefined && !live.closed && live.available() >= ready && live !== this.#current;
    const current = this.#current;
    switch (current?.kind ?? 'silent') {
      case 'silent': {
        if (liveReady) {
          this.#startFade(live, startFade, 'live');
        } else if (this.#silentFrames >= startGrace) {
          const reader = this.#cacheReader();
          if (reader) this.#startFade(reader, startFade, 'cache');
          else if (!this.#toldWaiting) {
            this.#toldWaiting = true;
            this.options.report('nothing to play yet: no live audio and the cache is empty; waiting for the network');
          }
        }
        return;
      }
      case 'live': {
        const left = current!.available();
        if (liveReady) {
          this.switches.liveToLive++;
          this.#startFade(live, Math.min(liveFade, left), 'live');
        } else if (left <= cacheFade + frames) {
          const reader = this.#cacheReader();
          if (reader) this.#startFade(reader, left, 'cache');
          // Without a cache the tail plays out to the last frame; then silence until a connection is ready.
          else if (left === 0) this.#becomeSilent();
        }
        return;
      }
      case 'cache': {
        const left = current!.available();
        if (liveReady) {
          this.#startFade(live, Math.min(liveFade, left), 'live');
        } else if (left <= liveFade + frames) {
          // A run is left while it still holds a whole `liveFade`, so a return to live always
          // gets its full crossfade, and a move to another place in the cache gets the same.
          const reader = this.#cacheReader();
          if (reader) {
            this.switches.cacheJumps++;
            this.#startFade(reader, Math.min(left, liveFade), 'cache');
          } else if (left === 0) this.#becomeSilent();
        }
        return;
      }
    }
  }

  #startFade(to: AudioSource, total: Samples, kind: 'live' | 'cache'): void {
    const fromKind = this.#current?.kind ?? 'silent';
    if (kind === 'live') {
      (to as LiveBuffer).trimTo(this.options.target);
      if (fromKind === 'cache') {
        this.switches.toLive++;
        this.options.report(`live again: crossfading back to the stream over ${seconds(total)}`);
      } else if (fromKind === 'silent') {
        this.options.report('playing live');
      } else {
        this.options.report(`reconnected: crossfading to the new connection over ${seconds(total)}`);
      }
    } else if (fromKind === 'live') {
      this.switches.toCache++;
      this.options.report(`network lost: playing from the cache (${this.#describe(to as CacheReader)}), crossfading over ${seconds(total)}`);
    } else if (fromKind === 'silent') {
      this.options.report(`no live audio yet: playing from the cache (${this.#describe(to as CacheReader)})`);
    } else {
      this.options.report(`cache: moving on to another place (${this.#describe(to as CacheReader)})`);
    }
    this.#fade = { from: this.#current, to, done: 0, total };
    this.#silentFrames = 0;
    this.#toldWaiting = false;
  }

  #becomeSilent(): void {
    this.#current?.release();
    this.#current = undefined;
    this.#toldWaiting = true;
    this.options.report('nothing to play: no live audio and the cache is empty; waiting for the network');
  }

  /** A reader at a random place in the cache, or undefined when the cache is empty. */
  #cacheReader(): CacheReader | undefined {
    const cache = this.options.cache;
    if (!cache) return undefined;
    this.#endRun();
    const total = cache.totalFrames;
    const avoid = Math.min(this.options.avoidNewest, Math.floor(total / 2));
    const minPlay = Math.min(this.options.minPlay, Math.floor(total / 4));
    const start = cache.pickStart(this.options.random ?? Math.random, avoid, minPlay);
    if (start === undefined) return undefined;
    const reader = cache.reader(start);
    return reader.available() > 0 ? reader : undefined;
  }

  #describe(reader: CacheReader): string {
    const heard = reader.heardAt ? `as heard at ${reader.heardAt.toLocaleTimeString()}, ` : '';
    return `${heard}${seconds(reader.available())} of it before the next jump, ${seconds(this.options.cache?.totalFrames ?? 0)} cached`;
  }

  #feedCache(block: Float32Array, frames: Samples, pureLive: boolean): void {
    const cache = this.options.cache;
    if (!cache) return;
    if (pureLive) {
      cache.append(block, frames);
      this.#runOpen = true;
    } else {
      this.#endRun();
    }
  }

  #endRun(): void {
    if (!this.#runOpen) return;
    this.options.cache?.endRun();
    this.#runOpen = false;
  }
}

/** Reads `frames` frames of a source into `out`, silence after it runs dry (or for no source). */
function readOrSilence(source: AudioSource | undefined, out: Float32Array, frames: Samples): Samples {
  const got = source ? source.read(out, frames) : 0;
  out.fill(0, got * CHANNELS, frames * CHANNELS);
  return got;
}

function seconds(frames: Samples): string {
  const s = frames / OUTPUT_RATE;
  if (s < 120) return `${Number(s.toFixed(1))} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
