/**
 * The shape of a wavecast config file (config/default.json), validated with zod so a bad file
 * stops start-up with the field named. Every limit the server has lives here with its default,
 * written once; modules take them as required options. A model family's channel settings (a
 * symbolic model's style, tempo…) are the family's own zod fields with their defaults
 * (families/<name>/…-settings.ts), composed in here through the family registry.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { ControlRange, SettingValue } from '../families/family.js';
import { SETTINGS_CHOICES, SETTINGS_CONTROLS, SETTINGS_FIELDS } from '../families/registry.js';
import { MP3_LEGAL_SAMPLE_RATES, mp3BitratesFor } from './mp3-params.js';
import { addressRangeProblem } from '../core/address-ranges.js';

/** The ranges of the settings every channel has, whatever its model. */
const COMMON_CONTROLS = {
  variation: { min: 0, max: 1, step: 0.01 },
  volume: { min: 0, max: 1, step: 0.01 },
} as const;

/** The ranges of every setting an operator can change live with a slider (served to the panel). */
export const CONTROL_RANGES: Readonly<Record<string, ControlRange>> = { ...COMMON_CONTROLS, ...SETTINGS_CONTROLS };
/** The choices of every picker an operator has, with names a person reads (served to the panel). */
export const CONTROL_CHOICES = SETTINGS_CHOICES;

const oneOf = <T extends number>(values: readonly T[], what: string) =>
  z.number().refine((v) => (values as readonly number[]).includes(v), {
    message: `${what} must be one of ${values.join(', ')}`,
  });

/** A loudness target: streaming services play at −14 to −16 LUFS; broadcast at −23. */
const lufsTarget = z.number().min(-36).max(-8);

/**
 * Text that goes to Icecast in a request header (Ice-Name…): Node's HTTP client takes only
 * Latin-1 there ("Café" yes, "–" or "♪" no), and a header cannot hold control characters.
 */
const latin1Header = (what: string, max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[\u0020-\u007e\u00a0-\u00ff]*$/, `${what} must be Latin-1 text (letters such as "é" are fine; "–", "♪" and control characters are not): it goes to Icecast in a header`);

/**
 * Where a channel is also pushed as an Icecast source (HTTP PUT, Icecast 2.4 and later), so an
 * Icecast server and its relays carry its listeners. `url` is the server's own address
 * (`http://icecast.example.com:8000`); the credentials go in `user` and `password`, never in it.
 */
export const icecastConfigSchema = z.strictObject({
  /** The Icecast server: http(s)://host:port, no path, no credentials. */
  url: z
    .url({ protocol: /^https?$/, message: 'url must be an http:// or https:// address, e.g. http://icecast.example.com:8000' })
    .refine((url) => { const u = new URL(url); return u.username === '' && u.password === ''; }, { message: 'url must not carry credentials: use icecast.user and icecast.password' })
    .refine((url) => { const u = new URL(url); return (u.pathname === '/' || u.pathname === '') && u.search === '' && u.hash === ''; }, { message: 'url must be the server alone (scheme, host, port); the mount goes in icecast.mount' }),
  /** The mount point listeners open on the Icecast server, e.g. `/lobby`. */
  mount: z.string().regex(/^\/[A-Za-z0-9._~-][A-Za-z0-9._~\/-]{0,127}$/, 'mount must start with "/" followed by 1–128 of A-Z, a-z, 0-9, ".", "_", "~", "-", "/"'),
  /** The source user Icecast checks (its <source-password> goes with the user "source"). */
  user: z.string().min(1).default('source'),
  password: z.string({ error: "password is required (the Icecast server's source password)" }).min(1, 'password must not be empty'),
  /** The stream's name in players and directories (Ice-Name). Default: `wavecast <channel id>`. */
  name: latin1Header('name', 200).min(1).optional(),
  /** Ice-Description, Ice-Genre: shown by players and Icecast's status page. */
  description: latin1Header('description', 500).optional(),
  genre: latin1Header('genre', 200).optional(),
  /** Ice-Public: whether Icecast may list the stream in the public directories it is set up for. */
  public: z.boolean().default(false),
});

