/**
 * The model families wavecast knows, and the questions asked of them by name. This is the one
 * place outside a family's folder that names the families; everything else asks through here.
 */
import { WavecastError } from '../core/errors.js';
import type { Choice, ControlRange, Family, SettingValue } from './family.js';
import type { ModelInfo, ModelManifest } from './model.js';
import { symbolicFamily } from './symbolic/symbolic-family.js';
import { waveformFamily } from './waveform/waveform-family.js';
import type { z } from 'zod';

export const FAMILIES: readonly Family[] = [waveformFamily, symbolicFamily];

/** The family names, as manifest.json's `family` field takes them. */
export const FAMILY_NAMES: readonly string[] = FAMILIES.map((family) => family.name);

/** The family called `name`. @throws WavecastError WAVECAST_ERR_MODEL_MANIFEST for an unknown one */
export function familyNamed(name: string): Family {
  const family = FAMILIES.find((f) => f.name === name);
  if (!family) {
    throw new WavecastError('WAVECAST_ERR_MODEL_MANIFEST', `unknown model family "${name}" (known: ${FAMILY_NAMES.join(', ')})`);
  }
  return family;
}

/** The family of a model or manifest. */
export function familyOf(model: ModelInfo | ModelManifest): Family {
  return familyNamed(model.family);
}

/** What a loaded model of this manifest tells the stream engine. */
export function modelInfo(manifest: ModelManifest): ModelInfo {
  return familyOf(manifest).modelInfo(manifest);
}

/**
 * Every family's channel settings in one set of zod fields (config and PATCH fields). Two
 * families may share a field name only with the very same schema.
 */
export const SETTINGS_FIELDS: Readonly<Record<string, z.ZodType<SettingValue | undefined>>> = mergeDistinct((f) => f.settings.fields);

/** Every family's slider ranges. */
export const SETTINGS_CONTROLS: Readonly<Record<string, ControlRange>> = mergeDistinct((f) => f.settings.controls);

/** Every family's picker choices. */
export const SETTINGS_CHOICES: Readonly<Record<string, readonly Choice[]>> = mergeDistinct((f) => f.settings.choices);

/** The families that take setting `field` (for a refusal that says where it applies). */
export function familiesTaking(field: string): string[] {
  return FAMILIES.filter((f) => Object.hasOwn(f.settings.fields, field)).map((f) => f.name);
}

function mergeDistinct<T>(part: (family: Family) => Readonly<Record<string, T>>): Record<string, T> {
  const merged: Record<string, T> = {};
  for (const family of FAMILIES) {
    for (const [name, value] of Object.entries(part(family))) {
      if (Object.hasOwn(merged, name) && merged[name] !== value) {
        throw new Error(`model families disagree on the setting "${name}" (${family.name} defines it differently)`);
      }
      merged[name] = value;
    }
  }
  return merged;
}
