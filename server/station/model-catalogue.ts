/**
 * The models a station can play. `ModelCatalogue` is the seam: production scans a folder of
 * checkpoints (ModelDirectory); tests hand the station a list of manifests and no files.
 */
import path from 'node:path';
import type { WavecastError } from '../core/errors.js';
import type { ModelManifest } from '../families/model.js';
import { listCheckpoints } from '../inference/checkpoint-listing.js';

export interface CatalogueScan {
  /** Valid models, sorted by id. */
  models: ModelManifest[];
  /** Why each other candidate is not a model (one log line each). */
  problems: Array<{ where: string; error: WavecastError }>;
}

export interface ModelCatalogue {
  /** Where the models are, as messages name it (`/srv/wavecast/models`). */
  readonly location: string;
  /** Looks again (a trainer may have published a model since the last scan). */
  scan(): Promise<CatalogueScan>;
}

/** A folder of checkpoint folders (`models/<id>/manifest.json` …), scanned without reading weights. */
export class ModelDirectory implements ModelCatalogue {
  readonly location: string;

  constructor(dir: string) {
    this.location = dir;
  }

  /** The checkpoint folder of model `id`. */
  dirOf(id: string): string {
    return path.join(this.location, id);
  }

  async scan(): Promise<CatalogueScan> {
    const { checkpoints, errors } = await listCheckpoints(this.location);
    return { models: checkpoints.map((c) => c.manifest), problems: errors.map(({ dir, error }) => ({ where: dir, error })) };
  }
}