export const channelConfigSchema = z
  .strictObject({
    /** URL-safe id: /stream/<id>, /ws/<id>. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'id must be 1–64 of a-z, 0-9, "-", "_", starting with a letter or digit'),
    /** Checkpoint id: a folder under the models directory. */
    model: z.string().min(1),
    /** A versioned model's version to play, or 'latest': the one trainers last published. */
    version: z.union([z.number().int().positive(), z.literal('latest')]).default('latest'),
    /** Output sample rate (Hz) of the stream. */
    sampleRate: oneOf(MP3_LEGAL_SAMPLE_RATES, 'sampleRate').default(44100),
    /** 1 = mono, 2 = stereo (the mono model output on both sides). */
    channels: z.union([z.literal(1), z.literal(2)]).default(2),
    /** MP3 constant bitrate in kbps (legal values depend on sampleRate: MPEG-1 above 24 kHz). */
    mp3Bitrate: z.number().int().default(128),
    /** Overlap between consecutive clips, and the fade when an operator's change takes over (seconds). */
    crossfade: z.number().gt(0).max(0.5).default(0.25),
    /** How far the latent walk moves per clip: 0 holds one sound, 1 jumps to a new one every clip. */
    variation: z.number().min(COMMON_CONTROLS.variation.min).max(COMMON_CONTROLS.variation.max).default(0.25),
    /** Seed of the channel's latent walk; omit for a different walk every start. */
    seed: z.number().int().optional(),
    /** Output level, 0 (silent) to 1 (full), after the loudness control (a venue's own turn-down). */
    volume: z.number().min(COMMON_CONTROLS.volume.min).max(COMMON_CONTROLS.volume.max).default(1),
    /** This channel's loudness target, overriding server.loudness.target (LUFS). */
    loudness: z.strictObject({ target: lufsTarget }).optional(),
    /** Also push this channel to an Icecast server as a source (see icecastConfigSchema). */
    icecast: icecastConfigSchema.optional(),
    /** The model families' own settings (style, instrument, tempo, density for a symbolic model). */
    ...SETTINGS_FIELDS,
  })
  .superRefine((channel, ctx) => {
    const legal = mp3BitratesFor(channel.sampleRate);
    if (!legal.includes(channel.mp3Bitrate)) {
      ctx.addIssue({
        code: 'custom',
        path: ['mp3Bitrate'],
        message: `mp3Bitrate must be one of ${legal.join(', ')} at sampleRate ${channel.sampleRate}, got ${channel.mp3Bitrate}`,
      });
    }
  });

/** Versions of a model kept for roll-back when nothing says otherwise (trainers use it too). */
export const DEFAULT_KEEP_VERSIONS = 5;

