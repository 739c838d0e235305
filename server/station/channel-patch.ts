/**
 * The body of `PATCH /api/channels/:id`: any of model, style, instrument, variation, tempo,
 * density, volume. Checked with zod; a bad body is WAVECAST_ERR_BAD_REQUEST naming the field.
 * Whether a field suits the channel's model (instrument on a waveform model…) is the station's
 * check, which knows the models.
 */
import { z } from 'zod';
import { CONTROL_RANGES } from '../config/config-schema.js';
import { WavecastError } from '../core/errors.js';
import { STYLES } from '../families/symbolic/piano-roll.js';
import { INSTRUMENT_SETS } from '../families/symbolic/render/index.js';

const ranged = (name: keyof typeof CONTROL_RANGES) => z.number().min(CONTROL_RANGES[name].min).max(CONTROL_RANGES[name].max);

export const channelPatchSchema = z
  .strictObject({
    model: z.string().min(1),
    style: z.enum(STYLES),
    instrument: z.enum(INSTRUMENT_SETS),
    variation: ranged('variation'),
    tempo: ranged('tempo'),
    density: ranged('density'),
    volume: ranged('volume'),
  })
  .partial();

export type ChannelPatch = z.infer<typeof channelPatchSchema>;

/** Fields that change which sound is made (and so replace queued audio); the rest apply as they are. */
export const SOUND_FIELDS = ['model', 'style', 'instrument', 'tempo', 'density'] as const;
/** Fields that only a symbolic model has. */
export const SYMBOLIC_FIELDS = ['style', 'instrument', 'tempo', 'density'] as const;

/** Validates a PATCH body. @throws WavecastError WAVECAST_ERR_BAD_REQUEST with `field` set */
export function parseChannelPatch(body: unknown): ChannelPatch {
  const result = channelPatchSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.map(String).join('.') || undefined;
    const where = field ? `${field}: ` : '';
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `bad channel change: ${where}${issue.message}`, { field });
  }
  if (Object.keys(result.data).length === 0) {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `bad channel change: give at least one of ${Object.keys(channelPatchSchema.shape).join(', ')}`);
  }
  return result.data;
}
