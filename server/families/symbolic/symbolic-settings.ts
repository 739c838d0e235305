/**
 * The channel settings a symbolic model plays with: the style asked of the model, the instrument
 * preset that plays its notes, per-track General MIDI program swaps and the drum kit, the tempo
 * (each style has its range, used when the style changes and no tempo is asked with it) and the
 * note density. These zod fields, with their defaults, are the config file's and PATCH's
 * fields of the same names (config/config-schema.ts takes them from the family registry).
 */
import { z } from 'zod';
import { WavecastError } from '../../core/errors.js';
import type { Choice, FamilySettings, VoiceOptions } from '../family.js';
import { STYLES, type Style } from './piano-roll.js';
import { DRUM_KIT_NUMBERS, DRUM_KITS, GM_PROGRAMS } from './sound/gm-names.js';
import { INSTRUMENT_PRESET_NAMES, INSTRUMENT_PRESETS, MELODIC_TRACKS, type InstrumentPresetName, type SoundOverrides } from './sound/instrument-presets.js';
import type { SymbolicManifest } from './symbolic-manifest.js';

const CONTROLS = {
  tempo: { min: 40, max: 200, step: 1 },
  density: { min: 0.1, max: 0.9, step: 0.01 },
} as const;

/** Where each style's tempo lies, and the tempo it takes when none is set. */
export const STYLE_TEMPOS: Readonly<Record<Style, { min: number; max: number; typical: number }>> = {
  house: { min: 118, max: 126, typical: 122 },
  cafe: { min: 80, max: 100, typical: 90 },
  ambient: { min: 60, max: 76, typical: 68 },
};

const program = z.number().int('a program is a whole number').min(0, 'programs run from 0 to 127').max(127, 'programs run from 0 to 127');

const FIELDS = {
  /** The style asked of the model (one it was trained on). Default: its first. */
  style: z.enum(STYLES).optional(),
  /** The instrument preset that plays the notes (sound/instrument-presets.ts). */
  instrument: z.enum(INSTRUMENT_PRESET_NAMES as [InstrumentPresetName, ...InstrumentPresetName[]]).default('cafe-piano'),
  /** General MIDI programs (0–127) that replace the preset's, per melodic track: `{ "chords": 11 }`. */
  programs: z.strictObject(Object.fromEntries(MELODIC_TRACKS.map((track) => [track, program])) as Record<(typeof MELODIC_TRACKS)[number], typeof program>).partial().optional(),
  /** The drum kit that replaces the preset's (a GS kit number: 0 Standard, 8 Room, … 40 Brush). */
  drumKit: z
    .number()
    .int()
    .refine((kit) => DRUM_KIT_NUMBERS.includes(kit), { message: `drumKit must be one of ${DRUM_KIT_NUMBERS.map((n) => `${n} (${DRUM_KITS[n]})`).join(', ')}` })
    .optional(),
  /** Tempo in quarter notes per minute. Default: the style's (`STYLE_TEMPOS`). */
  tempo: z.number().int('tempos are whole bpm').min(CONTROLS.tempo.min).max(CONTROLS.tempo.max).optional(),
  /** How readily notes play: 0.5 is the model's calibrated decoding; higher plays less certain notes too. */
  density: z.number().min(CONTROLS.density.min).max(CONTROLS.density.max).default(0.5),
};
const settingsSchema = z.object(FIELDS);

const CHOICES: Record<string, readonly Choice[]> = {
  instrument: INSTRUMENT_PRESET_NAMES.map((name) => ({ value: name, label: `${name}: ${INSTRUMENT_PRESETS[name].description}` })),
  programs: GM_PROGRAMS.map((name, value) => ({ value, label: `${value} ${name}` })),
  drumKit: DRUM_KIT_NUMBERS.map((value) => ({ value, label: `${value} ${DRUM_KITS[value]}` })),
};

export const symbolicSettings: FamilySettings = { fields: FIELDS, controls: CONTROLS, choices: CHOICES };

/** The settings one symbolic voice plays with (swaps present as undefined when there are none). */
export interface SymbolicVoiceSettings {
  style: Style;
  instrument: InstrumentPresetName;
  tempo: number;
  density: number;
  programs: SoundOverrides['programs'] | undefined;
  drumKit: number | undefined;
}

/**
 * The channel's settings for this model. The style asked for must be one the model knows; a
 * carried-over style it does not know (after a model change) falls back to its first. Choosing
 * an instrument preset clears the program and drum-kit swaps unless they are asked for with it.
 * @throws WavecastError WAVECAST_ERR_BAD_REQUEST (field `style`)
 */
export function resolveSymbolicSettings(manifest: SymbolicManifest, options: VoiceOptions): SymbolicVoiceSettings {
  // The config schema and PATCH checked these already; parsing again picks this family's fields.
  const { style: wanted, instrument, tempo, density, programs, drumKit } = settingsSchema.parse(options.settings);
  const { asked } = options;
  const known = manifest.styles;
  let style = wanted;
  if (style === undefined || (!asked.has('style') && !known.includes(style))) style = known[0];
  if (!known.includes(style)) {
    throw new WavecastError(
      'WAVECAST_ERR_BAD_REQUEST',
      `channel "${options.channel}": style "${style}" is not one model "${manifest.id}" was trained on (${known.join(', ')})`,
      { field: 'style' },
    );
  }
  const newPreset = asked.has('instrument');
  const keep = (name: string) => !newPreset || asked.has(name);
  return {
    style,
    instrument,
    tempo: styleTempo(style, tempo, { tempoAsked: asked.has('tempo'), styleBefore: options.previous ? options.previous.settings.style : style }),
    density,
    programs: programs && Object.keys(programs).length > 0 && keep('programs') ? programs : undefined,
    drumKit: keep('drumKit') ? drumKit : undefined,
  };
}

/**
 * The tempo a style plays at: the one asked for; after a change of style (asked for, or because a
 * new model lacks the old one) without one, the tempo it had if that lies in the new style's
 * range, else the style's typical tempo; when none was ever set, the typical one.
 * @param context.styleBefore the style of the voice this one replaces (the same style for a channel's first)
 */
export function styleTempo(style: Style, tempo: number | undefined, context: { tempoAsked: boolean; styleBefore: unknown }): number {
  const range = STYLE_TEMPOS[style];
  if (tempo === undefined) return range.typical;
  if (context.tempoAsked || context.styleBefore === style) return tempo;
  return tempo >= range.min && tempo <= range.max ? tempo : range.typical;
}

/** The swaps as the title says them: ` (chords: Vibraphone, drums: Brush)`, or nothing. */
export function describeSwaps(settings: SoundOverrides): string {
  const parts = MELODIC_TRACKS.flatMap((track) => {
    const program = settings.programs?.[track];
    return program === undefined ? [] : [`${track}: ${GM_PROGRAMS[program]}`];
  });
  if (settings.drumKit !== undefined) parts.push(`drums: ${DRUM_KITS[settings.drumKit]}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
