/**
 * Nearest-neighbour distances between two sets of feature vectors (Euclidean), as the WaveGAN
 * paper uses them: generated → training clips (small: the model copies its data), held-out real →
 * generated clips (small: the generated set covers the real one).
 *
 * ‖q − r‖² is computed as ‖q‖² + ‖r‖² − 2 q·r, one dot product per pair, in double precision.
 */

/** Squared length of each vector. */
function squaredNorms(vectors: readonly Float32Array[]): Float64Array {
  return Float64Array.from(vectors, (v) => dot(v, v));
}

/** q · r, with four running sums (independent adds keep the CPU busier than one). */
export function dot(q: Float32Array, r: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = q.length - (q.length % 4);
  let i = 0;
  for (; i < n; i += 4) {
    s0 += q[i] * r[i];
    s1 += q[i + 1] * r[i + 1];
    s2 += q[i + 2] * r[i + 2];
    s3 += q[i + 3] * r[i + 3];
  }
  for (; i < q.length; i++) s0 += q[i] * r[i];
  return s0 + s1 + (s2 + s3);
}

/**
 * For each query, the distance to its nearest reference and that reference's index.
 *
 * @throws RangeError for an empty reference set or vectors of different lengths
 */
export function nearestNeighbours(queries: readonly Float32Array[], references: readonly Float32Array[]): { distances: Float64Array; indices: Int32Array } {
  if (references.length === 0) throw new RangeError('nearestNeighbours needs at least one reference vector');
  const length = references[0].length;
  for (const v of [...queries, ...references]) if (v.length !== length) throw new RangeError(`every vector must have ${length} values, got ${v.length}`);
  const referenceNorms = squaredNorms(references);
  const distances = new Float64Array(queries.length);
  const indices = new Int32Array(queries.length);
  queries.forEach((query, q) => {
    const queryNorm = dot(query, query);
    let best = Infinity;
    let bestIndex = 0;
    for (let r = 0; r < references.length; r++) {
      const squared = queryNorm + referenceNorms[r] - 2 * dot(query, references[r]);
      if (squared < best) {
        best = squared;
        bestIndex = r;
      }
    }
    distances[q] = Math.sqrt(Math.max(0, best)); // rounding can make a zero distance slightly negative
    indices[q] = bestIndex;
  });
  return { distances, indices };
}

/** Mean nearest-neighbour distance from `queries` to `references`. */
export function meanNearestDistance(queries: readonly Float32Array[], references: readonly Float32Array[]): number {
  if (queries.length === 0) return NaN;
  const { distances } = nearestNeighbours(queries, references);
  return distances.reduce((sum, d) => sum + d, 0) / distances.length;
}