export const serverConfigSchema = z
  .strictObject({
    /** Inference engine: onnxruntime (fast, default) or tfjs (best tfjs backend installed). */
    engine: z.enum(['onnx', 'tfjs']).default('onnx'),
    /** Folder of checkpoints, relative to the config file's project root or absolute. */
    modelsDir: z.string().default('models'),
    /**
     * The models folder is watched (fs.watch) and also scanned every this many seconds, the
     * fallback where watching misses a change (network filesystems, some containers).
     */
    modelRescan: z.number().min(0.1).max(3600).default(5),
    /** Versions of each model a publish keeps (the newest; the current one always), for roll-back. */
    keepVersions: z.number().int().min(1).max(1000).default(DEFAULT_KEEP_VERSIONS),
    /** Seconds of audio each channel keeps generated ahead of real time. */
    bufferAhead: z.number().min(0.5).max(30).default(3),
    /**
     * When an operator changes a channel, the seconds of already generated audio that still play
     * before the new sound fades in: time for the new model to make its first clip (it is heard
     * after about this long).
     */
    switchLead: z.number().min(0.1).max(5).default(0.75),
    /**
     * onnxruntime intra-op threads per model. Default: one less than the cores (at least 1), so
     * inference never takes the core the event loop and the encoders run on.
     */
    inferenceThreads: z.number().int().min(1).max(256).default(Math.max(1, availableParallelism() - 1)),
    /** Most clips one inference call generates (channels sharing a model are batched). */
    maxBatch: z.number().int().min(1).max(64).default(8),
    /** Duration of one released PCM frame: the clock's step and the WebSocket frame size (seconds). */
    frameDuration: z.number().min(0.01).max(0.5).default(0.05),
    /** Seconds of already-played audio a new listener gets at once, so playback starts at once. */
    burst: z.number().min(0).max(10).default(2),
    /** Seconds of encoded audio each channel keeps for bursts and slow listeners. */
    history: z.number().min(1).max(120).default(10),
    /** A listener further behind live than this (seconds) is dropped and counted as slow. */
    maxListenerLag: z.number().min(1).max(60).default(6),
    /** Largest request body (bytes, an operator's PATCH); larger ones get 413 before they are read. */
    maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
    /**
     * Browser pages on other origins that may read the public API (channels, models, events,
     * MIDI) and open the WebSocket feed: full origins (`https://game.example.com`), or `*` for any.
     * Default: none, only the server's own pages. Non-browser clients (game engines, players)
     * send no Origin and are never refused.
     */
    corsOrigins: z.array(z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)])).default([]),
    /** Listeners per channel (MP3 + WebSocket together); more get 503. */
    maxListenersPerChannel: z.number().int().min(1).max(100000).default(2000),
    /**
     * After its burst, an MP3 listener is sent its audio in writes of at least this many seconds
     * (0.25 s: 4 KB at 128 kbps, as Icecast writes a few KB at a time): fewer, larger writes cost the
     * server far less per listener. 0: every chunk (about 50 ms) as it is encoded.
     */
    mp3WriteSeconds: z.number().min(0).max(0.5).default(0.25),
    /**
     * MP3 streams and WebSocket feeds one client address may hold open at once (behind a local
     * proxy, the address it forwards); more get 429 (WebSocket: close 4429). Loopback counts too.
     */
    maxConnectionsPerAddress: z.number().int().min(1).max(100000).default(64),
    /**
     * Reverse proxies whose X-Forwarded-For names the listener (for the logs and
     * maxConnectionsPerAddress): `loopback`, addresses or CIDR ranges. A proxy on another host must
     * be listed, or every listener behind it counts as that one address; [] believes no header.
     */
    trustProxy: z.array(z.string().refine((entry) => addressRangeProblem(entry) === undefined, { message: 'not "loopback", an IP address or a CIDR range such as 10.0.0.0/8' })).default(['loopback']),
    /** A client must have sent its request's headers this many seconds after connecting, or it is cut (slowloris, idle half-open sockets). */
    headersTimeout: z.number().min(1).max(300).default(10),
    /** A client must have sent its whole request (headers and body) within this many seconds; a stream's response is not limited. */
    requestTimeout: z.number().min(1).max(3600).default(30),
    /** A WebSocket client whose unsent bytes exceed this is closed with 1008 and counted as slow. */
    wsMaxBufferedBytes: z.number().int().min(16384).default(1 << 20),
    /** MP3 encoder: the Debian `lame` binary when installed (auto), or always the pure-JS lamejs. */
    mp3Encoder: z.enum(['auto', 'lamejs', 'lame']).default('auto'),
    /**
     * PCM goes to a channel's `lame` child in writes of this many seconds; 0: every frame. A pipe
     * write costs about the same for 50 ms of audio as for 200 ms, and 80 channels make 1 600 a
     * second (10–15 % of the main thread). Off by default: it adds up to this much to the MP3's lag
     * and makes its delivery lumpier (with mp3WriteSeconds, lumps up to 0.45 s at 0.2), and 64 + 16
     * channels hold without it.
     */
    lameWriteSeconds: z.number().min(0).max(1).default(0),
    /**
     * Worker threads that render symbolic channels' notes, off the event loop. Each holds the sound
     * banks (about 130 MB with the Salamander piano). Default: one less than the cores, 1 to 4.
     */
    renderThreads: z.number().int().min(1).max(64).default(Math.max(1, Math.min(4, availableParallelism() - 1))),
    /**
     * Every channel plays at `target` integrated loudness (ITU BS.1770, LUFS) and never above
     * `truePeak` (dBTP, measured on the decoded MP3): a slow gain control measures `window` seconds
     * of the channel's audio (gated as for integrated loudness), moves the gain by at most
     * `maxSlew` dB a second, and a look-ahead limiter holds the peaks.
     */
    loudness: z
      .strictObject({
        target: lufsTarget.default(-16),
        truePeak: z.number().min(-6).max(0).default(-1),
        window: z.number().min(10).max(120).default(12),
        maxSlew: z.number().gt(0).max(6).default(1),
      })
      .default({ target: -16, truePeak: -1, window: 12, maxSlew: 1 }),
    /**
     * A voice may refuse a model output that would not play well and the generation loop draws
     * again, up to this many times, then plays the last draft. 0: every output plays.
     */
    redraws: z.number().int().min(0).max(32).default(8),
    /**
     * The longest rest (beats) a symbolic phrase may hold with nothing sounding before it is drawn
     * again. The built-in corpus never rests longer than half a beat; a beat is still music, but a
     * model early in training writes bars and whole phrases of silence, which a venue hears as the
     * stream dropping out.
     */
    maxRest: z.number().min(0.25).max(16).default(1),
    /** Start-up waits at most this long (seconds) for every channel to fill its buffer, then plays anyway. */
    fillTimeout: z.number().min(1).max(600).default(60),
    /** Pause after a failed inference before the generation loop tries again (seconds); it doubles with each failure in a row. */
    retryDelay: z.number().min(0.01).max(60).default(1),
    /** The longest pause between attempts however many inference calls failed in a row (seconds). */
    retryMaxDelay: z.number().min(0.01).max(600).default(10),
    /**
     * An inference call unanswered this long (seconds), and 10× the longest call answered so far,
     * means the generator's worker hung: it is ended and a fresh one started, as after a crash.
     */
    inferenceTimeout: z.number().min(0.1).max(600).default(10),
    /**
     * Seconds of a channel's most recent audio looped while it runs dry (its generator failed,
     * its worker thread is restarting), so listeners hear a repeat instead of silence; 0: the
     * channel goes quiet until audio comes.
     */
    dryFill: z.number().min(0).max(30).default(4),
    /** A WebSocket client closed as too slow gets this long (seconds) to read its close frame before the socket is cut. */
    slowCloseGrace: z.number().min(0).max(30).default(2),
    /**
     * A channel's Icecast source that lost its connection, or was refused, tries again after
     * `min` seconds, doubling with each failure up to `max` (each delay ±20 % at random, so
     * channels do not all knock at once); back to `min` once a connection has lasted `max` seconds.
     */
    icecastRetry: z
      .strictObject({ min: z.number().min(0.1).max(60).default(1), max: z.number().min(1).max(3600).default(30) })
      .default({ min: 1, max: 30 })
      .refine((retry) => retry.min <= retry.max, { message: 'icecastRetry.min must be at most icecastRetry.max' }),
    /** Seconds an Icecast server has to accept a source (or answer a title update) before the attempt counts as failed. */
    icecastTimeout: z.number().min(1).max(120).default(10),
    /** Problems (underruns, refused changes, …) the operator panel shows, newest last. */
    problemsKept: z.number().int().min(1).max(1000).default(20),
    /** Once-a-second health samples kept for the panel's chart (300: five minutes). */
    historySamples: z.number().int().min(1).max(86400).default(300),
    /** Bars a MIDI export gives when not asked (`default`) and at most (`max`: the bars each channel keeps). */
    midiBars: z
      .strictObject({ default: z.number().int().min(1).default(8), max: z.number().int().min(1).max(1024).default(64) })
      .default({ default: 8, max: 64 })
      .refine((bars) => bars.default <= bars.max, { message: 'midiBars.default must be at most midiBars.max' }),
  })
  .superRefine((server, ctx) => {
    // A new listener starts `burst` seconds back; that must be inside what is kept and below the
    // lag at which a listener is dropped, or every listener would be dropped on arrival.
    if (server.burst >= server.maxListenerLag) {
      ctx.addIssue({ code: 'custom', path: ['burst'], message: `burst (${server.burst}) must be below maxListenerLag (${server.maxListenerLag})` });
    }
    if (server.headersTimeout > server.requestTimeout) {
      ctx.addIssue({ code: 'custom', path: ['headersTimeout'], message: `headersTimeout (${server.headersTimeout}) must be at most requestTimeout (${server.requestTimeout})` });
    }
    if (server.maxListenerLag > server.history) {
      ctx.addIssue({ code: 'custom', path: ['maxListenerLag'], message: `maxListenerLag (${server.maxListenerLag}) must be at most history (${server.history})` });
    }
  });

export const configSchema = z.strictObject({
  server: serverConfigSchema.default(serverConfigSchema.parse({})),
  channels: z
    .array(channelConfigSchema)
    .min(1, 'at least one channel is needed')
    .superRefine((channels, ctx) => {
      const seen = new Set<string>();
      channels.forEach((channel, index) => {
        if (seen.has(channel.id)) {
          ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate channel id "${channel.id}"` });
        }
        seen.add(channel.id);
      });
    }),
});

export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type IcecastConfig = z.infer<typeof icecastConfigSchema>;

/** A channel config's model-family settings, by name (the families' fields, SETTINGS_FIELDS). */
export function channelSettings(config: ChannelConfig): Record<string, SettingValue | undefined> {
  const fields = config as unknown as Record<string, SettingValue | undefined>; // the schema spread them in
  return Object.fromEntries(Object.keys(SETTINGS_FIELDS).map((name) => [name, fields[name]]));
}
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type WavecastConfig = z.infer<typeof configSchema>;
