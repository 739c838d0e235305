/**
 * The channel settings a symbolic model plays with: the style asked of the model, the instrument
 * set that plays its notes, the tempo and the note density. These zod fields, with their
 * defaults, are the config file's and PATCH's fields of the same names (config/config-schema.ts
 * takes them from the family registry).
 */
import { z } from 'zod';
import { WavecastError } from '../../core/errors.js';
import type { FamilySettings, VoiceOptions } from '../family.js';
import { STYLES, type Style } from './piano-roll.js';
import { INSTRUMENT_SETS, type InstrumentSetName } from './render/index.js';
import type { SymbolicManifest } from './symbolic-manifest.js';

const CONTROLS = {
  tempo: { min: 40, max: 200, step: 1 },
  density: { min: 0.1, max: 0.9, step: 0.01 },
} as const;

const FIELDS = {
  /** The style asked of the model (one it was trained on). Default: its first. */
  style: z.enum(STYLES).optional(),
  /** The instrument set that plays the notes (piano mutes the drums). */
  instrument: z.enum(INSTRUMENT_SETS).default('piano'),
  /** Tempo in quarter notes per minute. */
  tempo: z.number().min(CONTROLS.tempo.min).max(CONTROLS.tempo.max).default(96),
  /** A cell plays when the model's probability passes 1 − density (0.5: the model's own threshold). */
  density: z.number().min(CONTROLS.density.min).max(CONTROLS.density.max).default(0.5),
};
const settingsSchema = z.object(FIELDS);

export const symbolicSettings: FamilySettings = { fields: FIELDS, controls: CONTROLS };

/** The settings one symbolic voice plays with. */
export interface SymbolicVoiceSettings {
  style: Style;
  instrument: InstrumentSetName;
  tempo: number;
  density: number;
}

/**
 * The channel's settings for this model. The style asked for must be one the model knows; a
 * carried-over style it does not know (after a model change) falls back to its first.
 * @throws WavecastError WAVECAST_ERR_BAD_REQUEST (field `style`)
 */
export function resolveSymbolicSettings(manifest: SymbolicManifest, options: VoiceOptions): SymbolicVoiceSettings {
  // The config schema and PATCH checked these already; parsing again picks this family's fields.
  const { style: wanted, instrument, tempo, density } = settingsSchema.parse(options.settings);
  const known = manifest.styles;
  let style = wanted;
  if (style === undefined || (!options.asked.has('style') && !known.includes(style))) style = known[0];
  if (!known.includes(style)) {
    throw new WavecastError(
      'WAVECAST_ERR_BAD_REQUEST',
      `channel "${options.channel}": style "${style}" is not one model "${manifest.id}" was trained on (${known.join(', ')})`,
      { field: 'style' },
    );
  }
  return { style, instrument, tempo, density };
}
