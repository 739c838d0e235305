/**
 * The JSON shape of one channel in GET /api/channels, PATCH replies and the event stream. No
 * imports, so the browser pages (player-web/) type their reads with this very interface without
 * pulling Node code into their bundle.
 */
export interface ChannelSummary {
  id: string;
  /** What listeners hear now (the ICY StreamTitle). */
  title: string;
  model: string;
  family: 'waveform' | 'symbolic';
  /** The model's sound (waveform) or the instrument set playing the notes (symbolic). */
  instrument: string;
  /** The instruments this channel can switch to: the sets (symbolic) or the model's own sound. */
  instruments: string[];
  /** Symbolic channels: the style asked of the model, the styles it knows, tempo (bpm), note density. */
  style?: string;
  styles?: string[];
  tempo?: number;
  density?: number;
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
  /** Symbolic channels: the MIDI export of the bars just played. */
  midi?: string;
}
