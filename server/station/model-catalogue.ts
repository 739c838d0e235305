/**
 * The models a station can play. `ModelCatalogue` is the seam: production scans a folder of
 * checkpoints and watches it (ModelDirectory); tests hand the station a list of manifests and
 * no files.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { WavecastError } from '../core/errors.js';
import type { ModelManifest } from '../families/model.js';
import { listCheckpoints } from '../inference/checkpoint-listing.js';
import { setCurrentVersion, versionDir } from '../inference/checkpoint-versions.js';
import { logger } from '../core/logger.js';

const log = logger('catalogue');

/** Changes within this many ms make one rescan (a publish renames several files). */
const WATCH_SETTLE_MS = 150;

export interface CatalogueScan {
  /**
   * Every valid model: plain checkpoints (no `version`) and each valid version of a versioned
   * model (`version` set), sorted by id then version.
   */
  models: ModelManifest[];
  /** Versioned models: the version their pointer names (channels following a model play it). */
  latest?: Record<string, number>;
  /** Why each other candidate is not a model (one log line each), and which model id it is about, when one. */
  problems: Array<{ where: string; error: WavecastError; model?: string }>;
}

export interface ModelCatalogue {
  /** Where the models are, as messages name it (`/srv/wavecast/models`). */
  readonly location: string;
  /** Looks again (a trainer may have published a model since the last scan). */
  scan(): Promise<CatalogueScan>;
  /** Calls `onChange` soon after anything in the catalogue may have changed; returns the stop. */
  watch?(onChange: () => void): () => void;
  /** Makes `version` the one model `id`'s followers play (roll back). */
  setLatest?(id: string, version: number): Promise<void>;
}

/** A folder of checkpoint folders (`models/<id>/…`, checkpoint-versions.ts), scanned without reading weights. */
export class ModelDirectory implements ModelCatalogue {
  readonly location: string;

  constructor(dir: string) {
    this.location = dir;
  }

  /** The checkpoint folder of this model (version). */
  dirOf(manifest: Pick<ModelManifest, 'id' | 'version'>): string {
    return manifest.version === undefined ? path.join(this.location, manifest.id) : versionDir(this.location, manifest.id, manifest.version);
  }

  async scan(): Promise<CatalogueScan> {
    const { checkpoints, latest, errors } = await listCheckpoints(this.location);
    const modelOf = (dir: string) => {
      const [id] = path.relative(this.location, dir).split(path.sep);
      return id && id !== '..' ? { model: id } : {};
    };
    return { models: checkpoints.map((c) => c.manifest), latest, problems: errors.map(({ dir, error }) => ({ where: dir, error, ...modelOf(dir) })) };
  }

  async setLatest(id: string, version: number): Promise<void> {
    await setCurrentVersion(path.join(this.location, id), version);
  }

  /**
   * fs.watch on the folder, recursively where the platform can. Events are hints only: they
   * are coalesced and the caller rescans (and rescans on a timer as well, for what a watch misses).
   */
  watch(onChange: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(onChange, WATCH_SETTLE_MS);
    };
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.location, { recursive: true, persistent: false }, changed);
    } catch (error) {
      try {
        watcher = watch(this.location, { persistent: false }, changed);
      } catch {
        // No watching at all (a missing folder, an odd filesystem): the periodic rescan still runs.
        log.warn({ dir: this.location, err: error }, 'cannot watch the models folder; relying on the periodic rescan');
      }
    }
    // A watch that dies (the folder removed) leaves the periodic rescan to do the work.
    watcher?.on('error', (error) => log.warn({ dir: this.location, err: error }, 'models folder watch stopped'));
    return () => {
      clearTimeout(timer);
      watcher?.close();
    };
  }
}
