/**
 * Where each save of the WaveGAN trainer goes: the next published version of the model
 * (`models/<id>/versions/<n>/`, checked with one forward pass, then named by the pointer; see
 * server/inference/checkpoint-versions.ts), its report files beside it. The trainer publishes
 * only through `Publish`, so a test can hand it a stand-in.
 */
import type { NamedWeights } from '../../../server/families/model.js';
import type { CheckpointManifestInput } from '../../../server/inference/checkpoint-manifest.js';
import { publishVersion } from '../../../server/inference/checkpoint-versions.js';

export interface PublishRequest {
  /** The models folder; versions go under `<modelsDir>/<manifest.id>/versions/`. */
  modelsDir: string;
  /** Its `id` is the model (lineage) id; the version number is assigned on publishing. */
  manifest: CheckpointManifestInput;
  /** In the family's weightShapes order. */
  weights: NamedWeights;
  /** Versions to keep (older ones removed, never the current one). */
  keep?: number;
  /** Files written into the version's folder (report.html, report.json). */
  extraFiles?: Record<string, string | Uint8Array>;
}

export interface Published {
  id: string;
  version: number;
  /** The version's folder. */
  dir: string;
}

export type Publish = (request: PublishRequest) => Promise<Published>;

/** Publishes one version with publishVersion and makes it current. */
export const publishWaveformVersion: Publish = async (request) => {
  const { id, version, dir } = await publishVersion(request);
  return { id, version, dir };
};
