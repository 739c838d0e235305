/**
 * The station's loaded models: each model version is loaded once, when a channel first plays it
 * (two changes asking for one share one load), checked with one forward pass (finite, not
 * silent), and disposed when no channel plays it any more. How a generator is made is injected:
 * worker threads in production, fakes in tests.
 */
import { logger } from '../core/logger.js';
import { modelKey, modelLabel, type ModelManifest, type ModelRef } from '../families/model.js';
import type { Generator } from '../inference/generator.js';
import { checkOutput } from '../inference/generator-check.js';

const log = logger('station');

/** Makes the (not yet initialized) generator of a model. */
export type GeneratorFactory = (manifest: ModelManifest) => Generator;

export class GeneratorPool {
  readonly #create: GeneratorFactory;
  readonly #loaded = new Map<string, Generator>();
  readonly #loading = new Map<string, Promise<Generator>>();

  constructor(create: GeneratorFactory) {
    this.#create = create;
  }

  /** The loaded generator of this model (version), if it is loaded. */
  loaded(model: ModelRef): Generator | undefined {
    return this.#loaded.get(modelKey(model));
  }

  /** Every loaded generator. */
  all(): Generator[] {
    return [...this.#loaded.values()];
  }

  /** The generator of `manifest`'s model, loading it (once) if need be; a failed load leaves nothing behind. */
  load(manifest: ModelManifest): Promise<Generator> {
    const key = modelKey(manifest);
    const loaded = this.#loaded.get(key);
    if (loaded) return Promise.resolve(loaded);
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#initialize(manifest).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #initialize(manifest: ModelManifest): Promise<Generator> {
    const started = performance.now();
    const generator = this.#create(manifest);
    try {
      await generator.initialize();
      await checkOutput(generator, `model "${modelLabel(manifest)}"`);
    } catch (error) {
      await generator.dispose();
      throw error;
    }
    this.#loaded.set(modelKey(manifest), generator);
    log.info({ model: modelLabel(manifest), engine: generator.engine, ms: Math.round(performance.now() - started) }, 'model loaded');
    return generator;
  }

  /** Disposes the generator of this model (version), if loaded (no channel may play it any more). */
  async release(model: ModelRef): Promise<void> {
    const key = modelKey(model);
    const generator = this.#loaded.get(key);
    if (!generator) return;
    this.#loaded.delete(key);
    await generator.dispose();
    log.info({ model: modelLabel(model) }, 'model unloaded');
  }

  /** Disposes every generator, waiting for loads under way so their worker threads go too. */
  async dispose(): Promise<void> {
    await Promise.allSettled([...this.#loading.values()]);
    await Promise.all([...this.#loaded.values()].map((generator) => generator.dispose()));
    this.#loaded.clear();
  }
}
