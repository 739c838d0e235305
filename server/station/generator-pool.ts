/**
 * The station's loaded models: each is loaded once, when a channel first plays it (two changes
 * asking for one model share one load), and stays loaded until the station stops. How a
 * generator is made is injected: worker threads in production, fakes in tests.
 */
import { logger } from '../core/logger.js';
import type { ModelManifest } from '../families/model.js';
import type { Generator } from '../inference/generator.js';

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

  /** The loaded generator of model `id`, if it is loaded. */
  loaded(id: string): Generator | undefined {
    return this.#loaded.get(id);
  }

  /** The generator of `manifest`'s model, loading it (once) if need be; a failed load leaves nothing behind. */
  load(manifest: ModelManifest): Promise<Generator> {
    const loaded = this.#loaded.get(manifest.id);
    if (loaded) return Promise.resolve(loaded);
    let loading = this.#loading.get(manifest.id);
    if (!loading) {
      loading = this.#initialize(manifest).finally(() => this.#loading.delete(manifest.id));
      this.#loading.set(manifest.id, loading);
    }
    return loading;
  }

  async #initialize(manifest: ModelManifest): Promise<Generator> {
    const started = performance.now();
    const generator = this.#create(manifest);
    try {
      await generator.initialize();
    } catch (error) {
      await generator.dispose();
      throw error;
    }
    this.#loaded.set(manifest.id, generator);
    log.info({ model: manifest.id, engine: generator.engine, ms: Math.round(performance.now() - started) }, 'model loaded');
    return generator;
  }

  /** Disposes every generator, waiting for loads under way so their worker threads go too. */
  async dispose(): Promise<void> {
    await Promise.allSettled([...this.#loading.values()]);
    await Promise.all([...this.#loaded.values()].map((generator) => generator.dispose()));
    this.#loaded.clear();
  }
}
