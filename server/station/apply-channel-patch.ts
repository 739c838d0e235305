/**
 * An operator's change, applied to a playing channel: a new model is loaded first; a field the
 * model's family does not take is refused naming the field and where it applies; a sound change
 * (model or family settings) retunes the channel and moves it between model loops; variation and
 * volume apply as they are. Anything refused changes nothing.
 */
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { modelKey, modelLabel, type ModelManifest } from '../families/model.js';
import { familiesTaking, familyOf } from '../families/registry.js';
import type { Channel } from '../stream/channel.js';
import type { GenerationScheduler } from '../stream/generation-scheduler.js';
import { settingsOf, type ChannelPatch } from './channel-patch.js';
import type { Generator } from '../inference/generator.js';
import type { GeneratorPool } from './generator-pool.js';

const log = logger('station');

export interface PatchContext {
  scheduler: GenerationScheduler;
  generators: GeneratorPool;
  /**
   * The catalogue's manifest of a model: `version` pinned, or the one its followers play
   * ('latest' or undefined); else a WAVECAST_ERR_BAD_REQUEST naming the field.
   */
  manifest(id: string, version?: number | 'latest'): ModelManifest;
}

/**
 * @returns the generator the channel played before, when it moved to another model (version),
 *   so the caller can unload it once no channel plays it
 * @throws WavecastError WAVECAST_ERR_BAD_REQUEST naming the field
 */
export async function applyChannelPatch(channel: Channel, patch: ChannelPatch, context: PatchContext): Promise<Generator | undefined> {
  const bad = (field: string, message: string) => new WavecastError('WAVECAST_ERR_BAD_REQUEST', message, { field });
  const playing = channel.model.manifest;
  const previous = context.generators.loaded(playing)!;
  let generator = previous;
  if (patch.model !== undefined || patch.version !== undefined) {
    const manifest = context.manifest(patch.model ?? playing.id, patch.version);
    if (modelKey(manifest) !== modelKey(playing)) {
      try {
        generator = await context.generators.load(manifest);
      } catch (error) {
        throw bad('model', `model "${modelLabel(manifest)}" could not be loaded: ${(error as Error).message}`);
      }
    }
  }
  const model = generator.info;
  const family = familyOf(model);
  const settings = settingsOf(patch);
  const own = Object.keys(family.settings.fields);
  for (const field of Object.keys(settings)) {
    if (own.includes(field)) continue;
    const takes = own.length > 0 ? `it takes ${own.join(', ')}` : 'its sound is the model';
    throw bad(field, `${field} applies to ${familiesTaking(field).join(' and ')} models; model "${model.id}" is a ${family.name} model (${takes})`);
  }
  // Naming the model, even the one playing, retunes: the operator asked for a fresh voice.
  if (patch.model !== undefined || generator !== previous || Object.keys(settings).length > 0) {
    channel.retune({ model: generator !== previous ? model : undefined, settings });
    if (generator !== previous) {
      void context.scheduler.remove(previous, channel);
      context.scheduler.add(generator, channel);
    } else {
      context.scheduler.wake(generator);
    }
  }
  if (patch.variation !== undefined) channel.variation = patch.variation;
  if (patch.volume !== undefined) channel.playout.volume = patch.volume;
  log.info({ channel: channel.id, patch }, 'operator changed a channel');
  return generator !== previous ? previous : undefined;
}
