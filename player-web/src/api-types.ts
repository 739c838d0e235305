/**
 * The JSON the pages read from the server: /api/channels, /api/models, /api/operator and the
 * /api/events stream. ChannelSummary is the server's own interface (a file without imports, so
 * the bundle pulls in no Node code); the rest mirror server/api.
 */

export type ModelFamily = 'waveform' | 'symbolic';

/** One channel as GET /api/channels and the `state` event describe it (the server's own type). */
export type { ChannelSummary } from '../../server/web/channel-summary-shape.js';
import type { ChannelSummary } from '../../server/web/channel-summary-shape.js';

/** One checkpoint as GET /api/models describes it. */
export interface ModelSummary {
  id: string;
  family: ModelFamily;
  instrument: string;
  trained: boolean;
  styles?: string[];
  /** True when a channel plays it and its generator is loaded. */
  loaded: boolean;
  engine?: string;
}

/** A slider's range, as GET /api/operator gives it. */
export interface ControlRange {
  min: number;
  max: number;
  step: number;
}

export type SliderControl = 'variation' | 'tempo' | 'density' | 'volume';

export interface OperatorInfo {
  ok: true;
  controls: Record<SliderControl, ControlRange>;
}

/** What PATCH /api/channels/:id accepts; any subset. */
export interface ChannelChanges {
  model?: string;
  style?: string;
  instrument?: string;
  variation?: number;
  tempo?: number;
  density?: number;
  volume?: number;
}

/** The `history` event: the last minutes at 1 Hz, oldest first. */
export interface HistoryEvent {
  samples: HistorySample[];
}

export interface HistorySample {
  /** Milliseconds since the epoch. */
  time: number;
  channels: { id: string; listeners: number; bufferedSeconds: number; realTimeFactor: number | null }[];
}

/** The `state` event: once a second and right after every change. */
export interface StateEvent {
  time: number;
  channels: ChannelSummary[];
  /** The last problems, newest last. */
  errors: StationProblem[];
}

export interface StationProblem {
  time: number;
  channel?: string;
  code: string;
  message: string;
}

/** Every JSON error the API answers has this body. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
