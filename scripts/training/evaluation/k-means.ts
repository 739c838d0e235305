/**
 * Seeded k-means (Lloyd's iterations after k-means++ seeding), for NDB's bins. The same points, k
 * and seed give the same centroids. An emptied cluster is re-seeded with the point farthest from
 * its centroid, so there are always k bins.
 */
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { nearestNeighbours } from './nearest-neighbour.js';

export interface KMeansOptions {
  /** @default 1 */
  seed?: number;
  /** Lloyd iterations at most (it stops earlier once no point changes cluster). @default 50 */
  maxIterations?: number;
}

/** Defaults of `kMeans`, written once. */
export const K_MEANS_DEFAULTS = { seed: 1, maxIterations: 50 } as const;

export interface KMeansResult {
  centroids: Float32Array[];
  /** Each point's cluster. */
  assignments: Int32Array;
  /** Lloyd iterations run. */
  iterations: number;
}

/**
 * Clusters `points` into `k` clusters.
 *
 * @throws RangeError when there are fewer points than clusters
 */
export function kMeans(points: readonly Float32Array[], k: number, options: KMeansOptions = {}): KMeansResult {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a whole number ≥ 1, got ${k}`);
  if (points.length < k) throw new RangeError(`k-means with k = ${k} needs at least ${k} points, got ${points.length}`);
  const random = mulberry32(options.seed ?? K_MEANS_DEFAULTS.seed);
  const maxIterations = options.maxIterations ?? K_MEANS_DEFAULTS.maxIterations;
  const centroids = seedPlusPlus(points, k, random);
  let assignments: Int32Array = new Int32Array(points.length).fill(-1);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const { indices, distances } = nearestNeighbours(points, centroids);
    const changed = indices.some((cluster, i) => cluster !== assignments[i]);
    assignments = indices;
    if (!changed) break;
    updateCentroids(points, assignments, distances, centroids);
  }
  return { centroids, assignments, iterations };
}

/** k-means++: each next centre drawn with probability proportional to its squared distance to the nearest centre. */
function seedPlusPlus(points: readonly Float32Array[], k: number, random: () => number): Float32Array[] {
  const centroids = [points[Math.floor(random() * points.length)].slice()];
  const nearest = Float64Array.from(points, (p) => squaredDistance(p, centroids[0]));
  while (centroids.length < k) {
    const total = nearest.reduce((sum, d) => sum + d, 0);
    let chosen = points.length - 1;
    if (total > 0) {
      let draw = random() * total;
      for (let i = 0; i < points.length; i++) {
        draw -= nearest[i];
        if (draw < 0) {
          chosen = i;
          break;
        }
      }
    } else {
      chosen = Math.floor(random() * points.length); // all points coincide with a centre already
    }
    const centre = points[chosen].slice();
    centroids.push(centre);
    for (let i = 0; i < points.length; i++) nearest[i] = Math.min(nearest[i], squaredDistance(points[i], centre));
  }
  return centroids;
}

function updateCentroids(points: readonly Float32Array[], assignments: Int32Array, distances: Float64Array, centroids: Float32Array[]): void {
  const dimensions = points[0].length;
  const sums = centroids.map(() => new Float64Array(dimensions));
  const counts = new Int32Array(centroids.length);
  points.forEach((point, i) => {
    const sum = sums[assignments[i]];
    for (let d = 0; d < dimensions; d++) sum[d] += point[d];
    counts[assignments[i]]++;
  });
  const taken = new Set<number>();
  centroids.forEach((centroid, c) => {
    if (counts[c] > 0) {
      for (let d = 0; d < dimensions; d++) centroid[d] = sums[c][d] / counts[c];
      return;
    }
    // An empty cluster takes the point worst served by its centroid (not one already taken).
    let farthest = -1;
    for (let i = 0; i < points.length; i++) if (!taken.has(i) && (farthest < 0 || distances[i] > distances[farthest])) farthest = i;
    taken.add(farthest);
    centroid.set(points[farthest]);
  });
}

function squaredDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum;
}
