/**
 * What the operator changed, kept across restarts: after every applied change the station's
 * channels (model, version followed, family settings, variation, volume) are written to a state
 * file beside the config (`config/state.json`), atomically (temporary file, rename). At start the
 * saved values are laid over the config's channels; a saved channel that no longer fits (the
 * channel left the config, a field is invalid now) is skipped with the reason.
 *
 *   { "format": "wavecast-operator-state", "version": 1,
 *     "channels": { "lobby": { "model": "symbolic-songs", "version": "latest", "style": "cafe", … } } }
 */
import { readFile } from 'node:fs/promises';
import { channelConfigSchema, type WavecastConfig } from '../config/config-schema.js';
import { logger } from '../core/logger.js';
import { writeFileAtomic } from '../inference/atomic-write.js';
import type { Station } from './station.js';

const log = logger('state');

const FORMAT = 'wavecast-operator-state';

/** One channel as saved: the config fields an operator can change. */
export type SavedChannel = Record<string, unknown> & { model: string };

export interface OperatorState {
  format: typeof FORMAT;
  version: 1;
  channels: Record<string, SavedChannel>;
}

/** The saved state, or undefined when there is none or it cannot be used (logged, naming the file). */
export async function readOperatorState(file: string): Promise<OperatorState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ file, err: error }, 'cannot read the saved operator state; starting from the config');
    return undefined;
  }
  try {
    const state = JSON.parse(text) as OperatorState;
    if (state.format !== FORMAT || state.version !== 1 || typeof state.channels !== 'object' || state.channels === null) throw new Error(`not a ${FORMAT} version 1 file`);
    return state;
  } catch (error) {
    log.warn({ file, err: error }, 'the saved operator state is unreadable; starting from the config');
    return undefined;
  }
}

/**
 * `config` with each channel's saved values laid over it, and what was skipped and why.
 * Fields the operator cannot change (id, sampleRate, mp3Bitrate…) always come from the config.
 */
export function applyOperatorState(config: WavecastConfig, state: OperatorState): { config: WavecastConfig; restored: string[]; skipped: Array<{ channel: string; reason: string }> } {
  const restored: string[] = [];
  const skipped: Array<{ channel: string; reason: string }> = [];
  const channels = config.channels.map((channel) => {
    const saved = state.channels[channel.id];
    if (!saved) return channel;
    const { id: _id, sampleRate: _rate, channels: _count, mp3Bitrate: _bitrate, crossfade: _fade, seed: _seed, loudness: _loudness, ...changeable } = saved;
    const merged = channelConfigSchema.safeParse({ ...channel, ...changeable });
    if (!merged.success) {
      skipped.push({ channel: channel.id, reason: merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return channel;
    }
    restored.push(channel.id);
    return merged.data;
  });
  for (const id of Object.keys(state.channels)) {
    if (!config.channels.some((c) => c.id === id)) skipped.push({ channel: id, reason: 'not a channel of the config any more' });
  }
  return { config: { ...config, channels }, restored, skipped };
}

/** The state of a station's channels now. */
export function snapshotOperatorState(station: Station): OperatorState {
  const channels: Record<string, SavedChannel> = {};
  for (const { id, channel } of station.channels.values()) {
    channels[id] = { model: channel.model.id, version: station.followOf(id), ...channel.settings, variation: channel.variation, volume: channel.playout.volume };
  }
  return { format: FORMAT, version: 1, channels };
}

/**
 * Writes the station's state to `file` after every change (one write at a time; a change during
 * a write is written after it). Returns `flush`, which resolves when the last change is on disk.
 */
export function recordOperatorState(station: Station, file: string): { flush(): Promise<void>; stop(): void } {
  let writing = Promise.resolve();
  const write = () => {
    const state = snapshotOperatorState(station);
    writing = writing
      .then(() => writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`))
      .catch((error) => log.warn({ file, err: error }, 'cannot save the operator state'));
  };
  station.events.on('change', write);
  return { flush: () => writing, stop: () => station.events.off('change', write) };
}
