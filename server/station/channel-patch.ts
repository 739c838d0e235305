/**
 * The body of `PATCH /api/channels/:id`: the model, the common settings (variation, volume) and
 * any model family's settings (families/registry.ts: style, instrument, tempo, density for a
 * symbolic model). Checked with zod; a bad body is WAVECAST_ERR_BAD_REQUEST naming the field.
 * Whether a field suits the channel's model (instrument on a waveform model…) is the station's
 * check, which knows the models.
 */
import { z } from 'zod';
import { CONTROL_RANGES } from '../config/config-schema.js';
import { WavecastError } from '../core/errors.js';
import type { SettingValue } from '../families/family.js';
import { SETTINGS_FIELDS } from '../families/registry.js';

const ranged = (name: string) => z.number().min(CONTROL_RANGES[name].min).max(CONTROL_RANGES[name].max);

/** A family field as PATCH takes it: its default is the config's business, not a change's. */
const withoutDefault = (field: z.ZodType) => (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field);

export const channelPatchSchema = z
  .strictObject({
    model: z.string().min(1),
    /** A version of the model to pin the channel to, or 'latest' to follow what is published. */
    version: z.union([z.number().int().positive(), z.literal('latest')]),
    ...Object.fromEntries(Object.entries(SETTINGS_FIELDS).map(([name, field]) => [name, withoutDefault(field)])),
    variation: ranged('variation'),
    volume: ranged('volume'),
  })
  .partial();

/** An operator's change: any of these, at least one. */
export interface ChannelPatch {
  model?: string;
  version?: number | 'latest';
  variation?: number;
  volume?: number;
  /** A model family's settings (SETTINGS_FIELDS), by name. */
  [setting: string]: SettingValue | undefined;
}

/** Validates a PATCH body. @throws WavecastError WAVECAST_ERR_BAD_REQUEST with `field` set */
export function parseChannelPatch(body: unknown): ChannelPatch {
  const result = channelPatchSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    // An unknown key names where it is: `colour`, or `programs.lead` inside an object field.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const field = path.map(String).join('.') || undefined;
    const where = field ? `${field}: ` : '';
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `bad channel change: ${where}${issue.message}`, { field });
  }
  if (Object.keys(result.data).length === 0) {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `bad channel change: give at least one of ${Object.keys(channelPatchSchema.shape).join(', ')}`);
  }
  return result.data as ChannelPatch;
}

/** The family settings a change asks for (every field but model, version, variation and volume). */
export function settingsOf(patch: ChannelPatch): Record<string, SettingValue> {
  const settings: Record<string, SettingValue> = {};
  for (const [name, value] of Object.entries(patch)) {
    if (Object.hasOwn(SETTINGS_FIELDS, name) && value !== undefined) settings[name] = value;
  }
  return settings;
}
