/**
 * Every JSON shape wavecast sends or takes on the wire: /api/channels, /api/models,
 * /api/operator, PATCH bodies, the /api/events stream, the WebSocket feed's text messages and
 * error bodies. The server builds them with these types and the pages (player-web/) read them
 * with the same ones. Only type imports (erased), so the pages' bundle pulls in no server code.
 */
import type { WavecastErrorCode } from '../core/errors.js';

export type { WavecastErrorCode };

/** One channel as GET /api/channels, PATCH replies and the `state` event describe it. */
export interface ChannelSummary {
  id: string;
  /** What listeners hear now (the ICY StreamTitle). */
  title: string;
  model: string;
  /** The version of the model it plays (versioned models), and whether it follows the latest one or is pinned to a version. */
  version?: number;
  follow: number | 'latest';
  /** The model's family (`waveform`, `symbolic`, …). */
  family: string;
  /** The model's sound (waveform) or the instrument set playing the notes (symbolic). */
  instrument: string;
  /** The instruments this channel can switch to: the sets (symbolic) or the model's own sound. */
  instruments: string[];
  /** Symbolic channels: the style asked of the model, the styles it knows, tempo (bpm), note density. */
  style?: string;
  styles?: string[];
  tempo?: number;
  density?: number;
  /** Symbolic channels: the General MIDI program each melodic track plays now (a silent track is absent). */
  programs?: Record<string, number>;
  /** Symbolic channels: the drum kit now, or null when the drums are silent. */
  drumKit?: number | null;
  /** Symbolic channels: the section of the song form the last bar played belongs to ('A', 'B'), and its key ("F major"); null before a bar has played. */
  section?: string | null;
  key?: string | null;
  /** What listeners hear (after the volume): last 3 s and since start (LUFS, null before there is a reading), and the loudness control's gain (dB). */
  loudness: { shortTerm: number | null; integrated: number | null; gain: number };
  variation: number;
  volume: number;
  trained: boolean;
  sampleRate: number;
  channels: number;
  mp3Bitrate: number;
  listeners: number;
  bufferedSeconds: number;
  realTimeFactor: number | null;
  slowListeners: number;
  underruns: number;
  stream: string;
  ws: string;
  /** Channels whose model plays notes: the MIDI export of the bars just played. */
  midi?: string;
  /** Channels pushed to an Icecast server (config `icecast`): how that connection is. */
  icecast?: IcecastSourceStatus;
}

/**
 * A channel's Icecast source: `streaming` (Icecast has it), `connecting`, `waiting` (lost or
 * refused, trying again after a back-off) or `stopped` (the server is stopping).
 */
export interface IcecastSourceStatus {
  state: 'connecting' | 'streaming' | 'waiting' | 'stopped';
  /** The Icecast server, without credentials, and the mount its listeners open there. */
  url: string;
  mount: string;
  /** When it entered its state (ms since the epoch). */
  since: number;
  /** Times it connected again after losing (or never getting) its connection. */
  reconnects: number;
  /** Why the last connection was lost or refused. */
  lastError?: string;
  /** The title Icecast last accepted on this connection. */
  title?: string;
}

/** One model as GET /api/models describes it: its latest version's manifest, its versions, who plays which. */
export interface ModelSummary {
  id: string;
  family: string;
  instrument: string;
  latentDim: number;
  trained: boolean;
  trainingSteps: number;
  created: string;
  /** Symbolic models: the styles they were trained on. */
  styles?: string[];
  /** True when a channel plays it and its generator is loaded. */
  loaded: boolean;
  /** Which engine runs it (`onnx-cpu`, `tfjs-wasm`, …), when loaded. */
  engine?: string;
  /** Versioned models: the version followers play (current.json names it). */
  version?: number;
  /** Versioned models: every valid version kept, oldest first. */
  versions?: Array<{ version: number; trainingSteps: number; created: string; loaded: boolean }>;
  /** The channels playing this model: the version each plays, and whether it follows the latest or is pinned. */
  channels: Array<{ id: string; version?: number; follow: number | 'latest' }>;
}

/** PUT /api/models/:id/current: the version the model's followers play from now on (roll back or forward). */
export interface CurrentVersionChange {
  version: number;
}

/** A slider's range. */
export interface ControlRange {
  min: number;
  max: number;
  step: number;
}

/** One choice of a picker. */
export interface Choice {
  value: string | number;
  label: string;
}

/** GET /api/operator: the token is good; the sliders' ranges and the pickers' choices by setting name. */
export interface OperatorInfo {
  ok: true;
  controls: Record<string, ControlRange>;
  /** `instrument` (the presets), `programs` (the 128 General MIDI programs), `drumKit`. */
  choices: Record<string, Choice[]>;
}

/** PATCH /api/channels/:id: any subset, at least one. */
export interface ChannelChanges {
  model?: string;
  /** Pin the channel to a version of its model, or follow the latest one ('latest'); naming a model follows its latest. */
  version?: number | 'latest';
  style?: string;
  instrument?: string;
  variation?: number;
  tempo?: number;
  density?: number;
  volume?: number;
  /** General MIDI programs per melodic track, e.g. `{ "chords": 11 }`; a new `instrument` clears them unless given too. */
  programs?: Record<string, number>;
  drumKit?: number;
}

/** One channel's health in a once-a-second sample. */
export interface ChannelSample {
  id: string;
  listeners: number;
  bufferedSeconds: number;
  realTimeFactor: number | null;
}

export interface HistorySample {
  /** Milliseconds since the epoch. */
  time: number;
  channels: ChannelSample[];
}

/** The `history` event: the last minutes at 1 Hz, oldest first. */
export interface HistoryEvent {
  samples: HistorySample[];
}

/** A problem an operator should see (underruns, failed inference, encoder failover, refused changes). */
export interface StationProblem {
  /** Milliseconds since the epoch. */
  time: number;
  channel?: string;
  code: WavecastErrorCode;
  message: string;
}

/** The `state` event: once a second and right after every change. */
export interface StateEvent {
  time: number;
  channels: ChannelSummary[];
  /** The last problems, newest last. */
  errors: StationProblem[];
}

/** Every JSON error the API answers has this body. */
export interface ApiErrorBody {
  error: { code: WavecastErrorCode; message: string; field?: string };
}

/** The WebSocket feed's first message. */
export interface PcmFeedHeader {
  type: 'header';
  channel: string;
  sampleRate: number;
  channels: number;
  format: string;
  /** Sample frames per binary message (2205 at 44.1 kHz: 50 ms). */
  frameSamples: number;
  title: string;
}

/** The WebSocket feed's message whenever the title changes. */
export interface PcmFeedTitle {
  type: 'title';
  title: string;
}
